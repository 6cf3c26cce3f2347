"""Gatewise: see and learn backpropagation. The public Python API.

`gatewise.engine` is the engine (language, graph, ops, passes) and `gatewise.server` the web app;
this module re-exports what a user's script or notebook needs.
"""

from __future__ import annotations

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
)

__version__ = "0.1.0"

__all__ = ["evaluate", "build", "gradcheck", "op_table", "to_dict", "EngineError", "Limits", "Graph",
           "DEFAULT_LIMITS", "__version__"]
