"""A hand-written backward pass: `d<name> = …` lines are recorded apart from the forward graph.

Each line's right-hand side becomes a small graph of its own whose inputs are the forward values
and the earlier d-lines it reads (with placeholder values of the right shapes, so every shape is
checked now). After the engine's backward pass, run/grade.py gives each input its real value,
evaluates the line and compares it with the engine's gradient. A line's semantic error (a shape
mismatch, an unknown name) is that line's verdict, not an error of the whole program.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core.errors import EngineError
from ..core.graph import Graph


@dataclass
class HandLine:
    """One line of the user's backward pass, ready to be graded."""

    target: str  # "dx"
    name: str  # "x", the forward name whose gradient it is
    node: int  # that name's node in the forward graph
    how: str  # "=", "+=", "-=", "*=", "/="
    pos: tuple
    graph: Graph | None  # the right-hand side (None if the line has an error)
    refs: dict = field(default_factory=dict)  # input name -> ("forward", node) | ("backward", name)
    error: EngineError | None = None


def is_backward(builder, target: str) -> bool:
    """Whether `target = …` is a backward line: d<name> for a name the forward program has.

    The first such line decides for the whole program: if no gate comes before it, there is no
    circuit to check, and `x = 2; dx = x * x` stays forward code (so do all its d-names).
    """
    g = builder.graph
    if target in g.backward_names:
        return True
    if len(target) < 2 or target[0] != "d" or target in builder.env or target[1:] not in builder.env:
        return False
    if g.handwriting is None:
        g.handwriting = "op" in g.kinds
    return g.handwriting


class LineNames:
    """A builder mixin for one backward line: forward values and earlier d-lines become its inputs."""

    def setup_line(self, main, target: str) -> None:
        """Share the forward builder's random state; remember what the line reads."""
        self.main, self.refs = main, {}
        self.rng, self.draws, self.target = main.rng, main.draws, target
        self.total, self.work = main.total, main.work  # one budget for the program and all its lines

    def name(self, ident: str, pos):
        """A name of the line: an earlier d-line, a forward value, or whatever the builder makes of it."""
        h = self.env.get(ident)
        if h is not None:
            return h
        main = self.main
        shapes = main.graph.backward_shapes
        if ident in shapes:
            if shapes[ident] is None:
                raise EngineError("backward_line_error", *pos, "value", name=ident,
                                  backward_line=main.graph.backward_names[ident])
            ref, shape = ("backward", ident), shapes[ident]
        elif ident in main.env:
            ref, shape = ("forward", main.env[ident]), main.graph.shapes[main.env[ident]]
        else:
            return super().name(ident, pos)
        i = self.leaf("input", np.zeros(shape) if shape else 0.0, pos, ident)
        self.env[ident] = i
        self.refs[ident] = ref
        return i


class LineRecorder:
    """Records one backward line: events reach its builder through a guard (`sink`)."""

    def __init__(self, main, target: str, pos, builder):
        self.main, self.target, self.pos, self.builder = main, target, pos, builder
        self.error: EngineError | None = None
        builder.setup_line(main, target)
        self.sink = _Guard(self)

    def finish(self, how: str, h) -> HandLine:
        """The recorded line; the d-name's shape is noted for the lines after it."""
        b, main = self.builder, self.main
        main.draws, main.total, main.work = b.draws, b.total, b.work
        graph = None
        if self.error is None:
            try:
                graph = b.graph
                graph.output = b.node(h)
            except EngineError as e:
                self.error, graph = e.at(self.pos), None
        shapes = main.graph.backward_shapes
        if graph is None:
            shapes[self.target] = None
        elif how == "=" or shapes.get(self.target) is None:
            shapes[self.target] = graph.shapes[graph.output]
        return HandLine(self.target, self.target[1:], main.env[self.target[1:]], how, self.pos, graph,
                        b.refs, self.error)


class _Guard:
    """The line's sink: after its first semantic error, every event of the line is ignored."""

    def __init__(self, line: LineRecorder):
        self._line = line

    def __getattr__(self, event: str):
        line = self._line
        method = getattr(line.builder, event)

        def guarded(*args):
            if line.error is not None:
                return None
            try:
                return method(*args)
            except EngineError as e:
                if e.kind in ("budget", "timeout"):
                    raise
                line.error = e.at(args[-1] if args and isinstance(args[-1], tuple) else line.pos)
                return None
        return guarded
