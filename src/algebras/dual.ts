// Dual numbers (forward mode): each value carries its tangent along one input direction. Running the
// interpreter over this algebra is one forward sweep; the tangent rule of every primitive is built
// from the rules table's partials, dy = sum_i dy/dx_i * dx_i.

import type { SourceLocation } from '../errors.ts';
import type { Algebra } from '../interp/algebra.ts';
import { floatAlgebra } from '../interp/algebra.ts';
import type { Primitive } from '../ir/primitives.ts';
import { RULES, type Rule } from '../rules/table.ts';

/** A value and its tangent (its derivative along the sweep's direction). */
export interface Dual {
  v: number;
  d: number;
}

/** A point where a derivative flowed through a primitive's kink, with the convention taken. */
export interface KinkHit {
  op: Primitive;
  loc?: SourceLocation;
  convention: string;
}

export class DualAlgebra implements Algebra<Dual> {
  /** Kinks that a nonzero tangent passed through, keyed by op and source position (one entry each). */
  readonly kinks = new Map<string, KinkHit>();

  /**
   * `rules` defaults to the one rules table; tests pass a deliberately broken copy to show that
   * the gradient checker catches a wrong rule.
   */
  constructor(private readonly rules: { [P in Primitive]: Rule } = RULES) {}

  constant(c: number): Dual {
    return { v: c, d: 0 };
  }

  prim(op: Primitive, args: Dual[], loc?: SourceLocation): Dual {
    const rule = this.rules[op];
    const xs = args.map((a) => a.v);
    const v = rule.float(...xs);
    let active = false;
    for (const a of args) if (a.d !== 0) active = true;
    if (!active) return { v, d: 0 };
    if (rule.kink?.at(...xs)) {
      const key = `${op}@${loc?.line ?? '?'}:${loc?.column ?? '?'}`;
      if (!this.kinks.has(key)) this.kinks.set(key, { op, loc, convention: rule.kink.convention });
    }
    const partials = rule.partials(floatAlgebra, xs, v);
    let d = 0;
    // A term whose tangent is exactly 0 is skipped, not multiplied: its partial may be NaN where it
    // is never needed (in a ** 2 at a < 0 the exponent's partial a ** 2 * ln(a) is NaN, and 0 * NaN
    // would poison the sum).
    let first = true;
    for (let i = 0; i < args.length; i++) {
      if (args[i].d === 0) continue;
      const term = partials[i] * args[i].d;
      d = first ? term : d + term;
      first = false;
    }
    return { v, d };
  }

  ge(a: Dual, b: Dual): Dual {
    return { v: a.v >= b.v ? 1 : 0, d: 0 };
  }

  value(x: Dual): number {
    return x.v;
  }
}
