// Forward mode against the outside reference: the dual-number sweeps and the generated tangent
// code, over every corpus function and point, to 1e-12 relative (1e-14 absolute at 0); the
// generated source pinned by snapshots; kinks, helpers, aliasing and lifting checked by hand.

import { describe, expect, it } from 'vitest';
import { corpus, gradientError, relativeError } from './corpus.ts';
import { parseProgram } from '../../src/lang/parse.ts';
import { argsOf, gradientFromSlots, validatePoint } from '../../src/point.ts';
import { compileProgram } from '../../src/interp/compile.ts';
import type { EngineContext } from '../../src/engines/types.ts';
import { forwardGradient, sweep } from '../../src/engines/forward/sweep.ts';
import { tangentGradientRunner, type SweepComparison } from '../../src/engines/forward/index.ts';
import { compileTangent, generateTangent } from '../../src/codegen/tangent.ts';
import { engineById } from '../../src/engines/registry.ts';
import { isError, prepare, runGradient, type GradResponse } from '../../src/run.ts';
import { DdxError } from '../../src/errors.ts';

/** Corpus entries forward mode is known to get wrong, with the reason; each must still fail. */
const GAPS: Record<string, string> = {};

function both(source: string, at: Record<string, number | number[]>, wrt?: string[]) {
  const program = parseProgram(source);
  const fn = program.functions[program.main];
  const point = validatePoint(fn, at);
  const w = wrt ?? fn.params.map((p) => p.name);
  const dual = gradientFromSlots(point, w, forwardGradient(program, point, w).partials);
  const code = generateTangent(program, w);
  const generated = gradientFromSlots(point, w, tangentGradientRunner(program, point, w, compileTangent(code))());
  return { dual, generated, code };
}

/** An engine context without the 40-digit reference, which takes seconds at n = 10000. */
function bareContext(source: string, at: Record<string, number | number[]>): EngineContext {
  const program = parseProgram(source);
  const fn = program.functions[program.main];
  const point = validatePoint(fn, at);
  const wrt = fn.params.map((p) => p.name);
  return { program, at: point, wrt, args: argsOf(fn, point), f: compileProgram(program), reference: { value: NaN, gradient: {}, digits: 0 }, options: { measure: false } };
}

describe('forward mode on the corpus (dual numbers and generated tangent code)', () => {
  for (const entry of corpus) {
    if (entry.name in GAPS) continue;
    it(entry.name, () => {
      for (const p of entry.points) {
        const { dual, generated } = both(entry.source, p.at, entry.params);
        expect(gradientError(dual, p.gradient), `dual numbers at ${JSON.stringify(p.at)}`).toBeLessThanOrEqual(1e-12);
        expect(gradientError(generated, p.gradient), `tangent code at ${JSON.stringify(p.at)}`).toBeLessThanOrEqual(1e-12);
      }
    });
  }

  for (const [name, reason] of Object.entries(GAPS)) {
    it(`known gap ${name} still fails (${reason})`, () => {
      const entry = corpus.find((e) => e.name === name)!;
      const worst = Math.max(...entry.points.map((p) => gradientError(both(entry.source, p.at, entry.params).dual, p.gradient)));
      expect(worst).toBeGreaterThan(1e-12);
    });
  }
});

describe('the forward engine through the registry and the JSON contract', () => {
  it('is registered and reports sweeps, lines, source and its gradient', () => {
    const out = runGradient({ source: 'function f(x, y) { return x ** 2 + 3 * x * y + y ** 2; }', at: { x: 2, y: 1 }, engines: ['forward'], options: { forward: { measure: false } } }) as GradResponse;
    expect(isError(out)).toBe(false);
    const r = out.engines.forward;
    if (!r.ok) throw new Error(r.error.message);
    // d/dx = 2x + 3y = 7, d/dy = 3x + 2y = 8
    expect(r.gradient).toEqual({ x: 7, y: 8 });
    expect(r.max_rel_error).toBe(0);
    expect(r.cost.sweeps).toBe(2);
    expect(r.cost.lines).toBe(r.source!.split('\n').length);
    expect(r.source).toContain('function f_tangent(x, y, dx, dy)');
  });

  it('measures n sweeps against one reverse sweep as data (values not asserted)', () => {
    const prepared = prepare('function f(a) { let s = 0; for (const v of a) s += v * v; return s; }', { a: [1, 2, 3] });
    const out = engineById('forward')!.run(prepared.context({}));
    const c = out.comparison as SweepComparison;
    expect(c.sweeps).toBe(3);
    for (const key of ['f_micros', 'tangent_sweep_micros', 'tangent_gradient_micros', 'reverse_code_micros'] as const) expect(typeof c[key]).toBe('number');
    for (const key of ['dual_sweep_micros', 'dual_gradient_micros', 'tape_sweep_micros', 'break_even_inputs'] as const) expect(typeof c.interpreter![key]).toBe('number');
    // the tape records the 3 inputs, 3 products and 3 sums: 9 nodes
    expect(c.interpreter!.tape_length).toBe(9);
    expect(out.notes.join(' ')).toMatch(/one sweep per input: 3 here/);
    expect((out.cost as Record<string, unknown>).timing).toBe('quick');
    const settled = engineById('forward')!.run(prepared.context({ measure: 'settled' }));
    expect((settled.cost as Record<string, unknown>).timing).toBe('settled');
    expect(settled.notes.join(' ')).toContain('settled figures');
    expect(() => engineById('forward')!.run(prepared.context({ measure: 'soon' }))).toThrow(/forward\.measure must be/);
  });

  it('its timer computes the gradient on the compiled tangent code', () => {
    const entry = corpus.find((e) => e.name === 'tanh_mlp')!;
    const prepared = prepare(entry.source, entry.points[0].at);
    const g = engineById('forward')!.timer!(prepared.context({}))() as number[];
    const expected = [entry.points[0].gradient.w, entry.points[0].gradient.x].flat() as number[];
    g.forEach((gi, i) => expect(relativeError(gi, expected[i])).toBeLessThanOrEqual(1e-12));
  });

  it('falls back to the compiled tangent code when the interpreter sweeps would be over budget', () => {
    const n = 3000;
    const source = 'function f(x) { let s = 0; for (let i = 0; i < x.length - 1; i++) { s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2; } return s; }';
    const x = Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(i));
    const out = engineById('forward')!.run(bareContext(source, { x }));
    expect(out.cost.path).toBe('tangent code');
    expect(out.notes.join(' ')).toMatch(/comes from the 3,000 sweeps of the compiled tangent code/);
    // Rosenbrock by hand: g_i = -400 x_i (x_{i+1} - x_i^2) - 2 (1 - x_i) + 200 (x_i - x_{i-1}^2)
    const hand = x.map((xi, i) => (i < n - 1 ? -400 * xi * (x[i + 1] - xi * xi) - 2 * (1 - xi) : 0) + (i > 0 ? 200 * (xi - x[i - 1] ** 2) : 0));
    const scale = Math.max(...hand.map(Math.abs));
    const g = out.gradient.x as number[];
    expect(Math.max(...hand.map((h, i) => Math.abs(g[i] - h) / scale))).toBeLessThan(1e-13);
  });

  it('refuses a gradient that needs too many sweeps, pointing to reverse mode', () => {
    const n = 3000;
    const source = 'function f(x) { let s = 0; for (let i = 0; i < x.length - 1; i++) { s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2; } return s; }';
    const program = parseProgram(source);
    const at = { x: Array.from({ length: n }, (_, i) => 1 + i / n) };
    let caught: unknown;
    try { forwardGradient(program, at, ['x']); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(DdxError);
    expect((caught as DdxError).kind).toBe('budget');
    expect((caught as DdxError).message).toMatch(/3,000 sweeps.*reverse mode/);
    // Even the compiled tangent code is refused at n = 10000 (10,000 sweeps of 370,000 operations).
    expect(() => engineById('forward')!.run(bareContext(source, { x: Array.from({ length: 10000 }, () => 1.5) }))).toThrow(/too much even for the compiled tangent code; reverse mode/);
  });
});

describe('rules, kinks and conventions', () => {
  it('skips a term whose tangent is 0: d(x ** 2) at x = -3 is -6, not NaN', () => {
    const { dual, generated } = both('function f(x) { return x ** 2; }', { x: -3 });
    expect(dual).toEqual({ x: -6 });
    expect(generated).toEqual({ x: -6 });
  });

  it('notes a kink that a derivative flows through, with the convention taken', () => {
    const prepared = prepare('function f(x, y) {\n  return Math.abs(x) * y + x;\n}', { x: 0, y: 2 });
    const out = engineById('forward')!.run(prepared.context({ measure: false }));
    // abs'(0) is taken as 0: d/dx = 0 * y + 1 = 1, d/dy = |0| = 0
    expect(out.gradient).toEqual({ x: 1, y: 0 });
    expect(out.notes).toHaveLength(1);
    expect(out.notes[0]).toMatch(/^Math\.abs at line 2, column 10 sits on a kink.*abs'\(0\) is taken as 0/);
    const away = engineById('forward')!.run(prepare('function f(x, y) { return Math.abs(x) * y + x; }', { x: 1, y: 2 }).context({ measure: false }));
    expect(away.notes).toEqual([]);
  });

  it('takes the first argument of max at a tie, as the rules table says', () => {
    const { dual, generated } = both('function f(x, y) { return Math.max(x, y) * 3; }', { x: 1, y: 1 });
    expect(dual).toEqual({ x: 3, y: 0 });
    expect(generated).toEqual({ x: 3, y: 0 });
  });

  it('does not differentiate with respect to parameters outside wrt, even when they are written', () => {
    // a[0] = a[0] * k; result a[0] + k = a0 k + k, so d/dk = a0 + 1 = 3 at a0 = 2
    const { dual, generated, code } = both('function f(a, k) { a[0] = a[0] * k; return a[0] + k; }', { a: [2, 5], k: 0.5 }, ['k']);
    expect(dual).toEqual({ k: 3 });
    expect(generated).toEqual({ k: 3 });
    expect(code.seeds).toEqual(['dk']);
    expect(code.source).toContain('let da = new Array(a.length).fill(0);');
  });

  it('one sweep along any direction gives the directional derivative', () => {
    // f = x * y^2, grad (y^2, 2xy) = (4, 12) at (3, 2); along (1, -2): 4 - 24 = -20
    const program = parseProgram('function f(x, y) { return x * y * y; }');
    expect(sweep(program, { x: 3, y: 2 }, { x: 1, y: -2 }).tangent).toBe(-20);
  });
});

describe('generated tangent code: control flow and helpers (hand-derived values)', () => {
  it('lifts helper calls out of loop tests, ternaries, && and a loop update, running each helper once', () => {
    const source = `function g(t) { return t * t; }
function f(x) {
  let s = 0;
  for (let i = 0; g(i) < 10; i = i + g(1)) {
    if (i === 1) continue;
    s += x > 0 ? g(x) * i : 0;
  }
  return s + ((x > 0 && g(x) > 1) ? 1 : 0) * x;
}`;
    // i runs 0..3 and skips 1: s = x^2 (0 + 2 + 3) = 5 x^2; the last term is x for x > 1.
    // d/dx = 10 x + 1 = 16 at x = 1.5
    const { dual, generated, code } = both(source, { x: 1.5 });
    expect(dual).toEqual({ x: 16 });
    expect(generated).toEqual({ x: 16 });
    expect(code.source).toContain('[g_r_3, dg_r_3] = g_tangent(x, dx);');
  });

  it('keeps array aliases and helper writes in step with their tangents', () => {
    const source = `function scale(v, k) { for (let i = 0; i < v.length; i++) { v[i] = v[i] * k; } return 0; }
function f(x, y) {
  const a = [x, y];
  const b = a;
  b[0] = b[0] * y;
  const z = scale(a, x);
  return a[0] + b[1] + z;
}`;
    // b aliases a: a = [x y, y], then both scaled by x: a[0] + a[1] = x^2 y + x y
    // d/dx = 2 x y + y = 15, d/dy = x^2 + x = 6 at (2, 3)
    const { dual, generated } = both(source, { x: 2, y: 3 });
    expect(dual).toEqual({ x: 15, y: 6 });
    expect(generated).toEqual({ x: 15, y: 6 });
  });

  it('leaves the caller\'s arrays and seeds unchanged when f writes into its array parameter', () => {
    const program = parseProgram('function f(a) { a[0] = a[0] * a[0]; return a[0] + a[1]; }');
    const code = generateTangent(program, ['a']);
    const a = [3, 4];
    const da = [1, 0];
    // d/da0 of a0^2 + a1 = 2 a0 = 6
    expect(compileTangent(code)(a, da)).toBe(6);
    expect(a).toEqual([3, 4]);
    expect(da).toEqual([1, 0]);
  });

  it('holds an overwritten value in a temporary when its tangent needs the new value', () => {
    const { generated, code } = both('function f(w, x) { let h = x; for (let i = 0; i < 2; i++) { h = Math.tanh(w * h); } return h; }', { w: 0.5, x: 0.3 });
    expect(code.source).toContain('h_new = Math.tanh(w * h);');
    // h1 = tanh(w x), h2 = tanh(w h1); d h2/dx = (1 - h2^2) w (1 - h1^2) w
    const h1 = Math.tanh(0.15);
    const h2 = Math.tanh(0.5 * h1);
    expect(relativeError(generated.x as number, (1 - h2 * h2) * 0.5 * (1 - h1 * h1) * 0.5)).toBeLessThan(1e-15);
  });
});

describe('generated tangent source (snapshots)', () => {
  const gen = (source: string) => {
    const program = parseProgram(source);
    return generateTangent(program, program.functions[program.main].params.map((p) => p.name)).source;
  };

  it("tangent's x ** 2 example", () => {
    expect(gen('function f(x) {\n  const z = x ** 2;\n  return z;\n}')).toMatchInlineSnapshot(`
      "function f_tangent(x, dx) {
        let z, dz;
        // tangent of: z = x ** 2
        z = x ** 2;
        dz = 2 * x * dx;
        // tangent of: return z
        return dz;
      }"
    `);
  });

  it("the blog's x**2 + 3*x*y + y**2", () => {
    expect(gen('function f(x, y) { return x**2 + 3*x*y + y**2; }')).toMatchInlineSnapshot(`
      "function f_tangent(x, y, dx, dy) {
        // tangent of: return x ** 2 + 3 * x * y + y ** 2
        return 2 * x * dx + (3 * y * dx + 3 * x * dy) + 2 * y * dy;
      }"
    `);
  });

  it('a loop with a branch', () => {
    expect(gen(`function f(x, n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (s > 2) {
      s = s - Math.sin(x * i);
    } else {
      s += Math.exp(x) * i;
    }
  }
  return s;
}`)).toMatchInlineSnapshot(`
  "function f_tangent(x, n, dx, dn) {
    let s, ds, i;
    // tangent of: s = 0
    s = 0;
    ds = 0;
    for (i = 0; i < n; i = i + 1) {
      if (s > 2) {
        // tangent of: s = s - Math.sin(x * i)
        ds = ds - Math.cos(x * i) * (i * dx);
        s = s - Math.sin(x * i);
      } else {
        // tangent of: s = s + Math.exp(x) * i
        ds = ds + i * (Math.exp(x) * dx);
        s = s + Math.exp(x) * i;
      }
    }
    // tangent of: return s
    return ds;
  }"
`);
  });

  it('a helper returning an array (softmax)', () => {
    expect(gen(corpus.find((e) => e.name === 'softmax_helper_returns_array')!.source)).toMatchInlineSnapshot(`
      "function f_tangent(z, dz) {
        function softmax_tangent(z, dz) {
          let p, dp, s, ds, i, i_2, p_new;
          // tangent of: p = new Array(z.length).fill(0)
          p = new Array(z.length).fill(0);
          dp = new Array(p.length).fill(0);
          // tangent of: s = 0
          s = 0;
          ds = 0;
          for (i = 0; i < z.length; i = i + 1) {
            // tangent of: p[i] = Math.exp(z[i])
            p[i] = Math.exp(z[i]);
            dp[i] = p[i] * dz[i];
            // tangent of: s = s + p[i]
            ds = ds + dp[i];
            s = s + p[i];
          }
          for (i_2 = 0; i_2 < z.length; i_2 = i_2 + 1) {
            // tangent of: p[i_2] = p[i_2] / s
            p_new = p[i_2] / s;
            dp[i_2] = dp[i_2] / s - p_new * ds / s;
            p[i_2] = p_new;
          }
          // tangent of: return p
          return [p, dp];
        }

        z = z.slice();
        dz = dz.slice();
        let p, dp;
        // tangent of: p = softmax(z)
        [p, dp] = softmax_tangent(z, dz);
        // tangent of: return p[0] * 2 - p[2] + p[1] * p[1]
        return 2 * dp[0] - dp[2] + (p[1] * dp[1] + p[1] * dp[1]);
      }"
    `);
  });
});
