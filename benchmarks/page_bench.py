"""Page benchmark: what a student waits for in real headless Chromium, each figure against its target.

- evaluate -> drawing for deep chains (`a_i = tanh(a_{i-1} * w + b) + a_{i-1} * 0.5`: 20, 60 and 200
  lines, about 100, 300 and 1,000 gates) and wide shallow programs of 100, 300 and 1,000 gates, laid
  out from scratch each run; the longest main-thread task and the largest gap of a 10 ms timer;
- one line added to the 1,000-gate chain (the rows laid out before are reused);
- scrubbing an input on every frame at 100 and 1,000 gates: circuit updates per second, largest
  frame gap;
- keystroke -> updated circuit on a 33-gate program;
- the MNIST-sized net: bytes of the /api/graph answer the page downloads, and the longest task
  when its X is opened in the inspector;
- overlapping texts on the 300-gate chain at Fit and at 100 %.

The host is shared: a fixed JavaScript loop timed in the page before and after shows how busy it is,
with the load average; --ref COMMIT draws the same programs on that commit's page too, interleaved, as
a reference measured in the same run. Usage:
.venv/bin/python benchmarks/page_bench.py [--runs 3] [--quick] [--ref 13876f4] [--draw-only | --mnist-only]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_js as js  # noqa: E402
from page_programs import chain, mnist_values, wide  # noqa: E402

from gatewise.server.local import serving  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
MLP = "h = sigmoid(X @ W1 + b1)\nz = h @ W2 + b2\nloss = cross_entropy(z, labels)"
DRAW_TARGETS = {100: 300, 300: 800, 1000: 2000}  # ms, evaluate -> drawing
LINES = {100: 20, 300: 60, 1000: 200}  # chain lines per gate count


def line(what: str, value: str, target: str, ok: bool | None) -> None:
    """Prints one figure against its target."""
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    print(f"  {what:<46} {value:>22}   target {target:<16} {verdict}")


def draw_figures(page, runs: int, ref=None) -> None:
    """evaluate -> drawing for deep and wide programs, from scratch, and an added line; with a
    reference page (--ref), the same on it, interleaved, and the ratio."""
    print("evaluate -> drawing (median of runs; longest task, largest 10 ms timer gap)")
    for shape, make in (("deep chain", lambda n: chain(LINES[n])), ("wide", wide)):
        for n, target in DRAW_TARGETS.items():
            res, old = [], []
            for _ in range(runs):
                res.append(page.evaluate(js.MEASURE, [make(n), {}, True]))
                if ref:
                    old.append(ref.evaluate(js.MEASURE, [make(n), {}, True]))
            total = statistics.median(r["total"] for r in res)
            api = statistics.median(r["api"] for r in res)
            longest = max(r["longest"] for r in res)
            gap = max(r["gap"] for r in res)
            value = f"{total:.0f} ms (api {api:.0f})"
            line(f"{shape} {n} gates ({res[0]['nodes']} nodes)", value, f"<= {target} ms", total <= target)
            line("    longest task / timer gap", f"{longest:.0f} / {gap:.0f} ms", "<= 100 ms", longest <= 100)
            if ref:
                was = statistics.median(r["total"] for r in old)
                line("    reference page, same runs", f"{was:.0f} ms ({total / was:.2f}x)", "", None)
                lt, gp = max(r["longest"] for r in old), max(r["gap"] for r in old)
                line("    reference: longest task / timer gap", f"{lt:.0f} / {gp:.0f} ms", "", None)
    page.evaluate(js.MEASURE, [chain(200), {}, False])
    grown = [chain(200) + f"\nextra = a200 * {k + 2}" for k in range(runs)]
    res = [page.evaluate(js.MEASURE, [program, {}, False]) for program in grown]
    total = statistics.median(r["total"] for r in res)
    line("1,000-gate chain, one line added", f"{total:.0f} ms", "(reuses rows)", None)


def scrub_figures(page) -> None:
    """Scrub rates and the largest frame gap at 100 and 1,000 gates."""
    print("scrubbing w on every frame for 4 s")
    for n, rate_target in ((100, 30), (1000, 15)):
        page.evaluate(js.MEASURE, [chain(LINES[n]), {}, False])
        r = page.evaluate(js.SCRUB, ["w", 0.8, 4000])
        rate = r["rate"]
        line(f"{n} gates: updates per second", f"{rate:.1f}/s", f">= {rate_target}/s", rate >= rate_target)
        line(f"{n} gates: largest frame gap", f"{r['gap']:.0f} ms", "<= 100 ms", r["gap"] <= 100)


def keystroke_figures(page, runs: int) -> None:
    """Keystroke -> updated circuit on the 33-gate chain (5 lines), typing a digit then deleting it."""
    page.evaluate(js.MEASURE, [chain(5), {}, False])
    box = page.locator("#expression")
    times = []
    for k in range(2 * runs):
        box.focus()
        page.keyboard.press("Control+End")
        page.evaluate(js.KEY_WATCH)
        page.keyboard.press("Backspace" if k % 2 else str(k % 9 + 1))
        times.append(page.evaluate("window.__key"))
    med = statistics.median(times)
    value = f"{med:.0f} ms (max {max(times):.0f})"
    line("keystroke -> updated circuit, 33 gates", value, "<= 250 ms", med <= 250)


def mnist_figures(page, ref=None, runs: int = 1) -> None:
    """Bytes of the MNIST-sized net's /api/graph answer and the inspector-open freeze (with --ref,
    on the reference page too, interleaved)."""
    sizes = []
    page.on("response", lambda r: sizes.append(len(r.body())) if r.url.endswith("/api/graph") else None)
    page.evaluate(js.MEASURE, [MLP, mnist_values(), True])
    kb = sizes[-1] / 1000 if sizes else float("nan")
    line("MNIST-sized net: /api/graph answer", f"{kb:,.0f} KB", "<= 300 KB", kb <= 300)
    mine, old = [], []
    for _ in range(runs):
        mine.append(inspect_x(page))
        if ref:
            old.append(inspect_x(ref))
    longest = max(mine)
    each = " ".join(f"{t:.0f}" for t in mine)
    line("MNIST-sized net: inspecting X, longest task", f"{longest:.0f} ms ({each})", "<= 100 ms",
         longest <= 100)
    if ref:
        was = " ".join(f"{t:.0f}" for t in old)
        line("    reference page, same runs", f"{max(old):.0f} ms ({was})", "", None)


def inspect_x(page) -> float:
    """The longest task while X of the MNIST-sized net opens in the inspector, drawn anew (its
    windows are fetched again)."""
    page.evaluate(js.MEASURE, [MLP, mnist_values(), True])
    page.evaluate(js.LONGEST_TASK)
    x = page.evaluate("window.gatewise.getGraph().inputs.X")
    page.evaluate("(id) => window.gatewise.select(id)", x)
    page.wait_for_selector("#inspector[open]")
    page.wait_for_timeout(1500)
    longest = page.evaluate(js.LONGEST_TASK_END)
    page.evaluate("() => document.querySelector('#inspector').close()")
    return longest


def overlap_figures(page) -> None:
    """Overlapping visible texts on the 300-gate chain at Fit and at 100 %."""
    page.evaluate(js.MEASURE, [chain(60), {}, False])
    page.click("#fit")
    fit = page.evaluate(js.OVERLAPS)
    page.evaluate("() => window.gatewise.zoomTo(1)")
    full = page.evaluate(js.OVERLAPS)
    for name, r in (("Fit", fit), ("100%", full)):
        line(f"300-gate chain at {name} (k {r['k']:.2f}): overlaps", f"{r['pairs']} of {r['texts']} texts",
             "0", r["pairs"] == 0)


def open_page(browser, url: str):
    """A page on the app, warmed up (ELK's code compiled in its worker)."""
    page = browser.new_page(viewport={"width": 1400, "height": 860})
    page.goto(f"{url}/")
    page.wait_for_function("document.body.dataset.status === 'ready'")
    page.evaluate(js.MEASURE, [chain(10), {}, True])
    return page


def reference_page(stack: contextlib.ExitStack, browser, commit: str):
    """The page of an earlier commit (its static/ only) on a second server of this tree."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    archive = ["git", "-C", str(ROOT), "archive", commit, "static"]
    tar = subprocess.run(archive, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=tar.stdout, check=True)
    url = stack.enter_context(serving(env={"GATEWISE_STATIC_DIR": str(folder / "static")}))
    return open_page(browser, url)


def bench(runs: int, quick: bool, ref: str | None, draw_only: bool = False, mnist_only: bool = False) -> None:
    """Starts the app and Chromium and prints every figure."""
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as stack, sync_playwright() as p:
        url = stack.enter_context(serving())
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = open_page(browser, url)
        old = reference_page(stack, browser, ref) if ref else None
        speed = [page.evaluate(js.SPEED)]
        print(f"host: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
              f"a fixed JS loop takes {speed[0]:.0f} ms")
        if mnist_only:
            return mnist_figures(page, old, runs)
        draw_figures(page, runs, old)
        if draw_only:
            return
        scrub_figures(page)
        keystroke_figures(page, runs)
        if not quick:
            mnist_figures(page, old, runs)
        overlap_figures(page)
        speed.append(page.evaluate(js.SPEED))
        print(f"host afterwards: load average {os.getloadavg()[0]:.1f}; the same loop {speed[1]:.0f} ms")
        browser.close()


def main() -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="skip the MNIST-sized net")
    ap.add_argument("--ref", help="also draw on this commit's page, interleaved (e.g. 563e513)")
    ap.add_argument("--draw-only", action="store_true", help="only evaluate -> drawing")
    ap.add_argument("--mnist-only", action="store_true", help="only the MNIST-sized net's figures")
    args = ap.parse_args()
    bench(args.runs, args.quick or args.draw_only, args.ref, args.draw_only, args.mnist_only)


if __name__ == "__main__":
    main()
