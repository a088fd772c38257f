// The reverse engine's tape view (autograd's way): f runs once and every primitive it applies to
// a recorded value is written to the tape (compiled-tape.ts records into a reused array, with its
// local partials); one backward sweep gives every record's adjoint (the exact sweep when the view
// is exported, since it says which records were reached; else the fast one, which stands for it
// unless an input's adjoint is zero or NaN). Exported as plain data for the UI's graph: nodes
// (inputs, operations, and each constant where an operation uses it), edges from each input to
// its user, and the order of both sweeps.

import type { SourceLocation } from '../../errors.ts';
import { floatAlgebra } from '../../interp/algebra.ts';
import { Interpreter } from '../../interp/interpreter.ts';
import { formatExpr, formatNumber } from '../../ir/format.ts';
import { PRIMITIVES } from '../../ir/primitives.ts';
import { mainFn, type Program, type Stmt } from '../../ir/types.ts';
import type { Gradient, Point } from '../../point.ts';
import { RULES } from '../../rules/table.ts';
import { backward, backwardFast, compileTape, fastAdjoints, INPUT, type Reached, type Records } from './compiled-tape.ts';

export interface Span { line: number; column: number; endLine: number; endColumn: number }

export interface TapeNodeView {
  id: number;
  /** A primitive, `input` for a wrt parameter (or one array element), `const` for a constant. */
  op: string;
  value: number;
  /** The adjoint: d f / d node (0 where the output does not depend on it). Constants carry none. */
  adjoint: number | null;
  span: Span | null;
  /** For inputs, the parameter (`x`, `a[2]`); for constants, the number as written. */
  label?: string;
}

export interface TapeView {
  nodes: TapeNodeView[];
  edges: { from: number; to: number }[];
  order: { forward: number[]; backward: number[] };
  /** Records on the tape (inputs and operations), whether or not all are exported. */
  length: number;
  /** Set when the tape is longer than the export limit: the first records are exported. */
  truncated?: boolean;
}

export interface TapeRun {
  value: number;
  gradient: Gradient;
  view: TapeView;
  /** One line per place where an operation met a non-differentiable point, with ddx's convention. */
  kinks: string[];
  /** Branch decisions the path took (when asked for), for the note saying where the gradient holds. */
  branches: string[];
}

const span = (loc: SourceLocation | undefined): Span | null =>
  loc ? { line: loc.line, column: loc.column, endLine: loc.endLine ?? loc.line, endColumn: loc.endColumn ?? loc.column } : null;

export function runTape(program: Program, at: Point, wrt: string[], maxNodes = 5000, options: { branches?: boolean } = {}): TapeRun {
  const fn = mainFn(program);
  const tape = compileTape(program);
  const params = fn.params;
  const args: (number | number[])[] = [];
  const differentiated: boolean[] = [];
  for (const p of params) { args.push(at[p.name]); differentiated.push(wrt.includes(p.name)); }
  const { records, out, value, inputs, kinked } = tape.record(args, differentiated);
  // The tape view needs to know which records the sweep reached: the exact sweep keeps flags. The
  // gradient alone takes the fast sweep, and the exact one when the fast one cannot stand for it.
  let reached: Reached | null = null;
  if (maxNodes > 0) reached = backward(records, out, 1);
  else backwardFast(records, out, 1);
  let gradient = gradientOf(records, params, differentiated, inputs, reached);
  if (!gradient) {
    reached = backward(records, out, 1);
    gradient = gradientOf(records, params, differentiated, inputs, reached)!;
  }

  // Labels only for the inputs that are exported.
  const labels: string[] = [];
  for (let i = 0; i < params.length && labels.length < maxNodes; i++) {
    if (!differentiated[i]) continue;
    const p = params[i];
    for (let j = 0; j < inputs[i].count && labels.length < maxNodes; j++) labels.push(p.type === 'arr' ? `${p.name}[${j}]` : p.name);
  }

  // Kinks: the sites where an operation was evaluated exactly where its derivative does not exist
  // (one note per operation and place: an inlined helper's sites share its place).
  const kinks: string[] = [];
  for (let s = 0; s < kinked.length; s++) {
    if (!kinked[s]) continue;
    const op = PRIMITIVES[tape.siteOps[s]];
    const loc = tape.sites[s];
    const where = loc ? `line ${loc.line}, column ${loc.column}` : 'somewhere';
    const note = `${op} at ${where} sits on a kink: ${RULES[op].kink!.convention}`;
    if (!kinks.includes(note)) kinks.push(note);
  }

  return {
    value,
    gradient,
    view: exportTape(records, out, reached, tape.sites, labels, fn.loc, maxNodes),
    kinks,
    branches: options.branches ? branchDecisions(program, args) : [],
  };
}

/** The if and loop decisions of one run of f (on the interpreter, which reports them). */
function branchDecisions(program: Program, args: (number | number[])[]): string[] {
  const loops = loopPlaces(program);
  const decisions = new Map<string, { text: string; taken: number; total: number; loop: boolean }>();
  new Interpreter(program, floatAlgebra, {
    onBranch: (loc, test, taken) => {
      if (!loc) return;
      const key = `${loc.line}:${loc.column}`;
      const entry = decisions.get(key) ?? { text: `line ${loc.line}: ${formatExpr(test, 'js')}`, taken: 0, total: 0, loop: loops.has(key) };
      entry.total++;
      if (taken) entry.taken++;
      decisions.set(key, entry);
    },
  }).run(args);
  return [...decisions.values()].map((d) => (d.loop
    ? `${d.text} held ${d.taken} time${d.taken === 1 ? '' : 's'}`
    : `${d.text} was ${d.taken === d.total ? 'true' : d.taken === 0 ? 'false' : `true ${d.taken} of ${d.total} times`}`));
}

function loopPlaces(program: Program): Set<string> {
  const places = new Set<string>();
  const walk = (list: Stmt[]) => {
    for (const s of list) {
      if (s.k === 'loop') { if (s.loc) places.add(`${s.loc.line}:${s.loc.column}`); walk(s.body); }
      else if (s.k === 'if') { walk(s.then); walk(s.else); }
    }
  };
  for (const fn of Object.values(program.functions)) walk(fn.body);
  return places;
}

/**
 * The inputs' adjoints as a Gradient. After the exact sweep (`reached`), an input it did not reach
 * has 0; after the fast sweep, null when an adjoint is zero or NaN (the exact sweep must decide).
 */
function gradientOf(records: Records, params: { name: string; type: 'num' | 'arr' }[], differentiated: boolean[],
  inputs: { first: number; count: number }[], reached: Reached | null): Gradient | null {
  const gradient: Gradient = {};
  for (let i = 0; i < params.length; i++) {
    if (!differentiated[i]) continue;
    const { first, count } = inputs[i];
    let values: number[] | null;
    if (reached) {
      values = new Array<number>(count);
      for (let j = 0; j < count; j++) values[j] = reached.has(first + j) ? records.adjoint(first + j) : 0;
    } else {
      values = fastAdjoints(records, first, count);
      if (!values) return null;
    }
    gradient[params[i].name] = params[i].type === 'arr' ? values : values[0];
  }
  return gradient;
}

function exportTape(records: Records, out: number, reached: Reached | null, sites: (SourceLocation | undefined)[],
  labels: string[], fnLoc: SourceLocation | undefined, maxNodes: number): TapeView {
  const length = records.n;
  if (maxNodes === 0) {
    // The gradient-only run (the card's timing, the bench) exports nothing.
    const view: TapeView = { nodes: [], edges: [], order: { forward: [], backward: [] }, length };
    if (length > 0) view.truncated = true;
    return view;
  }
  const exported = Math.min(length, maxNodes);
  const nodes: TapeNodeView[] = [];
  const edges: { from: number; to: number }[] = [];
  let input = 0;
  for (let id = 0; id < exported; id++) {
    const code = records.op(id);
    const isInput = code === INPUT;
    nodes.push({
      id, op: isInput ? 'input' : PRIMITIVES[code], value: records.value(id), adjoint: reached!.has(id) ? records.adjoint(id) : 0,
      span: span(isInput ? fnLoc : sites[records.site(id)]),
      ...(isInput ? { label: labels[input++] } : {}),
    });
  }
  // Constants are not recorded (they need no adjoint); each use gets its own node after the records,
  // so a `2` used in many places does not tie unrelated parts of the graph together.
  let nextId = length;
  for (let id = 0; id < exported; id++) {
    const code = records.op(id);
    if (code === INPUT) continue;
    const arity = RULES[PRIMITIVES[code]].arity;
    for (let i = 0; i < arity; i++) {
      const arg = records.argRecord(id, i);
      if (arg >= 0) { edges.push({ from: arg, to: id }); continue; }
      const value = records.arg(id, i);
      nodes.push({ id: nextId, op: 'const', value, adjoint: null, span: span(sites[records.site(id)]), label: formatNumber(value, 'js').text });
      edges.push({ from: nextId++, to: id });
    }
  }
  const forward: number[] = [];
  for (let id = 0; id < exported; id++) forward.push(id);
  const backwardOrder: number[] = [];
  for (let id = Math.min(out, exported - 1); id >= 0; id--) if (reached!.has(id)) backwardOrder.push(id);
  return { nodes, edges, order: { forward, backward: backwardOrder }, length, ...(exported < length ? { truncated: true } : {}) };
}
