// The symbolic engine (like sympy): the expression f computes at the point, differentiated rule by
// rule, shown at three stages with their sizes (raw, simplified, common subexpressions pulled
// out), as LaTeX and mathjs text; the last stage is also the generated JavaScript. The gradient is
// the simplified derivative evaluated in floats. A size budget (option `budget`, in nodes) stops
// expression swell: tracing stops past it, and a larger stage is measured but not written out.

import { DdxError } from '../../errors.ts';
import { formatVar } from '../../ir/format.ts';
import { mainFn } from '../../ir/types.ts';
import { gradientFromSlots } from '../../point.ts';
import { compileGradient, generateGradient } from '../../symbolic/codegen.ts';
import type { SNode } from '../../symbolic/node.ts';
import { cseSize, DEFAULT_BUDGET, differentiate, type Symbolic } from '../../symbolic/pipeline.ts';
import { derivationSteps, type Derivation } from '../../symbolic/steps.ts';
import { SwellError } from '../../symbolic/trace.ts';
import type { Engine, EngineContext, EngineOutput } from '../types.ts';
import { conventionNotes, validityNotes } from './notes.ts';

interface SymbolicOptions {
  budget: number;
  simplify: boolean;
}

function readOptions(raw: Record<string, unknown>): SymbolicOptions {
  const known = ['budget', 'simplify'];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw new DdxError('input', `symbolic has no option ${key}: its options are ${known.join(', ')}`);
  }
  const budget = raw.budget === undefined ? DEFAULT_BUDGET : Number(raw.budget);
  if (!Number.isInteger(budget) || budget < 1) throw new DdxError('input', 'symbolic.budget must be a whole number of nodes (5000 by default)');
  const simplify = raw.simplify === undefined ? true : raw.simplify === true || raw.simplify === 'true';
  return { budget, simplify };
}

/** One stage of one partial derivative. */
export interface StagePart {
  /** Operations, by sympy's count_ops rule. */
  size: number;
  /** Nodes written out as a tree. */
  nodes: number;
  /** null where the expression is over the budget (it is measured, not written out). */
  latex: string | null;
  text: string | null;
}

export interface Stage {
  size: number;
  nodes: number;
  latex: string | null;
  text: string | null;
  partials: Record<string, StagePart>;
}

export interface CseStage {
  size: number;
  temporaries: number;
  latex: string | null;
  text: string | null;
}

export interface Stages {
  raw: Stage;
  simplified: Stage;
  cse: CseStage;
}

const fmtCount = (n: number) => (n < 1e15 ? Math.round(n).toLocaleString('en-US') : n.toExponential(2));

function buildStages(sym: Symbolic, fnName: string, notes: string[]): Stages {
  const P = sym.printer, K = sym.counter, B = sym.budget;
  const d = sym.trace.slots.length > 1 ? '\\partial ' : 'd';
  const label = (name: string) => `\\frac{${d}${formatVar(fnName, 'latex')}}{${d}${formatVar(name, 'latex')}}`;
  const textLabel = (name: string) => `d${fnName}_d${name}`;
  const stage = (which: 'raw' | 'simplified'): Stage => {
    const partials: Record<string, StagePart> = {};
    for (const p of sym.partials) {
      const node = which === 'raw' ? p.rawCanonical : p.simplified;
      // The raw stage is written as the rules built it; its size is sympy's count of that text.
      const nodes = which === 'raw' ? p.raw.nodes : node.nodes;
      const fits = nodes <= B;
      if (!fits) notes.push(`expression swell: over ${fmtCount(B)} nodes at the ${which} derivative with respect to ${p.slot.name} (${fmtCount(nodes)} nodes, ${fmtCount(K.count(node))} operations): measured, not written out`);
      partials[p.slot.name] = {
        size: K.count(node),
        nodes,
        latex: fits ? (which === 'raw' ? P.rawLatex(p.raw) : P.latex(node)) : null,
        text: fits ? (which === 'raw' ? P.rawText(p.raw) : P.text(node)) : null,
      };
    }
    const entries = Object.entries(partials);
    const all = entries.every(([, s]) => s.latex !== null);
    return {
      size: entries.reduce((s, [, x]) => s + x.size, 0),
      nodes: entries.reduce((s, [, x]) => s + x.nodes, 0),
      latex: all ? aligned(entries.map(([n, s]) => `${label(n)} &= ${s.latex}`)) : null,
      text: all ? entries.map(([n, s]) => `${textLabel(n)} = ${s.text}`).join('\n') : null,
      partials,
    };
  };
  const raw = stage('raw');
  const simplified = stage('simplified');
  const { temps, outputs } = sym.cse;
  const cseNodes = temps.reduce((s, t) => s + t.node.nodes, 0) + outputs.reduce((s, o) => s + o.nodes, 0);
  const cseFits = cseNodes <= B;
  if (!cseFits) notes.push(`expression swell: over ${fmtCount(B)} nodes at the CSE stage (${fmtCount(cseNodes)} nodes in ${temps.length} temporaries): measured, not written out`);
  const lines = (style: 'latex' | 'text') => [
    ...temps.map((t) => (style === 'latex' ? `${formatVar(t.name, 'latex')} &= ${P.latex(t.node)}` : `${t.name} = ${P.text(t.node)}`)),
    ...outputs.map((o, i) => (style === 'latex' ? `${label(sym.partials[i].slot.name)} &= ${P.latex(o)}` : `${textLabel(sym.partials[i].slot.name)} = ${P.text(o)}`)),
  ];
  return {
    raw,
    simplified,
    cse: {
      size: cseSize(sym),
      temporaries: temps.length,
      latex: cseFits ? aligned(lines('latex')) : null,
      text: cseFits ? lines('text').join('\n') : null,
    },
  };
}

function aligned(rows: string[]): string {
  return `\\begin{aligned} ${rows.join(' \\\\ ')} \\end{aligned}`;
}

/** f's size in nodes up to which the derivation is shown step by step. */
const STEPS_MAX_NODES = 160;

/** Derivation steps per partial (for the "steps" view), or why there are none. */
function derivations(sym: Symbolic): Record<string, Derivation> | { tooLong: string } {
  if (sym.f.nodes > STEPS_MAX_NODES) return { tooLong: `f has ${fmtCount(sym.f.nodes)} nodes: too long to differentiate step by step (up to ${STEPS_MAX_NODES})` };
  const partial = sym.trace.slots.length > 1;
  const out: Record<string, Derivation> = {};
  for (const p of sym.partials) out[p.slot.name] = derivationSteps(sym.S, sym.printer, sym.f, p.slot.name, { partial, value: sym.evaluate });
  return out;
}

function traced(ctx: EngineContext, options: SymbolicOptions): Symbolic {
  try {
    return differentiate(ctx.program, ctx.at, ctx.wrt, { budget: options.budget, simplify: options.simplify });
  } catch (err) {
    if (err instanceof SwellError) {
      throw new DdxError('budget', `${err.message}: f grew past ${fmtCount(err.budget)} nodes while being traced (sizes reached: f ${fmtCount(err.nodes)} nodes; no derivative formed). Raise the budget (--option symbolic.budget=N) or use reverse mode, which never writes the expression out`, err.loc);
    }
    throw err;
  }
}

export const symbolicEngine: Engine = {
  id: 'symbolic',
  title: 'Symbolic',
  summary: 'Rules applied to the expression f computes at the point (like sympy): the derivative as a formula, raw, simplified and with common subexpressions pulled out',

  run(ctx: EngineContext): EngineOutput {
    const options = readOptions(ctx.options);
    const sym = traced(ctx, options);
    const fn = mainFn(ctx.program);
    const notes: string[] = [];
    const P = sym.printer;
    notes.push(...validityNotes(sym.trace.conditions, sym.events, { text: (r) => P.text(sym.canonical(r)), canonical: sym.canonical }));
    notes.push(...conventionNotes(sym.events));
    const stages = buildStages(sym, fn.name, notes);
    const fFits = sym.f.nodes <= sym.budget;
    if (!fFits) notes.push(`expression swell: f written out has ${fmtCount(sym.f.nodes)} nodes, over the budget of ${fmtCount(sym.budget)}: not shown`);
    if (sym.simplifyCut) notes.push('the simplifier reached its work limit: some parts are left as they were');

    const values = sym.partials.map((p) => {
      const simplified = sym.evaluate(p.simplified);
      if (Number.isFinite(simplified) || !Number.isFinite(p.raw.val)) return simplified;
      // The simplifier may cancel a factor that is 0 at this very point (a removable singularity:
      // X^2 / (4 X) for X / 4): the simplified form is then 0/0 here though the derivative is not.
      notes.push(`the simplified derivative with respect to ${p.slot.name} is not finite at this point (${simplified}), though the unsimplified one is: most likely simplification left a factor that is 0 here below the line; the value given is the unsimplified derivative's, ${p.raw.val}`);
      return p.raw.val;
    });
    sym.partials.forEach((p, i) => {
      // The raw derivative's own float value is a free cross-check on the simplifier.
      const a = values[i], b = p.raw.val;
      if (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300)) {
        notes.push(`the simplified derivative with respect to ${p.slot.name} evaluates to ${a} at the point, the unsimplified one to ${b}: the simplified form loses accuracy here`);
      }
    });
    const gradient = gradientFromSlots(ctx.at, ctx.wrt, values);
    const derivatives: Record<string, { expression: string; latex: string }> = {};
    for (const p of sym.partials) {
      const s = stages.simplified.partials[p.slot.name];
      if (s.text !== null && s.latex !== null) derivatives[p.slot.name] = { expression: s.text, latex: s.latex };
    }
    const generated = generateGradient(fn, sym.trace.slots, sym.partials.map((p) => p.slot), sym.cse, P);
    return {
      gradient,
      derivatives,
      source: generated.source,
      cost: {
        f_nodes: sym.f.nodes,
        raw_ops: stages.raw.size,
        simplified_ops: stages.simplified.size,
        cse_ops: stages.cse.size,
        temporaries: stages.cse.temporaries,
      },
      notes,
      f_latex: fFits ? P.latex(sym.f) : null,
      f_expression: fFits ? P.text(sym.f) : null,
      stages,
      budget: sym.budget,
      steps: derivations(sym),
    };
  },

  timer(ctx: EngineContext) {
    const options = readOptions(ctx.options);
    const sym = traced(ctx, options);
    const fn = mainFn(ctx.program);
    const compiled = compileGradient(generateGradient(fn, sym.trace.slots, sym.partials.map((p) => p.slot), sym.cse, sym.printer));
    const args = ctx.args;
    return () => compiled(...args);
  },
};

export type { SNode };
