"""Gatewise engine: parse a program into a computational graph, run forward and backward passes.

Layers, each importing only those before it: core (errors, budgets, the graph), ops (the op
records), lang (parser, builder), export (JSON-ready data, codegen), run (evaluate, gradcheck),
train (optimizers, the training loop). This module only re-exports the public API.
"""

from __future__ import annotations

from .core.errors import EngineError
from .core.graph import Graph
from .core.limits import DEFAULT_LIMITS, Deadline, Limits
from .export.serialize import to_dict
from .export.torchcode import to_torch
from .lang.build import build
from .lang.reference import language_table
from .ops import FUNCTIONS, OPS, op_table
from .run.evaluate import evaluate
from .run.gradcheck import gradcheck

__all__ = ["evaluate", "build", "gradcheck", "op_table", "language_table", "to_dict", "EngineError", "Limits",
           "Deadline", "DEFAULT_LIMITS", "Graph", "OPS", "FUNCTIONS", "to_torch"]
