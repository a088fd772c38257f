// The slice picture's numbers: f and each engine's derivative along a 1-D slice through the point
// (one scalar input moves, the others stay put). Each engine is evaluated at every sample on its
// own fast path: numeric differences over the compiled f with the card's method and h, reverse
// mode's generated gradient, forward mode's tangent code, the symbolic derivative compiled once at
// the point (so valid only on the path taken there, which the picture shows), and the user's own
// derivative. Samples and time are capped, so a slow engine stops early instead of stalling.

import { DdxError } from '../errors.ts';
import { generateGradient } from '../codegen/reverse.ts';
import { compileTangent, generateTangent } from '../codegen/tangent.ts';
import { compileDerivatives } from '../engines/manual/index.ts';
import { resolveManual } from '../engines/manual/resolve.ts';
import { ComplexStepAlgebra, complexSweep } from '../engines/numeric/complex-step.ts';
import { parseOptions } from '../engines/numeric/index.ts';
import { autoStep, differentiate, exactStep, METHODS, Probe } from '../engines/numeric/methods.ts';
import { instrument } from '../engines/numeric/trace.ts';
import type { Value } from '../interp/algebra.ts';
import { compileProgram } from '../interp/compile.ts';
import { mainFn, type Program } from '../ir/types.ts';
import { parseProgram } from '../lang/parse.ts';
import { argsOf, validatePoint, type Point } from '../point.ts';
import { compileGradient, generateGradient as generateSymbolic } from '../symbolic/codegen.ts';
import { differentiate as symbolicDerivative } from '../symbolic/pipeline.ts';
import { SLICE_DEFAULT_SAMPLES, SLICE_MILLIS_PER_ENGINE, sampleGrid } from './slice-range.ts';

export { defaultRange, sampleGrid, SLICE_DEFAULT_SAMPLES, SLICE_MAX_SAMPLES, SLICE_MILLIS_PER_ENGINE } from './slice-range.ts';

export const SLICE_ENGINES = ['manual', 'numeric', 'symbolic', 'reverse', 'forward'] as const;
export type SliceEngine = (typeof SLICE_ENGINES)[number];

export interface SliceJob {
  source: string;
  point: Point;
  /** The scalar input that moves: a number parameter, or one element of an array parameter. */
  param: string;
  index: number | null;
  from: number;
  to: number;
  samples?: number;
  /** Engines to evaluate, by id; unknown ids are ignored. */
  engines: string[];
  /** The cards' options, by engine id (numeric's method and h are used). */
  options?: Record<string, Record<string, unknown>>;
  millisPerEngine?: number;
}

export interface SliceSeries {
  engine: SliceEngine;
  /** One value per sample; null where the engine has no value (f undefined there, or time ran out). */
  values: (number | null)[];
  /** What this curve is, for the legend (`central difference, h auto`). */
  detail: string;
  notes: string[];
}

export interface SliceAnswer {
  /** The moving input as written (`x`, `a[2]`). */
  label: string;
  t: number[];
  f: (number | null)[];
  /** Where the point is: its value and its sample (the point is always one of the samples). */
  at: number;
  atIndex: number;
  series: SliceSeries[];
  /** Engines that could not draw a curve at all, and why. */
  failed: { engine: SliceEngine; message: string }[];
  millis: number;
}

interface Setting {
  program: Program;
  point: Point;
  paramIndex: number;
  index: number | null;
  /** The point's arguments, copied, with the moving input set to t. */
  argsAt: (t: number) => Value<number>[];
}

type Evaluator = (t: number) => number;

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

function setting(job: SliceJob): Setting {
  const program = parseProgram(job.source);
  const fn = mainFn(program);
  const point = validatePoint(fn, job.point);
  const paramIndex = fn.params.findIndex((p) => p.name === job.param);
  if (paramIndex < 0) throw new DdxError('input', `the slice moves ${job.param}, which is not a parameter of ${fn.name}`);
  const value = point[job.param];
  if (Array.isArray(value)) {
    if (job.index === null || !Number.isInteger(job.index) || job.index < 0 || job.index >= value.length) {
      throw new DdxError('input', `the slice needs an element of ${job.param} (0 to ${value.length - 1})`);
    }
  } else if (job.index !== null) throw new DdxError('input', `${job.param} is a number, not an array`);
  const base = argsOf(fn, point);
  const argsAt = (t: number) => {
    const args = base.map((a) => (Array.isArray(a) ? a.slice() : a));
    if (job.index === null) args[paramIndex] = t;
    else (args[paramIndex] as number[])[job.index] = t;
    return args;
  };
  return { program, point, paramIndex, index: job.index, argsAt };
}

/** Picks the moving input's entry out of a gradient entry (a number, or an array for an array parameter). */
function pick(entry: unknown, index: number | null): number {
  if (index === null) return typeof entry === 'number' ? entry : NaN;
  const list = entry as ArrayLike<number> | undefined;
  return list && typeof list[index] === 'number' ? list[index] : NaN;
}

function numericEvaluator(s: Setting, options: Record<string, unknown>): { evaluate: Evaluator; detail: string } {
  const o = parseOptions({ ...options, lab: false, all: false });
  const f = compileProgram(s.program);
  const fn = mainFn(s.program);
  const slot = { param: fn.params[s.paramIndex].name, index: s.index, label: '' };
  const paramIndex = new Map(fn.params.map((p, i) => [p.name, i]));
  const detail = `${METHODS[o.method].title}, h ${o.h === null ? 'automatic' : `= ${o.h}`}`;
  if (o.method === 'complex-step') {
    const inst = instrument(s.program);
    const algebra = new ComplexStepAlgebra(inst.markers);
    return {
      detail,
      evaluate: (t) => complexSweep(inst, algebra, s.argsAt(t), { paramIndex: s.paramIndex, index: s.index }, o.h ?? autoStep('complex-step', t)).d,
    };
  }
  const method = o.method;
  return {
    detail,
    evaluate: (t) => {
      const probe = new Probe(f, s.argsAt(t), [slot], paramIndex);
      const h = o.h === null ? autoStep(method, t) : exactStep(t, o.h);
      return differentiate(method, probe, 0, h, false).d;
    },
  };
}

function reverseEvaluator(s: Setting): Evaluator {
  const fn = mainFn(s.program);
  const gen = generateGradient(s.program, { wrt: [fn.params[s.paramIndex].name] });
  return (t) => pick((gen.fn(...s.argsAt(t)) as unknown[])[0], s.index);
}

function forwardEvaluator(s: Setting): Evaluator {
  const fn = mainFn(s.program);
  const tangent = compileTangent(generateTangent(s.program, [fn.params[s.paramIndex].name]));
  const length = s.index === null ? 0 : (s.point[fn.params[s.paramIndex].name] as number[]).length;
  return (t) => {
    const seed = s.index === null ? 1 : Array.from({ length }, (_, i) => (i === s.index ? 1 : 0));
    return tangent(...s.argsAt(t), seed);
  };
}

function symbolicEvaluator(s: Setting): Evaluator {
  const fn = mainFn(s.program);
  const name = fn.params[s.paramIndex].name;
  const sym = symbolicDerivative(s.program, s.point, [name]);
  const at = sym.partials.findIndex((p) => p.slot.index === s.index);
  if (at < 0) throw new DdxError('engine', `the symbolic derivative has no entry for ${name}`);
  const compiled = compileGradient(generateSymbolic(fn, sym.trace.slots, sym.partials.map((p) => p.slot), sym.cse, sym.printer));
  return (t) => compiled(...s.argsAt(t))[at];
}

function manualEvaluator(s: Setting, options: Record<string, unknown>): Evaluator {
  const fn = mainFn(s.program);
  const name = fn.params[s.paramIndex].name;
  const setup = resolveManual(s.program, s.point, [name], options);
  const evaluate = compileDerivatives(setup);
  // One value per wrt slot, in slot order: the element's position among the parameter's slots.
  const position = s.index ?? 0;
  return (t) => evaluate(s.argsAt(t))[position];
}

/** Evaluates one curve within the time cap; later samples stay null once time is up. */
function scan(t: number[], evaluate: Evaluator, millis: number, order: number[]): { values: (number | null)[]; done: number } {
  const values: (number | null)[] = t.map(() => null);
  const deadline = performance.now() + millis;
  let done = 0;
  for (const i of order) {
    try {
      values[i] = finiteOrNull(evaluate(t[i]));
    } catch {
      values[i] = null;
    }
    done++;
    if (performance.now() > deadline) break;
  }
  return { values, done };
}

/** The point first, then every fourth sample, then the rest: a curve cut short by time still spans the range. */
function sampleOrder(n: number, atIndex: number): number[] {
  const order: number[] = atIndex >= 0 ? [atIndex] : [];
  const seen = new Set(order);
  for (const stride of [8, 4, 2, 1]) {
    for (let i = 0; i < n; i += stride) if (!seen.has(i)) { seen.add(i); order.push(i); }
  }
  return order;
}

export function sliceScan(job: SliceJob): SliceAnswer {
  const t0 = performance.now();
  if (!(Number.isFinite(job.from) && Number.isFinite(job.to)) || job.from === job.to) throw new DdxError('input', 'the slice needs two different finite ends');
  const s = setting(job);
  const [from, to] = job.from < job.to ? [job.from, job.to] : [job.to, job.from];
  const x0 = s.index === null ? (s.point[job.param] as number) : (s.point[job.param] as number[])[s.index];
  const { t, atIndex } = sampleGrid(from, to, job.samples ?? SLICE_DEFAULT_SAMPLES, x0);
  const millis = job.millisPerEngine ?? SLICE_MILLIS_PER_ENGINE;
  const order = sampleOrder(t.length, atIndex);

  const f = compileProgram(s.program);
  const fValues = scan(t, (x) => f(...s.argsAt(x)), millis, order).values;

  const series: SliceSeries[] = [];
  const failed: SliceAnswer['failed'] = [];
  const options = job.options ?? {};
  for (const engine of SLICE_ENGINES) {
    if (!job.engines.includes(engine)) continue;
    let evaluate: Evaluator;
    let detail: string;
    const notes: string[] = [];
    try {
      switch (engine) {
        case 'numeric': ({ evaluate, detail } = numericEvaluator(s, options.numeric ?? {})); break;
        case 'reverse': evaluate = reverseEvaluator(s); detail = 'the generated gradient function'; break;
        case 'forward': evaluate = forwardEvaluator(s); detail = 'the generated tangent code, one sweep'; break;
        case 'symbolic':
          evaluate = symbolicEvaluator(s);
          detail = 'the formula found at the point';
          notes.push('the symbolic derivative is the formula of the path f took at the point; away from it (another branch, another trip count) it can be wrong');
          break;
        case 'manual': evaluate = manualEvaluator(s, options.manual ?? {}); detail = 'your derivative'; break;
      }
    } catch (err) {
      failed.push({ engine, message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    const { values, done } = scan(t, evaluate, millis, order);
    if (done < t.length) notes.push(`stopped after ${done} of ${t.length} samples (${millis} ms per engine)`);
    series.push({ engine, values, detail, notes });
  }
  return {
    label: s.index === null ? job.param : `${job.param}[${s.index}]`,
    t, f: fValues, at: x0, atIndex, series, failed,
    millis: performance.now() - t0,
  };
}
