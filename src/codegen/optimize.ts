// The optimizer for generated code, as tangent's optimization.py: constant folding, copy and
// constant propagation, dead code elimination and accumulation merging, repeated until the printed
// text stops changing. Dead code elimination knows the stack: a `v = stack[--top]` whose value is never
// read is removed together with the push that saved it, so both sweeps stay in step.
// Folding is exact in IEEE arithmetic except for symbolic zeros (0 * e is 0), which is what every
// source-to-source AD tool does with the zero partials of floor, sign and friends.

import { RULES } from '../rules/table.ts';
import {
  exprUses, mapExpr, namesIn, num, printExpr, printStmts, sameExpr, stmtExprs, walkStmts,
  type GExpr, type GFunction, type GStmt,
} from './jsast.ts';

// ---- folding ----------------------------------------------------------------------------------

const isNum = (e: GExpr, value?: number): e is { k: 'num'; value: number } => e.k === 'num' && (value === undefined || e.value === value);
/** `c ? then : other` with those two numbers; returns the test. */
const indicatorTest = (e: GExpr, then: number, other: number): GExpr | null =>
  e.k === 'cond' && isNum(e.then, then) && isNum(e.else, other) ? e.test : null;

/** Simplifies one node whose children are already simplified. */
export function fold(e: GExpr): GExpr {
  switch (e.k) {
    case 'prim': {
      const { op, args } = e;
      if (args.every((a) => a.k === 'num')) return num(RULES[op].float(...args.map((a) => (a as { value: number }).value)));
      const [a, b] = args;
      switch (op) {
        case 'add':
          if (isNum(b, 0)) return a;
          if (isNum(a, 0)) return b;
          if (b.k === 'prim' && b.op === 'neg') return fold({ k: 'prim', op: 'sub', args: [a, b.args[0]] });
          break;
        case 'sub':
          if (isNum(b, 0)) return a;
          if (isNum(a, 0)) return fold({ k: 'prim', op: 'neg', args: [b] });
          if (b.k === 'prim' && b.op === 'neg') return fold({ k: 'prim', op: 'add', args: [a, b.args[0]] });
          if (isNum(a, 1)) { const t = indicatorTest(b, 1, 0); if (t) return { k: 'cond', test: t, then: num(0), else: num(1) }; }
          break;
        case 'mul':
          if (isNum(a, 0) || isNum(b, 0)) return num(0);
          if (isNum(a, 1)) return b;
          if (isNum(b, 1)) return a;
          if (isNum(a, -1)) return fold({ k: 'prim', op: 'neg', args: [b] });
          if (isNum(b, -1)) return fold({ k: 'prim', op: 'neg', args: [a] });
          // Signs move out exactly: x * -y is -(x * y).
          if (a.k === 'prim' && a.op === 'neg') return fold({ k: 'prim', op: 'neg', args: [fold({ k: 'prim', op: 'mul', args: [a.args[0], b] })] });
          if (b.k === 'prim' && b.op === 'neg') return fold({ k: 'prim', op: 'neg', args: [fold({ k: 'prim', op: 'mul', args: [a, b.args[0]] })] });
          // (c ? 1 : 0) * e is (c ? e : 0): the max/min partials read as a choice.
          for (const [x, y] of [[a, b], [b, a]] as const) {
            const on = indicatorTest(x, 1, 0);
            if (on) return { k: 'cond', test: on, then: y, else: num(0) };
            const off = indicatorTest(x, 0, 1);
            if (off) return { k: 'cond', test: off, then: num(0), else: y };
          }
          break;
        case 'div':
          if (isNum(b, 1)) return a;
          if (isNum(a, 0)) return num(0);
          break;
        case 'pow':
          if (isNum(b, 1)) return a;
          if (isNum(b, 0)) return num(1);
          break;
        case 'neg':
          if (a.k === 'prim' && a.op === 'neg') return a.args[0];
          if (a.k === 'cond' && isNum(a.then) && isNum(a.else)) return { ...a, then: num(-a.then.value), else: num(-a.else.value) };
          break;
      }
      return e;
    }
    case 'compare':
      if (isNum(e.a) && isNum(e.b)) {
        const [x, y] = [e.a.value, e.b.value];
        const r = { '<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y, '===': x === y, '!==': x !== y }[e.op];
        return num(r ? 1 : 0);
      }
      return e;
    case 'not':
      return isNum(e.a) ? num(e.a.value !== 0 && !Number.isNaN(e.a.value) ? 0 : 1) : e;
    case 'logic':
      if (isNum(e.a)) {
        const truthy = e.a.value !== 0 && !Number.isNaN(e.a.value);
        if (e.op === '&&') return truthy ? e.b : e.a;
        return truthy ? e.a : e.b;
      }
      return e;
    case 'cond':
      if (isNum(e.test)) return e.test.value !== 0 && !Number.isNaN(e.test.value) ? e.then : e.else;
      if (sameExpr(e.then, e.else)) return e.then;
      return e;
    default:
      return e;
  }
}

export const foldDeep = (e: GExpr): GExpr => mapExpr(e, fold);

// ---- liveness ---------------------------------------------------------------------------------

export interface Liveness {
  liveIn: Map<GStmt, Set<string>>;
  liveOut: Map<GStmt, Set<string>>;
  /** For loops: what is live where the body starts (the back edge included). */
  bodyEntry: Map<GStmt, Set<string>>;
}

function union(a: Set<string>, b: Set<string>): Set<string> {
  const r = new Set(a);
  for (const x of b) r.add(x);
  return r;
}

/**
 * Backward liveness. `strong` is what dead code elimination uses: an assignment to a dead
 * variable makes nothing live, so `s = s + t` in a loop does not keep s alive by itself.
 */
function liveList(list: GStmt[], out: Set<string>, rec?: Liveness, strong?: Set<string>): Set<string> {
  let live = out;
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i];
    rec?.liveOut.set(s, live);
    live = liveStmt(s, live, rec, strong);
    rec?.liveIn.set(s, live);
  }
  return live;
}

function liveStmt(s: GStmt, out: Set<string>, rec?: Liveness, strong?: Set<string>): Set<string> {
  switch (s.k) {
    case 'assign': {
      if (strong && !out.has(s.name) && s.pair === undefined) return out;
      const r = new Set(out); r.delete(s.name); return exprUses(s.value, r);
    }
    case 'setIndex': {
      if (strong && strong.has(s.array) && !out.has(s.array) && s.pair === undefined) return out;
      const r = new Set(out); r.add(s.array); exprUses(s.index, r); return exprUses(s.value, r);
    }
    case 'push': return exprUses(s.value, new Set(out));
    case 'reserve': return exprUses(s.extra, new Set(out));
    case 'return': return exprUses(s.value);
    case 'comment': return out;
    case 'declare': { const r = new Set(out); for (const x of s.vars) r.delete(x.name); return r; }
    case 'if': return exprUses(s.test, union(liveList(s.then, out, rec, strong), liveList(s.else, out, rec, strong)));
    case 'while': {
      const head = loopHead(s, out, strong);
      if (rec) rec.bodyEntry.set(s, liveList(s.body, head, rec, strong));
      return head;
    }
  }
}

/** What is live at a loop's test: a fixed point over the back edge. */
function loopHead(s: Extract<GStmt, { k: 'while' }>, out: Set<string>, strong?: Set<string>): Set<string> {
  let head = exprUses(s.test, new Set(out));
  for (;;) {
    const next = exprUses(s.test, union(out, liveList(s.body, head, undefined, strong)));
    if (next.size === head.size) return head;
    head = next;
  }
}

export function liveness(body: GStmt[]): Liveness {
  const rec: Liveness = { liveIn: new Map(), liveOut: new Map(), bodyEntry: new Map() };
  liveList(body, new Set(), rec);
  return rec;
}

// ---- dead code elimination --------------------------------------------------------------------

interface DceContext {
  /** Arrays never aliased and not parameters: a write to one is dead when the array is. */
  privateArrays: Set<string>;
  deadPairs: Set<number>;
}

function hasEffects(list: GStmt[]): boolean {
  let effects = false;
  walkStmts(list, (s) => {
    if (s.k === 'push' || s.k === 'setIndex' || s.k === 'return' || (s.k === 'assign' && s.pair !== undefined)) effects = true;
  });
  return effects;
}

function assignedIn(list: GStmt[]): Set<string> {
  const names = new Set<string>();
  walkStmts(list, (s) => { if (s.k === 'assign') names.add(s.name); });
  return names;
}

function dce(list: GStmt[], out: Set<string>, ctx: DceContext): GStmt[] {
  const kept: GStmt[] = [];
  let live = out;
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i];
    switch (s.k) {
      case 'assign':
        if (!live.has(s.name)) {
          if (s.pair !== undefined) ctx.deadPairs.add(s.pair);
          continue;
        }
        break;
      case 'setIndex':
        if (ctx.privateArrays.has(s.array) && !live.has(s.array)) {
          if (s.pair !== undefined) ctx.deadPairs.add(s.pair);
          continue;
        }
        break;
      case 'if': {
        const then = dce(s.then, live, ctx);
        const other = dce(s.else, live, ctx);
        if (then.length === 0 && other.length === 0) continue;
        const next: GStmt = { ...s, then, else: other };
        kept.push(next);
        live = liveStmt(next, live, undefined, ctx.privateArrays);
        continue;
      }
      case 'while': {
        const head = loopHead(s, live, ctx.privateArrays);
        const body = dce(s.body, head, ctx);
        // A loop that only computes values nobody reads goes (it ended in the forward sweep).
        if (!hasEffects(body) && [...assignedIn(body)].every((n) => !live.has(n))) continue;
        const next: GStmt = { ...s, body };
        kept.push(next);
        live = loopHead(next, live, ctx.privateArrays);
        continue;
      }
      default:
        break;
    }
    kept.push(s);
    live = liveStmt(s, live, undefined, ctx.privateArrays);
  }
  return kept.reverse();
}

function removePairs(list: GStmt[], dead: Set<number>): GStmt[] {
  const out: GStmt[] = [];
  for (const s of list) {
    if ((s.k === 'push' || s.k === 'assign' || s.k === 'setIndex') && s.pair !== undefined && dead.has(s.pair)) continue;
    if (s.k === 'if') out.push({ ...s, then: removePairs(s.then, dead), else: removePairs(s.else, dead) });
    else if (s.k === 'while') out.push({ ...s, body: removePairs(s.body, dead) });
    else out.push(s);
  }
  return out;
}

function privateArrays(fn: GFunction, body: GStmt[]): Set<string> {
  const aliased = new Set<string>(fn.params.map((p) => p.name));
  walkStmts(body, (s) => {
    if (s.k === 'assign' && fn.arrays.has(s.name) && (s.value.k === 'var' || s.value.k === 'pop' || s.value.k === 'copy')) {
      aliased.add(s.name);
      if (s.value.k === 'var') aliased.add(s.value.name);
    }
    if (s.k === 'push' && s.stack === 'ref' && s.value.k === 'var') aliased.add(s.value.name);
  });
  return new Set([...fn.arrays].filter((a) => !aliased.has(a)));
}

// ---- copy and constant propagation ------------------------------------------------------------

type Env = Map<string, GExpr>;

function kill(env: Env, name: string): void {
  env.delete(name);
  for (const [k, val] of env) if (val.k === 'var' && val.name === name) env.delete(k);
}

function subst(e: GExpr, env: Env): GExpr {
  return mapExpr(e, (x) => {
    if (x.k === 'var') return env.get(x.name) ?? x;
    if ((x.k === 'index' || x.k === 'length' || x.k === 'copy') && env.get(x.array)?.k === 'var') return { ...x, array: (env.get(x.array) as { name: string }).name };
    return fold(x);
  });
}

function intersect(a: Env, b: Env): Env {
  const r: Env = new Map();
  for (const [k, val] of a) { const o = b.get(k); if (o && sameExpr(o, val)) r.set(k, val); }
  return r;
}

function propagate(list: GStmt[], env: Env, primal: Set<string>): { list: GStmt[]; env: Env } {
  const out: GStmt[] = [];
  for (const s of list) {
    switch (s.k) {
      case 'assign': {
        const value = subst(s.value, env);
        if (value.k === 'var' && value.name === s.name) continue;
        kill(env, s.name);
        if (s.pair === undefined && (value.k === 'num' || (value.k === 'var' && !primal.has(s.name)))) env.set(s.name, value);
        out.push({ ...s, value });
        break;
      }
      case 'setIndex': {
        const target = env.get(s.array);
        out.push({ ...s, array: target?.k === 'var' ? target.name : s.array, index: subst(s.index, env), value: subst(s.value, env) });
        break;
      }
      case 'push': case 'return': out.push({ ...s, value: subst(s.value, env) }); break;
      case 'if': {
        const test = subst(s.test, env);
        if (test.k === 'num') {
          const taken = propagate(test.value !== 0 && !Number.isNaN(test.value) ? s.then : s.else, env, primal);
          out.push(...taken.list);
          env = taken.env;
          break;
        }
        const a = propagate(s.then, new Map(env), primal);
        const b = propagate(s.else, new Map(env), primal);
        out.push({ ...s, test, then: a.list, else: b.list });
        env = intersect(a.env, b.env);
        break;
      }
      case 'while': {
        // The facts that hold at the loop's test: those that hold on entry and still hold after
        // the body (an adjoint zeroed at the end of every iteration is zero at the start of each).
        let head = new Map(env);
        for (let round = 0; round < 50; round++) {
          const next = intersect(head, propagate(s.body, new Map(head), primal).env);
          if (next.size === head.size) break;
          head = next;
        }
        const test = subst(s.test, head);
        if (test.k === 'num' && !(test.value !== 0)) break;
        out.push({ ...s, test, body: propagate(s.body, new Map(head), primal).list });
        env = head;
        break;
      }
      default: out.push(s);
    }
  }
  return { list: out, env };
}

// ---- accumulation merging ---------------------------------------------------------------------

/**
 * `v = A; ...; v = v + B` becomes `v = A + B` when nothing in between touches v or what B reads,
 * within one `grad of` block: the same additions in the same order, on one line.
 */
function mergeAccumulations(list: GStmt[]): GStmt[] {
  const out: GStmt[] = [];
  for (const s of list) {
    if (s.k === 'if') out.push({ ...s, then: mergeAccumulations(s.then), else: mergeAccumulations(s.else) });
    else if (s.k === 'while') out.push({ ...s, body: mergeAccumulations(s.body) });
    else if (!mergeInto(out, s)) out.push(s);
  }
  return out;
}

/** `t = t + A` or `t = t - A` (t a variable or an element): the sign and the term. */
function accumulation(s: GStmt): { target: GExpr; sign: 'add' | 'sub'; term: GExpr } | null {
  if ((s.k !== 'assign' && s.k !== 'setIndex') || s.pair !== undefined) return null;
  const target: GExpr = s.k === 'assign' ? { k: 'var', name: s.name } : { k: 'index', array: s.array, index: s.index };
  const value = s.value;
  if (value.k !== 'prim' || (value.op !== 'add' && value.op !== 'sub') || !sameExpr(value.args[0], target)) return null;
  return { target, sign: value.op, term: value.args[1] };
}

/**
 * Two updates of one target in a row become one: `t -= A; t -= B` is `t -= A + B`. One load and
 * one store of an adjoint element instead of two; the sum differs from the two steps only in
 * rounding, as any order of accumulation does.
 */
function mergeAdjacent(prev: GStmt, s: GStmt): GStmt | null {
  const a = accumulation(prev);
  const b = accumulation(s);
  if (!a || !b || !sameExpr(a.target, b.target)) return null;
  const name = a.target.k === 'var' ? a.target.name : (a.target as { array: string }).array;
  if (exprUses(b.term).has(name)) return null;
  const same = a.sign === b.sign;
  const term = fold({ k: 'prim', op: same ? 'add' : 'sub', args: [a.term, b.term] });
  const value: GExpr = { k: 'prim', op: a.sign, args: [a.target, term] };
  return prev.k === 'assign' ? { ...prev, value } : { ...(prev as Extract<GStmt, { k: 'setIndex' }>), value };
}

function mergeInto(out: GStmt[], s: GStmt): boolean {
  const last = out[out.length - 1];
  const merged = last ? mergeAdjacent(last, s) : null;
  if (merged) { out[out.length - 1] = merged; return true; }
  if (s.k !== 'assign' || s.pair !== undefined || s.value.k !== 'prim' || s.value.op !== 'add') return false;
  const [acc, addend] = s.value.args;
  if (acc.k !== 'var' || acc.name !== s.name) return false;
  const reads = exprUses(addend);
  if (reads.has(s.name)) return false;
  const touched = new Set<string>();
  for (let j = out.length - 1; j >= 0; j--) {
    const prev = out[j];
    if (prev.k === 'assign' && prev.name === s.name) {
      // Only into a fresh definition: `v += a; v += b` stays two lines.
      if (prev.pair !== undefined || exprUses(prev.value).has(s.name) || [...reads].some((r) => touched.has(r))) return false;
      out[j] = { ...prev, value: fold({ k: 'prim', op: 'add', args: [prev.value, addend] }) };
      return true;
    }
    if (prev.k !== 'assign' && prev.k !== 'setIndex') return false;
    if (namesIn([prev]).has(s.name)) return false;
    touched.add(prev.k === 'assign' ? prev.name : prev.array);
  }
  return false;
}

/**
 * An element update by a choice with 0 on one side is done only on the other side:
 * `ba[i] += m >= a[i] ? 0 : bm` is `if (!(m >= a[i])) ba[i] += bm`, as a person writes max's
 * adjoint. It saves a load and a store of the element each time the choice is 0 (on logsumexp's
 * max loop, almost every time). Adding 0 left the element as it was, but for turning -0 into 0.
 */
function guardAccumulations(list: GStmt[]): GStmt[] {
  return list.map((s): GStmt => {
    if (s.k === 'if') return { ...s, then: guardAccumulations(s.then), else: guardAccumulations(s.else) };
    if (s.k === 'while') return { ...s, body: guardAccumulations(s.body) };
    if (s.k !== 'setIndex') return s;
    const acc = accumulation(s);
    if (!acc || acc.term.k !== 'cond') return s;
    const { test, then, else: other } = acc.term;
    const onlyWhen = isNum(other, 0) ? { test, term: then } : isNum(then, 0) ? { test: { k: 'not', a: test } as GExpr, term: other } : null;
    if (!onlyWhen) return s;
    const update: GStmt = { ...s, value: { k: 'prim', op: acc.sign, args: [acc.target, onlyWhen.term] } };
    return { k: 'if', test: onlyWhen.test, then: [update], else: [] };
  });
}

/**
 * A forward loop left with nothing but counting (`trips++; i++`) is replaced by its trip count in
 * closed form: for `i < B` stepping by 1, it runs `B - i` times (none if `i < B` fails, NaN included)
 * and leaves i at B. Exact: the generator marks only integer counters and integer bounds.
 */
function closedFormLoops(list: GStmt[]): GStmt[] {
  const out: GStmt[] = [];
  for (const s of list) {
    if (s.k === 'if') { out.push({ ...s, then: closedFormLoops(s.then), else: closedFormLoops(s.else) }); continue; }
    if (s.k !== 'while') { out.push(s); continue; }
    const body = closedFormLoops(s.body);
    const replaced = s.counter ? closedForm({ ...s, body }, s.counter) : null;
    if (replaced) out.push(...replaced);
    else out.push({ ...s, body });
  }
  return out;
}

function closedForm(s: Extract<GStmt, { k: 'while' }>, counter: { name: string; step: 1 | -1 }): GStmt[] | null {
  const { name, step } = counter;
  const t = s.test;
  if (t.k !== 'compare') return null;
  const flip: Record<string, '<' | '<=' | '>' | '>='> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
  const [op, bound] = t.a.k === 'var' && t.a.name === name ? [t.op, t.b] : t.b.k === 'var' && t.b.name === name ? [flip[t.op], t.a] : [null, t.b];
  if (!op || !['<', '<=', '>', '>='].includes(op) || exprUses(bound).has(name)) return null;
  const counters: string[] = [];
  let stepped = false;
  for (const x of s.body) {
    if (x.k !== 'assign' || x.pair !== undefined || x.value.k !== 'prim' || x.value.args[0].k !== 'var' || x.value.args[0].name !== x.name) return null;
    const [, c] = x.value.args;
    if (x.name === name) {
      if (stepped || c.k !== 'num' || (x.value.op === 'add' ? c.value : x.value.op === 'sub' ? -c.value : NaN) !== step) return null;
      stepped = true;
    } else if (x.value.op === 'add' && c.k === 'num' && c.value === 1) counters.push(x.name);
    else return null;
  }
  if (!stepped) return null;
  const { trips, end } = countingClosedForm(op as '<' | '<=' | '>' | '>=', step, { k: 'var', name }, bound);
  const header = `for (; ${printExpr(s.test)}; ${name}${step === 1 ? '++' : '--'})`;
  const out: GStmt[] = [{ k: 'comment', text: `${header} only counts here: its trips and ${name}'s last value in closed form` }];
  for (const c of counters) out.push({ k: 'assign', name: c, value: fold({ k: 'prim', op: 'add', args: [{ k: 'var', name: c }, trips] }) });
  out.push({ k: 'assign', name, value: end });
  return out;
}

/**
 * A loop `while (i op bound) { ...; i += step }` entered with i = start, for integers: how many
 * times it runs (none when the test fails at once, NaN included) and the value i ends with.
 */
export function countingClosedForm(op: '<' | '<=' | '>' | '>=', step: 1 | -1, start: GExpr, bound: GExpr): { trips: GExpr; end: GExpr } {
  const p = (o: 'add' | 'sub', a: GExpr, b: GExpr): GExpr => fold({ k: 'prim', op: o, args: [a, b] });
  const inclusive = op === '<=' || op === '>=';
  let count = step === 1 ? p('sub', bound, start) : p('sub', start, bound);
  if (inclusive) count = p('add', count, num(1));
  const last = inclusive ? p(step === 1 ? 'add' : 'sub', bound, num(1)) : bound;
  const test: GExpr = fold({ k: 'compare', op, a: start, b: bound });
  return { trips: fold({ k: 'cond', test, then: count, else: num(0) }), end: fold({ k: 'cond', test, then: last, else: start }) };
}

/** How many times each name is read, over the whole function. */
function readCounts(body: GStmt[]): Map<string, number> {
  const counts = new Map<string, number>();
  const count = (e: GExpr): void => {
    const names: string[] = [];
    mapExpr(e, (x) => {
      if (x.k === 'var') names.push(x.name);
      else if (x.k === 'index' || x.k === 'length' || x.k === 'copy') names.push(x.array);
      return x;
    });
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  };
  walkStmts(body, (s) => {
    for (const e of stmtExprs(s)) count(e);
    if (s.k === 'setIndex') counts.set(s.array, (counts.get(s.array) ?? 0) + 1);
  });
  return counts;
}

/** `c = test; if (c) ...` with c generated and read only there becomes `if (test) ...`. */
function inlineTests(input: GStmt[], reads: Map<string, number>, primal: Set<string>): GStmt[] {
  const list = input.slice();
  const out: GStmt[] = [];
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    const next = list[i + 1];
    if (s.k === 'assign' && s.pair === undefined && !primal.has(s.name) && reads.get(s.name) === 1 && next?.k === 'if' &&
        next.test.k === 'var' && next.test.name === s.name && s.value.k !== 'pop') {
      list[i + 1] = { ...next, test: s.value };
      continue;
    }
    if (s.k === 'if') out.push({ ...s, then: inlineTests(s.then, reads, primal), else: inlineTests(s.else, reads, primal) });
    else if (s.k === 'while') out.push({ ...s, body: inlineTests(s.body, reads, primal) });
    else out.push(s);
  }
  return out;
}

/** Drops `grad of` comments whose block turned out empty. */
function cleanComments(list: GStmt[]): GStmt[] {
  const out: GStmt[] = [];
  list.forEach((s, i) => {
    if (s.k === 'comment') {
      const next = list[i + 1];
      if (!next || next.k === 'comment' || next.k === 'return') return;
      out.push(s);
    } else if (s.k === 'if') out.push({ ...s, then: cleanComments(s.then), else: cleanComments(s.else) });
    else if (s.k === 'while') out.push({ ...s, body: cleanComments(s.body) });
    else out.push(s);
  });
  return out;
}

function text(body: GStmt[]): string {
  const out: string[] = [];
  printStmts(body, '', out);
  return out.join('\n');
}

export interface OptimizeResult {
  fn: GFunction;
  /** Rounds until the text stopped changing. */
  rounds: number;
}

/** Runs every pass until the printed code stops changing. */
export function optimize(fn: GFunction, maxRounds = 100): OptimizeResult {
  let body = fn.body;
  let before = text(body);
  let rounds = 0;
  while (rounds < maxRounds) {
    rounds++;
    body = propagate(body, new Map(), fn.primal).list;
    body = mergeAccumulations(body);
    body = guardAccumulations(body);
    const ctx: DceContext = { privateArrays: privateArrays(fn, body), deadPairs: new Set() };
    body = dce(body, new Set(), ctx);
    if (ctx.deadPairs.size) body = removePairs(body, ctx.deadPairs);
    body = closedFormLoops(body);
    body = inlineTests(body, readCounts(body), fn.primal);
    body = cleanComments(body);
    const after = text(body);
    if (after === before) break;
    before = after;
  }
  return { fn: { ...fn, body }, rounds };
}
