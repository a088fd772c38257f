// The 40-digit reference at points where a naive implementation loses digits or breaks
// JavaScript's conventions. Expected values are from mpmath at 50 digits (quoted) or by hand.

import { describe, expect, it } from 'vitest';
import { DECIMAL_PRIMS, decimalOf } from '../../src/reference/decimal-algebra.ts';
import { prepare, runGradient, type GradResponse } from '../../src/run.ts';
import { PRIMITIVES } from '../../src/ir/primitives.ts';
import { RULES } from '../../src/rules/table.ts';

const d = (x: number) => decimalOf(x);

describe('decimal primitives', () => {
  it('expm1 and log1p keep their digits near 0', () => {
    // mpmath: expm1(1e-20) = 1.00000000000000000000500000000000000000001667e-20
    expect(DECIMAL_PRIMS.expm1(d(1e-20)).toNumber()).toBe(1.0000000000000000000050e-20);
    // mpmath: log1p(-1e-18) = -1.0000000000000000005e-18 (to 20 digits)
    expect(DECIMAL_PRIMS.log1p(d(-1e-18)).toNumber()).toBe(-1.0000000000000000005e-18);
    // mpmath: expm1(2) = 6.389056098930650227230427...
    expect(DECIMAL_PRIMS.expm1(d(2)).toNumber()).toBe(6.38905609893065);
  });
  it('follows JavaScript for round and %', () => {
    expect(DECIMAL_PRIMS.round(d(-2.5)).toNumber()).toBe(-2); // Math.round(-2.5) === -2
    expect(DECIMAL_PRIMS.round(d(2.5)).toNumber()).toBe(3);
    expect(DECIMAL_PRIMS.mod(d(-7), d(3)).toNumber()).toBe(-1); // -7 % 3 === -1 in JavaScript
    expect(DECIMAL_PRIMS.mod(d(7), d(-3)).toNumber()).toBe(1);
  });
  it('agrees with the float implementation to double precision at ordinary points', () => {
    const args: Record<number, number[]> = { 1: [0.37], 2: [0.37, 1.9] };
    for (const op of PRIMITIVES) {
      const rule = RULES[op];
      const a = op === 'acosh' ? [1.7] : args[rule.arity];
      const exact = DECIMAL_PRIMS[op](...a.map(d)).toNumber();
      const float = rule.float(...a);
      const err = exact === 0 ? Math.abs(float) : Math.abs(float - exact) / Math.abs(exact);
      expect(err, op).toBeLessThan(4e-16);
    }
  });
  it('takes a double at its exact binary value', () => {
    // 0.1 is 0.1000000000000000055511151231257827021181583404541015625 exactly.
    expect(decimalOf(0.1).toFixed(55)).toBe('0.1000000000000000055511151231257827021181583404541015625');
  });
});

describe('the reference gradient', () => {
  it('is exact where floats cancel: d/dx (1 - cos x) / x^2 at x = 1e-5', () => {
    // By series: f = 1/2 - x^2/24 + x^4/720 - ..., so f'(x) = -x/12 + x^3/180 - ... = -8.33333333327777...e-7
    const r = prepare('function f(x) { return (1 - Math.cos(x)) / x ** 2; }', { x: 1e-5 });
    expect(Math.abs(r.reference.gradient.x as number - (-1e-5 / 12 + 1e-15 / 180))).toBeLessThan(1e-20);
  });
  it('applies the kink conventions: abs at 0 gives 0, max at a tie takes the first argument', () => {
    expect(prepare('function f(x) { return Math.abs(x); }', { x: 0 }).reference.gradient.x).toBe(0);
    expect(prepare('function f(x, y) { return Math.max(x, y); }', { x: 1, y: 1 }).reference.gradient).toEqual({ x: 1, y: 0 });
    expect(prepare('function f(x, y) { return Math.min(x, y); }', { x: 1, y: 1 }).reference.gradient).toEqual({ x: 1, y: 0 });
  });
});

describe('where rounding takes f down another path than the reference', () => {
  const source = 'function f(x) {\n  return (x + 1) - 1 < x ? 2 * x : 3 * x;\n}';

  it('names the test: at x = 1e-17, (x + 1) - 1 is 0 in doubles but exactly x', () => {
    const r = runGradient({ source, at: { x: 1e-17 }, engines: ['reverse'] }) as GradResponse;
    // In doubles 1e-17 + 1 rounds to 1, so the test holds and f = 2x; exactly it does not, and f = 3x.
    expect(r.value).toBe(2e-17);
    expect(r.reference.gradient.x).toBe(3);
    expect(r.engines.reverse.ok && r.engines.reverse.gradient.x).toBe(2);
    expect(r.reference.note).toMatch(/rounding decides a branch at this point: line 2, column 10, x \+ 1 - 1 < x, is true in floating point .* and false in exact arithmetic/);
  });

  it('finds it after many decisions taken both ways (the float run keeps one bit each, 32 to a word)', () => {
    // 70 loop tests (69 true, then false) and 69 if tests (true every third time), the same in
    // both runs; then the test rounding decides, decision 140, in the fifth word of bits.
    const long = [
      'function f(x) {',
      '  let s = 0;',
      '  for (let i = 0; i < 69; i++) {',
      '    if (i % 3 < 1) { s = s + x; } else { s = s - x; }',
      '  }',
      '  return (x + 1) - 1 < x ? s + 2 * x : s + 3 * x;',
      '}',
    ].join('\n');
    const r = runGradient({ source: long, at: { x: 1e-17 }, engines: [] }) as GradResponse;
    expect(r.reference.note).toMatch(/rounding decides a branch at this point: line 6, column 10, x \+ 1 - 1 < x, is true in floating point/);
    // By hand: 23 additions and 46 subtractions of x, then 3x on the exact path.
    expect(r.reference.gradient.x).toBe(-20);
    expect((runGradient({ source: long, at: { x: 0.5 }, engines: [] }) as GradResponse).reference.note).toBeUndefined();
  });

  it('says nothing where both take the same path', () => {
    const r = runGradient({ source, at: { x: 0.5 }, engines: [] }) as GradResponse;
    expect(r.reference.gradient.x).toBe(3);
    expect(r.reference.note).toBeUndefined();
  });
});
