"""Pure-ASGI request-body size limit (BaseHTTPMiddleware would cost a task per request)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gatewise.server.responses import json_response

_NO_BODY = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


def _declared_length(scope: Scope) -> int | None:
    """The Content-Length header as an int, or None if absent or unreadable."""
    for key, value in scope["headers"]:
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimitMiddleware:
    """Answer 413 to bodies over max_bytes, whether declared by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the body (up to the limit) before the app sees it, so the app never reads a partial one."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        if scope["method"] in _NO_BODY:
            await self.app(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reject(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the 413 answer."""
        message = f"The request body is over the limit of {self.max_bytes} bytes (GATEWISE_MAX_BODY_BYTES)."
        response = json_response({"detail": {"message": message, "line": None, "column": None,
                                             "kind": "too_large"}}, status_code=413)
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive callable that yields the buffered body once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
