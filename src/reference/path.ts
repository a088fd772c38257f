// Where f in floating point and the exact reference part ways. Both run the same program; each
// if, loop and ternary test is decided by the values each computes, and rounding can decide one of
// them the other way (`(x + 1) - 1 < x` at x = 1e-17 holds in doubles, not exactly). The
// reference's gradient is then that of another path than f's, and every engine, following f,
// differs from it for that reason alone: the response says so, naming the test.

import type { SourceLocation } from '../errors.ts';
import { formatExpr } from '../ir/format.ts';
import type { Expr } from '../ir/types.ts';

export interface Decision {
  loc: SourceLocation | undefined;
  test: Expr;
  taken: boolean;
}

/** A recorder for the interpreter's onBranch hook. */
export function decisionLog(): { decisions: Decision[]; onBranch: (loc: SourceLocation | undefined, test: Expr, taken: boolean) => void } {
  const decisions: Decision[] = [];
  return { decisions, onBranch: (loc, test, taken) => { decisions.push({ loc, test, taken }); } };
}

/** The note for the first test the two runs decide differently, or null when they agree throughout. */
export function partingNote(float: Decision[], exact: Decision[]): string | null {
  const n = Math.min(float.length, exact.length);
  for (let i = 0; i < n; i++) {
    if (float[i].taken === exact[i].taken) continue;
    const d = float[i];
    const where = d.loc ? `line ${d.loc.line}, column ${d.loc.column}` : 'a test';
    return `rounding decides a branch at this point: ${where}, ${formatExpr(d.test, 'js')}, is ${d.taken} in floating point (as f runs) and ${!d.taken} in exact arithmetic, so the exact reference follows another path than f, and every engine differs from it for that reason`;
  }
  return null;
}
