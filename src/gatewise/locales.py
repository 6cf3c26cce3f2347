"""The page's catalogs (static/locales/{en,zh}.json) read in Python: the texts the widget's kernel side
writes itself use the same keys as its front end, so there is one catalog per language."""

from __future__ import annotations

import re
from functools import cache

import orjson

from gatewise import assets

SLOT = re.compile(r"\{(\w+)\}")


@cache
def catalog(lang: str) -> dict[str, str]:
    """The page's catalog of lang ("en" or "zh")."""
    return orjson.loads((assets.static_dir() / "locales" / f"{lang}.json").read_bytes())


def text(key: str, lang: str, **params: object) -> str:
    """The text of key in lang (English if missing there), each {name} filled as the page's t() does."""
    template = catalog(lang).get(key) or catalog("en")[key]
    return SLOT.sub(lambda m: str(params[m[1]]) if params.get(m[1]) is not None else m[0], template)
