"""Learning on the circuit: train chosen inputs of one built graph by gradient descent.

The graph is built once; each step writes the parameters (and a mini-batch of the data) into
`graph.values`, runs a lean forward and backward pass over it (trainstep.TrainStep: the same values
and gradients as Graph's passes, computed only on the way to the trained parameters, as a
hand-written loop would) and applies the update rule. The loss is the program's output (the sum
of it if it is a tensor, as backward() seeds).

Which inputs are data: see `data_inputs`. Time budget: the loop checks the deadline before every step
and stops early, returning the steps done with `stopped: "time_budget"` (a timeout error only when
not a single step fitted in the budget).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, replace

import numpy as np

from ..core.errors import EngineError
from ..core.gcpause import gc_paused
from ..core.graph import Graph, objective
from ..core.limits import DEFAULT_LIMITS, Deadline, Limits
from ..core.numeric import CheckedLabels, check_labels
from ..lang.build import build
from .landscape import loss_landscape
from .optimizers import initialize, make_optimizer
from .trainstep import TrainStep

# Inputs with these names are data, not parameters (the upper-case X and Y of the notes; the
# lower-case x and y of the gradient-descent bowl stay parameters).
DATA_NAME = re.compile(r"^(X|Y|data|labels?|targets?|inputs?)(_\w*|\d*)$")
TRAJECTORY_ELEMENTS = 64  # parameters up to this size are recorded in the trajectory
MAX_POINTS = 200
LANDSCAPE_SHARE = 0.25  # of the time budget, kept for the loss landscape when one is asked for


def data_inputs(graph: Graph) -> list[str]:
    """Inputs that are data: fed to a port the op's record calls data (labels, mse's target), named
    like data, or rows of data (X in X @ W, when it has as many rows as the labels or targets)."""
    found = {n for n in graph.inputs if DATA_NAME.match(n)}
    index_of = {i: n for n, i in graph.inputs.items()}
    by_rows = set()
    for i, op in enumerate(graph.ops):
        if op is None:
            continue
        for p, j in enumerate(graph.args[i]):
            if j not in index_of:
                continue
            port = op.params[min(p, len(op.params) - 1)]
            if graph.vjps[i][p] is None or port in op.data:
                found.add(index_of[j])
            elif port in op.rows:
                by_rows.add(index_of[j])
    rows = {graph.shapes[graph.inputs[n]][:1] for n in found} - {()}
    found |= {n for n in by_rows if graph.shapes[graph.inputs[n]][:1] in rows}
    return [n for n in graph.inputs if n in found]


class Batcher:
    """Rows of the data inputs per step: a fresh seeded permutation every epoch, remainder dropped."""

    def __init__(self, graph: Graph, full: dict, size: int, seed: int):
        self.items = [(graph.inputs[n], a) for n, a in full.items()]
        self.rows = len(next(iter(full.values())))
        self.size, self.seed, self.values = size, seed, graph.values
        self.epoch, self.perm = -1, None

    def load(self, t: int) -> None:
        """Write the rows of global step t into the graph; the same t always gives the same rows."""
        epoch, slot = divmod(t, self.rows // self.size)
        if epoch != self.epoch:
            self.epoch = epoch
            self.perm = np.random.default_rng([self.seed, 7, epoch]).permutation(self.rows)
        idx = self.perm[slot * self.size:(slot + 1) * self.size]
        for i, a in self.items:
            self.values[i] = a[idx]


def _batch_setup(full_graph: Graph, data: list[str], batch_size: int | None):
    """The data arrays to batch over, or None when the whole data set is used every step."""
    if not batch_size or not data:
        return None
    arrays = {n: full_graph.values[full_graph.inputs[n]] for n in data}
    lead = {np.shape(a)[:1] for a in arrays.values()}
    if len(lead) != 1 or lead == {()}:
        raise EngineError("batch_rows", kind="shape", names=list(data))
    rows = next(iter(lead))[0]
    if batch_size >= rows:
        return None
    return arrays


def _build_batched(source, values, arrays, size, limits, deadline) -> Graph:
    """The training graph, built with one batch of rows so every step's shapes match."""
    small = {**values, **{n: a[:size] for n, a in arrays.items()}}
    try:
        return build(source, small, limits=limits, deadline=deadline)
    except EngineError as e:
        if e.kind != "shape":
            raise
        raise EngineError("batch_shape", kind="shape", cause=e.as_param()) from None


def _check_labels(graph: Graph) -> dict[int, np.ndarray]:
    """Class labels fed by inputs must be whole numbers in range (batches are not checked again);
    returns, for each input used only as labels, its labels as integers."""
    checked, other = {}, set()
    for i, op in enumerate(graph.ops):
        port = None if op is None or op.labels is None else op.params.index(op.labels)
        other.update(a for p, a in enumerate(graph.args[i]) if p != port)
        if port is None or graph.kinds[lab := graph.args[i][port]] != "input":
            continue
        try:
            checked[lab] = check_labels(graph.values[lab], graph.shapes[graph.args[i][0]][-1])
        except EngineError as e:
            raise e.at(graph.pos[i]) from None
    # Marked as checked, labels (and the rows of them each step loads) skip check_labels' work.
    return {i: lab.view(CheckedLabels) for i, lab in checked.items() if i not in other}


def _choose_params(graph: Graph, params, data: list[str], steps: int) -> list[str]:
    """The requested parameters, checked; by default every input that is not data.

    None at all is only an error when there are steps to take (steps=0 asks for the defaults)."""
    if params is None:
        params = [n for n in graph.inputs if n not in data]
    unknown = [p for p in params if p not in graph.inputs]
    if unknown:
        raise EngineError("train_unknown", kind="name", names=list(unknown), inputs=list(graph.inputs))
    if not params and steps:
        raise EngineError("train_nothing", kind="value")
    return list(dict.fromkeys(params))


def _jsonable(v):
    """A float or array as plain JSON-ready data."""
    return v.tolist() if isinstance(v, np.ndarray) else float(v)


def _record_steps(steps: int, points: int) -> set[int]:
    """At most `points` evenly spread steps (0 = the start, `steps` = the end) to keep."""
    return {int(k) for k in np.linspace(0, steps, min(points, steps + 1)).round()}


@dataclass(frozen=True)
class TrainConfig:
    """How to train: which inputs (default: every input that is not data), the rule and its rate,
    how long, the seeds, mini-batches, random starts, a saved optimizer state and a loss landscape."""

    params: list[str] | None = None
    lr: float = 0.01
    steps: int = 100
    optimizer: str = "sgd"
    momentum: float = 0.9
    seed: int = 0
    batch_size: int | None = None
    init: dict | None = None
    state: dict | None = None
    max_points: int = MAX_POINTS
    landscape: dict | None = None


def optimize(source: str, values: dict | None = None, config: TrainConfig | None = None, *,
             limits: Limits | None = None, **settings) -> dict:
    """Train for `config.steps` updates (settings override config's fields by name); losses, final
    values, trajectory (see the module doc)."""
    cfg = replace(config or TrainConfig(), **settings)
    limits = limits or DEFAULT_LIMITS
    deadline = Deadline(limits.time_budget)
    if not (cfg.lr > 0 and math.isfinite(cfg.lr)):
        raise EngineError("learning_rate", kind="value")
    starts = initialize(cfg.init, cfg.seed, limits.max_tensor_elements, limits.max_total_elements)
    values = {**(values or {}), **starts}
    with np.errstate(all="ignore"):
        full, graph, names, data, batcher = _prepare(source, values, cfg, limits, deadline)
        changing = [] if batcher is None else [i for i, _ in batcher.items]
        opt = make_optimizer(cfg.optimizer, cfg.lr, names, cfg.state, cfg.momentum)
        run = _Run(graph, names, opt, cfg.max_points, changing)
        with gc_paused():  # a step allocates no reference cycles; collections only cost time
            run.loop(cfg.steps, _training_deadline(deadline, limits, cfg.landscape), batcher)
        result = run.result(full, data)
        result.update(batch_size=None if batcher is None else cfg.batch_size, optimizer=cfg.optimizer,
                      lr=cfg.lr)
        if cfg.landscape:
            result["landscape"] = loss_landscape(full, cfg.landscape, result["trajectory"], deadline)
            # Said, not silently null: the page and API clients tell "ran out of time" from "not asked".
            result["landscape_stopped"] = None if result["landscape"] else "time_budget"
    return result


def _training_deadline(deadline: Deadline, limits: Limits, landscape: dict | None) -> Deadline:
    """The deadline of the training loop: with a landscape to draw, a quarter of the budget is its."""
    if not landscape or deadline.end is None or limits.time_budget is None:
        return deadline
    return deadline.extended(-LANDSCAPE_SHARE * limits.time_budget)


def _prepare(source, values, cfg: TrainConfig, limits, deadline):
    """The full graph, the graph trained on (one batch of rows, or the full one), the parameters,
    the data inputs and the batcher (None without mini-batches)."""
    full = build(source, values, limits=limits, deadline=deadline)
    data = data_inputs(full)
    names = _choose_params(full, cfg.params, data, cfg.steps)
    data = [n for n in data if n not in names]
    arrays = _batch_setup(full, data, cfg.batch_size)
    if arrays is None:
        whole = _check_labels(full)
        for i in {full.inputs[n] for n in data} & whole.keys():
            full.values[i] = whole[i]
        return full, full, names, data, None
    graph = _build_batched(source, values, arrays, cfg.batch_size, limits, deadline)
    whole = _check_labels(full)  # every row once: batches are rows of checked data
    arrays.update({n: whole[full.inputs[n]] for n in arrays if full.inputs[n] in whole})
    return full, graph, names, data, Batcher(graph, arrays, cfg.batch_size, cfg.seed)


class _Run:
    """The state of one training run over a built graph."""

    def __init__(self, graph: Graph, names: list[str], opt, max_points: int, changing=()):
        self.graph, self.names, self.opt, self.max_points = graph, names, opt, max_points
        self.idx = [graph.inputs[n] for n in names]
        opt.check([graph.shapes[i] for i in self.idx])
        self.step = TrainStep(graph, self.idx, set(changing))
        self.losses: list[float] = []
        self.stopped: str | None = None
        self.before = self.grads = None
        small = [n for n, i in zip(names, self.idx) if math.prod(graph.shapes[i]) <= TRAJECTORY_ELEMENTS]
        self.tracked = [(n, graph.inputs[n]) for n in small]
        self.traj_steps: list[int] = []
        self.traj: dict[str, list] = {n: [] for n in small}

    def record(self, step: int) -> None:
        """Keep the tracked parameters' values at this step."""
        self.traj_steps.append(step)
        for n, i in self.tracked:
            self.traj[n].append(_jsonable(self.graph.values[i]))

    def loop(self, steps: int, deadline: Deadline, batcher: Batcher | None) -> None:
        """Up to `steps` updates; stops early at the deadline or when the loss stops being finite."""
        keep = _record_steps(steps, self.max_points)
        t0 = self.opt.t
        self.record(0)
        for done in range(1, steps + 1):
            if deadline.end is not None and time.monotonic() > deadline.end:
                self.stopped = "time_budget"
                break
            if batcher is not None:
                batcher.load(self.opt.t)
            if not self.update():
                self.stopped = "diverged"
                break
            if done in keep:
                self.record(done)
        if not self.losses and self.stopped == "time_budget" and steps:
            raise EngineError("train_no_step", kind="timeout")
        self.steps_done = self.opt.t - t0
        if self.traj_steps[-1] != self.steps_done:
            self.record(self.steps_done)

    def update(self) -> bool:
        """One forward, backward and update; False (and no update) when the loss is not finite."""
        step, vals, idx = self.step, self.graph.values, self.idx
        step.forward()
        step.backward()
        loss = objective(self.graph)
        self.losses.append(loss)
        if loss - loss != 0:
            return False
        grads = step.grads
        self.before = before = [vals[i] for i in idx]
        self.grads = [grads[i] for i in idx]
        for i, v in zip(idx, self.opt.step(before, self.grads)):
            vals[i] = v
        return True

    def result(self, full: Graph, data: list[str]) -> dict:
        """Losses, final values (every input but the data), trajectory, last step, optimizer state."""
        g = self.graph
        if full is not g:
            for n, i in zip(self.names, self.idx):
                full.values[full.inputs[n]] = g.values[i]
        full.deadline = Deadline(None)  # one last pass, already bounded by the element budgets
        full.forward()
        final = objective(full)
        step = None if self.before is None else {
            n: {"before": _jsonable(b), "grad": None if d is None else _jsonable(d),
                "after": _jsonable(g.values[i])}
            for n, i, b, d in zip(self.names, self.idx, self.before, self.grads)}
        return {
            "losses": self.losses, "final_loss": final, "steps": self.steps_done, "stopped": self.stopped,
            "params": self.names, "data": data,
            "values": {n: _jsonable(full.values[i]) for n, i in full.inputs.items() if n not in data},
            "trajectory": {"steps": self.traj_steps, "values": self.traj},
            "last_step": step, "state": self.opt.state(),
        }
