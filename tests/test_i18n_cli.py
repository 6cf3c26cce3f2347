"""`gatewise eval` in Chinese (issue 15): --lang zh, or LANG / LC_ALL / LC_MESSAGES = zh_CN.UTF-8."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gatewise.server.cli import cli_lang, main

PROGRAM = "f = x * sigmoid(y)"


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real console entry point in a fresh process, with only the given locale variables."""
    clean = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    return subprocess.run([sys.executable, "-m", "gatewise.server.cli", *args], capture_output=True,
                          text=True, env={**clean, **(env or {})}, timeout=60)


def test_lang_zh_gives_chinese_table_headers():
    out = _run("eval", "--lang", "zh", PROGRAM, "x=3", "y=2")
    assert out.returncode == 0, out.stderr
    head = out.stdout.splitlines()[0].split()
    assert head == ["步骤", "id", "运算", "名字", "形状", "值", "梯度"]
    assert "f (输出)" in out.stdout and "标量" in out.stdout


def test_the_note_is_chinese_too():
    out = _run("eval", "--lang", "zh", "D = W @ X", "W=[[1,2],[3,4]]", "X=[[1],[2]]")
    assert out.stdout.splitlines()[-1] == ("注：输出的形状是 (2, 1)，所以反向传播从全 1 的梯度开始："
                                           "显示的梯度是 sum(输出) 的梯度。")
    out = _run("eval", "--lang", "zh", "D = W * 2\ndD = [[1, 2]]", "W=[[1,2]]")
    assert out.stdout.splitlines()[-1] == ("注：D 的梯度是你给出的 dD（第 2 行），所以显示的梯度是 "
                                           "sum(D * dD) 的梯度。")
    english = _run("eval", "D = W @ X", "W=[[1,2],[3,4]]", "X=[[1],[2]]").stdout.splitlines()[-1]
    assert english.startswith("note: The output has shape (2, 1), so backpropagation starts")


def test_lang_zh_gives_a_chinese_error_with_its_caret():
    out = _run("--lang", "zh", "eval", "x = 1\ny = (x  # 中文")
    assert out.returncode == 1
    assert out.stderr.splitlines() == ["错误（语法）：'(' 没有闭合", "  2 | y = (x  # 中文", " " * 10 + "^"]
    out = _run("eval", "--lang", "zh", "y = 中 + 1")
    assert out.stderr.splitlines()[0] == "错误（语法）：意外的字符 '中'"


@pytest.mark.parametrize("env", [{"LANG": "zh_CN.UTF-8"}, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"},
                                 {"LC_MESSAGES": "zh_TW", "LANG": "C"}])
def test_the_locale_variables_choose_chinese(env):
    out = _run("eval", "--gradcheck", PROGRAM, "x=3", "y=2", env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].split() == ["输入", "形状", "已检验", "相对误差"]
    assert "梯度检验通过" in out.stdout


def test_english_stays_the_default_and_lang_wins_over_the_locale():
    assert _run("eval", PROGRAM, "x=3", "y=2").stdout.splitlines()[0].split()[:2] == ["step", "id"]
    out = _run("eval", "--lang", "en", "f = (", env={"LANG": "zh_CN.UTF-8"})
    assert out.stderr.splitlines()[0] == "error (syntax): '(' was never closed"


def test_bad_arguments_are_chinese_too(capsys):
    assert main(["eval", "--lang", "zh", PROGRAM, "x"]) == 2
    assert "应为 名字=值" in capsys.readouterr().err
    assert main(["eval", "--lang", "fr", PROGRAM]) == 2
    assert "unknown language 'fr'" in capsys.readouterr().err


def test_cli_lang_order():
    assert cli_lang(None, {"LC_ALL": "", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US"}) == "zh"
    assert cli_lang(None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert cli_lang(None, {"LANG": "fr_FR.UTF-8"}) == "en" and cli_lang(None, {}) == "en"
    assert cli_lang("zh-Hans", {"LANG": "en_US"}) == "zh" and cli_lang("fr", {}) is None
