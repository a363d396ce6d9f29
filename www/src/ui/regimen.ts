// The regimen editor: a list of steps (bolus, infusion, target-controlled infusion), each with
// its start time and the fields of its DoseItem. New steps, new targets and their pump settings
// are the engine's (`defaults()`): this builds the controls, and turns clicks into scenario edits.
import type { DoseItem, DoseKind, Scenario, TciTargetChoice } from '../engine/types';
import { amountKey, deviceOf, limitOf, routeLabel, type Handlers, type Meta } from './controls';
import { duration } from './format';
import type { PageState } from './state';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

export const KIND_LABEL: Record<DoseKind, string> = {
  bolus: 'bolus (injection)',
  infusion: 'infusion',
  tci: 'target-controlled infusion (TCI)',
};

/** The engine's description of an item's TCI target (its name, value field and unit). */
export function targetChoice(meta: Meta, item: DoseItem): TciTargetChoice | undefined {
  return meta.defaults.tci_targets.find((c) => c.target === item.target);
}

function minMax(meta: Meta, field: string): string {
  const l = limitOf(meta, field);
  return l ? `min="${l.min}" max="${l.max}"` : '';
}

function amountUnit(meta: Meta, sc: Scenario, item: DoseItem): string {
  const salt = item.salt === 'hcl' ? 'hydrochloride' : 'base';
  switch (amountKey(item)) {
    case 'devices':
      return `devices of ${deviceOf(meta, sc, item)?.mg_per_device ?? '?'} mg (${salt})`;
    case 'dose_mg_per_kg':
      return `mg/kg (${salt})`;
    case 'dose_mg':
      return `mg (${salt})`;
    case 'rate_mg_per_kg_per_h':
      return `mg/kg/h (${salt})`;
    case 'rate_mg_per_h':
      return `mg/h (${salt})`;
  }
}

type Sched = Record<string, unknown>;

/** How many times an item is given. */
export function nAdministrations(item: DoseItem): number {
  const s = item.schedule as Sched;
  if ('every' in s) return (s.every as { count: number }).count;
  if ('at_days' in s) return (s.at_days as { days: number[] }).days.length;
  const v = (s.at_min ?? s.at_h) as number[] | undefined;
  return v?.length ?? 1;
}

/** The schedule's one start time as an editable field (`at_min` or `at_h` with one time). */
function singleStart(item: DoseItem): { key: 'at_min' | 'at_h'; unit: string } | null {
  const s = item.schedule as Sched;
  for (const [key, unit] of [
    ['at_min', 'min'],
    ['at_h', 'h'],
  ] as const) {
    const v = s[key];
    if (Array.isArray(v) && v.length === 1) return { key, unit };
  }
  return null;
}

/** A schedule in words ("on days 0, 2, 4 at 10 h into the day"). */
function scheduleText(item: DoseItem): string {
  const s = item.schedule as Sched;
  const list = (v: number[]) => v.join(', ');
  if (Array.isArray(s.at_min)) return `at ${list(s.at_min as number[])} min`;
  if (Array.isArray(s.at_h)) return `at ${list(s.at_h as number[])} h`;
  if (s.at_days) {
    const d = s.at_days as { days: number[]; offset_min: number };
    return `on days ${list(d.days)}, each ${duration(d.offset_min)} into the day`;
  }
  if (s.every) {
    const e = s.every as { start_min: number; interval_h: number; count: number };
    return `${e.count} times, every ${e.interval_h} h from ${e.start_min} min`;
  }
  return '';
}

/** One line naming a step: "IV infusion", "TCI, effect site". */
function stepName(meta: Meta, item: DoseItem): string {
  if (item.kind === 'tci') return `TCI, ${(item.target ?? '').replace('_', ' ')}`;
  return `${routeLabel(meta, item.route)} ${item.route === 'iv' ? item.kind : ''}`.trim();
}

/** Structure of the steps: the editor is rebuilt only when it changes, so typing keeps focus. */
export function regimenShape(sc: Scenario): string {
  return JSON.stringify([
    sc.model,
    sc.regimen.map((it) => [
      it.route,
      it.kind,
      amountKey(it),
      it.salt,
      nAdministrations(it),
      Object.keys(it.schedule ?? {}),
      singleStart(it)?.key ?? null,
      it.target ?? null,
      it.target_steps?.length ?? 0,
    ]),
  ]);
}

function startHtml(item: DoseItem, i: number): string {
  const p = `regimen[${i}]`;
  const one = singleStart(item);
  if (!one) {
    return `<div class="ctl" data-path="${p}.schedule"><p class="help sched">Given ${esc(scheduleText(item))} (${nAdministrations(item) === 1 ? 'once' : `${nAdministrations(item)} times`}; the preset’s schedule).</p><p class="err" role="alert"></p></div>`;
  }
  return `<div class="ctl" data-path="${p}.schedule"><label for="start-${i}">Starts at <span class="unit">${one.unit}</span></label><input type="number" id="start-${i}" data-field="${p}.schedule.${one.key}[0]" step="any" inputmode="decimal" /><p class="err" role="alert"></p></div>`;
}

function doseHtml(meta: Meta, sc: Scenario, it: DoseItem, i: number): string {
  const key = amountKey(it);
  const dev = deviceOf(meta, sc, it);
  const p = `regimen[${i}]`;
  // the first item keeps the ids the page always had (#dose, #duration, #err-dose, …)
  const sfx = i === 0 ? '' : `-${i}`;
  const range =
    key === 'devices' && dev
      ? `<input type="range" id="dose-range${sfx}" data-range-for="${p}.devices" min="1" max="${dev.max_devices}" step="1" aria-label="Devices slider, step ${i + 1}" />`
      : key === 'dose_mg_per_kg'
        ? `<input type="range" id="dose-range${sfx}" data-range-for="${p}.dose_mg_per_kg" min="0.05" max="3" step="0.05" aria-label="Dose slider, step ${i + 1}" />`
        : '';
  const bounds = key === 'devices' && dev ? `min="1" max="${dev.max_devices}"` : minMax(meta, `regimen[].${key}`);
  const dur =
    it.kind === 'infusion'
      ? `<div class="ctl" data-path="${p}.duration_min"><label for="duration${sfx}">Infusion time <span class="unit">min</span></label><div class="pair"><input type="range" id="duration-range${sfx}" data-range-for="${p}.duration_min" min="2" max="120" step="1" aria-label="Infusion time slider, step ${i + 1}" /><input type="number" id="duration${sfx}" data-field="${p}.duration_min" ${minMax(meta, 'regimen[].duration_min')} step="any" inputmode="decimal" /></div><p class="help">Usually 40–60 min; sessions of 2–100 min have been used (Andrade 2017).</p><p class="err" id="err-duration${sfx}" role="alert"></p></div>`
      : '';
  return `<div class="ctl" data-path="${p}.${key} ${p}.dose"><label for="dose${sfx}">Dose <span class="unit" id="dose-unit${sfx}">${amountUnit(meta, sc, it)}</span></label>
      <div class="pair">${range}<input type="number" id="dose${sfx}" data-field="${p}.${key}" ${bounds} step="${key === 'devices' ? 1 : 'any'}" inputmode="decimal" /></div>
      ${dev ? `<p class="help">${dev.note}</p>` : ''}
      <p class="err" id="err-dose${sfx}" role="alert"></p></div>${dur}`;
}

function tciHtml(meta: Meta, it: DoseItem, i: number): string {
  const p = `regimen[${i}]`;
  const sfx = i === 0 ? '' : `-${i}`;
  const d = meta.defaults;
  const c = targetChoice(meta, it);
  const field = c?.value_field ?? 'target_ng_per_ml';
  const unit = c?.unit ?? '';
  const valueBounds = minMax(meta, `regimen[].${field}`);
  const options = d.tci_targets.map((t) => `<option value="${t.target}">${esc(t.label)}</option>`).join('');
  const steps = (it.target_steps ?? [])
    .map(
      (_, k) => `<li class="ctl tstep" data-path="${p}.target_steps[${k}]">
        <div class="tstep-row"><label for="tstep-at-${i}-${k}">at <span class="unit">min</span></label><input type="number" id="tstep-at-${i}-${k}" data-field="${p}.target_steps[${k}].at_min" step="any" inputmode="decimal" />
        <label for="tstep-value-${i}-${k}">→ <span class="unit">${unit}</span></label><input type="number" id="tstep-value-${i}-${k}" data-field="${p}.target_steps[${k}].${field}" ${valueBounds} step="any" inputmode="decimal" />
        <button type="button" class="tstep-remove" data-remove-tstep="${i}:${k}" aria-label="Remove target change ${k + 1} of step ${i + 1}">✕</button></div>
        <p class="err" role="alert"></p></li>`,
    )
    .join('');
  const pumpField = (id: string, f: string, label: string, unitText: string, dflt: number) =>
    `<div class="ctl" data-path="${p}.${f}"><label for="${id}-${i}">${label} <span class="unit">${unitText}</span></label><input type="number" id="${id}-${i}" data-field="${p}.${f}" data-optional="1" placeholder="${dflt}" ${minMax(meta, `regimen[].${f}`)} step="any" inputmode="decimal" /><p class="err" role="alert"></p></div>`;
  return `<div class="ctl" data-path="${p}.target ${p}.${field}">
      <label for="tci-target${sfx}">Target</label>
      <select id="tci-target${sfx}" data-field="${p}.target">${options}</select>
      <p class="err" role="alert"></p></div>
    <div class="ctl" data-path="${p}.target_ng_per_ml ${p}.target_percent"><label for="tci-value${sfx}">Target value <span class="unit">${unit}${it.target === 'occupancy' ? ', model-derived' : ''}</span></label><input type="number" id="tci-value${sfx}" data-field="${p}.${field}" ${valueBounds} step="any" inputmode="decimal" /><p class="err" id="err-tci-value${sfx}" role="alert"></p></div>
    <div class="ctl" data-path="${p}.duration_min"><label for="duration${sfx}">Pump runs for <span class="unit">min</span></label><input type="number" id="duration${sfx}" data-field="${p}.duration_min" ${minMax(meta, 'regimen[].duration_min')} step="any" inputmode="decimal" /><p class="err" id="err-duration${sfx}" role="alert"></p></div>
    <div class="ctl tci-steps" data-path="${p}.target_steps">
      <p class="sublabel" id="tsteps-label-${i}">Target changes <span class="unit">(min after the pump starts)</span></p>
      <ol aria-labelledby="tsteps-label-${i}">${steps}</ol>
      <button type="button" class="small-btn" data-add-tstep="${i}">Add a target change</button>
      <p class="err" role="alert"></p></div>
    <details class="pump" data-pump="${i}"><summary>Pump settings</summary>
      ${pumpField('pump-max', 'max_rate_ml_per_h', 'Maximum rate', 'mL/h', d.tci_max_rate_ml_per_h)}
      ${pumpField('pump-syringe', 'syringe_mg_per_ml', 'Syringe', 'mg/mL', d.tci_syringe_mg_per_ml)}
      ${pumpField('pump-interval', 'update_interval_s', 'Rate updated every', 's', d.tci_update_interval_s)}
      <p class="help">Empty: the default shown. The pump computes its rates with the published model for this patient; it does not know the what-if clearance.</p>
    </details>`;
}

function stepHtml(meta: Meta, sc: Scenario, it: DoseItem, i: number): string {
  const p = `regimen[${i}]`;
  const n = nAdministrations(it);
  const kinds = (['infusion', 'bolus', 'tci'] as const).map((k) => `<option value="${k}">${KIND_LABEL[k]}</option>`).join('');
  const kind =
    it.route === 'iv'
      ? `<div class="ctl" data-path="${p}.kind"><label for="kind-${i}">Given as</label><select id="kind-${i}" data-field="${p}.kind">${kinds}</select><p class="err" role="alert"></p></div>`
      : '';
  const body = it.kind === 'tci' ? tciHtml(meta, it, i) : doseHtml(meta, sc, it, i);
  return `<li class="item" data-path="${p}" data-step="${i}">
      <div class="item-head"><h3 id="step-title-${i}" tabindex="-1">Step ${i + 1} · ${esc(stepName(meta, it))}${n > 1 ? ` · ${n}×` : ''}</h3>
        <button type="button" class="step-remove" data-remove-step="${i}" aria-label="Remove step ${i + 1} (${esc(stepName(meta, it))})">Remove</button></div>
      ${kind}${startHtml(it, i)}${body}<p class="err" role="alert"></p></li>`;
}

/** Rebuilds the editor for `sc` (keeping open pump settings open). */
export function renderRegimen(meta: Meta, sc: Scenario): void {
  const el = $('regimen');
  const open = new Set([...el.querySelectorAll<HTMLDetailsElement>('details.pump[open]')].map((d) => d.dataset.pump));
  el.innerHTML = sc.regimen.length
    ? `<ol class="steps" aria-label="Regimen steps">${sc.regimen.map((it, i) => stepHtml(meta, sc, it, i)).join('')}</ol>`
    : '<p class="hint">No dose: add a step.</p>';
  el.querySelectorAll<HTMLDetailsElement>('details.pump').forEach((d) => (d.open = open.has(d.dataset.pump)));
}

/** Opens the pump settings that hold a message (an error is never hidden in a closed detail). */
export function revealPumpErrors(): void {
  document.querySelectorAll<HTMLDetailsElement>('details.pump').forEach((d) => {
    if (d.querySelector('.err[data-msg]')) d.open = true;
  });
}

/** The edits that change item `i`'s kind: a TCI item is the engine's new one (schedule kept). */
export function kindEdits(meta: Meta, sc: Scenario, i: number, kind: DoseKind): [string, unknown][] {
  const it = sc.regimen[i];
  const p = `regimen[${i}]`;
  const d = meta.defaults;
  if (kind === 'tci' || it.kind === 'tci') {
    const base = kind === 'tci' ? d.tci_item : kind === 'infusion' ? d.infusion_item : d.bolus_item;
    return [[p, { ...structuredClone(base), schedule: structuredClone(it.schedule) }]];
  }
  return kind === 'infusion'
    ? [
        [`${p}.kind`, 'infusion'],
        [`${p}.duration_min`, d.infusion_duration_min],
      ]
    : [
        [`${p}.kind`, 'bolus'],
        [`${p}.duration_min`, undefined],
      ];
}

/** The edits that change item `i`'s TCI target: the value moves to the new target's field. */
export function targetEdits(meta: Meta, sc: Scenario, i: number, target: string): [string, unknown][] {
  const it = sc.regimen[i];
  const p = `regimen[${i}]`;
  const from = targetChoice(meta, it);
  const to = meta.defaults.tci_targets.find((c) => c.target === target);
  if (!to) return [];
  if (from && from.value_field === to.value_field) return [[`${p}.target`, to.target]];
  // another unit: the engine's starting value for the new target, for the start and each change
  const item = structuredClone(it) as unknown as Record<string, unknown>;
  if (from) delete item[from.value_field];
  item.target = to.target;
  item[to.value_field] = to.value;
  item.target_steps = (it.target_steps ?? []).map((s) => ({ at_min: s.at_min, [to.value_field]: to.value }));
  if (!(item.target_steps as unknown[]).length) delete item.target_steps;
  return [[p, item]];
}

/** Moves the focus after the editor was rebuilt. */
function focusSoon(sel: string, fallback = '#add-bolus'): void {
  const el = document.querySelector<HTMLElement>(sel) ?? document.querySelector<HTMLElement>(fallback);
  el?.focus();
}

function announce(text: string): void {
  $('regimen-status').textContent = text;
}

/** Add and remove steps and target changes (buttons: keyboard and pointer alike). */
export function bindRegimen(meta: Meta, getState: () => PageState, h: Handlers): void {
  $('add-steps').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-add-step]');
    if (!b) return;
    const kind = b.dataset.addStep as DoseKind;
    const n = getState().scenario.regimen.length;
    // the engine places the new step where the regimen's dosing ends
    void h.addStep(kind).then(() => {
      if (getState().scenario.regimen.length !== n + 1) return;
      announce(`Step ${n + 1} added: ${KIND_LABEL[kind]}.`);
      focusSoon(`#kind-${n}`, `li[data-step="${n}"] input, li[data-step="${n}"] select`);
    });
  });
  $('regimen').addEventListener('click', (e) => {
    const t = e.target as HTMLElement;
    const sc = getState().scenario;
    const rm = t.closest<HTMLButtonElement>('button[data-remove-step]');
    if (rm) {
      const i = Number(rm.dataset.removeStep);
      const name = stepName(meta, sc.regimen[i]);
      const left = sc.regimen.filter((_, k) => k !== i);
      h.edit([['regimen', left]]);
      announce(`Step ${i + 1} (${name}) removed; ${left.length} step${left.length === 1 ? '' : 's'} left.`);
      // the step that took its place, or the one before, or the add buttons
      const j = Math.min(i, left.length - 1);
      focusSoon(j >= 0 ? `#step-title-${j}` : '#add-bolus');
      return;
    }
    const add = t.closest<HTMLButtonElement>('button[data-add-tstep]');
    if (add) {
      const i = Number(add.dataset.addTstep);
      const it = sc.regimen[i];
      const c = targetChoice(meta, it);
      if (!c) return;
      const steps = it.target_steps ?? [];
      const last = steps[steps.length - 1];
      const lastAt = last?.at_min ?? 0;
      // halfway between the last change and the end of the pump's run, in whole minutes
      const at = Math.round((lastAt + (it.duration_min ?? lastAt)) / 2);
      const r = it as unknown as Record<string, unknown>;
      const value = last ? (last as unknown as Record<string, unknown>)[c.value_field] : r[c.value_field];
      h.edit([[`regimen[${i}].target_steps`, [...steps, { at_min: at, [c.value_field]: value ?? c.value }]]]);
      announce(`Target change ${steps.length + 1} added to step ${i + 1} at ${at} min.`);
      focusSoon(`#tstep-at-${i}-${steps.length}`);
      return;
    }
    const rmt = t.closest<HTMLButtonElement>('button[data-remove-tstep]');
    if (rmt) {
      const [i, k] = rmt.dataset.removeTstep!.split(':').map(Number);
      const steps = (sc.regimen[i].target_steps ?? []).filter((_, m) => m !== k);
      h.edit([[`regimen[${i}].target_steps`, steps.length ? steps : undefined]]);
      announce(`Target change ${k + 1} of step ${i + 1} removed.`);
      focusSoon(steps.length > k ? `#tstep-at-${i}-${k}` : `button[data-add-tstep="${i}"]`);
    }
  });
}
