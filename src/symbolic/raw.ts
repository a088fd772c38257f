// Raw expressions: trees of IR primitives exactly as tracing and the derivative rules build them,
// before any algebra. Each node carries its float value at the point (so branches, indices and
// max/min can be decided) and its size written out as a tree (the expression-swell measure).
// Sharing is by object identity, so a raw expression is a DAG even when its tree is huge.

import type { SourceLocation } from '../errors.ts';
import type { Primitive } from '../ir/primitives.ts';
import type { Field } from '../rules/field.ts';
import { RULES } from '../rules/table.ts';

export type Raw =
  | { k: 'num'; value: number; val: number; nodes: number }
  | { k: 'var'; name: string; val: number; nodes: number }
  | { k: 'prim'; op: Primitive; args: Raw[]; val: number; nodes: number; loc?: SourceLocation };

export const rawNum = (value: number): Raw => ({ k: 'num', value, val: value, nodes: 1 });
export const rawVar = (name: string, val: number): Raw => ({ k: 'var', name, val, nodes: 1 });

export const isRawNum = (r: Raw, v?: number): r is Extract<Raw, { k: 'num' }> => r.k === 'num' && (v === undefined || Object.is(r.value, v) || r.value === v);

/**
 * The derivative rules' Field over raw expressions: every primitive becomes a node, except that
 * operations on numbers alone are done (2 - 1 is 1). `ge` is decided by the values at the point,
 * which is how max and min pick their branch.
 */
export class RawField implements Field<Raw> {
  constant(c: number): Raw {
    return rawNum(c);
  }

  prim(op: Primitive, args: Raw[], loc?: SourceLocation): Raw {
    const val = RULES[op].float(...args.map((a) => a.val));
    // Numbers alone are folded, except where that would lose an exact fraction: 1 / 3 stays a
    // division (a third, exactly, once canonical), 2 * 3 and 0.5 * 3 are folded.
    if (args.every((a) => a.k === 'num') && (Number.isInteger(val) || !Number.isFinite(val) || args.some((a) => !Number.isInteger(a.val)) || (op !== 'div' && op !== 'pow'))) return rawNum(val);
    // 0 * a is 0 (for finite a): the partial of a constant exponent's base, say, vanishes.
    if (op === 'mul' && ((isRawNum(args[0], 0) && Number.isFinite(args[1].val)) || (isRawNum(args[1], 0) && Number.isFinite(args[0].val)))) return rawNum(0);
    let nodes = 1;
    for (const a of args) nodes += a.nodes;
    return { k: 'prim', op, args, val, nodes, loc };
  }

  ge(a: Raw, b: Raw): Raw {
    return rawNum(a.val >= b.val ? 1 : 0);
  }
}

/** Raw arithmetic for the chain rule: skips multiplying by one and adding zero. */
export class RawChain {
  constructor(private F: RawField) {}

  times(partial: Raw, d: Raw): Raw {
    if (isRawNum(d, 1)) return partial;
    if (isRawNum(partial, 1)) return d;
    if (isRawNum(partial, -1)) return this.F.prim('neg', [d]);
    return this.F.prim('mul', [partial, d]);
  }

  sum(terms: Raw[]): Raw | null {
    if (terms.length === 0) return null;
    return terms.reduce((acc, t) => this.F.prim('add', [acc, t]));
  }
}
