"""The engine's layers: each subpackage imports only those below it, and nothing imports lazily."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parent.parent / "engine"
LAYERS = ["core", "syntax", "ops", "lang", "export", "run", "train"]  # each may import those before it
MODULES = sorted(p for p in ENGINE.rglob("*.py"))


def _layer(path: Path) -> str | None:
    parts = path.relative_to(ENGINE).parts
    return parts[0] if len(parts) > 1 else None  # None: engine/__init__.py, which only re-exports


def _engine_imports(path: Path):
    """(line, layer imported, inside a function?) for every import of an engine module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(ENGINE).parts) - 1
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            parts = node.module.split(".") if node.module else []
            if node.level == depth + 1 and parts:  # from ..<layer>.x import
                yield node, parts[0]
            elif node.level <= depth:  # from .x import: the same layer
                yield node, _layer(path)
        elif isinstance(node, (ast.ImportFrom, ast.Import)):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for name in names:
                if name and name.startswith("gatewise.engine."):
                    yield node, name.split(".")[2]


def _functions(tree: ast.AST):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ENGINE)) for p in MODULES])
def test_imports_go_down_the_layers(path):
    mine = _layer(path)
    for node, layer in _engine_imports(path):
        assert layer in LAYERS, (path, node.lineno, layer)
        if mine is not None:
            assert LAYERS.index(layer) <= LAYERS.index(mine), \
                f"{path.relative_to(ENGINE)}:{node.lineno} ({mine}) imports {layer}, a layer above it"


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ENGINE)) for p in MODULES])
def test_no_import_inside_a_function(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for fn in _functions(tree):
        inner = [n for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert not inner, f"{path.relative_to(ENGINE)}:{inner[0].lineno}: a lazy import in {fn.name}()"


def test_every_layer_is_a_package_and_listed():
    found = {p.name for p in ENGINE.iterdir() if (p / "__init__.py").exists()}
    assert found == set(LAYERS)
    pyproject = (ENGINE.parent / "pyproject.toml").read_text(encoding="utf-8")
    for layer in LAYERS:
        assert f'"gatewise.engine.{layer}"' in pyproject, layer
