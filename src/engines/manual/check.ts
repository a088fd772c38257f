// The manual engine's judgement: the user's derivative against the exact reference, at the point
// and at the points around it where f is defined. Both sides are evaluated in 40-digit decimals
// with error bounds (bounded.ts), so a right formula agrees to within its bounds (a few units in
// the 40th digit, or ~1e-16 where a constant such as 0.1 or Math.PI is not the number it spells)
// and a wrong one differs by far more. Equivalent forms agree; nothing else is accepted.

import { DdxError } from '../../errors.ts';
import { DEFAULT_BUDGET } from '../../interp/interpreter.ts';
import type { Value } from '../../interp/algebra.ts';
import { mainFn } from '../../ir/types.ts';
import { argsOf, type Point } from '../../point.ts';
import type { Decimal } from '../../reference/decimal-algebra.ts';
import { boundedCall, boundedReference, type Bounded } from './bounded.ts';
import { candidatePoints } from './points.ts';
import type { DerivativeFn, ManualSetup } from './resolve.ts';

export type Verdict = 'correct' | 'wrong' | 'partly';

/** Points checked besides the user's own (when f is defined there and the budget allows). */
export const OTHER_POINTS = 24;
/** Candidates tried at most, per point wanted, so a function defined almost nowhere still finishes quickly. */
const TRIES_PER_POINT = 5;
/**
 * Weighted decimal operations (bounded.ts's OPERATION_WEIGHT; f's reference and the user's
 * derivative together) after which no further points are started: about half a second of
 * arithmetic, well inside the playground's per-request time budget. The user's own point is
 * always checked.
 */
export const OPERATION_BUDGET = 25_000;

export interface CheckOptions {
  /** Points to check besides the user's. */
  points: number;
  /** Weighted operations after which no further point is started. */
  budget: number;
}

export const DEFAULT_CHECK: CheckOptions = { points: OTHER_POINTS, budget: OPERATION_BUDGET };
/** The interpreter's own budget for one evaluation at a point other than the user's. */
const RUN_BUDGET = 1_000_000;
/** "partly" needs this many agreeing points besides the user's (which is often a special one). */
export const PARTLY_MIN_AGREEING = 3;

export interface Mismatch {
  fn: string;
  /** Index into setup.slots. */
  slot: number;
  yours: number | null;
  reference: number;
  /** |yours - reference| / |reference| (or the absolute difference where the reference is 0). */
  relative: number;
  /** What went wrong evaluating yours, where it did not give a number. */
  error?: string;
}

export interface PointCheck {
  at: Point;
  base: boolean;
  status: 'agree' | 'disagree' | 'skipped';
  /** Why a point was skipped. */
  reason?: string;
  /** Per derivative function: agrees at this point. */
  byFn: Record<string, boolean>;
  mismatch?: Mismatch;
  /** The user's value at the point, per wrt slot (base point only): the exact value of the formula. */
  exact?: Map<number, Bounded>;
}

export interface CheckResult {
  verdict: Verdict;
  byFunction: Record<string, Verdict>;
  points: PointCheck[];
  checked: number;
  agreeing: number;
  counterexample?: { check: PointCheck; mismatch: Mismatch };
  operations: number;
  /** Candidate points tried besides the user's. */
  tried: number;
  stoppedByBudget: boolean;
}

export function checkManual(setup: ManualSetup, at: Point, options: CheckOptions = DEFAULT_CHECK): CheckResult {
  const points: PointCheck[] = [];
  let operations = 0;
  const base = checkPoint(setup, at, true);
  operations += base.operations;
  points.push(base.check);
  let tried = 0;
  let stoppedByBudget = false;
  let others = 0;
  for (const candidate of candidatePoints(setup.program, at, Math.max(options.points * TRIES_PER_POINT, 20))) {
    if (others >= options.points) break;
    if (operations >= options.budget) { stoppedByBudget = true; break; }
    tried++;
    const r = checkPoint(setup, candidate, false);
    operations += r.operations;
    points.push(r.check);
    if (r.check.status !== 'skipped') others++;
  }
  const checkedPoints = points.filter((p) => p.status !== 'skipped');
  const byFunction: Record<string, Verdict> = {};
  for (const fn of setup.functions) {
    byFunction[fn.name] = verdictOf(checkedPoints.map((p) => ({ base: p.base, agree: p.byFn[fn.name] })));
  }
  const verdict = verdictOf(checkedPoints.map((p) => ({ base: p.base, agree: p.status === 'agree' })));
  const first = checkedPoints.find((p) => p.status === 'disagree');
  return {
    verdict, byFunction, points, checked: checkedPoints.length,
    agreeing: checkedPoints.filter((p) => p.status === 'agree').length,
    counterexample: first?.mismatch ? { check: first, mismatch: first.mismatch } : undefined,
    operations, tried, stoppedByBudget,
  };
}

/**
 * correct: no checked point disagrees. partly: some disagree, but at least PARTLY_MIN_AGREEING
 * points other than the user's own agree (a wrong formula agrees only by coincidence, and the
 * seeded points make coincidences vanishingly rare). wrong: otherwise.
 */
export function verdictOf(results: { base: boolean; agree: boolean }[]): Verdict {
  if (results.every((r) => r.agree)) return 'correct';
  const agreeingOthers = results.filter((r) => r.agree && !r.base).length;
  return agreeingOthers >= PARTLY_MIN_AGREEING ? 'partly' : 'wrong';
}

function checkPoint(setup: ManualSetup, at: Point, isBase: boolean): { check: PointCheck; operations: number } {
  const check: PointCheck = { at, base: isBase, status: 'agree', byFn: {} };
  const skip = (reason: string, operations: number) => ({ check: { ...check, status: 'skipped' as const, reason }, operations });
  const f = mainFn(setup.program);
  let reference;
  try {
    reference = boundedReference(setup.program, at, isBase ? DEFAULT_BUDGET : RUN_BUDGET);
  } catch (err) {
    if (isBase && !(err instanceof DdxError && err.kind === 'runtime')) throw err;
    return skip(`${f.name} cannot be evaluated here (${err instanceof Error ? err.message : String(err)})`, 0);
  }
  let operations = reference.operations;
  if (!reference.value.v.isFinite()) return skip(`${f.name} is not defined here`, operations);
  if (reference.kinks.length) return skip(`${f.name} has a kink here, where its derivative is only a convention (${reference.kinks.join('; ')})`, operations);
  for (const slot of setup.wrtSlots) {
    const r = reference.slots[slot];
    if (!r.v.isFinite() || !r.e.isFinite()) return skip(`${f.name} has no derivative with respect to ${setup.slots[slot].label} here`, operations);
  }
  const args = argsOf(f, at);
  if (isBase) check.exact = new Map();
  for (const fn of setup.functions) {
    const callArgs = fn.argIndex.map((i) => args[i]);
    let values: Bounded[];
    try {
      const run = boundedCall(setup.program, fn.name, callArgs, isBase ? DEFAULT_BUDGET : RUN_BUDGET);
      operations += run.operations;
      values = shaped(run.result, fn, isBase);
    } catch (err) {
      if (isBase) throw err;
      const slot = fn.gives.find((s) => s >= 0)!;
      const message = err instanceof Error ? err.message : String(err);
      check.byFn[fn.name] = false;
      if (check.status === 'agree') {
        check.status = 'disagree';
        check.mismatch = { fn: fn.name, slot, yours: null, reference: reference.slots[slot].v.toNumber(), relative: Infinity, error: message };
      }
      continue;
    }
    let agrees = true;
    fn.gives.forEach((slot, position) => {
      if (slot < 0) return;
      const y = values[position];
      const r = reference.slots[slot];
      if (check.exact && !check.exact.has(slot)) check.exact.set(slot, y);
      if (within(y, r)) return;
      agrees = false;
      if (check.status === 'agree') {
        check.status = 'disagree';
        check.mismatch = { fn: fn.name, slot, yours: y.v.toNumber(), reference: r.v.toNumber(), relative: relativeGap(y.v, r.v) };
      }
    });
    check.byFn[fn.name] = agrees;
  }
  return { check, operations };
}

/** Agreement: the two values differ by no more than twice the sum of their rounding bounds. */
export function within(y: Bounded, r: Bounded): boolean {
  if (!y.v.isFinite()) return false;
  const bound = y.e.isFinite() ? y.e.plus(r.e) : r.e;
  return y.v.minus(r.v).abs().lte(bound.times(2));
}

function relativeGap(y: Decimal, r: Decimal): number {
  const gap = y.minus(r).abs();
  return (r.isZero() ? gap : gap.div(r.abs())).toNumber();
}

/** The derivative function's result as one value per position, checked against the shape it must have. */
function shaped(result: Value<Bounded>, fn: DerivativeFn, isBase: boolean): Bounded[] {
  if (fn.shape === 'num') {
    if (Array.isArray(result)) throw new DdxError('type', `${fn.name} returns an array; it must return a number`, isBase ? fn.loc : null);
    return [result];
  }
  if (!Array.isArray(result)) throw new DdxError('type', `${fn.name} returns a number; it must return an array of ${fn.shape}`, isBase ? fn.loc : null);
  if (result.length !== fn.shape) {
    const what = fn.kind === 'gradient' ? 'one partial per input of f, in parameter order (array elements in turn)' : `one partial per element of ${fn.param}`;
    throw new DdxError('type', `${fn.name} returns ${result.length} number${result.length === 1 ? '' : 's'}, but must return ${fn.shape}: ${what}`, isBase ? fn.loc : null);
  }
  return result;
}
