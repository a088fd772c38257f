// The complex step, f'(x) = Im f(x + ih) / h: the interpreter over complex numbers, one sweep per
// input. Two guards make it compute what f computes in JavaScript: values with no imaginary part
// go through the float rules exactly, and where the real part leaves a primitive's real domain
// (Math.log(-1), a negative base to a fractional power) the result is NaN, as in JavaScript, not
// the complex principal value. It notes every non-analytic primitive and every comparison that a
// perturbed value goes through, with the line, and how it was handled.

import type { SourceLocation } from '../../errors.ts';
import { COMPLEX_PRIMS, type Complex } from '../../algebras/complex.ts';
import type { Algebra, Value } from '../../interp/algebra.ts';
import { Interpreter } from '../../interp/interpreter.ts';
import type { Primitive } from '../../ir/primitives.ts';
import { RULES } from '../../rules/table.ts';
import { describeCompare, opName, type Instrumented, type Marker } from './trace.ts';

const NAN: Complex = { re: NaN, im: NaN };

/** How the complex step takes each non-analytic primitive (all of them follow ddx's conventions). */
const HANDLING: Partial<Record<Primitive, string>> = {
  abs: 'taken as z·sign(Re z), exact away from 0',
  max: 'picks the argument with the larger real part, exact away from a tie',
  min: 'picks the argument with the smaller real part, exact away from a tie',
  sign: 'a constant (derivative 0), exact away from 0',
  floor: 'a constant (derivative 0), exact away from integers',
  ceil: 'a constant (derivative 0), exact away from integers',
  round: 'a constant (derivative 0), exact away from half-integers',
  trunc: 'a constant (derivative 0), exact away from integers',
  mod: 'taken as a - trunc(Re a / Re b)·b, exact away from the jumps',
};

const where = (loc?: SourceLocation) => (loc && loc.line > 0 ? `line ${loc.line}` : 'an unknown line');

export class ComplexStepAlgebra implements Algebra<Complex> {
  /** Notes keyed so that a loop reports each line once. */
  readonly notes = new Map<string, string>();
  /** Operations with a perturbed argument so far: each adds about one rounding to Im f. */
  perturbedOps = 0;

  constructor(private markers: Map<SourceLocation, Marker> = new Map()) {}

  constant(c: number): Complex {
    return { re: c, im: 0 };
  }

  prim(op: Primitive, args: Complex[], loc?: SourceLocation): Complex {
    const marker = loc ? this.markers.get(loc) : undefined;
    if (marker) return this.compared(args[0], marker);
    let perturbed = false;
    for (const a of args) if (a.im !== 0) perturbed = true;
    const rule = RULES[op];
    if (!perturbed) return { re: rule.float(...args.map((a) => a.re)), im: 0 };
    this.perturbedOps++;
    const real = rule.float(...args.map((a) => a.re));
    if (Number.isNaN(real) && !args.some((a) => Number.isNaN(a.re))) {
      this.note(`domain:${op}:${where(loc)}`, `${opName(op)} at ${where(loc)} is outside its real domain at the point (NaN in JavaScript), so the complex step gives NaN there rather than a complex principal value`);
      return NAN;
    }
    if (op === 'pow' && args[1].im !== 0 && args[0].re < 0) {
      this.note(`pow-base:${where(loc)}`, `a ** b at ${where(loc)} has a negative base and a perturbed exponent: d/db = a^b ln(a) is not real, so the complex step gives NaN`);
      return { re: real, im: NaN };
    }
    if (!rule.analytic) this.note(`op:${op}:${where(loc)}`, `${opName(op)} at ${where(loc)} gets a perturbed argument and is not analytic: ${HANDLING[op] ?? 'handled by its real part'}`);
    return COMPLEX_PRIMS[op](...args);
  }

  private compared(v: Complex, m: Marker): Complex {
    if (v.im !== 0) {
      this.note(`cmp:${m.id}`, `the comparison at ${describeCompare(m)} compares a perturbed value: it is decided by the real part, as f decides it at the point`);
    }
    return v;
  }

  private note(key: string, text: string): void {
    if (!this.notes.has(key)) this.notes.set(key, text);
  }

  ge(a: Complex, b: Complex): Complex {
    return { re: a.re >= b.re ? 1 : 0, im: 0 };
  }

  value(v: Complex): number {
    return v.re;
  }
}

export interface ComplexSweep {
  /** Im f(x + ih) / h for one input. */
  d: number;
  /** Re f(x + ih): f(x) to within h²; a difference from f(x) means the complex path left the real one. */
  re: number;
  operations: number;
  /** Operations on the perturbed path in this sweep. */
  perturbedOps: number;
}

export function complexSweep(inst: Instrumented, algebra: ComplexStepAlgebra, args: Value<number>[], slot: { paramIndex: number; index: number | null }, h: number): ComplexSweep {
  const cargs: Value<Complex>[] = args.map((a) => (Array.isArray(a) ? a.map((v) => ({ re: v, im: 0 })) : { re: a, im: 0 }));
  const target = cargs[slot.paramIndex];
  if (slot.index === null) cargs[slot.paramIndex] = { re: (target as Complex).re, im: h };
  else (target as Complex[])[slot.index] = { re: (target as Complex[])[slot.index].re, im: h };
  const interp = new Interpreter(inst.program, algebra);
  const before = algebra.perturbedOps;
  const out = interp.run(cargs);
  return { d: out.im / h, re: out.re, operations: interp.operations, perturbedOps: algebra.perturbedOps - before };
}
