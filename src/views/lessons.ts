// Facts the Learn panel states, as data its unit test checks against ddx's own engines: the blog's
// examples (shared/SEED-EXAMPLES.md) with what each Python library printed and the ddx function
// that must print the same, and what systems take for abs at its kink beside ddx's rule.

import type { Point } from '../point.ts';
import { RULES } from '../rules/table.ts';

export interface BlogExample {
  id: string;
  library: 'sympy' | 'autograd' | 'tangent';
  /** The Python as the post wrote it (abridged where it says so). */
  python: string;
  /** What the library printed. */
  printed: string;
  /** A remark on the post, where it slipped or where ddx reads it differently. */
  remark?: string;
  /** The same in ddx's JavaScript (or expression mode), the point and the parameters differentiated. */
  source: string;
  point: Point;
  wrt: string[];
  /** What every exact ddx engine must give, per partial. */
  expected: Record<string, number>;
  /** Open the reverse card on its generated code (the tangent example's point). */
  reverseView?: 'code';
}

export const BLOG_EXAMPLES: BlogExample[] = [
  {
    id: 'sympy',
    library: 'sympy',
    python: ['from sympy import symbols, diff', "x, y = symbols('x y')", 'z = x**2 + y**2', 'diff(z, y)', 'diff(z, y).subs(y, 3)'].join('\n'),
    printed: '2*y\n6',
    remark: 'The post\'s prose says "y = 6 gives 12" while its code substitutes 3; both fit 2y.',
    source: 'z = x**2 + y**2\n',
    point: { x: 1, y: 3 },
    wrt: ['y'],
    expected: { y: 6 },
  },
  {
    id: 'autograd',
    library: 'autograd',
    python: [
      'import autograd.numpy as np',
      'from autograd import grad',
      '',
      'def fun(x, y):',
      '    return x**2 + 3*x*y + y**2',
      '',
      'fun_grad = grad(fun)   # d/dx: the first argument',
      'fun_grad(2., 1.)',
    ].join('\n'),
    printed: '7.0',
    remark: 'Its comments give df/dx = 2x + 3y and df/dy = 3x + 2y: at (1, 2), 8 and 7.',
    source: 'function fun(x, y) {\n  return x**2 + 3*x*y + y**2;\n}\n',
    point: { x: 2, y: 1 },
    wrt: ['x'],
    expected: { x: 7 },
  },
  {
    id: 'tangent',
    library: 'tangent',
    python: ['import tangent', '', 'df = tangent.grad(fun)   # wrt x by default', 'df(4, y=1)'].join('\n'),
    printed: '11',
    remark: 'The exact value is 2·4 + 3·1 = 11; the post\'s prose says 8, a slip.',
    source: 'function fun(x, y) {\n  return x**2 + 3*x*y + y**2;\n}\n',
    point: { x: 4, y: 1 },
    wrt: ['x'],
    expected: { x: 11 },
  },
  {
    id: 'tangent-wrt-y',
    library: 'tangent',
    python: ['df = tangent.grad(fun, wrt=(1,))   # wrt y', 'df(0, 5)'].join('\n'),
    printed: '10',
    source: 'function fun(x, y) {\n  return x**2 + 3*x*y + y**2;\n}\n',
    point: { x: 0, y: 5 },
    wrt: ['y'],
    expected: { y: 10 },
  },
  {
    id: 'tangent-source',
    library: 'tangent',
    python: ['def df(x):', '    z = x**2', '    return z', '', 'tangent.grad(df, verbose=1)'].join('\n'),
    printed: [
      'def ddfdx(x, bz=1.0):',
      '    z = x ** 2',
      '    assert ...   # the shapes of z and bz match (abridged)',
      '    # Grad of: z = x ** 2',
      '    _bx = 2 * x * bz',
      '    bx = _bx',
      '    return bx',
    ].join('\n'),
    remark: 'Evaluated at x = 2 it gives 4. ddx\'s reverse card writes the same function in JavaScript: a grad-of comment per statement, the seed as a parameter.',
    source: 'function df(x) {\n  const z = x ** 2;\n  return z;\n}\n',
    point: { x: 2 },
    wrt: ['x'],
    expected: { x: 4 },
    reverseView: 'code',
  },
];

export interface ConventionRow {
  system: string;
  /** What it gives for d|x|/dx at x = 0. */
  value: string;
  /** How it gets there. */
  how: string;
}

/** abs at 0, system by system (issue 6's table), then ddx. */
export const ABS_CONVENTIONS: ConventionRow[] = [
  { system: 'autograd', value: '0', how: 'its rule for abs multiplies by sign(x), and sign(0) = 0' },
  { system: 'JAX', value: '1', how: 'its rule for abs takes the derivative from the right at 0' },
  { system: 'TensorFlow.js', value: '−1', how: 'its rule takes the derivative from the left at 0' },
  { system: 'mathjs', value: 'NaN', how: 'derivative(abs(x)) is abs(x)/x, which is 0/0 at 0' },
  { system: 'sympy', value: '0', how: 'diff(Abs(x)) is sign(x) for real x, and sign(0) = 0' },
];

/** ddx's own rule for abs at 0, from the rules table (the one every engine uses). */
export const DDX_ABS_RULE = RULES.abs.kink!.convention;

/** The differences at x = 0 for f = |x|: one-sided ones land on the sides JAX and TensorFlow.js chose. */
export const ABS_NUMERIC: { method: string; value: number }[] = [
  { method: 'forward', value: 1 },
  { method: 'backward', value: -1 },
  { method: 'central', value: 0 },
];

export const ABS_SOURCE = 'function f(x) {\n  return Math.abs(x);\n}\n';
