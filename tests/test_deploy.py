"""The README's deployment for a class: nginx (Debian's package) in front of two `gatewise serve`.

deploy/nginx-gatewise.conf runs as written, with its ports swapped for free loopback ones; the
load is bounded (a few hundred small requests) and everything is stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from gatewise import engine
from gatewise.server.local import free_port, started, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx-gatewise.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
TIMEOUT = 30.0

if NGINX is None and not os.environ.get("CI"):
    pytest.skip("nginx is not installed (apt-get install nginx; .ci/run does)", allow_module_level=True)


def _config(tmp: Path, listen: int, backends: list[int]) -> Path:
    """The main config around the site file, everything under tmp."""
    site = SITE.read_text().replace("listen [::]:80;", "")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    for old, new in zip((8001, 8002), backends):
        site = site.replace(f"127.0.0.1:{old}", f"127.0.0.1:{new}")
    (tmp / "site.conf").write_text(site)
    temps = "\n".join(f"  {kind}_temp_path {tmp}/{kind};" for kind in
                      ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # its workers write the temp files under tmp
    main = tmp / "nginx.conf"
    main.write_text(f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\n"
                    f"events {{ worker_connections 256; }}\nhttp {{\n  access_log off;\n{temps}\n"
                    f"  include {tmp}/site.conf;\n}}\n")
    return main


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """(nginx's URL, the backends' processes) with two backends of one engine process each."""
    tmp = tmp_path_factory.mktemp("nginx")
    with ExitStack() as stack:
        backends = [stack.enter_context(started()) for _ in range(2)]  # the shipped settings
        port = free_port()
        main = _config(tmp, port, [int(url.rsplit(":", 1)[1]) for url, _ in backends])
        nginx = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(main), "-g", "daemon off;"])
        stack.callback(_stop, nginx)
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/api/health", nginx)
        yield url, [proc for _, proc in backends]


def _stop(proc: subprocess.Popen) -> None:
    """Stop nginx (SIGTERM: fast shutdown) and wait for it."""
    proc.terminate()
    proc.wait(timeout=10)


def _graph(url: str, x: float) -> dict:
    """POST the CS231n circuit with this x through nginx."""
    response = httpx.post(f"{url}/api/graph", json={"expression": CS231N, "values": {"x": x, "y": -4}},
                          timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    graph = response.json()
    return next(n for n in graph["nodes"] if n["id"] == graph["output"])


def test_bounded_load_through_nginx_gives_the_engines_numbers(deployment):
    url, _ = deployment
    xs = [1 + k / 16 for k in range(160)]
    with ThreadPoolExecutor(8) as pool:
        outputs = list(pool.map(lambda x: _graph(url, x), xs))
    for x, out in zip(xs, outputs):
        expected = engine.evaluate(CS231N, {"x": x, "y": -4})
        assert out["value"] == pytest.approx(expected.values[expected.output], rel=1e-12)
    assert httpx.get(f"{url}/api/health", timeout=TIMEOUT).json() == {"status": "ok"}
    page = httpx.get(f"{url}/", timeout=TIMEOUT)
    assert page.status_code == 200 and page.headers["x-content-type-options"] == "nosniff"


def test_errors_pass_through_as_json(deployment):
    url, _ = deployment
    # Tens of seconds of training, stopped by the 2 s budget: the partial answer comes back in time.
    program = "\n".join(["f0 = x*x + y*y"] + [f"f{i} = f{i - 1} * 1.0 + x * y" for i in range(1, 400)])
    slow = httpx.post(f"{url}/api/optimize", json={"expression": program, "values": {"x": 1, "y": 2},
                                                   "steps": 100_000, "lr": 1e-6}, timeout=TIMEOUT)
    assert slow.status_code == 200 and slow.json()["stopped"] == "time_budget"
    assert float(slow.headers["server-timing"].split("dur=")[1]) < 3500  # ms: 2 s budget, room to spare
    bad = httpx.post(f"{url}/api/graph", json={"expression": "f = (x", "values": {"x": 1}}, timeout=TIMEOUT)
    assert bad.status_code == 400 and bad.json()["detail"]["kind"] == "syntax"
    big = b'{"expression": "f = x", "values": {"x": [' + b"1," * (5 * 1024 * 1024) + b"1]}}"
    refused = httpx.post(f"{url}/api/graph", content=big, headers={"content-type": "application/json"},
                         timeout=TIMEOUT)
    assert refused.status_code == 413 and refused.json()["detail"]["kind"] == "too_large"


def test_a_backend_that_stops_is_routed_around(deployment):
    url, backends = deployment
    backends[0].terminate()
    backends[0].wait(timeout=10)
    answered = []
    lock = threading.Lock()

    def call(x: float) -> None:
        out = _graph(url, x)
        with lock:
            answered.append(out)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(call, [2 + k / 8 for k in range(40)]))
    assert len(answered) == 40
