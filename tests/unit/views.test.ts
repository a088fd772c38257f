// The views' computations (src/views), checked against hand-derived values, the reference corpus and
// the blog's printed numbers: the slice's curves, the cost scan, the swell measurements, the step
// lab's theory lines, the tape replay and layout, the generated-code map, and the Learn panel's facts.

import { describe, expect, it } from 'vitest';
import type { TapeView } from '../../src/engines/reverse/tape-view.ts';
import { runTape } from '../../src/engines/reverse/tape-view.ts';
import { LAB_STEPS, type LabMethod, type StepLab } from '../../src/engines/numeric/step-lab.ts';
import { compileProgram } from '../../src/interp/compile.ts';
import { parseProgram } from '../../src/lang/parse.ts';
import { runGradient, type GradResponse } from '../../src/run.ts';
import { COST_SIZES, costScan, rosenbrockGradient, rosenbrockPoint, ROSENBROCK_SOURCE } from '../../src/views/cost.ts';
import { ABS_CONVENTIONS, ABS_NUMERIC, ABS_SOURCE, BLOG_EXAMPLES, DDX_ABS_RULE } from '../../src/views/lessons.ts';
import { defaultRange, sampleGrid, sliceScan } from '../../src/views/slice.ts';
import { isV, labCurve, labCurves, theoryV } from '../../src/views/step-lab.ts';
import { composable, composeProgram, nestedSinSource, swellScan } from '../../src/views/swell.ts';
import {
  adjointsAfter, buildGraph, codeLinesFor, EXPAND_MAX, FOLD_AT, layoutGraph, mapGeneratedLines, matchSourceLine, replayBackward, sweepSteps,
} from '../../src/views/tape-graph.ts';
import { corpus, gradientError, relativeError } from './corpus.ts';

const RELU = 'function relu(x) {\n  if (x > 0) {\n    return x;\n  }\n  return 0;\n}\n';
const CANCEL = 'function f(x) {\n  return (1 - Math.cos(x)) / x**2;\n}\n';
const AUTOGRAD = 'function fun(x, y) {\n  return x**2 + 3*x*y + y**2;\n}\n';
const POWER = 'function power(x) {\n  let p = 1;\n  for (let i = 0; i < 5; i++) {\n    p = p * x;\n  }\n  return p;\n}\n';

function run(source: string, at: Record<string, number | number[]>, engines: string[], options: Record<string, Record<string, unknown>> = {}): GradResponse {
  const out = runGradient({ source, at, engines, options });
  if ('error' in out) throw new Error(out.error.message);
  return out;
}

const tapeOf = (source: string, at: Record<string, number | number[]>) => (run(source, at, ['reverse']).engines.reverse as unknown as { tape: TapeView }).tape;

describe('the slice', () => {
  it('samples the range evenly and puts the point on a sample exactly', () => {
    const { t, atIndex } = sampleGrid(-1, 1, 11, 0.13);
    expect(t).toHaveLength(11);
    expect(t[atIndex]).toBe(0.13);
    expect(atIndex).toBe(6);
    expect(sampleGrid(0, 1, 5, 7).atIndex).toBe(-1);
    expect(defaultRange(2)).toEqual([1, 3]);
    expect(defaultRange(0)).toEqual([-1, 1]);
    expect(defaultRange(0.001)).toEqual([0.001 - 0.01, 0.001 + 0.01]);
    expect(defaultRange(10)).toEqual([5, 15]);
  });

  it('relu through its kink: exact engines step from 0 to 1, the central difference straddles it, the symbolic formula keeps the branch of the point', () => {
    const a = sliceScan({ source: RELU, point: { x: 0 }, param: 'x', index: null, from: -1, to: 1, samples: 21, engines: ['numeric', 'symbolic', 'reverse', 'forward', 'manual'] });
    expect(a.t[a.atIndex]).toBe(0);
    expect(a.f).toEqual(a.t.map((t) => Math.max(t, 0)));
    const by = Object.fromEntries(a.series.map((s) => [s.engine, s.values]));
    const slope = a.t.map((t) => (t > 0 ? 1 : 0));
    expect(by.reverse).toEqual(slope);
    expect(by.forward).toEqual(slope);
    // At x = 0 the branch taken is `return 0`: that formula, 0, is all the symbolic engine knows.
    expect(by.symbolic).toEqual(a.t.map(() => 0));
    // (f(h) - f(-h)) / 2h = h / 2h at the kink.
    expect(by.numeric[a.atIndex]).toBe(0.5);
    a.t.forEach((t, i) => { if (i !== a.atIndex) expect(Math.abs(by.numeric[i]! - slope[i]), `t = ${t}`).toBeLessThan(1e-8); });
    expect(a.failed.map((f) => f.engine)).toEqual(['manual']);
  });

  it('(1 - cos x)/x² near 0: every engine follows the exact derivative away from 0, and differences stray near it', () => {
    const a = sliceScan({ source: CANCEL, point: { x: 0.001 }, param: 'x', index: null, from: -0.01, to: 0.01, samples: 201, engines: ['numeric', 'reverse', 'forward', 'symbolic'] });
    // d/dx (1 - cos x)/x² = -x/12 + x³/180 - ... (its Taylor series).
    const exact = (x: number) => -x / 12 + x ** 3 / 180;
    const by = Object.fromEntries(a.series.map((s) => [s.engine, s.values]));
    a.t.forEach((t, i) => {
      if (Math.abs(t) < 0.004) return;
      for (const e of ['reverse', 'forward', 'symbolic']) expect(relativeError(by[e][i]!, exact(t)), `${e} at ${t}`).toBeLessThan(1e-3);
    });
    const rel = (e: string, i: number) => relativeError(by[e][i]!, exact(a.t[i]));
    const near = a.t.map((t, i) => ({ t, i })).filter(({ t }) => t !== 0 && Math.abs(t) <= 4e-4);
    // f(x ± h) carries rounding of about eps/x² absolute, divided by 2h ~ 1.2e-5: more than the derivative itself.
    expect(Math.max(...near.map(({ i }) => rel('numeric', i)))).toBeGreaterThan(1);
    // Reverse mode's own formula, sin x/x² - 2(1 - cos x)/x³, cancels too, but only closer to 0.
    for (const { i } of a.t.map((t, i) => ({ t, i })).filter(({ t }) => Math.abs(t) >= 3e-4 && Math.abs(t) <= 5e-4)) {
      expect(rel('reverse', i) * 5, `at ${a.t[i]}`).toBeLessThan(rel('numeric', i));
    }
    // f is 0/0 at exactly 0: no value there, for f or any derivative.
    const zero = a.t.indexOf(0);
    if (zero >= 0) expect(a.f[zero]).toBeNull();
  });

  it('moves one element of an array, and draws the hand-written derivative', () => {
    const source = 'function f(x) {\n  return Math.sin(x[0]) * x[1] ** 2;\n}\nfunction df_dx(x) {\n  return [Math.cos(x[0]) * x[1] ** 2, 2 * Math.sin(x[0]) * x[1]];\n}\n';
    const a = sliceScan({ source, point: { x: [1, 2] }, param: 'x', index: 1, from: 0, to: 4, samples: 9, engines: ['manual', 'numeric', 'symbolic', 'reverse', 'forward'] });
    expect(a.label).toBe('x[1]');
    expect(a.t[a.atIndex]).toBe(2);
    const exact = a.t.map((t) => 2 * Math.sin(1) * t);
    for (const s of a.series) {
      s.values.forEach((v, i) => expect(Math.abs(v! - exact[i]), `${s.engine} at ${a.t[i]}`).toBeLessThan(s.engine === 'numeric' ? 1e-7 : 1e-14));
    }
    expect(a.series.map((s) => s.engine)).toEqual(['manual', 'numeric', 'symbolic', 'reverse', 'forward']);
  });

  it('uses the numeric card\'s method and step', () => {
    const a = sliceScan({ source: 'function f(x) {\n  return x ** 3;\n}\n', point: { x: 1 }, param: 'x', index: null, from: 0, to: 2, samples: 3, engines: ['numeric'], options: { numeric: { method: 'forward', h: 0.1 } } });
    // (f(x + h) - f(x)) / h = 3x² + 3xh + h² with h = 0.1.
    a.t.forEach((x, i) => expect(a.series[0].values[i]).toBeCloseTo(3 * x * x + 0.3 * x + 0.01, 9));
    expect(a.series[0].detail).toMatch(/forward difference, h = 0.1/);
  });

  it('stops an engine at its time cap and says so, and refuses what is not an input', () => {
    const a = sliceScan({ source: CANCEL, point: { x: 0.5 }, param: 'x', index: null, from: 0.1, to: 1, samples: 101, engines: ['reverse'], millisPerEngine: 0 });
    expect(a.series[0].values.filter((v) => v !== null)).toHaveLength(1);
    expect(a.series[0].values[a.atIndex]).not.toBeNull();
    expect(a.series[0].notes.join(' ')).toMatch(/stopped after 1 of 101 samples/);
    expect(() => sliceScan({ source: CANCEL, point: { x: 0.5 }, param: 'y', index: null, from: 0, to: 1, engines: [] })).toThrow(/not a parameter/);
    expect(() => sliceScan({ source: CANCEL, point: { x: 0.5 }, param: 'x', index: null, from: 1, to: 1, engines: [] })).toThrow(/two different/);
  });
});

describe('the cost scan', () => {
  it('Rosenbrock\'s gradient in closed form matches the textbook value at (-1.2, 1)', () => {
    // f = 100 (x1 - x0²)² + (1 - x0)²: df/dx0 = -400 x0 (x1 - x0²) - 2 (1 - x0), df/dx1 = 200 (x1 - x0²).
    const g = rosenbrockGradient([-1.2, 1]);
    expect(g[0]).toBeCloseTo(-215.6, 10);
    expect(g[1]).toBeCloseTo(-88, 10);
    expect(rosenbrockPoint(5)).toEqual([-1.2, 1, -1.2, 1, -1.2]);
    expect(compileProgram(parseProgram(ROSENBROCK_SOURCE))([-1.2, 1])).toBeCloseTo(24.2, 12);
  });

  it('measures each engine for each n, counts its passes, checks its gradient, and reports progress', () => {
    const progress: number[] = [];
    const a = costScan({ sizes: [1, 10, 100], millisPerMeasure: 2, rounds: 2 }, (f) => progress.push(f));
    expect(a.rows.map((r) => r.n)).toEqual([1, 10, 100]);
    for (const r of a.rows) {
      expect(r.passes).toEqual({ numeric: 2 * r.n, forward: r.n, reverse: 2 });
      expect(r.error.forward).toBeLessThan(1e-13);
      expect(r.error.reverse).toBeLessThan(1e-13);
      expect(r.error.numeric).toBeLessThan(1e-6);
      for (const m of Object.values(r.micros)) expect(m).toBeGreaterThan(0);
    }
    expect(progress[progress.length - 1]).toBe(1);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(COST_SIZES[0]).toBe(1);
    expect(COST_SIZES[COST_SIZES.length - 1]).toBe(1000);
  });
});

describe('the swell meter', () => {
  it('sin nested d times: the tape grows by one record a level, the loop\'s code not at all, the raw derivative quadratically', () => {
    const a = swellScan({ family: 'sin', maxDepth: 6 });
    expect(a.rows.map((r) => r.depth)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const r of a.rows) {
      const d = r.depth;
      expect(r.tape).toBe(d + 1); // the input and one sin per level
      expect(r.f).toBe(d); // d sin operations
      // d/dx sin^d(x) = Π_{k<d} cos(sin^k x): d cos, k sin inside the k-th, d - 1 products.
      expect(r.raw).toBe(d + (d * (d - 1)) / 2 + (d - 1));
      expect(r.reverse_lines).toBe(a.rows[0].reverse_lines);
      expect(r.tangent_lines).toBe(a.rows[0].tangent_lines);
      expect(r.cse).toBeLessThanOrEqual(r.simplified!);
    }
    expect(nestedSinSource(8)).toContain('i < 8');
  });

  it('composes the user\'s f with itself in its first number parameter', () => {
    const program = parseProgram(AUTOGRAD);
    expect(composable(program)).toEqual({ param: 'x' });
    const nested = composeProgram(program, 'x', 3);
    const f = (x: number, y: number) => x ** 2 + 3 * x * y + y ** 2;
    expect(compileProgram(nested)(0.3, 0.2)).toBeCloseTo(f(f(f(0.3, 0.2), 0.2), 0.2), 14);
    expect(composable(parseProgram('function f(a) {\n  return a[0];\n}\n'))).toEqual({ reason: expect.stringMatching(/only arrays/) });
    const a = swellScan({ family: 'compose', source: AUTOGRAD, point: { x: 2, y: 1 }, maxDepth: 5 });
    expect(a.rows).toHaveLength(5);
    // Written out as a tree, f(f(x)) copies its inner f: the symbolic sizes grow geometrically, the tape by 5 records a level.
    for (let i = 1; i < a.rows.length; i++) {
      expect(a.rows[i].tape - a.rows[i - 1].tape).toBe(5);
      expect(a.rows[i].raw! / a.rows[i - 1].raw!).toBeGreaterThan(2);
    }
  });
});

describe('the step lab\'s theory lines', () => {
  it('recovers the constants of a synthetic V and its crossing', () => {
    // e(h) = 0.1 h² + 1e-16 / h: truncation and round-off lines cross at h = (1e-15)^(1/3) = 1e-5.
    const errors = LAB_STEPS.map((h) => 0.1 * h * h + 1e-16 / h);
    let best = 0;
    errors.forEach((e, i) => { if (e < errors[best]) best = i; });
    const m: LabMethod = { method: 'central', slope: 2, roundoff_slope: -1, chosen_h: [6e-6], chosen_error: null, best_h: LAB_STEPS[best], best_error: errors[best], errors };
    const c = labCurve(m, LAB_STEPS);
    expect(c.truncation!.logC).toBeCloseTo(-1, 1);
    expect(c.roundoff!.logC).toBeCloseTo(-16, 1);
    expect(c.theory_h! / 1e-5).toBeGreaterThan(0.7);
    expect(c.theory_h! / 1e-5).toBeLessThan(1.4);
    expect(isV(c, LAB_STEPS)).toBe(true);
    const v = theoryV(c, LAB_STEPS, [1e-17, 10]);
    expect(v[LAB_STEPS.indexOf(1e-2)]).toBeCloseTo(1e-5, 6);
    expect(v[LAB_STEPS.indexOf(1e-12)]! / 1e-4).toBeCloseTo(1, 0);
  });

  it('finds the V where the engine measures one, and none for a formula exact on f', () => {
    const lab = (source: string, at: Record<string, number>) => (run(source, at, ['numeric']).engines.numeric as unknown as { step_lab: StepLab }).step_lab;
    const cancel = labCurves(lab(CANCEL, { x: 0.001 }));
    for (const m of ['forward', 'central']) expect(isV(cancel.find((c) => c.method === m)!, LAB_STEPS), m).toBe(true);
    // x² + 3xy + y²: the central difference has no truncation error at all, only round-off.
    const quad = labCurves(lab(AUTOGRAD, { x: 2, y: 1 }));
    expect(isV(quad.find((c) => c.method === 'forward')!, LAB_STEPS)).toBe(true);
    expect(isV(quad.find((c) => c.method === 'central')!, LAB_STEPS)).toBe(false);
  });
});

describe('the tape picture', () => {
  it('replays the backward sweep to the adjoints the engine reports, and to the exact gradient, across the corpus', () => {
    let checked = 0;
    for (const entry of corpus.slice(0, 60)) {
      const point = entry.points[0];
      let tape: TapeView;
      try {
        tape = runTape(parseProgram(entry.source), point.at, entry.params, 5000).view;
      } catch {
        continue; // a runtime error at this point is the engines' business, tested elsewhere
      }
      if (tape.truncated) continue;
      const replay = replayBackward(tape);
      for (const n of tape.nodes) {
        if (n.adjoint === null) continue;
        expect(relativeError(replay.adjoints.get(n.id) ?? 0, n.adjoint), `${entry.name} node ${n.id}`).toBeLessThan(1e-12);
      }
      const gradient: Record<string, number | number[]> = {};
      for (const p of entry.params) {
        const v = point.at[p];
        const adjoint = (label: string) => replay.adjoints.get(tape.nodes.find((n) => n.op === 'input' && n.label === label)?.id ?? -1) ?? 0;
        gradient[p] = Array.isArray(v) ? v.map((_, i) => adjoint(`${p}[${i}]`)) : adjoint(p);
      }
      expect(gradientError(gradient, point.gradient), entry.name).toBeLessThan(1e-9);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('sweeps every record forward, then every reached record backward, accumulating partial adjoints on the way', () => {
    const tape = tapeOf(AUTOGRAD, { x: 2, y: 1 });
    const steps = sweepSteps(tape);
    const records = tape.nodes.filter((n) => n.op !== 'const').map((n) => n.id);
    expect(steps.filter((s) => s.phase === 'forward').map((s) => s.id)).toEqual(records);
    expect(steps.filter((s) => s.phase === 'backward').map((s) => s.id)).toEqual([...records].reverse());
    const replay = replayBackward(tape);
    // After the output's step: the seed, passed on to both terms of the last addition.
    const afterOne = adjointsAfter(tape, replay, 1);
    expect(afterOne.get(records[records.length - 1])).toBe(1);
    expect(replay.contributions[0].map((c) => c.amount)).toEqual([1, 1]);
    const x = tape.nodes.find((n) => n.label === 'x')!.id, y = tape.nodes.find((n) => n.label === 'y')!.id;
    const end = adjointsAfter(tape, replay, tape.order.backward.length);
    expect([end.get(x), end.get(y)]).toEqual([7, 8]);
    expect(adjointsAfter(tape, replay, 0).size).toBe(0);
  });

  it('draws every node unfolded, folds a long tape by source line, and expands a line on request', () => {
    const small = tapeOf(AUTOGRAD, { x: 2, y: 1 });
    const model = buildGraph(small);
    expect(model.folded).toBe(false);
    expect(model.nodes).toHaveLength(small.nodes.length);
    expect(model.edges).toHaveLength(small.edges.length);
    const layout = layoutGraph(model);
    for (const n of model.nodes) {
      const p = layout.nodes.get(n.key)!;
      expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    }
    // Left to right: every edge goes from a node left of its target.
    for (const e of model.edges) expect(layout.nodes.get(e.from)!.x).toBeLessThan(layout.nodes.get(e.to)!.x);

    const big = tapeOf(ROSENBROCK_SOURCE, { x: rosenbrockPoint(40) });
    const records = big.nodes.filter((n) => n.op !== 'const').length;
    expect(records).toBeGreaterThan(FOLD_AT);
    const folded = buildGraph(big);
    expect(folded.folded).toBe(true);
    expect(folded.nodes.every((n) => n.kind === 'group')).toBe(true);
    expect(folded.nodes.reduce((s, n) => s + n.ids.length, 0)).toBe(records);
    const lines = folded.nodes.map((n) => n.line);
    expect(new Set(lines).size).toBe(lines.length);
    const line4 = folded.nodes.find((n) => n.line === 4)!;
    expect(line4.ids.length).toBeLessThanOrEqual(EXPAND_MAX);
    const open = buildGraph(big, { expanded: new Set([4]) });
    expect(open.nodes.filter((n) => n.kind === 'node')).toHaveLength(line4.ids.length);
    expect(layoutGraph(folded).nodes.size).toBe(folded.nodes.length);
  });

  it('maps the generated gradient\'s lines to the source lines they differentiate', () => {
    const gen = (source: string, at: Record<string, number>) => run(source, at, ['reverse']).engines.reverse as unknown as { source: string; tape: TapeView };
    const a = gen(AUTOGRAD, { x: 2, y: 1 });
    const map = mapGeneratedLines(AUTOGRAD, a.source);
    const lines = a.source.split('\n');
    lines.forEach((text, i) => { if (/grad of|bx|by/.test(text) && !/return/.test(text)) expect(map.sourceLine[i], text).toBe(2); });
    const input = a.tape.nodes.find((n) => n.op === 'input')!;
    expect(codeLinesFor(map, input, 'forward')).toEqual([0]);
    expect(lines[codeLinesFor(map, input, 'backward')[0]]).toMatch(/return \[bx, by\]/);

    const p = gen(POWER, { x: 1.5 });
    const pmap = mapGeneratedLines(POWER, p.source);
    const plines = p.source.split('\n');
    const gradOfLoopBody = plines.findIndex((l) => /grad of: p \*= x|grad of: p = p \* x/.test(l));
    expect(pmap.sourceLine[gradOfLoopBody]).toBe(4);
    const mul = p.tape.nodes.find((n) => n.op === 'mul')!;
    expect(codeLinesFor(pmap, mul, 'backward')).toContain(gradOfLoopBody);
    expect(matchSourceLine('s += 100 * x', ['function f(x) {', '  let s = 0;', '  s += 100 * x;'])).toBe(3);
    expect(matchSourceLine('q = Math.exp(t)', ['function f(x) {', '  return x;', '}'])).toBeNull();
  });
});

describe('the Learn panel\'s facts', () => {
  it('the blog\'s examples give, in every exact ddx engine, what the Python libraries printed', () => {
    for (const b of BLOG_EXAMPLES) {
      const out = run(b.source, b.point, ['symbolic', 'reverse', 'forward', 'numeric']);
      for (const e of ['symbolic', 'reverse', 'forward']) {
        const r = out.engines[e];
        expect(r.ok, `${b.id} ${e}`).toBe(true);
        if (r.ok) for (const [k, v] of Object.entries(b.expected)) if (b.wrt.includes(k)) expect(r.gradient[k], `${b.id} ${e} d/d${k}`).toBe(v);
      }
      const numeric = out.engines.numeric;
      if (numeric.ok) for (const [k, v] of Object.entries(b.expected)) expect(Math.abs((numeric.gradient[k] as number) - v)).toBeLessThan(1e-6);
      // The printed value is the expected one (the tangent-source card prints code; its value is in the remark).
      const printed = b.printed.split('\n').pop()!;
      if (/^[\d.]+$/.test(printed)) expect(Number(printed), b.id).toBe(Object.values(b.expected)[0]);
    }
    expect(BLOG_EXAMPLES.find((b) => b.id === 'sympy')!.printed.split('\n')[0]).toBe('2*y');
  });

  it('abs at 0: ddx\'s exact engines take 0, one-sided differences land where JAX and TensorFlow.js do', () => {
    const out = run(ABS_SOURCE, { x: 0 }, ['symbolic', 'reverse', 'forward']);
    for (const e of ['symbolic', 'reverse', 'forward']) {
      const r = out.engines[e];
      expect(r.ok && r.gradient.x, e).toBe(0);
      expect(r.ok && r.notes.join(' '), e).toMatch(/abs|kink|convention/i);
    }
    for (const { method, value } of ABS_NUMERIC) {
      const r = run(ABS_SOURCE, { x: 0 }, ['numeric'], { numeric: { method } }).engines.numeric;
      expect(r.ok && r.gradient.x, method).toBe(value);
    }
    expect(DDX_ABS_RULE).toMatch(/0/);
    expect(Object.fromEntries(ABS_CONVENTIONS.map((r) => [r.system, r.value]))).toEqual({ autograd: '0', JAX: '1', 'TensorFlow.js': '−1', mathjs: 'NaN', sympy: '0' });
  });
});
