// Autograd's tape, compiled. f's normal form (normalize.ts: helpers inlined, no jumps) becomes
// JavaScript that computes f over plain numbers and, for every primitive applied to a recorded
// value, appends a record to typed arrays: the operation, the records of its arguments, their
// values, its result and the place in the source. One backward sweep over the records gives every
// record's adjoint; its code for each operation is generated once from the rules table's partials
// (bx_i += by * dy/dx_i), so it follows the same rules as every other engine. The records are the
// foundation's Tape over the interpreter would make, with the same arithmetic, at a fraction of the
// cost; only a helper call is recorded ahead of the expression around it (it is inlined first).

import type { SourceLocation } from '../../errors.ts';
import { PRIMITIVES, type Primitive } from '../../ir/primitives.ts';
import type { Expr, Program } from '../../ir/types.ts';
import { applyNotation, formatNumber } from '../../ir/format.ts';
import { PREC, RULES } from '../../rules/table.ts';
import type { Field } from '../../rules/field.ts';
import { normalize, type NFunction, type NStmt } from '../../codegen/normalize.ts';
import { printExpr, type GExpr } from '../../codegen/jsast.ts';
import { fold } from '../../codegen/optimize.ts';

/** The op code of an input record; primitives are coded by their place in PRIMITIVES. */
export const INPUT = PRIMITIVES.length;

/** The records, column by column. Argument record -1 is a constant (its value is in v1 / v2). */
export class Records {
  n = 0;
  /** The output's record (-1 when f does not depend on the inputs). */
  out = -1;
  op = new Uint8Array(256);
  a1 = new Int32Array(256);
  a2 = new Int32Array(256);
  v1 = new Float64Array(256);
  v2 = new Float64Array(256);
  val = new Float64Array(256);
  site = new Int32Array(256);

  rec(op: number, a1: number, a2: number, v1: number, v2: number, val: number, site: number): number {
    const k = this.n;
    if (k === this.op.length) this.grow();
    this.op[k] = op; this.a1[k] = a1; this.a2[k] = a2;
    this.v1[k] = v1; this.v2[k] = v2; this.val[k] = val; this.site[k] = site;
    this.n = k + 1;
    return k;
  }

  private grow(): void {
    const size = 2 * this.op.length;
    const more = <T extends Uint8Array | Int32Array | Float64Array>(a: T): T => { const b = new (a.constructor as new (n: number) => T)(size); b.set(a); return b; };
    this.op = more(this.op); this.a1 = more(this.a1); this.a2 = more(this.a2);
    this.v1 = more(this.v1); this.v2 = more(this.v2); this.val = more(this.val); this.site = more(this.site);
  }
}

export interface CompiledTape {
  /**
   * Records f at the point: returns the records, the output record (-1 for a constant) and f.
   * The records live in buffers reused by the next call: read them before recording again.
   */
  record(args: (number | number[])[], wrt: boolean[]): { records: Records; out: number; value: number; inputs: number[][] };
  /** The source place of each site number. */
  sites: (SourceLocation | undefined)[];
  /** The recording function's JavaScript (for inspection). */
  source: string;
  /** The input labels, in record order (`x`, `a[0]`, ...), built from the parameter names. */
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

class TapeCompiler {
  private lines: string[] = [];
  private temps = 0;
  private sites: (SourceLocation | undefined)[] = [];

  constructor(private nf: NFunction) {}

  compile(): CompiledTape {
    const nf = this.nf;
    const locals = [...nf.types.keys()].filter((n) => !nf.params.some((p) => p.name === n));
    const params = nf.params.map((p) => p.name);
    const head = [
      `"use strict";`,
      `return function record(T, ${params.map((p) => `${p}, ${p}$`).join(', ')}) {`,
      ...(locals.length ? [`  let ${locals.map((n) => (nf.types.get(n) === 'arr' ? `${n}, ${n}$` : `${n} = 0, ${n}$ = -1`)).join(', ')};`] : []),
    ];
    this.block(nf.body, '  ');
    // The output's record goes on the tape object: an array literal after the loop, never reached
    // when V8 compiles the loop on the stack, made every call start over unoptimized.
    const body = [...head, ...this.lines, `  T.out = ${nf.result}$;`, `  return ${nf.result};`, `};`].join('\n');
    const make = new Function(body) as () => (...a: unknown[]) => number;
    const run = make();
    const sites = this.sites;
    const scratch = new Records();
    return {
      sites,
      source: body,
      params: nf.params.map((p) => ({ name: p.name, type: p.type })),
      record(args, wrt) {
        // One set of buffers per compiled function, reused: the tape is read before the next run.
        const records = scratch;
        records.n = 0;
        records.out = -1;
        const inputs: number[][] = [];
        const callArgs: unknown[] = [];
        for (let i = 0; i < args.length; i++) {
          const a = args[i];
          if (Array.isArray(a)) {
            // A plain packed array: a typed one per call costs more in garbage collection.
            const ids: number[] = [];
            if (wrt[i]) for (let j = 0; j < a.length; j++) ids.push(records.rec(INPUT, -1, -1, 0, 0, a[j], -1));
            else for (let j = 0; j < a.length; j++) ids.push(-1);
            inputs.push(wrt[i] ? ids.slice() : []);
            callArgs.push(a.slice(), ids);
          } else {
            const id = wrt[i] ? records.rec(INPUT, -1, -1, 0, 0, a, -1) : -1;
            inputs.push(wrt[i] ? [id] : []);
            callArgs.push(a, id);
          }
        }
        const value = run(records, ...callArgs);
        return { records, out: records.out, value, inputs };
      },
    };
  }

  private temp(): string {
    return `t${this.temps++}`;
  }

  private site(loc: SourceLocation | undefined): number {
    this.sites.push(loc);
    return this.sites.length - 1;
  }

  private block(list: NStmt[], indent: string): void {
    for (const s of list) {
      switch (s.k) {
        case 'assign': {
          if (this.nf.types.get(s.name) === 'arr') { this.arrayAssign(s.name, s.value, indent); break; }
          const [v, id] = this.expr(s.value, indent);
          this.lines.push(`${indent}${s.name} = ${v}; ${s.name}$ = ${id};`);
          break;
        }
        case 'setIndex': {
          const [i] = this.expr(s.index, indent);
          const [v, id] = this.expr(s.value, indent);
          const at = this.temp();
          this.lines.push(`${indent}const ${at} = ${i};`, `${indent}${s.name}[${at}] = ${v}; ${s.name}$[${at}] = ${id};`);
          break;
        }
        case 'if': {
          const [t] = this.expr(s.test, indent);
          this.lines.push(`${indent}if (${t}) {`);
          this.block(s.then, indent + '  ');
          if (s.else.length) { this.lines.push(`${indent}} else {`); this.block(s.else, indent + '  '); }
          this.lines.push(`${indent}}`);
          break;
        }
        case 'while': {
          this.lines.push(`${indent}for (;;) {`);
          const [t] = this.expr(s.test, indent + '  ');
          this.lines.push(`${indent}  if (!(${t})) break;`);
          this.block(s.body, indent + '  ');
          this.lines.push(`${indent}}`);
          break;
        }
      }
    }
  }

  private arrayAssign(name: string, e: Expr, indent: string): void {
    if (e.k === 'var') { this.lines.push(`${indent}${name} = ${e.name}; ${name}$ = ${e.name}$;`); return; }
    if (e.k === 'array') {
      const parts = e.elements.map((x) => this.expr(x, indent));
      this.lines.push(`${indent}${name} = [${parts.map((p) => p[0]).join(', ')}]; ${name}$ = [${parts.map((p) => p[1]).join(', ')}];`);
      return;
    }
    if (e.k === 'fill') {
      const [n] = this.expr(e.length, indent);
      const [v, id] = this.expr(e.value, indent);
      const len = this.temp();
      this.lines.push(`${indent}const ${len} = ${n};`, `${indent}${name} = []; ${name}$ = [];`, `${indent}for (let k = 0; k < ${len}; k++) { ${name}.push(${v}); ${name}$.push(${id}); }`);
      return;
    }
    throw new Error(`compiled tape: unexpected array value ${e.k}`);
  }

  /** An expression as [value, record id] texts, with temporaries for every primitive. */
  private expr(e: Expr, indent: string): [string, string] {
    switch (e.k) {
      case 'num': {
        const text = formatNumber(e.value, 'js').text;
        return [text.startsWith('-') ? `(${text})` : text, '-1'];
      }
      case 'var': return [e.name, `${e.name}$`];
      case 'index': {
        const array = (e.array as { name: string }).name;
        const [i] = this.expr(e.index, indent);
        const at = this.temp();
        this.lines.push(`${indent}const ${at} = ${i};`);
        return [`${array}[${at}]`, `${array}$[${at}]`];
      }
      case 'length': return [`${(e.array as { name: string }).name}.length`, '-1'];
      case 'compare': case 'logic': {
        const [a] = this.expr(e.a, indent);
        const [b] = this.expr(e.b, indent);
        return [`(${a} ${e.op} ${b})`, '-1'];
      }
      case 'not': return [`(!${this.expr(e.a, indent)[0]})`, '-1'];
      case 'prim': {
        const args = e.args.map((a) => {
          const [v, id] = this.expr(a, indent);
          if (/^[\w$]+$/.test(v) && /^-?[\w$]+$/.test(id)) return [v, id];
          const t = this.temp();
          this.lines.push(`${indent}const ${t} = ${v}, ${t}$ = ${id};`);
          return [t, `${t}$`];
        });
        const value = applyNotation(RULES[e.op].js, args.map(([v]) => ({ text: v, prec: PREC.atom })), 'js').text;
        const t = this.temp();
        const code = PRIMITIVES.indexOf(e.op);
        const site = this.site(e.loc);
        const [a1, a2] = [args[0][1], args[1]?.[1] ?? '-1'];
        const [x1, x2] = [args[0][0], args[1]?.[0] ?? '0'];
        const constant = [a1, a2].every((id) => id === '-1') ? 'true' : [a1, a2].filter((id) => id !== '-1').map((id) => `${id} < 0`).join(' && ');
        this.lines.push(`${indent}const ${t} = ${value};`, `${indent}const ${t}$ = ${constant} ? -1 : T.rec(${code}, ${a1}, ${a2}, ${x1}, ${x2}, ${t}, ${site});`);
        return [t, `${t}$`];
      }
      default:
        throw new Error(`compiled tape: unexpected expression ${e.k}`);
    }
  }
}

// ---- the backward sweep, from the rules table -------------------------------------------------

const codeField: Field<GExpr> = {
  constant: (c) => ({ k: 'num', value: c }),
  prim: (op, args) => fold({ k: 'prim', op, args }),
  ge: (a, b) => ({ k: 'cond', test: { k: 'compare', op: '>=', a, b }, then: { k: 'num', value: 1 }, else: { k: 'num', value: 0 } }),
};

type Backward = (records: Records, out: number, seed: number, buffers: { adj: Float64Array; reached: Uint8Array }) => { adjoints: Float64Array; reached: Uint8Array };

/** The adjoint buffers, reused like the records: read the result before sweeping again. */
const buffers = { adj: new Float64Array(0), reached: new Uint8Array(0) };

let backwardSweep: Backward | undefined;

/**
 * The sweep: from the output record down, each reached record adds bar * partial into the
 * adjoint of each recorded argument. One `case` per primitive, its partials written as code by
 * the rules table (the same rules, the same arithmetic, as the foundation's Tape.backward).
 */
function makeBackward(): Backward {
  const accumulate = (op: Primitive, x: GExpr[], indent: string): string[] => {
    const partials = RULES[op].partials(codeField, x.slice(0, RULES[op].arity), { k: 'var', name: 'y' });
    return partials.map((p, i) => {
      const contribution = printExpr(fold({ k: 'prim', op: 'mul', args: [{ k: 'var', name: 'bar' }, p] }));
      return `${indent}{ const j = a${i + 1}[k]; if (j >= 0) { const c = ${contribution}; if (reached[j]) adj[j] += c; else { adj[j] = c; reached[j] = 1; } } }`;
    });
  };
  const x1: GExpr = { k: 'var', name: 'x1' };
  const x2: GExpr = { k: 'var', name: 'x2' };
  const cases = PRIMITIVES.map((op: Primitive, code) => {
    const general = accumulate(op, [x1, x2], '        ');
    // x ** 2 is common: the same rule with the exponent set to 2 folds to 2 * x, with no pow call.
    const body = op === 'pow'
      ? ['        if (x2 === 2) {', ...accumulate(op, [x1, { k: 'num', value: 2 }], '          '), '        } else {', ...general.map((l) => `  ${l}`), '        }']
      : general;
    return [`      case ${code}: { // ${op}`, ...body, `        break;`, `      }`].join('\n');
  });
  const source = [
    '"use strict";',
    'return function backward(T, out, seed, buffers) {',
    '  const n = T.n, op = T.op, a1 = T.a1, a2 = T.a2, v1 = T.v1, v2 = T.v2, val = T.val;',
    '  if (buffers.adj.length < n) { buffers.adj = new Float64Array(2 * n); buffers.reached = new Uint8Array(2 * n); }',
    '  const adj = buffers.adj, reached = buffers.reached;',
    '  reached.fill(0, 0, n);',
    '  if (out < 0) return { adjoints: adj, reached };',
    '  adj[out] = seed;',
    '  reached[out] = 1;',
    '  for (let k = out; k >= 0; k--) {',
    '    if (!reached[k]) continue;',
    '    const bar = adj[k], x1 = v1[k], x2 = v2[k], y = val[k];',
    '    switch (op[k]) {',
    ...cases,
    '    }',
    '  }',
    '  return { adjoints: adj, reached };',
    '};',
  ].join('\n');
  return new Function(source)() as Backward;
}

/** Adjoints of the records (entries from records.n on are stale). Reused by the next sweep. */
export function backward(records: Records, out: number, seed: number): { adjoints: Float64Array; reached: Uint8Array } {
  backwardSweep ??= makeBackward();
  return backwardSweep(records, out, seed, buffers);
}
