// The page's worker client against a scripted fake worker: requests run one at a time, a request
// over its budget gets the worker terminated and replaced, start-up time does not count against a
// budget, queued requests can be dropped, and a worker that cannot start is not respawned in a loop.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineWorkerClient, WorkerError } from '../../app/worker/client.ts';
import type { FromWorker, ToWorker } from '../../app/worker/protocol.ts';

/** A worker that answers `hello` after `boot` ms and `prepare` after the number of ms in its source ('hang': never). */
class FakeWorker {
  static made: FakeWorker[] = [];
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  received: ToWorker[] = [];

  constructor(private boot: number) {
    FakeWorker.made.push(this);
  }

  postMessage(msg: ToWorker): void {
    this.received.push(msg);
    const reply = (delay: number, data: FromWorker) => setTimeout(() => { if (!this.terminated) this.onmessage?.({ data } as MessageEvent<FromWorker>); }, delay);
    if (msg.type === 'hello') { if (this.boot >= 0) reply(this.boot, { type: 'hello', id: msg.id, ok: true, result: { engines: [] } }); return; }
    if (msg.type === 'prepare') {
      if (msg.payload.source === 'hang') return;
      if (msg.payload.source === 'throw') { reply(1, { type: 'prepare', id: msg.id, ok: false, error: { kind: 'syntax', message: 'bad', line: 1, column: 2 } }); return; }
      reply(Number(msg.payload.source), { type: 'prepare', id: msg.id, ok: true, result: { params: [], point: {}, wrt: [], outcome: { error: { kind: 'no-function', message: msg.payload.source, line: null, column: null } }, fLatex: null, millis: 0 } });
    }
  }

  terminate(): void {
    this.terminated = true;
  }
}

const job = (source: string) => ({ source, point: {}, wrt: null, knownParams: [] });
const messageOf = (r: { outcome: unknown }) => (r.outcome as { error: { message: string } }).error.message;

beforeEach(() => {
  vi.useFakeTimers();
  FakeWorker.made = [];
});

afterEach(() => {
  vi.useRealTimers();
});

function client(boot = 10, budget = 100): EngineWorkerClient {
  return new EngineWorkerClient(() => new FakeWorker(boot) as unknown as Worker, budget);
}

describe('EngineWorkerClient', () => {
  it('answers requests in order, one at a time, on one worker', async () => {
    const c = client();
    const a = c.request('prepare', job('30'));
    const b = c.request('prepare', job('5'));
    await vi.advanceTimersByTimeAsync(100);
    expect(messageOf(await a)).toBe('30');
    expect(messageOf(await b)).toBe('5');
    expect(FakeWorker.made).toHaveLength(1);
    expect(FakeWorker.made[0].received.map((m) => m.type)).toEqual(['hello', 'prepare', 'prepare']);
  });

  it('passes the worker\'s own error through', async () => {
    const c = client();
    const r = c.request('prepare', job('throw'));
    const caught = r.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    const err = await caught;
    expect(err).toBeInstanceOf(WorkerError);
    expect((err as WorkerError).info).toEqual({ kind: 'syntax', message: 'bad', line: 1, column: 2 });
  });

  it('terminates a worker whose request overruns the budget, fails that request, and carries on with a new worker', async () => {
    const c = client(10, 100);
    const stuck = c.request('prepare', job('hang')).catch((e: unknown) => e);
    const next = c.request('prepare', job('5'));
    await vi.advanceTimersByTimeAsync(10 + 99);
    expect(FakeWorker.made[0].terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    const err = (await stuck) as WorkerError;
    expect(err.info.kind).toBe('budget');
    expect(err.info.message).toMatch(/stopped after 100 ms.*restarted/);
    expect(FakeWorker.made[0].terminated).toBe(true);
    await vi.advanceTimersByTimeAsync(50);
    expect(messageOf(await next)).toBe('5');
    expect(FakeWorker.made).toHaveLength(2);
  });

  it('does not count a new worker\'s start-up against the first request\'s budget', async () => {
    const c = client(500, 100);
    const r = c.request('prepare', job('80'));
    await vi.advanceTimersByTimeAsync(500 + 90);
    expect(FakeWorker.made[0].terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(messageOf(await r)).toBe('80');
  });

  it('drops a queued request when it is aborted, and never sends it', async () => {
    const c = client();
    const first = c.request('prepare', job('20'));
    const controller = new AbortController();
    const dropped = c.request('prepare', job('7'), { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    const err = (await dropped) as WorkerError;
    expect(err.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    await first;
    expect(FakeWorker.made[0].received.filter((m) => m.type === 'prepare')).toHaveLength(1);
  });

  it('fails the queue, without respawning, when a worker never starts', async () => {
    const c = client(-1, 100);
    const a = c.request('prepare', job('5')).catch((e: unknown) => e);
    const b = c.request('prepare', job('5')).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(30_001);
    expect(((await a) as WorkerError).info.message).toMatch(/did not start/);
    expect(((await b) as WorkerError).info.message).toMatch(/did not start/);
    expect(FakeWorker.made).toHaveLength(1);
    expect(FakeWorker.made[0].terminated).toBe(true);
  });
});
