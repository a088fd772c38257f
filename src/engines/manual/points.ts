// Where the manual engine checks a hand-written derivative: the user's point first, then a fixed,
// deterministic set of points spread around it. Offsets scale with each input's size, reach far
// enough to cross zero (where `x` and `sqrt(x*x)` part ways), include the point with one input's
// sign flipped, and are rounded to three significant digits so a counterexample reads well.
// Inputs that count something (a loop bound, an index) move by whole numbers only.

import { prng } from '../../prng.ts';
import type { Expr, Fn, Program, Stmt } from '../../ir/types.ts';
import { mainFn } from '../../ir/types.ts';
import type { Point } from '../../point.ts';
import { children, forEachVar } from './walk.ts';

/** Offset radii, as multiples of an input's scale max(|x|, 1), taken in turn. */
const RADII = [0.1, 0.5, 1.5, 3, 6];
/** How many inputs get a sign-flipped twin of the point. */
const MIRRORED_INPUTS = 4;

/** A fixed pseudo-random sequence (mulberry32), for inputs beyond the Halton bases. */
const sequence = prng;

/** Prime bases of the Halton sequence, one per input (the first ones). */
const HALTON_BASES = [2, 3, 5, 7, 11, 13, 17, 19];

/** The n-th term of the van der Corput sequence in `base`: evenly spread over [0, 1). */
function radicalInverse(n: number, base: number): number {
  let result = 0;
  let f = 1 / base;
  for (let i = n; i > 0; i = Math.floor(i / base), f /= base) result += f * (i % base);
  return result;
}

/** Rounds to about three significant digits of the offset's size, so points stay readable. */
function readable(value: number, size: number): number {
  if (!(size > 0) || !Number.isFinite(value)) return value;
  const step = 10 ** (Math.floor(Math.log10(size)) - 2);
  return Number((Math.round(value / step) * step).toPrecision(12));
}

/** The point's scalar inputs in parameter order, array elements expanded. */
interface Input {
  param: string;
  index: number | null;
  value: number;
  discrete: boolean;
}

function inputsOf(fn: Fn, point: Point, discrete: Set<string>): Input[] {
  const out: Input[] = [];
  for (const p of fn.params) {
    const v = point[p.name];
    if (Array.isArray(v)) v.forEach((x, i) => out.push({ param: p.name, index: i, value: x, discrete: false }));
    else out.push({ param: p.name, index: null, value: v, discrete: discrete.has(p.name) && Number.isInteger(v) });
  }
  return out;
}

function pointOf(fn: Fn, inputs: Input[], values: number[]): Point {
  const point: Point = {};
  for (const p of fn.params) point[p.name] = [];
  inputs.forEach((input, k) => {
    if (input.index === null) point[input.param] = values[k];
    else (point[input.param] as number[])[input.index] = values[k];
  });
  return point;
}

/**
 * Candidate points after the user's own, in the order they are checked. The caller skips those
 * where f is not defined and stops once it has enough.
 */
export function candidatePoints(program: Program, point: Point, count: number): Point[] {
  const fn = mainFn(program);
  const inputs = inputsOf(fn, point, discreteParams(program));
  const base = inputs.map((i) => i.value);
  const seen = new Set<string>([JSON.stringify(base)]);
  const out: Point[] = [];
  const add = (values: number[]) => {
    const key = JSON.stringify(values);
    if (seen.has(key) || values.some((v) => !Number.isFinite(v))) return;
    seen.add(key);
    out.push(pointOf(fn, inputs, values));
  };
  // The point with one input's sign flipped: where answers right only for x > 0 go wrong.
  inputs.slice(0, MIRRORED_INPUTS).forEach((input, k) => {
    if (input.value !== 0 && !input.discrete) add(base.map((v, j) => (j === k ? -v : v)));
  });
  // Low-discrepancy offsets (Halton, shifted by a fixed irrational amount so none is exactly 0):
  // every radius sees both signs in even measure, which a short pseudo-random run does not promise.
  const random = sequence(0x5eed);
  for (let n = 0; out.length < count && n < count * 4; n++) {
    const radius = RADII[n % RADII.length];
    add(inputs.map((input, k) => {
      const spread = k < HALTON_BASES.length ? (radicalInverse(n + 1, HALTON_BASES[k]) + Math.SQRT2 * (k + 1)) % 1 : random();
      const u = 2 * spread - 1;
      if (input.discrete) {
        // Counts move by at most a few steps and keep their sign: a loop of -1 steps is no loop.
        const moved = input.value + Math.round(u * Math.max(1, Math.min(3, Math.abs(input.value))));
        return input.value >= 0 ? Math.max(0, moved) : Math.min(-1, moved);
      }
      const size = radius * Math.max(Math.abs(input.value), 1);
      return readable(input.value + u * size, size);
    }));
  }
  return out.slice(0, count);
}

/**
 * Parameters of f that count something: they reach a loop test, an array index or an array
 * length (directly, through local variables, or through a helper's parameter that does). Where
 * such a parameter is a whole number at the point, it is only moved by whole numbers.
 */
export function discreteParams(program: Program): Set<string> {
  const marks = new Map<string, Set<string>>();
  for (const name of Object.keys(program.functions)) marks.set(name, new Set());
  let changed = true;
  while (changed) {
    changed = false;
    for (const fn of Object.values(program.functions)) {
      const mine = marks.get(fn.name)!;
      const before = mine.size;
      markFunction(fn, mine, marks, program);
      if (mine.size !== before) changed = true;
    }
  }
  const main = mainFn(program);
  return new Set(main.params.filter((p) => p.type === 'num' && marks.get(main.name)!.has(p.name)).map((p) => p.name));
}

/** Adds to `marked` every variable of fn whose value reaches a counting position. */
function markFunction(fn: Fn, marked: Set<string>, all: Map<string, Set<string>>, program: Program): void {
  const markVars = (e: Expr) => forEachVar(e, (name) => marked.add(name));
  const sinksIn = (e: Expr): void => {
    switch (e.k) {
      case 'index': markVars(e.index); sinksIn(e.array); sinksIn(e.index); return;
      case 'fill': markVars(e.length); sinksIn(e.length); sinksIn(e.value); return;
      case 'call': {
        // An argument is counting when the helper's parameter it binds to is.
        const theirs = all.get(e.fn);
        const params = program.functions[e.fn]?.params ?? [];
        e.args.forEach((a, i) => {
          if (params[i] && theirs?.has(params[i].name)) markVars(a);
          sinksIn(a);
        });
        return;
      }
      default: children(e).forEach(sinksIn);
    }
  };
  const assignments: { name: string; value: Expr }[] = [];
  const walk = (list: Stmt[]) => {
    for (const s of list) {
      switch (s.k) {
        case 'let': assignments.push({ name: s.name, value: s.init }); sinksIn(s.init); break;
        case 'assign': assignments.push({ name: s.name, value: s.value }); sinksIn(s.value); break;
        case 'setIndex': markVars(s.index); sinksIn(s.index); assignments.push({ name: s.name, value: s.value }); sinksIn(s.value); break;
        case 'if': sinksIn(s.test); walk(s.then); walk(s.else); break;
        case 'loop': markVars(s.test); sinksIn(s.test); walk(s.body); walk(s.update); break;
        case 'return': sinksIn(s.value); break;
        default: break;
      }
    }
  };
  walk(fn.body);
  // Backward through assignments: whatever feeds a marked variable is marked too.
  let grew = true;
  while (grew) {
    grew = false;
    for (const a of assignments) {
      if (!marked.has(a.name)) continue;
      forEachVar(a.value, (name) => {
        if (!marked.has(name)) { marked.add(name); grew = true; }
      });
    }
  }
}
