// The only module the page uses to reach the engine: a promise API over the worker, and a
// latest-request-wins simulate() so that dragging a slider never queues stale work.
import type { Op } from './protocol';
import { EngineFailure, EngineWorker, LatestOnly } from './rpc';
import type { EngineError, ModelInfo, PdTables, Preset, Scenario, SimResult } from './types';

export type { EngineError };
export { EngineFailure };

export class Engine {
  private worker = new EngineWorker(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }));

  private call(op: Op, ...args: unknown[]): Promise<{ value: unknown; engineMs: number }> {
    return this.worker.call(op, args);
  }

  async models(weightKg: number): Promise<ModelInfo[]> {
    return (await this.call('models', weightKg)).value as ModelInfo[];
  }
  async presets(): Promise<Preset[]> {
    return (await this.call('presets')).value as Preset[];
  }
  async pdTables(): Promise<PdTables> {
    return (await this.call('pdTables')).value as PdTables;
  }
  async csv(s: Scenario): Promise<string> {
    return (await this.call('simulateCsv', s)).value as string;
  }
  async csht(model: string, weightKg: number, durations: number[]): Promise<Float64Array> {
    return (await this.call('csht', model, weightKg, durations)).value as Float64Array;
  }
  async simulateOnce(s: Scenario): Promise<{ result: SimResult; engineMs: number }> {
    const r = await this.call('simulate', s);
    return { result: r.value as SimResult, engineMs: r.engineMs };
  }

  private latest = new LatestOnly((s: Scenario) => this.simulateOnce(s));

  /** Simulates `s` unless a newer request arrives first (superseded callers get `null`). */
  simulateLatest(s: Scenario): Promise<Latest> {
    return this.latest.request(s);
  }
}

export type Latest = { result: SimResult; engineMs: number } | null;
