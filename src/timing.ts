// Timing for the --time option, the bench and the cost cards: the median time of one call over
// batches long enough for the clock to resolve them (medianMicros), and the short, warmed-up
// timing the forward and reverse cards take inside a run (quickMicros), with the formatting of
// times and ratios they share. Used for reporting only, never asserted.

/**
 * Every timed call's result is stored here. A result nobody reads lets the JIT drop a small pure
 * call from the timing loop altogether, and the page then showed "0 µs" for a tangent sweep.
 */
export let timingSink: unknown;

/**
 * Times per call below this (a few clock cycles) are not a call's cost: no real call is that
 * fast, so the JIT has hoisted or folded the work out of the timing loop (the page measured f at
 * 0 µs so). Reports give such a time as a bound and no ratio against it.
 */
export const RESOLVABLE_MICROS = 0.001;

export function medianMicros(fn: () => unknown, targetMillis = 60): number {
  timingSink = fn(); // warm up (and JIT)
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) timingSink = fn();
    const dt = performance.now() - t0;
    if (dt >= 2 || batch >= 1 << 20) break;
    batch *= 4;
  }
  const samples: number[] = [];
  const deadline = performance.now() + targetMillis;
  while (samples.length < 5 || (performance.now() < deadline && samples.length < 200)) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) timingSink = fn();
    samples.push(((performance.now() - t0) * 1000) / batch);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** How long each timing inside an engine's run may take (--time measures the whole gradient apart). */
const QUICK_MILLIS = 6;
/** How long a quick timing may sample while its figure keeps improving. */
const QUICK_MAX_MILLIS = 40;
/** How long a quick timing first runs the call untimed. */
const QUICK_WARMUP_MILLIS = 5;

/**
 * The settled time of short batches after a few milliseconds of warm-up (so that the JIT has
 * compiled the code being timed, as it has in a real loop); for a call that takes over 2 ms even
 * on its third run, the fastest of those three runs (the first runs of new code are slow, so one slow
 * run says little); for a call over 20 ms, that one run, so that timing never costs much more
 * than the work it times.
 */
export function quickMicros(fn: () => unknown): number {
  let fastest = Infinity;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    timingSink = fn();
    const millis = performance.now() - t0;
    fastest = Math.min(fastest, millis * 1000);
    if (millis > 20) break;
    if (millis < 2) {
      const warm = performance.now();
      while (performance.now() - warm < QUICK_WARMUP_MILLIS) for (let i = 0; i < 16; i++) timingSink = fn();
      return settledMicros(fn, QUICK_MILLIS);
    }
  }
  return fastest;
}

/**
 * The time per call once the code has settled: batches of 2 ms for at least `millis`, and on
 * while the later half of the batches is still faster than the earlier half (the JIT was still
 * compiling), up to QUICK_MAX_MILLIS; the median of the later half. A median, not the fastest:
 * the page's clock is coarse and jittered, and its fastest reading can be near 0.
 */
function settledMicros(fn: () => unknown, millis: number): number {
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) timingSink = fn();
    if (performance.now() - t0 >= 2 || batch >= 1 << 20) break;
    batch *= 4;
  }
  const samples: number[] = [];
  const start = performance.now();
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) timingSink = fn();
    const now = performance.now();
    samples.push(((now - t0) * 1000) / batch);
    const elapsed = now - start;
    if (elapsed < millis || samples.length < 4) continue;
    const half = samples.length >> 1;
    const earlier = median(samples.slice(0, half));
    const later = median(samples.slice(half));
    if (later >= earlier * 0.9 || elapsed >= QUICK_MAX_MILLIS) return later;
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

