// Page wiring: one scenario (plus view options and pins) → engine (worker) → charts, readouts,
// timeline. Every displayed result carries the scenario that produced it; while a newer request
// is pending or an input is invalid, the results are visibly stale.
import './style.css';
import './layout.css';
import './print.css';
import { Engine, EngineFailure } from './engine/client';
import type { DoseKind, Scenario, SimResult } from './engine/types';
import { PopulationPool, type PopulationBands } from './engine/population';
import { COLORS, Charts, CshtChart, type CshtRun, type PumpSteps, type Run, type TargetLine } from './ui/charts';
import { bindControls, modelOf, renderStatic, syncControls, type Meta } from './ui/controls';
import { applyCss } from './ui/dom';
import { clearMessages, showMessage } from './ui/errors';
import { downloadCsv, exportPng, runLabel, whatIfNote } from './ui/export';
import { renderPanel } from './ui/panel';
import { renderPopulation } from './ui/population';
import { extraAnalytes, markBandLegend, renderReadouts, renderTci, shownSession } from './ui/readouts';
import { revealPumpErrors } from './ui/regimen';
import { num3 } from './ui/format';
import { renderDataTable, renderPrintSummary, trackStickyChart } from './ui/layout';
import { registerServiceWorker } from './sw-register';
import type { CshtCurves } from './engine/types';
import { renderSideEffects } from './ui/sideeffects';
import { VitalsChart, bindVitals, calibrationHtml, renderVitalsInfo, sourcesHtml, syncVitalsControls } from './ui/vitals';
import { ModelEditor, escHtml } from './ui/modeledit';
import { MAX_PINS, decodeLink, defaultView, encodeLink, withField, type PageState, type View } from './ui/state';
import { initLecture } from './ui/lecture'; // issue 12

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Measurements the e2e test reads (and anyone can, from the console). */
interface PerfLog {
  firstRenderMs: number | null;
  /** Per update: time in the engine, until the charts are redrawn, and until the next frame. */
  updates: { engineMs: number; resultMs: number; drawnMs: number; frameMs: number }[];
  /** Per population update: subjects, workers, time in the pool, and until the bands are drawn. */
  population: { size: number; workers: number; totalMs: number; simulateMs: number; statsMs: number; drawnMs: number }[];
}
declare global {
  interface Window {
    __ketasim: {
      perf: PerfLog;
      ready: boolean;
      renders: number;
      state: () => PageState;
      /** The result on screen, the scenario that produced it, and whether it is current. */
      shown: () => { result: SimResult; current: boolean } | null;
      simulate: (s: Scenario) => Promise<SimResult>;
      /** Bands drawn last (null when none), and the scenario they came from. */
      population: () => { bands: PopulationBands; scenario: Scenario } | null;
      /** Runs a population on up to `workers` workers without drawing it. */
      runPopulation: (s: Scenario, workers?: number) => Promise<PopulationBands>;
      populationRenders: number;
      /** The CSHT curves drawn last: the current scenario's and each pin's. */
      csht: () => { curves: CshtCurves; pins: CshtCurves[]; isCurrent: boolean } | null;
      cshtRenders: number;
      /** The concentration axis's range as drawn. */
      concAxis: () => [number, number];
      /** The concentration chart's labels as last drawn (bands' and lecture names), their plot, and any band name left out. */
      chartLabels: () => ReturnType<Charts['labelBoxes']>;
      /** Makes the page's engine worker (or population worker `i`) trap, for the tests of its replacement. */
      trapEngine: () => Promise<void>;
      trapPopulation: (i?: number) => Promise<void>;
      /** Workers replaced after a trap: the page's engine, the population pool. */
      replacements: () => { engine: number; population: number };
    };
  }
}
const perf: PerfLog = { firstRenderMs: null, updates: [], population: [] };

function toast(msg: string): void {
  const t = $('toast');
  t.textContent = msg;
  t.classList.add('show');
  setTimeout(() => t.classList.remove('show'), 4000);
}

/** The change (`seq`) whose run was last repeated on a replaced worker: repeated once only. */
let retriedSeq = -1;
const engine = new Engine((m, replaced) => {
  engineError = new EngineFailure({ message: m, crashed: true, replaced });
  if (replaced) {
    // a fresh worker runs already: say so, and run the current scenario on it once
    notice = retriedSeq === seq ? `${m} It stopped again on this scenario: change an input to try again.` : m;
    toast(m);
    if (retriedSeq !== seq) {
      retriedSeq = seq;
      void update();
    }
  }
  showState();
});
// the CSHT curves take a few hundred ms: a worker of their own, so that runs never wait for them
const cshtEngine = new Engine(() => {
  $('err-csht').textContent = 'The engine that computes the CSHT curves stopped; it restarts with the next change.';
});
let popRetriedSeq = -1;
const pool = new PopulationPool(undefined, (m, replaced) => {
  popError = m;
  clearPopulation();
  if (replaced && popRetriedSeq !== seq) {
    popRetriedSeq = seq;
    toast(m);
    void updatePopulation(seq);
  }
  showState();
});

let meta: Meta;
let st: PageState;
// ---------- user-defined models (issue 14): the "Edit parameters" view, ui/modeledit.ts ----------
const userModels = new ModelEditor({
  engine,
  cshtEngine,
  meta: () => meta,
  state: () => st,
  apply: (scenario) => commit({ ...st, scenario }),
  model: (id) => void adapt('model', id),
  showState: () => showState(),
  resync: () => syncControls(meta, st),
  panelExtra: () => {
    const mon = shown?.result.monitoring;
    return mon ? calibrationHtml(mon.calibration, mon.sources) + sourcesHtml(mon.sources) : '';
  },
  current: () => current(),
  waiting: (path, on) => waiting(path, on),
});
/** Bumped on every change of the scenario; a result is current when it has the same number. */
let seq = 0;
/**
 * `seq` when the scenario itself last changed (a commit). A typing error bumps `seq` but leaves the
 * scenario as it was: a run of that scenario that arrives afterwards is still its last valid run.
 */
let scenarioSeq = 0;
let shown: { seq: number; result: SimResult } | null = null;
/** Controls whose text is not a number (path → message): the scenario keeps its last value. */
const formatErrors = new Map<string, string>();
let engineError: EngineFailure | null = null;
let popError = '';
let notice = '';
let lastPop: { bands: PopulationBands; scenario: Scenario } | null = null;
let pinRuns: Run[] = [];
let charts: Charts;
let cshtChart: CshtChart;
let lastCsht: { curves: CshtCurves; pins: CshtCurves[]; seq: number } | null = null;
let vitalsChart: VitalsChart;
/** Issue 12: lecture mode and the animated diagram (told of every run drawn). */
let lectureHooks: { rendered: (r: SimResult) => void } | null = null;

/** Number boxes whose typing waits for a pause before it runs (ui/typing.ts), by field path. */
const typingIn = new Set<string>();
/** Typing into the box of `path` waits for a pause (`on`), or no longer: the results are not of the inputs meanwhile. */
function waiting(path: string, on: boolean): void {
  if (on) typingIn.add(path);
  else typingIn.delete(path);
  showState();
}
const current = () => !!shown && shown.seq === seq && formatErrors.size === 0 && !engineError && typingIn.size === 0;

/** Messages beside the controls, the stale marking and the status line. */
function showState(): void {
  // a message about text typed into a control that is gone (a route or kind change) goes too
  for (const path of formatErrors.keys()) {
    const p = CSS.escape(path);
    if (!document.querySelector(`[data-field="${p}"], [data-error-path="${p}"]`)) formatErrors.delete(path);
  }
  clearMessages();
  for (const [path, msg] of formatErrors) showMessage(path, msg);
  // the engine's message about a field whose text has since become unreadable is about a
  // value no longer there: the typing message replaces it
  if (engineError && !(engineError.field && formatErrors.has(engineError.field))) showMessage(engineError.field, engineError.message);
  revealPumpErrors();
  if (popError) $('err-pop').textContent = popError;
  if (current() && shown!.result.warnings.length) showMessage(undefined, shown!.result.warnings.join('; '));
  if (notice) showMessage(undefined, notice);
  const stale = !current();
  $('results').classList.toggle('stale', stale);
  $('results').setAttribute('aria-busy', String(stale && !engineError && formatErrors.size === 0));
  const last = shown ? 'the charts and numbers show the last valid run' : 'nothing could be computed yet';
  $('status').textContent = !stale
    ? ''
    : engineError?.crashed
      ? `Not current: ${last}. The engine stopped or could not load (see the message above the charts).`
      : formatErrors.size || engineError
        ? `Not current: ${last}. Correct the highlighted input.`
        : 'Updating…';
}

function link(): void {
  history.replaceState(null, '', encodeLink(st));
}

/** The scenario changed: show it in the controls, put it in the link, run it. */
function commit(next: PageState, opts: { sync?: boolean } = { sync: true }): void {
  st = next;
  seq++;
  scenarioSeq = seq;
  notice = '';
  popError = '';
  if (opts.sync !== false) syncControls(meta, st);
  link();
  void update();
}

/** Only the view changed: redraw the shown result. */
function setView(patch: Partial<View>): void {
  st = { ...st, view: { ...st.view, ...patch } };
  syncControls(meta, st);
  link();
  if (shown) {
    render(shown.result);
    window.__ketasim.renders++;
  }
  if ('popOn' in patch) {
    if (st.view.popOn) pool.warm();
    else popError = '';
    showState();
    void updatePopulation(seq);
  }
}

async function update(): Promise<void> {
  const my = seq;
  const myScenario = scenarioSeq;
  userModels.track(st);
  const t0 = performance.now();
  showState();
  if (formatErrors.size) return clearPopulation();
  let out;
  try {
    out = await engine.simulateLatest(st.scenario);
  } catch (e) {
    if (my !== seq) return;
    engineError = e instanceof EngineFailure ? e : new EngineFailure({ message: String(e) });
    clearPopulation();
    showState();
    return;
  }
  if (!out) return; // a newer request follows
  if (my !== seq) {
    // superseded: by a newer scenario (its run follows), or only by a typing error: then this is
    // the run of the scenario as it stands, the last valid value typed, shown as not current
    if (myScenario !== scenarioSeq || formatErrors.size === 0 || shown?.seq === my) return;
    engineError = null;
    shown = { seq: my, result: out.result };
    render(out.result);
    showState();
    window.__ketasim.renders++;
    return;
  }
  engineError = null;
  const resultMs = performance.now() - t0;
  shown = { seq: my, result: out.result };
  render(out.result);
  showState();
  const drawnMs = performance.now() - t0;
  const engineMs = out.engineMs;
  void updatePopulation(my, t0);
  scheduleCsht();
  requestAnimationFrame(() => {
    const frameMs = performance.now() - t0;
    if (perf.firstRenderMs === null) perf.firstRenderMs = performance.now();
    perf.updates.push({ engineMs, resultMs, drawnMs, frameMs });
    if (perf.updates.length > 500) perf.updates.shift();
    window.__ketasim.renders++;
    $('perf').textContent = `Last update: engine ${engineMs.toFixed(2)} ms; input → charts redrawn ${drawnMs.toFixed(1)} ms (wasm in a Web Worker).`;
  });
}

function runOf(r: SimResult, label: string): Run {
  const a = r.drug_readout;
  return {
    label,
    name: a.name,
    extra: extraAnalytes(r).map((x) => ({ id: x.id, name: x.name, cp: x.cp_ng_per_ml, cpUm: x.cp_um })),
    t: r.t_min,
    cp: a.cp_ng_per_ml,
    cpUm: a.cp_um,
    ce: a.ce_ng_per_ml,
    ceUm: a.ce_um,
    occ: r.occupancy,
    pump: pumpSteps(r),
    targets: targetLines(r),
  };
}

/** The pumps' engine segments as steps over the run (0 between sessions). */
function pumpSteps(r: SimResult): PumpSteps | null {
  if (!r.pumps.length) return null;
  const x: number[] = [];
  const mg: number[] = [];
  const ml: number[] = [];
  const at = (t: number, a: number, b: number) => {
    if (x.length && x[x.length - 1] >= t) {
      // a step that starts where the last ended replaces its zero
      mg[mg.length - 1] = a;
      ml[ml.length - 1] = b;
    } else {
      x.push(t);
      mg.push(a);
      ml.push(b);
    }
  };
  at(r.t_min[0], 0, 0);
  for (const p of [...r.pumps].sort((a, b) => a.start_min - b.start_min)) {
    for (const g of p.segments) at(g.start_min, g.rate_mg_per_h, g.rate_ml_per_h);
    at(p.end_min, 0, 0);
  }
  const end = r.t_min[r.t_min.length - 1];
  if (x[x.length - 1] < end) at(end, 0, 0);
  return {
    x: Float64Array.from(x),
    mg: Float64Array.from(mg),
    ml: Float64Array.from(ml),
    gridMg: r.pump_rate_mg_per_h,
    gridMl: r.pump_rate_ml_per_h,
    oneSyringe: r.pumps.every((p) => p.syringe_mg_per_ml === r.pumps[0].syringe_mg_per_ml),
  };
}

/** Each TCI target over the time it applies (concentration targets carry their µM too). */
function targetLines(r: SimResult): TargetLine[] {
  return r.metrics.tci.flatMap((o) =>
    o.steps.map((s) => {
      const conc = s.target_um != null;
      return { from: s.from_min, to: s.to_min, ng: conc ? s.target : null, um: s.target_um ?? null, percent: conc ? null : s.target, what: o.target.replace('_', ' ') };
    }),
  );
}

function render(r: SimResult): void {
  userModels.shown(r);
  renderReadouts(meta, r, st);
  const span = r.t_min[r.t_min.length - 1];
  const s = r.sessions.length > 1 && st.view.session > 0 ? shownSession(r, st) : null;
  const xRange: [number, number] | null = s ? [Math.max(0, s.start_min - 30), Math.min(span, s.dosing_end_min + 300)] : null;
  charts.update(runOf(r, 'current'), pinRuns, st.view.unit, xRange, st.view.hidden, r.landmarks, st.view.logY);
  markBandLegend(charts.bandsInView());
  renderTci(meta, r, st);
  vitalsChart.update(r.t_min, r.monitoring, st.view.vitals, xRange);
  renderVitalsInfo($('vitals-info'), r.monitoring, span);
  renderSideEffects($('side-effects'), r.monitoring);
  syncVitalsControls(st.view.vitals, st.scenario.vitals?.curve, r.monitoring);
  renderDataTable($('data-table'), r, st.view.unit);
  renderPrintSummary($('print-summary'), r.scenario, runLabel(meta, r.scenario), modelOf(meta, r.scenario.model), meta.pd.landmarks.filter((l) => r.landmarks.includes(l.id)));
  lectureHooks?.rendered(r); // issue 12
}

// ---------- CSHT ----------

const cshtCache = new Map<string, Promise<CshtCurves>>();

/** A pinned scenario's curves (computed once per pin). */
function pinCsht(p: Scenario): Promise<CshtCurves> {
  const key = JSON.stringify(p);
  let c = cshtCache.get(key);
  if (!c) {
    c = cshtEngine.cshtCurves(p);
    c.catch(() => cshtCache.delete(key));
    cshtCache.set(key, c);
  }
  return c;
}

let cshtTimer = 0;
/** The CSHT chart follows the scenario once edits pause (the curves take a few hundred ms). */
function scheduleCsht(): void {
  clearTimeout(cshtTimer);
  cshtTimer = window.setTimeout(() => void updateCsht(seq), 250);
}

async function updateCsht(my: number): Promise<void> {
  if (!current()) return;
  const sc = st.scenario;
  const pins = st.pins;
  let cur: CshtCurves;
  let pinned: CshtCurves[];
  try {
    [cur, ...pinned] = await Promise.all([cshtEngine.cshtCurves(sc), ...pins.map(pinCsht)]);
  } catch (e) {
    if (my !== seq) return;
    $('err-csht').textContent = `The CSHT curves could not be computed: ${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  if (my !== seq) return; // a newer scenario follows
  $('err-csht').textContent = '';
  lastCsht = { curves: cur, pins: pinned, seq: my };
  const name = (id: string) => modelOf(meta, id)?.name ?? id;
  const runOfCsht = (c: CshtCurves, label: string, recovery: boolean): CshtRun => ({
    label,
    t: c.durations_min,
    halfTime: c.half_time_min,
    recovery: recovery ? c.recovery_min : null,
  });
  cshtChart.update(
    runOfCsht(cur, `${name(cur.model_id)}, ${sc.patient.weight_kg} kg`, cur.hold_ng_per_ml > cur.threshold_ng_per_ml),
    pinned.map((c, i) => runOfCsht(c, `Pin ${i + 1}: ${name(c.model_id)}, ${pins[i].patient.weight_kg} kg`, false)),
  );
  $('csht-note').innerHTML =
    `Solid: the textbook context-sensitive half-time — the plasma level held constant for the infusion’s duration, then the time for it to halve (Hughes, Glass &amp; Jacobs, <i>Anesthesiology</i> 1992;76:334). ` +
    (cur.hold_ng_per_ml > cur.threshold_ng_per_ml
      ? `Dashed: time to fall below the recovery threshold ${num3(cur.threshold_ng_per_ml)} ng/mL (effect site) after holding ${num3(cur.hold_ng_per_ml)} ng/mL — from ${cur.hold_from}.`
      : `No recovery curve: the level held, ${num3(cur.hold_ng_per_ml)} ng/mL (${cur.hold_from}), is not above the recovery threshold ${num3(cur.threshold_ng_per_ml)} ng/mL.`) +
    (pinned.length ? ' Dashed in colour: the pinned runs’ models.' : '');
  window.__ketasim.cshtRenders++;
}

// ---------- population ----------

/** What varies between the virtual patients of the current model. */
function variabilityNote(): string {
  const m = modelOf(meta, st.scenario.model);
  const varied = (m?.params ?? []).filter((p) => (p.omega2 ?? 0) > 0);
  const spec = st.scenario.population ?? meta.defaults.population;
  const cv = spec.weight_cv_percent;
  const weight =
    (cv === 0 ? 'no body weight spread' : `body weight log-normal around the patient’s, CV ${cv} % [ASSUMPTION]`) +
    (spec.female_percent == null ? '' : `, ${spec.female_percent} % women (matters where the model has a sex covariate)`);
  const tci = st.scenario.regimen.some((it) => it.kind === 'tci')
    ? ' Every virtual patient gets the same pump profile: the pump’s rates are computed once, for the typical patient, as a real pump knows only the published model.'
    : '';
  const what = whatIfNote(meta, st.scenario);
  const extra = tci + (what ? ` ${what}` : '');
  if (varied.length) {
    return `Varies: ${varied.map((p) => p.symbol).join(', ')} with the published between-subject variance (${m?.name ?? ''}), and ${weight}.${extra}`;
  }
  const others = meta.models.filter((x) => x.params.some((p) => (p.omega2 ?? 0) > 0)).map((x) => x.name);
  return `${m?.population_variation.statement ?? ''} Here: ${weight}. Models with published variances: ${others.join('; ')}.${extra}`;
}

function clearPopulation(): void {
  lastPop = null;
  charts?.setPopulation(null);
  $('pop-panel').hidden = true;
}

/** Bands follow the typical curve: the population runs after it, latest request wins. */
async function updatePopulation(my: number, t0 = performance.now()): Promise<void> {
  if (!st.view.popOn || !current()) return clearPopulation();
  const sc: Scenario = { ...st.scenario, population: st.scenario.population ?? meta.defaults.population };
  let bands;
  try {
    bands = await pool.runLatest(sc);
  } catch (e) {
    if (my !== seq) return;
    popError = (e instanceof EngineFailure ? e : new EngineFailure({ message: String(e) })).message;
    clearPopulation();
    showState();
    return;
  }
  if (!bands || my !== seq || !st.view.popOn) return; // superseded, or switched off meanwhile
  // a worker replaced after a trap is said until the next change; a failed subject with the bands
  popError = popRetriedSeq === seq ? popError : '';
  $('err-pop').textContent = popError;
  lastPop = { bands, scenario: sc };
  charts.setPopulation({
    t: bands.layout.t_min,
    size: bands.layout.size,
    series: new Map(bands.bands.map((b) => [b.quantity.key, b.series])),
    umPerNg: new Map(bands.bands.filter((b) => b.quantity.um_per_ng_per_ml != null).map((b) => [b.quantity.key, b.quantity.um_per_ng_per_ml!])),
  });
  const panel = $('pop-panel');
  panel.hidden = false;
  renderPopulation(panel, bands, variabilityNote(), sc.population!.seed);
  perf.population.push({ size: bands.layout.size, workers: bands.workers, ...bands.timing, drawnMs: performance.now() - t0 });
  if (perf.population.length > 500) perf.population.shift();
  window.__ketasim.populationRenders++;
}

// ---------- pins ----------

function renderPins(): void {
  $('pins').innerHTML = st.pins
    .map(
      (p, i) =>
        `<li><svg class="swatch" viewBox="0 0 28 8" aria-hidden="true"><line x1="0" y1="4" x2="28" y2="4" stroke="${COLORS.pins[i % COLORS.pins.length]}" stroke-width="2.5" stroke-dasharray="${COLORS.pinDash[i % COLORS.pinDash.length].join(' ')}"/></svg>Pin ${i + 1}: ${escHtml(runLabel(meta, p))} <button type="button" data-unpin="${i}" aria-label="Remove pinned run ${i + 1}">remove</button></li>`,
    )
    .join('');
  applyCss($('pins'));
}

async function loadPins(): Promise<void> {
  const runs: Run[] = [];
  const kept: Scenario[] = [];
  for (const p of st.pins) {
    try {
      runs.push(runOf((await engine.simulateOnce(p)).result, runLabel(meta, p)));
      kept.push(p);
    } catch (e) {
      notice = `A pinned run of the link could not be simulated and was left out: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  st = { ...st, pins: kept };
  pinRuns = runs;
  renderPins();
}

/**
 * A link's state with what this version cannot show replaced by the engine (an unknown model,
 * effect-site endpoint or choice: the default, with a note each); pins likewise.
 */
async function fromLink(state: PageState): Promise<{ state: PageState; notes: string[] }> {
  const fix = async (s: Scenario): Promise<{ scenario: Scenario; notes: string[] }> => {
    try {
      const f = await engine.linkFallback(s);
      return { scenario: f.scenario, notes: f.notes };
    } catch {
      return { scenario: s, notes: [] }; // validation names the problem
    }
  };
  const main = await fix(state.scenario);
  const pins = await Promise.all(state.pins.map(fix));
  return {
    state: { ...state, scenario: main.scenario, pins: pins.map((p) => p.scenario) },
    notes: [...main.notes, ...pins.flatMap((p) => p.notes.map((n) => `Pinned run: ${n}`))],
  };
}

// ---------- actions ----------

function loadPreset(id: string): void {
  const p = meta.presets.find((x) => x.id === id);
  if (!p) return;
  formatErrors.clear();
  engineError = null;
  commit({
    scenario: { ...structuredClone(p.scenario), population: st?.scenario.population ?? meta.defaults.population },
    view: { ...(st?.view ?? defaultView(id)), preset: id, session: 0, span: null },
    pins: st?.pins ?? [],
  });
}

async function adapt(kind: 'route' | 'model' | 'step', value: string): Promise<void> {
  // the shown run is not of the inputs any more, and an edit made meanwhile (a preset) wins
  const my = ++seq;
  showState();
  try {
    const a =
      kind === 'route'
        ? await engine.withRoute(st.scenario, value as never)
        : kind === 'step'
          ? await engine.withStep(st.scenario, value as DoseKind)
          : await engine.withModel(st.scenario, value).catch((e) => {
              // a user's model the engine cannot read (a link): switch as if from the built-in one
              if (!st.scenario.model_spec) throw e;
              const { model_spec: _dropped, ...built } = st.scenario;
              return engine.withModel({ ...built, model: value }, value);
            });
    if (my !== seq) return;
    engineError = null;
    const scenario = { ...st.scenario, model: a.model, regimen: a.regimen };
    if (kind === 'model') delete scenario.model_spec; // a built-in model: the user's is dropped
    commit({ ...st, scenario });
    if (a.note) {
      notice = a.note + '.';
      toast(notice);
      showState();
    }
  } catch (e) {
    if (my !== seq) return;
    engineError = e instanceof EngineFailure ? e : new EngineFailure({ message: String(e) });
    syncControls(meta, st);
    showState();
  }
}

/** A simulated time span: the engine chooses the horizon and output step. */
async function applySpan(id: string): Promise<void> {
  const my = ++seq;
  showState();
  try {
    const t = await engine.withSpan(st.scenario, id);
    if (my !== seq) return;
    engineError = null;
    commit({ ...st, scenario: { ...st.scenario, horizon_min: t.horizon_min, output_step_min: t.output_step_min }, view: { ...st.view, span: id } });
  } catch (e) {
    if (my !== seq) return;
    engineError = e instanceof EngineFailure ? e : new EngineFailure({ message: String(e) });
    syncControls(meta, st);
    showState();
  }
}

async function openModelPanel(): Promise<void> {
  if (st.scenario.model_spec) return userModels.openPanel();
  const m = modelOf(meta, st.scenario.model);
  if (!m) return;
  const w = st.scenario.patient.weight_kg;
  let info = m;
  let csht: { duration: number; csht: number }[] = [];
  try {
    info = (await engine.models(w)).find((x) => x.id === m.id) ?? m;
    const durations = [10, 40, 60, 120, 240, 480];
    const c = await engine.csht(m.id, w, durations);
    csht = durations.map((d, i) => ({ duration: d, csht: c[i] }));
  } catch (e) {
    showMessage(e instanceof EngineFailure ? e.field : undefined, e instanceof Error ? e.message : String(e));
  }
  const mon = shown?.result.monitoring;
  renderPanel($('model-panel'), info, meta.pd, info.derived.weight_kg, st.scenario.pd.ke0_endpoint, csht, mon ? calibrationHtml(mon.calibration, mon.sources) + sourcesHtml(mon.sources) : '');
  userModels.decoratePanel($('model-panel'));
  $<HTMLDialogElement>('model-dialog').showModal();
}

// ---------- issue 12: lecture mode ----------

/** A lecture scene's scenario, loaded as a preset is (the same commit); no pins, its population on or off. */
function loadScenario(scenario: Scenario, popOn: boolean): void {
  formatErrors.clear();
  engineError = null;
  pinRuns = [];
  commit({ scenario: structuredClone(scenario), view: { ...st.view, preset: 'lecture', session: 0, span: null, hidden: [], popOn }, pins: [] });
  renderPins();
  if (popOn) pool.warm();
}

// ---------- start ----------

async function start(): Promise<void> {
  const t0 = performance.now();
  const [presets, models, pd, limits, defaults] = await Promise.all([
    engine.presets(),
    engine.models(70),
    engine.pdTables(),
    engine.limits(),
    engine.defaults(),
  ]);
  meta = { presets, models, pd, limits, defaults };
  renderStatic(meta);
  userModels.mount();
  charts = new Charts($('chart-conc'), $('chart-occ'), $('chart-pump'), $('tooltip'), pd.landmarks);
  cshtChart = new CshtChart($('chart-csht'));
  vitalsChart = new VitalsChart($('chart-vitals'));

  const decoded = decodeLink(location.hash, defaultView(defaults.preset));
  if (decoded.kind === 'state') {
    const { state, notes } = await fromLink(decoded.state);
    st = state;
    syncControls(meta, st);
    await loadPins();
    if (notes.length) notice = [...notes, notice].filter(Boolean).join(' ');
  } else {
    loadPreset(decoded.kind === 'preset' && presets.some((p) => p.id === decoded.id) ? decoded.id : defaults.preset);
    if (decoded.kind === 'error') notice = decoded.message;
    if (decoded.kind === 'preset' && !presets.some((p) => p.id === decoded.id)) notice = `Unknown preset “${decoded.id}” in the link: showing the default.`;
  }

  bindControls(meta, () => st, {
    edit: (edits) => {
      let sc = st.scenario;
      for (const [path, value] of edits) {
        sc = withField(sc, path, value);
        // a replaced step (or list of steps) takes the typing errors of its old controls with it
        if (value === undefined || typeof value === 'object') {
          for (const k of [...formatErrors.keys()]) if (k === path || k.startsWith(path + '.') || k.startsWith(path + '[')) formatErrors.delete(k);
        }
      }
      // the controls first (a kind change removes a control, and its typing error with it)
      commit({ ...st, scenario: sc });
    },
    formatError: (path, message) => {
      const had = formatErrors.size;
      popError = '';
      if (message === null) formatErrors.delete(path);
      else formatErrors.set(path, message);
      if (formatErrors.size !== had || message !== null) {
        seq++;
        showState();
        if (formatErrors.size === 0) void update();
      }
    },
    waiting,
    route: (r) => void adapt('route', r),
    model: (m) => void adapt('model', m),
    addStep: (k) => adapt('step', k),
    preset: loadPreset,
    view: setView,
    span: (id) => void applySpan(id),
  });
  bindVitals({
    show: (vitals) => setView({ vitals }),
    curve: (c) => commit({ ...st, scenario: withField(st.scenario, 'vitals.curve', c) }),
  });
  $('sessions').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-s]');
    if (b) setView({ session: Number(b.dataset.s) });
  });
  $('btn-share').addEventListener('click', async () => {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      toast('Link copied: it restores the scenario, the view and the pinned runs.');
    } catch {
      toast(url);
    }
  });
  $('btn-csv').addEventListener('click', async () => {
    try {
      downloadCsv(`ketasim-${st.view.preset}-${st.scenario.model}.csv`, await engine.csv(st.scenario));
    } catch (e) {
      showMessage(e instanceof EngineFailure ? e.field : undefined, e instanceof Error ? e.message : String(e));
    }
  });
  $('btn-png').addEventListener('click', () => {
    const [conc, ...rest] = charts.exportParts();
    const vit = vitalsChart.exportPart();
    const c = cshtChart.exportPart();
    const whatIf = whatIfNote(meta, st.scenario);
    const notes = [
      ...(whatIf ? [whatIf] : []),
      ...(shown ? [`Blood pressure and heart rate: ${shown.result.monitoring.label}, not a published model (${shown.result.monitoring.vitals.map((v) => `${v.sign}: ${v.mode.replace('_', '-')}`).join(', ')}).`] : []),
    ];
    exportPng([conc, ...rest, ...(vit ? [vit] : []), ...(c ? [c] : [])].filter((x) => !!x), runLabel(meta, st.scenario), `ketasim-${st.view.preset}.png`, notes);
  });
  $('btn-model').addEventListener('click', () => void openModelPanel());
  lectureHooks = initLecture({ engine, charts: () => charts, loadScenario, shown: () => (shown ? { result: shown.result, current: current() } : null), toast }); // issue 12
  $('btn-pin').addEventListener('click', () => {
    if (!shown || !current()) return toast('Nothing current to pin: wait for the run, or correct the input.');
    const pins = [...st.pins, shown.result.scenario].slice(-MAX_PINS);
    pinRuns = [...pinRuns, runOf(shown.result, runLabel(meta, shown.result.scenario))].slice(-MAX_PINS);
    st = { ...st, pins };
    link();
    renderPins();
    render(shown.result);
    scheduleCsht();
  });
  $('pins').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-unpin]');
    if (!b) return;
    const i = Number(b.dataset.unpin);
    st = { ...st, pins: st.pins.filter((_, k) => k !== i) };
    pinRuns = pinRuns.filter((_, k) => k !== i);
    link();
    renderPins();
    if (shown) render(shown.result);
    scheduleCsht();
  });
  window.addEventListener('hashchange', () => {
    if (location.hash === encodeLink(st)) return;
    const d = decodeLink(location.hash, st.view);
    if (d.kind === 'state') {
      formatErrors.clear();
      void fromLink(d.state).then(({ state, notes }) => {
        commit(state);
        if (notes.length) notice = notes.join(' ');
        showState();
        void loadPins().then(() => shown && render(shown.result));
      });
    } else if (d.kind === 'preset') loadPreset(d.id);
  });

  if (decoded.kind === 'state') {
    seq++;
    link();
    await update();
  } else {
    await new Promise((r) => setTimeout(r, 0));
    while (!shown && !engineError) await new Promise((r) => setTimeout(r, 10));
  }
  window.__ketasim.ready = true;
  trackStickyChart($('conc-wrap'));
  // printing (print.css): the charts at a size that fits one page, and back afterwards
  const print = matchMedia('print');
  print.addEventListener('change', () => charts.setPrinting(print.matches));
  window.addEventListener('beforeprint', () => charts.setPrinting(true));
  window.addEventListener('afterprint', () => charts.setPrinting(false));
  registerServiceWorker();
  console.info(`ketasim: first render ${(performance.now() - t0).toFixed(0)} ms after start`);
}

window.__ketasim = {
  perf,
  ready: false,
  renders: 0,
  state: () => st,
  shown: () => (shown ? { result: shown.result, current: current() } : null),
  simulate: async (s) => (await engine.simulateOnce(s)).result,
  population: () => lastPop,
  csht: () => (lastCsht ? { curves: lastCsht.curves, pins: lastCsht.pins, isCurrent: lastCsht.seq === seq } : null),
  cshtRenders: 0,
  concAxis: () => charts.concAxis(),
  chartLabels: () => charts.labelBoxes(),
  runPopulation: (s, workers) => pool.run(s, workers),
  populationRenders: 0,
  trapEngine: () => engine.trapForTests(),
  trapPopulation: (i) => pool.trapForTests(i),
  replacements: () => ({ engine: engine.replacements, population: pool.replacements }),
};
start().catch((e) => {
  $('err-general').textContent = `The simulator could not start: ${e instanceof Error ? e.message : String(e)}`;
});
