"""The `gatewise` command: eval tables, JSON, expansion, gradcheck, errors, and serve's arguments."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gatewise.server import cli

CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """cli.main(argv) -> (exit code, stdout, stderr)."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_eval_prints_nodes_in_forward_order(capsys):
    code, out, _ = run(capsys, "eval", CS231N, "x=3", "y=-4")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["step", "id", "op", "name", "shape", "value", "grad"]
    body = lines[2:]
    assert body[0].split()[2:4] == ["input", "x"] and "2.05957" in body[0]  # df/dx
    assert "1.59223" in body[1]  # df/dy
    assert "f (output)" in body[-1] and "1.54564" in body[-1]
    assert sum("sigmoid" in line for line in body) == 2


def test_eval_json_is_the_api_json(capsys):
    code, out, _ = run(capsys, "eval", CS231N, "x=3", "y=-4", "--json")
    graph = json.loads(out)
    assert code == 0 and set(graph) >= {"output", "nodes", "edges", "forward", "backward"}


def test_eval_expand_shows_primitives(capsys):
    _, folded, _ = run(capsys, "eval", "f = sigmoid(x)", "x=1")
    _, expanded, _ = run(capsys, "eval", "f = sigmoid(x)", "x=1", "--expand")
    assert len(expanded.splitlines()) > len(folded.splitlines())
    assert "exp" in expanded and "exp" not in folded


def test_eval_tensor_values_as_json(capsys):
    code, out, _ = run(capsys, "eval", "D = W @ X", "W=[[1,2],[3,4]]", "X=[[1],[2]]")
    assert code == 0 and "[[5], [11]]" in out and "2×2" in out and "note:" in out


def test_eval_gradcheck(capsys):
    code, out, _ = run(capsys, "eval", CS231N, "x=3", "y=-4", "--gradcheck")
    assert code == 0 and "gradcheck ok" in out and out.count("1/1") == 2
    code, out, _ = run(capsys, "eval", CS231N, "x=3", "y=-4", "--gradcheck", "--json")
    assert json.loads(out)["ok"] is True


def test_eval_error_shows_a_caret_under_the_column(capsys):
    code, out, err = run(capsys, "eval", "a = 1\nb = a + )")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("error (syntax):")
    assert lines[1] == "  2 | b = a + )"
    assert lines[2].index("^") == lines[1].index(")")


def test_eval_error_without_position(capsys):
    code, _, err = run(capsys, "eval", "f = x", "x=1", "nope=2")
    assert code == 1 and err.startswith("error")


@pytest.mark.parametrize("pair", ["x", "=3", "x=abc", "x=NaN", "x=true", 'x="3"', "x={}"])
def test_eval_rejects_bad_values(capsys, pair):
    code, _, err = run(capsys, "eval", "f = x", pair)
    assert code == 2 and "gatewise:" in err


def test_eval_reads_the_program_from_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("x = 2\nf = x * x\n"))
    code, out, _ = run(capsys, "eval", "-")
    assert code == 0 and "f (output)" in out


def test_bad_environment_is_reported(capsys, monkeypatch):
    monkeypatch.setenv("GATEWISE_MAX_NODES", "lots")
    code, _, err = run(capsys, "eval", "f = 1")
    assert code == 2 and "GATEWISE_MAX_NODES" in err


def test_serve_passes_its_options_to_uvicorn(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append((app, kw)))
    code, _, _ = run(capsys, "serve", "--host", "0.0.0.0", "--port", "9123", "--workers", "3")
    assert code == 0
    app, options = calls[0]
    assert app == "gatewise.server.app:app"
    assert options["host"] == "0.0.0.0" and options["port"] == 9123 and options["workers"] == 3


def test_serve_defaults(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append(kw))
    run(capsys, "serve")
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8000 and calls[0]["workers"] == 1


def test_help_lists_environment_variables():
    result = subprocess.run([sys.executable, "-m", "gatewise.server.cli", "serve", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "GATEWISE_TIME_BUDGET" in result.stdout and "GATEWISE_MAX_BODY_BYTES" in result.stdout


def test_module_entry_point_runs_eval():
    result = subprocess.run([sys.executable, "-m", "gatewise.server.cli", "eval", CS231N, "x=3", "y=-4"],
                            cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "1.54564" in result.stdout


def test_eval_of_user_functions_lists_them_and_folds_their_calls(capsys):
    program = "def sq(a): return a * a + 1\ny = sq(x) * sq(2)"
    code, out, _ = run(capsys, "eval", program, "x=3")
    assert code == 0 and "function sq(a), line 1: 2 call(s) (n1, n3)" in out
    opened = [line.split()[2] for line in out.splitlines()[2:] if line[:1].isdigit()]
    assert "mul" in opened and "sq" not in opened
    code, out, _ = run(capsys, "eval", "--fold", program, "x=3")
    rows = [line.split() for line in out.splitlines()[2:] if line[:1].isdigit()]
    sq = [r for r in rows if r[2] == "sq"]
    assert code == 0 and len(sq) == 2 and sq[0][-2:] == ["10", "5"]  # 3*3 + 1, and its upstream sq(2)


def test_eval_of_a_bad_def_shows_the_caret(capsys):
    code, _, err = run(capsys, "eval", "def f(x):\nreturn x")
    assert code == 1 and "expected an indented block" in err and "2 | return x" in err
