"""Finding untranslated English in what a Chinese reader sees: the page's test (test_chinese.py), the
notebook widget's and the standalone HTML file's share it."""

from __future__ import annotations

import re

CJK = re.compile(r"[\u4e00-\u9fff]")
# Words a Chinese text writes as they are: the product and the tools it names, an optimizer's name,
# the non-finite numbers, key caps, and acronyms (all capitals: CSV, SGD, MSE, CS231n). Identifiers
# (the program's and the examples' names, d<name> for their gradients, the ops) are added per page.
PROPER = {"Gatewise", "NumPy", "Python", "PyTorch", "TikZ", "LaTeX", "Adam", "NaN", "inf",
          "Ctrl", "Enter", "Escape", "Tab", "Space", "Shift"}
ACRONYM = re.compile(r"[A-Z]{2,6}")
WORD = r"[A-Za-z][A-Za-z']*[A-Za-z]"  # a word of two letters or more (one letter is a variable)
# Program text, code and mathematics are not translated; nor is what is marked as another language.
# (The catalogs' Chinese texts are walked wherever they are: a page, a notebook, a saved file.)
WALK = """(root) => {
  const skip = 'code, kbd, pre, textarea, script, style, .katex, [translate="no"]';
  // An element's language is its nearest lang attribute's (a widget's lang="zh-CN" in an English page).
  const foreign = (e) => !/^zh(-|$)/i.test(e.closest('[lang]')?.lang ?? 'zh');
  const seen = (e) => e.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const where = (e) => e.id || (e.className?.baseVal ?? e.className) || e.tagName; // (SVG: baseVal)
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    const shown = e && n.textContent.trim() && !e.closest(skip) && !foreign(e) && seen(e);
    if (shown) out.push([n.textContent.trim(), where(e)]);
  }
  for (const e of root.querySelectorAll('[aria-label], [title], [placeholder]')) {
    if (foreign(e)) continue;
    for (const a of ['aria-label', 'title', 'placeholder']) {
      if (e.getAttribute(a)) out.push([e.getAttribute(a), `${where(e)}@${a}`]);
    }
  }
  return out;
}"""


def visible_texts(page, root: str) -> list[tuple[str, str]]:
    """(text, where) of every visible text node and label under the first element matching root."""
    return page.evaluate(f"(sel) => ({WALK})(document.querySelector(sel))", root)


def lowered(names) -> set[str]:
    """Every letter run of the names, in lower case (how words are compared)."""
    return {w.lower() for text in names for w in re.findall(r"[A-Za-z]+", str(text))}


def graph_names(graph: dict) -> set[str]:
    """The names a student reads as code in a graph: its inputs' and nodes' names, labels and ops, and
    d<name> for each."""
    names = {*graph.get("inputs", {}), *(v for n in graph["nodes"] for v in (n.get("name"), n.get("label"),
                                                                             n.get("op")) if v)}
    return names | {f"d{n}" for n in names}


def op_names(ops: list[dict]) -> set[str]:
    """The language's ops and their symbols and spellings (GET /api/ops)."""
    names = set()
    for op in ops:
        names.update([op["name"], op.get("symbol") or "", op.get("syntax") or ""])
        names.update(op.get("spellings") or [])
    return names


def untranslated(found: list[tuple[str, str]], allowed: set[str], menu: set[str] | None = None) -> list:
    """(word, where) of each English word of the found texts that is neither allowed (lower case), an
    acronym nor a proper name; an OPTION's text is checked against menu (default: allowed)."""
    allowed = allowed | {w.lower() for w in PROPER}
    menu = allowed if menu is None else menu | allowed
    out = []
    for text, where in found:
        ok = menu if where.startswith("OPTION") else allowed
        out += [(w, where) for w in re.findall(WORD, text) if not (ACRONYM.fullmatch(w) or w.lower() in ok)]
    return out
