"""The engine's and the server's messages: one template per stable code, in English and Chinese.

An error carries a code and plain JSON parameters; its text is rendered from the catalog of the
reader's language, so clients can render the same code in their own words. Nothing is translated
from English text: a code without a template renders as the code itself (and a test fails).
"""

from __future__ import annotations

import re

from .messages_en import MESSAGES as EN
from .messages_zh import MESSAGES as ZH

LANGS = ("en", "zh")
DEFAULT_LANG = "en"
CATALOGS = {"en": EN, "zh": ZH}
# How a list parameter is joined: an enumeration comma in Chinese.
_JOIN = {"en": ", ", "zh": "、"}
# A slot is {name}; a list in a slot written between quotes ('{names}') has each item quoted.
_SLOT = re.compile(r"('?)\{(\w+)\}('?)")


def catalog(lang: str) -> dict[str, str]:
    """Every code's template in lang (English for a language Gatewise does not have)."""
    return CATALOGS.get(lang, EN)


def render(code: str, params: dict | None = None, lang: str = DEFAULT_LANG) -> str:
    """The message of code in lang, its {slots} filled from params."""
    template = catalog(lang).get(code) or EN.get(code) or code
    params = params or {}

    def fill(match: re.Match) -> str:
        left, key, right = match.groups()
        if key not in params:
            return match.group(0)
        value = params[key]
        if left and right and isinstance(value, (list, tuple)):
            return _JOIN.get(lang, ", ").join(f"'{show(v, lang)}'" for v in value)
        return left + show(value, lang) + right

    return _SLOT.sub(fill, template)


def show(value, lang: str = DEFAULT_LANG) -> str:
    """A parameter as text: lists joined, a nested {code, params} rendered, booleans in JSON."""
    if isinstance(value, dict) and "code" in value:
        return render(str(value["code"]), value.get("params") or {}, lang)
    if isinstance(value, (list, tuple)):
        return _JOIN.get(lang, ", ").join(show(v, lang) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def message(code: str, **params) -> dict:
    """A message as data, for a parameter that is itself a message (rendered in the reader's language)."""
    return {"code": code, "params": params}


def localized(record: dict, lang: str = DEFAULT_LANG) -> dict:
    """A record of a successful answer (a verdict, a flag) with its message rendered in lang from its
    code and params, and its title from its title_code (the record itself in English or without a code)."""
    code = record.get("code")
    if lang == DEFAULT_LANG or not isinstance(code, str):
        return record
    params = record.get("params") or {}
    out = {**record, "message": render(code, params, lang)}
    if isinstance(record.get("title_code"), str):
        out["title"] = render(record["title_code"], params, lang)
    return out


def language(tag: str | None) -> str | None:
    """The catalog language of one tag: zh, zh-CN, zh-Hans, zh_CN.UTF-8 -> zh; en-GB -> en; else None."""
    if not tag:
        return None
    primary = re.split(r"[-_.@]", tag.strip().lower(), maxsplit=1)[0]
    return primary if primary in LANGS else None


def accept_language(header: str | None) -> str:
    """The best catalog language of an Accept-Language header, honouring q-values (default English)."""
    choices = []
    for n, item in enumerate((header or "").split(",")):
        tag, _, rest = item.partition(";")
        q = _quality(rest)
        if q > 0:
            choices.append((-q, n, tag.strip()))
    for _, _, tag in sorted(choices):  # by q, then in the header's order
        found = DEFAULT_LANG if tag == "*" else language(tag)
        if found:
            return found
    return DEFAULT_LANG


def _quality(params: str) -> float:
    """The q-value among a language range's parameters (1 if absent, 0 if unreadable)."""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


class CatalogError(Exception):
    """An exception whose text is a catalog message: its code and parameters, rendered in any language."""

    def __init__(self, code: str, **params):
        super().__init__(render(code, params))
        self.code, self.params = code, params

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """The message in lang."""
        return render(self.code, self.params, lang)
