// A Field over IR expressions that folds as it builds, so the rules table's partials come out as
// the short expressions a person would write (2 * x * dx, not 2 * x ** (2 - 1) * 1 * dx). The
// forward-mode generator builds every tangent expression through it.
//
// Folds that change IEEE results are limited to x * 0 -> 0 and 0 / x -> 0 (they differ only when
// x is infinite or NaN, where a tangent means nothing anyway); the rest are exact, and constant
// subexpressions are evaluated with the rules table's own float implementation.

import type { Expr } from '../ir/types.ts';
import type { Primitive } from '../ir/primitives.ts';
import type { Field } from '../rules/field.ts';
import { RULES } from '../rules/table.ts';

export const num = (value: number): Expr => ({ k: 'num', value });
export const v = (name: string): Expr => ({ k: 'var', name });

const isNum = (e: Expr, c?: number): boolean => e.k === 'num' && (c === undefined || e.value === c);
export const isZero = (e: Expr) => isNum(e, 0);

/** Structural equality, ignoring source locations. */
export function sameExpr(a: Expr, b: Expr): boolean {
  const strip = (_k: string, x: unknown) => (_k === 'loc' ? undefined : x);
  return a === b || JSON.stringify(a, strip) === JSON.stringify(b, strip);
}

/** `test ? a : b`, folded when both sides agree. */
export function cond(test: Expr, a: Expr, b: Expr): Expr {
  return sameExpr(a, b) ? a : { k: 'cond', test, then: a, else: b };
}

type Cond = Extract<Expr, { k: 'cond' }>;
const isSelector = (e: Expr): e is Cond => e.k === 'cond' && e.then.k === 'num' && e.else.k === 'num';

/** Builds `op(args)`, folded. */
export function mk(op: Primitive, args: Expr[]): Expr {
  // 1 / c stays as written, so that (1 / c) * t can become t / c below.
  if (op === 'div' && isNum(args[0], 1) && args[1].k === 'num' && args[1].value !== 1) return { k: 'prim', op, args };
  if (args.every((a) => a.k === 'num')) {
    return num(RULES[op].float(...args.map((a) => (a as { value: number }).value)));
  }
  const [a, b] = args;
  // max/min partials are selectors (a >= b ? 1 : 0): push arithmetic into them, so the tangent of
  // Math.max(a, b) reads `a >= b ? da : db` instead of a sum of products with 0 and 1.
  if (op === 'mul' && isSelector(a)) return cond(a.test, mk('mul', [a.then, b]), mk('mul', [a.else, b]));
  if (op === 'mul' && isSelector(b)) return cond(b.test, mk('mul', [a, b.then]), mk('mul', [a, b.else]));
  if ((op === 'add' || op === 'sub') && a.k === 'num' && isSelector(b)) return cond(b.test, mk(op, [a, b.then]), mk(op, [a, b.else]));
  if ((op === 'add' || op === 'sub') && a.k === 'cond' && b.k === 'cond' && sameExpr(a.test, b.test)) {
    return cond(a.test, mk(op, [a.then, b.then]), mk(op, [a.else, b.else]));
  }
  switch (op) {
    case 'add':
      if (isZero(a)) return b;
      if (isZero(b)) return a;
      if (b.k === 'prim' && b.op === 'neg') return mk('sub', [a, b.args[0]]);
      break;
    case 'sub':
      if (isZero(b)) return a;
      if (isZero(a)) return mk('neg', [b]);
      if (b.k === 'prim' && b.op === 'neg') return mk('add', [a, b.args[0]]);
      break;
    case 'mul':
      if (isZero(a) || isZero(b)) return num(0);
      if (isNum(a, 1)) return b;
      if (isNum(b, 1)) return a;
      if (isNum(a, -1)) return mk('neg', [b]);
      if (isNum(b, -1)) return mk('neg', [a]);
      // (p / q) * t reads better as p * t / q: `dx / x`, `0.5 * dx / y`.
      if (a.k === 'prim' && a.op === 'div') return mk('div', [mk('mul', [a.args[0], b]), a.args[1]]);
      // y * (3 * dx) reads better as 3 * y * dx.
      if (a.k !== 'num' && b.k === 'prim' && b.op === 'mul' && b.args[0].k === 'num') return mk('mul', [mk('mul', [b.args[0], a]), b.args[1]]);
      // -p * t: pull the sign out front, so sums turn it into a subtraction.
      if (a.k === 'prim' && a.op === 'neg') return mk('neg', [mk('mul', [a.args[0], b])]);
      if (b.k === 'prim' && b.op === 'neg') return mk('neg', [mk('mul', [a, b.args[0]])]);
      break;
    case 'div':
      if (isZero(a)) return num(0);
      if (isNum(b, 1)) return a;
      if (a.k === 'prim' && a.op === 'neg') return mk('neg', [mk('div', [a.args[0], b])]);
      break;
    case 'neg':
      if (a.k === 'prim' && a.op === 'neg') return a.args[0];
      break;
    case 'pow':
      if (isNum(b, 1)) return a;
      break;
  }
  return { k: 'prim', op, args };
}

/** The folding Field: what the rules table's partials are evaluated over to write tangent code. */
export const exprField: Field<Expr> = {
  constant: num,
  prim: mk,
  ge: (a, b) => (a.k === 'num' && b.k === 'num' ? num(a.value >= b.value ? 1 : 0) : cond({ k: 'compare', op: '>=', a, b }, num(1), num(0))),
};
