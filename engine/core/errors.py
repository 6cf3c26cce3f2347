"""The one error type the engine raises for anything wrong with a program or its inputs."""

from __future__ import annotations

KINDS = ("syntax", "name", "arity", "shape", "value", "budget", "timeout")


class EngineError(Exception):
    """A program error with a message, a kind and (where it applies) a 1-based line and column."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 kind: str = "value"):
        super().__init__(message)
        assert kind in KINDS, kind
        self.message = message
        self.line = line
        self.column = column
        self.kind = kind

    def at(self, pos: tuple[int, int] | None) -> EngineError:
        """Attach a source position unless one is already known."""
        if pos is not None and self.line is None:
            self.line, self.column = pos
        return self

    def to_dict(self) -> dict:
        """The error as JSON-ready data."""
        return {"message": self.message, "line": self.line, "column": self.column, "kind": self.kind}

    def __str__(self) -> str:
        where = f" (line {self.line}, column {self.column})" if self.line is not None else ""
        return f"{self.message}{where}"
