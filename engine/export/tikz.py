"""The annotated circuit as a standalone TikZ picture: gates, wires, values above, gradients below.

Positions are the page's (its ELK layout, in px) or, without them, the layered layout of layered.py.
The document needs only TeX Live's base and pictures packages (article, amsmath, tikz): the picture
is shipped out as one page of its own size, as the standalone class would.
"""

from __future__ import annotations

from ..core.errors import EngineError
from .layered import layout as layered_layout

PX = 0.028  # cm per page px: a 40-node circuit fits a slide
MAX_NODES = 5000  # a picture for slides and exam sheets; beyond this TeX runs for minutes
SYMBOLS = {"σ": r"$\sigma$", "×": r"$\times$", "÷": r"$\div$", "−": r"$-$", "√": r"$\surd$", "Σ": r"$\Sigma$",
           "→": r"$\rightarrow$", "ᵀ": r"$^\top$", "·": r"$\cdot$", "…": r"\ldots{}", "²": r"$^2$"}
SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%",
           "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}", "<": r"$<$", ">": r"$>$",
           "|": r"$|$", "@": r"@"}
PREAMBLE = r"""% Gatewise: the annotated circuit as a TikZ picture. Compile with pdflatex; or copy the
% tikzpicture environment (and the colour definitions) into your slides or exam sheet.
\documentclass{article}
\usepackage{amsmath}
\usepackage{tikz}
\definecolor{gwvalue}{HTML}{2E7D32}
\definecolor{gwgrad}{HTML}{C62828}
\definecolor{gwgate}{HTML}{E3F2FD}
\definecolor{gwinput}{HTML}{FFF8E1}
\pagestyle{empty}
\newsavebox\gatewise
\begin{document}
\sbox\gatewise{%
"""
STYLES = (r"gate/.style={draw=black!70, fill=gwgate, thick, inner sep=0pt, font=\small},"
          r"leaf/.style={draw=black!60, fill=gwinput, rounded corners=3pt, inner sep=0pt, font=\small},"
          r"wire/.style={->, >=stealth, black!60},"
          r"val/.style={font=\scriptsize, text=gwvalue, anchor=south, inner sep=1pt},"
          r"grad/.style={font=\scriptsize, text=gwgrad, anchor=north, inner sep=1pt},"
          r"formula/.style={font=\tiny, text=black!70, anchor=north, align=center}")
ENDING = r"""
}
\hoffset=-1in \voffset=-1in
\pdfpagewidth=\wd\gatewise \pdfpageheight=\dimexpr\ht\gatewise+\dp\gatewise\relax
\shipout\box\gatewise
\end{document}
"""


def tex_text(text) -> str:
    """Text (a name, an op symbol, a constant) safe in TeX's text mode; Greek and math signs as math."""
    return "".join(SYMBOLS.get(c) or SPECIAL.get(c) or (c if c.isascii() else "?") for c in str(text))


def number(v) -> str:
    """A value or gradient label: 4 significant digits, a tensor's shape, or a non-finite word."""
    if v is None:
        return ""
    if isinstance(v, str):
        return {"NaN": "NaN", "Infinity": r"$\infty$", "-Infinity": r"$-\infty$"}.get(v, tex_text(v))
    text = f"{v:.4g}"
    if "e" in text:
        m, e = text.split("e")
        return f"${m}\\cdot 10^{{{int(e)}}}$"
    return text.replace("-", "$-$")


def _label(value, shape) -> str:
    """A number, or a tensor's shape in brackets."""
    times = r"$\times$"
    return f"[{times.join(map(str, shape))}]" if shape else number(value)


def _node(n: dict, box: dict, px: float) -> list[str]:
    """A gate (circle or pill) or a leaf (tag), with the gate's user name above it."""
    cx, cy = box["x"] + box["w"] / 2, box["y"] + box["h"] / 2
    size = f"minimum width={box['w'] * px:.3f}cm, minimum height={box['h'] * px:.3f}cm"
    if n["kind"] == "op":
        shape = "circle" if len(str(n["label"])) <= 2 else "rounded corners=8pt"
        if shape == "circle":
            size = f"minimum size={min(box['w'], box['h']) * px:.3f}cm"
        at = f"({_id(n)}) at ({cx:.1f},{cy:.1f})"
        lines = [f"\\node[gate, {shape}, {size}] {at} {{{tex_text(n['label'])}}};"]
        if n.get("name"):
            name = tex_text(n["name"])
            lines.append(f"\\node[font=\\scriptsize, anchor=south] at ({_id(n)}.north) {{{name}}};")
        return lines
    text = tex_text(n.get("name") or n["label"]) if n["kind"] == "input" else tex_text(n["label"])
    if n.get("shape"):
        text += r"\\[-2pt]{\tiny " + r"$\times$".join(map(str, n["shape"])) + "}"
    style = "leaf" if n["kind"] == "input" else "leaf, fill=white, sharp corners"
    return [f"\\node[{style}, {size}, align=center] ({_id(n)}) at ({cx:.1f},{cy:.1f}) {{{text}}};"]


def _id(n: dict) -> str:
    """A TikZ node name for a node id (ids are the API's n0, n1, …)."""
    return "gw" + "".join(c for c in str(n["id"]) if c.isalnum())


def _wire(e: dict, geo: dict, src: dict) -> list[str]:
    """A wire along its polyline, the source's value above it and the contribution it carries below."""
    pts = geo.get("points") or []
    if len(pts) < 2:
        return []
    path = " -- ".join(f"({p['x']:.1f},{p['y']:.1f})" for p in pts)
    lines = [f"\\draw[wire] {path};"]
    lab = geo.get("label") or pts[-1]
    x, y = lab["x"], lab["y"]
    lines.append(f"\\node[val] at ({x:.1f},{y - 1:.1f}) {{{_label(src.get('value'), src.get('shape'))}}};")
    grad = e.get("contribution") if "contribution" in e else src.get("grad")
    if grad is not None:
        lines.append(f"\\node[grad] at ({x:.1f},{y + 1:.1f}) {{{_label(grad, src.get('shape'))}}};")
    return lines


def _formulas(n: dict, box: dict, edges: list[dict]) -> list[str]:
    """The local gradients of a gate, one per input, in small type under it."""
    texts = [t for t in (e.get("formula_tex") for e in edges) if t and "not differentiable" not in t]
    if not texts:
        return []
    body = r"\\".join(f"${t}$" for t in dict.fromkeys(texts))
    return [f"\\node[formula] at ({box['x'] + box['w'] / 2:.1f},{box['y'] + box['h'] + 14:.1f}) {{{body}}};"]


def tikz(graph: dict, positions: dict | None = None, formulas: bool = False) -> str:
    """A standalone LaTeX document drawing the circuit of `graph` (the API's graph JSON)."""
    if len(graph["nodes"]) > MAX_NODES:
        raise EngineError("tikz_nodes", kind="budget", nodes=f"{len(graph['nodes']):,}",
                          limit=f"{MAX_NODES:,}")
    nodes = {n["id"]: n for n in graph["nodes"]}
    lay = positions if positions and all(i in positions["nodes"] for i in nodes) else layered_layout(graph)
    # TeX's largest length is about 5.7 m: big drawings are scaled down to fit.
    px = min(PX, 500 / max(lay["width"], lay["height"], 1))
    body = [f"\\begin{{tikzpicture}}[x={px:.6f}cm, y=-{px:.6f}cm, {STYLES}]",
            f"\\useasboundingbox (0,0) rectangle ({lay['width']:.1f},{lay['height'] + 30 * formulas:.1f});"]
    for n in graph["nodes"]:
        body += _node(n, lay["nodes"][n["id"]], px)
    for e in graph["edges"]:
        body += _wire(e, lay["edges"].get(e["id"]) or _straight(lay, e), nodes[e["source"]])
    out = nodes[graph["output"]]
    stub = lay["edges"].get("__output__") or _stub(lay["nodes"][out["id"]])
    body += _wire({"contribution": out.get("grad")}, stub, out)
    if formulas:
        body += _all_formulas(graph, lay)
    body.append("\\end{tikzpicture}%")
    return PREAMBLE + "\n".join(body) + ENDING


def _all_formulas(graph: dict, lay: dict) -> list[str]:
    """Every gate's local gradients, from its input edges."""
    ins: dict[str, list] = {}
    for e in graph["edges"]:
        ins.setdefault(e["target"], []).append(e)
    return [line for n in graph["nodes"] if n["kind"] == "op"
            for line in _formulas(n, lay["nodes"][n["id"]], ins.get(n["id"], []))]


def _straight(lay: dict, e: dict) -> dict:
    """A straight wire between two boxes (an edge the given layout has no route for)."""
    a, b = lay["nodes"][e["source"]], lay["nodes"][e["target"]]
    p, q = {"x": a["x"] + a["w"], "y": a["y"] + a["h"] / 2}, {"x": b["x"], "y": b["y"] + b["h"] / 2}
    return {"points": [p, q], "label": {"x": (p["x"] + q["x"]) / 2, "y": (p["y"] + q["y"]) / 2}}


def _stub(box: dict) -> dict:
    """The output's wire out to the right."""
    sx, sy = box["x"] + box["w"], box["y"] + box["h"] / 2
    return {"points": [{"x": sx, "y": sy}, {"x": sx + 80, "y": sy}], "label": {"x": sx + 40, "y": sy}}
