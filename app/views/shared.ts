// What every view reads from the store, and the second engine worker the views' scans run in
// (slice, cost, swell): a scan of several seconds then never holds up the cards' recomputation.

import { useStore } from '../store/index.ts';
import type { EngineSuccess } from '../../src/engines/types.ts';
import type { GradResponse } from '../../src/run.ts';
import { EngineWorkerClient } from '../worker/client.ts';

/** The latest successful answer of an engine's card (kept while a newer one is computed), or null. */
export function useEngineResult(id: string): EngineSuccess | null {
  const shown = useStore((s) => s.shown[id]);
  return shown && shown.result.ok ? shown.result : null;
}

/** The current prepared answer (point, wrt, reference, value), or null while it fails or loads. */
export function useResponse(): GradResponse | null {
  const outcome = useStore((s) => s.answer?.outcome);
  return outcome && !('error' in outcome) ? outcome : null;
}

let client: EngineWorkerClient | null = null;

/** The views' own worker, started on first use. */
export function viewsClient(): EngineWorkerClient {
  client ??= new EngineWorkerClient(() => new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'ddx-views' }), 8000);
  return client;
}

/** Short, readable numbers for captions and tables (3 significant digits, exponent form when small or large). */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(digits))).replace('-', '−');
  const [m, e] = x.toExponential(digits - 1).split('e');
  return `${String(Number(m)).replace('-', '−')}e${Number(e) < 0 ? '−' : ''}${Math.abs(Number(e))}`;
}

/** Micro-seconds as µs, ms or s. */
export function fmtTime(micros: number): string {
  if (micros >= 1e6) return `${fmt(micros / 1e6)} s`;
  if (micros >= 1000) return `${fmt(micros / 1000)} ms`;
  return `${fmt(micros)} µs`;
}
