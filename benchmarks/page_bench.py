"""Page benchmark: time from the API response to a finished drawing, in real headless Chromium.

Generated programs of 10, 100 and 1,000 gates (a layered network of +, ×, − and tanh gates, each
reading two values of the previous layer) are evaluated by the real app. For each size the page
records performance marks when the API response arrives and when the circuit is drawn; the time to
the next painted frame is reported too. During the 1,000-gate run a 10 ms timer ticks on the page's
main thread: the largest gap between ticks shows whether the page ever froze (the layout runs in a
Web Worker, so only the DOM update itself occupies the main thread).

Targets: 100 gates drawn in under 0.5 s; 1,000 gates in under 3 s, with the page never frozen.

Usage: .venv/bin/python benchmarks/page_bench.py [--runs 3] [--sizes 10 100 1000]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gatewise.server.local import serving  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
OPS = ["{a} + {b}", "{a} * {b}", "{a} - {b}", "tanh({a})"]

# Runs in the page: evaluates a program and resolves with the timings of that evaluation.
MEASURE_JS = """async (program) => {
  performance.clearMarks();
  const ticks = [];
  const timer = setInterval(() => ticks.push(performance.now()), 10);
  const start = performance.now();
  await window.gatewise.setProgram(program, {});
  const drawn = performance.now();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const painted = performance.now();
  clearInterval(timer);
  const response = performance.getEntriesByName('gw:response').at(-1).startTime;
  const gaps = ticks.slice(1).map((t, i) => t - ticks[i]);
  const during = ticks.filter((t) => t >= response && t <= drawn).length;
  return {
    request: response - start, drawn: drawn - response, painted: painted - response,
    nodes: document.querySelectorAll('[data-node-id]').length,
    ticks: ticks.length, ticksDuringDraw: during, maxGap: gaps.length ? Math.max(...gaps) : null,
  };
}"""


# The same 10 ms timer on an idle page: how much the machine alone delays ticks (a noisy-host baseline).
IDLE_JS = """async () => {
  const ticks = [];
  const timer = setInterval(() => ticks.push(performance.now()), 10);
  await new Promise((r) => setTimeout(r, 2000));
  clearInterval(timer);
  return Math.max(...ticks.slice(1).map((t, i) => t - ticks[i]));
}"""


def program(gates: int, variant: int = 0) -> str:
    """A layered program of exactly `gates` gates on ≈ √gates inputs; each gate reads the layer before.

    Each variant mixes the ops differently, so repeated runs need a fresh layout (the page reuses the
    layout when only numbers change)."""
    width = max(2, round(math.sqrt(gates)))
    lines = [f"x{j} = {0.1 * (j % 7) - 0.3:.1f}" for j in range(width)]
    prev = [f"x{j}" for j in range(width)]
    made = 0
    layer = 0
    while made < gates:
        layer += 1
        cur = []
        for j in range(min(width, gates - made)):
            name = f"h{layer}_{j}"
            op = OPS[(made + layer + variant) % len(OPS)]
            lines.append(f"{name} = " + op.format(a=prev[j % len(prev)], b=prev[(j + 1) % len(prev)]))
            cur.append(name)
            made += 1
        prev = cur
    lines.append("out = " + " + ".join(prev[:1]))  # a named output; `out = h` adds no gate
    return "\n".join(lines)


def bench(sizes: list[int], runs: int) -> list[dict]:
    """Starts the app and Chromium, and measures every size `runs` times (after one warm-up)."""
    from playwright.sync_api import sync_playwright

    rows = []
    with serving() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto(f"{url}/")
        page.wait_for_function("document.body.dataset.status === 'ready'")
        page.evaluate(MEASURE_JS, program(50))  # warm-up: compiles ELK's code in the worker
        rows.append({"idle_gap": page.evaluate(IDLE_JS)})
        for n in sizes:
            results = [page.evaluate(MEASURE_JS, program(n, i + 1)) for i in range(runs)]
            rows.append({"gates": n, "results": results})
        browser.close()
    return rows


def report(rows: list[dict]) -> None:
    """Prints one line per size: median and worst times, nodes drawn, and main-thread responsiveness."""
    targets = {100: 500, 1000: 3000}
    head = ["gates", "nodes", "drawn ms (median/max)", "painted ms", "max tick gap", "target"]
    print(f"{head[0]:>6} {head[1]:>6} {head[2]:>22} {head[3]:>11} {head[4]:>13} {head[5]}")
    for row in rows:
        if "idle_gap" in row:
            continue
        res = row["results"]
        drawn = [r["drawn"] for r in res]
        painted = statistics.median(r["painted"] for r in res)
        gap = max(r["maxGap"] or 0 for r in res)
        target = targets.get(row["gates"])
        verdict = "" if target is None else f"< {target} ms: {'ok' if max(drawn) < target else 'MISSED'}"
        med = statistics.median(drawn)
        print(f"{row['gates']:>6} {res[0]['nodes']:>6} {med:>10.0f} / {max(drawn):>8.0f} "
              f"{painted:>11.0f} {gap:>10.0f} ms  {verdict}")
    idle = next(r["idle_gap"] for r in rows if "idle_gap" in r)
    print(f"idle page, same timer: max tick gap {idle:.0f} ms (what the host alone costs)")
    big = next((r for r in rows if r.get("gates") == 1000), None)
    if big:
        ticks = min(r["ticksDuringDraw"] for r in big["results"])
        print(f"1,000 gates: the 10 ms timer ticked at least {ticks} times between response and drawing.")


def main() -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    args = ap.parse_args()
    report(bench(args.sizes, args.runs))


if __name__ == "__main__":
    main()
