// The typed message protocol between the page and the engine worker: one map of request kinds to
// their payload and result types, from which both directions' discriminated unions are derived.
// A new kind of work (a scan for a plot, say) is one more entry in `WorkerRequests` and one handler.
// Engines run one request each, so an engine that overruns the time budget costs only its own card.

import type { ErrorInfo } from '../../src/errors.ts';
import type { EngineResult } from '../../src/engines/types.ts';
import type { GradOutcome } from '../../src/run.ts';
import type { Point } from '../../src/point.ts';
import type { SliceAnswer, SliceJob } from '../../src/views/slice.ts';
import type { CostAnswer, CostJob } from '../../src/views/cost.ts';
import type { SwellAnswer, SwellJob } from '../../src/views/swell.ts';

/** What the page knows about an engine: enough to draw its card before any result arrives. */
export interface EngineInfo {
  id: string;
  title: string;
  summary: string;
}

/** A parameter of the function being differentiated, and whether it is a number or an array. */
export interface ParamInfo {
  name: string;
  type: 'num' | 'arr';
}

/** Parse, fit the point, evaluate f and compute the exact reference: everything before the engines. */
export interface PrepareJob {
  source: string;
  /** The page's point; the worker fits it to the function's parameters (see fitPoint). */
  point: Point;
  /** Parameters to differentiate with respect to; null means all of them. */
  wrt: string[] | null;
  /** The parameters the page knew when it asked: parameters new since then are differentiated too. */
  knownParams: string[];
}

export interface PrepareAnswer {
  /** The main function's parameters, or null when the source did not parse. */
  params: ParamInfo[] | null;
  /** The point and wrt the answer is for, after fitting them to the parameters. */
  point: Point;
  wrt: string[];
  /** runGradient's contract with no engines run yet: the value and the reference, or the error. */
  outcome: GradOutcome;
  /** f as LaTeX when its body is a single return (the symbolic engine's f_latex is better, when it ran). */
  fLatex: string | null;
  /** Wall time in the worker. */
  millis: number;
}

/**
 * One engine at the fitted point. It carries the whole job, so a worker that was restarted after
 * another engine overran its budget can prepare again before running this one.
 */
export interface EngineJob {
  source: string;
  point: Point;
  wrt: string[];
  engine: string;
  options: Record<string, unknown>;
}

export type EngineAnswer = EngineResult & { max_rel_error?: number | null };

/** Request kind -> payload and result. */
export interface WorkerRequests {
  hello: { payload: Record<string, never>; result: { engines: EngineInfo[] } };
  prepare: { payload: PrepareJob; result: PrepareAnswer };
  engine: { payload: EngineJob; result: EngineAnswer };
  /** The views' scans (src/views): f and each engine's derivative along a slice, the cost as n grows, swell against depth. */
  slice: { payload: SliceJob; result: SliceAnswer };
  cost: { payload: CostJob; result: CostAnswer };
  swell: { payload: SwellJob; result: SwellAnswer };
}

export type RequestKind = keyof WorkerRequests;

export type ToWorker = { [K in RequestKind]: { type: K; id: number; payload: WorkerRequests[K]['payload'] } }[RequestKind];

export type FromWorker =
  | { [K in RequestKind]: { type: K; id: number; ok: true; result: WorkerRequests[K]['result'] } }[RequestKind]
  | { type: RequestKind; id: number; ok: false; error: ErrorInfo }
  /** Long jobs may report how far they are (0..1) before their answer. */
  | { type: 'progress'; id: number; fraction: number };
