// A gradient checker, shipped as library code like autograd's `check_grads`: along a few random
// directions (a seeded PRNG, so a report can be reproduced), the directional derivative of every
// mode (forward: one dual-number sweep; reverse: the gradient dotted with the direction) is
// compared with central differences of f, and the exact modes with each other. The report is data:
// one row per mode, direction and comparison, and a sentence per failure.

import { prng } from '../prng.ts';
import { DualAlgebra } from '../algebras/dual.ts';
import { Tape, type TapeVar } from '../ad/tape.ts';
import { floatAlgebra, type Algebra, type Value } from '../interp/algebra.ts';
import { RULES } from '../rules/table.ts';
import { Interpreter } from '../interp/interpreter.ts';
import { mainFn, type Program } from '../ir/types.ts';
import { parseProgram } from '../lang/parse.ts';
import { flattenGradient, slotsOf, validatePoint, validateWrt, type Gradient, type Point } from '../point.ts';
import { sweep, type Direction } from '../engines/forward/sweep.ts';
import type { Engine, EngineContext } from '../engines/types.ts';
import { compileTangent, generateTangent } from '../codegen/tangent.ts';

/** A way of differentiating, as the checker sees it. */
export type Mode =
  /** Gives the directional derivative along any direction (forward mode, one sweep each). */
  | { name: string; kind: 'directional'; along: (direction: Direction) => number }
  /** Gives the whole gradient (reverse mode, one sweep for all). */
  | { name: string; kind: 'gradient'; gradient: () => Gradient };

export interface CheckOptions {
  /** Parameters to check (default: all). */
  wrt?: string[];
  /** The modes to check (default: forward over dual numbers, reverse over the tape). */
  modes?: Mode[];
  /** How many random directions (default 3). */
  directions?: number;
  /** The PRNG seed for the directions (default 1). */
  seed?: number;
  /** The central difference's step, relative to max(1, |x|∞) (default 1e-5, about eps^(1/3)). */
  step?: number;
  /** Against central differences: |exact - numeric| <= atol·max(1, |f|) + rtol·max(|exact|, |numeric|). */
  rtol?: number;
  atol?: number;
  /** Between exact modes, the same test with this relative tolerance (default 1e-10). */
  modeRtol?: number;
}

export interface CheckRow {
  mode: string;
  /** `numeric` (central differences) or the name of another mode. */
  against: string;
  direction: number;
  value: number;
  expected: number;
  /** |value - expected|, the number the tolerance is applied to. */
  error: number;
  ok: boolean;
}

export interface CheckReport {
  ok: boolean;
  function: string;
  at: Point;
  wrt: string[];
  /** The random directions, one number per scalar input (array elements included). */
  directions: number[][];
  step: number;
  tolerance: { rtol: number; atol: number; modeRtol: number };
  rows: CheckRow[];
  /**
   * Directions along which f takes another path at x ± h·v (another branch, or the other side of
   * a kink), where central differences mean little.
   */
  branchCrossings: number[];
  /** One sentence per failed row. */
  failures: string[];
}

/** Forward mode over dual numbers (pass a DualAlgebra with other rules to check those rules). */
export function forwardMode(program: Program, at: Point, algebra: () => DualAlgebra = () => new DualAlgebra()): Mode {
  return { name: 'forward', kind: 'directional', along: (direction) => sweep(program, at, direction, algebra()).tangent };
}

/** Reverse mode over the tape: record f once, sweep back once. */
export function reverseMode(program: Program, at: Point, wrt: string[]): Mode {
  return {
    name: 'reverse',
    kind: 'gradient',
    gradient: () => {
      const fn = mainFn(program);
      const tape = new Tape(floatAlgebra);
      const inputs = new Map<string, TapeVar<number> | TapeVar<number>[]>();
      const args = fn.params.map((p) => {
        const x = at[p.name];
        const input = Array.isArray(x) ? x.map((xi, i) => tape.input(xi, `${p.name}[${i}]`)) : tape.input(x, p.name);
        inputs.set(p.name, input);
        return input;
      });
      const out = new Interpreter(program, tape).run(args as Value<TapeVar<number>>[]);
      const adjoints = tape.backward(out, 1);
      const g: Gradient = {};
      for (const name of wrt) {
        const input = inputs.get(name)!;
        g[name] = Array.isArray(input) ? input.map((x) => adjoints[x.id] ?? 0) : (adjoints[input.id] ?? 0);
      }
      return g;
    },
  };
}

/** The generated tangent code (forward mode as source), compiled: one call per direction. */
export function tangentCodeMode(program: Program, at: Point, wrt: string[]): Mode {
  const tangent = compileTangent(generateTangent(program, wrt));
  const args = mainFn(program).params.map((p) => at[p.name]);
  return {
    name: 'tangent code',
    kind: 'directional',
    along: (direction) => tangent(...args, ...wrt.map((name) => direction[name] ?? (Array.isArray(at[name]) ? (at[name] as number[]).map(() => 0) : 0))),
  };
}

/** Any registered engine, through its gradient. */
export function engineMode(engine: Engine, ctx: EngineContext): Mode {
  return { name: engine.id, kind: 'gradient', gradient: () => engine.run(ctx).gradient };
}

/** The seeded generator the directions come from (re-exported: tests and callers use it). */
export { prng };

export function checkGrads(source: string | Program, at: unknown, options: CheckOptions = {}): CheckReport {
  const program = typeof source === 'string' ? parseProgram(source) : source;
  const fn = mainFn(program);
  const point = validatePoint(fn, at);
  const wrt = validateWrt(fn, options.wrt);
  const modes = options.modes ?? [forwardMode(program, point), reverseMode(program, point, wrt)];
  const rtol = options.rtol ?? 1e-6;
  const atol = options.atol ?? 1e-8;
  const modeRtol = options.modeRtol ?? 1e-10;
  const stepFactor = options.step ?? 1e-5;
  const slots = slotsOf(point, wrt);
  const random = prng(options.seed ?? 1);
  const directions = Array.from({ length: options.directions ?? 3 }, () => slots.map(() => 2 * random() - 1));

  const scale = Math.max(1, ...slots.map((s) => Math.abs(s.index === null ? (point[s.param] as number) : (point[s.param] as number[])[s.index])));
  const h = stepFactor * scale;
  const base = evaluate(program, point);
  const fScale = Math.max(1, Math.abs(base.value));
  const gradients = new Map<string, number[]>();
  for (const m of modes) if (m.kind === 'gradient') gradients.set(m.name, flattenGradient(m.gradient(), wrt));

  const rows: CheckRow[] = [];
  const branchCrossings: number[] = [];
  directions.forEach((v, k) => {
    const direction = toDirection(point, wrt, v);
    const plus = evaluate(program, shift(point, direction, h));
    const minus = evaluate(program, shift(point, direction, -h));
    if (plus.path !== base.path || minus.path !== base.path) branchCrossings.push(k);
    const numeric = (plus.value - minus.value) / (2 * h);
    const exact = modes.map((m) => (m.kind === 'directional' ? m.along(direction) : dot(gradients.get(m.name)!, v)));
    modes.forEach((m, i) => {
      const error = Math.abs(exact[i] - numeric);
      rows.push({ mode: m.name, against: 'numeric', direction: k, value: exact[i], expected: numeric, error, ok: error <= atol * fScale + rtol * Math.max(Math.abs(exact[i]), Math.abs(numeric)) });
      for (let j = 0; j < i; j++) {
        const e = Math.abs(exact[i] - exact[j]);
        rows.push({ mode: m.name, against: modes[j].name, direction: k, value: exact[i], expected: exact[j], error: e, ok: e <= 1e-14 * fScale + modeRtol * Math.max(Math.abs(exact[i]), Math.abs(exact[j])) });
      }
    });
  });

  const failures = rows.filter((r) => !r.ok).map((r) => {
    const crossing = r.against === 'numeric' && branchCrossings.includes(r.direction) ? ' (f takes another branch or crosses a kink within the step, so the difference quotient may not be a derivative)' : '';
    return `${r.mode} along direction ${r.direction} gives ${r.value}, ${r.against === 'numeric' ? 'central differences give' : `${r.against} gives`} ${r.expected}: off by ${r.error.toExponential(2)}${crossing}`;
  });
  return {
    ok: failures.length === 0,
    function: fn.name,
    at: point,
    wrt,
    directions,
    step: h,
    tolerance: { rtol, atol, modeRtol },
    rows,
    branchCrossings,
    failures,
  };
}

/**
 * f at a point over plain floats, with the path it took: every if/loop decision, every primitive
 * that ran (a ternary's branches differ in them), and for primitives with a kink the side of it
 * (the signs of their partials; for the piecewise constant ones, their value).
 */
function evaluate(program: Program, point: Point): { value: number; path: string } {
  const fn = mainFn(program);
  const path: string[] = [];
  const recording: Algebra<number> = {
    ...floatAlgebra,
    prim: (op, args) => {
      const y = floatAlgebra.prim(op, args);
      const rule = RULES[op];
      if (!rule.kink) path.push(op);
      else {
        const partials = rule.partials(floatAlgebra, args, y);
        const side = partials.every((d) => d === 0) ? String(y) : partials.map(Math.sign).join(',');
        path.push(`${op}:${side}`);
      }
      return y;
    },
  };
  const value = new Interpreter(program, recording, { onBranch: (_loc, _test, taken) => { path.push(taken ? 'T' : 'F'); } })
    .run(fn.params.map((p) => point[p.name]));
  return { value, path: path.join(' ') };
}

function toDirection(point: Point, wrt: string[], v: number[]): Direction {
  const d: Direction = {};
  let k = 0;
  for (const name of wrt) {
    const x = point[name];
    d[name] = Array.isArray(x) ? x.map(() => v[k++]) : v[k++];
  }
  return d;
}

function shift(point: Point, direction: Direction, h: number): Point {
  const out: Point = {};
  for (const [name, x] of Object.entries(point)) {
    const d = direction[name];
    if (Array.isArray(x)) out[name] = x.map((xi, i) => xi + h * (Array.isArray(d) ? d[i] : 0));
    else out[name] = x + h * (typeof d === 'number' ? d : 0);
  }
  return out;
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
