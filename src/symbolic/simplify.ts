// The simplifier: bottom up over the canonical DAG (memoized, so shared subexpressions are
// simplified once), each node rebuilt from its simplified parts and then compared with a few
// rewritten candidates; the smallest by operation count (sympy's count_ops) wins, so no rewrite
// can make a result larger. Candidates: common factors pulled out of sums (2x + 2y = 2(x + y)),
// sums over a common denominator with exact polynomial factors cancelled, expansion, negative
// powers cleared from sums (e^-x/(1 + e^-x)^2 = e^x/(e^x + 1)^2), and the trig, hyperbolic and
// logistic identities of identities.ts. Work and polynomial sizes are bounded, so it never hangs.

import { OpCounter } from './count.ts';
import { linearizeTrig, logisticProduct, signProduct, pythagoreanSubstitutions, trigProduct, trigSum, factorsOf } from './identities.ts';
import { addNum, float, gcdNum, absNum, isExact, isInteger, isNegative, isOne, negNum, type Num } from './number.ts';
import type { SNode, Store } from './node.ts';
import { PolyContext, type Poly } from './poly.ts';

export interface SimplifyOptions {
  /** Candidate rewrites tried in total before the simplifier stops trying (keeps what it has). */
  workLimit?: number;
  /** Largest polynomial (in terms) the simplifier expands or divides. */
  polyLimit?: number;
}

const MAX_DEPTH = 1500;
/** Polynomial work (expansion, common denominators, division) only on expressions this small as trees. */
const POLY_NODES = 200;

export class Simplifier {
  private memo = new Map<number, SNode>();
  private busy = new Set<number>();
  private work = 0;
  private depth = 0;
  private readonly workLimit: number;
  private readonly poly: PolyContext;
  /** Set when the work limit cut simplification short. */
  exhausted = false;

  constructor(private S: Store, private K: OpCounter, options: SimplifyOptions = {}) {
    this.workLimit = options.workLimit ?? 200_000;
    this.poly = new PolyContext(S, options.polyLimit ?? 64);
  }

  simplify(n: SNode): SNode {
    if (n.kind === 'num' || n.kind === 'sym') return n;
    const hit = this.memo.get(n.id);
    if (hit) return hit;
    if (this.busy.has(n.id) || this.depth > MAX_DEPTH) return n;
    this.busy.add(n.id);
    this.depth++;
    try {
      const args = n.args.map((a) => this.simplify(a));
      const base = args.every((a, i) => a === n.args[i]) ? n : this.S.rebuild(n, args);
      let best = base;
      if (base !== n && base.kind !== 'num' && base.kind !== 'sym' && !this.memo.has(base.id) && !this.busy.has(base.id)) {
        best = this.simplify(base);
      } else {
        for (const c of this.candidates(base)) if (c && this.better(c, best)) best = c;
      }
      // Simplifying the parts first is greedy: a sum of fractions may only collapse when put over
      // a common denominator as it was built, before its terms were rewritten one by one.
      if (base !== n && n.kind === 'add' && n.nodes <= POLY_NODES) {
        const whole = this.again(this.together(n));
        if (whole && this.better(whole, best)) best = whole;
        const linear = this.again(linearizeTrig(this.S, this.expand(n) ?? n));
        if (linear && this.better(linear, best)) best = linear;
      }
      this.memo.set(n.id, best);
      this.memo.set(best.id, best);
      return best;
    } finally {
      this.depth--;
      this.busy.delete(n.id);
    }
  }

  /** Smaller by operation count; at a tie, fewer minus signs (easier to read), then fewer nodes. */
  private better(a: SNode, b: SNode): boolean {
    const ca = this.K.count(a), cb = this.K.count(b);
    if (ca !== cb) return ca < cb;
    const na = this.minuses(a), nb = this.minuses(b);
    return na < nb || (na === nb && a.nodes < b.nodes);
  }

  private minusMemo = new Map<number, number>();

  /** Negative coefficients anywhere in the expression (shared parts counted once). */
  private minuses(n: SNode): number {
    const hit = this.minusMemo.get(n.id);
    if (hit !== undefined) return hit;
    let m = (n.kind === 'num' && isNegative(n.num)) || (n.kind === 'mul' && n.args[0].kind === 'num' && isNegative(n.args[0].num)) ? 1 : 0;
    for (const a of n.args) {
      if (n.kind === 'mul' && a === n.args[0] && a.kind === 'num') continue;
      if (n.kind === 'pow' && a === n.args[1] && a.kind === 'num') continue; // x^-2 prints as 1/x^2
      m += this.minuses(a);
    }
    this.minusMemo.set(n.id, m);
    return m;
  }

  private *candidates(n: SNode): Generator<SNode | null> {
    this.work += n.args.length + 1;
    if (this.work > this.workLimit) { this.exhausted = true; return; }
    const S = this.S;
    // A node whose tree is large (a traced Newton iteration, say) may be a small DAG: only the
    // rewrites that look at its arguments, never those that walk the whole tree.
    const small = n.nodes <= POLY_NODES;
    switch (n.kind) {
      case 'add': {
        const trig = trigSum(S, n);
        if (trig) yield this.again(trig);
        yield* this.factorTerms(n);
        if (!small) break;
        yield* this.collect(n);
        yield this.again(linearizeTrig(S, this.expand(n) ?? n));
        yield this.together(n);
        if (this.hasProductOfSums(n)) yield this.expand(n);
        for (const p of pythagoreanSubstitutions(S, n)) yield this.again(this.expand(p) ?? p);
        break;
      }
      case 'mul': {
        const t = trigProduct(S, n);
        if (t) yield this.again(t);
        const sign = signProduct(S, n);
        if (sign) yield this.again(sign);
        yield logisticProduct(S, n);
        if (!small) break;
        const cleared = this.clearNegativePowers(n);
        if (cleared) {
          yield cleared;
          yield logisticProduct(S, cleared);
        }
        yield this.cancelFactors(n);
        if (this.hasProductOfSums(n)) yield this.expand(n);
        yield this.flipSign(n);
        yield* this.factorsTogether(n);
        break;
      }
      case 'pow': {
        const [b, e] = n.args;
        if (b.kind === 'add' && small) {
          for (const f of this.factorTerms(b)) if (f) yield S.pow(f, e);
          const cleared = this.clearNegativePowers(n);
          if (cleared) yield cleared;
        }
        break;
      }
    }
  }

  /** A rewritten node simplified in turn (guarded against cycles by the busy set). */
  private again(n: SNode | null): SNode | null {
    if (!n) return null;
    return this.busy.has(n.id) ? n : this.simplify(n);
  }

  private hasProductOfSums(n: SNode): boolean {
    const sumInside = (t: SNode) => factorsOf(this.S, this.S.splitCoeff(t)[1]).some(({ base, exp }) => base.kind === 'add' && exp.kind === 'num' && isInteger(exp.num) && exp.num.p > 0);
    return n.kind === 'add' ? n.args.some(sumInside) : sumInside(n);
  }

  expand(n: SNode): SNode | null {
    const p = this.poly.fromNode(n);
    return p ? this.poly.toNode(p) : null;
  }

  /**
   * Pulls the numeric content and the common factors out of a sum: 6x^2 y + 4x y^2 =
   * 2x y (3x + 2y). Yields the form with the content positive and with it negative.
   */
  *factorTerms(sum: SNode): Generator<SNode | null> {
    const S = this.S;
    const terms = sum.args.map((t) => {
      const [c, rest] = S.splitCoeff(t);
      return { c, factors: new Map(factorsOf(S, rest).map((f) => [f.base.id, f])) };
    });
    // Numeric content: the rational gcd, or for floats the smallest coefficient if it divides all.
    let g: Num;
    if (terms.every((t) => isExact(t.c))) g = terms.reduce((acc, t) => gcdNum(acc, t.c), terms[0].c);
    else {
      const smallest = terms.reduce((m, t) => (Math.abs(t.c.v) < Math.abs(m.v) ? t.c : m), terms[0].c);
      g = terms.every((t) => Number.isInteger(t.c.v / smallest.v)) ? absNum(smallest) : float(1);
    }
    g = absNum(g);
    // Common factors at their smallest power (x^2 y + x y^2 = x y (x + y)); for powers that are
    // all negative, also at the largest, which keeps a fraction inside: cos/x - sin/x^2 =
    // (cos - sin/x)/x, one operation less than (x cos - sin)/x^2.
    const common: SNode[] = [];
    const partial: SNode[] = [];
    for (const [id, f] of terms[0].factors) {
      const exps = terms.map((t) => t.factors.get(id)?.exp);
      if (exps.some((e) => e === undefined)) continue;
      const es = exps as SNode[];
      if (es.every((e) => e.kind === 'num')) {
        const min = es.reduce((m, e) => (e.num.v < m.num.v ? e : m));
        const max = es.reduce((m, e) => (e.num.v > m.num.v ? e : m));
        common.push(S.pow(f.base, min));
        partial.push(S.pow(f.base, max.num.v < 0 ? max : min));
      } else if (es.every((e) => e === es[0])) {
        common.push(S.pow(f.base, es[0]));
        partial.push(S.pow(f.base, es[0]));
      }
    }
    if (isOne(g) && common.length === 0) {
      // Even with no content, a sum that is all negative reads better negated: -(a + b).
      if (sum.args.every((t) => isNegative(S.splitCoeff(t)[0]))) yield S.held([S.minusOne, this.again(S.neg(sum)) ?? S.neg(sum)]);
      return;
    }
    const variants = partial.some((p, i) => p !== common[i]) ? [common, partial] : [common];
    for (const factors of variants) {
      const divisor = S.mul(S.numOf(g), ...factors);
      const inner = S.add(...sum.args.map((t) => S.div(t, divisor)));
      const simpler = this.again(inner) ?? inner;
      yield S.held([S.numOf(g), ...factors, simpler]);
      const negated = this.again(S.neg(inner)) ?? S.neg(inner);
      yield S.held([S.numOf(negNum(g)), ...factors, negated]);
    }
  }

  /**
   * Some terms of a sum share a factor the others lack: x^x ln x + x^x + y = x^x (ln x + 1) + y.
   * Tries the few factors shared by the most terms.
   */
  *collect(sum: SNode): Generator<SNode | null> {
    const S = this.S;
    const where = new Map<number, { base: SNode; terms: number[]; polynomial: boolean }>();
    sum.args.forEach((t, i) => {
      for (const { base, exp } of factorsOf(S, S.splitCoeff(t)[1])) {
        const e = where.get(base.id) ?? { base, terms: [], polynomial: true };
        e.terms.push(i);
        if (base.kind !== 'sym' || exp.kind !== 'num') e.polynomial = false;
        where.set(base.id, e);
      }
    });
    // Plain symbols are left alone: collecting them turns 3x^2 - 4x + 5 into Horner's x(3x - 4) + 5,
    // smaller by a count but harder to read.
    const shared = [...where.values()].filter((e) => !e.polynomial && e.terms.length >= 2 && e.terms.length < sum.args.length).sort((a, b) => b.terms.length - a.terms.length).slice(0, 3);
    for (const { terms } of shared) {
      const group = S.add(...terms.map((i) => sum.args[i]));
      if (group.kind !== 'add') continue;
      const rest = sum.args.filter((_, i) => !terms.includes(i));
      for (const f of this.factorTerms(group)) if (f) yield S.add(f, ...rest);
    }
  }

  /**
   * A sum over its common denominator, expanded, with the denominator's exact polynomial and
   * monomial factors cancelled: 1/(x^2 + 1) - 2x^2/(x^2 + 1)^2 = (1 - x^2)/(x^2 + 1)^2.
   */
  together(sum: SNode): SNode | null {
    const S = this.S;
    const parts = sum.args.map((t) => {
      const den = new Map<number, { base: SNode; e: Num }>();
      const num: SNode[] = [];
      for (const f of factorsOf(S, t)) {
        if (f.exp.kind === 'num' && isNegative(f.exp.num)) den.set(f.base.id, { base: f.base, e: negNum(f.exp.num) });
        else num.push(S.pow(f.base, f.exp));
      }
      return { num, den };
    });
    if (parts.every((p) => p.den.size === 0)) return null;
    const lcd = new Map<number, { base: SNode; e: Num }>();
    for (const p of parts) for (const [id, d] of p.den) { const have = lcd.get(id); if (!have || d.e.v > have.e.v) lcd.set(id, d); }
    const numerators = parts.map((p) => S.mul(...p.num, ...[...lcd].map(([id, d]) => S.pow(d.base, S.numOf(addNum(d.e, negNum(p.den.get(id)?.e ?? float(0))))))));
    const N = S.add(...numerators);
    let P = this.poly.fromNode(N);
    const remaining = new Map([...lcd].map(([id, d]) => [id, d.e]));
    if (P) {
      for (const [id, d] of lcd) {
        let k = d.e;
        if (d.base.kind === 'add' && isInteger(k)) {
          const divisor = this.poly.fromNode(d.base);
          while (divisor && P && k.v > 0) {
            const q: Poly | null = this.poly.divide(P, divisor);
            if (!q) break;
            P = q;
            k = addNum(k, float(-1));
          }
        }
        remaining.set(id, k);
      }
    }
    const Nnode = P ? this.poly.toNode(P) : N;
    const top = this.again(Nnode) ?? Nnode;
    return S.mul(top, ...[...lcd].map(([id, d]) => S.pow(d.base, S.numOf(negNum(remaining.get(id)!)))));
  }

  /**
   * Sums with negative powers inside, rewritten with the negative powers pulled out, so that a
   * fraction's sums become polynomials: (1 + e^-x)^-2 = e^2x (e^x + 1)^-2, (x + 1/x) = (x^2 + 1)/x.
   */
  clearNegativePowers(n: SNode): SNode | null {
    const S = this.S;
    let changed = false;
    // Only sums with a negative power in some term (x^-1, exp(-x)) have anything to clear.
    // Sums below the line (x/(x + 1)) are left to `together`: clearing them here nests fractions.
    const negativeInside = (sum: SNode) => sum.args.some((t) => factorsOf(S, S.splitCoeff(t)[1]).some(({ base, exp }) =>
      (exp.kind === 'num' && isNegative(exp.num) && base.kind !== 'add') || (base.kind === 'fn' && base.op === 'exp' && S.splitCoeff(base.args[0])[0].v < 0)));
    const factors = factorsOf(S, n).map(({ base, exp }) => {
      if (base.kind !== 'add' || !negativeInside(base)) return S.pow(base, exp);
      const P = this.poly.fromNode(base, false);
      if (!P) return S.pow(base, exp);
      const shift: [number, number][] = [];
      for (const [atom, e] of this.poly.minExponents(P)) if (e < 0 && this.poly.atomNode(atom).kind !== 'add') shift.push([atom, -e]);
      if (shift.length === 0) return S.pow(base, exp);
      changed = true;
      shift.sort((a, b) => a[0] - b[0]);
      const inner = this.poly.toNode(this.poly.shift(P, shift));
      const outer = S.mul(...shift.map(([a, e]) => S.pow(this.poly.atomNode(a), S.num(-e))));
      return S.mul(S.pow(outer, exp), S.pow(this.again(inner) ?? inner, exp));
    });
    if (!changed) return null;
    return this.again(S.mul(...factors));
  }

  /**
   * A product with a sum of fractions among its factors, that sum put over its denominator: what
   * is larger alone may cancel against the other factors. (1 - x^2/(|x| + 1)^2) (|x| + 1)^2 =
   * (|x| + 1)^2 - x^2 = 2|x| + 1.
   */
  *factorsTogether(m: SNode): Generator<SNode | null> {
    const S = this.S;
    const fs = factorsOf(S, m);
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      if (f.base.kind !== 'add' || f.exp.kind !== 'num' || !isInteger(f.exp.num)) continue;
      const whole = this.together(f.base);
      if (!whole || whole === f.base) continue;
      yield this.again(S.mul(...fs.map((g, j) => (j === i ? S.pow(whole, g.exp) : S.pow(g.base, g.exp)))));
    }
  }

  /** -400 x (y - x^2) = 400 x (x^2 - y): the sign moved into a sum, for fewer minus signs. */
  flipSign(m: SNode): SNode | null {
    const S = this.S;
    const fs = factorsOf(S, m);
    const i = fs.findIndex((f) => f.base.kind === 'add' && f.exp === S.one);
    if (i < 0 || !(m.args[0].kind === 'num' && isNegative(m.args[0].num))) return null;
    const others = fs.filter((_, j) => j !== i).map((f) => S.pow(f.base, f.exp));
    return S.held([S.neg(S.mul(...others)), S.neg(fs[i].base)]);
  }

  /** Exact division between a product's sums above and below the line: (x^2 - 1)/(x - 1) = x + 1. */
  cancelFactors(m: SNode): SNode | null {
    const S = this.S;
    const fs = factorsOf(S, m);
    const ups = fs.filter((f) => f.base.kind === 'add' && f.exp.kind === 'num' && isInteger(f.exp.num) && f.exp.num.p > 0);
    const downs = fs.filter((f) => f.base.kind === 'add' && f.exp.kind === 'num' && isInteger(f.exp.num) && f.exp.num.p < 0);
    if (!ups.length || !downs.length) return null;
    for (const up of ups) {
      const P = this.poly.fromNode(up.base);
      if (!P) continue;
      for (const down of downs) {
        const D = this.poly.fromNode(down.base);
        const q = P && D && this.poly.divide(P, D);
        if (!q) continue;
        const rest = fs.filter((f) => f !== up && f !== down).map((f) => S.pow(f.base, f.exp));
        const upLeft = S.pow(up.base, S.num(up.exp.num.p - 1));
        const downLeft = S.pow(down.base, S.num(down.exp.num.p + 1));
        return this.again(S.mul(...rest, upLeft, downLeft, this.poly.toNode(q)));
      }
    }
    return null;
  }
}

