// The monitoring rules of one session under the clinic timeline: the blood-pressure checks,
// the cited blood-pressure course and the CADSS (dissociation) course, each in one line with
// its source; where the sources disagree, both are said. Every time is the engine's; this
// only places it.
import type { CitedCourse, Monitoring, SessionMonitoring } from '../engine/types';
import { duration } from './format';
import { badge } from './panel';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The latest time the rules of a session need on the strip (its other source's end excepted). */
export function monitoringEnd(mon: SessionMonitoring): number {
  return Math.max(0, ...mon.checks.map((c) => c.at_min), mon.bp_course?.to_min ?? 0, mon.cadss?.to_min ?? 0);
}

export function monitoringTracks(mon: SessionMonitoring, m: Monitoring, start: number, stop: number): string {
  const span = stop - start;
  const pct = (x: number) => `${Math.min(100, Math.max(0, (100 * (x - start)) / span))}%`;
  const short = (id: string) => m.sources.find((s) => s.id === id)?.short ?? id;
  const rel = (x: number) => duration(x - start);
  const rows: string[] = [];
  if (mon.checks.length) {
    const ticks = mon.checks
      .map((c) => `<i class="tick" data-css="left:${pct(c.at_min)}" title="${esc(`${c.at_min === start ? 'before' : rel(c.at_min)}: ${c.what} — ${short(c.source)} [${c.provenance}]`)}"></i>`)
      .join('');
    const c = mon.checks[0];
    rows.push(
      `<div class="mrow checks"><div class="mbar">${ticks}</div><p class="mtext" title="${esc(mon.checks.map((x) => x.what).filter((w, i, a) => a.indexOf(w) === i).join('; '))}"><b>BP checks</b>: ${esc(mon.checks_summary)} · <span class="src" data-source="${esc(c.source)}">${esc(short(c.source))}</span> ${badge(c.provenance)}</p></div>`,
    );
  }
  const course = (c: CitedCourse, cls: string) => {
    const other =
      c.other_to_min !== null
        ? `<i class="other" data-css="left:${pct(c.to_min)};width:calc(${pct(Math.min(c.other_to_min, stop))} - ${pct(c.to_min)})"></i>`
        : '';
    const title = `${short(c.source)}: ${c.text}${c.other_text && c.other_source ? ` — ${short(c.other_source)}: ${c.other_text}` : ''}`;
    const otherText =
      c.other_to_min !== null && c.other_source
        ? ` — <span class="disagree" data-source="${esc(c.other_source)}">${esc(short(c.other_source))}: lasts about ${rel(c.other_to_min)}${c.other_to_min > stop ? ' (beyond this strip)' : ''}</span>`
        : '';
    return `<div class="mrow ${cls}"><div class="mbar"><i class="span" data-css="left:${pct(c.from_min)};width:calc(${pct(c.to_min)} - ${pct(c.from_min)})"></i><i class="peak" data-css="left:${pct(c.peak_min)}"></i>${other}</div><p class="mtext" title="${esc(title)}"><b>${esc(c.what)}</b>: peak ${rel(c.peak_min)}, over by ${rel(c.to_min)} · <span class="src" data-source="${esc(c.source)}">${esc(short(c.source))}</span> ${badge(c.provenance)}${otherText}</p></div>`;
  };
  if (mon.bp_course) rows.push(course(mon.bp_course, 'bp'));
  if (mon.cadss) rows.push(course(mon.cadss, 'cadss'));
  const said = mon.statements.map((s) => `${esc(s.text)} (${s.sources.map((id) => esc(short(id))).join('; ')} ${badge(s.provenance)})`).join(' ');
  const words = !said ? '' : rows.length ? `<details class="mtext statement"><summary>What the sources say</summary>${said}</details>` : `<p class="mtext statement">${said}</p>`;
  return `<div class="mon-track" aria-label="Monitoring rules of the session">${rows.join('')}${words}</div>`;
}
