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
    <div><dt>Peak plasma Cmax</dt><dd data-k="cmax">${conc({ ng: a.cmax_ng_per_ml, um: a.cmax_um })}</dd><small${m.peak_at_bolus ? ' class="caveat" title="The model mixes a bolus instantly in the central volume: the first minutes after it overstate plasma levels. The effect-site peak is the meaningful one."' : ''}>at ${at(a.tmax_min)}${m.peak_at_bolus ? ' · bolus: instant mixing assumed' : ''}</small></div>
    <div><dt>Peak effect site</dt><dd data-k="cemax">${conc({ ng: a.ce_max_ng_per_ml, um: a.ce_max_um })}</dd><small>at ${at(a.ce_tmax_min)}</small></div>
    <div><dt>Time dissociated</dt><dd data-k="dissociated">${duration(m.dissociated_min)}</dd><small>effect site ≥ ${onset} ng/mL</small></div>
    <div><dt>Ce below ${rec.threshold_ng_per_ml} ng/mL</dt>${
      a.ce_max_ng_per_ml < rec.threshold_ng_per_ml
        ? `<dd data-k="recovery">always</dd><small>Ce never reaches it (peak ${num3(a.ce_max_ng_per_ml)} ng/mL)</small>`
        : `<dd data-k="recovery">${rec.after_dosing_min === null ? 'not yet' : duration(rec.after_dosing_min)}</dd><small>after dosing ended${n > 1 ? ' (last session)' : ''}</small>`
    }</div>
    <div><dt>Peak NMDA occupancy</dt><dd data-k="occupancy">${(m.occupancy_max * 100).toFixed(0)} %</dd><small title="${parts.map((p) => `${p.analyte}: ${(p.occupancy * 100).toFixed(1)} %`).join(', ')}">model-derived${shares ? ` · ${shares}` : ''}</small></div>
    <div><dt>${n > 1 ? 'Dose in all' : 'Dose'}</dt><dd data-k="dose">${num3(n > 1 ? m.administered_mg : perSession)} mg</dd><small>${n > 1 ? `${n} sessions (base)` : 'base'}</small></div>`;
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
  const infusion = item?.kind === 'infusion';
  const key = item ? amountKey(item) : 'dose_mg';
  const given = `${num3(s.administered_mg)} mg`;
  const doseText =
    key === 'devices' && dev
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
  renderTimeline($('timeline'), s, {
    kindLabel: infusion ? 'Infusion' : dev ? 'Nasal spray' : item?.route === 'iv' ? 'IV injection' : routeLabel(meta, item?.route ?? 'iv'),
    kindDetail: infusion
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
  });
}
