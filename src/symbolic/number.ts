// Numbers in symbolic expressions, as sympy keeps them: exact integers and rationals (1/3 from
// `x / 3` stays a third, so it prints as x/3) and floats (a literal 0.1, folded sin(2)). Exact
// arithmetic falls back to floats when a numerator or denominator leaves the safe-integer range.

export interface Num {
  /** The value as a double. */
  readonly v: number;
  /** Exact numerator and denominator (q > 0, lowest terms) when exact; q === 0 for a float. */
  readonly p: number;
  readonly q: number;
}

const LIMIT = 2 ** 53;

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

export function float(v: number): Num {
  // Integer-valued doubles are integers: 0.5 * 2 is 1, not 1.0 (sympy would keep the Float).
  if (Number.isInteger(v) && Math.abs(v) < LIMIT) return { v: v === 0 ? 0 : v, p: v === 0 ? 0 : v, q: 1 };
  return { v, p: 0, q: 0 };
}

export function int(n: number): Num {
  return float(n);
}

/** The exact rational p/q, or the nearest float when p or q is out of range. */
export function rational(p: number, q: number): Num {
  if (q === 0 || !Number.isSafeInteger(p) || !Number.isSafeInteger(q)) return float(p / q);
  if (q < 0) { p = -p; q = -q; }
  const g = gcd(p, q) || 1;
  p /= g; q /= g;
  if (q === 1) return float(p);
  return { v: p / q, p, q };
}

export const isExact = (a: Num) => a.q !== 0;
export const isInteger = (a: Num) => a.q === 1;
export const isZero = (a: Num) => a.v === 0;
export const isOne = (a: Num) => a.q === 1 && a.p === 1;
export const isMinusOne = (a: Num) => a.q === 1 && a.p === -1;
export const isNegative = (a: Num) => a.v < 0;

export function addNum(a: Num, b: Num): Num {
  if (isExact(a) && isExact(b)) {
    const p = a.p * b.q + b.p * a.q;
    const q = a.q * b.q;
    if (Number.isSafeInteger(p) && Number.isSafeInteger(q)) return rational(p, q);
  }
  return float(a.v + b.v);
}

export function mulNum(a: Num, b: Num): Num {
  if (isExact(a) && isExact(b)) {
    const p = a.p * b.p;
    const q = a.q * b.q;
    if (Number.isSafeInteger(p) && Number.isSafeInteger(q)) return rational(p, q);
  }
  return float(a.v * b.v);
}

export const negNum = (a: Num): Num => (isExact(a) ? rational(-a.p, a.q) : float(-a.v));

export function invNum(a: Num): Num {
  if (isExact(a) && a.p !== 0) return rational(a.q, a.p);
  return float(1 / a.v);
}

export const absNum = (a: Num): Num => (a.v < 0 ? negNum(a) : a);

/** a ** b, exact where the result is rational (integer powers, perfect roots). */
export function powNum(a: Num, b: Num): Num {
  if (isExact(a) && isInteger(b) && Math.abs(b.p) <= 64) {
    let p = 1, q = 1;
    const n = Math.abs(b.p);
    for (let i = 0; i < n; i++) { p *= a.p; q *= a.q; }
    if (Number.isSafeInteger(p) && Number.isSafeInteger(q) && !(p === 0 && b.p < 0)) return b.p < 0 ? rational(q, p) : rational(p, q);
  }
  if (isExact(a) && isExact(b) && b.q > 1 && b.q <= 6 && Math.abs(b.p) <= 64 && a.p >= 0) {
    // A perfect root: 4 ** (1/2) = 2, (8/27) ** (2/3) = 4/9.
    const root = (n: number) => { const r = Math.round(n ** (1 / b.q)); return r ** b.q === n ? r : NaN; };
    const rp = root(a.p), rq = root(a.q);
    if (!Number.isNaN(rp) && !Number.isNaN(rq)) return powNum(rational(rp, rq), float(b.p));
  }
  return float(a.v ** b.v);
}

export function compareNum(a: Num, b: Num): number {
  return a.v - b.v;
}

/** A stable key: exact numbers and floats with the same value stay distinct, as in sympy. */
export function numKey(a: Num): string {
  return isExact(a) ? (a.q === 1 ? String(a.p) : `${a.p}/${a.q}`) : `f${a.v}`;
}

export function gcdNum(a: Num, b: Num): Num {
  // The rational gcd: gcd of numerators over lcm of denominators. Floats have content 1.
  if (!isExact(a) || !isExact(b)) return float(1);
  const g = gcd(a.p, b.p);
  const l = (a.q / gcd(a.q, b.q)) * b.q;
  return Number.isSafeInteger(l) && g ? rational(g, l) : float(1);
}
