// Polynomials over "atoms" (symbols, functions, sums kept whole, and exp(u) standing for the
// family exp(k*u)), with integer exponents that may be negative (Laurent). The simplifier uses
// them to expand, to put sums over a common denominator and to cancel exact polynomial factors.
// Every operation is bounded: past `limit` terms it gives up (returns null) rather than swell.

import { addNum, float, isExact, isInteger, isZero, mulNum, negNum, type Num, invNum } from './number.ts';
import type { SNode, Store } from './node.ts';

type Mono = [number, number][];

interface Term {
  mono: Mono;
  c: Num;
}

export type Poly = Map<string, Term>;

const keyOf = (m: Mono) => m.map(([a, e]) => `${a}^${e}`).join('*');

export class PolyContext {
  private atoms = new Map<number, SNode>();

  constructor(private S: Store, private limit = 160) {}

  /** The atom and exponent a factor stands for: x^3 -> (x, 3); exp(-2x) -> (exp(x), -2). */
  private atomOf(n: SNode): [SNode, number] {
    if (n.kind === 'pow' && n.args[1].kind === 'num' && isInteger(n.args[1].num)) return [n.args[0], n.args[1].num.p];
    if (n.kind === 'fn' && n.op === 'exp') {
      const [c, rest] = this.S.splitCoeff(n.args[0]);
      if (isInteger(c) && rest.kind !== 'num') return [this.S.fn('exp', [rest]), c.p];
    }
    return [n, 1];
  }

  private atom(n: SNode, e: number): Poly {
    this.atoms.set(n.id, n);
    const mono: Mono = [[n.id, e]];
    return new Map([[keyOf(mono), { mono, c: float(1) }]]);
  }

  constant(c: Num): Poly {
    return isZero(c) ? new Map() : new Map([['', { mono: [], c }]]);
  }

  /** The expanded polynomial of n; null when it has more than `limit` terms. */
  fromNode(n: SNode, expand = true): Poly | null {
    switch (n.kind) {
      case 'num': return this.constant(n.num);
      case 'add': {
        let acc: Poly = new Map();
        for (const a of n.args) {
          const p = this.fromNode(a, expand);
          if (!p) return null;
          acc = this.add(acc, p);
          if (acc.size > this.limit) return null;
        }
        return acc;
      }
      case 'mul': {
        let acc: Poly | null = this.constant(float(1));
        for (const a of n.args) {
          const p = this.fromNode(a, expand);
          if (!p) return null;
          acc = this.mul(acc, p);
          if (!acc) return null;
        }
        return acc;
      }
      case 'pow': {
        const [b, e] = n.args;
        if (b.kind === 'add' && expand && e.kind === 'num' && isInteger(e.num) && e.num.p > 0 && e.num.p <= 12) {
          const base = this.fromNode(b, expand);
          return base && this.pow(base, e.num.p);
        }
        const [a, k] = this.atomOf(n);
        if (a.kind === 'add' || a === n) return this.atom(a, k);
        // x^3 over an atom x that is itself reducible (exp(x)^2) stays one atom power.
        const [a2, k2] = this.atomOf(a);
        return this.atom(a2, k2 * k);
      }
      default: {
        const [a, k] = this.atomOf(n);
        return this.atom(a, k);
      }
    }
  }

  toNode(p: Poly): SNode {
    const S = this.S;
    const terms: SNode[] = [];
    for (const { mono, c } of p.values()) {
      terms.push(S.mul(S.numOf(c), ...mono.map(([a, e]) => S.pow(this.atoms.get(a)!, S.num(e)))));
    }
    return S.add(...terms);
  }

  add(a: Poly, b: Poly): Poly {
    const out: Poly = new Map(a);
    for (const [k, t] of b) {
      const prior = out.get(k);
      if (!prior) out.set(k, t);
      else {
        const c = addNum(prior.c, t.c);
        if (isZero(c)) out.delete(k); else out.set(k, { mono: t.mono, c });
      }
    }
    return out;
  }

  scale(a: Poly, c: Num, mono: Mono = []): Poly {
    const out: Poly = new Map();
    for (const t of a.values()) {
      const m = mulMono(t.mono, mono);
      out.set(keyOf(m), { mono: m, c: mulNum(t.c, c) });
    }
    return out;
  }

  neg(a: Poly): Poly {
    return this.scale(a, float(-1));
  }

  mul(a: Poly, b: Poly): Poly | null {
    if (a.size * b.size > this.limit * 8) return null;
    let out: Poly = new Map();
    for (const t of b.values()) {
      out = this.add(out, this.scale(a, t.c, t.mono));
      if (out.size > this.limit) return null;
    }
    return out;
  }

  pow(a: Poly, k: number): Poly | null {
    let out: Poly | null = this.constant(float(1));
    for (let i = 0; i < k; i++) {
      out = this.mul(out, a);
      if (!out) return null;
    }
    return out;
  }

  /** The smallest exponent of each atom over all terms (negative ones say what to clear). */
  minExponents(p: Poly): Map<number, number> {
    const min = new Map<number, number>();
    let first = true;
    for (const t of p.values()) {
      const own = new Map(t.mono);
      if (first) { for (const [a, e] of t.mono) min.set(a, e); first = false; continue; }
      for (const [a, e] of min) min.set(a, Math.min(e, own.get(a) ?? 0));
      for (const [a, e] of t.mono) if (!min.has(a)) min.set(a, Math.min(0, e));
    }
    return min;
  }

  atomNode(id: number): SNode {
    return this.atoms.get(id)!;
  }

  /** Multiplies by the monomial prod atom^e. */
  shift(p: Poly, mono: Mono): Poly {
    return this.scale(p, float(1), mono);
  }

  /** a / b when b divides a exactly (all exponents non-negative), else null. */
  divide(a: Poly, b: Poly): Poly | null {
    if (b.size === 0) return null;
    if (![...a.values(), ...b.values()].every((t) => t.mono.every(([, e]) => e >= 0))) return null;
    const lb = leading(b);
    let r: Poly = new Map(a);
    let q: Poly = new Map();
    for (let steps = 0; r.size > 0; steps++) {
      if (steps > this.limit) return null;
      const lr = leading(r);
      const m = divMono(lr.mono, lb.mono);
      if (!m) return null;
      const c = divNum(lr.c, lb.c);
      if (!c) return null;
      q = this.add(q, new Map([[keyOf(m), { mono: m, c }]]));
      r = this.add(r, this.scale(b, negNum(c), m));
      if (r.has(keyOf(lr.mono))) return null; // inexact floats left a residue
    }
    return q;
  }
}

function mulMono(a: Mono, b: Mono): Mono {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const m = new Map(a);
  for (const [x, e] of b) m.set(x, (m.get(x) ?? 0) + e);
  return [...m].filter(([, e]) => e !== 0).sort((p, q) => p[0] - q[0]);
}

function divMono(a: Mono, b: Mono): Mono | null {
  const m = new Map(a);
  for (const [x, e] of b) {
    const have = m.get(x) ?? 0;
    if (have < e) return null;
    m.set(x, have - e);
  }
  return [...m].filter(([, e]) => e !== 0).sort((p, q) => p[0] - q[0]);
}

function divNum(a: Num, b: Num): Num | null {
  if (isZero(b)) return null;
  const r = mulNum(a, invNum(b));
  return isExact(a) && isExact(b) && !isExact(r) ? null : r;
}

/** Lexicographic order on (atom id, exponent) lists: the leading term for division. */
function leading(p: Poly): Term {
  let best: Term | null = null;
  for (const t of p.values()) if (!best || compareMono(t.mono, best.mono) > 0) best = t;
  return best!;
}

function compareMono(a: Mono, b: Mono): number {
  // Compare exponents atom by atom, smallest atom id first.
  const ids = [...new Set([...a.map(([x]) => x), ...b.map(([x]) => x)])].sort((p, q) => p - q);
  const ma = new Map(a), mb = new Map(b);
  for (const id of ids) {
    const d = (ma.get(id) ?? 0) - (mb.get(id) ?? 0);
    if (d) return d;
  }
  return 0;
}

