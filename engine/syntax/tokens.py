"""Tokenizer: program text to (kind, text, (line, column)) tokens; blanks and comments dropped."""

from __future__ import annotations

import re

from ..core.errors import EngineError
from ..core.limits import Deadline
from ..core.messages import message

# One match per token: (the blanks before it, the token). Few groups keep findall fast (each group
# costs a string per match), and the blanks' length keeps the column count exact. The token's kind
# follows from its first character. A blank is never a token, so the blanks after the last one
# would match nothing, char by char: tokenize() strips them (the end token's column counts them).
_BLANKS = " \t\r\f\v"
_TOKEN = re.compile(
    r"([ \t\r\f\v]*)(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z_0-9]*"
    r"|\*\*|[-+*/]=|\#[^\n]*|\\\r?\n|[^ \t\r\f\v])",
)
_KIND = {c: "num" for c in "0123456789"}
_KIND.update({c: "name" for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"})
_KIND.update({c: "op" for c in "-+*/@()[],;="})
_KIND.update({"\n": "nl", "#": "skip", "\\": "skip", ".": "dot"})


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
    body = src.rstrip(_BLANKS)
    line, col = 1, 1
    for chunk in _chunks(body):
        if deadline is not None:
            deadline.check()  # a megabyte program takes a while even to tokenize
        line, col = _scan(chunk, _KIND, toks.append, line, col)
    toks.append(("end", "", (line, col + len(src) - len(body))))
    return toks


def _scan(chunk: str, kinds: dict, append, line: int, col: int) -> tuple[int, int]:
    """Tokenize one chunk; positions continue from (line, column) and are returned."""
    for blank, tok in _TOKEN.findall(chunk):
        col += len(blank)
        kind = kinds.get(tok[0], "bad")
        if kind == "dot":
            kind = "num" if len(tok) > 1 else "op"  # .5 (a lone dot is the attribute operator of x.T)
        if kind == "skip":
            if tok == "\\":
                raise EngineError("backslash", line, col, "syntax")
            if tok[0] == "\\":  # a backslash continues the line
                line, col = line + 1, 1
                continue
        else:  # a bad character is reported when the parser reaches it, so errors come in order
            append((kind, tok, (line, col)))
            if kind == "nl":
                line, col = line + 1, 1
                continue
        col += len(tok)
    return line, col


def bad_char(ch: str) -> EngineError:
    """Explain a character that is not part of the language (the caller adds the position)."""
    if ch in "'\"":
        return EngineError("strings", kind="syntax")
    if ch in "<>!&|^~%{}:":
        return EngineError("bad_operator", kind="syntax", char=ch)
    return EngineError("bad_character", kind="syntax", char=repr(ch))


def describe(kind: str, text: str) -> dict:
    """Name a token for an error message (a message parameter)."""
    if kind == "end":
        return message("token_end")
    if kind == "nl":
        return message("token_line_end")
    return message("token", text=text)
