"""Primitive ops: arithmetic and elementwise functions, one block per op.

Each derivative is one formula in the language (g: the gradient arriving at the output, out: the
op's value). Conventions at kinks follow PyTorch: relu'(0) = 0, abs'(0) = 0, ties of max/min split
evenly, and pow's gradient is 0 where PyTorch masks it (exponent 0; base 0 with exponent >= 0).
"""

from __future__ import annotations

import math
import operator

import numpy as np

from .formula import CONSTANTS  # noqa: F401  (the language's constants, re-exported for the builder)
from .record import FUNCTIONS, defop, together


def _log(x: float) -> float:
    """math.log with NumPy's answers at 0 and below (the CS231n circuit takes logs of negatives)."""
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


# ---- arithmetic -------------------------------------------------------------------------------

defop("add", "a + b", "+", "ab", "arithmetic", "Sum, elementwise with broadcasting.",
      np.add, {"a": "g", "b": "g"}, scalar=operator.add, infix="+", callable=False,
      torch="$0 + $1")

defop("neg", "-x", "−", "x", "arithmetic", "Negation.", np.negative, {"x": "-g"},
      scalar=operator.neg, infix="-", callable=False,
      torch="-$0")

defop("sub", "a - b", "−", "ab", "arithmetic", "Difference, elementwise with broadcasting.",
      np.subtract, {"a": "g", "b": "-g"}, scalar=operator.sub, infix="-", callable=False,
      torch="$0 - $1")

defop("mul", "a * b", "×", "ab", "arithmetic", "Product, elementwise with broadcasting.",
      np.multiply, {"a": "g * b", "b": "g * a"}, scalar=operator.mul, infix="*", callable=False,
      torch="$0 * $1")

defop("div", "a / b", "÷", "ab", "arithmetic", "Quotient, elementwise with broadcasting.",
      np.divide, {"a": "g / b", "b": "g * -a / (b * b)"}, scalar=operator.truediv, infix="/",
      callable=False,
      torch="$0 / $1")

# ---- elementwise functions --------------------------------------------------------------------


def unary(name: str, symbol: str, doc: str, forward, scalar, grad: str, code: str, show: str,
          show_tex: str, **extra):
    """An elementwise function of one input x (PyTorch has each under the same name, with the same
    conventions at kinks)."""
    extra.setdefault("torch", f"torch.{name}($0)")
    return defop(name, f"{name}(x)", symbol, "x", extra.pop("category", "elementwise"), doc, forward,
                 {"x": grad}, scalar=scalar, code=code, show=show, show_tex=show_tex, **extra)


unary("exp", "exp", "Exponential, e to the x.", np.exp, math.exp, "g * out",
      "np.exp($0)", "exp($0)", "e^{$0}", spellings=("math.exp", "np.exp", ".exp()"))
unary("log", "log", "Natural logarithm; log(0) = −inf, log of a negative number is NaN.", np.log,
      _log, "g / x", "np.log($0)", "ln $0", r"\ln $0", spellings=("math.log", "np.log", ".log()"))
unary("sqrt", "√", "Square root.", np.sqrt, math.sqrt, "g * 0.5 / out", "np.sqrt($0)", "√$0",
      r"\sqrt{$0}", spellings=("math.sqrt", "np.sqrt", ".sqrt()"))
unary("abs", "|x|", "Absolute value; its gradient at 0 is 0.", np.abs, abs, "g * sign(x)",
      "np.abs($0)", "|$0|", r"|$0|", spellings=("np.abs", "math.fabs", ".abs()"))
with together():  # each one's derivative is the other
    unary("sin", "sin", "Sine (radians).", np.sin, math.sin, "g * cos(x)", "np.sin($0)", "sin $0",
          r"\sin $0", spellings=("math.sin", "np.sin", ".sin()"))
    unary("cos", "cos", "Cosine (radians).", np.cos, math.cos, "g * -sin(x)", "np.cos($0)", "cos $0",
          r"\cos $0", spellings=("math.cos", "np.cos", ".cos()"))
unary("tanh", "tanh", "Hyperbolic tangent.", np.tanh, math.tanh, "g * (1 - out * out)",
      "np.tanh($0)", "tanh $0", r"\tanh $0", spellings=("math.tanh", "np.tanh", ".tanh()"),
      watch="saturates")
unary("relu", "relu", "Rectified linear unit max(x, 0); its gradient at 0 is 0.",
      lambda x: np.maximum(x, 0.0), lambda x: 0.0 if x <= 0 else x, "g * gt(x, 0)",
      "np.maximum($0, 0.0)", "relu($0)", r"\mathrm{relu}($0)", spellings=(".relu()",), watch="dead")

defop("pow", "a ** b", "^", "ab", "arithmetic",
      "Power, elementwise; overflow gives inf and a negative base with a fractional exponent NaN.",
      np.power, {"a": "g * where(eq(b, 0), 0, b * a ** (b - 1))",
                 "b": "g * where(eq(a, 0) * ge(b, 0), 0, out * log(a))"},
      scalar=math.pow, infix="**", callable=False,
      torch="$0 ** $1")

for _name, _np, _win, _cmp, _word in (("max", np.maximum, operator.gt, "gt", "larger"),
                                      ("min", np.minimum, operator.lt, "lt", "smaller")):
    defop(_name, f"{_name}(a, b)", _name, "ab", "elementwise",
          f"The {_word} of a and b, elementwise; ties split the gradient evenly.", _np,
          {"a": f"g * ({_cmp}(a, b) + 0.5 * eq(a, b))", "b": f"g * ({_cmp}(b, a) + 0.5 * eq(a, b))"},
          scalar=(lambda a, b, w=_win: a if w(a, b) or a == b or a != a else b),
          code=f"np.{_np.__name__}($0, $1)", show=f"{_name}($0, $1)", show_tex=rf"\{_name}($0, $1)",
          spellings=(f"np.{_np.__name__}",),
      torch=f"torch.{_np.__name__}($0, $1)")

CONSTANT_SPELLINGS = {f"{module}.{name}": name for module in ("math", "np") for name in CONSTANTS}
assert all(name in FUNCTIONS for name in ("exp", "log", "max"))
