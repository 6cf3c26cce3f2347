"""The Python and NumPy forms people paste: modules, methods, attributes, shapes, constructors, random.

Op spellings (np.exp, x.exp(), W.dot(X), x.T) come from the op records (`SPELLINGS`); this module
resolves them, and holds the few forms that are not ops: Value(-4.0), np.array, np.zeros, np.ones,
np.random.randn/rand/seed. Nothing here runs user text: each form maps onto a literal or an op.
"""

from __future__ import annotations

import difflib
import hashlib
import math

import numpy as np

from ..core.errors import EngineError
from ..ops.arith import CONSTANT_SPELLINGS, CONSTANTS
from ..ops.record import FUNCTIONS, OPS, SPELLINGS
from ..syntax.dialect import MODULES


class Special:
    """A handle that is not a value: a module, a shape, a *shape, or a statement without a value.
    Each kind names the code of its misuse error."""

    __slots__ = ("what", "pos")
    code: str

    def __init__(self, what, pos):
        self.what, self.pos = what, pos

    def misuse(self) -> EngineError:
        """The error for using this handle where a value is needed."""
        return EngineError(self.code, *(self.pos or (None, None)), "value", what=str(self.what))


class Module(Special):
    """`np`, `np.random`, `math`: only their functions and constants are values."""

    code = "module_value"


class Shape(Special):
    """`D.shape` or a tuple of integers such as (2, 3): the shape argument of np.zeros or randn."""

    code = "shape_value"


class Star(Shape):
    """`*D.shape`, unpacked into a constructor's arguments."""


class NoValue(Special):
    """What np.random.seed(0) and y.backward() leave: a statement that is not the output."""

    code = "statement_value"


def spelled(fname: str) -> str | None:
    """The op a function spelling names (exp, dot, np.exp, math.exp), or None."""
    return FUNCTIONS.get(fname) or SPELLINGS.get(fname)


def methods() -> list[str]:
    """Every method and attribute spelling, for error messages (.exp(), .T, …)."""
    return sorted(s for s in SPELLINGS if s.startswith("."))


def unknown_function(fname: str) -> EngineError:
    """Name an unknown function, say what is not supported, and suggest the closest known ones."""
    known = sorted(set(FUNCTIONS) | {s for s in SPELLINGS if not s.startswith(".")} | set(CONSTRUCTORS))
    close = difflib.get_close_matches(fname, known, n=2)
    hint = "_hint" if close else ""
    head = fname.split(".")[0]
    params = {"name": fname, "functions": sorted(FUNCTIONS), **({"suggestions": close} if close else {})}
    if head in MODULES:
        mine = [k for k in known if k.startswith(MODULES[head] + ".")]
        return EngineError("unsupported_function" + hint, kind="name", module=head, module_functions=mine,
                           **params)
    return EngineError("unknown_function" + hint, kind="name", **params)


def shape_of(items: list, fname: str, pos) -> tuple[int, ...]:
    """A constructor's shape from its arguments: (2, 3), 2, 3, D.shape or *D.shape."""
    dims: list = []
    for it in items:
        if isinstance(it, Shape):
            dims.extend(it.what)
        elif hasattr(it, "value") and not np.ndim(it.value):
            dims.append(it.value)
        else:
            raise EngineError("shape_argument", *pos, "value", function=fname)
    if any(d != int(d) or d < 0 for d in dims):
        raise EngineError("shape_whole", *pos, "value", function=fname, dims=str(tuple(dims)))
    return tuple(int(d) for d in dims)


def seed_for(source: str, target: str | None, count: int) -> int:
    """A reproducible seed from the program and the name being drawn (no seed line given)."""
    digest = hashlib.blake2b(f"{target}\0{count}\0{source}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "little")


class Forms:
    """The builder's handlers for attributes, methods, tuples and the constructors (a mixin)."""

    def module(self, ident: str, pos):
        """A module name (np, numpy, math) not bound by the program, or None."""
        return Module(MODULES[ident], pos) if ident in MODULES and ident not in self.env else None

    def attr(self, h, name: str, pos):
        """`x.T`, `D.shape`, `np.pi`, `np.random` and the errors for every other attribute."""
        if isinstance(h, Module):
            path = f"{h.what}.{name}"
            if path in CONSTANT_SPELLINGS:
                return self.num(CONSTANTS[CONSTANT_SPELLINGS[path]], h.pos)
            return Module(path, h.pos)
        if name == "shape":
            return Shape(self.graph.shapes[self.node(h)], pos)
        if SPELLINGS.get(f".{name}"):
            return self.spell(self.apply(OPS[SPELLINGS[f".{name}"]], [h], pos), f".{name}")
        if name in ("grad", "data"):
            raise EngineError("grad_attribute", *pos, "name", attribute=name)
        if isinstance(h, Special):
            raise h.misuse()
        raise EngineError("unknown_attribute", *pos, "syntax", attribute=name, methods=methods())

    def method(self, h, name: str, args: list, pos):
        """`x.exp()`, `W.dot(X)`, `np.exp(x)` (a module's function) and micrograd's `y.backward()`."""
        if isinstance(h, Module):
            return self.call(f"{h.what}.{name}", args, h.pos)
        if name == "backward" and not args:
            self.marked = self.node(h)
            return NoValue("y.backward()", pos)
        opname = SPELLINGS.get(f".{name}()")
        if opname is None:
            if isinstance(h, Special):
                raise h.misuse()
            raise EngineError("unknown_method", *pos, "syntax", method=name, methods=methods())
        return self.spell(self.op_call(f".{name}()", opname, [h, *args], pos), f".{name}()")

    def tuple(self, items: list, pos):
        """`(2, 3)`: a shape (tuples are used for shapes only)."""
        return Shape(shape_of(items, "a tuple", pos), pos)

    def spell(self, h, spelling: str):
        """Remember how the user wrote a gate (np.dot, .exp()), for its label and inspector."""
        if h.__class__ is int:
            self.graph.spelled[h] = spelling
        return h

    # ---- constructors (not ops) ---------------------------------------------------------------

    def construct(self, fname: str, args: list, pos):
        """Value(-4.0), np.array, np.zeros/ones(_like), np.random.randn/rand/seed; None if none."""
        maker = CONSTRUCTORS.get(fname)
        return None if maker is None else maker(self, fname, args, pos)

    def _literal(self, fname: str, args: list, pos):
        """Value(-4.0) and np.array([...]): the number or list itself."""
        if len(args) != 1:
            raise EngineError("one_argument", *pos, "arity", function=fname, count=len(args))
        if isinstance(args[0], Special):
            raise args[0].misuse()
        return args[0]

    def _filled(self, fname: str, args: list, pos):
        """np.zeros(shape) and np.ones(shape); np.zeros_like(x) and np.ones_like(x)."""
        if fname.endswith("_like"):
            if len(args) != 1:
                raise EngineError("one_argument", *pos, "arity", function=fname, count=len(args))
            shape = self.graph.shapes[self.node(args[0])]
        elif len(args) != 1:
            raise EngineError("one_shape_argument", *pos, "arity", function=fname, count=len(args))
        else:
            shape = shape_of(args, fname, pos)
        self._budget(math.prod(shape), pos)
        fill = 0.0 if "zeros" in fname else 1.0
        return self.num(np.full(shape, fill) if shape else fill, pos)

    def _random(self, fname: str, args: list, pos):
        """np.random.randn(5, 10) and rand: drawn after the budget check, reproducibly."""
        shape = shape_of(args, fname, pos)
        self._budget(math.prod(shape), pos)  # before anything is drawn
        if self.rng is None:
            self.draws += 1
            rng = np.random.RandomState(seed_for(self.source, self.target, self.draws))
        else:
            rng = self.rng  # after np.random.seed(n): NumPy's own sequence, draw by draw
        value = rng.standard_normal(shape) if fname.endswith("randn") else rng.random_sample(shape)
        return self.num(value if shape else float(value), pos)

    def _seed(self, fname: str, args: list, pos):
        """np.random.seed(n): later draws follow NumPy's legacy generator seeded with n."""
        if len(args) != 1 or isinstance(args[0], Special) or np.ndim(getattr(args[0], "value", None)) \
                or not hasattr(args[0], "value") or args[0].value != int(args[0].value) \
                or not 0 <= args[0].value < 2**32:
            raise EngineError("seed", *pos, "value")
        self.rng = np.random.RandomState(int(args[0].value))
        return NoValue("np.random.seed(…)", pos)


CONSTRUCTORS = {
    "Value": Forms._literal, "np.array": Forms._literal,
    "np.zeros": Forms._filled, "np.ones": Forms._filled,
    "np.zeros_like": Forms._filled, "np.ones_like": Forms._filled,
    "np.random.randn": Forms._random, "np.random.rand": Forms._random, "np.random.seed": Forms._seed,
}
