// The size of an expression: its operation count by sympy's count_ops rule (sympy/core/function.py),
// so ddx's sizes and sympy's are the same measure. In short: every + - * / ^ and function counts
// one (a product of k factors counts k - 1), a leading minus counts one, a fraction a/b counts one
// division, a rational 1/3 counts a division, sqrt(x) = x^(1/2) counts a power and a division.
// Checked against sympy itself on a fixture (tests/unit/symbolic.test.ts).

import { isExact, isInteger, isMinusOne, isOne, isNegative, negNum, type Num } from './number.ts';
import { hasNegativeSign, type SNode, type Store } from './node.ts';

export class OpCounter {
  private cache = new Map<number, number>();

  constructor(private S: Store) {}

  count(a: SNode): number {
    const hit = this.cache.get(a.id);
    if (hit !== undefined) return hit;
    const c = this.compute(a);
    this.cache.set(a.id, c);
    return c;
  }

  private compute(a: SNode): number {
    switch (a.kind) {
      case 'num': return countNumber(a.num);
      case 'sym': return 0;
      case 'add': {
        let ops = a.args.length - 1;
        let negs = 0;
        for (const t of a.args) {
          if (hasNegativeSign(t)) { negs++; ops += this.count(this.S.neg(t)); } else ops += this.count(t);
        }
        if (negs === a.args.length) ops++;
        return ops;
      }
      case 'mul': return this.countMul(a);
      case 'pow': {
        const e = a.args[1];
        if (e.kind === 'num' && isMinusOne(e.num)) return 1 + this.count(a.args[0]);
        return 1 + this.count(a.args[0]) + this.count(e);
      }
      // max and min are sympy LatticeOps (k - 1 for k arguments): one for ddx's binary ones, like any function.
      case 'fn': return 1 + a.args.reduce((s, x) => s + this.count(x), 0);
    }
  }

  private countMul(a: SNode): number {
    let ops = 0;
    let m: SNode = a;
    if (hasNegativeSign(m)) {
      ops++;
      const c = m.args[0].num;
      if (isMinusOne(c)) {
        const rest = m.args.slice(1);
        m = rest.length === 1 ? rest[0] : this.S.held(rest);
        if (m.kind !== 'mul') return ops + this.count(m);
      } else {
        m = this.S.withCoeff(negNum(c), this.S.splitCoeff(m)[1]);
        if (m.kind !== 'mul') return ops + this.count(m);
      }
    }
    const [n, d] = fraction(this.S, m);
    if (n.kind === 'num' && isInteger(n.num)) {
      ops++;
      if (isNegative(n.num)) ops++;
      return ops + this.count(d);
    }
    if (!(d.kind === 'num' && isOne(d.num))) {
      if (!(d.kind === 'num' && isInteger(d.num))) ops += this.count(d);
      return ops + 1 + this.count(n);
    }
    return ops + m.args.length - 1 + m.args.reduce((s, x) => s + this.count(x), 0);
  }
}

export function countNumber(n: Num): number {
  if (!isExact(n)) return 0;
  if (isOne(n)) return 0;
  return (n.p < 0 ? 1 : 0) + (n.q !== 1 ? 1 : 0);
}

/** sympy's fraction(): a product split into numerator and denominator (both canonical). */
export function fraction(S: Store, m: SNode): [SNode, SNode] {
  if (m.kind !== 'mul') {
    const single = splitFactor(S, m);
    return [single[0] ?? S.one, single[1] ?? S.one];
  }
  const numer: SNode[] = [];
  const denom: SNode[] = [];
  for (const f of m.args) {
    const [n, d] = splitFactor(S, f);
    if (n) numer.push(n);
    if (d) denom.push(d);
  }
  return [S.mul(...numer), S.mul(...denom)];
}

/** One factor's part in the numerator and in the denominator. */
function splitFactor(S: Store, f: SNode): [SNode | null, SNode | null] {
  if (f.kind === 'num') {
    if (isExact(f.num) && !isInteger(f.num)) return [f.num.p !== 1 ? S.num(f.num.p) : null, S.num(f.num.q)];
    return [f, null];
  }
  const ex = f.kind === 'pow' ? f.args[1] : f.kind === 'fn' && f.op === 'exp' ? f.args[0] : null;
  if (!ex) return [f, null];
  const base = (e: SNode) => (f.kind === 'pow' ? S.pow(f.args[0], e) : S.fn('exp', [e]));
  if (ex.kind === 'num') {
    if (isNegative(ex.num)) return [null, isMinusOne(ex.num) && f.kind === 'pow' ? f.args[0] : base(S.neg(ex))];
    return [f, null];
  }
  if (ex.kind === 'mul' && hasNegativeSign(ex)) return [null, base(S.neg(ex))];
  return [f, null];
}
