// The tape picture's model, from the reverse engine's tape view: the order of the two sweeps
// (every record forward, then every reached record backward), the backward sweep replayed one node
// at a time with the rules table's partials (so each step can show what it adds to which adjoint),
// the graph folded by source line past a size, laid out with dagre, and the map between tape
// nodes and the lines of the generated gradient function (its `// grad of:` blocks).

import dagre from '@dagrejs/dagre';
import type { TapeNodeView, TapeView } from '../engines/reverse/tape-view.ts';
import { floatAlgebra } from '../interp/algebra.ts';
import type { Primitive } from '../ir/primitives.ts';
import { RULES } from '../rules/table.ts';

/** Tapes with more records than this are drawn folded by source line. */
export const FOLD_AT = 200;
/** A folded line with more nodes than this is not expanded (the picture would be unreadable). */
export const EXPAND_MAX = 400;

export type Phase = 'forward' | 'backward';

export interface SweepStep {
  phase: Phase;
  id: number;
}

/** Forward: every exported record in order. Backward: the records the output reaches, output first. */
export function sweepSteps(tape: TapeView): SweepStep[] {
  return [
    ...tape.order.forward.map((id) => ({ phase: 'forward' as const, id })),
    ...tape.order.backward.map((id) => ({ phase: 'backward' as const, id })),
  ];
}

/** Each node's arguments in order (constants included, as their own nodes). */
export function argumentsOf(tape: TapeView): Map<number, number[]> {
  const args = new Map<number, number[]>();
  for (const e of tape.edges) {
    const list = args.get(e.to);
    if (list) list.push(e.from);
    else args.set(e.to, [e.from]);
  }
  return args;
}

export interface Contribution {
  /** The argument that receives: bar(to) += bar(from) · partial. */
  to: number;
  partial: number;
  amount: number;
}

export interface Replay {
  /** Per backward step (same index as tape.order.backward): what the node passes to each argument. */
  contributions: Contribution[][];
  /** Adjoints after the whole sweep, per node id (0 where nothing reached it). */
  adjoints: Map<number, number>;
  /** The seed: the output's adjoint before the sweep. */
  seed: number;
}

/** The partials of one recorded operation at its argument values, from the rules table. */
export function partialsAt(op: string, argValues: number[], value: number): number[] {
  return RULES[op as Primitive].partials(floatAlgebra, argValues, value);
}

/**
 * The backward sweep, node by node: each node's adjoint times its partials, added to its
 * arguments' adjoints. Ends with every adjoint the tape view reports (tests check that).
 */
export function replayBackward(tape: TapeView): Replay {
  const byId = new Map(tape.nodes.map((n) => [n.id, n]));
  const args = argumentsOf(tape);
  const adjoints = new Map<number, number>();
  const out = tape.order.backward[0];
  const seed = out === undefined ? 0 : byId.get(out)?.adjoint ?? 0;
  if (out !== undefined) adjoints.set(out, seed);
  const contributions: Contribution[][] = [];
  for (const id of tape.order.backward) {
    const node = byId.get(id)!;
    const list = args.get(id) ?? [];
    const bar = adjoints.get(id) ?? 0;
    const mine: Contribution[] = [];
    if (node.op !== 'input' && node.op !== 'const' && list.length > 0) {
      const values = list.map((a) => byId.get(a)!.value);
      const partials = partialsAt(node.op, values, node.value);
      list.forEach((a, i) => {
        if (byId.get(a)!.op === 'const') return;
        const amount = bar * partials[i];
        adjoints.set(a, (adjoints.get(a) ?? 0) + amount);
        mine.push({ to: a, partial: partials[i], amount });
      });
    }
    contributions.push(mine);
  }
  return { contributions, adjoints, seed };
}

/**
 * The adjoints as they stand after `done` backward steps: final for the nodes already swept,
 * partial sums for the rest (undefined where nothing has arrived yet).
 */
export function adjointsAfter(tape: TapeView, replay: Replay, done: number): Map<number, number> {
  const now = new Map<number, number>();
  const out = tape.order.backward[0];
  if (out !== undefined && done > 0) now.set(out, replay.seed);
  for (let k = 0; k < done && k < replay.contributions.length; k++) {
    for (const c of replay.contributions[k]) now.set(c.to, (now.get(c.to) ?? 0) + c.amount);
  }
  return now;
}

// ---- the graph, folded by source line ---------------------------------------------------------

export interface GraphNode {
  key: string;
  kind: 'node' | 'const' | 'group';
  /** Tape node ids it stands for (one, except for a group). */
  ids: number[];
  /** Source line (a group's line; a node's own). */
  line: number | null;
  width: number;
  height: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** How many tape edges it stands for. */
  count: number;
  /** For an edge between two single nodes: the tape edge. */
  tape?: { from: number; to: number };
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  folded: boolean;
  /** Source lines that are folded into one group each, and their sizes. */
  groups: { line: number | null; size: number; expanded: boolean }[];
}

export const SIZES = { node: { width: 104, height: 58 }, const: { width: 40, height: 24 }, group: { width: 150, height: 58 } };

const lineOf = (n: TapeNodeView) => n.span?.line ?? null;

export interface FoldOptions {
  /** Fold by source line (default: when the tape has more than FOLD_AT records). */
  fold?: boolean;
  /** Source lines drawn node by node while folded. */
  expanded?: ReadonlySet<number | null>;
  /** Draw each constant argument as its own small node (default: on when not folded). */
  constants?: boolean;
}

export function buildGraph(tape: TapeView, options: FoldOptions = {}): GraphModel {
  const records = tape.nodes.filter((n) => n.op !== 'const');
  const folded = options.fold ?? records.length > FOLD_AT;
  const expanded = options.expanded ?? new Set();
  const showConstants = options.constants ?? !folded;
  const byLine = new Map<number | null, TapeNodeView[]>();
  for (const n of records) {
    const l = lineOf(n);
    const list = byLine.get(l);
    if (list) list.push(n);
    else byLine.set(l, [n]);
  }
  const keyOf = new Map<number, string>();
  const nodes: GraphNode[] = [];
  const groups: GraphModel['groups'] = [];
  for (const [line, list] of byLine) {
    const open = !folded || list.length === 1 || (expanded.has(line) && list.length <= EXPAND_MAX);
    if (folded) groups.push({ line, size: list.length, expanded: open });
    if (open) {
      for (const n of list) {
        keyOf.set(n.id, `n${n.id}`);
        nodes.push({ key: `n${n.id}`, kind: 'node', ids: [n.id], line, ...SIZES.node });
      }
    } else {
      const key = `g${line ?? 'none'}`;
      for (const n of list) keyOf.set(n.id, key);
      nodes.push({ key, kind: 'group', ids: list.map((n) => n.id), line, ...SIZES.group });
    }
  }
  // Constants only beside a consumer that is drawn node by node.
  const args = argumentsOf(tape);
  if (showConstants) {
    for (const n of tape.nodes) {
      if (n.op !== 'const') continue;
      const consumer = tape.edges.find((e) => e.from === n.id)?.to;
      if (consumer === undefined || !keyOf.get(consumer)?.startsWith('n')) continue;
      keyOf.set(n.id, `c${n.id}`);
      nodes.push({ key: `c${n.id}`, kind: 'const', ids: [n.id], line: lineOf(n), ...SIZES.const });
    }
  }
  const edges = new Map<string, GraphEdge>();
  for (const [to, list] of args) {
    for (const from of list) {
      const a = keyOf.get(from), b = keyOf.get(to);
      if (!a || !b || a === b) continue;
      const k = `${a}>${b}`;
      const e = edges.get(k);
      if (e) { e.count++; delete e.tape; } else edges.set(k, { from: a, to: b, count: 1, ...(a.startsWith('g') || b.startsWith('g') ? {} : { tape: { from, to } }) });
    }
  }
  return { nodes, edges: [...edges.values()], folded, groups };
}

/** The graph node that shows a tape node (its own, or its line's group). */
export function graphKeyOf(model: GraphModel, id: number): string | null {
  for (const n of model.nodes) if (n.ids.includes(id)) return n.key;
  return null;
}

export interface Layout {
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number; width: number; height: number }>;
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
}

/** dagre's layered layout, inputs on the left and the output on the right. */
export function layoutGraph(model: GraphModel): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 34, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of model.nodes) g.setNode(n.key, { width: n.width, height: n.height });
  for (const e of model.edges) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const nodes = new Map<string, { x: number; y: number; width: number; height: number }>();
  for (const n of model.nodes) {
    const p = g.node(n.key);
    nodes.set(n.key, { x: p.x, y: p.y, width: n.width, height: n.height });
  }
  const edges = model.edges.map((e) => ({ from: e.from, to: e.to, points: (g.edge(e.from, e.to)?.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })) }));
  const graph = g.graph();
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes, edges };
}

/** How a node's operation reads in the picture: the operator, or the function's name. */
export function opLabel(n: TapeNodeView): string {
  if (n.op === 'input') return n.label ?? 'input';
  if (n.op === 'const') return n.label ?? String(n.value);
  const js = RULES[n.op as Primitive]?.js;
  if (!js) return n.op;
  if (js.kind === 'infix' || js.kind === 'prefix') return js.op === '*' ? '×' : js.op === '-' && js.kind === 'prefix' ? 'neg' : js.op;
  if (js.kind === 'call') return js.name.replace(/^Math\./, '');
  return n.op;
}

// ---- tape nodes and the generated code's lines ------------------------------------------------

export interface CodeMap {
  /** For each line of the generated code (0-based), the source line it comes from, or null. */
  sourceLine: (number | null)[];
  /** For each line, whether it is in a `grad of` block (the backward sweep) or before them (forward). */
  sweep: (Phase | null)[];
  /** The function's first line (where the inputs come in) and its last return (where the gradient goes out). */
  header: number;
  returns: number | null;
}

/** A statement's text reduced to what identifies it: no spaces, declarations, semicolons or parentheses; `a op= b` as `a = a op b`. */
function normalized(text: string): string {
  const t = text
    .replace(/\/\/.*$/, '')
    .replace(/\b(const|let|var)\s+/g, '')
    .replace(/\+\+/g, '+=1')
    .replace(/--/g, '-=1')
    .replace(/[\s;(){}]/g, '');
  const m = /^([\w$]+(?:\[[^\]]*\])?)(\*\*|[-+*/%])=(.*)$/.exec(t);
  return m ? `${m[1]}=${m[1]}${m[2]}${m[3]}` : t;
}

/** Dice's coefficient on character bigrams. */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) { const g = a.slice(i, i + 2); grams.set(g, (grams.get(g) ?? 0) + 1); }
  let both = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const c = grams.get(g) ?? 0;
    if (c > 0) { both++; grams.set(g, c - 1); }
  }
  return (2 * both) / (a.length + b.length - 2);
}

/**
 * The source line a generated statement differentiates, by its text (`f = x ** 2 + ...` against
 * `return x**2 + ...`): the most similar statement of the source, if similar enough.
 */
export function matchSourceLine(statement: string, sourceLines: string[]): number | null {
  const target = normalized(statement);
  const rhs = target.includes('=') ? target.slice(target.search(/(?<![=!<>+\-*/%])=(?!=)/) + 1) : target;
  let best: number | null = null, score = 0.5;
  sourceLines.forEach((line, i) => {
    const text = normalized(line.replace(/^\s*return\s+/, ''));
    if (text.length === 0 || /^function/.test(text)) return;
    const s = Math.max(similarity(target, text), similarity(rhs, text), similarity(target.replace(/=/, '+='), text));
    if (s > score) { score = s; best = i + 1; }
  });
  return best;
}

export function mapGeneratedLines(source: string, generated: string): CodeMap {
  const sourceLines = source.split('\n');
  const lines = generated.split('\n');
  const sourceLine: (number | null)[] = lines.map(() => null);
  const sweep: (Phase | null)[] = lines.map(() => null);
  // The open `grad of` blocks, innermost last: a block runs until the indentation falls below its comment's.
  const blocks: { indent: number; line: number | null }[] = [];
  let inBackward = false;
  let returns: number | null = null;
  lines.forEach((text, i) => {
    const indent = text.length - text.trimStart().length;
    const t = text.trim();
    if (t !== '') while (blocks.length && indent < blocks[blocks.length - 1].indent) blocks.pop();
    const m = /^\/\/ grad of: (.*)$/.exec(t);
    if (m) {
      inBackward = true;
      while (blocks.length && blocks[blocks.length - 1].indent >= indent) blocks.pop();
      const line = matchSourceLine(m[1], sourceLines);
      blocks.push({ indent, line });
      sourceLine[i] = line;
      sweep[i] = 'backward';
      return;
    }
    if (/^return\b/.test(t) && indent <= 2) returns = i;
    if (i === 0 || t === '' || t === '}' || /^return\b/.test(t) || /^function\b/.test(t)) return;
    if (inBackward) {
      sourceLine[i] = blocks.length ? blocks[blocks.length - 1].line : null;
      sweep[i] = 'backward';
    } else {
      sourceLine[i] = matchSourceLine(t, sourceLines);
      sweep[i] = sourceLine[i] === null ? null : 'forward';
    }
  });
  return { sourceLine, sweep, header: 0, returns };
}

/**
 * The generated lines (0-based) that belong to a tape node at a step: in the backward sweep the
 * `grad of` block of its source line; in the forward sweep the statement that computes it, or,
 * where the optimizer folded that into the adjoint, the same block. An input comes in on the
 * function's first line and leaves, as a partial, on its return.
 */
export function codeLinesFor(map: CodeMap, node: Pick<TapeNodeView, 'op' | 'span'>, phase: Phase): number[] {
  if (node.op === 'input') return phase === 'forward' || map.returns === null ? [map.header] : [map.returns];
  const line = node.span?.line ?? null;
  if (line === null) return [];
  const mine = (p: Phase) => map.sourceLine.flatMap((l, i) => (l === line && map.sweep[i] === p ? [i] : []));
  const own = mine(phase);
  return own.length > 0 ? own : mine(phase === 'forward' ? 'backward' : 'forward');
}
