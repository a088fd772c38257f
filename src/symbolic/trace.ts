// Tracing: the expression f computes at the point. The generic interpreter runs over raw symbolic
// values that carry their float value, so every branch and loop test is decided by the value at
// the point, loops unroll and helpers inline by themselves, and array parameters become element
// symbols x_0, x_1, ... Every comparison is recorded with its two operands as expressions, so
// the notes can say where the traced expression is valid ("valid while x > 0 (line 3)").

import { Namer } from '../codegen/naming.ts';
import type { SourceLocation } from '../errors.ts';
import type { Algebra, Value } from '../interp/algebra.ts';
import { Interpreter } from '../interp/interpreter.ts';
import type { Primitive } from '../ir/primitives.ts';
import type { CompareOp, Expr, Fn, Program, Stmt } from '../ir/types.ts';
import type { Point } from '../point.ts';
import { RawField, isRawNum, rawNum, rawVar, type Raw } from './raw.ts';

/** One scalar input: a number parameter or one element of an array parameter, as a symbol. */
export interface SymbolSlot {
  param: string;
  index: number | null;
  /** The symbol's name in expressions: the parameter's own, or x_0, x_1, ... for elements. */
  name: string;
  value: number;
}

export type ConditionKind = 'if' | 'loop' | 'ternary' | 'value';

/** A comparison decided at the point, with its operands as traced expressions. */
export interface Condition {
  op: CompareOp;
  a: Raw;
  b: Raw;
  /** Whether `a op b` held at the point. */
  holds: boolean;
  kind: ConditionKind;
  line: number | null;
}

export interface Trace {
  f: Raw;
  slots: SymbolSlot[];
  conditions: Condition[];
}

/** Thrown when an expression outgrows the size budget. */
export class SwellError extends Error {
  constructor(readonly nodes: number, readonly budget: number, readonly loc: SourceLocation | undefined, readonly stage: string) {
    super(`expression swell: over ${budget.toLocaleString('en-US')} nodes at ${loc ? `line ${loc.line}` : 'the end'} (${stage})`);
  }
}

interface Marker { compare: number; side: 0 | 1 }
interface CompareInfo { op: CompareOp; kind: ConditionKind; line: number | null }

const COMPARE: Record<CompareOp, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b,
  '===': (a, b) => a === b, '!==': (a, b) => a !== b,
};

/**
 * A copy of the program in which each comparison's operands pass through an identity operation
 * whose location object is a marker: the tracing algebra sees both operands as expressions, for
 * if and loop tests, ternaries and comparisons used as values alike.
 */
class Instrumenter {
  readonly markers = new Map<object, Marker>();
  readonly compares: CompareInfo[] = [];

  program(p: Program): Program {
    const functions: Record<string, Fn> = {};
    for (const [name, fn] of Object.entries(p.functions)) functions[name] = { ...fn, body: this.stmts(fn.body) };
    return { ...p, functions };
  }

  private stmts(list: Stmt[]): Stmt[] {
    return list.map((s) => this.stmt(s));
  }

  private stmt(s: Stmt): Stmt {
    switch (s.k) {
      case 'let': return { ...s, init: this.expr(s.init, 'value') };
      case 'assign': return { ...s, value: this.expr(s.value, 'value') };
      case 'setIndex': return { ...s, index: this.expr(s.index, 'value'), value: this.expr(s.value, 'value') };
      case 'if': return { ...s, test: this.expr(s.test, 'if', s.loc), then: this.stmts(s.then), else: this.stmts(s.else) };
      case 'loop': return { ...s, test: this.expr(s.test, 'loop', s.loc), body: this.stmts(s.body), update: this.stmts(s.update) };
      case 'return': return { ...s, value: this.expr(s.value, 'value') };
      default: return s;
    }
  }

  /** `kind` is the context a comparison found here is decided in. */
  private expr(e: Expr, kind: ConditionKind, at?: SourceLocation): Expr {
    const rec = (x: Expr) => this.expr(x, kind === 'loop' || kind === 'if' ? kind : 'value', at);
    switch (e.k) {
      case 'num':
      case 'var': return e;
      case 'prim': return { ...e, args: e.args.map((a) => this.expr(a, 'value')) };
      case 'compare': {
        const id = this.compares.length;
        // A test lowered from sugar (for...of) has no place of its own: its statement's is used.
        const loc = e.loc ?? at;
        this.compares.push({ op: e.op, kind, line: loc?.line ?? null });
        return { ...e, a: this.mark(this.expr(e.a, 'value'), id, 0, loc), b: this.mark(this.expr(e.b, 'value'), id, 1, loc) };
      }
      case 'logic': return { ...e, a: rec(e.a), b: rec(e.b) };
      case 'not': return { ...e, a: rec(e.a) };
      case 'cond': return { ...e, test: this.expr(e.test, 'ternary'), then: this.expr(e.then, 'value'), else: this.expr(e.else, 'value') };
      case 'call': return { ...e, args: e.args.map((a) => this.expr(a, 'value')) };
      case 'index': return { ...e, array: this.expr(e.array, 'value'), index: this.expr(e.index, 'value') };
      case 'length': return { ...e, array: this.expr(e.array, 'value') };
      case 'array': return { ...e, elements: e.elements.map((x) => this.expr(x, 'value')) };
      case 'fill': return { ...e, length: this.expr(e.length, 'value'), value: this.expr(e.value, 'value') };
    }
  }

  private mark(e: Expr, compare: number, side: 0 | 1, loc: SourceLocation | undefined): Expr {
    const marker: SourceLocation = { line: loc?.line ?? 0, column: loc?.column ?? 0 };
    this.markers.set(marker, { compare, side });
    return { k: 'prim', op: 'add', args: [e, { k: 'num', value: 0 }], loc: marker };
  }
}

/**
 * The tracing algebra: raw nodes with their values. Operations on numbers alone are done at once,
 * and the identities 0 + a, a * 1, a / 1 and a * 0 (for finite a) keep f readable. Any value
 * that grows past the budget stops the trace with a SwellError.
 */
class TraceAlgebra implements Algebra<Raw> {
  private F = new RawField();
  readonly conditions: Condition[] = [];
  private pending = new Map<number, Raw>();
  private made = 0;

  constructor(private budget: number, private markers: Map<object, Marker>, private compares: CompareInfo[]) {}

  constant(c: number): Raw {
    return rawNum(c);
  }

  value(v: Raw): number {
    return v.val;
  }

  ge(a: Raw, b: Raw): Raw {
    return this.F.ge(a, b);
  }

  prim(op: Primitive, args: Raw[], loc?: SourceLocation): Raw {
    const marker = loc ? this.markers.get(loc) : undefined;
    if (marker) return this.operand(marker, args[0]);
    const [a, b] = args;
    switch (op) {
      case 'add':
        if (isRawNum(a, 0)) return b;
        if (isRawNum(b, 0)) return a;
        break;
      case 'sub':
        if (isRawNum(b, 0)) return a;
        if (isRawNum(a, 0)) return this.prim('neg', [b], loc);
        break;
      case 'mul':
        if (isRawNum(a, 1)) return b;
        if (isRawNum(b, 1)) return a;
        if ((isRawNum(a, 0) && Number.isFinite(b.val)) || (isRawNum(b, 0) && Number.isFinite(a.val))) return rawNum(0);
        if (isRawNum(a, -1)) return this.prim('neg', [b], loc);
        if (isRawNum(b, -1)) return this.prim('neg', [a], loc);
        break;
      case 'div':
        if (isRawNum(b, 1)) return a;
        break;
      case 'pow':
        if (isRawNum(b, 1)) return a;
        if (isRawNum(b, 0)) return rawNum(1); // a ** 0 is 1 for every a, NaN included
        break;
    }
    const r = this.F.prim(op, args, loc);
    // The budget is on distinct nodes made (the expression as a DAG), so a loop of a million
    // iterations stops after `budget` operations; the tree written out is measured separately.
    if (r.k === 'prim' && ++this.made > this.budget) throw new SwellError(this.made, this.budget, loc, 'tracing f');
    return r;
  }

  private operand(marker: Marker, v: Raw): Raw {
    if (marker.side === 0) {
      this.pending.set(marker.compare, v);
      return v;
    }
    const a = this.pending.get(marker.compare)!;
    const info = this.compares[marker.compare];
    this.conditions.push({ op: info.op, a, b: v, holds: COMPARE[info.op](a.val, v.val), kind: info.kind, line: info.line });
    return v;
  }
}

/** Element symbols and parameter symbols for the main function's inputs. */
export function symbolSlots(program: Program, at: Point): SymbolSlot[] {
  const fn = program.functions[program.main];
  const namer = new Namer(fn.params.map((p) => p.name));
  const slots: SymbolSlot[] = [];
  for (const p of fn.params) {
    const v = at[p.name];
    if (Array.isArray(v)) v.forEach((x, i) => slots.push({ param: p.name, index: i, name: namer.fresh(`${p.name}_${i}`), value: x }));
    else slots.push({ param: p.name, index: null, name: p.name, value: v });
  }
  return slots;
}

export function trace(program: Program, at: Point, budget: number): Trace {
  const inst = new Instrumenter();
  const instrumented = inst.program(program);
  const algebra = new TraceAlgebra(budget, inst.markers, inst.compares);
  const slots = symbolSlots(program, at);
  const fn = program.functions[program.main];
  const args: Value<Raw>[] = fn.params.map((p) => {
    const own = slots.filter((s) => s.param === p.name);
    return Array.isArray(at[p.name]) ? own.map((s) => rawVar(s.name, s.value)) : rawVar(own[0].name, own[0].value);
  });
  const f = new Interpreter(instrumented, algebra).run(args);
  return { f, slots, conditions: algebra.conditions };
}
