"""Tokenizer and iterative operator-precedence parser: program text to post-order sink calls.

Why not `ast.parse`: it recurses, so a flat sum of ~3,000 terms overflows it, and it is too slow
for 10,000-gate programs. This parser keeps explicit stacks (shunting-yard), so nesting is bounded
only by the `max_depth` budget, and it never executes anything: it only calls the sink.
"""

from __future__ import annotations

import re

from ..core.errors import EngineError
from ..core.limits import Deadline, Limits

# One match per token: (the blanks before it, the token). Few groups keep findall fast (each group
# costs a string per match), and the blanks' length keeps the column count exact. The token's kind
# follows from its first character.
_TOKEN = re.compile(
    r"([ \t\r\f]*)(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z_0-9]*"
    r"|\*\*|\#[^\n]*|\\\r?\n|.)",
    re.DOTALL,
)
_KIND = {c: "num" for c in "0123456789"}
_KIND.update({c: "name" for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"})
_KIND.update({c: "op" for c in "-+*/@()[],;=."})
_KIND.update({"\n": "nl", "#": "skip", "\\": "skip"})

# Binding power of binary operators; `**` is right-associative and binds tighter than unary minus
# on its left (-x**2 is -(x**2)), as in Python.
_BINARY = {"+": 10, "-": 10, "*": 20, "/": 20, "@": 20, "**": 40}
_UNARY = 30
_FRAMES = ("(", "call", "[", "idx")


def _chunks(src: str, size: int = 1 << 16):
    """Pieces of about `size` characters that end after a newline (no token spans two)."""
    begin = 0
    while begin < len(src):
        end = src.find("\n", begin + size)
        end = len(src) if end < 0 else end + 1
        yield src[begin:end]
        begin = end


def tokenize(src: str, deadline: Deadline | None = None) -> list[tuple[str, str, tuple[int, int]]]:
    """Split source into (kind, text, (line, column)) tokens, ending with an 'end' token."""
    toks = []
    append, kinds = toks.append, _KIND
    line, start, at = 1, 0, 0
    for chunk in _chunks(src):
        if deadline is not None:
            deadline.check()  # a megabyte program takes a while even to tokenize
        at, line, start = _scan(chunk, kinds, append, at, line, start)
    append(("end", "", (line, len(src) - start + 1)))
    return toks


def _scan(chunk: str, kinds: dict, append, at: int, line: int, start: int) -> tuple[int, int, int]:
    """Tokenize one chunk; positions continue from (at, line, line start) and are returned."""
    for blank, tok in _TOKEN.findall(chunk):
        at += len(blank)
        kind = kinds.get(tok[0], "bad")
        if len(tok) > 1 and tok[0] == ".":
            kind = "num"  # .5 (a lone dot is the attribute operator of x.T)
        if kind == "skip":
            if tok == "\\":
                raise EngineError("a backslash must end the line", line, at - start + 1, "syntax")
            if tok[0] == "\\":  # a backslash continues the line
                line, start = line + 1, at + len(tok)
        elif kind == "bad":
            raise EngineError(_bad_char(tok), line, at - start + 1, "syntax")
        else:
            append((kind, tok, (line, at - start + 1)))
            if kind == "nl":
                line, start = line + 1, at + 1
        at += len(tok)
    return at, line, start


def _bad_char(ch: str) -> str:
    """Explain a character that is not part of the language."""
    if ch in "'\"":
        return "strings are not part of the language"
    if ch in "<>!&|^~%{}:":
        return f"'{ch}' is not part of the language (see the language reference)"
    return f"unexpected character {ch!r}"


class Parser:
    """Turns tokens into sink calls in post-order, so the sink sees every operand before its use."""

    def __init__(self, sink, limits: Limits, deadline: Deadline):
        self.sink, self.limits, self.deadline = sink, limits, deadline

    def parse(self, src: str) -> None:
        """Parse a whole program: statements separated by newlines or ';'."""
        if len(src) > self.limits.max_source_chars:
            raise EngineError(f"the program is {len(src)} characters long; the limit is "
                              f"{self.limits.max_source_chars}", kind="budget")
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
                raise EngineError(f"more than {self.limits.max_statements} statements",
                                  *toks[i][2], "budget")
            i = self._statement(toks, i)
        self.sink.finish()

    def _statement(self, toks, i: int) -> int:
        """Parse `name = expr` or `expr`; return the index after it."""
        tok = toks[i]
        if tok[0] == "name" and toks[i + 1][1] == "=":
            value, j = self._expr(toks, i + 2)
            self.sink.assign(tok[1], value, tok[2])
        else:
            value, j = self._expr(toks, i)
            self.sink.expr(value, tok[2])
        return j

    def _expr(self, toks, i: int):
        """Shunting-yard over one expression; stops at a newline, ';' or the end at depth 0."""
        vals: list = []
        ops: list = []
        st = _State(self, toks, vals, ops)
        name, num = self.sink.name, self.sink.num
        while True:
            if not i & 1023:
                self.deadline.check()
            kind, text, pos = toks[i]
            if kind == "nl" and st.frames:
                i += 1  # newlines inside brackets join lines, as in Python
            elif st.operand:
                # The commonest operands inline (this loop runs once per token).
                if kind == "name" and toks[i + 1][1] != "(":
                    vals.append(name(text, pos))
                    st.operand, i = False, i + 1
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
            else:
                i = st.operator_token(i, kind, text, pos)


class _State:
    """The stacks of one expression and the handlers for each token position."""

    def __init__(self, parser: Parser, toks, vals: list, ops: list):
        self.sink, self.toks, self.vals, self.ops = parser.sink, toks, vals, ops
        self.max_depth = parser.limits.max_depth
        self.operand = True  # expecting a value (prefix position) rather than an operator
        self.frames = 0

    def push(self, entry: tuple) -> None:
        """Push onto the operator stack, within the nesting budget."""
        self.ops.append(entry)
        if len(self.ops) > self.max_depth:
            raise EngineError(f"the expression is nested more than {self.max_depth} levels deep",
                              *entry[3], "budget")

    def operand_token(self, i: int, kind: str, text: str, pos) -> int:
        """Handle a token where a value is expected."""
        sink = self.sink
        if kind == "num":
            self.vals.append(sink.num(float(text), pos))
            self.operand = False
        elif kind == "name":
            if self.toks[i + 1][1] == "(":
                self.open_frame(("call", 0, text, pos, len(self.vals)))
                return i + 2
            self.vals.append(sink.name(text, pos))
            self.operand = False
        elif text in ("(", "["):
            self.open_frame((text, 0, text, pos, len(self.vals)))
        elif text in ("-", "+"):
            self.push(("un", _UNARY, text, pos))
        elif text in (")", "]") and self.ops and self.ops[-1][0] in ("call", "["):
            self.close(text, pos)  # empty call, empty list, or a trailing comma
        else:
            if kind == "end" and self.frames:
                self.unclosed()
            raise EngineError(f"expected a value, found {_describe(kind, text)}", *pos, "syntax")
        return i + 1

    def operator_token(self, i: int, kind: str, text: str, pos) -> int:
        """Handle a token where an operator, a closing bracket or the end is expected."""
        if text in _BINARY and kind == "op":
            prec = _BINARY[text]
            self.reduce(prec, text == "**")
            self.push(("bin", prec, text, pos))
            self.operand = True
        elif text == ".":
            name = self.toks[i + 1]
            if name[0] != "name" or name[1] != "T":
                raise EngineError("the only attribute is .T (transpose)", *pos, "syntax")
            self.vals[-1] = self.sink.attr(self.vals[-1], "T", pos)
            return i + 2
        elif text == "[":
            self.open_frame(("idx", 0, text, pos, len(self.vals)))
        elif text == ",":
            self.reduce_to_frame()
            if not self.ops or self.ops[-1][0] == "(":
                raise EngineError("unexpected ','", *pos, "syntax")
            self.operand = True
        elif text in (")", "]"):
            self.reduce_to_frame()
            self.close(text, pos)
        elif text == "=":
            raise EngineError("'=' may only follow a name at the start of a statement", *pos, "syntax")
        else:
            raise EngineError(f"expected an operator, found {_describe(kind, text)}", *pos, "syntax")
        return i + 1

    def open_frame(self, entry: tuple) -> None:
        """Open a bracket: a group, a call, a list literal or an index."""
        self.push(entry)
        self.frames += 1
        self.operand = True

    def reduce(self, prec: int, right: bool) -> None:
        """Apply stacked operators that bind at least as tightly as the incoming one."""
        ops, vals, sink = self.ops, self.vals, self.sink
        while ops:
            top = ops[-1]
            if top[0] == "bin":
                if top[1] < prec or (top[1] == prec and right):
                    return
                ops.pop()
                b = vals.pop()
                vals[-1] = sink.binary(top[2], vals[-1], b, top[3])
            elif top[0] == "un":
                if top[1] < prec:
                    return
                ops.pop()
                vals[-1] = sink.unary(top[2], vals[-1], top[3])
            else:
                return

    def reduce_to_frame(self) -> None:
        """Apply every operator down to the innermost open bracket."""
        self.reduce(-1, False)

    def close(self, text: str, pos) -> None:
        """Close the innermost bracket and hand its contents to the sink."""
        if not self.ops:
            raise EngineError(f"unmatched '{text}'", *pos, "syntax")
        tag, _, name, opos, height = self.ops.pop()
        want = ")" if tag in ("(", "call") else "]"
        if text != want:
            raise EngineError(f"'{text}' does not match '{name if tag != 'call' else '('}' at line "
                              f"{opos[0]}, column {opos[1]}", *pos, "syntax")
        self.frames -= 1
        self.operand = False
        vals, sink = self.vals, self.sink
        items = vals[height:]
        del vals[height:]
        if tag == "(":
            vals.append(items[0])
        elif tag == "call":
            vals.append(sink.call(name, items, opos))
        elif tag == "[":
            vals.append(sink.list(items, opos))
        else:
            if not items:
                raise EngineError("an index is needed inside [ ]", *pos, "syntax")
            vals[-1] = sink.index(vals[-1], items, opos)

    def unclosed(self) -> None:
        """Report the innermost bracket left open at the end of a statement."""
        for entry in reversed(self.ops):
            if entry[0] in _FRAMES:
                opener = "(" if entry[0] == "call" else entry[2]
                raise EngineError(f"'{opener}' was never closed", *entry[3], "syntax")


class _AcceptAll:
    """A sink that accepts every event, so that parsing with it finds syntax errors only."""

    def __getattr__(self, event: str):
        return _accept


def _accept(*args) -> None:
    """Any event, accepted."""


def check_syntax(src: str, limits: Limits, deadline: Deadline) -> None:
    """Raise the program's first syntax error, if it has one (names, shapes and values unchecked)."""
    Parser(_AcceptAll(), limits, deadline).parse(src)


def _describe(kind: str, text: str) -> str:
    """Name a token for an error message."""
    if kind == "end":
        return "the end of the program"
    if kind == "nl":
        return "the end of the line"
    return f"'{text}'"
