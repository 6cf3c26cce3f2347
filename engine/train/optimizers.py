"""Update rules (SGD, momentum, Adam) and seeded random initialisation of parameters.

Parameters are the graph's own input values: Python floats for scalars, float64 arrays for tensors.
Every rule returns new values rather than updating in place, so one code path serves both.
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from ..core.errors import EngineError

OPTIMIZERS = ("sgd", "momentum", "adam")
DISTS = ("normal", "uniform", "zeros")


def _out(v):
    """An optimizer slot as JSON-ready data."""
    return v.tolist() if isinstance(v, np.ndarray) else float(v)


class Optimizer:
    """The shared state of an update rule: step count and per-parameter slots; subclasses give rule()."""

    slots: tuple[str, ...] = ()

    def __init__(self, lr: float, names: list[str], state: dict | None = None, **hyper):
        self.lr, self.names = lr, names
        state = state or {}
        self.t = int(state.get("t", 0))
        saved = state.get("slots") or {}
        self.mem = {s: [_restore(saved.get(n, {}).get(s)) for n in names] for s in self.slots}

    def step(self, params: list, grads: list) -> list:
        """The parameters after one update (a None gradient means the parameter does not matter)."""
        self.t += 1
        return [p if g is None else self.rule(k, p, g) for k, (p, g) in enumerate(zip(params, grads))]

    def rule(self, k: int, p, g):
        """The update of parameter k."""
        raise NotImplementedError

    def check(self, shapes: list[tuple]) -> None:
        """Saved slots (from an earlier request's state) must have their parameters' shapes."""
        for s in self.slots:
            for n, v, shape in zip(self.names, self.mem[s], shapes):
                if v is not None and np.shape(v) != tuple(shape):
                    raise EngineError("state_shape", kind="shape", slot=s, name=n,
                                      shape=str(list(np.shape(v))), expected=str(list(shape)))

    def state(self) -> dict:
        """Step count and per-parameter slots, so a later request can continue the same run."""
        slots = {n: {s: _out(self.mem[s][k]) for s in self.slots if self.mem[s][k] is not None}
                 for k, n in enumerate(self.names)}
        return {"t": self.t, "slots": {n: v for n, v in slots.items() if v}}


class SGD(Optimizer):
    """p ← p − lr·g."""

    def step(self, params: list, grads: list) -> list:
        """One update without a method call per parameter (the hot loop of small programs)."""
        self.t += 1
        lr = self.lr
        return [p if g is None else p - lr * g for p, g in zip(params, grads)]


class Momentum(Optimizer):
    """Classical momentum: v ← μ·v − lr·g, p ← p + v."""

    slots = ("v",)

    def __init__(self, lr, names, state=None, momentum: float = 0.9, **hyper):
        super().__init__(lr, names, state)
        self.mu = momentum

    def rule(self, k, p, g):
        v = self.mem["v"][k]
        v = -self.lr * g if v is None else self.mu * v - self.lr * g
        self.mem["v"][k] = v
        return p + v


class Adam(Optimizer):
    """Adam (Kingma & Ba) with bias correction: β₁ = 0.9, β₂ = 0.999, ε = 1e-8."""

    slots = ("m", "v")
    b1, b2, eps = 0.9, 0.999, 1e-8

    def rule(self, k, p, g):
        m, v = self.mem["m"][k], self.mem["v"][k]
        m = (1 - self.b1) * g if m is None else self.b1 * m + (1 - self.b1) * g
        v = (1 - self.b2) * g * g if v is None else self.b2 * v + (1 - self.b2) * g * g
        self.mem["m"][k], self.mem["v"][k] = m, v
        mhat = m / (1 - self.b1 ** self.t)
        vhat = v / (1 - self.b2 ** self.t)
        return p - self.lr * mhat / (np.sqrt(vhat) + self.eps) if isinstance(p, np.ndarray) else \
            p - self.lr * mhat / (math.sqrt(vhat) + self.eps)


def _restore(v):
    """A saved slot back as a float or an array (None when absent)."""
    if v is None:
        return None
    try:
        a = np.array(v, dtype=np.float64)
    except (ValueError, TypeError):
        raise EngineError("state_ragged", kind="shape") from None
    return float(a) if a.ndim == 0 else a


def make_optimizer(name: str, lr: float, names: list[str], state: dict | None = None,
                   momentum: float = 0.9) -> Optimizer:
    """The update rule called `name`."""
    classes = {"sgd": SGD, "momentum": Momentum, "adam": Adam}
    if name not in classes:
        raise EngineError("optimizer", kind="value", name=name, choices=list(OPTIMIZERS))
    return classes[name](lr, names, state, momentum=momentum)


def init_value(name: str, spec: dict, seed: int):
    """One parameter's random start; each name draws from its own stream, so order does not matter."""
    shape = tuple(int(n) for n in spec.get("shape", ()))
    if any(n < 1 for n in shape):
        raise EngineError("init_dims", kind="shape", name=name)
    dist = spec.get("dist", "normal")
    if dist not in DISTS:
        raise EngineError("init_dist", kind="value", name=name, dist=dist, choices=list(DISTS))
    # 1/sqrt(fan_in) keeps X @ W at unit scale; vectors and scalars default to 1.
    scale = float(spec.get("scale", 1.0 / math.sqrt(shape[0]) if len(shape) >= 2 else 1.0))
    rng = np.random.default_rng([int(seed), zlib.crc32(name.encode())])
    if dist == "zeros":
        v = np.zeros(shape)
    elif dist == "uniform":
        v = rng.uniform(-scale, scale, size=shape)
    else:
        v = rng.normal(0.0, scale, size=shape)
    return float(v) if v.ndim == 0 else v


def initialize(init: dict | None, seed: int, max_elements: int, max_total: int | None = None) -> dict:
    """Random values for every name in `init`, reproducible from `seed`.

    Every shape is checked, and all of them together, before the first one is allocated: 1,500
    names of 500×500 each once took a worker to 4 GB before any check ran.
    """
    total = 0
    for name, spec in (init or {}).items():
        size = math.prod(int(n) for n in spec.get("shape", ()))
        if size > max_elements:
            raise EngineError("init_elements", kind="budget", name=name[:40], elements=size,
                              limit=max_elements)
        total += size
        if max_total is not None and total > max_total:
            raise EngineError("init_total", kind="budget", limit=max_total)
    return {name: init_value(name, spec, seed) for name, spec in (init or {}).items()}
