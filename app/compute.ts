// Recomputing as the user works: watches the store, debounces (longer while typing, shorter for a
// slider), sends one request at a time to the engine worker and drops any answer that is no longer
// for the current state. The answer's fitted point and wrt are adopted without a second request.

import { ENGINE_IDS } from '../src/engines/types.ts';
import { stableJson } from './permalink.ts';
import { store, type State } from './store/index.ts';
import { EngineWorkerClient, WorkerError } from './worker/client.ts';
import type { GradJob } from './worker/protocol.ts';

const TYPING_DEBOUNCE_MS = 200;
const CONTROL_DEBOUNCE_MS = 30;

/** The engines to run: the visible cards, in registry order so that reordering cards costs nothing. */
export function enginesToRun(s: State): string[] {
  return (s.engines ?? []).map((e) => e.id).filter((id) => !s.hidden.includes(id));
}

function jobOf(s: State): GradJob {
  return {
    source: s.source,
    point: s.point,
    wrt: s.wrt,
    knownParams: s.params.map((p) => p.name),
    engines: enginesToRun(s),
    options: s.options,
  };
}

function keyOf(job: GradJob): string {
  return stableJson([job.source, job.point, job.wrt, job.engines, job.options]);
}

export function startCompute(client: EngineWorkerClient, budgetMs: number): () => void {
  let lastKey = '';
  /** Bumped for every new state, so an answer is current only if nothing changed since it was asked. */
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | null = null;

  const send = async (job: GradJob, mine: number) => {
    inFlight?.abort();
    const controller = (inFlight = new AbortController());
    try {
      const answer = await client.request('grad', job, { signal: controller.signal, budgetMs });
      if (mine !== generation) return;
      const s = store.getState();
      const fitted = answer.params ? { point: answer.point, wrt: answer.wrt, params: answer.params } : { point: s.point, wrt: s.wrt, params: s.params };
      lastKey = keyOf({ ...job, point: fitted.point, wrt: fitted.wrt });
      store.setState({ ...fitted, answer, failure: null, pending: false });
    } catch (err) {
      if (!(err instanceof WorkerError) || err.aborted || mine !== generation) return;
      store.setState({ answer: null, failure: err.info, pending: false });
    }
  };

  const schedule = (s: State, prev: State | null) => {
    if (!s.engines) return;
    const job = jobOf(s);
    const key = keyOf(job);
    if (key === lastKey) return;
    lastKey = key;
    const mine = ++generation;
    clearTimeout(timer);
    const delay = prev === null ? 0 : s.source !== prev.source ? TYPING_DEBOUNCE_MS : CONTROL_DEBOUNCE_MS;
    timer = setTimeout(() => void send(job, mine), delay);
    if (!s.pending) store.setState({ pending: true });
  };

  const unsubscribe = store.subscribe((s, prev) => schedule(s, prev.engines ? prev : null));
  client
    .request('hello', {}, { budgetMs: 30_000 })
    .then(({ engines }) => {
      // Engines are registered in whatever order their lines were added; cards default to ENGINE_IDS's order.
      const rank = (id: string) => (ENGINE_IDS as readonly string[]).indexOf(id);
      store.setState({ engines: engines.slice().sort((a, b) => rank(a.id) - rank(b.id)) });
    })
    .catch((err: unknown) => {
      const info = err instanceof WorkerError ? err.info : { kind: 'engine' as const, message: String(err), line: null, column: null };
      store.setState({ engines: [], failure: info });
    });
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
