// One differentiation request, end to end: parse and fence the source, check the point, evaluate
// f, compute the exact reference, run the requested engines and measure each against the
// reference. Returns the JSON contract shared by the CLI, the batch mode, the worker and the tests.

import { DdxError, toErrorInfo, type ErrorInfo } from './errors.ts';
import { compileProgram } from './interp/compile.ts';
import { Interpreter } from './interp/interpreter.ts';
import { floatAlgebra } from './interp/algebra.ts';
import { mainFn, type Program } from './ir/types.ts';
import { parseProgram } from './lang/parse.ts';
import { argsOf, maxRelativeError, validatePoint, validateWrt, type Gradient, type Point } from './point.ts';
import { computeReference, type Reference } from './reference/reference.ts';
import { decisionBits, partingWatch } from './reference/path.ts';
import { ENGINES, engineById } from './engines/registry.ts';
import type { EngineContext, EngineResult } from './engines/types.ts';
import { medianMicros } from './timing.ts';

export interface GradRequest {
  source: string;
  at: unknown;
  wrt?: string[];
  /** Engine ids to run; undefined runs every registered engine, [] runs none. */
  engines?: string[];
  /** Per-engine options, keyed by engine id. */
  options?: Record<string, Record<string, unknown>>;
  /** Measure f_micros and each engine's cost.micros. */
  time?: boolean;
}

export interface GradResponse {
  function: string;
  mode: 'function' | 'expression';
  params: string[];
  at: Point;
  wrt: string[];
  value: number;
  /** `note`: present when rounding takes f down another path than the exact reference. */
  reference: { value: number; gradient: Gradient; digits: number; note?: string };
  engines: Record<string, EngineResult & { max_rel_error?: number | null }>;
  f_micros?: number;
}

export type GradOutcome = GradResponse | { error: ErrorInfo };

export function isError(outcome: GradOutcome): outcome is { error: ErrorInfo } {
  return 'error' in outcome;
}

/** Everything that comes before the engines: parsed, validated, evaluated and referenced. */
export interface Prepared {
  program: Program;
  at: Point;
  wrt: string[];
  value: number;
  reference: Reference;
  /** Set when rounding decides a branch of f differently from exact arithmetic (path.ts). */
  parting?: string;
  context: (options: Record<string, unknown>) => EngineContext;
}

export function prepare(source: string, at: unknown, wrt?: string[]): Prepared {
  const program = parseProgram(source);
  const fn = mainFn(program);
  const point = validatePoint(fn, at);
  const wrtList = validateWrt(fn, wrt);
  const args = argsOf(fn, point);
  // The interpreter runs first: it reports runtime errors and budget overruns with a location.
  const floatPath = decisionBits();
  const value = new Interpreter(program, floatAlgebra, { onBranch: floatPath.onBranch }).run(args);
  const watch = partingWatch(floatPath.bits);
  const reference = computeReference(program, point, { onBranch: watch.onBranch });
  const parting = watch.note();
  const f = compileProgram(program);
  return {
    program, at: point, wrt: wrtList, value, reference, ...(parting ? { parting } : {}),
    context: (options) => ({ program, at: point, wrt: wrtList, args, f, reference, options }),
  };
}

export function runGradient(request: GradRequest): GradOutcome {
  let prepared: Prepared;
  try {
    if (request.engines) for (const id of request.engines) if (!engineById(id)) throw new DdxError('input', `unknown engine ${id}: the engines are ${ENGINES.map((e) => e.id).join(', ')}`);
    prepared = prepare(request.source, request.at, request.wrt);
  } catch (err) {
    return { error: toErrorInfo(err) };
  }
  const response = baseResponse(prepared);
  if (request.time) {
    const ctx = prepared.context({});
    response.f_micros = medianMicros(() => ctx.f(...ctx.args));
  }
  const ids = request.engines ?? ENGINES.map((e) => e.id);
  for (const id of ids) {
    response.engines[id] = runEngine(id, prepared, request.options?.[id] ?? {}, request.time ?? false);
  }
  return response;
}

/** The response for a prepared request before any engine has run: the contract's common fields. */
export function baseResponse(prepared: Prepared): GradResponse {
  const { program, at, wrt, value, reference, parting } = prepared;
  return {
    function: program.main,
    mode: program.mode,
    params: mainFn(program).params.map((p) => p.name),
    at,
    wrt,
    value,
    reference: { value: reference.value, gradient: pick(reference.gradient, wrt), digits: reference.digits, ...(parting ? { note: parting } : {}) },
    engines: {},
  };
}

export function runEngine(id: string, prepared: Prepared, options: Record<string, unknown>, time: boolean): EngineResult & { max_rel_error?: number | null } {
  const engine = engineById(id)!;
  const ctx = prepared.context(options);
  try {
    const t0 = performance.now();
    const result = engine.run(ctx);
    const elapsed = performance.now() - t0;
    const error = maxRelativeError(result.gradient, prepared.reference.gradient, prepared.wrt);
    const cost: Record<string, number | string> = { ...result.cost, millis: round3(elapsed) };
    if (time) {
      const hot = engine.timer ? engine.timer(ctx) : () => engine.run(ctx);
      cost.micros = medianMicros(hot);
    }
    return { ok: true, ...result, cost, max_rel_error: Number.isFinite(error) ? error : null };
  } catch (err) {
    return { ...(err instanceof DdxError ? err.details : undefined), ok: false, error: toErrorInfo(err) };
  }
}

function pick(g: Gradient, keys: string[]): Gradient {
  return Object.fromEntries(keys.map((k) => [k, g[k]]));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
