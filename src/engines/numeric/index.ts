// The numeric engine: finite differences (forward, backward, central, 5-point, Richardson) on f's
// compiled fast path, and the complex step on the interpreter over complex numbers. Each method
// reports its steps, its f evaluations, its own error estimate and the steps that cross a branch
// or a kink; the step lab measures |error| against h for all of them.

import { DdxError } from '../../errors.ts';
import { mainFn } from '../../ir/types.ts';
import { flattenGradient, gradientFromSlots, maxRelativeError, slotsOf, type Gradient, type Slot } from '../../point.ts';
import type { Engine, EngineContext, EngineOutput } from '../types.ts';
import { complexSweep, ComplexStepAlgebra } from './complex-step.ts';
import { autoStep, differentiate, EPS, exactStep, hotGradient, METHODS, METHOD_IDS, Probe, type MethodId, type RealMethodId } from './methods.ts';
import { numericSource } from './source.ts';
import { runStepLab, type StepLab } from './step-lab.ts';
import { findCrossings, instrument, kinksAtPoint, traceAt, type Instrumented, type Trace } from './trace.ts';

/**
 * Budgets, in operations of the IR (deterministic, unlike a clock), for what is not the chosen
 * method's gradient. The interpreter runs about 1-3 operations a microsecond, the compiled f a few
 * hundred: so about half a second each at worst, and nothing like that for small functions.
 * Branch and kink checks run first for the chosen method, then for the others with what is left.
 */
export const BUDGETS = {
  /** Interpreted runs of f at stencil points (two per input per method). */
  crossings: 600_000,
  /** Complex-step sweeps for the comparison table, when it is not the chosen method. */
  complexTable: 600_000,
  /** Complex-step sweeps for the step lab. */
  complexLab: 600_000,
  /** Evaluations of the compiled f for the other methods of the comparison table. */
  table: 300_000_000,
};

export const DEFAULT_METHOD: MethodId = 'central';

export interface NumericOptions {
  method: MethodId;
  /** An absolute step for every input, or null for the automatic one. */
  h: number | null;
  /** Compute the step lab. */
  lab: boolean;
  /** Compute every method for the comparison table, not only the chosen one. */
  all: boolean;
}

const ALIASES: Record<string, MethodId> = {
  forward: 'forward', backward: 'backward', central: 'central',
  'five-point': 'five-point', '5-point': 'five-point', fivepoint: 'five-point', five_point: 'five-point', '5point': 'five-point',
  richardson: 'richardson',
  'complex-step': 'complex-step', complex: 'complex-step', complex_step: 'complex-step', complexstep: 'complex-step',
};

export function parseOptions(options: Record<string, unknown>): NumericOptions {
  const known = ['method', 'h', 'lab', 'all'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new DdxError('input', `numeric has no option ${key}: its options are ${known.join(', ')}`);
  }
  const m = options.method ?? DEFAULT_METHOD;
  const method = typeof m === 'string' ? ALIASES[m.toLowerCase()] : undefined;
  if (!method) throw new DdxError('input', `numeric.method must be one of ${METHOD_IDS.join(', ')} (got ${String(m)})`);
  const hv = options.h ?? 'auto';
  let h: number | null = null;
  if (hv !== 'auto') {
    h = typeof hv === 'string' && hv.trim() !== '' ? Number(hv) : (hv as number);
    if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0) throw new DdxError('input', `numeric.h must be a positive number or "auto" (got ${String(hv)})`);
  }
  const flag = (key: string, fallback: boolean) => {
    const v = options[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') throw new DdxError('input', `numeric.${key} must be true or false (got ${String(v)})`);
    return v;
  };
  return { method, h, lab: flag('lab', true), all: flag('all', true) };
}

/** One method's result: the gradient and what the method says about it. */
export interface MethodResult {
  method: MethodId;
  title: string;
  formula: string;
  gradient: Gradient;
  /** The step taken in each input (the same shape as the gradient). */
  h: Gradient;
  h_rule: string;
  /** Evaluations of f for the gradient (complex evaluations for the complex step). */
  f_evals: number;
  /** Further evaluations spent only on the error estimate. */
  estimate_f_evals: number;
  /** The method's own estimate of each partial's absolute error. */
  error_estimate: Gradient;
  /** The estimate as a relative error (absolute where the partial is 0), comparable with max_rel_error. */
  estimated_rel_error: number | null;
  /** Against the exact reference, as the runner measures the chosen method. */
  max_rel_error: number | null;
  notes: string[];
}

/** Two significant digits, in exponent form for small steps (6.1e-6, not 0.0000061). */
export const fmt = (x: number) => (!Number.isFinite(x) ? String(x) : x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(1).replace('.0e', 'e') : String(Number(x.toPrecision(2))));

class NumericRun {
  readonly options: NumericOptions;
  readonly slots: Slot[];
  readonly probe: Probe;
  readonly paramIndex: Map<string, number>;
  private inst: Instrumented | null = null;
  private baseTrace: Trace | null = null;
  private crossingsLeft = BUDGETS.crossings;
  readonly sharedNotes = new Set<string>();

  constructor(readonly ctx: EngineContext) {
    this.options = parseOptions(ctx.options);
    const fn = mainFn(ctx.program);
    this.paramIndex = new Map(fn.params.map((p, i) => [p.name, i]));
    this.slots = slotsOf(ctx.at, ctx.wrt);
    this.probe = new Probe(ctx.f, ctx.args, this.slots, this.paramIndex);
  }

  get instrumented(): Instrumented {
    return (this.inst ??= instrument(this.ctx.program));
  }

  /** The trace at the point: its decisions, its kinks, and what one interpreted run costs. */
  get base(): Trace {
    return (this.baseTrace ??= traceAt(this.instrumented, this.ctx.args));
  }

  stepsFor(method: MethodId): number[] {
    const user = this.options.h;
    return this.probe.x.map((x) => (user === null ? autoStep(method, x) : method === 'complex-step' ? user : exactStep(x, user)));
  }

  hRule(method: MethodId): string {
    return this.options.h === null ? `automatic: ${METHODS[method].stepRule}·${METHODS[method].scaleRule} per input` : `set by the user: ${this.options.h}`;
  }

  grad(values: number[]): Gradient {
    return gradientFromSlots(this.ctx.at, this.ctx.wrt, values);
  }

  relative(errors: number[], values: number[]): number | null {
    let worst = 0;
    errors.forEach((e, k) => {
      const r = values[k] === 0 || !Number.isFinite(values[k]) ? e : e / Math.abs(values[k]);
      if (!(r <= worst)) worst = r;
    });
    return Number.isFinite(worst) ? worst : null;
  }

  result(method: MethodId, values: number[], hs: number[], errors: number[], evals: number, estimateEvals: number, notes: string[]): MethodResult {
    const gradient = this.grad(values);
    const err = maxRelativeError(gradient, this.ctx.reference.gradient, this.ctx.wrt);
    return {
      method, title: METHODS[method].title, formula: METHODS[method].formula,
      gradient, h: this.grad(hs), h_rule: this.hRule(method),
      f_evals: evals, estimate_f_evals: estimateEvals,
      error_estimate: this.grad(errors), estimated_rel_error: this.relative(errors, values),
      max_rel_error: Number.isFinite(err) ? err : null,
      notes,
    };
  }

  real(method: RealMethodId, checkCrossings: boolean): MethodResult {
    const hs = this.stepsFor(method);
    const values: number[] = [], errors: number[] = [];
    let evals = method === 'forward' || method === 'backward' ? 1 : 0, estimateEvals = 0;
    const nan: string[] = [];
    this.slots.forEach((s, k) => {
      const e = differentiate(method, this.probe, k, hs[k]);
      values.push(e.d);
      errors.push(e.error);
      evals += e.evals;
      estimateEvals += e.estimateEvals;
      if (Number.isNaN(e.d) && !Number.isNaN(this.probe.f0)) nan.push(s.label);
    });
    const notes: string[] = [];
    if (nan.length) notes.push(`the difference for ${list(nan)} is NaN: f is undefined at a point of the stencil (${METHODS[method].formula})`);
    if (checkCrossings) notes.push(...this.crossings(method, hs));
    return this.result(method, values, hs, errors, evals, estimateEvals, notes);
  }

  /** Runs the tracer at the stencil's extreme points for each input, within the budget. */
  crossings(method: RealMethodId, hs: number[]): string[] {
    const [below, above] = METHODS[method].reach;
    const found = new Map<string, { labels: string[]; h: number; where: string }>();
    const failures = new Map<string, string>();
    let checked = 0;
    for (let k = 0; k < this.slots.length; k++) {
      const cost = 2 * Math.max(this.base.operations, 1);
      if (cost > this.crossingsLeft) break;
      this.crossingsLeft -= cost;
      const x = this.probe.x[k], h = hs[k];
      const at = (t: number) => {
        try {
          return traceAt(this.instrumented, this.probe.argsWith(k, x + t * h));
        } catch (err) {
          // f has no value there (the compiled f gives NaN or undefined where the interpreter stops)
          const where = `${this.slots[k].label} ${t < 0 ? '-' : '+'} ${Math.abs(t) === 1 ? '' : Math.abs(t)}h`;
          failures.set(err instanceof Error ? err.message : String(err), where);
          return null;
        }
      };
      const lo = below ? at(-below) : null, hi = above ? at(above) : null;
      checked++;
      for (const n of kinksAtPoint(this.base, lo, hi)) this.sharedNotes.add(n);
      for (const c of findCrossings(this.base, lo, hi)) {
        const label = this.slots[k].label;
        const reach = c.side === '-' ? below : above;
        const entry = found.get(c.text) ?? { labels: [], h, where: `${label} ${c.side} ${reach === 1 ? '' : `${reach}`}h` };
        entry.labels.push(label);
        found.set(c.text, entry);
      }
    }
    const notes: string[] = [];
    for (const [text, e] of found) {
      const others = e.labels.length > 1 ? `; so do the steps in ${list(e.labels.slice(1))}` : '';
      notes.push(`the step h=${fmt(e.h)} in ${e.labels[0]} crosses ${text}: f at ${e.where} is on another piece of f, so this difference mixes two pieces${others}`);
    }
    for (const [message, where] of failures) notes.push(`f has no value at ${where}: ${message}`);
    if (checked < this.slots.length) notes.push(`branch and kink crossings were checked for ${checked} of the ${this.slots.length} inputs (the check interprets f twice per input, within a budget)`);
    return notes;
  }

  complex(): MethodResult {
    const algebra = new ComplexStepAlgebra(this.instrumented.markers);
    const hs = this.stepsFor('complex-step');
    const values: number[] = [], errors: number[] = [];
    let estimateEvals = 0;
    let strayReal: string | null = null;
    this.slots.forEach((s, k) => {
      const slot = { paramIndex: this.paramIndex.get(s.param)!, index: s.index };
      const sweep = complexSweep(this.instrumented, algebra, this.ctx.args, slot, hs[k]);
      values.push(sweep.d);
      if (this.options.h === null) {
        // At h = 1e-20 the truncation error h²|f'''|/6 is far below rounding, and no difference
        // of nearby values is taken: what is left is rounding, about eps·sqrt(N) relative over N
        // operations on the perturbed path (a random walk). It cannot see cancellation inside the
        // derivative's own formula (d/dx expm1(x)/x near 0), which any exact method shares.
        errors.push(EPS * Math.sqrt(Math.max(sweep.perturbedOps, 1)) * Math.abs(sweep.d));
        const f0 = this.probe.f0;
        if (strayReal === null && Math.abs(sweep.re - f0) > 1e-10 * Math.max(Math.abs(f0), 1)) strayReal = s.label;
      } else {
        // With a chosen h, the same sweep at h/2 estimates the truncation error: 4/3 of the change.
        const half = complexSweep(this.instrumented, algebra, this.ctx.args, slot, hs[k] / 2);
        estimateEvals++;
        errors.push((4 / 3) * Math.abs(sweep.d - half.d) + EPS * Math.sqrt(Math.max(sweep.perturbedOps, 1)) * Math.abs(sweep.d));
      }
    });
    const notes = [...algebra.notes.values()];
    if (strayReal !== null) notes.push(`Re f(x + ih) differs from f(x) for ${strayReal}: the complex evaluation did not follow f's real path, so its derivative is suspect`);
    return this.result('complex-step', values, hs, errors, this.slots.length, estimateEvals, notes);
  }

  run(method: MethodId, checkCrossings: boolean): MethodResult {
    return method === 'complex-step' ? this.complex() : this.real(method, checkCrossings);
  }

  /** Whether the complex step over every input fits in the comparison table's budget. */
  complexAffordable(): boolean {
    return this.slots.length * Math.max(this.base.operations, 1) <= BUDGETS.complexTable;
  }

  lab(): StepLab {
    const reference = flattenGradient(this.ctx.reference.gradient, this.ctx.wrt);
    const lab = runStepLab({
      probe: this.probe, slots: this.slots, reference, inst: this.instrumented, args: this.ctx.args, paramIndex: this.paramIndex,
      operationsPerRun: Math.max(this.base.operations, 1), complexBudget: BUDGETS.complexLab, userStep: this.options.h,
    });
    return lab;
  }
}

function list(labels: string[]): string {
  if (labels.length <= 4) return labels.join(', ');
  return `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more`;
}

function run(ctx: EngineContext): EngineOutput {
  const r = new NumericRun(ctx);
  const chosen = r.options.method;
  const main = r.run(chosen, true);

  const methods: Partial<Record<MethodId, MethodResult>> = { [chosen]: main };
  const tableNotes: string[] = [];
  if (r.options.all) {
    let tableLeft = BUDGETS.table;
    for (const m of METHOD_IDS) {
      if (m === chosen) continue;
      if (m === 'complex-step') {
        if (r.complexAffordable()) methods[m] = r.run(m, false);
        else tableNotes.push(`the comparison leaves out the complex step: ${r.slots.length} interpreter sweeps are over the engine's budget`);
        continue;
      }
      const evals = (METHODS[m].evalsPerInput + 2) * r.slots.length;
      const work = evals * Math.max(r.base.operations, 1);
      if (work > tableLeft) {
        tableNotes.push(`the comparison leaves out ${METHODS[m].title}: its ${evals.toLocaleString('en-US')} evaluations of f are over the engine's budget`);
        continue;
      }
      tableLeft -= work;
      methods[m] = r.run(m, true);
    }
  }
  const ordered: Partial<Record<MethodId, MethodResult>> = {};
  for (const m of METHOD_IDS) if (methods[m]) ordered[m] = methods[m];

  const stepLab = r.options.lab && r.slots.length > 0 ? r.lab() : undefined;
  const info = METHODS[chosen];
  const est = main.estimated_rel_error;
  const notes = [
    `${info.title}: ${info.formula}, truncation error O(h^${info.order}); h ${main.h_rule}; ${main.f_evals} ${chosen === 'complex-step' ? 'complex evaluations of f (interpreter sweeps, one per input)' : 'evaluations of f'}`,
    ...(est === null ? [] : [`its own error estimate: ${fmt(est)} relative`]),
    ...main.notes,
    ...r.sharedNotes,
    ...(r.probe.failure ? [`f fails at ${r.probe.failure.label} = ${r.probe.failure.value}: ${r.probe.failure.message} (that evaluation counts as NaN)`] : []),
    ...tableNotes,
  ];
  return {
    gradient: main.gradient,
    source: numericSource(ctx.program, ctx.wrt, chosen, r.options.h),
    cost: {
      f_evals: main.f_evals,
      estimate_f_evals: main.estimate_f_evals,
      all_f_evals: r.probe.evaluations,
      ...(chosen === 'complex-step' ? { interpreter_sweeps: main.f_evals + main.estimate_f_evals } : {}),
    },
    notes,
    method: chosen,
    h: main.h,
    h_rule: main.h_rule,
    f_evals: main.f_evals,
    error_estimate: main.error_estimate,
    estimated_rel_error: main.estimated_rel_error,
    methods: ordered,
    ...(stepLab ? { step_lab: stepLab } : {}),
  };
}

/** The hot path for --time: the chosen method's gradient alone, steps computed beforehand. */
function timer(ctx: EngineContext): () => unknown {
  const r = new NumericRun({ ...ctx, options: { ...ctx.options, lab: false, all: false } });
  const method = r.options.method;
  const hs = r.stepsFor(method);
  if (method === 'complex-step') {
    const algebra = new ComplexStepAlgebra(r.instrumented.markers);
    return () => r.slots.map((s, k) => complexSweep(r.instrumented, algebra, ctx.args, { paramIndex: r.paramIndex.get(s.param)!, index: s.index }, hs[k]).d);
  }
  return hotGradient(method, ctx.f, ctx.args, r.slots, r.paramIndex, hs);
}

export const numericEngine: Engine = {
  id: 'numeric',
  title: 'Numeric',
  summary: 'finite differences: f evaluated at nearby points (forward, central, 5-point, Richardson), or at x + ih (complex step)',
  run,
  timer,
};
