// The reverse engine: reverse-mode automatic differentiation two ways, on one card. The value
// path is tangent's: a new gradient function generated as JavaScript source, compiled and run.
// Beside it, autograd's: the tape the interpreter records, swept backward once, exported for the
// graph. The two must agree; a note says so when they do not.
// Options: `preserveResult` (the generated function returns [value, gradient]), `seed` (the
// default output adjoint, which scales the gradient), `tapeMaxNodes` (how much of the tape to
// export), `measure` (false: leave out the timings of the generated code and the tape against f;
// settled: time each after a warm-up long enough for a browser tab's JIT, as the page asks later).

import { DdxError } from '../../errors.ts';
import { gradientFromSlots, flattenGradient, slotsOf, type Gradient } from '../../point.ts';
import type { Engine, EngineContext, EngineOutput } from '../types.ts';
import { generateGradient, type GeneratedGradient } from '../../codegen/reverse.ts';
import { runTape } from './tape-view.ts';
import { plainFunction } from '../../interp/compile.ts';
import { alternatingArgs, costMicros, formatMicros, ratioNote, ratioOf, readPatience, RESOLVABLE_MICROS, timeMicros, timingCaveat, type Patience } from '../../timing.ts';

interface ReverseOptions { preserveResult: boolean; seed: number; tapeMaxNodes: number; measure: Patience | null }

function readOptions(raw: Record<string, unknown>): ReverseOptions {
  const known = ['preserveResult', 'seed', 'tapeMaxNodes', 'measure'];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw new DdxError('input', `reverse has no option ${key}: its options are ${known.join(', ')}`);
  }
  const preserveResult = raw.preserveResult === undefined ? false : raw.preserveResult === true || raw.preserveResult === 'true';
  const seed = raw.seed === undefined ? 1 : Number(raw.seed);
  if (!Number.isFinite(seed)) throw new DdxError('input', 'reverse.seed must be a finite number (the output adjoint, 1 by default)');
  const tapeMaxNodes = raw.tapeMaxNodes === undefined ? 5000 : Number(raw.tapeMaxNodes);
  if (!Number.isInteger(tapeMaxNodes) || tapeMaxNodes < 0) throw new DdxError('input', 'reverse.tapeMaxNodes must be a whole number');
  const measure = readPatience(raw.measure, 'reverse');
  return { preserveResult, seed, tapeMaxNodes, measure };
}

function generate(ctx: EngineContext, options: ReverseOptions): GeneratedGradient {
  try {
    return generateGradient(ctx.program, { wrt: ctx.wrt, preserveResult: options.preserveResult, seed: options.seed });
  } catch (err) {
    if (err instanceof DdxError) throw err;
    throw new DdxError('engine', `reverse mode could not generate the gradient function: ${(err as Error).message}`);
  }
}

/** The generated function's return value, as a Gradient (copied, so the Gradient owns its arrays). */
function toGradient(gen: GeneratedGradient, returned: unknown, preserveResult: boolean): { gradient: Gradient; value?: number } {
  const [value, list] = preserveResult ? (returned as [number, unknown[]]) : [undefined, returned as unknown[]];
  const gradient: Gradient = {};
  gen.wrt.forEach((name, i) => {
    const entry = list[i];
    gradient[name] = typeof entry === 'number' ? entry : Array.from(entry as ArrayLike<number>);
  });
  return value === undefined ? { gradient } : { gradient, value };
}

function lineCount(source: string): number {
  return source.split('\n').length;
}

export const reverseEngine: Engine = {
  id: 'reverse',
  title: 'Reverse mode',
  summary: 'Automatic differentiation backward from the result: a generated gradient function (tangent) and the recorded tape (autograd)',

  run(ctx: EngineContext): EngineOutput {
    const options = readOptions(ctx.options);
    const gen = generate(ctx, options);
    let returned: unknown;
    try {
      returned = gen.fn(...ctx.args);
    } catch (err) {
      throw new DdxError('runtime', `the generated gradient function failed: ${(err as Error).message}`);
    }
    const { gradient, value } = toGradient(gen, returned, options.preserveResult);

    const tape = runTape(ctx.program, ctx.at, ctx.wrt, options.tapeMaxNodes, { branches: true });
    const notes: string[] = [];
    // The two views must agree: the tape's adjoints against the generated code's, seed for seed.
    const slots = slotsOf(ctx.at, ctx.wrt);
    const fromCode = flattenGradient(gradient, ctx.wrt);
    const fromTape = flattenGradient(tape.gradient, ctx.wrt).map((g) => g * options.seed);
    let worst = 0;
    fromTape.forEach((t, i) => {
      const c = fromCode[i];
      if (Object.is(t, c) || t === c) return;
      const scale = Math.max(Math.abs(t), Math.abs(c));
      const e = Number.isFinite(scale) ? Math.abs(t - c) / Math.max(scale, 1e-300) : Infinity;
      if (!(e <= worst)) worst = e;
    });
    if (!(worst <= 1e-12)) notes.push(`the tape and the generated code disagree by ${worst.toExponential(1)} (relative): please report this function`);
    notes.push(...tape.kinks);
    if (tape.branches.length) {
      const shown = tape.branches.slice(0, 4).join('; ');
      notes.push(`the gradient is that of the path taken at this point, valid while the decisions stay the same: ${shown}${tape.branches.length > 4 ? `; and ${tape.branches.length - 4} more` : ''}`);
    }
    if (options.seed !== 1) notes.push(`the output adjoint (seed) is ${options.seed}, so the gradient is scaled by it`);
    if (tape.view.truncated) notes.push(`the tape has ${tape.view.length.toLocaleString('en-US')} records; the first ${options.tapeMaxNodes.toLocaleString('en-US')} are exported`);

    const output: EngineOutput = {
      gradient: gradientFromSlots(ctx.at, ctx.wrt, slots.map((_, i) => fromCode[i])),
      source: gen.optimized,
      stages: { raw: gen.raw, optimized: gen.optimized },
      tape: tape.view,
      cost: {
        tape_length: tape.view.length,
        sweeps: 2,
        forward_sweeps: 1,
        backward_sweeps: 1,
        lines: lineCount(gen.optimized),
        raw_lines: lineCount(gen.raw),
        optimizer_rounds: gen.rounds,
      },
      notes,
    };
    if (options.measure) {
      // One gradient each way against one evaluation of f, measured here, as the forward card does.
      // f as plain JavaScript, without the loop counter that stops a runaway loop (which alone
      // can make a tight loop twice as slow): f has already run to its end at this point.
      const plain = plainFunction(ctx.program);
      const patience = options.measure;
      const args = alternatingArgs(ctx.args);
      const f = timeMicros((i) => plain(...args(i)), patience);
      const code = timeMicros((i) => gen.fn(...args(i)), patience);
      const tapeRun = timeMicros(() => runTape(ctx.program, ctx.at, ctx.wrt, 0), patience);
      const ratio = (micros: number) => ratioNote(micros, f);
      Object.assign(output.cost!, {
        f_micros: costMicros(f),
        gradient_micros: costMicros(code),
        gradient_over_f: ratioOf(code, f) ?? 'n/a',
        tape_micros: costMicros(tapeRun),
        tape_over_f: ratioOf(tapeRun, f) ?? 'n/a',
        timing: patience,
      });
      notes.push(`one gradient takes ${formatMicros(code)} with the generated code${ratio(code)} and ${formatMicros(tapeRun)} with the tape${ratio(tapeRun)}, against ${formatMicros(f)} for f: the tape records every operation as it runs and sweeps the records back, the generated code is f's own statements run forward and then back (${timingCaveat(patience)})`);
      if (ratioOf(code, f) === null) notes.push(`a time under ${RESOLVABLE_MICROS} µs is faster than any real call: the JIT has folded that call away in the timing loop, so no ratio is given for it (npm run bench times larger functions)`);
    }
    if (value !== undefined) output.value = value;
    return output;
  },

  timer(ctx: EngineContext): () => unknown {
    const options = readOptions(ctx.options);
    const gen = generate(ctx, options);
    const fn = gen.fn;
    const args = ctx.args;
    return () => fn(...args);
  },
};
