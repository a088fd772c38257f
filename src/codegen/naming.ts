// The one naming convention for generated code, as tangent keeps it in naming.py: `bx` is the
// adjoint of `x`, `dx` its tangent, `_bx` a partial contribution about to be added into `bx`.
// Every generated name is checked against the names the function already uses, so a user's own
// `bx` never collides with an adjoint: the generator adds a suffix until the name is free.

export class Namer {
  private taken: Set<string>;

  constructor(usedNames: Iterable<string>) {
    this.taken = new Set(usedNames);
  }

  /** Claims `base`, or `base_2`, `base_3`, ... if it is taken. */
  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}

/** The adjoint of `x` (reverse mode). */
export const adjointBase = (x: string) => `b${x}`;
/** A partial contribution to the adjoint of `x`, before it is accumulated. */
export const partialAdjointBase = (x: string) => `_b${x}`;
/** The tangent of `x` (forward mode). */
export const tangentBase = (x: string) => `d${x}`;
/** The seed of the output adjoint, a parameter of the gradient function (tangent's `bz = 1.0`). */
export const seedBase = (out: string) => `b${out}`;
/** The gradient function of `f` (tangent names it `dfdx` for wrt x). */
export const gradientFunctionName = (f: string, wrt: string[]) => `d${f}d${wrt.join('')}`;
/** The tangent (forward-mode) function of `f`. */
export const tangentFunctionName = (f: string) => `${f}_tangent`;
/** The stack that saves branch decisions, trip counts and overwritten values for the adjoint sweep. */
export const STACK_BASE = 'stack';
