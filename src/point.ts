// Points and gradients: validating a user's point against a function's parameters, and the
// flat list of scalar inputs (array elements included) that engines differentiate with respect to.

import { DdxError } from './errors.ts';
import type { Fn } from './ir/types.ts';

export type Point = Record<string, number | number[]>;
export type Gradient = Record<string, number | number[]>;

/** Checks a point has exactly f's parameters, each a number or an array of numbers as f uses it. */
export function validatePoint(fn: Fn, at: unknown): Point {
  if (typeof at !== 'object' || at === null || Array.isArray(at)) {
    throw new DdxError('input', `the point must be a JSON object such as {"${fn.params[0]?.name ?? 'x'}": 1}`);
  }
  const given = at as Record<string, unknown>;
  const names = fn.params.map((p) => p.name);
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) throw new DdxError('input', `the point gives ${key}, which is not a parameter of ${fn.name} (its parameters are ${names.join(', ') || 'none'})`);
  }
  const point: Point = {};
  for (const p of fn.params) {
    if (!(p.name in given)) throw new DdxError('input', `the point has no value for the parameter ${p.name}`);
    const v = given[p.name];
    if (p.type === 'num') {
      if (typeof v !== 'number') throw new DdxError('input', `${p.name} must be a number${Array.isArray(v) ? ` (${fn.name} uses it as a number, not an array)` : ''}`);
      point[p.name] = v;
    } else {
      if (!Array.isArray(v)) throw new DdxError('input', `${p.name} must be an array of numbers (${fn.name} indexes it)`);
      v.forEach((x, i) => { if (typeof x !== 'number') throw new DdxError('input', `${p.name}[${i}] must be a number`); });
      point[p.name] = (v as number[]).slice();
    }
  }
  return point;
}

export function validateWrt(fn: Fn, wrt: string[] | undefined): string[] {
  const names = fn.params.map((p) => p.name);
  if (wrt === undefined) return names;
  for (const w of wrt) if (!names.includes(w)) throw new DdxError('input', `wrt names ${w}, which is not a parameter of ${fn.name} (its parameters are ${names.join(', ')})`);
  // Keep parameter order, as the generated gradient's return value does.
  return names.filter((n) => wrt.includes(n));
}

/** One scalar input: a number parameter, or one element of an array parameter. */
export interface Slot {
  param: string;
  index: number | null;
  label: string;
}

export function slotsOf(point: Point, wrt: string[]): Slot[] {
  const slots: Slot[] = [];
  for (const name of wrt) {
    const v = point[name];
    if (Array.isArray(v)) v.forEach((_, i) => slots.push({ param: name, index: i, label: `${name}[${i}]` }));
    else slots.push({ param: name, index: null, label: name });
  }
  return slots;
}

export function argsOf(fn: Fn, point: Point): (number | number[])[] {
  return fn.params.map((p) => point[p.name]);
}

/** Builds a gradient from one number per slot. */
export function gradientFromSlots(point: Point, wrt: string[], values: number[]): Gradient {
  const g: Gradient = {};
  let k = 0;
  for (const name of wrt) {
    const v = point[name];
    if (Array.isArray(v)) g[name] = v.map(() => values[k++]);
    else g[name] = values[k++];
  }
  return g;
}

export function flattenGradient(g: Gradient, wrt: string[]): number[] {
  return wrt.flatMap((n) => (Array.isArray(g[n]) ? (g[n] as number[]) : [g[n] as number]));
}

/** The largest relative error over all components; where the reference is 0, the absolute error. */
export function maxRelativeError(g: Gradient, reference: Gradient, wrt: string[]): number {
  const a = flattenGradient(g, wrt);
  const r = flattenGradient(reference, wrt);
  let worst = 0;
  for (let i = 0; i < r.length; i++) {
    if (Object.is(a[i], r[i]) || a[i] === r[i]) continue;
    if (!Number.isFinite(a[i]) || !Number.isFinite(r[i])) return Infinity;
    const e = r[i] === 0 ? Math.abs(a[i]) : Math.abs(a[i] - r[i]) / Math.abs(r[i]);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}
