// The manual engine: hand-written derivatives, right and wrong, checked against the exact
// reference. Every expected derivative below is derived by hand (in the comment beside it); the
// wrong ones are the classic slips (sign, chain factor, dropped term, constant, swapped partials).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { isError, prepare, runGradient } from '../../src/run.ts';
import { parseProgram } from '../../src/lang/parse.ts';
import { computeReference } from '../../src/reference/reference.ts';
import { boundedReference, constantUncertainty } from '../../src/engines/manual/bounded.ts';
import { candidatePoints, discreteParams } from '../../src/engines/manual/points.ts';
import { manualTemplate } from '../../src/engines/manual/template.ts';
import { verdictOf } from '../../src/engines/manual/check.ts';
import { corpus } from './corpus.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type ManualResult = any;

function manual(source: string, at: Record<string, unknown>, extra: { wrt?: string[]; options?: Record<string, unknown> } = {}): ManualResult {
  const out = runGradient({ source, at, wrt: extra.wrt, engines: ['manual'], options: { manual: extra.options ?? {} } });
  if (isError(out)) throw new Error(`${out.error.kind}: ${out.error.message}`);
  return out.engines.manual;
}

function ok(source: string, at: Record<string, unknown>, extra?: { wrt?: string[]; options?: Record<string, unknown> }): ManualResult {
  const r = manual(source, at, extra);
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r;
}

interface Case {
  name: string;
  f: string;
  at: Record<string, number | number[]>;
  /** The exact gradient at `at`, by hand. */
  gradient: Record<string, number | number[]>;
  /** The slip, named. */
  slip: string;
  wrong: string;
  /** The right derivative, then equivalent forms of it. */
  right: string[];
}

// f, the point, the hand-derived gradient there, one wrong derivative and its right forms.
const CASES: Case[] = [
  {
    name: 'autograd\'s x^2 + 3xy + y^2', f: 'function f(x, y) { return x ** 2 + 3 * x * y + y ** 2; }', at: { x: 2, y: 1 },
    gradient: { x: 7, y: 8 }, // 2x + 3y, 3x + 2y
    slip: 'sign error', wrong: 'function df_dx(x, y) { return 2 * x - 3 * y; }\nfunction df_dy(x, y) { return 3 * x + 2 * y; }',
    right: ['function df_dx(x, y) { return 2 * x + 3 * y; }\nfunction df_dy(x, y) { return 3 * x + 2 * y; }',
      'function df_dx(x, y) { return x + x + 3 * y; }\nfunction df_dy(x, y) { return (3 * x * y + 2 * y * y) / y; }'],
  },
  {
    name: 'sin(x^2)', f: 'function f(x) { return Math.sin(x * x); }', at: { x: 1.3 },
    gradient: { x: 2 * 1.3 * Math.cos(1.69) }, // 2x cos(x^2)
    slip: 'missing chain factor', wrong: 'function df_dx(x) { return Math.cos(x * x); }',
    right: ['function df_dx(x) { return 2 * x * Math.cos(x * x); }', 'function df_dx(x) { return Math.cos(x ** 2) * x * 2; }'],
  },
  {
    name: 'x e^x', f: 'function f(x) { return x * Math.exp(x); }', at: { x: 0.5 },
    gradient: { x: Math.exp(0.5) * 1.5 }, // e^x (1 + x)
    slip: 'dropped term of the product rule', wrong: 'function df_dx(x) { return Math.exp(x); }',
    right: ['function df_dx(x) { return Math.exp(x) * (1 + x); }', 'function df_dx(x) { return Math.exp(x) + x * Math.exp(x); }'],
  },
  {
    name: 'x^3', f: 'function f(x) { return x ** 3; }', at: { x: 2 },
    gradient: { x: 12 }, // 3x^2
    slip: 'wrong constant', wrong: 'function df_dx(x) { return 2 * x ** 2; }',
    right: ['function df_dx(x) { return 3 * x ** 2; }', 'function df_dx(x) { return 3 * x * x; }', 'function df_dx(x) { const x2 = x * x; return x2 + x2 + x2; }'],
  },
  {
    name: 'x^2 y', f: 'function f(x, y) { return x * x * y; }', at: { x: 2, y: 1 },
    gradient: { x: 4, y: 4 }, // 2xy, x^2: equal at (2, 1), so only other points catch the swap
    slip: 'swapped partials', wrong: 'function df_dx(x, y) { return x * x; }\nfunction df_dy(x, y) { return 2 * x * y; }',
    right: ['function df_dx(x, y) { return 2 * x * y; }\nfunction df_dy(x, y) { return x * x; }', 'function grad_f(x, y) { return [2 * x * y, x ** 2]; }'],
  },
  {
    name: 'sin(x)/x', f: 'function f(x) { return Math.sin(x) / x; }', at: { x: 1.2 },
    gradient: { x: (1.2 * Math.cos(1.2) - Math.sin(1.2)) / 1.44 }, // (x cos x - sin x) / x^2
    slip: 'quotient rule with + for -', wrong: 'function df_dx(x) { return (x * Math.cos(x) + Math.sin(x)) / x ** 2; }',
    right: ['function df_dx(x) { return (x * Math.cos(x) - Math.sin(x)) / x ** 2; }', 'function df_dx(x) { return Math.cos(x) / x - Math.sin(x) / (x * x); }'],
  },
  {
    name: 'ln(x^2 + 1)', f: 'function f(x) { return Math.log(x * x + 1); }', at: { x: 0.8 },
    gradient: { x: 1.6 / 1.64 }, // 2x / (x^2 + 1)
    slip: 'missing inner derivative', wrong: 'function df_dx(x) { return 1 / (x * x + 1); }',
    right: ['function df_dx(x) { return 2 * x / (x * x + 1); }', 'function df_dx(x) { return 2 / (x + 1 / x); }'],
  },
  {
    name: 'sqrt(x)', f: 'function f(x) { return Math.sqrt(x); }', at: { x: 2 },
    gradient: { x: 0.5 / Math.SQRT2 }, // 1 / (2 sqrt x)
    slip: 'missing factor 1/2', wrong: 'function df_dx(x) { return 1 / Math.sqrt(x); }',
    right: ['function df_dx(x) { return 1 / (2 * Math.sqrt(x)); }', 'function df_dx(x) { return 0.5 * x ** -0.5; }', 'function df_dx(x) { return Math.sqrt(x) / (2 * x); }'],
  },
  {
    name: 'cos x', f: 'function f(x) { return Math.cos(x); }', at: { x: 0.9 },
    gradient: { x: -Math.sin(0.9) },
    slip: 'sign of the derivative of cos', wrong: 'function df_dx(x) { return Math.sin(x); }',
    right: ['function df_dx(x) { return -Math.sin(x); }', 'function df_dx(x) { return Math.sin(-x); }', 'function df_dx(x) { return -Math.cos(x - Math.PI / 2) ; }'],
  },
  {
    name: 'atan x', f: 'function f(x) { return Math.atan(x); }', at: { x: 0.5 },
    gradient: { x: 0.8 }, // 1 / (1 + x^2)
    slip: 'sign inside 1/(1 + x^2)', wrong: 'function df_dx(x) { return 1 / (1 - x * x); }',
    right: ['function df_dx(x) { return 1 / (1 + x * x); }', 'function df_dx(x) { return Math.cos(Math.atan(x)) ** 2; }'],
  },
  {
    name: 'exp(-x^2)', f: 'function f(x) { return Math.exp(-x * x); }', at: { x: 0.7 },
    gradient: { x: -1.4 * Math.exp(-0.49) }, // -2x e^(-x^2)
    slip: 'lost minus sign of the inner derivative', wrong: 'function df_dx(x) { return 2 * x * Math.exp(-x * x); }',
    right: ['function df_dx(x) { return -2 * x * Math.exp(-x * x); }', 'function df_dx(x) { return -2 * x / Math.exp(x ** 2); }'],
  },
  {
    name: 'tanh x', f: 'function f(x) { return Math.tanh(x); }', at: { x: 0.4 },
    gradient: { x: 1 - Math.tanh(0.4) ** 2 },
    slip: '1 + tanh^2 for 1 - tanh^2', wrong: 'function df_dx(x) { return 1 + Math.tanh(x) ** 2; }',
    right: ['function df_dx(x) { return 1 - Math.tanh(x) ** 2; }', 'function df_dx(x) { return 1 / Math.cosh(x) ** 2; }'],
  },
  {
    name: 'x^y', f: 'function f(x, y) { return x ** y; }', at: { x: 2, y: 3 },
    gradient: { x: 12, y: 8 * Math.LN2 }, // y x^(y-1), x^y ln x
    slip: 'exponent treated as a constant', wrong: 'function df_dx(x, y) { return y * x ** (y - 1); }\nfunction df_dy(x, y) { return x ** y; }',
    right: ['function df_dx(x, y) { return y * x ** (y - 1); }\nfunction df_dy(x, y) { return x ** y * Math.log(x); }', 'function grad_f(x, y) { return [y * x ** y / x, Math.exp(y * Math.log(x)) * Math.log(x)]; }'],
  },
  {
    name: 'sum of squares over an array', f: 'function f(x) { let s = 0; for (let i = 0; i < x.length; i++) { s += x[i] * x[i]; } return s; }', at: { x: [1, 2, 3] },
    gradient: { x: [2, 4, 6] }, // 2 x_i
    slip: 'missing factor 2 in each entry', wrong: 'function df_dx(x) { return [x[0], x[1], x[2]]; }',
    right: ['function df_dx(x) { const g = new Array(x.length).fill(0); for (let i = 0; i < x.length; i++) { g[i] = 2 * x[i]; } return g; }', 'function df_dx(x) { return [2 * x[0], x[1] + x[1], 2 * x[2]]; }'],
  },
  {
    name: 'x y^2 with grad_f', f: 'function f(x, y) { return x * y * y; }', at: { x: 1.5, y: 2 },
    gradient: { x: 4, y: 6 }, // y^2, 2xy
    slip: 'grad_f entries in the wrong order', wrong: 'function grad_f(x, y) { return [2 * x * y, y * y]; }',
    right: ['function grad_f(x, y) { return [y * y, 2 * x * y]; }', 'function df_dx(x, y) { return y ** 2; }\nfunction df_dy(x, y) { return 2 * y * x; }'],
  },
  {
    name: 'xy + sin x', f: 'function f(x, y) { return x * y + Math.sin(x); }', at: { x: 0.3, y: -1.1 },
    gradient: { x: -1.1 + Math.cos(0.3), y: 0.3 }, // y + cos x, x
    slip: 'dropped term', wrong: 'function df_dx(x, y) { return y; }\nfunction df_dy(x, y) { return x; }',
    right: ['function df_dx(x, y) { return y + Math.cos(x); }\nfunction df_dy(x, y) { return x; }'],
  },
  {
    name: 'sin 3x', f: 'function f(x) { return Math.sin(3 * x); }', at: { x: 0.25 },
    gradient: { x: 3 * Math.cos(0.75) },
    slip: 'chain factor outside, argument lost', wrong: 'function df_dx(x) { return 3 * Math.cos(x); }',
    right: ['function df_dx(x) { return 3 * Math.cos(3 * x); }', 'function df_dx(x) { return 3 * (Math.cos(x) ** 3 * 4 - 3 * Math.cos(x)); }'],
  },
  {
    name: 'cosh x', f: 'function f(x) { return Math.cosh(x); }', at: { x: 1.1 },
    gradient: { x: Math.sinh(1.1) },
    slip: 'sign copied from cos', wrong: 'function df_dx(x) { return -Math.sinh(x); }',
    right: ['function df_dx(x) { return Math.sinh(x); }', 'function df_dx(x) { return (Math.exp(x) - Math.exp(-x)) / 2; }'],
  },
  {
    name: '1/x', f: 'function f(x) { return 1 / x; }', at: { x: 4 },
    gradient: { x: -1 / 16 },
    slip: 'power rule with the wrong power', wrong: 'function df_dx(x) { return -1 / x; }',
    right: ['function df_dx(x) { return -1 / x ** 2; }', 'function df_dx(x) { return -(x ** -2); }'],
  },
  {
    name: 'log base 10', f: 'function f(x) { return Math.log10(x); }', at: { x: 7 },
    gradient: { x: 1 / (7 * Math.LN10) },
    slip: 'natural log\'s derivative', wrong: 'function df_dx(x) { return 1 / x; }',
    right: ['function df_dx(x) { return 1 / (x * Math.log(10)); }', 'function df_dx(x) { return Math.log10(Math.E) / x; }'],
  },
];

describe('deliberately wrong derivatives are all caught', () => {
  it(`has at least 15 of them (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
  });
  for (const c of CASES) {
    it(`${c.name}: ${c.slip}`, () => {
      const r = ok(`${c.f}\n${c.wrong}`, c.at);
      expect(['wrong', 'partly']).toContain(r.verdict);
      const ce = r.counterexample;
      expect(ce).toBeDefined();
      expect(typeof ce.reference).toBe('number');
      expect(typeof ce.yours).toBe('number');
      // The counterexample is real: f's exact derivative there, recomputed from scratch, is the one shown.
      const exact = prepare(c.f, ce.at).reference.gradient;
      const m = /^(\w+)(?:\[(\d+)\])?$/.exec(ce.wrt)!;
      const expected = m[2] === undefined ? exact[m[1]] as number : (exact[m[1]] as number[])[Number(m[2])];
      expect(ce.reference).toBe(expected);
      expect(Math.abs(ce.yours - ce.reference)).toBeGreaterThan(1e-6 * Math.max(1, Math.abs(ce.reference)));
      expect(r.checked_points).toBeGreaterThanOrEqual(21);
    });
  }
});

describe('their right and equivalent forms are all accepted', () => {
  for (const c of CASES) {
    c.right.forEach((right, k) => {
      it(`${c.name}: ${k === 0 ? 'the right derivative' : `equivalent form ${k}`}`, () => {
        const r = ok(`${c.f}\n${right}`, c.at);
        expect(r.verdict, JSON.stringify(r.counterexample)).toBe('correct');
        expect(r.counterexample).toBeUndefined();
        expect(r.checked_points).toBeGreaterThanOrEqual(21);
        // The gradient shown is the user's formula in doubles: right to rounding here.
        for (const [name, v] of Object.entries(c.gradient)) {
          [v].flat().forEach((x, i) => {
            const got = [r.gradient[name]].flat()[i] as number;
            expect(Math.abs(got - x)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(x)));
          });
        }
      });
    });
  }

  it('Math.sin(2*x) against 2*Math.sin(x)*Math.cos(x) for sin(x)^2', () => {
    for (const form of ['Math.sin(2 * x)', '2 * Math.sin(x) * Math.cos(x)']) {
      expect(ok(`function f(x) { return Math.sin(x) ** 2; }\nfunction df_dx(x) { return ${form}; }`, { x: 0.7 }).verdict).toBe('correct');
    }
  });
});

describe('right on part of the domain', () => {
  const f = 'function f(x) { return Math.sqrt(x * x); }';
  it('x against sqrt(x*x): `1` is right for x > 0 only, from either side', () => {
    for (const x of [2, -2, 0.3, 50]) {
      const r = ok(`${f}\nfunction df_dx(x) { return 1; }`, { x });
      expect(r.verdict, `at x = ${x}`).toBe('partly');
      // The counterexample sits where x < 0: there d/dx sqrt(x^2) = -1.
      expect(r.counterexample.at.x).toBeLessThan(0);
      expect(r.counterexample).toMatchObject({ yours: 1, reference: -1 });
      expect(r.notes.join(' ')).toMatch(/right at every point checked with x >= [\d.]+, wrong at every one with x <= -[\d.]+/);
    }
  });
  it('x / |x| and Math.sign(x) are right everywhere', () => {
    expect(ok(`${f}\nfunction df_dx(x) { return x / Math.abs(x); }`, { x: 2 }).verdict).toBe('correct');
    expect(ok(`${f}\nfunction df_dx(x) { return Math.sign(x); }`, { x: -3 }).verdict).toBe('correct');
  });
  it('a branch: 2x for f = x > 0 ? x^2 : -x is right only where x > 0', () => {
    const r = ok('function f(x) { if (x > 0) { return x * x; } return -x; }\nfunction df_dx(x) { return 2 * x; }', { x: 1 });
    expect(r.verdict).toBe('partly');
    expect(r.counterexample.reference).toBe(-1);
  });
  it('does not judge at a kink, where the derivative is only a convention', () => {
    // abs'(0) is 0 by convention and x/|x| is NaN there: neither is "the" derivative, so x = 0 is not checked.
    const r = ok('function f(x) { return Math.abs(x); }\nfunction df_dx(x) { return x / Math.abs(x); }', { x: 0 });
    expect(r.verdict).toBe('correct');
    expect(r.notes.join(' ')).toMatch(/your point itself is not checked: f has a kink here/);
    const tie = ok('function f(x, y) { return Math.max(x, y); }\nfunction grad_f(x, y) { return x > y ? [1, 0] : [0, 1]; }', { x: 1, y: 1 });
    expect(tie.verdict).toBe('correct');
    expect(tie.checked_points).toBeGreaterThanOrEqual(21);
  });
  it('the verdict rule: a coincidence at the user\'s point is not "partly"', () => {
    expect(verdictOf([{ base: true, agree: true }, { base: false, agree: false }, { base: false, agree: true }, { base: false, agree: false }])).toBe('wrong');
    expect(verdictOf([{ base: true, agree: false }, ...[1, 2, 3].map(() => ({ base: false, agree: true }))])).toBe('partly');
    expect(verdictOf([{ base: true, agree: true }, { base: false, agree: true }])).toBe('correct');
  });
});

describe('the tolerance accepts rounding and nothing else', () => {
  it('accepts constants that are only rounded: 0.1 against /10, a 17-digit ln 2, pi/180 typed out', () => {
    expect(ok('function f(x) { return x / 10 - 0.1 * x; }\nfunction df_dx(x) { return 0; }', { x: 2 }).verdict).toBe('correct');
    expect(ok('function f(x) { return 0.1 * x * x; }\nfunction df_dx(x) { return x / 5; }', { x: 3 }).verdict).toBe('correct');
    expect(ok('function f(x) { return Math.log2(x); }\nfunction df_dx(x) { return 1 / (x * 0.6931471805599453); }', { x: 3 }).verdict).toBe('correct');
    expect(ok('function f(x) { return Math.sin(x * Math.PI / 180); }\nfunction df_dx(x) { return 0.017453292519943295 * Math.cos(x * Math.PI / 180); }', { x: 30 }).verdict).toBe('correct');
  });
  it('refuses a constant with too few digits, and says why', () => {
    const r = ok('function f(x) { return Math.log2(x); }\nfunction df_dx(x) { return 1 / (x * 0.69314718); }', { x: 3 });
    expect(r.verdict).toBe('wrong');
    expect(r.notes.join(' ')).toMatch(/smaller than 1e-8 relative: the formula looks right, but a constant in it is not exact/);
  });
  it('refuses an error of one part in 1e12 in the formula itself', () => {
    expect(ok('function f(x) { return x * x; }\nfunction df_dx(x) { return 2 * x * (1 + 1e-12); }', { x: 3 }).verdict).toBe('wrong');
  });
  it('judges the formula, not its doubles: a right formula that cancels in doubles is correct, with a note', () => {
    // f = (1 - cos x) / x^2; f' = (x sin x - 2 (1 - cos x)) / x^3, which cancels badly in doubles near 0.
    const r = ok('function f(x) { return (1 - Math.cos(x)) / x ** 2; }\nfunction df_dx(x) { return (x * Math.sin(x) - 2 * (1 - Math.cos(x))) / x ** 3; }', { x: 1e-5 });
    expect(r.verdict).toBe('correct');
    expect(r.max_rel_error).toBeGreaterThan(1e-3);
    expect(r.notes.join(' ')).toMatch(/in doubles your formula for x loses digits at this point/);
  });
  it('bounds a constant by its spelling: exact ones carry no uncertainty', () => {
    expect(constantUncertainty(2).isZero()).toBe(true);
    expect(constantUncertainty(0.5).isZero()).toBe(true);
    expect(constantUncertainty(0.1).toNumber()).toBeCloseTo(0.1 * 2 ** -53, 30);
    expect(constantUncertainty(Math.PI).isZero()).toBe(false);
  });
});

describe('the judge computes the reference exactly as src/reference does', () => {
  const entries = corpus.filter((_, i) => i % 5 === 0);
  it(`on ${entries.length} corpus functions`, () => {
    for (const entry of entries) {
      const program = parseProgram(entry.source);
      const point = entry.points[0].at;
      const plain = computeReference(program, point);
      const judged = boundedReference(program, point, 5_000_000);
      const flat = Object.values(plain.gradient).flat();
      expect(judged.slots.map((s) => s.v.toNumber()), entry.name).toEqual(flat);
      expect(judged.value.v.toNumber()).toBe(plain.value);
    }
  });
});

describe('where the derivative comes from', () => {
  const f = 'function f(x, y) {\n  return x ** 2 + 3 * x * y + y ** 2;\n}';
  it('offers a template built from f\'s signature when none is given', () => {
    const r = manual(f, { x: 2, y: 1 });
    expect(r.ok).toBe(false);
    expect(r.error.kind).toBe('input');
    expect(r.error.message).toContain('no hand-written derivative to check');
    // The template comes as its own field of the result, beside the message.
    expect(r.template).toContain('function df_dx(x, y) {\n  return 0; // your derivative of f with respect to x\n}');
    expect(r.template).toContain('function df_dy(x, y) {');
    expect(manualTemplate(parseProgram('x^2 + 3*x*y'))).toBe('df_dx = 0  # your derivative of f with respect to x\ndf_dy = 0  # your derivative of f with respect to y');
    // The template itself parses and is recognised.
    const program = parseProgram(`${f}\n${manualTemplate(parseProgram(f))}`);
    expect(program.manual?.partials).toEqual({ x: 'df_dx', y: 'df_dy' });
    // An array parameter gets an array-valued template.
    expect(manualTemplate(parseProgram('function f(x) { return x[0] * x[1]; }'))).toContain('return new Array(x.length).fill(0);');
  });
  it('names a missing partial, and checks the rest with --wrt', () => {
    const source = `${f}\nfunction df_dx(x, y) { return 2 * x + 3 * y; }`;
    const r = manual(source, { x: 2, y: 1 });
    expect(r.ok).toBe(false);
    expect(r.error.message).toMatch(/no hand-written derivative with respect to y: you gave df_dx; add df_dy/);
    const only = ok(source, { x: 2, y: 1 }, { wrt: ['x'] });
    expect(only).toMatchObject({ verdict: 'correct', gradient: { x: 7 } });
  });
  it('binds parameters by name (df_dx(x) for f(x, y)) or by position', () => {
    expect(ok(`${f}\nfunction df_dx(x) { return 2 * x + 3; }\nfunction df_dy(y, x) { return 3 * x + 2 * y; }`, { x: 2, y: 1 }, { wrt: ['y'] }).verdict).toBe('correct');
    expect(ok(`${f}\nfunction df_dx(a, b) { return 2 * a + 3 * b; }\nfunction df_dy(a, b) { return 3 * a + 2 * b; }`, { x: 2, y: 1 })).toMatchObject({ verdict: 'correct', derivatives: { x: { expression: '2 * x + 3 * y' } } });
    const bad = manual(`${f}\nfunction df_dx(a) { return 2 * a; }\nfunction df_dy(x, y) { return 3 * x + 2 * y; }`, { x: 2, y: 1 });
    expect(bad.error).toMatchObject({ kind: 'arity', line: 4 });
  });
  it('refuses a grad_f of the wrong length, at its line', () => {
    const r = manual(`${f}\nfunction grad_f(x, y) {\n  return [2 * x + 3 * y];\n}`, { x: 2, y: 1 });
    expect(r.error).toMatchObject({ kind: 'type', line: 4 });
    expect(r.error.message).toMatch(/grad_f returns 1 number, but must return 2/);
  });
  it('takes grad_f in parameter order, array elements in turn', () => {
    const r = ok('function f(x, y) { return x[0] * x[1] * y; }\nfunction grad_f(x, y) { return [x[1] * y, x[0] * y, x[0] * x[1]]; }', { x: [2, 3], y: 5 });
    expect(r).toMatchObject({ verdict: 'correct', gradient: { x: [15, 10], y: 6 } });
    expect(Object.keys(r.derivatives)).toEqual(['x_0', 'x_1', 'y']);
    expect(r.derivatives.x_0.expression).toBe('x_1 * y');
  });
});

describe('expression mode', () => {
  it('reads df_dx = ... and df/dy = ... lines (autograd\'s example: 7 at (2, 1))', () => {
    const r = ok('x^2 + 3*x*y + y^2\ndf_dx = 2*x + 3*y\ndf/dy = 3*x + 2*y', { x: 2, y: 1 });
    expect(r).toMatchObject({ verdict: 'correct', gradient: { x: 7, y: 8 } });
    expect(r.derivatives.x).toEqual({ expression: '2 * x + 3 * y', latex: '2 \\cdot x + 3 \\cdot y' });
  });
  it('sympy\'s z = x^2 + y^2: dz/dy = 2y, 6 at y = 3; and a wrong one', () => {
    const r = ok('z = x^2 + y^2\ndz_dy = 2y', { x: 1, y: 3 }, { wrt: ['y'] });
    expect(r).toMatchObject({ verdict: 'correct', gradient: { y: 6 }, derivatives: { y: { latex: '2 \\cdot y' } } });
    const w = ok('z = x^2 + y^2\ndz/dy = 2x', { x: 1, y: 3 }, { wrt: ['y'] });
    expect(w.verdict).toBe('wrong');
  });
  it('reads grad_f = [...] and function-style df_dx(x) = ...', () => {
    expect(ok('f(x, y) = x^2 * y\ngrad_f = [2*x*y, x^2]', { x: 2, y: 1 }).verdict).toBe('correct');
    expect(ok('x^2\ndf_dx(x) = 2x', { x: 2 })).toMatchObject({ verdict: 'correct', gradient: { x: 4 } });
  });
  it("reads a teacher's f'(x) = ..., and says where a wrong one fails", () => {
    // d/dx (x^3 + sin x) = 3x^2 + cos x: 3 * 0.49 + cos(0.7) at x = 0.7.
    expect(ok("f(x) = x^3 + sin(x)\nf'(x) = 3x^2 + cos(x)", { x: 0.7 })).toMatchObject({ verdict: 'correct', gradient: { x: 1.47 + Math.cos(0.7) } });
    expect(ok("f(x) = x^3 + sin(x)\nf'(x) = 3x^2 - cos(x)", { x: 0.7 })).toMatchObject({ verdict: 'wrong' });
  });

  it('reads df/dx(x, y) = ... too', () => {
    expect(ok('x^2 * y\ndf/dx(x, y) = 2*x*y\ndf/dy = x^2', { x: 2, y: 3 })).toMatchObject({ verdict: 'correct', gradient: { x: 12, y: 4 } });
  });
  it('tangent\'s example: d/dy at (0, 5) is 10', () => {
    expect(ok('x^2 + 3*x*y + y^2\ndf_dy = 3*x + 2*y', { x: 0, y: 5 }, { wrt: ['y'] }).gradient).toEqual({ y: 10 });
  });
});

describe('points', () => {
  it('are deterministic, spread around the point on both sides of zero, and readable', () => {
    const program = parseProgram('function f(x, y) { return x * y; }');
    const a = candidatePoints(program, { x: 2, y: -0.5 }, 24);
    expect(candidatePoints(program, { x: 2, y: -0.5 }, 24)).toEqual(a);
    expect(a).toHaveLength(24);
    const xs = a.map((p) => p.x as number);
    expect(xs.filter((x) => x < 0).length).toBeGreaterThanOrEqual(4);
    expect(xs.filter((x) => x > 0).length).toBeGreaterThanOrEqual(4);
    for (const x of xs) expect(x.toString().replace(/^-/, '').replace('.', '').replace(/^0+/, '').length).toBeLessThanOrEqual(4);
  });
  it('move loop counts by whole numbers, keeping their sign', () => {
    const source = 'function f(x, n) { let p = 1; for (let i = 0; i < n; i++) { p *= x; } return p; }';
    expect([...discreteParams(parseProgram(source))]).toEqual(['n']);
    for (const p of candidatePoints(parseProgram(source), { x: 1.5, n: 3 }, 24)) {
      expect(Number.isInteger(p.n)).toBe(true);
      expect(p.n as number).toBeGreaterThanOrEqual(0);
    }
    const r = ok(`${source}\nfunction df_dx(x, n) { return n * x ** (n - 1); }\nfunction df_dn(x, n) { return 0; }`, { x: 1.5, n: 3 });
    expect(r.verdict).toBe('correct');
    expect(r.notes.join(' ')).toMatch(/n counts loop steps or indexes arrays/);
  });
  it('skip points where f is not defined, and say so', () => {
    const r = ok('function f(x) { return Math.log(x); }\nfunction df_dx(x) { return 1 / x; }', { x: 0.5 });
    expect(r.verdict).toBe('correct');
    expect(r.checked_points).toBeGreaterThanOrEqual(21);
    expect(r.notes.join(' ')).toMatch(/skipped: f is not defined here/);
  });
});

describe('the command line: --manual FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ddx-manual-'));
  const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const fJs = file('f.js', 'function f(x, y) {\n  return x ** 2 + 3 * x * y + y ** 2;\n}\n');
  const fExpr = file('f.txt', 'x^2 + 3*x*y + y^2\n');
  async function run(argv: string[]) {
    let out = '';
    const io = { stdout: (t: string) => { out += t; }, stderr: () => {}, readStdin: () => '' };
    const code = await main(argv, io);
    return { code, json: JSON.parse(out) };
  }
  const at = ['--at', '{"x":2,"y":1}', '--engines', 'manual', '--json'];

  it('checks a derivative file in the same mode as f', async () => {
    const m = file('good.js', 'function df_dx(x, y) { return 2 * x + 3 * y; }\nfunction df_dy(x, y) { return 3 * x + 2 * y; }\n');
    const { code, json } = await run(['grad', fJs, '--manual', m, ...at]);
    expect(code).toBe(0);
    expect(json.engines.manual).toMatchObject({ ok: true, verdict: 'correct', gradient: { x: 7, y: 8 }, max_rel_error: 0 });
  });
  it('reports a wrong one with its counterexample', async () => {
    const m = file('wrong.js', 'function df_dx(x, y) { return 2 * x + 3 * y; }\nfunction df_dy(x, y) { return 3 * x + y; }\n');
    const { json } = await run(['grad', fJs, '--manual', m, ...at]);
    expect(json.engines.manual).toMatchObject({ verdict: 'wrong', counterexample: { at: { x: 2, y: 1 }, wrt: 'y', function: 'df_dy', yours: 7, reference: 8 } });
  });
  it('takes formulas for a function-mode f, and functions for a formula f', async () => {
    const formulas = file('m.txt', 'df_dx = 2*x + 3*y\ndf/dy = 3*x + 2*y\n');
    const functions = file('m.js', 'function df_dx(x, y) { return 2 * x + 3 * y; }\nfunction df_dy(x, y) { return 3 * x + 2 * y; }\n');
    expect((await run(['grad', fJs, '--manual', formulas, ...at])).json.engines.manual.verdict).toBe('correct');
    expect((await run(['grad', fExpr, '--manual', functions, ...at])).json.engines.manual.verdict).toBe('correct');
    expect((await run(['grad', fExpr, '--manual', formulas, ...at])).json.engines.manual.verdict).toBe('correct');
  });
  it('points errors at their line and column in the manual file', async () => {
    const m = file('bad.js', 'function df_dx(x, y) { return 2 * x + 3 * y; }\nfunction df_dy(x, y) {\n  return 3 * x + 2 * z;\n}\n');
    const { json } = await run(['grad', fJs, '--manual', m, ...at]);
    expect(json.engines.manual).toMatchObject({ ok: false, error: { kind: 'unknown-name', line: 3, column: 22 } });
    expect(json.engines.manual.error.message).toMatch(/^in the manual text: z is not defined/);
    const syntax = file('syntax.txt', 'df_dx = 2*x +\n');
    const s = (await run(['grad', fExpr, '--manual', syntax, ...at])).json.engines.manual;
    expect(s).toMatchObject({ ok: false, error: { kind: 'syntax', line: 1 } });
  });
});

describe('options', () => {
  const source = 'function f(x) { return Math.sin(x); }\nfunction df_dx(x) { return Math.cos(x); }';
  it('points sets how many points besides the user\'s are checked (20 to 500)', () => {
    expect(ok(source, { x: 1 }, { options: { points: 60 } }).checked_points).toBe(61);
    expect(manual(source, { x: 1 }, { options: { points: 5 } }).error).toMatchObject({ kind: 'input', message: expect.stringMatching(/points option must be a whole number from 20 to 500/) });
  });
  it('budget caps the 40-digit work, and the note says the verdict rests on fewer points', () => {
    const r = ok(source, { x: 1 }, { options: { budget: 0 } });
    expect(r.checked_points).toBe(1);
    expect(r.notes.join(' ')).toMatch(/checked only 1 point: the budget of 0 operation units/);
  });
  it('a costly f stops at the default budget with the same note, its own point always checked', () => {
    const loop = 'function f(x) { let s = 0; for (let i = 0; i < 400; i++) { s += Math.sin(x * i); } return s; }\nfunction df_dx(x) { let s = 0; for (let i = 0; i < 400; i++) { s += i * Math.cos(x * i); } return s; }';
    const r = ok(loop, { x: 0.3 });
    expect(r.verdict).toBe('correct');
    expect(r.checked_points).toBeLessThan(21);
    expect(r.notes.join(' ')).toMatch(/checked only \d+ points?: the budget of 25,000 operation units/);
  });
});

describe('timing', () => {
  it('times the compiled derivative with --time', () => {
    const out = runGradient({ source: `${CASES[0].f}\n${CASES[0].right[0]}`, at: CASES[0].at, engines: ['manual'], time: true });
    if (isError(out)) throw new Error(out.error.message);
    const m = out.engines.manual as ManualResult;
    expect(typeof m.cost.micros).toBe('number');
    expect(m.cost.points).toBe(m.checked_points);
  });
});

describe('formulas shown', () => {
  it('substitute locals and turn if/else into cases', () => {
    const r = ok('function f(x) { return Math.abs(x) * x; }\nfunction df_dx(x) {\n  const a = Math.abs(x);\n  if (x < 0) { return -2 * x; }\n  return 2 * a;\n}', { x: 1.5 });
    expect(r.verdict).toBe('correct');
    expect(r.derivatives.x.expression).toBe('(x < 0 ? -2 * x : 2 * abs(x))');
    expect(r.derivatives.x.latex).toContain('\\begin{cases}');
  });
  it('are left out for loops, with a note; the values are still checked', () => {
    const r = ok(`${CASES[13].f}\n${CASES[13].right[0]}`, { x: [1, 2, 3] });
    expect(r.derivatives).toEqual({});
    expect(r.notes.join(' ')).toMatch(/df_dx: no closed formula to show/);
  });
});
