"""Serve the app from a subprocess on a free loopback port: for tests, benchmarks and scripts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    """Poll url until it answers (the server needs a moment to import numpy and start)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start ({url})") from None
            time.sleep(0.1)


@contextmanager
def started(env: dict[str, str] | None = None, timeout: float = 30.0, workers: int = 1,
            port: int | None = None, args: tuple[str, ...] = ()) -> Iterator[tuple[str, subprocess.Popen]]:
    """`gatewise serve` on 127.0.0.1 (no access log, more `args`): (base URL, process) once it answers."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "gatewise.server.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--log-level", "warning", "--workers", str(workers), *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/health", proc, timeout)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def serving(env: dict[str, str] | None = None, timeout: float = 30.0, workers: int = 1,
            port: int | None = None, args: tuple[str, ...] = ()) -> Iterator[str]:
    """`gatewise serve` on 127.0.0.1 (no access log, more `args`); yields the base URL once it answers."""
    with started(env, timeout, workers, port, args) as (url, _):
        yield url
