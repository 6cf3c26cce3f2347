"""Training steps per second: Gatewise's optimize() against the same loop hand-written in NumPy.

Run: .venv/bin/python benchmarks/train_bench.py [--steps 3000] [--rounds 5]
Two programs from the seed notes: the XOR network (2-4-1 sigmoid, MSE, 4 rows, full batch) and the
two-layer digits classifier (64-32-10: affine, sigmoid, affine, softmax cross-entropy; mini-batches of
64 rows of scikit-learn's 8x8 digits). Both loops do the same work per step (forward, backward, SGD
update; the digits loop also gathers its batch rows). The series are interleaved round by round so both
see the same machine conditions; the best round of each is reported, with the ratio (target <= 1.5).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gatewise.engine.train.optimize import optimize  # noqa: E402

XOR = "h = sigmoid(X @ W1 + b1)\np = sigmoid(h @ W2 + b2)\nloss = mse(p, Y)"
DIGITS = "h = sigmoid(X @ W1 + b1)\nz = h @ W2 + b2\nloss = cross_entropy(z, labels)"
TARGET = 1.5


def init(shapes: dict, seed: int) -> dict:
    """The same seeded start for both loops: engine init specs, materialised."""
    from gatewise.engine.train.optimizers import init_value

    return {n: init_value(n, {"shape": s, "dist": "zeros" if n.startswith("b") else "normal"}, seed)
            for n, s in shapes.items()}


def hand_xor(x, y, p0: dict, lr: float, steps: int) -> float:
    """The XOR loop as the notes write it in NumPy."""
    w1, b1, w2, b2 = (p0[n].copy() for n in ("W1", "b1", "W2", "b2"))
    for _ in range(steps):
        h = 1.0 / (1.0 + np.exp(-(x @ w1 + b1)))
        p = 1.0 / (1.0 + np.exp(-(h @ w2 + b2)))
        d = p - y
        loss = float(np.vdot(d, d)) / d.size  # noqa: F841  (the engine records it too)
        dz2 = (2.0 / d.size) * d * (1.0 - p) * p
        dz1 = (dz2 @ w2.T) * (1.0 - h) * h
        w2 = w2 - lr * (h.T @ dz2)
        b2 = b2 - lr * dz2.sum(axis=0, keepdims=True)
        w1 = w1 - lr * (x.T @ dz1)
        b1 = b1 - lr * dz1.sum(axis=0, keepdims=True)
    return loss


def hand_digits(x, labels, p0: dict, lr: float, steps: int, batch: int, seed: int) -> float:
    """The two-layer classifier with softmax cross-entropy and shuffled mini-batches."""
    w1, b1, w2, b2 = (p0[n].copy() for n in ("W1", "b1", "W2", "b2"))
    per_epoch, rows = len(x) // batch, np.arange(batch)
    lab = labels.astype(np.intp)
    for t in range(steps):
        epoch, slot = divmod(t, per_epoch)
        if slot == 0:
            perm = np.random.default_rng([seed, 7, epoch]).permutation(len(x))
        idx = perm[slot * batch:(slot + 1) * batch]
        xb, yb = x[idx], lab[idx]
        h = 1.0 / (1.0 + np.exp(-(xb @ w1 + b1)))
        z = h @ w2 + b2
        s = z - z.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        loss = -logp[rows, yb].mean()  # noqa: F841
        dz = np.exp(logp)
        dz[rows, yb] -= 1.0
        dz /= batch
        dh = (dz @ w2.T) * (1.0 - h) * h
        w2 = w2 - lr * (h.T @ dz)
        b2 = b2 - lr * dz.sum(axis=0, keepdims=True)
        w1 = w1 - lr * (xb.T @ dh)
        b1 = b1 - lr * dh.sum(axis=0, keepdims=True)
    return loss


def timed(fn) -> float:
    """Seconds taken by fn()."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench(name: str, engine_run, hand_run, steps: int, rounds: int) -> dict:
    """Best-of-rounds steps per second of both loops, interleaved (order alternating per round)."""
    engine_t, hand_t = [], []
    for k in range(rounds):
        pair = [(engine_t, engine_run), (hand_t, hand_run)]
        for times, run in pair if k % 2 == 0 else pair[::-1]:
            times.append(timed(run))
    e, h = steps / min(engine_t), steps / min(hand_t)
    ratio = h / e
    per_round = sorted(a / b for a, b in zip(engine_t, hand_t))
    verdict = "ok" if ratio <= TARGET else "SLOW"
    print(f"{name:8s} engine {e:9.0f} steps/s   hand-written NumPy {h:9.0f} steps/s   "
          f"ratio {ratio:4.2f}x best-of, {statistics.median(per_round):4.2f}x median of rounds "
          f"(target <= {TARGET}x: {verdict})")
    return {"name": name, "engine": e, "numpy": h, "ratio": ratio}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=11)
    args = ap.parse_args()
    steps = args.steps
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    y = np.array([[0], [1], [1], [0]], float)
    p0 = init({"W1": [2, 4], "b1": [1, 4], "W2": [4, 1], "b2": [1, 1]}, 0)
    xor_values = {"X": x, "Y": y, **p0}
    with np.errstate(all="ignore"):
        bench("xor", lambda: optimize(XOR, xor_values, lr=2.0, steps=steps, max_points=2),
              lambda: hand_xor(x, y, p0, 2.0, steps), steps, args.rounds)
        try:
            from sklearn.datasets import load_digits
        except ImportError:
            print("digits  skipped: pip install '.[digits]' (scikit-learn) to run it")
            return
        d = load_digits()
        dx, dl = d.data / 16.0, d.target.astype(float)
        q0 = init({"W1": [64, 32], "b1": [1, 32], "W2": [32, 10], "b2": [1, 10]}, 0)
        dig_values = {"X": dx, "labels": dl, **q0}
        bench("digits", lambda: optimize(DIGITS, dig_values, lr=0.5, steps=steps, batch_size=64, seed=0,
                                         max_points=2),
              lambda: hand_digits(dx, dl, q0, 0.5, steps, 64, 0), steps, args.rounds)
        held_out_accuracy(dx, dl)


def held_out_accuracy(x, labels) -> float:
    """Train on 1400 digits, report the accuracy on the 397 held out (the seeds' two-layer net)."""
    from gatewise import engine

    perm = np.random.default_rng(0).permutation(len(x))
    tr, te = perm[:1400], perm[1400:]
    init_specs = {"W1": {"shape": [64, 32]}, "b1": {"shape": [1, 32], "dist": "zeros"},
                  "W2": {"shape": [32, 10]}, "b2": {"shape": [1, 10], "dist": "zeros"}}
    start = time.perf_counter()
    r = optimize(DIGITS, {"X": x[tr], "labels": labels[tr]}, init=init_specs, lr=0.2, steps=1500,
                 optimizer="momentum", batch_size=64, seed=0)
    took = time.perf_counter() - start
    g = engine.evaluate(DIGITS, {**r["values"], "X": x[te], "labels": labels[te]})
    z = g.values[g.names.index("z")]
    acc = float((z.argmax(axis=1) == labels[te]).mean())
    print(f"digits   held-out accuracy {acc:.1%} on {len(te)} images after {r['steps']} steps of momentum "
          f"SGD, batches of 64 ({took:.2f} s; train loss {r['final_loss']:.3f})")
    return acc


if __name__ == "__main__":
    main()
