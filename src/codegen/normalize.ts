// Puts a function into the shape source-to-source reverse mode needs, as tangent's ANF and
// single-exit passes do: helper calls are inlined (each call's locals get fresh names), ternaries
// become ifs, and return/break/continue become structured code (the statements a jump would skip
// move into the other branch where that is enough, and flags guard them where it is not). The
// result has assignments, element writes, ifs and while loops only, with no jumps and no calls.

import { DdxError, type SourceLocation } from '../errors.ts';
import type { Expr, Fn, Param, Program, Stmt, ValueType } from '../ir/types.ts';
import { Namer } from './naming.ts';

export type NStmt =
  | { k: 'assign'; name: string; value: Expr; loc?: SourceLocation }
  | { k: 'setIndex'; name: string; index: Expr; value: Expr; loc?: SourceLocation }
  | { k: 'if'; test: Expr; then: NStmt[]; else: NStmt[]; loc?: SourceLocation }
  | { k: 'while'; test: Expr; body: NStmt[]; loc?: SourceLocation };

export interface NFunction {
  name: string;
  params: Param[];
  body: NStmt[];
  /** The variable that holds the returned value at the end of the body. */
  result: string;
  /** Every variable's type (flags and test temporaries are numbers). */
  types: Map<string, ValueType>;
  /** Holds every name in use; code generators take their own names from it. */
  namer: Namer;
}

/** Names the generated code relies on from the global scope: a user variable with one is renamed. */
export const GLOBAL_NAMES = ['Math', 'Float64Array', 'Array', 'NaN', 'Infinity', 'undefined'];

export function normalize(program: Program, reserved: Iterable<string> = []): NFunction {
  const norm = new Normalizer(program);
  const t = norm.template(program.main);
  const namer = new Namer([...GLOBAL_NAMES, ...reserved]);
  const map = new Map<string, string>();
  for (const p of t.params) map.set(p.name, namer.fresh(p.name));
  for (const l of t.locals) map.set(l, namer.fresh(l));
  const types = new Map<string, ValueType>();
  for (const [name, fresh] of map) types.set(fresh, t.types.get(name) ?? 'num');
  return {
    name: program.main,
    params: t.params.map((p) => ({ name: map.get(p.name)!, type: p.type })),
    body: renameStmts(t.body, map),
    result: map.get(t.result) ?? t.result,
    types,
    namer,
  };
}

/** A function in normal form in its own namespace, ready to be inlined with fresh names. */
interface Template {
  params: Param[];
  body: NStmt[];
  result: string;
  types: Map<string, ValueType>;
  /** Non-parameter names, in order of first appearance (so fresh names are stable). */
  locals: string[];
  /** Names assigned anywhere in the body. */
  assigned: Set<string>;
}

class Normalizer {
  private templates = new Map<string, Template>();

  constructor(readonly program: Program) {}

  template(name: string): Template {
    let t = this.templates.get(name);
    if (!t) {
      const fn = this.program.functions[name];
      if (!fn) throw new DdxError('engine', `reverse mode: ${name} is called but not defined`);
      t = new FnBuilder(this, fn).build();
      this.templates.set(name, t);
    }
    return t;
  }
}

// ---- jumps ------------------------------------------------------------------------------------

type Jump = 'return' | 'break' | 'continue';
/** IR statements, plus the marker where a loop's update starts and already-normal statements. */
type Item = Stmt | { k: 'mark' } | { k: 'nir'; stmts: NStmt[] };

/** The jumps that can leave a list of statements (a loop keeps its own break and continue). */
function mayJump(list: Item[], into: Set<Jump> = new Set()): Set<Jump> {
  for (const s of list) {
    if (s.k === 'return' || s.k === 'break' || s.k === 'continue') into.add(s.k);
    else if (s.k === 'if') { mayJump(s.then, into); mayJump(s.else, into); }
    else if (s.k === 'loop' && mayJump(s.body).has('return')) into.add('return');
  }
  return into;
}

/** Every path through the list ends in a jump. */
function always(list: Item[]): boolean {
  return list.some((s) => s.k === 'return' || s.k === 'break' || s.k === 'continue' || (s.k === 'if' && always(s.then) && always(s.else)));
}

function splitAtMark(rest: Item[]): { body: Item[]; after: Item[] } | null {
  const i = rest.findIndex((s) => s.k === 'mark');
  return i < 0 ? null : { body: rest.slice(0, i), after: rest.slice(i) };
}

const isEmpty = (items: Item[]) => items.every((s) => s.k === 'mark');
const vr = (name: string): Expr => ({ k: 'var', name });
const not = (a: Expr): Expr => ({ k: 'not', a });
const and = (a: Expr, b: Expr): Expr => (b.k === 'num' && b.value === 1 ? a : { k: 'logic', op: '&&', a, b });
const anyOf = (names: string[]): Expr => names.map(vr).reduce((a, b) => ({ k: 'logic', op: '||', a, b }));

interface LoopCtx { broken?: string; continued?: string }

class FnBuilder {
  private namer: Namer;
  private types = new Map<string, ValueType>();
  private loops: LoopCtx[] = [];
  private returnFlag: string | null = null;
  private flags = new Set<string>();
  private result: string;
  /** The function ends in `return v` and has no other return: v is the result, no copy needed. */
  private resultIsVar: boolean;

  constructor(private norm: Normalizer, private fn: Fn) {
    const names = new Set<string>();
    for (const p of fn.params) { names.add(p.name); this.types.set(p.name, p.type); }
    collectLets(fn.body, this.types);
    for (const n of this.types.keys()) names.add(n);
    this.namer = new Namer(names);
    const last = fn.body[fn.body.length - 1];
    this.resultIsVar = last?.k === 'return' && last.value.k === 'var' && countReturns(fn.body) === 1;
    this.result = this.resultIsVar ? (last as { value: { name: string } }).value.name : this.temp(fn.name, fn.returns);
  }

  build(): Template {
    let body = this.list(this.fn.body);
    if (this.returnFlag) body = [{ k: 'assign', name: this.returnFlag, value: { k: 'num', value: 0 } }, ...body];
    // Flags that no guard or loop test reads were not needed (the jump was absorbed): drop them.
    const read = new Set<string>();
    walkExprs(body, (e) => collectVars(e, read));
    const unused = [...this.flags].filter((f) => !read.has(f));
    if (unused.length) {
      body = stripAssignments(body, new Set(unused));
      for (const f of unused) this.types.delete(f);
    }
    const params = this.fn.params;
    const paramNames = new Set(params.map((p) => p.name));
    const assigned = new Set<string>();
    const order: string[] = [];
    const seen = new Set<string>();
    const note = (n: string) => { if (!seen.has(n)) { seen.add(n); order.push(n); } };
    walkNStmts(body, (s) => {
      if (s.k === 'assign') { assigned.add(s.name); note(s.name); }
      else if (s.k === 'setIndex') note(s.name);
    });
    walkExprs(body, (e) => { const vars = new Set<string>(); collectVars(e, vars); vars.forEach(note); });
    note(this.result);
    const locals = order.filter((n) => !paramNames.has(n) && this.types.has(n));
    return { params, body, result: this.result, types: this.types, locals, assigned };
  }

  private temp(base: string, type: ValueType): string {
    const name = this.namer.fresh(base);
    this.types.set(name, type);
    return name;
  }

  private flag(base: string): string {
    const name = this.temp(base, 'num');
    this.flags.add(name);
    return name;
  }

  private flagOf(kind: Jump): string {
    if (kind === 'return') return (this.returnFlag ??= this.flag('returned'));
    const loop = this.loops[this.loops.length - 1];
    return kind === 'break' ? (loop.broken ??= this.flag('broken')) : (loop.continued ??= this.flag('continued'));
  }

  /** Statements in normal form. `rest` handling is what removes the jumps. */
  private list(items: Item[]): NStmt[] {
    const out: NStmt[] = [];
    for (let i = 0; i < items.length; i++) {
      const s = items[i];
      const rest = items.slice(i + 1);
      switch (s.k) {
        case 'mark': break;
        case 'nir': out.push(...s.stmts); break;
        case 'let':
          // `const p = softmax(z)`: the inlined helper computes straight into p.
          if (s.init.k === 'call') {
            const r = this.inline(s.init, out, s.name);
            if (!(r.k === 'var' && r.name === s.name)) out.push({ k: 'assign', name: s.name, value: r, loc: s.loc });
            break;
          }
          this.assignRoot(s.name, s.type, s.init, out, s.loc);
          break;
        case 'assign': this.assignRoot(s.name, this.types.get(s.name)!, s.value, out, s.loc); break;
        case 'setIndex': this.setIndexRoot(s, out); break;
        case 'return':
          if (!this.resultIsVar) this.assignRoot(this.result, this.fn.returns, s.value, out, s.loc);
          // Set always; dropped at the end if no guard or loop test turns out to read it.
          out.push(setFlag(this.flagOf('return')));
          return out;
        case 'break':
        case 'continue':
          out.push(setFlag(this.flagOf(s.k)));
          return out;
        case 'if': {
          const test = this.test(s.test, out);
          const kt = mayJump(s.then);
          const ke = mayJump(s.else);
          if (kt.size === 0 && ke.size === 0) {
            out.push({ k: 'if', test, then: this.list(s.then), else: this.list(s.else), loc: s.loc });
            break;
          }
          const at = always(s.then);
          const ae = always(s.else);
          if (at && ae) {
            out.push({ k: 'if', test, then: this.list(s.then), else: this.list(s.else), loc: s.loc });
            return out;
          }
          // One branch always jumps, the other never: the rest of the list belongs to the other.
          const jumpsThen = at && ke.size === 0;
          if (jumpsThen || (ae && kt.size === 0)) {
            const kinds = jumpsThen ? kt : ke;
            const split = splitAtMark(rest);
            const onlyContinue = kinds.size === 1 && kinds.has('continue');
            if (!split || onlyContinue || !kinds.has('continue')) {
              // `continue` skips to the loop's update; break and return skip the update too. When
              // what moves can itself break, the update goes to the end of both paths instead.
              const keepUpdateAfter = split !== null && onlyContinue && [...mayJump(split.body)].every((k) => k === 'continue');
              const absorbed = keepUpdateAfter ? split.body : rest;
              const jumped = split && onlyContinue && !keepUpdateAfter ? split.after : [];
              const then = jumpsThen ? [...this.list(s.then), ...this.list(jumped)] : this.list([...s.then, ...absorbed]);
              const other = jumpsThen ? this.list([...s.else, ...absorbed]) : [...this.list(s.else), ...this.list(jumped)];
              out.push({ k: 'if', test, then, else: other, loc: s.loc });
              if (keepUpdateAfter) out.push(...this.list(split.after));
              return out;
            }
          }
          out.push({ k: 'if', test, then: this.list(s.then), else: this.list(s.else), loc: s.loc });
          out.push(...this.guard(new Set([...kt, ...ke]), rest));
          return out;
        }
        case 'loop': {
          out.push(...this.loop(s));
          if (mayJump([s]).size) {
            out.push(...this.guard(new Set<Jump>(['return']), rest));
            return out;
          }
          break;
        }
      }
    }
    return out;
  }

  /** The rest of a list after a statement that may jump: run it only if no jump happened. */
  private guard(kinds: Set<Jump>, rest: Item[]): NStmt[] {
    if (isEmpty(rest)) return [];
    const flags = (ks: Jump[]) => ks.map((k) => this.flagOf(k));
    const split = splitAtMark(rest);
    if (!split) return [{ k: 'if', test: not(anyOf(flags([...kinds]))), then: this.list(rest), else: [] }];
    const out: NStmt[] = [];
    if (!isEmpty(split.body)) out.push({ k: 'if', test: not(anyOf(flags([...kinds]))), then: this.list(split.body), else: [] });
    const after = this.list(split.after);
    const stopping = [...new Set([...kinds, ...mayJump(split.body)])].filter((k) => k !== 'continue');
    if (after.length) out.push(...(stopping.length ? [{ k: 'if', test: not(anyOf(flags(stopping))), then: after, else: [] } as NStmt] : after));
    return out;
  }

  private loop(s: Extract<Stmt, { k: 'loop' }>): NStmt[] {
    const out: NStmt[] = [];
    const pre: NStmt[] = [];
    let test = this.test(s.test, pre);
    let items: Item[] = [...s.body, { k: 'mark' }, ...s.update];
    if (pre.length) {
      // A test that needs statements (an inlined call) is checked at the top of the body.
      items = [{ k: 'nir', stmts: pre }, { k: 'if', test: not(test), then: [{ k: 'break' }], else: [] }, ...items];
      test = { k: 'num', value: 1 };
    }
    const ctx: LoopCtx = {};
    this.loops.push(ctx);
    const body = this.list(items);
    this.loops.pop();
    const jumps = mayJump(items);
    if (jumps.has('break')) test = and(not(vr(ctx.broken!)), test);
    if (jumps.has('return')) test = and(not(vr(this.returnFlag!)), test);
    if (jumps.has('break')) out.push({ k: 'assign', name: ctx.broken!, value: { k: 'num', value: 0 } });
    const resets: NStmt[] = jumps.has('continue') && ctx.continued ? [{ k: 'assign', name: ctx.continued, value: { k: 'num', value: 0 } }] : [];
    out.push({ k: 'while', test, body: [...resets, ...body], loc: s.loc });
    return out;
  }

  // ---- expressions ----------------------------------------------------------------------------

  private test(e: Expr, out: NStmt[]): Expr {
    return this.flat(e, out);
  }

  private assignRoot(name: string, type: ValueType, e: Expr, out: NStmt[], loc?: SourceLocation): void {
    if (e.k === 'cond') {
      const test = this.test(e.test, out);
      const a: NStmt[] = [];
      const b: NStmt[] = [];
      this.assignRoot(name, type, e.then, a, loc);
      this.assignRoot(name, type, e.else, b, loc);
      out.push({ k: 'if', test, then: a, else: b, loc });
      return;
    }
    if (e.k === 'array') { out.push({ k: 'assign', name, value: { ...e, elements: this.flatArgs(e.elements, out) }, loc }); return; }
    if (e.k === 'fill') {
      const [length, value] = this.flatArgs([e.length, e.value], out);
      out.push({ k: 'assign', name, value: { ...e, length, value }, loc });
      return;
    }
    out.push({ k: 'assign', name, value: this.flat(e, out), loc });
  }

  private setIndexRoot(s: Extract<Stmt, { k: 'setIndex' }>, out: NStmt[]): void {
    let index = this.flat(s.index, out);
    if (s.value.k === 'cond') {
      if (index.k !== 'var' && index.k !== 'num') {
        const t = this.temp('index', 'num');
        out.push({ k: 'assign', name: t, value: index });
        index = vr(t);
      }
      const at = index;
      const branch = (value: Expr): NStmt[] => {
        const list: NStmt[] = [];
        this.setIndexRoot({ ...s, index: at, value }, list);
        return list;
      };
      out.push({ k: 'if', test: this.test(s.value.test, out), then: branch(s.value.then), else: branch(s.value.else), loc: s.loc });
      return;
    }
    out.push({ k: 'setIndex', name: s.name, index, value: this.flat(s.value, out), loc: s.loc });
  }

  /** Arguments in evaluation order; a call that writes arrays must not run before earlier reads. */
  private flatArgs(args: Expr[], out: NStmt[]): Expr[] {
    const done: Expr[] = [];
    for (const a of args) {
      const pre: NStmt[] = [];
      const x = this.flat(a, pre);
      if (pre.some(writesArray)) {
        done.forEach((d, j) => {
          if (!readsArray(d)) return;
          const t = this.temp('value', 'num');
          out.push({ k: 'assign', name: t, value: d });
          done[j] = vr(t);
        });
      }
      out.push(...pre);
      done.push(x);
    }
    return done;
  }

  private flat(e: Expr, out: NStmt[]): Expr {
    switch (e.k) {
      case 'num': case 'var': return e;
      case 'prim': return { ...e, args: this.flatArgs(e.args, out) };
      case 'compare': { const [a, b] = this.flatArgs([e.a, e.b], out); return { ...e, a, b }; }
      case 'not': return { ...e, a: this.flat(e.a, out) };
      case 'logic': {
        const a = this.flat(e.a, out);
        const preB: NStmt[] = [];
        const b = this.flat(e.b, preB);
        if (preB.length === 0) return { ...e, a, b };
        // The right side needs statements: evaluate it only when && / || would.
        const t = this.temp('test', 'num');
        out.push({ k: 'assign', name: t, value: a });
        out.push({ k: 'if', test: e.op === '&&' ? vr(t) : not(vr(t)), then: [...preB, { k: 'assign', name: t, value: b }], else: [] });
        return vr(t);
      }
      case 'cond': {
        const t = this.temp('choice', this.typeOf(e));
        this.assignRoot(t, this.typeOf(e), e, out, e.loc);
        return vr(t);
      }
      case 'call': return this.inline(e, out);
      case 'index': { const array = this.arrayVar(e.array, out); return { ...e, array, index: this.flat(e.index, out) }; }
      case 'length': return { ...e, array: this.arrayVar(e.array, out) };
      case 'array': case 'fill': {
        const t = this.temp('values', 'arr');
        this.assignRoot(t, 'arr', e, out, e.loc);
        return vr(t);
      }
    }
  }

  private arrayVar(e: Expr, out: NStmt[]): Expr {
    const x = this.flat(e, out);
    if (x.k === 'var') return x;
    const t = this.temp('values', 'arr');
    out.push({ k: 'assign', name: t, value: x });
    return vr(t);
  }

  private typeOf(e: Expr): ValueType {
    switch (e.k) {
      case 'var': return this.types.get(e.name) ?? 'num';
      case 'array': case 'fill': return 'arr';
      case 'call': return this.norm.program.functions[e.fn].returns;
      case 'cond': return this.typeOf(e.then);
      default: return 'num';
    }
  }

  /** A helper call, inlined: parameters bound (or aliased), locals renamed, the result a variable. */
  private inline(e: Extract<Expr, { k: 'call' }>, out: NStmt[], into?: string): Expr {
    const args = this.flatArgs(e.args, out);
    const t = this.norm.template(e.fn);
    const map = new Map<string, string>();
    const values = new Map<string, Expr>();
    t.params.forEach((p, i) => {
      const a = args[i];
      // Arrays pass by reference, so an array argument is aliased unless the helper rebinds it;
      // a number parameter the helper never assigns is simply the caller's variable or constant.
      if (!t.assigned.has(p.name) && (a.k === 'var' || a.k === 'num')) {
        if (a.k === 'var') map.set(p.name, a.name); else values.set(p.name, a);
        return;
      }
      const n = this.temp(p.name, p.type);
      out.push({ k: 'assign', name: n, value: a, loc: e.loc });
      map.set(p.name, n);
    });
    const resultIsLocal = !t.params.some((p) => p.name === t.result);
    for (const l of t.locals) map.set(l, into !== undefined && resultIsLocal && l === t.result ? into : this.temp(l, t.types.get(l) ?? 'num'));
    out.push(...renameStmts(t.body, map, values));
    return values.get(t.result) ?? vr(map.get(t.result) ?? t.result);
  }
}

// ---- helpers ----------------------------------------------------------------------------------

const setFlag = (name: string): NStmt => ({ k: 'assign', name, value: { k: 'num', value: 1 } });

function collectLets(list: Stmt[], into: Map<string, ValueType>): void {
  for (const s of list) {
    if (s.k === 'let') into.set(s.name, s.type);
    else if (s.k === 'if') { collectLets(s.then, into); collectLets(s.else, into); }
    else if (s.k === 'loop') { collectLets(s.body, into); collectLets(s.update, into); }
  }
}

function countReturns(list: Stmt[]): number {
  let n = 0;
  for (const s of list) {
    if (s.k === 'return') n++;
    else if (s.k === 'if') n += countReturns(s.then) + countReturns(s.else);
    else if (s.k === 'loop') n += countReturns(s.body);
  }
  return n;
}

export function walkNStmts(list: NStmt[], f: (s: NStmt) => void): void {
  for (const s of list) {
    f(s);
    if (s.k === 'if') { walkNStmts(s.then, f); walkNStmts(s.else, f); }
    else if (s.k === 'while') walkNStmts(s.body, f);
  }
}

/** Calls `f` on each top-level expression of every statement. */
export function walkExprs(list: NStmt[], f: (e: Expr) => void): void {
  walkNStmts(list, (s) => {
    if (s.k === 'assign') f(s.value);
    else if (s.k === 'setIndex') { f(s.index); f(s.value); }
    else f(s.test);
  });
}

export function collectVars(e: Expr, into: Set<string>): Set<string> {
  switch (e.k) {
    case 'num': break;
    case 'var': into.add(e.name); break;
    case 'prim': case 'call': e.args.forEach((a) => collectVars(a, into)); break;
    case 'compare': case 'logic': collectVars(e.a, into); collectVars(e.b, into); break;
    case 'not': collectVars(e.a, into); break;
    case 'cond': collectVars(e.test, into); collectVars(e.then, into); collectVars(e.else, into); break;
    case 'index': collectVars(e.array, into); collectVars(e.index, into); break;
    case 'length': collectVars(e.array, into); break;
    case 'array': e.elements.forEach((a) => collectVars(a, into)); break;
    case 'fill': collectVars(e.length, into); collectVars(e.value, into); break;
  }
  return into;
}

function writesArray(s: NStmt): boolean {
  let found = false;
  walkNStmts([s], (x) => { if (x.k === 'setIndex') found = true; });
  return found;
}

function readsArray(e: Expr): boolean {
  switch (e.k) {
    case 'index': return true;
    case 'prim': return e.args.some(readsArray);
    case 'compare': case 'logic': return readsArray(e.a) || readsArray(e.b);
    case 'not': return readsArray(e.a);
    default: return false;
  }
}

function stripAssignments(list: NStmt[], names: Set<string>): NStmt[] {
  const out: NStmt[] = [];
  for (const s of list) {
    if (s.k === 'assign' && names.has(s.name)) continue;
    if (s.k === 'if') {
      const then = stripAssignments(s.then, names);
      const other = stripAssignments(s.else, names);
      if (then.length || other.length) out.push({ ...s, then, else: other });
    } else if (s.k === 'while') out.push({ ...s, body: stripAssignments(s.body, names) });
    else out.push(s);
  }
  return out;
}

function renameExpr(e: Expr, map: Map<string, string>, values?: Map<string, Expr>): Expr {
  const r = (x: Expr) => renameExpr(x, map, values);
  switch (e.k) {
    case 'num': return e;
    case 'var': return values?.get(e.name) ?? { ...e, name: map.get(e.name) ?? e.name };
    case 'prim': return { ...e, args: e.args.map(r) };
    case 'call': return { ...e, args: e.args.map(r) };
    case 'compare': case 'logic': return { ...e, a: r(e.a), b: r(e.b) };
    case 'not': return { ...e, a: r(e.a) };
    case 'cond': return { ...e, test: r(e.test), then: r(e.then), else: r(e.else) };
    case 'index': return { ...e, array: r(e.array), index: r(e.index) };
    case 'length': return { ...e, array: r(e.array) };
    case 'array': return { ...e, elements: e.elements.map(r) };
    case 'fill': return { ...e, length: r(e.length), value: r(e.value) };
  }
}

/** Renames variables (`map`) and puts constants in place of never-assigned ones (`values`). */
export function renameStmts(list: NStmt[], map: Map<string, string>, values?: Map<string, Expr>): NStmt[] {
  const r = (e: Expr) => renameExpr(e, map, values);
  return list.map((s): NStmt => {
    switch (s.k) {
      case 'assign': return { ...s, name: map.get(s.name) ?? s.name, value: r(s.value) };
      case 'setIndex': return { ...s, name: map.get(s.name) ?? s.name, index: r(s.index), value: r(s.value) };
      case 'if': return { ...s, test: r(s.test), then: renameStmts(s.then, map, values), else: renameStmts(s.else, map, values) };
      case 'while': return { ...s, test: r(s.test), body: renameStmts(s.body, map, values) };
    }
  });
}
