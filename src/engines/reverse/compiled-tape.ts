// Autograd's tape, compiled. f's normal form (normalize.ts: helpers inlined, no jumps) becomes
// JavaScript that computes f over plain numbers and, for every primitive applied to a recorded
// value, appends a record to one reused array: the recording site (which gives the operation and
// the place in the source), the records of its arguments, the local partial derivative with respect
// to each recorded argument, and its value. The partials are written as code once per site from the
// rules table (dy/dx_i, specialised to the site: `x ** 2` records 2 * x; a partial that is a number,
// as add's 1 or `100 * x`'s 100, is kept by the site rather than by every record), so the backward
// sweep is the same multiply-accumulate for every operation, bx_i += by * dy/dx_i, with the same
// arithmetic as the foundation's Tape over the interpreter but for two things: a helper call is
// recorded ahead of the expression around it (it is inlined first), and a partial folded as code
// drops 0 * e (`x ** 0` at 0 gives 0 where the foundation's 0 * x ** -1 is NaN), as the
// generated gradient code does.

import { DdxError, type SourceLocation } from '../../errors.ts';
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
 * How a site keeps each of its arguments (at most two: every primitive has arity 1 or 2).
 * NONE: no such argument, or a number written in the source (the site keeps its value);
 * FIXED: a value that is never recorded (`x.length`, a parameter not differentiated): the
 * record keeps its value; PARTIAL: maybe recorded, the record keeps dy/dx_i (or the argument's
 * value when it is not recorded); CONSTANT: maybe recorded, dy/dx_i is a number the site keeps
 * (the record keeps the argument's value when it is not recorded).
 */
const NONE = 0, FIXED = 1, PARTIAL = 2, CONSTANT = 3;

/**
 * Record k's slots start at 8k in F: [d1, d2, value, adjoint, site, a1, a2, -]. The record of an
 * argument whose site carries (CARRY, below) is not stored: it is always k - 1 when there is one.
 */
const STRIDE = 8;
/** The largest tape: V8's arrays of doubles hold 2^27 - 1 entries at most (and this is 512 MB). */
const MAX_RECORDS = 1 << 23;

/**
 * The records, in one array that grows and is reused by the next recording. Record k keeps at
 * 8k: d1, d2 (argument i's slot: see the site's kinds above), its value, its adjoint (0 as
 * recorded where the fast sweep adds into it: see SUM), its site (-1 for an input), and the records
 * of its arguments a1, a2 (-1: not recorded; not written for an argument the site keeps, nor for one
 * that carries: see CARRY).
 * One plain array of doubles, not typed arrays nor an array per field: once any ArrayBuffer in the
 * process has been detached (tsx's loader does, so does transferring one to a worker), V8 checks
 * for detachment on every typed array access; and every array a loop touches costs V8 a check of
 * its shape per record. The index arithmetic is written with | and << so that V8 needs no
 * overflow checks on it, and the stride is 8 so that a record's slots are `o | i`.
 */
export class Records {
  n = 0;
  /** The inputs are the first records: the first operation's record. */
  firstOp = 0;
  /** Room for this many records. */
  cap = 0;
  F: number[] = [];
  /** Whether the exact backward sweep reached each record (1) or not (0). */
  reached: number[] = [];

  /**
   * @param siteOps the op code of each site
   * @param kinds per site, the kind of each argument slot (2 per site)
   * @param numbers per site, per slot: the value of a NONE argument written in the source, or the
   * partial of a CONSTANT one (2 per site)
   * @param carried per site, per slot: 1 + the site of an argument that carries (its record, when
   * recorded, is the one just before), else 0 (2 per site)
   * @param fastSweep the backward sweep compiled for these sites, over record offsets from..to (see backwardFast)
   */
  constructor(
    readonly siteOps: Uint8Array,
    readonly kinds: number[],
    readonly numbers: number[],
    readonly carried: number[],
    readonly fastSweep: (F: number[], from: number, to: number) => void,
  ) {
    this.reserve(1024);
  }

  /** Makes room for `more` records after the first n. */
  reserve(more: number): void {
    const need = this.n + more;
    if (need <= this.cap) return;
    if (need > MAX_RECORDS) throw new DdxError('budget', `the tape would hold more than ${MAX_RECORDS.toLocaleString('en-US')} records`);
    let size = Math.max(1024, 2 * this.cap);
    while (size < need) size *= 2;
    size = Math.min(size, MAX_RECORDS);
    const { F, reached } = this;
    // Doubles from the start (0.5), small integers in reached.
    while (F.length < STRIDE * size) F.push(0.5);
    while (reached.length < size) reached.push(0);
    this.cap = size;
  }

  /** Appends one input record; returns its id. */
  input(value: number): number {
    if (this.n >= this.cap) this.reserve(1);
    const k = this.n++;
    const o = k << 3, F = this.F;
    F[o | 2] = value; F[o | 3] = 0; F[o | 4] = -1;
    return k;
  }

  /** Appends one input record per value; returns the first one's id (they are consecutive). */
  inputs(values: ArrayLike<number>): number {
    const count = values.length;
    this.reserve(count);
    const first = this.n, F = this.F;
    for (let j = 0, o = first << 3; j < count; j++, o = (o + 8) | 0) {
      F[o | 2] = values[j]; F[o | 3] = 0; F[o | 4] = -1;
    }
    this.n = first + count;
    return first;
  }

  /** The recording site of record k (-1 for an input). */
  site(k: number): number {
    return this.F[STRIDE * k + 4];
  }

  /** The op code of record k (INPUT for an input). */
  op(k: number): number {
    const s = this.site(k);
    return s < 0 ? INPUT : this.siteOps[s];
  }

  value(k: number): number {
    return this.F[STRIDE * k + 2];
  }

  /** The adjoint slot of record k after a backward sweep (meaningless where it did not reach). */
  adjoint(k: number): number {
    return this.F[STRIDE * k + 3];
  }

  /** The record of argument i (0 or 1) of record k, -1 for a constant. */
  argRecord(k: number, i: number): number {
    const slot = 2 * this.site(k) + i;
    const kind = this.kinds[slot];
    if (kind !== PARTIAL && kind !== CONSTANT) return -1;
    // An argument's record made at its carrying site is always the one just before (see CARRY).
    const carried = this.carried[slot];
    if (carried) return this.site(k - 1) === carried - 1 ? k - 1 : -1;
    return this.F[STRIDE * k + 5 + i];
  }

  /** The value of argument i (0 or 1) of record k, recorded or constant. */
  arg(k: number, i: number): number {
    const s = this.site(k);
    if (this.kinds[2 * s + i] === NONE) return this.numbers[2 * s + i];
    const a = this.argRecord(k, i);
    return a >= 0 ? this.value(a) : this.F[STRIDE * k + i];
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
   * Records f at the point. The records, and the recording that describes them, live in buffers
   * reused by the next call: read them before recording again.
   */
  record(args: (number | number[])[], wrt: boolean[]): Recording;
  /** The source place of each site number. */
  sites: (SourceLocation | undefined)[];
  /** The op code of each site number. */
  siteOps: Uint8Array;
  /** The recording function's JavaScript (for inspection). */
  source: string;
  /** The fast backward sweep's JavaScript (for inspection). */
  sweepSource: string;
  params: { name: string; type: 'num' | 'arr' }[];
}

const cache = new WeakMap<Program, CompiledTape>();

export function compileTape(program: Program): CompiledTape {
  let compiled = cache.get(program);
  if (!compiled) {
    const nf = normalize(program);
    // Which scalar variables can hold a recorded value: the parameters, and whatever is assigned
    // one, until nothing more is (a loop counter never is, and needs no record id nor tests).
    let recorded = new Set(nf.params.filter((p) => p.type === 'num').map((p) => p.name));
    for (;;) {
      const compiler = new TapeCompiler(nf, recorded);
      const more = compiler.emit();
      if ([...more].every((n) => recorded.has(n))) { compiled = compiler.compile(); break; }
      recorded = new Set([...recorded, ...more]);
    }
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

/** The record array as a local of the recording function (user names never contain `$`). */
const ARRAYS = '$F = $T.F';

/**
 * An operand of a primitive: its value as code, its record id as code ('-1' for none), and, when
 * it is the value of a primitive that may be recorded, that primitive's site.
 */
interface Operand { v: string; id: string; g: GExpr; site?: number }

/**
 * Where the fast sweep finds a site's adjoint (bar). SUM: in the record's adjoint slot, zeroed when
 * recorded, that every user adds into (a variable's value can have many users). A primitive's value
 * used only as an argument of another primitive, as every value inside an expression is, has that
 * one user, which is recorded whenever it is: its contribution is the whole adjoint. SET: the user
 * stores it in the slot (which needs no zeroing); CARRY: the user is always the very next record
 * swept, and hands it over in a variable, out of memory.
 */
const SUM = 0, SET = 1, CARRY = 2;

/** How a site keeps one argument (see NONE ... CONSTANT), with the number it keeps, if any. */
interface Slot {
  kind: number;
  number: number;
  partial?: string;
  /** For a recorded argument made by a primitive: that primitive's site (see barFrom for where its adjoint goes). */
  site?: number;
}

/** A number as a JavaScript operand of `*`. */
const literal = (c: number) => { const t = formatNumber(c, 'js').text; return t.startsWith('-') ? `(${t})` : t; };

/** Argument i's adjoint contribution, bar * partial, as code (exactly: bar * 1 is bar, bar * -1 is -bar). */
function contribution(slot: Slot, i: number): string {
  if (slot.kind === PARTIAL) return `bar * F[o${i ? ' | 1' : ''}]`;
  if (slot.number === 1) return 'bar';
  if (slot.number === -1) return '-bar';
  return `bar * ${literal(slot.number)}`;
}

class TapeCompiler {
  private lines: string[] = [];
  private temps = 0;
  private sites: (SourceLocation | undefined)[] = [];
  private siteOps: number[] = [];
  private siteSlots: Slot[][] = [];
  /** Per site, where the fast sweep finds its adjoint (SUM, SET or CARRY). */
  private barFrom: number[] = [];
  /** Kink tests the recording code calls, by op code. */
  private kinkOps = new Set<number>();
  /** The straight-line run being emitted: where its room check goes, how many records it can make. */
  private run: { at: number; indent: string; records: number } | null = null;

  /** Scalars assigned a value that can be recorded, in this emission. */
  private assignedRecorded = new Set<string>();

  /** @param recorded the scalar variables that can hold a recorded value (the others need no id) */
  constructor(private nf: NFunction, private recorded: Set<string>) {}

  /** Emits the recording code; returns the scalars it found assigned a value that can be recorded. */
  emit(): Set<string> {
    this.openRun('  ');
    this.block(this.nf.body, '  ');
    this.closeRun();
    return this.assignedRecorded;
  }

  /** A variable's record id as code. */
  private idOf(name: string): string {
    return this.nf.types.get(name) === 'arr' || this.recorded.has(name) ? `${name}$` : '-1';
  }

  compile(): CompiledTape {
    const nf = this.nf;
    const locals = [...nf.types.keys()].filter((n) => !nf.params.some((p) => p.name === n));
    // Arrays f writes into are copied, so that the caller's stay as they were.
    let writes = false;
    walkNStmts(nf.body, (s) => { if (s.k === 'setIndex') writes = true; });
    const local = (n: string) => (nf.types.get(n) === 'arr' ? `${n}, ${n}$` : this.recorded.has(n) ? `${n} = 0, ${n}$ = -1` : `${n} = 0`);
    // The arguments come in one array, each value followed by its record id(s). The record
    // count and the output's record go out through variables of the enclosing function: code
    // after the loop first runs after V8 has optimized the function during the first call, and
    // a property store there, with no type feedback yet, throws the optimized code away (an
    // array literal did too); a variable of an enclosing function needs no feedback. Once thrown
    // away, the code V8 made next for the loop was often a third slower.
    const head = [
      `"use strict";`,
      `let $end = 0, $out = -1;`,
      `return [function record($T, $K, $A) {`,
      // Called once with no arguments, to turn a loop before the first recording (see below).
      `  if (!$A) { let $w = 0; for (let $i = 0; $i < $K; $i = ($i + 1) | 0) $w = ($w + $i) | 0; return $w; }`,
      `  let $n = $T.n, $cap = $T.cap, ${ARRAYS};`,
      ...(nf.params.length ? [`  let ${nf.params.map((p, i) => `${p.name} = $A[${2 * i}], ${p.name}$ = $A[${2 * i + 1}]`).join(', ')};`] : []),
      ...(locals.length ? [`  let ${locals.map(local).join(', ')};`] : []),
    ];
    const body = [...head, ...this.lines, `  $end = $n;`, `  $out = ${this.idOf(nf.result)};`, `  return ${nf.result};`,
      `}, () => $end, () => $out];`].join('\n');
    const kinkNames = [...this.kinkOps].map((code) => `$kink_${PRIMITIVES[code]}`);
    const kinkTests = [...this.kinkOps].map((code) => RULES[PRIMITIVES[code]].kink!.at);
    const [run, end, out] = new Function(...kinkNames, body)(...kinkTests) as [($T: Records | null, $K: Uint8Array | number, $A: unknown[] | null) => number, () => number, () => number];
    // V8 gives a function its type feedback slots only after it has run a while, so the first
    // call's code before its loops (reading the arguments) ran with none, and the code optimized
    // during that first call threw itself away at the second call's start; what V8 made instead
    // was often a third slower. One call that only turns a loop gets the slots first: a turn per
    // character of source is several times what they take, and 20000 turns still fall short of
    // what makes V8 optimize the function (50000 did).
    run(null, Math.min(body.length, 20000), null);
    const sweepSource = this.sweepSource();
    const fastSweep = new Function(sweepSource)() as Records['fastSweep'];
    const siteOps = Uint8Array.from(this.siteOps);
    const kinds: number[] = [], numbers: number[] = [], carried: number[] = [];
    for (const slots of this.siteSlots) {
      for (let i = 0; i < 2; i++) {
        kinds.push(slots[i]?.kind ?? NONE);
        numbers.push(slots[i]?.number ?? 0);
        carried.push(slots[i] && this.to(slots[i]) === CARRY ? slots[i].site! + 1 : 0);
      }
    }
    const records = new Records(siteOps, kinds, numbers, carried, fastSweep);
    const kinked = new Uint8Array(this.sites.length);
    const types = nf.params.map((p) => p.type);
    const idCache: (number[] | undefined)[] = [];
    const callArgs: unknown[] = new Array(2 * nf.params.length).fill(0);
    // The recording's description is reused too, like the records it describes.
    const inputs = nf.params.map(() => ({ first: 0, count: 0 }));
    const recording: Recording = { records, out: -1, value: 0, inputs, kinked };
    return {
      sites: this.sites,
      siteOps,
      source: body,
      sweepSource,
      params: nf.params.map((p) => ({ name: p.name, type: p.type })),
      record(args, wrt) {
        // One set of buffers per compiled function, reused: the tape is read before the next run.
        records.n = 0;
        kinked.fill(0);
        for (let i = 0; i < args.length; i++) {
          const a = args[i];
          if (types[i] === 'arr') {
            const values = a as number[];
            const first = wrt[i] ? records.inputs(values) : -1;
            inputs[i].first = wrt[i] ? first : 0;
            inputs[i].count = wrt[i] ? values.length : 0;
            // The array's record ids: first, first + 1, ... (or -1 for each element when it is
            // not differentiated), kept for the next call when f never writes into an array.
            let ids = writes ? undefined : idCache[i];
            if (!ids || ids.length !== values.length || ids[0] !== (wrt[i] ? first : -1)) {
              // Pushed, so that V8 keeps the array packed (reads need no test for holes).
              ids = [];
              for (let j = 0; j < values.length; j++) ids.push(wrt[i] ? first + j : -1);
              if (!writes) idCache[i] = ids;
            }
            callArgs[2 * i] = writes ? values.slice() : values;
            callArgs[2 * i + 1] = ids;
          } else {
            const id = wrt[i] ? records.input(a as number) : -1;
            inputs[i].first = wrt[i] ? id : 0;
            inputs[i].count = wrt[i] ? 1 : 0;
            callArgs[2 * i] = a;
            callArgs[2 * i + 1] = id;
          }
        }
        records.firstOp = records.n;
        recording.value = run(records, kinked, callArgs);
        records.n = end();
        recording.out = out();
        // The arrays are not kept past the call.
        callArgs.fill(0);
        return recording;
      },
    };
  }

  /**
   * The fast backward sweep, one case per site: each recorded argument's adjoint slot gets
   * bar * partial added (or stored, see SET), the partial read from the record or written in as
   * the site's number. Every record from the output down is swept, reached or not (see backward).
   * A site whose argument carries (see CARRY) goes on, in the same case, to that argument's record,
   * the next one down, with its adjoint in hand: a chain of nested calls such as
   * `100 * (y - x ** 2) ** 2` is swept in one case, its adjoints kept out of memory. A carrying
   * site has no case of its own: its record is always swept by its user's.
   */
  private sweepSource(): string {
    // Sites with the same code share a case (every x ** 2 is one case).
    const bodies = new Map<string, number[]>();
    this.siteSlots.forEach((_, s) => {
      if (this.barFrom[s] === CARRY) return;
      const body = `bar = F[o | 3]; ${this.sweepRecord(s)}`;
      bodies.set(body, [...(bodies.get(body) ?? []), s]);
    });
    const cases = [...bodies].map(([body, sites]) => `        ${sites.map((s) => `case ${s}:`).join(' ')} ${body} break;`);
    const one = [`      switch (F[o | 4] | 0) {`, ...cases, `      }`];
    // Several records per turn of the loop: each turn costs V8 a check of F's shape again (after
    // its interrupt check), and the loop is otherwise a few instructions per record.
    const unroll = bodies.size <= 16 ? 4 : bodies.size <= 64 ? 2 : 1;
    const turn: string[] = [];
    for (let u = 0; u < unroll; u++) {
      if (u) turn.push(`      o = (o - 8) | 0;`, `      if (o < end) break;`);
      turn.push(...one);
    }
    return [
      `"use strict";`,
      `return function sweep(F, o, end) {`,
      `  let bar = 0, carry = 0, j = 0;`,
      `  for (; o >= end; o = (o - 8) | 0) {`,
      ...turn,
      `  }`,
      `};`,
    ].join('\n');
  }

  /**
   * The fast sweep of one record of site s at offset o, its adjoint in bar: the contributions in
   * argument order, as the exact sweep makes them (two into one slot must be added in its order),
   * then the carried argument's record, if it was recorded.
   */
  private sweepRecord(s: number): string {
    const slots = this.siteSlots[s];
    const recorded = slots.map((slot, i) => ({ slot, i })).filter(({ slot }) => slot.kind === PARTIAL || slot.kind === CONSTANT);
    let next = '';
    const adds = recorded.map(({ slot, i }) => {
      const to = this.to(slot);
      if (to === CARRY) {
        const down = `o = (o - 8) | 0; bar = carry; ${this.sweepRecord(slot.site!)}`;
        // A record exists when one of its arguments is recorded: a lone candidate always is.
        // Else the record just below is this argument's when it was made at its site (see CARRY).
        next = recorded.length > 1 ? `if ((F[(o - 8) | 4] | 0) === ${slot.site}) { ${down} }` : down;
        return `carry = ${contribution(slot, i)};`;
      }
      const add = `F[(j << 3) | 3] ${to === SET ? '=' : '+='} ${contribution(slot, i)};`;
      return `j = F[o | ${5 + i}] | 0; ${recorded.length > 1 ? `if (j >= 0) ${add}` : add}`;
    });
    return [...adds, next].filter(Boolean).join(' ');
  }

  /** Where a recorded argument's adjoint goes: SUM for a variable's, else as its site's (see SUM). */
  private to(slot: Slot): number {
    return slot.site === undefined ? SUM : this.barFrom[slot.site];
  }

  private temp(): string {
    return `$${this.temps++}`;
  }

  private site(loc: SourceLocation | undefined, code: number, slots: Slot[]): number {
    this.sites.push(loc);
    this.siteOps.push(code);
    this.siteSlots.push(slots);
    this.barFrom.push(SUM);
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
          if (id !== '-1') this.assignedRecorded.add(s.name);
          this.lines.push(this.recorded.has(s.name) ? `${indent}${s.name} = ${v}; ${s.name}$ = ${id};` : `${indent}${s.name} = ${v};`);
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

  /**
   * An expression as code for its value and its record id, with temporaries for every primitive.
   * `asArgument`: the expression is an argument of a primitive (its one user: see SUM).
   */
  private expr(e: Expr, indent: string, asArgument = false): Operand {
    switch (e.k) {
      case 'num': {
        const text = formatNumber(e.value, 'js').text;
        return { v: text.startsWith('-') ? `(${text})` : text, id: '-1', g: { k: 'num', value: e.value } };
      }
      case 'var': return { v: e.name, id: this.idOf(e.name), g: { k: 'var', name: e.name } };
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
      case 'prim': return this.prim(e, indent, asArgument);
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

  private prim(e: Extract<Expr, { k: 'prim' }>, indent: string, asArgument: boolean): Operand {
    const rule = RULES[e.op];
    // How many sites exist once each argument is emitted: an argument after which no other
    // emits a site is recorded, when it is, just before this primitive.
    const args = e.args.map((a) => ({ ...this.expr(a, indent, true), after: this.sites.length }));
    const value = applyNotation(rule.js, args.map((a) => ({ text: a.v, prec: PREC.atom })), 'js').text;
    const t = this.temp();
    this.lines.push(`${indent}const ${t} = ${value};`);
    const live = args.filter((a) => a.id !== '-1');
    if (live.length === 0) return { v: t, id: '-1', g: { k: 'var', name: t } };

    const code = PRIMITIVES.indexOf(e.op);
    const partials = rule.partials(codeField, args.map((a) => a.g), { k: 'var', name: t });
    // What the site keeps and what each record keeps, per argument.
    const slots: Slot[] = args.map((a, i) => {
      const arg = e.args[i];
      // A number written in the source is the same at every run: the site keeps it.
      if (arg.k === 'num') return { kind: NONE, number: arg.value };
      if (a.id === '-1') return { kind: FIXED, number: 0 };
      const p = partials[i];
      if (a.site !== undefined) this.barFrom[a.site] = a.after === this.sites.length ? CARRY : SET;
      return p.k === 'num' ? { kind: CONSTANT, number: p.value, site: a.site } : { kind: PARTIAL, number: 0, partial: printExpr(p), site: a.site };
    });
    const site = this.site(e.loc, code, slots);
    this.run!.records++;
    const at = `${t}$`;
    // Record k's slots are 8k | i (see Records).
    const stores = [`const $o = $n << 3; ${at} = $n; $n = ($n + 1) | 0;`, `$F[$o | 4] = ${site};`];
    slots.forEach((slot, i) => {
      const a = args[i];
      const d = `$F[$o${i ? ' | 1' : ''}]`;
      if (slot.kind === FIXED) stores.push(`${d} = ${a.v};`);
      if (slot.kind !== PARTIAL && slot.kind !== CONSTANT) return;
      // The record of an argument that carries is the one just before: it needs no slot.
      if (this.to(slot) !== CARRY) stores.push(`$F[$o | ${5 + i}] = ${a.id};`);
      // The partial when the argument is recorded, else its value (for the tape view).
      if (slot.kind === PARTIAL) stores.push(live.length === 1 ? `${d} = ${slot.partial};` : `${d} = ${a.id} >= 0 ? ${slot.partial} : ${a.v};`);
      else if (live.length > 1) stores.push(`if (${a.id} < 0) ${d} = ${a.v};`);
    });
    // The adjoint slot is zeroed only where the fast sweep adds into it: not for an argument of a
    // primitive, whose one user stores into it or carries it (see SUM).
    stores.push(`$F[$o | 2] = ${t};`, ...(asArgument ? [] : ['$F[$o | 3] = 0;']));
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
    return { v: t, id: at, g: { k: 'var', name: t }, site };
  }
}

// ---- the backward sweep -----------------------------------------------------------------------

/** Whether the exact backward sweep reached each record (its adjoint is in the records). */
export class Reached {
  constructor(private readonly records: Records, private readonly out: number) {}

  has(k: number): boolean {
    return k <= this.out && this.records.reached[k] === 1;
  }
}

/**
 * The fast backward sweep: adds every record's adjoint times its partials into its arguments'
 * adjoint slots (or stores or carries it, for an argument with that one user: see SUM; the user
 * always comes first, so it is never read unwritten), from the output record down, reached or
 * not, with no test of its own. Its
 * gradient is the exact sweep's (`backward`) when no input's adjoint comes out zero or NaN: the
 * caller reads them (fastAdjoints), and runs `backward` instead when one does. Why that suffices:
 * a record the output does not reach holds 0 (±0), so it passes on ±0 * partial, which is ±0 and
 * changes no sum that is not zero, or NaN where the partial is infinite or NaN; and NaN, once made,
 * reaches some input (every record leads down to one). So when no input's adjoint is zero or NaN,
 * each is the sum of the same contributions, in the same order, as in the exact sweep, give or
 * take zeros, which do not change a sum that is not zero. The tape view needs to know which
 * records were reached, which this sweep does not tell: it takes the exact one.
 */
export function backwardFast(records: Records, out: number, seed: number): void {
  if (out < 0) return;
  records.F[STRIDE * out + 3] = seed;
  // Offsets, not record numbers: arithmetic ahead of the sweep's loop would have no type feedback
  // in the first call, as the recording's arguments had none (see TapeCompiler.compile).
  records.fastSweep(records.F, STRIDE * out, STRIDE * records.firstOp);
}

/**
 * The exact backward sweep, the foundation's Tape's: from the output record down, each reached
 * record adds bar * partial into the adjoint of each recorded argument, the first contribution
 * stored and later ones added, so a reached zero still passes its 0 * partial on (NaN where the
 * partial is infinite) and an unreached record passes nothing on. One multiply-add per argument,
 * whatever the operation: the partials were worked out when the record was made (or are the site's).
 */
export function backward(records: Records, out: number, seed: number): Reached {
  if (out < 0) return new Reached(records, out);
  const { F, reached } = records;
  reached.fill(0, 0, out + 1);
  reached[out] = 1;
  F[STRIDE * out + 3] = seed;
  SWEEPS.exact(F, reached, records.kinds, records.numbers, records.carried, out, records.firstOp);
  return new Reached(records, out);
}

/**
 * The exact sweep, compiled from source text at run time like the recording functions, so that V8
 * compiles it the same way however this module itself was loaded (under tsx, a function from this
 * file ran its loop a quarter slower). It reads each site's argument kinds (2: the record keeps the
 * partial, 3: the site keeps it) and numbers from two small tables.
 */
const SWEEPS = new Function(`"use strict";
  function exact(F, R, kinds, numbers, carried, out, first) {
    for (let k = out, o = out << 3; k >= first; k = (k - 1) | 0, o = (o - 8) | 0) {
      if (R[k] === 0) continue;
      const bar = F[o | 3], s = F[o | 4] << 1;
      for (let i = 0; i < 2; i++) {
        const kind = kinds[s | i];
        if (kind < ${PARTIAL}) continue;
        // An argument made at a carrying site is the record just before, if that was made there.
        const c1 = carried[s | i];
        const j = c1 === 0 ? F[o | (5 + i)] | 0 : (F[(o - 8) | 4] | 0) === c1 - 1 ? k - 1 : -1;
        if (j < 0) continue;
        const c = bar * (kind === ${PARTIAL} ? F[o | i] : numbers[s | i]);
        const q = (j << 3) | 3;
        if (R[j] === 0) { F[q] = c; R[j] = 1; } else F[q] += c;
      }
    }
  }
  // The adjoints of count records from first, or null at the first that is zero or NaN.
  function gather(F, first, count) {
    const values = new Array(count);
    for (let j = 0, o = (first << 3) | 3; j < count; j = (j + 1) | 0, o = (o + 8) | 0) {
      const g = F[o];
      if (g === 0 || g !== g) return null;
      values[j] = g;
    }
    return values;
  }
  return { exact, gather };`)() as {
  exact: (F: number[], R: number[], kinds: number[], numbers: number[], carried: number[], out: number, first: number) => void;
  gather: (F: number[], first: number, count: number) => number[] | null;
};

/**
 * After the fast sweep: the adjoints of `count` input records from `first`, or null when one is
 * zero or NaN (then the exact sweep must decide, see backwardFast).
 */
export function fastAdjoints(records: Records, first: number, count: number): number[] | null {
  return SWEEPS.gather(records.F, first, count);
}
