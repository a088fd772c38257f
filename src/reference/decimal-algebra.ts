// 40-significant-digit arithmetic for the exact reference, over decimal.js (which mathjs ships).
// Every primitive of the table has an implementation here; where decimal.js lacks one (expm1,
// log1p) or differs from JavaScript (round, %), it is computed here to full precision.

import DecimalBase from 'decimal.js';
import type { Primitive } from '../ir/primitives.ts';
import type { Algebra } from '../interp/algebra.ts';

export const REFERENCE_DIGITS = 40;

/** Working precision carries guard digits beyond the 40 reported. */
export const Decimal = DecimalBase.clone({ precision: REFERENCE_DIGITS + 10, rounding: DecimalBase.ROUND_HALF_EVEN, modulo: DecimalBase.ROUND_DOWN, toExpNeg: -100, toExpPos: 100 });
export type Decimal = InstanceType<typeof Decimal>;

const ONE = new Decimal(1);
const tiny = new Decimal(10).pow(-(REFERENCE_DIGITS + 12));

/** The exact value of a double (every double is a finite decimal), not its shortest spelling. */
export function decimalOf(x: number): Decimal {
  if (!Number.isFinite(x)) return new Decimal(x);
  return new Decimal(x.toPrecision(60));
}

/** exp(x) - 1 without cancellation: a power series near 0. */
function expm1(x: Decimal): Decimal {
  if (x.abs().gte(0.5)) return x.exp().minus(1);
  let term = x;
  let sum = x;
  for (let k = 2; term.abs().gt(tiny.times(sum.abs())); k++) {
    term = term.times(x).div(k);
    sum = sum.plus(term);
  }
  return sum;
}

/** ln(1 + x) without cancellation: the series x - x^2/2 + x^3/3 - ... near 0. */
function log1p(x: Decimal): Decimal {
  if (x.abs().gte(0.01)) return x.plus(1).ln();
  let power = x;
  let sum = x;
  for (let k = 2; ; k++) {
    power = power.times(x).neg();
    const term = power.div(k);
    sum = sum.plus(term);
    if (term.abs().lte(tiny.times(sum.abs()))) return sum;
  }
}

const D = (x: number) => new Decimal(x);

export const DECIMAL_PRIMS: { [P in Primitive]: (...a: Decimal[]) => Decimal } = {
  add: (a, b) => a.plus(b),
  sub: (a, b) => a.minus(b),
  mul: (a, b) => a.times(b),
  div: (a, b) => a.div(b),
  neg: (a) => a.neg(),
  pow: (a, b) => a.pow(b),
  mod: (a, b) => a.mod(b),
  sin: (a) => a.sin(), cos: (a) => a.cos(), tan: (a) => a.tan(),
  asin: (a) => a.asin(), acos: (a) => a.acos(), atan: (a) => a.atan(),
  atan2: (a, b) => Decimal.atan2(a, b),
  sinh: (a) => a.sinh(), cosh: (a) => a.cosh(), tanh: (a) => a.tanh(),
  asinh: (a) => a.asinh(), acosh: (a) => a.acosh(), atanh: (a) => a.atanh(),
  exp: (a) => a.exp(), expm1,
  log: (a) => a.ln(), log1p,
  log2: (a) => a.log(2), log10: (a) => a.log(10),
  sqrt: (a) => a.sqrt(), cbrt: (a) => a.cbrt(),
  abs: (a) => a.abs(),
  max: (a, b) => (a.isNaN() || b.isNaN() ? D(NaN) : a.gte(b) ? a : b),
  min: (a, b) => (a.isNaN() || b.isNaN() ? D(NaN) : a.lte(b) ? a : b),
  hypot: (a, b) => Decimal.hypot(a, b),
  sign: (a) => D(a.isNaN() ? NaN : a.isZero() ? 0 : a.isNeg() ? -1 : 1),
  floor: (a) => a.floor(), ceil: (a) => a.ceil(),
  // JavaScript rounds halves up (towards +infinity): Math.round(-2.5) is -2.
  round: (a) => a.toDecimalPlaces(0, Decimal.ROUND_HALF_CEIL),
  trunc: (a) => a.trunc(),
};

export const decimalAlgebra: Algebra<Decimal> = {
  constant: (c) => decimalOf(c),
  prim: (op, args) => DECIMAL_PRIMS[op](...args),
  ge: (a, b) => (a.gte(b) ? ONE : new Decimal(0)),
  value: (v) => v.toNumber(),
};
