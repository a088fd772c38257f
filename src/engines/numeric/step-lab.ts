// The step-size lab: |error| against h, measured against the exact reference, for every method on
// one grid of steps (1, 0.5, 0.2, 0.1, ... 1e-16: three points a decade). Large h shows the
// truncation error falling with the method's order; small h shows round-off growing as eps/h; the
// bottom of the V is the best a method can do. The complex step has no subtraction, so no V.

import type { Value } from '../../interp/algebra.ts';
import type { Slot } from '../../point.ts';
import { complexSweep, ComplexStepAlgebra } from './complex-step.ts';
import { autoStep, differentiate, exactStep, METHODS, METHOD_IDS, type MethodId, type Probe } from './methods.ts';
import type { Instrumented } from './trace.ts';

/**
 * The lab's steps, largest first: 1, 0.5, 0.2, 0.1, ... 1e-16 (three a decade). The decade above
 * 1e-1 is there for Richardson, whose order-8 truncation error only shows at such steps.
 */
export const LAB_STEPS: number[] = (() => {
  const steps: number[] = [];
  for (let e = 0; e <= 16; e++) for (const m of e === 16 ? [1] : [1, 0.5, 0.2]) steps.push(Number(`${m}e-${e}`));
  return steps;
})();

/** At most this many inputs are measured; beyond it, this many spread evenly over the inputs. */
export const LAB_MAX_INPUTS = 8;

export interface LabMethod {
  method: MethodId;
  /** Slope of the truncation error in log-log (the method's order). */
  slope: number;
  /** Slope of the round-off error: -1 for a difference quotient, 0 for the complex step. */
  roundoff_slope: number;
  /** The automatic step for each measured input (the engine's choice). */
  chosen_h: number[];
  /** The worst error over the measured inputs at the chosen steps. */
  chosen_error: number | null;
  /** The grid step with the smallest worst error, and that error. */
  best_h: number | null;
  best_error: number | null;
  /** One worst-over-inputs error per grid step (null where the method gave NaN or Infinity). */
  errors: (number | null)[];
  /** The inputs this method measured, where fewer than the lab's (the complex step, over budget). */
  inputs?: string[];
  /** Per measured input, when there are at most LAB_MAX_INPUTS of them in all. */
  per_input?: Record<string, (number | null)[]>;
}

export interface StepLab {
  /** What each error is: see `measure`. */
  measure: string;
  h: number[];
  /** The step the user set (option h), to be marked on the plot; null when automatic. */
  user_h: number | null;
  /** The inputs measured (labels), in order. */
  inputs: string[];
  methods: LabMethod[];
  f_evals: number;
  complex_sweeps: number;
  notes: string[];
}

/** Relative error where the reference is nonzero, absolute where it is 0 (as max_rel_error). */
export function errorAgainst(value: number, reference: number): number {
  if (value === reference) return 0;
  if (!Number.isFinite(value)) return Infinity;
  return reference === 0 ? Math.abs(value) : Math.abs(value - reference) / Math.abs(reference);
}

const finite = (e: number) => (Number.isFinite(e) ? e : null);

/** `count` of `items`, spread evenly from the first to the last. */
function spread<T>(items: T[], count: number): T[] {
  if (count >= items.length) return items.slice();
  if (count <= 1) return items.slice(0, count);
  const picked = new Set<T>();
  for (let i = 0; i < count; i++) picked.add(items[Math.round((i * (items.length - 1)) / (count - 1))]);
  return [...picked];
}

const labInputs = (n: number): number[] => spread([...Array(n).keys()], LAB_MAX_INPUTS);

export interface LabContext {
  probe: Probe;
  slots: Slot[];
  reference: number[];
  inst: Instrumented;
  args: Value<number>[];
  paramIndex: Map<string, number>;
  /** Interpreter operations of one evaluation of f, to keep the complex sweeps in budget. */
  operationsPerRun: number;
  complexBudget: number;
  userStep: number | null;
}

export function runStepLab(c: LabContext): StepLab {
  const inputs = labInputs(c.slots.length);
  const notes: string[] = [];
  if (inputs.length < c.slots.length) notes.push(`the step lab measures ${inputs.length} of the ${c.slots.length} inputs, spread evenly (${inputs.map((k) => c.slots[k].label).join(', ')})`);
  const evalsBefore = c.probe.evaluations;
  let sweeps = 0;
  // The complex step runs the interpreter: it measures as many of the inputs as its budget allows.
  const perInputSweeps = (LAB_STEPS.length + 1) * c.operationsPerRun;
  const complexCount = Math.min(inputs.length, Math.floor(c.complexBudget / perInputSweeps));
  const complexInputs = spread(inputs, complexCount);
  if (complexCount === 0) notes.push(`the step lab leaves out the complex step: ${LAB_STEPS.length + 1} interpreter sweeps of about ${c.operationsPerRun.toLocaleString('en-US')} operations each are over its budget`);
  else if (complexCount < inputs.length) notes.push(`the step lab's complex step measures ${complexCount} of those inputs (${complexInputs.map((k) => c.slots[k].label).join(', ')}), within its budget of interpreter sweeps`);
  const algebra = new ComplexStepAlgebra(c.inst.markers);
  const methods: LabMethod[] = [];
  for (const method of METHOD_IDS) {
    if (method === 'complex-step' && complexCount === 0) continue;
    const measured = method === 'complex-step' ? complexInputs : inputs;
    const measure = (k: number, h: number): number => {
      const ref = c.reference[k];
      if (method === 'complex-step') {
        sweeps++;
        const s = c.slots[k];
        return errorAgainst(complexSweep(c.inst, algebra, c.args, { paramIndex: c.paramIndex.get(s.param)!, index: s.index }, h).d, ref);
      }
      return errorAgainst(differentiate(method, c.probe, k, exactStep(c.probe.x[k], h), false).d, ref);
    };
    const perInput: Record<string, (number | null)[]> = {};
    const worst = LAB_STEPS.map(() => 0);
    for (const k of measured) {
      const row = LAB_STEPS.map((h, i) => {
        const e = measure(k, h);
        if (!(e <= worst[i])) worst[i] = e;
        return finite(e);
      });
      perInput[c.slots[k].label] = row;
    }
    const chosen = measured.map((k) => autoStep(method, c.probe.x[k]));
    let chosenError = 0;
    measured.forEach((k, j) => {
      const e = method === 'complex-step' ? measure(k, chosen[j]) : errorAgainst(differentiate(method, c.probe, k, chosen[j], false).d, c.reference[k]);
      if (!(e <= chosenError)) chosenError = e;
    });
    let best = -1;
    worst.forEach((e, i) => { if (Number.isFinite(e) && (best < 0 || e < worst[best])) best = i; });
    methods.push({
      method,
      slope: METHODS[method].order,
      roundoff_slope: method === 'complex-step' ? 0 : -1,
      chosen_h: chosen,
      chosen_error: finite(chosenError),
      best_h: best >= 0 ? LAB_STEPS[best] : null,
      best_error: best >= 0 ? worst[best] : null,
      errors: worst.map(finite),
      ...(measured.length < inputs.length ? { inputs: measured.map((k) => c.slots[k].label) } : {}),
      ...(c.slots.length <= LAB_MAX_INPUTS ? { per_input: perInput } : {}),
    });
  }
  return {
    measure: 'for each h, the worst over the measured inputs of |d - reference| / |reference| (|d| where the reference is 0), the same measure as max_rel_error; h is the absolute step in every input',
    h: LAB_STEPS,
    user_h: c.userStep,
    inputs: inputs.map((k) => c.slots[k].label),
    methods,
    f_evals: c.probe.evaluations - evalsBefore,
    complex_sweeps: sweeps,
    notes,
  };
}
