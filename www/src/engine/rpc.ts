// One engine Web Worker behind a promise API: requests carry an id, typed arrays travel both
// ways as transferred buffers (no copy).
import type { Request, Response, Op } from './protocol';
import type { EngineError } from './types';

export class EngineFailure extends Error implements EngineError {
  field?: string;
  /** The engine itself failed (it stopped or could not load), not the input. */
  crashed: boolean;
  constructor(e: EngineError & { crashed?: boolean }) {
    super(e.message);
    this.field = e.field;
    this.crashed = e.crashed ?? false;
  }
}

interface Pending {
  resolve: (v: { value: unknown; engineMs: number }) => void;
  reject: (e: EngineFailure) => void;
}

export class EngineWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  /**
   * `make` starts a module worker running `serve` from protocol.ts. When the worker fails to
   * load (offline, a missing file) or dies (a wasm trap), every pending call is rejected with a
   * message that says so, `onCrash` is told, and the next call starts a fresh worker.
   */
  constructor(
    private readonly make: () => Worker,
    private readonly onCrash: (message: string) => void = () => {},
    private readonly what = 'simulation',
  ) {}

  private get(): Worker {
    if (this.worker) return this.worker;
    const w = this.make();
    w.onmessage = (ev: MessageEvent<Response>) => {
      const msg = ev.data;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve({ value: msg.value, engineMs: msg.engineMs });
      else {
        p.reject(new EngineFailure(msg.error));
        // a trap leaves the wasm instance unusable: start a fresh worker next time
        if (msg.error.fatal) this.crash(`The ${this.what} engine stopped (${msg.error.message}); it is restarted with the next change.`);
      }
    };
    const fail = (ev: Event | ErrorEvent) => {
      ev.preventDefault?.();
      const detail = ev instanceof ErrorEvent && ev.message ? `: ${ev.message}` : '';
      this.crash(
        navigator.onLine === false
          ? `The ${this.what} engine could not be loaded: this device is offline and it was not loaded before. Reconnect and try again.`
          : `The ${this.what} engine could not be loaded or stopped${detail}. Reload the page.`,
      );
    };
    w.onerror = fail;
    w.onmessageerror = fail;
    this.worker = w;
    return w;
  }

  private crash(message: string): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new EngineFailure({ message, crashed: true }));
    this.pending.clear();
    this.onCrash(message);
  }

  /** Runs `op` in the worker; `transfer` lists buffers handed over (they become unusable here). */
  call(op: Op, args: unknown[], transfer: ArrayBuffer[] = []): Promise<{ value: unknown; engineMs: number }> {
    const id = this.nextId++;
    const w = this.get();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, op, args } satisfies Request, transfer);
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
