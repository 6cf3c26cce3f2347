"""A circuit as one self-contained HTML file: the bundle, ELK, KaTeX and the numbers, all inline.

The file draws, animates and explains its circuit with no server and no network; what needs an
engine (scrubbing, editing, training, expanding) says so. `Circuit.save_html` and the page's
Export ▸ HTML (POST /api/export/html) both write it, in a language: the file's texts come from the
bundle's catalogs, so only <html lang> and the data's "lang" differ.
"""

from __future__ import annotations

import html

from gatewise import assets, engine
from gatewise.engine import Limits, to_dict
from gatewise.engine.core.messages import DEFAULT_LANG
from gatewise.server.responses import dumps, strict

TEMPLATE = """<!doctype html>
<html lang="{tag}" class="gatewise-file">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<div id="gatewise"></div>
<script type="application/json" id="gatewise-data">{data}</script>
<script type="module">{js}</script>
</body>
</html>
"""
TAGS = {"en": "en", "zh": "zh-CN"}  # BCP 47, as the page's <html lang> (static/js/i18n.js)


def standalone_html(program: str, values: dict | None = None, expand: bool | list[str] = False,
                    limits: Limits | None = None, lang: str = DEFAULT_LANG) -> str:
    """The file's text in lang ("en" or "zh"); raises EngineError for an invalid program (nothing to draw)."""
    return page(circuit_data(program, values, expand, limits), lang)


def circuit_data(program: str, values: dict | None = None, expand: bool | list[str] = False,
                 limits: Limits | None = None) -> dict:
    """What the file shows, in no language: the program, its graph and its gradient check (the engine's
    work; raises EngineError for an invalid program)."""
    values = dict(values or {})
    graph = to_dict(engine.evaluate(program, values, expand=expand, limits=limits))
    try:
        check = strict(engine.gradcheck(program, values, limits=limits))
    except engine.EngineError as e:  # e.g. over a budget: the file's button then says it needs an engine
        if e.kind == "timeout":  # but a server's short inline slice ran out: it retries with the full budget
            raise
        check = None
    return {"program": program, "values": values, "expand": expand if expand is True else list(expand or []),
            "graph": graph, "gradcheck": check}


def page(data: dict, lang: str = DEFAULT_LANG) -> str:
    """The file's text for circuit_data's data, in lang (its texts come from the bundle's catalogs)."""
    js, css = assets.bundle()
    program = data["program"]
    first = program.strip().splitlines()[-1] if program.strip() else "circuit"
    return TEMPLATE.format(tag=TAGS[lang], title=html.escape(f"Gatewise · {first[:80]}"), css=_inline(css),
                           data=dumps(strict({**data, "lang": lang})).decode().replace("<", "\\u003c"),
                           js=_inline(js))


def _inline(text: str) -> str:
    """Code safe inside a <script> or <style> element: no closing tag or comment opener can end it.

    The bundle has these only inside strings, regexes and templates, where `<\\/` still means `</`
    (the JSON data escapes every `<` as \\u003c instead)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")
