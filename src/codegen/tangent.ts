// Forward mode as source (tangent's way): transforms the IR into a self-contained JavaScript
// function `f_tangent(...params, ...seeds)` that runs f and, beside each statement, its tangent
// (`// tangent of: z = x ** 2` then `dz = 2 * x * dx`), returning the directional derivative of f
// along the seed. Tangent expressions come from the rules table's partials, built over a folding
// Field; an activity analysis leaves out tangents that are always 0 (loop counters, lengths).
//
// Helpers become nested functions `g_tangent(...params, ...tangents)` returning `[value, tangent]`;
// every call is lifted into its own statement so that each helper runs once (its array writes
// happen once). Arrays carry tangent arrays, aliased exactly as the arrays themselves are.

import { formatExpr } from '../ir/format.ts';
import type { Expr, Fn, Program, Stmt, ValueType } from '../ir/types.ts';
import { RULES } from '../rules/table.ts';
import { Namer, tangentBase, tangentFunctionName } from './naming.ts';
import { cond, exprField, isZero, mk, num, v } from './tangent-field.ts';

export interface TangentCode {
  /** The whole generated function, as text. */
  source: string;
  /** Its name (`f_tangent`). */
  name: string;
  /** Its parameters: f's parameters, then one seed per `wrt` parameter (`dx`, or an array `da`). */
  params: string[];
  /** The seed parameters, in `wrt` order. */
  seeds: string[];
}

/** The compiled tangent function: f's arguments, then the seeds; returns the directional derivative. */
export type TangentFunction = (...args: (number | number[])[]) => number;

export function generateTangent(program: Program, wrt: string[]): TangentCode {
  const used = new Set<string>(['Math', 'Array', 'NaN', 'Infinity']);
  for (const fn of Object.values(program.functions)) {
    used.add(fn.name);
    for (const p of fn.params) used.add(p.name);
    collectNames(fn.body, used);
  }
  // Function names first, so that no local of any function can shadow them.
  const global = new Namer(used);
  const fnNames = new Map<string, string>();
  const main = program.functions[program.main];
  fnNames.set(main.name, global.fresh(tangentFunctionName(main.name)));
  for (const fn of Object.values(program.functions)) if (fn !== main) fnNames.set(fn.name, global.fresh(tangentFunctionName(fn.name)));
  const taken = new Set([...used, ...fnNames.values()]);

  const lines: string[] = [];
  const mainGen = new FnGen(program, main, true, wrt, fnNames, taken);
  const mainLines = mainGen.emitFunction();
  lines.push(mainLines[0]);
  // Helpers are nested inside the main function so that the whole is one copyable function.
  for (const fn of Object.values(program.functions)) {
    if (fn === main) continue;
    const helper = new FnGen(program, fn, false, fn.params.map((p) => p.name), fnNames, taken).emitFunction();
    for (const l of helper) lines.push('  ' + l);
    lines.push('');
  }
  lines.push(...mainLines.slice(1));
  return { source: lines.join('\n'), name: fnNames.get(main.name)!, params: mainGen.signature, seeds: mainGen.seeds };
}

/** Compiles generated tangent code. The text is ddx's own, built from the IR, never the user's. */
export function compileTangent(code: TangentCode): TangentFunction {
  return new Function(`"use strict";\n${code.source}\nreturn ${code.name};`)() as TangentFunction;
}

function collectNames(list: Stmt[], into: Set<string>): void {
  for (const s of list) {
    if (s.k === 'let' || s.k === 'assign' || s.k === 'setIndex') into.add(s.name);
    if (s.k === 'if') { collectNames(s.then, into); collectNames(s.else, into); }
    if (s.k === 'loop') { collectNames(s.body, into); collectNames(s.update, into); }
  }
}

const js = (e: Expr) => formatExpr(e, 'js');

/** Does `e` read variable `name` (directly or by indexing it)? */
function reads(e: Expr, name: string): boolean {
  switch (e.k) {
    case 'num': return false;
    case 'var': return e.name === name;
    case 'prim': return e.args.some((a) => reads(a, name));
    case 'compare': case 'logic': return reads(e.a, name) || reads(e.b, name);
    case 'not': return reads(e.a, name);
    case 'cond': return reads(e.test, name) || reads(e.then, name) || reads(e.else, name);
    case 'call': return e.args.some((a) => reads(a, name));
    case 'index': return reads(e.array, name) || reads(e.index, name);
    case 'length': return reads(e.array, name);
    case 'array': return e.elements.some((a) => reads(a, name));
    case 'fill': return reads(e.length, name) || reads(e.value, name);
  }
}

function containsCall(e: Expr): boolean {
  switch (e.k) {
    case 'call': return true;
    case 'num': case 'var': return false;
    case 'prim': return e.args.some(containsCall);
    case 'compare': case 'logic': return containsCall(e.a) || containsCall(e.b);
    case 'not': return containsCall(e.a);
    case 'cond': return containsCall(e.test) || containsCall(e.then) || containsCall(e.else);
    case 'index': return containsCall(e.array) || containsCall(e.index);
    case 'length': return containsCall(e.array);
    case 'array': return e.elements.some(containsCall);
    case 'fill': return containsCall(e.length) || containsCall(e.value);
  }
}

/** Stands for a statement's new value while its tangent is built (replaced before printing). */
const RESULT = { k: 'var', name: '$result' } as const;

function mentions(e: Expr, name: string): boolean {
  let found = false;
  walk(e, (x) => { if (x.k === 'var' && x.name === name) found = true; });
  return found;
}

function substitute(e: Expr, name: string, by: Expr): Expr {
  switch (e.k) {
    case 'var': return e.name === name ? by : e;
    case 'num': return e;
    case 'prim': return { ...e, args: e.args.map((a) => substitute(a, name, by)) };
    case 'compare': case 'logic': return { ...e, a: substitute(e.a, name, by), b: substitute(e.b, name, by) };
    case 'not': return { ...e, a: substitute(e.a, name, by) };
    case 'cond': return { ...e, test: substitute(e.test, name, by), then: substitute(e.then, name, by), else: substitute(e.else, name, by) };
    case 'call': return { ...e, args: e.args.map((a) => substitute(a, name, by)) };
    case 'index': return { ...e, array: substitute(e.array, name, by), index: substitute(e.index, name, by) };
    case 'length': return { ...e, array: substitute(e.array, name, by) };
    case 'array': return { ...e, elements: e.elements.map((a) => substitute(a, name, by)) };
    case 'fill': return { ...e, length: substitute(e.length, name, by), value: substitute(e.value, name, by) };
  }
}

/** A marker tangent for a call during activity analysis: a helper's result always carries one. */
const CALL_TANGENT: Expr = { k: 'var', name: '$call' };

interface LoopFrame {
  /** Update statements to run before `continue` when the update cannot sit in the `for` header. */
  update: string[] | null;
}

/** Generates the tangent function of one function of the program. */
class FnGen {
  private types = new Map<string, ValueType>();
  private active = new Set<string>();
  private tangentNames = new Map<string, string>();
  private namer: Namer;
  private declared: string[] = [];
  /** Parameters, tangent parameters and tangents set up in the prologue: never redeclared. */
  private preDeclared = new Set<string>();
  private loops: LoopFrame[] = [];
  /** The generated function's parameter list and seed parameters (main only). */
  signature: string[] = [];
  seeds: string[] = [];

  constructor(
    private program: Program,
    private fn: Fn,
    private isMain: boolean,
    private seeded: string[],
    private fnNames: Map<string, string>,
    taken: Set<string>,
  ) {
    this.namer = new Namer(taken);
    for (const p of fn.params) this.types.set(p.name, p.type);
    this.collectTypes(fn.body);
    this.analyseActivity();
  }

  // ---- activity: which variables can carry a nonzero tangent (a flow-insensitive fixed point) ----

  private collectTypes(list: Stmt[]): void {
    for (const s of list) {
      if (s.k === 'let') this.types.set(s.name, s.type);
      else if (s.k === 'if') { this.collectTypes(s.then); this.collectTypes(s.else); }
      else if (s.k === 'loop') { this.collectTypes(s.body); this.collectTypes(s.update); }
    }
  }

  private analyseActivity(): void {
    for (const p of this.seeded) this.active.add(p);
    for (let changed = true; changed;) {
      const before = this.active.size;
      this.visitActivity(this.fn.body);
      changed = this.active.size !== before;
    }
  }

  private visitActivity(list: Stmt[]): void {
    for (const s of list) {
      switch (s.k) {
        case 'let': case 'assign': {
          const value = s.k === 'let' ? s.init : s.value;
          this.markCallArgs(value);
          if (this.types.get(s.name) === 'arr') {
            // Arrays alias: if either side of `b = a` carries a tangent, both must.
            const aliases = arrayVars(value);
            if (this.arrayTangent(value) !== null || aliases.some((a) => this.active.has(a))) this.active.add(s.name);
            if (this.active.has(s.name)) for (const a of aliases) this.active.add(a);
          } else if (this.tangent(value) !== null) this.active.add(s.name);
          break;
        }
        case 'setIndex':
          this.markCallArgs(s.index); this.markCallArgs(s.value);
          if (this.tangent(s.value) !== null) this.active.add(s.name);
          break;
        case 'if': this.markCallArgs(s.test); this.visitActivity(s.then); this.visitActivity(s.else); break;
        case 'loop': this.markCallArgs(s.test); this.visitActivity(s.body); this.visitActivity(s.update); break;
        case 'return': this.markCallArgs(s.value); break;
        default: break;
      }
    }
  }

  /** Arrays passed to a helper carry tangents: the helper's tangent function reads and may write them. */
  private markCallArgs(e: Expr): void {
    walk(e, (x) => {
      if (x.k === 'call') for (const a of x.args) for (const name of arrayVars(a)) if (this.types.get(name) === 'arr') this.active.add(name);
    });
  }

  private isArrayExpr(e: Expr): boolean {
    switch (e.k) {
      case 'var': return this.types.get(e.name) === 'arr';
      case 'call': return this.program.functions[e.fn].returns === 'arr';
      case 'array': case 'fill': return true;
      case 'cond': return this.isArrayExpr(e.then);
      default: return false;
    }
  }

  // ---- tangent expressions ----

  private d(name: string): string {
    let t = this.tangentNames.get(name);
    if (!t) {
      t = this.namer.fresh(tangentBase(name));
      this.tangentNames.set(name, t);
    }
    return t;
  }

  /**
   * The tangent of a number-valued expression, or null where it is exactly 0. `y` stands for the
   * value of `e` itself (the rules' partials may use the result); by default it is recomputed.
   */
  private tangent(e: Expr, y?: Expr): Expr | null {
    switch (e.k) {
      case 'num': case 'compare': case 'logic': case 'not': case 'length':
        return null;
      case 'var':
        return this.active.has(e.name) ? v(this.d(e.name)) : null;
      case 'prim': {
        const ts = e.args.map((a) => this.tangent(a));
        if (ts.every((t) => t === null)) return null;
        const partials = RULES[e.op].partials(exprField, e.args, y ?? e);
        let sum: Expr | null = null;
        ts.forEach((t, i) => {
          if (t === null) return; // a term with no tangent is skipped, never multiplied (NaN partials)
          const term = mk('mul', [partials[i], t]);
          sum = sum === null ? term : mk('add', [sum, term]);
        });
        return sum === null || isZero(sum) ? null : sum;
      }
      case 'cond': {
        const a = this.tangent(e.then);
        const b = this.tangent(e.else);
        if (a === null && b === null) return null;
        return cond(e.test, a ?? num(0), b ?? num(0));
      }
      case 'call':
        return this.callIsActive(e) ? CALL_TANGENT : null;
      case 'index': {
        const arr = this.arrayTangent(e.array);
        return arr === null ? null : { k: 'index', array: arr, index: e.index };
      }
      case 'array': case 'fill':
        return null;
    }
  }

  /**
   * A helper's result carries a tangent when an argument does; an array argument always counts,
   * since the helper may write into it.
   */
  private callIsActive(e: Extract<Expr, { k: 'call' }>): boolean {
    return e.args.some((a) => this.isArrayExpr(a) || this.tangent(a) !== null);
  }

  /** The tangent array of an array-valued expression, or null where it is all zeros. */
  private arrayTangent(e: Expr): Expr | null {
    switch (e.k) {
      case 'var': return this.active.has(e.name) ? v(this.d(e.name)) : null;
      case 'call': return CALL_TANGENT;
      case 'array': {
        const ts = e.elements.map((x) => this.tangent(x));
        return ts.every((t) => t === null) ? null : { k: 'array', elements: ts.map((t) => t ?? num(0)) };
      }
      case 'fill': {
        const t = this.tangent(e.value);
        return t === null ? null : { k: 'fill', length: e.length, value: t };
      }
      case 'cond': {
        const a = this.arrayTangent(e.then);
        const b = this.arrayTangent(e.else);
        if (a === null && b === null) return null;
        return cond(e.test, a ?? zerosLike(e.then), b ?? zerosLike(e.else));
      }
      default: return null;
    }
  }

  // ---- emission ----

  emitFunction(): string[] {
    const fn = this.fn;
    const out: string[] = [];
    const prologue: string[] = [];
    const params = fn.params.map((p) => p.name);
    const tangentParams: string[] = [];
    for (const p of fn.params) {
      if (this.seeded.includes(p.name)) tangentParams.push(this.d(p.name));
      else if (this.active.has(p.name)) {
        // Not differentiated, but written with values that are: its tangent starts at 0.
        prologue.push(p.type === 'arr' ? `let ${this.d(p.name)} = new Array(${p.name}.length).fill(0);` : `let ${this.d(p.name)} = 0;`);
      }
    }
    for (const p of fn.params) {
      this.preDeclared.add(p.name);
      if (this.active.has(p.name)) this.preDeclared.add(this.d(p.name));
    }
    this.signature = [...params, ...tangentParams];
    this.seeds = tangentParams;
    if (this.isMain) {
      // f's array arguments are copied (as f itself does), so writes never reach the caller's arrays
      // or seeds. Only needed when the function may write into an array.
      const writes = mayWriteArrays(fn);
      const copies = fn.params.filter((p) => p.type === 'arr' && writes).flatMap((p) =>
        this.seeded.includes(p.name) ? [`${p.name} = ${p.name}.slice();`, `${this.d(p.name)} = ${this.d(p.name)}.slice();`] : [`${p.name} = ${p.name}.slice();`]);
      prologue.unshift(...copies);
    }
    this.emitList(fn.body, '  ', out);
    const head = `function ${this.fnNames.get(fn.name)}(${this.signature.join(', ')}) {`;
    const decl = this.declared.length ? [`  let ${this.declared.join(', ')};`] : [];
    return [head, ...prologue.map((l) => '  ' + l), ...decl, ...out, '}'];
  }

  private declare(name: string): void {
    if (!this.preDeclared.has(name) && !this.declared.includes(name)) this.declared.push(name);
  }

  private emitList(list: Stmt[], indent: string, out: string[]): void {
    for (let k = 0; k < list.length; k++) {
      const s = list[k];
      const next = list[k + 1];
      // `i = 0` right before a loop that counts with i goes into the loop's header, as written.
      if (next?.k === 'loop' && (s.k === 'let' || s.k === 'assign') && !this.active.has(s.name)) {
        const value = s.k === 'let' ? s.init : s.value;
        if (!containsCall(value) && next.update.some((u) => u.k === 'assign' && u.name === s.name) && this.emitLoop(next, indent, out, `${s.name} = ${js(value)}`)) {
          this.declare(s.name);
          k++;
          continue;
        }
      }
      this.emitStmt(s, indent, out);
    }
  }

  private emitStmt(s: Stmt, indent: string, out: string[]): void {
    switch (s.k) {
      case 'let': case 'assign': {
        const value = s.k === 'let' ? s.init : s.value;
        this.declare(s.name);
        const pre: string[] = [];
        if (value.k === 'call' && this.active.has(s.name) && this.callIsActive(value)) {
          // `x = g(...)`: the helper's value and tangent go straight into x and dx.
          this.declare(this.d(s.name));
          out.push(`${indent}// tangent of: ${s.name} = ${js(value)}`);
          this.liftCall(value, indent, out, s.name);
          return;
        }
        const e = this.lift(value, indent, pre);
        const isArr = this.types.get(s.name) === 'arr';
        if (!this.active.has(s.name)) {
          out.push(...pre, `${indent}${s.name} = ${js(e)};`);
          return;
        }
        this.declare(this.d(s.name));
        out.push(`${indent}// tangent of: ${s.name} = ${js(value)}`, ...pre);
        this.emitPair(v(s.name), this.d(s.name), e, isArr, indent, out);
        return;
      }
      case 'setIndex': {
        const pre: string[] = [];
        const index = this.lift(s.index, indent, pre);
        const e = this.lift(s.value, indent, pre);
        const target: Expr = { k: 'index', array: v(s.name), index };
        if (!this.active.has(s.name)) {
          out.push(...pre, `${indent}${js(target)} = ${js(e)};`);
          return;
        }
        out.push(`${indent}// tangent of: ${s.name}[${js(s.index)}] = ${js(s.value)}`, ...pre);
        const dTarget: Expr = { k: 'index', array: v(this.d(s.name)), index };
        const overwrites = reads(e, s.name) || reads(index, s.name);
        if (overwrites) {
          this.emitOverwrite(target, dTarget, e, indent, out);
        } else {
          out.push(`${indent}${js(target)} = ${js(e)};`, `${indent}${js(dTarget)} = ${js(this.tangent(e, target) ?? num(0))};`);
        }
        return;
      }
      case 'if': {
        const pre: string[] = [];
        const test = this.lift(s.test, indent, pre);
        out.push(...pre, `${indent}if (${js(test)}) {`);
        this.emitList(s.then, indent + '  ', out);
        if (s.else.length) {
          out.push(`${indent}} else {`);
          this.emitList(s.else, indent + '  ', out);
        }
        out.push(`${indent}}`);
        return;
      }
      case 'loop': this.emitLoop(s, indent, out); return;
      case 'break': out.push(`${indent}break;`); return;
      case 'continue': {
        const update = this.loops[this.loops.length - 1]?.update;
        if (update) out.push(...update.map((l) => indent + l));
        out.push(`${indent}continue;`);
        return;
      }
      case 'return': {
        const pre: string[] = [];
        const e = this.lift(s.value, indent, pre);
        const isArr = this.isArrayExpr(e);
        if (this.isMain) {
          const t = this.tangent(e);
          if (t !== null) out.push(`${indent}// tangent of: return ${js(s.value)}`);
          out.push(...pre, `${indent}return ${js(t ?? num(0))};`);
        } else {
          const t = isArr ? (this.arrayTangent(e) ?? zerosLike(e)) : (this.tangent(e) ?? num(0));
          out.push(`${indent}// tangent of: return ${js(s.value)}`, ...pre, `${indent}return [${js(e)}, ${js(t)}];`);
        }
        return;
      }
    }
  }

  /**
   * `x = e` with its tangent. The primal goes first, so that the tangent can use the new value
   * (dz = z * dx for z = exp(x)), unless the statement overwrites a variable it reads: then the
   * tangent goes first, while the old value is still there, and recomputes what it needs.
   */
  private emitPair(target: Expr, dName: string, e: Expr, isArr: boolean, indent: string, out: string[]): void {
    const name = (target as { name: string }).name;
    if (isArr) {
      const t = this.arrayTangent(e);
      const zeros = `new Array(${name}.length).fill(0)`;
      if (reads(e, name) && t !== null) {
        out.push(`${indent}${dName} = ${js(t)};`, `${indent}${name} = ${js(e)};`);
      } else {
        out.push(`${indent}${name} = ${js(e)};`, `${indent}${dName} = ${t === null ? zeros : js(t)};`);
      }
      return;
    }
    if (reads(e, name)) {
      this.emitOverwrite(target, v(dName), e, indent, out);
    } else {
      out.push(`${indent}${name} = ${js(e)};`, `${indent}${dName} = ${js(this.tangent(e, target) ?? num(0))};`);
    }
  }

  /** Emits a loop; with `init`, only when it can go into a `for` header (returns whether it did). */
  /**
   * `x = e` where e reads x: the tangent needs the old x, so it goes first. If it also needs the new
   * value (h = tanh(w * h): dh = (1 - h_new * h_new) * ...), the new value is held in `h_new`
   * rather than computed twice.
   */
  private emitOverwrite(target: Expr, dTarget: Expr, e: Expr, indent: string, out: string[]): void {
    const t = this.tangent(e, RESULT);
    if (t !== null && mentions(t, RESULT.name)) {
      const base = target.k === 'var' ? target.name : (target as { array: { name: string } }).array.name;
      const temp = this.namer.fresh(`${base}_new`);
      this.declare(temp);
      out.push(`${indent}${temp} = ${js(e)};`, `${indent}${js(dTarget)} = ${js(substitute(t, RESULT.name, v(temp)))};`, `${indent}${js(target)} = ${temp};`);
    } else {
      out.push(`${indent}${js(dTarget)} = ${js(t ?? num(0))};`, `${indent}${js(target)} = ${js(e)};`);
    }
  }

  private emitLoop(s: Extract<Stmt, { k: 'loop' }>, indent: string, out: string[], init?: string): boolean {
    const inner = indent + '  ';
    const simpleUpdate = s.update.every((u) => (u.k === 'assign' || u.k === 'setIndex') && !containsCall(u.value) && !(u.k === 'setIndex' && containsCall(u.index)));
    if (init !== undefined && !simpleUpdate) return false;
    const pre: string[] = [];
    const test = this.lift(s.test, inner, pre);
    // The update sits in the `for` header when it is plain assignments; otherwise it runs at the end
    // of the body and before each `continue`.
    const simple = simpleUpdate;
    let header: string[] = [];
    let bodyUpdate: string[] | null = null;
    if (simple) {
      const lines: string[] = [];
      this.emitList(s.update, '', lines);
      header = lines.filter((l) => !l.startsWith('//')).map((l) => l.replace(/;$/, ''));
    } else {
      bodyUpdate = [];
      this.emitList(s.update, '', bodyUpdate);
    }
    const testText = pre.length ? '' : js(test);
    if (header.length || init !== undefined) out.push(`${indent}for (${init ?? ''}; ${testText}; ${header.join(', ')}) {`);
    else out.push(testText ? `${indent}while (${testText}) {` : `${indent}for (;;) {`);
    if (pre.length) out.push(...pre, `${inner}if (!(${js(test)})) break;`);
    this.loops.push({ update: bodyUpdate });
    this.emitList(s.body, inner, out);
    this.loops.pop();
    if (bodyUpdate) out.push(...bodyUpdate.map((l) => inner + l));
    out.push(`${indent}}`);
    return true;
  }

  /**
   * Moves every helper call out of `e` into statements of its own (in evaluation order), returning
   * `e` with each call replaced by the variable holding its value. A call under a ternary or after
   * && / || runs only when JavaScript would run it: that part becomes an if statement.
   */
  private lift(e: Expr, indent: string, pre: string[]): Expr {
    if (!containsCall(e)) return e;
    switch (e.k) {
      case 'call': return v(this.liftCall(e, indent, pre));
      case 'cond': {
        const test = this.lift(e.test, indent, pre);
        if (!containsCall(e.then) && !containsCall(e.else)) return { ...e, test };
        const type: ValueType = this.isArrayExpr(e.then) ? 'arr' : 'num';
        const temp = this.temp('branch_r', type);
        pre.push(`${indent}if (${js(test)}) {`);
        this.assignLifted(temp, type, e.then, indent + '  ', pre);
        pre.push(`${indent}} else {`);
        this.assignLifted(temp, type, e.else, indent + '  ', pre);
        pre.push(`${indent}}`);
        return v(temp);
      }
      case 'logic': {
        const a = this.lift(e.a, indent, pre);
        if (!containsCall(e.b)) return { ...e, a };
        // a && b is 1 when both hold; a || b is 1 when either does (ddx's logic values are 0 or 1).
        const temp = this.temp('logic_r', 'num', false);
        const and = e.op === '&&';
        pre.push(`${indent}${temp} = ${and ? 0 : 1};`, `${indent}if (${and ? js(a) : `!(${js(a)})`}) {`);
        const inner: string[] = [];
        const b = this.lift(e.b, indent + '  ', inner);
        pre.push(...inner, `${indent}  ${temp} = ${js(b)} ? 1 : 0;`, `${indent}}`);
        return { k: 'compare', op: '!==', a: v(temp), b: num(0) };
      }
      case 'prim': return { ...e, args: e.args.map((a) => this.lift(a, indent, pre)) };
      case 'compare': { const a = this.lift(e.a, indent, pre); return { ...e, a, b: this.lift(e.b, indent, pre) }; }
      case 'not': return { ...e, a: this.lift(e.a, indent, pre) };
      case 'index': { const array = this.lift(e.array, indent, pre); return { ...e, array, index: this.lift(e.index, indent, pre) }; }
      case 'length': return { ...e, array: this.lift(e.array, indent, pre) };
      case 'array': return { ...e, elements: e.elements.map((x) => this.lift(x, indent, pre)) };
      case 'fill': { const length = this.lift(e.length, indent, pre); return { ...e, length, value: this.lift(e.value, indent, pre) }; }
      default: return e;
    }
  }

  /** `[r, dr] = g_tangent(args, tangents)`, into `into` or a fresh variable; returns the variable. */
  private liftCall(e: Extract<Expr, { k: 'call' }>, indent: string, pre: string[], into?: string): string {
    const args = e.args.map((a) => this.lift(a, indent, pre));
    const tangents = args.map((a) => (this.isArrayExpr(a) ? (this.arrayTangent(a) ?? zerosLike(a)) : (this.tangent(a) ?? num(0))));
    const callText = `${this.fnNames.get(e.fn)}(${[...args, ...tangents].map(js).join(', ')})`;
    if (!this.callIsActive({ ...e, args })) {
      // No argument carries a tangent: only the value is wanted.
      const target = into ?? this.temp(`${e.fn}_r`, this.program.functions[e.fn].returns, false);
      pre.push(`${indent}${target} = ${callText}[0];`);
      return target;
    }
    const target = into ?? this.temp(`${e.fn}_r`, this.program.functions[e.fn].returns);
    pre.push(`${indent}[${target}, ${this.d(target)}] = ${callText};`);
    return target;
  }

  private assignLifted(temp: string, type: ValueType, e: Expr, indent: string, out: string[]): void {
    const pre: string[] = [];
    const lifted = this.lift(e, indent, pre);
    out.push(...pre);
    this.emitPair(v(temp), this.d(temp), lifted, type === 'arr', indent, out);
  }

  /** A fresh variable for a lifted value, with a tangent unless it is known to have none. */
  private temp(base: string, type: ValueType, active = true): string {
    const name = this.namer.fresh(base);
    this.types.set(name, type);
    this.declare(name);
    if (active) {
      this.active.add(name);
      this.declare(this.d(name));
    }
    return name;
  }
}

function zerosLike(e: Expr): Expr {
  return { k: 'fill', length: { k: 'length', array: e }, value: num(0) };
}

/** The array variables an array-valued expression may evaluate to (aliases). */
function arrayVars(e: Expr): string[] {
  if (e.k === 'var') return [e.name];
  if (e.k === 'cond') return [...arrayVars(e.then), ...arrayVars(e.else)];
  return [];
}

function walk(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.k) {
    case 'prim': e.args.forEach((a) => walk(a, visit)); break;
    case 'compare': case 'logic': walk(e.a, visit); walk(e.b, visit); break;
    case 'not': walk(e.a, visit); break;
    case 'cond': walk(e.test, visit); walk(e.then, visit); walk(e.else, visit); break;
    case 'call': e.args.forEach((a) => walk(a, visit)); break;
    case 'index': walk(e.array, visit); walk(e.index, visit); break;
    case 'length': walk(e.array, visit); break;
    case 'array': e.elements.forEach((a) => walk(a, visit)); break;
    case 'fill': walk(e.length, visit); walk(e.value, visit); break;
    default: break;
  }
}

/** Can running `fn` write into an array it was given (directly, through an alias, or in a helper)? */
function mayWriteArrays(fn: Fn): boolean {
  const aliases = new Set(fn.params.filter((p) => p.type === 'arr').map((p) => p.name));
  const assigns: [string, Expr][] = [];
  let found = false;
  const exprs = (e: Expr) => walk(e, (x) => { if (x.k === 'call' && x.args.length) found = true; });
  const visit = (l: Stmt[]) => {
    for (const s of l) {
      if (s.k === 'let') { exprs(s.init); assigns.push([s.name, s.init]); }
      if (s.k === 'assign') { exprs(s.value); assigns.push([s.name, s.value]); }
      if (s.k === 'return') exprs(s.value);
      if (s.k === 'setIndex') { exprs(s.index); exprs(s.value); }
      if (s.k === 'if') { exprs(s.test); visit(s.then); visit(s.else); }
      if (s.k === 'loop') { exprs(s.test); visit(s.body); visit(s.update); }
    }
  };
  visit(fn.body);
  // Any helper call counts (a helper may write into an array it is passed): a copy too many is cheap.
  if (found) return true;
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, e] of assigns) {
      if (!aliases.has(name) && arrayVars(e).some((a) => aliases.has(a))) { aliases.add(name); changed = true; }
    }
  }
  const writes = (l: Stmt[]): boolean => l.some((s) =>
    (s.k === 'setIndex' && aliases.has(s.name)) || (s.k === 'if' && (writes(s.then) || writes(s.else))) || (s.k === 'loop' && (writes(s.body) || writes(s.update))));
  return writes(fn.body);
}
