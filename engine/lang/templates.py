"""Composite expansions, written in the language itself, parsed once and replayed into a builder."""

from __future__ import annotations

from functools import cache

from ..core.limits import Deadline, Limits
from ..syntax.parser import Parser


class _Recorder:
    """A parser sink that records events; handles are indices into the event list."""

    def __init__(self):
        self.events: list[tuple[str, tuple]] = []

    def _record(self, method: str, *args):
        self.events.append((method, args))
        return _Ref(len(self.events) - 1)

    def __getattr__(self, method: str):
        if method.startswith("_"):
            raise AttributeError(method)
        return lambda *args: self._record(method, *args)

    def begin(self, target: str, pos):
        """An expansion's right-hand sides are recorded like the rest."""
        return self

    def finish(self) -> None:
        """Nothing to do: replay decides the output."""


class _Ref:
    """A reference to the result of an earlier recorded event."""

    __slots__ = ("k",)

    def __init__(self, k: int):
        self.k = k


class Template:
    """A recorded expansion; replay() re-emits it into a builder with the call's position."""

    def __init__(self, events):
        self.events = events

    def replay(self, builder, pos) -> int:
        """Emit the expansion's nodes; returns the node of its last expression."""
        results: list = []
        last = None
        for method, args in self.events:
            args = [_resolve(a, results) for a in args]
            args[-1] = pos  # every event ends with a position: inner gates point at the call
            out = getattr(builder, method)(*args)
            results.append(out)
            if method == "expr":
                last = args[0]
        return builder.node(last)


def _resolve(a, results):
    """Map recorded references (also inside argument lists) to replayed handles."""
    if isinstance(a, _Ref):
        return results[a.k]
    if isinstance(a, list):
        return [_resolve(x, results) for x in a]
    return a


@cache
def template(source: str) -> Template:
    """Parse an expansion once."""
    rec = _Recorder()
    Parser(rec, Limits(), Deadline(None)).parse(source)
    return Template(rec.events)
