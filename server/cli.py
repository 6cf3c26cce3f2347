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
from gatewise.server.argtext import argparse_in
from gatewise.server.limits import Settings, env_table, load_settings
from gatewise.server.responses import dumps, strict
from gatewise.server.table import caret, gradcheck_table, graph_table

# TCP_NODELAY on every connection (see protocols.py); named, so `gatewise eval` never imports uvicorn.
HTTP_PROTOCOL = "gatewise.server.protocols:NoDelayHTTPProtocol"
EVAL_EXAMPLE = "gatewise eval 'f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)' x=3 y=-4"


def _parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The argument parser with its subcommands, its help in lang (build it inside argparse_in(lang))."""
    def say(code: str, **params) -> str:
        return render(code, params, lang)

    parser = argparse.ArgumentParser(prog="gatewise", description=say("cli_help_description"))
    parser.add_argument("--lang", help=say("cli_help_lang"))
    commands = parser.add_subparsers(dest="command", required=True)
    _serve_parser(commands, say)
    ev = commands.add_parser("eval", help=say("cli_help_eval"),
                             epilog=say("cli_help_eval_epilog", example=EVAL_EXAMPLE))
    ev.add_argument("program", help=say("cli_help_program"))
    ev.add_argument("values", nargs="*", metavar="NAME=VALUE", help=say("cli_help_values"))
    ev.add_argument("--json", action="store_true", help=say("cli_help_json"))
    ev.add_argument("--expand", action="store_true", help=say("cli_help_expand"))
    ev.add_argument("--fold", action="store_true", help=say("cli_help_fold"))
    ev.add_argument("--gradcheck", action="store_true", help=say("cli_help_gradcheck"))
    ev.add_argument("--lang", default=argparse.SUPPRESS, help=say("cli_help_lang"))
    ft = commands.add_parser("from-torch", help=say("cli_torch_help"), epilog=say("cli_torch_epilog"))
    ft.add_argument("target", metavar="FILE.py[:NAME]", help=say("cli_torch_target"))
    ft.add_argument("--json", action="store_true", help=say("cli_torch_json"))
    ft.add_argument("--serve", action="store_true", help=say("cli_torch_serve"))
    ft.add_argument("--port", type=int, default=None, help=say("cli_torch_port"))
    ft.add_argument("--no-browser", action="store_true", help=say("cli_torch_no_browser"))
    ft.add_argument("--lang", default=argparse.SUPPRESS, help=say("cli_help_lang"))
    return parser


def _serve_parser(commands, say) -> None:
    """The `serve` subcommand's options."""
    env = "\n".join(f"  {name:<32} {default}" for name, default in env_table())
    serve = commands.add_parser("serve", help=say("cli_help_serve"),
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=f"{say('cli_help_env')}\n{env}")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help=say("cli_help_workers"))
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--access-log", action="store_true", help=say("cli_help_access_log"))
    serve.add_argument("--loop", choices=["auto", "asyncio", "uvloop"], default="auto",
                       help=say("cli_help_loop"))
    serve.add_argument("--backlog", type=int, default=2048, help=say("cli_help_backlog"))
    serve.add_argument("--keep-alive", type=int, default=5, help=say("cli_help_keep_alive"))


def lang_option(argv: Sequence[str]) -> str | None:
    """The --lang of a command line, read before its parser is built (the parser's help is in it)."""
    for k, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and k + 1 < len(argv):
            return argv[k + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


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
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = cli_lang(lang_option(argv), os.environ)
    with argparse_in(lang or DEFAULT_LANG):
        args = _parser(lang or DEFAULT_LANG).parse_args(argv)
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
        return _from_torch(args, lang)
    return _serve(args) if args.command == "serve" else _eval(args, settings, lang)


def _from_torch(args: argparse.Namespace, lang: str) -> int:
    """Run `gatewise from-torch`: the bridge imports PyTorch, which the server never does, so it is
    loaded for this command only."""
    try:
        bridge = importlib.import_module("gatewise.torch_bridge.cli")
    except ModuleNotFoundError as exc:
        if exc.name != "torch":
            raise
        print(render("cli_torch_needs_torch", None, lang), file=sys.stderr)
        return 2
    return bridge.run(args, lang)


if __name__ == "__main__":
    sys.exit(main())
