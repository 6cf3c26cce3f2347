"""Side by side: this tree's engine against another commit's, in one run, interleaved.

Run: .venv/bin/python benchmarks/compare.py [--ref main~1] [--rounds 3] [--full]
The reference commit is extracted (git archive) into a temporary folder, and each tree is made
importable as `gatewise` from a folder of links (the layout pyproject.toml maps). This tree's
benchmark scripts then measure both engines, so only the engine differs. Every round runs each
script once per tree, alternating which tree goes first; each figure's best over the rounds is
printed with the ratio this/reference (above 1 is slower; steps/s are turned into time per step).
On a shared machine the absolute times swing with the load; the scripts' own ratios against a
reference measured in the same run (PyTorch, hand-written NumPy, GET /api/health) are steadier, so
they are compared too.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
# script arguments -> [(figure name, regex whose groups are figures in ms; a name ending in
# "steps/s" is a rate)]
SCRIPTS = {
    ("engine_bench.py", "--quick"): [
        ("(a) evaluate+to_dict", r"\(a\) \d+ nodes: evaluate\+to_dict ([\d.]+) ms"),
        ("(a) parse+build", r"parse \+ build ([\d.]+) ms"),
        ("(a) forward+backward", r"forward \+ backward ([\d.]+) ms"),
        ("(a) to_dict", r"to_dict ([\d.]+) ms\n"),
        ("(a) new values", r"built graph reused\): ([\d.]+) ms"),
        ("(b) MLP forward+backward", r"\(b\) .*?forward\+backward ([\d.]+) ms"),
        ("(b) MLP whole evaluate", r"whole evaluate \(parse \+ build \+ passes\) ([\d.]+) ms"),
        ("(c) 1000 gates", r"\(c\)\s+1000 gates: ([\d.]+) ms"),
        ("(c) 10000 gates", r"\(c\)\s+10000 gates: ([\d.]+) ms"),
        ("(a) ratio to PyTorch", r"PyTorch [\d.]+ ms, ratio ([\d.]+)"),
        ("(a) passes ratio to a Python tape", r"Python tape [\d.]+ ms, ratio ([\d.]+)"),
        ("(b) ratio to hand NumPy", r"hand NumPy [\d.]+ ms, ratio ([\d.]+)"),
    ],
    ("train_bench.py", "--steps", "1000", "--rounds", "5"): [
        ("train xor steps/s", r"xor\s+engine\s+(\d+) steps/s"),
        ("train digits steps/s", r"digits\s+engine\s+(\d+) steps/s"),
        ("train xor ratio to hand NumPy", r"xor\s+engine.*?ratio ([\d.]+)x best-of"),
        ("train digits ratio to hand NumPy", r"digits\s+engine.*?ratio ([\d.]+)x best-of"),
    ],
    ("cpu_bench.py",): [
        ("cpu: xor step", r"train xor step\s+([\d.]+) us"),
        ("cpu: digits step", r"train digits step\s+([\d.]+) us"),
        ("cpu: server fresh request", r"server fresh request\s+([\d.]+) us"),
        ("cpu: server GET /api/health", r"server GET /api/health\s+([\d.]+) us"),
        ("cpu: server fresh - health", r"server fresh - health\s+([\d.]+) us"),
        ("cpu: engine part of it", r"engine part of it\s+([\d.]+) us"),
        ("cpu: (a) first evaluate+to_dict", r"\(a\) first evaluate\+to_dict\s+([\d.]+) ms"),
        ("cpu: (b) MLP forward+backward", r"\(b\) MLP forward\+backward\s+([\d.]+) ms"),
    ],
    ("server_bench.py", "--seconds", "4", "--no-big"): [
        ("server fresh p50", r"POST /api/graph fresh\s+n=\d+\s+p50=([\d.]+) ms"),
        ("server cached p50", r"POST /api/graph cached\s+n=\d+\s+p50=([\d.]+) ms"),
        ("server health p50", r"GET /api/health\s+n=\d+\s+p50=([\d.]+) ms"),
        ("server fresh p50 / health p50", None),
    ],
}


def importable(tree: Path, into: Path) -> Path:
    """A folder where `import gatewise` finds this tree's src/gatewise, engine and server."""
    pkg = into / "gatewise"
    pkg.mkdir(parents=True)
    for f in (tree / "src" / "gatewise").iterdir():
        (pkg / f.name).symlink_to(f)
    (pkg / "engine").symlink_to(tree / "engine")
    (pkg / "server").symlink_to(tree / "server")
    return into


def extract(ref: str, into: Path) -> Path:
    """The files of commit `ref` in a folder."""
    archive = into / "ref.tar"
    subprocess.run(["git", "archive", "-o", str(archive), ref], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def run(script: tuple, path: Path, env_root: Path) -> str:
    """One benchmark script of this tree, importing the engine from `path`."""
    env = {**os.environ, "PYTHONPATH": str(path)}
    out = subprocess.run([sys.executable, str(BENCH / script[0]), *script[1:]], env=env, cwd=env_root,
                         capture_output=True, text=True)
    if out.returncode:  # said, and the figures printed before the failure still count
        tail = (out.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"  {script[0]} failed with {path.name}'s engine: {tail}", flush=True)
    return out.stdout


def figures(text: str, patterns) -> dict[str, float]:
    """Each figure found in a script's output, as milliseconds (a rate as ms per step)."""
    found = {}
    for name, pattern in patterns:
        if pattern is None:  # derived: a ratio of two figures of the same run
            a, b = name.split(" / ")
            if a in found and b in found:
                found[name] = found[a] / found[b]
            continue
        m = re.search(pattern, text)
        if m:
            v = float(m.group(1))
            found[name] = 1e3 / v if name.endswith("steps/s") else v
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="main~1")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default="", help="run only scripts whose name contains this")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ref_tree = extract(args.ref, tmp)
        trees = {"this": (importable(ROOT, tmp / "this"), ROOT),
                 "ref": (importable(ref_tree, tmp / "ref"), ref_tree)}
        check = [sys.executable, "-c", "import gatewise.engine as e; print(e.__file__)"]
        for name, (path, _) in trees.items():
            where = subprocess.run(check, env={**os.environ, "PYTHONPATH": str(path)}, capture_output=True,
                                   text=True, check=True, cwd=tmp).stdout.strip()
            print(f"{name}: {where}")
        best: dict[str, dict[str, float]] = {"this": {}, "ref": {}}
        for r in range(args.rounds):
            order = ["this", "ref"] if r % 2 == 0 else ["ref", "this"]
            for script, patterns in SCRIPTS.items():
                if args.only not in script[0]:
                    continue
                for side in order:
                    got = figures(run(script, *trees[side]), patterns)
                    for k, v in got.items():
                        best[side][k] = min(v, best[side].get(k, v))
            print(f"round {r + 1} done", flush=True)
        title = f"figure (best of {args.rounds}, ms)"
        print(f"\n{title:<34} {'this':>10} {'ref':>10} {'this/ref':>9}")
        for k in best["ref"]:
            if k in best["this"]:
                a, b = best["this"][k], best["ref"][k]
                print(f"{k:<34} {a:>10.3f} {b:>10.3f} {a / b:>9.3f}")


if __name__ == "__main__":
    main()
