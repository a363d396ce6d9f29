// The clinic timeline strip: before → infusion → monitoring → ready for discharge, derived from
// the simulated effect-site concentration of one session.

export interface SessionView {
  /** Session start, min. */
  start: number;
  /** End of the dose (infusion end, or the bolus time), min. */
  end: number;
  /** When Ce stays below the recovery threshold after `end` (null: not within the data). */
  readyAt: number | null;
  /** First and last time with Ce in the dissociative band during the session (null: never). */
  dissociation: [number, number] | null;
  /** What the dose segment is called ("Infusion", "Nasal spray", …) and its detail line. */
  kindLabel: string;
  kindDetail: string;
  /** How the dose was worked out, e.g. "0.5 mg/kg × 70 kg = 35.0 mg". */
  doseText: string;
  thresholdNgPerMl: number;
}

/** The session's timings from the effect-site series (ng/mL) between `start` and `until`. */
export function sessionView(
  t: Float64Array,
  ce: Float64Array,
  start: number,
  end: number,
  until: number,
  threshold: number,
  band: [number, number],
): { readyAt: number | null; dissociation: [number, number] | null } {
  let lastAbove = -1;
  let firstBand: number | null = null;
  let lastBand: number | null = null;
  let lastIdx = -1;
  for (let i = 0; i < t.length; i++) {
    if (t[i] < start) continue;
    if (t[i] > until) break;
    lastIdx = i;
    if (ce[i] >= band[0]) {
      if (firstBand === null) firstBand = t[i];
      lastBand = t[i];
    }
    if (t[i] >= end && ce[i] >= threshold) lastAbove = i;
  }
  let readyAt: number | null;
  if (lastAbove < 0) readyAt = end;
  else if (lastAbove >= lastIdx) readyAt = null;
  else {
    const i = lastAbove;
    const f = (threshold - ce[i]) / (ce[i + 1] - ce[i]);
    readyAt = Math.max(end, t[i] + f * (t[i + 1] - t[i]));
  }
  return { readyAt, dissociation: firstBand === null ? null : [firstBand, lastBand ?? firstBand] };
}

const fmt = (m: number) => (m >= 120 ? `${Math.floor(m / 60)} h ${Math.round(m % 60)} min` : `${Math.round(m)} min`);

export function renderTimeline(el: HTMLElement, v: SessionView): void {
  // "Before" has a fixed width; the rest of the strip is proportional to time from the start
  const after = v.readyAt ?? v.end + 60;
  const stop = Math.max(after + 30, v.end + 45);
  const span = stop - v.start;
  const grow = (a: number, b: number) => `flex:${Math.max(0, b - a) / span} 1 0`;
  const pct = (a: number, b: number) => `${(100 * Math.max(0, b - a)) / span}%`;
  const rel = (x: number) => x - v.start;
  const ready = v.readyAt;
  const diss = v.dissociation
    ? `<div class="diss" style="left:${pct(v.start, v.dissociation[0])};width:${pct(v.dissociation[0], v.dissociation[1])}" title="Effect-site concentration in the dissociative range (100–250 ng/mL, Krystal 1994 via Zanos 2018)"></div><span>▬ effect site in the dissociative range ${fmt(rel(v.dissociation[0]))} – ${fmt(rel(v.dissociation[1]))} after the start</span>`
    : `<span>the effect site never reaches the dissociative range (100 ng/mL)</span>`;
  el.innerHTML = `
    <div class="strip">
      <div class="seg pre" title="Before the session: weigh, consent, baseline vitals; dose by body weight">
        <b>Before</b><span>${v.doseText}</span></div>
      <div class="seg inf" style="${grow(v.start, v.end)}" title="${v.kindLabel}: ${v.kindDetail}">
        <b>${v.kindLabel}</b><span>${v.kindDetail}</span></div>
      <div class="seg mon" style="${grow(v.end, ready ?? stop)}" title="Monitoring until the effect-site concentration falls below ${v.thresholdNgPerMl} ng/mL">
        <b>Monitoring</b><span>${ready === null ? 'beyond the simulated time' : 'until ' + fmt(rel(ready))}</span></div>
      ${ready === null ? '' : `<div class="seg ok" style="${grow(ready, stop)}" title="Model estimate: effect-site concentration below ${v.thresholdNgPerMl} ng/mL. Clinical discharge criteria decide, not this model."><b>Ready for discharge</b><span>from ${fmt(rel(ready))}</span></div>`}
    </div>
    <div class="diss-track">${diss}</div>`;
}
