// Autograd's tape, compiled. f's normal form (normalize.ts: helpers inlined, no jumps) becomes
// JavaScript that computes f over plain numbers and, for every primitive applied to a recorded
// value, appends a record to reused arrays: the recording site (which gives the operation and the
// place in the source), the records of its arguments, the local partial derivative with respect
// to each recorded argument, and its value. The partials are written as code once per site from
// the rules table (dy/dx_i, specialised to the site: `x ** 2` records 2 * x), so the backward
// sweep is the same multiply-accumulate for every operation, bx_i += by * dy/dx_i, with the same
// arithmetic as the foundation's Tape over the interpreter; only a helper call is recorded ahead
// of the expression around it (it is inlined first).

import type { SourceLocation } from '../../errors.ts';
import { PRIMITIVES } from '../../ir/primitives.ts';
import type { Expr, Program } from '../../ir/types.ts';
import { applyNotation, formatNumber } from '../../ir/format.ts';
import { PREC, RULES } from '../../rules/table.ts';
import type { Field } from '../../rules/field.ts';
import { normalize, walkNStmts, type NFunction, type NStmt } from '../../codegen/normalize.ts';
import { printExpr, type GExpr } from '../../codegen/jsast.ts';
import { fold } from '../../codegen/optimize.ts';

/** The op code of an input record; primitives are coded by their place in PRIMITIVES. */
export const INPUT = PRIMITIVES.length;

/**
 * The records, in arrays that grow and are reused by the next recording. Record k keeps its
 * integers at 4k in `I` (its site, then its arguments' records) and its numbers at 4k in `F`
 * (d1, d2, its value, its adjoint): d_i is dy/dx_i when argument i is a record, and the
 * argument's value when it is a constant (record -1, which has no adjoint). The adjoint is 0 as
 * recorded, for the backward sweep to add into: one sweep per recording.
 * Plain arrays, not typed ones: once any ArrayBuffer in the process has been detached (tsx's
 * loader does, so does transferring one to a worker), V8 checks for detachment on every typed
 * array access, which made the backward sweep half as fast again. Two arrays rather than a column
 * per field: each array a loop touches costs V8 a check per iteration, and a record's fields then
 * share a cache line.
 */
export class Records {
  n = 0;
  /** The output's record (-1 when f does not depend on the inputs). */
  out = -1;
  /** The inputs are the first records: the first operation's record. */
  firstOp = 0;
  /** Room for this many records. */
  cap = 0;
  /** [site, a1, a2, -] per record; the site gives the operation and source place (-1: an input). */
  I: number[] = [];
  /** [d1, d2, value, adjoint] per record. */
  F: number[] = [];
  /** Whether the backward sweep reached each record, where it keeps flags (see backward). */
  reached: number[] = [];

  /**
   * @param siteOps the op code of each site
   * @param siteConstants per site, the value of each argument written as a number in the source
   * (those are not stored in the records)
   */
  constructor(private readonly siteOps: Uint8Array, private readonly siteConstants: (number | undefined)[][]) {
    this.reserve(1024);
  }

  /** Makes room for `more` records after the first n. */
  reserve(more: number): void {
    const need = this.n + more;
    if (need <= this.cap) return;
    let size = Math.max(1024, 2 * this.cap);
    while (size < need) size *= 2;
    const { I, F, reached } = this;
    // Small integers in I and reached, doubles in F (0.5: a double from the start).
    while (I.length < 4 * size) { I.push(0); F.push(0.5); }
    while (reached.length < size) reached.push(0);
    this.cap = size;
  }

  /** Appends one input record per value; returns the first one's id (they are consecutive). */
  inputs(values: ArrayLike<number>): number {
    this.reserve(values.length);
    const first = this.n;
    const { I, F } = this;
    for (let j = 0, o = 4 * first; j < values.length; j++, o += 4) {
      I[o] = -1; I[o + 1] = -1; I[o + 2] = -1; F[o + 2] = values[j]; F[o + 3] = 0;
    }
    this.n = first + values.length;
    return first;
  }

  /** The recording site of record k (-1 for an input). */
  site(k: number): number {
    return this.I[4 * k];
  }

  /** The op code of record k (INPUT for an input). */
  op(k: number): number {
    const s = this.I[4 * k];
    return s < 0 ? INPUT : this.siteOps[s];
  }

  value(k: number): number {
    return this.F[4 * k + 2];
  }

  /** The adjoint of record k after the backward sweep (meaningless where it did not reach). */
  adjoint(k: number): number {
    return this.F[4 * k + 3];
  }

  /** The record of argument i (0 or 1) of record k, -1 for a constant. */
  argRecord(k: number, i: number): number {
    return this.I[4 * k + 1 + i];
  }

  /** The value of argument i (0 or 1) of record k, recorded or constant. */
  arg(k: number, i: number): number {
    const a = this.I[4 * k + 1 + i];
    if (a >= 0) return this.F[4 * a + 2];
    return this.siteConstants[this.I[4 * k]]?.[i] ?? this.F[4 * k + i];
  }
}

export interface Recording {
  records: Records;
  /** The output's record (-1 for a constant). */
  out: number;
  /** f at the point. */
  value: number;
  /** For each parameter, its input records: `count` consecutive ids from `first` (none if not wrt). */
  inputs: { first: number; count: number }[];
  /** Per site: 1 where an operation met a point where its derivative does not exist. */
  kinked: Uint8Array;
}

export interface CompiledTape {
  /**
   * Records f at the point. The records live in buffers reused by the next call: read them
   * before recording again.
   */
  record(args: (number | number[])[], wrt: boolean[]): Recording;
  /** The source place of each site number. */
  sites: (SourceLocation | undefined)[];
  /** The op code of each site number. */
  siteOps: Uint8Array;
  /** The recording function's JavaScript (for inspection). */
  source: string;
  params: { name: string; type: 'num' | 'arr' }[];
}

const cache = new WeakMap<Program, CompiledTape>();

export function compileTape(program: Program): CompiledTape {
  let compiled = cache.get(program);
  if (!compiled) {
    compiled = new TapeCompiler(normalize(program)).compile();
    cache.set(program, compiled);
  }
  return compiled;
}

// ---- recording code -------------------------------------------------------------------------

/** Partials as code, folded as the generated gradient's are (x ** 2 gives 2 * x). */
const codeField: Field<GExpr> = {
  constant: (c) => ({ k: 'num', value: c }),
  prim: (op, args) => fold({ k: 'prim', op, args }),
  ge: (a, b) => ({ k: 'cond', test: { k: 'compare', op: '>=', a, b }, then: { k: 'num', value: 1 }, else: { k: 'num', value: 0 } }),
};

/** The record arrays as locals of the recording function (user names never contain `$`). */
const ARRAYS = '$I = $T.I, $F = $T.F';

/** An operand of a primitive: its value as code, its record id as code ('-1' for none). */
interface Operand { v: string; id: string; g: GExpr }

class TapeCompiler {
  private lines: string[] = [];
  private temps = 0;
  private sites: (SourceLocation | undefined)[] = [];
  private siteOps: number[] = [];
  private siteConstants: (number | undefined)[][] = [];
  /** Kink tests the recording code calls, by op code. */
  private kinkOps = new Set<number>();
  /** The straight-line run being emitted: where its room check goes, how many records it can make. */
  private run: { at: number; indent: string; records: number } | null = null;

  constructor(private nf: NFunction) {}

  compile(): CompiledTape {
    const nf = this.nf;
    const locals = [...nf.types.keys()].filter((n) => !nf.params.some((p) => p.name === n));
    const params = nf.params.map((p) => p.name);
    // Arrays f writes into are copied, so that the caller's stay as they were.
    let writes = false;
    walkNStmts(nf.body, (s) => { if (s.k === 'setIndex') writes = true; });
    const head = [
      `"use strict";`,
      `return function record($T, $K, ${params.map((p) => `${p}, ${p}$`).join(', ')}) {`,
      `  let $n = $T.n, $cap = $T.cap, ${ARRAYS};`,
      ...(locals.length ? [`  let ${locals.map((n) => (nf.types.get(n) === 'arr' ? `${n}, ${n}$` : `${n} = 0, ${n}$ = -1`)).join(', ')};`] : []),
    ];
    this.openRun('  ');
    this.block(nf.body, '  ');
    this.closeRun();
    // The output's record goes on the records object: an array literal after the loop, never
    // reached when V8 compiles the loop on the stack, made every call start over unoptimized.
    const body = [...head, ...this.lines, `  $T.n = $n;`, `  $T.out = ${nf.result}$;`, `  return ${nf.result};`, `};`].join('\n');
    const kinkNames = [...this.kinkOps].map((code) => `$kink_${PRIMITIVES[code]}`);
    const kinkTests = [...this.kinkOps].map((code) => RULES[PRIMITIVES[code]].kink!.at);
    const run = new Function(...kinkNames, body)(...kinkTests) as (...a: unknown[]) => number;
    const siteOps = Uint8Array.from(this.siteOps);
    const records = new Records(siteOps, this.siteConstants);
    const kinked = new Uint8Array(this.sites.length);
    const kinds = nf.params.map((p) => p.type);
    const idCache: (number[] | undefined)[] = [];
    return {
      sites: this.sites,
      siteOps,
      source: body,
      params: nf.params.map((p) => ({ name: p.name, type: p.type })),
      record(args, wrt) {
        // One set of buffers per compiled function, reused: the tape is read before the next run.
        records.n = 0;
        records.out = -1;
        kinked.fill(0);
        const inputs: { first: number; count: number }[] = [];
        const callArgs: unknown[] = [];
        for (let i = 0; i < args.length; i++) {
          const a = args[i];
          if (kinds[i] === 'arr') {
            const values = a as number[];
            const first = wrt[i] ? records.inputs(values) : -1;
            inputs.push(wrt[i] ? { first, count: values.length } : { first: 0, count: 0 });
            // The array's record ids: first, first + 1, ... (or -1 for each element when it is
            // not differentiated), kept for the next call when f never writes into an array.
            let ids = writes ? undefined : idCache[i];
            if (!ids || ids.length !== values.length || ids[0] !== (wrt[i] ? first : -1)) {
              ids = new Array<number>(values.length);
              for (let j = 0; j < ids.length; j++) ids[j] = wrt[i] ? first + j : -1;
              if (!writes) idCache[i] = ids;
            }
            callArgs.push(writes ? values.slice() : values, ids);
          } else {
            const id = wrt[i] ? records.inputs([a as number]) : -1;
            inputs.push(wrt[i] ? { first: id, count: 1 } : { first: 0, count: 0 });
            callArgs.push(a, id);
          }
        }
        records.firstOp = records.n;
        const value = run(records, kinked, ...callArgs);
        return { records, out: records.out, value, inputs, kinked };
      },
    };
  }

  private temp(): string {
    return `$${this.temps++}`;
  }

  private site(loc: SourceLocation | undefined, code: number, constants: (number | undefined)[]): number {
    this.sites.push(loc);
    this.siteOps.push(code);
    this.siteConstants.push(constants);
    return this.sites.length - 1;
  }

  // A straight-line run of code checks once, at its start, that there is room for every record it
  // can make; the records are then stored without a check each.
  private openRun(indent: string): void {
    this.run = { at: this.lines.length, indent, records: 0 };
    this.lines.push('');
  }

  private closeRun(): void {
    const r = this.run!;
    this.lines[r.at] = r.records === 0 ? '' :
      `${r.indent}if ($n + ${r.records} > $cap) { $T.n = $n; $T.reserve(${r.records}); $cap = $T.cap; ${ARRAYS}; }`;
    this.run = null;
  }

  private block(list: NStmt[], indent: string): void {
    for (const s of list) {
      switch (s.k) {
        case 'assign': {
          if (this.nf.types.get(s.name) === 'arr') { this.arrayAssign(s.name, s.value, indent); break; }
          const { v, id } = this.expr(s.value, indent);
          this.lines.push(`${indent}${s.name} = ${v}; ${s.name}$ = ${id};`);
          break;
        }
        case 'setIndex': {
          const { v: i } = this.expr(s.index, indent);
          const { v, id } = this.expr(s.value, indent);
          const at = this.temp();
          this.lines.push(`${indent}const ${at} = ${i};`, `${indent}${s.name}[${at}] = ${v}; ${s.name}$[${at}] = ${id};`);
          break;
        }
        case 'if': {
          const { v: t } = this.expr(s.test, indent);
          this.closeRun();
          this.lines.push(`${indent}if (${t}) {`);
          this.openRun(indent + '  ');
          this.block(s.then, indent + '  ');
          this.closeRun();
          if (s.else.length) {
            this.lines.push(`${indent}} else {`);
            this.openRun(indent + '  ');
            this.block(s.else, indent + '  ');
            this.closeRun();
          }
          this.lines.push(`${indent}}`);
          this.openRun(indent);
          break;
        }
        case 'while': {
          this.closeRun();
          this.lines.push(`${indent}for (;;) {`);
          this.openRun(indent + '  ');
          const { v: t } = this.expr(s.test, indent + '  ');
          this.lines.push(`${indent}  if (!(${t})) break;`);
          this.block(s.body, indent + '  ');
          this.closeRun();
          this.lines.push(`${indent}}`);
          this.openRun(indent);
          break;
        }
      }
    }
  }

  private arrayAssign(name: string, e: Expr, indent: string): void {
    if (e.k === 'var') { this.lines.push(`${indent}${name} = ${e.name}; ${name}$ = ${e.name}$;`); return; }
    if (e.k === 'array') {
      const parts = e.elements.map((x) => this.expr(x, indent));
      this.lines.push(`${indent}${name} = [${parts.map((p) => p.v).join(', ')}]; ${name}$ = [${parts.map((p) => p.id).join(', ')}];`);
      return;
    }
    if (e.k === 'fill') {
      const { v: n } = this.expr(e.length, indent);
      const { v, id } = this.expr(e.value, indent);
      const len = this.temp();
      this.lines.push(`${indent}const ${len} = ${n};`, `${indent}${name} = []; ${name}$ = [];`, `${indent}for (let $k = 0; $k < ${len}; $k++) { ${name}.push(${v}); ${name}$.push(${id}); }`);
      return;
    }
    throw new Error(`compiled tape: unexpected array value ${e.k}`);
  }

  /** An expression as code for its value and its record id, with temporaries for every primitive. */
  private expr(e: Expr, indent: string): Operand {
    switch (e.k) {
      case 'num': {
        const text = formatNumber(e.value, 'js').text;
        return { v: text.startsWith('-') ? `(${text})` : text, id: '-1', g: { k: 'num', value: e.value } };
      }
      case 'var': return { v: e.name, id: `${e.name}$`, g: { k: 'var', name: e.name } };
      case 'index': {
        const array = (e.array as { name: string }).name;
        const { v: i } = this.expr(e.index, indent);
        const at = this.temp();
        this.lines.push(`${indent}const ${at} = ${i};`);
        return this.named(`${array}[${at}]`, `${array}$[${at}]`, indent);
      }
      case 'length': return this.named(`${(e.array as { name: string }).name}.length`, '-1', indent);
      case 'compare': {
        const a = this.expr(e.a, indent);
        const b = this.expr(e.b, indent);
        return this.named(`(${a.v} ${e.op} ${b.v})`, '-1', indent);
      }
      case 'logic': {
        // The right side runs (and records) only when the left does not decide, as in f.
        const t = this.temp();
        this.lines.push(`${indent}let ${t} = ${this.expr(e.a, indent).v};`, `${indent}if (${e.op === '&&' ? t : `!${t}`}) {`);
        const b = this.expr(e.b, indent + '  ');
        this.lines.push(`${indent}  ${t} = ${b.v};`, `${indent}}`);
        return { v: t, id: '-1', g: { k: 'var', name: t } };
      }
      case 'not': return this.named(`(!${this.expr(e.a, indent).v})`, '-1', indent);
      case 'prim': return this.prim(e, indent);
      default:
        throw new Error(`compiled tape: unexpected expression ${e.k}`);
    }
  }

  /** A value (and its id) held in a temporary. */
  private named(v: string, id: string, indent: string): Operand {
    const t = this.temp();
    this.lines.push(id === '-1' ? `${indent}const ${t} = ${v};` : `${indent}const ${t} = ${v}, ${t}$ = ${id};`);
    return { v: t, id: id === '-1' ? '-1' : `${t}$`, g: { k: 'var', name: t } };
  }

  private prim(e: Extract<Expr, { k: 'prim' }>, indent: string): Operand {
    const rule = RULES[e.op];
    const args = e.args.map((a) => this.expr(a, indent));
    const value = applyNotation(rule.js, args.map((a) => ({ text: a.v, prec: PREC.atom })), 'js').text;
    const t = this.temp();
    this.lines.push(`${indent}const ${t} = ${value};`);
    const live = args.filter((a) => a.id !== '-1');
    if (live.length === 0) return { v: t, id: '-1', g: { k: 'var', name: t } };

    const code = PRIMITIVES.indexOf(e.op);
    // A number written in the source is the same at every run: the site keeps it, not the records.
    const site = this.site(e.loc, code, e.args.map((a) => (a.k === 'num' ? a.value : undefined)));
    this.run!.records++;
    const partials = rule.partials(codeField, args.map((a) => a.g), { k: 'var', name: t });
    // Argument i's slot: its partial when it is recorded, else its value (for the tape view),
    // but for a number written in the source, which the site keeps.
    const slot = (i: number): string | null => {
      const a = args[i];
      if (e.args[i].k === 'num') return null;
      if (a.id === '-1') return a.v;
      const partial = printExpr(partials[i]);
      return live.length === 1 ? partial : `${a.id} >= 0 ? ${partial} : ${a.v}`;
    };
    const at = `${t}$`;
    // Record k's slots start at 4k in both arrays.
    const stores = [`${at} = $n++;`, `const $o = 4 * ${at};`, `$I[$o] = ${site};`, `$I[$o + 1] = ${args[0].id};`, `$I[$o + 2] = ${args[1]?.id ?? '-1'};`];
    args.forEach((_, i) => { const d = slot(i); if (d !== null) stores.push(`$F[$o${i ? ' + 1' : ''}] = ${d};`); });
    stores.push(`$F[$o + 2] = ${t};`, `$F[$o + 3] = 0;`);
    if (rule.kink) {
      this.kinkOps.add(code);
      stores.push(`if ($kink_${e.op}(${args.map((a) => a.v).join(', ')})) $K[${site}] = 1;`);
    }
    this.lines.push(
      `${indent}let ${at} = -1;`,
      `${indent}if (${live.map((a) => `${a.id} >= 0`).join(' || ')}) {`,
      `${indent}  ${stores.join(' ')}`,
      `${indent}}`,
    );
    return { v: t, id: at, g: { k: 'var', name: t } };
  }
}

// ---- the backward sweep -----------------------------------------------------------------------

/** Whether the backward sweep reached each record (its adjoint is in the records). */
export class Reached {
  /**
   * @param records what was swept
   * @param out the output record: none after it is reached
   * @param flagged below this record the flags hold; at and above it, a record was reached
   * exactly when its adjoint is not zero
   */
  constructor(private readonly records: Records, private readonly out: number, private readonly flagged: number) {}

  has(k: number): boolean {
    if (k > this.out) return false;
    return k < this.flagged ? this.records.reached[k] === 1 : this.records.F[4 * k + 3] !== 0;
  }
}

/**
 * The backward sweep, once per recording: adds the adjoints into the records' adjoint slots.
 * From the output record down, each reached record adds bar * partial into the adjoint of each
 * recorded argument: the first contribution is stored, later ones added, as the foundation's Tape
 * does. One multiply-add per argument, whatever the operation: the partials were worked out when
 * the record was made.
 * While no adjoint has come to zero, a record is reached exactly when its adjoint is not zero, so
 * the sweep runs without reached flags; from the first zero on (a max that passed over one
 * argument, a cancellation) it keeps flags, so that a reached zero still passes its 0 * partial on
 * (NaN where the partial is infinite) exactly as the foundation's Tape does.
 */
export function backward(records: Records, out: number, seed: number): Reached {
  if (out < 0) return new Reached(records, out, 0);
  const { I, F, reached } = records;
  F[4 * out + 3] = seed;
  // The fast sweep stops after the first record that gives an adjoint a zero sum (-1: none did).
  const stopped = seed === 0 ? out + 1 : SWEEPS.fast(I, F, out, records.firstOp);
  if (stopped < 0) return new Reached(records, out, 0);
  // From there on, reached is kept in flags. Below that record, a record has been reached so far
  // when its adjoint is not zero, or when it is an argument of that record (given a zero).
  for (let i = 0; i < stopped; i++) reached[i] = F[4 * i + 3] === 0 ? 0 : 1;
  if (seed === 0) reached[out] = 1;
  else {
    const j1 = I[4 * stopped + 1], j2 = I[4 * stopped + 2];
    if (j1 >= 0) reached[j1] = 1;
    if (j2 >= 0) reached[j2] = 1;
  }
  SWEEPS.flagged(I, F, reached, stopped - 1, records.firstOp);
  return new Reached(records, out, stopped);
}

/**
 * The two sweeps, compiled from source text at run time like the recording functions, so that
 * V8 compiles them the same way however this module itself was loaded (under tsx, a function
 * from this file ran its loop a quarter slower).
 */
const SWEEPS = new Function(`"use strict";
  // While no adjoint has come to zero, a record was reached exactly when its adjoint is not 0.
  // 0 + c is c, so a first contribution needs no test of its own, unless it is -0 (0 + -0 is +0):
  // a zero sum stops the sweep, and the contribution itself is stored as the foundation does.
  function fast(I, F, out, first) {
    for (let k = out, o = 4 * out; k >= first; k--, o -= 4) {
      const bar = F[o + 3];
      if (bar === 0) continue;
      let zero = false;
      let j = I[o + 1];
      if (j >= 0) {
        const q = 4 * j + 3, prior = F[q], c = bar * F[o], sum = prior + c;
        F[q] = sum;
        if (sum === 0) { zero = true; if (prior === 0) F[q] = c; }
      }
      j = I[o + 2];
      if (j >= 0) {
        const q = 4 * j + 3, prior = F[q], c = bar * F[o + 1], sum = prior + c;
        F[q] = sum;
        if (sum === 0) { zero = true; if (prior === 0) F[q] = c; }
      }
      if (zero) return k;
    }
    return -1;
  }
  // With flags: a reached zero passes its 0 * partial on (NaN where the partial is infinite).
  function flagged(I, F, reached, from, first) {
    for (let k = from, o = 4 * from; k >= first; k--, o -= 4) {
      if (reached[k] === 0) continue;
      const bar = F[o + 3];
      let j = I[o + 1];
      if (j >= 0) {
        const c = bar * F[o];
        if (reached[j] === 0) { F[4 * j + 3] = c; reached[j] = 1; } else F[4 * j + 3] += c;
      }
      j = I[o + 2];
      if (j >= 0) {
        const c = bar * F[o + 1];
        if (reached[j] === 0) { F[4 * j + 3] = c; reached[j] = 1; } else F[4 * j + 3] += c;
      }
    }
  }
  return { fast, flagged };`)() as {
  fast: (I: number[], F: number[], out: number, first: number) => number;
  flagged: (I: number[], F: number[], reached: number[], from: number, first: number) => void;
};
