// The user's derivative as a formula, for LaTeX beside ddx's: the returned expression with every
// local (const/let, reassignments included) substituted, and if/else turned into cases. Loops
// have no closed formula here: for them, and for formulas that grow too large, there is none.

import type { Expr, Fn, Stmt } from '../../ir/types.ts';
import { children } from './walk.ts';

/** Substituted formulas larger than this many nodes are not shown. */
const MAX_NODES = 400;

class TooComplex extends Error {}

/**
 * The result of `fn` as an expression over its parameters (renamed by `rename`), or null when
 * it has loops or grows too large. Element reads `x[2]` become the symbol `x_2`.
 */
export function formulaOf(fn: Fn, rename: Record<string, string> = {}): Expr | null {
  const arrays = new Set(fn.params.filter((p) => p.type === 'arr').map((p) => p.name));
  try {
    const env = new Map<string, Expr>();
    for (const p of fn.params) env.set(p.name, { k: 'var', name: rename[p.name] ?? p.name });
    const result = straightLine(fn.body, env);
    if (!result) return null;
    return elementSymbols(result, new Set([...arrays].map((a) => rename[a] ?? a)));
  } catch (err) {
    if (err instanceof TooComplex) return null;
    throw err;
  }
}

/** The formula's entries when it is an array (a literal, or new Array(n).fill(v) of known n). */
export function entriesOf(e: Expr, length: number): Expr[] | null {
  if (e.k === 'array') return e.elements.length === length ? e.elements : null;
  if (e.k === 'fill') return new Array<Expr>(length).fill(e.value);
  if (e.k === 'cond') {
    const a = entriesOf(e.then, length);
    const b = entriesOf(e.else, length);
    return a && b ? a.map((x, i) => ({ k: 'cond', test: e.test, then: x, else: b[i] })) : null;
  }
  return null;
}

/** Runs a statement list symbolically; returns the returned expression, or null when it falls off the end. */
function straightLine(list: Stmt[], env: Map<string, Expr>): Expr | null {
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    switch (s.k) {
      case 'let': env.set(s.name, subst(s.init, env)); break;
      case 'assign': env.set(s.name, subst(s.value, env)); break;
      case 'setIndex': {
        const array = env.get(s.name);
        const index = subst(s.index, env);
        if (array?.k !== 'array' || index.k !== 'num' || !Number.isInteger(index.value) || index.value < 0 || index.value >= array.elements.length) throw new TooComplex();
        const elements = array.elements.slice();
        elements[index.value] = subst(s.value, env);
        env.set(s.name, { k: 'array', elements });
        break;
      }
      case 'if': {
        // The rest of the list runs after either branch: each branch gets its own copy of it.
        const rest = list.slice(i + 1);
        const test = subst(s.test, env);
        const a = straightLine([...s.then, ...rest], new Map(env));
        const b = straightLine([...s.else, ...rest], new Map(env));
        if (!a || !b) return null;
        return sized({ k: 'cond', test, then: a, else: b });
      }
      case 'return': return sized(subst(s.value, env));
      case 'loop': case 'break': case 'continue': throw new TooComplex();
    }
  }
  return null;
}

function subst(e: Expr, env: Map<string, Expr>): Expr {
  if (e.k === 'var') return env.get(e.name) ?? e;
  const out = mapChildren(e, (c) => subst(c, env));
  // Reading a constant element of an array literal is the element itself.
  if (out.k === 'index' && out.array.k === 'array' && out.index.k === 'num') {
    const element = out.array.elements[out.index.value];
    if (element) return element;
  }
  if (out.k === 'length' && out.array.k === 'array') return { k: 'num', value: out.array.elements.length };
  return sized(out);
}

function elementSymbols(e: Expr, arrays: Set<string>): Expr {
  if (e.k === 'index' && e.array.k === 'var' && arrays.has(e.array.name) && e.index.k === 'num' && Number.isInteger(e.index.value)) {
    return { k: 'var', name: `${e.array.name}_${e.index.value}` };
  }
  return mapChildren(e, (c) => elementSymbols(c, arrays));
}

function sized(e: Expr): Expr {
  if (size(e) > MAX_NODES) throw new TooComplex();
  return e;
}

function size(e: Expr): number {
  let n = 1;
  for (const c of children(e)) {
    n += size(c);
    if (n > MAX_NODES) return n;
  }
  return n;
}

function mapChildren(e: Expr, f: (c: Expr) => Expr): Expr {
  switch (e.k) {
    case 'num': case 'var': return e;
    case 'prim': return { ...e, args: e.args.map(f) };
    case 'compare': case 'logic': return { ...e, a: f(e.a), b: f(e.b) };
    case 'not': return { ...e, a: f(e.a) };
    case 'cond': return { ...e, test: f(e.test), then: f(e.then), else: f(e.else) };
    case 'call': return { ...e, args: e.args.map(f) };
    case 'index': return { ...e, array: f(e.array), index: f(e.index) };
    case 'length': return { ...e, array: f(e.array) };
    case 'array': return { ...e, elements: e.elements.map(f) };
    case 'fill': return { ...e, length: f(e.length), value: f(e.value) };
  }
}
