// The primitive operations of ddx's IR: a string enum that every rule table is keyed by.
// Sugar (a ** 2, Math.hypot(a, b, c), x += 1, for...of) is lowered onto these in src/lang/lower-js.ts.

export const PRIMITIVES = [
  'add', 'sub', 'mul', 'div', 'neg', 'pow', 'mod',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2',
  'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
  'exp', 'expm1', 'log', 'log1p', 'log2', 'log10',
  'sqrt', 'cbrt', 'abs', 'max', 'min', 'hypot',
  'sign', 'floor', 'ceil', 'round', 'trunc',
] as const;

export type Primitive = (typeof PRIMITIVES)[number];

export function isPrimitive(name: string): name is Primitive {
  return (PRIMITIVES as readonly string[]).includes(name);
}

/** The Math.* functions the language accepts, mapped to their primitive, with arity (-2 = two or more). */
export const MATH_FUNCTIONS: Record<string, { prim: Primitive; arity: number }> = {
  sin: { prim: 'sin', arity: 1 }, cos: { prim: 'cos', arity: 1 }, tan: { prim: 'tan', arity: 1 },
  asin: { prim: 'asin', arity: 1 }, acos: { prim: 'acos', arity: 1 }, atan: { prim: 'atan', arity: 1 },
  atan2: { prim: 'atan2', arity: 2 },
  sinh: { prim: 'sinh', arity: 1 }, cosh: { prim: 'cosh', arity: 1 }, tanh: { prim: 'tanh', arity: 1 },
  asinh: { prim: 'asinh', arity: 1 }, acosh: { prim: 'acosh', arity: 1 }, atanh: { prim: 'atanh', arity: 1 },
  exp: { prim: 'exp', arity: 1 }, expm1: { prim: 'expm1', arity: 1 },
  log: { prim: 'log', arity: 1 }, log1p: { prim: 'log1p', arity: 1 },
  log2: { prim: 'log2', arity: 1 }, log10: { prim: 'log10', arity: 1 },
  sqrt: { prim: 'sqrt', arity: 1 }, cbrt: { prim: 'cbrt', arity: 1 }, abs: { prim: 'abs', arity: 1 },
  pow: { prim: 'pow', arity: 2 },
  max: { prim: 'max', arity: -2 }, min: { prim: 'min', arity: -2 }, hypot: { prim: 'hypot', arity: -2 },
  sign: { prim: 'sign', arity: 1 }, floor: { prim: 'floor', arity: 1 }, ceil: { prim: 'ceil', arity: 1 },
  round: { prim: 'round', arity: 1 }, trunc: { prim: 'trunc', arity: 1 },
};

export const MATH_CONSTANTS: Record<string, number> = { PI: Math.PI, E: Math.E };
