"""PyTorch modules and functions for the bridge's tests, each with its example inputs.

Every case is float64 from the start (except the one that tests the conversion), so that the tests'
own autograd reference on the user's objects needs nothing from the bridge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

D = torch.float64


@dataclass
class Case:
    """fn(*args); `params` maps each PyTorch origin (as t.names gives it) to the user's tensor."""

    fn: object
    args: tuple
    params: dict = field(default_factory=dict)


def _seeded(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def randn(*shape, seed=0):
    return torch.randn(*shape, generator=_seeded(seed), dtype=D)


def _module_case(model, *args, prefix=""):
    """A module called directly (prefix "") or inside a function that captures it as `model`."""
    return {prefix + name: p for name, p in model.named_parameters()}


class TwoLayer(nn.Module):
    """The seeds' MNIST-style classifier in miniature: affine, sigmoid, affine (scores)."""

    def __init__(self, n_in=16, hidden=8, classes=10):
        super().__init__()
        self.fc1 = nn.Linear(n_in, hidden, dtype=D)
        self.fc2 = nn.Linear(hidden, classes, dtype=D)

    def forward(self, x):
        return self.fc2(torch.sigmoid(self.fc1(x)))


class Residual(nn.Module):
    """Fan-out: the hidden value is used twice (relu(h) + h)."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3, dtype=D)

    def forward(self, x):
        h = self.fc(x)
        return (F.relu(h) + h * h).mean()


class Shared(nn.Module):
    """One layer applied twice, and a second layer whose weight is tied to the first's."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 3, dtype=D)
        self.fc2 = nn.Linear(3, 3, bias=False, dtype=D)
        self.fc2.weight = self.fc1.weight

    def forward(self, x):
        return torch.tanh(self.fc2(torch.tanh(self.fc1(self.fc1(x))))).sum()


class Scaled(nn.Module):
    """A buffer (a constant in Gatewise) and a Python constant."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2, dtype=D)
        self.register_buffer("scale", torch.tensor([0.5, -2.0], dtype=D))

    def forward(self, x):
        return (self.lin(x) * self.scale + 0.25).sum()


def build_cases() -> dict[str, Case]:
    """Every case by name; modules are made afresh with fixed seeds."""
    torch.manual_seed(0)
    return {**_seed_cases(), **_structure_cases(), **_op_cases(), **_loss_cases()}


def _seed_cases() -> dict[str, Case]:
    """The seeds' worked examples, written in PyTorch."""
    x, y = torch.tensor(3.0, dtype=D), torch.tensor(-4.0, dtype=D)
    w, xv = torch.tensor([2.0, -3.0, -3.0], dtype=D), torch.tensor([-1.0, -2.0], dtype=D)
    neuron = nn.Sequential(nn.Linear(2, 1, dtype=D), nn.Sigmoid())
    with torch.no_grad():
        neuron[0].weight.copy_(torch.tensor([[2.0, -3.0]])), neuron[0].bias.fill_(-3.0)
    xor = nn.Sequential(nn.Linear(2, 4, dtype=D), nn.Sigmoid(), nn.Linear(4, 1, dtype=D), nn.Sigmoid())
    X = torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]], dtype=D)
    Y = torch.tensor([[0.0], [1], [1], [0]], dtype=D)
    mse, ce, mnist = nn.MSELoss(), nn.CrossEntropyLoss(), TwoLayer()
    labels = torch.tensor([3, 1, 4, 1, 5, 9, 2, 6])
    sig, exp = torch.sigmoid, torch.exp
    return {
        "cs231n_circuit": Case(lambda x, y: (x + sig(y)) / (sig(x) + (x + y) ** 2), (x, y)),
        "sigmoid_neuron": Case(lambda w, x: 1 / (1 + exp(-(w[0] * x[0] + w[1] * x[1] + w[2]))), (w, xv)),
        "sigmoid_neuron_module": Case(neuron, (xv.reshape(1, 2),), _module_case(neuron)),
        "matmul_D_WX": Case(lambda W, X: W @ X, (randn(5, 10, seed=1), randn(10, 3, seed=2))),
        "xor_mse": Case(lambda X, Y: mse(xor(X), Y), (X, Y), _module_case(xor, prefix="xor.")),
        "mnist_two_layer_ce": Case(lambda x, y: ce(mnist(x), y), (randn(8, 16, seed=3), labels),
                                   _module_case(mnist, prefix="mnist.")),
        "two_layer_scores": Case(mnist, (randn(8, 16, seed=4),), _module_case(mnist)),
    }


def _structure_cases() -> dict[str, Case]:
    """Fan-out, shared and tied parameters, buffers, captured tensors, layers applied in place."""
    res, shared, scaled = Residual(), Shared(), Scaled()
    W1 = randn(3, 4, seed=9).requires_grad_()
    lin = nn.Linear(3, 2, bias=False, dtype=D)
    tanh_net = nn.Sequential(nn.Linear(3, 5, dtype=D), nn.Tanh(), nn.Linear(5, 2, dtype=D),
                             nn.ReLU(inplace=True))
    return {
        "fan_out_residual": Case(res, (randn(4, 3, seed=5),), _module_case(res)),
        "fan_out_input": Case(lambda x: x * x + torch.exp(x) * x, (randn(2, 2, seed=6),)),
        "shared_parameters": Case(shared, (randn(2, 3, seed=7),), _module_case(shared)),
        "buffer_and_constant": Case(scaled, (randn(3, 2, seed=8),), _module_case(scaled)),
        "captured_tensor": Case(lambda x: F.relu(x @ W1).sum(), (randn(2, 3, seed=10),), {"W1": W1}),
        "linear_no_bias_inplace": Case(lambda x: _inplace(lin, x), (randn(2, 3, seed=21),),
                                       _module_case(lin, prefix="lin.")),
        "sequential_tanh_relu": Case(tanh_net, (randn(4, 3, seed=26),), _module_case(tanh_net)),
    }


def _op_cases() -> dict[str, Case]:
    """The elementwise functions, arithmetic in every spelling, products and transposes."""
    return {
        "elementwise": Case(lambda x: (torch.log(x.abs() + 1) + torch.sqrt(x * x + 1) + x.sin() * torch.cos(x)
                                       + torch.tanh(x) - F.sigmoid(x) + F.relu(-x)).sum(),
                            (randn(3, 3, seed=11),)),
        "maximum_minimum": Case(lambda a, b: (torch.maximum(a, b) * torch.minimum(a, b)
                                              + torch.max(a, 2 * b)).mean(),
                                (randn(2, 3, seed=12), randn(2, 3, seed=13))),
        "transposes": Case(lambda a: (a.t() @ a + a.T.mm(a) - torch.transpose(a, 0, 1).matmul(a)
                                      + torch.matmul(a, a.transpose(1, 0))[0, 0]).sum(),
                           (randn(3, 2, seed=14),)),
        "reflected_arithmetic": Case(lambda x: (2 - x + 1 / (x * x + 1) + 2 ** x + x ** 3 - (-x)
                                                + torch.add(x, x, alpha=2)
                                                - torch.sub(x, 1) * torch.div(x, 3)).sum(),
                                     (randn(4, seed=15),)),
        "broadcasting": Case(lambda a, b: (a + b) * (a - b) / (b * b + 1),
                             (randn(3, 1, seed=22), randn(1, 4, seed=23))),
        "vectors_dot": Case(lambda u, v: u @ v + (u * v).sum(dim=(0,)),
                            (randn(5, seed=24), randn(5, seed=25))),
    }


def _loss_cases() -> dict[str, Case]:
    """softmax over rows and the losses' other reductions."""
    return {
        "softmax_sum_zero_gradient": Case(lambda z: F.softmax(z, dim=-1).sum(), (randn(3, 4, seed=27),)),
        "softmax_rows": Case(lambda z: -torch.log(F.softmax(z, dim=-1))[0, 1] + nn.Softmax(dim=1)(z)[1, 2],
                             (randn(2, 3, seed=16),)),
        "mse_sum_and_none": Case(lambda p, t: F.mse_loss(p, t, reduction="sum")
                                 + F.mse_loss(p, t, reduction="none").mean(),
                                 (randn(3, 2, seed=17), randn(3, 2, seed=18))),
        "cross_entropy_sum_vector": Case(lambda z, v: F.cross_entropy(z, torch.tensor([2, 0]),
                                                                      reduction="sum")
                                         + F.cross_entropy(v, torch.tensor(1)),
                                         (randn(2, 3, seed=19), randn(4, seed=20))),
    }


def _inplace(lin, x):
    h = lin(x)
    h += 1.5
    h = F.relu(h, inplace=True)
    return h.sum()
