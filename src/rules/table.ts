// The rules table: the single source of truth for every primitive. For each one it holds the
// float implementation, the local partial derivatives (from which every engine builds its tangent
// rule, dy = sum_i dy/dx_i * dx_i, and its adjoint rule, bx_i += by * dy/dx_i), how to write it in
// JavaScript, mathjs syntax and LaTeX, and the convention at points where it is not differentiable.
// `RULES` is typed `{ [P in Primitive]: Rule }`, so a primitive without a rule does not compile.

import type { Primitive } from '../ir/primitives.ts';
import { ops, type Field } from './field.ts';

/** How an operation is written: as an infix operator, a prefix operator or a function call. */
export type Notation =
  | { kind: 'infix'; op: string; prec: number; rightAssoc?: boolean }
  | { kind: 'prefix'; op: string; prec: number }
  | { kind: 'call'; name: string }
  /** A template; `argPrec[i]` is the least precedence argument i may have without parentheses. */
  | { kind: 'template'; prec: number; argPrec: number[]; format: (args: string[]) => string };

/** Precedence levels shared by every printer. */
export const PREC = { cond: 0, add: 1, mul: 2, neg: 3, pow: 4, atom: 5 } as const;

export interface Rule {
  /** Number of arguments; Math.max/min/hypot with more are lowered to nested binary calls. */
  arity: 1 | 2;
  float: (...a: number[]) => number;
  /**
   * Local partials dy/dx_i, given the arguments x and the result y, over any Field.
   * Engines skip a partial whose argument carries no derivative, so a partial that is NaN where
   * it is never needed (d(a ** 2)/d2 at a < 0) does no harm.
   */
  partials: <V>(f: Field<V>, x: V[], y: V) => V[];
  js: Notation;
  mathjs: Notation;
  latex: Notation;
  /** Where the derivative does not exist, and what ddx takes there. */
  kink?: { at: (...x: number[]) => boolean; convention: string };
  /** Holomorphic, so that the complex step is exact through it. */
  analytic: boolean;
}

const call = (name: string): Notation => ({ kind: 'call', name });
const infix = (op: string, prec: number, rightAssoc = false): Notation => ({ kind: 'infix', op, prec, rightAssoc });
const tex = (prec: number, argPrec: number[], format: (a: string[]) => string): Notation => ({ kind: 'template', prec, argPrec, format });
const texFn = (name: string) => tex(PREC.atom, [0], ([a]) => `${name}\\left(${a}\\right)`);
const texFn2 = (name: string) => tex(PREC.atom, [0, 0], ([a, b]) => `${name}\\left(${a}, ${b}\\right)`);
const zero = <V>(f: Field<V>) => [f.constant(0)];
const isInteger = (a: number) => Number.isInteger(a);

export const RULES: { [P in Primitive]: Rule } = {
  // d(a + b) = da + db
  add: { arity: 2, float: (a, b) => a + b, partials: (f) => [f.constant(1), f.constant(1)], js: infix('+', PREC.add), mathjs: infix('+', PREC.add), latex: infix('+', PREC.add), analytic: true },
  // d(a - b) = da - db
  sub: { arity: 2, float: (a, b) => a - b, partials: (f) => [f.constant(1), f.constant(-1)], js: infix('-', PREC.add), mathjs: infix('-', PREC.add), latex: infix('-', PREC.add), analytic: true },
  // d(a * b) = b da + a db
  mul: { arity: 2, float: (a, b) => a * b, partials: (_f, [a, b]) => [b, a], js: infix('*', PREC.mul), mathjs: infix('*', PREC.mul), latex: infix('\\cdot', PREC.mul), analytic: true },
  // d(a / b) = da / b - (a / b) db / b
  div: {
    arity: 2, float: (a, b) => a / b,
    partials: (f, [, b], y) => { const o = ops(f); return [o.div(o.c(1), b), o.neg(o.div(y, b))]; },
    js: infix('/', PREC.mul), mathjs: infix('/', PREC.mul),
    latex: tex(PREC.atom, [0, 0], ([a, b]) => `\\frac{${a}}{${b}}`), analytic: true,
  },
  // d(-a) = -da
  neg: { arity: 1, float: (a) => -a, partials: (f) => [f.constant(-1)], js: { kind: 'prefix', op: '-', prec: PREC.neg }, mathjs: { kind: 'prefix', op: '-', prec: PREC.neg }, latex: { kind: 'prefix', op: '-', prec: PREC.neg }, analytic: true },
  // d(a ** b) = b a^(b-1) da + a^b ln(a) db
  pow: {
    arity: 2, float: (a, b) => a ** b,
    partials: (f, [a, b], y) => { const o = ops(f); return [o.mul(b, o.p('pow', a, o.sub(b, o.c(1)))), o.mul(y, o.p('log', a))]; },
    js: infix('**', PREC.pow, true), mathjs: infix('^', PREC.pow, true),
    latex: tex(PREC.pow, [PREC.atom, 0], ([a, b]) => `{${a}}^{${b}}`),
    kink: { at: (a, b) => a === 0 && b < 1, convention: 'a ** b at a = 0 with b < 1 has no finite derivative' },
    analytic: true,
  },
  // d(a % b) = da - trunc(a / b) db   (JavaScript's % truncates)
  mod: {
    arity: 2, float: (a, b) => a % b,
    partials: (f, [a, b]) => { const o = ops(f); return [o.c(1), o.neg(o.p('trunc', o.div(a, b)))]; },
    js: infix('%', PREC.mul),
    // mathjs's % is floored and JavaScript's truncates, so spell the remainder out with fix().
    mathjs: tex(PREC.add, [PREC.mul + 1, PREC.mul + 1], ([a, b]) => `${a} - ${b} * fix(${a} / ${b})`),
    latex: tex(PREC.mul, [PREC.mul + 1, PREC.mul + 1], ([a, b]) => `${a} \\bmod ${b}`),
    kink: { at: (a, b) => isInteger(a / b), convention: 'a % b jumps where a / b is an integer; ddx takes the one-sided slope 1' },
    analytic: false,
  },
  // d sin a = cos a da
  sin: { arity: 1, float: Math.sin, partials: (f, [a]) => [f.prim('cos', [a])], js: call('Math.sin'), mathjs: call('sin'), latex: texFn('\\sin'), analytic: true },
  // d cos a = -sin a da
  cos: { arity: 1, float: Math.cos, partials: (f, [a]) => { const o = ops(f); return [o.neg(o.p('sin', a))]; }, js: call('Math.cos'), mathjs: call('cos'), latex: texFn('\\cos'), analytic: true },
  // d tan a = (1 + tan^2 a) da
  tan: { arity: 1, float: Math.tan, partials: (f, _x, y) => { const o = ops(f); return [o.add(o.c(1), o.sq(y))]; }, js: call('Math.tan'), mathjs: call('tan'), latex: texFn('\\tan'), analytic: true },
  // d asin a = da / sqrt(1 - a^2)
  asin: { arity: 1, float: Math.asin, partials: (f, [a]) => { const o = ops(f); return [o.div(o.c(1), o.p('sqrt', o.sub(o.c(1), o.sq(a))))]; }, js: call('Math.asin'), mathjs: call('asin'), latex: texFn('\\arcsin'), analytic: true },
  // d acos a = -da / sqrt(1 - a^2)
  acos: { arity: 1, float: Math.acos, partials: (f, [a]) => { const o = ops(f); return [o.neg(o.div(o.c(1), o.p('sqrt', o.sub(o.c(1), o.sq(a)))))]; }, js: call('Math.acos'), mathjs: call('acos'), latex: texFn('\\arccos'), analytic: true },
  // d atan a = da / (1 + a^2)
  atan: { arity: 1, float: Math.atan, partials: (f, [a]) => { const o = ops(f); return [o.div(o.c(1), o.add(o.c(1), o.sq(a)))]; }, js: call('Math.atan'), mathjs: call('atan'), latex: texFn('\\arctan'), analytic: true },
  // d atan2(a, b) = (b da - a db) / (a^2 + b^2)
  atan2: {
    arity: 2, float: Math.atan2,
    partials: (f, [a, b]) => { const o = ops(f); const r2 = o.add(o.sq(a), o.sq(b)); return [o.div(b, r2), o.neg(o.div(a, r2))]; },
    js: call('Math.atan2'), mathjs: call('atan2'),
    latex: tex(PREC.atom, [0, 0], ([a, b]) => `\\operatorname{atan2}\\left(${a}, ${b}\\right)`),
    kink: { at: (a, b) => a === 0 && b <= 0, convention: 'atan2 is discontinuous along the negative b axis and undefined at the origin' },
    analytic: true,
  },
  // d sinh a = cosh a da
  sinh: { arity: 1, float: Math.sinh, partials: (f, [a]) => [f.prim('cosh', [a])], js: call('Math.sinh'), mathjs: call('sinh'), latex: texFn('\\sinh'), analytic: true },
  // d cosh a = sinh a da
  cosh: { arity: 1, float: Math.cosh, partials: (f, [a]) => [f.prim('sinh', [a])], js: call('Math.cosh'), mathjs: call('cosh'), latex: texFn('\\cosh'), analytic: true },
  // d tanh a = (1 - tanh^2 a) da
  tanh: { arity: 1, float: Math.tanh, partials: (f, _x, y) => { const o = ops(f); return [o.sub(o.c(1), o.sq(y))]; }, js: call('Math.tanh'), mathjs: call('tanh'), latex: texFn('\\tanh'), analytic: true },
  // d asinh a = da / sqrt(a^2 + 1)
  asinh: { arity: 1, float: Math.asinh, partials: (f, [a]) => { const o = ops(f); return [o.div(o.c(1), o.p('sqrt', o.add(o.sq(a), o.c(1))))]; }, js: call('Math.asinh'), mathjs: call('asinh'), latex: texFn('\\operatorname{arsinh}'), analytic: true },
  // d acosh a = da / (sqrt(a - 1) sqrt(a + 1))
  acosh: { arity: 1, float: Math.acosh, partials: (f, [a]) => { const o = ops(f); return [o.div(o.c(1), o.mul(o.p('sqrt', o.sub(a, o.c(1))), o.p('sqrt', o.add(a, o.c(1)))))]; }, js: call('Math.acosh'), mathjs: call('acosh'), latex: texFn('\\operatorname{arcosh}'), analytic: true },
  // d atanh a = da / (1 - a^2)
  atanh: { arity: 1, float: Math.atanh, partials: (f, [a]) => { const o = ops(f); return [o.div(o.c(1), o.sub(o.c(1), o.sq(a)))]; }, js: call('Math.atanh'), mathjs: call('atanh'), latex: texFn('\\operatorname{artanh}'), analytic: true },
  // d exp a = exp a da
  exp: { arity: 1, float: Math.exp, partials: (_f, _x, y) => [y], js: call('Math.exp'), mathjs: call('exp'), latex: tex(PREC.pow, [0], ([a]) => `e^{${a}}`), analytic: true },
  // d expm1 a = exp a da = (expm1 a + 1) da
  expm1: { arity: 1, float: Math.expm1, partials: (f, _x, y) => { const o = ops(f); return [o.add(y, o.c(1))]; }, js: call('Math.expm1'), mathjs: call('expm1'), latex: tex(PREC.add, [0], ([a]) => `e^{${a}} - 1`), analytic: true },
  // d ln a = da / a
  log: { arity: 1, float: Math.log, partials: (f, [a]) => { const o = ops(f); return [o.div(o.c(1), a)]; }, js: call('Math.log'), mathjs: call('log'), latex: texFn('\\ln'), analytic: true },
  // d ln(1 + a) = da / (1 + a)
  log1p: { arity: 1, float: Math.log1p, partials: (f, [a]) => { const o = ops(f); return [o.div(o.c(1), o.add(o.c(1), a))]; }, js: call('Math.log1p'), mathjs: call('log1p'), latex: tex(PREC.atom, [PREC.add], ([a]) => `\\ln\\left(1 + ${a}\\right)`), analytic: true },
  // d log2 a = da / (a ln 2)
  log2: { arity: 1, float: Math.log2, partials: (f, [a]) => { const o = ops(f); return [o.div(o.c(1), o.mul(a, o.c(Math.LN2)))]; }, js: call('Math.log2'), mathjs: call('log2'), latex: texFn('\\log_{2}'), analytic: true },
  // d log10 a = da / (a ln 10)
  log10: { arity: 1, float: Math.log10, partials: (f, [a]) => { const o = ops(f); return [o.div(o.c(1), o.mul(a, o.c(Math.LN10)))]; }, js: call('Math.log10'), mathjs: call('log10'), latex: texFn('\\log_{10}'), analytic: true },
  // d sqrt a = da / (2 sqrt a)
  sqrt: {
    arity: 1, float: Math.sqrt, partials: (f, _x, y) => { const o = ops(f); return [o.div(o.c(0.5), y)]; },
    js: call('Math.sqrt'), mathjs: call('sqrt'), latex: tex(PREC.atom, [0], ([a]) => `\\sqrt{${a}}`),
    kink: { at: (a) => a === 0, convention: 'sqrt has an infinite slope at 0' }, analytic: true,
  },
  // d cbrt a = da / (3 cbrt(a)^2)
  cbrt: {
    arity: 1, float: Math.cbrt, partials: (f, _x, y) => { const o = ops(f); return [o.div(o.c(1), o.mul(o.c(3), o.sq(y)))]; },
    js: call('Math.cbrt'), mathjs: call('cbrt'), latex: tex(PREC.atom, [0], ([a]) => `\\sqrt[3]{${a}}`),
    kink: { at: (a) => a === 0, convention: 'cbrt has an infinite slope at 0' }, analytic: true,
  },
  // d |a| = sign(a) da, taken as 0 at a = 0
  abs: {
    arity: 1, float: Math.abs, partials: (f, [a]) => [f.prim('sign', [a])],
    js: call('Math.abs'), mathjs: call('abs'), latex: tex(PREC.atom, [0], ([a]) => `\\left|${a}\\right|`),
    kink: { at: (a) => a === 0, convention: "abs'(0) is taken as 0 (the sign of 0)" }, analytic: false,
  },
  // d max(a, b) = [a >= b] da + [a < b] db; a tie takes the first argument
  max: {
    arity: 2, float: Math.max,
    partials: (f, [a, b]) => { const o = ops(f); const first = o.ge(a, b); return [first, o.sub(o.c(1), first)]; },
    js: call('Math.max'), mathjs: call('max'), latex: texFn2('\\max'),
    kink: { at: (a, b) => a === b, convention: 'at a tie max takes the derivative of its first argument' }, analytic: false,
  },
  // d min(a, b) = [a <= b] da + [a > b] db; a tie takes the first argument
  min: {
    arity: 2, float: Math.min,
    partials: (f, [a, b]) => { const o = ops(f); const first = o.ge(b, a); return [first, o.sub(o.c(1), first)]; },
    js: call('Math.min'), mathjs: call('min'), latex: texFn2('\\min'),
    kink: { at: (a, b) => a === b, convention: 'at a tie min takes the derivative of its first argument' }, analytic: false,
  },
  // d hypot(a, b) = (a da + b db) / hypot(a, b)
  hypot: {
    arity: 2, float: Math.hypot,
    partials: (f, [a, b], y) => { const o = ops(f); return [o.div(a, y), o.div(b, y)]; },
    js: call('Math.hypot'), mathjs: call('hypot'),
    latex: tex(PREC.atom, [0, 0], ([a, b]) => `\\operatorname{hypot}\\left(${a}, ${b}\\right)`),
    kink: { at: (a, b) => a === 0 && b === 0, convention: 'hypot has no derivative at the origin' }, analytic: true,
  },
  // sign, floor, ceil, round, trunc are piecewise constant: derivative 0 (none at their jumps)
  sign: { arity: 1, float: Math.sign, partials: zero, js: call('Math.sign'), mathjs: call('sign'), latex: texFn('\\operatorname{sign}'), kink: { at: (a) => a === 0, convention: 'sign jumps at 0; ddx takes 0' }, analytic: false },
  floor: { arity: 1, float: Math.floor, partials: zero, js: call('Math.floor'), mathjs: call('floor'), latex: tex(PREC.atom, [0], ([a]) => `\\left\\lfloor ${a} \\right\\rfloor`), kink: { at: isInteger, convention: 'floor jumps at integers; ddx takes 0' }, analytic: false },
  ceil: { arity: 1, float: Math.ceil, partials: zero, js: call('Math.ceil'), mathjs: call('ceil'), latex: tex(PREC.atom, [0], ([a]) => `\\left\\lceil ${a} \\right\\rceil`), kink: { at: isInteger, convention: 'ceil jumps at integers; ddx takes 0' }, analytic: false },
  round: { arity: 1, float: Math.round, partials: zero, js: call('Math.round'), mathjs: call('round'), latex: texFn('\\operatorname{round}'), kink: { at: (a) => isInteger(a - 0.5), convention: 'round jumps at half-integers; ddx takes 0' }, analytic: false },
  trunc: { arity: 1, float: Math.trunc, partials: zero, js: call('Math.trunc'), mathjs: call('fix'), latex: texFn('\\operatorname{trunc}'), kink: { at: (a) => isInteger(a) && a !== 0, convention: 'trunc jumps at nonzero integers; ddx takes 0' }, analytic: false },
};
