"""The language reference GET /api/ops serves: every op, then the constructs (`def`), by language."""

from __future__ import annotations

from ..ops import op_table
from .functions import FOLD_ABOVE, MAX_CALL_DEPTH

# A runnable program: one call folded or unfolded shows the same numbers (tests evaluate it).
DEF_EXAMPLE = """def layer(x, w, b):
    s = x * w + b
    return sigmoid(s)

def shift(x, b): return x + b

h = layer(x, 2, 0.5)
f = shift(layer(h, -1, 0.1), 3)"""

_DEF_DOC = {
    "en": ("A user-defined function, written as in Python: on one line, or as an indented body of "
           "several statements that ends in return. Each call is a group that folds and unfolds like a "
           "composite gate such as σ, shows the function's name and keeps its numbers either way; in a "
           "program of more than {fold} nodes, the calls of a function called twice or more open "
           "folded. A body sees only its parameters, the names it assigns and the constants (pi, e). "
           "Calls are unrolled into the graph, so recursion is refused, calls nest {depth} deep at "
           "most, and each call counts against every budget as its expansion does."),
    "zh": ("用户定义的函数，写法和 Python 一样：写在一行里，或者写成缩进的多条语句、以 return 结尾。"
           "每次调用是一个组，像 σ 这样的复合门单元一样可以折叠和展开，显示函数名，折叠与否数值都相同；"
           "在超过 {fold} 个节点的程序里，被调用两次及以上的函数，其调用一开始是折叠的。函数体只能看到"
           "它的参数、它自己赋值的名字和常量（π 和 e）。调用会展开到计算图里，所以递归会被拒绝，调用最多"
           "嵌套 {depth} 层，每次调用按它展开后的大小计入所有预算。"),
}


def def_doc(lang: str = "en") -> str:
    """The doc of `def` in the language (English for any other)."""
    return _DEF_DOC.get(lang, _DEF_DOC["en"]).format(fold=FOLD_ABOVE, depth=MAX_CALL_DEPTH)


def def_entry(lang: str = "en") -> dict:
    """`def` as an entry of the op table: its two forms, its doc and a runnable example."""
    return {
        "name": "def", "kind": "construct", "syntax": "def name(a, b): return expression", "symbol": "def",
        "arity": -1, "category": "language", "doc": def_doc(lang), "params": [], "derivatives": [],
        "formulas": [], "formulas_tex": [], "composite": True, "expansion": DEF_EXAMPLE,
        "callable": False, "spellings": ["def name(a, b):\n    t = …\n    return expression"],
    }


def language_table(lang: str = "en") -> list[dict]:
    """Every op (GET /api/ops's entries), then the language's constructs."""
    return [*op_table(lang), def_entry(lang)]
