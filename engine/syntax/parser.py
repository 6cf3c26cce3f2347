"""Iterative operator-precedence parser: tokens to post-order sink calls.

Why not `ast.parse`: it recurses, so a flat sum of ~3,000 terms overflows it, and it is too slow
for 10,000-gate programs. This parser keeps explicit stacks (shunting-yard), so nesting is bounded
only by the `max_depth` budget, and it never executes anything: it only calls the sink.
"""

from __future__ import annotations

from typing import NamedTuple

from ..core.errors import EngineError
from ..core.limits import Deadline, Limits
from .defs import parse_def
from .dialect import KEYWORDS, import_error, keyword_error
from .tokens import _TOKEN, bad_char, describe, tokenize

__all__ = ["Parser", "check_syntax", "tokenize", "_TOKEN"]

# Binding power of binary operators; `**` is right-associative and binds tighter than unary minus
# on its left (-x**2 is -(x**2)), as in Python.
_BINARY = {"+": 10, "-": 10, "*": 20, "/": 20, "@": 20, "**": 40}
_UNARY = 30
_AUGMENTED = {"+=": "+", "-=": "-", "*=": "*", "/=": "/"}
_CALLS = ("call", "meth")
_FRAMES = ("(", "tup", "call", "meth", "[", "idx")
_make = tuple.__new__  # _make(_Op, (…)) builds a named entry at a plain tuple's cost (push is hot)


class _Op(NamedTuple):
    """A stacked operator: kind "bin" or "un", its binding power, its text and position."""

    kind: str
    prec: int
    text: str
    pos: tuple


class _Frame(NamedTuple):
    """An open bracket: a group, tuple, call, method call, list or index.

    `pos` is where the node goes (a call's name), `bracket` where the bracket itself is (errors
    about an unclosed or mismatched bracket point there, as Python's do); `height` is the value
    stack's size when it opened.
    """

    kind: str
    prec: int
    text: str
    pos: tuple
    height: int
    bracket: tuple


class Parser:
    """Turns tokens into sink calls in post-order, so the sink sees every operand before its use."""

    def __init__(self, sink, limits: Limits, deadline: Deadline):
        self.sink, self.limits, self.deadline = sink, limits, deadline
        self.src, self.lines = "", None

    def source_lines(self) -> list[str]:
        """The program's lines (split once, when a def needs its indentation)."""
        if self.lines is None:
            self.lines = self.src.split("\n")
        return self.lines

    def parse(self, src: str) -> None:
        """Parse a whole program: statements separated by newlines or ';'."""
        if len(src) > self.limits.max_source_chars:
            raise EngineError("source_chars", kind="budget", chars=len(src),
                              limit=self.limits.max_source_chars)
        self.src = src
        toks, i, count = tokenize(src, self.deadline), 0, 0
        while True:
            kind, text = toks[i][0], toks[i][1]
            if kind == "nl" or text == ";":
                i += 1
                continue
            if kind == "end":
                break
            count += 1
            if count > self.limits.max_statements:
                raise EngineError("statements", *toks[i][2], "budget", limit=self.limits.max_statements)
            i = self._statement(toks, i)
        self.sink.finish()

    def _statement(self, toks, i: int) -> int:
        """Parse `name = expr`, `name += expr`, an import line or `expr`; return the index after it."""
        tok, sink = toks[i], self.sink
        if tok[0] == "name":
            nxt = toks[i + 1][1]
            if nxt == "=" or nxt in _AUGMENTED:
                value, j = self._expr(toks, i + 2, sink.begin(tok[1], tok[2]))
                if nxt == "=":
                    sink.assign(tok[1], value, tok[2])
                else:
                    sink.augment(tok[1], _AUGMENTED[nxt], value, tok[2])
                return j
            if tok[1] in ("import", "from"):
                return self._import(toks, i)
            if tok[1] == "def":
                return parse_def(self, toks, i)
            if tok[1] in KEYWORDS:
                raise keyword_error(tok[1]).at(tok[2])
        value, j = self._expr(toks, i, sink)
        sink.expr(value, tok[2])
        return j

    def _import(self, toks, i: int) -> int:
        """`import numpy as np` and `import math` are skipped; any other import is an error."""
        j = i + 1
        while toks[j][0] not in ("nl", "end") and toks[j][1] != ";":
            j += 1
        if toks[i][1] == "from":
            raise EngineError("from_import", *toks[i][2], "syntax")
        refused = import_error([t[1] for t in toks[i + 1:j]])
        if refused:
            raise refused.at(toks[i][2])
        return j

    def _expr(self, toks, i: int, sink):
        """Shunting-yard over one expression; stops at a newline, ';' or the end at depth 0."""
        vals: list = []
        ops: list = []
        st = _State(self, sink, toks, vals, ops)
        name, num, call, depth = sink.name, sink.num, sink.call, st.max_depth
        while True:
            if not i & 1023:
                self.deadline.check()
            kind, text, pos = toks[i]
            if kind == "nl" and st.frames:
                i += 1  # newlines inside brackets join lines, as in Python
            elif st.operand:
                # The commonest operands inline (this loop runs once per token).
                if kind == "name":
                    if toks[i + 1][1] != "(":
                        vals.append(name(text, pos))
                        st.operand, i = False, i + 1
                    elif toks[i + 2][0] in _ATOMS and toks[i + 3][1] == ")" and len(ops) < depth:
                        # f(x) or f(2): the general path's events (the argument, then the call),
                        # without its frame; the depth check is the frame's.
                        k, t, p = toks[i + 2]
                        vals.append(call(text, [name(t, p) if k == "name" else num(float(t), p)], pos))
                        st.operand, i = False, i + 4
                    else:
                        i = st.operand_token(i, kind, text, pos)
                elif kind == "num":
                    vals.append(num(float(text), pos))
                    st.operand, i = False, i + 1
                else:
                    i = st.operand_token(i, kind, text, pos)
            elif kind in ("nl", "end") or text == ";":
                if st.frames:
                    st.unclosed()
                st.reduce_to_frame()
                return vals[0], i
            elif text in _BINARY and kind == "op":
                prec = _BINARY[text]  # a binary operator, inline: every other operator token is one
                if ops and ops[-1].kind in _APPLIED:
                    st.reduce(prec, text == "**")
                ops.append(_make(_Op, ("bin", prec, text, pos)))
                if len(ops) > depth:
                    raise EngineError("depth", *pos, "budget", limit=depth)
                st.operand, i = True, i + 1
            else:
                i = st.operator_token(i, kind, text, pos)


_ATOMS = ("name", "num")
_APPLIED = ("bin", "un")  # stacked operators that reduce() may apply

class _State:
    """The stacks of one expression and the handlers for each token position."""

    __slots__ = ("sink", "toks", "vals", "ops", "max_depth", "operand", "frames")

    def __init__(self, parser: Parser, sink, toks, vals: list, ops: list):
        self.sink, self.toks, self.vals, self.ops = sink, toks, vals, ops
        self.max_depth = parser.limits.max_depth
        self.operand = True  # expecting a value (prefix position) rather than an operator
        self.frames = 0

    def push(self, entry) -> None:
        """Push onto the operator stack, within the nesting budget."""
        self.ops.append(entry)
        if len(self.ops) > self.max_depth:
            raise EngineError("depth", *entry.pos, "budget", limit=self.max_depth)

    def operand_token(self, i: int, kind: str, text: str, pos) -> int:
        """Handle a token where a value is expected."""
        sink, ops = self.sink, self.ops
        if kind == "num":
            self.vals.append(sink.num(float(text), pos))
            self.operand = False
        elif kind == "name":
            if self.toks[i + 1][1] == "(":
                self.open_frame(_make(_Frame, ("call", 0, text, pos, len(self.vals), self.toks[i + 1][2])))
                return i + 2
            self.vals.append(sink.name(text, pos))
            self.operand = False
        elif text in ("(", "["):
            self.open_frame(_make(_Frame, (text, 0, text, pos, len(self.vals), pos)))
        elif text in ("-", "+"):
            self.push(_make(_Op, ("un", _UNARY, text, pos)))
        elif text == "*" and ops and ops[-1].kind in _CALLS:
            self.push(_make(_Op, ("un", _UNARY, text, pos)))  # f(*shape), as in np.random.randn(*D.shape)
        elif text in (")", "]") and ops and ops[-1].kind in ("call", "meth", "[", "tup"):
            self.close(text, pos)  # empty call, empty list, or a trailing comma
        else:
            if kind == "bad":
                raise bad_char(text).at(pos)
            if kind == "end" and self.frames:
                self.unclosed()
            raise EngineError("expected_value", *pos, "syntax", found=describe(kind, text))
        return i + 1

    def operator_token(self, i: int, kind: str, text: str, pos) -> int:
        """Handle a token where an operator, a closing bracket or the end is expected."""
        if text in _BINARY and kind == "op":
            prec = _BINARY[text]
            self.reduce(prec, text == "**")
            self.push(_make(_Op, ("bin", prec, text, pos)))
            self.operand = True
        elif text == ".":
            return self.dot(i, pos)
        elif text == "[":
            self.open_frame(_make(_Frame, ("idx", 0, text, pos, len(self.vals), pos)))
        elif text == ",":
            self.comma(pos)
        elif text in (")", "]"):
            self.reduce_to_frame()
            self.close(text, pos)
        else:
            raise self.misplaced(kind, text).at(pos)
        return i + 1

    def misplaced(self, kind: str, text: str) -> EngineError:
        """Why a token cannot stand where an operator is expected (the caller adds the position)."""
        if kind == "bad":
            return bad_char(text)
        if text == "=" and self.ops and self.ops[-1].kind in _CALLS:
            return EngineError("keyword_arguments", kind="syntax")
        if text == "=" or text in _AUGMENTED:
            return EngineError("assign_position", kind="syntax", symbol=text)
        if kind == "name" and text in KEYWORDS:
            return keyword_error(text)
        return EngineError("expected_operator", kind="syntax", found=describe(kind, text))

    def dot(self, i: int, pos) -> int:
        """`.name` is an attribute (x.T, D.shape, np.pi); `.name(` opens a method call (x.exp())."""
        attr = self.toks[i + 1]
        if attr[0] != "name":
            raise EngineError("attribute_name", *pos, "syntax")
        after = self.toks[i + 2]
        if after[1] == "(":
            self.open_frame(_make(_Frame, ("meth", 0, attr[1], attr[2], len(self.vals), after[2])))
            return i + 3
        self.vals[-1] = self.sink.attr(self.vals[-1], attr[1], pos)
        return i + 2

    def comma(self, pos) -> None:
        """A comma separates arguments and list items; inside ( ) it makes a tuple, as in (2, 3)."""
        self.reduce_to_frame()
        ops = self.ops
        if not ops:
            raise EngineError("comma_outside", *pos, "syntax")
        if ops[-1].kind == "(":
            if len(ops) < 2 or ops[-2].kind not in _CALLS:
                raise EngineError("comma_tuple", *pos, "syntax")
            ops[-1] = ops[-1]._replace(kind="tup")
        self.operand = True

    def open_frame(self, entry: _Frame) -> None:
        """Open a bracket: a group, a call, a list literal or an index."""
        self.push(entry)
        self.frames += 1
        self.operand = True

    def reduce(self, prec: int, right: bool) -> None:
        """Apply stacked operators that bind at least as tightly as the incoming one."""
        ops, vals, sink = self.ops, self.vals, self.sink
        while ops:
            top = ops[-1]
            if top.kind == "bin":
                if top.prec < prec or (top.prec == prec and right):
                    return
                ops.pop()
                b = vals.pop()
                vals[-1] = sink.binary(top.text, vals[-1], b, top.pos)
            elif top.kind == "un":
                if top.prec < prec:
                    return
                ops.pop()
                vals[-1] = sink.unary(top.text, vals[-1], top.pos)
            else:
                return

    def reduce_to_frame(self) -> None:
        """Apply every operator down to the innermost open bracket."""
        self.reduce(-1, False)

    def close(self, text: str, pos) -> None:
        """Close the innermost bracket and hand its contents to the sink."""
        if not self.ops:
            raise EngineError("unmatched", *pos, "syntax", bracket=text)
        frame = self.ops.pop()
        want = "]" if frame.kind in ("[", "idx") else ")"
        if text != want:
            opener = "[" if want == "]" else "("
            raise EngineError("mismatched", *pos, "syntax", bracket=text, opener=opener,
                              opened_line=frame.bracket[0], opened_column=frame.bracket[1])
        self.frames -= 1
        self.operand = False
        vals, sink, kind = self.vals, self.sink, frame.kind
        items = vals[frame.height:]
        del vals[frame.height:]
        if kind == "(":
            vals.append(items[0])
        elif kind == "tup":
            vals.append(sink.tuple(items, frame.pos))
        elif kind == "call":
            vals.append(sink.call(frame.text, items, frame.pos))
        elif kind == "meth":
            vals[-1] = sink.method(vals[-1], frame.text, items, frame.pos)
        elif kind == "[":
            vals.append(sink.list(items, frame.pos))
        else:
            if not items:
                raise EngineError("index_empty", *pos, "syntax")
            vals[-1] = sink.index(vals[-1], items, frame.pos)

    def unclosed(self) -> None:
        """Report the innermost bracket left open at the end of a statement (at the bracket)."""
        for entry in reversed(self.ops):
            if entry.kind in _FRAMES:
                opener = "[" if entry.kind in ("[", "idx") else "("
                raise EngineError("unclosed", *entry.bracket, "syntax", opener=opener)


class _AcceptAll:
    """A sink that accepts every event, so that parsing with it finds syntax errors only."""

    def __getattr__(self, event: str):
        return _accept

    def begin(self, target: str, pos):
        """Every right-hand side goes to this same sink."""
        return self


def _accept(*args) -> None:
    """Any event, accepted."""


def check_syntax(src: str, limits: Limits, deadline: Deadline) -> None:
    """Raise the program's first syntax error, if it has one (names, shapes and values unchecked)."""
    Parser(_AcceptAll(), limits, deadline).parse(src)
