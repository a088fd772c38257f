// The swell meter's numbers: how the symbolic derivative's size (raw, simplified, with common
// subexpressions pulled out, in sympy's count_ops) grows against reverse mode's tape length and the
// lines of the generated gradient and tangent code, as a function is nested deeper. Two families:
// the gallery's swell example (sin applied d times in a loop) and the user's own f composed with
// itself d times in its first number parameter, f(f(x, y), y), where f returns a number.

import { DdxError } from '../errors.ts';
import { generateGradient } from '../codegen/reverse.ts';
import { generateTangent } from '../codegen/tangent.ts';
import { runTape } from '../engines/reverse/tape-view.ts';
import { mainFn, type Expr, type Fn, type Program } from '../ir/types.ts';
import { parseProgram } from '../lang/parse.ts';
import { validatePoint, type Point } from '../point.ts';
import { cseSize, differentiate } from '../symbolic/pipeline.ts';
import { SwellError } from '../symbolic/trace.ts';

export type SwellFamily = 'sin' | 'compose';

export const SWELL_MAX_DEPTH = 12;
/** The symbolic engine's node budget here: larger than the card's, to watch the growth for longer. */
export const SWELL_BUDGET = 60_000;
export const SWELL_MILLIS = 3000;

export interface SwellJob {
  family: SwellFamily;
  /** For `compose`: the user's function and point. */
  source?: string;
  point?: Point;
  maxDepth?: number;
  millis?: number;
}

export interface SwellRow {
  depth: number;
  /** f itself and its derivative at each stage, in operations (sympy's count_ops); null past the budget. */
  f: number | null;
  raw: number | null;
  simplified: number | null;
  cse: number | null;
  /** Records on reverse mode's tape. */
  tape: number;
  /** Lines of reverse mode's generated gradient and of forward mode's tangent code. */
  reverse_lines: number;
  tangent_lines: number;
}

export interface SwellAnswer {
  family: SwellFamily;
  /** What depth d means here, for the axis. */
  description: string;
  /** The function at depth 1, as written (for the user's f, its own name and parameter). */
  parameter: string;
  rows: SwellRow[];
  notes: string[];
  millis: number;
}

/** The gallery's swell example with its 8 replaced by d. */
export function nestedSinSource(depth: number): string {
  return [
    'function f(x) {',
    '  let y = x;',
    `  for (let i = 0; i < ${depth}; i++) {`,
    '    y = Math.sin(y);',
    '  }',
    '  return y;',
    '}',
    '',
  ].join('\n');
}

/** A fresh function name that no function of the program uses. */
function freshName(program: Program, base: string): string {
  let name = base;
  for (let i = 2; program.functions[name]; i++) name = `${base}${i}`;
  return name;
}

/**
 * f composed with itself `depth` times in parameter `param` (the others passed through): a new
 * main function `nested(x, y) = f(f(x, y), y)` over the same program.
 */
export function composeProgram(program: Program, param: string, depth: number): Program {
  const f = mainFn(program);
  const name = freshName(program, `${f.name}_nested`);
  let inner: Expr = { k: 'call', fn: f.name, args: f.params.map((p) => ({ k: 'var', name: p.name })) };
  for (let d = 1; d < depth; d++) {
    const prev: Expr = inner;
    inner = { k: 'call', fn: f.name, args: f.params.map((p): Expr => (p.name === param ? prev : { k: 'var', name: p.name })) };
  }
  const nested: Fn = { name, params: f.params, returns: 'num', body: [{ k: 'return', value: inner }] };
  return { ...program, main: name, functions: { ...program.functions, [name]: nested }, manual: undefined };
}

/** The parameter to compose in, or why the user's f cannot be composed with itself. */
export function composable(program: Program): { param: string } | { reason: string } {
  const f = mainFn(program);
  if (f.returns !== 'num') return { reason: `${f.name} returns an array, so it cannot be fed back into itself` };
  const p = f.params.find((q) => q.type === 'num');
  if (!p) return { reason: `${f.name} takes only arrays: composing it with itself has no number parameter to feed` };
  return { param: p.name };
}

const lineCount = (s: string) => s.split('\n').length;

function measure(program: Program, at: Point, wrt: string, depth: number): SwellRow {
  let f: number | null = null, raw: number | null = null, simplified: number | null = null, cse: number | null = null;
  try {
    const sym = differentiate(program, at, [wrt], { budget: SWELL_BUDGET });
    const K = sym.counter;
    f = K.count(sym.f);
    raw = sym.partials.reduce((s, p) => s + K.count(p.rawCanonical), 0);
    simplified = sym.partials.reduce((s, p) => s + K.count(p.simplified), 0);
    cse = cseSize(sym);
  } catch (err) {
    if (!(err instanceof SwellError)) throw err;
  }
  const tape = runTape(program, at, [wrt], 0).view.length;
  const reverseLines = lineCount(generateGradient(program, { wrt: [wrt] }).optimized);
  const tangentLines = lineCount(generateTangent(program, [wrt]).source);
  return { depth, f, raw, simplified, cse, tape, reverse_lines: reverseLines, tangent_lines: tangentLines };
}

export function swellScan(job: SwellJob): SwellAnswer {
  const t0 = performance.now();
  const maxDepth = Math.max(1, Math.min(SWELL_MAX_DEPTH, Math.floor(job.maxDepth ?? (job.family === 'sin' ? 10 : 8))));
  const deadline = t0 + (job.millis ?? SWELL_MILLIS);
  const rows: SwellRow[] = [];
  const notes: string[] = [];
  let description: string;
  let parameter: string;
  let programAt: (d: number) => { program: Program; at: Point; wrt: string };
  if (job.family === 'sin') {
    description = 'd, the number of times sin is applied (the gallery\'s swell example has 8)';
    parameter = 'x';
    programAt = (d) => ({ program: parseProgram(nestedSinSource(d)), at: { x: 0.7 }, wrt: 'x' });
  } else {
    if (job.source === undefined || job.point === undefined) throw new DdxError('input', 'composing f needs its source and point');
    const program = parseProgram(job.source);
    const point = validatePoint(mainFn(program), job.point);
    const c = composable(program);
    if ('reason' in c) throw new DdxError('input', c.reason);
    const f = mainFn(program);
    parameter = c.param;
    const others = f.params.filter((p) => p.name !== c.param).map((p) => p.name);
    description = `d, the number of times ${f.name} is applied to itself in ${c.param}${others.length ? ` (${others.join(', ')} held at the point)` : ''}`;
    programAt = (d) => ({ program: composeProgram(program, c.param, d), at: point, wrt: c.param });
  }
  for (let d = 1; d <= maxDepth; d++) {
    const { program, at, wrt } = programAt(d);
    let row: SwellRow;
    try {
      row = measure(program, at, wrt, d);
    } catch (err) {
      notes.push(`depth ${d}: ${err instanceof Error ? err.message : String(err)}`);
      break;
    }
    rows.push(row);
    if (row.raw === null) notes.push(`depth ${d}: the symbolic derivative grew past ${SWELL_BUDGET.toLocaleString('en-US')} nodes, so its sizes stop here`);
    if (row.raw === null || performance.now() > deadline) {
      if (row.raw !== null && d < maxDepth) notes.push(`stopped at depth ${d} of ${maxDepth}: the time allowance ran out`);
      break;
    }
  }
  return { family: job.family, description, parameter, rows, notes, millis: performance.now() - t0 };
}
