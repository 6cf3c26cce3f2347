"""The cost of the language: the app called in-process (ASGI, no sockets), interleaved in blocks.

Run: .venv/bin/python benchmarks/locale_bench.py [--rounds 20] [--block 500]
Series: GET /api/health with no Accept-Language (the reference), with a Chinese Accept-Language
(the locale middleware reads the header), and a syntax error answered in English and in Chinese
(the error body is rendered again in Chinese), and a graded hand-written backward pass answered in
English and in Chinese (its verdicts rendered from their codes in Chinese). Prints each series' time
per request and its ratio to the reference measured in the same run; then the graded program's page
form serialized in English and in Chinese, interleaved.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gatewise.engine import evaluate  # noqa: E402
from gatewise.engine.export.pageform import to_page  # noqa: E402
from gatewise.server.app import create_app  # noqa: E402
from gatewise.server.limits import Settings  # noqa: E402

ZH = [(b"accept-language", b"zh-CN,zh;q=0.9,en;q=0.8")]
JSON = [(b"content-type", b"application/json")]
BAD = b'{"expression": "f = (x + sigmoid(y)"}'
# The CS231n staged neuron with its hand-written backward pass: every verdict rendered per answer.
STAGED = ["x = 3", "y = -4", "sigy = 1 / (1 + exp(-y))", "num = x + sigy", "sigx = 1 / (1 + exp(-x))",
          "xpy = x + y", "xpysqr = xpy ** 2", "den = sigx + xpysqr", "invden = 1 / den", "f = num * invden",
          "df = 1", "dnum = invden * df", "dinvden = num * df", "dden = (-1 / den ** 2) * dinvden",
          "dsigx = 1 * dden", "dxpysqr = 1 * dden", "dxpy = 2 * xpy * dxpysqr", "dx = 1 * dxpy",
          "dy = 1 * dxpy", "dx += ((1 - sigx) * sigx) * dsigx", "dx += 1 * dnum", "dsigy = 1 * dnum",
          "dy += ((1 - sigy) * sigy) * dsigy"]
GRADED = orjson.dumps({"expression": "\n".join(STAGED), "format": "page"})


def _scope(method: str, path: str, headers: list, body: bytes) -> dict:
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
            "root_path": "", "headers": [*headers, (b"content-length", str(len(body)).encode())],
            "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 8000)}


async def _call(app, scope: dict, body: bytes) -> int:
    """One request through the whole app; its status."""
    sent = False
    status = 0

    async def receive():
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


SERIES = {
    "health (reference)": ("GET", "/api/health", [], b"", 200),
    "health, Accept-Language zh": ("GET", "/api/health", ZH, b"", 200),
    "syntax error, en": ("POST", "/api/graph", JSON, BAD, 400),
    "syntax error, zh": ("POST", "/api/graph", [*JSON, *ZH], BAD, 400),
    "graded backward pass, en": ("POST", "/api/graph", JSON, GRADED, 200),
    "graded backward pass, zh": ("POST", "/api/graph", [*JSON, *ZH], GRADED, 200),
}


async def _block(app, spec, n: int) -> float:
    method, path, headers, body, want = spec
    scope = _scope(method, path, headers, body)
    start = time.perf_counter()
    for _ in range(n):
        assert await _call(app, dict(scope), body) == want
    return (time.perf_counter() - start) / n


async def main(rounds: int, block: int) -> None:
    app = create_app(Settings(engine_processes=0, cache_bytes=0))
    times = {name: [] for name in SERIES}
    for _ in range(rounds):
        for name, spec in SERIES.items():  # interleaved: every series sees the same machine
            times[name].append(await _block(app, spec, block))
    ref = statistics.median(times["health (reference)"])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:<30} {med * 1e6:8.1f} µs/request   {med / ref:5.2f}× the reference")
    serialized(rounds, block)


def serialized(rounds: int, block: int) -> None:
    """The graded program's page form serialized in English (the reference) and in Chinese (every
    verdict rendered from its code), interleaved: what the language adds to the answer's rendering."""
    graph = evaluate("\n".join(STAGED))
    times: dict[str, list[float]] = {"en": [], "zh": []}
    for _ in range(rounds):
        for lang, ts in times.items():
            start = time.perf_counter()
            for _ in range(block):
                to_page(graph, lang=lang)
            ts.append((time.perf_counter() - start) / block)
    en, zh = (statistics.median(times[k]) for k in ("en", "zh"))
    print(f"page form of {len(graph.grades)} verdicts: en {en * 1e6:.1f} µs, zh {zh * 1e6:.1f} µs "
          f"({zh / en:.2f}×, +{(zh - en) * 1e6:.0f} µs)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--block", type=int, default=500)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.block))
