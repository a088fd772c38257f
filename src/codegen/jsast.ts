// A small AST for the JavaScript that ddx generates (the reverse-mode gradient function), with
// the walkers the optimizer needs and a printer that writes it the way a person would (`+=`,
// `i++`, `for (; i < n; i++)`). Primitives are spelled by the rules table, through format.ts.

import type { Primitive } from '../ir/primitives.ts';
import type { CompareOp } from '../ir/types.ts';
import { applyNotation, formatNumber } from '../ir/format.ts';
import { PREC, RULES } from '../rules/table.ts';

export type GExpr =
  | { k: 'num'; value: number }
  | { k: 'var'; name: string }
  | { k: 'prim'; op: Primitive; args: GExpr[] }
  | { k: 'compare'; op: CompareOp; a: GExpr; b: GExpr }
  | { k: 'logic'; op: '&&' | '||'; a: GExpr; b: GExpr }
  | { k: 'not'; a: GExpr }
  | { k: 'cond'; test: GExpr; then: GExpr; else: GExpr }
  | { k: 'index'; array: string; index: GExpr }
  | { k: 'length'; array: string }
  /** An array literal `[a, b]` (also the gradient function's return value). */
  | { k: 'array'; elements: GExpr[] }
  /**
   * `new Array(n).fill(0)`, or `.fill(v)`: a plain array, not a Float64Array, because the garbage
   * collector frees a typed array's memory at a cost per array, which at n = 10 made allocating
   * the gradient cost more than twenty times f.
   */
  | { k: 'zeros'; length: GExpr; fill?: GExpr }
  /** `a.slice()`: a private copy of an array parameter the function writes into. */
  | { k: 'copy'; array: string }
  /** `stack[--top]` from the number stack, or `refs.pop()` from the stack of array references. */
  | { k: 'pop'; stack: StackKind };

export type StackKind = 'num' | 'ref';

export type GStmt =
  /** `pair` links a `v = pop()` to the push that saved the value, so both go or neither. */
  | { k: 'assign'; name: string; value: GExpr; pair?: number; decl?: 'let' | 'const' }
  | { k: 'setIndex'; array: string; index: GExpr; value: GExpr; pair?: number }
  | { k: 'if'; test: GExpr; then: GStmt[]; else: GStmt[] }
  /**
   * `counter`: the test is `i op B` with i an integer counter stepping by `step` once per
   * iteration and B an integer the body leaves alone, so the trip count has a closed form.
   */
  | { k: 'while'; test: GExpr; body: GStmt[]; counter?: { name: string; step: 1 | -1 } }
  /** `truth`: the value is a branch decision, saved as 1 or 0 so that the stack holds numbers only. */
  | { k: 'push'; value: GExpr; pair: number; stack: StackKind; truth?: boolean }
  /** Room on the number stack for `extra` more values, before a counting loop (reserve.ts). */
  | { k: 'reserve'; extra: GExpr }
  | { k: 'comment'; text: string }
  /** Declarations without a starting value of their own (`let t = 0, c;`). */
  | { k: 'declare'; vars: { name: string; init?: GExpr }[] }
  | { k: 'return'; value: GExpr };

export interface GFunction {
  name: string;
  params: { name: string; init?: GExpr }[];
  body: GStmt[];
  /** The generated names of the stack machinery (used only when something is pushed). */
  stack: { stack: string; top: string; refs: string };
  /** Names that hold arrays (everything else holds a number), for declarations. */
  arrays: Set<string>;
  /**
   * The names of f's own variables. Copy propagation leaves them alone, so that the statements the
   * `grad of` comments quote keep their names in the code; generated names are fair game.
   */
  primal: Set<string>;
}

// ---- constructors -----------------------------------------------------------------------------

export const num = (value: number): GExpr => ({ k: 'num', value });
export const v = (name: string): GExpr => ({ k: 'var', name });
export const assign = (name: string, value: GExpr, pair?: number): GStmt => (pair === undefined ? { k: 'assign', name, value } : { k: 'assign', name, value, pair });

export function isAtom(e: GExpr): boolean {
  return e.k === 'var' || (e.k === 'num' && e.value >= 0);
}

// ---- walkers ----------------------------------------------------------------------------------

/** Every variable an expression reads (array names included). */
export function exprUses(e: GExpr, into: Set<string> = new Set()): Set<string> {
  switch (e.k) {
    case 'num': case 'pop': break;
    case 'var': into.add(e.name); break;
    case 'prim': for (const a of e.args) exprUses(a, into); break;
    case 'compare': case 'logic': exprUses(e.a, into); exprUses(e.b, into); break;
    case 'not': exprUses(e.a, into); break;
    case 'cond': exprUses(e.test, into); exprUses(e.then, into); exprUses(e.else, into); break;
    case 'index': into.add(e.array); exprUses(e.index, into); break;
    case 'length': case 'copy': into.add(e.array); break;
    case 'array': for (const a of e.elements) exprUses(a, into); break;
    case 'zeros': exprUses(e.length, into); if (e.fill) exprUses(e.fill, into); break;
  }
  return into;
}

export function mapExpr(e: GExpr, f: (e: GExpr) => GExpr): GExpr {
  switch (e.k) {
    case 'num': case 'var': case 'length': case 'copy': case 'pop': return f(e);
    case 'prim': return f({ ...e, args: e.args.map((a) => mapExpr(a, f)) });
    case 'compare': case 'logic': return f({ ...e, a: mapExpr(e.a, f), b: mapExpr(e.b, f) });
    case 'not': return f({ ...e, a: mapExpr(e.a, f) });
    case 'cond': return f({ ...e, test: mapExpr(e.test, f), then: mapExpr(e.then, f), else: mapExpr(e.else, f) });
    case 'index': return f({ ...e, index: mapExpr(e.index, f) });
    case 'array': return f({ ...e, elements: e.elements.map((a) => mapExpr(a, f)) });
    case 'zeros': return f({ ...e, length: mapExpr(e.length, f), fill: e.fill && mapExpr(e.fill, f) });
  }
}

/** Structural equality of two expressions (numbers by identity, so -0 and 0 differ). */
export function sameExpr(a: GExpr, b: GExpr): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'num': return Object.is(a.value, (b as typeof a).value);
    case 'var': return a.name === (b as typeof a).name;
    case 'pop': return a.stack === (b as typeof a).stack;
    case 'length': case 'copy': return a.array === (b as typeof a).array;
    case 'prim': { const o = b as typeof a; return a.op === o.op && a.args.length === o.args.length && a.args.every((x, i) => sameExpr(x, o.args[i])); }
    case 'compare': case 'logic': { const o = b as typeof a; return a.op === o.op && sameExpr(a.a, o.a) && sameExpr(a.b, o.b); }
    case 'not': return sameExpr(a.a, (b as typeof a).a);
    case 'cond': { const o = b as typeof a; return sameExpr(a.test, o.test) && sameExpr(a.then, o.then) && sameExpr(a.else, o.else); }
    case 'index': { const o = b as typeof a; return a.array === o.array && sameExpr(a.index, o.index); }
    case 'array': { const o = b as typeof a; return a.elements.length === o.elements.length && a.elements.every((x, i) => sameExpr(x, o.elements[i])); }
    case 'zeros': { const o = b as typeof a; return sameExpr(a.length, o.length) && (a.fill === undefined ? o.fill === undefined : o.fill !== undefined && sameExpr(a.fill, o.fill)); }
  }
}

/** Calls `f` on every statement, nested ones included. */
export function walkStmts(list: GStmt[], f: (s: GStmt) => void): void {
  for (const s of list) {
    f(s);
    if (s.k === 'if') { walkStmts(s.then, f); walkStmts(s.else, f); }
    else if (s.k === 'while') walkStmts(s.body, f);
  }
}

/** The expressions a statement evaluates (not those of nested statements). */
export function stmtExprs(s: GStmt): GExpr[] {
  switch (s.k) {
    case 'assign': return [s.value];
    case 'setIndex': return [s.index, s.value];
    case 'if': case 'while': return [s.test];
    case 'push': case 'return': return [s.value];
    case 'reserve': return [s.extra];
    case 'declare': return s.vars.flatMap((x) => (x.init ? [x.init] : []));
    case 'comment': return [];
  }
}

/** Every name a list of statements reads or writes. */
export function namesIn(list: GStmt[], into: Set<string> = new Set()): Set<string> {
  walkStmts(list, (s) => {
    if (s.k === 'assign') into.add(s.name);
    if (s.k === 'setIndex') into.add(s.array);
    if (s.k === 'declare') for (const x of s.vars) into.add(x.name);
    for (const e of stmtExprs(s)) exprUses(e, into);
  });
  return into;
}

// ---- printing ---------------------------------------------------------------------------------

interface Printed { text: string; prec: number }

/** Precedences below PREC.add: JavaScript's `?:`, `||`, `&&`, and comparisons. */
const P = { cond: PREC.cond, or: 0.25, and: 0.5, compare: 0.75 } as const;

const wrap = (p: Printed, min: number) => (p.prec >= min ? p.text : `(${p.text})`);

export interface PrintNames { stack: string; top: string; refs: string }

export function printExpr(e: GExpr, names?: PrintNames): string {
  return pe(e, names).text;
}

function pe(e: GExpr, names?: PrintNames): Printed {
  const atom = (text: string): Printed => ({ text, prec: PREC.atom });
  switch (e.k) {
    case 'num': return formatNumber(e.value, 'js');
    case 'var': return atom(e.name);
    case 'prim': return applyNotation(RULES[e.op].js, e.args.map((a) => pe(a, names)), 'js');
    case 'compare': return { text: `${wrap(pe(e.a, names), PREC.add)} ${e.op} ${wrap(pe(e.b, names), PREC.add)}`, prec: P.compare };
    case 'logic': {
      const prec = e.op === '&&' ? P.and : P.or;
      return { text: `${wrap(pe(e.a, names), prec)} ${e.op} ${wrap(pe(e.b, names), prec + 0.01)}`, prec };
    }
    case 'not': return { text: `!${wrap(pe(e.a, names), PREC.atom)}`, prec: PREC.neg };
    case 'cond': return { text: `${wrap(pe(e.test, names), P.or)} ? ${wrap(pe(e.then, names), P.cond)} : ${wrap(pe(e.else, names), P.cond)}`, prec: P.cond };
    case 'index': return atom(`${e.array}[${pe(e.index, names).text}]`);
    case 'length': return atom(`${e.array}.length`);
    case 'array': return atom(`[${e.elements.map((x) => pe(x, names).text).join(', ')}]`);
    case 'zeros': return atom(`new Array(${pe(e.length, names).text}).fill(${e.fill ? pe(e.fill, names).text : '0'})`);
    case 'copy': return atom(`${e.array}.slice()`);
    case 'pop': return atom(e.stack === 'num' ? `${names?.stack ?? 'stack'}[--${names?.top ?? 'top'}]` : `${names?.refs ?? 'refs'}.pop()`);
  }
}

const COMPOUND: Partial<Record<Primitive, string>> = { add: '+=', sub: '-=', mul: '*=', div: '/=' };

/** `x = x + e` as `x += e`, `i = i + 1` as `i++`: the same operations in the same order. */
function printUpdate(target: GExpr, value: GExpr, names?: PrintNames): string {
  const t = pe(target, names).text;
  if (value.k === 'prim' && COMPOUND[value.op] && sameExpr(value.args[0], target)) {
    const rhs = value.args[1];
    if (rhs.k === 'num' && rhs.value === 1 && (value.op === 'add' || value.op === 'sub')) return `${t}${value.op === 'add' ? '++' : '--'}`;
    return `${t} ${COMPOUND[value.op]} ${pe(rhs, names).text}`;
  }
  return `${t} = ${pe(value, names).text}`;
}

function stmtAsExpression(s: GStmt, names?: PrintNames): string | null {
  if (s.k === 'assign' && !s.decl) return printUpdate(v(s.name), s.value, names);
  if (s.k === 'setIndex') return printUpdate({ k: 'index', array: s.array, index: s.index }, s.value, names);
  return null;
}

/** A loop whose last statement updates a variable its test reads prints as a `for`. */
function forUpdate(s: Extract<GStmt, { k: 'while' }>): GStmt | null {
  const last = s.body[s.body.length - 1];
  if (!last || last.k !== 'assign' || last.decl || last.pair !== undefined) return null;
  if (!exprUses(s.test).has(last.name)) return null;
  // The update must be a small step, not a computation that deserves its own line.
  const value = last.value;
  if (value.k === 'prim' && (value.op === 'add' || value.op === 'sub') && value.args[0].k === 'var' && value.args[0].name === last.name && value.args[1].k === 'num') return last;
  return null;
}

/**
 * `i = 7;` just before a loop that prints as `for (; i >= 0; i--)` goes into its head:
 * `for (i = 7; ...)`, or `for (let i = 7; ...)` when it declares i and nothing after the loop
 * mentions i.
 */
function forInit(list: GStmt[], at: number): Extract<GStmt, { k: 'assign' }> | null {
  const s = list[at];
  const loop = list[at + 1];
  if (s?.k !== 'assign' || s.pair !== undefined || s.decl === 'const' || loop?.k !== 'while') return null;
  const update = forUpdate(loop);
  if (!update || update.k !== 'assign' || update.name !== s.name) return null;
  if (s.decl && namesIn(list.slice(at + 2)).has(s.name)) return null;
  return s;
}

export function printStmts(list: GStmt[], indent: string, out: string[], names?: PrintNames): void {
  for (let at = 0; at < list.length; at++) {
    const s = list[at];
    const init = forInit(list, at);
    if (init) {
      const loop = list[++at] as Extract<GStmt, { k: 'while' }>;
      const head = `${init.decl ? `${init.decl} ` : ''}${init.name} = ${printExpr(init.value, names)}`;
      out.push(`${indent}for (${head}; ${printExpr(loop.test, names)}; ${stmtAsExpression(forUpdate(loop)!, names)}) {`);
      printStmts(loop.body.slice(0, -1), indent + '  ', out, names);
      out.push(`${indent}}`);
      continue;
    }
    switch (s.k) {
      case 'comment': out.push(`${indent}// ${s.text}`); break;
      case 'declare':
        out.push(`${indent}let ${s.vars.map((x) => (x.init ? `${x.name} = ${printExpr(x.init, names)}` : x.name)).join(', ')};`);
        break;
      case 'assign':
        if (s.decl) out.push(`${indent}${s.decl} ${s.name} = ${printExpr(s.value, names)};`);
        else out.push(`${indent}${stmtAsExpression(s, names)};`);
        break;
      case 'setIndex': out.push(`${indent}${stmtAsExpression(s, names)};`); break;
      case 'push':
        if (s.stack === 'ref') out.push(`${indent}${names?.refs ?? 'refs'}.push(${printExpr(s.value, names)});`);
        else {
          const value = s.truth ? `${wrap(pe(s.value, names), P.or)} ? 1 : 0` : printExpr(s.value, names);
          out.push(`${indent}${names?.stack ?? 'stack'}[${names?.top ?? 'top'}++] = ${value};`);
        }
        break;
      case 'reserve': {
        // Written as a test, not Math.max: a count that is NaN (a bound of Math.floor(NaN)) or
        // negative then makes no room instead of setting an invalid length.
        const [stack, top] = [names?.stack ?? 'stack', names?.top ?? 'top'];
        const room = printExpr({ k: 'prim', op: 'add', args: [{ k: 'var', name: top }, s.extra] }, names);
        out.push(`${indent}// room for the loop's saved values, made in one step`, `${indent}if (${room} > ${stack}.length) ${stack}.length = ${room};`);
        break;
      }
      case 'return': out.push(`${indent}return ${printExpr(s.value, names)};`); break;
      case 'if': {
        const [test, then, other] = s.then.length === 0 ? [negate(s.test), s.else, [] as GStmt[]] : [s.test, s.then, s.else];
        out.push(`${indent}if (${printExpr(test, names)}) {`);
        printStmts(then, indent + '  ', out, names);
        if (other.length === 1 && other[0].k === 'if') {
          // else if: keep chains flat, as they were written.
          const inner: string[] = [];
          printStmts(other, indent, inner, names);
          out.push(`${indent}} else ${inner[0].trimStart()}`, ...inner.slice(1));
          break;
        }
        if (other.length) { out.push(`${indent}} else {`); printStmts(other, indent + '  ', out, names); }
        out.push(`${indent}}`);
        break;
      }
      case 'while': {
        const update = forUpdate(s);
        if (update) {
          out.push(`${indent}for (; ${printExpr(s.test, names)}; ${stmtAsExpression(update, names)}) {`);
          printStmts(s.body.slice(0, -1), indent + '  ', out, names);
        } else {
          out.push(`${indent}while (${printExpr(s.test, names)}) {`);
          printStmts(s.body, indent + '  ', out, names);
        }
        out.push(`${indent}}`);
        break;
      }
    }
  }
}

export function negate(e: GExpr): GExpr {
  if (e.k === 'not') return e.a;
  if (e.k === 'compare') {
    // Only the equalities negate exactly under NaN; orderings keep their `!`.
    if (e.op === '===') return { ...e, op: '!==' };
    if (e.op === '!==') return { ...e, op: '===' };
  }
  return { k: 'not', a: e };
}

/** The whole function as text, with the stack machinery when anything is pushed. */
export function printFunction(fn: GFunction): string {
  const names: PrintNames = { stack: fn.stack.stack, top: fn.stack.top, refs: fn.stack.refs };
  let usesNum = false;
  let usesRef = false;
  walkStmts(fn.body, (s) => {
    if (s.k === 'push') { if (s.stack === 'num') usesNum = true; else usesRef = true; }
  });
  const params = fn.params.map((p) => (p.init ? `${p.name} = ${printExpr(p.init)}` : p.name)).join(', ');
  const out = [`function ${fn.name}(${params}) {`];
  // A plain array used as a stack, with its own top: V8 grows it as it is written past its end,
  // and it holds numbers only (decisions are saved as 1 or 0), so it stays an array of doubles.
  if (usesNum) out.push(`  // values saved by the forward sweep for the adjoint sweep, last in first out`, `  const ${names.stack} = [];`, `  let ${names.top} = 0;`);
  if (usesRef) out.push(`  // arrays replaced by the forward sweep, restored by the adjoint sweep`, `  const ${names.refs} = [];`);
  printStmts(fn.body, '  ', out, names);
  out.push('}');
  return out.join('\n');
}
