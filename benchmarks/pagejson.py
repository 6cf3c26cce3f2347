"""(d) of engine_bench.py: the page's answer (POST /api/graph with "format": "page") against PyTorch.

A 10,000-node scalar program evaluated for the first time (parse, build, passes and the page's JSON
bytes) and again with new input values (the built graph reused), each against PyTorch autograd
running the same computation as a Python loop: interleaved, first, PyTorch, again, in turns, so
load bursts on a shared machine hit all three alike; the medians of the per-turn ratios.
"""

from __future__ import annotations

import gc
import itertools
import os
import statistics
import time

import orjson

from gatewise import engine
from gatewise.server.routes.graph import page_answer

_RUNS = itertools.count()


def timed(fn) -> float:
    """One wall time of fn, after a collection (each side runs with the collector as it would)."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_page(src: str, reference, turns: int = 15) -> dict:
    """Ratios of the page's first and repeated answers to the reference (PyTorch), per turn."""
    graph = engine.evaluate(src)
    values = {name: 0.5 for name in graph.inputs}

    def first():
        return page_answer(engine.evaluate(f"{src}\n# page run {next(_RUNS)}"))  # unlike (a)'s comments

    def again():
        return page_answer(engine.evaluate(src, values))

    again()  # the template and its structure are kept from here on
    rows = [(timed(first), timed(reference), timed(again)) for _ in range(turns)]
    first_ms, ref_ms, again_ms = (statistics.median(col) * 1e3 for col in zip(*rows))
    return {"nodes": len(graph), "turns": turns, "first_ms": first_ms, "torch_ms": ref_ms,
            "again_ms": again_ms,
            "first_vs_torch": statistics.median(f / t for f, t, _ in rows),
            "again_vs_torch": statistics.median(a / t for _, t, a in rows),
            "first_best": min(f for f, _, _ in rows) / min(t for _, t, _ in rows),
            "again_best": min(a for _, _, a in rows) / min(t for _, t, _ in rows),
            "page_bytes_per_node": len(page_answer(graph)) / len(graph),
            "full_bytes_per_node": len(orjson.dumps(engine.to_dict(graph))) / len(graph),
            "load": os.getloadavg()[0], "cores": os.cpu_count()}


def page_bytes(src: str, values: dict) -> int:
    """Bytes of the page's answer for a program (the MNIST-sized net: target 300 KB)."""
    return len(page_answer(engine.evaluate(src, values)))


def report(d: dict, mnist_bytes: int) -> None:
    """Print (d) against its targets."""
    print(f"(d) page answer: {d['page_bytes_per_node']:.0f} bytes/node at {d['nodes']} nodes (full contract "
          f"{d['full_bytes_per_node']:.0f}; target <= 150); MNIST-sized net {mnist_bytes / 1e3:.0f} KB "
          "(target <= 300)")
    print(f"    first evaluation + page JSON {d['first_ms']:.1f} ms, PyTorch {d['torch_ms']:.1f} ms: median "
          f"ratio {d['first_vs_torch']:.2f}, best against best {d['first_best']:.2f} (target <= 1.0)")
    print(f"    same program, new values {d['again_ms']:.1f} ms: median ratio {d['again_vs_torch']:.2f}, "
          f"best {d['again_best']:.2f} (target <= 0.3); {d['turns']} interleaved turns, load average "
          f"{d['load']:.1f} on {d['cores']} cores")
