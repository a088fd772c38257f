// Forward sweeps: the interpreter over dual numbers, seeded along one direction at a time. One
// sweep gives one directional derivative; the gradient takes one sweep per scalar input (slot).

import { DualAlgebra, type Dual, type KinkHit } from '../../algebras/dual.ts';
import { DdxError } from '../../errors.ts';
import type { Value } from '../../interp/algebra.ts';
import { DEFAULT_BUDGET, Interpreter } from '../../interp/interpreter.ts';
import { mainFn, type Program } from '../../ir/types.ts';
import { slotsOf, type Point } from '../../point.ts';

/**
 * All sweeps of one gradient together may execute at most this many interpreter operations (about
 * half a second); past it the engine uses the compiled tangent code, which is far faster.
 */
export const FORWARD_BUDGET = 5_000_000;

/** A direction: a number per number parameter, an array per array parameter; absent means 0. */
export type Direction = Record<string, number | number[]>;

export interface SweepResult {
  value: number;
  /** The directional derivative of f along the direction. */
  tangent: number;
  operations: number;
}

/** One forward sweep along `direction`. */
export function sweep(program: Program, at: Point, direction: Direction, algebra = new DualAlgebra(), budget = DEFAULT_BUDGET): SweepResult {
  const fn = mainFn(program);
  const args: Value<Dual>[] = fn.params.map((p) => {
    const x = at[p.name];
    const dx = direction[p.name];
    if (Array.isArray(x)) return x.map((xi, i) => ({ v: xi, d: Array.isArray(dx) ? dx[i] : 0 }));
    return { v: x, d: typeof dx === 'number' ? dx : 0 };
  });
  const interpreter = new Interpreter(program, algebra, { budget });
  const out = interpreter.run(args);
  return { value: out.v, tangent: out.d, operations: interpreter.operations };
}

/** The sweeps of one gradient would execute more operations than allowed. */
export class SweepBudgetError extends DdxError {
  constructor(readonly sweeps: number, readonly operationsPerSweep: number, budget: number) {
    super('budget', `forward mode needs one sweep per input: ${sweeps.toLocaleString('en-US')} sweeps of ${operationsPerSweep.toLocaleString('en-US')} operations is more than the ${budget.toLocaleString('en-US')} allowed; reverse mode gets the whole gradient in one sweep`);
  }
}

export interface ForwardGradient {
  /** One partial per slot, in slot order. */
  partials: number[];
  labels: string[];
  value: number;
  /** Interpreter operations of one sweep (the first; every sweep runs the same path). */
  operationsPerSweep: number;
  kinks: KinkHit[];
}

/** The gradient by forward mode: one sweep per slot, each seeded with the slot's unit vector. */
export function forwardGradient(program: Program, at: Point, wrt: string[], algebra = new DualAlgebra(), totalBudget = FORWARD_BUDGET): ForwardGradient {
  const slots = slotsOf(at, wrt);
  const partials: number[] = [];
  let value = NaN;
  let perSweep = 0;
  let spent = 0;
  for (const slot of slots) {
    const direction: Direction = {};
    if (slot.index === null) direction[slot.param] = 1;
    else {
      const unit = new Array<number>((at[slot.param] as number[]).length).fill(0);
      unit[slot.index] = 1;
      direction[slot.param] = unit;
    }
    const r = sweep(program, at, direction, algebra, Math.min(DEFAULT_BUDGET, totalBudget - spent));
    spent += r.operations;
    if (partials.length === 0) {
      perSweep = r.operations;
      value = r.value;
      if (perSweep * slots.length > totalBudget) throw new SweepBudgetError(slots.length, perSweep, totalBudget);
    }
    partials.push(r.tangent);
  }
  if (slots.length === 0) value = sweep(program, at, {}, algebra).value;
  return { partials, labels: slots.map((s) => s.label), value, operationsPerSweep: perSweep, kinks: [...algebra.kinks.values()] };
}
