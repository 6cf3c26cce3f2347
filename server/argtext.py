"""argparse in the command's language: its own words ("usage:", "options", its errors) from the catalog.

argparse asks gettext for each of its texts by its English msgid, gettext's key for a text. While a
parser is built and run in another language, those lookups are answered from the messages catalog's
cli_argparse_ codes (the help texts the commands write are catalog codes of their own).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from contextlib import contextmanager

from gatewise.engine.core.messages import DEFAULT_LANG, catalog

# argparse's msgid -> (its code, the names of its unnamed %s / %r slots, in order).
MSGIDS = {
    "usage: ": ("cli_argparse_usage", ()),
    "positional arguments": ("cli_argparse_positionals", ()),
    "options": ("cli_argparse_options", ()),
    "show this help message and exit": ("cli_argparse_help", ()),
    "%(prog)s: error: %(message)s\n": ("cli_argparse_error", ()),
    "the following arguments are required: %s": ("cli_argparse_required", ("args",)),
    "unrecognized arguments: %s": ("cli_argparse_unrecognized", ("args",)),
    "argument %(argument_name)s: %(message)s": ("cli_argparse_argument", ()),
    "invalid choice: %(value)r (choose from %(choices)s)": ("cli_argparse_choice", ()),
    "invalid %(type)s value: %(value)r": ("cli_argparse_value", ()),
    "expected one argument": ("cli_argparse_one", ()),
    "expected at most one argument": ("cli_argparse_at_most_one", ()),
    "expected at least one argument": ("cli_argparse_at_least_one", ()),
    "ambiguous option: %(option)s could match %(matches)s": ("cli_argparse_ambiguous", ()),
    "not allowed with argument %s": ("cli_argparse_not_allowed", ("other",)),
    "ignored explicit argument %r": ("cli_argparse_ignored", ("value",)),
    "one of the arguments %s is required": ("cli_argparse_one_of", ("args",)),
    "unexpected option string: %s": ("cli_argparse_unexpected", ("option",)),
}
PLURAL_MSGIDS = {"expected %s argument": ("cli_argparse_count", ("count",))}  # its plural: … arguments
_SPEC = re.compile(r"%\((\w+)\)([sr])|%([sr])")
_SLOT = re.compile(r"\{(\w+)\}")


def printf_template(template: str, msgid: str, names: tuple[str, ...]) -> str:
    """A catalog template ({slots}) as the %-format argparse fills: each slot takes the conversion the
    msgid gives it (%(value)r stays a repr), a literal % is doubled."""
    conversions, unnamed = {}, iter(names)
    for match in _SPEC.finditer(msgid):
        name, conv, bare = match.groups()
        if name:
            conversions[name] = f"%({name}){conv}"
        else:
            conversions[next(unnamed)] = f"%{bare}"
    text = template.replace("%", "%%")
    return _SLOT.sub(lambda m: conversions.get(m.group(1), m.group(0)), text)


@contextmanager
def argparse_in(lang: str) -> Iterator[None]:
    """argparse's own texts in lang while parsers are built and run in the block (English: untouched)."""
    if lang == DEFAULT_LANG:
        yield
        return
    words = catalog(lang)

    def gettext(msgid: str) -> str:
        code, names = MSGIDS.get(msgid, (None, ()))
        return printf_template(words[code], msgid, names) if code in words else saved[0](msgid)

    def ngettext(singular: str, plural: str, n: int) -> str:
        code, names = PLURAL_MSGIDS.get(singular, (None, ()))
        if code not in words:
            return saved[1](singular, plural, n)
        return printf_template(words[code], singular, names)

    # argparse looks these two names up in its module at every call: swapped for the block only.
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = gettext, ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
