// The engine worker: runs ddx's pipeline (src/run.ts) off the main thread, so a slow or runaway
// computation never freezes the editor. It answers each request by id; the page drops stale answers
// and terminates this worker when a request overruns its time budget.

/// <reference lib="webworker" />
import { toErrorInfo } from '../../src/errors.ts';
import { formatExpr } from '../../src/ir/format.ts';
import { mainFn, type Program } from '../../src/ir/types.ts';
import { parseProgram } from '../../src/lang/parse.ts';
import { ENGINES } from '../../src/engines/registry.ts';
import { runGradient } from '../../src/run.ts';
import { fitPoint, fitWrt } from './fit-point.ts';
import type { FromWorker, GradAnswer, GradJob, ParamInfo, ToWorker, WorkerRequests } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

type Handlers = { [K in keyof WorkerRequests]: (payload: WorkerRequests[K]['payload'], id: number) => WorkerRequests[K]['result'] };

const handlers: Handlers = {
  hello: () => ({ engines: ENGINES.map((e) => ({ id: e.id, title: e.title, summary: e.summary })) }),
  grad: (job) => grad(job),
};

function grad(job: GradJob): GradAnswer {
  const t0 = performance.now();
  let params: ParamInfo[] | null = null;
  let program: Program | null = null;
  try {
    program = parseProgram(job.source);
    params = mainFn(program).params.map((p) => ({ name: p.name, type: p.type }));
  } catch {
    // runGradient reports the same parse error, with its location, below.
  }
  const point = params ? fitPoint(params, job.point) : job.point;
  const wrt = params ? fitWrt(params, job.wrt, job.knownParams) : (job.wrt ?? []);
  const outcome = runGradient({ source: job.source, at: point, wrt, engines: job.engines, options: job.options });
  return { params, point, wrt, outcome, fLatex: fLatexOf(program, outcome), millis: performance.now() - t0 };
}

function fLatexOf(program: Program | null, outcome: GradAnswer['outcome']): string | null {
  if (!program || 'error' in outcome) return null;
  const symbolic = outcome.engines.symbolic;
  if (symbolic?.ok && typeof symbolic.f_latex === 'string') return symbolic.f_latex;
  const body = mainFn(program).body;
  if (body.length === 1 && body[0].k === 'return') return formatExpr(body[0].value, 'latex');
  return null;
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
