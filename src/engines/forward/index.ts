// The forward engine (dual numbers): the gradient from one forward sweep per scalar input over the
// interpreter, the same derivative written out as readable tangent code (compiled, and the timer's
// hot path), and what n forward sweeps cost beside one reverse sweep.

import { Tape, type TapeVar } from '../../ad/tape.ts';
import { DualAlgebra, type KinkHit } from '../../algebras/dual.ts';
import { compileTangent, generateTangent, type TangentFunction } from '../../codegen/tangent.ts';
import { generateGradient } from '../../codegen/reverse.ts';
import { floatAlgebra, type Value } from '../../interp/algebra.ts';
import { plainFunction } from '../../interp/compile.ts';
import { Interpreter } from '../../interp/interpreter.ts';
import { mainFn, type Program } from '../../ir/types.ts';
import { gradientFromSlots, maxRelativeError, type Gradient, type Point } from '../../point.ts';
import { RULES } from '../../rules/table.ts';
import { alternatingArgs, costMicros, formatMicros as time, ratioNote, ratioOf, readPatience, RESOLVABLE_MICROS, timeMicros, timingCaveat, type Patience } from '../../timing.ts';
import { DdxError } from '../../errors.ts';
import type { Engine, EngineContext, EngineOutput } from '../types.ts';
import { forwardGradient, SweepBudgetError, sweep } from './sweep.ts';

/** Operations (as the interpreter counts them) that n sweeps of compiled tangent code may take. */
export const COMPILED_BUDGET = 2_000_000_000;

/**
 * The gradient by n calls of the compiled tangent code, one per slot, with the seeds allocated
 * once and moved between calls: the hot path that --time and the bench measure.
 */
export function tangentGradientRunner(program: Program, at: Point, wrt: string[], tangent: TangentFunction): () => number[] {
  const fn = mainFn(program);
  const call: Value<number>[] = fn.params.map((p) => at[p.name]);
  const seedAt = call.length;
  for (const name of wrt) {
    const x = at[name];
    call.push(Array.isArray(x) ? new Array<number>(x.length).fill(0) : 0);
  }
  const n = wrt.reduce((k, name) => k + (Array.isArray(at[name]) ? (at[name] as number[]).length : 1), 0);
  return () => {
    const g = new Array<number>(n);
    let k = 0;
    for (let s = 0; s < wrt.length; s++) {
      const seed = call[seedAt + s];
      if (Array.isArray(seed)) {
        for (let i = 0; i < seed.length; i++) {
          seed[i] = 1;
          g[k++] = tangent.apply(null, call);
          seed[i] = 0;
        }
      } else {
        call[seedAt + s] = 1;
        g[k++] = tangent.apply(null, call);
        call[seedAt + s] = 0;
      }
    }
    return g;
  };
}

/** One reverse sweep on the tape (record f, sweep back once): the other side of the comparison. */
function reverseSweepOnTape(program: Program, at: Point): () => number {
  const fn = mainFn(program);
  return () => {
    const tape = new Tape(floatAlgebra);
    const args = fn.params.map((p) => {
      const x = at[p.name];
      return Array.isArray(x) ? x.map((xi, i) => tape.input(xi, `${p.name}[${i}]`)) : tape.input(x, p.name);
    });
    const out = new Interpreter(program, tape).run(args as Value<TapeVar<number>>[]);
    tape.backward(out, 1);
    return tape.nodes.length;
  };
}

function opName(op: keyof typeof RULES): string {
  const n = RULES[op].js;
  return n.kind === 'call' ? n.name : n.kind === 'template' ? op : n.op;
}

export function kinkNote(k: KinkHit): string {
  const where = k.loc && k.loc.line > 0 ? `line ${k.loc.line}, column ${k.loc.column}` : 'an unknown place';
  return `${opName(k.op)} at ${where} sits on a kink at this point and a derivative flows through it: ${k.convention}`;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export const forwardEngine: Engine = {
  id: 'forward',
  title: 'Forward mode',
  summary: 'dual numbers: each sweep carries a derivative along one input direction, so the gradient takes one sweep per input',

  run(ctx: EngineContext): EngineOutput {
    const { program, at, wrt } = ctx;
    const code = generateTangent(program, wrt);
    const tangent = compileTangent(code);
    const runner = tangentGradientRunner(program, at, wrt, tangent);
    const notes: string[] = [];
    let generated: number[];
    let gradient: Gradient;
    let operationsPerSweep: number;
    let path: 'dual numbers' | 'tangent code';
    try {
      const fg = forwardGradient(program, at, wrt);
      gradient = gradientFromSlots(at, wrt, fg.partials);
      operationsPerSweep = fg.operationsPerSweep;
      path = 'dual numbers';
      generated = runner();
      notes.push(...fg.kinks.map(kinkNote));
      const disagreement = maxRelativeError(gradientFromSlots(at, wrt, generated), gradient, wrt);
      if (!(disagreement <= 1e-12)) notes.push(`the generated tangent code and the dual numbers disagree (by ${disagreement.toExponential(2)} relative): please report this`);
    } catch (err) {
      // Too many sweeps for the interpreter: the compiled tangent code (the same rules, written out)
      // is some fifty times faster, so it gives the gradient, within a budget of its own.
      if (!(err instanceof SweepBudgetError)) throw err;
      const n = err.sweeps;
      if (n * err.operationsPerSweep > COMPILED_BUDGET) {
        throw new DdxError('budget', `forward mode needs one sweep per input: ${n.toLocaleString('en-US')} sweeps of ${err.operationsPerSweep.toLocaleString('en-US')} operations is too much even for the compiled tangent code; reverse mode gets the whole gradient in one sweep`);
      }
      generated = runner();
      gradient = gradientFromSlots(at, wrt, generated);
      operationsPerSweep = err.operationsPerSweep;
      path = 'tangent code';
      // One dual sweep along (1, ..., 1) finds the kinks a derivative flows through.
      const algebra = new DualAlgebra();
      sweep(program, at, Object.fromEntries(wrt.map((name) => [name, Array.isArray(at[name]) ? (at[name] as number[]).map(() => 1) : 1])), algebra);
      notes.push(...[...algebra.kinks.values()].map(kinkNote));
      notes.push(`${n.toLocaleString('en-US')} dual-number sweeps on the interpreter would take ${(n * err.operationsPerSweep).toLocaleString('en-US')} operations, over its budget: this gradient comes from the ${n.toLocaleString('en-US')} sweeps of the compiled tangent code`);
    }

    const n = generated.length;
    const lines = code.source.split('\n').length;
    const cost: Record<string, number | string> = { sweeps: n, operations_per_sweep: operationsPerSweep, lines, path };
    const patience = readPatience(ctx.options.measure, 'forward');
    const comparison = patience === null ? undefined : compare(ctx, tangent, n, operationsPerSweep, patience);
    if (comparison && patience) {
      const c = comparison;
      // Below the clock's resolution a time is shown as a bound, and a ratio to it is not given.
      const fTimed = c.f_micros >= RESOLVABLE_MICROS;
      const ratio = (micros: number) => ratioNote(micros, c.f_micros);
      Object.assign(cost, {
        f_micros: costMicros(c.f_micros),
        sweep_micros: costMicros(c.tangent_sweep_micros),
        gradient_micros: costMicros(c.tangent_gradient_micros),
        gradient_over_f: ratioOf(c.tangent_gradient_micros, c.f_micros) ?? 'n/a',
        reverse_code_micros: c.reverse_code_micros === null ? 'n/a' : costMicros(c.reverse_code_micros),
        timing: patience,
      });
      const reverseCode = c.reverse_code_micros === null ? '' : `, against ${time(c.reverse_code_micros)} for reverse mode's generated gradient function${ratio(c.reverse_code_micros)}, which sweeps forward once and back once whatever n is`;
      notes.push(`forward mode takes one sweep per input: ${n} here. The generated tangent code takes ${time(c.tangent_sweep_micros)} a sweep${ratio(c.tangent_sweep_micros)}, so ${time(c.tangent_gradient_micros)} for the gradient${ratio(c.tangent_gradient_micros)}${reverseCode} (${timingCaveat(patience)}).`);
      if (!fTimed) notes.push(`f itself runs faster than this clock can time (under ${RESOLVABLE_MICROS} µs a call once the JIT has compiled it), so no time is given as a multiple of f.`);
      const i = c.interpreter;
      if (i) {
        Object.assign(cost, { dual_sweep_micros: round(i.dual_sweep_micros), tape_sweep_micros: round(i.tape_sweep_micros), tape_length: i.tape_length });
        notes.push(`On the interpreter: ${n} dual-number sweep${n === 1 ? ' takes' : 's take'} ${n} × ${time(i.dual_sweep_micros)} = ${time(i.dual_gradient_micros)}, against ${time(i.tape_sweep_micros)} for one reverse sweep over a tape of ${i.tape_length} nodes, which gives the whole gradient at once${breakEven(i)}.`);
      }
    }
    return {
      gradient,
      source: code.source,
      cost,
      notes,
      tangent: { name: code.name, params: code.params, seeds: code.seeds },
      comparison: comparison ?? null,
    };
  },

  timer(ctx: EngineContext): () => unknown {
    const tangent = compileTangent(generateTangent(ctx.program, ctx.wrt));
    return tangentGradientRunner(ctx.program, ctx.at, ctx.wrt, tangent);
  },
};

/**
 * n forward sweeps against one reverse sweep, like for like: one sweep of the compiled tangent
 * code against reverse mode's generated gradient function, and on the interpreter a dual-number
 * sweep against recording a tape and sweeping it back.
 */
export interface SweepComparison {
  sweeps: number;
  f_micros: number;
  /** One call of the compiled tangent code (one directional derivative). */
  tangent_sweep_micros: number;
  /** n calls of it: the whole gradient by forward mode on the compiled path. */
  tangent_gradient_micros: number;
  /** Reverse mode's generated gradient function (one forward and one backward sweep), compiled; null if it cannot be generated. */
  reverse_code_micros: number | null;
  /** The interpreter side; null where one sweep is too long to time inside a run. */
  interpreter: {
    /** One forward sweep over dual numbers. */
    dual_sweep_micros: number;
    /** n of them: the whole gradient by forward mode on the interpreter. */
    dual_gradient_micros: number;
    /** One reverse sweep (record the tape, sweep it back): the whole gradient. */
    tape_sweep_micros: number;
    tape_length: number;
    /** How many inputs forward mode can afford before one reverse sweep is cheaper. */
    break_even_inputs: number | null;
  } | null;
}

/** Where forward mode stops paying on the interpreter, for the note. */
function breakEven(i: NonNullable<SweepComparison['interpreter']>): string {
  if (i.break_even_inputs === null) return '';
  // Recording and sweeping the tape can cost less than one dual sweep (the dual numbers' work
  // per operation is the larger): then forward mode never wins.
  if (i.tape_sweep_micros < i.dual_sweep_micros) return ': there one reverse sweep costs less than even one forward sweep';
  return `: there forward mode wins below about ${i.break_even_inputs} input${i.break_even_inputs === 1 ? '' : 's'}`;
}

/** Interpreter sweeps longer than this (in operations) are not timed inside a run. */
const MAX_TIMED_OPERATIONS = 100_000;

function compare(ctx: EngineContext, tangent: TangentFunction, n: number, operationsPerSweep: number, patience: Patience): SweepComparison {
  const timed = (fn: (i: number) => unknown) => timeMicros(fn, patience);
  const plainF = plainFunction(ctx.program);
  const zeros = ctx.wrt.map((name) => {
    const x = ctx.at[name];
    return Array.isArray(x) ? new Array<number>(x.length).fill(0) : 0;
  });
  const args = alternatingArgs(ctx.args);
  const call = alternatingArgs([...ctx.args, ...zeros]);
  // A sweep costs the same along any direction, so the zero direction stands for all of them.
  const tangentSweep = timed((i) => tangent.apply(null, call(i)));
  let reverseCode: number | null = null;
  try {
    const gradient = generateGradient(ctx.program, { wrt: ctx.wrt }).fn;
    reverseCode = timed((i) => gradient(...args(i)));
  } catch {
    reverseCode = null; // reverse mode refuses this function; its card says why
  }
  let interpreter: SweepComparison['interpreter'] = null;
  if (operationsPerSweep <= MAX_TIMED_OPERATIONS) {
    const dualSweep = timed(() => sweep(ctx.program, ctx.at, {}));
    const reverse = reverseSweepOnTape(ctx.program, ctx.at);
    const tapeSweep = timed(reverse);
    interpreter = {
      dual_sweep_micros: dualSweep,
      dual_gradient_micros: n * dualSweep,
      tape_sweep_micros: tapeSweep,
      tape_length: reverse(),
      break_even_inputs: dualSweep > 0 && Number.isFinite(tapeSweep / dualSweep) ? Math.max(1, Math.floor(tapeSweep / dualSweep)) : null,
    };
  }
  return {
    sweeps: n,
    // f as plain JavaScript, without the loop counter (see the reverse engine): f has run to its end.
    f_micros: timed((i) => plainF(...args(i))),
    tangent_sweep_micros: tangentSweep,
    tangent_gradient_micros: n * tangentSweep,
    reverse_code_micros: reverseCode,
    interpreter,
  };
}
