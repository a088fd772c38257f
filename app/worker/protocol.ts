// The typed message protocol between the page and the engine worker: one map of request kinds to
// their payload and result types, from which both directions' discriminated unions are derived.
// A new kind of work (a scan for a plot, say) is one more entry in `WorkerRequests` and one handler.

import type { ErrorInfo } from '../../src/errors.ts';
import type { GradOutcome } from '../../src/run.ts';
import type { Point } from '../../src/point.ts';

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

export interface GradJob {
  source: string;
  /** The page's point; the worker fits it to the function's parameters (see fitPoint). */
  point: Point;
  /** Parameters to differentiate with respect to; null means all of them. */
  wrt: string[] | null;
  /** The parameters the page knew when it asked: parameters new since then are differentiated too. */
  knownParams: string[];
  /** Engine ids to run, in card order. */
  engines: string[];
  /** Per-engine options, exactly as the engines take them. */
  options: Record<string, Record<string, unknown>>;
}

export interface GradAnswer {
  /** The main function's parameters, or null when the source did not parse. */
  params: ParamInfo[] | null;
  /** The point and wrt the answer was computed for, after fitting them to the parameters. */
  point: Point;
  wrt: string[];
  outcome: GradOutcome;
  /**
   * f as LaTeX, along the path taken at the point: the symbolic engine's `f_latex` when it ran,
   * else f's own expression when its body is a single return, else null.
   */
  fLatex: string | null;
  /** Wall time in the worker, for the page's own reporting. */
  millis: number;
}

/** Request kind -> payload and result. */
export interface WorkerRequests {
  hello: { payload: Record<string, never>; result: { engines: EngineInfo[] } };
  grad: { payload: GradJob; result: GradAnswer };
}

export type RequestKind = keyof WorkerRequests;

export type ToWorker = { [K in RequestKind]: { type: K; id: number; payload: WorkerRequests[K]['payload'] } }[RequestKind];

export type FromWorker =
  | { [K in RequestKind]: { type: K; id: number; ok: true; result: WorkerRequests[K]['result'] } }[RequestKind]
  | { type: RequestKind; id: number; ok: false; error: ErrorInfo }
  /** Long jobs may report how far they are (0..1) before their answer. */
  | { type: 'progress'; id: number; fraction: number };
