// The illustrative vitals chart (change in systolic and diastolic pressure and in heart rate,
// or the absolute values), its cited reference lines, the engine's statement of which curve is
// drawn and why, and the calibration for the model panel. Every number is the engine's; every
// one shown names its source. "ILLUSTRATIVE" is drawn into the canvas, so the PNG carries it.
import { clipToPlot, legendOf, styled, titleOf, type LegendItem } from './chartstyle';
import uPlot from 'uplot';
import type { Calibration, Cited, CitedSource, Monitoring, Threshold, VitalSeries } from '../engine/types';
import { moment, num3, timeOfDay, timeUnit } from './format';
import { badge } from './panel';
import { applyCss } from './dom';

export type VitalsShow = 'change' | 'absolute';

export const VITAL_COLORS: Record<string, string> = { sbp: '#b91c1c', dbp: '#c2410c', hr: '#047857' };

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** "Vankawala 2021 (meta-analysis) [READ]: note" for a title attribute. */
export function citeTitle(c: Cited, sources: CitedSource[]): string {
  const s = sources.find((x) => x.id === c.source);
  return `${s ? s.short : c.source} [${c.provenance}]: ${c.note}`;
}

/** A cited number as text with its unit and a provenance badge, its source in the tooltip: a
 * number taken from a source as printed there; a derived one to 3 digits (or `digits`). */
export function cited(c: Cited, sources: CitedSource[], digits?: number): string {
  const v = digits !== undefined ? c.value.toFixed(digits) : c.provenance === 'DERIVED' ? num3(c.value) : String(c.value);
  return `<span class="cited" data-source="${esc(c.source)}" title="${esc(citeTitle(c, sources))}">${v}${c.unit ? (c.unit === '%' ? ' %' : ` ${esc(c.unit)}`) : ''}</span> ${badge(c.provenance)}`;
}

const sourceShort = (m: Monitoring, id: string) => m.sources.find((s) => s.id === id)?.short ?? id;

/** "ILLUSTRATIVE — blood pressure: cited course (Vankawala 2021, …); heart rate: …". */
export function chartLabel(m: Monitoring): string {
  const groups = new Map<string, { names: string[]; sources: Set<string> }>();
  for (const v of m.vitals) {
    const key = v.mode;
    const g = groups.get(key) ?? { names: [], sources: new Set<string>() };
    g.names.push(v.sign === 'hr' ? 'heart rate' : v.sign === 'sbp' ? 'systolic' : 'diastolic');
    const ids = v.mode === 'empirical' ? [v.mean.source, v.band_low.source, v.band_high.source, ...v.knots.map((k) => k.source)] : ['vankawala2021', 'langsjo2005'];
    for (const id of ids) if (id !== 'ketasim') g.sources.add(sourceShort(m, id));
    groups.set(key, g);
  }
  const parts = [...groups.entries()].map(
    ([mode, g]) => `${g.names.join(', ')}: ${mode === 'empirical' ? 'cited course' : 'concentration-driven link, calibrated to'} ${[...g.sources].join(', ')}`,
  );
  return `${m.label} — not a published model. ${parts.join('; ')}`;
}

/** Words of `text` in lines no wider than `max` (by `measure`). */
function wrap(text: string, measure: (s: string) => number, max: number): string[] {
  const lines: string[] = [''];
  for (const w of text.split(' ')) {
    const cur = lines[lines.length - 1];
    const next = cur ? `${cur} ${w}` : w;
    if (measure(next) > max && cur) lines.push(w);
    else lines[lines.length - 1] = next;
  }
  return lines;
}

const X_INCRS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 4320, 10080];

export class VitalsChart {
  private u: uPlot | null = null;
  private shape = '';
  private m: Monitoring | null = null;
  private show: VitalsShow = 'change';
  private span = 360;

  constructor(private el: HTMLElement) {
    let lastW = 0;
    new ResizeObserver(() => {
      const w = el.getBoundingClientRect().width;
      if (Math.abs(w - lastW) >= 1 && this.u) {
        lastW = w;
        // the label may need more or fewer lines at the new width: rebuild then
        if (this.last && this.labelLinesAt(this.size().width) !== this.labelLines) {
          this.shape = '';
          this.update(...this.last);
        } else this.u.setSize(this.size());
      }
    }).observe(el);
  }

  private size(): { width: number; height: number } {
    const width = Math.max(200, Math.floor(this.el.getBoundingClientRect().width));
    const narrow = window.innerWidth < 900;
    // the plot keeps its height however many lines the label above it needs
    const height = Math.round(Math.min(320, Math.max(200, window.innerHeight * (narrow ? 0.28 : 0.34)))) + 13 * Math.max(0, this.labelLines - 2);
    return { width, height };
  }

  /** The chart's canvas, for the PNG export. */
  canvas(): HTMLCanvasElement | null {
    return this.u?.ctx.canvas ?? null;
  }

  /** The canvas with its legend, for the PNG export. */
  exportPart(): { canvas: HTMLCanvasElement; title: string; legend: LegendItem[] } | null {
    return this.u ? { canvas: this.u.ctx.canvas, title: titleOf(this.u), legend: legendOf(this.u) } : null;
  }

  private series(v: VitalSeries, which: 'mid' | 'low' | 'high'): Float64Array {
    const abs = this.show === 'absolute';
    if (which === 'low') return abs ? v.value_low : v.change_low;
    if (which === 'high') return abs ? v.value_high : v.change_high;
    return abs ? v.value : v.change;
  }

  /** The reference lines of the shown view: rises on the change view, values on the absolute one. */
  private lines(): Threshold[] {
    const m = this.m;
    if (!m) return [];
    return m.thresholds.filter((t) => (this.show === 'absolute' ? t.kind === 'absolute' : t.kind === 'rise'));
  }

  private range(): [number, number] {
    const m = this.m;
    if (!m) return [0, 1];
    let lo = Infinity;
    let hi = -Infinity;
    const xs = this.u?.scales.x;
    const t0 = xs?.min ?? -Infinity;
    const t1 = xs?.max ?? Infinity;
    const t = this.t;
    for (const v of m.vitals) {
      const a = this.series(v, 'low');
      const b = this.series(v, 'high');
      const c = this.series(v, 'mid');
      for (let i = 0; i < t.length; i++) {
        if (t[i] < t0 || t[i] > t1) continue;
        lo = Math.min(lo, a[i], c[i]);
        hi = Math.max(hi, b[i], c[i]);
      }
    }
    for (const l of this.lines()) {
      lo = Math.min(lo, l.value.value);
      hi = Math.max(hi, l.value.value);
    }
    if (!Number.isFinite(lo)) return [0, 1];
    const pad = (hi - lo) * 0.06 || 1;
    // headroom above the highest line for its label
    return [this.show === 'change' ? Math.min(0, lo - pad) : lo - pad, hi + 2.5 * pad];
  }

  private t: Float64Array = new Float64Array();
  private labelLines = 0;
  private last: [Float64Array, Monitoring, VitalsShow, [number, number] | null] | null = null;

  private labelLinesAt(width: number): number {
    const probe = document.createElement('canvas').getContext('2d');
    if (!probe || !this.m) return 2;
    probe.font = '700 11px system-ui, sans-serif';
    return wrap(chartLabel(this.m), (s) => probe.measureText(s).width, width - 90).length;
  }

  update(t: Float64Array, m: Monitoring, show: VitalsShow, xRange: [number, number] | null): void {
    this.last = [t, m, show, xRange];
    this.m = m;
    this.t = t;
    this.show = show;
    this.span = xRange ? xRange[1] - xRange[0] : t[t.length - 1] - t[0];
    this.el.dataset.show = show;
    this.el.dataset.modes = m.vitals.map((v) => `${v.sign}:${v.mode}`).join(' ');
    const shape = [show, timeUnit(this.span), chartLabel(m)].join('|');
    if (shape !== this.shape) {
      this.shape = shape;
      this.build();
    }
    const data = [t, ...m.vitals.map((v) => this.series(v, 'mid'))] as unknown as uPlot.AlignedData;
    const [min, max] = xRange ?? [t[0], t[t.length - 1]];
    this.u!.batch(() => {
      this.u!.setData(data, false);
      this.u!.setScale('x', { min, max });
    });
  }

  private build(): void {
    this.u?.destroy();
    const m = this.m!;
    const abs = this.show === 'absolute';
    const span = () => this.span;
    const unitOf = (v: VitalSeries) => (v.unit === 'beats/min' ? 'beats/min' : 'mmHg');
    const drawBands = (u: uPlot) => {
      const mm = this.m;
      if (!mm) return;
      const ctx = u.ctx;
      const t = this.t;
      clipToPlot(u); // saves the context; restored below
      const X = (i: number) => u.valToPos(t[i], 'x', true);
      const Y = (v: number) => u.valToPos(v, 'y', true);
      for (const v of mm.vitals) {
        const lo = this.series(v, 'low');
        const hi = this.series(v, 'high');
        ctx.beginPath();
        ctx.moveTo(X(0), Y(hi[0]));
        for (let i = 1; i < t.length; i++) ctx.lineTo(X(i), Y(hi[i]));
        for (let i = t.length - 1; i >= 0; i--) ctx.lineTo(X(i), Y(lo[i]));
        ctx.closePath();
        ctx.globalAlpha = 0.13;
        ctx.fillStyle = VITAL_COLORS[v.sign];
        ctx.fill();
      }
      ctx.restore();
    };
    // after the grid and the curves: the reference lines and the labels stay readable
    const drawLines = (u: uPlot) => {
      const mm = this.m;
      if (!mm) return;
      const ctx = u.ctx;
      const { left, top, width, height } = u.bbox;
      const Y = (v: number) => u.valToPos(v, 'y', true);
      ctx.save();
      // reference lines, each labelled with its level and source
      const dpr = devicePixelRatio;
      ctx.font = `${Math.round(10 * dpr)}px system-ui, sans-serif`;
      ctx.textAlign = 'right';
      for (const l of this.lines()) {
        const y = Y(l.value.value);
        if (y < top || y > top + height) continue;
        ctx.strokeStyle = VITAL_COLORS[l.sign];
        ctx.lineWidth = 1 * dpr;
        ctx.setLineDash([5 * dpr, 4 * dpr]);
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = VITAL_COLORS[l.sign];
        // the label clear of its dashed line: descenders included (baseline 5 px above it, or the
        // cap height below it)
        const below = y - 14 * dpr < top;
        const level = `${l.kind === 'rise' ? '+' : ''}${l.value.value} mmHg ${l.sign === 'sbp' ? 'systolic' : 'diastolic'}`;
        // narrow charts: the level and its label; the source is in the list under the chart
        const text = u.width < 560 ? `${level} [${l.value.provenance}]` : `${level} (${l.when}) · ${sourceShort(mm, l.value.source)} [${l.value.provenance}]`;
        ctx.fillText(text, left + width - 4 * dpr, below ? y + 12 * dpr : y - 5 * dpr);
      }
      ctx.restore();
      // the word and the sources on the canvas itself (above the plot): on screen and in the PNG
      ctx.save();
      ctx.textAlign = 'left';
      ctx.font = `700 ${Math.round(11 * dpr)}px system-ui, sans-serif`;
      ctx.fillStyle = '#9a3412';
      // the same width as the room made for it in build()
      const lines = wrap(chartLabel(mm), (s) => ctx.measureText(s).width, (u.width - 90) * dpr);
      const lh = 13 * dpr;
      lines.forEach((l, i, a) => ctx.fillText(l, left + 2 * dpr, top - 5 * dpr - (a.length - 1 - i) * lh));
      ctx.restore();
    };
    // room above the plot for the label, wrapped to the chart's width
    this.labelLines = this.labelLinesAt(this.size().width);
    const nLines = this.labelLines;
    const size = this.size();
    this.u = new uPlot(
      {
        ...size,
        // right: uPlot's own room (half a y axis, as the charts above have), so the last time
        // tick's label is whole on the canvas and in the PNG
        padding: [8 + 13 * nLines, null, 0, 0],
        title: abs
          ? 'Blood pressure (mmHg) and heart rate (beats/min) — ILLUSTRATIVE'
          : 'Change in blood pressure (mmHg) and heart rate (beats/min) from pre-dose — ILLUSTRATIVE',
        cursor: { sync: { key: uPlot.sync('ketasim').key }, drag: { x: false, y: false }, points: { size: 6 } },
        scales: { x: { time: false }, y: { range: () => this.range() } },
        axes: [
          styled({
            label: { min: 'time (min)', h: 'time (hours)', d: 'time (days)' }[timeUnit(this.span)],
            incrs: X_INCRS,
            values: (_u, splits) => splits.map((v) => timeOfDay(v, span())),
            grid: { stroke: '#e5e7eb' },
          }),
          styled({ label: abs ? 'mmHg · beats/min' : 'Δ mmHg · Δ beats/min', grid: { stroke: '#e5e7eb' } }, true),
        ],
        series: [
          { label: 'time', value: (_u, v) => (v == null ? '–' : timeOfDay(v, span())) },
          ...m.vitals.map((v) => ({
            label: `${v.sign === 'hr' ? 'Heart rate' : v.sign === 'sbp' ? 'Systolic' : 'Diastolic'}${abs ? '' : ' Δ'} · ${v.mode === 'empirical' ? 'cited course' : 'concentration-driven'}`,
            stroke: VITAL_COLORS[v.sign],
            width: 2.25,
            dash: v.mode === 'empirical' ? undefined : [7, 4],
            value: (_u: uPlot, x: number | null) => (x == null ? '–' : `${abs ? '' : x >= 0 ? '+' : ''}${x.toFixed(1)} ${unitOf(v)}`),
          })),
        ],
        hooks: { drawClear: [drawBands], draw: [drawLines] },
        legend: { live: true },
      },
      [[], ...m.vitals.map(() => [])] as unknown as uPlot.AlignedData,
      this.el,
    );
  }
}

/** The statement under the chart: what is drawn for each sign, why, and from which sources. */
export function renderVitalsInfo(el: HTMLElement, m: Monitoring, spanMin: number): void {
  const s = m.sources;
  // redrawn only when what it says changes (a weight change leaves a cited course as it is)
  const key = JSON.stringify([spanMin, m.predose.text, m.thresholds_scope, m.vitals.map((v) => [v.mode, v.why, v.peak_change, v.peak_at_min, v.peak_value, v.mean.value, v.band_low.value, v.band_high.value])]);
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  const rows = m.vitals
    .map(
      (v) =>
        `<li data-sign="${v.sign}" data-mode="${v.mode}" title="${esc(v.source_label)}"><span class="sw" data-css="background:${VITAL_COLORS[v.sign]}"></span><b>${esc(v.name)}</b> <span class="mode mode-${v.mode}">${v.mode === 'empirical' ? 'cited course' : 'concentration-driven'}</span>: peak ${v.peak_change >= 0 ? '+' : ''}${v.peak_change.toFixed(1)} ${esc(v.unit)} at ${moment(v.peak_at_min, spanMin)} (${num3(v.peak_value)} ${esc(v.unit)}) · mean ${cited(v.mean, s)} · band ${cited(v.band_low, s)} – ${cited(v.band_high, s)} <span class="src" title="${esc(v.band)}">(${esc(v.band)})</span></li>`,
    )
    .join('');
  const byWhy = new Map<string, string[]>();
  for (const v of m.vitals) {
    const k = `${v.mode === 'empirical' ? 'Cited course' : 'Concentration-driven'}|${v.why}`;
    byWhy.set(k, [...(byWhy.get(k) ?? []), v.sign === 'hr' ? 'heart rate' : v.sign === 'sbp' ? 'systolic' : 'diastolic']);
  }
  const whys = [...byWhy.entries()].map(([k, signs]) => {
    const [mode, why] = k.split('|');
    return `${mode} (${signs.join(', ')}): ${why}.`;
  });
  const lines = m.thresholds
    .map((t) => `<li data-threshold="${t.id}" title="${esc(t.value.note)}">${esc(t.rule)}: ${cited(t.value, s)} <span class="src">${esc(sourceShort(m, t.value.source))}</span></li>`)
    .join('');
  const b = m.baseline;
  el.innerHTML = `
    <ul class="vitals-modes">${rows}</ul>
    <p class="why">${whys.map(esc).join(' ')}</p>
    <p class="predose${m.predose.above ? ' above' : ''}">Pre-dose ${cited(b.sbp_mmhg, s)}/${cited(b.dbp_mmhg, s)}, ${cited(b.hr_bpm, s)}: ${esc(m.predose.text)}</p>
    <details class="thresholds"><summary><b class="illustrative">${esc(m.label)}</b> ${esc(m.statement)} Reference lines (${m.thresholds.length}): ${esc(m.thresholds_scope)}</summary><ul>${lines}</ul></details>`;
  applyCss(el);
}

/** The calibration of the concentration-driven link, for the model panel. */
export function calibrationHtml(cal: Calibration, sources: CitedSource[]): string {
  const rows = cal.signs
    .map(
      (x) =>
        `<tr><td>${x.sign.toUpperCase()}</td><td>${cited(x.emax_percent, sources)}</td><td>${cited(x.emax, sources, 2)}</td><td>${cited(x.anchor_change, sources)}</td><td>${cited(x.ec50_ng_per_ml, sources, 0)}</td><td>${cited(x.anchor_low, sources)} → ${cited(x.ec50_low_ng_per_ml, sources, 0)}<br>${cited(x.anchor_high, sources)} → ${cited(x.ec50_high_ng_per_ml, sources, 0)}</td></tr>`,
    )
    .join('');
  const checks = cal.checks
    .map(
      (c) =>
        `<li>${esc(c.what)}: at ${cited(c.concentration, sources, 0)} S-ketamine the link gives MAP +${c.map_rise_percent.toFixed(1)} % and heart rate +${c.hr_rise_percent.toFixed(1)} %; cited ${cited(c.cited_low, sources, 0)}–${cited(c.cited_high, sources, 0)}.</li>`,
    )
    .join('');
  const rb = cal.reference_baseline;
  return `
    <h4>Vitals: the concentration-driven link <b class="illustrative">ILLUSTRATIVE</b></h4>
    <p>${esc(cal.link)}. ${esc(cal.drive)}</p>
    <p>${esc(cal.saturation)} ${esc(cal.ke0)}</p>
    <p>Calibration: Emax = the anaesthetic-range maximum (Långsjö 2005) at the reference baseline ${cited(rb.sbp_mmhg, sources)}/${cited(rb.dbp_mmhg, sources)}, ${cited(rb.hr_bpm, sources)}; EC50 = C·(Emax/Δ − 1), so the link gives the infusion mean Δ at the anchor C = ${cited(cal.anchor_ce_ng_per_ml, sources, 1)} S-ketamine (${esc(cal.anchor_regimen)}; S share ${cited(cal.s_fraction, sources, 2)}).</p>
    <table class="calibration"><thead><tr><th>Sign</th><th>Maximum rise</th><th>Emax</th><th>Infusion mean Δ</th><th>EC50 (S-ketamine Ce)</th><th>Band: Δ → EC50</th></tr></thead><tbody>${rows}</tbody></table>
    <ul class="notes">${checks}${cal.limitations.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
}

/** The panel's sources, for the model panel. */
export function sourcesHtml(sources: CitedSource[]): string {
  return `<h4>Sources of the vitals and side-effect panels</h4><ul class="notes sources">${sources
    .map((s) => `<li id="src-${s.id}"><b>${esc(s.short)}</b>: ${esc(s.citation)}${s.url ? ` <a href="${esc(s.url)}" rel="noreferrer" target="_blank">link</a>` : ''}</li>`)
    .join('')}</ul>`;
}

/** Shows the view's choice and the scenario's curve choice; the pre-dose boxes' placeholders
 * are the engine's defaults. */
export function syncVitalsControls(show: VitalsShow, curve: string | undefined | null, m: Monitoring | null): void {
  document.querySelectorAll<HTMLInputElement>('input[name=vitals-show]').forEach((r) => (r.checked = r.value === show));
  const sel = document.getElementById('vitals-curve') as HTMLSelectElement | null;
  if (sel) sel.value = curve ?? 'auto';
  if (!m) return;
  for (const [id, c] of [
    ['base-sbp', m.baseline.sbp_mmhg],
    ['base-dbp', m.baseline.dbp_mmhg],
    ['base-hr', m.baseline.hr_bpm],
  ] as const) {
    const el = document.getElementById(id) as HTMLInputElement | null;
    if (el) el.placeholder = String(c.value);
  }
  // what an empty box means: the engine's reference (default) baseline, with its provenance
  const r = m.calibration.reference_baseline;
  const help = document.getElementById('base-help');
  if (help) help.textContent = `Before dosing. Empty: ${r.sbp_mmhg.value}/${r.dbp_mmhg.value} mmHg, ${r.hr_bpm.value} beats/min [${r.sbp_mmhg.provenance}]. They move the absolute values, not the rise.`;
}

/** Wires the view toggle and the curve choice. */
export function bindVitals(on: { show: (s: VitalsShow) => void; curve: (c: string | undefined) => void }): void {
  document.querySelectorAll<HTMLInputElement>('input[name=vitals-show]').forEach((r) =>
    r.addEventListener('change', () => on.show(r.value === 'absolute' ? 'absolute' : 'change')),
  );
  document.getElementById('vitals-curve')?.addEventListener('change', (e) => {
    const v = (e.target as HTMLSelectElement).value;
    on.curve(v === 'auto' ? undefined : v);
  });
}
