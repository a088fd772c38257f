// The entry point: set the state up from the link or the draft, start saving and recomputing,
// and draw the page. Monaco arrives later, in its own chunk.

import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startCompute } from './compute.ts';
import { boot, startPersisting } from './persist.ts';
import { DEFAULT_BUDGET_MS, EngineWorkerClient } from './worker/client.ts';
import './styles.css';

/** `?budget=<ms>` sets the time budget (tests use a small one to exercise the cut-off). */
function budgetFromUrl(): number {
  const v = Number(new URLSearchParams(location.search).get('budget'));
  return Number.isFinite(v) && v >= 50 ? v : DEFAULT_BUDGET_MS;
}

boot();
startPersisting();
const budget = budgetFromUrl();
const client = new EngineWorkerClient(() => new Worker(new URL('./worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'ddx-engines' }), budget);
// A second worker takes the settled timings in the background (see compute.ts).
const timing = new EngineWorkerClient(() => new Worker(new URL('./worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'ddx-timing' }), budget);
startCompute(client, budget, timing);
createRoot(document.getElementById('root')!).render(<App />);
