"""The message catalogs: every key in both languages, and every code the engine or the server can
raise is raised here by a real input and has a message in both (issue 15)."""

from __future__ import annotations

import ast
import dataclasses
import re
import time
import types
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from gatewise import engine
from gatewise.engine import EngineError, Limits, evaluate
from gatewise.engine.core.messages import CATALOGS, render
from gatewise.engine.core.messages_en import MESSAGES as EN
from gatewise.engine.core.messages_zh import MESSAGES as ZH
from gatewise.engine.export.codegen import generate
from gatewise.engine.export.tikz import tikz
from gatewise.engine.ops.record import defop, unregister
from gatewise.engine.train import optimize as optimize_module
from gatewise.engine.train.boundary import boundary
from gatewise.engine.train.datasets import read_csv
from gatewise.engine.train.optimize import optimize

ROOT = Path(__file__).resolve().parent.parent
SLOT = re.compile(r"\{(\w+)\}")
# Codes that are not errors: parts of other messages, the CLI's words, pydantic's reasons.
PARTS = re.compile(r"^(shape_scalar|token.*|cli_.*|kind_.*|pydantic_.*|stmt.*|another_branch|value_array|"
                   r"matmul_hint|node_gate)$")


def _ev(src, values=None, **kw):
    return lambda: evaluate(src, values, **kw)


def _nested(depth: int) -> list:
    value: list = [1.0]
    for _ in range(depth):
        value = [value]
    return value


def _line_error(src: str, target: str):
    """Raise the error of a hand-written backward line (the graph keeps it for the line's verdict)."""
    line = next(h for h in evaluate(src).handwritten if h.target == target)
    raise line.error


def _clock_jumps(run):
    """run() with the training loop's clock an hour ahead: the deadline passes before the first step."""
    ahead = types.SimpleNamespace(monotonic=lambda: time.monotonic() + 3600.0)
    with mock.patch.object(optimize_module, "time", ahead):
        return run()


def _train(src, values, **kw):
    return lambda: optimize(src, values, **kw)


CSV = "a,b,y\n1,2,0\n3,4,1\n"


def _op(grad: str = "g * 2", **extra):
    """Register an op `twice` whose derivative is grad, call what=... on it, and unregister it."""
    def run(what):
        try:
            defop("twice", "twice(x)", "2×", "x", "elementwise", "Twice x.", lambda x: 2 * x, {"x": grad},
                  scalar=lambda x: 2 * x, **extra)
            return what()
        finally:
            unregister("twice")
    return run
LIN = "z = X @ W\nL = cross_entropy(z, y)"
LINV = {"X": [[1.0, 2.0], [3.0, 4.0]], "W": [[1.0, 0.0], [0.0, 1.0]], "y": [0, 1]}
TIGHT = Limits(max_depth=3, max_tensor_elements=10, max_total_elements=12, max_nodes=4, max_matmul_work=10)

# (what raises, the code it must raise): each a real input of the engine's public functions.
ENGINE_CASES = [
    (_ev("x = 1\ny = x", limits=Limits(max_source_chars=3)), "source_chars"),
    (_ev("a=1\nb=2\nc=3", limits=Limits(max_statements=2)), "statements"),
    (_ev("((((1))))", limits=TIGHT), "depth"),
    (_ev("x = 1 \\ 2"), "backslash"),
    (_ev("x = 'a'"), "strings"),
    (_ev("x = 1 % 2"), "bad_operator"),
    (_ev("x = 1 $ 2"), "bad_character"),
    (_ev("x = * 2"), "expected_value"),
    (_ev("x = 1 2"), "expected_operator"),
    (_ev("sum(x, axis=0)", {"x": 1}), "keyword_arguments"),
    (_ev("x = 1 + y = 2"), "assign_position"),
    (_ev("x = 1\ny = x.(2)"), "attribute_name"),
    (_ev("a, b = 1, 2"), "comma_outside"),
    (_ev("x = (1, 2) + 1"), "comma_tuple"),
    (_ev("x = 1)"), "unmatched"),
    (_ev("x = (1]"), "mismatched"),
    (_ev("x = (1"), "unclosed"),
    (_ev("for i in x:\n  y = i"), "keyword_loop"),
    (_ev("class A:\n  x = 1"), "keyword_class"),
    (_ev("if x:\n  y = 1"), "keyword_branch"),
    (_ev("return 1"), "keyword_return"),
    (_ev("with x:\n  y = 1"), "keyword_statements"),
    (_ev("try:\n  y = 1"), "keyword_try"),
    (_ev("print(1)"), "keyword_print"),
    (_ev("assert 1"), "keyword_assert"),
    (_ev("x = 1\ndel x"), "keyword_del"),
    (_ev("global x"), "keyword_global"),
    (_ev("import torch\nx = 1"), "import_refused"),
    (_ev("from numpy import exp\nx = 1"), "from_import"),
    (_ev("x * 2", {"x": "a"}), "value_type"),
    (_ev("x * 2", {"x": _nested(40)}), "value_depth"),
    (_ev("x * 2", {"x": 10**400}), "value_overflow"),
    (_ev("x * 2", {"x": [[1, 2], [3]]}), "value_ragged"),
    (_ev("x + y", {"x": [1, 2], "y": [1, 2, 3]}), "broadcast"),
    (_ev("x @ y", {"x": 1, "y": [1, 2]}), "matmul_rank"),
    (_ev("x @ y", {"x": [[1, 2]], "y": [[1, 2]]}), "matmul_inner"),
    (_ev("softmax(x)", {"x": 1}), "axis_scalar"),
    (_ev("softmax(x)", {"x": np.zeros((2, 0))}), "axis_empty"),
    (_ev("rowsum(x)", {"x": 1}), "row_scalar"),
    (_ev("rowsum(x)", {"x": np.zeros((2, 0))}), "row_empty"),
    (_ev("cross_entropy(z, y)", {"z": 1, "y": 0}), "scores_rank"),
    (_ev("cross_entropy(z, y)", {"z": np.zeros((2, 0)), "y": [0, 0]}), "scores_empty"),
    (_ev("cross_entropy(z, y)", {"z": [[1, 2]], "y": [0, 1]}), "labels_shape"),
    (_ev("cross_entropy(z, y)", {"z": [[1, 2]], "y": [0.5]}), "labels_whole"),
    (_ev("cross_entropy(z, y)", {"z": [[1, 2]], "y": [7]}), "label_range"),
    (_ev("[x, y]", {"x": 1, "y": [1, 2]}), "stack_shapes"),
    (_ev("x[0, 0]", {"x": [1, 2]}), "index_count"),
    (_ev("x[5]", {"x": [1, 2]}), "index_range"),
    (_ev("x = 1\ny = x + np"), "module_value"),
    (_ev("x = np.zeros((2, 3))\ny = x.shape + 1"), "shape_value"),
    (_ev("x = 1\nx.backward() + 1"), "statement_value"),
    (_ev("x = 1\nf = blorp(x)"), "unknown_function"),
    (_ev("x = 1\nf = sigmod(x)"), "unknown_function_hint"),
    (_ev("x = 1\nf = np.linalg.inv(x)"), "unsupported_function"),
    (_ev("x = 1\nf = np.exq(x)"), "unsupported_function_hint"),
    (_ev("x = 1\nf = np.zeros(x)"), "shape_argument"),
    (_ev("f = np.zeros((2.5, 3))"), "shape_whole"),
    (_ev("x = 1\nf = x.grad"), "grad_attribute"),
    (_ev("x = 1\nf = x.foo"), "unknown_attribute"),
    (_ev("x = 1\nf = x.foo()"), "unknown_method"),
    (_ev("f = np.array(1, 2)"), "one_argument"),
    (_ev("f = np.zeros(2, 3)"), "one_shape_argument"),
    (_ev("np.random.seed(-1)\nx = 1"), "seed"),
    (_ev("x = 1\nf = x + exp"), "function_name"),
    (_ev("x = 2\ny = x * x\ndx = 2 * x\nz = dx + 1"), "backward_name"),
    (lambda: _line_error("x = 2\nw = 3\ny = x * w\ndy = 1\ndx = dy * q\ndw = dx + 1", "dw"),
     "backward_line_error"),
    (_ev("f = x * 2"), "unknown_name"),
    (_ev("x = 1\nf = np.zeros(*x)"), "star_shape"),
    (_ev("x = 1\nf = exp(x, x)"), "arity_one"),
    (_ev("x = 1\nf = max(x)"), "arity"),
    (_ev("x = [1, 2]\nf = x[0.5]"), "index_constant"),
    (_ev("x = [[1, 2], 3]"), "ragged_list"),
    (_ev("x = []"), "empty_list"),
    (_ev("y += 1"), "augment_unassigned"),
    (_ev("f = x * 2\nx = 3", free=0.0), "used_before_assigned"),
    (_ev("x = 1\nx = 2"), "assigned_twice"),
    (_ev("# nothing"), "empty_program"),
    (_ev("x * 2", {"x": 1, "q": 2}), "extra_value"),
    (_ev("x * 2", {"x": 1, "q": 2, "r": 3}), "extra_values"),
    (_ev("x * 2", {"x": 1, **{f"q{k}": 1 for k in range(7)}}), "extra_values_more"),
    (_ev("f = sigmoid(x)", {"x": 1}, expand=["n9"]), "expand_unknown"),
    (_ev("f = x * 2", {"x": 1}, expand=["n9"]), "expand_none"),
    (_ev("f = x * 2", {"x": 1}, expand=3), "expand_type"),
    (_ev("f = np.zeros((4, 4))", limits=TIGHT), "tensor_elements"),
    (_ev("x * 2", {"x": np.zeros((1,) * 40)}), "tensor_axes"),
    (_ev("a = np.zeros(8)\nb = np.zeros(8)", limits=TIGHT), "total_elements"),
    (_ev("x = 1\ny = x + x + x + x + x", limits=TIGHT), "nodes"),
    (_ev("f = W @ X", {"W": np.ones((3, 3)), "X": np.ones((3, 3))},
         limits=dataclasses.replace(TIGHT, max_tensor_elements=100, max_total_elements=100)), "matmul_work"),
    (lambda: evaluate(3), "source_type"),
    (lambda: engine.build(3), "source_type"),
    (_ev("f = x * 2", free=float("nan")), "free_type"),
    (lambda: evaluate("x", [1]), "values_type"),
    (_ev("x = 1\n" + "y = x + 1\n" * 20000, limits=Limits(time_budget=1e-9)), "time_budget"),
    (lambda: engine.to_torch("f = x * 2", {"x": 1}, params=["q"]), "export_params"),
    (lambda: engine.to_torch("x = 1"), "export_no_gate"),
    (lambda: tikz({"nodes": [{"id": f"n{k}"} for k in range(5001)], "edges": []}), "tikz_nodes"),
    (_train(LIN, LINV, params=["Q"], steps=1), "train_unknown"),
    (_train("L = mse(X, Y)", {"X": [[1.0]], "Y": [[0.0]]}, steps=1), "train_nothing"),
    (_train(LIN, LINV, lr=-1.0, steps=1), "learning_rate"),
    (_train(LIN, LINV, optimizer="rmsprop", steps=1), "optimizer"),
    (_train(LIN, LINV, init={"W": {"shape": [0, 2]}}, steps=1), "init_dims"),
    (_train(LIN, LINV, init={"W": {"shape": [2, 2], "dist": "cauchy"}}, steps=1), "init_dist"),
    (_train(LIN, LINV, init={"W": {"shape": [10**4, 10**4]}}, steps=1), "init_elements"),
    (_train(LIN, LINV, init={"W": {"shape": [3000, 3000]}, "V": {"shape": [3000, 3000]}},
            limits=dataclasses.replace(Limits(), max_total_elements=10**7), steps=1), "init_total"),
    (_train(LIN, LINV, optimizer="adam", state={"t": 1, "slots": {"W": {"m": [1, 2, 3]}}}, steps=1),
     "state_shape"),
    (_train(LIN, LINV, optimizer="adam", state={"t": 1, "slots": {"W": {"m": [[1, 2], [3]]}}}, steps=1),
     "state_ragged"),
    (_train("f = x * x + y * y", {"x": 1, "y": 2}, steps=1, landscape={"x": "x", "y": "q"}),
     "landscape_inputs"),
    (_train("f = x * x + y * y", {"x": 1, "y": 2}, steps=1,
            landscape={"x": "x", "y": "y", "xrange": [1, 0]}), "landscape_range"),
    (_train("L = mse(X @ W, Y) + sum(labels)", {"X": np.ones((4, 2)), "W": np.ones((2, 1)),
                                                 "Y": np.ones((4, 1)), "labels": [1.0, 2.0, 3.0]},
            batch_size=2, steps=1), "batch_rows"),
    (_train("L = sum(X @ W + B)", {"X": np.ones((4, 2)), "W": np.ones((2, 2)), "B": np.ones((4, 2))},
            params=["W"], batch_size=2, steps=1), "batch_shape"),
    (lambda: _clock_jumps(_train("f = x * x", {"x": 1}, steps=10, limits=Limits(time_budget=60.0))),
     "train_no_step"),
    (lambda: boundary("f = sum(X)", {"X": np.ones((2, 2))}), "boundary_loss"),
    (lambda: boundary(LIN, LINV, xrange=(1, 0)), "boundary_range"),
    (lambda: boundary(LIN, LINV, features="Q"), "boundary_features"),
    (lambda: boundary("z = X @ W\nL = cross_entropy(z, y)", {"X": np.ones((2, 3)), "W": np.ones((3, 2)),
                                                             "y": [0, 1]}), "boundary_columns"),
    (lambda: boundary("z = X @ W\nL = cross_entropy(z, y)", {"X": np.ones((2, 2)), "W": np.ones((2, 1)),
                                                             "y": [0, 0]}), "boundary_one_column"),
    (lambda: _op("g * nope")(lambda: None), "formula_name"),
    (lambda: _op("g * frob(x)")(lambda: None), "formula_function"),
    (lambda: _op("g\ng")(lambda: None), "formula_one"),
    (lambda: _op("y = g")(lambda: None), "formula_assign"),
    (lambda: _op("[g, g]")(lambda: None), "formula_list"),
    (lambda: _op(code=None)(lambda: generate(evaluate("f = twice(x)", {"x": 1.0}))), "export_code"),
    (lambda: _op(code="2 * $0")(lambda: engine.to_torch("f = twice(x)", {"x": 1.0})), "export_torch"),
    (_ev("y = def"), "keyword_def"),
    (_ev("def f(x):\n    def g(y):\n        return y\n    return g(x)"), "def_nested"),
    (_ev("def (x):\n    return x"), "def_name"),
    (_ev("def f x:\n    return x"), "def_paren"),
    (_ev("def f(x) -> float:\n    return x"), "def_return_annotation"),
    (_ev("def f(x)\n    return x"), "def_colon"),
    (_ev("def f(*args):\n    return 1"), "def_star_parameter"),
    (_ev("def f(1):\n    return 1"), "def_parameter_name"),
    (_ev("def f(x, x):\n    return x"), "def_duplicate_parameter"),
    (_ev("def f(x=1):\n    return x"), "def_default"),
    (_ev("def f(x: float):\n    return x"), "def_annotation"),
    (_ev("def f(x y):\n    return x"), "def_parameter_list"),
    (_ev("def f(x): return x\n    y = 2"), "def_one_line_indent"),
    (_ev("def f(x):\nreturn x"), "def_block"),
    (_ev("def f(x):\n    y = x\n      return y"), "indent_unexpected"),
    (_ev("def f(x):\n    y = x\n\treturn y"), "indent_tabs"),
    (_ev("def f(x):\n    y = x\n  return y"), "indent_unmatched"),
    (_ev("def f(x):\n    return x\n    y = 2"), "def_after_return"),
    (_ev("def f(x):\n    return\ny = 1"), "def_return_value"),
    (_ev("def f(x):\n    y = x * 2\ny = f(1)"), "def_no_return"),
    (_ev("def f(a):\n    b += a\n    return b\ny = f(1)"), "def_augment_unassigned"),
    (_ev("def f(a): return f(a)\ny = f(1)"), "def_recursion"),
    (_ev("def f(a): return g(a)\ndef g(b): return f(b)\ny = f(1)"), "def_mutual_recursion"),
    (_ev("def f(a): return a * z\ny = f(1)"), "def_scope"),
    (_ev("def f(): return z\ny = f()"), "def_scope_none"),
    (_ev("def f(a): return a * 2\ny = f(x)", {"x": 1.0}, fold=["n999"]), "fold_unknown"),
    (_ev("def exp(a): return a\ny = exp(1)"), "def_builtin"),
    (_ev("def f(a): return a\ndef f(b): return b\ny = f(1)"), "def_twice"),
    (_ev("f = 2\ndef f(a): return a"), "def_value_name"),
    (_ev("def f(exp): return exp * 2\ny = f(1)"), "def_parameter_builtin"),
    (_ev("x = 2\ndef f(x): return x * 2\ny = f(x)"), "def_parameter_input"),
    (_ev("y = f(1)\ndef f(a): return a"), "def_later"),
    (_ev("def f(a): return a * 2\nf = 3"), "def_assigned"),
    (_ev("def f(a, b): return a @ b\ny = f([1, 2], [1, 2, 3])"), "in_call"),
    (_ev("\n".join(["def f0(a): return a + 1"] + [f"def f{k}(a): return f{k - 1}(a)" for k in range(1, 100)])
         + "\ny = f99(x)", {"x": 1.0}), "call_depth"),
    (_ev("def f(a):\n    b = a * 2 + 1\n    return b * b - a\nx0 = 1\n"
         + "\n".join(f"x{i} = f(x{i - 1})" for i in range(1, 200)), limits=Limits(max_nodes=100)),
     "call_nodes"),
    (_ev("def f(a):\n" + "".join(f"    a = a + {k}\n" for k in range(20)) + "    return a\n"
         + "\n".join(f"y{i} = f(x)" for i in range(10)), {"x": 1.0}, limits=Limits(max_statements=150)),
     "call_statements"),
    (_ev("def f(A, B): return A @ B\n" + "\n".join(f"y{i} = f(A, B)" for i in range(50)),
         {"A": np.ones((20, 20)), "B": np.ones((20, 20))}, limits=Limits(max_total_elements=10_000)),
     "call_elements"),
    (_ev("def f(A, B): return A @ B\n" + "\n".join(f"y{i} = f(A, B)" for i in range(50)),
         {"A": np.ones((20, 20)), "B": np.ones((20, 20))}, limits=Limits(max_matmul_work=200_000)),
     "call_work"),
    (lambda: read_csv(""), "csv_empty"),
    (lambda: read_csv('a,b\n"1,2\n'), "csv_row"),
    (lambda: read_csv("a,a,y\n1,2,0\n"), "csv_duplicate_column"),
    (lambda: read_csv(CSV, label="z"), "csv_no_label_column"),
    (lambda: read_csv(CSV, features=["q"]), "csv_no_feature_column"),
    (lambda: read_csv("a,b,y\n1,,0\n"), "csv_empty_feature"),
    (lambda: read_csv("a,b,y\n1,x,0\n"), "csv_not_number"),
    (lambda: read_csv("a,b,y\n1,inf,0\n"), "csv_not_finite"),
    (lambda: read_csv("a,b,y\n1,2,\n3,4,1\n"), "csv_empty_label"),
    (lambda: read_csv("a,y\n1,0\n2,500\n"), "csv_class_range"),
    (lambda: read_csv("a,y\n" + "".join(f"{k},c{k}\n" for k in range(200))), "csv_classes"),
    (lambda: read_csv("a,y\n" + "1,0\n" * 100, limits=Limits(max_tensor_elements=10)), "csv_cells_about"),
    (lambda: read_csv(CSV, limits=Limits(max_source_chars=5)), "csv_chars"),
    (lambda: read_csv("a,b,y\n"), "csv_no_rows"),
    (lambda: read_csv(CSV, label="y", features=["a", "y"]), "csv_label_feature"),
    (lambda: read_csv("y\n0\n1\n"), "csv_no_features"),
    (lambda: read_csv("a,y\n" + "1,0\n" * 7, limits=Limits(max_tensor_elements=12)), "csv_cells"),
    (lambda: read_csv("a,b,y\n1,2\n"), "csv_fields"),
]


def _codes(msg: dict) -> list[str]:
    """The code of a message and of the message it wraps (an error inside a call: in_call)."""
    cause = msg["params"].get("cause")
    return [msg["code"], *(_codes(cause) if isinstance(cause, dict) else [])]


@pytest.mark.parametrize("trigger,code", ENGINE_CASES, ids=[c for _, c in ENGINE_CASES])
def test_every_engine_code_is_raised_and_has_a_message_in_both_languages(trigger, code):
    with pytest.raises(EngineError) as info:
        trigger()
    e = info.value
    assert code in _codes(e.as_param()), (e.code, e.message)
    assert code in EN and code in ZH
    for lang in ("en", "zh"):
        text = e.render(lang)
        assert text and not SLOT.search(text), (lang, text)  # every slot filled from the parameters
    assert e.render("zh") != e.render("en")
    assert e.to_dict("zh")["message"] == e.render("zh") and e.to_dict()["code"] == e.code


def test_every_key_is_in_both_languages_with_the_same_slots():
    assert set(CATALOGS) == {"en", "zh"}
    assert set(EN) == set(ZH)
    for code, template in EN.items():
        assert set(SLOT.findall(ZH[code])) == set(SLOT.findall(template)), code
        assert ZH[code].strip() and template.strip(), code


# English texts that are identifiers or symbols in both languages.
SAME = {"token", "cli_id", "http_error"}


def test_the_chinese_catalog_is_chinese():
    # Every message with English words has Chinese ones in its Chinese template.
    for code, text in ZH.items():
        if code not in SAME and re.search(r"[A-Za-z]{2,}", SLOT.sub("", EN[code])):
            assert re.search(r"[\u4e00-\u9fff]", text), (code, text)
        if code in SAME:
            assert text == EN[code]


# Codes with no input that reaches them: guards of impossible states and a 500 no input may cause.
UNREACHABLE = {
    "index_empty": "the parser refuses x[] as a missing value before the bracket closes",
    "internal": "the 500 of a bug: no input may produce one (tests/test_hardening.py)",
    "http_error": "a status other than 404, 405 and 413 from the routing layer",
    "def_recursion_call": "a guard of the unrolling: recursion is refused at its def (def_recursion)",
}


def test_every_code_of_the_catalog_is_raised_by_a_case_here():
    from test_i18n_answers import NOTE_CASES  # the graph's notes
    from test_i18n_api import SERVER_CASES  # the server's codes, raised through the app
    from test_messages_teach import FLAG_CASES, VERDICT_CASES  # verdicts and diagnostics

    raised = {code for _, code in ENGINE_CASES} | {code for *_, code in SERVER_CASES}
    raised |= {code for _, code in VERDICT_CASES} | {code for *_, code, _ in NOTE_CASES}
    raised |= {c for *_, code in FLAG_CASES for c in (code, f"{code}_title")}
    errors = {code for code in EN if not PARTS.match(code)}
    assert errors - raised == set(UNREACHABLE), errors - raised - set(UNREACHABLE)
    assert raised <= errors


# Calls whose first string argument (ApiError: its second) is a message code.
_MAKERS = {"EngineError": 0, "shape_error": 0, "_fail": 0, "ApiError": 1, "error_body": 0, "message": 0,
           "UsageError": 0}


def _code_arguments():
    for folder in ("engine", "server", "src"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                    k = _MAKERS.get(name)
                    if k is not None and len(node.args) > k:
                        yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[k]


def test_every_raise_site_names_a_code_of_the_catalog():
    sites = list(_code_arguments())
    assert len(sites) > 150
    for where, arg in sites:
        if isinstance(arg, ast.Constant):
            assert arg.value in EN, (where, arg.value)
        elif isinstance(arg, ast.JoinedStr):  # f"csv_no_{role}_column": some code must fit the pattern
            pattern = "".join(re.escape(p.value) if isinstance(p, ast.Constant) else r"\w+"
                              for p in arg.values)
            assert any(re.fullmatch(pattern, c) for c in EN), (where, pattern)
        elif isinstance(arg, ast.IfExp):
            assert all(c.value in EN for c in (arg.body, arg.orelse) if isinstance(c, ast.Constant)), where
        else:
            assert isinstance(arg, (ast.Name, ast.Attribute, ast.BinOp, ast.Subscript)), where


def test_a_list_and_a_nested_message_render_in_the_language():
    params = {"names": ["a", "b"], "more": 2}
    assert render("extra_values_more", params) == ("values were given for 'a', 'b' and 2 more, which are "
                                                   "not inputs of the program")
    assert render("extra_values_more", params, "zh").startswith("给出了 'a'、'b' 以及另外 2 个名字的值")
    nested = {"cause": {"code": "broadcast", "params": {"shapes": ["(2,)", {"code": "shape_scalar"}]}}}
    assert "(2,)、标量" in render("batch_shape", nested, "zh")
    assert "(2,), scalar" in render("batch_shape", nested)
    assert render("no_such_code") == "no_such_code" and render("unknown_name", {}) == EN["unknown_name"]
