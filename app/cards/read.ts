// Defensive readers for the engine-specific keys of an engine's output (stages, tape, verdict, ...).
// The Engine interface leaves these open, so the UI checks each shape before it draws anything and
// simply leaves out what it does not recognise.

import type { Derivative } from '../../src/engines/types.ts';

type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** One stage of a derivation or of generated code: a name, maybe a size, LaTeX per partial, code. */
export interface Stage {
  id: string;
  label: string;
  size?: number;
  /** Per partial key (`x`, `x_0`): LaTeX and mathjs text. */
  derivatives: Record<string, Partial<Derivative>>;
  /** Per partial key, plain LaTeX. */
  latex?: string;
  source?: string;
  notes: string[];
}

const STAGE_LABELS: Record<string, string> = {
  raw: 'raw',
  simplified: 'simplified',
  cse: 'CSE',
  optimized: 'optimized',
  optimised: 'optimized',
  transformed: 'raw',
};

function readDerivatives(v: unknown): Record<string, Partial<Derivative>> {
  const out: Record<string, Partial<Derivative>> = {};
  if (!isObject(v)) return out;
  for (const [key, d] of Object.entries(v)) {
    if (typeof d === 'string') out[key] = { latex: d };
    else if (isObject(d)) out[key] = { latex: str(d.latex), expression: str(d.expression) ?? str(d.text) };
  }
  return out;
}

function readStage(id: string, v: unknown): Stage | null {
  if (typeof v === 'string') return { id, label: STAGE_LABELS[id] ?? id, derivatives: {}, source: v, notes: [] };
  if (!isObject(v)) return null;
  const name = str(v.id) ?? str(v.name) ?? str(v.stage) ?? id;
  const size = num(v.size) ?? num(v.ops) ?? num(v.operations) ?? num(v.nodes) ?? num(v.count_ops);
  const derivatives = readDerivatives(v.derivatives ?? v.partials);
  const latex = typeof v.latex === 'string' ? v.latex : undefined;
  if (isObject(v.latex)) Object.assign(derivatives, readDerivatives(v.latex));
  const source = str(v.source) ?? str(v.code) ?? str(v.js);
  const notes = Array.isArray(v.notes) ? v.notes.filter((n): n is string => typeof n === 'string') : [];
  return { id: name, label: str(v.label) ?? str(v.title) ?? STAGE_LABELS[name] ?? name, size, derivatives, latex, source, notes };
}

/** Reads `stages` as either a list of stages or an object keyed by stage name. */
export function readStages(v: unknown): Stage[] {
  if (Array.isArray(v)) return v.map((s, i) => readStage(String(i), s)).filter((s): s is Stage => s !== null);
  if (isObject(v)) return Object.entries(v).map(([k, s]) => readStage(k, s)).filter((s): s is Stage => s !== null);
  return [];
}

export interface TapeNode {
  id: number | string;
  op: string;
  value?: number;
  adjoint?: number;
  line?: number;
  column?: number;
  inputs: (number | string)[];
}

export interface Tape {
  nodes: TapeNode[];
  edges: number;
}

/** Reads a tape exported as `{nodes, edges, order}` (issue 4); edges as pairs or as per-node inputs. */
export function readTape(v: unknown): Tape | null {
  if (!isObject(v) || !Array.isArray(v.nodes)) return null;
  const inputsOf = new Map<string, (number | string)[]>();
  let edgeCount = 0;
  if (Array.isArray(v.edges)) {
    for (const e of v.edges) {
      let from: unknown, to: unknown;
      if (Array.isArray(e)) [from, to] = e;
      else if (isObject(e)) { from = e.from ?? e.source ?? e.input; to = e.to ?? e.target ?? e.node; }
      if ((typeof from === 'number' || typeof from === 'string') && (typeof to === 'number' || typeof to === 'string')) {
        edgeCount++;
        const list = inputsOf.get(String(to)) ?? [];
        list.push(from);
        inputsOf.set(String(to), list);
      }
    }
  }
  const nodes: TapeNode[] = [];
  v.nodes.forEach((n, i) => {
    if (!isObject(n)) return;
    const id = typeof n.id === 'number' || typeof n.id === 'string' ? n.id : i;
    const span = isObject(n.loc) ? n.loc : isObject(n.span) ? n.span : isObject(n.source) ? n.source : n;
    const own = Array.isArray(n.inputs) ? n.inputs : Array.isArray(n.args) ? n.args : null;
    const inputs = own ? own.filter((x): x is number | string => typeof x === 'number' || typeof x === 'string') : (inputsOf.get(String(id)) ?? []);
    if (own) edgeCount += inputs.length;
    nodes.push({
      id,
      op: str(n.op) ?? str(n.label) ?? '?',
      value: num(n.value),
      adjoint: num(n.adjoint) ?? num(n.grad) ?? num(n.bar),
      line: num(span.line),
      column: num(span.column),
      inputs,
    });
  });
  return { nodes, edges: edgeCount };
}

/** The manual engine's "nothing to check yet" answer carries a template to start from. */
export function manualTemplateOf(result: Record<string, unknown>): string | null {
  return typeof result.template === 'string' ? result.template : null;
}
