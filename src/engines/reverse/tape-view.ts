// The reverse engine's tape view (autograd's way): f runs on the interpreter over Tape<number>,
// which records every primitive that executes; one backward sweep gives every node's adjoint.
// Exported as plain data for the UI's graph: nodes (inputs, operations, and each constant where
// an operation uses it), edges from each input to its user, and the order of both sweeps.

import type { SourceLocation } from '../../errors.ts';
import { Tape, type TapeVar } from '../../ad/tape.ts';
import { floatAlgebra } from '../../interp/algebra.ts';
import { Interpreter } from '../../interp/interpreter.ts';
import { formatExpr, formatNumber } from '../../ir/format.ts';
import { mainFn, type Program, type Stmt } from '../../ir/types.ts';
import type { Gradient, Point } from '../../point.ts';
import { RULES } from '../../rules/table.ts';

export interface Span { line: number; column: number; endLine: number; endColumn: number }

export interface TapeNodeView {
  id: number;
  /** A primitive, `input` for a wrt parameter (or one array element), `const` for a constant. */
  op: string;
  value: number;
  /** The adjoint: d f / d node. Constants carry none (null): nothing flows into them. */
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
  /** Set when the tape is longer than the export limit: the first nodes are exported. */
  truncated?: boolean;
}

export interface TapeRun {
  value: number;
  gradient: Gradient;
  view: TapeView;
  /** One line per place where an operation met a non-differentiable point, with ddx's convention. */
  kinks: string[];
  /** Branch decisions the path took, for the note saying where the gradient holds. */
  branches: string[];
}

const span = (loc: SourceLocation | undefined): Span | null =>
  loc ? { line: loc.line, column: loc.column, endLine: loc.endLine ?? loc.line, endColumn: loc.endColumn ?? loc.column } : null;

export function runTape(program: Program, at: Point, wrt: string[], maxNodes = 5000): TapeRun {
  const fn = mainFn(program);
  const tape = new Tape(floatAlgebra);
  const inputs: TapeVar<number>[][] = [];
  const args = fn.params.map((p) => {
    const x = at[p.name];
    const isInput = wrt.includes(p.name);
    if (Array.isArray(x)) {
      const vars = x.map((xi, i) => (isInput ? tape.input(xi, `${p.name}[${i}]`) : tape.constant(xi)));
      if (isInput) inputs.push(vars);
      return vars;
    }
    const one = isInput ? tape.input(x, p.name) : tape.constant(x);
    if (isInput) inputs.push([one]);
    return one;
  });

  const loops = loopPlaces(program);
  const decisions = new Map<string, { text: string; taken: number; total: number; loop: boolean }>();
  const interpreter = new Interpreter(program, tape, {
    onBranch: (loc, test, taken) => {
      if (!loc) return;
      const key = `${loc.line}:${loc.column}`;
      const entry = decisions.get(key) ?? { text: `line ${loc.line}: ${formatExpr(test, 'js')}`, taken: 0, total: 0, loop: loops.has(key) };
      entry.total++;
      if (taken) entry.taken++;
      decisions.set(key, entry);
    },
  });
  const out = interpreter.run(args) as unknown as TapeVar<number>;
  const adjoints = tape.backward(out, 1);

  const gradient: Gradient = {};
  let k = 0;
  for (const p of fn.params) {
    if (!wrt.includes(p.name)) continue;
    const values = inputs[k++].map((x) => adjoints[x.id] ?? 0);
    gradient[p.name] = p.type === 'arr' ? values : values[0];
  }

  // Kinks: operations evaluated exactly where their derivative does not exist.
  const kinkPlaces = new Map<string, string>();
  tape.nodes.forEach((node) => {
    if (node.op === 'input') return;
    const kink = RULES[node.op].kink;
    if (!kink || !kink.at(...node.argValues)) return;
    const where = node.loc ? `line ${node.loc.line}, column ${node.loc.column}` : 'somewhere';
    kinkPlaces.set(`${node.op}@${where}`, `${node.op} at ${where} sits on a kink: ${kink.convention}`);
  });
  const kinks = [...kinkPlaces.values()];

  const branches = [...decisions.values()].map((d) => (d.loop
    ? `${d.text} held ${d.taken} time${d.taken === 1 ? '' : 's'}`
    : `${d.text} was ${d.taken === d.total ? 'true' : d.taken === 0 ? 'false' : `true ${d.taken} of ${d.total} times`}`));

  return { value: out.value, gradient, view: exportTape(tape, out, adjoints, fn.loc, maxNodes), kinks, branches };
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

function exportTape(tape: Tape<number>, out: TapeVar<number>, adjoints: (number | undefined)[], fnLoc: SourceLocation | undefined, maxNodes: number): TapeView {
  const length = tape.nodes.length;
  const exported = Math.min(length, maxNodes);
  const nodes: TapeNodeView[] = [];
  const edges: { from: number; to: number }[] = [];
  for (let id = 0; id < exported; id++) {
    const node = tape.nodes[id];
    nodes.push({
      id, op: node.op, value: node.value, adjoint: adjoints[id] ?? 0,
      span: span(node.op === 'input' ? fnLoc : node.loc),
      ...(node.label ? { label: node.label } : {}),
    });
  }
  // Constants are not recorded (they need no adjoint); each use gets its own node after the records,
  // so a `2` used in many places does not tie unrelated parts of the graph together.
  let nextId = length;
  for (let id = 0; id < exported; id++) {
    const node = tape.nodes[id];
    node.args.forEach((arg, i) => {
      if (arg >= 0) { if (arg < exported) edges.push({ from: arg, to: id }); return; }
      if (nodes.length >= maxNodes * 2) return;
      const value = node.argValues[i];
      nodes.push({ id: nextId, op: 'const', value, adjoint: null, span: span(node.loc), label: formatNumber(value, 'js').text });
      edges.push({ from: nextId++, to: id });
    });
  }
  const forward = Array.from({ length: exported }, (_, i) => i);
  const backward: number[] = [];
  for (let id = Math.min(out.id, exported - 1); id >= 0; id--) if (adjoints[id] !== undefined) backward.push(id);
  return { nodes, edges, order: { forward, backward }, length, ...(exported < length ? { truncated: true } : {}) };
}
