// Canonical symbolic expressions, hash-consed in a Store: equal expressions are the same object,
// so a DAG is shared and common subexpressions are free to find. The constructors do what sympy
// does automatically (flatten, fold numbers, collect like terms, combine powers of one base,
// x*1, x+0, sin(-x) = -sin(x)), so counting operations on them matches sympy's count_ops.
// Subtraction, division, negation and square roots are not nodes: a - b is a + (-1)*b, a / b is
// a * b^-1, sqrt(a) is a^(1/2); the printer turns them back into readable forms.

import { PRIMITIVES, type Primitive } from '../ir/primitives.ts';
import { RULES } from '../rules/table.ts';
import {
  absNum, addNum, float, isExact, isInteger, isNegative, isOne, isZero, mulNum, negNum,
  numKey, powNum, rational, type Num,
} from './number.ts';

/**
 * Functions outside ddx's language that other systems print (mathjs writes d tan x as sec(x)^2):
 * kept as function nodes when reading their output, so that its size counts as written.
 */
export const FOREIGN = {
  sec: (a: number) => 1 / Math.cos(a), csc: (a: number) => 1 / Math.sin(a), cot: (a: number) => 1 / Math.tan(a),
  sech: (a: number) => 1 / Math.cosh(a), csch: (a: number) => 1 / Math.sinh(a), coth: (a: number) => 1 / Math.tanh(a),
} as const;
export type ForeignFn = keyof typeof FOREIGN;

/** The functions that stay function nodes (the arithmetic primitives and sqrt do not). */
export type FnOp = Exclude<Primitive, 'add' | 'sub' | 'mul' | 'div' | 'neg' | 'pow' | 'sqrt'> | ForeignFn;

export const isForeign = (op: string): op is ForeignFn => Object.prototype.hasOwnProperty.call(FOREIGN, op);

/** The float implementation of a function node's operation. */
export function fnFloat(op: FnOp): (...a: number[]) => number {
  return isForeign(op) ? FOREIGN[op] : RULES[op].float;
}

export type Kind = 'num' | 'sym' | 'add' | 'mul' | 'pow' | 'fn';

export interface SNode {
  readonly id: number;
  readonly kind: Kind;
  readonly args: readonly SNode[];
  /** kind 'num' */
  readonly num: Num;
  /** kind 'sym': the name; kind 'fn': the operation */
  readonly name: string;
  readonly op: FnOp;
  /** A product kept as written, number times sum (2*(x + y)), which the constructors would expand. */
  readonly held: boolean;
  /** No symbols inside. */
  readonly constant: boolean;
  /** Nodes in the expression written out as a tree (the swell measure). */
  readonly nodes: number;
}

const ODD: ReadonlySet<FnOp> = new Set<FnOp>(['sin', 'tan', 'asin', 'atan', 'sinh', 'tanh', 'asinh', 'atanh', 'cbrt', 'sign']);
const EVEN: ReadonlySet<FnOp> = new Set<FnOp>(['cos', 'cosh', 'abs']);

export class Store {
  /** Leaves by key; compound nodes by a numeric hash of kind, operation and argument ids. */
  private leaves = new Map<string, SNode>();
  private buckets = new Map<number, SNode[]>();
  private count = 0;
  private nextId = 0;
  readonly zero: SNode;
  readonly one: SNode;
  readonly minusOne: SNode;
  readonly half: SNode;

  constructor() {
    this.zero = this.num(0);
    this.one = this.num(1);
    this.minusOne = this.num(-1);
    this.half = this.numOf(rational(1, 2));
  }

  get size(): number {
    return this.count;
  }

  private leaf(key: string, make: () => Omit<SNode, 'id'>): SNode {
    let n = this.leaves.get(key);
    if (!n) {
      n = { id: this.nextId++, ...make() };
      this.leaves.set(key, n);
      this.count++;
    }
    return n;
  }

  private make(kind: Kind, args: readonly SNode[], extra: { op?: FnOp; held?: boolean } = {}): SNode {
    const op = extra.op ?? 'exp';
    const held = extra.held ?? false;
    let h = KIND_CODE[kind] * 31 + (held ? 7 : 0) + OP_CODE[op] * 131;
    for (const a of args) h = Math.imul(h ^ a.id, 0x9e3779b1) + 0x7f4a7c15;
    h |= 0;
    const bucket = this.buckets.get(h);
    if (bucket) {
      outer: for (const n of bucket) {
        if (n.kind !== kind || n.op !== op || n.held !== held || n.args.length !== args.length) continue;
        for (let i = 0; i < args.length; i++) if (n.args[i] !== args[i]) continue outer;
        return n;
      }
    }
    let nodes = 1;
    let constant = true;
    for (const a of args) { nodes += a.nodes; if (!a.constant) constant = false; }
    const n: SNode = { id: this.nextId++, kind, args, num: NO_NUM, name: '', op, held, constant, nodes };
    if (bucket) bucket.push(n); else this.buckets.set(h, [n]);
    this.count++;
    return n;
  }

  num(v: number): SNode {
    return this.numOf(float(v));
  }

  numOf(n: Num): SNode {
    return this.leaf(`#${numKey(n)}`, () => ({ kind: 'num', args: [], num: n, name: '', op: 'exp', held: false, constant: true, nodes: 1 }));
  }

  sym(name: string): SNode {
    return this.leaf(`$${name}`, () => ({ kind: 'sym', args: [], num: NO_NUM, name, op: 'exp', held: false, constant: false, nodes: 1 }));
  }

  // ---- sums ----

  add(...xs: SNode[]): SNode {
    let constant = float(0);
    const terms = new Map<number, { rest: SNode; c: Num }>();
    const visit = (t: SNode) => {
      if (t.kind === 'num') { constant = addNum(constant, t.num); return; }
      if (t.kind === 'add') { for (const a of t.args) visit(a); return; }
      const [c, rest] = this.splitCoeff(t);
      const prior = terms.get(rest.id);
      if (prior) prior.c = addNum(prior.c, c);
      else terms.set(rest.id, { rest, c });
    };
    for (const x of xs) visit(x);
    if (Number.isNaN(constant.v)) return this.num(NaN);
    const out: SNode[] = [];
    for (const { rest, c } of terms.values()) {
      if (isZero(c)) continue;
      out.push(this.withCoeff(c, rest));
    }
    if (out.length === 0) return this.numOf(constant);
    if (isZero(constant) && out.length === 1) return out[0];
    out.sort(byId);
    if (!isZero(constant)) out.unshift(this.numOf(constant));
    return this.make('add', out);
  }

  sub(a: SNode, b: SNode): SNode {
    return this.add(a, this.neg(b));
  }

  /** A term as coefficient times the rest: 3*x*y -> [3, x*y]; x -> [1, x]. */
  splitCoeff(t: SNode): [Num, SNode] {
    if (t.kind === 'num') return [t.num, this.one];
    if (t.kind === 'mul' && t.args[0].kind === 'num') {
      const rest = t.args.slice(1);
      return [t.args[0].num, rest.length === 1 ? rest[0] : this.make('mul', rest)];
    }
    return [float(1), t];
  }

  /** c * rest without re-canonicalizing rest (it already is canonical); keeps 2*(x + y) held. */
  withCoeff(c: Num, rest: SNode): SNode {
    if (isZero(c)) return this.zero;
    if (isOne(c)) return rest;
    if (rest.kind === 'num') return this.numOf(mulNum(c, rest.num));
    if (rest === this.one) return this.numOf(c);
    if (rest.kind === 'mul') {
      if (rest.args[0].kind === 'num') return this.withCoeff(mulNum(c, rest.args[0].num), this.make('mul', rest.args.slice(1)));
      return this.make('mul', [this.numOf(c), ...rest.args], { held: rest.held });
    }
    return this.make('mul', [this.numOf(c), rest], { held: rest.kind === 'add' });
  }

  // ---- products ----

  mul(...xs: SNode[]): SNode {
    let coeff = float(1);
    const bases = new Map<number, { base: SNode; exps: SNode[] }>();
    const expArgs: SNode[] = [];
    const visit = (f: SNode) => {
      switch (f.kind) {
        case 'num': coeff = mulNum(coeff, f.num); return;
        case 'mul': for (const a of f.args) visit(a); return;
        case 'fn':
          if (f.op === 'exp') { expArgs.push(f.args[0]); return; }
          break;
        case 'pow': {
          const entry = bases.get(f.args[0].id);
          if (entry) entry.exps.push(f.args[1]);
          else bases.set(f.args[0].id, { base: f.args[0], exps: [f.args[1]] });
          return;
        }
      }
      const entry = bases.get(f.id);
      if (entry) entry.exps.push(this.one);
      else bases.set(f.id, { base: f, exps: [this.one] });
    };
    for (const x of xs) visit(x);
    if (Number.isNaN(coeff.v)) return this.num(NaN);
    if (isZero(coeff)) return this.zero;
    const factors: SNode[] = [];
    let again = false;
    const push = (p: SNode) => {
      if (p.kind === 'num') coeff = mulNum(coeff, p.num);
      else if (p.kind === 'mul') { again = true; factors.push(p); }
      else factors.push(p);
    };
    for (const { base, exps } of bases.values()) {
      const e = exps.length === 1 ? exps[0] : this.add(...exps);
      if (e.kind === 'num' && isZero(e.num)) continue;
      push(this.pow(base, e));
    }
    if (expArgs.length) {
      const e = this.fn('exp', [expArgs.length === 1 ? expArgs[0] : this.add(...expArgs)]);
      if (e.kind === 'fn' && e.op === 'exp') factors.push(e); else { again = true; push(e); }
    }
    if (again) return this.mul(this.numOf(coeff), ...factors);
    if (factors.length === 0) return this.numOf(coeff);
    if (isOne(coeff) && factors.length === 1) return factors[0];
    // sympy distributes a number over a lone sum: 2*(x + y) -> 2*x + 2*y, 0.5*(x + 1) -> 0.5*x + 0.5.
    if (factors.length === 1 && factors[0].kind === 'add' && Number.isFinite(coeff.v)) {
      return this.add(...factors[0].args.map((t) => this.mul(this.numOf(coeff), t)));
    }
    factors.sort(byId);
    if (!isOne(coeff)) factors.unshift(this.numOf(coeff));
    return this.make('mul', factors);
  }

  /** A product kept as written (no distribution of a number over a sum): the factored forms. */
  held(factors: SNode[]): SNode {
    let coeff = float(1);
    const rest: SNode[] = [];
    for (const f of factors) {
      if (f.kind === 'num') coeff = mulNum(coeff, f.num);
      else if (f.kind === 'mul') for (const a of f.args) { if (a.kind === 'num') coeff = mulNum(coeff, a.num); else rest.push(a); }
      else rest.push(f);
    }
    const m = this.mul(...rest);
    return this.withCoeff(coeff, m);
  }

  neg(a: SNode): SNode {
    if (a.kind === 'num') return this.numOf(negNum(a.num));
    if (a.held) { const [c, rest] = this.splitCoeff(a); return this.withCoeff(negNum(c), rest); }
    return this.mul(this.minusOne, a);
  }

  div(a: SNode, b: SNode): SNode {
    return this.mul(a, this.pow(b, this.minusOne));
  }

  inv(a: SNode): SNode {
    return this.pow(a, this.minusOne);
  }

  // ---- powers ----

  pow(b: SNode, e: SNode): SNode {
    if (e.kind === 'num') {
      const n = e.num;
      if (isZero(n)) return this.one;
      if (isOne(n)) return b;
      if (b.kind === 'num') {
        if (b.num.v === Math.E && !isExact(b.num)) return this.fn('exp', [e]);
        // Exact where the result is rational (2^3, 4^(1/2)); otherwise folded to a float.
        return this.numOf(powNum(b.num, n));
      }
      if (isInteger(n)) {
        if (b.kind === 'pow') return this.pow(b.args[0], this.mul(b.args[1], e));
        if (b.kind === 'mul') return this.mul(...b.args.map((a) => this.pow(a, e)));
        // hypot(a, b)^2k = (a^2 + b^2)^k, and |u|^2k = u^2k: squares need no root or sign.
        if (n.p % 2 === 0 && b.kind === 'fn' && b.op === 'hypot') {
          return this.pow(this.add(this.pow(b.args[0], this.num(2)), this.pow(b.args[1], this.num(2))), this.num(n.p / 2));
        }
        if (n.p % 2 === 0 && b.kind === 'fn' && b.op === 'abs') return this.pow(b.args[0], e);
      }
      // sqrt(u^2k) = |u|^k for real u (sympy does the same for real symbols).
      if (Math.abs(n.v) === 0.5 && isExact(n) && b.kind === 'pow' && b.args[1].kind === 'num' && isInteger(b.args[1].num) && b.args[1].num.p % 2 === 0) {
        return this.pow(this.fn('abs', [b.args[0]]), this.num((b.args[1].num.p / 2) * Math.sign(n.v)));
      }
      if (b.kind === 'fn' && b.op === 'exp') return this.fn('exp', [this.mul(b.args[0], e)]);
      if (b.kind === 'mul' && b.args[0].kind === 'num' && b.args[0].num.v > 0) {
        // sympy pulls a positive rational out of a root when the result is exact: sqrt(4x) = 2 sqrt(x).
        const c = powNum(b.args[0].num, n);
        if (isExact(c)) return this.mul(this.numOf(c), this.pow(this.splitCoeff(b)[1], e));
      }
      if (b.kind === 'pow' && b.args[1].kind === 'num' && isExact(n) && isExact(b.args[1].num)) {
        // (x^(1/2))^(1/3) = x^(1/6) and (x^2)^(1/2) stays: only when the inner power is a root.
        const inner = b.args[1].num;
        if (inner.q !== 1 && inner.v > 0 && n.v > 0) return this.pow(b.args[0], this.numOf(mulNum(inner, n)));
      }
    } else {
      if (b.kind === 'num' && isOne(b.num)) return this.one;
      if (b.kind === 'num' && b.num.v === Math.E) return this.fn('exp', [e]);
      if (b.kind === 'fn' && b.op === 'exp') return this.fn('exp', [this.mul(b.args[0], e)]);
    }
    return this.make('pow', [b, e]);
  }

  sqrt(a: SNode): SNode {
    return this.pow(a, this.half);
  }

  // ---- functions ----

  fn(op: FnOp, args: SNode[]): SNode {
    const a = args[0];
    if (args.every((x) => x.kind === 'num')) return this.foldFn(op, args);
    switch (op) {
      case 'exp':
        if (a.kind === 'fn' && a.op === 'log') return a.args[0];
        break;
      case 'log':
        if (a.kind === 'fn' && a.op === 'exp') return a.args[0];
        break;
      case 'abs':
        if (a.kind === 'fn' && (a.op === 'abs' || a.op === 'exp' || a.op === 'cosh')) return a;
        if (a.kind === 'pow' && a.args[1].kind === 'num' && isInteger(a.args[1].num) && a.args[1].num.p % 2 === 0) return a;
        break;
      case 'max':
      case 'min':
        if (args[0] === args[1]) return a;
        break;
    }
    if (args.length === 1 && (ODD.has(op) || EVEN.has(op)) && hasNegativeSign(a)) {
      const inner = this.fn(op, [this.neg(a)]);
      return ODD.has(op) ? this.neg(inner) : inner;
    }
    if ((op === 'floor' || op === 'ceil' || op === 'round' || op === 'trunc') && a.kind === 'fn' && ['floor', 'ceil', 'round', 'trunc', 'sign'].includes(a.op)) return a;
    return this.make('fn', args, { op });
  }

  private foldFn(op: FnOp, args: SNode[]): SNode {
    const n = args[0].num;
    // Keep exact results exact: |-1/3| = 1/3.
    if (op === 'abs') return this.numOf(absNum(n));
    if (op === 'sign') return this.num(Math.sign(n.v));
    return this.num(fnFloat(op)(...args.map((x) => x.num.v)));
  }

  /** Rebuilds a node of the same kind with new arguments (through the canonical constructors). */
  rebuild(n: SNode, args: SNode[]): SNode {
    switch (n.kind) {
      case 'num':
      case 'sym': return n;
      case 'add': return this.add(...args);
      case 'mul': return n.held ? this.held(args) : this.mul(...args);
      case 'pow': return this.pow(args[0], args[1]);
      case 'fn': return this.fn(n.op, args);
    }
  }

  /** -a, as a new canonical node; for a sum, every term negated. */
  negate(a: SNode): SNode {
    return this.neg(a);
  }
}

const NO_NUM: Num = { v: NaN, p: 0, q: 0 };
const KIND_CODE: Record<Kind, number> = { num: 1, sym: 2, add: 3, mul: 4, pow: 5, fn: 6 };
const OP_CODE = Object.fromEntries([...PRIMITIVES, ...Object.keys(FOREIGN)].map((p, i) => [p, i + 1])) as Record<Primitive | ForeignFn, number>;

export const byId = (a: SNode, b: SNode) => a.id - b.id;

/** A negative number, or a product whose numeric coefficient is negative (sympy's _coeff_isneg). */
export function hasNegativeSign(a: SNode): boolean {
  if (a.kind === 'num') return isNegative(a.num);
  return a.kind === 'mul' && a.args[0].kind === 'num' && isNegative(a.args[0].num);
}

export function isNum(a: SNode, v?: number): boolean {
  return a.kind === 'num' && (v === undefined || a.num.v === v);
}

