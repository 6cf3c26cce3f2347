"""Grade a hand-written backward pass line by line against the engine's own gradients.

A line `dx = …` or `dx += …` is compared with the gradient of x *so far*: the sum of the
contributions x receives from the forward statements the user has accounted for. Which statements
a line accounts for is read from its value (the branch whose contribution it equals), else from the
d-names it uses (`dsigx` is the branch through sigx = …), else the latest one not yet handled (the
order reverse mode goes in). The last line of a name is compared with the full gradient. A wrong
line is diagnosed: an `=` that drops an earlier branch, a missing upstream factor, a transposed or
sign-flipped product, a shape, or a mistake inherited from an earlier line.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import combinations

import numpy as np

from ..core.graph import Graph
from ..core.messages import message
from ..export.serialize import jsonable
from .diagnose import diagnose, matmul_hint, said
from .linevalues import close, combine, run_line, zero

MAX_SUBSETS = 8  # branches searched in combination; beyond that, singletons and all of them


def given_seed(graph: Graph):
    """The output's gradient if the user gives it (dD = np.random.randn(*D.shape)), and its verdicts."""
    out, seed, grades = graph.output, None, []
    shape = graph.shapes[out]
    for line in graph.handwritten:
        if line.node != out:
            continue
        verdict = _record(graph, line, "given", None, said("grade_given", target=line.target, name=line.name))
        if line.error is None and any(kind == "backward" for kind, _ in line.refs.values()):
            verdict.update(verdict="error", **said("grade_given_backward", target=line.target))
        elif line.error is None:
            value = combine(line.how, seed if seed is not None else zero(shape), run_line(
                line, {n: graph.values[ref] for n, (_, ref) in line.refs.items()}, graph.deadline))
            try:
                seed = value if np.shape(value) == shape else np.broadcast_to(value, shape).copy()
                verdict["value"] = jsonable(seed)
            except ValueError:
                verdict.update(verdict="error", **said("grade_given_shape", target=line.target,
                                                       shape=str(np.shape(value)), name=line.name,
                                                       expected=str(shape)))
        grades.append(verdict)
    return seed, grades


def _record(graph: Graph, line, verdict: str, mistake, text: dict) -> dict:
    """A line's verdict as JSON-ready data (values filled in by the caller); text: said(…)."""
    if line.error is not None:
        verdict, text = "error", said(line.error.code, **line.error.params)
    return {"line": line.pos[0], "column": line.pos[1], "target": line.target, "name": line.name,
            "node": graph.keys[line.node], "how": line.how, "verdict": verdict, "mistake": mistake,
            **text, "value": None, "expected": None, "gates": []}


class _Name:
    """What the user's d-name holds so far, and what it should hold."""

    def __init__(self, user, expected, accounted=frozenset(), line=None):
        self.user, self.expected, self.accounted, self.line = user, expected, accounted, line
        self.last: dict | None = None  # the verdict of its latest line

    @property
    def wrong(self) -> bool:
        return not close(self.user, self.expected)


class Grader:
    """Walks the hand-written lines in order, keeping each d-name's value and its due."""

    def __init__(self, graph: Graph):
        self.g = graph
        self.ends = [stmt[0] for stmt in graph.stmts]
        self.state: dict[str, _Name] = {}
        self.branches = self._branches({line.node for line in graph.handwritten})
        self.nodes = {line.target: line.node for line in graph.handwritten}  # d-name -> its node
        out = graph.output
        for line in graph.handwritten:
            if line.node == out:  # the given upstream gradient: what it says, by definition
                self.state[line.target] = _Name(graph.grads[out], graph.grads[out], line=line.pos[0])

    def _branches(self, nodes: set) -> dict:
        """Per node: {statement: (contribution, [gate ids])} over the gates that read it."""
        g, found = self.g, {j: {} for j in nodes}
        for i, args in enumerate(g.args):
            sent = g.contribs[i] if i < len(g.contribs) else None
            for p, j in enumerate(args):
                if j in found and sent is not None and sent[p] is not None:
                    s = bisect_right(self.ends, i)
                    c, gates = found[j].get(s, (0.0, []))
                    found[j][s] = (c + sent[p], gates + [f"{g.keys[i]}:{p}"])
        return found

    def statement(self, s: int) -> dict:
        """A forward statement, as messages name it (a message parameter)."""
        _, target, pos, _ = self.g.stmts[s]
        return message("stmt", target=target, stmt_line=pos[0]) if target else \
            message("stmt_output", stmt_line=pos[0])

    def stmt_of(self, node: int) -> int:
        """The forward statement that created a node."""
        return bisect_right(self.ends, node)

    def grade(self) -> list[dict]:
        """Every line's verdict, then the last line of each name checked against the full gradient."""
        grades = [self.line(line) for line in self.g.handwritten if line.node != self.g.output]
        for name in self.state.values():
            if name.last is not None and name.last["verdict"] == "right":
                self._complete(name)
        return grades

    def line(self, line) -> dict:
        """One line's verdict."""
        verdict = _record(self.g, line, "right", None, {"message": "", "code": None, "params": {}})
        name = self.state.get(line.target)
        if line.error is not None or (line.how != "=" and name is None):
            if line.error is not None and line.error.kind == "shape":
                hint = matmul_hint(self, line.node, set(self.branches[line.node]))
                verdict.update(mistake="shape", **said("grade_shape_error", cause=line.error.as_param(),
                                                       hint=hint))
            elif line.error is None:
                verdict.update(verdict="error", **said("grade_augment_first", target=line.target,
                                                       how=line.how))
            self.state[line.target] = _Name(None, None, line=line.pos[0])
            return verdict
        values, true = self._inputs(line)
        if values is not None and line.how != "=" and name.user is None:
            values, true = None, said("grade_unknown_line", name=line.target, error_line=name.line)
        if values is None:
            verdict.update(verdict="error", **true)
            self.state[line.target] = _Name(None, None, line=line.pos[0])
            return verdict
        return self._judge(line, verdict, name, run_line(line, values, self.g.deadline), values,
                           true)

    def _inputs(self, line):
        """The user's values for the names a line reads, and the values they should have had."""
        values, true = {}, {}
        for n, (kind, ref) in line.refs.items():
            if kind == "forward":
                values[n] = true[n] = self.g.values[ref]
                continue
            held = self.state.get(ref)
            if held is None or held.user is None:
                return None, said("grade_unknown", name=ref)
            values[n], true[n] = held.user, held.expected
        return values, true

    def _judge(self, line, verdict: dict, name, rhs, values: dict, true: dict) -> dict:
        """Match the line's increment with the branches it accounts for, and judge it."""
        shape = self.g.shapes[line.node]
        fresh = line.how == "=" or name is None
        base_user = zero(shape) if fresh else name.user
        base_acc = frozenset() if fresh else name.accounted
        base_exp = zero(shape) if fresh else name.expected
        user = combine(line.how, base_user, rhs)
        branches = self.branches[line.node]
        remaining = {s: v for s, v in branches.items() if s not in base_acc}
        inc = rhs if line.how in ("=", "+=") else np.subtract(user, base_user)
        intended = self._intended(line, remaining)
        matched = self._match(inc, remaining, intended)
        chosen = matched or intended or ({max(remaining)} if remaining else set())
        lost = (name.accounted - chosen) if (line.how == "=" and name is not None) else frozenset()
        accounted = base_acc | chosen | lost
        expected = sum((branches[s][0] for s in sorted(accounted)), zero(shape))
        verdict.update(value=jsonable(user), expected=jsonable(expected),
                       gates=[gate for s in sorted(chosen) for gate in branches[s][1]])
        if close(user, expected):
            verdict.update(self._right(line, chosen))
        else:
            ctx = {"line": line, "user": user, "expected": expected, "inc": inc, "chosen": chosen,
                   "matched": matched, "lost": lost, "name": name, "base_exp": base_exp,
                   "values": values, "true": true, "grader": self}
            verdict.update(verdict="wrong", **diagnose(ctx))
        held = self.state[line.target] = _Name(user, expected, accounted, line.pos[0])
        held.last = verdict
        return verdict

    def _intended(self, line, remaining: dict) -> set:
        """The branches named by the d-names the line reads (dsigx: the branch through sigx)."""
        found = {self.stmt_of(self.nodes[ref]) for kind, ref in line.refs.values() if kind == "backward"}
        return found & set(remaining)

    def _match(self, inc, remaining: dict, intended: set):
        """The set of branches whose contributions add up to the line's increment, or None."""
        keys = sorted(remaining, reverse=True)
        tries = ([intended] if intended else []) + [{s} for s in keys] + [set(keys)]
        if len(keys) <= MAX_SUBSETS:
            tries += [set(c) for r in range(2, len(keys)) for c in combinations(keys, r)]
        for subset in tries:
            if subset and close(inc, sum((remaining[s][0] for s in sorted(subset)), 0.0)):
                return subset
        return None

    def _right(self, line, chosen: set) -> dict:
        """The message of a right line: which branch it accounted for."""
        if not chosen:
            return said("grade_right_zero", name=line.name, target=line.target)
        return said("grade_right", via=[self.statement(s) for s in sorted(chosen)])

    def _complete(self, name: _Name) -> None:
        """A name's last line must hold the whole gradient: flag the branches never added."""
        v = name.last
        line = next(h for h in self.g.handwritten if h.target == v["target"])
        full = self.g.grads[line.node]
        full = zero(self.g.shapes[line.node]) if full is None else full
        if close(name.user, full):
            return
        missing = sorted(set(self.branches[line.node]) - set(name.accounted))
        where = [self.statement(s) for s in missing] or message("another_branch")
        v.update(verdict="wrong", mistake="incomplete", expected=jsonable(full),
                 **said("grade_incomplete", target=v["target"], name=line.name, where=where))


def grade(graph: Graph) -> list[dict]:
    """The verdict on each hand-written line (after forward and backward), in program order."""
    return Grader(graph).grade()
