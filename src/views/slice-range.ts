// The slice's samples: how many, over which range by default, and where the point falls among
// them. Apart from slice.ts so the page can use it without loading the engines.

export const SLICE_MAX_SAMPLES = 1001;
export const SLICE_DEFAULT_SAMPLES = 241;
/** Wall time each engine may spend on the whole slice before it stops. */
export const SLICE_MILLIS_PER_ENGINE = 400;

/**
 * A default range around the point: a unit either side, or ten times |x| either side where x is
 * small but not 0 (a point near a singularity or a cancellation is usually there to be looked at).
 */
export function defaultRange(x: number): [number, number] {
  const a = Math.abs(x);
  const w = a > 0 && a < 0.1 ? 10 * a : Math.max(1, a / 2);
  return [x - w, x + w];
}

/** `n` evenly spaced samples from `from` to `to`, with the one nearest `at` moved onto `at` exactly. */
export function sampleGrid(from: number, to: number, n: number, at: number): { t: number[]; atIndex: number } {
  const count = Math.max(3, Math.min(SLICE_MAX_SAMPLES, Math.floor(n)));
  const t = Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
  let atIndex = -1;
  if (at >= Math.min(from, to) && at <= Math.max(from, to)) {
    atIndex = 0;
    for (let i = 1; i < count; i++) if (Math.abs(t[i] - at) < Math.abs(t[atIndex] - at)) atIndex = i;
    t[atIndex] = at;
  }
  return { t, atIndex };
}

