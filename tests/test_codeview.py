"""Codegen's line map: every staged line is tied to the gate it belongs to, in the right phase."""

from __future__ import annotations

import pytest

from gatewise import engine
from gatewise.engine.export.codegen import generate
from gatewise.server.examples import EXAMPLES


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_every_gate_owns_its_forward_line_and_backward_block(ex):
    g = engine.evaluate(ex["expression"], ex["values"])
    staged = generate(g)
    text = staged.code.split("\n")
    assert len(staged.lines) == len(text) - 1  # the code ends with a newline
    forward = [o[0] for o in staged.lines if o and o[1] == "forward"]
    gates = [k for k, op in zip(g.keys, g.ops) if op is not None]
    assert forward == gates  # one forward line per gate, in forward order
    for line, owner in zip(text, staged.lines):
        if owner is None:
            continue
        key, phase = owner
        var = staged.values[key]
        if phase in ("forward", "input"):
            assert line.startswith(f"{var} = ")
    # Backward: each "# backprop v = ..." header belongs to the gate that computes v, and the lines
    # after it (up to the next header) to the same gate.
    current = None
    for line, owner in zip(text, staged.lines):
        if owner and owner[1] == "backward":
            if line.startswith("# backprop "):
                current = owner[0]
                assert line.startswith(f"# backprop {staged.values[current]} = ")
            elif current is not None:
                assert owner[0] == current


def test_fan_out_lines_use_plus_equals_and_belong_to_the_consumers():
    g = engine.evaluate("f = x * y + x", {"x": 3, "y": -4})
    staged = generate(g)
    owned = [(line, o) for line, o in zip(staged.code.split("\n"), staged.lines) if o and o[1] == "backward"]
    plus = [(line, o[0]) for line, o in owned if " += " in line]
    assert len(plus) == 1 and plus[0][0].startswith("dx += ")
    eq = [o[0] for line, o in owned if line.startswith("dx = ")]
    assert eq and eq[0] != plus[0][1]  # the first contribution and the += come from two different gates


def test_matmul_backward_lines_are_the_products_of_the_notes():
    g = engine.evaluate("D = W @ X", {"W": [[1, 2], [3, 4]], "X": [[5], [6]]})
    staged = generate(g)
    lines = {line for line, o in zip(staged.code.split("\n"), staged.lines) if o == ("n2", "backward")}
    assert {"dW = dD.dot(X.T)", "dX = W.T.dot(dD)"} <= lines
