// What the interpreter needs of a value type: a Field (constants and every primitive) plus the
// real value behind it, used for comparisons, indices and array lengths. Plain numbers, complex
// numbers, dual numbers, tape variables, symbolic nodes and decimals each implement this.

import type { SourceLocation } from '../errors.ts';
import type { Primitive } from '../ir/primitives.ts';
import type { Field } from '../rules/field.ts';
import { RULES } from '../rules/table.ts';

export interface Algebra<V> extends Field<V> {
  /** `loc` says where in the source the operation came from (the tape records it). */
  prim(op: Primitive, args: V[], loc?: SourceLocation): V;
  /** The real number behind a value: comparisons, branches and indices use this. */
  value(v: V): number;
}

/** A parameter's value: a number or a 1-D array of numbers. */
export type Value<V> = V | V[];

export const floatAlgebra: Algebra<number> = {
  constant: (c) => c,
  prim: (op, args) => (args.length === 1 ? PRIM_FLOAT[op](args[0]) : PRIM_FLOAT[op](args[0], args[1])),
  ge: (a, b) => (a >= b ? 1 : 0),
  value: (v) => v,
};

const PRIM_FLOAT = Object.fromEntries(Object.entries(RULES).map(([k, r]) => [k, r.float])) as Record<Primitive, (...a: number[]) => number>;
