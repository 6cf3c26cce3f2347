"""Server settings and engine limits, read from GATEWISE_* environment variables."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Mapping
from pathlib import Path

from gatewise import assets
from gatewise.engine import Limits

PREFIX = "GATEWISE_"

# The engine's defaults admit 100,000-node programs for local use; a shared server answers with JSON
# that holds every value, gradient and edge contribution, so tensors are kept to what a page can show.
SERVER_LIMITS = {
    "max_source_chars": 1_000_000,
    "max_statements": 50_000,
    "max_nodes": 100_000,
    "max_tensor_elements": 250_000,
    "max_total_elements": 1_000_000,
    "max_matmul_work": 200_000_000,
    "time_budget": 2.0,
}


def server_limits() -> Limits:
    """The engine's Limits tightened to SERVER_LIMITS."""
    return dataclasses.replace(Limits(), **SERVER_LIMITS)


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about its limits and files."""

    limits: Limits = dataclasses.field(default_factory=server_limits)
    max_body_bytes: int = 8 * 1024 * 1024
    # Requests first run on the event loop with this short budget: most finish well inside it and skip
    # the thread hop; a request that needs longer is re-run in a worker thread so the loop stays free.
    inline_budget: float = 0.01
    # ...but only for bodies up to this size: the engine checks its deadline between steps, and a
    # megabyte program's tokenizing alone would hold the event loop for a few hundred milliseconds.
    inline_max_bytes: int = 16 * 1024
    # Admission control: engine jobs running at once per worker (one engine process each), and jobs
    # that may wait for a slot (within their time budget); beyond that, 503 with Retry-After at once.
    engine_jobs: int = 1
    engine_queue: int = 16
    # 1: engine jobs run in processes of their own (see pool.py for why); 0: in threads.
    engine_processes: int = 1
    # Successful responses kept for identical requests (0 turns the cache off).
    cache_bytes: int = 32 * 1024 * 1024
    cors_origins: tuple[str, ...] = ("*",)
    # The checkout's static/ and node_modules/, or the copies an installed wheel carries.
    static_dir: Path = dataclasses.field(default_factory=assets.static_dir)
    node_modules: Path = dataclasses.field(default_factory=assets.vendor_dir)

    @functools.cached_property
    def inline_limits(self) -> Limits:
        """limits with the inline slice as time budget (made once: replace() costs per request)."""
        return dataclasses.replace(self.limits, time_budget=self.inline_budget)


def _parse(name: str, raw: str, default: object) -> object:
    """Convert one environment string to the type of its default, with a clear error."""
    text = raw.strip()
    try:
        if isinstance(default, tuple):
            return tuple(part.strip() for part in text.split(",") if part.strip())
        if isinstance(default, Path):
            return Path(text)
        if isinstance(default, int):
            value = int(float(text)) if "e" in text.lower() else int(text)
            if value < 0:
                raise ValueError("negative")
            return value
        if text.lower() in ("", "none", "off"):
            return None
        value = float(text)
        return None if value <= 0 else value
    except ValueError as exc:
        raise ValueError(f"{name}={raw!r} is not a valid {type(default).__name__}") from exc


def _overrides(obj: object, env: Mapping[str, str], skip: tuple[str, ...] = ()) -> dict[str, object]:
    """Values of obj's dataclass fields that are set in env as GATEWISE_<FIELD>."""
    found = {}
    for field in dataclasses.fields(obj):
        name = PREFIX + field.name.upper()
        if field.name not in skip and name in env:
            default = getattr(obj, field.name)
            # time_budget's default may be None; it is still a number of seconds.
            found[field.name] = _parse(name, env[name], 0.0 if default is None else default)
    return found


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings with every GATEWISE_* variable in env (default: os.environ) applied."""
    env = os.environ if env is None else env
    base = Settings()
    limits = dataclasses.replace(base.limits, **_overrides(base.limits, env))
    return dataclasses.replace(base, limits=limits, **_overrides(base, env, skip=("limits",)))


def env_table() -> list[tuple[str, str]]:
    """(variable, default as written in the environment) for every setting, for `gatewise --help`."""
    base = Settings()
    pairs = [(f.name, getattr(base.limits, f.name)) for f in dataclasses.fields(base.limits)]
    pairs += [(f.name, getattr(base, f.name)) for f in dataclasses.fields(base) if f.name != "limits"]
    return [(PREFIX + name.upper(), ",".join(value) if isinstance(value, tuple) else str(value))
            for name, value in pairs]
