// A Field is an arithmetic over some value type V with every primitive: plain floats, decimals,
// complex numbers, symbolic trees, generated code. The rules table writes each derivative once,
// against this interface, and every engine reuses it with its own V.

import type { Primitive } from '../ir/primitives.ts';

export interface Field<V> {
  constant(c: number): V;
  prim(op: Primitive, args: V[]): V;
  /** 1 where a >= b, else 0. The only comparison a derivative rule may use (max/min partials). */
  ge(a: V, b: V): V;
}

/** Short names over a Field, so that rules read like the maths beside them. Cached per field. */
export function ops<V>(f: Field<V>): Ops<V> {
  let o = cache.get(f) as Ops<V> | undefined;
  if (!o) {
    o = makeOps(f);
    cache.set(f, o);
  }
  return o;
}

const cache = new WeakMap<object, unknown>();

function makeOps<V>(f: Field<V>) {
  const p = (op: Primitive, ...a: V[]) => f.prim(op, a);
  return {
    c: (n: number) => f.constant(n),
    p,
    add: (a: V, b: V) => f.prim('add', [a, b]),
    sub: (a: V, b: V) => f.prim('sub', [a, b]),
    mul: (a: V, b: V) => f.prim('mul', [a, b]),
    div: (a: V, b: V) => f.prim('div', [a, b]),
    neg: (a: V) => f.prim('neg', [a]),
    sq: (a: V) => f.prim('mul', [a, a]),
    ge: (a: V, b: V) => f.ge(a, b),
  };
}

export type Ops<V> = ReturnType<typeof makeOps<V>>;
