// Complex numbers over every primitive, for the complex-step derivative f'(x) ≈ Im f(x + ih) / h.
// Each analytic primitive is the holomorphic extension of its real function (principal branches),
// written so that a tiny imaginary part (1e-20) comes out to full relative precision: no formula
// here subtracts nearly equal numbers to get the imaginary part. The non-analytic primitives follow
// ddx's derivative conventions, deciding by the real part: abs(z) = z·sign(Re z), max/min pick the
// argument with the larger/smaller real part (a tie takes the first), floor/ceil/round/trunc/sign
// are constants, a % b = a - trunc(Re a / Re b)·b. Comparisons and `ge` use the real part.

import type { SourceLocation } from '../errors.ts';
import type { Algebra } from '../interp/algebra.ts';
import type { Primitive } from '../ir/primitives.ts';

export interface Complex {
  re: number;
  im: number;
}

export const cx = (re: number, im = 0): Complex => ({ re, im });

const NAN: Complex = { re: NaN, im: NaN };
const HALF_PI = Math.PI / 2;

// ---- the arithmetic the functions below are built from -------------------------------------

// A zero imaginary part is a strong zero (as a zero tangent is in forward mode): Infinity·0 in a
// cross term would otherwise turn an exact real value's imaginary part into NaN.
const times = (x: number, y: number) => (x === 0 || y === 0 ? 0 : x * y);

function mul(z: Complex, w: Complex): Complex {
  return { re: z.re * w.re - times(z.im, w.im), im: times(z.re, w.im) + times(z.im, w.re) };
}

/** Smith's algorithm: no overflow in c² + d², and the real part is exactly a/c when d = 0. */
function div(z: Complex, w: Complex): Complex {
  const { re: a, im: b } = z;
  const { re: c, im: d } = w;
  if (d === 0) return { re: a / c, im: b === 0 ? 0 : b / c };
  if (Math.abs(c) >= Math.abs(d)) {
    const r = d / c, den = c + d * r;
    return { re: (a + times(b, r)) / den, im: (b - a * r) / den };
  }
  const r = c / d, den = c * r + d;
  return { re: (a * r + b) / den, im: (b * r - a) / den };
}

const neg = (z: Complex): Complex => ({ re: -z.re, im: -z.im });
const iTimes = (z: Complex): Complex => ({ re: -z.im, im: z.re }); // i·z
const minusITimes = (z: Complex): Complex => ({ re: z.im, im: -z.re }); // -i·z

/** ln|a + ib| without overflow, and without cancellation near |z| = 1 or for a tiny b. */
function logAbs(a: number, b: number): number {
  const big = Math.max(Math.abs(a), Math.abs(b)), small = Math.min(Math.abs(a), Math.abs(b));
  if (small === 0) return Math.log(big);
  const r = small / big;
  // ln|z| = ln(big) + ln(1 + r²)/2; for r < 1e-8 the second term is r²/2 to full precision.
  if (r < 1e-8) return Math.log(big) + 0.5 * r * r;
  if (big > 0.5 && big < 2) return 0.5 * Math.log1p((big - 1) * (big + 1) + small * small);
  return Math.log(big) + 0.5 * Math.log1p(r * r);
}

function exp(z: Complex): Complex {
  const m = Math.exp(z.re);
  if (z.im === 0) return { re: m, im: 0 };
  return { re: m * Math.cos(z.im), im: m * Math.sin(z.im) };
}

function log(z: Complex): Complex {
  if (z.im === 0 && z.re >= 0) return { re: Math.log(z.re), im: 0 };
  return { re: logAbs(z.re, z.im), im: Math.atan2(z.im, z.re) };
}

function sqrt(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (b === 0) return a >= 0 ? { re: Math.sqrt(a), im: 0 } : { re: 0, im: Math.sqrt(-a) };
  const m = Math.hypot(a, b);
  if (a >= 0) {
    const t = Math.sqrt((m + a) / 2);
    return { re: t, im: b / (2 * t) };
  }
  const t = Math.sqrt((m - a) / 2);
  return { re: Math.abs(b) / (2 * t), im: b < 0 ? -t : t };
}

/** Integer powers by squaring (exact for x ** 2 at a negative base, as JavaScript computes it). */
function powInteger(z: Complex, n: number): Complex {
  if (z.im === 0) return { re: Math.pow(z.re, n), im: 0 };
  // z^n = a^n (1 + it)^n with t = b/a keeps Re z^n equal to Math.pow(a, n) when t is tiny.
  const scaled = z.re !== 0 && Number.isFinite(z.re) && Math.abs(z.im) <= Math.abs(z.re);
  let base: Complex = scaled ? { re: 1, im: z.im / z.re } : z;
  let acc: Complex = { re: 1, im: 0 };
  for (let k = Math.abs(n); k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) acc = mul(acc, base);
    if (k > 1) base = mul(base, base);
  }
  if (n < 0) acc = div({ re: 1, im: 0 }, acc);
  if (!scaled) return acc;
  const an = Math.pow(z.re, n);
  return { re: an * acc.re, im: an * acc.im };
}

function pow(z: Complex, w: Complex): Complex {
  if (w.im === 0 && Number.isInteger(w.re)) return powInteger(z, w.re);
  if (z.im === 0 && w.im === 0 && z.re >= 0) return { re: Math.pow(z.re, w.re), im: 0 };
  if (z.re === 0 && z.im === 0) return { re: Math.pow(0, w.re), im: 0 };
  // z^w = exp(w ln z) = |z|^c e^(-dθ) (cos φ + i sin φ), φ = d ln|z| + cθ, in polar form so that
  // Re z^w is Math.pow(|z|, c) when the imaginary parts are tiny.
  const theta = Math.atan2(z.im, z.re);
  const r = Math.hypot(z.re, z.im);
  const lnr = logAbs(z.re, z.im);
  const modulus = Math.pow(r, w.re) * (w.im === 0 ? 1 : Math.exp(-w.im * theta));
  const phi = times(w.im, lnr) + w.re * theta;
  return { re: modulus * Math.cos(phi), im: modulus * Math.sin(phi) };
}

/** The real cube root's extension: odd, so cbrt(z) = -cbrt(-z) for Re z < 0 (cut on the imaginary axis). */
function cbrt(z: Complex): Complex {
  if (z.im === 0) return { re: Math.cbrt(z.re), im: 0 };
  if (z.re < 0) return neg(cbrt(neg(z)));
  const m = Math.cbrt(Math.hypot(z.re, z.im));
  const phi = Math.atan2(z.im, z.re) / 3;
  return { re: m * Math.cos(phi), im: m * Math.sin(phi) };
}

function sin(z: Complex): Complex {
  if (z.im === 0) return { re: Math.sin(z.re), im: 0 };
  return { re: Math.sin(z.re) * Math.cosh(z.im), im: Math.cos(z.re) * Math.sinh(z.im) };
}

function cos(z: Complex): Complex {
  if (z.im === 0) return { re: Math.cos(z.re), im: 0 };
  return { re: Math.cos(z.re) * Math.cosh(z.im), im: -Math.sin(z.re) * Math.sinh(z.im) };
}

/** tan(a + ib) = (sin a cos a + i sinh b cosh b) / (cos² a + sinh² b): no cancellation anywhere. */
function tan(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (b === 0) return { re: Math.tan(a), im: 0 };
  if (Math.abs(b) > 20) {
    const s = Math.sinh(b);
    return { re: (Math.sin(a) * Math.cos(a)) / (s * s), im: Math.sign(b) };
  }
  const c = Math.cos(a), sh = Math.sinh(b);
  const c2 = c * c, den = c2 + sh * sh;
  // Math.tan(a)·cos²a/den is exactly Math.tan(a) when sinh² b is below rounding.
  return { re: c2 === 0 ? (Math.sin(a) * c) / den : (Math.tan(a) * c2) / den, im: (sh * Math.cosh(b)) / den };
}

function sinh(z: Complex): Complex {
  if (z.im === 0) return { re: Math.sinh(z.re), im: 0 };
  return { re: Math.sinh(z.re) * Math.cos(z.im), im: Math.cosh(z.re) * Math.sin(z.im) };
}

function cosh(z: Complex): Complex {
  if (z.im === 0) return { re: Math.cosh(z.re), im: 0 };
  return { re: Math.cosh(z.re) * Math.cos(z.im), im: Math.sinh(z.re) * Math.sin(z.im) };
}

/** tanh(a + ib) = (sinh a cosh a + i sin b cos b) / (cosh² a - sin² b). */
function tanh(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (b === 0) return { re: Math.tanh(a), im: 0 };
  const ch = Math.cosh(a), sb = Math.sin(b);
  const ch2 = ch * ch, den = ch2 - sb * sb;
  if (!Number.isFinite(ch2)) return { re: Math.tanh(a), im: 0 };
  return { re: (Math.tanh(a) * ch2) / den, im: (sb * Math.cos(b)) / den };
}

/**
 * atanh(a + ib) = ¼ ln1p(4a / ((1 - a)² + b²)) + ½ i atan2(2b, (1 - a)(1 + a) - b²) for a ≥ 0
 * (Kahan): accurate near the real axis and near ±1.
 */
function atanh(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (b === 0 && Math.abs(a) <= 1) return { re: Math.atanh(a), im: 0 };
  // atanh is odd; with Re z ≥ 0 the log1p argument is positive, so nothing cancels near -1.
  if (a < 0) return neg(atanh(neg(z)));
  const oneMinus = 1 - a;
  return {
    re: 0.25 * Math.log1p((4 * a) / (oneMinus * oneMinus + b * b)),
    im: 0.5 * Math.atan2(2 * b, oneMinus * (1 + a) - b * b),
  };
}

/** atan z = -i atanh(iz). */
function atan(z: Complex): Complex {
  if (z.im === 0) return { re: Math.atan(z.re), im: 0 };
  return minusITimes(atanh(iTimes(z)));
}

/**
 * asin and acos by Hull, Fairgrieve and Tang (1997), "Implementing the complex arcsine and arccosine
 * functions using exception handling", the algorithm behind Boost's and glibc's: both parts to a few
 * ulps everywhere, including a tiny imaginary part near and beyond ±1.
 */
function asinAcosParts(z: Complex): { x: number; y: number; realAsin: number; realAcos: number; imag: number } {
  const x = Math.abs(z.re), y = Math.abs(z.im);
  const xp1 = x + 1, xm1 = x - 1;
  // Far from the cut's ends with y negligible: the first-order formula is exact to rounding and
  // avoids underflow in y².
  if (x < 1 && y < 1e-8 * (1 - x)) {
    return { x, y, realAsin: Math.asin(x), realAcos: Math.acos(x), imag: y / Math.sqrt(-xm1 * xp1) };
  }
  const r = Math.hypot(xp1, y), s = Math.hypot(xm1, y);
  const A = 0.5 * (r + s);
  const B = x / A;
  let realAsin: number, realAcos: number;
  if (B <= 0.6417) {
    realAsin = Math.asin(B);
    realAcos = Math.acos(B);
  } else {
    const apx = A + x;
    if (x <= 1) {
      const t = Math.sqrt(0.5 * apx * ((y * y) / (r + xp1) + (s - xm1)));
      realAsin = Math.atan(x / t);
      realAcos = Math.atan(t / x);
    } else {
      const t = y * Math.sqrt(0.5 * (apx / (r + xp1) + apx / (s + xm1)));
      realAsin = Math.atan(x / t);
      realAcos = Math.atan(t / x);
    }
  }
  let imag: number;
  if (A <= 1.5) {
    const am1 = x < 1
      ? 0.5 * ((y * y) / (r + xp1) + (y * y) / (s - xm1))
      : 0.5 * ((y * y) / (r + xp1) + (s + xm1));
    imag = Math.log1p(am1 + Math.sqrt(am1 * (A + 1)));
  } else {
    imag = Math.log(A + Math.sqrt(A * A - 1));
  }
  return { x, y, realAsin, realAcos, imag };
}

const negativeSign = (v: number) => v < 0 || Object.is(v, -0);

function asin(z: Complex): Complex {
  if (z.im === 0 && Math.abs(z.re) <= 1) return { re: Math.asin(z.re), im: 0 };
  const p = asinAcosParts(z);
  return { re: negativeSign(z.re) ? -p.realAsin : p.realAsin, im: negativeSign(z.im) ? -p.imag : p.imag };
}

function acos(z: Complex): Complex {
  if (z.im === 0 && Math.abs(z.re) <= 1) return { re: Math.acos(z.re), im: 0 };
  const p = asinAcosParts(z);
  return { re: negativeSign(z.re) ? Math.PI - p.realAcos : p.realAcos, im: negativeSign(z.im) ? p.imag : -p.imag };
}

/** asinh z = -i asin(iz). */
function asinh(z: Complex): Complex {
  if (z.im === 0) return { re: Math.asinh(z.re), im: 0 };
  return minusITimes(asin(iTimes(z)));
}

/** acosh z = ±i acos z, the sign that gives Re acosh z ≥ 0. */
function acosh(z: Complex): Complex {
  if (z.im === 0 && z.re >= 1) return { re: Math.acosh(z.re), im: 0 };
  const w = acos(z);
  return w.im <= 0 ? iTimes(w) : minusITimes(w);
}

function log1p(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (b === 0 && a >= -1) return { re: Math.log1p(a), im: 0 };
  // |1 + z|² = 1 + (2a + a² + b²): log1p keeps the small-a case exact.
  const re = Math.abs(a) < 0.5 ? 0.5 * Math.log1p(a * (2 + a) + b * b) : logAbs(1 + a, b);
  return { re, im: Math.atan2(b, 1 + a) };
}

function expm1(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (b === 0) return { re: Math.expm1(a), im: 0 };
  // Re = e^a cos b - 1 = expm1(a) cos b - 2 sin²(b/2).
  const s = Math.sin(b / 2);
  return { re: Math.expm1(a) * Math.cos(b) - 2 * s * s, im: Math.exp(a) * Math.sin(b) };
}

function logBase(z: Complex, realLog: (x: number) => number, ln: number): Complex {
  if (z.im === 0 && z.re >= 0) return { re: realLog(z.re), im: 0 };
  const l = log(z);
  return { re: l.re / ln, im: l.im / ln };
}

/** hypot(z, w) = sqrt(z² + w²), scaled by the larger real part so that it neither overflows nor underflows. */
function hypot(z: Complex, w: Complex): Complex {
  if (z.im === 0 && w.im === 0) return { re: Math.hypot(z.re, w.re), im: 0 };
  const s = Math.max(Math.abs(z.re), Math.abs(w.re));
  if (s === 0 || !Number.isFinite(s)) {
    const r = sqrt({ re: z.re * z.re + w.re * w.re - z.im * z.im - w.im * w.im, im: 2 * (z.re * z.im + w.re * w.im) });
    return Number.isFinite(s) ? r : { re: Infinity, im: NaN };
  }
  const zs = { re: z.re / s, im: z.im / s }, ws = { re: w.re / s, im: w.im / s };
  const sum = { re: zs.re * zs.re + ws.re * ws.re - zs.im * zs.im - ws.im * ws.im, im: 2 * (zs.re * zs.im + ws.re * ws.im) };
  const r = sqrt(sum);
  return { re: s * r.re, im: s * r.im };
}

/**
 * atan2(y, x): atan(y/x) plus the multiple of π that Math.atan2 adds on the real parts' quadrant,
 * or π/2·sign(Re y) - atan(x/y) where |Re y| > |Re x|. Holomorphic off the cut along Re x ≤ 0, y = 0.
 */
function atan2(y: Complex, x: Complex): Complex {
  if (y.im === 0 && x.im === 0) return { re: Math.atan2(y.re, x.re), im: 0 };
  if (Math.abs(x.re) >= Math.abs(y.re) && x.re !== 0) {
    const t = atan(div(y, x));
    const k = Math.round((Math.atan2(y.re, x.re) - Math.atan(y.re / x.re)) / Math.PI);
    return { re: t.re + k * Math.PI, im: t.im };
  }
  if (y.re === 0) return { re: NaN, im: NaN }; // both real parts 0: the origin, where atan2 has no derivative
  const t = atan(div(x, y));
  return { re: Math.sign(y.re) * HALF_PI - t.re, im: -t.im };
}

/** JavaScript's % (truncated): Re is exactly Re a % Re b; the quotient is constant between jumps. */
function mod(a: Complex, b: Complex): Complex {
  const r = a.re % b.re;
  if (a.im === 0 && b.im === 0) return { re: r, im: 0 };
  const q = Math.round((a.re - r) / b.re);
  return { re: r, im: a.im - times(q, b.im) };
}

const realOnly = (f: (x: number) => number) => (z: Complex): Complex => ({ re: f(z.re), im: 0 });
const isNaNz = (z: Complex) => Number.isNaN(z.re);

type ComplexImpl = (...args: Complex[]) => Complex;

/** Every primitive over complex numbers; keyed by Primitive, so a missing one does not compile. */
export const COMPLEX_PRIMS: { [P in Primitive]: ComplexImpl } = {
  add: (z, w) => ({ re: z.re + w.re, im: z.im + w.im }),
  sub: (z, w) => ({ re: z.re - w.re, im: z.im - w.im }),
  mul,
  div,
  neg,
  pow,
  mod,
  sin, cos, tan, asin, acos, atan, atan2,
  sinh, cosh, tanh, asinh, acosh, atanh,
  exp, expm1, log, log1p,
  log2: (z) => logBase(z, Math.log2, Math.LN2),
  log10: (z) => logBase(z, Math.log10, Math.LN10),
  sqrt, cbrt,
  // |z| along the real axis: z·sign(Re z), so d|x| = sign(x) dx (0 at 0, ddx's convention).
  abs: (z) => (z.re > 0 ? z : z.re < 0 ? neg(z) : isNaNz(z) ? NAN : { re: 0, im: 0 }),
  // A tie takes the first argument, as the rules table's partials do.
  max: (z, w) => (isNaNz(z) || isNaNz(w) ? NAN : z.re >= w.re ? z : w),
  min: (z, w) => (isNaNz(z) || isNaNz(w) ? NAN : z.re <= w.re ? z : w),
  hypot,
  sign: realOnly(Math.sign),
  floor: realOnly(Math.floor),
  ceil: realOnly(Math.ceil),
  round: realOnly(Math.round),
  trunc: realOnly(Math.trunc),
};

/** The interpreter's view: constants are real, and branches, indices and `ge` read the real part. */
export const complexAlgebra: Algebra<Complex> = {
  constant: (c) => ({ re: c, im: 0 }),
  prim: (op: Primitive, args: Complex[], _loc?: SourceLocation) => COMPLEX_PRIMS[op](...args),
  ge: (a, b) => ({ re: a.re >= b.re ? 1 : 0, im: 0 }),
  value: (z) => z.re,
};
