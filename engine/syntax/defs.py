"""`def name(params): body`: Python's one-line and indented forms, parsed into a recorded body.

The body's statements are parsed by the same parser into a `Recorder`, so a function is a list of
sink events that the builder replays at each call (it is never executed as Python). Indentation
follows Python's rules for one level: the body is the run of lines indented alike under the def.
"""

from __future__ import annotations

from typing import NamedTuple

from ..core.errors import EngineError
from .tokens import describe


class FunctionDef(NamedTuple):
    """A parsed definition: its name, parameters, recorded body and where each part is."""

    name: str
    params: tuple[str, ...]
    pos: tuple[int, int]  # the `def` keyword
    events: tuple  # (method, args) sink events, post-order; the last is ("ret", (value, pos))
    statements: int  # the body's statements, return included


class Ref:
    """The result of an earlier recorded event (an index into the event list)."""

    __slots__ = ("k",)

    def __init__(self, k: int):
        self.k = k


class Recorder:
    """A parser sink that records every event; handles are Refs to earlier events."""

    def __init__(self):
        self.events: list[tuple[str, tuple]] = []

    def record(self, method: str, *args):
        """Append one event; its result is a Ref to it."""
        self.events.append((method, args))
        return Ref(len(self.events) - 1)

    def __getattr__(self, method: str):
        if method.startswith("_"):
            raise AttributeError(method)
        return lambda *args: self.record(method, *args)

    def begin(self, target: str, pos):
        """A body statement assigning `target`: recorded, and its right-hand side comes here too."""
        self.record("begin", target, pos)
        return self

    def finish(self) -> None:
        """Never called: a body ends at its return."""


def _error(code: str, pos, kind: str = "syntax", **params) -> EngineError:
    return EngineError(code, *pos, kind, **params)


def parse_def(parser, toks, i: int) -> int:
    """Parse a definition starting at toks[i] (`def`); hand it to the sink; return the index after."""
    start = toks[i][2]
    if getattr(parser, "in_def", False):
        raise _error("def_nested", start)
    name = toks[i + 1]
    if name[0] != "name":
        raise _error("def_name", name[2], found=describe(name[0], name[1]))
    if toks[i + 2][1] != "(":
        raise _error("def_paren", toks[i + 2][2], name=name[1])
    params, j = _params(toks, i + 3)
    if toks[j][1] != ":":
        if toks[j][1] == "-" and toks[j + 1][1] == ">":
            raise _error("def_return_annotation", toks[j][2])
        raise _error("def_colon", toks[j][2], name=name[1], found=describe(toks[j][0], toks[j][1]))
    body = _Body(parser, toks, name[1], start)
    j = body.one_line(j + 1) if toks[j + 1][0] not in ("nl", "end") else body.block(j + 1)
    parser.sink.define(FunctionDef(name[1], tuple(params), start, tuple(body.rec.events), body.count))
    return j


def _params(toks, j: int) -> tuple[list[str], int]:
    """Plain parameter names up to ')': defaults, *args, **kwargs and annotations are refused."""
    params: list[str] = []
    while toks[j][1] != ")":
        kind, text, pos = toks[j]
        if text in ("*", "**", "/"):
            raise _error("def_star_parameter", pos, symbol=text)
        if kind != "name":
            raise _error("def_parameter_name", pos, found=describe(kind, text))
        if text in params:
            raise _error("def_duplicate_parameter", pos, name=text)
        params.append(text)
        nxt = toks[j + 1]
        if nxt[1] == "=":
            raise _error("def_default", nxt[2], name=text)
        if nxt[1] == ":":
            raise _error("def_annotation", nxt[2])
        if nxt[1] == ",":
            j += 2
        elif nxt[1] == ")":
            j += 1
        else:
            raise _error("def_parameter_list", nxt[2], found=describe(nxt[0], nxt[1]))
    return params, j + 1


class _Body:
    """Parses one function body into a Recorder, statement by statement, checking indentation."""

    def __init__(self, parser, toks, name: str, start):
        self.rec, self.toks, self.name, self.start = Recorder(), toks, name, start
        self.sub = type(parser)(self.rec, parser.limits, parser.deadline)
        self.sub.in_def = True
        self.lines = parser.source_lines()
        self.returned = None  # the return statement's position, once parsed
        self.count = 0

    def one_line(self, j: int) -> int:
        """`def f(x): a = x * 2; return a`: statements on the def's own line."""
        toks = self.toks
        while True:
            j = self.statement(j)
            while toks[j][1] == ";":
                j += 1
            if toks[j][0] in ("nl", "end"):
                break
        after = self._next_line(j)
        if toks[after][0] != "end" and toks[after][2][1] > self.start[1]:
            raise _error("def_one_line_indent", toks[after][2])
        self.done(j)
        return j

    def block(self, j: int) -> int:
        """An indented body: lines at one indentation, deeper than the def's; ends at a dedent."""
        toks = self.toks
        j = self._next_line(j)
        first = toks[j][2]
        if toks[j][0] == "end" or first[1] <= self.start[1]:
            raise _error("def_block", first, name=self.name, def_line=self.start[0])
        indent = self._indent(first)
        while True:
            j = self.statement(j)
            while toks[j][1] == ";":
                j += 1
                if toks[j][0] not in ("nl", "end"):
                    j = self.statement(j)
            k = self._next_line(j)
            pos = toks[k][2]
            if toks[k][0] == "end" or pos[1] <= self.start[1]:
                break
            self._check_indent(pos, indent)
            j = k
        self.done(j)
        return j

    def _check_indent(self, pos, indent: str) -> None:
        """A body line must be indented exactly as the first one (the same blanks)."""
        mine = self._indent(pos)
        if mine == indent:
            return
        if len(mine) > len(indent) and mine.startswith(indent):
            raise _error("indent_unexpected", pos)
        if len(mine) == len(indent) or mine.startswith(indent) or indent.startswith(mine):
            raise _error("indent_tabs" if len(mine) == len(indent) else "indent_unmatched", pos)
        raise _error("indent_tabs", pos)

    def _indent(self, pos) -> str:
        return self.lines[pos[0] - 1][:pos[1] - 1]

    def _next_line(self, j: int) -> int:
        """The index of the first token of the next non-blank line."""
        while self.toks[j][0] == "nl":
            j += 1
        return j

    def statement(self, j: int) -> int:
        """One body statement: `return expr`, or any statement the language takes (no nested def)."""
        kind, text, pos = self.toks[j]
        if self.returned is not None:
            raise _error("def_after_return", pos, name=self.name, return_line=self.returned[0])
        self.count += 1
        if kind == "name" and text == "return":
            if self.toks[j + 1][0] in ("nl", "end") or self.toks[j + 1][1] == ";":
                raise _error("def_return_value", pos, name=self.name)
            value, j = self.sub._expr(self.toks, j + 1, self.rec)
            self.rec.record("ret", value, pos)
            self.returned = pos
            return j
        if kind == "name" and text == "def":
            return parse_def(self.sub, self.toks, j)
        return self.sub._statement(self.toks, j)

    def done(self, j: int) -> None:
        """A body must end with its return."""
        if self.returned is None:
            raise _error("def_no_return", self.start, name=self.name)
