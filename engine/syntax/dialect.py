"""What the language says about Python it does not take: keywords, imports, and what to write instead.

The op spellings (np.exp, x.exp(), W.dot(X)) live in the op records; this module only holds the
words of Python that are not ops, so that each error names the dialect and says what Gatewise takes.
"""

from __future__ import annotations

# `import numpy as np` and `import math` are accepted and ignored: np.* and math.* are known anyway.
IMPORTS = frozenset({"math", "numpy as np", "numpy"})
MODULES = {"np": "np", "numpy": "np", "math": "math"}

_LOOP = ("loops are not part of the language: write the steps out, or let tensors do the loop "
         "(sum(x), mean(x), W @ x work on whole arrays)")
KEYWORDS = {
    "for": f"for {_LOOP}",
    "while": f"while {_LOOP}",
    "class": ("classes are not part of the language: write the forward pass as statements "
              "(name = expression), and Gatewise builds its circuit and backward pass"),
    "def": "def starts a line of its own: def name(params): return expression (see the language reference)",
    "if": "if is not part of the language: max(a, b), min(a, b), relu(x) and abs(x) choose without it",
    "else": "else is not part of the language: max(a, b), min(a, b), relu(x) and abs(x) choose without it",
    "elif": "elif is not part of the language: max(a, b), min(a, b), relu(x) and abs(x) choose without it",
    "return": ("return belongs in a function body (def name(params): …); at the top level it is not "
               "needed: the last statement's value is the output"),
    "lambda": "lambda is not part of the language: write the computation as statements",
    "with": "with is not part of the language: write the computation as statements",
    "try": "try is not part of the language: errors are reported with their line and column",
    "print": "print is not needed: the circuit shows every value and gradient",
    "assert": "assert is not part of the language: the backward lines you write (dx = …) are checked",
    "del": "del is not part of the language: rebinding a name (x = …) is enough",
    "global": "global is not part of the language: every name is visible to the statements after it",
}


def import_error(words: list[str]) -> str | None:
    """None for an accepted `import` line (its words after `import`), else what is wrong with it."""
    parts = " ".join(words).replace(" , ", ",").split(",")
    if words and all(p.strip() in IMPORTS for p in parts):
        return None
    return (f"'import {' '.join(words)}' is not accepted: only 'import numpy as np' and 'import math' "
            "are (and they are ignored); exp, log, sqrt, tanh, sigmoid, relu, dot and the np.* and "
            "math.* spellings are built in")


FROM_IMPORT = ("'from … import' is not accepted: write 'import numpy as np' or 'import math' (ignored), "
               "then np.exp(x) or math.exp(x), or simply exp(x)")
