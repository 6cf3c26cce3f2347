"""The parser's sink: names, literals, shape checks and budgets, emitting graph nodes in order."""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from ..core.errors import EngineError
from ..core.graph import Graph
from ..core.limits import MAX_NDIM, Limits
from ..core.numeric import shape_param
from ..core.values import as_value
from ..ops.arith import CONSTANTS
from ..ops.nn import COMPOSITES
from ..ops.record import FUNCTIONS, OPS, SPELLINGS, operators
from ..syntax.dialect import KEYWORDS, keyword_error
from .forms import Forms, NoValue, Shape, Special, Star, spelled
from .functions import Calls, folded_calls
from .handwritten import LineNames, LineRecorder, is_backward
from .templates import template

_BINARY_OPS = {sym: OPS[name] for (sym, arity), name in operators().items() if arity == 2}


class Lit:
    """A literal not yet placed in the graph: `x = 3` makes it an input, `2 * x` a constant."""

    __slots__ = ("value", "pos")

    def __init__(self, value, pos):
        self.value, self.pos = value, pos


class Builder(Calls, Forms):
    """Receives post-order parser events and builds the graph, checking every budget first.

    `free`: None, or the value that names used but never assigned (nor given) take as inputs.
    """

    def __init__(self, values: dict | None, expand, limits: Limits, free=None, source: str = ""):
        self.graph = Graph()
        self.source, self.free_value = source, free
        self.target: str | None = None  # the name the current statement assigns
        self.rng, self.draws, self.marked = None, 0, None  # np.random.seed's generator; y.backward()
        self.line: LineRecorder | None = None  # the hand-written backward line being parsed
        self.values = dict(values or {})
        self.expand = _expand_ids(expand)
        self.limits = limits
        self.env: dict[str, object] = {}
        self.free: set[str] = set()  # names used before any assignment: inputs from `values`
        self.counter = 0
        self.inner: list | None = None  # [composite number, next sub-number] while expanding
        self.total = 0
        self.work = 0
        self.last = None
        self.functions: dict = {}  # name -> lang.functions.Function, the program's defs so far
        self.calling: list[str] = []  # the user functions being unrolled, outermost first
        self.scope: int | None = None  # in a call: the index of its first node (names inside it)
        self.body_statements = 0  # statements the calls' bodies ran, for the statement budget
        self.cost_memo: dict = {}

    # ---- parser events ----------------------------------------------------------------------

    def num(self, value: float, pos):
        """A number literal."""
        return Lit(value, pos)

    def name(self, ident: str, pos):
        """A name: a bound value, a constant, or (first use of an unbound name) an input."""
        h = self.env.get(ident)
        if h is not None:
            return h
        if ident in CONSTANTS:
            return Lit(CONSTANTS[ident], pos)
        module = self.module(ident, pos)
        if module is not None:
            return module
        if ident in KEYWORDS:
            raise keyword_error(ident).at(pos)
        if spelled(ident) or ident in self.functions:
            raise EngineError("function_name", *pos, "name", name=ident)
        if ident in self.graph.backward_names:
            raise EngineError("backward_name", *pos, "name", name=ident,
                              backward_line=self.graph.backward_names[ident])
        if ident not in self.values:
            if self.free_value is None:
                raise EngineError("unknown_name", *pos, "name", name=ident)
            self.graph.free.append(ident)
        i = self.leaf("input", self.values.get(ident, self.free_value), pos, ident)
        self.env[ident] = i
        self.free.add(ident)
        return i

    def unary(self, sym: str, h, pos):
        """Unary minus (folded into literals, so `y = -4` is an input) and unary plus."""
        if sym == "+":
            return h
        if sym == "*":
            if type(h) is not Shape:
                raise EngineError("star_shape", *pos, "value")
            return Star(h.what, pos)
        if isinstance(h, Lit):
            return Lit(-h.value, h.pos)
        return self.apply(OPS["neg"], [h], pos)

    def binary(self, sym: str, a, b, pos):
        """A binary operator."""
        op = _BINARY_OPS[sym]
        if a.__class__ is int and b.__class__ is int and op.local is not None:
            shapes = self.graph.shapes
            if shapes[a] == () == shapes[b]:
                return self.scalar_op(op, (a, b), pos)
        return self.apply(op, (a, b), pos)

    def call(self, fname: str, args: list, pos):
        """A function call in any spelling (exp, np.exp, math.exp), or a constructor (np.zeros)."""
        opname = FUNCTIONS.get(fname) or SPELLINGS.get(fname)  # spelled(), inline: once per call
        if opname is None:
            fn = self.functions.get(fname)
            if fn is not None:
                return self.call_function(fn, args, pos)
            made = self.construct(fname, args, pos)
            if made is None:
                raise self.call_unknown(fname, pos)
            return made
        return self.spell(self.op_call(fname, opname, args, pos), fname) if "." in fname else \
            self.op_call(fname, opname, args, pos)

    def op_call(self, fname: str, opname: str, args: list, pos):
        """An op called as `fname`: arity is checked, composites may be expanded into primitives."""
        op = OPS[opname]
        if len(args) == 1 == len(op.params) and op.local is not None and args[0].__class__ is int \
                and self.graph.shapes[args[0]] == () and (op.expansion is None or not self.expand
                                                           and self.scope is None):
            return self.scalar_op(op, (args[0],), pos)  # the commonest call: what the checks below end in
        if len(args) != len(op.params):
            code = "arity_one" if len(op.params) == 1 else "arity"
            raise EngineError(code, *pos, "arity", function=fname, expected=len(op.params),
                              params=list(op.params), count=len(args))
        if op.expansion:
            args = [self.node(h) for h in args]  # constants take their ids before the gate does
            if self._expanding():
                return self.expand_composite(op, args, pos)
            if self.scope is not None:
                return self.composite_in_call(op, args, pos)
        return self.apply(op, args, pos)

    def index(self, h, items: list, pos):
        """`x[i]` and `x[i, j]` with constant integer indices."""
        idx = []
        for it in items:
            # inf and NaN (1e999, a 400-digit index) have no int(): refused here, not an OverflowError.
            if not isinstance(it, Lit) or np.ndim(it.value) or not math.isfinite(it.value) \
                    or it.value != int(it.value):
                raise EngineError("index_constant", *pos, "value")
            idx.append(int(it.value))
        return self.apply(OPS["index"], [h], pos, attr=tuple(idx))

    def list(self, items: list, pos):
        """A list literal: numbers make a constant tensor, expressions are stacked."""
        if items and all(isinstance(it, Lit) for it in items):
            shapes = {np.shape(it.value) for it in items}
            if len(shapes) > 1:
                a, b = sorted(shapes, key=len)[:2]
                raise EngineError("ragged_list", *pos, "shape", a=shape_param(a), b=shape_param(b))
            self._budget(len(items) * math.prod(next(iter(shapes))), pos, 1 + len(next(iter(shapes))))
            return Lit(np.array([it.value for it in items], dtype=np.float64), pos)
        if not items:
            raise EngineError("empty_list", *pos, "value")
        return self.apply(OPS["stack"], items, pos)

    def begin(self, target: str, pos):
        """A statement assigning `target` starts: the sink for its right-hand side.

        `d<name> = …` for a name of the forward program is a line of the user's backward pass: it
        is built apart (a LineBuilder) and graded after the engine's own backward pass.
        """
        self.target = target
        if self.inner is None and is_backward(self, target):
            self.line = LineRecorder(self, target, pos, _LineBuilder(None, False, self.limits,
                                                                      source=self.source))
            return self.line.sink
        return self

    def augment(self, target: str, sym: str, h, pos) -> None:
        """`c += e` rebinds c to c + e (micrograd's and the CS231n notes' +=)."""
        if self.line is not None:
            self._end_line(sym + "=", h)
            return
        old = self.env.get(target)
        if old is None:
            raise EngineError("augment_unassigned", *pos, "name", name=target, symbol=sym)
        self.assign(target, self.binary(sym, old, h, pos), pos)

    def _end_line(self, how: str, h) -> None:
        """Record a finished backward line in the graph."""
        line, self.line = self.line, None
        self.graph.handwritten.append(line.finish(how, h))
        self.graph.backward_names.setdefault(line.target, line.pos[0])

    def assign(self, target: str, h, pos) -> None:
        """`name = expr`: a literal makes an input; an expression's node takes the name."""
        if self.line is not None:
            self._end_line("=", h)
            return
        if isinstance(h, Special):
            raise h.misuse()
        if target in self.free:
            raise EngineError("used_before_assigned", *pos, "name", name=target)
        if self.functions and target in self.functions:
            raise EngineError("def_assigned", *pos, "name", name=target,
                              def_line=self.functions[target].fdef.pos[0])
        if isinstance(h, Lit):
            if self.inner is not None:
                h = self.node(h)
            elif target in self.graph.inputs:
                raise EngineError("assigned_twice", *pos, "name", name=target)
            else:
                h = self.leaf("input", self.values.get(target, h.value), h.pos, target)
        elif self.graph.names[h] is None and (self.inner is None or (self.scope is not None
                                                                     and h >= self.scope)):
            self.graph.names[h] = target  # a body's own names show inside its call, not a composite's
        self.env[target] = h
        self.last = h
        if self.inner is None:
            self.graph.stmts.append((len(self.graph), target, pos, h if h.__class__ is int else None))

    def expr(self, h, pos) -> None:
        """An expression statement: its value is the output if it comes last."""
        if not isinstance(h, NoValue):
            self.last = h
            if self.inner is None:
                self.graph.stmts.append((len(self.graph), None, pos, h if h.__class__ is int else None))

    def finish(self) -> None:
        """End of program: fix the output and check that every given value was used."""
        if self.last is None and self.marked is None:
            raise EngineError("empty_program", 1, 1, "syntax")
        extra = sorted(set(self.values) - set(self.graph.inputs))
        if extra:
            # A few names are enough to act on; 200,000 of them made a 2 MB error.
            shown = [n[:40] + "…" if len(n) > 40 else n for n in extra[:5]]
            code = "extra_value" if len(extra) == 1 else \
                "extra_values" if len(extra) <= 5 else "extra_values_more"
            raise EngineError(code, kind="name", names=shown, more=len(extra) - len(shown))
        self.graph.output = self.marked if self.marked is not None else self.node(self.last)
        self._check_expand()
        self.graph.folded = folded_calls(self.graph, self.expand, None)

    def _check_expand(self) -> None:
        """Ids in `expand` must name composite gates of this program: a typo must not change nothing."""
        if isinstance(self.expand, bool) or not self.expand:
            return
        g = self.graph
        known = set(g.groups) | {key for key, op in zip(g.keys, g.ops) if op is not None and op.expansion}
        unknown = sorted(self.expand - known, key=str)
        if unknown:
            names = [str(n) for n in unknown[:3]] + (["…"] if len(unknown) > 3 else [])
            shown = sorted(known)[:5] + (["…"] if len(known) > 5 else [])
            raise EngineError("expand_unknown" if known else "expand_none", kind="value", names=names,
                              composites=shown)

    # ---- node creation ----------------------------------------------------------------------

    def next_key(self) -> str:
        """Stable ids: top-level nodes count up; nodes inside an expansion are n<k>.<j>."""
        if self.inner is not None:
            k, j = self.inner
            self.inner[1] += 1
            return f"n{k}.{j}"
        self.counter += 1
        return f"n{self.counter - 1}"

    def node(self, h) -> int:
        """A handle as a node index, placing a pending literal as a constant."""
        if isinstance(h, Lit):
            return self.leaf("const", h.value, h.pos)
        if isinstance(h, Special):
            raise h.misuse()
        return h

    def leaf(self, kind: str, value, pos, name: str | None = None) -> int:
        """An input or constant node with its value (its size checked before it becomes an array)."""
        if isinstance(value, list):
            self._budget(_nominal_size(value), pos)
            self.total -= _nominal_size(value)  # charged below, once the shape is known for sure
        value = as_value(value, name)
        shape = () if type(value) is float else value.shape
        self._budget(math.prod(shape), pos, len(shape))
        i = self.graph.add(self.next_key(), None, kind, (), shape, pos, value=value, name=name,
                           req=kind == "input")
        if kind == "input":
            self.graph.inputs[name] = i
        return i

    def apply(self, op, handles: list, pos, attr=None) -> int:
        """An op node: shapes checked and budgets charged before anything is computed."""
        g = self.graph
        args = tuple([h if h.__class__ is int else self.node(h) for h in handles])
        shapes = [g.shapes[j] for j in args]
        if op.local is not None and not any(shapes):
            return self.scalar_op(op, args, pos)
        try:
            shape = op.shape(*shapes, attr) if op.with_attr else op.shape(*shapes)
        except EngineError as e:
            raise e.at(pos) from None
        # Each differentiable edge carries back a contribution of its input's shape: no larger than
        # the gate's own value for elementwise gates, but sum(x) or x[0] send all of x's shape from
        # a scalar, so what an edge sends beyond the gate's size is charged too, before any is made.
        size = math.prod(shape)
        sent = sum(max(math.prod(shapes[p]) - size, 0) for p, j in enumerate(args)
                   if g.req[j] and (op.variadic or op.vjps[p] is not None))
        self._budget(size + sent, pos, len(shape), size)
        if op.cost is not None:
            self._charge_work(op.cost(*shapes), pos)
        fwd, vjps = op.bind() if op.bind is not None else (op.forward, op.vjps_for(shapes))
        if op.with_attr:
            fwd, vjps = partial(fwd, attr), tuple(partial(v, attr) for v in vjps)
        elif op.variadic:
            vjps = tuple(partial(op.vjps[0], p) for p in range(len(args)))
        req = any(g.req[j] and v is not None for j, v in zip(args, vjps))
        return g.add(self.next_key(), op, "op", args, shape, pos, fwd=fwd, vjps=vjps, req=req)

    def scalar_op(self, op, args: tuple, pos) -> int:
        """The commonest node: scalars in, scalar out, through an op with a float fast path."""
        g = self.graph
        self.total += 1
        if len(g.keys) >= self.limits.max_nodes:
            self._budget(1, pos)
        if self.inner is None:
            k = self.counter
            self.counter = k + 1
            return g.add_scalar_op(f"n{k}", op, args, pos)
        return g.add_scalar_op(self.next_key(), op, args, pos)

    def _budget(self, elements: int, pos, ndim: int = 0, largest: int | None = None) -> None:
        """Charge new tensors (the largest of them `largest`) against the tensor, total and node budgets."""
        lim = self.limits
        largest = elements if largest is None else largest
        if largest > lim.max_tensor_elements:
            raise EngineError("tensor_elements", *pos, "budget", elements=largest,
                              limit=lim.max_tensor_elements)
        if ndim > MAX_NDIM:
            raise EngineError("tensor_axes", *pos, "budget", axes=ndim, limit=MAX_NDIM)
        self.total += elements
        if self.total > lim.max_total_elements:
            raise EngineError("total_elements", *pos, "budget", limit=lim.max_total_elements)
        if len(self.graph) >= lim.max_nodes:
            raise EngineError("nodes", *pos, "budget", limit=lim.max_nodes)

    def _charge_work(self, work: int, pos) -> None:
        """Charge an op's multiply-adds (forward and backward, from its record's cost) to the budget."""
        self.work += work
        if self.work > self.limits.max_matmul_work:
            raise EngineError("matmul_work", *pos, "budget", limit=self.limits.max_matmul_work)

    # ---- composites -------------------------------------------------------------------------

    def _expanding(self) -> bool:
        """Whether the composite about to be created is to be expanded."""
        if self.expand is True:
            return True
        return bool(self.expand) and f"n{self.counter}" in self.expand

    def expand_composite(self, op, handles: list, pos) -> int:
        """Emit a composite's primitive expansion; its last node keeps the composite's id."""
        args = [self.node(h) for h in handles]
        g, k = self.graph, self.counter
        self.counter += 1
        first = len(g)
        saved = self.env, self.inner, self.free, self.scope
        self.env, self.inner, self.free, self.scope = dict(zip(op.params, args)), [k, 0], set(), None
        try:
            out = template(op.expansion).replay(self, pos)
        finally:
            self.env, self.inner, self.free, self.scope = saved
        assert out == len(g) - 1, "an expansion ends with its own last node"
        key = g.keys[out] = f"n{k}"
        for i in range(first, len(g)):
            g.group[i] = key
        g.groups[key] = {"op": op.name, "nodes": g.keys[first:], "inputs": [g.keys[j] for j in args]}
        return out


def _nominal_size(value: list) -> int:
    """Elements of a nested list judged by its first elements (NumPy refuses ragged ones anyway)."""
    size = 1
    for _ in range(MAX_NDIM + 1):
        if not isinstance(value, list):
            break
        size *= len(value)
        value = value[0] if value else None
    return size


class _LineBuilder(LineNames, Builder):
    """The builder of one hand-written backward line's right-hand side."""


def _expand_ids(expand) -> bool | frozenset:
    """`expand` as True/False or a set of node ids."""
    if isinstance(expand, bool):
        return expand
    try:
        return frozenset(expand or ())
    except TypeError:
        raise EngineError("expand_type", kind="value") from None


assert set(COMPOSITES) <= set(OPS)
