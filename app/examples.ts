// The examples gallery: each entry loads in one click and says in one line what it teaches. The
// first ones are the blog examples ddx started from (shared/SEED-EXAMPLES.md), written as the post
// wrote them, in ddx's JavaScript or expression mode.

import type { SharedState } from './permalink.ts';
import { ROSENBROCK_SOURCE } from '../src/views/rosenbrock-source.ts';

export interface Example extends SharedState {
  id: string;
  title: string;
  lesson: string;
}

const example = (e: Omit<Example, 'options' | 'views'> & Partial<Pick<Example, 'options' | 'views'>>): Example => ({ options: {}, views: {}, ...e });

export const EXAMPLES: Example[] = [
  example({
    id: 'sympy',
    title: 'sympy: x² + y², d/dy',
    lesson: "The blog's sympy example: diff(z, y) prints 2*y, which is 6 at y = 3.",
    source: 'z = x**2 + y**2\n',
    point: { x: 1, y: 3 },
    wrt: ['y'],
  }),
  example({
    id: 'autograd',
    title: 'autograd: x² + 3xy + y²',
    lesson: "The blog's autograd example: grad(fun)(2., 1.) prints 7.0, the derivative in the first argument, 2x + 3y.",
    source: 'function fun(x, y) {\n  return x**2 + 3*x*y + y**2;\n}\n',
    point: { x: 2, y: 1 },
    wrt: ['x'],
  }),
  example({
    id: 'tangent-wrt-y',
    title: 'tangent: the same f, wrt y',
    lesson: "The blog's tangent.grad(fun, wrt=(1,)) at x = 0, y = 5 gives 10: the derivative in y is 3x + 2y.",
    source: 'function fun(x, y) {\n  return x**2 + 3*x*y + y**2;\n}\n',
    point: { x: 0, y: 5 },
    wrt: ['y'],
  }),
  example({
    id: 'tangent-source',
    title: "tangent: x², the generated gradient",
    lesson: "The blog's tangent example: the reverse card's generated gradient reads like tangent's ddfdx (bx = 2 * x * bz), and gives 4 at x = 2.",
    source: 'function df(x) {\n  const z = x ** 2;\n  return z;\n}\n',
    point: { x: 2 },
    wrt: null,
    views: { reverse: 'code' },
  }),
  example({
    id: 'rosenbrock',
    title: 'Rosenbrock',
    lesson: 'The banana-shaped valley of optimisation tests, over an array: one reverse sweep gives all n partials, forward mode needs n sweeps.',
    source: ROSENBROCK_SOURCE,
    point: { x: [-1.2, 1, 0.5, 0.8] },
    wrt: null,
  }),
  example({
    id: 'sigmoid',
    title: 'sigmoid',
    lesson: "σ'(x) = σ(x)(1 − σ(x)): compare the symbolic formula with the few operations reverse mode records.",
    source: 'function sigmoid(x) {\n  return 1 / (1 + Math.exp(-x));\n}\n',
    point: { x: 0.5 },
    wrt: null,
  }),
  example({
    id: 'softmax-xent',
    title: 'softmax cross-entropy',
    lesson: 'Over an array of logits the gradient is softmax(z) − onehot(target); the max shift for stability changes nothing in it.',
    source: [
      'function loss(z) {',
      '  const target = 1;',
      '  let m = z[0];',
      '  for (const v of z) m = Math.max(m, v);',
      '  let s = 0;',
      '  for (const v of z) s += Math.exp(v - m);',
      '  return Math.log(s) + m - z[target];',
      '}',
      '',
    ].join('\n'),
    point: { z: [1, 2, 0.5] },
    wrt: null,
  }),
  example({
    id: 'power-loop',
    title: 'a loop: xⁿ by multiplication',
    lesson: 'A loop is differentiated as it ran: the tape records each pass, the generated code runs the passes backwards; d/dx x⁵ = 5x⁴.',
    source: [
      'function power(x) {',
      '  let p = 1;',
      '  for (let i = 0; i < 5; i++) {',
      '    p = p * x;',
      '  }',
      '  return p;',
      '}',
      '',
    ].join('\n'),
    point: { x: 1.5 },
    wrt: null,
  }),
  example({
    id: 'relu-kink',
    title: 'a branch: relu at its kink',
    lesson: 'At x = 0 relu has no derivative: ddx differentiates the branch taken (0), while central differences straddle the kink and report 0.5.',
    source: 'function relu(x) {\n  if (x > 0) {\n    return x;\n  }\n  return 0;\n}\n',
    point: { x: 0 },
    wrt: null,
  }),
  example({
    id: 'cancellation',
    title: 'catastrophic cancellation',
    lesson: '(1 − cos x)/x² near 0: 1 − cos x cancels to a few digits, so finite differences of it fail, while the exact reference does not.',
    source: 'function f(x) {\n  return (1 - Math.cos(x)) / x**2;\n}\n',
    point: { x: 0.001 },
    wrt: null,
  }),
  example({
    id: 'swell',
    title: 'expression swell: sin of sin of …',
    lesson: 'sin applied 8 times: the symbolic derivative grows with every level (compare raw, simplified and CSE sizes), the tape grows by one node.',
    source: [
      'function f(x) {',
      '  let y = x;',
      '  for (let i = 0; i < 8; i++) {',
      '    y = Math.sin(y);',
      '  }',
      '  return y;',
      '}',
      '',
    ].join('\n'),
    point: { x: 0.7 },
    wrt: null,
  }),
  example({
    id: 'newton-sqrt',
    title: "a while loop: Newton's √a",
    lesson: "Differentiating through a solver: the while loop runs until converged, and the derivative of its last iterate is 1/(2√a).",
    source: [
      'function newtonSqrt(a) {',
      '  let x = a;',
      '  while (Math.abs(x * x - a) > 1e-12 * a) {',
      '    x = 0.5 * (x + a / x);',
      '  }',
      '  return x;',
      '}',
      '',
    ].join('\n'),
    point: { a: 2 },
    wrt: null,
  }),
  example({
    id: 'tanh-net',
    title: 'a small tanh network',
    lesson: 'A 2-3-1 tanh network on one sample: the gradient of the loss in every weight, which is what backpropagation computes.',
    source: [
      '// W1: 3×2 weights (row by row), b1: 3 biases, W2: 3 output weights, x: one input',
      'function loss(W1, b1, W2, x) {',
      '  let y = 0;',
      '  for (let j = 0; j < 3; j++) {',
      '    let a = b1[j];',
      '    for (let i = 0; i < 2; i++) {',
      '      a += W1[j * 2 + i] * x[i];',
      '    }',
      '    y += W2[j] * Math.tanh(a);',
      '  }',
      '  return (y - 0.5) ** 2;',
      '}',
      '',
    ].join('\n'),
    point: { W1: [0.5, -0.3, 0.8, 0.2, -0.6, 0.4], b1: [0.1, -0.2, 0.05], W2: [0.7, -0.5, 0.3], x: [1, -1] },
    wrt: ['W1', 'b1', 'W2'],
  }),
  example({
    id: 'manual-check',
    title: 'your own derivative, checked',
    lesson: 'Write df_dx beside f and the manual card checks it at the point and around it; try breaking the product rule.',
    source: [
      'function f(x) {',
      '  return Math.sin(x) * Math.exp(x);',
      '}',
      '',
      'function df_dx(x) {',
      '  return Math.cos(x) * Math.exp(x) + Math.sin(x) * Math.exp(x);',
      '}',
      '',
    ].join('\n'),
    point: { x: 0.3 },
    wrt: null,
  }),
];

/** The example a first visit opens with. */
export const FIRST_EXAMPLE = EXAMPLES[1];

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
