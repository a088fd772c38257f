// Fitting the page's point and wrt to the function's parameters as the user edits the source:
// a new parameter gets a default, a parameter that changed kind (number <-> array) is converted,
// a parameter that disappeared is dropped. Pure, so the worker and the tests share it.

import type { Point } from '../../src/point.ts';
import type { ParamInfo } from './protocol.ts';

export const DEFAULT_NUMBER = 1;
export const DEFAULT_ARRAY = [1, 2, 3];

export function fitPoint(params: ParamInfo[], point: Point): Point {
  const fitted: Point = {};
  for (const p of params) {
    const v = point[p.name];
    if (p.type === 'num') {
      if (typeof v === 'number') fitted[p.name] = v;
      else if (Array.isArray(v) && typeof v[0] === 'number') fitted[p.name] = v[0];
      else fitted[p.name] = DEFAULT_NUMBER;
    } else {
      if (Array.isArray(v) && v.length > 0) fitted[p.name] = v.slice();
      // A number that became an array keeps its value as the first element.
      else if (typeof v === 'number') fitted[p.name] = [v, ...DEFAULT_ARRAY.slice(1)];
      else fitted[p.name] = DEFAULT_ARRAY.slice();
    }
  }
  return fitted;
}

/**
 * The wrt list for these parameters: the page's choice, plus any parameter it has not seen yet.
 * Never empty while there are parameters: a new function whose parameters were all unticked for the
 * old one is differentiated in all of them, rather than showing nothing.
 */
export function fitWrt(params: ParamInfo[], wrt: string[] | null, knownParams: string[]): string[] {
  const all = params.map((p) => p.name);
  if (wrt === null) return all;
  const chosen = params.filter((p) => wrt.includes(p.name) || !knownParams.includes(p.name)).map((p) => p.name);
  return chosen.length > 0 ? chosen : all;
}
