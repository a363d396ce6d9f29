// One engine Web Worker behind a promise API: requests carry an id, typed arrays travel both
// ways as transferred buffers (no copy).
import type { Request, Response, Op } from './protocol';
import type { EngineError } from './types';

export class EngineFailure extends Error implements EngineError {
  field?: string;
  /** The engine itself failed (it stopped or could not load), not the input. */
  crashed: boolean;
  /** It stopped (a WebAssembly trap) and a fresh worker has already replaced it. */
  replaced: boolean;
  constructor(e: EngineError & { crashed?: boolean; replaced?: boolean }) {
    super(e.message);
    this.field = e.field;
    this.crashed = e.crashed ?? false;
    this.replaced = e.replaced ?? false;
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

  /** Workers replaced after a trap (for the page's tests and its console). */
  replacements = 0;

  /**
   * `make` starts a module worker running `serve` from protocol.ts. When the worker traps (a
   * WebAssembly RuntimeError leaves its instance unusable), it is terminated and a fresh one
   * started at once; when it fails to load (offline, a missing file), the next call starts a
   * fresh one. Either way every pending call is rejected with a message that says so, and
   * `onCrash` is told (`replaced`: a fresh worker is already running).
   */
  constructor(
    private readonly make: () => Worker,
    private readonly onCrash: (message: string, replaced: boolean) => void = () => {},
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
      else if (!msg.error.fatal) p.reject(new EngineFailure(msg.error));
      else {
        // a trap leaves the wasm instance unusable: replace the worker now
        const message = `The ${this.what} engine stopped (${msg.error.message}) and was replaced by a fresh one.`;
        p.reject(new EngineFailure({ message, crashed: true, replaced: true }));
        this.crash(message, true);
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

  private crash(message: string, replace = false): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new EngineFailure({ message, crashed: true, replaced: replace }));
    this.pending.clear();
    if (replace) {
      this.replacements++;
      this.get();
    }
    this.onCrash(message, replace);
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
