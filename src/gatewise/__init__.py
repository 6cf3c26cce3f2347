"""Gatewise: see and learn backpropagation. The public Python API.

`gatewise.engine` is the engine (language, graph, ops, passes) and `gatewise.server` the web app;
this module re-exports what a user's script or notebook needs.
"""

from __future__ import annotations

import importlib

from .engine import (
    DEFAULT_LIMITS,
    EngineError,
    Graph,
    Limits,
    build,
    evaluate,
    gradcheck,
    op_table,
    to_dict,
    to_torch,
)

__version__ = "0.1.0"

__all__ = ["evaluate", "build", "gradcheck", "op_table", "to_dict", "EngineError", "Limits", "Graph",
           "DEFAULT_LIMITS", "from_torch", "to_torch", "Circuit", "show", "__version__"]

_BRIDGE = {"from_torch"}
_WIDGET = {"Circuit", "show"}


def __getattr__(name: str):
    """The PyTorch bridge and the notebook widget load on first use (PEP 562): torch and anywidget are
    optional extras, and the server, which imports this package, must never import them."""
    if name in _BRIDGE:
        return getattr(importlib.import_module(".torch_bridge", __name__), name)
    if name in _WIDGET:
        try:
            widget = importlib.import_module(".widget", __name__)
        except ImportError as exc:
            raise ImportError(f"gatewise.{name} needs the notebook extra: pip install 'gatewise[notebook]' "
                              f"({exc})") from exc
        return getattr(widget, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
