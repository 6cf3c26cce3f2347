"""uvicorn's HTTP protocol with TCP_NODELAY on every connection, whatever the event loop.

With `--workers N` uvicorn binds the listening socket itself (proto 0), and asyncio sets
TCP_NODELAY only on sockets whose proto is IPPROTO_TCP: each keep-alive answer written in two
segments then waits for the client's delayed ACK (Nagle), about 40 ms a request. Setting it on
each accepted connection removes that whatever loop and socket uvicorn uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.auto import AutoHTTPProtocol


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    """TCP_NODELAY on the transport's socket, if it is a TCP one."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):  # the peer may already be gone
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayHTTPProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    """httptools' protocol (h11's where httptools is missing), with TCP_NODELAY set first."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Set TCP_NODELAY, then set up the connection as uvicorn does."""
        set_nodelay(transport)
        super().connection_made(transport)
