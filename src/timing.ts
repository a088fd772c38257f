// Timing for the --time option and the cost cards: the median time of one call, measured over
// batches long enough for the clock to resolve them. Used for reporting only, never asserted.

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
