"""from_torch on seeded random compositions of the supported calls: PyTorch's numbers every time."""

from __future__ import annotations

import random

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import torch.nn.functional as F  # noqa: E402

from gatewise import from_torch  # noqa: E402
from gatewise.torch_bridge import rel_diff  # noqa: E402

UNARY = [torch.tanh, torch.sigmoid, F.relu, torch.sin, torch.cos, torch.abs, torch.neg,
         lambda a: torch.exp(torch.tanh(a)), lambda a: torch.sqrt(a * a + 1),
         lambda a: torch.log(a.abs() + 1), lambda a: a ** 2, lambda a: a.T,
         lambda a: F.softmax(a, dim=-1), lambda a: 0.5 - a]
BINARY = [torch.add, torch.sub, torch.mul, lambda a, b: a / (b * b + 1), torch.maximum, torch.minimum,
          lambda a, b: a @ b, lambda a, b: a.mm(b.t()), lambda a, b: F.linear(a, b, b[0]),
          lambda a, b: a + b[1, 2], lambda a, b: 2 * a - b / 3]


def random_fn(rng: random.Random, depth: int):
    """A function of (x, w) composing `depth` random supported calls on random earlier values (so
    values fan out whenever two calls pick the same one)."""
    steps = []
    for k in range(depth):
        steps.append((rng.random() < 0.5, rng.randrange(len(UNARY)), rng.randrange(len(BINARY)),
                      rng.randrange(k + 2), rng.randrange(k + 2)))

    def fn(x, w):
        values = [x, w]
        for unary, u, b, i, j in steps:
            values.append(UNARY[u](values[i]) if unary else BINARY[b](values[i], values[j]))
        return (values[-1] * values[-2]).mean() + values[-1].sum()
    return fn


@pytest.mark.parametrize("seed", range(40))
def test_random_compositions_match_autograd(seed):
    rng = random.Random(seed)
    fn = random_fn(rng, depth=rng.randint(3, 9))
    g = torch.Generator().manual_seed(seed)
    x, w = (torch.randn(3, 3, generator=g, dtype=torch.float64) for _ in range(2))
    t = from_torch(fn, x, w)
    xr, wr = x.clone().requires_grad_(), w.clone().requires_grad_()
    out = fn(xr, wr)
    dx, dw = torch.autograd.grad(out, [xr, wr], allow_unused=True)
    graph = t.graph
    floor = 1e-6 * max(abs(out.item()), *(float(d.abs().max()) for d in (dx, dw) if d is not None))
    assert rel_diff(graph.values[graph.output], out.item()) <= 1e-9
    for name, d in (("x", dx), ("w", dw)):
        if name in graph.inputs:
            want = np.zeros((3, 3)) if d is None else d.numpy()
            assert rel_diff(graph.grads[graph.inputs[name]], want, floor) <= 1e-9, (seed, name, t.program)
        else:  # an input the result does not use is left out, and PyTorch gives it no gradient
            assert d is None, (seed, name)
