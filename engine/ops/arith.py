"""Primitive ops: arithmetic and elementwise functions, one block per op.

Conventions at kinks follow PyTorch: relu'(0) = 0, abs'(0) = 0, ties of max/min split evenly,
and pow's gradient is 0 where PyTorch masks it (exponent 0; base 0 with exponent >= 0).
"""

from __future__ import annotations

import math
import operator

import numpy as np

from .record import FUNCTIONS, defop, unary

# ---- arithmetic -------------------------------------------------------------------------------

defop("add", "a + b", "+", "ab", "arithmetic", "Sum, elementwise with broadcasting.",
      np.add, (lambda g, y, a, b: g, lambda g, y, a, b: g),
      ("∂(a+b)/∂a = 1", "∂(a+b)/∂b = 1"),
      (r"\frac{\partial (a+b)}{\partial a} = 1", r"\frac{\partial (a+b)}{\partial b} = 1"),
      scalar=operator.add, local=lambda y, a, b: (1.0, 1.0), callable=False, torch="$0 + $1")

defop("sub", "a - b", "−", "ab", "arithmetic", "Difference, elementwise with broadcasting.",
      np.subtract, (lambda g, y, a, b: g, lambda g, y, a, b: -g),
      ("∂(a−b)/∂a = 1", "∂(a−b)/∂b = −1"),
      (r"\frac{\partial (a-b)}{\partial a} = 1", r"\frac{\partial (a-b)}{\partial b} = -1"),
      scalar=operator.sub, local=lambda y, a, b: (1.0, -1.0), callable=False, torch="$0 - $1")

defop("mul", "a * b", "×", "ab", "arithmetic", "Product, elementwise with broadcasting.",
      np.multiply, (lambda g, y, a, b: g * b, lambda g, y, a, b: g * a),
      ("∂(a·b)/∂a = b", "∂(a·b)/∂b = a"),
      (r"\frac{\partial (a b)}{\partial a} = b", r"\frac{\partial (a b)}{\partial b} = a"),
      scalar=operator.mul, local=lambda y, a, b: (b, a), callable=False, torch="$0 * $1")

defop("div", "a / b", "÷", "ab", "arithmetic", "Quotient, elementwise with broadcasting.",
      np.divide, (lambda g, y, a, b: g / b, lambda g, y, a, b: -g * a / (b * b)),
      ("∂(a/b)/∂a = 1/b", "∂(a/b)/∂b = −a/b²"),
      (r"\frac{\partial (a/b)}{\partial a} = \frac{1}{b}",
       r"\frac{\partial (a/b)}{\partial b} = -\frac{a}{b^2}"),
      scalar=operator.truediv, local=lambda y, a, b: (1.0 / b, -a / (b * b)), callable=False,
      torch="$0 / $1")


def _pow_da(g, y, a, b):
    """Base gradient b·a^(b−1), zero where the exponent is 0 (PyTorch masks it)."""
    return np.where(b == 0, 0.0, g * b * np.power(a, b - 1.0))


def _pow_db(g, y, a, b):
    """Exponent gradient a^b·ln a, zero where a = 0 and b >= 0 (PyTorch masks it).

    Where a = 0 and b < 0 it is inf·(−inf) = −inf, as in PyTorch (log(0) must not be replaced by 0).
    """
    return np.where((a == 0) & (b >= 0), 0.0, g * y * np.log(a))


def _pow_local(y, a, b):
    """Scalar local derivatives with the same masks (math raises where NumPy gives inf/nan)."""
    if a < 0:
        # ln of a negative base is NaN, as NumPy says; said here because (x + y)**2 with x + y < 0
        # is common (the CS231n circuit) and the exception path costs more than the whole gate.
        return 0.0 if b == 0 else b * math.pow(a, b - 1.0), math.nan
    return (0.0 if b == 0 else b * math.pow(a, b - 1.0),
            0.0 if a == 0 and b >= 0 else y * math.log(a))


defop("pow", "a ** b", "^", "ab", "arithmetic",
      "Power, elementwise; overflow gives inf and a negative base with a fractional exponent NaN.",
      np.power, (_pow_da, _pow_db),
      ("∂(aᵇ)/∂a = b·aᵇ⁻¹", "∂(aᵇ)/∂b = aᵇ·ln a"),
      (r"\frac{\partial a^b}{\partial a} = b\,a^{b-1}", r"\frac{\partial a^b}{\partial b} = a^b \ln a"),
      scalar=math.pow, local=_pow_local, callable=False, torch="$0 ** $1")

defop("neg", "-x", "−", "x", "arithmetic", "Negation.",
      np.negative, (lambda g, y, x: -g,), ("∂(−x)/∂x = −1",), (r"\frac{\partial (-x)}{\partial x} = -1",),
      scalar=operator.neg, local=lambda y, x: (-1.0,), callable=False, torch="-$0")

# ---- elementwise functions --------------------------------------------------------------------

unary("exp", "exp", "Exponential, e to the x.", np.exp, math.exp, lambda y, x: y,
      "∂eˣ/∂x = eˣ", r"\frac{\partial e^x}{\partial x} = e^x",
      spellings=("math.exp", "np.exp", ".exp()"))
unary("log", "log", "Natural logarithm; log(0) = −inf, log of a negative number is NaN.", np.log,
      math.log, lambda y, x: 1.0 / x, "∂ln x/∂x = 1/x", r"\frac{\partial \ln x}{\partial x} = \frac{1}{x}",
      spellings=("math.log", "np.log", ".log()"))
unary("sqrt", "√", "Square root.", np.sqrt, math.sqrt, lambda y, x: 0.5 / y,
      "∂√x/∂x = 1/(2√x)", r"\frac{\partial \sqrt{x}}{\partial x} = \frac{1}{2\sqrt{x}}",
      spellings=("math.sqrt", "np.sqrt", ".sqrt()"))
# sign(NaN) is NaN in NumPy but the scalar path and PyTorch give 0 there: one convention for both paths.
unary("abs", "|x|", "Absolute value; its gradient at 0 is 0.", np.abs, abs,
      lambda y, x: np.where(np.isnan(x), 0.0, np.sign(x)),
      "∂|x|/∂x = sign(x)", r"\frac{\partial |x|}{\partial x} = \operatorname{sign}(x)",
      scalar_deriv=lambda y, x: (x > 0) - (x < 0),
      spellings=("np.abs", "math.fabs", ".abs()"))
unary("sin", "sin", "Sine (radians).", np.sin, math.sin, lambda y, x: np.cos(x),
      "∂sin x/∂x = cos x", r"\frac{\partial \sin x}{\partial x} = \cos x",
      scalar_deriv=lambda y, x: math.cos(x),
      spellings=("math.sin", "np.sin", ".sin()"))
unary("cos", "cos", "Cosine (radians).", np.cos, math.cos, lambda y, x: -np.sin(x),
      "∂cos x/∂x = −sin x", r"\frac{\partial \cos x}{\partial x} = -\sin x",
      scalar_deriv=lambda y, x: -math.sin(x),
      spellings=("math.cos", "np.cos", ".cos()"))
unary("tanh", "tanh", "Hyperbolic tangent.", np.tanh, math.tanh, lambda y, x: 1.0 - y * y,
      "∂tanh x/∂x = 1 − tanh²x", r"\frac{\partial \tanh x}{\partial x} = 1 - \tanh^2 x",
      spellings=("math.tanh", "np.tanh", ".tanh()"))
unary("relu", "relu", "Rectified linear unit max(x, 0); its gradient at 0 is 0.",
      lambda x: np.maximum(x, 0.0), lambda x: 0.0 if x <= 0 else x, lambda y, x: x > 0,
      "∂relu(x)/∂x = 1 if x > 0 else 0",
      r"\frac{\partial\, \mathrm{relu}(x)}{\partial x} = [x > 0]",
      scalar_deriv=lambda y, x: 1.0 if x > 0 else 0.0,
      spellings=(".relu()",))


def _tie_split(first_wins):
    """Gradient share of one side of max/min: 1 where it wins, 1/2 on ties (PyTorch)."""
    return lambda g, y, a, b: g * (first_wins(a, b) + 0.5 * (a == b))


def _share(wins: bool, tie: bool) -> float:
    """Scalar local derivative of one side of max/min."""
    return 1.0 if wins else (0.5 if tie else 0.0)


for _name, _sym, _np, _win, _word in (("max", "max", np.maximum, operator.gt, "larger"),
                                      ("min", "min", np.minimum, operator.lt, "smaller")):
    _other = lambda a, b, w=_win: w(b, a)
    defop(_name, f"{_name}(a, b)", _sym, "ab", "elementwise",
          f"The {_word} of a and b, elementwise; ties split the gradient evenly.",
          _np, (_tie_split(_win), _tie_split(_other)),
          (f"∂{_name}(a,b)/∂a = 1 if a is {_word}, ½ on a tie, else 0",
           f"∂{_name}(a,b)/∂b = 1 if b is {_word}, ½ on a tie, else 0"),
          (rf"\frac{{\partial \{_name}(a,b)}}{{\partial a}} = [a {'>' if _name == 'max' else '<'} b]"
           r" + \tfrac12 [a = b]",
           rf"\frac{{\partial \{_name}(a,b)}}{{\partial b}} = [b {'>' if _name == 'max' else '<'} a]"
           r" + \tfrac12 [a = b]"),
          scalar=(lambda a, b, w=_win: a if w(a, b) or a == b or a != a else b),
          local=lambda y, a, b, w=_win: (_share(w(a, b), a == b), _share(w(b, a), a == b)),
          spellings=(f"np.{_np.__name__}",),
          torch=f"torch.{_np.__name__}($0, $1)")  # ties split evenly in PyTorch too

BINARY_OPERATORS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "@": "matmul"}
UNARY_OPERATORS = {"-": "neg"}
CONSTANTS = {"pi": math.pi, "e": math.e}
CONSTANT_SPELLINGS = {f"{module}.{name}": name for module in ("math", "np") for name in CONSTANTS}
assert all(name in FUNCTIONS for name in ("exp", "log", "max"))
