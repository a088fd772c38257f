// Source-to-source reverse mode, tangent's way: the normal form of f (normalize.ts) becomes a new,
// self-contained JavaScript function that runs f's statements (the forward sweep), then the
// adjoint of each statement in reverse order (the adjoint sweep), each adjoint block headed by
// `// grad of: <statement>`. The adjoint rule of every primitive comes from the rules table:
// bx_i += by * dy/dx_i, with the partials written as code. Branch decisions, loop trip counts and
// overwritten values go on a stack in the forward sweep and come off it in the adjoint sweep, so
// that each adjoint statement sees the values its statement saw. The optimizer then removes what
// the gradient does not need (optimize.ts), and declarations are placed last (declare.ts).

import { DdxError } from '../errors.ts';
import { formatExpr } from '../ir/format.ts';
import type { Expr, Program, ValueType } from '../ir/types.ts';
import { RULES } from '../rules/table.ts';
import type { Field } from '../rules/field.ts';
import { declareVariables } from './declare.ts';
import {
  assign, isAtom, namesIn, num, printExpr, printFunction, printStmts, v,
  type GExpr, type GFunction, type GStmt,
} from './jsast.ts';
import { adjointBase, gradientFunctionName, partialAdjointBase, seedBase, STACK_BASE } from './naming.ts';
import { collectVars, normalize, walkNStmts, type NFunction, type NStmt } from './normalize.ts';
import { countingClosedForm, fold, optimize } from './optimize.ts';
import { reserveStack } from './reserve.ts';

/** Names of the stack machinery (STACK_BASE comes from naming.ts; these sit beside it). */
const TOP_BASE = 'top';
const REFS_BASE = 'refs';
const COND_BASE = 'cond';
const TRIPS_BASE = 'trips';

export interface GradientOptions {
  /** Parameters to differentiate with respect to (default: all), returned in parameter order. */
  wrt?: string[];
  /** Return `[value, gradient]` instead of `gradient`. */
  preserveResult?: boolean;
  /** The default value of the seed parameter (the output adjoint): the gradient scales with it. */
  seed?: number;
}

export interface GeneratedGradient {
  /** The generated function's name (`dfdx`, `dfdxy`). */
  name: string;
  /** The parameters to pass: f's own, then the seed. */
  params: string[];
  /** The wrt parameters, in the order of the returned gradient. */
  wrt: string[];
  /** The transformed code before optimization, and after. Both run. */
  raw: string;
  optimized: string;
  /** Optimizer rounds until the text stopped changing. */
  rounds: number;
  /** The optimized source, compiled. */
  fn: (...args: unknown[]) => unknown;
}

const generated = new WeakMap<Program, Map<string, GeneratedGradient>>();

/**
 * The gradient function for a program and options, generated once: the reverse card, its timing
 * and the forward card's comparison all ask for the same one.
 */
export function generateGradient(program: Program, options: GradientOptions = {}): GeneratedGradient {
  const key = JSON.stringify([options.wrt ?? null, options.preserveResult ?? false, options.seed ?? 1]);
  let byOptions = generated.get(program);
  if (!byOptions) generated.set(program, (byOptions = new Map()));
  let gen = byOptions.get(key);
  if (!gen) byOptions.set(key, (gen = transform(program, options)));
  return gen;
}

function transform(program: Program, options: GradientOptions): GeneratedGradient {
  const nf = normalize(program);
  const params = nf.params.map((p) => p.name);
  const sourceParams = program.functions[program.main].params.map((p) => p.name);
  const wrt = options.wrt ?? sourceParams;
  for (const w of wrt) if (!sourceParams.includes(w)) throw new DdxError('input', `wrt names ${w}, which is not a parameter of ${program.main}`);
  // Parameters keep their names unless they collide with a global the code uses (rare).
  const wrtInternal = sourceParams.flatMap((p, i) => (wrt.includes(p) ? [params[i]] : []));
  const generator = new ReverseGenerator(nf, wrtInternal, options);
  const rawFn = generator.build();
  const raw = printFunction(withRoom(declareVariables(rawFn)));
  const { fn: optimizedFn, rounds } = optimize(rawFn);
  const optimized = printFunction(withRoom(declareVariables(optimizedFn)));
  return {
    name: rawFn.name,
    params: rawFn.params.map((p) => p.name),
    wrt: sourceParams.filter((p) => wrt.includes(p)),
    raw,
    optimized,
    rounds,
    fn: compileGenerated(optimized, rawFn.name),
  };
}

/** The function with room made on the stack before each counting loop that saves values. */
function withRoom(fn: GFunction): GFunction {
  return { ...fn, body: reserveStack(fn.body) };
}

/** Compiles generated source alone: no other names are in scope. */
export function compileGenerated(source: string, name: string): (...args: unknown[]) => unknown {
  return new Function(`"use strict";\n${source}\nreturn ${name};`)() as (...args: unknown[]) => unknown;
}

// ---- analyses ---------------------------------------------------------------------------------

/** Array variables that may hold the same array (one is assigned the other) share a class. */
class AliasClasses {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    while (p !== (this.parent.get(p) ?? p)) p = this.parent.get(p) ?? p;
    return p;
  }
  union(a: string, b: string): void {
    const [x, y] = [this.find(a), this.find(b)];
    if (x !== y) this.parent.set(x, y);
  }
}

class ReverseGenerator {
  private readonly types: Map<string, ValueType>;
  private aliases = new AliasClasses();
  private readonly active = new Set<string>();
  private readonly ints = new Set<string>();
  /** The first assignment of each variable, in program order, and how many there are. */
  private readonly firstAssign = new Map<string, NStmt>();
  private readonly assignTotal = new Map<string, number>();
  private readonly writtenArrays = new Set<string>();
  private readonly adjoints = new Map<string, string>();
  private readonly paramNames: Set<string>;
  /** Whether an expression always has an integer value (set by the analysis). */
  private isInt: (e: Expr) => boolean = () => false;
  private pairs = 0;
  /** Generated names that hold arrays (saved adjoint arrays). */
  private readonly arrayTemps = new Set<string>();
  private readonly codeField: Field<GExpr> = {
    constant: (c) => num(c),
    prim: (op, args) => fold({ k: 'prim', op, args }),
    ge: (a, b) => ({ k: 'cond', test: { k: 'compare', op: '>=', a, b }, then: num(1), else: num(0) }),
  };

  constructor(private nf: NFunction, private readonly wrt: string[], private readonly options: GradientOptions) {
    this.types = nf.types;
    for (const p of nf.params) this.types.set(p.name, p.type);
    this.paramNames = new Set(nf.params.map((p) => p.name));
    this.analyse();
    // Name the costly intermediate values the adjoint needs, then look again at the new body.
    const named = this.nameIntermediates(nf.body);
    if (named !== nf.body) {
      this.nf = { ...nf, body: named };
      this.analyse();
    }
  }

  /**
   * tangent names every intermediate value (ANF); here only the costly ones the adjoint sweep
   * needs get a name: `out += w[j] * Math.tanh(a)` becomes `tanh = Math.tanh(a); out += w[j] *
   * tanh`, so the adjoint reads tanh instead of computing it again. What a partial needs is read
   * off the rules table itself, by running each rule over sets of the values it mentions.
   */
  private nameIntermediates(list: NStmt[]): NStmt[] {
    let changed = false;
    const out: NStmt[] = [];
    for (const s of list) {
      if (s.k === 'if') {
        const then = this.nameIntermediates(s.then);
        const other = this.nameIntermediates(s.else);
        if (then !== s.then || other !== s.else) changed = true;
        out.push({ ...s, then, else: other });
        continue;
      }
      if (s.k === 'while') {
        const body = this.nameIntermediates(s.body);
        if (body !== s.body) changed = true;
        out.push({ ...s, body });
        continue;
      }
      const wanted = new Set<Expr>();
      if (this.isActive(s.name)) this.wantedValues(s.value, true, wanted);
      if (wanted.size === 0) { out.push(s); continue; }
      changed = true;
      const hoist = (e: Expr): Expr => {
        if (e.k !== 'prim') return e;
        const node: Expr = { ...e, args: e.args.map(hoist) };
        if (!wanted.has(e)) return node;
        const name = this.nf.namer.fresh(e.op);
        this.types.set(name, 'num');
        out.push({ k: 'assign', name, value: node, loc: e.loc });
        return { k: 'var', name };
      };
      out.push({ ...s, value: hoist(s.value) });
    }
    return changed ? out : list;
  }

  /** The costly subexpressions of e whose values the adjoint of `target = e` would compute. */
  private wantedValues(e: Expr, isRoot: boolean, into: Set<Expr>): void {
    if (e.k !== 'prim' || !this.exprActive(e)) return;
    const depends: Field<Set<number>> = {
      constant: () => new Set(),
      prim: (_op, args) => new Set(args.flatMap((a) => [...a])),
      ge: (a, b) => new Set([...a, ...b]),
    };
    const partials = RULES[e.op].partials(depends, e.args.map((_, k) => new Set([k])), new Set([-1]));
    // A value the adjoint reads: costly ones get a name; a cheap one is recomputed from its parts.
    const need = (x: Expr): void => {
      if (x.k !== 'prim') return;
      if (costly(x)) into.add(x);
      else x.args.forEach(need);
    };
    e.args.forEach((a, k) => {
      if (!this.exprActive(a)) return;
      for (const d of partials[k]) {
        if (d === -1) { if (!isRoot) need(e); } else need(e.args[d]);
      }
    });
    for (const a of e.args) this.wantedValues(a, false, into);
  }

  private rep(name: string): string {
    return this.types.get(name) === 'arr' ? this.aliases.find(name) : name;
  }

  /** Variables whose derivative flows through e (not indices, tests or lengths). */
  private dvars(e: Expr, into: Set<string> = new Set()): Set<string> {
    switch (e.k) {
      case 'var': into.add(this.rep(e.name)); break;
      case 'prim': for (const a of e.args) this.dvars(a, into); break;
      case 'index': if (e.array.k === 'var') into.add(this.rep(e.array.name)); break;
      case 'array': for (const a of e.elements) this.dvars(a, into); break;
      case 'fill': this.dvars(e.value, into); break;
      default: break;
    }
    return into;
  }

  private analyse(): void {
    const body = this.nf.body;
    this.aliases = new AliasClasses();
    for (const set of [this.active, this.ints, this.writtenArrays]) set.clear();
    this.firstAssign.clear();
    this.assignTotal.clear();
    const assigns: { target: string; value: Expr }[] = [];
    walkNStmts(body, (s) => {
      if (s.k === 'assign') {
        if (!this.firstAssign.has(s.name)) this.firstAssign.set(s.name, s);
        this.assignTotal.set(s.name, (this.assignTotal.get(s.name) ?? 0) + 1);
        if (this.types.get(s.name) === 'arr' && s.value.k === 'var') this.aliases.union(s.name, s.value.name);
        assigns.push({ target: s.name, value: s.value });
      } else if (s.k === 'setIndex') {
        assigns.push({ target: s.name, value: s.value });
      }
    });
    walkNStmts(body, (s) => { if (s.k === 'setIndex') this.writtenArrays.add(this.rep(s.name)); });
    // Activity: varied (depends on a wrt input) and useful (the result depends on it).
    const varied = new Set(this.wrt.map((w) => this.rep(w)));
    const useful = new Set([this.rep(this.nf.result)]);
    for (let changed = true; changed;) {
      changed = false;
      for (const { target, value } of assigns) {
        const t = this.rep(target);
        const deps = this.dvars(value);
        if (!varied.has(t) && [...deps].some((d) => varied.has(d))) { varied.add(t); changed = true; }
        if (useful.has(t)) for (const d of deps) if (!useful.has(d)) { useful.add(d); changed = true; }
      }
    }
    for (const x of varied) if (useful.has(x)) this.active.add(x);
    // Integer-valued numbers: an update `i = i + 1` of one is undone exactly by `i = i - 1`.
    for (const [name, type] of this.types) if (type === 'num' && !this.paramNames.has(name)) this.ints.add(name);
    const isInt = (e: Expr): boolean => this.isInt(e);
    this.isInt = (e: Expr): boolean => {
      switch (e.k) {
        case 'num': return Number.isInteger(e.value);
        case 'var': return this.ints.has(e.name);
        case 'length': case 'compare': case 'logic': case 'not': return true;
        case 'prim':
          if (['floor', 'ceil', 'round', 'trunc', 'sign'].includes(e.op)) return true;
          return ['add', 'sub', 'mul', 'neg', 'mod'].includes(e.op) && e.args.every(isInt);
        default: return false;
      }
    };
    for (let changed = true; changed;) {
      changed = false;
      for (const { target, value } of assigns) {
        if (this.ints.has(target) && !isInt(value)) { this.ints.delete(target); changed = true; }
      }
    }
  }

  private isActive(name: string): boolean {
    return this.active.has(this.rep(name));
  }

  private exprActive(e: Expr): boolean {
    for (const d of this.dvars(e)) if (this.active.has(d)) return true;
    return false;
  }

  private adjoint(name: string): string {
    let b = this.adjoints.get(name);
    if (!b) {
      b = this.nf.namer.fresh(adjointBase(name));
      this.adjoints.set(name, b);
    }
    return b;
  }

  // ---- expressions ----------------------------------------------------------------------------

  private g(e: Expr): GExpr {
    return toG(e);
  }

  /**
   * Adds `bar * d(e)/d(leaf)` into the adjoint of every active leaf of e. `y` overrides the value
   * of e itself (its partials may use it), for the root of a statement whose target holds it.
   */
  private accumulate(e: Expr, bar: GExpr, out: GStmt[], y?: GExpr): void {
    if (!this.exprActive(e)) return;
    switch (e.k) {
      case 'var': {
        const b = this.adjoint(e.name);
        out.push(assign(b, fold({ k: 'prim', op: 'add', args: [v(b), bar] })));
        return;
      }
      case 'index': {
        const b = this.adjoint(arrayName(e.array));
        const index = this.g(e.index);
        out.push({ k: 'setIndex', array: b, index, value: fold({ k: 'prim', op: 'add', args: [{ k: 'index', array: b, index }, bar] }) });
        return;
      }
      case 'prim': {
        const live = e.args.map((a) => this.exprActive(a));
        if (live.filter(Boolean).length > 1 && !isAtom(bar)) bar = this.bind(partialAdjointBase(e.op), bar, out);
        const partials = RULES[e.op].partials(this.codeField, e.args.map((a) => this.g(a)), y ?? this.g(e));
        e.args.forEach((a, k) => {
          if (live[k]) this.accumulate(a, fold({ k: 'prim', op: 'mul', args: [partials[k], bar] }), out);
        });
        return;
      }
      default:
        return;
    }
  }

  private bind(base: string, value: GExpr, out: GStmt[]): GExpr {
    const name = this.nf.namer.fresh(base);
    out.push(assign(name, value));
    return v(name);
  }

  /** Whether the root operation's partials read its own result (exp, tanh, sqrt, division...). */
  private rootUsesResult(e: Expr): boolean {
    if (e.k !== 'prim') return false;
    const marker = '\u0000y';
    const partials = RULES[e.op].partials(this.codeField, e.args.map((a) => this.g(a)), v(marker));
    const found = { yes: false };
    const scan = (x: GExpr): void => {
      if (x.k === 'var' && x.name === marker) found.yes = true;
      else if (x.k === 'prim') x.args.forEach(scan);
      else if (x.k === 'cond') { scan(x.test); scan(x.then); scan(x.else); }
      else if (x.k === 'compare') { scan(x.a); scan(x.b); }
    };
    partials.forEach((p, k) => { if (this.exprActive(e.args[k])) scan(p); });
    return found.yes;
  }

  /**
   * The adjoint of `target = value`: `slot` is the target's adjoint (bx or bx[i]), `current` the
   * target's value before `restore` puts back the old one. When value reads the target itself
   * (x = x * x), the adjoint is taken aside and zeroed first, and values the partials need from
   * after the assignment are computed before the restore.
   */
  private adjointOfAssignment(value: Expr, slot: GExpr, current: GExpr, readsSelf: boolean, restore: GStmt[], out: GStmt[], base: string): void {
    const zero: GStmt = slot.k === 'var' ? assign(slot.name, num(0)) : { k: 'setIndex', array: (slot as { array: string }).array, index: (slot as { index: GExpr }).index, value: num(0) };
    if (!this.exprActive(value)) { out.push(zero, ...restore); return; }
    if (!readsSelf) {
      this.accumulate(value, slot, out, current);
      out.push(zero, ...restore);
      return;
    }
    const bar = this.bind(partialAdjointBase(base), slot, out);
    out.push(zero);
    if (!this.rootUsesResult(value) || value.k !== 'prim') {
      out.push(...restore);
      this.accumulate(value, bar, out);
      return;
    }
    if (value.args.length === 1) {
      // d tanh(a) = (1 - tanh(a)^2) da: the bar of a needs only the new value, so it comes first.
      const partial = RULES[value.op].partials(this.codeField, [this.g(value.args[0])], current)[0];
      const argBar = fold({ k: 'prim', op: 'mul', args: [partial, bar] });
      const kept = isAtom(argBar) ? argBar : this.bind(partialAdjointBase(value.op), argBar, out);
      out.push(...restore);
      this.accumulate(value.args[0], kept, out);
      return;
    }
    const y = this.bind(`${base}_new`, current, out);
    out.push(...restore);
    this.accumulate(value, bar, out, y);
  }

  // ---- statements -----------------------------------------------------------------------------

  private visit(list: NStmt[], depth: number, loopTest?: Expr): { fwd: GStmt[]; adj: GStmt[] } {
    const plans = loopTest ? this.recomputable(list, loopTest) : new Map<number, Recompute>();
    const fwd: GStmt[] = [];
    const blocks: GStmt[][] = [];
    list.forEach((s, k) => {
      const r = this.visitStmt(s, depth, plans.has(k), list[k - 1]);
      fwd.push(...r.fwd);
      blocks.push(r.adj);
    });
    const adj: GStmt[] = [];
    for (let j = list.length - 1; j >= 0; j--) {
      for (const plan of plans.values()) if (plan.before === j) adj.push(assign(plan.name, this.g(plan.value)));
      adj.push(...blocks[j]);
    }
    return { fwd, adj };
  }

  /**
   * Loop-local values that the adjoint iteration can recompute instead of popping: `t = e` at the
   * top of a loop body, t assigned nowhere else and read only after it, e cheap, and e's operands
   * unchanged until t's last use. The recomputation goes where the adjoint sweep has restored the
   * state just before the first statement that changes an operand (or at the top of the adjoint
   * iteration when none does).
   */
  private recomputable(list: NStmt[], test: Expr): Map<number, Recompute> {
    const plans = new Map<number, Recompute>();
    const testVars = collectVars(test, new Set());
    list.forEach((s, k) => {
      if (s.k !== 'assign' || this.types.get(s.name) !== 'num' || this.paramNames.has(s.name)) return;
      if (this.assignTotal.get(s.name) !== 1 || testVars.has(s.name) || !cheap(s.value)) return;
      if (list.slice(0, k + 1).some((x) => readsVar(x, s.name))) return;
      const operands = new Set([...collectVars(s.value, new Set())].map((n) => this.rep(n)));
      let m = list.length;
      for (let j = k + 1; j < list.length; j++) if (this.modifiesAny(list[j], operands)) { m = j; break; }
      for (let j = m; j < list.length; j++) if (readsVar(list[j], s.name)) return;
      // An operand recomputed itself holds the next iteration's value until its own recomputation
      // (recomputing sets it, it does not restore it): t's recomputation must not come first.
      // Plans at the same place go in body order, operands first.
      for (const plan of plans.values()) if (operands.has(this.rep(plan.name)) && plan.before < m - 1) return;
      plans.set(k, { name: s.name, value: s.value, before: m - 1 });
    });
    return plans;
  }

  private modifiesAny(s: NStmt, reps: Set<string>): boolean {
    let found = false;
    walkNStmts([s], (x) => {
      if ((x.k === 'assign' || x.k === 'setIndex') && reps.has(this.rep(x.name))) found = true;
    });
    return found;
  }

  private pair(): number {
    return this.pairs++;
  }

  private visitStmt(s: NStmt, depth: number, recomputed = false, previous?: NStmt): { fwd: GStmt[]; adj: GStmt[] } {
    const fwd: GStmt[] = [];
    const adj: GStmt[] = [];
    switch (s.k) {
      case 'assign': {
        const name = s.name;
        // The value before a first definition outside any loop is never needed again.
        const needSave = !recomputed && !(this.firstAssign.get(name) === s && !this.paramNames.has(name) && depth === 0);
        if (this.types.get(name) === 'arr') return this.visitArrayAssign(s, needSave);
        const restore: GStmt[] = [];
        if (needSave) {
          const step = this.invertibleStep(s);
          if (step !== null) restore.push(assign(name, fold({ k: 'prim', op: 'sub', args: [v(name), num(step)] })));
          else {
            const p = this.pair();
            fwd.push({ k: 'push', value: v(name), pair: p, stack: 'num' });
            restore.push(assign(name, { k: 'pop', stack: 'num' }, p));
          }
        }
        fwd.push(assign(name, this.g(s.value)));
        if (this.isActive(name)) {
          adj.push({ k: 'comment', text: `grad of: ${describe(s)}` });
          const readsSelf = collectVars(s.value, new Set()).has(name);
          this.adjointOfAssignment(s.value, v(this.adjoint(name)), v(name), readsSelf, restore, adj, name);
        } else adj.push(...restore);
        return { fwd, adj };
      }
      case 'setIndex': {
        const index = this.g(s.index);
        const slot: GExpr = { k: 'index', array: s.name, index };
        const p = this.pair();
        fwd.push({ k: 'push', value: slot, pair: p, stack: 'num' });
        fwd.push({ k: 'setIndex', array: s.name, index, value: this.g(s.value) });
        const restore: GStmt[] = [{ k: 'setIndex', array: s.name, index, value: { k: 'pop', stack: 'num' }, pair: p }];
        if (this.isActive(s.name)) {
          adj.push({ k: 'comment', text: `grad of: ${describe(s)}` });
          const rep = this.rep(s.name);
          const readsSelf = [...collectVars(s.value, new Set())].some((n) => this.types.get(n) === 'arr' && this.rep(n) === rep);
          const b = this.adjoint(s.name);
          this.adjointOfAssignment(s.value, { k: 'index', array: b, index }, slot, readsSelf, restore, adj, s.name);
        } else adj.push(...restore);
        return { fwd, adj };
      }
      case 'if': {
        const cond = this.nf.namer.fresh(COND_BASE);
        const a = this.visit(s.then, depth);
        const b = this.visit(s.else, depth);
        fwd.push(assign(cond, this.g(s.test)), { k: 'if', test: v(cond), then: a.fwd, else: b.fwd });
        adj.push({ k: 'comment', text: `grad of: ${describe(s)}` });
        const reads = new Set([...collectVars(s.test, new Set())].map((n) => this.rep(n)));
        if (depth > 0 && cheapTest(s.test) && ![...s.then, ...s.else].some((x) => this.modifiesAny(x, reads))) {
          // The branches leave what the test reads alone: the adjoint sweep asks the test again.
          adj.push(assign(cond, this.g(s.test)));
        } else if (depth > 0) {
          const p = this.pair();
          fwd.push({ k: 'push', value: v(cond), pair: p, stack: 'num', truth: true });
          adj.push(assign(cond, { k: 'pop', stack: 'num' }, p));
        }
        adj.push({ k: 'if', test: v(cond), then: a.adj, else: b.adj });
        return { fwd, adj };
      }
      case 'while': {
        const trips = this.nf.namer.fresh(TRIPS_BASE);
        const body = this.visit(s.body, depth + 1, s.test);
        const counter = this.countingLoop(s);
        fwd.push(assign(trips, num(0)), {
          k: 'while', test: this.g(s.test),
          body: [assign(trips, { k: 'prim', op: 'add', args: [v(trips), num(1)] }), ...body.fwd],
          ...(counter ? { counter: { name: counter.name, step: counter.step } } : {}),
        });
        adj.push({ k: 'comment', text: `grad of: ${describeLoop(s)}` });
        const start = counter && previous?.k === 'assign' && previous.name === counter.name ? previous.value : null;
        if (counter && start && cheap(start) && !collectVars(start, new Set()).has(counter.name) &&
            !s.body.some((x) => this.modifiesAny(x, new Set([...collectVars(start, new Set())].map((n) => this.rep(n)))))) {
          // `i = start; while (i < bound) { ...; i++ }`: the adjoint sweep works out the trip count
          // and where i ended from start and bound, which it still has, instead of saving them.
          const reversed = this.reversedCountingLoop(counter, this.g(start), body.adj);
          if (reversed) {
            adj.push(...reversed);
            return { fwd, adj };
          }
          const { trips: count, end } = countingClosedForm(counter.op, counter.step, this.g(start), this.g(counter.bound));
          adj.push(assign(trips, count), assign(counter.name, end));
        } else if (depth > 0) {
          const p = this.pair();
          fwd.push({ k: 'push', value: v(trips), pair: p, stack: 'num' });
          adj.push(assign(trips, { k: 'pop', stack: 'num' }, p));
        }
        adj.push({
          k: 'while', test: { k: 'compare', op: '>', a: v(trips), b: num(0) },
          body: [...body.adj, assign(trips, { k: 'prim', op: 'sub', args: [v(trips), num(1)] })],
        });
        return { fwd, adj };
      }
    }
  }

  /**
   * The adjoint of `i = start; while (i < bound) { ...; i++ }` when the step is the body's last
   * statement: the adjoint iterations run i back down, `for (i = bound - 1; i >= start; i--)`,
   * one counter instead of a trip count beside it (the undoing of i++, the adjoint body's first
   * statement, becomes the loop's update). After the loop i holds start, as the forward sweep had
   * it; that assignment goes when nothing reads it. Null when the step comes earlier in the body.
   */
  private reversedCountingLoop(counter: Counting, start: GExpr, body: GStmt[]): GStmt[] | null {
    const { name, step, op } = counter;
    const at = body.findIndex((x) => x.k === 'assign' && x.name === name);
    const undo = body[at];
    if (!undo || undo.k !== 'assign' || undo.pair !== undefined) return null;
    const u = undo.value;
    if (!(u.k === 'prim' && u.op === 'sub' && u.args[0].k === 'var' && u.args[0].name === name && u.args[1].k === 'num' && u.args[1].value === step)) return null;
    // What comes before the undoing in the adjoint body (recomputed values) must not read i.
    if (namesIn(body.slice(0, at)).has(name)) return null;
    const bound = this.g(counter.bound);
    const inclusive = op === '<=' || op === '>=';
    // The last value i took in the forward loop: bound - 1 for `i < bound`, bound + 1 for `i > bound`.
    const last = inclusive ? bound : shiftInteger(bound, -step);
    return [
      assign(name, last),
      {
        k: 'while', test: { k: 'compare', op: step === 1 ? '>=' : '<=', a: v(name), b: start },
        body: [...body.slice(0, at), ...body.slice(at + 1), assign(name, fold({ k: 'prim', op: step === 1 ? 'sub' : 'add', args: [v(name), num(1)] }))],
      },
      assign(name, start),
    ];
  }

  /**
   * `while (i < B) { ...; i++ }` with i an integer counter assigned once per iteration (at the top
   * level of the body) and B an integer the body does not change: the trip count has a closed
   * form, which the optimizer uses when nothing else is left in the forward loop.
   */
  private countingLoop(s: Extract<NStmt, { k: 'while' }>): Counting | null {
    const t = s.test;
    if (t.k !== 'compare' || !['<', '<=', '>', '>='].includes(t.op)) return null;
    const flip: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
    const [i, bound, op] = (t.a.k === 'var' && this.ints.has(t.a.name) ? [t.a.name, t.b, t.op] : t.b.k === 'var' && this.ints.has(t.b.name) ? [t.b.name, t.a, flip[t.op]] : [null, t.b, t.op]) as [string | null, Expr, '<' | '<=' | '>' | '>='];
    if (i === null || this.isActive(i) || !this.isInt(bound) || collectVars(bound, new Set()).has(i)) return null;
    const step = op === '<' || op === '<=' ? 1 : -1;
    let updates = 0;
    walkNStmts(s.body, (x) => { if (x.k === 'assign' && x.name === i) updates++; });
    const update = s.body.find((x) => x.k === 'assign' && x.name === i) as Extract<NStmt, { k: 'assign' }> | undefined;
    if (updates !== 1 || !update || this.invertibleStep(update) !== step) return null;
    const reads = new Set([...collectVars(bound, new Set())].map((n) => this.rep(n)));
    if (s.body.some((x) => this.modifiesAny(x, reads))) return null;
    return { name: i, step, op, bound };
  }

  /** `i = i + c` on an integer counter: the adjoint sweep undoes it with `i = i - c` instead of a pop. */
  private invertibleStep(s: Extract<NStmt, { k: 'assign' }>): number | null {
    if (!this.ints.has(s.name) || this.isActive(s.name)) return null;
    const e = s.value;
    if (e.k !== 'prim' || (e.op !== 'add' && e.op !== 'sub')) return null;
    const [a, c] = e.args;
    if (a.k !== 'var' || a.name !== s.name || c.k !== 'num' || !Number.isInteger(c.value)) return null;
    return e.op === 'add' ? c.value : -c.value;
  }

  /** `a = [..]`, `a = new Array(n).fill(v)` or `a = b` (an alias): the adjoint array follows. */
  private visitArrayAssign(s: Extract<NStmt, { k: 'assign' }>, needSave: boolean): { fwd: GStmt[]; adj: GStmt[] } {
    const fwd: GStmt[] = [];
    const adj: GStmt[] = [];
    const name = s.name;
    const active = this.isActive(name);
    const restore: GStmt[] = [];
    if (needSave) {
      const p1 = this.pair();
      fwd.push({ k: 'push', value: v(name), pair: p1, stack: 'ref' });
      if (active) {
        const p2 = this.pair();
        fwd.push({ k: 'push', value: v(this.adjoint(name)), pair: p2, stack: 'ref' });
        restore.push(assign(this.adjoint(name), { k: 'pop', stack: 'ref' }, p2));
      }
      restore.push(assign(name, { k: 'pop', stack: 'ref' }, p1));
    }
    const value = s.value;
    fwd.push(assign(name, this.g(value)));
    if (!active) return { fwd, adj: restore };
    const b = this.adjoint(name);
    if (value.k === 'var') fwd.push(assign(b, v(this.adjoint(value.name))));
    else fwd.push(assign(b, { k: 'zeros', length: value.k === 'array' ? num(value.elements.length) : { k: 'length', array: name } }));
    const elementsActive = value.k === 'array' ? value.elements.some((el) => this.exprActive(el)) : value.k === 'fill' && this.exprActive(value.value);
    if (!elementsActive) return { fwd, adj: restore };
    adj.push({ k: 'comment', text: `grad of: ${describe(s)}` });
    // `v = [v[0] * x, ...]` reads the array it replaces: keep the new adjoint, restore, then go on.
    const rep = this.rep(name);
    const readsSelf = [...collectVars(value, new Set())].some((n) => this.types.get(n) === 'arr' && this.rep(n) === rep);
    let bars = b;
    if (readsSelf && restore.length) {
      bars = this.nf.namer.fresh(partialAdjointBase(name));
      this.arrayTemps.add(bars);
      adj.push(assign(bars, v(b)), ...restore);
    }
    if (value.k === 'array') {
      value.elements.forEach((el, k) => this.accumulate(el, { k: 'index', array: bars, index: num(k) }, adj));
    } else if (value.k === 'fill') {
      // Every element started as the fill value: its adjoint is the sum of theirs.
      const k = this.nf.namer.fresh('k');
      const body: GStmt[] = [];
      this.accumulate(value.value, { k: 'index', array: bars, index: v(k) }, body);
      adj.push(assign(k, num(0)), {
        k: 'while', test: { k: 'compare', op: '<', a: v(k), b: { k: 'length', array: bars } },
        body: [...body, assign(k, { k: 'prim', op: 'add', args: [v(k), num(1)] })],
      });
    }
    if (!(readsSelf && restore.length)) adj.push(...restore);
    return { fwd, adj };
  }

  // ---- the function ---------------------------------------------------------------------------

  build(): GFunction {
    const nf = this.nf;
    const namer = nf.namer;
    const seed = this.adjoint(nf.result);
    for (const w of this.wrt) this.adjoint(w);
    const name = gradientFunctionName(nf.name, this.wrt);
    const stack = {
      stack: namer.fresh(STACK_BASE), top: namer.fresh(TOP_BASE), refs: namer.fresh(REFS_BASE),
    };
    const { fwd, adj } = this.visit(nf.body, 0);

    const prologue: GStmt[] = [];
    for (const p of nf.params) {
      if (p.type !== 'arr') continue;
      // f must not change its caller's arrays: copy an array parameter it writes into.
      if (this.writtenArrays.has(this.rep(p.name))) prologue.push(assign(p.name, { k: 'copy', array: p.name }));
      if (this.wrt.includes(p.name) || this.isActive(p.name)) {
        prologue.push(assign(this.adjoint(p.name), { k: 'zeros', length: { k: 'length', array: p.name } }));
      }
    }
    const body: GStmt[] = [...prologue, ...fwd];
    let valueName: string | null = null;
    if (this.options.preserveResult) {
      valueName = namer.fresh(`${nf.name}_value`);
      body.push(assign(valueName, v(nf.result)));
    }
    // Adjoints of numbers start at zero; the result's adjoint is the seed parameter.
    for (const [x, type] of this.types) {
      if (type !== 'num' || x === nf.result) continue;
      if (this.isActive(x) || this.wrt.includes(x)) body.push(assign(this.adjoint(x), num(0)));
    }
    body.push(...adj);
    const gradient: GExpr = { k: 'array', elements: this.wrt.map((w) => v(this.adjoint(w))) };
    body.push({ k: 'return', value: valueName ? { k: 'array', elements: [v(valueName), gradient] } : gradient });

    const arrays = new Set<string>(this.arrayTemps);
    for (const [x, type] of this.types) if (type === 'arr') { arrays.add(x); if (this.adjoints.has(x)) arrays.add(this.adjoints.get(x)!); }
    return {
      name,
      params: [...nf.params.map((p) => ({ name: p.name })), { name: seed, init: num(this.options.seed ?? 1) }],
      body,
      stack,
      arrays,
      primal: new Set(this.types.keys()),
    };
  }
}

interface Counting {
  name: string;
  step: 1 | -1;
  op: '<' | '<=' | '>' | '>=';
  bound: Expr;
}

interface Recompute {
  name: string;
  value: Expr;
  /** The recomputation goes just before the adjoint of statement `before` of the loop body. */
  before: number;
}

/**
 * e + delta for an integer-valued e, with a constant at the end of e folded in: `n - 1` and -1
 * make `n - 2`. Exact, as integers are (the counters and bounds it is used on are integers).
 */
function shiftInteger(e: GExpr, delta: number): GExpr {
  if (e.k === 'num') return num(e.value + delta);
  if (e.k === 'prim' && (e.op === 'add' || e.op === 'sub') && e.args[1].k === 'num') {
    const c = (e.op === 'add' ? e.args[1].value : -e.args[1].value) + delta;
    return c === 0 ? e.args[0] : { k: 'prim', op: c > 0 ? 'add' : 'sub', args: [e.args[0], num(Math.abs(c))] };
  }
  return fold({ k: 'prim', op: delta > 0 ? 'add' : 'sub', args: [e, num(Math.abs(delta))] });
}

/** Operations worth a name rather than a second evaluation: the transcendental ones. */
const COSTLY = new Set(['sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
  'exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'sqrt', 'cbrt', 'hypot']);

function costly(e: Extract<Expr, { k: 'prim' }>): boolean {
  if (e.op === 'pow') { const b = e.args[1]; return !(b.k === 'num' && Number.isInteger(b.value) && Math.abs(b.value) <= 4); }
  return COSTLY.has(e.op);
}

/** Cheaper to recompute than to save and restore: arithmetic and array reads, a few of them. */
function cheap(e: Expr): boolean {
  let nodes = 0;
  const ok = (x: Expr): boolean => {
    nodes++;
    switch (x.k) {
      case 'num': case 'var': case 'length': return true;
      case 'index': return ok(x.index);
      case 'prim': return ['add', 'sub', 'mul', 'neg', 'mod', 'floor', 'ceil', 'trunc', 'round', 'abs', 'sign', 'min', 'max'].includes(x.op) && x.args.every(ok);
      default: return false;
    }
  };
  return ok(e) && nodes <= 15;
}

function cheapTest(e: Expr): boolean {
  switch (e.k) {
    case 'compare': return cheap(e.a) && cheap(e.b);
    case 'logic': return cheapTest(e.a) && cheapTest(e.b);
    case 'not': return cheapTest(e.a);
    default: return cheap(e);
  }
}

function readsVar(s: NStmt, name: string): boolean {
  let found = false;
  const check = (e: Expr) => { if (collectVars(e, new Set()).has(name)) found = true; };
  walkNStmts([s], (x) => {
    if (x.k === 'assign') check(x.value);
    else if (x.k === 'setIndex') { check(x.index); check(x.value); }
    else check(x.test);
  });
  return found;
}

function arrayName(e: Expr): string {
  if (e.k !== 'var') throw new DdxError('engine', 'reverse mode: internal error, an array expression survived normalization');
  return e.name;
}

/** An IR expression (in normal form) as generated code. */
export function toG(e: Expr): GExpr {
  switch (e.k) {
    case 'num': return num(e.value);
    case 'var': return v(e.name);
    case 'prim': return { k: 'prim', op: e.op, args: e.args.map(toG) };
    case 'compare': return { k: 'compare', op: e.op, a: toG(e.a), b: toG(e.b) };
    case 'logic': return { k: 'logic', op: e.op, a: toG(e.a), b: toG(e.b) };
    case 'not': return { k: 'not', a: toG(e.a) };
    case 'index': return { k: 'index', array: arrayName(e.array), index: toG(e.index) };
    case 'length': return { k: 'length', array: arrayName(e.array) };
    case 'array': return { k: 'array', elements: e.elements.map(toG) };
    case 'fill': {
      const fillValue = toG(e.value);
      return { k: 'zeros', length: toG(e.length), fill: fillValue.k === 'num' && Object.is(fillValue.value, 0) ? undefined : fillValue };
    }
    case 'cond': case 'call':
      throw new DdxError('engine', 'reverse mode: internal error, a ternary or call survived normalization');
  }
}

// ---- the statement each adjoint block differentiates, as JavaScript ----------------------------

/** A statement of the normal form as one line of JavaScript (`s += x * i`, `if (x > 0)`). */
export function describe(s: NStmt): string {
  switch (s.k) {
    case 'assign':
      // `new Array(n).fill(0)` as the user wrote it, not as the generated code allocates it.
      if (s.value.k === 'fill') return `${s.name} = ${formatExpr(s.value, 'js')}`;
      return printOne({ k: 'assign', name: s.name, value: toG(s.value) });
    case 'setIndex': return printOne({ k: 'setIndex', array: s.name, index: toG(s.index), value: toG(s.value) });
    case 'if': return `if (${printExpr(toG(s.test))})`;
    case 'while': return describeLoop(s);
  }
}

function printOne(stmt: GStmt): string {
  const out: string[] = [];
  printStmts([stmt], '', out);
  return out[0].replace(/;$/, '');
}

function describeLoop(s: Extract<NStmt, { k: 'while' }>): string {
  const last = s.body[s.body.length - 1];
  const test = printExpr(toG(s.test));
  if (last?.k === 'assign' && collectVars(s.test, new Set()).has(last.name) && last.value.k === 'prim' &&
      (last.value.op === 'add' || last.value.op === 'sub') && last.value.args[1].k === 'num') {
    return `for (; ${test}; ${describe(last)})`;
  }
  return `while (${test})`;
}
