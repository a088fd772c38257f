// The finite-difference formulas, their automatic steps and their own error estimates, evaluated
// on f's compiled fast path one scalar input (slot) at a time. Every evaluation of f is counted.

import type { Value } from '../../interp/algebra.ts';
import type { CompiledFunction } from '../../interp/compile.ts';
import type { Slot } from '../../point.ts';

export const EPS = Number.EPSILON;

export type RealMethodId = 'forward' | 'backward' | 'central' | 'five-point' | 'richardson';
export type MethodId = RealMethodId | 'complex-step';
export const METHOD_IDS: MethodId[] = ['forward', 'backward', 'central', 'five-point', 'richardson', 'complex-step'];

/** Richardson: central differences at h, h/2, h/4, h/8, extrapolated to order 2·LEVELS. */
export const RICHARDSON_LEVELS = 4;

export interface MethodInfo {
  id: MethodId;
  title: string;
  formula: string;
  /** The truncation error's slope in log|error| against log h. */
  order: number;
  /** The automatic step: stepFactor times the scale (`scaleRule`) of the input. */
  stepFactor: number;
  stepRule: string;
  /** What the factor multiplies. */
  scaleRule: string;
  /** The same factor as a JavaScript expression, for the generated source. */
  stepJs: string;
  /** How far the stencil reaches below and above x, in multiples of h. */
  reach: [number, number];
  evalsPerInput: number;
}

export const METHODS: Record<MethodId, MethodInfo> = {
  forward: {
    id: 'forward', title: 'forward difference', formula: '(f(x + h) - f(x)) / h', order: 1,
    stepFactor: Math.sqrt(EPS), stepRule: 'sqrt(eps)', scaleRule: 'max(|x|, 1)', stepJs: 'Math.sqrt(Number.EPSILON)', reach: [0, 1], evalsPerInput: 1,
  },
  backward: {
    id: 'backward', title: 'backward difference', formula: '(f(x) - f(x - h)) / h', order: 1,
    stepFactor: Math.sqrt(EPS), stepRule: 'sqrt(eps)', scaleRule: 'max(|x|, 1)', stepJs: 'Math.sqrt(Number.EPSILON)', reach: [1, 0], evalsPerInput: 1,
  },
  central: {
    id: 'central', title: 'central difference', formula: '(f(x + h) - f(x - h)) / (2h)', order: 2,
    stepFactor: Math.cbrt(EPS), stepRule: 'cbrt(eps)', scaleRule: 'max(|x|, 1)', stepJs: 'Math.cbrt(Number.EPSILON)', reach: [1, 1], evalsPerInput: 2,
  },
  'five-point': {
    id: 'five-point', title: '5-point stencil', formula: '(f(x - 2h) - 8 f(x - h) + 8 f(x + h) - f(x + 2h)) / (12h)', order: 4,
    stepFactor: EPS ** (1 / 5), stepRule: 'eps^(1/5)', scaleRule: 'max(|x|, 1)', stepJs: 'Number.EPSILON ** (1 / 5)', reach: [2, 2], evalsPerInput: 4,
  },
  richardson: {
    id: 'richardson', title: `Richardson extrapolation (${RICHARDSON_LEVELS} levels)`,
    formula: `central differences at h, h/2, h/4, h/8, combined as R(k, j) = R(k, j-1) + (R(k, j-1) - R(k-1, j-1)) / (4^j - 1)`,
    order: 2 * RICHARDSON_LEVELS,
    stepFactor: EPS ** (1 / (2 * RICHARDSON_LEVELS + 1)), stepRule: `eps^(1/${2 * RICHARDSON_LEVELS + 1})`, scaleRule: 'max(|x|, 1)', stepJs: `Number.EPSILON ** (1 / ${2 * RICHARDSON_LEVELS + 1})`, reach: [1, 1], evalsPerInput: 2 * RICHARDSON_LEVELS,
  },
  'complex-step': {
    id: 'complex-step', title: 'complex step', formula: 'Im f(x + ih) / h', order: 2,
    stepFactor: 1e-20, stepRule: '1e-20', scaleRule: '|x| (1 at x = 0)', stepJs: '1e-20', reach: [0, 0], evalsPerInput: 1,
  },
};

/** A counted view of f that moves one scalar input at a time and puts it back afterwards. */
export class Probe {
  evaluations = 0;
  readonly x: number[];
  readonly f0: number;
  private args: Value<number>[];

  constructor(private f: CompiledFunction, args: Value<number>[], readonly slots: Slot[], private paramIndex: Map<string, number>) {
    // Private copies: the compiled f copies its array arguments, so one copy serves every call.
    this.args = args.map((a) => (Array.isArray(a) ? a.slice() : a));
    this.x = slots.map((s) => this.get(s));
    this.f0 = f(...this.args);
    this.evaluations = 1;
  }

  private get(s: Slot): number {
    const a = this.args[this.paramIndex.get(s.param)!];
    return s.index === null ? (a as number) : (a as number[])[s.index];
  }

  private set(s: Slot, v: number): void {
    const i = this.paramIndex.get(s.param)!;
    if (s.index === null) this.args[i] = v;
    else (this.args[i] as number[])[s.index] = v;
  }

  /** The first error f threw at a shifted point (an index out of range, say); that value is NaN. */
  failure: { label: string; value: number; message: string } | null = null;

  /** f with slot k set to exactly `value` (the other inputs at the point). */
  at(k: number, value: number): number {
    const s = this.slots[k];
    this.set(s, value);
    this.evaluations++;
    try {
      return this.f(...this.args);
    } catch (err) {
      this.failure ??= { label: s.label, value, message: err instanceof Error ? err.message : String(err) };
      return NaN;
    } finally {
      this.set(s, this.x[k]);
    }
  }

  /** The point's arguments with slot k set to `value`, for the interpreter (a fresh copy). */
  argsWith(k: number, value: number): Value<number>[] {
    const s = this.slots[k];
    const copy = this.args.map((a) => (Array.isArray(a) ? a.slice() : a));
    const i = this.paramIndex.get(s.param)!;
    if (s.index === null) copy[i] = value;
    else (copy[i] as number[])[s.index] = value;
    return copy;
  }
}

export const scaleOf = (x: number) => Math.max(Math.abs(x), 1);

/** The automatic step for a method at x, made exactly representable: h = (x + h) - x. */
export function autoStep(method: MethodId, x: number): number {
  // The complex step has no round-off to balance, so its step can shrink with |x| as well: h must
  // be small against the distance to the nearest singularity, which for sqrt or log at x = 1e-30
  // is |x| itself. It moves x along the imaginary axis, so x + ih needs no rounding.
  if (method === 'complex-step') return METHODS[method].stepFactor * (x === 0 || !Number.isFinite(x) ? 1 : Math.max(Math.abs(x), 1e-250));
  return exactStep(x, METHODS[method].stepFactor * scaleOf(x));
}

export function exactStep(x: number, h: number): number {
  if (!Number.isFinite(x)) return h;
  const e = (x + h) - x;
  return e > 0 ? e : h;
}

export interface Estimate {
  /** The derivative along one input. */
  d: number;
  /** The method's own estimate of its absolute error (truncation and round-off). */
  error: number;
  /** Evaluations of f spent on d, and on the error estimate alone. */
  evals: number;
  estimateEvals: number;
}

/** Round-off in a difference quotient: eps·|f| per evaluation, times the weights, over h. */
const roundoff = (fmax: number, weights: number, h: number) => (EPS * fmax * weights) / h;
const absMax = (...v: number[]) => Math.max(...v.map(Math.abs));

/**
 * One real-step method along slot k with step h (f0 = f at the point, shared). With `estimate`
 * false, only the evaluations the formula needs are made (the timer and the step lab).
 */
export function differentiate(method: RealMethodId, p: Probe, k: number, h: number, estimate = true): Estimate {
  const x = p.x[k], f0 = p.f0;
  const f = (t: number) => p.at(k, x + t * h);
  switch (method) {
    case 'forward':
    case 'backward': {
      // Error estimate: the same quotient at 2h differs by about the truncation error h f''/2.
      const s = method === 'forward' ? 1 : -1;
      const f1 = f(s);
      const d = (s * (f1 - f0)) / h;
      if (!estimate) return { d, error: NaN, evals: 1, estimateEvals: 0 };
      const d2 = (s * (f(2 * s) - f0)) / (2 * h);
      return { d, error: Math.abs(d - d2) + roundoff(absMax(f0, f1), 2, h), evals: 1, estimateEvals: 1 };
    }
    case 'central': {
      // Error estimate: central against the 5-point value on the same points, (4C(h) - C(2h))/3.
      const fp = f(1), fm = f(-1);
      const d = (fp - fm) / (2 * h);
      if (!estimate) return { d, error: NaN, evals: 2, estimateEvals: 0 };
      const d2 = (f(2) - f(-2)) / (4 * h);
      return { d, error: Math.abs(d - d2) / 3 + roundoff(absMax(fp, fm), 1, h), evals: 2, estimateEvals: 2 };
    }
    case 'five-point': {
      // Error estimate: the stencil at 2h differs by about 15 times the truncation error at h.
      const fm2 = f(-2), fm1 = f(-1), fp1 = f(1), fp2 = f(2);
      const d = (fm2 - 8 * fm1 + 8 * fp1 - fp2) / (12 * h);
      if (!estimate) return { d, error: NaN, evals: 4, estimateEvals: 0 };
      const d2 = (f(-4) - 8 * fm2 + 8 * fp2 - f(4)) / (24 * h);
      return { d, error: Math.abs(d - d2) / 15 + roundoff(absMax(fm2, fm1, fp1, fp2), 18 / 12, h), evals: 4, estimateEvals: 2 };
    }
    case 'richardson':
      return richardson(p, k, h);
  }
}

/**
 * Richardson's tableau on central differences: R(k, 0) = C(h / 2^k), and each column cancels the
 * next even power of h. The estimate is the difference between the last two levels.
 */
function richardson(p: Probe, k: number, h: number): Estimate {
  const x = p.x[k];
  const T: number[][] = [];
  let fmax = 0;
  for (let i = 0; i < RICHARDSON_LEVELS; i++) {
    const hi = h / 2 ** i;
    const fp = p.at(k, x + hi), fm = p.at(k, x - hi);
    fmax = Math.max(fmax, Math.abs(fp), Math.abs(fm));
    const row = [(fp - fm) / (2 * hi)];
    for (let j = 1; j <= i; j++) row.push(row[j - 1] + (row[j - 1] - T[i - 1][j - 1]) / (4 ** j - 1));
    T.push(row);
  }
  const L = RICHARDSON_LEVELS - 1;
  const d = T[L][L];
  const levels = L > 0 ? Math.max(Math.abs(d - T[L][L - 1]), Math.abs(d - T[L - 1][L - 1])) : 0;
  // Extrapolation amplifies the finest level's round-off by about 1.5 (the sum of |weights|).
  return { d, error: levels + roundoff(fmax, 1.5, h / 2 ** L), evals: 2 * RICHARDSON_LEVELS, estimateEvals: 0 };
}

/**
 * The gradient alone, as lean as it can be, for timing (--time, the cost plot): the same formulas
 * as `differentiate` without the estimate, the counting or the error handling.
 */
export function hotGradient(method: RealMethodId, f: CompiledFunction, point: Value<number>[], slots: Slot[], paramIndex: Map<string, number>, hs: number[]): () => number[] {
  const args = point.map((a) => (Array.isArray(a) ? a.slice() : a));
  const n = slots.length;
  const xs: number[] = [];
  const setters = slots.map((s) => {
    const i = paramIndex.get(s.param)!;
    const j = s.index;
    xs.push(j === null ? (args[i] as number) : (args[i] as number[])[j]);
    return j === null ? (v: number) => { args[i] = v; } : (v: number) => { (args[i] as number[])[j] = v; };
  });
  const at = (k: number, v: number) => {
    setters[k](v);
    const y = f(...args);
    setters[k](xs[k]);
    return y;
  };
  return () => {
    const g = new Array<number>(n);
    const f0 = method === 'forward' || method === 'backward' ? f(...args) : 0;
    for (let k = 0; k < n; k++) {
      const x = xs[k], h = hs[k];
      switch (method) {
        case 'forward': g[k] = (at(k, x + h) - f0) / h; break;
        case 'backward': g[k] = (f0 - at(k, x - h)) / h; break;
        case 'central': g[k] = (at(k, x + h) - at(k, x - h)) / (2 * h); break;
        case 'five-point': {
          const fm2 = at(k, x - 2 * h), fm1 = at(k, x - h), fp1 = at(k, x + h), fp2 = at(k, x + 2 * h);
          g[k] = (fm2 - 8 * fm1 + 8 * fp1 - fp2) / (12 * h);
          break;
        }
        case 'richardson': {
          const T: number[][] = [];
          for (let i = 0; i < RICHARDSON_LEVELS; i++) {
            const hi = h / 2 ** i;
            const row = [(at(k, x + hi) - at(k, x - hi)) / (2 * hi)];
            for (let j = 1; j <= i; j++) row.push(row[j - 1] + (row[j - 1] - T[i - 1][j - 1]) / (4 ** j - 1));
            T.push(row);
          }
          g[k] = T[RICHARDSON_LEVELS - 1][RICHARDSON_LEVELS - 1];
          break;
        }
      }
    }
    return g;
  };
}
