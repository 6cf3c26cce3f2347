"""REST API plumbing: static files and the vendor allow-list, OpenAPI docs, the response cache."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest
from fastapi.testclient import TestClient
from test_api import CS231N, assert_error

from gatewise.server.app import create_app
from gatewise.server.limits import Settings


@pytest.fixture(scope="module")
def client() -> TestClient:
    """A client on an app with the default settings (not the environment's)."""
    return TestClient(create_app(Settings()))


# --- static files and docs -------------------------------------------------------------------------

def test_index_when_the_front_end_exists(client):
    if not (Settings().static_dir / "index.html").is_file():
        pytest.skip("static/index.html has not landed yet")
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", [
    "/vendor/katex/katex.min.css", "/vendor/katex/katex.mjs", "/vendor/katex/fonts/KaTeX_Main-Regular.woff2",
    "/vendor/elkjs/elk.bundled.js",
])
def test_vendor_allow_list_serves(client, path):
    if not Settings().node_modules.joinpath("katex").is_dir():
        pytest.skip("node_modules is not installed")
    response = client.get(path)
    assert response.status_code == 200
    if path.endswith(("js", "mjs")):
        assert response.headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize("path", [
    "/vendor/katex/README.md", "/vendor/katex/contrib/auto-render.js", "/vendor/katex/../katex/package.json",
    "/vendor/katex/%2e%2e/package.json", "/vendor/katex/fonts/%2e%2e/%2e%2e/package.json",
    "/vendor/elkjs/../../package.json", "/vendor/elkjs/%2E%2E%2Fpackage.json", "/vendor/commander/index.js",
    "/vendor/katex/%2Fetc%2Fpasswd", "/vendor/katex/..%5C..%5Cpackage.json", "/static/../pyproject.toml",
    "/static/%2e%2e/pyproject.toml", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/.hidden",
    "/vendor/katex/fonts/", "/static//etc/passwd",
])
def test_no_path_traversal(client, path):
    response = client.get(path)
    assert response.status_code == 404, (path, response.status_code)


def _examples(schema: dict, content: dict) -> list:
    """Examples of a request or response body: its own, or those of the model it refers to."""
    if content.get("examples"):
        return list(content["examples"])
    ref = content["schema"].get("$ref") or content["schema"].get("items", {}).get("$ref", "")
    return schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}).get("examples", [])


def test_openapi_has_examples_everywhere(client):
    schema = client.get("/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method == "post":
                assert _examples(schema, operation["requestBody"]["content"]["application/json"]), path
                assert set(operation["responses"]) >= {"200", "400", "413", "422"}
            ok = operation["responses"]["200"]["content"]["application/json"]
            assert ok["schema"], path
    for path in ("/api/graph", "/api/gradcheck", "/api/health", "/api/ops", "/api/examples"):
        method = "post" if path in ("/api/graph", "/api/gradcheck") else "get"
        ok = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        assert _examples(schema, ok), path
    assert client.get("/docs").status_code == 200


# --- response cache ----------------------------------------------------------------------------------------

def test_identical_requests_are_answered_from_the_cache():
    app = create_app(Settings())
    client = TestClient(app)
    body = json.dumps({"expression": CS231N, "values": {"x": 3, "y": -4}}).encode()
    headers = {"content-type": "application/json"}
    first = client.post("/api/graph", content=body, headers=headers)
    assert len(app.state.cache.entries) == 1
    second = client.post("/api/graph", content=body, headers=headers)
    assert second.status_code == 200 and second.content == first.content
    assert_error(client.post("/api/graph", content=body, headers={"content-type": "text/plain"}), 422)
    assert_error(client.post("/api/graph", json={"expression": "f = (x", "values": {"x": 1}}), 400)
    assert len(app.state.cache.entries) == 1  # errors are never cached


def test_cache_is_bounded_and_can_be_disabled():
    from gatewise.server.cache import ResponseCache

    cache = ResponseCache(16 * 100)
    for i in range(50):
        cache.put(("p", str(i)), b"x" * 90)
    assert cache.size <= 1600 and cache.get(("p", "0")) is None and cache.get(("p", "49"))
    cache.put(("p", "big"), b"x" * 200)  # over a sixteenth of the budget: not kept
    assert cache.get(("p", "big")) is None
    app = create_app(dataclasses.replace(Settings(), cache_bytes=0))
    assert app.state.cache is None
    assert TestClient(app).post("/api/graph", json={"expression": "f = 2 * 3"}).status_code == 200


def test_settings_come_from_gatewise_variables():
    from gatewise.server.limits import env_table, load_settings

    settings = load_settings({"GATEWISE_TIME_BUDGET": "0.5", "GATEWISE_MAX_NODES": "123",
                              "GATEWISE_MAX_BODY_BYTES": "1e6", "GATEWISE_CACHE_BYTES": "0",
                              "GATEWISE_CORS_ORIGINS": "https://a.example, b",
                              "GATEWISE_INLINE_BUDGET": "none"})
    assert settings.limits.time_budget == 0.5 and settings.limits.max_nodes == 123
    assert settings.max_body_bytes == 1_000_000 and settings.cors_origins == ("https://a.example", "b")
    assert settings.cache_bytes == 0 and settings.inline_budget is None
    assert load_settings({}).limits == Settings().limits
    names = {name for name, _ in env_table()}
    assert {"GATEWISE_TIME_BUDGET", "GATEWISE_MAX_BODY_BYTES", "GATEWISE_MAX_MATMUL_WORK"} <= names
    for bad in [{"GATEWISE_MAX_NODES": "many"}, {"GATEWISE_MAX_NODES": "-1"},
                {"GATEWISE_TIME_BUDGET": "soon"}]:
        with pytest.raises(ValueError, match=next(iter(bad))):
            load_settings(bad)


def test_slow_inline_work_is_rendered_off_the_event_loop():
    import asyncio
    import threading

    from gatewise.server.runner import run_engine

    on_loop = {}

    def compute(limits):
        time.sleep(0.005)  # longer than a fifth of the 10 ms inline slice
        return "result"

    def run(work, label, size):
        """run_engine on an event loop of its own thread (Playwright may own the main thread's)."""
        out = {}

        def render(result):
            on_loop[label] = threading.current_thread() is out["loop_thread"]
            return result.encode()

        def target():
            out["loop_thread"] = threading.current_thread()
            out["body"] = asyncio.run(run_engine(Settings(), work, render, size))

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        return out["body"]

    quick = lambda limits: "result"
    assert run(quick, "quick", 100) == b"result"
    assert run(compute, "slow", 100) == b"result"
    assert run(quick, "big", 10**6) == b"result"
    assert on_loop == {"quick": True, "slow": False, "big": False}


def test_static_files_answer_head(client):
    if not (Settings().static_dir / "index.html").is_file():
        pytest.skip("static/index.html has not landed yet")
    response = client.head("/")
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["content-length"]) > 0
    assert client.head("/vendor/katex/README.md").status_code == 404
