// The engine worker: runs ddx's pipeline (src/run.ts) off the main thread, so a slow or runaway
// computation never freezes the editor. `prepare` parses, fits the point and computes the reference;
// `engine` runs one engine on the prepared function. The page times each request and terminates
// this worker when one overruns its budget.

/// <reference lib="webworker" />
import { toErrorInfo } from '../../src/errors.ts';
import { formatExpr } from '../../src/ir/format.ts';
import { mainFn, type Program } from '../../src/ir/types.ts';
import { parseProgram } from '../../src/lang/parse.ts';
import { ENGINES, engineById } from '../../src/engines/registry.ts';
import { baseResponse, prepare, runEngine, type Prepared } from '../../src/run.ts';
import { stableJson } from '../permalink.ts';
import { sliceScan } from '../../src/views/slice.ts';
import { costScan } from '../../src/views/cost.ts';
import { swellScan } from '../../src/views/swell.ts';
import { fitPoint, fitWrt } from './fit-point.ts';
import type { EngineAnswer, EngineJob, FromWorker, ParamInfo, PrepareAnswer, PrepareJob, ToWorker, WorkerRequests } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

type Handlers = { [K in keyof WorkerRequests]: (payload: WorkerRequests[K]['payload'], id: number) => WorkerRequests[K]['result'] };

/** The last prepared function, reused by the engine requests that follow its prepare. */
let cache: { key: string; prepared: Prepared } | null = null;

const handlers: Handlers = {
  hello: () => ({ engines: ENGINES.map((e) => ({ id: e.id, title: e.title, summary: e.summary })) }),
  prepare: (job) => prepareJob(job),
  engine: (job) => engineJob(job),
  slice: (job) => sliceScan(job),
  cost: (job, id) => costScan(job, (fraction) => scope.postMessage({ type: 'progress', id, fraction } satisfies FromWorker)),
  swell: (job) => swellScan(job),
};

function prepareJob(job: PrepareJob): PrepareAnswer {
  const t0 = performance.now();
  let params: ParamInfo[] | null = null;
  let program: Program | null = null;
  try {
    program = parseProgram(job.source);
    params = mainFn(program).params.map((p) => ({ name: p.name, type: p.type }));
  } catch {
    // prepare() reports the same parse error, with its location, below.
  }
  const point = params ? fitPoint(params, job.point) : job.point;
  const wrt = params ? fitWrt(params, job.wrt, job.knownParams) : (job.wrt ?? []);
  cache = null;
  let outcome: PrepareAnswer['outcome'];
  try {
    const prepared = prepare(job.source, point, wrt);
    cache = { key: keyOf(job.source, prepared.at, prepared.wrt), prepared };
    outcome = baseResponse(prepared);
  } catch (err) {
    outcome = { error: toErrorInfo(err) };
  }
  return { params, point, wrt, outcome, fLatex: program && !('error' in outcome) ? singleReturnLatex(program) : null, millis: performance.now() - t0 };
}

function engineJob(job: EngineJob): EngineAnswer {
  if (!engineById(job.engine)) throw new Error(`unknown engine ${job.engine}`);
  const key = keyOf(job.source, job.point, job.wrt);
  if (cache?.key !== key) cache = { key, prepared: prepare(job.source, job.point, job.wrt) };
  return runEngine(job.engine, cache.prepared, job.options, false);
}

function keyOf(source: string, point: unknown, wrt: string[]): string {
  return stableJson([source, point, wrt]);
}

function singleReturnLatex(program: Program): string | null {
  const body = mainFn(program).body;
  return body.length === 1 && body[0].k === 'return' ? formatExpr(body[0].value, 'latex') : null;
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  let reply: FromWorker;
  try {
    const handler = handlers[msg.type] as (payload: unknown, id: number) => unknown;
    reply = { type: msg.type, id: msg.id, ok: true, result: handler(msg.payload, msg.id) } as FromWorker;
  } catch (err) {
    reply = { type: msg.type, id: msg.id, ok: false, error: toErrorInfo(err) };
  }
  scope.postMessage(reply);
};
