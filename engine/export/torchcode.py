"""A program as PyTorch: its forward pass, one line per gate, for autograd to differentiate.

Each line is written from the op record's `torch` spelling. The file defines `program(...)`, a
function of the inputs' tensors; `Program`, an `nn.Module` holding the chosen inputs as parameters;
`VALUES`, the inputs' values; and run on its own it prints the output and every input's gradient
(of the sum, for a tensor output, as Gatewise seeds it). Everything is float64. The text is for the
user to run: the server only writes it, and needs no PyTorch to do so.
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
from collections import defaultdict

import numpy as np

from ..core.errors import EngineError
from ..core.graph import Graph
from ..core.limits import Limits
from ..lang.build import build
from .codefuncs import call_starts, scope_items

_NAME = "@fn@"  # a function's name in its text until the name is chosen

RESERVED = set(keyword.kwlist) | set(dir(builtins)) | {"torch", "F", "const", "program", "Program",
                                                      "VALUES", "INPUTS", "PARAMS", "self"}


def number(v: float) -> str:
    """A float as Python that gives the same float (inf and NaN spelled out)."""
    v = float(v)
    if math.isnan(v):
        return "float('nan')"
    if math.isinf(v):
        return "float('inf')" if v > 0 else "float('-inf')"
    return repr(v)


def nested(value) -> str:
    """A tensor's value as a nested list of exact floats."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list):
        return "[" + ", ".join(map(nested, value)) + "]"
    return number(value)


class _Names:
    """Python identifiers: the program's own names where they are free."""

    def __init__(self):
        self.taken = set(RESERVED)

    def new(self, base: str | None, fallback: str) -> str:
        name = base if base and base.isidentifier() else fallback
        while name in self.taken:
            name += "_"
        self.taken.add(name)
        return name


def _spell(op, args: list[str], shapes: list[tuple], attr) -> str:
    """The right-hand side of one gate, from its op record."""
    if op.torch is None:
        raise EngineError("export_torch", kind="value", op=op.name)
    if callable(op.torch):
        return op.torch(args, shapes, attr)
    return re.sub(r"\$(\d+)", lambda m: args[int(m.group(1))], op.torch)


def _operand(graph: Graph, j: int, var: list[str], in_call: bool) -> str:
    """An input of a gate: a variable, or a constant (a tensor where PyTorch needs one)."""
    if var[j]:
        return var[j]
    v = graph.values[j]
    if isinstance(v, np.ndarray) or in_call:
        return f"const({nested(v)})"
    text = number(v)
    return f"({text})" if text.startswith(("-", "float('-")) else text


def _gate(graph: Graph, i: int, names: _Names, var, first: int = 0, out: int = -1) -> str:
    """One gate's line, from its op record (unnamed values numbered from the scope's first node)."""
    op, ins = graph.ops[i], graph.args[i]
    # A gate of constants alone: its first operand is a tensor, so 1/0 is inf as in Gatewise.
    only_consts = all(not var[j] for j in ins)
    in_call = op.torch is None or callable(op.torch) or not op.torch.startswith("$")
    args = [_operand(graph, j, var, in_call or (only_consts and k == 0)) for k, j in enumerate(ins)]
    attr = graph.fwd[i].args[0] if op.with_attr else None
    rhs = _spell(op, args, [graph.shapes[j] for j in ins], attr)
    var[i] = names.new(graph.names[i] if i != out else None, f"{op.name}{i - first}")
    return f"{var[i]} = {rhs}"


class _Defs:
    """A Python function per def (one per distinct text), and the calls of them in a scope."""

    def __init__(self, graph: Graph, names: _Names):
        self.graph, self.names = graph, names
        self.index = {key: i for i, key in enumerate(graph.keys)} if graph.functions else {}
        self.starts = call_starts(graph, self.index)
        names.taken |= set(graph.functions)
        self.texts: dict[str, str] = {}  # a function's text -> its name
        self.order: list[str] = []  # the functions' texts, in the order they are first used
        self.count: dict[str, int] = {}  # def -> how many versions of it were written

    def scope(self, lo: int, hi: int, names: _Names, var, own: str | None = None, out: int = -1) -> list[str]:
        """The lines of nodes lo..hi: a gate per op, a call per call of a def directly in it."""
        lines, first = [], 0 if own is None else lo
        for what, i in scope_items(self.starts, lo, hi, own):
            if what == "call":
                lines.append(f"    {self._call(i, names, var, first)}")
            elif self.graph.ops[i] is not None:
                lines.append(f"    {_gate(self.graph, i, names, var, first, out)}")
        return lines

    def _call(self, gid: str, names: _Names, var, first: int) -> str:
        """`h = layer(X, W1, b1)`."""
        g, grp = self.graph, self.graph.groups[gid]
        args, out = [self.index[k] for k in grp["inputs"]], self.index[grp["output"]]
        fname = self._function(gid, args, out)
        var[out] = names.new(g.names[out], f"{grp['op']}{out - first}")
        return f"{var[out]} = {fname}({', '.join(_operand(g, j, var, True) for j in args)})"

    def _function(self, gid: str, args: list[int], out: int) -> str:
        """The name of the function this call's body reads as (written once per distinct text)."""
        g, grp = self.graph, self.graph.groups[gid]
        local, var = _Names(), defaultdict(str)
        local.taken |= self.names.taken  # a local never hides a function
        params = [local.new(p, "p") for p in g.functions[grp["op"]]["params"]]
        for p, j in zip(params, args):
            var.setdefault(j, p)  # one value passed twice is read through its first parameter
        body = self.scope(self.index[grp["nodes"][0]], self.index[grp["nodes"][-1]], local, var, gid, out)
        text = "\n".join([f"def {_NAME}({', '.join(params)}):",
                          f'    """{grp["op"]} (def, line {g.functions[grp["op"]]["line"]})."""', *body,
                          f"    return {_operand(g, out, var, True)}", "", ""])
        if text not in self.texts:
            count = self.count[grp["op"]] = self.count.get(grp["op"], 0) + 1
            self.texts[text] = grp["op"] if count == 1 else self.names.new(f"{grp['op']}_{count}", "f")
            self.order.append(text.replace(_NAME, self.texts[text]))
        return self.texts[text]


def to_torch(source: str, values: dict | None = None, params: list[str] | None = None, expand=False,
             limits: Limits | None = None) -> str:
    """A program as a PyTorch file (text: writing it needs no PyTorch); see generate_torch."""
    graph = build(source, values, expand=expand, limits=limits)
    with np.errstate(all="ignore"):  # 1/0 is inf, as in evaluate
        graph.forward()  # a program that cannot run (a label out of range) fails here, not in PyTorch
    return generate_torch(graph, params)


def _differentiable(graph: Graph) -> set[int]:
    """Inputs that reach some gate through a differentiable edge (class labels do not)."""
    return {j for i, ins in enumerate(graph.args) if graph.ops[i] is not None
            for j, v in zip(ins, graph.vjps[i]) if v is not None and graph.kinds[j] == "input"}


def generate_torch(graph: Graph, params: list[str] | None = None, title: str | None = None) -> str:
    """The PyTorch file for a built graph; `params` are the inputs the module holds as parameters
    (default: every input with a gradient; the others, class labels, are forward's arguments)."""
    names, n = _Names(), len(graph)
    var = [""] * n
    inputs = list(graph.inputs)
    for name in inputs:
        var[graph.inputs[name]] = names.new(name, "x")
    grads = _differentiable(graph)
    held = [p for p in inputs if graph.inputs[p] in grads] if params is None else \
        [p for p in inputs if p in set(params)]
    unknown = sorted(set(params or ()) - set(inputs))
    if unknown:
        raise EngineError("export_params", kind="name", names=list(unknown))
    defs = _Defs(graph, names)
    body = defs.scope(0, n - 1, names, var)
    if not body:
        raise EngineError("export_no_gate", kind="value")
    pyname = {name: var[graph.inputs[name]] for name in inputs}
    values = {name: graph.values[graph.inputs[name]] for name in inputs}
    return _assemble(title, inputs, held, pyname, values, body, var[graph.output], defs.order)


def _assemble(title, inputs, held, pyname, values, body, out, functions) -> str:
    """The whole file: imports, the function, the module, the values, and a __main__ that checks."""
    args = ", ".join(pyname[n] for n in inputs)
    data = [n for n in inputs if n not in held]
    lines = [f"# {title or 'Gatewise program as PyTorch: the forward pass; autograd gives the gradients'}",
             "# Runs on its own: python this_file.py (needs torch). Every value is float64.",
             "import torch", "import torch.nn.functional as F", "", "",
             "def const(value):", '    """A constant of the program: no gradient."""',
             "    return torch.tensor(value, dtype=torch.float64)", "", "",
             *functions,
             f"def program({args}):", '    """The forward pass, one line per gate."""', *body,
             f"    return {out}", "", "",
             f"INPUTS = {inputs!r}  # program's arguments, in order (Gatewise names)",
             f"PARAMS = {held!r}  # the inputs Program holds as parameters",
             "VALUES = {", *[f"    {n!r}: {nested(v)}," for n, v in values.items()], "}", "", ""]
    lines += _module(inputs, held, data, pyname)
    lines += ["", "", 'if __name__ == "__main__":',
              "    leaves = {n: const(VALUES[n]).requires_grad_() for n in INPUTS}",
              "    out = program(*[leaves[n] for n in INPUTS])",
              "    (out if out.ndim == 0 else out.sum()).backward()  # a tensor output: d sum(out)",
              f'    print("{out} =", out.tolist())',
              "    for n, leaf in leaves.items():",
              '        print(f"d{n} =", None if leaf.grad is None else leaf.grad.tolist())']
    return "\n".join(lines) + "\n"


def _module(inputs, held, data, pyname) -> list[str]:
    """class Program(nn.Module): the held inputs as parameters; the others are forward's arguments."""
    call = ", ".join(f"self.{pyname[n]}" if n in held else pyname[n] for n in inputs)
    lines = ["class Program(torch.nn.Module):",
             '    """The program as a module: PARAMS are its parameters, set to their VALUES."""', "",
             "    def __init__(self):", "        super().__init__()"]
    lines += [f"        self.{pyname[n]} = torch.nn.Parameter(const(VALUES[{n!r}]))" for n in held]
    lines += ["", f"    def forward(self{''.join(', ' + pyname[n] for n in data)}):",
              f"        return program({call})"]
    return lines
