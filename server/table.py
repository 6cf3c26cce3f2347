"""Plain-text rendering for `gatewise eval`: the node table, the gradcheck table, the error caret."""

from __future__ import annotations

from typing import Any

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


def _render(header: list[str], rows: list[list[str]]) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def graph_table(graph: dict) -> str:
    """The nodes in forward order: step, id, op, name, shape, value, gradient."""
    nodes = {node["id"]: node for node in graph["nodes"]}
    rows = []
    for step, node_id in enumerate(graph["forward"], 1):
        node = nodes[node_id]
        shape = "×".join(str(n) for n in node.get("shape") or []) or "scalar"
        name = node.get("name") or ""
        if node_id == graph["output"]:
            name += " (output)"
        rows.append([str(step), node_id, node["op"], name.strip(), shape, cell(node.get("value")),
                     cell(node.get("grad"))])
    table = _render(["step", "id", "op", "name", "shape", "value", "grad"], rows)
    return table + (f"\n\nnote: {graph['note']}" if graph.get("note") else "")


def gradcheck_table(result: dict) -> str:
    """Per input: shape, elements checked, relative error; then the verdict."""
    rows = [[name, "×".join(map(str, info["shape"])) or "scalar", f"{info['checked']}/{info['total']}",
             cell(info["rel_error"])] for name, info in result["inputs"].items()]
    verdict = "ok" if result["ok"] else "MISMATCH"
    return _render(["input", "shape", "checked", "rel_error"], rows) + (
        f"\n\ngradcheck {verdict}: max relative error {cell(result['max_rel_error'])}")


def caret(source: str, error: dict) -> str:
    """The error message, and the offending source line with a caret under the column."""
    line, column = error.get("line"), error.get("column")
    kind = f" ({error['kind']})" if error.get("kind") else ""
    head = f"error{kind}: {error.get('message')}"
    lines = source.splitlines()
    if not line or not 1 <= line <= len(lines):
        return head
    text = lines[line - 1].replace("\t", " ")
    prefix = f"  {line} | "
    pointer = " " * (len(prefix) + max((column or 1) - 1, 0)) + "^"
    return f"{head}\n{prefix}{text}\n{pointer}" if column else f"{head}\n{prefix}{text}"
