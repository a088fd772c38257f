// Where a finite-difference step leaves the piece of f it started on. The program is copied with
// every comparison's operands tagged (an `add(operand, 0)` whose location object is a marker), so an
// algebra sees each comparison's operands as they are computed and knows which comparison they
// belong to: in if/loop tests, ternaries and comparisons used as numbers alike. The float tracer
// records every decision and every primitive that has a kink; two traces are then compared.

import type { SourceLocation } from '../../errors.ts';
import type { Algebra, Value } from '../../interp/algebra.ts';
import { Interpreter } from '../../interp/interpreter.ts';
import { formatExpr } from '../../ir/format.ts';
import type { Primitive } from '../../ir/primitives.ts';
import type { CompareOp, Expr, Fn, Program, Stmt } from '../../ir/types.ts';
import { RULES } from '../../rules/table.ts';

type CompareExpr = Extract<Expr, { k: 'compare' }>;

export interface Marker {
  /** The comparison as the user wrote it (the original IR node). */
  compare: CompareExpr;
  id: number;
  side: 'a' | 'b';
}

/** A copy of the program whose comparison operands announce themselves, and the marker lookup. */
export interface Instrumented {
  program: Program;
  markers: Map<SourceLocation, Marker>;
}

export function instrument(program: Program): Instrumented {
  const markers = new Map<SourceLocation, Marker>();
  let next = 0;
  const tag = (operand: Expr, compare: CompareExpr, id: number, side: 'a' | 'b'): Expr => {
    // A fresh object per operand: the interpreter hands `loc` to the algebra by identity.
    const loc: SourceLocation = { ...(compare.loc ?? { line: 0, column: 0 }) };
    markers.set(loc, { compare, id, side });
    return { k: 'prim', op: 'add', args: [expr(operand), { k: 'num', value: 0 }], loc };
  };
  const expr = (e: Expr): Expr => {
    switch (e.k) {
      case 'num': case 'var': return e;
      case 'compare': { const id = next++; return { ...e, a: tag(e.a, e, id, 'a'), b: tag(e.b, e, id, 'b') }; }
      case 'prim': return { ...e, args: e.args.map(expr) };
      case 'logic': return { ...e, a: expr(e.a), b: expr(e.b) };
      case 'not': return { ...e, a: expr(e.a) };
      case 'cond': return { ...e, test: expr(e.test), then: expr(e.then), else: expr(e.else) };
      case 'call': return { ...e, args: e.args.map(expr) };
      case 'index': return { ...e, array: expr(e.array), index: expr(e.index) };
      case 'length': return { ...e, array: expr(e.array) };
      case 'array': return { ...e, elements: e.elements.map(expr) };
      case 'fill': return { ...e, length: expr(e.length), value: expr(e.value) };
    }
  };
  const stmts = (list: Stmt[]): Stmt[] => list.map((s): Stmt => {
    switch (s.k) {
      case 'let': return { ...s, init: expr(s.init) };
      case 'assign': return { ...s, value: expr(s.value) };
      case 'setIndex': return { ...s, index: expr(s.index), value: expr(s.value) };
      case 'if': return { ...s, test: expr(s.test), then: stmts(s.then), else: stmts(s.else) };
      case 'loop': return { ...s, test: expr(s.test), body: stmts(s.body), update: stmts(s.update) };
      case 'return': return { ...s, value: expr(s.value) };
      default: return s;
    }
  });
  const functions: Record<string, Fn> = {};
  for (const [name, fn] of Object.entries(program.functions)) functions[name] = { ...fn, body: stmts(fn.body) };
  return { program: { ...program, functions }, markers };
}

export function decide(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '===': return a === b;
    case '!==': return a !== b;
  }
}

export interface Decision {
  marker: Marker;
  taken: boolean;
}

export interface KinkVisit {
  op: Primitive;
  args: number[];
  loc?: SourceLocation;
}

export interface Trace {
  value: number;
  decisions: Decision[];
  /**
   * The kinks whose result reaches f's value or is read as a number (an index, an array length):
   * a kink that only feeds comparisons (Math.abs(d) > 1e-12 ending a Newton loop) changes f only
   * through those comparisons, and the decisions already show that.
   */
  kinks: KinkVisit[];
  operations: number;
}

/** A traced float: its value and the node that computed it (-1 for a constant or a decision). */
interface Traced {
  v: number;
  id: number;
}

/**
 * Floats with a record of each comparison's outcome and a small graph of which operation used
 * which, so that kinks can be kept only where their result matters.
 */
class TracingAlgebra implements Algebra<Traced> {
  decisions: Decision[] = [];
  private args: number[][] = [];
  private visits: { node: number; visit: KinkVisit }[] = [];
  private roots: number[] = [];
  private pending = new Map<number, number[]>();

  constructor(private markers: Map<SourceLocation, Marker>) {}

  constant(c: number): Traced {
    return { v: c, id: -1 };
  }

  prim(op: Primitive, args: Traced[], loc?: SourceLocation): Traced {
    const marker = loc ? this.markers.get(loc) : undefined;
    if (marker) {
      const v = args[0].v;
      // Operand a is complete before b starts; a stack per comparison covers recursive helpers.
      if (marker.side === 'a') {
        const stack = this.pending.get(marker.id) ?? [];
        stack.push(v);
        this.pending.set(marker.id, stack);
      } else {
        const a = this.pending.get(marker.id)!.pop()!;
        this.decisions.push({ marker, taken: decide(marker.compare.op, a, v) });
      }
      return { v, id: -1 };
    }
    const rule = RULES[op];
    const xs = args.map((a) => a.v);
    const id = this.args.length;
    this.args.push(args.map((a) => a.id));
    if (rule.kink) this.visits.push({ node: id, visit: { op, args: xs, loc } });
    return { v: rule.float(...xs), id };
  }

  ge(a: Traced, b: Traced): Traced {
    return { v: a.v >= b.v ? 1 : 0, id: -1 };
  }

  /** Read as a number (an index, a length, a truthiness test): its value matters as it is. */
  value(t: Traced): number {
    if (t.id >= 0) this.roots.push(t.id);
    return t.v;
  }

  /** The kink visits whose result reaches the output or a number read by the program. */
  relevantKinks(out: Traced): KinkVisit[] {
    const live = new Uint8Array(this.args.length);
    if (out.id >= 0) live[out.id] = 1;
    for (const r of this.roots) live[r] = 1;
    for (let i = this.args.length - 1; i >= 0; i--) if (live[i]) for (const a of this.args[i]) if (a >= 0) live[a] = 1;
    return this.visits.filter((k) => live[k.node]).map((k) => k.visit);
  }
}

export function traceAt(inst: Instrumented, args: Value<number>[], budget?: number): Trace {
  const algebra = new TracingAlgebra(inst.markers);
  const interp = new Interpreter(inst.program, algebra, { budget });
  const traced = args.map((a) => (Array.isArray(a) ? a.map((v) => ({ v, id: -1 })) : { v: a, id: -1 }));
  const out = interp.run(traced);
  return { value: out.v, decisions: algebra.decisions, kinks: algebra.relevantKinks(out), operations: interp.operations };
}

/** Which side of its kink a primitive is on: a kink lies between two visits whose sides differ. */
function side(op: Primitive, a: number[]): string | number {
  const [x, y] = a;
  switch (op) {
    case 'abs': case 'sign': case 'sqrt': case 'cbrt': return Math.sign(x);
    case 'floor': return Math.floor(x);
    case 'ceil': return Math.ceil(x);
    case 'round': return Math.round(x);
    case 'trunc': return Math.trunc(x);
    case 'mod': return Math.round((x - (x % y)) / y);
    case 'max': return x >= y ? 1 : 0;
    case 'min': return x <= y ? 1 : 0;
    case 'pow': return Number.isInteger(y) && y >= 1 ? 'smooth' : Math.sign(x);
    // Only the cut along the negative second axis is a jump; the open right half-plane is one piece.
    case 'atan2': return y > 0 ? 'right' : Math.sign(x);
    case 'hypot': return x === 0 && y === 0 ? 'origin' : 'smooth';
    default: return 'smooth';
  }
}

function crosses(op: Primitive, p: number[], q: number[]): boolean {
  const s = side(op, p), t = side(op, q);
  if (op === 'atan2' && (s === 'right' || t === 'right')) return false;
  if (Number.isNaN(s) && Number.isNaN(t)) return false;
  return s !== t;
}

/** How an operation is named in a note: `Math.abs`, or `the % operator`. */
export function opName(op: Primitive): string {
  const n = RULES[op].js;
  if (n.kind === 'call') return n.name;
  if (n.kind === 'infix' || n.kind === 'prefix') return `the ${n.op} operator`;
  return op;
}

const lineOf = (loc?: SourceLocation) => (loc && loc.line > 0 ? `line ${loc.line}` : 'an unknown line');

export function describeCompare(m: Marker): string {
  return `${lineOf(m.compare.loc)} (${formatExpr(m.compare, 'js')})`;
}

export interface Crossing {
  kind: 'branch' | 'kink';
  /** `-` when the point below x is on the other side, `+` for the point above. */
  side: '-' | '+';
  text: string;
}

/**
 * Compares the trace at x with the traces at the stencil's lowest and highest points. The first
 * decision that differs names the branch (after it the paths differ, so nothing more is compared);
 * on the same path, every kink whose side differs is named, once per source position.
 */
export function findCrossings(mid: Trace, lo: Trace | null, hi: Trace | null): Crossing[] {
  for (const [other, s] of [[lo, '-'], [hi, '+']] as const) {
    if (!other) continue;
    const n = Math.min(mid.decisions.length, other.decisions.length);
    for (let i = 0; i < n; i++) {
      const a = mid.decisions[i], b = other.decisions[i];
      if (a.marker.id !== b.marker.id || a.taken !== b.taken) {
        return [{ kind: 'branch', side: s, text: `the branch at ${describeCompare(a.marker)}` }];
      }
    }
    if (mid.decisions.length !== other.decisions.length) {
      const m = (mid.decisions[n] ?? other.decisions[n]).marker;
      return [{ kind: 'branch', side: s, text: `the branch at ${describeCompare(m)}` }];
    }
  }
  const found = new Map<string, Crossing>();
  for (const [other, s] of [[lo, '-'], [hi, '+']] as const) {
    if (!other) continue;
    const n = Math.min(mid.kinks.length, other.kinks.length);
    for (let i = 0; i < n; i++) {
      const a = mid.kinks[i], b = other.kinks[i];
      if (a.op === b.op && crosses(a.op, a.args, b.args)) {
        const text = `the kink of ${opName(a.op)} at ${lineOf(a.loc)} (${RULES[a.op].kink!.convention})`;
        if (!found.has(text)) found.set(text, { kind: 'kink', side: s, text });
      }
    }
  }
  return [...found.values()];
}

/** Kinks the point itself sits on, among those whose arguments move with the step (lo or hi differ). */
export function kinksAtPoint(mid: Trace, lo: Trace | null, hi: Trace | null): string[] {
  const found: string[] = [];
  mid.kinks.forEach((k, i) => {
    const moves = [lo, hi].some((t) => t && t.kinks[i] && t.kinks[i].args.some((v, j) => v !== k.args[j]));
    if (moves && RULES[k.op].kink!.at(...k.args)) {
      found.push(`the point is on the kink of ${opName(k.op)} at ${lineOf(k.loc)}: ${RULES[k.op].kink!.convention}`);
    }
  });
  return [...new Set(found)];
}
