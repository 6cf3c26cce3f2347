"""from_torch refuses what Gatewise cannot express: one error listing every such call with its line."""

from __future__ import annotations

import inspect

import pytest

torch = pytest.importorskip("torch")

import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from gatewise import from_torch  # noqa: E402
from gatewise.torch_bridge import UnsupportedOperations  # noqa: E402

D = torch.float64


def x23():
    return torch.arange(6, dtype=D).reshape(2, 3) / 7 + 0.1


def here() -> int:
    """The caller's line number (the line an error must name)."""
    return inspect.currentframe().f_back.f_lineno


class Conv(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 1, 3, dtype=D)
        self.fc = nn.Linear(4, 2, dtype=D)

    def forward(self, x):
        h = self.conv(x)
        self.lines = [here() - 1]
        h = h.view(1, -1)
        self.lines.append(here() - 1)
        return self.fc(h).sum()


def test_every_unsupported_call_is_listed_with_its_source_line():
    model = Conv()
    with pytest.raises(UnsupportedOperations) as info:
        from_torch(model, torch.ones(1, 1, 4, 4, dtype=D))
    text = str(info.value)
    conv, view = model.lines
    assert f"conv2d at test_torch_bridge_errors.py:{conv}" in text
    assert f"view at test_torch_bridge_errors.py:{view}" in text
    assert "cannot translate 2 operations" in text
    assert [r.op for r in info.value.refusals] == ["conv2d", "view"]


# Each: the function, and what the error must say (the call or its form, and what is supported instead).
REFUSED = {
    "reshape": (lambda x: x.reshape(3, 2).sum(), ["reshape at"]),
    "slice": (lambda x: x[:, 1:].sum(), ["indexing with slice", "constant integer indices only"]),
    "tensor_index": (lambda x: x[torch.tensor([0])].sum(), ["indexing with Tensor"]),
    "sum_dim": (lambda x: x.sum(dim=1).sum(), ["sum(dim=1)", "only the sum or mean of all elements"]),
    "mean_keepdim": (lambda x: x.mean(dim=(0, 1), keepdim=True).sum(), ["mean(dim=(0, 1), keepdim=True)"]),
    "max_reduce": (lambda x: x.max(), ["max of one tensor", "elementwise max of two tensors"]),
    "softmax_dim0": (lambda x: F.softmax(x, dim=0).sum(), ["softmax(dim=0) of a 2-D tensor", "last axis"]),
    "log_softmax": (lambda x: F.log_softmax(x, dim=-1).sum(), ["log_softmax at"]),
    "matmul_3d": (lambda x: (x.reshape(1, 2, 3) @ x.T).sum(), ["reshape at", "matmul of a 3-D tensor"]),
    "div_floor": (lambda x: torch.div(x, 2, rounding_mode="floor").sum(), ["div(rounding_mode='floor')"]),
    "mse_weight_legacy": (lambda x: F.mse_loss(x, x * 2, reduce=True), ["size_average= or reduce="]),
    "ce_probabilities": (lambda x: F.cross_entropy(x, torch.full((2, 3), 1 / 3, dtype=D)),
                         ["cross_entropy with class-probability targets"]),
    "ce_smoothing": (lambda x: F.cross_entropy(x, torch.tensor([0, 1]), label_smoothing=0.1),
                     ["cross_entropy with weight= or label_smoothing="]),
    "ce_ignore": (lambda x: F.cross_entropy(x, torch.tensor([0, -100])), ["ignore_index=-100"]),
    "ce_none": (lambda x: F.cross_entropy(x, torch.tensor([0, 1]), reduction="none").sum(),
                ["cross_entropy(reduction='none')"]),
    "comparison": (lambda x: (x * (x > 0.3)).sum(), ["gt at"]),
    "item": (lambda x: x * x.sum().item(), ["item at"]),
    "detach": (lambda x: (x * x.detach()).sum(), ["detach at"]),
    "data": (lambda x: (x * x.data).sum(), [".data at"]),
    "no_grad": (lambda x: _under_no_grad(x), ["mul under torch.no_grad()"]),
    "inplace_view": (lambda x: _inplace_on_view(x), ["add_ in place on a view"]),
    "non_finite_constant": (lambda x: (x * float("inf")).sum(), ["mul with a constant", "inf"]),
    "dropout": (lambda x: F.dropout(x, 0.5).sum(), ["dropout at"]),
    "cat": (lambda x: torch.cat([x, x]).sum(), ["cat at"]),
    "clamp": (lambda x: x.clamp(min=0).sum(), ["clamp at"]),
    "cast_to_int": (lambda x: x.to(torch.int64).sum(), ["to(torch.int64)"]),
}


def _under_no_grad(x):
    with torch.no_grad():
        y = x * 2
    return (x + y).sum()


def _inplace_on_view(x):
    h = x * 1
    v = h[0]
    v.add_(1)
    return h.sum()


@pytest.mark.filterwarnings("ignore:size_average and reduce")
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_unsupported_form_is_refused_with_a_clear_message(name):
    fn, expected = REFUSED[name]
    with pytest.raises(UnsupportedOperations) as info:
        from_torch(fn, x23())
    text = str(info.value)
    for part in expected:
        assert part in text, (part, text)
    assert "test_torch_bridge_errors.py:" in text  # every refusal names the user's line


def test_refusals_are_never_a_silently_different_program():
    # An unsupported call whose result is not even returned still refuses: its value could steer the
    # Python code around it (as .item() does), which a program cannot show.
    with pytest.raises(UnsupportedOperations, match="sort at"):
        from_torch(lambda x: (x.sort().values, x * 2)[1].sum(), x23())


def test_layers_without_a_user_line_name_their_module():
    model = nn.Sequential(nn.Linear(3, 3, dtype=D), nn.LayerNorm(3, dtype=D))
    with pytest.raises(UnsupportedOperations, match=r"layer_norm at module 1 \(LayerNorm\)"):
        from_torch(model, x23())


def test_results_that_are_not_one_tensor_are_refused_clearly():
    with pytest.raises(TypeError, match="return one tensor"):
        from_torch(lambda x: (x * 2, x * 3), x23())
    with pytest.raises(TypeError, match="unchanged"):
        from_torch(lambda x: x, x23())
    with pytest.raises(TypeError, match="Module or a function"):
        from_torch(42, x23())
