// The symbolic pipeline end to end, without the Engine wrapper: trace f at the point, take each
// partial derivative by the rules, canonicalize, simplify, pull out common subexpressions, and
// measure every stage (operations by sympy's count_ops, nodes written out as a tree). The engine
// (src/engines/symbolic) and the benchmark both call this.

import { Namer } from '../codegen/naming.ts';
import type { Program } from '../ir/types.ts';
import type { Point } from '../point.ts';
import { Canonicalizer } from './canon.ts';
import { OpCounter } from './count.ts';
import { cse, type Temporary } from './cse.ts';
import { Differentiator, type DiffEvent } from './diff.ts';
import { Evaluator } from './evaluate.ts';
import { Store, type SNode } from './node.ts';
import { Printer } from './print.ts';
import type { Raw } from './raw.ts';
import { Simplifier } from './simplify.ts';
import { trace, type SymbolSlot, type Trace } from './trace.ts';

export const DEFAULT_BUDGET = 5000;

export interface PipelineOptions {
  /** The most nodes an expression may have: tracing stops past it, larger stages are not written out. */
  budget?: number;
  /** Skip the simplifier (the raw stage is then also the "simplified" one). */
  simplify?: boolean;
}

export interface Partial {
  slot: SymbolSlot;
  raw: Raw;
  rawCanonical: SNode;
  simplified: SNode;
}

export interface Symbolic {
  S: Store;
  counter: OpCounter;
  printer: Printer;
  trace: Trace;
  /** f as traced, in canonical form (what sympify would make of it): shown as "the expression f computes". */
  f: SNode;
  partials: Partial[];
  cse: { temps: Temporary[]; outputs: SNode[] };
  events: DiffEvent[];
  budget: number;
  /** The simplifier ran out of its work allowance somewhere. */
  simplifyCut: boolean;
  /** Evaluates canonical expressions at the traced point. */
  evaluate: (n: SNode) => number;
  /** The canonical form of any raw expression of this trace (a branch test's operand, say). */
  canonical: (r: Raw) => SNode;
}

export function differentiate(program: Program, at: Point, wrt: string[], options: PipelineOptions = {}): Symbolic {
  const budget = options.budget ?? DEFAULT_BUDGET;
  const tr = trace(program, at, budget);
  return differentiateTrace(tr, wrt, budget, options.simplify ?? true);
}

export function differentiateTrace(tr: Trace, wrt: string[], budget: number, simplify = true): Symbolic {
  const S = new Store();
  const counter = new OpCounter(S);
  const canon = new Canonicalizer(S);
  const simplifier = new Simplifier(S, counter, { workLimit: Math.max(20_000, budget * 40) });
  const D = new Differentiator();
  const f = canon.canon(tr.f);
  const partials: Partial[] = [];
  for (const slot of tr.slots) {
    if (!wrt.includes(slot.param)) continue;
    const raw = D.derivative(tr.f, slot.name);
    const rawCanonical = canon.canon(raw);
    const simplified = simplify ? simplifier.simplify(rawCanonical) : rawCanonical;
    partials.push({ slot, raw, rawCanonical, simplified });
  }
  const names = tr.slots.map((s) => s.name).concat(tr.slots.map((s) => s.param));
  // Temporaries are t_1, t_2, ... unless f has a `t` (or t_0, ...) of its own: then the next free letter.
  const base = ['t', 's', 'q', 'k', 'c', 'v'].find((b) => !names.some((n) => n === b || n.startsWith(`${b}_`))) ?? 't';
  const common = cse(S, partials.map((p) => p.simplified), new Namer(names), base);
  const env = new Map(tr.slots.map((s) => [s.name, s.value]));
  const evaluator = new Evaluator(env);
  return {
    S, counter, printer: new Printer(S), trace: tr, f, partials, cse: common, events: D.events, budget,
    simplifyCut: simplifier.exhausted, evaluate: (n) => evaluator.value(n), canonical: (r) => canon.canon(r),
  };
}

/** Operation count of the CSE stage: every temporary's definition plus every output. */
export function cseSize(sym: Symbolic): number {
  const K = sym.counter;
  return sym.cse.temps.reduce((s, t) => s + K.count(t.node), 0) + sym.cse.outputs.reduce((s, o) => s + K.count(o), 0);
}
