// The gradient checker: it passes forward mode, reverse mode and the generated tangent code on the
// whole corpus, and it catches a deliberately broken rule (a broken copy of the table, built here).

import { describe, expect, it } from 'vitest';
import { corpus } from './corpus.ts';
import { DualAlgebra } from '../../src/algebras/dual.ts';
import { checkGrads, engineMode, forwardMode, prng, reverseMode, tangentCodeMode, type Mode } from '../../src/check/check-grads.ts';
import { engineById } from '../../src/engines/registry.ts';
import { parseProgram } from '../../src/lang/parse.ts';
import { prepare } from '../../src/run.ts';
import { RULES } from '../../src/rules/table.ts';
import { ops } from '../../src/rules/field.ts';
import type { Point } from '../../src/point.ts';

describe('checkGrads on the corpus', () => {
  it('passes forward mode, reverse mode (tape) and the tangent code at every point', () => {
    const failures: string[] = [];
    let rows = 0;
    for (const entry of corpus) {
      const program = parseProgram(entry.source);
      for (const p of entry.points) {
        const at = p.at as Point;
        const report = checkGrads(program, at, { modes: [forwardMode(program, at), reverseMode(program, at, entry.params), tangentCodeMode(program, at, entry.params)] });
        rows += report.rows.length;
        if (!report.ok) failures.push(`${entry.name} at ${JSON.stringify(p.at)}: ${report.failures.join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
    // 3 directions x (3 modes against differences + 3 pairs of modes) per point
    expect(rows).toBe(corpus.reduce((n, e) => n + e.points.length, 0) * 3 * 6);
  });

  it('passes every registered engine that gives a gradient, on a sample of the corpus', () => {
    const ids = ['reverse', 'forward'].filter((id) => engineById(id));
    expect(ids).toContain('forward');
    for (const entry of corpus.filter((_, i) => i % 8 === 0)) {
      const prepared = prepare(entry.source, entry.points[0].at);
      const modes: Mode[] = ids.map((id) => engineMode(engineById(id)!, prepared.context(id === 'forward' ? { measure: false } : {})));
      const report = checkGrads(prepared.program, prepared.at, { modes });
      expect(report.failures, entry.name).toEqual([]);
    }
  });
});

describe('checkGrads catches what is wrong', () => {
  // sin's derivative "forgotten" as sin instead of cos: a broken copy of the table, not the table.
  const brokenSin = { ...RULES, sin: { ...RULES.sin, partials: <V,>(f: Parameters<typeof RULES.sin.partials<V>>[0], [a]: V[]) => [f.prim('sin', [a])] } };
  // A subtler slip: d(a / b)/db = y / b instead of -y / b.
  const brokenDiv = { ...RULES, div: { ...RULES.div, partials: <V,>(f: Parameters<typeof RULES.div.partials<V>>[0], [, b]: V[], y: V) => { const o = ops(f); return [o.div(o.c(1), b), o.div(y, b)]; } } };

  it('flags forward mode built on a broken sin rule, and only forward mode', () => {
    const source = 'function f(x, y) { return Math.sin(x * y) + x; }';
    const program = parseProgram(source);
    const at = { x: 0.7, y: 1.3 };
    const report = checkGrads(program, at, { modes: [forwardMode(program, at, () => new DualAlgebra(brokenSin)), reverseMode(program, at, ['x', 'y'])] });
    expect(report.ok).toBe(false);
    const failed = report.rows.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.mode === 'forward' || r.against === 'forward')).toBe(true);
    expect(failed.some((r) => r.mode === 'reverse' && r.against === 'forward')).toBe(true);
    expect(report.rows.filter((r) => r.mode === 'reverse' && r.against === 'numeric').every((r) => r.ok)).toBe(true);
    expect(report.failures[0]).toMatch(/^forward along direction 0 gives .*central differences give/);
  });

  it('flags a wrong sign deep inside a loop', () => {
    const entry = corpus.find((e) => e.name === 'softmax_helper_returns_array')!;
    const program = parseProgram(entry.source);
    const at = entry.points[0].at as Point;
    const report = checkGrads(program, at, { modes: [forwardMode(program, at, () => new DualAlgebra(brokenDiv))] });
    expect(report.ok).toBe(false);
    // The same function passes with the real table.
    expect(checkGrads(program, at, { modes: [forwardMode(program, at)] }).ok).toBe(true);
  });

  it('flags a gradient that is off by one part in a thousand', () => {
    const program = parseProgram('function f(a) { let s = 0; for (const v of a) s += Math.exp(v); return s; }');
    const at = { a: [0.1, -0.4, 0.9] };
    const sloppy: Mode = { name: 'sloppy', kind: 'gradient', gradient: () => ({ a: at.a.map((v) => Math.exp(v) * 1.001) }) };
    const report = checkGrads(program, at, { modes: [sloppy] });
    expect(report.ok).toBe(false);
    expect(report.rows.every((r) => !r.ok)).toBe(true);
  });

  it('says when the step crosses a branch of f', () => {
    // f jumps at x = 1; the point sits 1e-7 above it, inside the step (1e-5)
    const report = checkGrads('function f(x) { return x > 1 ? x * x : x; }', { x: 1 + 1e-7 }, { directions: 1 });
    expect(report.branchCrossings).toEqual([0]);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatch(/another branch or crosses a kink within the step/);
  });

  it('says when the step crosses a kink, and not when it stays on one side', () => {
    const near = checkGrads('function f(x) { return Math.abs(x) + Math.floor(3 * x); }', { x: 2e-7 }, { directions: 2 });
    expect(near.branchCrossings).toEqual([0, 1]);
    const far = checkGrads('function f(x) { return Math.abs(x) + Math.floor(3 * x); }', { x: 0.1 }, { directions: 2 });
    expect(far.branchCrossings).toEqual([]);
    expect(far.ok).toBe(true);
  });
});

describe('checkGrads directions', () => {
  it('are reproducible from the seed and cover every scalar input', () => {
    const source = 'function f(a, k) { return a[0] * k + a[1]; }';
    const one = checkGrads(source, { a: [1, 2], k: 3 }, { seed: 7 });
    const again = checkGrads(source, { a: [1, 2], k: 3 }, { seed: 7 });
    const other = checkGrads(source, { a: [1, 2], k: 3 }, { seed: 8 });
    expect(one.directions).toEqual(again.directions);
    expect(one.directions).not.toEqual(other.directions);
    expect(one.directions).toHaveLength(3);
    for (const d of one.directions) {
      expect(d).toHaveLength(3);
      for (const x of d) expect(Math.abs(x)).toBeLessThanOrEqual(1);
    }
    expect(one.ok).toBe(true);
  });

  it('uses mulberry32: seed 1 gives the reference implementation\'s first draws', () => {
    const random = prng(1);
    expect([random(), random(), random()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });
});
