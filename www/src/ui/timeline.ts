// The clinic timeline strip of one session: before → dosing → monitoring → below the recovery
// threshold. Every time comes from the engine's session timeline; this only draws it.
import type { Monitoring, SessionMonitoring, SessionTimeline } from '../engine/types';
import { duration, num3 } from './format';
import { monitoringEnd, monitoringTracks } from './monitoring';
import { badge } from './panel';
import { applyCss } from './dom';

export interface TimelineText {
  /** What the dose segment is called ("Infusion", "Nasal spray", …) and its detail line. */
  kindLabel: string;
  kindDetail: string;
  /** How the dose was worked out, e.g. "0.5 mg/kg × 70 kg = 35 mg". */
  doseText: string;
  thresholdNgPerMl: number;
  onsetNgPerMl: number;
  /** The label of the dissociative range the onset comes from, with its source. */
  onsetSource: string;
}

export function renderTimeline(el: HTMLElement, s: SessionTimeline, text: TimelineText, mon?: { session: SessionMonitoring; monitoring: Monitoring }): void {
  const start = s.start_min;
  const end = Math.max(s.dosing_end_min, start);
  const ready = s.below_recovery_at_min;
  const after = ready ?? end + 60;
  const stop = Math.max(after + 30, end + 45, (s.observation?.until_min ?? 0) + 15, mon ? monitoringEnd(mon.session) + 10 : 0);
  const span = stop - start;
  const grow = (a: number, b: number) => `flex:${Math.max(0, b - a) / span} 1 0`;
  const pct = (a: number, b: number) => `${(100 * Math.max(0, b - a)) / span}%`;
  const rel = (x: number) => x - start;
  const lastWindow = s.until_min;
  const from = s.dissociated_from_min;
  const to = s.dissociated_to_min;
  const diss =
    from !== null && to !== null
      ? `<div class="diss" data-css="left:${pct(start, from)};width:${pct(from, to)}" title="Effect site at or above ${text.onsetNgPerMl} ng/mL (${text.onsetSource})"></div><span>▬ dissociated (effect site ≥ ${text.onsetNgPerMl} ng/mL) ${duration(rel(from))} – ${duration(rel(to))} after the start, ${duration(s.dissociated_min)} in all</span>`
      : `<span>the effect site stays below the dissociative onset (${text.onsetNgPerMl} ng/mL)</span>`;
  const obs = s.observation;
  const observation = obs
    ? `<p class="obs" title="${obs.source} [${obs.provenance}]">Label: ${obs.rule} — until ${duration(obs.until_min - start)} after the start (${obs.source} ${badge(obs.provenance)}). The model's threshold above is not a discharge rule.</p>`
    : '';
  // the effect site never reaches the threshold after dosing: no monitoring time from the model
  const never = ready !== null && s.below_recovery_after_dosing_min === 0 && s.ce_max_ng_per_ml < text.thresholdNgPerMl;
  const beyond = ready === null ? (lastWindow < stop ? 'not before the next session' : 'beyond the simulated time') : '';
  el.innerHTML = `
    <div class="strip">
      <div class="seg pre" title="Before the session: weigh, consent, baseline vitals; dose by body weight">
        <b>Before</b><span>${text.doseText}</span></div>
      <div class="seg inf" data-css="${grow(start, end)}" title="${text.kindLabel}: ${text.kindDetail}">
        <b>${text.kindLabel}</b><span>${text.kindDetail}</span></div>
      <div class="seg mon" data-css="${grow(end, ready ?? stop)}" title="Monitoring until the effect-site concentration stays below ${text.thresholdNgPerMl} ng/mL">
        <b>Monitoring</b><span>${ready === null ? beyond : never ? 'clinical criteria decide' : 'until ' + duration(rel(ready))}</span></div>
      ${ready === null ? '' : `<div class="seg ok" data-css="${grow(ready, stop)}" title="Model estimate: effect-site concentration below ${text.thresholdNgPerMl} ng/mL. Clinical discharge criteria decide, not this model."><b>Below ${text.thresholdNgPerMl} ng/mL</b><span>${never ? `throughout: Ce peaks at ${num3(s.ce_max_ng_per_ml)} ng/mL, ${duration(rel(s.ce_max_at_min))} after the start` : `from ${duration(rel(ready))}`}</span></div>`}
    </div>
    <div class="diss-track">${diss}${obs ? `<div class="obs-mark" data-css="left:${pct(start, obs.until_min)}" title="End of the label's observation"></div>` : ''}</div>${observation}${mon ? monitoringTracks(mon.session, mon.monitoring, start, stop) : ''}`;
  applyCss(el);
}
