"""Values of hand-written backward lines: evaluating one, updating a name, comparing with the truth."""

from __future__ import annotations

import numpy as np

_OPS = {"+=": np.add, "-=": np.subtract, "*=": np.multiply, "/=": np.divide}


def close(a, b) -> bool:
    """Equal shapes and values to float64 round-off (NaN equal to NaN)."""
    if a is None or b is None or np.shape(a) != np.shape(b):
        return False
    return bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))


def zero(shape: tuple):
    """A zero gradient of this shape."""
    return 0.0 if shape == () else np.zeros(shape)


def run_line(line, values: dict, deadline):
    """The line's right-hand side with these values for the names it reads, within the deadline."""
    g = line.graph.instance()
    g.deadline = deadline
    for name, i in g.inputs.items():
        g.values[i] = values[name]
    g.forward()
    return g.values[g.output]


def combine(how: str, base, rhs):
    """The name's value after the line: `=` replaces, `+=` and the others update."""
    return rhs if how == "=" else _OPS[how](base, rhs)
