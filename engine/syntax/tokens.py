"""Tokenizer: program text to (kind, text, (line, column)) tokens; blanks and comments dropped."""

from __future__ import annotations

import re

from ..core.errors import EngineError
from ..core.limits import Deadline
from ..core.messages import message

# One match per token: (the blanks before it, the token). Few groups keep findall fast (each group
# costs a string per match), and the blanks' length keeps the column count exact. The token's kind
# follows from its first character.
_TOKEN = re.compile(
    r"([ \t\r\f\v]*)(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z_0-9]*"
    r"|\*\*|[-+*/]=|\#[^\n]*|\\\r?\n|.|\Z)",  # \Z: blanks after the last token are no token
    re.DOTALL,
)
_KIND = {c: "num" for c in "0123456789"}
_KIND.update({c: "name" for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"})
_KIND.update({c: "op" for c in "-+*/@()[],;=."})
_KIND.update({"\n": "nl", "#": "skip", "\\": "skip"})


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
        if not tok:
            continue  # the end of the text, after any trailing blanks
        kind = kinds.get(tok[0], "bad")
        if len(tok) > 1 and tok[0] == ".":
            kind = "num"  # .5 (a lone dot is the attribute operator of x.T)
        if kind == "skip":
            if tok == "\\":
                raise EngineError("backslash", line, at - start + 1, "syntax")
            if tok[0] == "\\":  # a backslash continues the line
                line, start = line + 1, at + len(tok)
        else:  # a bad character is reported when the parser reaches it, so errors come in order
            append((kind, tok, (line, at - start + 1)))
            if kind == "nl":
                line, start = line + 1, at + 1
        at += len(tok)
    return at, line, start


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
