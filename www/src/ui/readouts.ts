// The readout cards, the metabolite line, the session zoom buttons and the clinic timeline:
// every number is the engine's (metrics, session timeline); this only formats it.
import { applyCss } from './dom';
import type { SimResult } from '../engine/types';
import { amountKey, deviceOf, renderLandmarkLegend, routeLabel, type Meta } from './controls';
import { badge } from './panel';
import { COLORS } from './charts';
import { duration, moment, num3 } from './format';
import type { PageState } from './state';
import { renderTimeline } from './timeline';
import { targetChoice } from './regimen';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

/** The analytes drawn besides the drug's readout: metabolites, and each enantiomer of a racemate. */
export function extraAnalytes(r: SimResult) {
  const d = r.drug_readout;
  return r.analytes.filter((x) => !(d.analytes.length === 1 && d.analytes[0] === x.id));
}

/** The session shown in the timeline and zoom: the zoomed one, or the first. */
export function shownSession(r: SimResult, st: PageState) {
  const k = st.view.session > 0 ? st.view.session - 1 : 0;
  return r.sessions[Math.min(k, r.sessions.length - 1)] ?? null;
}

export function renderReadouts(meta: Meta, r: SimResult, st: PageState): void {
  const sc = r.scenario;
  const m = r.metrics;
  const a = m.drug;
  const ng = st.view.unit === 'ng';
  const conc = (x: { ng: number; um: number }) => (ng ? `${num3(x.ng)} ng/mL` : `${num3(x.um)} µM`);
  const span = r.t_min[r.t_min.length - 1] - r.t_min[0];
  const at = (min: number) => moment(min, span);
  const rec = m.recovery;
  const n = r.sessions.length;
  const perSession = r.sessions[0]?.administered_mg ?? 0;
  const onset = m.dissociative_onset_ng_per_ml;
  // the metabolites' part of the peak occupancy, where a model has them
  const parts = m.occupancy_parts_at_peak;
  const readoutIds = r.drug_readout.analytes;
  const shares = parts
    .filter((p) => !readoutIds.includes(p.analyte) && p.occupancy > 0)
    .map((p) => `${p.analyte.replace(/_/g, '-')} ${(p.share * 100).toFixed(0)} % of it`)
    .join(', ');
  $('readouts').innerHTML = `
    <div><dt>Peak plasma Cmax</dt><dd data-k="cmax">${conc({ ng: a.cmax_ng_per_ml, um: a.cmax_um })}</dd><dd class="sub${m.peak_at_bolus ? ' caveat" title="The model mixes a bolus instantly in the central volume: the first minutes after it overstate plasma levels. The effect-site peak is the meaningful one."' : '"'}>at ${at(a.tmax_min)}${m.peak_at_bolus ? ' · bolus: instant mixing assumed' : ''}</dd></div>
    <div><dt>Peak effect site</dt><dd data-k="cemax">${conc({ ng: a.ce_max_ng_per_ml, um: a.ce_max_um })}</dd><dd class="sub">at ${at(a.ce_tmax_min)}</dd></div>
    <div><dt>Time dissociated</dt><dd data-k="dissociated">${duration(m.dissociated_min)}</dd><dd class="sub">effect site ≥ ${onset} ng/mL</dd></div>
    <div><dt>Ce below ${rec.threshold_ng_per_ml} ng/mL</dt>${
      a.ce_max_ng_per_ml < rec.threshold_ng_per_ml
        ? `<dd data-k="recovery">always</dd><dd class="sub">Ce never reaches it (peak ${num3(a.ce_max_ng_per_ml)} ng/mL)</dd>`
        : `<dd data-k="recovery">${rec.after_dosing_min === null ? 'not yet' : duration(rec.after_dosing_min)}</dd><dd class="sub">after dosing ended${n > 1 ? ' (last session)' : ''}</dd>`
    }</div>
    <div><dt>Peak NMDA occupancy</dt><dd data-k="occupancy">${(m.occupancy_max * 100).toFixed(0)} %</dd><dd class="sub" title="${parts.map((p) => `${p.analyte}: ${(p.occupancy * 100).toFixed(1)} %`).join(', ')}">model-derived${shares ? ` · ${shares}` : ''}</dd></div>
    <div><dt>${n > 1 ? 'Dose in all' : 'Dose'}</dt><dd data-k="dose">${num3(n > 1 ? m.administered_mg : perSession)} mg</dd><dd class="sub">${n > 1 ? `${n} sessions (base)` : 'base'}</dd></div>`;
  const extra = extraAnalytes(r).map((x) => ({ series: x, metrics: m.analytes[r.analytes.indexOf(x)] }));
  $('metab').innerHTML =
    (r.drug_readout.analytes.length > 1 ? `${r.drug_readout.name}: the readouts are the total of ${r.analytes.filter((x) => r.drug_readout.analytes.includes(x.id)).map((x) => x.name).join(' and ')}. ` : '') +
    extra.map(({ series, metrics: x }) => `${series.name}: peak ${conc({ ng: x.cmax_ng_per_ml, um: x.cmax_um })} at ${at(x.tmax_min)}`).join(' · ');
  $('analytes').innerHTML = extra
    .map(
      ({ series: x }, i) =>
        `<label><input type="checkbox" data-analyte="${x.id}" ${st.view.hidden.includes(x.id) ? '' : 'checked'} /><span class="sw" data-css="background:${COLORS.extra[i % COLORS.extra.length]}"></span>${x.name}</label>`,
    )
    .join('');
  applyCss($('analytes'));

  // session zoom
  const sessions = $('sessions');
  sessions.hidden = n < 2;
  sessions.innerHTML =
    n < 2
      ? ''
      : `<span>Zoom:</span><button type="button" data-s="0" aria-pressed="${st.view.session === 0}">Whole course</button>` +
        r.sessions
          .map((s) => `<button type="button" data-s="${s.number}" aria-pressed="${st.view.session === s.number}" title="Session ${s.number} starts on day ${(s.start_min / 1440).toFixed(2)}">Session ${s.number}</button>`)
          .join('');

  const s = shownSession(r, st);
  if (!s) {
    $('timeline').innerHTML = '<p class="hint">No administration within the simulated time.</p>';
    return;
  }
  const item = sc.regimen[s.items[0] ?? 0];
  const dev = item ? deviceOf(meta, sc, item) : null;
  const tci = item?.kind === 'tci';
  const infusion = item?.kind === 'infusion' || tci;
  const key = item ? amountKey(item) : 'dose_mg';
  const given = `${num3(s.administered_mg)} mg`;
  const doseText = tci
    ? `${given} by the pump${s.items.length > 1 ? ' and the other steps' : ''}`
    : key === 'devices' && dev
      ? `${item.devices} × ${dev.mg_per_device} mg = ${given}`
      : key === 'dose_mg_per_kg'
        ? `${item.dose_mg_per_kg} mg/kg × ${sc.patient.weight_kg} kg = ${given}`
        : given;
  const landmark = meta.pd.landmarks.find((l) => l.id === m.dissociative_landmark);
  const recovery = $('recovery') as HTMLInputElement;
  recovery.placeholder = String(rec.threshold_ng_per_ml);
  $('recovery-help').innerHTML =
    `The model's threshold, not a discharge rule. Empty: the drug's dissociative onset, ${onset} ng/mL — ${landmark ? `${landmark.name}, ${landmark.source} ${badge(landmark.provenance)}` : ''}.`;
  renderLandmarkLegend(meta, r.landmarks);
  const mon = r.monitoring.sessions.find((x) => x.number === s.number);
  renderTimeline($('timeline'), s, {
    kindLabel: tci ? 'TCI pump' : infusion ? 'Infusion' : dev ? 'Nasal spray' : item?.route === 'iv' ? 'IV injection' : routeLabel(meta, item?.route ?? 'iv'),
    kindDetail: tci
      ? `${duration(s.dosing_end_min - s.start_min)} · target ${targetText(meta, item)}`
      : infusion
      ? `${duration(s.dosing_end_min - s.start_min)} · vitals monitored`
      : dev
        ? `${item.devices ?? 1} device${item.devices === 1 ? '' : 's'}, ${dev.interval_min} min apart`
        : item?.route === 'iv'
          ? 'bolus'
          : 'absorbed over the following hour(s)',
    doseText: n > 1 ? `Session ${s.number} of ${n}: ${doseText}` : doseText,
    thresholdNgPerMl: rec.threshold_ng_per_ml,
    onsetNgPerMl: onset,
    onsetSource: landmark ? `${landmark.name}, ${landmark.source} [${landmark.provenance}]` : '',
  }, mon ? { session: mon, monitoring: r.monitoring } : undefined);
}

/** "effect site 150 ng/mL" (the item's first target, in the engine's unit). */
function targetText(meta: Meta, item: SimResult['scenario']['regimen'][number]): string {
  const c = targetChoice(meta, item);
  const v = c ? (item as unknown as Record<string, unknown>)[c.value_field] : undefined;
  return `${(item.target ?? '').replace('_', ' ')} ${v ?? '?'} ${c?.unit ?? ''}`.trim();
}

/** Marks the landmark bands that lie outside the concentration axis (it fits the data). */
export function markBandLegend(inView: string[]): void {
  document.querySelectorAll<HTMLElement>('#band-legend li[data-band]').forEach((li) => {
    const off = !inView.includes(li.dataset.band!);
    li.classList.toggle('off-chart', off);
    let note = li.querySelector('.off-note');
    if (off && !note) {
      note = document.createElement('span');
      note.className = 'off-note';
      note.textContent = ' · outside this chart’s range';
      li.appendChild(note);
    } else if (!off) note?.remove();
  });
}

/** The TCI readouts: per pump session, its dose, first rate, and how each target was met. */
export function renderTci(meta: Meta, r: SimResult, st: PageState): void {
  const el = $('tci-readouts');
  const out = r.metrics.tci;
  el.hidden = out.length === 0;
  if (!out.length) {
    el.innerHTML = '';
    return;
  }
  const span = r.t_min[r.t_min.length - 1] - r.t_min[0];
  const at = (min: number) => moment(min, span);
  const MAX = 4;
  const ng = st.view.unit === 'ng';
  el.innerHTML =
    out
      .slice(0, MAX)
      .map((o, k) => {
        const pump = r.pumps.find((p) => p.item === o.item && p.start_min === o.start_min);
        const c = meta.defaults.tci_targets.find((x) => x.target === o.target);
        const first = pump?.segments[0];
        const steps = o.steps
          .map((s, j) => {
            const target = ng || s.target_um == null ? `${num3(s.target)} ${o.unit}` : `${num3(s.target_um)} µM`;
            const ov = s.overshoot_percent;
            const title = `Target ${target}${j > 0 ? ` from ${at(s.from_min)}` : ''}`;
            return `<div><dt title="${title}: time to reach it (within 1 %) and the largest excursion past it">${title}</dt><dd data-k="tci-ttt-${k}-${j}">${s.time_to_target_min === null ? 'not reached' : `${num3(s.time_to_target_min)} min`}</dd><dd class="sub" data-k="tci-overshoot-${k}-${j}">${s.time_to_target_min === null ? 'in its time' : ov === null ? 'to reach (target 0)' : `to reach · overshoot ${ov.toFixed(1)} %`}</dd></div>`;
          })
          .join('');
        const implied =
          o.implied_ce_ng_per_ml === null
            ? ''
            : `<div><dt>Implied effect site</dt><dd data-k="tci-implied-ce-${k}">${num3(o.implied_ce_ng_per_ml)} ng/mL</dd><dd class="sub" title="The drug’s effect-site concentration that alone gives the first occupancy target (no metabolite yet)">model-derived, for the first target</dd></div>`;
        return `<div class="tci-session">
          <h3>TCI pump, step ${o.item + 1}: ${c?.label ?? o.target} · ${at(o.start_min)} to ${at(o.end_min)}</h3>
          <dl class="tci-cards">
            <div><dt>Pump dose</dt><dd data-k="tci-dose-${k}">${num3(o.dose_mg)} mg</dd><dd class="sub" data-k="tci-volume-${k}">${num3(o.volume_ml)} mL at ${pump ? num3(pump.syringe_mg_per_ml) : '?'} mg/mL</dd></div>
            <div><dt>First rate</dt><dd data-k="tci-first-rate-${k}">${num3(o.first_rate_mg_per_h)} mg/h</dd><dd class="sub" data-k="tci-first-rate-ml-${k}" title="The rate of the first update interval; the pump recomputes it every ${pump ? num3(pump.update_interval_s) : '?'} s">${first ? `${num3(first.rate_ml_per_h)} mL/h` : ''}${pump ? ` · every ${num3(pump.update_interval_s)} s` : ''}</dd></div>
            ${steps}${implied}
          </dl></div>`;
      })
      .join('') +
    (out.length > MAX ? `<p class="help">${out.length - MAX} more pump sessions: every one is in the CSV and the CLI’s summary.</p>` : '') +
    (out.some((o) => o.target === 'occupancy') ? '<p class="help">Occupancy is model-derived (no human study measured it); the pump targets the model’s value.</p>' : '');
}
