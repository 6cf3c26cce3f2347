"""Generated benchmark programs: staged scalar programs like the CS231n notes, of any size."""

from __future__ import annotations

import random

_UNARY = ("tanh", "sigmoid", "sin", "cos")  # bounded, so long chains stay finite
_BINARY = ("+", "-", "*")


def staged_program(gates: int, seed: int = 0, inputs: int = 8) -> str:
    """A program of about `gates` scalar gates in lines like `v12 = v3 * tanh(v9) + sin(v7)`."""
    rng = random.Random(seed)
    lines = [f"a{k} = {rng.uniform(-1, 1):.3f}" for k in range(inputs)]
    names = [f"a{k}" for k in range(inputs)]
    count = 0
    while count < gates - 1:
        a, b, c = (names[-rng.randint(1, min(len(names), 12))] for _ in range(3))
        op1, op2 = rng.choice(_BINARY), rng.choice(_BINARY)
        name = f"v{len(lines)}"
        u1, u2 = rng.choice(_UNARY), rng.choice(_UNARY)
        lines.append(f"{name} = {a} {op1} {u1}({b}) {op2} {u2}({c})")
        names.append(name)
        count += 4
    lines.append(f"out = {names[-1]} * {names[-2]}")
    return "\n".join(lines)
