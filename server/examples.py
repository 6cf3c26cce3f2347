"""Curated examples, taken from the worked examples in the seed notes (CS231n, MLP, MNIST, XOR)."""

from __future__ import annotations

import numpy as np

from gatewise.engine.train.datasets import moons, spirals

CS231N_STAGED = """\
# CS231n, backprop in practice: staged computation
x = 3
y = -4
sigy = 1 / (1 + exp(-y))   # sigmoid in the numerator   (1)
num = x + sigy             # numerator                  (2)
sigx = 1 / (1 + exp(-x))   # sigmoid in the denominator (3)
xpy = x + y                #                            (4)
xpysqr = xpy**2            #                            (5)
den = sigx + xpysqr        # denominator                (6)
invden = 1 / den           #                            (7)
f = num * invden           # done!                      (8)
"""

NEURON = """\
# A 2-d neuron with a sigmoid activation: inputs x, weights w (the last is the bias)
w = [2, -3, -3]
x = [-1, -2]
dot = w[0]*x[0] + w[1]*x[1] + w[2]
f = 1 / (1 + exp(-dot))
"""

GATES = """\
# The add gate distributes, the max gate routes, the multiply gate swaps
q = x * y
m = max(z, w)
s = q + m
f = 2 * s
"""

XOR = """\
# XOR with a 2-4-1 sigmoid network and mean squared error
h = sigmoid(X @ W1 + b1)
p = sigmoid(h @ W2 + b2)
loss = mse(p, Y)
"""

SOFTMAX = """\
# Two-layer classifier: affine, sigmoid, affine, softmax with cross-entropy loss
h = sigmoid(X @ W1 + b1)
z = h @ W2 + b2
loss = cross_entropy(z, [0, 2, 1])   # the class label of each sample
"""

CLASSIFIER = """\
# A 2-feature classifier on your own data: tanh hidden layer, softmax cross-entropy
h = tanh(X @ W1 + b1)
z = h @ W2 + b2
loss = cross_entropy(z, y)
"""


def _classifier_values(data: dict, hidden: int, classes: int, seed: int) -> dict:
    """A data set and a seeded small random start for CLASSIFIER."""
    rng = np.random.default_rng(seed)
    return {"X": data["X"], "y": data["y"],
            "W1": np.round(rng.normal(size=(2, hidden)), 3).tolist(), "b1": [[0.0] * hidden],
            "W2": np.round(rng.normal(size=(hidden, classes)) / np.sqrt(hidden), 3).tolist(),
            "b2": [[0.0] * classes]}


# The Train panel's settings per example, chosen so that pressing Train visibly learns:
# (optimizer, learning rate, steps, parameters or None for the server's default choice).
PRESETS = {
    "cs231n": ("sgd", 0.5, 100, None), "cs231n-staged": ("sgd", 0.5, 100, None),
    "neuron": ("sgd", 1.0, 200, ["w"]), "neuron-gate": ("sgd", 1.0, 200, ["w0", "w1", "w2"]),
    "gates": ("sgd", 0.01, 10, None), "bowl": ("sgd", 0.1, 100, None),
    "xor": ("adam", 0.1, 300, None), "softmax": ("adam", 0.05, 200, None), "matmul": ("sgd", 0.05, 20, None),
    "moons": ("adam", 0.05, 300, None), "spirals": ("adam", 0.05, 300, None),
}


def _example(id_: str, title: str, description: str, expression: str, values: dict | None = None,
             expand: bool = False) -> dict:
    """One example in the shape of schemas.Example, with its training preset."""
    optimizer, lr, steps, params = PRESETS[id_]
    train = {"optimizer": optimizer, "lr": lr, "steps": steps, "params": params}
    return {"id": id_, "title": title, "description": description, "expression": expression,
            "values": values or {}, "expand": expand, "train": train}


EXAMPLES: list[dict] = [
    _example("cs231n", "CS231n: one expression",
             "f = (x + σ(y)) / (σ(x) + (x + y)²) at x = 3, y = -4. x is used three times, so its gradient "
             "is the sum of three contributions (the +=).",
             "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", {"x": 3, "y": -4}),
    _example("cs231n-staged", "CS231n: staged computation",
             "The same function in the eight named stages of the CS231n notes; each stage is a gate.",
             CS231N_STAGED),
    _example("neuron", "Sigmoid neuron",
             "f = σ(w0·x0 + w1·x1 + w2) from the CS231n notes; the sigmoid's local gradient is "
             "(1 - f)·f ≈ 0.2.",
             NEURON),
    _example("neuron-gate", "Sigmoid neuron, one gate",
             "The same neuron with sigmoid as a single gate; expand it to see the primitives again.",
             "f = sigmoid(w0*x0 + w1*x1 + w2)", {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}),
    _example("gates", "Add, multiply and max gates",
             "f = 2·(x·y + max(z, w)): the add gate passes its gradient to both inputs unchanged, "
             "the max gate routes it to the larger input only, the multiply gate scales it by the other "
             "input.",
             GATES, {"x": 3, "y": -4, "z": 2, "w": -1}),
    _example("bowl", "Gradient-descent bowl",
             "f = x² + y² + 2x + 2, the loss that the gradient-descent notes minimise from (1, 4): "
             "∂f/∂x = 2x + 2, ∂f/∂y = 2y.",
             "f = x*x + y*y + 2*x + 2", {"x": 1, "y": 4}),
    _example("xor", "XOR network (2-4-1, sigmoid, MSE)",
             "The NumPy XOR network: four samples, a hidden layer of four sigmoids, one sigmoid output and "
             "mean squared error; the gradients reach every weight matrix and bias.",
             XOR, {
                 "X": [[0, 0], [0, 1], [1, 0], [1, 1]],
                 "Y": [[0], [1], [1], [0]],
                 "W1": [[0.0, 0.6, -0.55, -1.78], [-0.91, -1.98, 0.12, 2.68]],
                 "b1": [[0, 0, 0, 0]],
                 "W2": [[-0.98], [-1.24], [0.98], [0.71]],
                 "b2": [[0]],
             }),
    _example("softmax", "Two-layer softmax classifier",
             "The MNIST two-layer net in miniature: three samples of four features, five hidden sigmoids, "
             "three classes, softmax with cross-entropy against integer labels.",
             SOFTMAX, {
                 "X": [[0.11, -0.93, -0.03, 0.7], [-1.34, -0.46, -1.9, -1.29], [-1.84, -0.24, -1.27, 0.27]],
                 "W1": [[0.08, -0.09, -1.26, -0.27, -0.02], [0.06, -0.77, -0.24, -0.49, -0.4],
                        [0.53, -0.4, -0.02, 0.44, -0.29], [-0.06, 0.06, 0.03, -0.61, 0.04]],
                 "b1": [[0, 0, 0, 0, 0]],
                 "W2": [[0.68, -0.77, 0.43], [0.06, -0.32, 1.0], [0.38, -0.6, 0.04], [0.29, -0.09, 0.34],
                        [-0.03, 0.33, 0.72]],
                 "b2": [[0, 0, 0]],
             }),
    _example("matmul", "Matrix product D = W @ X",
             "The vectorized gate from the CS231n notes: dW = dD @ X.T and dX = W.T @ dD. D is not a scalar, "
             "so its gradient is seeded with ones (the gradient of sum(D)).",
             "D = W @ X", {"W": [[0, 1, 0], [1, 0, 1]], "X": [[3, -2], [0, 0], [-1, -2]]}),
    _example("moons", "Two moons: train a classifier",
             "100 points of two interleaving half circles (a seeded generator), a 2-8-2 tanh network and "
             "cross-entropy. Train it and watch the decision boundary bend around the moons.",
             CLASSIFIER, _classifier_values(moons(100, noise=0.1, seed=0), 8, 2, 1)),
    _example("spirals", "Three spirals: train a classifier",
             "The CS231n spiral data (90 points, three arms, a seeded generator) and a 2-16-3 tanh network: "
             "a linear boundary cannot separate them, the hidden layer can.",
             CLASSIFIER, _classifier_values(spirals(90, classes=3, noise=0.2, seed=0), 16, 3, 2)),
]
