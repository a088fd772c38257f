// 40-digit decimals that carry an error bound: the manual engine's judge. Each value is the exact
// reference arithmetic (the same decimal primitives, the same tape, the same rules-table partials
// as src/reference) plus `e`, a first-order bound on how far it may sit from the ideal result
// because of rounding alone: the 50-digit arithmetic's own rounding, and constants that are not
// exactly the number they spell (0.1, Math.PI, the rules' ln 2). A hand-written derivative agrees
// with the reference when the two differ by no more than their bounds: rounding, and nothing else.

import type { SourceLocation } from '../../errors.ts';
import { Tape, type TapeVar } from '../../ad/tape.ts';
import { floatAlgebra, type Algebra, type Value } from '../../interp/algebra.ts';
import { Interpreter } from '../../interp/interpreter.ts';
import type { Primitive } from '../../ir/primitives.ts';
import { mainFn, type Program } from '../../ir/types.ts';
import type { Point } from '../../point.ts';
import { DECIMAL_PRIMS, Decimal, decimalAlgebra, decimalOf } from '../../reference/decimal-algebra.ts';
import { RULES } from '../../rules/table.ts';

export interface Bounded {
  v: Decimal;
  /** A bound on |v - ideal|, where ideal is the result with every constant at its intended value. */
  e: Decimal;
}

const ZERO = new Decimal(0);
/** A double's relative distance from the real number it stands for is at most 2^-53. */
export const UNIT_ROUNDOFF = new Decimal(2).pow(-53);
/** One rounding of the decimal arithmetic (working precision, with a digit of margin). */
const DECIMAL_ROUNDING = new Decimal(10).pow(-(Decimal.precision - 2));

/**
 * How far a constant may be from the number it was meant to be: nothing for a double that is
 * exactly its own shortest spelling (2, 0.5, 1e3); one unit roundoff for one that is not (0.1,
 * Math.PI, Math.LN2), because the author may have meant 1/10, pi or ln 2.
 */
export function constantUncertainty(c: number): Decimal {
  if (!Number.isFinite(c) || Number.isSafeInteger(c)) return ZERO;
  const exact = decimalOf(c);
  return exact.eq(new Decimal(String(c))) ? ZERO : exact.abs().times(UNIT_ROUNDOFF);
}

export function bounded(v: Decimal, e: Decimal = ZERO): Bounded {
  return { v, e };
}

/**
 * The cost of one primitive in 40-digit decimals, in units of one addition (measured with
 * decimal.js: a sine costs about ten additions, an arctangent twenty). The engine's budget counts these.
 */
export const OPERATION_WEIGHT: { [P in Primitive]: number } = {
  add: 1, sub: 1, neg: 1, mul: 1, abs: 1, sign: 1, floor: 1, ceil: 1, round: 1, trunc: 1, max: 1, min: 1, mod: 2,
  div: 2, sqrt: 3, cbrt: 6, hypot: 4,
  exp: 5, expm1: 5, log: 6, log1p: 6, log2: 8, log10: 8, pow: 8,
  sin: 10, cos: 10, tan: 20, sinh: 10, cosh: 10, tanh: 10,
  asin: 20, acos: 20, atan: 20, atan2: 20, asinh: 20, acosh: 20, atanh: 20,
};

/** The rules' partials for an error bound: in doubles where they are finite, else in decimals. */
function boundPartials(op: Primitive, values: Decimal[], v: Decimal): Decimal[] {
  const floats = RULES[op].partials(floatAlgebra, values.map((x) => x.toNumber()), v.toNumber());
  if (floats.every((p) => Number.isFinite(p))) return floats.map((p) => new Decimal(p));
  return RULES[op].partials(decimalAlgebra, values, v);
}

export class BoundedAlgebra implements Algebra<Bounded> {
  /** Weighted primitive operations executed (OPERATION_WEIGHT), for the engine's cost and budget. */
  operations = 0;

  constant(c: number): Bounded {
    return { v: decimalOf(c), e: constantUncertainty(c) };
  }

  prim(op: Primitive, args: Bounded[], _loc?: SourceLocation): Bounded {
    this.operations += OPERATION_WEIGHT[op];
    const values = args.map((a) => a.v);
    const v = DECIMAL_PRIMS[op](...values);
    let e = v.isFinite() ? v.abs().times(DECIMAL_ROUNDING) : new Decimal(NaN);
    if (args.some((a) => !a.e.isZero())) {
      // First-order propagation: |d op / d arg_i| times arg_i's bound, with the rules' own
      // partials. A bound needs no more than a few digits, so the partials are taken in doubles
      // (in decimals only where doubles overflow), which keeps the judge near the reference's cost.
      const partials = boundPartials(op, values, v);
      // A NaN partial means the operation has no derivative in that argument at all (the
      // exponent of a negative base): a perturbation there is meaningless, not an error bound.
      args.forEach((a, i) => {
        if (!a.e.isZero() && !partials[i].isNaN()) e = e.plus(partials[i].abs().times(a.e));
      });
    }
    return { v, e };
  }

  ge(a: Bounded, b: Bounded): Bounded {
    return { v: new Decimal(a.v.gte(b.v) ? 1 : 0), e: ZERO };
  }

  value(x: Bounded): number {
    return x.v.toNumber();
  }
}

export interface BoundedReference {
  value: Bounded;
  /** One entry per scalar input of f, every parameter in order, array elements expanded. */
  slots: Bounded[];
  operations: number;
  /** The rules table's conventions for the kinks f passes through here (abs at 0, a tie in max, ...). */
  kinks: string[];
}

/**
 * The reference gradient at a point, computed exactly as src/reference/reference.ts computes it
 * (a tape over 40-digit decimals, swept backward once), with error bounds carried along.
 */
export function boundedReference(program: Program, point: Point, budget: number): BoundedReference {
  const algebra = new BoundedAlgebra();
  const tape = new Tape(algebra);
  const fn = mainFn(program);
  const inputs: TapeVar<Bounded>[] = [];
  const args: Value<TapeVar<Bounded>>[] = fn.params.map((p) => {
    const v = point[p.name];
    if (Array.isArray(v)) {
      const vars = v.map((x, i) => tape.input(bounded(decimalOf(x)), `${p.name}[${i}]`));
      inputs.push(...vars);
      return vars;
    }
    const one = tape.input(bounded(decimalOf(v)), p.name);
    inputs.push(one);
    return one;
  });
  const out = new Interpreter(program, tape, { budget }).run(args);
  const adjoints = tape.backward(out, bounded(new Decimal(1)));
  const slots = inputs.map((v) => adjoints[v.id] ?? bounded(ZERO));
  // A kink on the path from the inputs (the tape records only those operations) means f has no
  // derivative here, only the convention the rules table picks.
  const kinks = new Set<string>();
  for (const node of tape.nodes) {
    if (node.op === 'input') continue;
    const kink = RULES[node.op].kink;
    if (kink?.at(...node.argValues.map((a) => a.v.toNumber()))) kinks.add(kink.convention);
  }
  return { value: out.value, slots, operations: algebra.operations, kinks: [...kinks] };
}

/** Runs one of the program's functions over bounded decimals (the user's df_dx, say). */
export function boundedCall(program: Program, name: string, args: Value<number>[], budget: number): { result: Value<Bounded>; operations: number } {
  const algebra = new BoundedAlgebra();
  const lifted = args.map((a) => (Array.isArray(a) ? a.map((x) => bounded(decimalOf(x))) : bounded(decimalOf(a))));
  const result = new Interpreter(program, algebra, { budget }).runFunction(name, lifted);
  return { result, operations: algebra.operations };
}
