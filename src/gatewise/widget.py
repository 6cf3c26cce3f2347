"""The circuit as a notebook widget (anywidget): JupyterLab, Notebook 7, VS Code and marimo.

The front end is the page's own ES modules, bundled (gatewise.assets); every request it would send
to a server is answered here, in the kernel (gatewise.kernel). Python and the drawing stay in step:
setting `program`, `values` or `expand` redraws, and what the user does in the widget (editing,
scrubbing, expanding) comes back into those traits. `lang` ("en" or "zh") is the language of every text
the widget shows and of its errors; by default the kernel's locale's, as the CLI's.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import anywidget
import orjson
import traitlets

import gatewise
from gatewise import assets, kernel
from gatewise.engine import EngineError
from gatewise.engine.core.messages import language, render
from gatewise.html import standalone_html
from gatewise.locales import text
from gatewise.server.cli import cli_lang
from gatewise.server.responses import dumps, strict

log = logging.getLogger("gatewise.widget")

CHUNKS = 20  # c.train() redraws the loss curve and the circuit this many times per run


class Circuit(anywidget.AnyWidget):
    """The interactive circuit of a program: `Circuit("f = x * y", {"x": 3, "y": -4})`."""

    _esm = traitlets.Unicode().tag(sync=True)
    _css = traitlets.Unicode().tag(sync=True)
    program = traitlets.Unicode("").tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    expand = traitlets.Union([traitlets.Bool(), traitlets.List(traitlets.Unicode())],
                             default_value=[]).tag(sync=True)
    lang = traitlets.Unicode().tag(sync=True)

    def __init__(self, program: str = "", values: dict | None = None, expand: bool | list[str] = False,
                 lang: str | None = None, **kwargs: Any) -> None:
        js, css = assets.bundle()
        self._answers: dict[bytes, tuple[int, bytes]] = {}
        if lang is not None:
            kwargs["lang"] = lang
        super().__init__(_esm=js, _css=css, program=program, values=dict(values or {}),
                         expand=_expand(expand), **kwargs)
        self.on_msg(_on_message)

    @traitlets.default("lang")
    def _locale_lang(self) -> str:
        """The kernel's locale (LC_ALL, LC_MESSAGES, LANG: zh_CN.UTF-8 -> zh), else English."""
        return cli_lang(None, os.environ) or "en"

    @traitlets.validate("lang")
    def _known_lang(self, proposal: Any) -> str:
        """"zh", "zh-CN", "zh_CN.UTF-8" -> "zh"; a language Gatewise has no catalog for is an error."""
        found = language(str(proposal["value"]))
        if found is None:
            raise traitlets.TraitError(render("cli_language", {"lang": repr(proposal["value"])}, self.lang))
        return found

    @classmethod
    def from_torch(cls, fn: Any, *example_args: Any, expand: bool | list[str] = False,
                   lang: str | None = None) -> Circuit:
        """The circuit of PyTorch code: `Circuit.from_torch(model, x)`, or of a loss such as
        `Circuit.from_torch(lambda x, y: F.cross_entropy(model(x), y), x, y)`.

        Translated by gatewise.from_torch (checked against autograd); the translation, with its
        names' origins and check(), is the circuit's `translation`.
        """
        t = gatewise.from_torch(fn, *example_args)  # loads the bridge (and torch) only now
        circuit = cls(t.program, t.values, expand=expand, lang=lang)
        circuit.translation = t
        return circuit

    @traitlets.validate("values")
    def _strict_values(self, proposal: Any) -> dict:
        """Arrays as nested lists and non-finite numbers as strings: what the API (and JSON) take."""
        return strict(dict(proposal["value"]))

    @traitlets.validate("expand")
    def _expand_ids(self, proposal: Any) -> bool | list[str]:
        return _expand(proposal["value"])

    @traitlets.observe("program", "values", "expand")
    def _redraw(self, change: Any) -> None:
        """A change made in Python (not one the widget sent) is drawn, with the kernel's answer."""
        # ipywidgets holds _property_lock while it applies the front end's state; no comm yet in __init__.
        if self._property_lock or getattr(self, "comm", None) is None:
            return
        status, body = self._answer()
        self.send({"kind": "show", "program": self.program, "values": self.values, "expand": self.expand,
                   "status": status, "body": body.decode()})

    def _answer(self) -> tuple[int, bytes]:
        """The API's answer (status, JSON) for the current program, values and expansions (kept)."""
        request = dumps({"expression": self.program, "values": self.values, "expand": self.expand})
        key = (request, self.lang)
        if key not in self._answers:
            self._answers = {key: kernel.call("POST", "/api/graph", request, lang=self.lang)}
        return self._answers[key]

    @property
    def error(self) -> dict | None:
        """The program's error as {"message", "code", "params", "line", "column", "kind"} (the message in
        `lang`), or None."""
        status, body = self._answer()
        return None if status == 200 else orjson.loads(body)["detail"]

    @property
    def graph(self) -> dict:
        """The graph as the API's JSON (every node's value and gradient, every edge's local gradient)."""
        status, body = self._answer()
        if status != 200:
            raise CircuitError(orjson.loads(body)["detail"], self.lang)
        return orjson.loads(body)

    def train(self, lr: float = 0.1, steps: int = 100, params: list[str] | None = None,
              **options: Any) -> dict:
        """Gradient descent on the output in the kernel; the widget's loss curve and numbers follow.

        options are POST /api/optimize's (optimizer, batch_size, seed, momentum, init). Returns
        {"losses", "steps", "values", "final_loss", "stopped"}; the trained values stay in `values`.
        """
        run = {"losses": [], "steps": 0, "values": {}, "final_loss": None, "stopped": None}
        request = {"expression": self.program, "lr": lr, **options}
        if params is not None:
            request["params"] = list(params)
        for n in _chunks(steps):
            res = _optimize({**request, "values": self.values, "steps": n}, self.lang)
            request = {**request, "state": res["state"]}
            request.pop("init", None)  # a random start only for the first chunk
            run.update(steps=run["steps"] + res["steps"], final_loss=res["final_loss"],
                       stopped=res["stopped"])
            run["losses"] += res["losses"]
            run["values"].update(res["values"])
            self.values = {**self.values, **res["values"]}
            # The widget writes the status line in its language (widget.train_progress).
            self.send({"kind": "train", "losses": run["losses"], "steps": run["steps"], "total": steps,
                       "loss": res["final_loss"]})
            if res["stopped"] == "diverged":
                break
        return run

    def save_html(self, path: str | Path, lang: str | None = None) -> Path:
        """Writes the circuit as one self-contained HTML file (works offline, with no server), in
        `lang` (default: the widget's)."""
        lang = (language(lang) if lang else None) or self.lang
        target = Path(path)
        try:
            page = standalone_html(self.program, self.values, self.expand, lang=lang)
        except EngineError as e:
            raise CircuitError.of(e, lang) from None
        target.write_text(page, encoding="utf-8")
        return target


class CircuitError(ValueError):
    """An error of the circuit's program or request, written in the widget's language; its code, params,
    line, column and kind are kept as attributes (as the API's answer has them)."""

    def __init__(self, detail: dict, lang: str) -> None:
        self.message = str(detail.get("message", ""))
        self.code, self.params = detail.get("code"), detail.get("params") or {}
        self.line, self.column, self.kind = detail.get("line"), detail.get("column"), detail.get("kind")
        where = {"line": self.line, "col": self.column, "message": self.message}
        super().__init__(text("widget.error_at", lang, **where) if self.line else self.message)

    @classmethod
    def of(cls, e: EngineError, lang: str) -> CircuitError:
        """The widget's error for an engine error, its message rendered in lang."""
        return cls({"message": e.render(lang), "code": e.code, "params": e.params, "line": e.line,
                    "column": e.column, "kind": e.kind}, lang)


def show(program: str, expand: bool | list[str] = False, lang: str | None = None, **values: Any) -> Circuit:
    """The circuit of `program` at these input values, displayed: `show("f = x * y", x=3, y=-4)`
    (`lang="zh"`: in Chinese)."""
    return Circuit(program, values, expand=expand, lang=lang)


def _on_message(widget: Circuit, content: Any, buffers: Any) -> None:
    """A request from the widget's front end: answered by the in-kernel API."""
    if not isinstance(content, dict) or content.get("kind") != "request":
        return
    body = content.get("body")
    try:
        status, answer = kernel.call(str(content.get("method", "GET")), str(content.get("path", "")),
                                     body.encode() if isinstance(body, str) else None, lang=widget.lang)
    except Exception:  # the front end waits for every answer: a failure here must still reach it
        log.exception("the widget's request to %s failed in the kernel", content.get("path"))
        error = {"code": "engine_failed", "params": {}, "kind": "internal", "line": None, "column": None,
                 "message": render("engine_failed", {}, widget.lang)}
        status, answer = 400, orjson.dumps({"detail": error})
    widget.send({"kind": "response", "id": content.get("id"), "status": status, "body": answer.decode()})


def _optimize(request: dict, lang: str) -> dict:
    """POST /api/optimize in the kernel; a 4xx is raised as CircuitError with the API's message in lang."""
    status, body = kernel.call("POST", "/api/optimize", dumps(request), lang=lang)
    answer = orjson.loads(body)
    if status != 200:
        detail = answer["detail"]
        raise CircuitError(detail if isinstance(detail, dict) else {"message": str(detail)}, lang)
    return answer


def _chunks(steps: int) -> list[int]:
    """steps split into about CHUNKS parts (each at least 1)."""
    size = max(1, -(-int(steps) // CHUNKS))
    return [min(size, steps - done) for done in range(0, int(steps), size)]


def _expand(value: Any) -> bool | list[str]:
    """Expansions as the front end keeps them: True (all) or a list of composite ids."""
    if value is True:
        return True
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []
