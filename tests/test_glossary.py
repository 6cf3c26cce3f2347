"""The glossary (static/locales/glossary.json) is the one list of terms every Chinese text uses: where
an English text has a term, its Chinese text has the notes' translation, and no text uses another."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gatewise.engine import OPS
from gatewise.engine.core.messages_en import MESSAGES as EN
from gatewise.engine.core.messages_zh import MESSAGES as ZH
from gatewise.engine.lang.reference import def_doc
from gatewise.engine.ops import DOCS_ZH
from gatewise.server.examples import EXAMPLES
from gatewise.server.examples_zh import EXAMPLES_ZH

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = json.loads((ROOT / "static" / "locales" / "glossary.json").read_text(encoding="utf-8"))


def _pairs() -> list[tuple[str, str, str]]:
    """(where, English, Chinese) for every translated text of the engine and the server."""
    pairs = [(f"messages:{code}", EN[code], ZH[code]) for code in EN]
    pairs += [(f"op:{name}", op.doc, DOCS_ZH[name]) for name, op in OPS.items() if name in DOCS_ZH]
    pairs.append(("construct:def", def_doc("en"), def_doc("zh")))
    for ex in EXAMPLES:
        title, description = EXAMPLES_ZH[ex["id"]]
        pairs += [(f"example:{ex['id']}", ex["title"], title), (f"example:{ex['id']}", ex["description"],
                                                                  description)]
    page = ROOT / "static" / "locales"
    if (page / "en.json").exists() and (page / "zh.json").exists():  # the page's own catalog
        en, zh = (_flat(json.loads((page / f).read_text(encoding="utf-8"))) for f in ("en.json", "zh.json"))
        pairs += [(f"page:{k}", en[k], zh[k]) for k in en if k in zh and isinstance(en[k], str)]
    return pairs


def _flat(tree: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in tree.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _has(text: str, term: str) -> bool:
    # Whole words, case-insensitive, outside {slots} and <code>; identifiers such as cross_entropy or
    # Gatewise are not the term.
    prose = re.sub(r"\{\w+\}|<code>.*?</code>", " ", text)
    return re.search(rf"(?<![\w\-]){re.escape(term)}(?![\w\-])", prose, re.IGNORECASE) is not None


@pytest.mark.parametrize("term", GLOSSARY["terms"], ids=[t["en"][0] for t in GLOSSARY["terms"]])
def test_chinese_texts_use_the_notes_term(term):
    for where, en, zh in _pairs():
        if any(_has(en, word) for word in term["en"]):
            assert any(z in zh for z in term["zh"]), (where, term["en"][0], zh)
        for avoid in term["avoid"]:
            assert avoid not in zh, (where, avoid, zh)


def test_the_glossary_has_the_terms_and_gate_patterns_of_the_issue():
    zh = {z for t in GLOSSARY["terms"] for z in t["zh"]}
    for word in ("计算线路图", "计算图", "门单元", "前向传播", "反向传播", "局部梯度", "链式法则", "梯度",
                 "上游梯度", "分支", "梯度累加", "学习率", "损失函数", "梯度下降", "数值梯度", "梯度检验",
                 "仿射层", "交叉熵"):
        assert word in zh
    patterns = [p["zh"] for p in GLOSSARY["patterns"]]
    assert patterns == ["加法门单元把梯度相等地分发给它所有的输入", "取最大值门单元对梯度做路由",
                        "乘法门单元的局部梯度是相互交换之后的输入值"]


def test_every_op_has_a_chinese_doc():
    assert set(DOCS_ZH) == set(OPS)
    for name, doc in DOCS_ZH.items():
        assert re.search(r"[\u4e00-\u9fff]", doc), name
        # formulas stay as they are: every formula-like run of the English doc is in the Chinese one
        for formula in re.findall(r"[\w.]+\([^()]*(?:\([^()]*\))?[^()]*\)", OPS[name].doc):
            assert formula in doc, (name, formula)
