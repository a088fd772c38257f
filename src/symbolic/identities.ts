// Identities the simplifier tries, each producing a candidate that is kept only if it is smaller:
// Pythagorean and double-angle identities in sums (sin^2 + cos^2 = 1, cos^2 - sin^2 = cos 2u,
// 1 + tan^2 = 1/cos^2, 1 - tanh^2 = 1/cosh^2, ...), quotients of sines and cosines (sin/cos =
// tan), sin u cos u = sin(2u)/2, and the logistic form e^v/(e^v + 1)^2 = 1/(4 cosh^2(v/2)).

import { addNum, float, isInteger, isZero, mulNum, negNum, rational, type Num } from './number.ts';
import type { FnOp, SNode, Store } from './node.ts';

type Trig = 'sin' | 'cos' | 'tan' | 'sinh' | 'cosh' | 'tanh';
const SQUARED: ReadonlySet<string> = new Set(['sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh']);

interface Term { c: Num; rest: SNode; used: boolean }

/** Factors of a product (or the node itself) with their exponents. */
export function factorsOf(S: Store, n: SNode): { base: SNode; exp: SNode }[] {
  const list = n.kind === 'mul' ? n.args : n === S.one ? [] : [n];
  return list.map((f) => (f.kind === 'pow' ? { base: f.args[0], exp: f.args[1] } : { base: f, exp: S.one }));
}

/** Pythagorean and double-angle identities between pairs of terms of a sum. */
export function trigSum(S: Store, sum: SNode): SNode | null {
  const terms: Term[] = sum.args.map((t) => { const [c, rest] = S.splitCoeff(t); return { c, rest, used: false }; });
  const byRest = new Map<number, number[]>();
  terms.forEach((t, i) => { const l = byRest.get(t.rest.id); if (l) l.push(i); else byRest.set(t.rest.id, [i]); });
  // Every squared trig factor: term i = c * M * f(u)^2.
  interface Sq { i: number; op: Trig; u: SNode; M: SNode }
  const extraTerms: SNode[] = [];
  const squares: Sq[] = [];
  terms.forEach((t, i) => {
    for (const { base, exp } of factorsOf(S, t.rest)) {
      if (base.kind === 'fn' && SQUARED.has(base.op) && exp.kind === 'num' && exp.num.v === 2) {
        squares.push({ i, op: base.op as Trig, u: base.args[0], M: S.mul(t.rest, S.pow(base, S.num(-2))) });
      }
    }
  });
  // expm1(u) M + M = exp(u) M: the derivative of expm1 is expm1 + 1.
  terms.forEach((t, i) => {
    for (const { base, exp } of factorsOf(S, t.rest)) {
      if (base.kind === 'fn' && base.op === 'expm1' && exp === S.one) {
        const M = S.mul(t.rest, S.pow(base, S.minusOne));
        for (const j of byRest.get(M.id) ?? []) {
          if (j === i || terms[j].used || t.used || terms[j].c.v !== t.c.v) continue;
          t.used = true;
          terms[j].used = true;
          extraTerms.push(S.mul(S.numOf(t.c), M, S.fn('exp', base.args.slice())));
        }
      }
    }
  });
  if (squares.length === 0 && extraTerms.length === 0) return null;
  const out: SNode[] = extraTerms;
  const same = (a: Num, b: Num) => a.v === b.v;
  const opposite = (a: Num, b: Num) => isZero(addNum(a, b));
  const f = (op: FnOp, u: SNode) => S.fn(op, [u]);
  const two = (u: SNode) => S.mul(S.num(2), u);
  const emit = (c: Num, M: SNode, g: SNode) => out.push(S.mul(S.numOf(c), M, g));
  for (const a of squares) {
    if (terms[a.i].used) continue;
    const ta = terms[a.i];
    // Pairs of squares with the same M and u.
    for (const b of squares) {
      if (b === a || terms[b.i].used || b.i === a.i || b.M !== a.M || b.u !== a.u) continue;
      const tb = terms[b.i];
      const pair = `${a.op},${b.op}`;
      let done = true;
      if (pair === 'sin,cos' && same(ta.c, tb.c)) emit(ta.c, a.M, S.one);
      else if (pair === 'cos,sin' && opposite(ta.c, tb.c)) emit(ta.c, a.M, f('cos', two(a.u)));
      else if (pair === 'cosh,sinh' && opposite(ta.c, tb.c)) emit(ta.c, a.M, S.one);
      else if (pair === 'cosh,sinh' && same(ta.c, tb.c)) emit(ta.c, a.M, f('cosh', two(a.u)));
      else done = false;
      if (done) { ta.used = true; tb.used = true; break; }
    }
    if (ta.used) continue;
    // A square beside the plain term M: c M (1 + tan^2 u) = c M / cos^2 u, and so on.
    for (const j of byRest.get(a.M.id) ?? []) {
      const tm = terms[j];
      if (tm.used || j === a.i) continue;
      let g: SNode | null = null;
      let c = tm.c;
      if (a.op === 'tan' && same(ta.c, tm.c)) g = S.pow(f('cos', a.u), S.num(-2));
      else if (a.op === 'tanh' && opposite(ta.c, tm.c)) g = S.pow(f('cosh', a.u), S.num(-2));
      else if (a.op === 'sin' && opposite(ta.c, tm.c)) g = S.pow(f('cos', a.u), S.num(2));
      else if (a.op === 'cos' && opposite(ta.c, tm.c)) g = S.pow(f('sin', a.u), S.num(2));
      else if (a.op === 'sinh' && same(ta.c, tm.c)) g = S.pow(f('cosh', a.u), S.num(2));
      else if (a.op === 'cosh' && opposite(ta.c, tm.c)) { g = S.pow(f('sinh', a.u), S.num(2)); c = ta.c; }
      if (g) { emit(c, a.M, g); ta.used = true; tm.used = true; break; }
    }
  }
  if (out.length === 0) return null;
  return S.add(...terms.filter((t) => !t.used).map((t) => S.withCoeff(t.c, t.rest)), ...out);
}

/**
 * In a sum where sin(u) and cos(u) both appear squared, writes every cos^2k as (1 - sin^2)^k (or
 * the reverse), so that like terms can merge once expanded: 2 cos^2 - sin^2 = 2 - 3 sin^2.
 */
export function pythagoreanSubstitutions(S: Store, sum: SNode): SNode[] {
  const found = new Map<number, { u: SNode; ops: Set<string> }>();
  const scan = (n: SNode) => {
    for (const { base, exp } of factorsOf(S, S.splitCoeff(n)[1])) {
      if (base.kind === 'fn' && (base.op === 'sin' || base.op === 'cos') && exp.kind === 'num' && isInteger(exp.num) && exp.num.p >= 2 && exp.num.p % 2 === 0) {
        const e = found.get(base.args[0].id) ?? { u: base.args[0], ops: new Set<string>() };
        e.ops.add(base.op);
        found.set(base.args[0].id, e);
      }
    }
  };
  for (const t of sum.args) scan(t);
  const out: SNode[] = [];
  for (const { u, ops } of found.values()) {
    if (ops.size < 2) continue;
    for (const [from, to] of [['cos', 'sin'], ['sin', 'cos']] as const) {
      const target = S.fn(from, [u]);
      const other = S.fn(to, [u]);
      const replaced = sum.args.map((t) => {
        const [c, rest] = S.splitCoeff(t);
        const fs = factorsOf(S, rest).map(({ base, exp }) => {
          if (base === target && exp.kind === 'num' && isInteger(exp.num) && exp.num.p % 2 === 0) {
            return S.pow(S.sub(S.one, S.pow(other, S.num(2))), S.num(exp.num.p / 2));
          }
          return S.pow(base, exp);
        });
        return S.mul(S.numOf(c), ...fs);
      });
      out.push(S.add(...replaced));
    }
  }
  return out;
}

/** sin^a cos^-a = tan^a, sinh^a cosh^-a = tanh^a, sin u cos u = sin(2u)/2, sinh u cosh u = sinh(2u)/2. */
export function trigProduct(S: Store, m: SNode): SNode | null {
  if (m.kind !== 'mul') return null;
  const fs = factorsOf(S, m);
  const byArg = new Map<string, number>();
  fs.forEach((f, i) => { if (f.base.kind === 'fn' && f.exp.kind === 'num') byArg.set(`${f.base.op}:${f.base.args[0].id}`, i); });
  const used = new Set<number>();
  const extra: SNode[] = [];
  for (const [s, c, t] of [['sin', 'cos', 'tan'], ['sinh', 'cosh', 'tanh']] as const) {
    for (const [key, i] of byArg) {
      if (!key.startsWith(`${s}:`) || used.has(i)) continue;
      const j = byArg.get(`${c}:${key.slice(s.length + 1)}`);
      if (j === undefined || used.has(j)) continue;
      const a = fs[i].exp.num, b = fs[j].exp.num;
      const u = fs[i].base.args[0];
      if (isZero(addNum(a, b))) {
        extra.push(S.pow(S.fn(t, [u]), fs[i].exp));
      } else if (a.v === 1 && b.v === 1) {
        extra.push(S.mul(S.half, S.fn(s, [S.mul(S.num(2), u)])));
      } else continue;
      used.add(i);
      used.add(j);
    }
  }
  if (used.size === 0) return null;
  return S.mul(...fs.filter((_, i) => !used.has(i)).map((f) => S.pow(f.base, f.exp)), ...extra);
}

/** e^v (e^v + 1)^-2 = 1/(4 cosh^2(v/2)) and e^v (e^v - 1)^-2 = 1/(4 sinh^2(v/2)). */
export function logisticProduct(S: Store, m: SNode): SNode | null {
  if (m.kind !== 'mul') return null;
  const fs = factorsOf(S, m);
  const e = fs.findIndex((f) => f.base.kind === 'fn' && f.base.op === 'exp' && f.exp === S.one);
  if (e < 0) return null;
  const ex = fs[e].base;
  const d = fs.findIndex((f) => f.base.kind === 'add' && f.exp.kind === 'num' && f.exp.num.v === -2 && f.base.args.length === 2
    && f.base.args[0].kind === 'num' && Math.abs(f.base.args[0].num.v) === 1 && f.base.args[1] === ex);
  if (d < 0) return null;
  const plus = fs[d].base.args[0].num.v === 1;
  const half = S.mul(S.half, ex.args[0]);
  const g = S.pow(S.fn(plus ? 'cosh' : 'sinh', [half]), S.num(-2));
  return S.mul(S.numOf(rational(1, 4)), g, ...fs.filter((_, i) => i !== e && i !== d).map((f) => S.pow(f.base, f.exp)));
}

/**
 * Products of sines and cosines of multiples of one argument, turned into sums (product to sum):
 * sin a sin b = (cos(a - b) - cos(a + b))/2, and so on; then like terms merge.
 * sin x sin 2x sin 3x has derivative cos(2x)/2 + cos(4x) - 3 cos(6x)/2.
 */
export function linearizeTrig(S: Store, n: SNode): SNode | null {
  const terms = n.kind === 'add' ? n.args : [n];
  let any = false;
  // Per term: the rest M and the trig factors as (kind, multiple) over one shared argument u.
  let u: SNode | null = null;
  const parts: { c: Num; M: SNode; factors: ['s' | 'c', number][] }[] = [];
  for (const t of terms) {
    const [c, rest] = S.splitCoeff(t);
    const factors: ['s' | 'c', number][] = [];
    const others: SNode[] = [];
    for (const { base, exp } of factorsOf(S, rest)) {
      if (base.kind === 'fn' && (base.op === 'sin' || base.op === 'cos') && exp.kind === 'num' && isInteger(exp.num) && exp.num.p > 0 && exp.num.p <= 4) {
        const [k, v] = S.splitCoeff(base.args[0]);
        if (isInteger(k) && (u === null || v === u)) {
          u = v;
          for (let i = 0; i < exp.num.p; i++) factors.push([base.op === 'sin' ? 's' : 'c', k.p]);
          continue;
        }
      }
      others.push(S.pow(base, exp));
    }
    if (factors.length >= 2) any = true;
    if (factors.length > 6) return null;
    parts.push({ c, M: S.mul(...others), factors });
  }
  if (!any || u === null) return null;
  const arg = u;
  const out: SNode[] = [];
  for (const { c, M, factors } of parts) {
    // A trig polynomial: "s:k" or "c:k" -> coefficient.
    let poly = new Map<string, Num>([['c:0', float(1)]]);
    for (const [kind, k] of factors) {
      const next = new Map<string, Num>();
      const add = (f: 's' | 'c', m: number, coef: Num) => {
        if (m < 0) { m = -m; if (f === 's') coef = negNum(coef); }
        if (f === 's' && m === 0) return;
        const key = `${f}:${m}`;
        next.set(key, addNumSafe(next.get(key), coef));
      };
      for (const [key, coef] of poly) {
        const [f, ms] = key.split(':');
        const a = Number(ms);
        const h = mulNum(coef, rational(1, 2));
        if (f === 'c' && kind === 'c') { add('c', a - k, h); add('c', a + k, h); }
        else if (f === 's' && kind === 's') { add('c', a - k, h); add('c', a + k, negNum(h)); }
        else if (f === 's' && kind === 'c') { add('s', a + k, h); add('s', a - k, h); }
        else { add('s', a + k, h); add('s', a - k, negNum(h)); }
      }
      poly = next;
    }
    for (const [key, coef] of poly) {
      if (isZero(coef)) continue;
      const [f, ms] = key.split(':');
      const m = Number(ms);
      const g = f === 'c' && m === 0 ? S.one : S.fn(f === 's' ? 'sin' : 'cos', [S.mul(S.num(m), arg)]);
      out.push(S.mul(S.numOf(mulNum(c, coef)), M, g));
    }
  }
  return S.add(...out);
}

function addNumSafe(a: Num | undefined, b: Num): Num {
  return a ? addNum(a, b) : b;
}


/** u sign(u) = |u| and |u| sign(u) = u, for real u (0 included): the derivative of |u| is sign(u). */
export function signProduct(S: Store, m: SNode): SNode | null {
  if (m.kind !== 'mul') return null;
  const fs = factorsOf(S, m);
  const signs = fs.filter((f) => f.base.kind === 'fn' && f.base.op === 'sign' && f.exp === S.one);
  for (const sg of signs) {
    const u = sg.base.args[0];
    const abs = S.fn('abs', [u]);
    const partner = fs.find((f) => f.exp === S.one && (f.base === u || f.base === abs));
    if (!partner) continue;
    const rest = fs.filter((f) => f !== sg && f !== partner).map((f) => S.pow(f.base, f.exp));
    return S.mul(...rest, partner.base === u ? abs : u);
  }
  return null;
}
