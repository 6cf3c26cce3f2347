"""HTTP benchmark: CS231n POST /api/graph against GET /api/health, served by uvicorn in a subprocess.

Run: .venv/bin/python benchmarks/server_bench.py [--requests 3000] [--seconds 5]
The load is sequential over one keep-alive connection from this process (raw sockets, so the client
costs little), interleaved in blocks so all series see the same machine conditions. Two CS231n series:
identical requests (answered by the server's response cache after the first) and requests whose x
changes every time (the engine runs each time). Also times one ~10,000-node graph end to end
against the engine alone.
"""

from __future__ import annotations

import argparse
import itertools
import socket
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gatewise.engine import to_dict  # noqa: E402
from gatewise.server.local import serving  # noqa: E402

CS231N = {"expression": "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", "values": {"x": 3, "y": -4}}
TARGET = 0.75


def request(method: str, path: str, body: bytes = b"") -> bytes:
    """The raw bytes of an HTTP/1.1 keep-alive request."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
    if body:
        head += "Content-Type: application/json\r\n"
    return (head + "\r\n").encode() + body


class Connection:
    """One keep-alive connection that sends a request and reads exactly its response."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()  # bytearray: appending megabyte responses must not be quadratic

    def call(self, raw: bytes) -> tuple[int, bytes]:
        """(status, body) of one round trip."""
        self.sock.sendall(raw)
        while (end := self.buf.find(b"\r\n\r\n")) < 0:
            self._fill()
        lines = bytes(self.buf[:end]).split(b"\r\n")
        length = next(int(line.split(b":", 1)[1]) for line in lines
                      if line.lower().startswith(b"content-length:"))
        start = end + 4
        while len(self.buf) < start + length:
            self._fill()
        body = bytes(self.buf[start:start + length])
        del self.buf[:start + length]
        return int(lines[0].split()[1]), body

    def _fill(self) -> None:
        """Append what the socket has to the buffer."""
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf += chunk


def run_block(conn: Connection, raws: Iterator[bytes], count: int, out: list[float]) -> None:
    """count sequential round trips, appending each latency in seconds to out."""
    for _ in range(count):
        raw = next(raws)
        start = time.perf_counter()
        status, _ = conn.call(raw)
        out.append(time.perf_counter() - start)
        if status != 200:
            raise RuntimeError(f"unexpected status {status}")


def fresh_cs231n() -> Iterator[bytes]:
    """CS231n requests with a different x each time, so no response comes from the cache."""
    for k in itertools.count():
        body = {**CS231N, "values": {"x": 3 + k * 1e-9, "y": -4}}
        yield request("POST", "/api/graph", orjson.dumps(body))


def load(port: int, total: int, seconds: float, block: int = 250) -> dict[str, list[float]]:
    """Interleaved blocks of each series, bounded by total count (per series) and wall time."""
    conn = Connection(port)
    series = {"GET /api/health": itertools.repeat(request("GET", "/api/health")),
              "POST /api/graph cached": itertools.repeat(request("POST", "/api/graph", orjson.dumps(CS231N))),
              "POST /api/graph fresh": fresh_cs231n()}
    for raws in series.values():  # warm-up: imports, caches, the first thread-pool use
        run_block(conn, raws, 200, [])
    times: dict[str, list[float]] = {name: [] for name in series}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and len(times["GET /api/health"]) < total:
        for name, raws in series.items():
            run_block(conn, raws, block, times[name])
    return times


def summary(name: str, lat: list[float]) -> float:
    """Print p50/p99 latency and throughput; return req/s."""
    qs = statistics.quantiles(lat, n=100)
    rps = len(lat) / sum(lat)
    print(f"{name:<24} n={len(lat):<6} p50={qs[49] * 1e3:.3f} ms  p99={qs[98] * 1e3:.3f} ms  "
          f"{rps:,.0f} req/s")
    return rps


def big_program(n: int = 6667) -> str:
    """A chain of n statements, about 1.5 n gates (10,000 by default)."""
    lines = ["a0 = x * y"] + [f"a{i} = a{i - 1} * x + y" if i % 2 else f"a{i} = sigmoid(a{i - 1})"
                              for i in range(1, n)]
    return "\n".join(lines)


def big_request(port: int, repeats: int = 9) -> None:
    """End-to-end time of a ~10,000-node request against engine.evaluate + to_dict alone."""
    from gatewise import engine
    from gatewise.server.limits import Settings

    source = big_program()
    limits = Settings().limits
    engine_times, http_times, nodes = [], [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        nodes = len(to_dict(engine.evaluate(source, {"x": 0.5, "y": 0.1}, limits=limits))["nodes"])
        engine_times.append(time.perf_counter() - start)
    # A different y each time, so the response cache cannot answer.
    raws = (request("POST", "/api/graph", orjson.dumps({"expression": source, "values": {"x": 0.5, "y": y}}))
            for y in itertools.count(0.1, 1e-9))
    run_block(Connection(port), raws, repeats, http_times)
    e, h = statistics.median(engine_times), statistics.median(http_times)
    print(f"\n{nodes}-node graph: engine (evaluate + to_dict) {e * 1e3:.1f} ms, "
          f"HTTP end to end {h * 1e3:.1f} ms, ratio {h / e:.2f} (target <= ~2)")


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="graph requests at most (same for health)")
    parser.add_argument("--seconds", type=float, default=5.0, help="wall-time bound of the load")
    parser.add_argument("--no-big", action="store_true", help="skip the 10,000-node request")
    args = parser.parse_args()
    with serving() as url:
        port = int(url.rsplit(":", 1)[1])
        times = load(port, args.requests, args.seconds)
        print(f"sequential keep-alive load, 1 connection, uvicorn on 127.0.0.1:{port}")
        rates = {name: summary(name, lat) for name, lat in times.items()}
        floor = rates.pop("GET /api/health")
        floor_p50 = statistics.median(times["GET /api/health"])
        for name, rate in rates.items():
            ratio = rate / floor
            # The p50 ratio is steadier than req/s when other processes share the CPU.
            p50_ratio = floor_p50 / statistics.median(times[name])
            print(f"throughput ratio {name.split()[-1]:<6} graph/health = {ratio:.2f} (target >= {TARGET}) "
                  f"{'OK' if ratio >= TARGET else 'BELOW TARGET'}; p50 ratio {p50_ratio:.2f}")
        if not args.no_big:
            big_request(port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
