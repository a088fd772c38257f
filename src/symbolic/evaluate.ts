// Evaluates canonical expressions in floats at a point (the symbolic engine's gradient is the
// simplified derivative evaluated here). Memoized per node, so a shared DAG costs its size once.

import { fnFloat, type SNode } from './node.ts';

export class Evaluator {
  private memo = new Map<number, number>();

  constructor(private env: Map<string, number>) {}

  value(root: SNode): number {
    const hit = this.memo.get(root.id);
    if (hit !== undefined) return hit;
    // Post-order with an explicit stack: traced loops nest deeply.
    const stack: SNode[] = [root];
    while (stack.length) {
      const n = stack[stack.length - 1];
      if (this.memo.has(n.id)) { stack.pop(); continue; }
      const pending = n.args.filter((a) => !this.memo.has(a.id));
      if (pending.length) { stack.push(...pending); continue; }
      stack.pop();
      this.memo.set(n.id, this.compute(n));
    }
    return this.memo.get(root.id)!;
  }

  private compute(n: SNode): number {
    const v = (a: SNode) => this.memo.get(a.id)!;
    switch (n.kind) {
      case 'num': return n.num.v;
      case 'sym': {
        const x = this.env.get(n.name);
        if (x === undefined) throw new Error(`no value for the symbol ${n.name}`);
        return x;
      }
      case 'add': { let s = 0; for (const a of n.args) s += v(a); return s; }
      case 'mul': { let p = 1; for (const a of n.args) p *= v(a); return p; }
      case 'pow': return powFloat(v(n.args[0]), v(n.args[1]));
      case 'fn': return fnFloat(n.op)(...n.args.map(v));
    }
  }
}

/** b ** e, with square roots taken by Math.sqrt (correctly rounded) rather than Math.pow. */
export function powFloat(b: number, e: number): number {
  if (e === 0.5) return Math.sqrt(b);
  if (e === -0.5) return 1 / Math.sqrt(b);
  if (e === -1) return 1 / b;
  if (e === 2) return b * b;
  return b ** e;
}
