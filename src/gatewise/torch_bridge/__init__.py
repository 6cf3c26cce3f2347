"""The PyTorch bridge: `from_torch` turns PyTorch code into a Gatewise program checked against autograd.

PyTorch is an optional extra (`pip install 'gatewise[torch]'`); without it `from_torch` says so.
"""

from __future__ import annotations

INSTALL_HINT = "from_torch needs PyTorch: pip install 'gatewise[torch]'"

try:
    import torch  # noqa: F401
except ModuleNotFoundError:
    torch = None

if torch is not None:
    from .translate import (
        TOLERANCE,
        Translation,
        TranslationMismatch,
        UnsupportedOperations,
        from_torch,
        rel_diff,
    )
else:
    def from_torch(fn, *example_args):
        """Without PyTorch installed: say how to install it."""
        raise ModuleNotFoundError(INSTALL_HINT)

SUPPORTED = (
    "nn.Linear, nn.Sequential, nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Softmax(dim=-1), nn.MSELoss, "
    "nn.CrossEntropyLoss and their functional forms; matmul/@/mm; t()/.T/transpose of 2-D tensors; "
    "+ - * / ** and neg; exp log sqrt abs sin cos tanh sigmoid relu; maximum/minimum; sum and mean of "
    "all elements; softmax over the last axis; indexing with integer constants"
)

__all__ = ["from_torch", "SUPPORTED", "INSTALL_HINT", "Translation", "TranslationMismatch",
           "UnsupportedOperations", "TOLERANCE", "rel_diff"]
