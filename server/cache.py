"""A bounded LRU of successful responses keyed by the exact request bytes.

The engine is deterministic, so the same body always gives the same graph; the front end re-sends
the same examples and toggles, and a repeated heavy request should not cost its time budget twice.
"""

from __future__ import annotations

from collections import OrderedDict


class ResponseCache:
    """Least-recently-used response bodies, bounded in total bytes (keys included)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        # One entry may take at most this share, so a few huge graphs cannot evict everything else.
        self.max_entry = max_bytes // 16
        self.size = 0
        self.entries: OrderedDict[tuple, bytes] = OrderedDict()

    def get(self, key: tuple) -> bytes | None:
        """The cached body for key, marked as recently used, or None."""
        body = self.entries.get(key)
        if body is not None:
            self.entries.move_to_end(key)
        return body

    def put(self, key: tuple, body: bytes) -> None:
        """Remember body for key if it fits, evicting the least recently used entries."""
        cost = _cost(key, body)
        if cost > self.max_entry or key in self.entries:
            return
        self.entries[key] = body
        self.size += cost
        while self.size > self.max_bytes:
            old_key, old_body = self.entries.popitem(last=False)
            self.size -= _cost(old_key, old_body)


def _cost(key: tuple, body: bytes) -> int:
    """Bytes an entry holds: the response plus the request bytes in its key."""
    return len(body) + sum(len(part) for part in key if isinstance(part, (bytes, str)))
