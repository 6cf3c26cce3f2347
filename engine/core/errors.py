"""The one error type the engine raises for anything wrong with a program or its inputs."""

from __future__ import annotations

from .messages import DEFAULT_LANG, render

KINDS = ("syntax", "name", "arity", "shape", "value", "budget", "timeout")


class EngineError(Exception):
    """A program error: a stable code with its parameters (plain JSON values), a kind and (where it
    applies) a 1-based line and column. The message is rendered from the code in a language."""

    def __init__(self, code: str, line: int | None = None, column: int | None = None,
                 kind: str = "value", **params):
        super().__init__(render(code, params))
        assert kind in KINDS, kind
        self.code = code
        self.params = params
        self.line = line
        self.column = column
        self.kind = kind

    @property
    def message(self) -> str:
        """The message in English."""
        return render(self.code, self.params)

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """The message in lang."""
        return render(self.code, self.params, lang)

    def at(self, pos: tuple[int, int] | None) -> EngineError:
        """Attach a source position unless one is already known."""
        if pos is not None and self.line is None:
            self.line, self.column = pos
        return self

    def to_dict(self, lang: str = DEFAULT_LANG) -> dict:
        """The error as JSON-ready data."""
        return {"message": self.render(lang), "line": self.line, "column": self.column, "kind": self.kind,
                "code": self.code, "params": self.params}

    def as_param(self) -> dict:
        """The error as a parameter of another message ({code, params})."""
        return {"code": self.code, "params": self.params}

    def __reduce__(self):
        return _rebuild, (self.code, self.line, self.column, self.kind, self.params)

    def __str__(self) -> str:
        where = f" (line {self.line}, column {self.column})" if self.line is not None else ""
        return f"{self.message}{where}"


def _rebuild(code: str, line, column, kind: str, params: dict) -> EngineError:
    """An EngineError from its pickled parts."""
    return EngineError(code, line, column, kind, **params)
