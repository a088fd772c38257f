// The foundation against the independent corpus: f's value (interpreted and compiled) and the
// 40-digit reference gradient match mpmath's 60-digit values, for every function and point.

import { describe, expect, it } from 'vitest';
import { prepare } from '../../src/run.ts';
import { MATH_FUNCTIONS } from '../../src/ir/primitives.ts';
import { corpus, gradientError, relativeError } from './corpus.ts';

describe('corpus coverage', () => {
  it('has at least 100 functions', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
  });
  it('uses every Math.* function', () => {
    const missing = Object.keys(MATH_FUNCTIONS).filter((name) => !corpus.some((e) => e.source.includes(`Math.${name}(`)));
    expect(missing).toEqual([]);
  });
  it('uses every construct of the subset', () => {
    const constructs: Record<string, RegExp> = {
      'function declaration': /^function f\(/m, arrow: /const f = \(/, helper: /function (?!f\()\w+\(/,
      const: /\bconst \w+ = /, let: /\blet \w+ = /, 'compound assignment': /[+\-*/]= /, 'if/else': /\} else \{/,
      'else if': /else if/, for: /for \(let /, 'for...of': /for \(const \w+ of /, while: /while \(/, break: /break;/,
      continue: /continue;/, 'early return': /if \([^)]*\) \{?\s*return/, ternary: / \? .* : /, '**': /\*\*/, '%': / % /,
      'Math.PI': /Math\.PI/, 'Math.E': /Math\.E\b/, 'array literal': /= \[/, 'new Array().fill': /new Array\(\w+\)\.fill\(/,
      indexing: /\w\[\w+\]/, '.length': /\.length/, 'element write': /\w\[\w+\] [+\-*/]?= /, '&&': /&&/, '||': /\|\|/, '!': /!\(/,
    };
    const missing = Object.entries(constructs).filter(([, re]) => !corpus.some((e) => re.test(e.source))).map(([k]) => k);
    expect(missing).toEqual([]);
  });
});

describe('value and exact reference gradient against mpmath', () => {
  for (const entry of corpus) {
    it(entry.name, () => {
      for (const point of entry.points) {
        const prepared = prepare(entry.source, point.at);
        const where = `${entry.name} at ${JSON.stringify(point.at)}`;
        expect(relativeError(prepared.value, point.value), `value, ${where}`).toBeLessThanOrEqual(1e-12);
        const ctx = prepared.context({});
        expect(relativeError(ctx.f(...ctx.args), point.value), `compiled value, ${where}`).toBeLessThanOrEqual(1e-12);
        expect(relativeError(prepared.reference.value, point.value), `reference value, ${where}`).toBeLessThanOrEqual(1e-12);
        expect(gradientError(prepared.reference.gradient, point.gradient), `reference gradient, ${where}`).toBeLessThanOrEqual(1e-12);
      }
    });
  }
});
