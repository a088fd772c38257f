// The cost picture's numbers: what one gradient costs as the number of inputs grows, measured on
// Rosenbrock's function at n = 1 ... 1000 for numeric differences (2n evaluations of f, central),
// forward mode (n sweeps of the compiled tangent code) and reverse mode (its generated gradient
// function: one forward and one backward sweep, whatever n is). Code is generated once; only the
// point changes with n. Each gradient is also checked against Rosenbrock's gradient in closed form.

import { generateGradient } from '../codegen/reverse.ts';
import { compileTangent, generateTangent } from '../codegen/tangent.ts';
import { tangentGradientRunner } from '../engines/forward/index.ts';
import { autoStep, hotGradient, METHODS, type RealMethodId } from '../engines/numeric/methods.ts';
import { compileProgram } from '../interp/compile.ts';
import { ROSENBROCK_SOURCE } from './rosenbrock-source.ts';
import { parseProgram } from '../lang/parse.ts';
import { slotsOf } from '../point.ts';
import { medianMicros } from '../timing.ts';

/** The gallery's Rosenbrock, word for word. */
export { ROSENBROCK_SOURCE };

export const COST_SIZES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
export const COST_ENGINES = ['numeric', 'forward', 'reverse'] as const;
export type CostEngine = (typeof COST_ENGINES)[number];

export interface CostJob {
  sizes?: number[];
  /** The difference formula for the numeric gradient (central by default). */
  method?: RealMethodId;
  /** How long each timing may sample for (the median of short batches). */
  millisPerMeasure?: number;
  /** Rounds over every size; each figure is the best round's (2 by default). */
  rounds?: number;
}

export interface CostRow {
  n: number;
  /** One evaluation of f, in microseconds. */
  f_micros: number;
  /** One whole gradient, in microseconds, per engine. */
  micros: Record<CostEngine, number>;
  /** What one gradient takes: f evaluations (numeric) or sweeps over f's operations (forward, reverse). */
  passes: Record<CostEngine, number>;
  /** Largest relative error of each engine's gradient against the closed form (a check, not a timing). */
  error: Record<CostEngine, number>;
}

export interface CostAnswer {
  source: string;
  method: RealMethodId;
  rows: CostRow[];
  /** What each engine's passes count, for the legend. */
  passes: Record<CostEngine, string>;
  millis: number;
}

/** The usual start of Rosenbrock's valley, -1.2, 1, -1.2, 1, ... */
export function rosenbrockPoint(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
}

/** Rosenbrock's gradient in closed form: the check for every engine. */
export function rosenbrockGradient(x: number[]): number[] {
  const g = x.map(() => 0);
  for (let i = 0; i < x.length - 1; i++) {
    const d = x[i + 1] - x[i] ** 2;
    g[i] += -400 * x[i] * d - 2 * (1 - x[i]);
    g[i + 1] += 200 * d;
  }
  return g;
}

function worstError(got: ArrayLike<number>, exact: number[]): number {
  let worst = 0;
  for (let i = 0; i < exact.length; i++) {
    const e = exact[i] === 0 ? Math.abs(got[i]) : Math.abs(got[i] - exact[i]) / Math.abs(exact[i]);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

export function costScan(job: CostJob = {}, onProgress?: (fraction: number) => void): CostAnswer {
  const t0 = performance.now();
  const sizes = (job.sizes ?? COST_SIZES).filter((n) => Number.isInteger(n) && n >= 1 && n <= 100_000);
  const method = job.method ?? 'central';
  const millis = job.millisPerMeasure ?? 6;
  const program = parseProgram(ROSENBROCK_SOURCE);
  const f = compileProgram(program);
  const reverse = generateGradient(program, { wrt: ['x'] }).fn;
  const tangent = compileTangent(generateTangent(program, ['x']));
  const paramIndex = new Map([['x', 0]]);
  // Warm up: the first calls of fresh code run unoptimized, which would show as noise at the smallest n.
  const warm = rosenbrockPoint(20);
  const warmAt = { x: warm };
  const warmRuns = [
    () => f(warm),
    hotGradient(method, f, [warm], slotsOf(warmAt, ['x']), paramIndex, warm.map((xi) => autoStep(method, xi))),
    tangentGradientRunner(program, warmAt, ['x'], tangent),
    () => reverse(warm),
  ];
  const warmUntil = performance.now() + 4 * millis;
  while (performance.now() < warmUntil) for (const run of warmRuns) for (let i = 0; i < 20; i++) run();

  // Every size's runners, made once; each gradient checked once against the closed form.
  const setups = sizes.map((n) => {
    const x = rosenbrockPoint(n);
    const at = { x };
    const numeric = hotGradient(method, f, [x], slotsOf(at, ['x']), paramIndex, x.map((xi) => autoStep(method, xi)));
    const forward = tangentGradientRunner(program, at, ['x'], tangent);
    const backward = () => (reverse(x) as ArrayLike<number>[])[0];
    const run: Record<CostEngine, () => ArrayLike<number>> = { numeric, forward, reverse: backward };
    const exact = rosenbrockGradient(x);
    const error = Object.fromEntries(COST_ENGINES.map((e) => [e, worstError(run[e](), exact)])) as Record<CostEngine, number>;
    return { n, x, run, error };
  });

  // Rounds over all sizes, keeping each timing's best round: a burst of other work on the machine
  // spoils one round's figure rather than the picture (as the bench does).
  const rounds = Math.max(1, Math.floor(job.rounds ?? 2));
  const best = setups.map(() => ({ f: Infinity, micros: Object.fromEntries(COST_ENGINES.map((e) => [e, Infinity])) as Record<CostEngine, number> }));
  const steps = rounds * sizes.length * (COST_ENGINES.length + 1);
  let done = 0;
  const tick = () => onProgress?.(++done / steps);
  for (let round = 0; round < rounds; round++) {
    setups.forEach((setup, i) => {
      best[i].f = Math.min(best[i].f, medianMicros(() => f(setup.x), millis));
      tick();
      for (const engine of COST_ENGINES) {
        best[i].micros[engine] = Math.min(best[i].micros[engine], medianMicros(setup.run[engine], millis));
        tick();
      }
    });
  }
  const evalsPerInput = METHODS[method].evalsPerInput;
  const rows: CostRow[] = setups.map((setup, i) => ({
    n: setup.n,
    f_micros: best[i].f,
    micros: best[i].micros,
    passes: { numeric: evalsPerInput * setup.n + (method === 'forward' || method === 'backward' ? 1 : 0), forward: setup.n, reverse: 2 },
    error: setup.error,
  }));
  return {
    source: ROSENBROCK_SOURCE,
    method,
    rows,
    passes: {
      numeric: `evaluations of f (${METHODS[method].title}: ${METHODS[method].evalsPerInput} per input${method === 'forward' || method === 'backward' ? ', plus f at the point' : ''})`,
      forward: 'tangent sweeps (one per input)',
      reverse: 'sweeps (one forward, one backward)',
    },
    millis: performance.now() - t0,
  };
}
