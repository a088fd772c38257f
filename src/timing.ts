// Timing for the --time option, the bench and the cost cards: the median time of one call over
// batches long enough for the clock to resolve them (medianMicros), and the warmed-up timing the
// forward and reverse cards take inside a run (timeMicros: quick, or settled when the page asks
// again in the background), with the formatting of times and ratios they share. Used for
// reporting only, never asserted.

import { DdxError } from './errors.ts';

/**
 * Every timed call's result is kept: a result nobody reads lets the JIT drop a small pure call
 * from the timing loop altogether (the page showed "0 µs" for a tangent sweep). A number is added
 * into a sum, since storing each one over the last still let Chromium drop all but the last call
 * of a one-line f; anything else is stored.
 */
export let timingSink: unknown;

/**
 * Calls fn `times` times, with the call's number (see alternatingArgs), keeping every result (see
 * timingSink); returns the milliseconds taken.
 */
function batchMillis(fn: (i: number) => unknown, times: number): number {
  let sum = 0;
  let last: unknown;
  const t0 = performance.now();
  for (let i = 0; i < times; i++) {
    last = fn(i);
    if (typeof last === 'number') sum += last;
    else timingSink = last;
  }
  const millis = performance.now() - t0;
  if (typeof last === 'number') timingSink = sum;
  return millis;
}

/**
 * Times per call below this (a few clock cycles) are not a call's cost: no real call is that
 * fast, so the JIT has hoisted or folded the work out of the timing loop (the page measured f at
 * 0 µs so). Reports give such a time as a bound and no ratio against it.
 */
export const RESOLVABLE_MICROS = 0.001;

/** How many calls make a batch the clock resolves: about 2 ms of them (calling fn to find out). */
function batchSize(fn: (i: number) => unknown): number {
  let batch = 1;
  while (batchMillis(fn, batch) < 2 && batch < 1 << 20) batch *= 4;
  return batch;
}

export function medianMicros(fn: () => unknown, targetMillis = 60): number {
  batchMillis(fn, 1); // warm up (and JIT)
  const batch = batchSize(fn);
  const samples: number[] = [];
  const deadline = performance.now() + targetMillis;
  while (samples.length < 5 || (performance.now() < deadline && samples.length < 200)) {
    samples.push((batchMillis(fn, batch) * 1000) / batch);
  }
  return median(samples);
}

/**
 * How an engine times its calls inside a run (its `measure` option): quick (a few milliseconds
 * each, the default), or settled (a fifth of a second of warm-up and up to a third of a second of
 * samples each: a browser tab's JIT needs that long to bring fresh code to full speed; the page asks
 * for settled figures in the background once the quick ones are shown).
 */
export type Patience = 'quick' | 'settled';

/** An engine's `measure` option: null to leave the timings out. */
export function readPatience(raw: unknown, engine: string): Patience | null {
  if (raw === false || raw === 'false') return null;
  if (raw === undefined || raw === true || raw === 'true' || raw === 'quick') return 'quick';
  if (raw === 'settled') return 'settled';
  throw new DdxError('input', `${engine}.measure must be true, false, quick or settled (got ${JSON.stringify(raw)})`);
}

/**
 * Two equal copies of a call's arguments, picked by the call's number: the same work every call,
 * but no argument the JIT sees the same from one call to the next. With one set of arguments,
 * Chromium lifted a one-line f out of the timing loop altogether (the card read f < 0.001 µs).
 */
export function alternatingArgs<T>(args: T[]): (i: number) => T[] {
  const copies = [args, structuredClone(args)];
  return (i) => copies[i & 1];
}

/** What a card's note says of figures taken with this patience. */
export function timingCaveat(patience: Patience): string {
  return patience === 'quick'
    ? 'quick figures from this run, of code just compiled: in a browser tab the JIT can take a fraction of a second more to bring it to full speed, so the page times it again in the background; npm run bench measures at length'
    : 'settled figures: each call timed after a fifth of a second of warm-up, as code in a long loop runs; npm run bench measures at length';
}

/** How long each timing waits, samples at least, and samples at most, by patience. */
const PATIENCE: Record<Patience, { warmupMillis: number; millis: number; maxMillis: number }> = {
  quick: { warmupMillis: 5, millis: 6, maxMillis: 40 },
  settled: { warmupMillis: 200, millis: 60, maxMillis: 300 },
};

/**
 * The time of one call, taken with the given patience: the settled time of short batches after a
 * warm-up (so that the JIT has compiled the code being timed, as it has in a real loop); for a
 * call that takes over 2 ms even on its third run, the fastest of those three runs (the first runs
 * of new code are slow, so one slow run says little); for a call over 20 ms, that one run, so that
 * timing never costs much more than the work it times.
 */
export function timeMicros(fn: (i: number) => unknown, patience: Patience): number {
  const { warmupMillis, millis: sampleMillis, maxMillis } = PATIENCE[patience];
  let fastest = Infinity;
  for (let run = 0; run < 3; run++) {
    const millis = batchMillis(fn, 1);
    fastest = Math.min(fastest, millis * 1000);
    if (millis > 20) break;
    if (millis < 2) {
      const warm = performance.now();
      while (performance.now() - warm < warmupMillis) batchMillis(fn, 16);
      return settledMicros(fn, sampleMillis, maxMillis);
    }
  }
  return fastest;
}

/**
 * The time per call once the code has settled: batches of 2 ms for at least `millis`, and on
 * while the later half of the batches is still faster than the earlier half (the JIT was still
 * compiling), up to `maxMillis`; the median of the later half. A median, not the fastest:
 * the page's clock is coarse and jittered, and its fastest reading can be near 0.
 */
function settledMicros(fn: (i: number) => unknown, millis: number, maxMillis: number): number {
  const batch = batchSize(fn);
  const samples: number[] = [];
  const start = performance.now();
  for (;;) {
    samples.push((batchMillis(fn, batch) * 1000) / batch);
    const elapsed = performance.now() - start;
    if (elapsed < millis || samples.length < 4) continue;
    const half = samples.length >> 1;
    const earlier = median(samples.slice(0, half));
    const later = median(samples.slice(half));
    if (later >= earlier * 0.9 || elapsed >= maxMillis) return later;
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** A time for a note: µs or ms with two or three digits, or a bound below the resolution. */
export function formatMicros(micros: number): string {
  if (micros < RESOLVABLE_MICROS) return `under ${RESOLVABLE_MICROS} µs`;
  return micros >= 1000 ? `${formatFigure(micros / 1000)} ms` : `${formatFigure(micros)} µs`;
}

/** A ratio or time to two or three significant digits. */
export function formatFigure(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(2);
}

/** A time for a cost field: rounded to 0.001 µs, or a bound below the resolution. */
export function costMicros(micros: number): number | string {
  return micros < RESOLVABLE_MICROS ? `< ${RESOLVABLE_MICROS} µs` : Math.round(micros * 1000) / 1000;
}

/** time / f to three decimals, or null when either is below the resolution (no ratio is given then). */
export function ratioOf(micros: number, f: number): number | null {
  if (!(micros >= RESOLVABLE_MICROS && f >= RESOLVABLE_MICROS)) return null;
  return Math.round((micros / f) * 1000) / 1000;
}

/** ` (3.1× f)` for a note, or nothing when there is no ratio. */
export function ratioNote(micros: number, f: number): string {
  const r = ratioOf(micros, f);
  return r === null ? '' : ` (${formatFigure(r)}× f)`;
}

