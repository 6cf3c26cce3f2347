"""CPU time (process time) of the hot paths, for side-by-side runs on a shared machine (compare.py).

Run: .venv/bin/python benchmarks/cpu_bench.py [--repeats 7]
Wall-clock figures on this 2-core host swing with other jobs; the CPU time a process spends is
steadier, and single-threaded BLAS keeps a second thread's spinning out of it. Each figure is the
best of --repeats blocks:
- a training step: XOR (mse) and, with scikit-learn, digits (64 rows, softmax cross-entropy);
- a fresh CS231n POST /api/graph (a new x each time) through the app's ASGI stack in this process,
  with no client or sockets: the server's own cost per request; GET /api/health beside it, the
  stack's fixed cost (middleware, routing, answering), and the difference, the route's own work;
- the engine's part of that request alone (evaluate, to_dict, orjson);
- engine_bench.py's (a) and (b): a 10,000-node program's first evaluate + to_dict (a new comment
  each time, so no cache answers), the MNIST-sized net's forward + backward.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads BLAS

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import orjson  # noqa: E402

from gatewise import engine  # noqa: E402
from gatewise.engine import to_dict  # noqa: E402
from gatewise.engine.train.optimize import optimize  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # engine_bench and programs, beside this file
from server_bench import CS231N as CS231N_REQUEST  # noqa: E402  (the other scripts' programs)
from train_bench import DIGITS, XOR, init  # noqa: E402

CS231N = CS231N_REQUEST["expression"]


def best_us(block, count: int, repeats: int) -> float:
    """Best CPU microseconds per item of block(count), over repeats (one warm-up first)."""
    block(count)
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        t = time.process_time()
        block(count)
        best = min(best, time.process_time() - t)
    return best / count * 1e6


def train_blocks() -> dict:
    """name -> block(steps) training that program for that many steps."""
    xor = {"X": np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float), "Y": np.array([[0], [1], [1], [0]], float),
           **init({"W1": [2, 4], "b1": [1, 4], "W2": [4, 1], "b2": [1, 1]}, 0)}
    blocks = {"train xor step": lambda n: optimize(XOR, xor, lr=2.0, steps=n, max_points=2)}
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        print("digits skipped: pip install '.[digits]' (scikit-learn) to run it")
        return blocks
    d = load_digits()
    dig = {"X": d.data / 16.0, "labels": d.target.astype(float),
           **init({"W1": [64, 32], "b1": [1, 32], "W2": [32, 10], "b2": [1, 10]}, 0)}
    blocks["train digits step"] = lambda n: optimize(DIGITS, dig, lr=0.5, steps=n, batch_size=64, seed=0,
                                                     max_points=2)
    return blocks


def bodies():
    """Fresh CS231n request bodies: a new x each time, so no cache answers."""
    k = 0
    while True:
        k += 1
        yield orjson.dumps({"expression": CS231N, "values": {"x": 3 + k * 1e-9, "y": -4}})


def engine_block(fresh):
    def block(n: int) -> None:
        for _ in range(n):
            values = orjson.loads(next(fresh))["values"]
            orjson.dumps(to_dict(engine.evaluate(CS231N, values)), option=orjson.OPT_SERIALIZE_NUMPY)
    return block


async def _call(app, body: bytes | None) -> None:
    """POST /api/graph with this body (GET /api/health without one) through the ASGI app: a 200."""
    path, method = ("/api/health", "GET") if body is None else ("/api/graph", "POST")
    headers = [(b"host", b"bench")]
    if body is not None:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "client": ("127.0.0.1", 1), "server": ("bench", 80), "headers": headers}
    messages = [{"type": "http.request", "body": body or b"", "more_body": False}]
    sent = []

    async def receive():
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["status"] == 200, sent


def server_us(repeats: int, count: int) -> tuple[float, float]:
    """Best CPU microseconds per fresh request through the app, and per GET /api/health (the stack's
    own cost: middleware, routing, the response), blocks of both interleaved."""
    from gatewise.server.app import create_app

    async def main() -> tuple[float, float]:
        app, fresh = create_app(), bodies()
        best = {True: float("inf"), False: float("inf")}

        async def block(graph: bool) -> float:
            t = time.process_time()
            for _ in range(count):
                await _call(app, next(fresh) if graph else None)
            return time.process_time() - t
        async with app.router.lifespan_context(app):
            await block(True), await block(False)
            for _ in range(repeats):
                for graph in (True, False):
                    gc.collect()
                    best[graph] = min(best[graph], await block(graph))
        return best[True] / count * 1e6, best[False] / count * 1e6
    return asyncio.run(main())


def engine_figures(repeats: int) -> None:
    """(a) and (b) of engine_bench.py in CPU time: a 10,000-node program's first evaluate + to_dict,
    and the MNIST-sized net's forward + backward."""
    import engine_bench
    from programs import staged_program

    src, turn = staged_program(10_000), iter(range(10**6))

    def fresh(n: int) -> None:
        for _ in range(n):
            to_dict(engine.evaluate(f"{src}\n# {next(turn)}"))
    first = best_us(fresh, 1, repeats)
    print(f"{'(a) first evaluate+to_dict':<28} {first / 1e3:9.2f} ms CPU")
    graph = engine.evaluate(engine_bench.MLP, engine_bench.mlp_values())

    def passes(n: int) -> None:
        for _ in range(n):
            graph.forward()
            graph.backward()
    print(f"{'(b) MLP forward+backward':<28} {best_us(passes, 20, repeats) / 1e3:9.3f} ms CPU")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    # The requests first: after training (and scikit-learn's imports) the same requests cost more.
    fresh, health = server_us(args.repeats, 400)
    print(f"{'server fresh request':<28} {fresh:9.2f} us CPU")
    print(f"{'server GET /api/health':<28} {health:9.2f} us CPU")
    print(f"{'server fresh - health':<28} {fresh - health:9.2f} us CPU (the route's own work)")
    print(f"{'engine part of it':<28} {best_us(engine_block(bodies()), 400, args.repeats):9.2f} us CPU")
    engine_figures(args.repeats)
    with np.errstate(all="ignore"):
        for name, block in train_blocks().items():
            print(f"{name:<28} {best_us(block, 1000, args.repeats):9.2f} us CPU")


if __name__ == "__main__":
    main()
