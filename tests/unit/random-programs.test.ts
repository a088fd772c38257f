// Functions nobody wrote by hand: fast-check builds random programs in the language (nested
// expressions over numbers and an array, loops over the array, nested loops, ifs, ternaries,
// while loops with data-dependent trip counts, break, continue, early returns, local arrays,
// element writes, helpers that call helpers and write into arrays) and random points. Reverse
// mode (its generated code, which gives its value, and its tape, which must agree with it),
// forward mode and symbolic differentiation must each match the 40-digit reference gradient. The
// grammar keeps every operation in its domain (log of 2 + sin, division by 2 + e², sqrt of
// 1 + e²), so that a failure is a wrong derivative, not a NaN. A program whose gradient is huge
// (a loop that squares its running sum) is ill-conditioned in doubles, and a point where rounding
// decides a branch the other way than exact arithmetic has a reference for another path: neither
// is compared. A second property does the same for formulas in mathjs syntax (expression mode),
// with numeric's complex step held to 1e-9 beside them. The runs are seeded: a failure prints its
// program and point, shrunk.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runGradient, type GradResponse } from '../../src/run.ts';
import { flattenGradient, type Gradient } from '../../src/point.ts';
import { tapeAdjoints } from './fixtures/tape-adjoints.ts';

const ARRAY_LENGTH = 4;

/** An expression as source text; `index` is the loop counter when inside the array loop. */
function expression(index: string | null): fc.Arbitrary<string> {
  const leaves: fc.Arbitrary<string>[] = [
    fc.constantFrom('x', 'y', 's'),
    fc.integer({ min: 0, max: ARRAY_LENGTH - 1 }).map((k) => `a[${k}]`),
    fc.constantFrom('0.5', '2', '3', '1.25'),
  ];
  if (index) leaves.push(fc.constant(`a[${index}]`));
  const { e } = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(...leaves),
      tie('e').map((a) => `Math.sin(${a})`),
      tie('e').map((a) => `Math.cos(${a})`),
      tie('e').map((a) => `Math.tanh(${a})`),
      tie('e').map((a) => `Math.exp(Math.sin(${a}))`),
      tie('e').map((a) => `Math.sqrt(1 + ${a} * ${a})`),
      tie('e').map((a) => `Math.log(2 + Math.sin(${a}))`),
      tie('e').map((a) => `Math.abs(${a})`),
      tie('e').map((a) => `(${a}) ** 2`),
      tie('e').map((a) => `-(${a})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} + ${b})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} - ${b})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} * ${b})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} / (2 + ${b} * ${b}))`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `Math.max(${a}, ${b})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `Math.min(${a}, ${b})`),
      fc.tuple(tie('e'), tie('e'), tie('e'), tie('e')).map(([a, b, c, d]) => `(${a} > ${b} ? ${c} : ${d})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `h(${a}, ${b})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `Math.atan2(${a}, 1 + ${b} * ${b})`),
      tie('e').map((a) => `Math.hypot(${a}, 1)`),
      tie('e').map((a) => `Math.pow(${a}, 3)`),
      tie('e').map((a) => `(${a}) % 1.5`),
    ),
  }));
  return e.filter((text) => text.length < 400);
}

/** One statement of f's body (s is the running result, every statement may read and change it). */
const statement: fc.Arbitrary<string> = fc.oneof(
  expression(null).map((e) => `s += ${e};`),
  expression(null).map((e) => `s = ${e};`),
  expression('i').map((e) => `for (let i = 0; i < a.length; i++) {\n    s += ${e};\n  }`),
  expression('i').map((e) => `for (let i = a.length - 1; i >= 1; i--) {\n    s = 0.5 * s + ${e};\n  }`),
  fc.tuple(expression(null), expression(null), expression(null)).map(([t, u, w]) => `if (${t} > 0.3) {\n    s += ${u};\n  } else {\n    s *= ${w};\n  }`),
  expression(null).map((e) => `let k = 0;\n  while (k < 3) {\n    s = Math.sin(s + ${e});\n    k++;\n  }`),
  fc.tuple(fc.integer({ min: 0, max: ARRAY_LENGTH - 1 }), expression(null)).map(([k, e]) => `a[${k}] = ${e};`),
  expression('i').map((e) => `for (let i = 1; i < a.length; i++) {\n    if (a[i] > a[i - 1]) {\n      s += ${e};\n    }\n  }`),
  // Jumps: break, continue and an early return.
  fc.tuple(expression('i'), expression('i')).map(([t, e]) => `for (let i = 0; i < a.length; i++) {\n    if (${t} > 1) {\n      break;\n    }\n    s += ${e};\n  }`),
  expression('i').map((e) => `for (let i = 0; i < a.length; i++) {\n    if (a[i] < 0) {\n      continue;\n    }\n    s = s * 0.75 + ${e};\n  }`),
  expression(null).map((e) => `if (s > 1.5) {\n    return s * ${e};\n  }`),
  // Nested loops, and local arrays: a literal and a filled array with an element write.
  expression('j').map((e) => `for (let i = 0; i < a.length; i++) {\n    for (let j = 0; j < i; j++) {\n      s += 0.25 * ${e.replaceAll('a[j]', 'a[j] * a[i]')};\n    }\n  }`),
  fc.tuple(expression(null), expression(null)).map(([e, w]) => `const b$ = [${e}, s, ${w}];\n  s = b$[0] * b$[1] + b$[2];`),
  expression(null).map((e) => `const c$ = new Array(3).fill(${e});\n  c$[1] = s * 2;\n  s += c$[0] * c$[1] + c$[2];`),
  // A trip count that depends on the data, a stride of 2, element writes in a loop, a helper
  // that writes into the array it is given and calls another helper.
  expression(null).map((e) => `let m$ = 0;\n  while (m$ < a.length && s < 4) {\n    s += Math.abs(${e}) + 0.1;\n    m$++;\n  }`),
  expression('i').map((e) => `for (let i = 0; i < a.length; i += 2) {\n    s += ${e};\n  }`),
  expression('i').map((e) => `for (let i = 0; i < a.length; i++) {\n    a[i] = a[i] * 0.5 + Math.sin(${e});\n  }`),
  expression(null).map((e) => `s += g(a, ${e});`),
);

/** A whole program: f(x, y, a) with two helpers and two to four statements, each with its own local names. */
const program: fc.Arbitrary<string> = fc.array(statement, { minLength: 2, maxLength: 4 })
  .map((body) => body.map((text, n) => text.replaceAll('$', String(n)).replace(/\bk\b/g, `k${n}`)))
  .map((body) => [
    'function h(u, v) {',
    '  return u * Math.sin(v) + v;',
    '}',
    'function g(v, t) {',
    '  v[1] = v[1] + h(t, v[0]);',
    '  return v[1] * t;',
    '}',
    'function f(x, y, a) {',
    '  let s = x * y + a[0];',
    ...body.map((b) => `  ${b}`),
    '  return s;',
    '}',
  ].join('\n'));

const coordinate = fc.double({ min: -2, max: 2, noNaN: true }).map((v) => Math.round(v * 1000) / 1000);
const point = fc.record({ x: coordinate, y: coordinate, a: fc.array(coordinate, { minLength: ARRAY_LENGTH, maxLength: ARRAY_LENGTH }) });

/**
 * The largest difference from the reference over the gradient, relative to the gradient's largest
 * entry (and at least 1): entries much smaller than the rest carry the others' rounding.
 */
function scaledError(actual: Gradient, reference: Gradient, wrt: string[]): number {
  const got = flattenGradient(actual, wrt);
  const want = flattenGradient(reference, wrt);
  const scale = Math.max(1, ...want.map(Math.abs));
  return Math.max(...want.map((w, i) => Math.abs(got[i] - w) / scale));
}

const TOLERANCE = 1e-10;
/** Gradients larger than this (with inputs and values of order 1) are not compared (see the property). */
const ILL_CONDITIONED = 1e5;

describe('random programs against the 40-digit reference', () => {
  it('reverse (generated code and tape), forward and symbolic agree with it', () => {
    let checked = 0;
    let parted = 0;
    fc.assert(
      fc.property(program, point, (source, at) => {
        const r = runGradient({ source, at, engines: ['reverse', 'forward', 'symbolic'], options: { forward: { measure: false }, reverse: { measure: false } } });
        if ('error' in r) throw new Error(`${r.error.kind}: ${r.error.message}\n${source}`);
        const response = r as GradResponse;
        if (!Number.isFinite(response.value)) return; // out of the grammar's intent (overflow): nothing to compare
        // A gradient this large means f is ill-conditioned at the point (cos of a cubed running
        // sum, sin of a sum near 1e24): doubles lose its derivative's digits in f's own
        // intermediate values, and every engine is then right only to their rounding.
        const size = Math.max(...flattenGradient(response.reference.gradient, response.wrt).map(Math.abs));
        if (!(size <= ILL_CONDITIONED)) return;
        // Rounding decided a branch differently from exact arithmetic (the response says where):
        // the reference is the gradient of another path.
        if (response.reference.note) { parted++; return; }
        for (const id of ['reverse', 'forward', 'symbolic']) {
          const result = response.engines[id];
          // Symbolic may refuse a derivative that swells past its budget; it must say so.
          if (!result.ok) {
            expect(id === 'symbolic' && result.error.kind === 'budget', `${id} failed: ${result.error.message}\n${source}`).toBe(true);
            continue;
          }
          const error = scaledError(result.gradient, response.reference.gradient, response.wrt);
          expect(error, `${id} at ${JSON.stringify(at)}\n${source}`).toBeLessThanOrEqual(TOLERANCE);
          if (id === 'reverse') {
            // Its tape view's note says when the two views disagree.
            expect(result.notes.join(' '), source).not.toMatch(/disagree/);
          }
        }
        checked++;
      }),
      { seed: 20261130, numRuns: 100, endOnFailure: true },
    );
    expect(checked).toBeGreaterThan(80);
    expect(parted).toBeLessThan(10);
  });
});

describe('random programs on the tape', () => {
  // The fast sweep (no reached flags, adjoints handed down expression chains in a variable) must
  // give the exact sweep's adjoints on programs nobody chose. Where the output does not reach an
  // input, the fast sweep may leave it ±0 or NaN (runTape then takes the exact sweep); every other
  // adjoint must be the exact one bit for bit.
  it("its fast sweep gives the exact sweep's adjoints bit for bit", () => {
    let compared = 0;
    fc.assert(
      fc.property(program, point, (source, at) => {
        const exact = tapeAdjoints(source, at, false);
        const fast = tapeAdjoints(source, at, true);
        exact.forEach((g, i) => {
          if (g === 0 || Number.isNaN(g) || Number.isNaN(fast[i])) return;
          compared++;
          expect(fast[i], `input ${i} at ${JSON.stringify(at)}\n${source}`).toBe(g);
        });
      }),
      { seed: 20261201, numRuns: 150, endOnFailure: true },
    );
    // Random programs use some of their six inputs: the comparison above is not vacuous.
    expect(compared).toBeGreaterThan(300);
  });
});

/** A formula in mathjs syntax (expression mode) over x and y. */
const formula: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.constantFrom('x', 'y'), fc.constantFrom('0.5', '2', '3')),
    tie('e').map((a) => `sin(${a})`),
    tie('e').map((a) => `cos(${a})`),
    tie('e').map((a) => `tanh(${a})`),
    tie('e').map((a) => `exp(sin(${a}))`),
    tie('e').map((a) => `sqrt(1 + (${a})^2)`),
    tie('e').map((a) => `log(2 + sin(${a}))`),
    tie('e').map((a) => `abs(${a})`),
    tie('e').map((a) => `(${a})^3`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} - ${b})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} * ${b}`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} / (2 + (${b})^2)`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `max(${a}, ${b})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `atan2(${a}, 1 + (${b})^2)`),
  ),
})).e.filter((text) => /\bx\b/.test(text) && /\by\b/.test(text) && text.length < 300);

describe('random formulas (expression mode) against the 40-digit reference', () => {
  it('every engine that differentiates agrees with it, numeric by the complex step included', () => {
    let checked = 0;
    fc.assert(
      fc.property(formula, coordinate, coordinate, (source, x, y) => {
        const r = runGradient({ source, at: { x, y }, engines: ['reverse', 'forward', 'symbolic', 'numeric'], options: { forward: { measure: false }, reverse: { measure: false }, numeric: { method: 'complex-step' } } });
        if ('error' in r) throw new Error(`${r.error.kind}: ${r.error.message}\n${source}`);
        const response = r as GradResponse;
        expect(response.mode).toBe('expression');
        const size = Math.max(...flattenGradient(response.reference.gradient, response.wrt).map(Math.abs));
        if (!Number.isFinite(response.value) || !(size <= ILL_CONDITIONED) || response.reference.note) return;
        for (const id of ['reverse', 'forward', 'symbolic', 'numeric']) {
          const result = response.engines[id];
          if (!result.ok) {
            expect(id === 'symbolic' && result.error.kind === 'budget', `${id} failed: ${result.error.message}\n${source}`).toBe(true);
            continue;
          }
          // The complex step passes abs and max through their real parts: at a kink it takes a
          // side, not the convention, so a formula at a kink is not held to it.
          if (id === 'numeric' && result.notes.some((n) => /kink/.test(n))) continue;
          expect(scaledError(result.gradient, response.reference.gradient, response.wrt), `${id} at (${x}, ${y}): ${source}`).toBeLessThanOrEqual(id === 'numeric' ? 1e-9 : TOLERANCE);
        }
        checked++;
      }),
      { seed: 20261130, numRuns: 100, endOnFailure: true },
    );
    expect(checked).toBeGreaterThan(80);
  });
});

describe('random text and random points', () => {
  const tokens = ['function', 'f', '(', ')', '{', '}', 'x', 'y', 'a', 'return', ';', '+', '-', '*', '/', '**', '=', 'let', 'const', 'for', 'while', 'if', 'else', '<', '>', '?', ':', '[', ']', ',', '.', 'length', 'Math', 'sin', 'exp', '1', '0', '2.5', '1e308', 'NaN', 'Infinity', 'true', 'new', 'Array', 'fill', 'break', 'continue', '++', '--', '+=', '"s"', "'", '`', '\\', '\n', '=>', 'this', 'window', 'eval', '^', '!', '&&', '||', '%', 'var', 'class', 'import', '#', '@'];
  const text = fc.array(fc.constantFrom(...tokens), { maxLength: 40 }).map((t) => t.join(' '));
  const anyPoint = fc.oneof(fc.jsonValue(), fc.record({ x: fc.oneof(fc.double(), fc.array(fc.double(), { maxLength: 5 }), fc.string()), y: fc.double(), a: fc.array(fc.double(), { maxLength: 4 }) }));
  const sources = fc.oneof(text, fc.constantFrom('function f(x) { return x * x; }', 'function f(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }', 'x^2 + y', 'function f(x, y) { return x / y; }'));

  it('never throw: every problem comes back as an error with a kind and a message, and the response is JSON', () => {
    fc.assert(
      fc.property(sources, anyPoint, (source, at) => {
        const r = runGradient({ source, at, options: { forward: { measure: false }, reverse: { measure: false } } });
        if ('error' in r) {
          expect(typeof r.error.kind).toBe('string');
          expect(r.error.message.length).toBeGreaterThan(10);
          return;
        }
        for (const result of Object.values(r.engines)) if (!result.ok) expect(result.error.message.length).toBeGreaterThan(10);
        expect(() => JSON.stringify(r)).not.toThrow();
      }),
      { seed: 20261130, numRuns: 300 },
    );
  });
});
