// The only module the page uses to reach the engine: a promise API over the worker, and a
// latest-request-wins simulate() so that dragging a slider never queues stale work.
import type { Op } from './protocol';
import { EngineFailure, EngineWorker, LatestOnly } from './rpc';
import type { Adapted, CshtCurves, Defaults, DiagramTrace, DoseKind, EngineError, Lecture, Limit, LinkFallback, ModelInfo, PdTables, Preset, Route, Scenario, SimResult, Timing } from './types';

export type { EngineError };
export { EngineFailure };

export class Engine {
  private worker: EngineWorker;

  /**
   * `onCrash`: called when the worker traps (`replaced`: a fresh worker already runs) or fails
   * to load; the message says which.
   */
  constructor(onCrash: (message: string, replaced: boolean) => void = () => {}) {
    this.worker = new EngineWorker(() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }), onCrash);
  }

  private async call<T>(op: Op, ...args: unknown[]): Promise<{ value: T; engineMs: number }> {
    const r = await this.worker.call(op, args);
    return { value: r.value as T, engineMs: r.engineMs };
  }

  async models(weightKg: number): Promise<ModelInfo[]> {
    return (await this.call<ModelInfo[]>('models', weightKg)).value;
  }
  /** The scenario's model, validated, as an entry of `models()` (a user's `model_spec` too). */
  async modelInfo(s: Scenario): Promise<ModelInfo> {
    return (await this.call<ModelInfo>('modelInfo', s)).value;
  }
  async presets(): Promise<Preset[]> {
    return (await this.call<Preset[]>('presets')).value;
  }
  async pdTables(): Promise<PdTables> {
    return (await this.call<PdTables>('pdTables')).value;
  }
  async limits(): Promise<Limit[]> {
    return (await this.call<Limit[]>('limits')).value;
  }
  async defaults(): Promise<Defaults> {
    return (await this.call<Defaults>('defaults')).value;
  }
  async withRoute(s: Scenario, route: Route): Promise<Adapted> {
    return (await this.call<Adapted>('withRoute', s, route)).value;
  }
  async withModel(s: Scenario, model: string): Promise<Adapted> {
    return (await this.call<Adapted>('withModel', s, model)).value;
  }
  /** The regimen with a new step of `kind`, starting when the regimen's dosing ends. */
  async withStep(s: Scenario, kind: DoseKind): Promise<Adapted> {
    return (await this.call<Adapted>('withStep', s, kind)).value;
  }
  /** The horizon and output step of a span (`defaults().spans`) for `s`. */
  async withSpan(s: Scenario, span: string): Promise<Timing> {
    return (await this.call<Timing>('withSpan', s, span)).value;
  }
  /** The CSHT and recovery curves of `s`'s model, weight, ke0 and recovery threshold. */
  async cshtCurves(s: Scenario): Promise<CshtCurves> {
    return (await this.call<CshtCurves>('cshtCurves', s)).value;
  }
  /** A shared link's scenario with an unknown model, endpoint or choice replaced, and why. */
  async linkFallback(s: Scenario): Promise<LinkFallback> {
    return (await this.call<LinkFallback>('linkFallback', s)).value;
  }
  async csv(s: Scenario): Promise<string> {
    return (await this.call<string>('simulateCsv', s)).value;
  }
  async csht(model: string, weightKg: number, durations: number[]): Promise<Float64Array> {
    return (await this.call<Float64Array>('csht', model, weightKg, durations)).value;
  }
  async simulateOnce(s: Scenario): Promise<{ result: SimResult; engineMs: number }> {
    const r = await this.call<SimResult>('simulate', s);
    return { result: r.value, engineMs: r.engineMs };
  }

  // ---- issue 12: lectures and the animated compartment diagram ----
  /** The default lecture. */
  async lecture(): Promise<Lecture> {
    return (await this.call<Lecture>('lecture')).value;
  }
  /** A lecture read and validated by the engine (defaults filled); errors name the field. */
  async readLecture(json: string): Promise<Lecture> {
    return (await this.call<Lecture>('readLecture', json)).value;
  }
  /** Amounts per compartment and fluxes per arrow over `s`'s run, at most `maxPoints` times. */
  async diagram(s: Scenario, maxPoints: number): Promise<DiagramTrace> {
    return (await this.call<DiagramTrace>('diagram', s, maxPoints)).value;
  }

  /** Workers replaced after a trap so far. */
  get replacements(): number {
    return this.worker.replacements;
  }

  /** Makes the worker's WebAssembly trap (`trapForTests`): for the tests of the replacement. */
  async trapForTests(): Promise<void> {
    await this.call('trapForTests');
  }

  private latest = new LatestOnly((s: Scenario) => this.simulateOnce(s));

  /** Simulates `s` unless a newer request arrives first (superseded callers get `null`). */
  simulateLatest(s: Scenario): Promise<Latest> {
    return this.latest.request(s);
  }
}

export type Latest = { result: SimResult; engineMs: number } | null;
