"""`gatewise from-torch FILE.py:NAME`: the user's own PyTorch file, translated on their own machine.

The file convention: NAME is either
  - a zero-argument function returning `(fn, example_args)`, where fn is a Module or a function of
    tensors and example_args a tuple of tensors; or
  - a Module or a function of tensors, with the file's `EXAMPLE_INPUTS` giving its inputs: a tuple of
    tensors, or a dict from names to such tuples.
NAME defaults to `example`. The file is run as Python, as `python FILE.py` would run it: only ever on
the user's machine (the server never loads PyTorch or a user's Python).
"""

from __future__ import annotations

import importlib.util
import inspect
import signal
import subprocess
import sys
import urllib.parse
import webbrowser
from pathlib import Path

import torch

from gatewise.engine import to_dict
from gatewise.engine.core.messages import DEFAULT_LANG, CatalogError, render, show
from gatewise.server.local import free_port, wait_until_up
from gatewise.server.responses import dumps, strict

from .translate import NotTranslatable, Translation, TranslationMismatch, UnsupportedOperations, from_torch

MAX_URL = 2_000_000  # Chromium's limit on an address; the page reads the program from it


class UsageError(CatalogError, ValueError):
    """The file or NAME does not follow the convention (exit 2): a catalog code and its parameters."""


def load_target(spec: str):
    """FILE.py[:NAME] -> (fn, example_args), following the file convention above."""
    path_text, _, name = spec.rpartition(":") if spec.rpartition(":")[0].endswith(".py") else (spec, "", "")
    path = Path(path_text)
    if not path.is_file():
        raise UsageError("cli_torch_no_file", path=path_text)
    module = _run_file(path)
    name = name or "example"
    if not hasattr(module, name):
        raise UsageError("cli_torch_no_name", path=str(path), name=repr(name))
    return _example(getattr(module, name), getattr(module, "EXAMPLE_INPUTS", None), name, path)


def _run_file(path: Path):
    """Import the user's file as a module (its directory on sys.path, as `python FILE.py` has it)."""
    spec = importlib.util.spec_from_file_location(f"gatewise_user_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.resolve().parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    return module


def _example(obj, inputs, name: str, path: Path):
    """The (fn, example_args) that NAME and EXAMPLE_INPUTS stand for."""
    if not isinstance(obj, torch.nn.Module) and callable(obj) and _takes_nothing(obj):
        made = obj()
        if not (isinstance(made, tuple) and len(made) == 2 and callable(made[0])):
            raise UsageError("cli_torch_returns", path=str(path), name=name)
        return made[0], tuple(made[1]) if isinstance(made[1], (list, tuple)) else (made[1],)
    if isinstance(inputs, dict):
        inputs = inputs.get(name)
    if inputs is None:
        raise UsageError("cli_torch_inputs", path=str(path), name=name, key=repr(name))
    return obj, tuple(inputs) if isinstance(inputs, (list, tuple)) else (inputs,)


def _takes_nothing(fn) -> bool:
    try:
        return not inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def page_url(base: str, t: Translation) -> str:
    """The page's address with the program and its values in the hash, as Share link writes it."""
    query = urllib.parse.urlencode({"program": t.program, "values": dumps(strict(t.values)).decode()},
                                   quote_via=urllib.parse.quote)
    return f"{base}/#{query}"


def serve(t: Translation, port: int | None, open_browser: bool, lang: str = DEFAULT_LANG) -> int:
    """Start `gatewise serve` in its own process (it never imports PyTorch) and open the circuit."""
    port = port or free_port()
    # A terminated `from-torch --serve` must not leave its server behind: exit through `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    proc = subprocess.Popen([sys.executable, "-m", "gatewise.server.cli", "serve", "--port", str(port),
                             "--log-level", "warning"])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/health", proc)
        url = page_url(base, t)
        if len(url) > MAX_URL:
            too_long = render("cli_torch_url", {"mb": f"{len(url) / 1e6:.1f}"}, lang)
            print(f"gatewise from-torch: {too_long}", file=sys.stderr)
        print(url, flush=True)
        if open_browser:
            webbrowser.open(url)
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


def refusals(e: UnsupportedOperations, lang: str = DEFAULT_LANG) -> str:
    """The calls from_torch refused, each with its line and what is supported instead, in lang."""
    if lang == DEFAULT_LANG:
        return str(e)
    lines = list(dict.fromkeys(map(lambda r: _refusal(r, lang), e.refusals)))
    head = render("cli_torch_unsupported", {"count": len(lines)}, lang)
    return "\n".join([head, *(f"  {line}" for line in lines)])


def _refusal(r, lang: str) -> str:
    """One refused call in lang: its form (or its name) and where, and what is supported instead."""
    op, reason = r.said or (r.op, r.reason)
    params = {"op": show(op, lang), "where": str(r.where), "reason": show(reason, lang)}
    return render("cli_torch_refusal_why" if reason else "cli_torch_refusal", params, lang)


def run(args, lang: str = DEFAULT_LANG) -> int:
    """`gatewise from-torch`: 0 on success, 1 when the code cannot be translated, 2 for usage errors;
    its messages in lang."""
    try:
        fn, example_args = load_target(args.target)
        t = from_torch(fn, *example_args)
    except UsageError as e:
        print(f"gatewise: {e.render(lang)}", file=sys.stderr)
        return 2
    except UnsupportedOperations as e:
        print(f"gatewise from-torch: {refusals(e, lang)}", file=sys.stderr)
        return 1
    except NotTranslatable as e:
        print(f"gatewise from-torch: {e.render(lang)}", file=sys.stderr)
        return 1
    except (TranslationMismatch, TypeError) as e:  # a mismatch is a bug: its report names the program
        print(f"gatewise from-torch: {e}", file=sys.stderr)
        return 1
    worst = t.check()["max"]
    print(render("cli_torch_checked", {"difference": f"{worst:.1e}"}, lang), file=sys.stderr)
    if args.serve:
        return serve(t, args.port, not args.no_browser, lang)
    if args.json:
        print(dumps(strict(to_dict(t.graph, lang))).decode())
    else:
        print(t.standalone(), end="")
    return 0
