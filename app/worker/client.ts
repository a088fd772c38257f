// The page's side of the engine worker: typed promise methods over the message protocol. Requests run
// one at a time so each one's time budget measures only itself; a request over its budget gets the
// worker terminated and a fresh one started, and the request fails with a `budget` error.

import type { ErrorInfo } from '../../src/errors.ts';
import type { FromWorker, RequestKind, ToWorker, WorkerRequests } from './protocol.ts';

export const DEFAULT_BUDGET_MS = 2000;
/** A fresh worker must load the engines before any budget starts; this bounds only that start-up. */
const BOOT_TIMEOUT_MS = 30_000;
const BOOT_ID = 0;

/** A failed request: the worker's own error, a budget overrun, or a request dropped before it ran. */
export class WorkerError extends Error {
  constructor(readonly info: ErrorInfo, readonly aborted = false) {
    super(info.message);
    this.name = 'WorkerError';
  }
}

export interface RequestOptions {
  budgetMs?: number;
  /** Aborting a request that is still queued drops it; one already running finishes unseen. */
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

interface Job {
  message: ToWorker;
  options: RequestOptions;
  resolve: (result: unknown) => void;
  reject: (err: WorkerError) => void;
}

export class EngineWorkerClient {
  private worker: Worker | null = null;
  private nextId = BOOT_ID + 1;
  private queue: Job[] = [];
  private running: { job: Job; timer: ReturnType<typeof setTimeout> } | null = null;
  /** Set while a new worker loads its modules: budgets measure work, not start-up. */
  private booting: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly spawn: () => Worker, private readonly defaultBudgetMs = DEFAULT_BUDGET_MS) {}

  request<K extends RequestKind>(type: K, payload: WorkerRequests[K]['payload'], options: RequestOptions = {}): Promise<WorkerRequests[K]['result']> {
    return new Promise((resolve, reject) => {
      const message = { type, id: this.nextId++, payload } as ToWorker;
      const job: Job = { message, options, resolve: resolve as (r: unknown) => void, reject };
      options.signal?.addEventListener('abort', () => {
        const i = this.queue.indexOf(job);
        if (i >= 0) {
          this.queue.splice(i, 1);
          reject(new WorkerError({ kind: 'engine', message: 'superseded by a newer request', line: null, column: null }, true));
        }
      });
      this.queue.push(job);
      this.pump();
    });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    if (this.booting) clearTimeout(this.booting);
    this.booting = null;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail({ kind: 'engine', message: `the engine worker crashed: ${event.message || 'unknown error'}`, line: null, column: null });
    };
    this.worker = worker;
    // Ask once and wait: the answer means every module is loaded and the first budget is fair.
    this.booting = setTimeout(() => {
      this.fail({ kind: 'engine', message: 'the engine worker did not start', line: null, column: null });
    }, BOOT_TIMEOUT_MS);
    worker.postMessage({ type: 'hello', id: BOOT_ID, payload: {} } satisfies ToWorker);
    return worker;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    this.ensureWorker();
    if (this.booting) return;
    const job = this.queue.shift()!;
    if (job.options.signal?.aborted) return this.pump();
    const budget = job.options.budgetMs ?? this.defaultBudgetMs;
    const timer = setTimeout(() => this.overrun(budget), budget);
    this.running = { job, timer };
    this.worker!.postMessage(job.message);
  }

  private receive(msg: FromWorker): void {
    if (msg.id === BOOT_ID) {
      if (this.booting) clearTimeout(this.booting);
      this.booting = null;
      this.pump();
      return;
    }
    const running = this.running;
    if (!running || msg.id !== running.job.message.id) return;
    if (msg.type === 'progress') {
      running.job.options.onProgress?.(msg.fraction);
      return;
    }
    clearTimeout(running.timer);
    this.running = null;
    if (msg.ok) running.job.resolve(msg.result);
    else running.job.reject(new WorkerError(msg.error));
    this.pump();
  }

  private overrun(budgetMs: number): void {
    const seconds = budgetMs >= 1000 ? `${(budgetMs / 1000).toFixed(budgetMs % 1000 === 0 ? 0 : 1)} s` : `${budgetMs} ms`;
    this.fail({
      kind: 'budget',
      message: `stopped after ${seconds}: the computation ran over ddx's time budget (a loop that never ends, or a very large input?). The engine worker was restarted; edit the function or the point to try again.`,
      line: null,
      column: null,
    });
  }

  /**
   * Ends the running request with an error, replaces the worker and carries on with the queue. A
   * worker that fails while starting fails every queued request instead, so it is not respawned in a loop.
   */
  private fail(info: ErrorInfo): void {
    const running = this.running;
    const wasBooting = this.booting !== null;
    this.worker?.terminate();
    this.worker = null;
    if (this.booting) clearTimeout(this.booting);
    this.booting = null;
    if (running) {
      clearTimeout(running.timer);
      this.running = null;
      running.job.reject(new WorkerError(info));
    }
    if (wasBooting) {
      const queued = this.queue;
      this.queue = [];
      for (const job of queued) job.reject(new WorkerError(info));
      return;
    }
    this.pump();
  }
}
