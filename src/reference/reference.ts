// The exact reference: f's value and full gradient in 40-digit decimal arithmetic (a tape over
// decimals, swept backward once), rounded to double. Every engine's error is measured against it.

import type { Program } from '../ir/types.ts';
import { Interpreter, type InterpretOptions } from '../interp/interpreter.ts';
import { Tape, type TapeVar } from '../ad/tape.ts';
import { mainFn } from '../ir/types.ts';
import type { Gradient, Point } from '../point.ts';
import { Decimal, REFERENCE_DIGITS, decimalAlgebra, decimalOf } from './decimal-algebra.ts';

export interface Reference {
  value: number;
  gradient: Gradient;
  digits: number;
}

export function computeReference(program: Program, point: Point, options?: InterpretOptions): Reference {
  const fn = mainFn(program);
  const tape = new Tape(decimalAlgebra);
  const inputs: TapeVar<Decimal>[][] = [];
  const args = fn.params.map((p) => {
    const v = point[p.name];
    if (Array.isArray(v)) {
      const vars = v.map((x, i) => tape.input(decimalOf(x), `${p.name}[${i}]`));
      inputs.push(vars);
      return vars;
    }
    const one = tape.input(decimalOf(v), p.name);
    inputs.push([one]);
    return one;
  });
  const out = new Interpreter(program, tape, options).run(args);
  const adjoints = tape.backward(out, new Decimal(1));
  const gradient: Gradient = {};
  fn.params.forEach((p, k) => {
    const values = inputs[k].map((v) => adjoints[v.id]?.toNumber() ?? 0);
    gradient[p.name] = p.type === 'arr' ? values : values[0];
  });
  return { value: out.value.toNumber(), gradient, digits: REFERENCE_DIGITS };
}
