// The Engine interface: every way of differentiating plugs in behind this, in one file or folder
// under src/engines/, listed once in registry.ts. The CLI, the worker and the tests only see this.

import type { ErrorInfo } from '../errors.ts';
import type { CompiledFunction } from '../interp/compile.ts';
import type { Value } from '../interp/algebra.ts';
import type { Program } from '../ir/types.ts';
import type { Gradient, Point } from '../point.ts';
import type { Reference } from '../reference/reference.ts';

export const ENGINE_IDS = ['manual', 'numeric', 'symbolic', 'reverse', 'forward'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

export interface EngineContext {
  program: Program;
  /** The validated point, one entry per parameter of the main function. */
  at: Point;
  /** The parameters to differentiate with respect to, in parameter order. */
  wrt: string[];
  /** The main function's arguments in parameter order (the point as a list). */
  args: Value<number>[];
  /** f over plain numbers on the compiled fast path. */
  f: CompiledFunction;
  /** The exact reference at the point. Engines report against it; they never compute with it. */
  reference: Reference;
  /** This engine's options (from the CLI, a batch line or the UI), as given. */
  options: Record<string, unknown>;
}

export interface Derivative {
  /** mathjs syntax that mathjs and sympy can parse back. */
  expression: string;
  latex: string;
}

/** What an engine's run returns: a gradient and what it shows about how it got there. */
export interface EngineOutput {
  gradient: Gradient;
  /** Engines with formulas: one entry per scalar partial (`x`, or `x_0`, `x_1` for an array). */
  derivatives?: Record<string, Derivative>;
  /** Engines that generate code: the generated JavaScript. */
  source?: string;
  cost: Record<string, number | string>;
  notes: string[];
  /** Engine-specific data for the UI and the JSON contract (a tape, stages, a verdict, ...). */
  [extra: string]: unknown;
}

export type EngineSuccess = EngineOutput & { ok: true };

export interface EngineFailure {
  ok: false;
  error: ErrorInfo;
  /** Structured data the engine gave with its error (the manual engine's `template`). */
  [extra: string]: unknown;
}

export type EngineResult = EngineSuccess | EngineFailure;

export interface Engine {
  id: EngineId;
  /** The card heading. */
  title: string;
  /** One line for the card: what this method does. */
  summary: string;
  run(ctx: EngineContext): EngineOutput;
  /**
   * The engine's hot path, for timing: a function that computes the gradient once, with all
   * one-off preparation (parsing, code generation) done before it is returned.
   */
  timer?(ctx: EngineContext): () => unknown;
}
