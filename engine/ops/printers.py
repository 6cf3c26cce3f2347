"""The one printer of formula trees, in four targets: Python closures (arrays or floats), the
NumPy text of generated code, Unicode and TeX.

Closures are compiled once, when an op is registered: their source is printed here from a parsed
tree whose names all come from the op records (never from a program's text), so each closure is as
fast as a hand-written lambda.
"""

from __future__ import annotations

import ast
import math
import re

import numpy as np

from ..syntax.parser import _BINARY as PRECEDENCE
from ..syntax.parser import _UNARY
from .formula import Helper

ATOM = 100
_SAFE_BEFORE = ("(", "[", "{", ", ", "|", "$")
_SAFE_AFTER = (")", "]", "}", ",", "|")
_SLOT = re.compile(r"\$(\d)")


class NoScalarForm(Exception):
    """A formula uses a function without a float form: the op gets no scalar fast path."""


def fill(template: str, args: list[tuple[str, int]]) -> tuple[str, int]:
    """A template with $k replaced by argument k, parenthesized where a compound one would bind wrong."""
    whole = _SLOT.fullmatch(template)
    if whole:
        return args[int(whole.group(1))]
    out, at = [], 0
    for m in _SLOT.finditer(template):
        text, prec = args[int(m.group(1))]
        before, after = template[:m.start()], template[m.end():]
        safe = (not before or before.endswith(_SAFE_BEFORE)) and (not after or after.startswith(_SAFE_AFTER))
        out += [template[at:m.start()], text if safe or prec >= ATOM else f"({text})"]
        at = m.end()
    out.append(template[at:])
    return "".join(out), ATOM


def infix(sym: str, a: tuple[str, int], b: tuple[str, int], spaced: bool = True) -> tuple[str, int]:
    """a sym b with the language's (Python's) precedence; ** is right-associative."""
    p, right = PRECEDENCE[sym], sym == "**"
    lt = a[0] if a[1] > p or (a[1] == p and not right) else f"({a[0]})"
    rt = b[0] if b[1] > p or (b[1] == p and right) else f"({b[0]})"
    return (f"{lt} {sym} {rt}" if spaced else f"{lt}{sym}{rt}"), p


def _unary(sym: str, a: tuple[str, int]) -> tuple[str, int]:
    return f"{sym}{a[0] if a[1] >= _UNARY else f'({a[0]})'}", _UNARY


# ---- Python closures --------------------------------------------------------------------------

def python(node: tuple, scalar: bool, names: dict, ns: dict, lookup, arrays: bool = False) -> tuple[str, int]:
    """Source of a tree on arrays (scalar=False) or on floats; callables it needs go into ns.

    arrays: every value is known to be an ndarray, so an op with an attribute spelling (.T) is
    printed as the attribute (no call through NumPy's Python wrapper).
    """
    kind = node[0]
    if kind == "num":
        v = node[1]
        if not math.isfinite(v):
            key = "_nan" if v != v else ("_inf" if v > 0 else "_ninf")
            ns[key] = v
            return key, ATOM
        return repr(v), _UNARY if math.copysign(1.0, v) < 0 else ATOM
    if kind == "var":
        return names[node[1]], ATOM
    if node[1] == "sub" and not scalar:
        fused = _fused_less(node[2], names, ns, lookup, arrays)
        if fused is not None:
            return fused
    f, args = lookup(node[1]), [python(a, scalar, names, ns, lookup, arrays) for a in node[2]]
    attribute = arrays and not isinstance(f, Helper) and \
        next((s for s in f.spellings if s[0] == "." and s[-1] != ")"), None)
    if attribute:
        return f"{args[0][0] if args[0][1] >= ATOM else f'({args[0][0]})'}{attribute}", ATOM
    if isinstance(f, Helper):
        template = f.scalar if scalar else f.array
        if template is None:
            raise NoScalarForm(f.name)
        ns["_np"] = np
        if f.impl is not None:
            ns[f"_h_{f.name}"] = f.impl
        return fill(template, args)
    if f.infix and f.name != "pow" and (len(args) == 1 or not scalar or f.scalar is not None):
        return _unary(f.infix, args[0]) if len(args) == 1 else infix(f.infix, *args)
    fn = f.scalar if scalar else (np.power if f.name == "pow" else f.forward)
    if fn is None:
        raise NoScalarForm(f.name)
    key = f"_{'s' if scalar else 'f'}_{f.name}"
    ns[key] = fn
    return f"{key}({', '.join(a for a, _ in args)})", ATOM


def _fused_less(args: tuple, names: dict, ns: dict, lookup, arrays: bool) -> tuple[str, int] | None:
    """x − h(…) as one call, when the helper h has a fused form (onehot's: one copy of x)."""
    b = args[1]
    h = lookup(b[1]) if b[0] == "call" else None
    if not isinstance(h, Helper) or h.less is None:
        return None
    ns[f"_h_{h.name}_less"] = h.less
    parts = [python(a, False, names, ns, lookup, arrays)[0] for a in (args[0], *b[2])]
    return f"_h_{h.name}_less({', '.join(parts)})", ATOM


def compile_function(params: list[str], body: str, ns: dict, label: str, prologue: str = ""):
    """A function of `params` returning `body`, compiled once (source printed from op records)."""
    lines = [f"def _formula({', '.join(params)}):", *(f"    {line}" for line in prologue.splitlines()),
             f"    return {body}"]
    source = "\n".join(lines) + "\n"
    check_formula_source(source, set(params) | set(ns), label)
    code = compile(source, f"<formula of {label}>", "exec")
    exec(code, ns)  # noqa: S102  (printed from op records, and checked above: never a program's text)
    return ns["_formula"]


_NODES = (ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Return, ast.Assign, ast.Name,
          ast.Constant, ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.IfExp, ast.Call,
          ast.Attribute, ast.Subscript, ast.Slice, ast.Tuple, ast.Starred, ast.expr_context,
          ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
_BUILTINS = {"float", "int", "len", "abs", "min", "max"}


def check_formula_source(source: str, known: set[str], label: str) -> None:
    """The structural guard of compile_function: one def of arithmetic, calls and subscripts, whose
    names are its parameters, its own locals, the namespace the printer filled, or a few builtins,
    and whose attributes are public (no dunder can reach an object's internals)."""
    tree = ast.parse(source)
    assigned = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for e in n.targets
                for t in ast.walk(e) if isinstance(t, ast.Name)}
    for node in ast.walk(tree):
        bad = not isinstance(node, _NODES) or \
            (isinstance(node, ast.Name) and node.id not in known | assigned | _BUILTINS) or \
            (isinstance(node, ast.Attribute) and node.attr.startswith("_"))
        if bad:
            raise AssertionError(f"formula of {label}: {ast.dump(node)[:80]} is not allowed in {source!r}")
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.FunctionDef), label


# ---- what people read -------------------------------------------------------------------------

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"
_SUP = str.maketrans("0123456789+-−=()abcdefghijklmnoprstuvwxyz", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ")
_UNI = {"add": " + ", "sub": " − ", "mul": "·", "div": "/", "matmul": "·"}
_TEX = {"add": " + ", "sub": " - ", "mul": " ", "matmul": r"\,"}


def _number(v: float, tex: bool) -> tuple[str, int]:
    if math.isinf(v):
        text = r"\infty" if tex else "∞"
        return (text, ATOM) if v > 0 else (f"-{text}", _UNARY)
    if v != v:
        return "NaN", ATOM
    text = str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)
    if v == 0.5:
        text = r"\tfrac12" if tex else "½"
    return (text.replace("-", "−") if not tex else text), (_UNARY if v < 0 else ATOM)


def show(node: tuple, tex: bool, names: dict, lookup) -> tuple[str, int]:
    """A tree as people read it, in TeX or in Unicode."""
    kind = node[0]
    if kind == "num":
        return _number(node[1], tex)
    if kind == "var":
        v = names[node[1]]
        return v if isinstance(v, tuple) else (v, ATOM)
    f, args = lookup(node[1]), [show(a, tex, names, lookup) for a in node[2]]
    if isinstance(f, Helper):
        return fill(f.tex if tex else f.uni, args)
    if f.infix and len(args) == 1:
        return _unary("-" if tex else "−", args[0])
    if f.name == "pow":
        return _power(args, tex)
    if tex and f.name == "div":
        return rf"\frac{{{args[0][0]}}}{{{args[1][0]}}}", ATOM
    if f.infix:
        sym = (_TEX if tex else _UNI)[f.name]
        p = PRECEDENCE[f.infix]
        lt = args[0][0] if args[0][1] >= p else f"({args[0][0]})"
        rt = args[1][0] if args[1][1] > p else f"({args[1][0]})"
        return f"{lt}{sym}{rt}", p
    return fill(f.show_tex if tex else f.show, args)


def _power(args, tex: bool) -> tuple[str, int]:
    """a^b: a superscript where Unicode has one for every character of b."""
    (a, ap), (b, _) = args
    base = a if ap >= ATOM else f"({a})"
    if tex:
        return f"{{{base}}}^{{{b}}}", PRECEDENCE["**"]
    sup = b.replace(" ", "").translate(_SUP)
    if all(c in _SUPERSCRIPTS for c in sup):
        return f"{base}{sup}", PRECEDENCE["**"]
    return f"{base}^({b})", PRECEDENCE["**"]


# ---- generated NumPy text ---------------------------------------------------------------------

def literal(v: float) -> tuple[str, int]:
    """A number as generated code writes it: integers without a point, inf and nan from NumPy."""
    if v != v:
        return "np.nan", ATOM
    if math.isinf(v):
        return ("np.inf", ATOM) if v > 0 else ("-np.inf", _UNARY)
    text = str(int(v)) if v == int(v) and abs(v) < 1e15 and math.copysign(1.0, v) > 0 else repr(v)
    return text, _UNARY if math.copysign(1.0, v) < 0 else ATOM


def code(node: tuple, names: dict, shapes: dict, lookup) -> tuple[str, int]:
    """A tree as NumPy text for generated code; shapes (of the variables) fix sizes and class counts."""
    kind = node[0]
    if kind == "num":
        return literal(node[1])
    if kind == "var":
        return names[node[1]], ATOM
    f, args = lookup(node[1]), [code(a, names, shapes, lookup) for a in node[2]]
    if isinstance(f, Helper):
        if f.name == "size":
            return literal(float(math.prod(shape_of(node[2][0], shapes, lookup))))
        template = f.code
    elif f.infix and f.code is None:
        return _unary("-", args[0]) if len(args) == 1 else infix(f.infix, *args)
    else:
        template = f.code
    if callable(template):
        return template([a for a, _ in args], [shape_of(a, shapes, lookup) for a in node[2]]), ATOM
    return fill(template, args)


def shape_of(node: tuple, shapes: dict, lookup) -> tuple:
    """The shape a tree evaluates to, from the variables' shapes and each function's shape rule."""
    if node[0] == "num":
        return ()
    if node[0] == "var":
        return shapes[node[1]]
    return lookup(node[1]).shape(*[shape_of(a, shapes, lookup) for a in node[2]])
