// Hover and completion text for the Math.* functions ddx accepts. Which functions exist comes from
// the language's own table (MATH_FUNCTIONS), and the kink conventions from the rules table, so the
// editor can never offer a function the fence refuses or describe a convention the engines do not use.

import { MATH_CONSTANTS, MATH_FUNCTIONS } from '../../src/ir/primitives.ts';
import { RULES } from '../../src/rules/table.ts';

export interface MathDoc {
  name: string;
  signature: string;
  doc: string;
  /** What ddx takes where the function is not differentiable, from the rules table. */
  kink?: string;
  kind: 'function' | 'constant';
}

/** What each function computes, in a line. Functions missing here still appear, with their signature. */
const TEXT: Record<string, string> = {
  sin: 'Sine of an angle in radians.',
  cos: 'Cosine of an angle in radians.',
  tan: 'Tangent of an angle in radians.',
  asin: 'Arcsine, in radians; defined on [-1, 1].',
  acos: 'Arccosine, in radians; defined on [-1, 1].',
  atan: 'Arctangent, in radians.',
  atan2: 'The angle of the point (x, y) from the positive x axis: atan2(y, x), in radians.',
  sinh: 'Hyperbolic sine.',
  cosh: 'Hyperbolic cosine.',
  tanh: 'Hyperbolic tangent, the classic neural-network activation.',
  asinh: 'Inverse hyperbolic sine.',
  acosh: 'Inverse hyperbolic cosine; defined for x ≥ 1.',
  atanh: 'Inverse hyperbolic tangent; defined on (-1, 1).',
  exp: 'e to the power x.',
  expm1: 'e^x − 1, accurate for x near 0.',
  log: 'Natural logarithm (ln); defined for x > 0.',
  log1p: 'ln(1 + x), accurate for x near 0.',
  log2: 'Base-2 logarithm.',
  log10: 'Base-10 logarithm.',
  sqrt: 'Square root; defined for x ≥ 0, with no finite derivative at 0.',
  cbrt: 'Cube root, defined for every x.',
  abs: 'Absolute value.',
  pow: 'x to the power y, the same as x ** y.',
  max: 'The largest argument.',
  min: 'The smallest argument.',
  hypot: 'The square root of the sum of squares of the arguments.',
  sign: 'The sign of x: −1, 0 or 1.',
  floor: 'The largest integer ≤ x.',
  ceil: 'The smallest integer ≥ x.',
  round: 'x rounded to the nearest integer (halves round up).',
  trunc: 'The integer part of x, dropping the fraction.',
  PI: 'π, the ratio of a circle’s circumference to its diameter.',
  E: 'e, the base of natural logarithms.',
};

function signature(name: string, arity: number): string {
  if (arity === 1) return `Math.${name}(x)`;
  if (arity === 2) return name === 'atan2' ? 'Math.atan2(y, x)' : `Math.${name}(x, y)`;
  return `Math.${name}(a, b, ...)`;
}

export const MATH_DOCS: MathDoc[] = [
  ...Object.entries(MATH_FUNCTIONS).map(([name, { prim, arity }]) => ({
    name,
    signature: signature(name, arity),
    doc: TEXT[name] ?? '',
    kink: RULES[prim].kink?.convention,
    kind: 'function' as const,
  })),
  ...Object.keys(MATH_CONSTANTS).map((name) => ({ name, signature: `Math.${name}`, doc: TEXT[name] ?? '', kind: 'constant' as const })),
];

export function mathDoc(name: string): MathDoc | undefined {
  return MATH_DOCS.find((d) => d.name === name);
}

/** The hover text, as markdown. */
export function mathDocMarkdown(d: MathDoc): string {
  const lines = ['```js\n' + d.signature + '\n```', d.doc];
  if (d.kink) lines.push(`*Where it has no derivative:* ${d.kink}.`);
  return lines.filter(Boolean).join('\n\n');
}
