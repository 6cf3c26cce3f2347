"""The web API answered inside this Python process: the notebook widget's engine (no server, no socket).

The widget's front end sends the requests the page would send over HTTP; they go through the same
FastAPI app (so validation, limits and error answers are the server's), called directly over ASGI on
a private event loop in a background thread (a notebook kernel's own loop is busy running the cell).
"""

from __future__ import annotations

import asyncio
import threading
from functools import cache

from gatewise.engine import DEFAULT_LIMITS
from gatewise.server.app import create_app
from gatewise.server.limits import Settings

TIMEOUT = 600.0  # seconds; the engine's own budgets stop work long before this


@cache
def _app():
    """The app with the engine's local limits (a kernel is the user's own machine, not a shared server)."""
    return create_app(Settings(limits=DEFAULT_LIMITS, cors_origins=()))


@cache
def _loop() -> asyncio.AbstractEventLoop:
    """An event loop running forever in a daemon thread."""
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="gatewise-kernel-api", daemon=True).start()
    return loop


def call(method: str, path: str, body: bytes | None = None, lang: str = "en") -> tuple[int, bytes]:
    """(status, JSON body) of the app's answer to one request, its texts in lang (as Accept-Language)."""
    future = asyncio.run_coroutine_threadsafe(_asgi(_app(), method, path, body or b"", lang), _loop())
    return future.result(TIMEOUT)


async def _asgi(app, method: str, path: str, body: bytes, lang: str) -> tuple[int, bytes]:
    """One HTTP request through the ASGI app, collected into (status, body)."""
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"accept-language", lang.encode("latin-1", "replace"))]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 0), "server": ("kernel", 0),
    }
    delivered = asyncio.Event()
    status, chunks = 500, []

    async def receive() -> dict:
        if not delivered.is_set():
            delivered.set()
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects; the app stops listening itself
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)
