#!/usr/bin/env python3
"""Generate tests/corpus/reference.json: an independent high-precision reference
for ddx's values and gradients.

Every corpus entry pairs a function written in ddx's JavaScript subset (`source`,
exactly what a user would type) with a hand-written Python twin computing the same
thing on mpmath numbers.  The twin never sees ddx: values come from evaluating the
twin at 60 significant digits, gradients from mpmath.diff (central difference at
more than twice the working precision) per scalar input / per array element.
Each point is recomputed at 80 digits and the script fails loudly when the two
disagree by more than 1e-25 (relative); the agreement is written as "digits".

Conventions (so the reference is the exact value of the program as JavaScript
reads it):
  * points and numeric literals are IEEE doubles; they are converted to mpf
    exactly (mpf(0.1) is the double nearest 0.1, just as JS parses `0.1`);
  * Math.PI / Math.E are the doubles math.pi / math.e, not the true constants;
  * JS semantics: `%` is the truncated remainder (NOT mpmath.fmod, which follows
    the sign of the divisor), Math.round(x) = floor(x + 0.5), Math.sign(0) = 0,
    Math.cbrt is the real cube root;
  * every branch decision (comparison, floor/ceil/round/trunc, %, abs, sign,
    max/min) goes through a checked helper that fails if the point is within
    1e-9 (relative) of a tie/kink, so double-precision JavaScript takes the same
    path as the 60-digit twin and the derivative exists.

Run: python3 tests/corpus/make_reference.py
"""

import inspect
import json
import math
import os
import re
import sys
import textwrap
import time

import mpmath
from mpmath import mp, mpf
from mpmath.libmp.libmpf import to_float

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "reference.json")

DPS = 60
DPS_CHECK = 80
MAX_DISAGREEMENT = mpf("1e-25")
TIE = mpf("1e-9")


# ---------------------------------------------------------------------------
# JS semantics on mpmath numbers
# ---------------------------------------------------------------------------

class TieError(Exception):
    pass


class DomainError(Exception):
    pass


def _tie(d, scale, what, floor=1):
    """Fail if d is a nonzero distance to a tie/kink that is suspiciously small.

    d == 0 exactly is allowed: it only happens for exact (integer) data such as
    loop counters, which no input perturbation can move.  If an input *can* move
    it, mpmath.diff's perturbed evaluations produce a tiny nonzero d and fail."""
    if d != 0 and abs(d) <= TIE * max(floor, abs(scale)):
        raise TieError("%s: too close to a tie/kink (distance %s)" % (what, mpmath.nstr(d, 5)))


def gt(a, b):
    _tie(a - b, max(abs(a), abs(b)), "comparison")
    return a > b


def gt_rel(a, b):
    """a > b for a convergence test against a tolerance b != 0: the margin is
    judged relative to max(|a|, |b|) only (no absolute floor), since both sides
    are small by design."""
    if b == 0:
        raise DomainError("gt_rel needs a nonzero tolerance")
    _tie(a - b, max(abs(a), abs(b)), "tolerance comparison", floor=0)
    return a > b


def lt_rel(a, b):
    return gt_rel(b, a)


def lt(a, b):
    _tie(a - b, max(abs(a), abs(b)), "comparison")
    return a < b


def ge(a, b):
    _tie(a - b, max(abs(a), abs(b)), "comparison")
    return a >= b


def le(a, b):
    _tie(a - b, max(abs(a), abs(b)), "comparison")
    return a <= b


def eq(a, b):  # ===
    _tie(a - b, max(abs(a), abs(b)), "comparison")
    return a == b


def ne(a, b):  # !==
    _tie(a - b, max(abs(a), abs(b)), "comparison")
    return a != b


def _near_int(x, what):
    _tie(x - mp.nint(x), x, what)


def _trunc(x):
    return mp.floor(x) if x >= 0 else mp.ceil(x)


def mod(a, b):
    """JS a % b: truncated remainder, sign of the dividend."""
    a = mpf(a)
    b = mpf(b)
    if b == 0:
        raise DomainError("% by zero")
    q = a / b
    _near_int(q, "%")
    return a - b * _trunc(q)


def _real(r, what):
    if not isinstance(r, mpf):
        raise DomainError("%s gave a non-real result" % what)
    return r


class Math:
    """Math.* with JavaScript semantics on mpf numbers (real domain only)."""

    PI = mpf(math.pi)  # the double, as in JS
    E = mpf(math.e)

    @staticmethod
    def sin(x): return mp.sin(x)

    @staticmethod
    def cos(x): return mp.cos(x)

    @staticmethod
    def tan(x): return mp.tan(x)

    @staticmethod
    def asin(x):
        if not -1 < x < 1: raise DomainError("asin")
        return mp.asin(x)

    @staticmethod
    def acos(x):
        if not -1 < x < 1: raise DomainError("acos")
        return mp.acos(x)

    @staticmethod
    def atan(x): return mp.atan(x)

    @staticmethod
    def atan2(y, x):
        if x < 0: _tie(y, 1, "atan2 branch cut")
        if y == 0 and x <= 0: raise DomainError("atan2 on branch cut")
        return mp.atan2(y, x)

    @staticmethod
    def sinh(x): return mp.sinh(x)

    @staticmethod
    def cosh(x): return mp.cosh(x)

    @staticmethod
    def tanh(x): return mp.tanh(x)

    @staticmethod
    def asinh(x): return mp.asinh(x)

    @staticmethod
    def acosh(x):
        if not x > 1: raise DomainError("acosh")
        return mp.acosh(x)

    @staticmethod
    def atanh(x):
        if not -1 < x < 1: raise DomainError("atanh")
        return mp.atanh(x)

    @staticmethod
    def exp(x): return mp.exp(x)

    @staticmethod
    def expm1(x): return mp.expm1(x)

    @staticmethod
    def log(x):
        if not x > 0: raise DomainError("log")
        return mp.log(x)

    @staticmethod
    def log1p(x):
        if not x > -1: raise DomainError("log1p")
        return mp.log1p(x)

    @staticmethod
    def log2(x):
        if not x > 0: raise DomainError("log2")
        return mp.log(x, 2)

    @staticmethod
    def log10(x):
        if not x > 0: raise DomainError("log10")
        return mp.log10(x)

    @staticmethod
    def sqrt(x):
        if not x > 0: raise DomainError("sqrt")
        return mp.sqrt(x)

    @staticmethod
    def cbrt(x):
        _tie(x, 1, "cbrt at 0")
        return mp.sign(x) * mp.cbrt(abs(x))

    @staticmethod
    def abs(x):
        _tie(x, 1, "abs kink")
        return abs(mpf(x))

    @staticmethod
    def pow(x, y):
        return _real(mp.power(x, y), "pow")

    @staticmethod
    def max(*a):
        s = sorted((mpf(v) for v in a), reverse=True)
        if len(s) > 1: _tie(s[0] - s[1], s[0], "max tie")
        return s[0]

    @staticmethod
    def min(*a):
        s = sorted(mpf(v) for v in a)
        if len(s) > 1: _tie(s[1] - s[0], s[0], "min tie")
        return s[0]

    @staticmethod
    def hypot(*a):
        return mp.sqrt(mp.fsum(mpf(v) ** 2 for v in a))

    @staticmethod
    def sign(x):
        _tie(x, 1, "sign jump")
        return mpf(mp.sign(x))

    @staticmethod
    def floor(x):
        _near_int(x, "floor")
        return mp.floor(x)

    @staticmethod
    def ceil(x):
        _near_int(x, "ceil")
        return mp.ceil(x)

    @staticmethod
    def round(x):  # JS: round half up
        _near_int(mpf(x) + 0.5, "round")
        return mp.floor(mpf(x) + 0.5)

    @staticmethod
    def trunc(x):
        _near_int(x, "trunc")
        return _trunc(mpf(x))


def zeros(n):
    """new Array(n).fill(0)"""
    return [mpf(0)] * int(n)


# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------

ENTRIES = []


def entry(name, source, at):
    def deco(fn):
        ENTRIES.append({"name": name, "source": textwrap.dedent(source).strip("\n"),
                        "twin": fn, "at": at})
        return fn
    return deco


# ----------------------------------------------------------------- basics ---

@entry("blog_square", """
function f(x) {
  return x ** 2;
}
""", [{"x": 3}, {"x": -1.25}, {"x": 0.7}])
def _(x):
    return x ** 2


@entry("blog_sum_of_squares", """
function f(x, y) {
  return x ** 2 + y ** 2;
}
""", [{"x": 2, "y": 1}, {"x": -0.5, "y": 1.5}, {"x": 3.25, "y": -2}])
def _(x, y):
    return x ** 2 + y ** 2


@entry("blog_quadratic_form", """
function f(x, y) {
  return x ** 2 + 3 * x * y + y ** 2;
}
""", [{"x": 2, "y": 1}, {"x": -1.5, "y": 0.25}, {"x": 0.3, "y": -2.2}])
def _(x, y):
    return x ** 2 + 3 * x * y + y ** 2


@entry("identity", """
function f(x) {
  return x;
}
""", [{"x": 1.3}, {"x": -4}])
def _(x):
    return x


@entry("constant_return", """
function f(x) {
  return 42;
}
""", [{"x": 1}, {"x": -2.5}])
def _(x):
    return mpf(42)


@entry("linear_three_params", """
function f(x, y, z) {
  return 2 * x - 3 * y + z / 4 + 1.5;
}
""", [{"x": 1, "y": 2, "z": 3}, {"x": -0.7, "y": 0.2, "z": -5.5}])
def _(x, y, z):
    return 2 * x - 3 * y + z / 4 + 1.5


@entry("tangent_saxpy", """
function f(a, b, c) {
  return a * b + c;
}
""", [{"a": 1.5, "b": -2, "c": 0.25}, {"a": 3, "b": 0.7, "c": -1.1}])
def _(a, b, c):
    return a * b + c


@entry("unary_minus", """
function f(x, y) {
  return -x * -y - -(x - y);
}
""", [{"x": 1.5, "y": 2.5}, {"x": -0.3, "y": 4}])
def _(x, y):
    return (-x) * (-y) - (-(x - y))


@entry("rational_function", """
function f(x, y) {
  return (x + y) * (x - y) / (1 + x * x);
}
""", [{"x": 0.5, "y": 2}, {"x": -2.2, "y": 0.7}, {"x": 3, "y": -1.3}])
def _(x, y):
    return (x + y) * (x - y) / (1 + x * x)


@entry("power_variable_exponent", """
function f(x, y) {
  return x ** y;
}
""", [{"x": 1.5, "y": 2.3}, {"x": 0.7, "y": -1.2}, {"x": 3, "y": 0.5}])
def _(x, y):
    return x ** y


@entry("power_negative_base_integer_exponent", """
function f(x) {
  return (x - 1) ** 3 + x ** -2;
}
""", [{"x": -1.5}, {"x": 0.4}, {"x": 2.2}])
def _(x):
    return (x - 1) ** 3 + x ** -2


@entry("power_right_associative", """
function f(x) {
  return 2 ** x ** 2;
}
""", [{"x": 0.8}, {"x": -1.1}, {"x": 1.3}])
def _(x):
    return 2 ** (x ** 2)


@entry("operator_precedence", """
function f(x, y) {
  return x + y * x - y / x % 2 + (x - y) * 3;
}
""", [{"x": 1.5, "y": 2.2}, {"x": -2.3, "y": 1.7}, {"x": 0.9, "y": 4.1}])
def _(x, y):
    return x + y * x - mod(y / x, 2) + (x - y) * 3


@entry("number_literal_forms", """
function f(x) {
  return 1e-3 * x + .5 * x * x + 2.5e1 / x;
}
""", [{"x": 1.2}, {"x": -3}, {"x": 7.5}])
def _(x):
    return 1e-3 * x + .5 * x * x + 2.5e1 / x


@entry("arrow_expression_body", """
const f = (x, y) => x * y + Math.sin(x);
""", [{"x": 0.4, "y": 2}, {"x": -1.7, "y": 0.3}])
def _(x, y):
    return x * y + Math.sin(x)


@entry("arrow_block_body", """
const f = (x) => {
  const y = x * x;
  return y * y - 3 * y;
};
""", [{"x": 0.6}, {"x": -1.9}, {"x": 2.4}])
def _(x):
    y = x * x
    return y * y - 3 * y


@entry("comments_in_source", """
// damped oscillator
function f(t, k) {
  /* amplitude decays with rate k */
  return Math.exp(-k * t) * Math.cos(3 * t); // k > 0
}
""", [{"t": 0.5, "k": 0.3}, {"t": 2.1, "k": 1.2}])
def _(t, k):
    return Math.exp(-k * t) * Math.cos(3 * t)


@entry("math_pi_e_constants", """
function f(x, y) {
  return Math.PI * x * x + Math.E ** y;
}
""", [{"x": 0.5, "y": 1.5}, {"x": -2, "y": -0.3}])
def _(x, y):
    return Math.PI * x * x + Math.E ** y


# ------------------------------------------------- each Math.* on its own ---

def _single(fname, points, params="x"):
    src = "function f(%s) {\n  return Math.%s(%s);\n}" % (params, fname, params)
    fn = getattr(Math, fname)
    if params == "x":
        twin = lambda x: fn(x)
    elif params == "x, y":
        twin = lambda x, y: fn(x, y)
    elif params == "x, y, z":
        twin = lambda x, y, z: fn(x, y, z)
    elif params == "y, x":
        twin = lambda y, x: fn(y, x)
    else:
        raise ValueError(params)
    nargs = len(params.split(","))
    ENTRIES.append({"name": "math_" + fname + ("_3_args" if nargs == 3 else ""),
                    "source": src, "twin": twin, "at": points})


_single("sin", [{"x": 0.5}, {"x": 2.1}, {"x": -4}])
_single("cos", [{"x": 0.5}, {"x": 2.1}, {"x": -4}])
_single("tan", [{"x": 0.3}, {"x": 1.2}, {"x": -2.5}])
_single("asin", [{"x": 0.3}, {"x": -0.75}, {"x": 0.95}])
_single("acos", [{"x": 0.3}, {"x": -0.75}, {"x": 0.95}])
_single("atan", [{"x": 0.5}, {"x": -3}, {"x": 12}])
_single("atan2", [{"y": 1, "x": 2}, {"y": 1, "x": -2}, {"y": -1, "x": -2}, {"y": -1.5, "x": 0.5}], "y, x")
_single("sinh", [{"x": 0.5}, {"x": -2.2}, {"x": 4}])
_single("cosh", [{"x": 0.5}, {"x": -2.2}, {"x": 4}])
_single("tanh", [{"x": 0.5}, {"x": -1.2}, {"x": 3}])
_single("asinh", [{"x": 0.5}, {"x": -2.2}, {"x": 10}])
_single("acosh", [{"x": 1.7}, {"x": 3.5}, {"x": 20}])
_single("atanh", [{"x": 0.3}, {"x": -0.6}, {"x": 0.9}])
_single("exp", [{"x": 0.5}, {"x": -2.2}, {"x": 5}])
_single("expm1", [{"x": 0.001}, {"x": -0.7}, {"x": 2}])
_single("log", [{"x": 0.5}, {"x": 2.7}, {"x": 100}])
_single("log1p", [{"x": 0.0001}, {"x": -0.6}, {"x": 3}])
_single("log2", [{"x": 0.3}, {"x": 5}, {"x": 1000.25}])
_single("log10", [{"x": 0.03}, {"x": 7}, {"x": 12345}])
_single("sqrt", [{"x": 0.25}, {"x": 2}, {"x": 10.5}])
_single("cbrt", [{"x": 2}, {"x": -8.3}, {"x": 0.3}])
_single("abs", [{"x": -2.5}, {"x": 1.75}])
_single("pow", [{"x": 2.5, "y": 1.3}, {"x": 0.6, "y": -2.1}, {"x": 4, "y": 0.5}], "x, y")
_single("max", [{"x": 1, "y": 2}, {"x": 3, "y": -1}], "x, y")
_single("min", [{"x": 1, "y": 2}, {"x": 3, "y": -1}], "x, y")
_single("max", [{"x": 1, "y": 2, "z": 0.5}, {"x": 3, "y": -1, "z": 2}, {"x": -1, "y": -2, "z": 0.3}], "x, y, z")
_single("min", [{"x": 1, "y": 2, "z": 0.5}, {"x": 3, "y": -1, "z": 2}, {"x": -1, "y": 2, "z": 0.3}], "x, y, z")
_single("hypot", [{"x": 3, "y": 4}, {"x": -1.5, "y": 2.5}], "x, y")
_single("hypot", [{"x": 1, "y": 2, "z": 2}, {"x": -0.5, "y": 1.5, "z": -3}], "x, y, z")
_single("sign", [{"x": -2.5}, {"x": 0.7}])
_single("floor", [{"x": 2.3}, {"x": -1.7}])
_single("ceil", [{"x": 2.3}, {"x": -1.7}])
_single("round", [{"x": 2.3}, {"x": -1.7}, {"x": 3.6}, {"x": -2.2}])
_single("trunc", [{"x": 2.7}, {"x": -1.7}])


@entry("math_pow_integer_exponent", """
function f(x) {
  return Math.pow(x, 3);
}
""", [{"x": -2}, {"x": 1.5}, {"x": -0.4}])
def _(x):
    return Math.pow(x, 3)


# ------------------------------------------------------ Math combinations ---

@entry("sigmoid", """
function f(x) {
  return 1 / (1 + Math.exp(-x));
}
""", [{"x": 0.5}, {"x": -3}, {"x": 2}])
def _(x):
    return 1 / (1 + Math.exp(-x))


@entry("sigmoid_slope", """
function f(x) {
  const s = 1 / (1 + Math.exp(-x));
  return s * (1 - s);
}
""", [{"x": 0.5}, {"x": -3}, {"x": 2}])
def _(x):
    s = 1 / (1 + Math.exp(-x))
    return s * (1 - s)


@entry("softplus", """
function f(x) {
  return Math.log1p(Math.exp(x));
}
""", [{"x": 0.5}, {"x": -4}, {"x": 3}])
def _(x):
    return Math.log1p(Math.exp(x))


@entry("autograd_readme_tanh", """
function f(x) {
  const y = Math.exp(-2 * x);
  return (1 - y) / (1 + y);
}
""", [{"x": 0.5}, {"x": -1.3}, {"x": 2}])
def _(x):
    y = Math.exp(-2 * x)
    return (1 - y) / (1 + y)


@entry("gaussian_pdf", """
function f(x, mu, s) {
  return Math.exp(-((x - mu) ** 2) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
}
""", [{"x": 0.3, "mu": 0, "s": 1}, {"x": 2.1, "mu": 1.4, "s": 0.6}])
def _(x, mu, s):
    return Math.exp(-((x - mu) ** 2) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI))


@entry("nested_trig", """
function f(x) {
  return Math.sin(Math.cos(Math.tan(x)));
}
""", [{"x": 0.3}, {"x": -1}, {"x": 2.5}])
def _(x):
    return Math.sin(Math.cos(Math.tan(x)))


@entry("trig_product", """
function f(x, y) {
  return Math.sin(x) * Math.cos(y) + Math.tan(x * y);
}
""", [{"x": 0.5, "y": 1.2}, {"x": -1.1, "y": 0.4}])
def _(x, y):
    return Math.sin(x) * Math.cos(y) + Math.tan(x * y)


@entry("polar_log_angle", """
function f(x, y) {
  return Math.log(Math.hypot(x, y)) + 2 * Math.atan2(y, x);
}
""", [{"x": 1, "y": 2}, {"x": -0.5, "y": 0.8}, {"x": -2, "y": -1.5}, {"x": 0.7, "y": -3}])
def _(x, y):
    return Math.log(Math.hypot(x, y)) + 2 * Math.atan2(y, x)


@entry("log_add_exp", """
function f(x, y) {
  return Math.log(Math.exp(x) + Math.exp(y));
}
""", [{"x": 0.5, "y": 1}, {"x": -2, "y": 3}])
def _(x, y):
    return Math.log(Math.exp(x) + Math.exp(y))


@entry("exp_of_log_power", """
function f(x, y) {
  return Math.exp(y * Math.log(x));
}
""", [{"x": 2.5, "y": 1.5}, {"x": 0.4, "y": -0.8}])
def _(x, y):
    return Math.exp(y * Math.log(x))


@entry("abs_mix", """
function f(x, y) {
  return Math.abs(x) * x + Math.abs(x - y);
}
""", [{"x": 1.5, "y": 2}, {"x": -0.8, "y": -2.4}, {"x": -1.2, "y": 0.6}])
def _(x, y):
    return Math.abs(x) * x + Math.abs(x - y)


@entry("max_min_mix", """
function f(x, y) {
  return Math.max(x, y) * Math.min(x, y) + Math.max(x * x, 2, y);
}
""", [{"x": 1, "y": 2.5}, {"x": -2, "y": 0.5}, {"x": 0.3, "y": 1.7}])
def _(x, y):
    return Math.max(x, y) * Math.min(x, y) + Math.max(x * x, 2, y)


@entry("leaky_relu", """
function f(x) {
  return Math.max(0, x) + 0.1 * Math.min(0, x);
}
""", [{"x": 1.3}, {"x": -2.2}])
def _(x):
    return Math.max(0, x) + 0.1 * Math.min(0, x)


@entry("cbrt_mix", """
function f(x, y) {
  return Math.cbrt(x * x + y) * y;
}
""", [{"x": 1, "y": 2}, {"x": 0.5, "y": -3}, {"x": -2, "y": 0.7}])
def _(x, y):
    return Math.cbrt(x * x + y) * y


@entry("log2_log10_mix", """
function f(x, y) {
  return Math.log2(x * y) - Math.log10(x / y);
}
""", [{"x": 1.5, "y": 2}, {"x": 0.2, "y": 7}])
def _(x, y):
    return Math.log2(x * y) - Math.log10(x / y)


@entry("sign_sqrt_abs", """
function f(x) {
  return Math.sign(x) * Math.sqrt(Math.abs(x));
}
""", [{"x": -2.5}, {"x": 3}, {"x": 0.2}])
def _(x):
    return Math.sign(x) * Math.sqrt(Math.abs(x))


@entry("round_trunc_mix", """
function f(x, y) {
  return Math.round(x) * x + Math.trunc(y) * y;
}
""", [{"x": 2.3, "y": -1.7}, {"x": -1.8, "y": 3.4}])
def _(x, y):
    return Math.round(x) * x + Math.trunc(y) * y


@entry("floor_ceil_mix", """
function f(x) {
  return Math.floor(x) * Math.sin(x) + Math.ceil(x / 2) * x;
}
""", [{"x": 2.3}, {"x": -1.7}, {"x": 5.1}])
def _(x):
    return Math.floor(x) * Math.sin(x) + Math.ceil(x / 2) * x


@entry("remainder_constant_divisor", """
function f(x) {
  return x % 3 + Math.sin(x % 1.5);
}
""", [{"x": 7.3}, {"x": -7.3}, {"x": 2.2}])
def _(x):
    return mod(x, 3) + Math.sin(mod(x, 1.5))


@entry("remainder_variable_divisor", """
function f(x, y) {
  return x % y;
}
""", [{"x": 7.3, "y": 2.1}, {"x": -5.6, "y": 1.7}, {"x": 1.2, "y": 2.5}])
def _(x, y):
    return mod(x, y)


@entry("trunc_remainder_identity", """
function f(x) {
  return Math.trunc(x / 2) * 2 + x % 2;
}
""", [{"x": 5.3}, {"x": -3.7}])
def _(x):
    return Math.trunc(x / 2) * 2 + mod(x, 2)


@entry("inverse_trig_of_tanh", """
function f(x, y) {
  return Math.acos(Math.tanh(x)) + Math.asin(Math.tanh(y) / 2);
}
""", [{"x": 0.3, "y": -0.8}, {"x": -1.5, "y": 2}])
def _(x, y):
    return Math.acos(Math.tanh(x)) + Math.asin(Math.tanh(y) / 2)


@entry("atan_mix", """
function f(x, y) {
  return Math.atan(x / y) + Math.atan(x * y) * Math.cos(y);
}
""", [{"x": 0.5, "y": 1.2}, {"x": -2, "y": 0.7}, {"x": 1.5, "y": -0.4}])
def _(x, y):
    return Math.atan(x / y) + Math.atan(x * y) * Math.cos(y)


@entry("hyperbolic_mix", """
function f(x, y) {
  return Math.sinh(x) * Math.cosh(y) - Math.tanh(x * y);
}
""", [{"x": 0.4, "y": 1.1}, {"x": -1.3, "y": 0.2}])
def _(x, y):
    return Math.sinh(x) * Math.cosh(y) - Math.tanh(x * y)


@entry("inverse_hyperbolic_mix", """
function f(x) {
  return Math.asinh(x) + Math.acosh(1 + x * x) + Math.atanh(x / (1 + Math.abs(x)));
}
""", [{"x": 0.7}, {"x": -1.3}, {"x": 2}])
def _(x):
    return Math.asinh(x) + Math.acosh(1 + x * x) + Math.atanh(x / (1 + Math.abs(x)))


@entry("expm1_ratio", """
function f(x) {
  return Math.expm1(x) / x;
}
""", [{"x": 0.01}, {"x": -2}, {"x": 3}])
def _(x):
    return Math.expm1(x) / x


@entry("log1p_mix", """
function f(x) {
  return Math.log1p(x * x) - Math.log1p(-x / 2);
}
""", [{"x": 0.3}, {"x": -1.5}, {"x": 1.4}])
def _(x):
    return Math.log1p(x * x) - Math.log1p(-x / 2)


@entry("sqrt_of_trig", """
function f(x, y) {
  return Math.sqrt(Math.sin(x) ** 2 + Math.cos(y) ** 2 + 1);
}
""", [{"x": 0.5, "y": 1.2}, {"x": -2, "y": 3.3}])
def _(x, y):
    return Math.sqrt(Math.sin(x) ** 2 + Math.cos(y) ** 2 + 1)


@entry("pow_nested", """
function f(x, y) {
  return Math.pow(Math.pow(x, 2) + 1, Math.sin(y));
}
""", [{"x": 0.5, "y": 1.2}, {"x": -1.8, "y": -0.4}])
def _(x, y):
    return Math.pow(Math.pow(x, 2) + 1, Math.sin(y))


@entry("hypot_normalize", """
function f(x, y) {
  return x / Math.hypot(x, y, 1);
}
""", [{"x": 0.5, "y": 1.2}, {"x": -1.8, "y": -0.4}])
def _(x, y):
    return x / Math.hypot(x, y, 1)


@entry("rosenbrock_2d", """
function f(x, y) {
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
}
""", [{"x": -1.2, "y": 1}, {"x": 0.5, "y": 0.3}, {"x": 1.1, "y": 1.3}])
def _(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


# ----------------------------------------------------------- control flow ---

@entry("if_else", """
function f(x) {
  if (x > 0) {
    return x * x;
  } else {
    return -x * 3;
  }
}
""", [{"x": 1.5}, {"x": -2}])
def _(x):
    if gt(x, 0):
        return x * x
    else:
        return -x * 3


@entry("if_without_else", """
function f(x, y) {
  let r = x * y;
  if (y > x) {
    r = r + Math.sin(y);
  }
  return r;
}
""", [{"x": 1, "y": 2}, {"x": 3, "y": 0.5}])
def _(x, y):
    r = x * y
    if gt(y, x):
        r = r + Math.sin(y)
    return r


@entry("if_without_braces", """
function f(x) {
  if (x > 1) return Math.log(x);
  else if (x > 0) return x - 1;
  return x * x - 1;
}
""", [{"x": 2.5}, {"x": 0.4}, {"x": -1.2}])
def _(x):
    if gt(x, 1):
        return Math.log(x)
    elif gt(x, 0):
        return x - 1
    return x * x - 1


@entry("else_if_chain", """
function f(x) {
  let y = 0;
  if (x < -1) {
    y = -x * x;
  } else if (x < 1) {
    y = Math.sin(x);
  } else if (x <= 3) {
    y = Math.log(x) + x;
  } else {
    y = Math.sqrt(x);
  }
  return y;
}
""", [{"x": -2}, {"x": 0.5}, {"x": 2}, {"x": 5}])
def _(x):
    y = 0
    if lt(x, -1):
        y = -x * x
    elif lt(x, 1):
        y = Math.sin(x)
    elif le(x, 3):
        y = Math.log(x) + x
    else:
        y = Math.sqrt(x)
    return y


@entry("tangent_nested_if", """
function f(x) {
  let y = 0;
  if (x > 0) {
    if (x < 1.5) {
      y = x * x;
    } else {
      y = x * x * x;
    }
  } else {
    y = 2 * x;
  }
  return y;
}
""", [{"x": 1.2}, {"x": 2}, {"x": -0.5}])
def _(x):
    y = 0
    if gt(x, 0):
        if lt(x, 1.5):
            y = x * x
        else:
            y = x * x * x
    else:
        y = 2 * x
    return y


@entry("ternary", """
const f = (x, y) => (x > y ? x * y : x + y * y);
""", [{"x": 2, "y": 1}, {"x": -1, "y": 0.5}])
def _(x, y):
    return x * y if gt(x, y) else x + y * y


@entry("ternary_nested", """
function f(x) {
  return x < 0 ? -x : x < 2 ? x * x : 4 * Math.sqrt(x / 2);
}
""", [{"x": -1.3}, {"x": 1.2}, {"x": 3}])
def _(x):
    return -x if lt(x, 0) else (x * x if lt(x, 2) else 4 * Math.sqrt(x / 2))


@entry("logical_and", """
function f(x, y) {
  if (x > 0 && y > 0) {
    return Math.log(x * y);
  }
  return x + y;
}
""", [{"x": 1.5, "y": 2}, {"x": -1, "y": 2}, {"x": 2, "y": -3}])
def _(x, y):
    if gt(x, 0) and gt(y, 0):
        return Math.log(x * y)
    return x + y


@entry("logical_or", """
function f(x) {
  if (x < -1 || x > 1) {
    return 1 / x;
  }
  return x * x * x;
}
""", [{"x": -2.5}, {"x": 0.4}, {"x": 3}])
def _(x):
    if lt(x, -1) or gt(x, 1):
        return 1 / x
    return x * x * x


@entry("logical_not", """
function f(x, y) {
  if (!(x >= y)) {
    return y - x * x;
  }
  return Math.exp(y - x);
}
""", [{"x": 1, "y": 2}, {"x": 3, "y": 1}])
def _(x, y):
    if not ge(x, y):
        return y - x * x
    return Math.exp(y - x)


@entry("logical_combined_ternary", """
const f = (x, y) => (x > 0 && !(y > 2)) || x < -3 ? x * y : x - y;
""", [{"x": 1, "y": 1}, {"x": 1, "y": 3}, {"x": -4, "y": 5}, {"x": -1, "y": 1.5}])
def _(x, y):
    return x * y if ((gt(x, 0) and not gt(y, 2)) or lt(x, -3)) else x - y


@entry("strict_equality_on_floor", """
function f(x) {
  const k = Math.floor(x);
  if (k === 2) {
    return x * x;
  }
  if (k !== 3) {
    return -x;
  }
  return Math.sin(x);
}
""", [{"x": 2.3}, {"x": 3.7}, {"x": 5.1}, {"x": -0.4}])
def _(x):
    k = Math.floor(x)
    if eq(k, 2):
        return x * x
    if ne(k, 3):
        return -x
    return Math.sin(x)


@entry("compare_le_ge", """
function f(x) {
  let s = 0;
  if (x <= 1) {
    s += x;
  }
  if (x >= 0) {
    s += x * x;
  }
  return s;
}
""", [{"x": -0.7}, {"x": 0.6}, {"x": 2}])
def _(x):
    s = 0
    if le(x, 1):
        s += x
    if ge(x, 0):
        s += x * x
    return s


@entry("early_return_guard", """
function f(x) {
  if (x < 0) {
    return 0;
  }
  const y = Math.sqrt(x);
  return y * Math.exp(-y);
}
""", [{"x": -1}, {"x": 0.8}, {"x": 4}])
def _(x):
    if lt(x, 0):
        return mpf(0)
    y = Math.sqrt(x)
    return y * Math.exp(-y)


@entry("early_return_in_loop", """
function f(x) {
  let s = 0;
  for (let i = 0; i < 10; i++) {
    s += x * i;
    if (s > 4) {
      return s * x;
    }
  }
  return -s;
}
""", [{"x": 0.3}, {"x": 0.05}, {"x": 1.1}])
def _(x):
    s = 0
    for i in range(10):
        s += x * i
        if gt(s, 4):
            return s * x
    return -s


@entry("tangent_overwrite_param", """
function f(x) {
  x = x * x;
  x = Math.sin(x);
  return x;
}
""", [{"x": 0.7}, {"x": -1.4}, {"x": 2.2}])
def _(x):
    x = x * x
    x = Math.sin(x)
    return x


@entry("overwrite_chain", """
function f(x, y) {
  let a = x + y;
  a = a * a;
  a = a - x;
  let b = a / y;
  b = Math.exp(-b * 0.1);
  a = a * b;
  return a + b;
}
""", [{"x": 0.5, "y": 1.5}, {"x": -1.2, "y": 2.7}])
def _(x, y):
    a = x + y
    a = a * a
    a = a - x
    b = a / y
    b = Math.exp(-b * 0.1)
    a = a * b
    return a + b


@entry("compound_assignment", """
function f(x, y) {
  let s = x;
  s += y * y;
  s -= Math.sin(x);
  s *= x + 2;
  s /= y;
  return s;
}
""", [{"x": 0.5, "y": 1.5}, {"x": -1.2, "y": -2.7}])
def _(x, y):
    s = x
    s += y * y
    s -= Math.sin(x)
    s *= x + 2
    s /= y
    return s


@entry("for_fixed_count", """
function f(x) {
  let s = 0;
  for (let i = 0; i < 5; i++) {
    s += x ** i / (i + 1);
  }
  return s;
}
""", [{"x": 0.5}, {"x": -1.3}, {"x": 2}])
def _(x):
    s = 0
    for i in range(5):
        s += x ** i / (i + 1)
    return s


@entry("tangent_for_computed_count", """
function f(x, y) {
  for (let i = 0; i < Math.floor(y); i++) {
    x = x * 0.9 + Math.sin(x);
  }
  return x;
}
""", [{"x": 0.5, "y": 3.7}, {"x": 1.2, "y": 1.2}, {"x": -0.8, "y": 5.3}, {"x": 2, "y": 0.4}])
def _(x, y):
    for i in range(int(Math.floor(y))):
        x = x * 0.9 + Math.sin(x)
    return x


@entry("for_count_from_ceil", """
function f(x, n) {
  let s = 1;
  for (let i = 0; i < Math.ceil(n); i++) {
    s = s * x + 1;
  }
  return s;
}
""", [{"x": 0.7, "n": 3.2}, {"x": -1.5, "n": 4.6}, {"x": 2, "n": 0.3}])
def _(x, n):
    s = 1
    for i in range(int(Math.ceil(n))):
        s = s * x + 1
    return mpf(s)


@entry("for_less_equal_product", """
function f(x) {
  let p = 1;
  for (let i = 1; i <= 4; i++) {
    p *= (x + i) / i;
  }
  return p;
}
""", [{"x": 0.5}, {"x": -2.3}, {"x": 1.7}])
def _(x):
    p = 1
    for i in range(1, 5):
        p *= (x + i) / i
    return p


@entry("for_decrementing_counter", """
function f(x) {
  let acc = 0;
  for (let i = 4; i >= 0; i--) {
    acc = acc * x + (i + 1);
  }
  return acc;
}
""", [{"x": 0.5}, {"x": -1.5}, {"x": 2}])
def _(x):
    acc = 0
    for i in range(4, -1, -1):
        acc = acc * x + (i + 1)
    return acc


@entry("while_newton_sqrt_fixed_count", """
function f(x) {
  let g = x;
  let k = 0;
  while (k < 6) {
    g = 0.5 * (g + x / g);
    k++;
  }
  return g;
}
""", [{"x": 2}, {"x": 9.5}, {"x": 0.3}])
def _(x):
    g = x
    k = 0
    while k < 6:
        g = 0.5 * (g + x / g)
        k += 1
    return g


@entry("while_newton_sqrt_tolerance", """
function f(x) {
  let g = 1;
  while (Math.abs(g * g - x) > 1e-10 * x) {
    g = (g + x / g) / 2;
  }
  return g;
}
""", [{"x": 2}, {"x": 30}, {"x": 0.7}])
def _(x):
    g = mpf(1)
    # plain abs(): the residual only feeds the comparison, its kink is irrelevant
    while gt_rel(abs(g * g - x), 1e-10 * x):
        g = (g + x / g) / 2
    return g


@entry("newton_cube_root_break", """
function f(a) {
  let x = a;
  for (let i = 0; i < 30; i++) {
    const dx = (x * x * x - a) / (3 * x * x);
    x -= dx;
    if (Math.abs(dx) < 1e-12) {
      break;
    }
  }
  return x;
}
""", [{"a": 2}, {"a": 27.5}, {"a": 0.4}])
def _(a):
    x = a
    for i in range(30):
        dx = (x * x * x - a) / (3 * x * x)
        x -= dx
        if lt_rel(abs(dx), 1e-12):  # abs only feeds the comparison
            break
    return x


@entry("kepler_newton_tolerance", """
function f(m, e) {
  let E = m;
  let d = 1;
  while (Math.abs(d) > 1e-12) {
    d = (E - e * Math.sin(E) - m) / (1 - e * Math.cos(E));
    E -= d;
  }
  return E;
}
""", [{"m": 1, "e": 0.3}, {"m": 2.5, "e": 0.6}, {"m": 0.4, "e": 0.1}])
def _(m, e):
    E = m
    d = mpf(1)
    while gt_rel(abs(d), 1e-12):  # abs only feeds the comparison
        d = (E - e * Math.sin(E) - m) / (1 - e * Math.cos(E))
        E -= d
    return E


@entry("tangent_break_statement", """
function f(x) {
  let s = 0;
  for (let i = 0; i < 20; i++) {
    if (s > 5) {
      break;
    }
    s += Math.exp(x * i / 10);
  }
  return s;
}
""", [{"x": 0.5}, {"x": -3}, {"x": 2}])
def _(x):
    s = 0
    for i in range(20):
        if gt(s, 5):
            break
        s += Math.exp(x * i / 10)
    return s


@entry("tangent_continue_statement", """
function f(x) {
  let s = 0;
  for (let i = 0; i < 10; i++) {
    if (i % 3 === 0) {
      continue;
    }
    s += Math.sin(i * x) / i;
  }
  return s;
}
""", [{"x": 0.5}, {"x": -1.3}, {"x": 2.2}])
def _(x):
    s = 0
    for i in range(10):
        if eq(mod(i, 3), 0):
            continue
        s += Math.sin(i * x) / i
    return s


@entry("while_break_on_value", """
function f(x) {
  let p = 1;
  let k = 0;
  while (k < 100) {
    p *= x;
    k++;
    if (p > 1000) {
      break;
    }
  }
  return p + k;
}
""", [{"x": 2.3}, {"x": 0.9}, {"x": -1.7}])
def _(x):
    p = 1
    k = 0
    while k < 100:
        p *= x
        k += 1
        if gt(p, 1000):
            break
    return p + k


@entry("tangent_while_countdown", """
function f(x) {
  let n = x;
  let y = x;
  while (n > 0) {
    n -= 1;
    y = y * Math.cos(y);
  }
  return y;
}
""", [{"x": 2.3}, {"x": 0.6}, {"x": -0.5}])
def _(x):
    n = x
    y = x
    while gt(n, 0):
        n -= 1
        y = y * Math.cos(y)
    return y


@entry("while_decrement_counter", """
function f(x) {
  let i = 5;
  let s = 0;
  while (i > 0) {
    s += Math.cos(x / i);
    i--;
  }
  return s;
}
""", [{"x": 0.5}, {"x": -3.1}])
def _(x):
    i = 5
    s = 0
    while i > 0:
        s += Math.cos(x / i)
        i -= 1
    return s


@entry("tangent_nested_for", """
function f(x, y) {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 3; j++) {
      s += Math.cos(i * x + j * y) / (1 + i + j);
    }
  }
  return s;
}
""", [{"x": 0.5, "y": 1.2}, {"x": -1.1, "y": 0.3}])
def _(x, y):
    s = 0
    for i in range(4):
        for j in range(3):
            s += Math.cos(i * x + j * y) / (1 + i + j)
    return s


@entry("nested_for_triangular", """
function f(x) {
  let s = 0;
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < i; j++) {
      s += x ** (i - j) / (i + 1);
    }
  }
  return s;
}
""", [{"x": 0.5}, {"x": -1.4}])
def _(x):
    s = 0
    for i in range(5):
        for j in range(i):
            s += x ** (i - j) / (i + 1)
    return s


@entry("loop_with_branch", """
function f(x) {
  let s = 0;
  for (let i = 0; i < 8; i++) {
    const t = x + i * 0.7;
    if (Math.sin(t) > 0) {
      s += t * t;
    } else {
      s -= Math.cos(t);
    }
  }
  return s;
}
""", [{"x": 0.2}, {"x": -1.3}])
def _(x):
    s = 0
    for i in range(8):
        t = x + i * 0.7
        if gt(Math.sin(t), 0):
            s += t * t
        else:
            s -= Math.cos(t)
    return s


@entry("loop_product", """
function f(x) {
  let p = 1;
  for (let i = 1; i < 6; i++) {
    p *= 1 + x / i;
  }
  return p;
}
""", [{"x": 0.3}, {"x": -0.8}, {"x": 2.5}])
def _(x):
    p = 1
    for i in range(1, 6):
        p *= 1 + x / i
    return p


@entry("taylor_sine_loop", """
function f(x) {
  let term = x;
  let s = x;
  for (let i = 0; i < 12; i++) {
    term *= -x * x / ((2 * i + 2) * (2 * i + 3));
    s += term;
  }
  return s;
}
""", [{"x": 0.5}, {"x": 2.5}, {"x": -3}])
def _(x):
    term = x
    s = x
    for i in range(12):
        term *= -x * x / ((2 * i + 2) * (2 * i + 3))
        s += term
    return s


@entry("alternating_power_series", """
function f(x) {
  let s = 0;
  for (let k = 1; k < 8; k++) {
    s += (-1) ** (k + 1) * x ** k / k;
  }
  return s;
}
""", [{"x": 0.3}, {"x": -0.6}])
def _(x):
    s = 0
    for k in range(1, 8):
        s += mpf(-1) ** (k + 1) * x ** k / k
    return s


# ----------------------------------------------------------------- helpers ---

@entry("helper_basic", """
function sq(t) {
  return t * t;
}
function f(x, y) {
  return sq(x) + sq(sq(y)) - sq(x - y);
}
""", [{"x": 1.5, "y": 0.5}, {"x": -2, "y": 1.3}])
def _(x, y):
    def sq(t):
        return t * t
    return sq(x) + sq(sq(y)) - sq(x - y)


@entry("helper_declared_after_f", """
function f(x) {
  return cube(x) - 2 * cube(x / 2);
}
function cube(t) {
  return t * t * t;
}
""", [{"x": 1.3}, {"x": -0.6}])
def _(x):
    def cube(t):
        return t * t * t
    return cube(x) - 2 * cube(x / 2)


@entry("helper_calls_helper", """
function inner(a) {
  return Math.exp(-a * a);
}
function middle(a, b) {
  return inner(a) * b + inner(b);
}
function f(x, y) {
  return middle(x, y) - middle(y, x) * x;
}
""", [{"x": 0.5, "y": 1.2}, {"x": -1.1, "y": 0.3}])
def _(x, y):
    def inner(a):
        return Math.exp(-a * a)

    def middle(a, b):
        return inner(a) * b + inner(b)
    return middle(x, y) - middle(y, x) * x


@entry("helper_with_branches", """
function clamp(v, lo, hi) {
  if (v < lo) {
    return lo;
  }
  if (v > hi) {
    return hi;
  }
  return v;
}
function f(x) {
  return clamp(x * x, 0.5, 4) * x;
}
""", [{"x": 0.3}, {"x": 1.2}, {"x": 2.5}, {"x": -1.6}])
def _(x):
    def clamp(v, lo, hi):
        if lt(v, lo):
            return mpf(lo)
        if gt(v, hi):
            return mpf(hi)
        return v
    return clamp(x * x, 0.5, 4) * x


@entry("helper_with_loop", """
function poly(x, n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += x ** i;
  }
  return s;
}
function f(x) {
  return poly(x, 4) / poly(-x, 3);
}
""", [{"x": 0.5}, {"x": -1.5}, {"x": 2}])
def _(x):
    def poly(x, n):
        s = 0
        for i in range(n):
            s += x ** i
        return s
    return poly(x, 4) / poly(-x, 3)


@entry("tangent_fn_multiple_return", """
function pick(a, b) {
  if (a > b) {
    return a - b;
  }
  return a * b;
}
function f(x, y) {
  return pick(x, y) + pick(y * y, x);
}
""", [{"x": 2, "y": 1}, {"x": 0.5, "y": 1.5}, {"x": -1, "y": -0.5}])
def _(x, y):
    def pick(a, b):
        if gt(a, b):
            return a - b
        return a * b
    return pick(x, y) + pick(y * y, x)


@entry("arrow_helper", """
const g = (t) => t * Math.exp(-t);
function f(x) {
  return g(x) + 3 * g(2 * x);
}
""", [{"x": 0.5}, {"x": -0.4}, {"x": 2.2}])
def _(x):
    def g(t):
        return t * Math.exp(-t)
    return g(x) + 3 * g(2 * x)


@entry("arrow_f_with_function_helper", """
function softclip(v) {
  return v / (1 + Math.abs(v));
}
const f = (x, y) => softclip(x) * softclip(y - x);
""", [{"x": 0.5, "y": 2}, {"x": -1.5, "y": -0.2}])
def _(x, y):
    def softclip(v):
        return v / (1 + Math.abs(v))
    return softclip(x) * softclip(y - x)


@entry("helper_param_reassignment_is_local", """
function h(x) {
  x = x + 1;
  return x * x;
}
function f(x) {
  const y = h(x);
  return x * y + h(y);
}
""", [{"x": 0.5}, {"x": -1.7}])
def _(x):
    def h(x):
        x = x + 1
        return x * x
    y = h(x)
    return x * y + h(y)


# ------------------------------------------------------------------ arrays ---

@entry("array_sum_of_squares_for_of", """
function f(a) {
  let s = 0;
  for (const v of a) {
    s += v * v;
  }
  return s;
}
""", [{"a": [1, 2, 3]}, {"a": [-0.5, 1.5, 2.25, 4]}])
def _(a):
    s = 0
    for v in a:
        s += v * v
    return s


@entry("array_dot_product", """
function f(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i] * b[i];
  }
  return s;
}
""", [{"a": [1, 2, 3], "b": [0.5, -1, 2]}, {"a": [-0.3, 1.7, 2.2], "b": [4, 0.1, -0.6]}])
def _(a, b):
    s = 0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


@entry("array_hypot_norm", """
function f(a) {
  return Math.hypot(a[0], a[1], a[2]) / a.length;
}
""", [{"a": [1, 2, 2]}, {"a": [-0.5, 3, 1.5]}])
def _(a):
    return Math.hypot(a[0], a[1], a[2]) / len(a)


@entry("rosenbrock_array", """
function f(x) {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  }
  return s;
}
""", [{"x": [-1.2, 1, 0.8, 1.3]}, {"x": [0.5, 0.3, -0.8, 1.4]}, {"x": [1.1, 1.2, 1.4, 2]}])
def _(x):
    s = 0
    for i in range(len(x) - 1):
        s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2
    return s


@entry("logsumexp_array", """
function f(a) {
  let m = a[0];
  for (let i = 1; i < a.length; i++) {
    if (a[i] > m) {
      m = a[i];
    }
  }
  let s = 0;
  for (const v of a) {
    s += Math.exp(v - m);
  }
  return m + Math.log(s);
}
""", [{"a": [0.5, 2, -1, 1.5]}, {"a": [3, -2, 0.7, 2.9]}, {"a": [-1, -3, -0.2, -5]}])
def _(a):
    m = a[0]
    for i in range(1, len(a)):
        if gt(a[i], m):
            m = a[i]
    s = 0
    for v in a:
        s += Math.exp(v - m)
    return m + Math.log(s)


@entry("logsumexp_math_max", """
function f(a) {
  let m = a[0];
  for (let i = 1; i < a.length; i++) {
    m = Math.max(m, a[i]);
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    s += Math.exp(a[i] - m);
  }
  return m + Math.log(s);
}
""", [{"a": [0.5, 2, -1]}, {"a": [10, 11.5, 9]}])
def _(a):
    m = a[0]
    for i in range(1, len(a)):
        m = Math.max(m, a[i])
    s = 0
    for i in range(len(a)):
        s += Math.exp(a[i] - m)
    return m + Math.log(s)


@entry("softmax_cross_entropy", """
function f(z, t) {
  let m = z[0];
  for (let i = 1; i < z.length; i++) {
    m = Math.max(m, z[i]);
  }
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    s += Math.exp(z[i] - m);
  }
  const lse = m + Math.log(s);
  let loss = 0;
  for (let i = 0; i < z.length; i++) {
    loss -= t[i] * (z[i] - lse);
  }
  return loss;
}
""", [{"z": [1.2, -0.3, 2.5, 0.1], "t": [0, 0, 1, 0]},
      {"z": [0.4, 0.9, -1.7, 0.2], "t": [0.1, 0.7, 0.1, 0.1]}])
def _(z, t):
    m = z[0]
    for i in range(1, len(z)):
        m = Math.max(m, z[i])
    s = 0
    for i in range(len(z)):
        s += Math.exp(z[i] - m)
    lse = m + Math.log(s)
    loss = 0
    for i in range(len(z)):
        loss -= t[i] * (z[i] - lse)
    return loss


@entry("softmax_helper_returns_array", """
function softmax(z) {
  const p = new Array(z.length).fill(0);
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    p[i] = Math.exp(z[i]);
    s += p[i];
  }
  for (let i = 0; i < z.length; i++) {
    p[i] = p[i] / s;
  }
  return p;
}
function f(z) {
  const p = softmax(z);
  return p[0] * 2 - p[2] + p[1] * p[1];
}
""", [{"z": [0.5, 1, -0.5]}, {"z": [-2, 0.3, 1.1]}])
def _(z):
    def softmax(z):
        p = zeros(len(z))
        s = 0
        for i in range(len(z)):
            p[i] = Math.exp(z[i])
            s += p[i]
        for i in range(len(z)):
            p[i] = p[i] / s
        return p
    p = softmax(z)
    return p[0] * 2 - p[2] + p[1] * p[1]


@entry("tanh_mlp", """
function f(w, x) {
  // 2 inputs -> 3 tanh hidden units -> 1 linear output, squared error to 0.5
  const h = new Array(3).fill(0);
  for (let j = 0; j < 3; j++) {
    let a = w[6 + j];
    for (let i = 0; i < 2; i++) {
      a += w[j * 2 + i] * x[i];
    }
    h[j] = Math.tanh(a);
  }
  let out = w[12];
  for (let j = 0; j < 3; j++) {
    out += w[9 + j] * h[j];
  }
  return (out - 0.5) ** 2;
}
""", [{"w": [0.1, -0.4, 0.7, 0.3, -0.2, 0.5, 0.05, -0.1, 0.2, 0.8, -0.6, 0.4, 0.1], "x": [1.5, -0.7]},
      {"w": [-1.2, 0.9, 0.4, -0.3, 1.1, 0.6, 0.3, 0.2, -0.4, -0.5, 1.3, 0.7, -0.2], "x": [0.2, 2.1]}])
def _(w, x):
    h = zeros(3)
    for j in range(3):
        a = w[6 + j]
        for i in range(2):
            a += w[j * 2 + i] * x[i]
        h[j] = Math.tanh(a)
    out = w[12]
    for j in range(3):
        out += w[9 + j] * h[j]
    return (out - 0.5) ** 2


@entry("autograd_logistic_regression", """
function f(w, b) {
  const X = [0.5, 1.0, -1.2, 0.4, 2.0, -0.3, 0.3, 0.8];
  const y = [1, 0, 1, 0];
  let loss = 0;
  for (let i = 0; i < y.length; i++) {
    const z = w[0] * X[2 * i] + w[1] * X[2 * i + 1] + b;
    const p = 1 / (1 + Math.exp(-z));
    loss -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
  }
  return loss / y.length;
}
""", [{"w": [0.3, -0.5], "b": 0.1}, {"w": [-1.1, 0.8], "b": -0.4}])
def _(w, b):
    X = [0.5, 1.0, -1.2, 0.4, 2.0, -0.3, 0.3, 0.8]
    y = [1, 0, 1, 0]
    loss = 0
    for i in range(len(y)):
        z = w[0] * X[2 * i] + w[1] * X[2 * i + 1] + b
        p = 1 / (1 + Math.exp(-z))
        loss -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p)
    return loss / len(y)


@entry("linear_regression_mse", """
function f(w, b) {
  const xs = [1, 2, 3, 4];
  const ys = [2.1, 3.9, 6.2, 7.8];
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const r = w * xs[i] + b - ys[i];
    s += r * r;
  }
  return s / xs.length;
}
""", [{"w": 1.5, "b": 0.2}, {"w": 2.1, "b": -0.3}])
def _(w, b):
    xs = [1, 2, 3, 4]
    ys = [2.1, 3.9, 6.2, 7.8]
    s = 0
    for i in range(len(xs)):
        r = w * xs[i] + b - ys[i]
        s += r * r
    return s / len(xs)


@entry("array_literal_of_expressions", """
function f(x, y) {
  const v = [x, 2 * x, x * y];
  return v[0] * v[1] + v[2] * v.length;
}
""", [{"x": 1.5, "y": -0.5}, {"x": -2, "y": 3}])
def _(x, y):
    v = [x, 2 * x, x * y]
    return v[0] * v[1] + v[2] * len(v)


@entry("array_constant_weights", """
function f(x) {
  const w = [0.2, 0.5, 0.3];
  let s = 0;
  for (let i = 0; i < 3; i++) {
    s += w[i] * Math.exp(-x * (i + 1));
  }
  return s;
}
""", [{"x": 0.5}, {"x": -1.2}])
def _(x):
    w = [0.2, 0.5, 0.3]
    s = 0
    for i in range(3):
        s += w[i] * Math.exp(-x * (i + 1))
    return s


@entry("array_fill_recurrence", """
function f(a) {
  const c = new Array(a.length).fill(0);
  c[0] = a[0];
  for (let i = 1; i < a.length; i++) {
    c[i] = c[i - 1] + a[i] * c[i - 1];
  }
  return c[a.length - 1];
}
""", [{"a": [1.5, 0.2, -0.4, 0.7]}, {"a": [-0.3, 1.1, 0.5, -1.6]}])
def _(a):
    c = zeros(len(a))
    c[0] = a[0]
    for i in range(1, len(a)):
        c[i] = c[i - 1] + a[i] * c[i - 1]
    return c[len(a) - 1]


@entry("array_element_plus_equals", """
function f(a) {
  const acc = new Array(3).fill(0);
  for (let i = 0; i < a.length; i++) {
    acc[i % 3] += a[i] * a[i];
  }
  return acc[0] * acc[1] + acc[2];
}
""", [{"a": [1, 2, 3, 0.5, -1.5]}, {"a": [-0.7, 0.4, 1.3, 2.2, 0.9]}])
def _(a):
    acc = zeros(3)
    for i in range(len(a)):
        acc[i % 3] += a[i] * a[i]
    return acc[0] * acc[1] + acc[2]


@entry("horner_for_of_coefficients", """
function f(c, x) {
  let r = 0;
  for (const ci of c) {
    r = r * x + ci;
  }
  return r;
}
""", [{"c": [2, -3, 0.5, 1], "x": 1.5}, {"c": [0.3, 1.2, -0.7, 2.5], "x": -0.8}])
def _(c, x):
    r = 0
    for ci in c:
        r = r * x + ci
    return r


@entry("polyval_while_decrement", """
function f(c, x) {
  let i = c.length - 1;
  let r = c[i];
  while (i > 0) {
    i--;
    r = r * x + c[i];
  }
  return r;
}
""", [{"c": [2, -3, 0.5, 1], "x": 1.5}, {"c": [0.3, 1.2, -0.7, 2.5], "x": -0.8}])
def _(c, x):
    i = len(c) - 1
    r = c[i]
    while i > 0:
        i -= 1
        r = r * x + c[i]
    return r


@entry("array_mean_variance", """
function f(a) {
  let m = 0;
  for (const v of a) {
    m += v;
  }
  m /= a.length;
  let s = 0;
  for (const v of a) {
    s += (v - m) ** 2;
  }
  return s / (a.length - 1);
}
""", [{"a": [1, 2.5, -0.5, 3]}, {"a": [0.2, 0.9, 1.4, -2.1]}])
def _(a):
    m = 0
    for v in a:
        m += v
    m /= len(a)
    s = 0
    for v in a:
        s += (v - m) ** 2
    return s / (len(a) - 1)


@entry("array_argmax_tracking", """
function f(a) {
  let best = a[0];
  let idx = 0;
  for (let i = 1; i < a.length; i++) {
    if (a[i] > best) {
      best = a[i];
      idx = i;
    }
  }
  return best * (idx + 1) + a[0];
}
""", [{"a": [0.5, 2, -1, 1.5]}, {"a": [3, -2, 0.7, 2.9]}])
def _(a):
    best = a[0]
    idx = 0
    for i in range(1, len(a)):
        if gt(a[i], best):
            best = a[i]
            idx = i
    return best * (idx + 1) + a[0]


@entry("bubble_sort_weighted_sum", """
function f(a) {
  const b = new Array(a.length).fill(0);
  for (let i = 0; i < a.length; i++) {
    b[i] = a[i];
  }
  for (let i = 0; i < b.length; i++) {
    for (let j = 0; j < b.length - 1 - i; j++) {
      if (b[j] > b[j + 1]) {
        const t = b[j];
        b[j] = b[j + 1];
        b[j + 1] = t;
      }
    }
  }
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    s += (i + 1) * b[i] * b[i];
  }
  return s;
}
""", [{"a": [0.5, -2, 1.5, 0.1]}, {"a": [3, 2, 1.2, -0.4]}])
def _(a):
    b = zeros(len(a))
    for i in range(len(a)):
        b[i] = a[i]
    for i in range(len(b)):
        for j in range(len(b) - 1 - i):
            if gt(b[j], b[j + 1]):
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t
    s = 0
    for i in range(len(b)):
        s += (i + 1) * b[i] * b[i]
    return s


@entry("tangent_rnn", """
function f(w, u, xs) {
  let h = 0;
  for (const x of xs) {
    h = Math.tanh(w * h + u * x);
  }
  return h * h;
}
""", [{"w": 0.8, "u": 0.5, "xs": [1, -0.5, 0.3, 2]}, {"w": -1.2, "u": 0.9, "xs": [0.4, 0.1, -1.3, 0.6]}])
def _(w, u, xs):
    h = 0
    for x in xs:
        h = Math.tanh(w * h + u * x)
    return h * h


@entry("matvec_flat_indexing", """
function f(m, v) {
  const out = new Array(2).fill(0);
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 3; j++) {
      out[i] += m[i * 3 + j] * v[j];
    }
  }
  return Math.sin(out[0]) + out[1] ** 2;
}
""", [{"m": [1, 0.5, -0.2, 0.3, -1, 2], "v": [0.4, 1.1, -0.7]},
      {"m": [-0.6, 1.4, 0.9, 0.2, 0.8, -1.5], "v": [1.3, -0.2, 0.5]}])
def _(m, v):
    out = zeros(2)
    for i in range(2):
        for j in range(3):
            out[i] += m[i * 3 + j] * v[j]
    return Math.sin(out[0]) + out[1] ** 2


@entry("array_param_element_write", """
function f(a, x) {
  a[0] = a[0] * x;
  a[1] += a[0];
  return a[0] + a[1] * a[2];
}
""", [{"a": [1, 2, 3], "x": 0.5}, {"a": [-0.4, 1.5, 0.7], "x": -2}])
def _(a, x):
    a[0] = a[0] * x
    a[1] += a[0]
    return a[0] + a[1] * a[2]


@entry("array_l1_norm", """
function f(a) {
  let s = 0;
  for (const v of a) {
    s += Math.abs(v);
  }
  return s;
}
""", [{"a": [1.5, -2, 0.3]}, {"a": [-0.7, -1.1, 2.4]}])
def _(a):
    s = 0
    for v in a:
        s += Math.abs(v)
    return s


@entry("cosine_similarity", """
function f(a, b) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}
""", [{"a": [1, 2, 3], "b": [0.5, -1, 2]}, {"a": [-0.3, 1.7, 2.2], "b": [4, 0.1, -0.6]}])
def _(a, b):
    dot = 0
    na = 0
    nb = 0
    for i in range(len(a)):
        dot += a[i] * b[i]
        na += a[i] * a[i]
        nb += b[i] * b[i]
    return dot / Math.sqrt(na * nb)


@entry("array_sign_weighted", """
function f(a) {
  let s = 0;
  for (const v of a) {
    s += Math.sign(v) * v * v;
  }
  return s;
}
""", [{"a": [1.5, -2, 0.3]}, {"a": [-0.7, -1.1, 2.4]}])
def _(a):
    s = 0
    for v in a:
        s += Math.sign(v) * v * v
    return s


@entry("array_loop_continue_break", """
function f(a) {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 0) {
      continue;
    }
    if (s > 3) {
      break;
    }
    s += Math.sqrt(a[i]) * (i + 1);
  }
  return s;
}
""", [{"a": [0.5, -1, 2, 4, 1.3]}, {"a": [-0.2, 0.3, -0.4, 0.6, 0.1]}])
def _(a):
    s = 0
    for i in range(len(a)):
        if lt(a[i], 0):
            continue
        if gt(s, 3):
            break
        s += Math.sqrt(a[i]) * (i + 1)
    return s


@entry("array_length_from_floor", """
function f(x, n) {
  const k = Math.floor(n);
  const v = new Array(k).fill(0);
  for (let i = 0; i < k; i++) {
    v[i] = Math.cos(x * (i + 1));
  }
  let s = 0;
  for (const t of v) {
    s += t;
  }
  return s;
}
""", [{"x": 0.5, "n": 3.3}, {"x": -1.2, "n": 5.8}])
def _(x, n):
    k = Math.floor(n)
    v = zeros(k)
    for i in range(int(k)):
        v[i] = Math.cos(x * (i + 1))
    s = 0
    for t in v:
        s += t
    return s


@entry("array_helper_in_place_scale", """
function total(a) {
  let s = 0;
  for (const v of a) {
    s += v;
  }
  return s;
}
function f(a, k) {
  const b = [a[0] * k, a[1] * k, a[2] + k];
  b[1] = b[1] * b[0];
  return total(b) * total(a);
}
""", [{"a": [1, 2, 3], "k": 0.5}, {"a": [-0.4, 1.5, 0.7], "k": -2}])
def _(a, k):
    def total(a):
        s = 0
        for v in a:
            s += v
        return s
    b = [a[0] * k, a[1] * k, a[2] + k]
    b[1] = b[1] * b[0]
    return total(b) * total(a)


@entry("tanh_layer_gradient_descent_step", """
function loss(w, x) {
  return (Math.tanh(w * x) - 0.3) ** 2;
}
function f(w, x) {
  let v = w;
  for (let s = 0; s < 3; s++) {
    const g = 2 * (Math.tanh(v * x) - 0.3) * (1 - Math.tanh(v * x) ** 2) * x;
    v = v - 0.5 * g;
  }
  return loss(v, x);
}
""", [{"w": 0.9, "x": 1.3}, {"w": -0.4, "x": 0.7}])
def _(w, x):
    def loss(w, x):
        return (Math.tanh(w * x) - 0.3) ** 2
    v = w
    for s in range(3):
        g = 2 * (Math.tanh(v * x) - 0.3) * (1 - Math.tanh(v * x) ** 2) * x
        v = v - 0.5 * g
    return loss(v, x)


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------

MATH_FUNCS = ("sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh exp expm1 "
              "log log1p log2 log10 sqrt cbrt abs pow max min hypot sign floor ceil round trunc").split()


def params_of(e):
    ps = list(inspect.signature(e["twin"]).parameters)
    src = e["source"]
    m = (re.search(r"function\s+f\s*\(([^)]*)\)", src)
         or re.search(r"const\s+f\s*=\s*\(([^)]*)\)\s*=>", src))
    if not m:
        raise SystemExit("%s: cannot find f's parameter list" % e["name"])
    js = [p.strip() for p in m.group(1).split(",") if p.strip()]
    if js != ps:
        raise SystemExit("%s: JS params %s != twin params %s" % (e["name"], js, ps))
    return ps


def to_mp(v):
    if isinstance(v, list):
        return [mpf(float(t)) for t in v]
    return mpf(float(v))


def call(twin, args):
    # fresh list copies: twins (like the JS) may write into array params
    a = {k: (list(v) if isinstance(v, list) else v) for k, v in args.items()}
    r = twin(**a)
    if isinstance(r, int) and not isinstance(r, bool):
        r = mpf(r)
    if not isinstance(r, mpf):
        raise SystemExit("twin returned %r (%s), expected mpf" % (r, type(r).__name__))
    if not mp.isfinite(r):
        raise SystemExit("twin returned non-finite %s" % r)
    return r


def evaluate(e, params, point, dps):
    mp.dps = dps
    base = {p: to_mp(point[p]) for p in params}
    value = call(e["twin"], base)
    grad = {}
    for p in params:
        if isinstance(base[p], list):
            g = []
            for k in range(len(base[p])):
                def fk(t, p=p, k=k):
                    arr = list(base[p])
                    arr[k] = t
                    return call(e["twin"], dict(base, **{p: arr}))
                g.append(mp.diff(fk, base[p][k]))
            grad[p] = g
        else:
            def fp(t, p=p):
                return call(e["twin"], dict(base, **{p: t}))
            grad[p] = mp.diff(fp, base[p])
    return value, grad


def flat(value, grad, params):
    out = [value]
    for p in params:
        out.extend(grad[p] if isinstance(grad[p], list) else [grad[p]])
    return out


def to_double(x):
    d = to_float(x._mpf_, rnd="n")
    if not math.isfinite(d):
        raise SystemExit("non-finite double %s" % x)
    return d


def dump(doc):
    """Plain JSON, one entry field / one point per line (diff-friendly)."""
    c = lambda v: json.dumps(v, separators=(", ", ": "))
    lines = ['{"generated_by": %s,' % c(doc["generated_by"]), ' "entries": [']
    for i, e in enumerate(doc["entries"]):
        lines.append('  {"name": %s,' % c(e["name"]))
        lines.append('   "source": %s,' % c(e["source"]))
        lines.append('   "params": %s,' % c(e["params"]))
        lines.append('   "points": [')
        for j, p in enumerate(e["points"]):
            lines.append('    %s%s' % (c(p), "," if j + 1 < len(e["points"]) else ""))
        lines.append('   ]}%s' % ("," if i + 1 < len(doc["entries"]) else ""))
    lines.append(' ]}')
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == doc
    return text


def main():
    t0 = time.time()
    names = [e["name"] for e in ENTRIES]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit("duplicate names: %s" % sorted(dup))
    for n in names:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", n):
            raise SystemExit("name not snake_case: %s" % n)
    # every Math function has an entry of its own
    for fn in MATH_FUNCS:
        if "math_" + fn not in names:
            raise SystemExit("no standalone entry for Math.%s" % fn)
    if len(ENTRIES) < 110:
        raise SystemExit("only %d entries" % len(ENTRIES))

    out_entries = []
    npoints = 0
    worst = 99
    for e in ENTRIES:
        params = params_of(e)
        if not 2 <= len(e["at"]) <= 4:
            raise SystemExit("%s: needs 2..4 points" % e["name"])
        pts = []
        for point in e["at"]:
            if sorted(point) != sorted(params):
                raise SystemExit("%s: point %s does not match params %s" % (e["name"], point, params))
            try:
                v60, g60 = evaluate(e, params, point, DPS)
                v80, g80 = evaluate(e, params, point, DPS_CHECK)
            except (TieError, DomainError) as err:
                raise SystemExit("%s at %s: %s" % (e["name"], point, err))
            mp.dps = DPS_CHECK
            a = flat(v60, g60, params)
            b = flat(v80, g80, params)
            scale = max(abs(t) for t in b)
            digits = DPS
            for x60, x80 in zip(a, b):
                den = max(abs(x60), abs(x80), mpf("1e-40") * scale)
                if den == 0:
                    continue
                rel = abs(x60 - x80) / den
                if rel > MAX_DISAGREEMENT:
                    raise SystemExit("%s at %s: 60 vs 80 digits disagree: %s vs %s"
                                     % (e["name"], point, x60, x80))
                if rel > 0:
                    digits = min(digits, int(math.floor(-mpmath.log10(rel))))
            worst = min(worst, digits)
            mp.dps = DPS
            # gradient noise far below everything else is a numerical zero
            tiny = mpf("1e-45") * max(abs(t) for t in a)

            def clean(x):
                return 0.0 if abs(x) < tiny else to_double(x)
            grad = {}
            for p in params:
                grad[p] = [clean(t) for t in g60[p]] if isinstance(g60[p], list) else clean(g60[p])
            pts.append({"at": point, "value": to_double(v60), "gradient": grad, "digits": digits})
            npoints += 1
        out_entries.append({"name": e["name"], "source": e["source"], "params": params, "points": pts})

    doc = {"generated_by": "tests/corpus/make_reference.py (mpmath %s, %d digits)" % (".".join(mpmath.__version__.split(".")[:2]), DPS),
           "entries": out_entries}
    with open(OUT, "w") as fh:
        fh.write(dump(doc))
    print("wrote %s: %d entries, %d points, worst agreement %d digits, %.1fs"
          % (os.path.relpath(OUT), len(out_entries), npoints, worst, time.time() - t0))


if __name__ == "__main__":
    main()
