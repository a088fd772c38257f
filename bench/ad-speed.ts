// The AD speed bench (issue 4, "Speed"): time(gradient) / time(f) for reverse mode with generated
// code, reverse mode with the tape, forward mode, central differences and a careful hand-written
// gradient, side by side, for Rosenbrock at n = 10 ... 10000, a small tanh MLP loss and logsumexp.
// f is timed as plain JavaScript: compiled from the IR without the loop-budget counter the engines'
// f carries (that counter alone makes Rosenbrock's f about 1.7x slower, which would flatter every
// ratio). The hand-written gradient is timed twice: returning a fresh array, as the generated
// gradient function must (the like-for-like comparison), and writing into preallocated storage
// (the floor). Every time is a median over repeated batches (medianMicros), the best of a few
// interleaved rounds.
// Forward mode and central differences need n sweeps / 2n evaluations of f, so O(n²) in all:
// they are skipped above n = 1000. Nothing here is asserted; the figures are printed.

import { Tape, type TapeVar } from '../src/ad/tape.ts';
import { engineById } from '../src/engines/registry.ts';
import type { EngineContext } from '../src/engines/types.ts';
import { floatAlgebra, type Value } from '../src/interp/algebra.ts';
import { compileProgram, type CompiledFunction } from '../src/interp/compile.ts';
import { Interpreter } from '../src/interp/interpreter.ts';
import { mainFn, type Program } from '../src/ir/types.ts';
import { parseProgram } from '../src/lang/parse.ts';
import { argsOf, flattenGradient, validatePoint, validateWrt, type Gradient, type Point } from '../src/point.ts';
import { medianMicros } from '../src/timing.ts';

/** Forward mode and central differences are O(n²): not run above this many inputs. */
const QUADRATIC_CAP = 1000;
/** Milliseconds of samples behind each median (after the warm-up and batch sizing). */
const SAMPLE_MILLIS = 50;
/**
 * Each case is measured in this many interleaved rounds (f, then every method, then again), and
 * each figure is the best of its round medians: a burst of load from other processes then spoils
 * one round of one figure rather than the figure, and f and the gradients see the same conditions.
 */
const ROUNDS = 5;

// ---- the functions, as a user would write them in the playground ----

const ROSENBROCK = `function rosenbrock(x) {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  }
  return s;
}`;

// 4 inputs -> 8 tanh hidden units -> 1 linear output, mean squared error over 16 samples.
// w holds W1 (8 x 4, row j at 4j), b1 at 32, W2 at 40, b2 at 48: 49 weights.
const MLP = `function mlp_loss(w, X, Y) {
  const nIn = 4;
  const nHid = 8;
  let total = 0;
  for (let s = 0; s < Y.length; s++) {
    let out = w[48];
    for (let j = 0; j < nHid; j++) {
      let a = w[32 + j];
      for (let i = 0; i < nIn; i++) {
        a += w[j * nIn + i] * X[s * nIn + i];
      }
      out += w[40 + j] * Math.tanh(a);
    }
    total += (out - Y[s]) ** 2;
  }
  return total / Y.length;
}`;

const LOGSUMEXP = `function logsumexp(a) {
  let m = a[0];
  for (let i = 1; i < a.length; i++) {
    m = Math.max(m, a[i]);
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    s += Math.exp(a[i] - m);
  }
  return m + Math.log(s);
}`;

// ---- hand-written gradients: one pass each, written into g (fresh or preallocated) ----

/** A fresh zeroed result, as a careful hand-written gradient returning an array allocates it. */
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

/**
 * A copy of a function of its own, made from its text. The fresh and the preallocated variants
 * pass different kinds of array; one function seeing both keeps polymorphic code for every
 * access, which made the fresh variant some 40% slower and flattered the generated code.
 */
function own<F extends (...args: never[]) => unknown>(fn: F): F {
  return new Function(`return (${fn.toString()});`)() as F;
}

function rosenbrockGradient(x: ArrayLike<number>, g: number[] | Float64Array): number[] | Float64Array {
  const n = x.length;
  let carry = 0; // d/dx[i] of the previous term, 200 (x[i] - x[i-1]^2)
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i];
    const t = x[i + 1] - xi * xi;
    g[i] = carry - 400 * xi * t - 2 * (1 - xi);
    carry = 200 * t;
  }
  g[n - 1] = carry;
  return g;
}

function makeMlpGradient(X: Float64Array, Y: Float64Array): (w: ArrayLike<number>, g: number[] | Float64Array) => number[] | Float64Array {
  const nIn = 4, nHid = 8, m = Y.length;
  const h = new Float64Array(nHid);
  return (w, g) => {
    g.fill(0);
    for (let s = 0; s < m; s++) {
      let out = w[48];
      for (let j = 0; j < nHid; j++) {
        let a = w[32 + j];
        for (let i = 0; i < nIn; i++) a += w[j * nIn + i] * X[s * nIn + i];
        h[j] = Math.tanh(a);
        out += w[40 + j] * h[j];
      }
      const dout = (2 * (out - Y[s])) / m;
      g[48] += dout;
      for (let j = 0; j < nHid; j++) {
        g[40 + j] += dout * h[j];
        const da = dout * w[40 + j] * (1 - h[j] * h[j]);
        g[32 + j] += da;
        for (let i = 0; i < nIn; i++) g[j * nIn + i] += da * X[s * nIn + i];
      }
    }
    return g;
  };
}

function logsumexpGradient(a: ArrayLike<number>, g: number[] | Float64Array): number[] | Float64Array {
  const n = a.length;
  let m = a[0];
  for (let i = 1; i < n; i++) if (a[i] > m) m = a[i];
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(a[i] - m);
    g[i] = e;
    s += e;
  }
  const inv = 1 / s;
  for (let i = 0; i < n; i++) g[i] *= inv;
  return g;
}

// ---- the cases ----

interface Case {
  name: string;
  n: number;
  source: string;
  at: Point;
  wrt: string[];
  /** The hand-written gradient returning a fresh array, as the generated function does. */
  hand: () => ArrayLike<number>;
  /** The hand-written gradient over Float64Array, writing into storage allocated once. */
  handPreallocated: () => ArrayLike<number>;
}

/** A deterministic, irregular point (no PRNG needed): values in about [-1.5, 1.5]. */
const wave = (n: number, a: number, b: number) => Array.from({ length: n }, (_, i) => Math.sin(a * i + 0.3) * b + 0.1 * Math.cos(7 * i));

function cases(): Case[] {
  const out: Case[] = [];
  for (const n of [10, 100, 1000, 10000]) {
    const x = wave(n, 1.3, 1.2);
    const xf = Float64Array.from(x);
    const g = new Float64Array(n);
    const fresh = own(rosenbrockGradient), preallocated = own(rosenbrockGradient);
    out.push({ name: 'rosenbrock', n, source: ROSENBROCK, at: { x }, wrt: ['x'], hand: () => fresh(x, zeros(n)), handPreallocated: () => preallocated(xf, g) });
  }
  {
    const w = wave(49, 0.7, 0.5);
    const X = wave(64, 2.1, 1);
    const Y = wave(16, 0.9, 0.8);
    const fresh = own(makeMlpGradient)(Float64Array.from(X), Float64Array.from(Y));
    const preallocated = own(makeMlpGradient)(Float64Array.from(X), Float64Array.from(Y));
    const wf = Float64Array.from(w);
    const g = new Float64Array(49);
    // The MLP's gradient zeroes its storage itself (it adds into it).
    out.push({ name: 'tanh MLP loss', n: 49, source: MLP, at: { w, X, Y }, wrt: ['w'], hand: () => fresh(w, new Array<number>(49)), handPreallocated: () => preallocated(wf, g) });
  }
  {
    const a = wave(1000, 0.37, 3);
    const af = Float64Array.from(a);
    const g = new Float64Array(1000);
    const fresh = own(logsumexpGradient), preallocated = own(logsumexpGradient);
    out.push({ name: 'logsumexp', n: 1000, source: LOGSUMEXP, at: { a }, wrt: ['a'], hand: () => fresh(a, zeros(1000)), handPreallocated: () => preallocated(af, g) });
  }
  return out;
}

// ---- the methods ----

/** An engine context without the 40-digit reference (engines never compute with it; it is slow at n = 10000). */
function contextFor(program: Program, at: Point, wrt: string[], f: CompiledFunction): EngineContext {
  const fn = mainFn(program);
  const point = validatePoint(fn, at);
  return {
    program, at: point, wrt: validateWrt(fn, wrt), args: argsOf(fn, point), f,
    reference: { value: NaN, gradient: {}, digits: 0 },
    options: {},
  };
}

/** Reverse mode on the tape (autograd's way): record f over the interpreter, sweep back once. */
function tapeGradient(program: Program, at: Point, wrt: string[]): () => number[] {
  const fn = mainFn(program);
  return () => {
    const tape = new Tape(floatAlgebra);
    const inputs = new Map<string, TapeVar<number>[]>();
    const args = fn.params.map((p) => {
      const x = at[p.name];
      // Parameters outside wrt go in as constants: the tape records nothing for them.
      if (!wrt.includes(p.name)) return Array.isArray(x) ? x.map((xi) => tape.constant(xi)) : tape.constant(x);
      if (!Array.isArray(x)) return tape.input(x, p.name);
      const vars = x.map((xi, i) => tape.input(xi, `${p.name}[${i}]`));
      inputs.set(p.name, vars);
      return vars;
    });
    const out = new Interpreter(program, tape).run(args as Value<TapeVar<number>>[]);
    const adjoints = tape.backward(out, 1);
    return wrt.flatMap((name) => inputs.get(name)!.map((v) => adjoints[v.id] ?? 0));
  };
}

/** Central differences on compiled f: 2n evaluations, the step scaled as the numeric engine does. */
function centralGradient(f: CompiledFunction, program: Program, at: Point, wrt: string[]): () => number[] {
  const fn = mainFn(program);
  const args = fn.params.map((p) => (Array.isArray(at[p.name]) ? (at[p.name] as number[]).slice() : at[p.name]));
  return () => {
    const g: number[] = [];
    for (const name of wrt) {
      const x = args[fn.params.findIndex((p) => p.name === name)] as number[];
      for (let i = 0; i < x.length; i++) {
        const xi = x[i];
        const h = 6e-6 * Math.max(1, Math.abs(xi));
        x[i] = xi + h;
        const up = f(...args);
        x[i] = xi - h;
        const down = f(...args);
        x[i] = xi;
        g.push((up - down) / (2 * h));
      }
    }
    return g;
  };
}

interface Cell {
  micros?: number;
  /** Why there is no figure. */
  skipped?: string;
  /** Largest relative difference from the hand-written gradient (a sanity check of each method). */
  deviation?: number;
}

const METHODS = ['reverse (generated)', 'reverse (tape)', 'forward', 'numeric central', 'hand-written', 'hand-written (preallocated)'] as const;
type Method = (typeof METHODS)[number];

function deviation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let worst = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (scale || 1));
  return worst;
}

function flat(result: unknown, wrt: string[]): number[] | undefined {
  // A flat list, a list with one array (or Float64Array) per wrt parameter, or a Float64Array.
  if (Array.isArray(result)) return (result as unknown[]).flatMap((x) => (ArrayBuffer.isView(x) ? Array.from(x as Float64Array) : x)) as number[];
  if (ArrayBuffer.isView(result)) return Array.from(result as Float64Array);
  if (result && typeof result === 'object') return flattenGradient(result as Gradient, wrt);
  return undefined;
}

/** The reverse engine's tape view (record, sweep back, export nothing), when that engine is present. */
type RunTape = (program: Program, at: Point, wrt: string[], maxNodes: number) => { gradient: Gradient };
let tape: RunTape | undefined;

function measure(c: Case): { f: number; budgeted: number; cells: Record<Method, Cell> } {
  const program = parseProgram(c.source);
  const f = compileProgram(program, null); // plain JavaScript: no loop-budget counter
  const ctx = contextFor(program, c.at, c.wrt, compileProgram(program));
  const expected = Array.from(c.hand());
  const cells = {} as Record<Method, Cell>;
  const hots: [Method, () => unknown][] = [];
  const time = (method: Method, hot: () => unknown) => {
    const value = flat(hot(), c.wrt);
    cells[method] = { deviation: value ? deviation(value, expected) : undefined };
    hots.push([method, hot]);
  };

  const reverse = engineById('reverse');
  if (reverse?.timer) {
    try { time('reverse (generated)', reverse.timer(ctx)); } catch (err) { cells['reverse (generated)'] = { skipped: `error: ${(err as Error).message}` }; }
  } else cells['reverse (generated)'] = { skipped: 'n/a' };
  const viaEngine = tape;
  time('reverse (tape)', viaEngine ? () => viaEngine(program, ctx.at, ctx.wrt, 0).gradient : tapeGradient(program, ctx.at, ctx.wrt));
  if (c.n > QUADRATIC_CAP) {
    cells.forward = { skipped: 'skipped: O(n^2)' };
    cells['numeric central'] = { skipped: 'skipped: O(n^2)' };
  } else {
    time('forward', engineById('forward')!.timer!(ctx));
    time('numeric central', centralGradient(f, program, ctx.at, ctx.wrt));
  }
  time('hand-written', c.hand);
  time('hand-written (preallocated)', c.handPreallocated);

  let fMicros = Infinity;
  let budgetedMicros = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    fMicros = Math.min(fMicros, medianMicros(() => f(...ctx.args), SAMPLE_MILLIS));
    budgetedMicros = Math.min(budgetedMicros, medianMicros(() => ctx.f(...ctx.args), SAMPLE_MILLIS));
    for (const [method, hot] of hots) cells[method].micros = Math.min(cells[method].micros ?? Infinity, medianMicros(hot, SAMPLE_MILLIS));
  }
  return { f: fMicros, budgeted: budgetedMicros, cells };
}

// ---- printing ----

const fmtRatio = (x: number) => (x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`);
const fmtMicros = (x: number) => (x >= 1000 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export async function runAdSpeed(): Promise<void> {
  const started = performance.now();
  try {
    const mod = (await import('../src/engines/reverse/tape-view.ts')) as { runTape?: RunTape };
    tape = typeof mod.runTape === 'function' ? mod.runTape : undefined;
  } catch {
    tape = undefined; // no reverse engine yet: the foundation's tape over the interpreter stands in
  }
  console.log(`AD speed: time(gradient) / time(f), f as plain JavaScript (compiled from the IR, no loop-budget counter); each time the best of ${ROUNDS} interleaved rounds, each round a median over repeated batches`);
  console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  const results = cases().map((c) => {
    const r = measure(c);
    process.stderr.write(`  measured ${c.name} n=${c.n}\n`);
    return { c, ...r };
  });

  const label = (c: Case) => [c.name, String(c.n)];
  const ratioRows = results.map(({ c, f, cells }) => [...label(c), ...METHODS.map((m) => cells[m].skipped ?? fmtRatio(cells[m].micros! / f))]);
  console.log(table(['function', 'n', ...METHODS], ratioRows));
  console.log('\nAbsolute time (µs) for one f and one gradient');
  const absRows = results.map(({ c, f, budgeted, cells }) => [...label(c), fmtMicros(f), fmtMicros(budgeted), ...METHODS.map((m) => cells[m].skipped ?? fmtMicros(cells[m].micros!))]);
  console.log(table(['function', 'n', 'f', 'f with budget', ...METHODS], absRows));
  console.log('f with budget: f as the engines run it, counting loop iterations so that a runaway loop stops; the ratios above are against plain f.');

  console.log(`\nforward mode takes n sweeps and central differences 2n evaluations of f, each O(n): both are O(n^2) and are skipped above n = ${QUADRATIC_CAP}.`);
  console.log('n = number of inputs differentiated (the MLP has 49 weights; its 64 inputs and 16 targets are held fixed).');
  console.log(`reverse (generated): the reverse engine's timer (its generated gradient function); reverse (tape): ${tape ? "the reverse engine's tape view (f's compiled recording, one record per primitive, swept back once, nothing exported)" : 'the foundation tape over the interpreter (no reverse engine found)'}.`);

  // Every method's gradient against the hand-written one: a figure for a wrong gradient means nothing.
  const off: string[] = [];
  for (const { c, cells } of results) {
    for (const m of METHODS) {
      const d = cells[m].deviation;
      const limit = m === 'numeric central' ? 1e-6 : 1e-10;
      if (d !== undefined && !(d <= limit)) off.push(`${c.name} n=${c.n} ${m}: differs from the hand-written gradient by ${d.toExponential(1)} (relative to its largest entry)`);
    }
  }
  console.log(off.length ? `\nWARNING:\n${off.join('\n')}` : '\nEvery method agrees with the hand-written gradient (exact methods to 1e-10, central differences to 1e-6, relative to the largest entry).');

  // The targets, read off the figures.
  const targets: string[] = [];
  for (const { c, f, cells } of results) {
    const gen = cells['reverse (generated)'].micros;
    const hand = cells['hand-written'].micros!;
    const tape = cells['reverse (tape)'].micros!;
    const parts = [`tape ${fmtRatio(tape / f)} f (target ≤ 30×): ${tape / f <= 30 ? 'met' : 'missed'}`];
    if (gen !== undefined) {
      const floor = cells['hand-written (preallocated)'].micros!;
      parts.unshift(`generated ${fmtRatio(gen / hand)} hand-written (target ≤ 1.5×): ${gen / hand <= 1.5 ? 'met' : 'missed'} (${fmtRatio(gen / floor)} the preallocated one)`);
      if (c.n >= 100) parts.splice(1, 0, `generated ${fmtRatio(gen / f)} f (target ≤ 4× from n = 100): ${gen / f <= 4 ? 'met' : 'missed'}`);
    }
    targets.push(`${c.name} n=${c.n}: ${parts.join('; ')}`);
  }
  // Linear growth: from each Rosenbrock size to the next (10x the inputs), each reverse view's time
  // should grow about 10x too.
  const sizes = results.filter((r) => r.c.name === 'rosenbrock');
  for (const method of ['reverse (generated)', 'reverse (tape)'] as const) {
    const steps = sizes.slice(1).map((r, i) => `${fmtRatio(r.cells[method].micros! / sizes[i].cells[method].micros!)} (n ${sizes[i].c.n} → ${r.c.n})`);
    targets.push(`rosenbrock, ${method} time growth per 10× n (target: about 10×, linear): ${steps.join(', ')}`);
  }
  console.log(`\nTargets (issue 4):\n${targets.join('\n')}`);
  console.log(`\nad-speed took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

export default runAdSpeed;
