"""Users' own data: a CSV table read into features and labels (never evaluated), and seeded toy sets.

Every cell goes through float() or stays a class name; nothing in the text is run. Errors name the
row (the file's line) and the column, and the table's size is checked against the element budgets
before any array is made.
"""

from __future__ import annotations

import csv
import math

import numpy as np

from ..core.errors import EngineError
from ..core.limits import DEFAULT_LIMITS, Limits

DELIMITERS = ",;\t"
MAX_CLASSES = 100


def _fail(code: str, at_row: int | None = None, at_column: int | None = None, **params) -> EngineError:
    """A value error at a row and column of the file (both 1-based)."""
    return EngineError(code, line=at_row, column=at_column, kind="value", **params)


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """The non-blank rows of the CSV with their line numbers; the delimiter is the first line's commonest."""
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), None)
    if first is None:
        raise _fail("csv_empty")
    delim = max(DELIMITERS, key=first.count)
    out = []
    reader = csv.reader(lines, delimiter=delim, strict=True)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                out.append((reader.line_num, [c.strip() for c in cells]))
    except csv.Error as exc:
        raise _fail("csv_row", reader.line_num, row=reader.line_num, reason=str(exc)) from None
    return out


def _is_number(cell: str) -> bool:
    """True when float() reads the cell (a header line has at least one cell that it does not)."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _header(rows: list) -> tuple[list[str], list]:
    """Column names (the first row, unless every cell of it is a number) and the data rows."""
    line, first = rows[0]
    if all(_is_number(c) for c in first):
        return [f"x{k + 1}" for k in range(len(first))], rows
    names = [c or f"column {k + 1}" for k, c in enumerate(first)]
    seen = set()
    for k, n in enumerate(names):
        if n in seen:
            raise _fail("csv_duplicate_column", line, k + 1, row=line, col=k + 1, name=n)
        seen.add(n)
    return names, rows[1:]


def _column(names: list[str], which, role: str) -> int:
    """The index of a column given by name or by 0-based number."""
    if isinstance(which, int) and not isinstance(which, bool):
        if -len(names) <= which < len(names):
            return which % len(names)
    elif which in names:
        return names.index(which)
    raise _fail(f"csv_no_{role}_column", column_name=repr(which), columns=names)


def _number(cell: str, line: int, k: int, name: str) -> float:
    """A cell as a finite float, or an error naming its row and column."""
    where = {"row": line, "col": k + 1, "name": name}
    if cell == "":
        raise _fail("csv_empty_feature", line, k + 1, **where)
    try:
        v = float(cell)
    except ValueError:
        raise _fail("csv_not_number", line, k + 1, cell=cell[:40], **where) from None
    if not math.isfinite(v):
        raise _fail("csv_not_finite", line, k + 1, cell=cell[:40], **where)
    return v


def _labels(cells: list[tuple[int, str]], k: int, name: str, task: str) -> dict:
    """The label column as class indices (integers or names) or, for regression, as numbers."""
    for line, c in cells:
        if c == "":
            raise _fail("csv_empty_label", line, k + 1, row=line, col=k + 1, name=name)
    numeric = all(_is_number(c) for _, c in cells)
    if task == "regression" or (task == "auto" and numeric and not _whole(cells)):
        return {"task": "regression", "y": [_number(c, line, k, name) for line, c in cells], "classes": None}
    if numeric and _whole(cells):
        ints = [int(float(c)) for _, c in cells]
        bad = next(((line, c) for (line, c), v in zip(cells, ints) if not 0 <= v < MAX_CLASSES), None)
        if bad:
            raise _fail("csv_class_range", bad[0], k + 1, row=bad[0], col=k + 1, name=name, label=bad[1],
                        last=MAX_CLASSES - 1)
        return {"task": "classification", "y": ints, "classes": [str(c) for c in range(max(ints) + 1)]}
    classes = sorted({c for _, c in cells})
    if len(classes) > MAX_CLASSES:
        raise _fail("csv_classes", None, k + 1, col=k + 1, name=name, count=len(classes),
                    limit=MAX_CLASSES)
    return {"task": "classification", "y": [classes.index(c) for _, c in cells], "classes": classes}


def _whole(cells) -> bool:
    """True when every numeric label is a whole number (class indices)."""
    return all(float(c).is_integer() for _, c in cells)


def _precheck(text: str, limits: Limits) -> None:
    """Lines × the first line's fields against the element budget, before any row is parsed."""
    first = text.lstrip().partition("\n")[0]
    fields = 1 + max((first.count(d) for d in DELIMITERS), default=0)
    cells = (text.count("\n") + 1) * fields
    if cells > 2 * limits.max_tensor_elements + fields:  # header and blank lines may make up the rest
        raise _fail("csv_cells_about", cells=f"{cells:,}", limit=f"{limits.max_tensor_elements:,}")


def read_csv(text: str, label=-1, features=None, task: str = "auto", limits: Limits | None = None) -> dict:
    """A CSV table as features X (rows × features) and labels y, with the names it used."""
    limits = limits or DEFAULT_LIMITS
    if len(text) > limits.max_source_chars:
        raise _fail("csv_chars", chars=f"{len(text):,}", limit=f"{limits.max_source_chars:,}")
    _precheck(text, limits)
    rows = _rows(text)
    names, data = _header(rows)
    if not data:
        raise _fail("csv_no_rows")
    lab = _column(names, label, "label")
    feats = [_column(names, f, "feature") for f in features] if features else \
        [k for k in range(len(names)) if k != lab]
    if lab in feats:
        raise _fail("csv_label_feature", name=names[lab])
    if not feats:
        raise _fail("csv_no_features")
    size = len(data) * (len(feats) + 1)
    if size > limits.max_tensor_elements:
        raise _fail("csv_cells", cells=f"{size:,}", limit=f"{limits.max_tensor_elements:,}")
    for line, cells in data:
        if len(cells) != len(names):
            raise _fail("csv_fields", line, min(len(cells), len(names)) + 1, row=line, fields=len(cells),
                        header=len(names))
    X = [[_number(cells[k], line, k, names[k]) for k in feats] for line, cells in data]
    out = _labels([(line, cells[lab]) for line, cells in data], lab, names[lab], task)
    return {"X": X, **out, "features": [names[k] for k in feats], "label": names[lab], "rows": len(data)}


def to_csv(X, y, features: list[str], label: str) -> str:
    """Features and labels back as CSV text (what read_csv reads again)."""
    lines = [",".join([*features, label])]
    lines += [",".join([*(repr(float(v)) for v in row), str(t)]) for row, t in zip(X, y)]
    return "\n".join(lines) + "\n"


def moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> dict:
    """Two interleaving half circles (as scikit-learn's make_moons), from a seeded generator."""
    rng = np.random.default_rng(seed)
    a, b = n // 2, n - n // 2
    t1, t2 = np.linspace(0, math.pi, a), np.linspace(0, math.pi, b)
    X = np.vstack([np.c_[np.cos(t1), np.sin(t1)], np.c_[1 - np.cos(t2), 0.5 - np.sin(t2)]])
    X += rng.normal(scale=noise, size=X.shape)
    y = np.r_[np.zeros(a, int), np.ones(b, int)]
    order = rng.permutation(n)
    return {"X": (np.round(X[order], 4) + 0.0).tolist(), "y": y[order].tolist()}


def spirals(n: int = 100, classes: int = 2, noise: float = 0.2, seed: int = 0) -> dict:
    """Interleaved spiral arms, one per class (the CS231n spiral data), from a seeded generator."""
    rng = np.random.default_rng(seed)
    per = [n // classes + (k < n % classes) for k in range(classes)]
    X, y = [], []
    for k, m in enumerate(per):
        r = np.linspace(0.0, 1, m)
        t = np.linspace(k * 4, (k + 1) * 4, m) + rng.normal(scale=noise, size=m)
        X.append(np.c_[r * np.sin(t), r * np.cos(t)])
        y += [k] * m
    order = rng.permutation(n)
    return {"X": (np.round(np.vstack(X)[order], 4) + 0.0).tolist(), "y": np.array(y)[order].tolist()}


# (+ 0.0 turns -0.0 into 0.0: a page sending the set back writes both as 0.)
GENERATORS = {"moons": moons, "spirals": spirals}
