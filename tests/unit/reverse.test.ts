// Reverse mode against the outside reference: the generated gradient source (tangent's way) and
// the tape (autograd's way), over every corpus function and point, to 1e-12 relative (1e-14
// absolute at 0); the generated source pinned by snapshots; the options (wrt, preserveResult,
// seed); the source running on its own; the tape's exported shape; and constructs the corpus does
// not cover (calls in tests, rebound arrays, aliases, helpers writing arrays) against values
// derived by hand and against central differences through the gradient checker.

import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { corpus, gradientError, relativeError } from './corpus.ts';
import { parseProgram } from '../../src/lang/parse.ts';
import { generateGradient, type GradientOptions } from '../../src/codegen/reverse.ts';
import { runTape } from '../../src/engines/reverse/tape-view.ts';
import { reverseEngine } from '../../src/engines/reverse/index.ts';
import { engineById } from '../../src/engines/registry.ts';
import { isError, prepare, runGradient, type GradResponse } from '../../src/run.ts';
import { checkGrads, engineMode } from '../../src/check/check-grads.ts';
import type { Gradient, Point } from '../../src/point.ts';
import type { TapeView } from '../../src/engines/reverse/tape-view.ts';
import { RULES } from '../../src/rules/table.ts';
import type { Primitive } from '../../src/ir/primitives.ts';
import { foundationTape, ZERO_ADJOINT_CASES, type At } from './fixtures/zero-adjoints.ts';

/** Corpus entries a view of reverse mode is known to get wrong, with the reason; each must still fail. */
const GAPS: Record<string, { view: 'generated' | 'tape'; reason: string }> = {};

/** The generated function run on fresh copies of the point, its return value as a Gradient. */
function generated(source: string, at: At, options: GradientOptions = {}) {
  const program = parseProgram(source);
  const gen = generateGradient(program, options);
  const params = program.functions[program.main].params.map((p) => p.name);
  const args = params.map((n) => (Array.isArray(at[n]) ? (at[n] as number[]).slice() : at[n]));
  const returned = gen.fn(...args);
  const list = (options.preserveResult ? (returned as unknown[])[1] : returned) as unknown[];
  const gradient: Gradient = {};
  gen.wrt.forEach((name, i) => { gradient[name] = typeof list[i] === 'number' ? (list[i] as number) : Array.from(list[i] as ArrayLike<number>); });
  return { gen, gradient, returned, args };
}

function tape(source: string, at: At, wrt?: string[]) {
  const program = parseProgram(source);
  return runTape(program, at as Point, wrt ?? program.functions[program.main].params.map((p) => p.name));
}

const withoutComments = (source: string) => source.replace(/\/\/.*$/gm, '');
const blog = 'function f(x, y) {\n  return x ** 2 + 3 * x * y + y ** 2;\n}';
const entry = (name: string) => corpus.find((e) => e.name === name)!;

describe('reverse mode on the corpus (generated source and tape)', () => {
  for (const e of corpus) {
    if (e.name in GAPS) continue;
    it(e.name, () => {
      for (const p of e.points) {
        expect(gradientError(generated(e.source, p.at).gradient, p.gradient), `generated code at ${JSON.stringify(p.at)}`).toBeLessThanOrEqual(1e-12);
        expect(gradientError(tape(e.source, p.at).gradient, p.gradient), `tape at ${JSON.stringify(p.at)}`).toBeLessThanOrEqual(1e-12);
      }
    });
  }

  for (const [name, gap] of Object.entries(GAPS)) {
    it(`known gap ${name} (${gap.view}) still fails: ${gap.reason}`, () => {
      const e = entry(name);
      const worst = Math.max(...e.points.map((p) => gradientError((gap.view === 'tape' ? tape(e.source, p.at) : generated(e.source, p.at)).gradient, p.gradient)));
      expect(worst).toBeGreaterThan(1e-12);
    });
  }
});

describe('generated source, pinned', () => {
  it("tangent's x ** 2 reads as plainly as tangent's ddfdx, and gives 4 at x = 2", () => {
    const { gen, gradient } = generated('function f(x) {\n  const z = x ** 2;\n  return z;\n}', { x: 2 });
    expect(gen.optimized).toMatchInlineSnapshot(`
      "function dfdx(x, bz = 1) {
        // grad of: z = x ** 2
        const bx = 2 * x * bz;
        return [bx];
      }"
    `);
    expect(gradient).toEqual({ x: 4 });
  });

  it("the blog's x**2 + 3*x*y + y**2: 7 and 8 at (2, 1), 8 and 7 at (1, 2)", () => {
    const { gen, gradient } = generated(blog, { x: 2, y: 1 });
    expect(gen.optimized).toMatchInlineSnapshot(`
      "function dfdxy(x, y, bf = 1) {
        // grad of: f = x ** 2 + 3 * x * y + y ** 2
        const bx = 2 * x * bf + 3 * (y * bf);
        const by = 3 * x * bf + 2 * y * bf;
        return [bx, by];
      }"
    `);
    expect(gradient).toEqual({ x: 7, y: 8 });
    expect(generated(blog, { x: 1, y: 2 }).gradient).toEqual({ x: 8, y: 7 });
  });

  it('a loop with a branch: decisions on the stack, the counter undone, the loop-local value recomputed', () => {
    const e = entry('loop_with_branch');
    const { gen } = generated(e.source, e.points[0].at);
    expect(e.source).toMatchInlineSnapshot(`
      "function f(x) {
        let s = 0;
        for (let i = 0; i < 8; i++) {
          const t = x + i * 0.7;
          if (Math.sin(t) > 0) {
            s += t * t;
          } else {
            s -= Math.cos(t);
          }
        }
        return s;
      }"
    `);
    expect(gen.optimized).toMatchInlineSnapshot(`
      "function dfdx(x, bs = 1) {
        // values saved by the forward sweep for the adjoint sweep, last in first out
        const stack = [];
        let top = 0;
        let i = 0;
        for (; i < 8; i++) {
          const t = x + i * 0.7;
          const cond = Math.sin(t) > 0;
          stack[top++] = cond ? 1 : 0;
        }
        let bx = 0;
        // grad of: for (; i < 8; i++)
        for (i = 7; i >= 0; i--) {
          const t = x + i * 0.7;
          // grad of: if (Math.sin(t) > 0)
          const cond = stack[--top];
          let bt = 0;
          if (cond) {
            // grad of: s += t * t
            bt = t * bs + t * bs;
          } else {
            // grad of: s -= Math.cos(t)
            bt = Math.sin(t) * bs;
          }
          // grad of: t = x + i * 0.7
          bx += bt;
        }
        return [bx];
      }"
    `);
  });

  it('the raw stage is the transformation before optimization, and also runs', () => {
    const { gen } = generated('function f(x) {\n  const z = x ** 2;\n  return z;\n}', { x: 2 });
    expect(gen.raw).toMatchInlineSnapshot(`
      "function dfdx(x, bz = 1) {
        const z = x ** 2;
        let bx = 0;
        // grad of: z = x ** 2
        bx += 2 * x * bz;
        bz = 0;
        return [bx];
      }"
    `);
    const raw = new Function(`${gen.raw}\nreturn ${gen.name};`)() as (x: number) => number[];
    expect(raw(2)).toEqual([4]);
  });

  it('expression mode gives the same function as the JavaScript it stands for', () => {
    expect(generateGradient(parseProgram('x^2 + 3*x*y + y^2')).optimized).toBe(generateGradient(parseProgram(blog)).optimized);
  });
});

describe('options', () => {
  it('wrt: the post\'s tangent.grad(fun) at (4, 1) gives 11, and wrt y at (0, 5) gives 10', () => {
    const x = generated(blog, { x: 4, y: 1 }, { wrt: ['x'] });
    expect(x.gen.name).toBe('dfdx');
    expect(x.gradient).toEqual({ x: 11 });
    expect(x.returned).toEqual([11]);
    const y = generated(blog, { x: 0, y: 5 }, { wrt: ['y'] });
    expect(y.gen.name).toBe('dfdy');
    expect(y.gradient).toEqual({ y: 10 });
  });

  it('wrt: a subset of parameters comes back in parameter order, matching the corpus', () => {
    const e = entry('linear_three_params');
    for (const p of e.points) {
      const { gradient } = generated(e.source, p.at, { wrt: ['z', 'x'] });
      expect(Object.keys(gradient)).toEqual(['x', 'z']);
      expect(gradientError(gradient, { x: p.gradient.x, z: p.gradient.z })).toBeLessThanOrEqual(1e-12);
    }
  });

  it('preserveResult returns [value, gradient], the value matching the corpus', () => {
    for (const name of ['rosenbrock_array', 'early_return_in_loop', 'softmax_helper_returns_array', 'tangent_overwrite_param']) {
      const e = entry(name);
      for (const p of e.points) {
        const { returned, gradient } = generated(e.source, p.at, { preserveResult: true });
        const [value, list] = returned as [number, unknown[]];
        expect(Array.isArray(list)).toBe(true);
        expect(relativeError(value, p.value), `${name} value`).toBeLessThanOrEqual(1e-12);
        expect(gradientError(gradient, p.gradient), `${name} gradient`).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('the seed (the output adjoint) scales the gradient, as a default or as an argument', () => {
    const e = entry('tanh_mlp');
    const p = e.points[0];
    const scaled = (g: Gradient, k: number) => Object.fromEntries(Object.entries(g).map(([n, v]) => [n, Array.isArray(v) ? v.map((x) => x * k) : v * k]));
    const { gradient } = generated(e.source, p.at, { seed: 2.5 });
    expect(gradientError(gradient, scaled(p.gradient, 2.5) as Record<string, number | number[]>)).toBeLessThanOrEqual(1e-12);
    const { gen } = generated(e.source, p.at);
    expect(gen.params).toEqual(['w', 'x', 'bf']);
    const [bw] = gen.fn((p.at.w as number[]).slice(), (p.at.x as number[]).slice(), -3) as ArrayLike<number>[];
    expect(gradientError({ w: Array.from(bw) }, { w: (p.gradient.w as number[]).map((g) => -3 * g) })).toBeLessThanOrEqual(1e-12);
  });
});

describe('the generated source stands on its own', () => {
  it('runs in a fresh JavaScript context with nothing but the language built-ins', () => {
    for (const name of ['rosenbrock_array', 'tanh_mlp', 'bubble_sort_weighted_sum', 'helper_calls_helper', 'array_loop_continue_break', 'softmax_helper_returns_array']) {
      const e = entry(name);
      const p = e.points[0];
      const gen = generateGradient(parseProgram(e.source));
      expect(gen.optimized).not.toMatch(/\b(import|require|ddx|globalThis|window|self)\b/);
      const args = e.params.map((n) => JSON.stringify(p.at[n])).join(', ');
      const result = vm.runInNewContext(`${gen.optimized}\n${gen.name}(${args}).map((g) => typeof g === 'number' ? g : Array.from(g));`, {}) as (number | number[])[];
      const gradient = Object.fromEntries(e.params.map((n, i) => [n, result[i]]));
      expect(gradientError(gradient, p.gradient), name).toBeLessThanOrEqual(1e-12);
    }
  });

  it("leaves the caller's arrays as they were, though f writes into its parameter", () => {
    const e = entry('array_param_element_write');
    const p = e.points[0];
    const { args, gradient } = generated(e.source, p.at);
    expect(args).toEqual(e.params.map((n) => p.at[n]));
    expect(gradientError(gradient, p.gradient)).toBeLessThanOrEqual(1e-12);
  });

  it('Rosenbrock over an array: one loop (the adjoint one), no stack, one allocation (the gradient)', () => {
    const code = withoutComments(generateGradient(parseProgram(entry('rosenbrock_array').source)).optimized);
    expect(code).not.toMatch(/push|pop|stack/);
    expect(code.match(/new /g)).toEqual(['new ']);
    expect(code.match(/\b(for|while) \(/g)).toEqual(['for (']);
  });

  it("the corpus MLP saves only what its adjoint needs, each unit's tanh, and computes tanh once", () => {
    const e = entry('tanh_mlp');
    const code = withoutComments(generateGradient(parseProgram(e.source)).optimized);
    expect(code.match(/stack\[top\+\+\] = [^;]*/g)).toEqual(['stack[top++] = h[j]']);
    expect(code.match(/Math\.tanh/g)).toHaveLength(1);
  });

  it("a user's names never collide with generated ones (bx, push, stack, cond, trips, f)", () => {
    const source = `function f(x) {
  const bx = x * 2;
  let push = bx + 1;
  let stack = 0;
  for (let trips = 0; trips < 2; trips++) {
    const cond = push > 0 ? 1 : 0;
    if (cond > 0) { stack = stack + push * x; }
  }
  return stack;
}`;
    // stack = 2 (2x + 1) x, so d/dx = 8x + 2.
    for (const x of [0.5, 1.5]) {
      expect(generated(source, { x }).gradient.x).toBeCloseTo(8 * x + 2, 12);
      expect(tape(source, { x }).gradient.x).toBeCloseTo(8 * x + 2, 12);
    }
  });
});

describe('counting loops in the adjoint sweep', () => {
  it('run back with one counter, up or down, with inclusive bounds, and not at all when the start passes the bound', () => {
    const cases: [string, number, number, string][] = [
      ['function f(x) { let s = 0; for (let i = 5; i > 0; i--) { s += x * i * i; } return s; }', 1.5, 55, 'for (let i = 1; i <= 5; i++)'],
      ['function f(x) { let s = 0; for (let i = 5; i >= 2; i--) { s += x * i; } return s; }', 1.5, 14, 'for (let i = 2; i <= 5; i++)'],
      ['function f(x) { let s = 0; for (let i = 2; i <= 4; i++) { s += Math.sin(x * i); } return s; }', 0.3, 2 * Math.cos(0.6) + 3 * Math.cos(0.9) + 4 * Math.cos(1.2), 'for (let i = 4; i >= 2; i--)'],
      ['function f(x) { let s = x; for (let i = 7; i < 3; i++) { s += x * i; } return s; }', 2, 1, 'for (let i = 2; i >= 7; i--)'],
    ];
    for (const [source, x, expected, head] of cases) {
      const { gen, gradient } = generated(source, { x });
      expect(gradient.x, source).toBeCloseTo(expected, 13);
      expect(gen.optimized, source).toContain(head);
    }
    // The step in the middle of the body: the trip count is kept beside the counter.
    const middle = generated('function f(x) { let s = 0; let i = 0; while (i < 4) { i++; s += x * i; } return s; }', { x: 2 });
    expect(middle.gradient.x).toBe(10);
    expect(middle.gen.optimized).toContain('trips');
  });
});

describe('room on the stack before a long counting loop', () => {
  const logsumexp = `function logsumexp(a) {
  let m = a[0];
  for (let i = 1; i < a.length; i++) { m = Math.max(m, a[i]); }
  let s = 0;
  for (let i = 0; i < a.length; i++) { s += Math.exp(a[i] - m); }
  return m + Math.log(s);
}`;
  /** d/da_i logsumexp(a) = exp(a_i) / sum_j exp(a_j): softmax, worked out by hand. */
  const softmax = (a: number[]) => {
    const m = Math.max(...a);
    const e = a.map((x) => Math.exp(x - m));
    const s = e.reduce((p, q) => p + q, 0);
    return e.map((x) => x / s);
  };

  it('logsumexp over 3000 entries: room made for each loop, and the gradient is softmax', () => {
    const a = Array.from({ length: 3000 }, (_, i) => Math.sin(0.37 * i) * 3);
    const { gen, gradient } = generated(logsumexp, { a });
    expect(gen.optimized).toContain('if (top + (a.length - 1) > stack.length) stack.length = top + (a.length - 1);');
    const expected = softmax(a);
    expect(gradientError(gradient, { a: expected })).toBeLessThanOrEqual(1e-12);
  });

  it("adds max's adjoint into an element only where max took that element, and ties go to the first argument", () => {
    const { gen } = generated(logsumexp, { a: [1, 2, 3] });
    expect(gen.optimized).toMatch(/if \(!\(m >= a\[i\]\)\) \{\n\s*ba\[i\] \+= _bm;\n\s*\}/);
    // At a tie for the maximum (a[1] = a[2]) the gradient is still softmax: m's own adjoint, 1
    // minus the shares, is 0 up to rounding, whichever element the tie convention sends it to.
    const at = { a: [0.5, 2, 2, -1] };
    const { gradient } = generated(logsumexp, at);
    expect(gradientError(gradient, { a: softmax(at.a) })).toBeLessThanOrEqual(1e-15);
    expect(gradientError(gradient, prepare(logsumexp, at).reference.gradient)).toBeLessThanOrEqual(1e-15);
  });

  it('makes none for a short loop of fixed length, and the room for a loop that never runs is none', () => {
    expect(generated('function f(x) { let s = 0; for (let i = 0; i < 8; i++) { s = Math.sin(s + x); } return s; }', { x: 0.5 }).gen.optimized).not.toContain('stack.length');
    // Starting past its bound, the loop saves nothing; the count (a.length - 5) is negative.
    const skipped = 'function f(a) { let s = 0; for (let i = 5; i < a.length; i++) { s = Math.sin(s + a[i]); } return s + a[0] * a[1]; }';
    const { gen, gradient } = generated(skipped, { a: [2, 3, 4] });
    expect(gen.optimized).toContain('stack.length');
    expect(gradient.a).toEqual([3, 2, 0]);
  });

  it('makes no room for a bound that is NaN, and the loop runs no times, as f does', () => {
    // Math.floor(Math.sqrt(-1)) is NaN: i < NaN is false at once, so f = 1 + x and df/dx = 1.
    const source = 'function f(x) { let s = 1; const n = Math.floor(Math.sqrt(x)); for (let i = 0; i < n; i++) { s = Math.sin(s * x); } return s + x; }';
    const { gen, gradient } = generated(source, { x: -1 });
    expect(gen.optimized).toContain('if (top + n > stack.length) stack.length = top + n;');
    expect(gradient.x).toBe(1);
  });

  it('nested counting loops each make their own room, and the saved values come back in order', () => {
    // Each inner step overwrites s, so each saves it.
    const nested = `function f(x) {
  let s = 0;
  for (let r = 0; r < x.length; r++) {
    s = s * 0.5;
    for (let c = 0; c < x.length; c++) { s = Math.sin(s + x[r] * x[c]); }
  }
  return s;
}`;
    const x = Array.from({ length: 40 }, (_, i) => 0.3 + 0.01 * i);
    const { gen, gradient } = generated(nested, { x });
    // Only the inner loop saves values: its room is made once per row.
    expect(gen.optimized.match(/stack\.length = /g)).toHaveLength(1);
    expect(gen.optimized).toMatch(/s \*= 0\.5;\n.*\n\s*if \(top \+ x\.length > stack\.length\) stack\.length = top \+ x\.length;/);
    // Against central differences on f itself, through the gradient checker's own arithmetic.
    const f = (xs: number[]) => {
      let s = 0;
      for (let r = 0; r < xs.length; r++) { s *= 0.5; for (let c = 0; c < xs.length; c++) s = Math.sin(s + xs[r] * xs[c]); }
      return s;
    };
    for (const k of [0, 17, 39]) {
      const h = 1e-6;
      const up = x.slice(); up[k] += h;
      const down = x.slice(); down[k] -= h;
      expect((gradient.x as number[])[k]).toBeCloseTo((f(up) - f(down)) / (2 * h), 7);
    }
  });
});

describe('values the adjoint loop recomputes instead of saving', () => {
  it('a recomputed value that reads another recomputed value waits for it (found by the random-program test)', () => {
    // u is recomputed in the adjoint iteration once s is restored; h reads u, so h cannot be
    // recomputed at the top of the iteration, where u still holds the next iteration's value.
    const source = `function f(x, a) {
  let s = x + a[0];
  let k = 0;
  while (k < 3) {
    const u = Math.max(s * 2, 0.5);
    const h = u * a[1] + 1;
    s = Math.sin(s + h);
    k++;
  }
  return s;
}`;
    for (const at of [{ x: 0.4, a: [0.2, 0.7] }, { x: -0.3, a: [0.9, -0.4] }]) {
      const reference = prepare(source, at).reference.gradient;
      expect(gradientError(generated(source, at).gradient, reference), JSON.stringify(at)).toBeLessThanOrEqual(1e-12);
    }
  });
});

describe('constructs beyond the corpus, against derivatives worked out by hand', () => {
  const cases: { what: string; source: string; at: At; expected: Gradient }[] = [
    {
      what: 'a helper call in a while test',
      source: 'function h(t) { return t * t; }\nfunction f(x) { let s = 0; let i = 0; while (h(i) < 10) { s += x * i; i++; } return s; }',
      at: { x: 1.3 }, expected: { x: 6 }, // i = 0..3, s = 6x
    },
    {
      what: 'a helper call in a ternary branch',
      source: 'function g(t) { return Math.sin(t); }\nfunction f(x) { return x > 0 ? g(x) * x : x; }',
      at: { x: 1 }, expected: { x: Math.sin(1) + Math.cos(1) },
    },
    {
      what: 'a helper call on the right of &&, evaluated only when the left holds',
      source: 'function sq(t) { return t * t; }\nfunction f(x) { let r = x; if (x > 0 && sq(x) > 2) { r = x * x * x; } return r; }',
      at: { x: 2 }, expected: { x: 12 },
    },
    {
      what: 'an array literal declared inside a loop',
      source: 'function f(x) { let s = 0; for (let i = 0; i < 3; i++) { const v = [x * i, x + i]; s += v[0] * v[1]; } return s; }',
      at: { x: 0.7 }, expected: { x: 6 * 0.7 + 5 }, // s = 3x^2 + 5x
    },
    {
      what: 'a helper writing into the array it is given',
      source: 'function scale(a, k) { for (let i = 0; i < a.length; i++) { a[i] = a[i] * k; } return 0; }\nfunction f(a, x) { const b = [a[0], a[1]]; const z = scale(b, x); return b[0] * b[1] + z; }',
      at: { a: [2, 3], x: 1.5 }, expected: { a: [3 * 2.25, 2 * 2.25], x: 2 * 2 * 3 * 1.5 }, // a0 a1 x^2
    },
    {
      what: 'a write through an alias of a parameter',
      source: 'function f(a, x) { const b = a; b[1] = x * b[0]; return a[1] * a[0]; }',
      at: { a: [2, 7], x: 3 }, expected: { a: [12, 0], x: 4 }, // x a0^2
    },
    {
      what: 'new Array(n).fill(v) with v depending on x',
      source: 'function f(x) { const v = new Array(3).fill(x * x); v[1] = x; return v[0] + v[1] * v[2]; }',
      at: { x: 1.5 }, expected: { x: 3 + 3 * 2.25 }, // x^2 + x^3
    },
    {
      what: 'a return from a nested loop inside a helper',
      source: 'function first(a, t) { for (let i = 0; i < a.length; i++) { for (let j = 0; j < 2; j++) { if (a[i] * j > t) { return a[i] * j * t; } } } return t; }\nfunction f(a, t) { return first(a, t); }',
      at: { a: [1, 2, 3], t: 2.5 }, expected: { a: [0, 0, 2.5], t: 3 }, // returns a[2] * t
    },
    {
      what: 'continue and break in the branches of one if',
      source: 'function f(x) { let s = 0; for (let i = 0; i < 10; i++) { if (i % 2 === 0) { if (i > 5) { break; } else { continue; } } s += x ** i; } return s; }',
      at: { x: 1.1 }, expected: { x: 1 + 3 * 1.1 ** 2 + 5 * 1.1 ** 4 }, // x + x^3 + x^5
    },
    {
      what: 'an array variable rebound in a loop to a literal that reads it',
      source: 'function f(x) { let v = [x, 1]; for (let i = 0; i < 3; i++) { v = [v[0] * x, v[1] + v[0]]; } return v[1]; }',
      at: { x: 0.5 }, expected: { x: 1 + 2 * 0.5 + 3 * 0.25 }, // 1 + x + x^2 + x^3
    },
    {
      what: 'a loop counter used after a break',
      source: 'function f(x) { let k = 0; let p = 1; while (k < 10) { p = p * x; if (p > 5) { break; } k++; } return p * k; }',
      at: { x: 2 }, expected: { x: 3 * 4 * 2 }, // breaks at p = 8 with k = 2: f = 2 x^3
    },
  ];

  for (const c of cases) {
    it(c.what, () => {
      expect(gradientError(generated(c.source, c.at).gradient, c.expected as Record<string, number | number[]>), 'generated').toBeLessThanOrEqual(1e-12);
      expect(gradientError(tape(c.source, c.at).gradient, c.expected as Record<string, number | number[]>), 'tape').toBeLessThanOrEqual(1e-12);
    });
  }

  it('the gradient checker finds the engine in agreement with central differences on these', () => {
    for (const c of cases) {
      const ctx = prepare(c.source, c.at).context({});
      const report = checkGrads(ctx.program, c.at, { modes: [engineMode(reverseEngine, ctx)] });
      expect(report.failures, c.what).toEqual([]);
    }
  });
});

describe('the engine', () => {
  const run = (source: string, at: At, options: Record<string, unknown> = {}) => {
    const response = runGradient({ source, at, engines: ['reverse'], options: { reverse: options } });
    if (isError(response)) throw new Error(response.error.message);
    return (response as GradResponse).engines.reverse;
  };

  it('is registered as reverse, between the symbolic and forward cards', () => {
    expect(engineById('reverse')).toBe(reverseEngine);
  });

  it('reports the gradient from the generated code, both stages, the tape, and its costs', () => {
    const r = run(entry('loop_with_branch').source, { x: 0.3 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.max_rel_error).toBeLessThanOrEqual(1e-12);
    const stages = r.stages as { raw: string; optimized: string };
    expect(r.source).toBe(stages.optimized);
    expect(stages.raw).not.toBe(stages.optimized);
    expect(r.cost).toMatchObject({ sweeps: 2, forward_sweeps: 1, backward_sweeps: 1, lines: r.source!.split('\n').length });
    expect(r.cost.raw_lines as number).toBeGreaterThan(r.cost.lines as number);
    expect(r.cost.tape_length).toBe((r.tape as TapeView).length);
    expect(r.notes.join(' ')).toMatch(/path taken/);
  });

  it('names a ternary\'s decision among the path taken, as it does an if\'s', () => {
    const source = 'function f(x, y) {\n  const a = x > y ? x * y : x + y;\n  return a * a;\n}';
    const above = run(source, { x: 2, y: 1 });
    // d/dx (xy)^2 = 2 x y^2 = 4 at (2, 1); below the diagonal, d/dx (x + y)^2 = 2 (x + y) = 6 at (1, 2).
    expect(above.ok && above.gradient.x).toBe(4);
    expect(above.ok && above.notes.join(' ')).toMatch(/path taken at this point.*line 2: x > y was true/);
    const below = run(source, { x: 1, y: 2 });
    expect(below.ok && below.gradient.x).toBe(6);
    expect(below.ok && below.notes.join(' ')).toMatch(/line 2: x > y was false/);
  });

  it('notes a point on a kink and applies the convention (abs\'(0) = 0) in both views', () => {
    const r = run('function f(x) { return Math.abs(x) + x; }', { x: 0 });
    expect(r.ok && r.gradient).toEqual({ x: 1 });
    expect(r.ok && r.notes.join(' ')).toMatch(/abs at line 1.*kink.*abs'\(0\) is taken as 0/);
    expect(tape('function f(x) { return Math.abs(x) + x; }', { x: 0 }).gradient).toEqual({ x: 1 });
  });

  it('passes preserveResult and seed through, and refuses an unknown option', () => {
    const r = run(blog, { x: 2, y: 1 }, { preserveResult: true, seed: 2 });
    expect(r.ok && r.gradient).toEqual({ x: 14, y: 16 });
    expect(r.ok && r.value).toBe(11);
    expect(r.ok && r.source).toMatch(/bf = 2\)/);
    const bad = run(blog, { x: 2, y: 1 }, { sede: 2 });
    expect(bad.ok).toBe(false);
  });

  it('reports one gradient each way against one f, measured in the run, and leaves it out when asked', () => {
    const source = entry('rosenbrock_array').source;
    const at = entry('rosenbrock_array').points[0].at;
    const r = run(source, at);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const key of ['f_micros', 'gradient_micros', 'tape_micros']) expect(r.cost[key], key).toBeGreaterThan(0);
    expect(r.cost.gradient_over_f).toBeCloseTo((r.cost.gradient_micros as number) / (r.cost.f_micros as number), 0);
    expect(r.notes.join(' ')).toMatch(/one gradient takes .* µs with the generated code \(.*× f\) and .* with the tape/);
    expect(r.cost.timing).toBe('quick');
    expect(r.notes.join(' ')).toContain('quick figures');
    const quiet = run(source, at, { measure: false });
    expect(quiet.ok && quiet.cost.gradient_micros).toBeUndefined();
  });

  it('takes settled timings when asked (measure=settled, as the page asks in the background), and refuses an unknown measure', () => {
    const source = entry('rosenbrock_array').source;
    const at = entry('rosenbrock_array').points[0].at;
    const r = run(source, at, { measure: 'settled' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.cost.timing).toBe('settled');
    expect(r.notes.join(' ')).toContain('settled figures');
    for (const key of ['f_micros', 'gradient_micros', 'tape_micros']) expect(r.cost[key], key).toBeGreaterThan(0);
    const bad = run(source, at, { measure: 'soon' });
    expect(!bad.ok && bad.error.message).toMatch(/reverse\.measure must be true, false, quick or settled/);
  });

  it('times the compiled generated function', () => {
    const ctx = prepare(entry('rosenbrock_array').source, entry('rosenbrock_array').points[0].at).context({});
    const hot = reverseEngine.timer!(ctx);
    expect(hot()).toHaveLength(1);
  });
});

describe('the tape view', () => {
  const source = 'function f(x, y) {\n  return x * y + Math.sin(x);\n}';

  it('records inputs, operations and constants, with adjoints worked out by hand', () => {
    const { view, gradient } = tape(source, { x: 2, y: 3 });
    const ops = view.nodes.filter((n) => n.op !== 'const');
    expect(ops.map((n) => [n.op, n.label ?? null])).toEqual([['input', 'x'], ['input', 'y'], ['mul', null], ['sin', null], ['add', null]]);
    expect(ops.map((n) => n.adjoint)).toEqual([3 + Math.cos(2), 2, 1, 1, 1]);
    expect(gradient).toEqual({ x: 3 + Math.cos(2), y: 2 });
    expect(ops[2].span).toEqual({ line: 2, column: 10, endLine: 2, endColumn: 15 });
    expect(view.edges).toEqual(expect.arrayContaining([{ from: 0, to: 2 }, { from: 1, to: 2 }, { from: 0, to: 3 }, { from: 2, to: 4 }, { from: 3, to: 4 }]));
    expect(view.order).toEqual({ forward: [0, 1, 2, 3, 4], backward: [4, 3, 2, 1, 0] });
  });

  it('gives each use of a constant its own node, with no adjoint', () => {
    const { view } = tape('function f(x) { return 2 * x + 2 * x * x; }', { x: 1 });
    const constants = view.nodes.filter((n) => n.op === 'const');
    expect(constants.map((n) => n.label)).toEqual(['2', '2']);
    expect(constants.every((n) => n.adjoint === null)).toBe(true);
    for (const c of constants) expect(view.edges.filter((e) => e.from === c.id)).toHaveLength(1);
  });

  it('has a consistent shape on every corpus function: edges between nodes, each operation fed by its arity', () => {
    for (const e of corpus) {
      const { view } = tape(e.source, e.points[0].at);
      const ids = new Set(view.nodes.map((n) => n.id));
      for (const edge of view.edges) expect(ids.has(edge.from) && ids.has(edge.to), e.name).toBe(true);
      for (const n of view.nodes) {
        if (n.op === 'input' || n.op === 'const') continue;
        expect(view.edges.filter((x) => x.to === n.id).length, `${e.name} node ${n.id}`).toBe(RULES[n.op as Primitive].arity);
      }
      expect(view.order.forward).toEqual(Array.from({ length: view.length }, (_, i) => i));
      expect([...view.order.backward].sort((a, b) => b - a)).toEqual(view.order.backward);
    }
  });

  it('links each operation to the right arguments: on every corpus function and point, its value is its operation applied to theirs', () => {
    let checked = 0;
    for (const e of corpus) {
      for (const p of e.points) {
        const { view } = tape(e.source, p.at);
        const byId = new Map(view.nodes.map((n) => [n.id, n]));
        for (const n of view.nodes) {
          if (n.op === 'input' || n.op === 'const') continue;
          const args = view.edges.filter((x) => x.to === n.id).map((x) => byId.get(x.from)!.value);
          const expected = RULES[n.op as Primitive].float(...args);
          expect(Object.is(n.value, expected) || n.value === expected, `${e.name} at ${JSON.stringify(p.at)}: node ${n.id} (${n.op}) of ${args}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  const foundation = foundationTape;

  it("records what the foundation's Tape over the interpreter records: the same count, the same gradient", () => {
    for (const e of corpus) {
      for (const p of e.points) {
        const theirs = foundation(e.source, p.at);
        const compiled = tape(e.source, p.at);
        expect(compiled.view.length, e.name).toBe(theirs.count);
        const mine = e.params.flatMap((n) => [compiled.gradient[n]].flat() as number[]);
        // Bit for bit, but where a helper call is recorded ahead of its expression (order of sums).
        if (Object.keys(parseProgram(e.source).functions).length === 1) expect(mine, e.name).toEqual(theirs.gradient);
        else mine.forEach((g, i) => expect(relativeError(g, theirs.gradient[i]), e.name).toBeLessThanOrEqual(1e-15));
      }
    }
  });

  it('passes a reached zero adjoint on as the foundation does (0 times an infinite partial is NaN), and ignores what is not reached', () => {
    for (const [source, at] of ZERO_ADJOINT_CASES) {
      const theirs = foundation(source, at);
      const compiled = tape(source, at);
      const mine = Object.keys(at).flatMap((n) => [compiled.gradient[n]].flat() as number[]);
      expect(mine, source).toEqual(theirs.gradient);
    }
  });

  it('records the right side of && and || only when it runs, as the foundation does', () => {
    for (const [source, at] of [
      ['function f(x) { let r = x; if (x > 0 && Math.sqrt(x) > 1) { r = x * x; } return r; }', { x: -1 }],
      ['function f(x) { let r = x; if (x > 0 && Math.sqrt(x) > 1) { r = x * x; } return r; }', { x: 4 }],
      ['function f(x) { let r = x; if (x < 0 || Math.log(x) > 1) { r = x * x; } return r; }', { x: -1 }],
      ['function f(x) { let r = x; if (x < 0 || Math.log(x) > 1) { r = x * x; } return r; }', { x: 9 }],
    ] as [string, At][]) {
      const theirs = foundation(source, at);
      const compiled = tape(source, at);
      expect(compiled.view.length, `${source} at ${at.x}`).toBe(theirs.count);
      expect([compiled.gradient.x]).toEqual(theirs.gradient);
    }
  });

  it('exports only the first records of a long tape, and says so', () => {
    const e = entry('rosenbrock_array');
    const x = Array.from({ length: 200 }, (_, i) => 1 + i / 1000);
    const { view, gradient } = runTape(parseProgram(e.source), { x }, ['x'], 100);
    expect(view.truncated).toBe(true);
    expect(view.length).toBeGreaterThan(100);
    expect(view.nodes.filter((n) => n.op !== 'const')).toHaveLength(100);
    expect((gradient.x as number[]).length).toBe(200);
  });
});
