// Page wiring: controls → scenario → engine (worker) → charts, readouts, timeline.
import './style.css';
import { Engine, EngineFailure } from './engine/client';
import type { ModelInfo, PdTables, Preset, Scenario, SimResult } from './engine/types';
import { COLORS, Charts, formatTime, type Run } from './ui/charts';
import { PopulationPool, type PopulationBands } from './engine/population';
import { renderPopulation } from './ui/population';
import { renderPanel, badge } from './ui/panel';
import {
  type AppState,
  DEFAULT_PRESET,
  buildScenario,
  decodeState,
  encodeState,
  isInfusion,
  sessionStarts,
  routeInfo,
  stateFromPreset,
  withPopulation,
} from './ui/state';
import { renderTimeline, sessionView } from './ui/timeline';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Measurements the e2e test reads (and anyone can, from the console). */
interface PerfLog {
  firstRenderMs: number | null;
  /**
   * Per update: time in the engine (inside the worker), from the input event until the charts
   * are redrawn (worker round trip + readouts + uPlot), and until the next animation frame.
   */
  updates: { engineMs: number; resultMs: number; drawnMs: number; frameMs: number }[];
  /**
   * Per population update: subjects, workers, time in the pool (simulate + percentile phases),
   * and from the input event until the bands are drawn.
   */
  population: { size: number; workers: number; totalMs: number; simulateMs: number; statsMs: number; drawnMs: number }[];
}
declare global {
  interface Window {
    __ketasim: {
      perf: PerfLog;
      ready: boolean;
      renders: number;
      state: () => AppState;
      simulate: (s: Scenario) => Promise<SimResult>;
      /** Bands drawn last (null when none), and the scenario they came from. */
      population: () => { bands: PopulationBands; scenario: Scenario } | null;
      /** Runs a population on up to `workers` workers without drawing it. */
      runPopulation: (s: Scenario, workers?: number) => Promise<PopulationBands>;
      populationRenders: number;
    };
  }
}
const perf: PerfLog = { firstRenderMs: null, updates: [], population: [] };

const engine = new Engine();
const pool = new PopulationPool();
let lastPop: { bands: PopulationBands; scenario: Scenario } | null = null;
let presets: Preset[] = [];
let models: ModelInfo[] = [];
let pd: PdTables;
let state: AppState;
let last: { result: SimResult; state: AppState } | null = null;
const pins: (Run & { state: AppState })[] = [];
let charts: Charts;

const FIELD_ERR: Record<string, string> = {
  'patient.weight_kg': 'err-weight',
  'patient.age_years': 'err-age',
  'regimen[0].dose_mg_per_kg': 'err-dose',
  'regimen[0].dose_mg': 'err-dose',
  'regimen[1].dose_mg': 'err-dose',
  'regimen[0].route': 'err-route',
  'regimen[0].duration_min': 'err-duration',
  'pd.recovery_threshold_ng_per_ml': 'err-recovery',
  'pd.binding.half_time_min': 'err-binding',
  model: 'err-model',
  'pd.ke0_endpoint': 'err-ke0',
  'population.size': 'err-pop',
  'population.seed': 'err-pop',
  'population.weight_cv_percent': 'err-pop',
  'population.female_fraction': 'err-pop',
};

function preset(): Preset {
  return presets.find((p) => p.id === state.preset) ?? presets[0];
}

function model(): ModelInfo | undefined {
  return models.find((m) => m.id === state.model);
}

const ROUTE_NAMES: Record<string, string> = {
  iv: 'Intravenous (IV)',
  im: 'Intramuscular (IM)',
  oral: 'Oral',
  sublingual: 'Sublingual',
  intranasal: 'Intranasal (nasal spray)',
};

/** The device of the current route (nasal spray), if dosing is in whole devices. */
function device() {
  return routeInfo(model(), state.route)?.device ?? null;
}

function toast(msg: string): void {
  const t = $('toast');
  t.textContent = msg;
  t.classList.add('show');
  setTimeout(() => t.classList.remove('show'), 2200);
}

function clearErrors(): void {
  for (const id of [...new Set(Object.values(FIELD_ERR)), 'err-general']) if (id !== 'err-pop') $(id).textContent = '';
  document.querySelectorAll('.ctl.invalid').forEach((c) => c.classList.remove('invalid'));
}

function showError(e: unknown): void {
  const err = e instanceof EngineFailure ? e : new EngineFailure({ message: String(e) });
  const target = err.field ? FIELD_ERR[err.field] : undefined;
  const el = $(target ?? 'err-general');
  el.textContent = err.message;
  el.closest('.ctl')?.classList.add('invalid');
}

// ---------- controls ----------

function bindPair(rangeId: string, numberId: string, key: () => 'weightKg' | 'doseMgPerKg' | 'durationMin' | 'devices'): void {
  const range = $<HTMLInputElement>(rangeId);
  const num = $<HTMLInputElement>(numberId);
  range.addEventListener('input', () => {
    num.value = range.value;
    setState({ [key()]: Number(range.value) });
  });
  num.addEventListener('input', () => {
    const v = num.value.trim() === '' ? NaN : Number(num.value);
    if (Number.isFinite(v)) range.value = String(v);
    setState({ [key()]: v });
  });
}

function syncControls(): void {
  const p = preset();
  $<HTMLInputElement>('weight').value = String(state.weightKg);
  $<HTMLInputElement>('weight-range').value = String(state.weightKg);
  const m = model();
  if (m && !routeInfo(m, state.route)) state.route = 'iv';
  $<HTMLInputElement>('age').value = String(state.ageYears);
  $<HTMLSelectElement>('sex').value = state.sex;
  $<HTMLSelectElement>('race').value = state.race;
  const covs = [...new Set((m?.covariates ?? []).map((c) => `${c.param} (${c.effect.kind.replace('_', ' ')})`))];
  $('cov-help').textContent = covs.length
    ? `This model's covariates: ${covs.join(', ')}.`
    : 'This model has no age, sex or race covariates.';
  $('route').innerHTML = (m?.routes ?? [])
    .map((r) => `<option value="${r.route}">${ROUTE_NAMES[r.route] ?? r.route}</option>`)
    .join('');
  $<HTMLSelectElement>('route').value = state.route;
  $('route-help').textContent = routeInfo(m, state.route)?.note ?? '';
  const dev = device();
  const dose = $<HTMLInputElement>('dose');
  const doseRange = $<HTMLInputElement>('dose-range');
  if (dev) {
    $('dose-unit').textContent = `devices of ${dev.mg_per_device} mg (base)`;
    doseRange.min = '1';
    doseRange.max = String(dev.max_devices);
    doseRange.step = '1';
    dose.value = String(state.devices);
    doseRange.value = String(state.devices);
    $('dose-help').textContent = `${dev.max_devices * dev.mg_per_device} mg = ${dev.max_devices} devices; each device holds two sprays.`;
  } else {
    $('dose-unit').textContent = 'mg/kg (base)';
    doseRange.min = '0.05';
    doseRange.max = '3';
    doseRange.step = '0.05';
    dose.value = String(state.doseMgPerKg);
    doseRange.value = String(state.doseMgPerKg);
    $('dose-help').textContent = state.route === 'iv' ? 'Typical antidepressant dose 0.5 mg/kg.' : 'Oral: about 2–2.5 mg/kg is quoted as “≈ IV equivalent” (Andrade 2019).';
  }
  $<HTMLInputElement>('duration').value = String(state.durationMin);
  $<HTMLInputElement>('duration-range').value = String(state.durationMin);
  const inf = isInfusion(p, state);
  $('duration-ctl').classList.toggle('disabled', !inf);
  $<HTMLInputElement>('duration').disabled = !inf;
  $<HTMLInputElement>('duration-range').disabled = !inf;
  $<HTMLSelectElement>('model').value = state.model;
  $('analytes').innerHTML = (m?.analytes ?? [])
    .slice(1)
    .map(
      (a, i) =>
        `<label><input type="checkbox" data-analyte="${a.id}" ${state.hidden.includes(a.id) ? '' : 'checked'} /><span class="sw" style="background:${COLORS.extra[i % COLORS.extra.length]}"></span>${a.name}</label>`,
    )
    .join('');
  $<HTMLSelectElement>('ke0').value = state.ke0;
  $<HTMLSelectElement>('kiset').value = state.kiSet;
  $<HTMLInputElement>('recovery').value = String(state.recoveryNgPerMl);
  $<HTMLInputElement>('pop-on').checked = state.popOn;
  $<HTMLInputElement>('pop-size').value = String(state.popSize);
  $<HTMLInputElement>('pop-seed').value = String(state.popSeed);
  $<HTMLInputElement>('pop-wcv').value = String(state.popWeightCv);
  $<HTMLInputElement>('pop-women').value = Number.isNaN(state.popWomenPct) ? '' : String(state.popWomenPct);
  $('pop-help').textContent = 'Shaded: 5–95 % and 25–75 % of the virtual patients; dotted: their median. What varies is listed under the charts.';
  $<HTMLSelectElement>('binding-kind').value = state.kinetic ? 'kin' : 'eq';
  $<HTMLInputElement>('binding').disabled = !state.kinetic;
  $<HTMLInputElement>('binding').value = String(state.bindingHalfTimeMin);
  document.querySelectorAll<HTMLInputElement>('input[name=unit]').forEach((r) => (r.checked = r.value === state.unit));
  document.querySelectorAll<HTMLButtonElement>('#presets button').forEach((b) => {
    b.setAttribute('aria-checked', String(b.dataset.id === p.id));
    b.tabIndex = b.dataset.id === p.id ? 0 : -1;
  });
  $('preset-title').textContent = p.title + '.';
  $('preset-text').textContent = p.description;
  $('model-cite').innerHTML = m ? `${m.citation} ${[...new Set(m.params.map((q) => q.provenance))].map(badge).join(' ')}` : '';
  const e = pd.ke0Endpoints.find((x) => x.id === state.ke0);
  const override = m?.ke0_overrides.find(([id]) => id === state.ke0)?.[1];
  $('ke0-help').innerHTML = e
    ? `ke0 ${(override?.value ?? e.ke0PerMin).toFixed(3)} /min — ${override ? override.description : e.source} ${badge(override?.provenance ?? e.provenance)}`
    : '';
  const starts = sessionStarts(p);
  const sessions = $('sessions');
  sessions.hidden = starts.length < 2;
  if (starts.length >= 2) {
    sessions.innerHTML =
      `<span>Zoom:</span><button type="button" data-s="0" aria-pressed="${state.session === 0}">Whole course</button>` +
      starts.map((s, i) => `<button type="button" data-s="${i + 1}" aria-pressed="${state.session === i + 1}" title="Session ${i + 1} starts on day ${(s / 1440).toFixed(2)}">Session ${i + 1}</button>`).join('');
  }
}

function setState(patch: Partial<AppState>, opts: { sync?: boolean } = {}): void {
  state = { ...state, ...patch };
  if (opts.sync) syncControls();
  history.replaceState(null, '', encodeState(state));
  void update();
}

function choosePreset(id: string): void {
  const p = presets.find((x) => x.id === id);
  if (!p) return;
  state = stateFromPreset(p, state);
  syncControls();
  history.replaceState(null, '', encodeState(state));
  void update();
}

// ---------- simulation → view ----------

async function update(): Promise<void> {
  const t0 = performance.now();
  const p = preset();
  const scenario = buildScenario(p, state, model());
  let out;
  try {
    out = await engine.simulateLatest(scenario);
  } catch (e) {
    clearErrors();
    showError(e);
    return;
  }
  if (!out) return; // superseded by a newer request
  const resultMs = performance.now() - t0;
  clearErrors();
  last = { result: out.result, state: { ...state } };
  render(out.result);
  const drawnMs = performance.now() - t0;
  const engineMs = out.engineMs;
  void updatePopulation(scenario, t0);
  requestAnimationFrame(() => {
    const frameMs = performance.now() - t0;
    if (perf.firstRenderMs === null) perf.firstRenderMs = performance.now();
    perf.updates.push({ engineMs, resultMs, drawnMs, frameMs });
    if (perf.updates.length > 500) perf.updates.shift();
    window.__ketasim.renders++;
    $('perf').textContent = `Last update: engine ${engineMs.toFixed(2)} ms; input → charts redrawn ${drawnMs.toFixed(1)} ms (wasm in a Web Worker).`;
  });
}

/** What varies between the virtual patients of the current model. */
function variabilityNote(): string {
  const m = model();
  const varied = (m?.params ?? []).filter((p) => (p.omega2 ?? 0) > 0);
  const cv = Number.isFinite(state.popWeightCv) ? state.popWeightCv : 20;
  const weight =
    (cv === 0 ? 'no body weight spread' : `body weight log-normal around the patient’s, CV ${cv} % [ASSUMPTION]`) +
    (Number.isNaN(state.popWomenPct) ? '' : `, ${state.popWomenPct} % women (matters where the model has a sex covariate)`);
  if (varied.length) {
    return `Varies: ${varied.map((p) => p.symbol).join(', ')} with the published between-subject variance (${m?.name ?? ''}), and ${weight}.`;
  }
  const others = models.filter((x) => x.params.some((p) => (p.omega2 ?? 0) > 0)).map((x) => x.name);
  return `${m?.name ?? 'This model'} publishes no between-subject variances: only ${weight} varies, so the bands are narrow. Models with published variances: ${others.join('; ')}.`;
}

/** Removes the bands and the population panel, showing `message` (if any) by the controls. */
function clearPopulation(message = ''): void {
  lastPop = null;
  charts.setPopulation(null);
  $('pop-panel').hidden = true;
  $('err-pop').textContent = message;
}

/** Bands follow the typical curve: the population runs after it, latest request wins. */
async function updatePopulation(scenario: Scenario, t0: number): Promise<void> {
  if (!state.popOn) return clearPopulation();
  // whole numbers are a format matter, checked here; ranges are the engine's to check
  const whole = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (!whole(state.popSize, 1)) return clearPopulation('population.size: give a whole number of virtual patients.');
  if (!whole(state.popSeed, 0)) return clearPopulation('population.seed: give a whole number, 0 or more.');
  const sc = withPopulation(scenario, state);
  let bands;
  try {
    bands = await pool.runLatest(sc);
  } catch (e) {
    return clearPopulation((e instanceof EngineFailure ? e : new EngineFailure({ message: String(e) })).message);
  }
  if (!bands || !state.popOn) return; // superseded, or switched off meanwhile
  $('err-pop').textContent = '';
  lastPop = { bands, scenario: sc };
  const panel = $('pop-panel');
  charts.setPopulation({
    t: bands.layout.tMin,
    size: bands.layout.size,
    series: new Map(bands.bands.map((b) => [b.quantity.key, b.series])),
  });
  panel.hidden = false;
  renderPopulation(panel, bands, variabilityNote(), sc.population.seed);
  const drawnMs = performance.now() - t0;
  perf.population.push({ size: bands.layout.size, workers: bands.workers, ...bands.timing, drawnMs });
  if (perf.population.length > 500) perf.population.shift();
  window.__ketasim.populationRenders++;
}

function mainRun(r: SimResult, label: string): Run {
  const a = r.analytes[0];
  return {
    label,
    name: a.name,
    extra: r.analytes.slice(1).map((x) => ({ id: x.id, name: x.name, cp: x.cpNgPerMl, mwGPerMol: x.mwGPerMol })),
    t: r.tMin,
    cp: a.cpNgPerMl,
    ce: a.ceNgPerMl,
    occ: r.occupancy,
    mwGPerMol: a.mwGPerMol,
  };
}

/** "0.5 mg/kg", "2 devices (56 mg)" */
function doseLabel(s: AppState): string {
  const dev = routeInfo(models.find((m) => m.id === s.model), s.route)?.device;
  return dev
    ? `${s.devices} device${s.devices === 1 ? '' : 's'} (${s.devices * dev.mg_per_device} mg)`
    : `${s.doseMgPerKg} mg/kg`;
}

function runLabel(s: AppState): string {
  const p = presets.find((x) => x.id === s.preset);
  const inf = p && isInfusion(p, s);
  return `${s.model} · ${s.route} ${doseLabel(s)}${inf ? ` / ${s.durationMin} min` : ''} · ${s.weightKg} kg`;
}

function render(r: SimResult): void {
  const p = preset();
  const m = r.metrics;
  const a = m.analytes[0];
  const unitNg = state.unit === 'ng';
  const mw = r.analytes[0].mwGPerMol;
  const conc = (ng: number) => (unitNg ? `${ng.toPrecision(3)} ng/mL` : `${(ng / mw).toPrecision(3)} µM`);
  const conc2 = (ng: number, w: number) => (unitNg ? `${ng.toPrecision(3)} ng/mL` : `${(ng / w).toPrecision(3)} µM`);
  const starts = sessionStarts(p);
  const span = r.tMin[r.tMin.length - 1];
  const t = (min: number) => (span > 4 * 1440 ? `day ${(min / 1440).toFixed(2)}` : `${formatTime(min, 0)} min`);
  const rec = m.recovery;
  $('readouts').innerHTML = `
    <div><dt>Peak plasma Cmax</dt><dd>${conc(a.cmaxNgPerMl)}</dd><small>at ${t(a.tmaxMin)}</small></div>
    <div><dt>Peak effect site</dt><dd>${conc(a.ceMaxNgPerMl)}</dd><small>at ${t(a.ceTmaxMin)}</small></div>
    <div><dt>Time in dissociative band</dt><dd>${Math.round(m.dissociativeBandMin)} min</dd><small>Ce 100–250 ng/mL</small></div>
    <div><dt>Ce below ${rec.thresholdNgPerMl} ng/mL</dt><dd>${rec.afterLastInputMin === null ? 'not yet' : Math.round(rec.afterLastInputMin) + ' min'}</dd><small>after the dose ended</small></div>
    <div><dt>Peak NMDA occupancy</dt><dd>${(m.occupancyMax * 100).toFixed(0)} %</dd><small>model-derived</small></div>
    <div><dt>Dose</dt><dd>${(m.administeredMg / Math.max(1, starts.length)).toFixed(1)} mg</dd><small>${starts.length > 1 ? `per session × ${starts.length}` : doseLabel(state)}</small></div>`;
  $('metab').innerHTML = m.analytes
    .slice(1)
    .map((x, i) => `${r.analytes[i + 1].name}: peak ${conc2(x.cmaxNgPerMl, r.analytes[i + 1].mwGPerMol)} at ${t(x.tmaxMin)}`)
    .join(' · ');

  // timeline of one session (the zoomed one, or the first)
  const k = state.session > 0 ? state.session - 1 : 0;
  const start = starts[Math.min(k, starts.length - 1)];
  const inf = isInfusion(p, state);
  const dev = device();
  const nDev = dev ? Math.max(1, Math.round(state.devices)) : 0;
  const end = start + (inf ? state.durationMin : dev ? (nDev - 1) * dev.interval_min : 0);
  const until = k + 1 < starts.length ? starts[k + 1] : span;
  const diss = pd.landmarks.find((l) => l.id === 'dissociative');
  const sv = sessionView(r.tMin, r.analytes[0].ceNgPerMl, start, end, until, state.recoveryNgPerMl, [diss?.lowNgPerMl ?? 100, diss?.highNgPerMl ?? 250]);
  renderTimeline($('timeline'), {
    start,
    end,
    readyAt: sv.readyAt,
    dissociation: sv.dissociation,
    kindLabel: inf ? 'Infusion' : { iv: 'IV injection', im: 'IM injection', oral: 'Oral dose', sublingual: 'Sublingual', intranasal: 'Nasal spray' }[state.route],
    kindDetail: inf
      ? `${Math.round(state.durationMin)} min · vitals monitored`
      : dev
        ? `${nDev} device${nDev > 1 ? 's' : ''}, ${dev.interval_min} min apart`
        : state.route === 'iv'
          ? 'bolus'
          : 'absorbed over the following hour(s)',
    doseText: dev
      ? `${nDev} × ${dev.mg_per_device} mg = ${nDev * dev.mg_per_device} mg`
      : `${state.doseMgPerKg} mg/kg × ${state.weightKg} kg = ${(state.doseMgPerKg * state.weightKg).toFixed(1)} mg`,
    thresholdNgPerMl: state.recoveryNgPerMl,
  });

  const xRange: [number, number] | null =
    starts.length > 1 && state.session > 0 ? [Math.max(0, start - 30), Math.min(span, end + 300)] : null;
  charts.update(mainRun(r, 'current'), pins, state.unit, xRange, state.hidden);
  if (r.warnings.length) $('err-general').textContent = r.warnings.join('; ');
}

function renderPins(): void {
  $('pins').innerHTML = pins
    .map(
      (p, i) =>
        `<li><span class="swatch" style="border-color:var(--pin${i})"></span>${p.label} <button type="button" data-unpin="${i}" aria-label="Remove pinned run ${i + 1}">remove</button></li>`,
    )
    .join('');
}

// ---------- actions ----------

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function exportCsv(): Promise<void> {
  try {
    const csv = await engine.csv(buildScenario(preset(), state, model()));
    download(`ketasim-${state.preset}-${state.model}.csv`, new Blob([csv], { type: 'text/csv' }));
  } catch (e) {
    showError(e);
  }
}

function exportPng(): void {
  const cs = charts.canvases();
  if (!cs.length) return;
  const pad = 16;
  const head = 56;
  const width = Math.max(...cs.map((c) => c.width)) + 2 * pad;
  const height = cs.reduce((h, c) => h + c.height + pad, head + pad) + 28;
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#111827';
  ctx.font = `bold ${20 * devicePixelRatio}px system-ui, sans-serif`;
  ctx.fillText(`Ketamine PK/PD simulator — ${runLabel(state)}`, pad, 28 * devicePixelRatio);
  ctx.font = `${13 * devicePixelRatio}px system-ui, sans-serif`;
  ctx.fillText('Educational model, not dosing advice. Occupancy is model-derived.', pad, 48 * devicePixelRatio);
  let y = head + pad;
  for (const c of cs) {
    ctx.drawImage(c, pad, y);
    y += c.height + pad;
  }
  ctx.fillStyle = '#4b5563';
  ctx.fillText(location.href, pad, height - 10);
  out.toBlob((b) => b && download(`ketasim-${state.preset}.png`, b), 'image/png');
}

async function openModelPanel(): Promise<void> {
  const m = models.find((x) => x.id === state.model);
  if (!m) return;
  const weight = Number.isFinite(state.weightKg) && state.weightKg >= 1 && state.weightKg <= 250 ? state.weightKg : 70;
  let info = m;
  let csht: { duration: number; csht: number }[] = [];
  try {
    info = (await engine.models(weight)).find((x) => x.id === m.id) ?? m;
    const durations = [10, 40, 60, 120, 240, 480];
    const c = await engine.csht(m.id, weight, durations);
    csht = durations.map((d, i) => ({ duration: d, csht: c[i] }));
  } catch (e) {
    showError(e);
  }
  renderPanel($('model-panel'), info, pd, weight, state.ke0, csht);
  $<HTMLDialogElement>('model-dialog').showModal();
}

// ---------- start ----------

async function start(): Promise<void> {
  const t0 = performance.now();
  [presets, models, pd] = await Promise.all([engine.presets(), engine.models(70), engine.pdTables()]);
  const hashPreset = new URLSearchParams(location.hash.slice(1)).get('p') ?? DEFAULT_PRESET;
  const p = presets.find((x) => x.id === hashPreset) ?? presets.find((x) => x.id === DEFAULT_PRESET) ?? presets[0];
  state = decodeState(location.hash, stateFromPreset(p));
  if (!presets.some((x) => x.id === state.preset)) state.preset = p.id;

  $('presets').innerHTML = presets
    .map((q) => `<button type="button" role="radio" data-id="${q.id}" title="${q.title}: ${q.description}">${q.short}</button>`)
    .join('');
  $('presets').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-id]');
    if (b?.dataset.id) choosePreset(b.dataset.id);
  });
  $('presets').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const i = presets.findIndex((q) => q.id === state.preset);
    const j = (i + (e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : presets.length - 1)) % presets.length;
    choosePreset(presets[j].id);
    $('presets').querySelector<HTMLButtonElement>(`button[data-id="${presets[j].id}"]`)?.focus();
  });
  $('model').innerHTML = models
    .map((m) => `<option value="${m.id}" title="${m.citation}">${m.name}</option>`)
    .join('');
  $('ke0').innerHTML = pd.ke0Endpoints.map((e) => `<option value="${e.id}">${e.name}</option>`).join('');
  $('band-legend').innerHTML = pd.landmarks
    .filter((l) => l.band)
    .map(
      (l) =>
        `<li class="band-${l.id}" title="${l.name} (${l.matrix}): ${l.source} [${l.provenance}]"><b>${l.id}</b> ${l.lowNgPerMl}${l.highNgPerMl ? '–' + l.highNgPerMl : '+'} ng/mL · <span class="src">${l.source}</span> ${badge(l.provenance)}</li>`,
    )
    .join('');

  charts = new Charts($('chart-conc'), $('chart-occ'), $('tooltip'), pd.landmarks);
  bindPair('weight-range', 'weight', () => 'weightKg');
  bindPair('dose-range', 'dose', () => (device() ? 'devices' : 'doseMgPerKg'));
  bindPair('duration-range', 'duration', () => 'durationMin');
  $('age').addEventListener('input', (e) => {
    const v = (e.target as HTMLInputElement).value;
    setState({ ageYears: v.trim() === '' ? NaN : Number(v) });
  });
  $('sex').addEventListener('change', (e) => setState({ sex: (e.target as HTMLSelectElement).value as AppState['sex'] }));
  $('race').addEventListener('change', (e) => setState({ race: (e.target as HTMLSelectElement).value as AppState['race'] }));
  $('route').addEventListener('change', (e) => setState({ route: (e.target as HTMLSelectElement).value as AppState['route'] }, { sync: true }));
  $('analytes').addEventListener('change', (e) => {
    const box = e.target as HTMLInputElement;
    const id = box.dataset.analyte;
    if (!id) return;
    const hidden = state.hidden.filter((x) => x !== id);
    if (!box.checked) hidden.push(id);
    setState({ hidden });
  });
  $('model').addEventListener('change', (e) => setState({ model: (e.target as HTMLSelectElement).value }, { sync: true }));
  $('ke0').addEventListener('change', (e) => setState({ ke0: (e.target as HTMLSelectElement).value }, { sync: true }));
  $('kiset').addEventListener('change', (e) => setState({ kiSet: (e.target as HTMLSelectElement).value as AppState['kiSet'] }));
  $('binding-kind').addEventListener('change', (e) => {
    setState({ kinetic: (e.target as HTMLSelectElement).value === 'kin' }, { sync: true });
  });
  $('binding').addEventListener('input', (e) => {
    const v = (e.target as HTMLInputElement).value;
    setState({ bindingHalfTimeMin: v.trim() === '' ? NaN : Number(v) });
  });
  $('pop-on').addEventListener('change', (e) => {
    const on = (e.target as HTMLInputElement).checked;
    if (on) pool.warm();
    setState({ popOn: on });
  });
  for (const [id, key] of [
    ['pop-size', 'popSize'],
    ['pop-seed', 'popSeed'],
    ['pop-wcv', 'popWeightCv'],
    ['pop-women', 'popWomenPct'],
  ] as const) {
    $(id).addEventListener('input', (e) => {
      const v = (e.target as HTMLInputElement).value;
      setState({ [key]: v.trim() === '' ? NaN : Number(v) });
    });
  }
  $('recovery').addEventListener('input', (e) => {
    const v = (e.target as HTMLInputElement).value;
    setState({ recoveryNgPerMl: v.trim() === '' ? NaN : Number(v) });
  });
  document.querySelectorAll<HTMLInputElement>('input[name=unit]').forEach((r) =>
    r.addEventListener('change', () => setState({ unit: r.value as AppState['unit'] })),
  );
  $('sessions').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-s]');
    if (b) setState({ session: Number(b.dataset.s) }, { sync: true });
  });
  $('btn-share').addEventListener('click', async () => {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      toast('Link copied: it restores everything on this page.');
    } catch {
      toast(url);
    }
  });
  $('btn-csv').addEventListener('click', () => void exportCsv());
  $('btn-png').addEventListener('click', exportPng);
  $('btn-model').addEventListener('click', () => void openModelPanel());
  $('btn-pin').addEventListener('click', () => {
    if (!last) return;
    if (pins.length >= 4) pins.shift();
    pins.push({ ...mainRun(last.result, runLabel(last.state)), state: last.state });
    renderPins();
    render(last.result);
  });
  $('pins').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-unpin]');
    if (!b || !last) return;
    pins.splice(Number(b.dataset.unpin), 1);
    renderPins();
    render(last.result);
  });
  window.addEventListener('hashchange', () => {
    state = decodeState(location.hash, state);
    syncControls();
    void update();
  });

  syncControls();
  history.replaceState(null, '', encodeState(state));
  await update();
  window.__ketasim.ready = true;
  console.info(`ketasim: first render ${(performance.now() - t0).toFixed(0)} ms after start`);
}

window.__ketasim = {
  perf,
  ready: false,
  renders: 0,
  state: () => state,
  simulate: async (s) => (await engine.simulateOnce(s)).result,
  population: () => lastPop,
  runPopulation: (s, workers) => pool.run(s, workers),
  populationRenders: 0,
};
start().catch((e) => {
  $('err-general').textContent = `The simulator could not start: ${e instanceof Error ? e.message : String(e)}`;
});
