"""The programs page_bench.py draws: deep chains, wide shallow layers, the MNIST-sized net's values."""

from __future__ import annotations

import math

import numpy as np

OPS = ["{a} + {b}", "{a} * {b}", "{a} - {b}", "tanh({a})"]


def chain(lines: int) -> str:
    """The issue's deep chain: `a_i = tanh(a_{i-1} * w + b) + a_{i-1} * 0.5`, about 6 nodes a line."""
    body = [f"a{i} = tanh(a{i - 1} * w + b) + a{i - 1} * 0.5" for i in range(1, lines + 1)]
    return "\n".join(["a0 = 0.5", "w = 0.8", "b = 0.1", *body])


def wide(gates: int) -> str:
    """A layered program of exactly `gates` gates on about sqrt(gates) inputs; each gate reads two
    values of the layer before (shallow and wide: the old benchmark's shape)."""
    width = max(2, round(math.sqrt(gates)))
    lines = [f"x{j} = {0.1 * (j % 7) - 0.3:.1f}" for j in range(width)]
    prev = [f"x{j}" for j in range(width)]
    made = layer = 0
    while made < gates:
        layer += 1
        cur = []
        for j in range(min(width, gates - made)):
            op = OPS[(made + layer) % len(OPS)]
            lines.append(f"h{layer}_{j} = " + op.format(a=prev[j % len(prev)], b=prev[(j + 1) % len(prev)]))
            cur.append(f"h{layer}_{j}")
            made += 1
        prev = cur
    lines.append(f"out = {prev[0]}")
    return "\n".join(lines)


def mnist_values(seed: int = 0) -> dict:
    """The seeds' MNIST-sized network's inputs: 100x784 images, 50 sigmoid hidden units, 10 classes."""
    rng = np.random.default_rng(seed)
    v = {"X": rng.random((100, 784)), "W1": rng.normal(0, 0.01, (784, 50)), "b1": np.zeros(50),
         "W2": rng.normal(0, 0.01, (50, 10)), "b2": np.zeros(10),
         "labels": rng.integers(0, 10, 100).astype(float)}
    return {k: a.tolist() for k, a in v.items()}
