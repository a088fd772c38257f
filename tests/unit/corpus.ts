// Loads the independent reference corpus (tests/corpus/reference.json, written by mpmath at 60
// digits from hand-written Python twins) and compares numbers the way every test here does.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CorpusPoint {
  at: Record<string, number | number[]>;
  value: number;
  gradient: Record<string, number | number[]>;
}

export interface CorpusEntry {
  name: string;
  source: string;
  params: string[];
  points: CorpusPoint[];
}

const path = fileURLToPath(new URL('../corpus/reference.json', import.meta.url));
export const corpus: CorpusEntry[] = JSON.parse(readFileSync(path, 'utf8')).entries;

/** Relative error; where the reference is 0, the absolute error. */
export function relativeError(actual: number, expected: number): number {
  if (Object.is(actual, expected)) return 0;
  if (expected === 0) return Math.abs(actual);
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Largest relative error over a gradient (arrays flattened), with 1e-14 absolute accepted at 0. */
export function gradientError(actual: Record<string, unknown>, expected: Record<string, number | number[]>): number {
  let worst = 0;
  for (const [k, v] of Object.entries(expected)) {
    const a = [actual[k]].flat() as number[];
    const e = [v].flat();
    if (a.length !== e.length) return Infinity;
    e.forEach((x, i) => {
      const err = x === 0 ? (Math.abs(a[i]) <= 1e-14 ? 0 : Math.abs(a[i])) : relativeError(a[i], x);
      if (!(err <= worst)) worst = err;
    });
  }
  return worst;
}
