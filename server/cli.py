"""The `gatewise` command: `gatewise serve` runs the app, `gatewise eval` prints a graph as a table."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Mapping, Sequence

import orjson

from gatewise import engine
from gatewise.engine import to_dict
from gatewise.engine.core.messages import DEFAULT_LANG, language, render
from gatewise.server.limits import Settings, env_table, load_settings
from gatewise.server.responses import dumps, strict
from gatewise.server.table import caret, gradcheck_table, graph_table

# TCP_NODELAY on every connection (see protocols.py); named, so `gatewise eval` never imports uvicorn.
HTTP_PROTOCOL = "gatewise.server.protocols:NoDelayHTTPProtocol"
LANG_HELP = "language of tables and errors: en or zh (default: LC_ALL, LC_MESSAGES or LANG, else en)"
EVAL_EXAMPLE = "gatewise eval 'f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)' x=3 y=-4"


def _parser() -> argparse.ArgumentParser:
    """The argument parser with both subcommands."""
    parser = argparse.ArgumentParser(prog="gatewise", description="Gatewise: backpropagation, gate by gate.")
    parser.add_argument("--lang", help=LANG_HELP)
    commands = parser.add_subparsers(dest="command", required=True)
    env = "\n".join(f"  {name:<32} {default}" for name, default in env_table())
    serve = commands.add_parser("serve", help="serve the web app and the REST API",
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=f"environment variables (defaults):\n{env}")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--access-log", action="store_true", help="log every request (off: it costs time)")
    serve.add_argument("--loop", choices=["auto", "asyncio", "uvloop"], default="auto",
                       help="event loop (auto: uvloop where installed)")
    serve.add_argument("--backlog", type=int, default=2048, help="connections waiting to be accepted")
    serve.add_argument("--keep-alive", type=int, default=5, help="seconds an idle connection is kept")
    ev = commands.add_parser("eval", help="evaluate a program and print its nodes",
                             epilog=f"example: {EVAL_EXAMPLE}  (tensors as JSON: W='[[1,2],[3,4]]')")
    ev.add_argument("program", help="the program text, or - to read it from standard input")
    ev.add_argument("values", nargs="*", metavar="NAME=VALUE", help="input values: numbers or JSON lists")
    ev.add_argument("--json", action="store_true", help="print the API's JSON instead of a table")
    ev.add_argument("--expand", action="store_true", help="expand composite gates into primitives")
    ev.add_argument("--fold", action="store_true", help="show each call of a user function (def) as one "
                    "row, its block's value and gradient")
    ev.add_argument("--gradcheck", action="store_true", help="compare analytic and numeric gradients")
    ev.add_argument("--lang", default=argparse.SUPPRESS, help=LANG_HELP)
    ft = commands.add_parser("from-torch", help="translate your PyTorch file into a program (needs torch)",
                             epilog="FILE.py:NAME names a Module or function (inputs from the file's "
                                    "EXAMPLE_INPUTS) or a zero-argument function returning "
                                    "(fn, example_args)")
    ft.add_argument("target", metavar="FILE.py[:NAME]", help="the file and the name in it (default: example)")
    ft.add_argument("--json", action="store_true", help="print the evaluated graph as the API's JSON")
    ft.add_argument("--serve", action="store_true", help="serve the page and open the circuit in it")
    ft.add_argument("--port", type=int, default=None, help="the port for --serve (default: a free one)")
    ft.add_argument("--no-browser", action="store_true", help="with --serve: print the address only")
    return parser


def cli_lang(option: str | None, environ: Mapping[str, str]) -> str | None:
    """The language: --lang, else the first set of LC_ALL, LC_MESSAGES and LANG (zh_CN.UTF-8 -> zh),
    else English; None for a --lang Gatewise does not have."""
    if option:
        return language(option)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return language(environ[name]) or DEFAULT_LANG
    return DEFAULT_LANG


def parse_values(pairs: Sequence[str], lang: str = DEFAULT_LANG) -> dict:
    """NAME=VALUE arguments as a values dict; VALUE is a JSON number or nested list."""
    values = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(render("cli_pair", {"pair": repr(pair)}, lang))
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError:
            raise ValueError(render("cli_value_json", {"pair": repr(pair)}, lang)) from None
        if isinstance(value, bool) or not isinstance(value, (int, float, list)):
            raise ValueError(render("cli_value_type", {"pair": repr(pair)}, lang))
        values[name.strip()] = value
    return values


def _eval(args: argparse.Namespace, settings: Settings, lang: str) -> int:
    """Run `gatewise eval`; 0 on success, 1 for a program error, 2 for bad arguments."""
    source = sys.stdin.read() if args.program == "-" else args.program
    try:
        values = parse_values(args.values, lang)
    except ValueError as exc:
        print(f"gatewise: {exc}", file=sys.stderr)
        return 2
    limits = settings.limits
    try:
        if args.gradcheck:
            result = strict(engine.gradcheck(source, values, limits=limits))
            text = dumps(result).decode() if args.json else gradcheck_table(result, lang)
        else:
            graph = to_dict(engine.evaluate(source, values, expand=args.expand, limits=limits,
                                            fold=True if args.fold else None), lang)
            text = dumps(graph).decode() if args.json else graph_table(graph, lang)
    except engine.EngineError as exc:
        print(caret(source, exc.to_dict(lang), lang), file=sys.stderr)
        return 1
    print(text)
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Run `gatewise serve` with uvicorn."""
    import uvicorn

    uvicorn.run("gatewise.server.app:app", host=args.host, port=args.port, workers=args.workers,
                log_level=args.log_level, access_log=args.access_log, http=HTTP_PROTOCOL, loop=args.loop,
                backlog=args.backlog, timeout_keep_alive=args.keep_alive)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `gatewise` console script."""
    args = _parser().parse_args(argv)
    lang = cli_lang(args.lang, os.environ)
    if lang is None:
        print(f"gatewise: {render('cli_language', {'lang': repr(args.lang)})}", file=sys.stderr)
        return 2
    try:
        settings = load_settings()  # fail now, with a clear message, on a malformed GATEWISE_* variable
    except ValueError as exc:
        print(f"gatewise: {exc}", file=sys.stderr)
        return 2
    if args.command == "from-torch":
        # The bridge imports PyTorch, which the server never does: it is loaded for this command only.
        try:
            bridge = importlib.import_module("gatewise.torch_bridge.cli")
        except ModuleNotFoundError as exc:
            if exc.name != "torch":
                raise
            print("gatewise from-torch needs PyTorch: pip install 'gatewise[torch]'", file=sys.stderr)
            return 2
        return bridge.run(args)
    return _serve(args) if args.command == "serve" else _eval(args, settings, lang)


if __name__ == "__main__":
    sys.exit(main())
