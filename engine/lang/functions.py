"""User-defined functions: each call replays the recorded body into the graph as a group that folds.

Scope: a body sees its parameters, the names it assigns, constants (pi, e) and the modules, and
nothing of the program around it. Python would let a body read the program's names; Gatewise does
not, so that a folded call's wires are exactly its arguments (a global read would be a hidden input
of the block) and a function means the same wherever it is called. Calls are unrolled, so recursion
is refused; a body may call functions defined after it (resolved when the call runs, as in Python).
"""

from __future__ import annotations

import re

from ..core.errors import EngineError
from ..ops.arith import CONSTANTS
from ..syntax.defs import FunctionDef, Ref
from ..syntax.dialect import KEYWORDS, MODULES
from .forms import CONSTRUCTORS, spelled, unknown_function

# A program of more than FOLD_ABOVE nodes opens with the calls of every function called at least
# twice folded: a 2,000-gate program of repeated layers opens as an overview of its blocks.
FOLD_ABOVE = 200
MAX_CALL_DEPTH = 64  # calls inside calls, at most: each level is a few frames of Python's stack
_NODE_EVENTS = frozenset({"binary", "call", "method", "index"})  # each makes at least one node


class Function:
    """A defined function: its parsed definition and what one call costs, at least, in the budgets."""

    def __init__(self, fdef: FunctionDef, calls: frozenset):
        self.fdef, self.name, self.params = fdef, fdef.name, fdef.params
        self.callees = calls  # user-function names its body calls (resolved at each call)
        self.cost: dict[tuple, tuple[int, int, int]] = {}  # argument shapes -> (nodes, elements, work)
        self.calls: list[str] = []  # the group ids of its calls, in order


def check_body(fdef: FunctionDef, known: dict) -> frozenset:
    """Check a body's names before any call: the user functions it calls, or a scope error."""
    bound, calls = set(fdef.params), set()
    for method, args in fdef.events:
        if method == "name":
            _check_name(fdef, args[0], args[1], bound, known)
        elif method in ("assign", "augment"):
            if method == "augment" and args[0] not in bound:
                raise EngineError("def_augment_unassigned", *args[-1], "name", name=args[0], symbol=args[1],
                                  function=fdef.name)
            bound.add(args[0])
        elif method == "call" and spelled(args[0]) is None and args[0] not in CONSTRUCTORS:
            if args[0] == fdef.name:
                raise EngineError("def_recursion", *args[-1], "name", function=fdef.name)
            calls.add(args[0])
    return frozenset(calls)


def _check_name(fdef: FunctionDef, ident: str, pos, bound: set, known: dict) -> None:
    """A name read in a body: bound there, a constant or a module; else a clear error."""
    if ident in bound or ident in CONSTANTS or ident in MODULES or ident in KEYWORDS:
        return  # keywords are refused with their own message when the body is built
    if spelled(ident) or ident in known:
        raise EngineError("function_name", *pos, "name", name=ident)
    raise EngineError("def_scope" if fdef.params else "def_scope_none", *pos, "name", name=ident,
                      function=fdef.name, params=list(fdef.params))


def cycle(start: str, functions: dict) -> list[str] | None:
    """A path start -> … -> start through the bodies' calls among defined functions, or None."""
    stack, seen = [(start, [start])], set()
    while stack:
        name, path = stack.pop()
        for callee in sorted(functions[name].callees) if name in functions else ():
            if callee == start:
                return [*path, start]
            if callee not in seen:
                seen.add(callee)
                stack.append((callee, [*path, callee]))
    return None


def defined_later(source: str, name: str) -> int | None:
    """The line of a `def name(` further on in the program, if there is one."""
    m = re.search(rf"^[ \t]*def[ \t]+{re.escape(name)}[ \t]*\(", source, re.MULTILINE)
    return None if m is None else source.count("\n", 0, m.start()) + 1


def replay(builder, fdef: FunctionDef):
    """Emit the body's events into the builder (positions are the body's own); the return's handle."""
    results: list = []
    check = builder.graph.deadline.check
    for k, (method, args) in enumerate(fdef.events):
        if not k & 255:
            check()
        args = [_resolve(a, results) for a in args]
        if method == "ret":
            return args[0]
        results.append(getattr(builder, method)(*args))
    raise AssertionError("a recorded body ends with its return")


def _resolve(a, results):
    """Recorded references (also inside argument lists) as the replayed handles."""
    if a.__class__ is Ref:
        return results[a.k]
    if a.__class__ is list:
        return [_resolve(x, results) for x in a]
    return a


def folded_calls(graph, expand, fold) -> frozenset:
    """The call groups shown folded: `fold` (ids or true), else by default the calls of functions
    called at least twice in a program of more than FOLD_ABOVE nodes, unless `expand` opens them."""
    calls = {key for info in graph.functions.values() for key in info["calls"]}
    if fold is True:
        return frozenset(calls)
    asked = frozenset(fold or ())
    unknown = sorted(asked - calls, key=str)
    if unknown:
        raise EngineError("fold_unknown", kind="value", names=[str(n) for n in unknown[:3]])
    if expand is True:
        return asked
    opened = frozenset(expand or ())
    default = set()
    if len(graph) > FOLD_ABOVE:
        default = {key for info in graph.functions.values() if len(info["calls"]) > 1
                   for key in info["calls"]}
    return frozenset((default - opened) | asked)


class Calls:
    """The builder's handlers for `def` and for calls of user functions (a mixin of Builder)."""

    def define(self, fdef: FunctionDef) -> None:
        """A definition: its names checked, its body's scope checked, recursion refused."""
        name, pos = fdef.name, fdef.pos
        if _builtin(name):
            raise EngineError("def_builtin", *pos, "name", name=name)
        if name in self.functions:
            raise EngineError("def_twice", *pos, "name", name=name,
                              first_line=self.functions[name].fdef.pos[0], second_line=pos[0])
        if name in self.env:
            raise EngineError("def_value_name", *pos, "name", name=name)
        for p in fdef.params:
            self._check_param(fdef, p)
        fn = Function(fdef, check_body(fdef, {**self.functions, name: None}))
        self.functions[name] = fn
        self.cost_memo.clear()  # a callee defined now changes what its callers cost
        path = cycle(name, self.functions)
        if path:
            raise EngineError("def_mutual_recursion", *pos, "name", path=" → ".join(path))
        self.graph.functions[name] = {"params": list(fdef.params), "line": pos[0], "column": pos[1],
                                      "calls": fn.calls}

    def _check_param(self, fdef: FunctionDef, p: str) -> None:
        """A parameter may not hide a built-in, a function or a name the program already has."""
        if _builtin(p) or p in self.functions or p == fdef.name:
            raise EngineError("def_parameter_builtin", *fdef.pos, "name", param=p, function=fdef.name)
        if p in self.env:  # bound above the def: inside the body it would read as that value
            raise EngineError("def_parameter_input", *fdef.pos, "name", param=p, function=fdef.name)

    def call_function(self, fn: Function, handles: list, pos):
        """A call: the body replayed with the arguments bound to the parameters, as one group."""
        if len(handles) != len(fn.params):
            code = "arity_one" if len(fn.params) == 1 else "arity"
            raise EngineError(code, *pos, "arity", function=fn.name, expected=len(fn.params),
                              params=list(fn.params), count=len(handles))
        if len(self.calling) >= MAX_CALL_DEPTH:
            raise EngineError("call_depth", *pos, "budget", limit=MAX_CALL_DEPTH)
        if fn.name in self.calling:  # cycles are refused at their def; this guards the unrolling
            raise EngineError("def_recursion_call", *pos, "name", function=fn.name)
        args = [self.node(h) for h in handles]
        g, k = self.graph, self.counter
        key = tuple(g.shapes[j] for j in args)
        self._precheck(fn, key, pos)
        self.counter += 1
        first, total, work = len(g), self.total, self.work
        saved = self.env, self.inner, self.free, self.scope, self.target
        self.env, self.inner, self.free, self.scope = dict(zip(fn.params, args)), [k, 0], set(), first
        self.calling.append(fn.name)
        try:
            out = self.node(replay(self, fn.fdef))
        except EngineError as e:
            raise _in_call(e, fn.name, pos) from None
        finally:
            self.env, self.inner, self.free, self.scope, self.target = saved
            self.calling.pop()
        self.body_statements += fn.fdef.statements
        cost = (len(g) - first, self.total - total, self.work - work)
        fn.cost[key] = min(cost, fn.cost.get(key, cost))
        return self._group(fn, k, first, out, args, pos)

    def _precheck(self, fn: Function, key: tuple, pos) -> None:
        """Every budget a call will charge, checked before any of its nodes is built."""
        g, lim = self.graph, self.limits
        g.deadline.check()
        nodes, statements = static_cost(fn, self.functions, self.cost_memo)
        seen = fn.cost.get(key, (0, 0, 0))  # a call with the same shapes costs the same
        nodes = max(nodes, seen[0])
        if len(g) + nodes > lim.max_nodes:
            raise EngineError("call_nodes", *pos, "budget", limit=lim.max_nodes, function=fn.name, adds=nodes,
                              has=len(g))
        if len(g.stmts) + self.body_statements + statements > lim.max_statements:
            raise EngineError("call_statements", *pos, "budget", limit=lim.max_statements, function=fn.name,
                              runs=statements)
        if self.total + seen[1] > lim.max_total_elements:
            raise EngineError("call_elements", *pos, "budget", limit=lim.max_total_elements, function=fn.name,
                              adds=seen[1])
        if self.work + seen[2] > lim.max_matmul_work:
            raise EngineError("call_work", *pos, "budget", limit=lim.max_matmul_work, function=fn.name,
                              adds=seen[2])

    def composite_in_call(self, op, args: list, pos) -> int:
        """A folded composite inside a call takes a program-wide id, as elsewhere (expand names it)."""
        i = self.apply(op, args, pos)
        self.graph.keys[i] = f"n{self.counter}"
        self.counter += 1
        return i

    def _group(self, fn: Function, k: int, first: int, out: int, args: list, pos) -> int:
        """Record the call's nodes as a group with the call's id (its output's, for a plain gate)."""
        g = self.graph
        if out < first:
            return out  # the body returns an argument unchanged: no gate of its own to fold
        gid = f"n{k}"
        op = g.ops[out]
        if g.keys[out] not in g.groups and (op is None or op.expansion is None):
            g.keys[out] = gid  # a nested call's or composite's output keeps its own id
        g.names[out] = None  # the caller's name for the result (h = layer(…)) is the one shown
        for i in range(first, len(g)):
            g.group[i] = gid
        g.groups[gid] = {"op": fn.name, "nodes": g.keys[first:], "inputs": [g.keys[j] for j in args],
                         "function": True, "output": g.keys[out], "line": pos[0], "column": pos[1]}
        fn.calls.append(gid)
        return out

    def call_unknown(self, fname: str, pos) -> EngineError:
        """The error for a call of a name that is neither built in nor defined (yet)."""
        line = defined_later(self.source, fname)
        if line is not None:
            return EngineError("def_later", *pos, "name", function=fname, def_line=line)
        return unknown_function(fname).at(pos)


def _builtin(name: str) -> bool:
    """A name the language already gives a meaning: an op, a constructor, a constant, a module."""
    return bool(spelled(name)) or name in CONSTRUCTORS or name in CONSTANTS or name in MODULES \
        or name in KEYWORDS


def static_cost(fn: Function, functions: dict, memo: dict, depth: int = 0) -> tuple[int, int]:
    """(nodes at least, statements) of one call whatever the shapes, its callees' calls included.

    `memo` holds each function's figures; below MAX_CALL_DEPTH callees are not counted (a lower
    bound still, and such calls are refused when they run).
    """
    if fn.name in memo:
        return memo[fn.name]
    nodes, statements = 0, fn.fdef.statements
    for method, args in fn.fdef.events:
        if method == "call" and args[0] in functions and depth < MAX_CALL_DEPTH:
            n, s = static_cost(functions[args[0]], functions, memo, depth + 1)
            nodes, statements = nodes + n, statements + s
        elif method in _NODE_EVENTS:
            nodes += 1
    memo[fn.name] = nodes, statements
    return nodes, statements


def _in_call(e: EngineError, name: str, pos) -> EngineError:
    """Say which call an error inside a body came from (the innermost call only): the error becomes
    in_call, its own code and parameters the cause."""
    if e.code != "in_call":
        e.code, e.params = "in_call", {"cause": e.as_param(), "function": name, "call_line": pos[0]}
        e.args = (e.message,)
    return e
