"""`gatewise from-torch` in Chinese (issue 15): its help (argparse's own words too), its usage errors
and its report follow --lang zh and LANG, as `gatewise eval` does; English stays the default."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import pytest

from gatewise.engine.core.messages import render
from gatewise.engine.core.messages_en import MESSAGES as EN
from gatewise.engine.core.messages_zh import MESSAGES as ZH
from gatewise.server.argtext import MSGIDS, PLURAL_MSGIDS, printf_template
from gatewise.server.local import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")
# What may stay as written in a Chinese text: options, metavars and constants (upper case), names with
# _ . : or -, paths, quoted values, and these names of programs, commands, modules and values, and of the
# user file's own names.
NAMES = {"gatewise", "Gatewise", "serve", "eval", "torch", "PyTorch", "autograd", "Module", "example", "fn",
         "en", "zh", "int", "pip", "conv", "bad", "nothing", "model"}
_KEPT = re.compile(r"--?[\w-]+|\S*[/_.:]\S*|'[^']*'|\b[A-Z][A-Z0-9_]*\b|\b\w+(?:-\w+)+\b")
USER_FILE = '''
import torch
import torch.nn as nn

model = nn.Linear(3, 2)
EXAMPLE_INPUTS = {"model": (torch.ones(4, 3),)}
conv = nn.Conv2d(1, 1, 2)


def bad():
    return 1
'''


def english_words(text: str) -> list[str]:
    """The English words of a text that are none of the names a Chinese text keeps as written."""
    prose = _KEPT.sub(" ", text)
    return [w for w in re.findall(r"[A-Za-z]{2,}", prose) if w not in NAMES]


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`gatewise from-torch …` in a fresh process, with only the given locale variables."""
    clean = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    return subprocess.run([sys.executable, "-m", "gatewise.server.cli", "from-torch", *args],
                          capture_output=True, text=True, env={**clean, **(env or {})}, timeout=180, cwd=ROOT)


@pytest.fixture(scope="module")
def user_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("torchcli") / "mine.py"
    path.write_text(textwrap.dedent(USER_FILE))
    return path


@pytest.mark.parametrize("how", [("--lang", "zh"), ("--lang=zh-CN",), {"LANG": "zh_CN.UTF-8"}],
                         ids=["option", "option=", "LANG"])
def test_help_in_chinese_has_no_english_words_left(how):
    args, env = (how, None) if isinstance(how, tuple) else ((), how)
    done = cli(*args, "--help", env=env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("用法：gatewise from-torch") and "选项" in out and "显示这条帮助信息并退出" in out
    assert render("cli_torch_serve", None, "zh") in out and CJK.search(out)
    assert english_words(out) == [], out


def test_help_of_the_whole_command_is_chinese_too():
    done = subprocess.run([sys.executable, "-m", "gatewise.server.cli", "--lang", "zh", "--help"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0 and "位置参数" in done.stdout
    assert render("cli_torch_help", None, "zh") in done.stdout
    assert english_words(done.stdout) == [], done.stdout


def test_english_stays_the_default():
    out = cli("--help").stdout
    assert out.startswith("usage: gatewise from-torch") and "show this help message and exit" in out
    assert render("cli_torch_serve", None, "en") in out and not CJK.search(out)


def _usage_cases(path) -> list[tuple[str, str, dict]]:
    """(target, the code of its usage error, its params)."""
    return [(f"{path}:nothing", "cli_torch_no_name", {"path": str(path), "name": "'nothing'"}),
            (f"{path}:conv", "cli_torch_inputs", {"path": str(path), "name": "conv", "key": "'conv'"}),
            (f"{path}:bad", "cli_torch_returns", {"path": str(path), "name": "bad"}),
            (f"{path.parent}/missing.py:model", "cli_torch_no_file", {"path": f"{path.parent}/missing.py"})]


@pytest.mark.parametrize("case", range(4), ids=["no_name", "inputs", "returns", "no_file"])
def test_usage_errors_follow_the_language(user_file, case):
    target, code, params = _usage_cases(user_file)[case]
    zh, en = cli(target, "--lang", "zh"), cli(target)
    assert zh.returncode == en.returncode == 2
    assert zh.stderr.strip() == f"gatewise: {render(code, params, 'zh')}"
    assert en.stderr.strip() == f"gatewise: {render(code, params, 'en')}"
    assert code in EN and code in ZH and CJK.search(zh.stderr) and not CJK.search(en.stderr)
    assert english_words(zh.stderr) == [], zh.stderr


def test_an_argument_error_is_chinese_too():
    done = cli("--lang", "zh")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "gatewise from-torch：错误：缺少以下参数：FILE.py[:NAME]"
    done = cli("x.py", "--port", "abc", env={"LC_ALL": "zh_CN.UTF-8"})
    assert done.stderr.splitlines()[-1] == "gatewise from-torch：错误：参数 --port：无效的 int 值：'abc'"
    assert english_words(done.stderr) == [], done.stderr


def test_the_report_of_a_translation_follows_the_language(user_file):
    done = cli(f"{user_file}:model", "--lang", "zh")
    assert done.returncode == 0, done.stderr
    (line,) = [x for x in done.stderr.splitlines() if x.startswith("#")]
    assert line.startswith("# 已与 PyTorch 的 autograd 核对：最大相对差 ") and english_words(line) == []
    assert "out = input @ weight.T + bias" in done.stdout  # the program is the same in every language


def test_every_argparse_text_has_both_catalogs_and_keeps_its_conversions():
    for msgid, (code, names) in {**MSGIDS, **PLURAL_MSGIDS}.items():
        assert code in EN and code in ZH and CJK.search(ZH[code]), code
        want = sorted(re.findall(r"%(?:\(\w+\))?[sr]", msgid))
        assert sorted(re.findall(r"%(?:\(\w+\))?[sr]", printf_template(ZH[code], msgid, names))) == want
        if "%" not in msgid:  # the English template is argparse's own text
            assert EN[code] == msgid, code
    assert printf_template("{value}：100%", "invalid choice: %(value)r", ()) == "%(value)r：100%%"
