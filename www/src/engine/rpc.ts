// One engine Web Worker behind a promise API: requests carry an id, typed arrays travel both
// ways as transferred buffers (no copy).
import type { Request, Response, Op } from './protocol';
import type { EngineError } from './types';

export class EngineFailure extends Error implements EngineError {
  field?: string;
  constructor(e: EngineError) {
    super(e.message);
    this.field = e.field;
  }
}

interface Pending {
  resolve: (v: { value: unknown; engineMs: number }) => void;
  reject: (e: EngineFailure) => void;
}

export class EngineWorker {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  /** `worker`: a module worker running `serve` from protocol.ts. */
  constructor(worker: Worker) {
    this.worker = worker;
    this.worker.onmessage = (ev: MessageEvent<Response>) => {
      const msg = ev.data;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve({ value: msg.value, engineMs: msg.engineMs });
      else p.reject(new EngineFailure(msg.error));
    };
  }

  /** Runs `op` in the worker; `transfer` lists buffers handed over (they become unusable here). */
  call(op: Op, args: unknown[], transfer: ArrayBuffer[] = []): Promise<{ value: unknown; engineMs: number }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args } satisfies Request, transfer);
    });
  }
}

/**
 * Latest request wins: while one run is in flight, only the newest waiting request is kept;
 * callers whose request was superseded get `null`. Dragging a slider never queues stale work.
 */
export class LatestOnly<A, R> {
  private inFlight = false;
  private queued: { arg: A; resolve: (r: R | null) => void; reject: (e: unknown) => void } | null = null;

  constructor(private readonly run: (arg: A) => Promise<R>) {}

  request(arg: A): Promise<R | null> {
    return new Promise((resolve, reject) => {
      if (this.queued) this.queued.resolve(null);
      this.queued = { arg, resolve, reject };
      this.pump();
    });
  }

  private pump(): void {
    if (this.inFlight || !this.queued) return;
    const job = this.queued;
    this.queued = null;
    this.inFlight = true;
    this.run(job.arg)
      .then(job.resolve, job.reject)
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }
}
