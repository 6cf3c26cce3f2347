"""Issue 9 against real `gatewise serve` processes: admission control and 503, the event loop free
while engine jobs run, no work after a client leaves, keep-alive with two workers, paths and
bodies answered as by the app. Bounded in time and requests, loopback only; servers are stopped."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from pathlib import Path

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from gatewise.server.app import create_app
from gatewise.server.limits import Settings
from gatewise.server.local import started

CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
# About 450,000 gates (~5 MB): several seconds of work unbounded on any machine we know, so the budget
# stops it. (A 90,000-gate chain once finished inside 1 s on a fast CI machine and answered 200.)
CHAIN = "\n".join(["a0 = x"] + [f"a{i} = sigmoid(a{i - 1}) * x + y" for i in range(1, 150_000)])
EXPENSIVE = orjson.dumps({"expression": CHAIN, "values": {"x": 1, "y": 2}})
# Loose size budgets, so that only the time budget can stop the chain.
LOOSE = {"GATEWISE_MAX_NODES": "1000000", "GATEWISE_MAX_SOURCE_CHARS": "8000000",
         "GATEWISE_MAX_STATEMENTS": "1000000"}
JSON = {"content-type": "application/json"}
BUDGET = 1.0
TIMEOUT = 30.0


@pytest.fixture(scope="module")
def busy():
    """One worker with one engine job and two waiting at most, a 1 s budget, no response cache."""
    env = {"GATEWISE_TIME_BUDGET": str(BUDGET), "GATEWISE_ENGINE_JOBS": "1", "GATEWISE_ENGINE_QUEUE": "2",
           "GATEWISE_CACHE_BYTES": "0", **LOOSE}
    with started(env) as (url, proc):
        yield url, proc


def server_seconds(response: httpx.Response) -> float:
    """The server's own time for the answer, from its Server-Timing header."""
    return float(response.headers["server-timing"].split("dur=")[1]) / 1000


def tree_cpu(pid: int) -> float:
    """CPU seconds used by the process and its descendants (the engine processes)."""
    def pids(p: int) -> list[int]:
        found = [p]
        for task in Path(f"/proc/{p}/task").iterdir():
            found += [q for child in (task / "children").read_text().split() for q in pids(int(child))]
        return found
    total = 0
    for p in pids(pid):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / 100


def test_a_full_queue_answers_503_with_retry_after_and_health_stays_answered(busy):
    url, _ = busy
    answers, health = [], []

    def expensive() -> None:
        answers.append(httpx.post(f"{url}/api/graph", content=EXPENSIVE, headers=JSON, timeout=TIMEOUT))

    threads = [threading.Thread(target=expensive) for _ in range(6)]
    for t in threads:
        t.start()
    with httpx.Client(base_url=url, timeout=TIMEOUT) as probe:
        while any(t.is_alive() for t in threads):
            start = time.monotonic()
            assert probe.get("/api/health").status_code == 200
            health.append(time.monotonic() - start)
            time.sleep(0.02)
    statuses = sorted(r.status_code for r in answers)
    # One runs, two wait, the other three are refused at once; the ones that ran or waited end
    # with the budget (the work is stopped, or the wait ran out of it).
    assert statuses.count(503) >= 3 and set(statuses) <= {400, 503}, statuses
    for r in answers:
        kind = r.json()["detail"]["kind"]
        assert kind == ("overloaded" if r.status_code == 503 else "timeout")
        if r.status_code == 503:
            assert int(r.headers["retry-after"]) >= 1
        assert server_seconds(r) < BUDGET + 1.0  # budget + the 0.5 s promised, + room for a busy machine
    # The event loop answers while the engine works (benchmarks/attack_bench.py measures how fast:
    # about 2 ms; the bound here is conservative, for a machine busy with other work too).
    assert len(health) >= 2 and statistics.median(health) < 0.5


def test_a_cheap_request_is_answered_while_the_engine_is_busy(busy):
    url, _ = busy
    thread = threading.Thread(target=lambda: httpx.post(f"{url}/api/graph", content=EXPENSIVE, headers=JSON,
                                                        timeout=TIMEOUT))
    thread.start()
    time.sleep(0.3)
    answered_while_busy = 0
    with httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        for x in range(3):
            cheap = client.post("/api/graph", json={"expression": CS231N, "values": {"x": 3 + x, "y": -4}})
            assert cheap.status_code == 200
            answered_while_busy += thread.is_alive()
    thread.join()
    assert answered_while_busy >= 1  # inline, not queued behind the engine job


def test_no_work_goes_on_after_the_budget_when_clients_leave(busy):
    url, proc = busy
    host, port = url.removeprefix("http://").split(":")
    head = f"POST /api/graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" \
           f"Content-Length: {len(EXPENSIVE)}\r\n\r\n".encode()
    for _ in range(3):
        with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
            sock.sendall(head + EXPENSIVE)  # ...and hang up before any answer
    time.sleep(BUDGET + 1.5)  # a job that started last has had its budget and the 0.5 s past it
    before = tree_cpu(proc.pid)
    time.sleep(1.0)
    assert tree_cpu(proc.pid) - before < 0.3  # idle: nothing computes for the clients that left


def test_big_bodies_validated_in_the_engine_process_answer_as_the_app_does(busy):
    url, _ = busy
    local = TestClient(create_app(Settings()))
    padding = [0.5] * 5000  # over the inline size: parsed and validated in the engine process
    bodies = [
        orjson.dumps({"expression": "f = sum(p) + x", "values": {"p": padding, "x": "3"}}),
        orjson.dumps({"expression": "f = sum(p)", "values": {"p": padding}, "steps": "10"}),
        orjson.dumps({"expression": "f = sum(p)", "values": {"p": padding}})[:-2] + b"NaN}",
        orjson.dumps({"expression": "f = sum(p) + q", "values": {"p": padding}}),
    ]
    for path in ("/api/graph", "/api/optimize"):
        for raw in bodies:
            remote = httpx.post(url + path, content=raw, headers=JSON, timeout=TIMEOUT)
            here = local.post(path, content=raw, headers=JSON)
            assert (remote.status_code, remote.json()) == (here.status_code, here.json()), raw[-60:]


def test_paths_no_file_system_takes_are_404_on_a_real_server(busy):
    url, _ = busy
    paths = ["/static/" + "a" * 256, "/static/" + "/".join(["b" * 250] * 20), "/vendor/katex/" + "c" * 4000]
    for path in paths:
        response = httpx.get(url + path, timeout=TIMEOUT)
        assert response.status_code == 404 and response.json()["detail"]["kind"] == "not_found"
    head = httpx.head(f"{url}/api/health", timeout=TIMEOUT)
    assert head.status_code == 200 and head.content == b""


def _keep_alive_median(url: str, n: int = 30) -> float:
    """Median seconds of n CS231n POSTs over one keep-alive connection."""
    times = []
    with httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        for k in range(n):
            start = time.perf_counter()
            client.post("/api/graph", json={"expression": CS231N, "values": {"x": 3 + k % 3, "y": -4}})
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_two_workers_answer_keep_alive_requests_as_fast_as_one():
    # The asyncio loop is the case that stalled: it sets TCP_NODELAY only on sockets it made itself,
    # and with --workers uvicorn makes the listening socket; Nagle then met delayed ACKs (+40 ms).
    with started(args=("--loop", "asyncio")) as (one, _), \
            started(workers=2, args=("--loop", "asyncio")) as (two, _):
        medians = {1: [], 2: []}
        for _ in range(3):  # interleaved, so both see the same machine
            medians[1].append(_keep_alive_median(one))
            medians[2].append(_keep_alive_median(two))
    m1, m2 = min(medians[1]), min(medians[2])
    assert m2 < m1 + 0.02, (m1, m2)
