"""A bounded attack on one `gatewise serve` worker: expensive requests in flight, cheap ones measured.

Run: .venv/bin/python benchmarks/attack_bench.py [--attackers 24] [--seconds 10] [--jobs 2 --queue 8]
Attacker threads each keep one expensive request in flight (a closed loop over the attacks below,
each a class of issue 9) for --seconds, while two probers measure GET /api/health and a cheap
CS231n POST /api/graph (a new x each time, so the engine runs). Printed: health and cheap-request
p50/p99, each attack's answers and latencies, the server's CPU in the seconds after the last
answer, and its RSS before and after. Everything is on loopback and bounded in time and requests.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import multiprocessing
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gatewise.server.local import started  # noqa: E402

CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
JSON = {"content-type": "application/json"}
ONLY: list[str] = []  # --only: words of the attack names to keep


def _attacks() -> dict[str, tuple[str, bytes]]:
    """name -> (path, body): one request per class of expensive input."""
    chain = "\n".join(["a0 = x"] + [f"a{i} = sigmoid(a{i - 1}) * x + y" for i in range(1, 30_000)])
    stack = lambda n: "f = sum([" + ", ".join(["x"] * n) + "])"
    bodies = {
        "stack of 100k (graph)": ("/api/graph", {"expression": stack(100_000), "values": {"x": 1}}),
        "stack of 30k (codegen)": ("/api/codegen", {"expression": stack(30_000), "values": {"x": 1}}),
        "90k-gate chain (graph)": ("/api/graph", {"expression": chain, "values": {"x": 1, "y": 2}}),
        "1500 inits of 500x500 (optimize)": ("/api/optimize", {
            "expression": "f = x * x", "values": {"x": 1},
            "init": {f"p{i}": {"shape": [500, 500]} for i in range(1500)}}),
        "W @ W 300x300 (gradcheck)": ("/api/gradcheck", {
            "expression": "f = sum(W @ W)", "values": {"W": [[0.01 * (i + j) for j in range(300)]
                                                               for i in range(300)]}}),
        "100k steps + landscape (optimize)": ("/api/optimize", {
            "expression": "f = x*x + y*y + 2*x + 2", "values": {"x": 1, "y": 4}, "steps": 100_000,
            "landscape": {"x": "x", "y": "y", "n": 101}}),
        "failing 1M-element value (graph)": ("/api/graph", {
            "expression": "f = sum(x)", "values": {"x": [1.5] * 1_000_000}}),
    }
    return {name: (path, orjson.dumps(body)) for name, (path, body) in bodies.items()
            if not ONLY or any(word in name for word in ONLY)}


class Client:
    """One keep-alive HTTP connection; reconnects after the server closes it."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port, self.timeout, self.conn = port, timeout, None

    def call(self, method: str, path: str, body: bytes | None = None) -> tuple[int, float, float]:
        """(status, seconds, the server's own seconds from Server-Timing or NaN) of one round trip;
        status 0 for a failed connection."""
        start = time.perf_counter()
        for _ in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                self.conn.request(method, path, body=body, headers=JSON if body else {})
                response = self.conn.getresponse()
                response.read()
                timing = response.getheader("server-timing", "")
                server = float(timing.split("dur=")[1]) / 1000 if "dur=" in timing else float("nan")
                return response.status, time.perf_counter() - start, server
            except (OSError, http.client.HTTPException):
                self.conn = None
        return 0, time.perf_counter() - start, float("nan")


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) the process tree has used."""
    total = 0
    for p in tree(pid):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks of 1/100 s
    return total / 100.0


def tree(pid: int) -> list[int]:
    """pid and its descendants (the engine processes and their fork server)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += tree(int(child))
    return found


def proc_rss(pid: int) -> float:
    """Resident memory of the process tree in MB (shared pages counted in each process)."""
    total = 0
    for p in tree(pid):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def pct(values: list[float], q: float) -> float:
    """The q-th percentile in milliseconds (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def _attacker(port: int, k: int, stop: float, out, attacks: list) -> None:
    """One closed loop of expensive requests until stop; each answer goes to out."""
    client = Client(port)
    for name, (path, body) in itertools.islice(itertools.cycle(attacks), k, None):
        if time.time() > stop:
            return
        status, took, server = client.call("POST", path, body)
        out.put((name, status, took, server, time.time()))


def _attackers(port: int, attackers: int, stop: float, out) -> None:
    """The attacker threads, in a process of their own: reading megabyte answers holds the GIL,
    which would delay the probers' clocks if they shared one."""
    attacks = list(_attacks().items())
    threads = [threading.Thread(target=_attacker, args=(port, k, stop, out, attacks))
               for k in range(attackers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(None)


def attack(port: int, attackers: int, seconds: float) -> dict:
    """Run the attackers and the probers for `seconds`; the measurements."""
    stop = time.time() + seconds
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    attacking = context.Process(target=_attackers, args=(port, attackers, stop, out))
    attacking.start()
    probes: dict[str, list] = defaultdict(list)

    def prober(kind: str, every: float) -> None:
        client = Client(port)
        time.sleep(2.0)  # the attackers' process starts and builds its bodies meanwhile
        for x in itertools.count():
            if time.time() > stop:
                return
            if kind == "health":
                status, took, server = client.call("GET", "/api/health")
            else:
                body = orjson.dumps({"expression": CS231N, "values": {"x": 3 + x * 1e-3, "y": -4}})
                status, took, server = client.call("POST", "/api/graph", body)
            probes[kind].append((status, took, server))
            time.sleep(every)

    threads = [threading.Thread(target=prober, args=("health", 0.02)),
               threading.Thread(target=prober, args=("cheap", 0.04))]
    for t in threads:
        t.start()
    results: dict[str, list] = defaultdict(list)
    last = 0.0
    while (item := out.get()) is not None:
        name, status, took, server, when = item
        results[name].append((status, took, server))
        last = max(last, when)
    for t in threads:
        t.join()
    attacking.join()
    return {"results": results, "probes": probes, "last_answer": last}


def report(run: dict, pid: int, rss_before: float, settle: float) -> None:
    """Print the measurements, then the server's CPU after the last answer and its RSS."""
    cpu_at_end = proc_cpu(pid)
    time.sleep(settle)
    cpu_after = proc_cpu(pid) - cpu_at_end
    since = time.time() - run["last_answer"]
    print(f"{'series':<34} {'n':>4} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'server max':>10}  statuses")
    for name, rows in [*run["probes"].items(), *run["results"].items()]:
        took = [t for _, t, _ in rows]
        server = max((s for _, _, s in rows if s == s), default=float("nan"))
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(Counter(s for s, _, _ in rows).items()))
        print(f"{name:<34} {len(rows):>4} {pct(took, 50):>7.1f} {pct(took, 99):>7.1f} "
              f"{1000 * max(took, default=0):>7.0f} {1000 * server:>10.0f}  {statuses}")
    print(f"\nserver CPU in the {since:.1f} s after the last answer: {cpu_after:.2f} s "
          f"(measured over the last {settle:.1f} s)")
    print(f"server RSS: {rss_before:.0f} MB before, {proc_rss(pid):.0f} MB after")


def main() -> None:
    """Start one worker, warm it up, attack it, report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--attackers", type=int, default=24)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--jobs", type=int, default=None, help="GATEWISE_ENGINE_JOBS (default: the server's)")
    ap.add_argument("--queue", type=int, default=None, help="GATEWISE_ENGINE_QUEUE")
    ap.add_argument("--settle", type=float, default=2.0, help="seconds of CPU measured after the attack")
    ap.add_argument("--only", nargs="*", default=[], help="keep only attacks whose names contain these")
    args = ap.parse_args()
    ONLY[:] = args.only
    env = {"GATEWISE_CACHE_BYTES": "0"}  # every attack runs the engine; none is answered from memory
    if args.jobs is not None:
        env["GATEWISE_ENGINE_JOBS"] = str(args.jobs)
    if args.queue is not None:
        env["GATEWISE_ENGINE_QUEUE"] = str(args.queue)
    with started(env) as (url, proc):
        port = int(url.rsplit(":", 1)[1])
        warm = Client(port)
        for x in range(50):
            warm.call("POST", "/api/graph", orjson.dumps({"expression": CS231N, "values": {"x": x, "y": -4}}))
        rss_before = proc_rss(proc.pid)
        print(f"{args.attackers} attackers for {args.seconds:g} s against one worker ({env})\n")
        run = attack(port, args.attackers, args.seconds)
        report(run, proc.pid, rss_before, args.settle)


if __name__ == "__main__":
    main()
