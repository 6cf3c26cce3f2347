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
_KEPT = re.compile(r"--?[\w-]+|\S*[/_.:]\S*|'[^']*'|\b[A-Z][A-Z0-9_]*\b|\b\w+(?:-\w+)+\b|\w+=|\w+\(")
_CJK_PUNCT = re.compile(r"[：（）、，；。]")  # Chinese punctuation separates words as spaces do
USER_FILE = '''
import torch
import torch.nn as nn

model = nn.Linear(3, 2)
EXAMPLE_INPUTS = {"model": (torch.ones(4, 3),)}
conv = nn.Conv2d(1, 1, 2)


def bad():
    return 1
'''


def english_words(text: str, names: set[str] = frozenset()) -> list[str]:
    """The English words of a text that are none of the names a Chinese text keeps as written (nor of
    the given names: the user's calls and types that the text quotes)."""
    prose = _KEPT.sub(" ", _CJK_PUNCT.sub(" ", text))
    return [w for w in re.findall(r"[A-Za-z]{2,}", prose) if w not in NAMES | names]


def _words_of(part) -> set[str]:
    """The words of a refusal's form or reason as the call spells them: a text's, a message's params'."""
    if isinstance(part, dict):
        return {w for v in (part.get("params") or {}).values() for w in _words_of(v)}
    if isinstance(part, (list, tuple)):
        return {w for v in part for w in _words_of(v)}
    return set(re.findall(r"[A-Za-z]{2,}", str(part)))


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`gatewise from-torch …` in a fresh process, with only the given locale variables."""
    clean = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    return subprocess.run([sys.executable, "-m", "gatewise.server.cli", "from-torch", *args],
                          capture_output=True, text=True, env={**clean, **(env or {})}, timeout=180, cwd=ROOT)


@pytest.fixture(scope="module")
def user_file(tmp_path_factory):
    pytest.importorskip("torch")  # the command imports the user's file, which imports torch
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


def more_refused(torch) -> dict:
    """Refused forms beyond tests/test_torch_bridge_errors.py's, so that every form and reason is produced."""
    F = torch.nn.functional
    return {
        "transpose_3d": lambda x: x.reshape(1, 2, 3).transpose(0, 1).sum(),
        "linear_1d_weight": lambda x: F.linear(x, torch.ones(3, dtype=x.dtype)).sum(),
        "sum_dtype": lambda x: x.sum(dtype=torch.float32),
        "mse_weight": lambda x: F.mse_loss(x, x * 2, weight=torch.ones_like(x)),
        "ce_scores_3d": lambda x: F.cross_entropy(x.reshape(1, 2, 3), torch.tensor([[0, 1, 0]])),
        "empty_index": lambda x: x[()].sum(),
        "complex_constant": lambda x: (x * torch.tensor(1j)).real.sum(),
        "pow_keyword": lambda x: torch.pow(x, exponent=2).sum(),
    }


# Guards no input reaches: PyTorch refuses the call itself before the bridge sees it.
UNREACHED = {
    "cli_torch_why_mse_reduction": "mse_loss checks its reduction= before it returns",
    "cli_torch_why_new_tensor": "out= with a tensor that needs a gradient is refused by autograd",
}


def _refused(torch, fn):
    """The UnsupportedOperations that from_torch raises for fn at a 2×3 float64 input."""
    from gatewise.torch_bridge import UnsupportedOperations, from_torch

    x = torch.arange(6, dtype=torch.float64).reshape(2, 3) / 7 + 0.1
    with pytest.raises(UnsupportedOperations) as info:
        from_torch(fn, x)
    return info.value


def _said_codes(refusal) -> set[str]:
    return {part["code"] for part in refusal.said if isinstance(part, dict)}


@pytest.mark.filterwarnings("ignore:size_average and reduce")
def test_every_refusal_renders_in_both_languages_and_every_code_is_produced():
    torch = pytest.importorskip("torch")
    from test_torch_bridge_errors import REFUSED

    from gatewise.torch_bridge.cli import refusals
    from gatewise.torch_bridge.rules import RULES
    from gatewise.torch_bridge.trace import op_name

    calls = {w for f in RULES for w in re.findall(r"[A-Za-z]{2,}", op_name(f))}  # PyTorch's call names

    produced: set[str] = set()
    for fn in [fn for fn, _ in REFUSED.values()] + list(more_refused(torch).values()):
        e = _refused(torch, fn)
        produced |= {c for r in e.refusals for c in _said_codes(r)}
        assert refusals(e, "en") == str(e)  # English: the exception's own text
        zh = refusals(e, "zh")
        spelled = calls | {w for r in e.refusals for part in r.said for w in _words_of(part)}
        assert zh.startswith("from_torch 无法翻译") and english_words(zh, spelled) == [], zh
        assert all(CJK.search(line) for line in zh.splitlines()), zh
    forms = {c for c in EN if c.startswith(("cli_torch_form_", "cli_torch_why_"))}
    assert forms - produced == set(UNREACHED), forms - produced - set(UNREACHED)
    for code in produced:
        assert code in EN and code in ZH and CJK.search(ZH[code]), code


def test_a_refused_file_is_reported_in_chinese(tmp_path):
    pytest.importorskip("torch")
    path = tmp_path / "net.py"
    path.write_text(textwrap.dedent('''
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 1, 2)

            def forward(self, x):
                h = self.conv(x).sum(dim=1)
                return F.cross_entropy(h.reshape(1, -1), torch.tensor([0]), label_smoothing=0.1)

        model = Net()
        EXAMPLE_INPUTS = {"model": (torch.ones(1, 1, 3, 3),)}
    '''))
    done = cli(f"{path}:model", "--lang", "zh")
    assert done.returncode == 1
    head, *lines = done.stderr.strip().splitlines()
    assert head == ("gatewise from-torch: from_torch 无法翻译 4 个运算（gatewise.torch_bridge.SUPPORTED "
                    "列出了它能翻译的）：")
    assert lines[0] == "  net.py:12 处：conv2d"
    assert lines[1] == "  net.py:12 处：sum(dim=1)（只支持对所有元素求和或求平均）"
    assert lines[-1] == ("  net.py:13 处：带 weight= 或 label_smoothing= 的 cross_entropy"
                         "（只支持普通的交叉熵）")
    assert english_words(done.stderr, {"conv2d", "reshape"}) == [], done.stderr
    english = cli(f"{path}:model").stderr
    assert "cross_entropy with weight= or label_smoothing= at net.py:13 (plain cross-entropy only)" in english


NOT_DRAWABLE = {  # fn, and the code from_torch answers it with
    "cli_torch_one_tensor": lambda x: (x * 2, x * 3),
    "cli_torch_unchanged": lambda x: x,
    "cli_torch_not_callable": 42,
}


def test_what_cannot_be_drawn_is_said_in_the_language(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    from gatewise.server.cli import main
    from gatewise.torch_bridge.translate import NotTranslatable, from_torch

    x = torch.ones(2, 3, dtype=torch.float64)
    cases = {**NOT_DRAWABLE, "cli_torch_independent": lambda x: torch.ones(2, dtype=x.dtype)}
    for code, fn in cases.items():
        with pytest.raises(NotTranslatable) as info:
            from_torch(fn, x)
        e = info.value
        assert e.code == code and str(e) == render(code, e.params) and isinstance(e, TypeError)
        zh = e.render("zh")
        spelled = _words_of(tuple(e.params.values()))  # a type's name stays as Python writes it
        assert CJK.search(zh) and english_words(zh, spelled) == [], zh
    # (cli_torch_float_result stays unreached: only calls the bridge refuses first give an integer or
    # boolean result.)
    path = tmp_path / "same.py"
    path.write_text("import torch\nsame = lambda x: x\nEXAMPLE_INPUTS = {'same': (torch.ones(2),)}\n")
    assert main(["from-torch", "--lang", "zh", f"{path}:same"]) == 1
    said = render("cli_torch_unchanged", {}, "zh")
    assert capsys.readouterr().err.strip() == f"gatewise from-torch: {said}"
