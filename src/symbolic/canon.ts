// Raw expression -> canonical node (what sympy's sympify does to the printed text): sub, div and
// neg become sums and products with -1 and powers of -1, sqrt becomes a power of 1/2, and the
// Store's constructors flatten, fold and collect. Memoized per raw node, so a raw DAG with a
// huge tree costs only its size in nodes; chains of + and * (loop accumulators) are gathered and
// built in one call instead of one growing sum per step.

import { PRIMITIVES, type Primitive } from '../ir/primitives.ts';
import type { FnOp, SNode, Store } from './node.ts';
import type { Raw } from './raw.ts';
import type { Field } from '../rules/field.ts';

type Prim = Extract<Raw, { k: 'prim' }>;

const SUM: ReadonlySet<Primitive> = new Set<Primitive>(['add', 'sub', 'neg']);
const PRODUCT: ReadonlySet<Primitive> = new Set<Primitive>(['mul', 'div']);
const FUNCTIONS = new Set<string>(PRIMITIVES);

export class Canonicalizer {
  private memo = new Map<Raw, SNode>();
  private refs = new Map<Raw, number>();

  constructor(private S: Store) {}

  canon(root: Raw): SNode {
    const done = this.memo.get(root);
    if (done) return done;
    this.countRefs(root);
    const stack: Raw[] = [root];
    while (stack.length) {
      const n = stack[stack.length - 1];
      if (this.memo.has(n)) { stack.pop(); continue; }
      if (n.k !== 'prim') { this.memo.set(n, this.leaf(n)); stack.pop(); continue; }
      const parts = this.parts(n);
      const pending = parts.map((p) => p.node).filter((x) => !this.memo.has(x));
      if (pending.length) { stack.push(...pending); continue; }
      stack.pop();
      this.memo.set(n, this.build(n, parts));
    }
    return this.memo.get(root)!;
  }

  private leaf(n: Raw): SNode {
    return n.k === 'num' ? this.S.num(n.value) : this.S.sym((n as { name: string }).name);
  }

  private countRefs(root: Raw): void {
    const stack: Raw[] = [root];
    while (stack.length) {
      const n = stack.pop()!;
      if (this.memo.has(n)) continue;
      const seen = this.refs.get(n) ?? 0;
      this.refs.set(n, seen + 1);
      if (seen === 0 && n.k === 'prim') stack.push(...n.args);
    }
  }

  /** The operands a node is built from: for a chain of + or *, the chain's leaves with their signs. */
  private parts(n: Prim): { node: Raw; sign: 1 | -1 }[] {
    const family = SUM.has(n.op) ? SUM : PRODUCT.has(n.op) ? PRODUCT : null;
    if (!family) return n.args.map((node) => ({ node, sign: 1 }));
    const out: { node: Raw; sign: 1 | -1 }[] = [];
    const walk = (x: Raw, sign: 1 | -1, top: boolean) => {
      const inner = x.k === 'prim' && family.has(x.op) && (top || ((this.refs.get(x) ?? 0) <= 1 && !this.memo.has(x)));
      if (!inner) { out.push({ node: x, sign }); return; }
      const p = x as Prim;
      switch (p.op) {
        case 'add': case 'mul': walk(p.args[0], sign, false); walk(p.args[1], sign, false); break;
        case 'sub': case 'div': walk(p.args[0], sign, false); walk(p.args[1], (-sign) as 1 | -1, false); break;
        case 'neg': walk(p.args[0], (-sign) as 1 | -1, false); break;
      }
    };
    // Iterative for the left spine (a + b + c + ... nests to the left), recursive for the rest.
    let x: Raw = n;
    let sign: 1 | -1 = 1;
    const rights: { node: Raw; sign: 1 | -1 }[] = [];
    for (let top = true; ; top = false) {
      const inner = x.k === 'prim' && family.has(x.op) && (top || ((this.refs.get(x) ?? 0) <= 1 && !this.memo.has(x)));
      if (!inner) { out.push({ node: x, sign }); break; }
      const p = x as Prim;
      if (p.op === 'neg') { sign = (-sign) as 1 | -1; x = p.args[0]; continue; }
      rights.push({ node: p.args[1], sign: p.op === 'sub' || p.op === 'div' ? ((-sign) as 1 | -1) : sign });
      x = p.args[0];
    }
    for (let i = rights.length - 1; i >= 0; i--) walk(rights[i].node, rights[i].sign, false);
    return out;
  }

  private build(n: Prim, parts: { node: Raw; sign: 1 | -1 }[]): SNode {
    const S = this.S;
    const get = (r: Raw) => this.memo.get(r)!;
    if (SUM.has(n.op)) return S.add(...parts.map((p) => (p.sign > 0 ? get(p.node) : S.neg(get(p.node)))));
    if (PRODUCT.has(n.op)) {
      const factors = parts.map((p) => (p.sign > 0 ? get(p.node) : S.inv(get(p.node))));
      // sympy builds a product pairwise from the left as it reads it, so 2*(x + 1)*y distributes
      // the 2 before y arrives; short chains are built the same way so that sizes agree.
      if (factors.length <= 64) return factors.reduce((acc, f) => S.mul(acc, f));
      return S.mul(...factors);
    }
    return canonicalPrim(S, n.op, parts.map((p) => get(p.node)));
  }
}

/** One primitive applied to canonical arguments. */
export function canonicalPrim(S: Store, op: Primitive, args: SNode[]): SNode {
  switch (op) {
    case 'add': return S.add(args[0], args[1]);
    case 'sub': return S.sub(args[0], args[1]);
    case 'mul': return S.mul(args[0], args[1]);
    case 'div': return S.div(args[0], args[1]);
    case 'neg': return S.neg(args[0]);
    case 'pow': return S.pow(args[0], args[1]);
    case 'sqrt': return S.sqrt(args[0]);
    default:
      if (!FUNCTIONS.has(op)) throw new Error(`unknown primitive ${op}`);
      return S.fn(op as FnOp, args);
  }
}

/** The rules table's Field over canonical nodes (`ge` needs values, so it is given them). */
export function canonicalField(S: Store, value: (n: SNode) => number): Field<SNode> {
  return {
    constant: (c) => S.num(c),
    prim: (op, args) => canonicalPrim(S, op, args),
    ge: (a, b) => (value(a) >= value(b) ? S.one : S.zero),
  };
}
