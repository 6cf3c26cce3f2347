"""What the language says about Python it does not take: keywords, imports, and what to write instead.

The op spellings (np.exp, x.exp(), W.dot(X)) live in the op records; this module only holds the
words of Python that are not ops, so that each error names the dialect and says what Gatewise takes.
"""

from __future__ import annotations

from ..core.errors import EngineError

# `import numpy as np` and `import math` are accepted and ignored: np.* and math.* are known anyway.
IMPORTS = frozenset({"math", "numpy as np", "numpy"})
MODULES = {"np": "np", "numpy": "np", "math": "math"}

# Each Python keyword the language does not take -> the code of the message saying what to write instead.
KEYWORDS = {
    "for": "keyword_loop", "while": "keyword_loop", "class": "keyword_class", "def": "keyword_def",
    "if": "keyword_branch", "else": "keyword_branch", "elif": "keyword_branch",
    "return": "keyword_return", "lambda": "keyword_statements", "with": "keyword_statements",
    "try": "keyword_try", "print": "keyword_print", "assert": "keyword_assert", "del": "keyword_del",
    "global": "keyword_global",
}


def keyword_error(word: str) -> EngineError:
    """The syntax error for a Python keyword the language does not take (the caller adds the position)."""
    return EngineError(KEYWORDS[word], kind="syntax", word=word)


def import_error(words: list[str]) -> EngineError | None:
    """None for an accepted `import` line (its words after `import`), else what is wrong with it."""
    parts = " ".join(words).replace(" , ", ",").split(",")
    if words and all(p.strip() in IMPORTS for p in parts):
        return None
    return EngineError("import_refused", kind="syntax", words=" ".join(words))
