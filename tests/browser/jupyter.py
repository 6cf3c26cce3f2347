"""A real JupyterLab for the widget tests: started on loopback with a token, in its own folders."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gatewise.server.local import free_port, wait_until_up


def write_notebook(path: Path, cells: list[str]) -> None:
    """An .ipynb with these code cells (not run)."""
    nb = {"nbformat": 4, "nbformat_minor": 5, "cells": [
        {"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": src, "outputs": [],
         "execution_count": None} for i, src in enumerate(cells)],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}
    path.write_text(json.dumps(nb), encoding="utf-8")


@contextmanager
def jupyterlab(root: Path, app: str = "lab") -> Iterator[str]:
    """`jupyter lab` (or `jupyter notebook`, Notebook 7) serving root on 127.0.0.1; yields "url|token"."""
    port, token = free_port(), secrets.token_hex(16)
    home = root / ".home"
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    if app == "lab":  # no news prompt (Notebook 7 has no such setting, and a stray one is an error there)
        (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    cmd = [sys.executable, "-m", "jupyter", app, "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.news_url=", "--LabApp.extension_manager=readonly", "--allow-root",
           f"--LabServerApp.workspaces_dir={home / 'workspaces'}",
           f"--LabApp.user_settings_dir={home / 'settings'}"]
    log = (root / "jupyter.log").open("w")
    proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/status?token={token}", proc, timeout=90)
        yield f"{url}|{token}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_kernel(url: str, token: str, timeout: float = 90.0) -> None:
    """Until the notebook's kernel is idle with a front end connected (asked through the REST API)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/kernels?token={token}", timeout=5) as res:
                kernels = json.load(res)
        except OSError:  # the server may answer 500 while a kernel is still being started
            kernels = []
        if any(k["execution_state"] == "idle" and k["connections"] > 0 for k in kernels):
            return
        time.sleep(0.3)
    raise TimeoutError("the notebook's kernel did not start")


@contextmanager
def open_notebook(browser, url: str, token: str, name: str = "circuit.ipynb") -> Iterator:
    """A page on the notebook in JupyterLab, once its kernel is connected (page.errors collects errors)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(90000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{url}/lab/tree/{name}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()  # the kernel is connected
    try:
        yield page
    finally:
        context.close()
