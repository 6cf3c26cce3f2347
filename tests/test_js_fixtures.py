"""tests/js/fixtures.js is the engine's own output (scripts/js_fixtures.py), not a hand-written copy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_committed_fixtures_match_the_engine():
    script = ROOT / "scripts" / "js_fixtures.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, "tests/js/fixtures.js is stale: run python scripts/js_fixtures.py"


def test_fixtures_hold_every_field_of_the_contract():
    from test_graph_contract import EDGE_KEYS, NODE_KEYS, TOP_KEYS

    text = (ROOT / "tests" / "js" / "fixtures.js").read_text(encoding="utf-8")
    for key in NODE_KEYS | EDGE_KEYS | TOP_KEYS:
        assert f'"{key}":' in text, key
