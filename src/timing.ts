// Timing for the --time option and the cost cards: the median time of one call, measured over
// batches long enough for the clock to resolve them. Used for reporting only, never asserted.

export function medianMicros(fn: () => unknown, targetMillis = 60): number {
  fn(); // warm up (and JIT)
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    const dt = performance.now() - t0;
    if (dt >= 2 || batch >= 1 << 20) break;
    batch *= 4;
  }
  const samples: number[] = [];
  const deadline = performance.now() + targetMillis;
  while (samples.length < 5 || (performance.now() < deadline && samples.length < 200)) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    samples.push(((performance.now() - t0) * 1000) / batch);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}
