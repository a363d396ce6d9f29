// The scenario controls: they show the scenario that was run and edit it, one field at a time.
// Limits, defaults, route names and device sizes come from the engine (`Meta`); the edits that
// need a rule (route, model) are the engine's too (`withRoute`, `withModel`).
import type { Defaults, DoseItem, DoseKind, Limit, ModelInfo, PdTables, Preset, Scenario } from '../engine/types';
import type { PageState, View } from './state';
import { badge } from './panel';
import { bindRegimen, kindEdits, regimenShape, renderRegimen, targetEdits } from './regimen';
import { duration } from './format';
import { Typing } from './typing';

export interface Meta {
  presets: Preset[];
  models: ModelInfo[];
  /** User-defined models seen in scenarios (ui/modeledit.ts), by id, their names labelled USER. */
  userModels?: Map<string, ModelInfo>;
  pd: PdTables;
  limits: Limit[];
  defaults: Defaults;
}

export interface Handlers {
  /** Set one scenario field (dotted path) to a value (`undefined` removes it). */
  edit(edits: [string, unknown][]): void;
  /** The text typed into the control of `path` is not a number (`null`: it is again). */
  formatError(path: string, message: string | null): void;
  /** Typing into the box of `path` waits for a pause before it runs (`false`: it no longer
   * waits): meanwhile the results shown are not of the inputs. */
  waiting(path: string, on: boolean): void;
  route(route: string): void;
  model(model: string): void;
  /** Append a step of `kind` (the engine places it after the regimen's dosing). */
  addStep(kind: DoseKind): Promise<void>;
  preset(id: string): void;
  view(patch: Partial<View>): void;
  /** Simulate the span `id` of `defaults().spans` (the engine sets the horizon and step). */
  span(id: string): void;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export function limitOf(meta: Meta, field: string): Limit | undefined {
  return meta.limits.find((l) => l.field === field);
}

export function modelOf(meta: Meta, id: string): ModelInfo | undefined {
  return meta.models.find((m) => m.id === id) ?? meta.userModels?.get(id);
}

export function routeLabel(meta: Meta, route: string): string {
  return meta.defaults.routes.find((r) => r.route === route)?.label ?? route;
}

const AMOUNT_KEYS = ['devices', 'dose_mg_per_kg', 'dose_mg', 'rate_mg_per_kg_per_h', 'rate_mg_per_h'] as const;
export type AmountKey = (typeof AMOUNT_KEYS)[number];

/** The amount field an item uses (exactly one, once the engine has validated it). */
export function amountKey(item: DoseItem): AmountKey {
  return AMOUNT_KEYS.find((k) => item[k] != null) ?? 'dose_mg_per_kg';
}

export function deviceOf(meta: Meta, sc: Scenario, item: DoseItem) {
  return modelOf(meta, sc.model)?.routes.find((r) => r.route === item.route)?.device ?? null;
}

/** Reads a dotted path of the scenario. */
function get(sc: Scenario, path: string): unknown {
  let o: unknown = sc;
  for (const k of path.replace(/\[(\d+)\]/g, '.$1').split('.')) o = (o as Record<string, unknown> | undefined)?.[k];
  return o;
}

let shape = '';

/** Shows `st` in the controls (never overwriting the field being typed into). */
export function syncControls(meta: Meta, st: PageState): void {
  const sc = st.scenario;
  const m = modelOf(meta, sc.model);
  const focused = document.activeElement;
  const s = regimenShape(sc);
  if (s !== shape) {
    shape = s;
    renderRegimen(meta, sc);
  }
  document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-field]').forEach((el) => {
    if (el === focused && el instanceof HTMLInputElement && el.type === 'number') return;
    const v = get(sc, el.dataset.field!);
    el.value = v == null ? '' : String(v);
  });
  document.querySelectorAll<HTMLInputElement>('[data-range-for]').forEach((el) => {
    const v = get(sc, el.dataset.rangeFor!);
    if (typeof v === 'number') el.value = String(v);
  });
  // the route of the first item stands for the regimen's (the engine keeps them together)
  const route = sc.regimen[0]?.route ?? 'iv';
  $('route').innerHTML = (m?.routes ?? []).map((r) => `<option value="${r.route}">${routeLabel(meta, r.route)}</option>`).join('');
  $<HTMLSelectElement>('route').value = route;
  $('route-help').textContent = m?.routes.find((r) => r.route === route)?.note ?? '';
  // a user-defined model (ui/modeledit.ts) has an option of its own while the scenario runs it
  const select = $<HTMLSelectElement>('model');
  select.querySelector('option[data-user]')?.remove();
  if (sc.model_spec) {
    const o = new Option(m?.name ?? sc.model, sc.model);
    o.dataset.user = '1';
    select.prepend(o);
  }
  select.value = sc.model;
  $('model-cite').innerHTML = m ? `${m.citation} ${[...new Set(m.params.map((q) => q.provenance))].map(badge).join(' ')}` : '';
  const covs = [...new Set((m?.covariates ?? []).map((c) => `${c.param} (${c.effect.kind.replace('_', ' ')})`))];
  $('cov-help').textContent = covs.length ? `This model's covariates: ${covs.join(', ')}.` : 'This model has no age, sex or race covariates.';
  const e = meta.pd.ke0_endpoints.find((x) => x.id === sc.pd.ke0_endpoint);
  const override = m?.ke0_overrides.find(([id]) => id === sc.pd.ke0_endpoint)?.[1];
  $('ke0-help').innerHTML = e
    ? `ke0 ${(override?.value ?? e.ke0_per_min).toFixed(3)} /min — ${override ? override.description : e.source} ${badge(override?.provenance ?? e.provenance)}`
    : '';
  const kinetic = sc.pd.binding.kind === 'kinetic';
  $<HTMLSelectElement>('binding-kind').value = kinetic ? 'kin' : 'eq';
  const bind = $<HTMLInputElement>('binding');
  bind.disabled = !kinetic;
  if (bind !== focused) bind.value = sc.pd.binding.kind === 'kinetic' ? String(sc.pd.binding.half_time_min) : String(meta.defaults.binding_half_time_min);
  // the integrator: those that cannot run binding kinetics are offered only without it (the
  // one a link chose stays selectable, so that its error shows beside it until changed)
  const method = sc.solver?.method ?? meta.defaults.scenario.solver.method;
  const methodBox = $<HTMLSelectElement>('method');
  for (const o of methodBox.options) {
    const c = meta.defaults.methods.find((x) => x.method === o.value);
    o.disabled = kinetic && !c?.kinetic_binding && o.value !== method;
  }
  methodBox.value = method;
  $('method-help').textContent = meta.defaults.methods.find((x) => x.method === method)?.description ?? '';
  // an absent multiplier is the engine's default one
  const cl = sc.patient.clearance_multiplier ?? meta.defaults.clearance_multiplier;
  const clBox = $<HTMLInputElement>('clearance');
  if (clBox !== focused) clBox.value = String(cl);
  $<HTMLInputElement>('clearance-range').value = String(cl);
  $('clearance-ctl').classList.toggle('active', cl !== meta.defaults.clearance_multiplier);
  // the span whose horizon this is (the whole course: the one last chosen), or the horizon as set
  const spans = meta.defaults.spans;
  const match =
    spans.find((x) => x.id === st.view.span && (x.horizon_min === null || x.horizon_min === sc.horizon_min)) ??
    spans.find((x) => x.horizon_min === sc.horizon_min);
  $('span').innerHTML =
    (match ? '' : `<option value="">${duration(sc.horizon_min)} (as set)</option>`) +
    spans.map((x) => `<option value="${x.id}">${x.label}</option>`).join('');
  $<HTMLSelectElement>('span').value = match?.id ?? '';
  $<HTMLInputElement>('log-y').checked = st.view.logY;
  $<HTMLInputElement>('pop-on').checked = st.view.popOn;
  const women = $<HTMLInputElement>('pop-women');
  if (women !== focused) women.value = sc.population?.female_percent == null ? '' : String(sc.population.female_percent);
  document.querySelectorAll<HTMLInputElement>('input[name=unit]').forEach((r) => (r.checked = r.value === st.view.unit));
  const p = meta.presets.find((x) => x.id === st.view.preset);
  // the preset's text describes the preset's own scenario: once anything is changed (another
  // model, dose, patient, schedule), it is no longer checked and its description is not shown
  // (the population's settings are the page's, kept in the scenario whether shown or not)
  const bare = (x: Scenario) => JSON.stringify({ ...x, population: undefined });
  const edited = !!p && bare(p.scenario) !== bare(sc);
  document.querySelectorAll<HTMLButtonElement>('#presets button').forEach((b) => {
    b.setAttribute('aria-checked', String(b.dataset.id === st.view.preset && !edited));
    b.classList.toggle('based-on', b.dataset.id === st.view.preset && edited);
    b.tabIndex = b.dataset.id === (p?.id ?? meta.presets[0]?.id) ? 0 : -1;
  });
  $('preset-title').textContent = p ? (edited ? `Changed from “${p.title}”.` : p.title + '.') : '';
  $('preset-text').textContent = p
    ? edited
      ? 'Its description is of the preset as it was; click the preset to restore it.'
      : p.description
    : '';
}

/** Fills the choices that come from the engine, once. */
export function renderStatic(meta: Meta): void {
  $('presets').innerHTML = meta.presets
    .map((q) => `<button type="button" role="radio" data-id="${q.id}" title="${q.title}: ${q.description}">${q.short}</button>`)
    .join('');
  $('model').innerHTML = meta.models.map((m) => `<option value="${m.id}" title="${m.citation}">${m.name}</option>`).join('');
  $('ke0').innerHTML = meta.pd.ke0_endpoints.map((e) => `<option value="${e.id}">${e.name}</option>`).join('');
  $('method').innerHTML = meta.defaults.methods.map((m) => `<option value="${m.method}" title="${m.description}">${m.label}</option>`).join('');
  for (const [id, field] of [
    ['weight', 'patient.weight_kg'],
    ['age', 'patient.age_years'],
    ['recovery', 'pd.recovery_threshold_ng_per_ml'],
    ['binding', 'pd.binding.half_time_min'],
    ['pop-size', 'population.size'],
    ['pop-seed', 'population.seed'],
    ['pop-wcv', 'population.weight_cv_percent'],
    ['pop-women', 'population.female_percent'],
    ['clearance', 'patient.clearance_multiplier'],
    ['clearance-range', 'patient.clearance_multiplier'],
  ] as const) {
    const l = limitOf(meta, field);
    if (l) {
      $(id).setAttribute('min', String(l.min));
      $(id).setAttribute('max', String(l.max));
    }
  }
}

/** The legend of the landmarks that apply to the shown drug (ids from the engine's result). */
export function renderLandmarkLegend(meta: Meta, ids: string[]): void {
  const shown = meta.pd.landmarks.filter((l) => ids.includes(l.id));
  const bands = shown.filter((l) => l.band);
  const lines = shown.filter((l) => !l.band);
  $('band-legend').innerHTML =
    bands
      .map(
        (l) =>
          `<li class="band-${l.id}" data-band="${l.id}" title="${l.name} (${l.matrix}; ${l.site}): ${l.source} [${l.provenance}]"><b>${l.id}</b> ${l.low_ng_per_ml}${l.high_ng_per_ml ? '–' + l.high_ng_per_ml : '+'} ng/mL · <span class="src">${l.source}</span> ${badge(l.provenance)}</li>`,
      )
      .join('') +
    lines
      .map(
        (l) =>
          `<li title="${l.matrix}; ${l.site}">${l.name}: ${l.low_ng_per_ml}${l.high_ng_per_ml ? '–' + l.high_ng_per_ml : ''} ng/mL · <span class="src">${l.source}</span> ${badge(l.provenance)}</li>`,
      )
      .join('') +
    (bands.length ? '' : '<li>No concentration range is published for this drug form as a band; the thresholds above apply.</li>');
}

/** A number typed into a control: the value, or null with the control's message set. */
function parseNumber(h: Handlers, path: string, raw: string, whole = false): number | null {
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) {
    h.formatError(path, raw.trim() === '' ? `${path}: empty; type a number.` : `${path}: “${raw}” is not a number; type a number.`);
    return null;
  }
  if (whole && (!Number.isInteger(v) || v < 0)) {
    h.formatError(path, `${path}: ${raw} is not a whole number of 0 or more; type one.`);
    return null;
  }
  h.formatError(path, null);
  return v;
}

/** Number boxes of the controls whose typing waits for a pause (ui/typing.ts). */
const typing = new Typing();

export function bindControls(meta: Meta, getState: () => PageState, h: Handlers): void {
  const root = document.querySelector('.controls') as HTMLElement;
  typing.bind(root);
  // what typing into the box `el` (of `path`) does, once typing pauses
  const later = (el: Element, path: string, act: () => void) =>
    typing.later(el, act, () => h.waiting(path, true), () => h.waiting(path, false));
  root.addEventListener('input', (ev) => {
    const el = ev.target as HTMLInputElement;
    const path = el.dataset.field ?? el.dataset.rangeFor;
    if (!path || el.tagName === 'SELECT') return;
    if (el.type === 'range') {
      const num = root.querySelector<HTMLInputElement>(`[data-field="${path}"]`);
      if (num) {
        typing.drop(num); // the slider's value wins over what was being typed
        num.value = el.value;
      }
      h.formatError(path, null);
      h.edit([[path, Number(el.value)]]);
      return;
    }
    later(el, path, () => typed(el, path));
  });
  const typed = (el: HTMLInputElement, path: string) => {
    // text a number box cannot hold ("--", "e") reads as empty: say so rather than default
    if (el.validity?.badInput) {
      h.formatError(path, `${path}: what is typed is not a number; type a number${el.dataset.optional ? ', or clear the box for the default' : ''}.`);
      return;
    }
    if (el.dataset.optional && el.value.trim() === '') {
      // an optional field left empty takes the engine's default
      h.formatError(path, null);
      h.edit([[path, undefined]]);
      return;
    }
    const v = parseNumber(h, path, el.value, el.step === '1');
    if (v === null) return;
    const range = root.querySelector<HTMLInputElement>(`[data-range-for="${path}"]`);
    if (range) range.value = String(v);
    h.edit([[path, v]]);
  };
  root.addEventListener('change', (ev) => {
    const el = ev.target as HTMLSelectElement;
    const path = el.dataset.field;
    if (el.tagName !== 'SELECT' || !path) return;
    const item = /^regimen\[(\d+)\]\.(kind|target)$/.exec(path);
    if (item) {
      const i = Number(item[1]);
      const sc = getState().scenario;
      h.edit(item[2] === 'kind' ? kindEdits(meta, sc, i, el.value as DoseItem['kind']) : targetEdits(meta, sc, i, el.value));
      // the step was rebuilt: keep the focus on the select that was used
      document.getElementById(el.id)?.focus();
      return;
    }
    h.edit([[path, el.value]]);
  });
  $('route').addEventListener('change', (e) => h.route((e.target as HTMLSelectElement).value));
  $('model').addEventListener('change', (e) => h.model((e.target as HTMLSelectElement).value));
  $('binding-kind').addEventListener('change', (e) => {
    const kinetic = (e.target as HTMLSelectElement).value === 'kin';
    h.formatError('pd.binding.half_time_min', null);
    h.edit([['pd.binding', kinetic ? { kind: 'kinetic', half_time_min: meta.defaults.binding_half_time_min } : { kind: 'equilibrium' }]]);
  });
  $('binding').addEventListener('input', (e) => {
    const el = e.target as HTMLInputElement;
    later(el, 'pd.binding.half_time_min', () => {
      const v = el.validity.badInput ? parseNumber(h, 'pd.binding.half_time_min', '?') : parseNumber(h, 'pd.binding.half_time_min', el.value);
      if (v !== null) h.edit([['pd.binding', { kind: 'kinetic', half_time_min: v }]]);
    });
  });
  $('pop-women').addEventListener('input', (e) => {
    const el = e.target as HTMLInputElement;
    later(el, 'population.female_percent', () => women(el));
  });
  const women = (el: HTMLInputElement) => {
    const raw = el.value;
    if (el.validity.badInput) {
      h.formatError('population.female_percent', 'population.female_percent: what is typed is not a number; type a number, or clear the box for the patient’s sex.');
      return;
    }
    if (raw.trim() === '') {
      h.formatError('population.female_percent', null);
      h.edit([['population.female_percent', undefined]]);
      return;
    }
    const v = parseNumber(h, 'population.female_percent', raw);
    if (v !== null) h.edit([['population.female_percent', v]]);
  };
  $('pop-on').addEventListener('change', (e) => h.view({ popOn: (e.target as HTMLInputElement).checked }));
  $('log-y').addEventListener('change', (e) => h.view({ logY: (e.target as HTMLInputElement).checked }));
  $('span').addEventListener('change', (e) => {
    const id = (e.target as HTMLSelectElement).value;
    if (id) h.span(id);
  });
  bindRegimen(meta, getState, h);
  document.querySelectorAll<HTMLInputElement>('input[name=unit]').forEach((r) =>
    r.addEventListener('change', () => h.view({ unit: r.value as View['unit'] })),
  );
  $('analytes').addEventListener('change', (e) => {
    const box = e.target as HTMLInputElement;
    const id = box.dataset.analyte;
    if (!id) return;
    const hidden = getState().view.hidden.filter((x) => x !== id);
    if (!box.checked) hidden.push(id);
    h.view({ hidden });
  });
  $('presets').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-id]');
    if (b?.dataset.id) h.preset(b.dataset.id);
  });
  $('presets').addEventListener('keydown', (e) => {
    if (!['ArrowDown', 'ArrowUp', 'ArrowRight', 'ArrowLeft'].includes(e.key)) return;
    e.preventDefault();
    const ps = meta.presets;
    const i = Math.max(0, ps.findIndex((q) => q.id === getState().view.preset));
    const j = (i + (e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : ps.length - 1)) % ps.length;
    h.preset(ps[j].id);
    $('presets').querySelector<HTMLButtonElement>(`button[data-id="${ps[j].id}"]`)?.focus();
  });
}
