"""The built wheel, installed into a fresh venv on a PATH without node: `gatewise serve` serves it all."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, require_chromium

from gatewise.server.local import free_port, wait_until_up

pytestmark = pytest.mark.browser
CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"


def _run(*cmd, **kw) -> subprocess.CompletedProcess:
    """A command that must succeed (its output is shown if it does not)."""
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """`python -m build --wheel` of this checkout (node builds the bundle here, at build time)."""
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT))
    (path,) = out.glob("gatewise-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv with only the wheel (and its dependencies) installed."""
    env_dir = tmp_path_factory.mktemp("venv")
    _run(sys.executable, "-m", "venv", str(env_dir))
    _run(str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel))
    return env_dir


@pytest.fixture(scope="module")
def served(venv, tmp_path_factory):
    """`gatewise serve` from the venv, run outside the checkout with only the venv's bin/ on PATH."""
    require_chromium()
    port = free_port()
    env = {"PATH": str(venv / "bin"), "HOME": str(tmp_path_factory.mktemp("home"))}
    cwd = tmp_path_factory.mktemp("elsewhere")
    cmd = [str(venv / "bin" / "gatewise"), "serve", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, cwd=cwd)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/health", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_wheel_holds_one_import_name_and_the_front_end(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("gatewise-")}
    assert tops == {"gatewise"}, tops  # no top-level engine/ or server/ in site-packages
    for needed in ("gatewise/web/static/index.html", "gatewise/web/static/js/main.js",
                   "gatewise/web/vendor/elkjs/lib/elk.bundled.js", "gatewise/web/vendor/katex/dist/katex.mjs",
                   "gatewise/web/vendor/katex/dist/katex.min.css",
                   "gatewise/web/vendor/swagger-ui-dist/swagger-ui-bundle.js",
                   "gatewise/web/widget/gatewise.js", "gatewise/web/widget/gatewise.css"):
        assert needed in names, needed
    assert any(n.startswith("gatewise/web/vendor/katex/dist/fonts/") and n.endswith(".woff2") for n in names)
    assert not any("node_modules" in n for n in names)
    for folder in ("engine", "server", "src/gatewise"):  # every module of the checkout is in the wheel
        for module in (ROOT / folder).rglob("*.py"):
            inside = module.relative_to(ROOT / folder).as_posix()
            prefix = "gatewise" if folder == "src/gatewise" else f"gatewise/{folder}"
            assert f"{prefix}/{inside}" in names, module


def test_the_venv_has_no_node_and_imports_only_its_own_copy(venv):
    env = {"PATH": str(venv / "bin")}
    probe = ("import shutil, gatewise, gatewise.assets as a; import importlib.util as u; "
             "print(shutil.which('node'), a.installed(), gatewise.__file__, "
             "u.find_spec('engine'), u.find_spec('server'))")
    out = _run(str(venv / "bin" / "python"), "-c", probe, env=env, cwd="/").stdout.split()
    assert out[0] == "None" and out[1] == "True"
    assert out[2].startswith(str(venv)), out[2]
    assert out[3:] == ["None", "None"]


@pytest.mark.parametrize("path", ["/", "/static/js/main.js", "/vendor/elkjs/elk.bundled.js",
                                  "/vendor/katex/katex.mjs", "/vendor/katex/katex.min.css",
                                  "/vendor/katex/fonts/KaTeX_Main-Regular.woff2",
                                  "/vendor/swagger-ui-dist/swagger-ui-bundle.js", "/docs"])
def test_gatewise_serve_serves_the_page_and_its_vendor_files(served, path):
    with urllib.request.urlopen(served + path, timeout=10) as res:
        assert res.status == 200
        assert len(res.read()) > 200


def test_the_installed_page_draws_a_working_circuit(served, browser):
    context = browser.new_context(viewport={"width": 1300, "height": 820}, base_url=served)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(served) else
               (outside.append(r.request.url), r.abort()))
    page.goto("/")
    page.wait_for_function("document.body.dataset.status === 'ready'")
    page.evaluate("([p, v]) => window.gatewise.setProgram(p, v)", [CS231N, {"x": 3, "y": -4}])
    page.wait_for_function("document.body.dataset.status === 'ready' && document.body.dataset.evals > 1")
    assert page.text_content("[data-edge-id='__output__'] .val") == "1.546"
    grads = page.evaluate("() => [...document.querySelectorAll('[data-node-id] .node-grad')]"
                          ".map(e => e.textContent)")
    assert {"2.06", "1.592"} <= {g.replace("Σ ", "") for g in grads}, grads
    page.wait_for_selector("#explain .katex")  # the output gate's formulas, by KaTeX from the wheel
    context.close()
    assert not outside and not errors, (outside, errors)


def test_wheel_build_leaves_nothing_in_the_checkout():
    status = _run("git", "status", "--porcelain", "--ignored", "--", "src", "static", cwd=ROOT).stdout
    assert "src/gatewise/web" not in status and "static/widget" not in status, status
    assert not os.path.exists(ROOT / "web")
