// The manual engine: the user's own hand-derived derivative (df_dx beside f, grad_f, or a
// --manual file), checked against the exact reference at the point and at the points around it,
// with a verdict (correct, wrong, or right only on part of the domain) and a counterexample.
// The gradient it reports is the user's formula evaluated in doubles at the point.

import { formatExpr } from '../../ir/format.ts';
import type { Expr } from '../../ir/types.ts';
import { compileProgram } from '../../interp/compile.ts';
import type { Value } from '../../interp/algebra.ts';
import { mainFn } from '../../ir/types.ts';
import { gradientFromSlots, type Point } from '../../point.ts';
import type { Derivative, Engine, EngineContext, EngineOutput } from '../types.ts';
import { DdxError } from '../../errors.ts';
import { checkManual, DEFAULT_CHECK, type CheckOptions, type CheckResult, type PointCheck } from './check.ts';
import { entriesOf, formulaOf } from './formula.ts';
import { discreteParams } from './points.ts';
import { resolveManual, type ManualSetup } from './resolve.ts';

export { manualTemplate } from './template.ts';

export const manualEngine: Engine = {
  id: 'manual',
  title: 'Manual',
  summary: 'Your own hand-derived derivative, checked against the exact one at the point and at many points around it',

  run(ctx: EngineContext): EngineOutput {
    const setup = resolveManual(ctx.program, ctx.at, ctx.wrt, ctx.options);
    const options = checkOptions(ctx.options);
    const check = checkManual(setup, ctx.at, options);
    const evaluate = compileDerivatives(setup);
    const values = evaluate(ctx.args);
    const output: EngineOutput = {
      gradient: gradientFromSlots(ctx.at, ctx.wrt, values),
      derivatives: derivativesOf(setup),
      cost: {
        points: check.checked,
        derivative_functions: setup.functions.length,
        decimal_operations: check.operations,
      },
      notes: notesOf(setup, check, values, options),
      verdict: check.verdict,
      checked_points: check.checked,
      agreeing_points: check.agreeing,
      by_function: Object.fromEntries(setup.functions.map((fn) => [fn.name, check.byFunction[fn.name]])),
    };
    if (check.counterexample) {
      const { check: at, mismatch } = check.counterexample;
      output.counterexample = {
        at: at.at,
        wrt: setup.slots[mismatch.slot].label,
        function: mismatch.fn,
        yours: mismatch.yours,
        reference: mismatch.reference,
        ...(mismatch.error ? { error: mismatch.error } : {}),
      };
    }
    return output;
  },

  timer(ctx: EngineContext) {
    const evaluate = compileDerivatives(resolveManual(ctx.program, ctx.at, ctx.wrt, ctx.options));
    return () => evaluate(ctx.args);
  },
};

/** The engine's options: `points` (how many besides the user's, 20 to 500) and `budget` (operation units). */
function checkOptions(options: Record<string, unknown>): CheckOptions {
  const read = (key: keyof CheckOptions, min: number, max: number): number => {
    const v = options[key];
    if (v === undefined) return DEFAULT_CHECK[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new DdxError('input', `the manual engine's ${key} option must be a whole number from ${min} to ${max}`);
    return v;
  };
  return { points: read('points', 20, 500), budget: read('budget', 0, 10_000_000) };
}

/** The user's derivative functions compiled to JavaScript; returns one double per wrt slot. */
export function compileDerivatives(setup: ManualSetup): (args: Value<number>[]) => number[] {
  const compiled = new Map(setup.functions.map((fn) => [fn.name, compileProgram({ ...setup.program, main: fn.name }) as unknown as (...a: Value<number>[]) => Value<number>]));
  const plan = setup.wrtSlots.map((slot) => {
    const { fn, position } = setup.reportedBy.get(slot)!;
    return { fn, position };
  });
  const used = setup.functions.filter((fn) => plan.some((p) => p.fn === fn));
  return (args) => {
    const results = new Map<string, Value<number>>();
    for (const fn of used) results.set(fn.name, compiled.get(fn.name)!(...fn.argIndex.map((i) => args[i])));
    return plan.map(({ fn, position }) => {
      const r = results.get(fn.name)!;
      return Array.isArray(r) ? r[position] : r;
    });
  };
}

/** The user's derivative as LaTeX and mathjs text, per scalar partial, where it has a closed form. */
function derivativesOf(setup: ManualSetup): Record<string, Derivative> {
  const out: Record<string, Derivative> = {};
  const f = mainFn(setup.program);
  const formulas = new Map<string, Expr[] | null>();
  for (const slot of setup.wrtSlots) {
    const { fn, position } = setup.reportedBy.get(slot)!;
    if (!formulas.has(fn.name)) {
      const ir = setup.program.functions[fn.name];
      const rename = Object.fromEntries(ir.params.map((p, i) => [p.name, f.params[fn.argIndex[i]].name]));
      const formula = formulaOf(ir, rename);
      formulas.set(fn.name, formula && (fn.shape === 'num' ? [formula] : entriesOf(formula, fn.shape)));
    }
    const entry = formulas.get(fn.name)?.[position];
    if (entry) out[setup.slots[slot].key] = { expression: formatExpr(entry, 'mathjs'), latex: formatExpr(entry, 'latex') };
  }
  return out;
}

function notesOf(setup: ManualSetup, check: CheckResult, values: number[], options: CheckOptions): string[] {
  const notes: string[] = [];
  const f = mainFn(setup.program);
  const others = check.checked - (check.points[0].status === 'skipped' ? 0 : 1);
  const where = `at your point and ${others} other${others === 1 ? '' : 's'} around it${spanOf(check.points.filter((p) => p.status !== 'skipped'))}`;
  if (check.verdict === 'correct') {
    notes.push(`correct: checked ${where}; your derivative and the exact one agree to within rounding at every one`);
  } else if (check.verdict === 'partly') {
    notes.push(`right only on part of the domain: your derivative agrees at ${check.agreeing} of ${check.checked} points checked (${where})${regionOf(setup, check)}`);
  } else {
    notes.push(`wrong: your derivative disagrees with the exact one at ${check.checked - check.agreeing} of ${check.checked} points checked (${where})`);
  }
  if (setup.functions.length > 1 && check.verdict !== 'correct') {
    notes.push(setup.functions.map((fn) => `${fn.name} is ${check.byFunction[fn.name] === 'partly' ? 'right only in part' : check.byFunction[fn.name]}`).join('; '));
  }
  notes.push(...setup.notes);
  const ce = check.counterexample;
  if (ce) {
    const m = ce.mismatch;
    const at = formatPoint(ce.check.at);
    notes.push(m.error
      ? `first disagreement: at ${at}, ${m.fn} fails (${m.error}); the derivative with respect to ${setup.slots[m.slot].label} is ${m.reference}`
      : `first disagreement: at ${at}, ${m.fn} gives ${m.yours} for the derivative with respect to ${setup.slots[m.slot].label}; the exact value is ${m.reference}`);
    const mismatches = check.points.filter((p) => p.status === 'disagree' && p.mismatch);
    if (mismatches.every((p) => p.mismatch!.relative < 1e-8)) {
      notes.push('every disagreement is smaller than 1e-8 relative: the formula looks right, but a constant in it is not exact (write Math.PI, Math.log(2), 1/3, ... rather than their digits)');
    }
  }
  notes.push('how it is checked: your derivative and the exact one are both evaluated in 40-digit decimals; they must agree to within the rounding of that arithmetic and of constants that are not exactly the number they spell (0.1, Math.PI: about 1e-16 relative), and nothing more');
  const base = check.points[0];
  if (base.status === 'skipped') notes.push(`your point itself is not checked: ${base.reason}`);
  const skipped = check.points.filter((p) => p.status === 'skipped' && !p.base);
  if (skipped.length) notes.push(`${skipped.length} of the ${check.tried} points tried around yours ${skipped.length === 1 ? 'was' : 'were'} skipped: ${[...new Set(skipped.map((p) => p.reason))].slice(0, 3).join('; ')}`);
  if (check.stoppedByBudget) notes.push(`checked only ${check.checked} point${check.checked === 1 ? '' : 's'}: the budget of ${options.budget.toLocaleString('en-US')} operation units for 40-digit arithmetic ran out (${check.operations.toLocaleString('en-US')} used; raise it with the budget option), so the verdict rests on fewer points than usual`);
  else if (others < options.points && check.tried > 0) notes.push(`only ${others} points around yours could be checked: ${f.name} is defined at few of the points tried`);
  const discrete = [...discreteParams(setup.program)].filter((p) => Number.isInteger(base.at[p]));
  if (discrete.length) notes.push(`${discrete.join(', ')} ${discrete.length === 1 ? 'counts' : 'count'} loop steps or indexes arrays, so ${discrete.length === 1 ? 'it was' : 'they were'} moved by whole numbers only`);
  // A right formula can still lose digits in doubles: say so, since the gradient shown is the double one.
  if (base.exact) {
    setup.wrtSlots.forEach((slot, k) => {
      const exact = base.exact!.get(slot);
      if (!exact) return;
      const x = exact.v.toNumber();
      const gap = x === 0 ? Math.abs(values[k]) : Math.abs(values[k] - x) / Math.abs(x);
      if (gap > 1e-10) notes.push(`in doubles your formula for ${setup.slots[slot].label} loses digits at this point: ${values[k]} against its exact value ${x} (relative error ${gap.toPrecision(2)}), from cancellation or overflow in the order it computes`);
    });
  }
  const forms = setup.functions.filter((fn) => !derivativeHasFormula(setup, fn.name));
  if (forms.length) notes.push(`${forms.map((fn) => fn.name).join(', ')}: no closed formula to show (a loop, or too large); its values are checked all the same`);
  return notes;
}

function derivativeHasFormula(setup: ManualSetup, name: string): boolean {
  return formulaOf(setup.program.functions[name]) !== null;
}

/** Which side of a threshold on one input the agreeing points lie, when one input separates them. */
function regionOf(setup: ManualSetup, check: CheckResult): string {
  const checked = check.points.filter((p) => p.status !== 'skipped');
  const valueAt = (p: PointCheck, slot: number) => {
    const s = setup.slots[slot];
    const v = p.at[s.param];
    return Array.isArray(v) ? v[s.index!] : v;
  };
  for (let slot = 0; slot < setup.slots.length; slot++) {
    const agree = checked.filter((p) => p.status === 'agree').map((p) => valueAt(p, slot));
    const disagree = checked.filter((p) => p.status === 'disagree').map((p) => valueAt(p, slot));
    const label = setup.slots[slot].label;
    if (Math.min(...agree) > Math.max(...disagree)) return `: right at every point checked with ${label} >= ${Math.min(...agree)}, wrong at every one with ${label} <= ${Math.max(...disagree)}`;
    if (Math.max(...agree) < Math.min(...disagree)) return `: right at every point checked with ${label} <= ${Math.max(...agree)}, wrong at every one with ${label} >= ${Math.min(...disagree)}`;
  }
  return '';
}

function spanOf(points: PointCheck[]): string {
  if (points.length < 2) return '';
  const parts: string[] = [];
  for (const name of Object.keys(points[0].at)) {
    const values = points.flatMap((p) => [p.at[name]].flat());
    parts.push(`${name} from ${Math.min(...values)} to ${Math.max(...values)}`);
    if (parts.length === 4) break;
  }
  return `, ${parts.join(', ')}`;
}

function formatPoint(at: Point): string {
  return Object.entries(at).map(([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`).join(', ');
}
