// Symbolic differentiation of a raw expression, rule by rule: d(op(a, b)) = sum_i partial_i * d(arg_i),
// with every partial taken from the rules table (RULES[op].partials over the raw Field), so
// atan2, hypot, min/max, abs (sign), pow with a variable exponent, log1p, expm1, cbrt and
// floor/ceil/round (0) all come from the one table. max/min are decided by the values at the
// point, as is every branch of the trace. The result is the mechanical "raw" derivative.

import type { SourceLocation } from '../errors.ts';
import type { Primitive } from '../ir/primitives.ts';
import { RULES } from '../rules/table.ts';
import { RawChain, RawField, isRawNum, rawNum, type Raw } from './raw.ts';

/** Something a derivative rule decided at the point, for the notes. */
export type DiffEvent =
  | { k: 'kink'; op: Primitive; loc?: SourceLocation; convention: string }
  | { k: 'choice'; op: 'max' | 'min'; a: Raw; b: Raw; first: boolean; loc?: SourceLocation }
  | { k: 'flat'; op: Primitive; arg: Raw; loc?: SourceLocation };

const FLAT: ReadonlySet<Primitive> = new Set<Primitive>(['sign', 'floor', 'ceil', 'round', 'trunc']);

/** What differentiating one node did, for derivation steps. */
export interface RuleUse {
  node: Raw;
  op: Primitive;
  /** Which arguments carried a derivative. */
  active: boolean[];
}

export class Differentiator {
  private F = new RawField();
  private chain = new RawChain(this.F);
  readonly events: DiffEvent[] = [];
  private noted = new Set<Raw>();
  /** Per node and variable, the rule applications in the order they were made. */
  readonly uses: RuleUse[] = [];

  /** d f / d name, or the number 0 when f does not depend on it. */
  derivative(f: Raw, name: string): Raw {
    const memo = new Map<Raw, Raw | null>();
    // An explicit stack instead of recursion: traced loops make expressions thousands deep.
    const stack: Raw[] = [f];
    while (stack.length) {
      const n = stack[stack.length - 1];
      if (memo.has(n)) { stack.pop(); continue; }
      if (n.k !== 'prim') {
        memo.set(n, n.k === 'var' && n.name === name ? rawNum(1) : null);
        stack.pop();
        continue;
      }
      const pending = n.args.filter((a) => !memo.has(a));
      if (pending.length) { stack.push(...pending); continue; }
      stack.pop();
      memo.set(n, this.node(n, n.args.map((a) => memo.get(a)!)));
    }
    return memo.get(f) ?? rawNum(0);
  }

  private node(n: Extract<Raw, { k: 'prim' }>, ds: (Raw | null)[]): Raw | null {
    if (ds.every((d) => d === null)) return null;
    const rule = RULES[n.op];
    this.note(n);
    const partials = rule.partials(this.F, n.args, n);
    this.uses.push({ node: n, op: n.op, active: ds.map((d) => d !== null) });
    const terms: Raw[] = [];
    ds.forEach((d, i) => {
      if (d === null) return;
      const p = partials[i];
      if (isRawNum(p, 0)) return;
      terms.push(this.chain.times(p, d));
    });
    return this.chain.sum(terms);
  }

  private note(n: Extract<Raw, { k: 'prim' }>): void {
    if (this.noted.has(n)) return;
    this.noted.add(n);
    const rule = RULES[n.op];
    const vals = n.args.map((a) => a.val);
    if (n.op === 'max' || n.op === 'min') {
      const [a, b] = n.args;
      const first = n.op === 'max' ? a.val >= b.val : b.val >= a.val;
      this.events.push({ k: 'choice', op: n.op, a, b, first, loc: n.loc });
    } else if (FLAT.has(n.op)) {
      this.events.push({ k: 'flat', op: n.op, arg: n.args[0], loc: n.loc });
    }
    if (rule.kink && rule.kink.at(...vals)) this.events.push({ k: 'kink', op: n.op, loc: n.loc, convention: rule.kink.convention });
  }
}
