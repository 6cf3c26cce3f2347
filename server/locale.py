"""The language of a request (a `lang` query parameter, else Accept-Language) and the middleware
that renders error messages in it.

Engine work runs in other processes and answers in English with each error's code and parameters;
the message is rendered here, once, in the reader's language, so the engine stays language-free.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gatewise.engine.core.messages import DEFAULT_LANG, accept_language, language, render

MAX_MESSAGE = 500  # characters of a message; the rest of a huge quoted input is elided


def capped(text: str, limit: int = MAX_MESSAGE) -> str:
    """text, cut in the middle with an ellipsis if longer than limit (messages may quote huge input)."""
    if len(text) <= limit:
        return text
    half = (limit - 25) // 2
    return f"{text[:half]} … ({len(text) - 2 * half} characters) … {text[-half:]}"


_LANG = "gatewise.lang"  # the scope key where LocaleMiddleware keeps it for the handlers


def scope_lang(scope: Scope) -> str:
    """The request's language: `?lang=zh` first, then the Accept-Language header, else English."""
    known = scope.get(_LANG)
    if known is not None:
        return known
    query = scope.get("query_string") or b""
    if b"lang=" in query:
        for value in parse_qs(query.decode("latin-1")).get("lang", []):
            found = language(value)
            if found:
                return found
    for key, value in scope.get("headers") or ():
        if key == b"accept-language":
            return accept_language(value.decode("latin-1"))
    return DEFAULT_LANG


def localized(body: bytes, lang: str) -> bytes:
    """An error body with its message rendered in lang from its code and parameters."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body
    detail = data.get("detail") if isinstance(data, dict) else None
    if not isinstance(detail, dict) or not isinstance(detail.get("code"), str):
        return body
    detail["message"] = capped(render(detail["code"], detail.get("params") or {}, lang))
    return orjson.dumps(data)


class LocaleMiddleware:
    """Render the message of every error answer in the request's language (English passes through)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass through; an error answer to a request in another language is buffered and rewritten."""
        lang = scope[_LANG] = scope_lang(scope) if scope["type"] == "http" else DEFAULT_LANG
        if lang == DEFAULT_LANG:
            await self.app(scope, receive, send)
            return
        start: list[Message] = []
        chunks: list[bytes] = []

        async def send_localized(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 400:
                start.append(message)
                return
            if not start or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(chunks)
                await _send_rewritten(send, start[0], body, localized(body, lang))

        await self.app(scope, receive, send_localized)


async def _send_rewritten(send: Send, start: Message, old: bytes, body: bytes) -> None:
    """The held response start (with the new length if the body changed) and the body."""
    if body != old:  # (a HEAD answer has no body: its start keeps the length of the GET's)
        headers = [(k, v) for k, v in start.get("headers", ()) if k.lower() != b"content-length"]
        start = {**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})
