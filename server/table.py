"""Plain-text rendering for `gatewise eval`: the node table, the gradcheck table, the error caret,
with headers and words in the chosen language (the messages catalog's cli_ codes)."""

from __future__ import annotations

import unicodedata
from typing import Any

from gatewise.engine.core.messages import DEFAULT_LANG, render

WIDTH = 36  # longest value or gradient cell before it is cut with an ellipsis


def cell(value: Any) -> str:
    """A number, non-finite string or nested list, compactly and at most WIDTH characters."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.6g}"
    elif isinstance(value, list):
        text = "[" + ", ".join(cell(v) for v in value[:8]) + (", …" if len(value) > 8 else "") + "]"
    else:
        text = str(value)
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def width(text: str) -> int:
    """Columns text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, columns: int) -> str:
    """text padded with spaces to the given terminal width."""
    return text + " " * (columns - width(text))


def _render(header: list[str], rows: list[list[str]]) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header."""
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _words(lang: str, *codes: str) -> list[str]:
    """The cli_ words of codes in lang."""
    return [render(f"cli_{code}", None, lang) for code in codes]


def _shape(shape: list | None, lang: str) -> str:
    """A shape as 2×3, or the word for a scalar."""
    return "×".join(str(n) for n in shape or []) or render("shape_scalar", None, lang)


def graph_table(graph: dict, lang: str = DEFAULT_LANG) -> str:
    """The nodes in forward order: step, id, op, name, shape, value, gradient (graph: to_dict(…, lang))."""
    nodes = {node["id"]: node for node in graph["nodes"]}
    rows = []
    (output,) = _words(lang, "output")
    for step, node_id in enumerate(graph["forward"], 1):
        node = nodes[node_id]
        name = node.get("name") or ""
        if node_id == graph["output"]:
            name += f" ({output})"
        rows.append([str(step), node_id, node["op"], name.strip(), _shape(node.get("shape"), lang),
                     cell(node.get("value")), cell(node.get("grad"))])
    table = _render(_words(lang, "step", "id", "op", "name", "shape", "value", "grad"), rows)
    table += "".join("\n" + render("cli_function", {"name": name, "params": f["params"], "line": f["line"],
                                                    "count": len(f["calls"]), "calls": f["calls"]}, lang)
                     for name, f in graph.get("functions", {}).items())
    text = graph.get("note")  # in lang already: the graph was serialized in it
    return table + ("\n\n" + render("cli_note", {"text": text}, lang) if text else "")


def gradcheck_table(result: dict, lang: str = DEFAULT_LANG) -> str:
    """Per input: shape, elements checked, relative error; then the verdict."""
    rows = [[name, _shape(info["shape"], lang), f"{info['checked']}/{info['total']}",
             cell(info["rel_error"])] for name, info in result["inputs"].items()]
    verdict = render("cli_gradcheck_ok" if result["ok"] else "cli_gradcheck_mismatch",
                     {"error": cell(result["max_rel_error"])}, lang)
    return _render(_words(lang, "input", "shape", "checked", "rel_error"), rows) + f"\n\n{verdict}"


def caret(source: str, error: dict, lang: str = DEFAULT_LANG) -> str:
    """The error message in lang (from its code), and the offending source line with a caret under
    the column."""
    line, column = error.get("line"), error.get("column")
    message = render(error["code"], error.get("params"), lang) if error.get("code") else error.get("message")
    kind = render(f"kind_{error['kind']}", None, lang) if error.get("kind") else None
    head = render("cli_error_kind" if kind else "cli_error", {"kind": kind, "message": message}, lang)
    lines = source.splitlines()
    if not line or not 1 <= line <= len(lines):
        return head
    text = lines[line - 1].replace("\t", " ")
    prefix = f"  {line} | "
    pointer = " " * (len(prefix) + width(text[:max((column or 1) - 1, 0)])) + "^"
    return f"{head}\n{prefix}{text}\n{pointer}" if column else f"{head}\n{prefix}{text}"
