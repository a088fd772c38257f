// A tape (autograd's way) over any base algebra: running the interpreter over Tape<T> records
// every primitive that executes, with its inputs, its value and its source location; `backward`
// sweeps the records in reverse and accumulates adjoints with the rules table's partials. The
// reverse engine uses it over floats; the exact reference uses it over 40-digit decimals.

import type { SourceLocation } from '../errors.ts';
import type { Primitive } from '../ir/primitives.ts';
import { RULES } from '../rules/table.ts';
import type { Algebra } from '../interp/algebra.ts';

/** A value on the tape; `id` is -1 for a constant, which needs no adjoint. */
export interface TapeVar<T> {
  id: number;
  value: T;
}

export interface TapeNode<T> {
  op: Primitive | 'input';
  /** Node ids of the arguments; -1 for a constant argument. */
  args: number[];
  /** The argument values (constants included), which the partials need. */
  argValues: T[];
  value: T;
  loc?: SourceLocation;
  /** For inputs: which parameter (and element) this is. */
  label?: string;
}

export class Tape<T> implements Algebra<TapeVar<T>> {
  readonly nodes: TapeNode<T>[] = [];

  constructor(readonly base: Algebra<T>) {}

  input(value: T, label: string): TapeVar<T> {
    this.nodes.push({ op: 'input', args: [], argValues: [], value, label });
    return { id: this.nodes.length - 1, value };
  }

  constant(c: number): TapeVar<T> {
    return { id: -1, value: this.base.constant(c) };
  }

  prim(op: Primitive, args: TapeVar<T>[], loc?: SourceLocation): TapeVar<T> {
    const argValues = new Array<T>(args.length);
    const ids = new Array<number>(args.length);
    let recorded = false;
    for (let i = 0; i < args.length; i++) {
      argValues[i] = args[i].value;
      ids[i] = args[i].id;
      if (ids[i] >= 0) recorded = true;
    }
    const value = this.base.prim(op, argValues, loc);
    // Operations on constants alone are constants: they need no record and no adjoint.
    if (!recorded) return { id: -1, value };
    this.nodes.push({ op, args: ids, argValues, value, loc });
    return { id: this.nodes.length - 1, value };
  }

  ge(a: TapeVar<T>, b: TapeVar<T>): TapeVar<T> {
    return { id: -1, value: this.base.ge(a.value, b.value) };
  }

  value(v: TapeVar<T>): number {
    return this.base.value(v.value);
  }

  /**
   * The backward sweep: adjoints of every node for output `out` seeded with `seed`.
   * Undefined entries are zero (never reached from the output).
   */
  backward(out: TapeVar<T>, seed: T): (T | undefined)[] {
    const B = this.base;
    const adjoints: (T | undefined)[] = new Array(this.nodes.length);
    if (out.id < 0) return adjoints;
    adjoints[out.id] = seed;
    for (let i = out.id; i >= 0; i--) {
      const bar = adjoints[i];
      const node = this.nodes[i];
      if (bar === undefined || node.op === 'input') continue;
      const partials = RULES[node.op].partials(B, node.argValues, node.value);
      for (let k = 0; k < node.args.length; k++) {
        const id = node.args[k];
        if (id < 0) continue;
        const contribution = B.prim('mul', [bar, partials[k]]);
        const prior = adjoints[id];
        adjoints[id] = prior === undefined ? contribution : B.prim('add', [prior, contribution]);
      }
    }
    return adjoints;
  }
}
