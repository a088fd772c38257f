// The compiled tape's two backward sweeps (src/engines/reverse/compiled-tape.ts): the fast one,
// which sweeps every record without reached flags, must give bit for bit the exact one's gradient
// wherever no input's adjoint comes out zero or NaN (where runTape falls back to the exact one);
// and runTape without a view (maxNodes 0, the fast path) must agree with the outside reference and
// with the foundation's Tape on the corpus and on the zero-adjoint and NaN edge cases.

import { describe, expect, it } from 'vitest';
import { corpus, gradientError } from './corpus.ts';
import { parseProgram } from '../../src/lang/parse.ts';
import { tapeAdjoints } from './fixtures/tape-adjoints.ts';
import { runTape } from '../../src/engines/reverse/tape-view.ts';
import type { Point } from '../../src/point.ts';
import { foundationTape, ZERO_ADJOINT_CASES, type At } from './fixtures/zero-adjoints.ts';

/** The foundation's Tape over the interpreter at one point: the inputs' adjoints. */
const foundation = (source: string, at: At): number[] => foundationTape(source, at).gradient;

const gradientList = (source: string, at: At, maxNodes: number) => {
  const program = parseProgram(source);
  const params = program.functions[program.main].params.map((p) => p.name);
  const { gradient } = runTape(program, at as Point, params, maxNodes);
  return params.flatMap((n) => [gradient[n]].flat() as number[]);
};

describe('the fast backward sweep', () => {
  it('gives the exact sweep\'s adjoints bit for bit on the corpus wherever none is zero or NaN, and is taken at most points', () => {
    let taken = 0, points = 0;
    for (const e of corpus) {
      for (const p of e.points) {
        points++;
        const fast = tapeAdjoints(e.source, p.at, true);
        if (fast.some((g) => g === 0 || Number.isNaN(g))) continue;
        taken++;
        expect(fast, `${e.name} at ${JSON.stringify(p.at)}`).toEqual(tapeAdjoints(e.source, p.at, false));
      }
    }
    // Most corpus points have no zero in their gradient: the comparison above is not vacuous.
    expect(taken).toBeGreaterThan(points / 2);
  });

  it('stands for the exact sweep in runTape without a view: the reference to 1e-12 and the view\'s gradient bit for bit', () => {
    for (const e of corpus) {
      const program = parseProgram(e.source);
      for (const p of e.points) {
        const { gradient } = runTape(program, p.at as Point, e.params, 0);
        expect(gradientError(gradient, p.gradient), `${e.name} at ${JSON.stringify(p.at)}`).toBeLessThanOrEqual(1e-12);
        expect(gradientList(e.source, p.at, 0), e.name).toEqual(gradientList(e.source, p.at, 5000));
      }
    }
  });

  it('falls back to the exact sweep where an adjoint is zero or NaN, as the foundation\'s Tape gives them', () => {
    const cases: [string, At][] = [
      ...ZERO_ADJOINT_CASES,
      ['function f(x) { const u = 1 / Math.sqrt(x); return x * u * 0 + x; }', { x: 0 }],
      // -0 from the first contribution, where 0 + -0 would be +0.
      ['function f(x) { return -(0 * x); }', { x: 3 }],
      // An input the output does not depend on, and an output that depends on no input.
      ['function f(x, y) { return x * x; }', { x: 3, y: 2 }],
      ['function f(x) { return 4; }', { x: 3 }],
      // A cancellation to -0 in one input, a plain value in the other.
      ['function f(x, y) { return x * y - x * y + y; }', { x: 0, y: -2 }],
    ];
    for (const [source, at] of cases) {
      const theirs = foundation(source, at);
      expect(gradientList(source, at, 0), source).toEqual(theirs);
      expect(gradientList(source, at, 5000), source).toEqual(theirs);
    }
  });
});
