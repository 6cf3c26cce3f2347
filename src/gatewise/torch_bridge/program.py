"""A recording written as Gatewise source: names for every value, literals for constants."""

from __future__ import annotations

from gatewise.engine import FUNCTIONS
from gatewise.engine.ops.arith import CONSTANTS

from .literals import identifier, literal
from .trace import Recording, Stmt, Var

_LOSSES = {"mse_loss", "cross_entropy"}
_RESERVED = set(FUNCTIONS) | set(CONSTANTS) | {"T"}


class Namer:
    """Unique names: inputs from their origin, results from their module or their PyTorch call."""

    def __init__(self):
        self.taken: set[str] = set(_RESERVED)
        self.counts: dict[str, int] = {}

    def fixed(self, base: str) -> str:
        """A name as given where it is free, else with _2, _3 … appended."""
        name, k = base, 1
        while name in self.taken:
            k += 1
            name = f"{base}_{k}"
        self.taken.add(name)
        return name

    def numbered(self, base: str) -> str:
        """An op's result: relu1, relu2, …"""
        while True:
            self.counts[base] = self.counts.get(base, 0) + 1
            name = f"{base}{self.counts[base]}"
            if name not in self.taken:
                self.taken.add(name)
                return name


def live(rec: Recording, out: Var) -> list[Stmt]:
    """The statements the output depends on, in order (the program ends with the output)."""
    needed, keep = {id(out)}, []
    for s in reversed(rec.stmts):
        if id(s.out) in needed:
            keep.append(s)
            needed.update(id(a) for a in s.args if isinstance(a, Var))
    return keep[::-1]


def write(rec: Recording, stmts: list[Stmt], prefix: str) -> tuple[str, dict, dict]:
    """The program text, the inputs' values and the names' origins."""
    used = {id(a) for s in stmts for a in s.args if isinstance(a, Var)}
    namer, values, names = Namer(), {}, {}
    for var, tensor in rec.inputs:
        if id(var) in used:
            var.name = namer.fixed(identifier(_strip(var.base, prefix, leaf=True)))
            values[var.name] = tensor.detach().tolist()
            names[var.name] = var.origin
    for s in stmts[:-1]:
        module = s.out.module and _strip(s.out.module, prefix)
        s.out.name = namer.fixed(identifier(module)) if module else \
            namer.numbered(identifier(s.out.base.lower()))
    last = stmts[-1]
    module = last.out.module and _strip(last.out.module, prefix)
    last.out.name = namer.fixed("loss" if last.out.base in _LOSSES else
                                identifier(module) if module else "out")
    return _text(stmts, names), values, names


def _strip(path: str, prefix: str, leaf: bool = False) -> str:
    """model.fc1 -> fc1 and model.fc1.weight -> fc1.weight when a function uses one model; a
    parameter of the model itself keeps its module's name (lin.weight, not weight)."""
    rest = path[len(prefix):] if prefix and path.startswith(prefix) else path
    return path if leaf and "." not in rest else rest


def _text(stmts: list[Stmt], names: dict) -> str:
    """Header, then one statement per PyTorch call with its source line as a comment."""
    lines = [f"{s.out.name} = {_rhs(s)}" for s in stmts]
    width = min(max(map(len, lines)), 72)
    body = [f"{line:<{width}}  # {s.where}" for line, s in zip(lines, stmts)]
    origins = ", ".join(f"{name} = {origin}" for name, origin in names.items())
    header = ["# From PyTorch by gatewise.from_torch: one statement per PyTorch call, in float64.",
              *_wrap(f"# inputs: {origins}")]
    return "\n".join(header + body) + "\n"


def _rhs(s: Stmt) -> str:
    return s.template.format(*(a.name if isinstance(a, Var) else literal(a) for a in s.args))


def _wrap(text: str, width: int = 100) -> list[str]:
    """A long comment over several lines, broken after commas."""
    lines, line = [], ""
    for part in text.split(", "):
        if line and len(line) + len(part) + 2 > width:
            lines.append(line + ",")
            line = "#   " + part
        else:
            line = f"{line}, {part}" if line else part
    return lines + [line]
