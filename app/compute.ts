// Recomputing as the user works: watches the store, debounces (longer while typing, shorter for a
// slider), then asks the worker to prepare the function and runs the visible engines one request
// each, in card order, so cards fill in as their engine finishes and an engine that overruns the
// time budget fails only its own card. Answers for a state that is no longer current are dropped.
// Once every card is in, the cards whose engine timed its code quickly (cost.timing is 'quick':
// reverse and forward) are run again in a second worker with settled timings (a browser tab's JIT
// needs a fraction of a second to bring fresh code to full speed, which the quick figures do not
// wait for), and what changed in their answers replaces the quick figures, unless the state has
// changed by then.

import { ENGINE_IDS } from '../src/engines/types.ts';
import { stableJson } from './permalink.ts';
import { store, type State } from './store/index.ts';
import { orderedIds } from './store/slices.ts';
import { EngineWorkerClient, WorkerError } from './worker/client.ts';
import type { EngineAnswer, PrepareAnswer, PrepareJob } from './worker/protocol.ts';

const TYPING_DEBOUNCE_MS = 200;
const CONTROL_DEBOUNCE_MS = 30;
/** Settled timing takes up to about half a second per figure, and the forward card times five. */
const SETTLE_BUDGET_MS = 15_000;

/** The engines to run: the visible cards, in the order the user sees them. */
export function enginesToRun(s: State): string[] {
  const all = (s.engines ?? []).map((e) => e.id);
  return orderedIds(all, s.cardOrder).filter((id) => !s.hidden.includes(id));
}

interface Job {
  prepare: PrepareJob;
  engines: string[];
  options: Record<string, Record<string, unknown>>;
}

function jobOf(s: State): Job {
  return {
    prepare: { source: s.source, point: s.point, wrt: s.wrt, knownParams: s.params.map((p) => p.name) },
    engines: enginesToRun(s),
    options: s.options,
  };
}

/** What decides the answer; the engines' order does not, so reordering cards computes nothing. */
function keyOf(source: string, point: unknown, wrt: unknown, engines: string[], options: unknown): string {
  return stableJson([source, point, wrt, [...engines].sort(), options]);
}

/**
 * The newer answer, with every field that came out the same as in the shown one kept as that same
 * object: only the timings change, and a view keyed on the rest (a tape being stepped through)
 * keeps its place.
 */
function keepUnchanged<T extends object>(shown: T, newer: T): T {
  const out = { ...newer };
  for (const key of Object.keys(out) as (keyof T)[]) {
    if (key in shown && stableJson(shown[key]) === stableJson(out[key])) out[key] = shown[key];
  }
  return out;
}

/**
 * @param timing a second worker for the settled timings, so that they never hold up the cards of
 * the next state (none: the quick figures stay)
 */
export function startCompute(client: EngineWorkerClient, budgetMs: number, timing?: EngineWorkerClient): () => void {
  let lastKey = '';
  /** Bumped for every new state, so an answer is current only if nothing changed since it was asked. */
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | null = null;
  let settling: AbortController | null = null;

  /** Runs the timed engines again with settled timings and puts their answers in the cards. */
  const settleTimings = async (job: Job, point: PrepareAnswer['point'], wrt: string[], mine: number) => {
    const timedQuickly = (id: string) => {
      const shown = store.getState().shown[id]?.result;
      return shown?.ok === true && (shown.cost as Record<string, unknown> | undefined)?.timing === 'quick';
    };
    const ids = job.engines.filter(timedQuickly);
    if (!timing || ids.length === 0) return;
    settling?.abort();
    const controller = (settling = new AbortController());
    store.setState({ settling: ids });
    for (const id of ids) {
      let result: EngineAnswer | null = null;
      try {
        const options = { ...(job.options[id] ?? {}), measure: 'settled' };
        result = await timing.request('engine', { source: job.prepare.source, point, wrt, engine: id, options }, { signal: controller.signal, budgetMs: SETTLE_BUDGET_MS });
      } catch {
        result = null; // the quick figures stay
      }
      if (mine !== generation) return;
      store.setState((st) => {
        const left = { settling: st.settling.filter((x) => x !== id) };
        const quick = st.shown[id]?.result;
        if (!result?.ok || !quick?.ok || !st.answer || 'error' in st.answer.outcome) return left;
        const settled = keepUnchanged(quick, result);
        const outcome = { ...st.answer.outcome, engines: { ...st.answer.outcome.engines, [id]: settled } };
        return { ...left, answer: { ...st.answer, outcome }, shown: { ...st.shown, [id]: { result: settled, response: st.shown[id].response } } };
      });
    }
  };

  const run = async (job: Job, mine: number) => {
    inFlight?.abort();
    const controller = (inFlight = new AbortController());
    const options = { signal: controller.signal, budgetMs };
    let prepared;
    try {
      prepared = await client.request('prepare', job.prepare, options);
    } catch (err) {
      if (!(err instanceof WorkerError) || err.aborted || mine !== generation) return;
      store.setState({ answer: null, failure: err.info, pending: false, settled: mine });
      return;
    }
    if (mine !== generation) return;
    const s = store.getState();
    const fitted = prepared.params ? { point: prepared.point, wrt: prepared.wrt, params: prepared.params } : { point: s.point, wrt: s.wrt, params: s.params };
    lastKey = keyOf(job.prepare.source, fitted.point, fitted.wrt, job.engines, job.options);
    const failed = 'error' in prepared.outcome;
    const settled = failed || job.engines.length === 0;
    store.setState({ ...fitted, answer: prepared, done: [], failure: null, pending: !settled, ...(settled ? { settled: mine } : {}) });
    if (settled) return;

    for (const id of job.engines) {
      let result: EngineAnswer;
      try {
        result = await client.request('engine', { source: job.prepare.source, point: prepared.point, wrt: prepared.wrt, engine: id, options: job.options[id] ?? {} }, options);
      } catch (err) {
        if (!(err instanceof WorkerError) || err.aborted || mine !== generation) return;
        result = { ok: false, error: err.info };
      }
      if (mine !== generation) return;
      store.setState((st) => {
        if (!st.answer || 'error' in st.answer.outcome) return {};
        const outcome = { ...st.answer.outcome, engines: { ...st.answer.outcome.engines, [id]: result } };
        return { answer: { ...st.answer, outcome }, shown: { ...st.shown, [id]: { result, response: outcome } }, done: [...st.done, id] };
      });
    }
    store.setState({ pending: false, settled: mine });
    void settleTimings(job, prepared.point, prepared.wrt, mine);
  };

  const schedule = (s: State, prev: State | null) => {
    if (!s.engines) return;
    const job = jobOf(s);
    const key = keyOf(job.prepare.source, job.prepare.point, job.prepare.wrt, job.engines, job.options);
    if (key === lastKey) return;
    lastKey = key;
    const mine = ++generation;
    clearTimeout(timer);
    const delay = prev === null ? 0 : s.source !== prev.source ? TYPING_DEBOUNCE_MS : CONTROL_DEBOUNCE_MS;
    timer = setTimeout(() => void run(job, mine), delay);
    settling?.abort();
    store.setState({ pending: true, scheduled: mine, settling: [] });
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
