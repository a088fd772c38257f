// The step-size lab's picture, from the numeric engine's step_lab: each method's measured |error|
// against h, and its theory as two straight lines in log-log, the truncation error C_t·h^p (p the
// method's order) for large h and the round-off C_r·h^(-1) for small h (flat for the complex step),
// each fitted to the measured points on its side of the best step. The two lines cross at the
// theoretical optimal h, so each method draws its own V under the measured one.

import type { LabMethod, StepLab } from '../engines/numeric/step-lab.ts';

/** Errors below this are drawn at it (a log axis has no 0): about a tenth of the double precision. */
export const ERROR_FLOOR = 1e-17;

export interface TheoryLine {
  /** log10 of the constant and the slope: log10 e = logC + slope·log10 h. */
  logC: number;
  slope: number;
}

export interface LabCurve {
  method: string;
  /** Measured worst error per grid step; null where there is none (NaN) or it is exactly 0. */
  errors: (number | null)[];
  /** Steps where the error was exactly 0 (a formula exact for this f, as central differences for a quadratic). */
  exact: number;
  truncation: TheoryLine | null;
  roundoff: TheoryLine | null;
  /** Where the two theory lines cross. */
  theory_h: number | null;
  best_h: number | null;
  best_error: number | null;
}

const log10 = Math.log10;

/** The least-squares constant of a line of known slope through the points (log h, log e). */
function fitConstant(points: [number, number][], slope: number): TheoryLine | null {
  if (points.length === 0) return null;
  const logC = points.reduce((s, [h, e]) => s + (log10(e) - slope * log10(h)), 0) / points.length;
  return { logC, slope };
}

export function theoryValue(line: TheoryLine, h: number): number {
  return 10 ** (line.logC + line.slope * log10(h));
}

/**
 * One method's curve and theory. Points well inside each regime are used for the fits: more than
 * a decade away from the best step, or all on that side when there are few.
 */
export function labCurve(m: LabMethod, h: number[]): LabCurve {
  const errors = m.errors.map((e) => (e === null || !(e > 0) ? null : e));
  const exact = m.errors.filter((e) => e === 0).length;
  const best = m.best_h;
  let truncation: TheoryLine | null = null;
  let roundoff: TheoryLine | null = null;
  if (best !== null) {
    const side = (keep: (hi: number) => boolean) => {
      const pts = h.flatMap((hi, i) => (errors[i] !== null && keep(hi) ? [[hi, errors[i]!] as [number, number]] : []));
      return pts;
    };
    const far = (pts: [number, number][], near: [number, number][]) => (pts.length >= 2 ? pts : near);
    // Truncation: steps larger than the best, but not so large that the series has not started to
    // converge (past h = 0.5 higher terms can dominate).
    const rightNear = side((hi) => hi > best && hi <= 0.5);
    const rightFar = side((hi) => hi > best * 10 && hi <= 0.5);
    truncation = fitConstant(far(rightFar, rightNear), m.slope);
    const leftNear = side((hi) => hi < best);
    const leftFar = side((hi) => hi < best / 10);
    roundoff = fitConstant(far(leftFar, leftNear), m.roundoff_slope);
  }
  let theoryH: number | null = null;
  if (truncation && roundoff && truncation.slope !== roundoff.slope) {
    // logC_t + p·x = logC_r + q·x
    theoryH = 10 ** ((roundoff.logC - truncation.logC) / (truncation.slope - roundoff.slope));
    if (!Number.isFinite(theoryH)) theoryH = null;
  }
  return { method: m.method, errors, exact, truncation, roundoff, theory_h: theoryH, best_h: m.best_h, best_error: m.best_error };
}

/**
 * The theory V over the grid: the truncation line right of the crossing, the round-off line left of
 * it, null outside the measured error range (so a steep line does not stretch the axis).
 */
export function theoryV(c: LabCurve, h: number[], range: [number, number]): (number | null)[] {
  return h.map((hi) => {
    let line: TheoryLine | null;
    if (c.theory_h !== null) line = hi >= c.theory_h ? c.truncation : c.roundoff;
    else line = c.best_h !== null && hi >= c.best_h ? c.truncation : c.roundoff;
    if (!line) return null;
    const v = theoryValue(line, hi);
    return v >= range[0] && v <= range[1] ? v : null;
  });
}

/** The error range of the measured curves, for the y axis: every finite error, floored. */
export function errorRange(curves: LabCurve[]): [number, number] {
  let lo = Infinity, hi = 0;
  for (const c of curves) for (const e of c.errors) if (e !== null) { lo = Math.min(lo, e); hi = Math.max(hi, e); }
  if (!(hi > 0)) return [ERROR_FLOOR, 1];
  return [Math.max(ERROR_FLOOR, lo / 3), hi * 3];
}

/**
 * Whether a method's measured curve is a V: the best error sits below both ends by a factor
 * (truncation on the right, round-off on the left).
 */
export function isV(c: LabCurve, h: number[], factor = 100): boolean {
  if (c.best_error === null || c.best_h === null) return false;
  const at = (pick: (hi: number) => boolean) => c.errors.filter((e, i) => e !== null && pick(h[i])) as number[];
  const left = at((hi) => hi < c.best_h! / 100);
  const right = at((hi) => hi > c.best_h! * 10);
  const best = Math.max(c.best_error, ERROR_FLOOR);
  return left.some((e) => e > best * factor) && right.some((e) => e > best * factor);
}

export function labCurves(lab: StepLab): LabCurve[] {
  return lab.methods.map((m) => labCurve(m, lab.h));
}
