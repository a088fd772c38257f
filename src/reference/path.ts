// Where f in floating point and the exact reference part ways. Both run the same program; each
// if, loop and ternary test is decided by the values each computes, and rounding can decide one of
// them the other way (`(x + 1) - 1 < x` at x = 1e-17 holds in doubles, not exactly). The
// reference's gradient is then that of another path than f's, and every engine, following f,
// differs from it for that reason alone: the response says so, naming the test.
// The float run keeps one bit per decision; the exact run is compared with it as it goes and
// keeps only the first test decided differently (a run may decide millions of tests).

import type { SourceLocation } from '../errors.ts';
import { formatExpr } from '../ir/format.ts';
import type { Expr } from '../ir/types.ts';

type OnBranch = (loc: SourceLocation | undefined, test: Expr, taken: boolean) => void;

/** A run's decisions, one bit each (1: taken), 32 to a number: a run may decide millions. */
export interface Decisions { words: number[]; count: number }

/** Decision k of a run: taken or not. */
const taken = (d: Decisions, k: number) => ((d.words[k >> 5] >>> (k & 31)) & 1) === 1;

/** The float run's decisions, for `partingWatch` to compare against. */
export function decisionBits(): { bits: Decisions; onBranch: OnBranch } {
  const bits: Decisions = { words: [], count: 0 };
  return {
    bits,
    onBranch: (_loc, _test, isTaken) => {
      const k = bits.count++;
      if ((k & 31) === 0) bits.words.push(0);
      if (isTaken) bits.words[k >> 5] |= 1 << (k & 31);
    },
  };
}

/** Watches the exact run's decisions against the float run's; `note()` names the first that differs. */
export function partingWatch(floatBits: Decisions): { onBranch: OnBranch; note: () => string | null } {
  let k = 0;
  let first: { loc: SourceLocation | undefined; test: Expr; exact: boolean } | null = null;
  return {
    onBranch: (loc, test, exact) => {
      // Up to the first difference both runs decide the same tests in the same order.
      if (!first && k < floatBits.count && taken(floatBits, k) !== exact) first = { loc, test, exact };
      k++;
    },
    note: () => {
      if (!first) return null;
      const where = first.loc ? `line ${first.loc.line}, column ${first.loc.column}` : 'a test';
      return `rounding decides a branch at this point: ${where}, ${formatExpr(first.test, 'js')}, is ${!first.exact} in floating point (as f runs) and ${first.exact} in exact arithmetic, so the exact reference follows another path than f, and every engine differs from it for that reason`;
    },
  };
}
