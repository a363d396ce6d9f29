// uPlot charts: concentration (with cited landmark bands) and model-derived occupancy.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LandmarkUm as Landmark } from '../engine/types';
import type { ConcUnit } from './state';
import { num3, timeOfDay, timeUnit } from './format';
import { axisStyle, clipToPlot, legendOf, styled, titleOf, type LegendItem } from './chartstyle';
import { intersects, placeBandNames, type BandName, type Box } from './labels';

export interface Metabolite {
  id: string;
  name: string;
  /** ng/mL */
  cp: Float64Array;
  /** µM (the engine's conversion) */
  cpUm: Float64Array;
}

export interface Run {
  label: string;
  /** Name of the administered drug's analyte. */
  name: string;
  /** Further analytes (metabolites, the other enantiomer): plasma concentration. */
  extra: Metabolite[];
  t: Float64Array;
  /** ng/mL and µM (both from the engine) */
  cp: Float64Array;
  cpUm: Float64Array;
  ce: Float64Array;
  ceUm: Float64Array;
  /** fraction 0–1 */
  occ: Float64Array;
  /** Target-controlled infusion: the pumps' rate (null without one). */
  pump: PumpSteps | null;
  /** Target-controlled infusion: each target over the time it applies (reference lines). */
  targets: TargetLine[];
}

/** The pumps' rate as the engine's constant-rate segments (steps), and on the output grid. */
export interface PumpSteps {
  /** Start of each step, min (a step lasts until the next). */
  x: Float64Array;
  /** mg/h and mL/h of each step (the engine's). */
  mg: Float64Array;
  ml: Float64Array;
  /** The rate at each output time (the engine's), for the tooltip. */
  gridMg: Float64Array;
  gridMl: Float64Array;
  /** Every pump has the same syringe: mL/h is the same curve on the right axis. */
  oneSyringe: boolean;
}

/** A TCI target from `from` to `to` (min): ng/mL and µM for a concentration, % for occupancy. */
export interface TargetLine {
  from: number;
  to: number;
  ng: number | null;
  um: number | null;
  percent: number | null;
  /** What it targets ("effect site"). */
  what: string;
}

/** Percentile bands of a virtual population, on the main run's time grid. */
export interface PopBands {
  t: Float64Array;
  /** Keyed by quantity (`cp:<analyte>`, `ce:<analyte>`, `occupancy`): series p5, p25, p50, p75, p95. */
  series: Map<string, Float64Array[]>;
  /** µM per ng/mL of each banded quantity (the engine's, from the analyte's molecular weight). */
  umPerNg: Map<string, number>;
  size: number;
}

export const COLORS = {
  cp: '#1d4ed8',
  ce: '#be185d',
  occ: '#6d28d9',
  pump: '#0e7490',
  target: '#111827',
  pins: ['#0f766e', '#b45309', '#4b5563', '#9333ea'],
  /** Each pinned run's dash pattern (CSS px), so pins differ in more than colour (also in print). */
  pinDash: [[6, 4], [2, 3], [10, 3, 2, 3], [14, 5]] as number[][],
  extra: ['#ea580c', '#059669', '#0891b2'],
};

/**
 * Issue 12: how the charts are presented in lecture mode (null: the page's ordinary look). Only
 * the look changes: the data are the engine's run as on the page.
 */
export interface Presentation {
  /** Axis tick and label font, px. */
  fontPx: number;
  /** High-contrast dark theme. */
  dark: boolean;
  /** Series drawn thick (the others dimmed): 'plasma', 'effect_site', 'metabolites', 'occupancy'. */
  emphasis: string[];
  /** The landmark bands drawn strongly and labelled large (the dissociative range). */
  strongBands: boolean;
  /** Shaded time ranges with a label (e.g. dosing, from the engine's session timeline), min. */
  spans: { from: number; to: number; label: string }[];
  /** Horizontal reference lines on the concentration chart in ng/mL (drawn in the ng/mL unit only). */
  lines: { ng: number; label: string }[];
}

/** The series colours on the dark lecture theme (the same hues, lighter). */
export const DARK_COLORS: typeof COLORS = {
  cp: '#60a5fa',
  ce: '#f472b6',
  occ: '#c4b5fd',
  pump: '#22d3ee',
  target: '#f8fafc',
  pins: ['#2dd4bf', '#fbbf24', '#cbd5e1', '#e879f9'],
  extra: ['#fb923c', '#34d399', '#67e8f9'],
  pinDash: COLORS.pinDash,
};
const BAND_TEXT_DARK: Record<string, string> = { analgesic: '#86efac', dissociative: '#fde047', anaesthetic: '#fca5a5' };

const BAND_FILL: Record<string, string> = {
  analgesic: 'rgba(22, 163, 74, 0.12)',
  dissociative: 'rgba(234, 179, 8, 0.20)',
  anaesthetic: 'rgba(220, 38, 38, 0.12)',
};
const BAND_TEXT: Record<string, string> = {
  analgesic: '#166534',
  dissociative: '#854d0e',
  anaesthetic: '#991b1b',
};

function timeAxisLabel(spanMin: number): string {
  return { min: 'time (min)', h: 'time (hours)', d: 'time (days)' }[timeUnit(spanMin)];
}

/** The keyboard crosshair crosses the view in this many arrow-key steps, or page steps. */
const CROSSHAIR_STEPS = 100;
const CROSSHAIR_PAGES = 10;

const X_INCRS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 4320, 10080];

/** Linear interpolation of (t, y) onto `x` (NaN → gap outside the run). */
function resample(t: Float64Array, y: Float64Array, x: Float64Array, scale: number): (number | null)[] {
  const out: (number | null)[] = new Array(x.length);
  let j = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    if (xi < t[0] || xi > t[t.length - 1]) {
      out[i] = null;
      continue;
    }
    while (j < t.length - 2 && t[j + 1] < xi) j++;
    const t0 = t[j];
    const t1 = t[j + 1] ?? t0;
    const f = t1 > t0 ? (xi - t0) / (t1 - t0) : 0;
    out[i] = (y[j] + f * ((y[j + 1] ?? y[j]) - y[j])) * scale;
  }
  return out;
}

function scaled(y: Float64Array, s: number): Float64Array {
  if (s === 1) return y;
  const o = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) o[i] = y[i] * s;
  return o;
}

export class Charts {
  private conc: uPlot | null = null;
  private occ: uPlot | null = null;
  private pump: uPlot | null = null;
  private logY = false;
  /** The concentration axis's last range (for the landmark legend). */
  private yRange: [number, number] = [0, 1];
  private shape = '';
  private unit: ConcUnit = 'ng';
  private span = 360;
  private main: Run | null = null;
  private pins: Run[] = [];
  private hidden = new Set<string>();
  /** Landmark bands of the shown drug (the engine lists which apply). */
  private bands: Landmark[] = [];
  /** The concentration chart's labels as last drawn (CSS px): for the tests. */
  private labels: { plot: Box; labels: { text: string; box: Box }[]; left: string[] } | null = null;
  private pop: PopBands | null = null;
  /** Issue 12: lecture-mode presentation (null: the ordinary look). */
  private pres: Presentation | null = null;
  /** Issue 12: time of the animated diagram, drawn as a vertical line (null: none), min. */
  private marker: number | null = null;
  /** Issue 12: called with the time under a click on a chart, min. */
  onPick: ((tMin: number) => void) | null = null;
  private xRange: [number, number] | null = null;
  private landmarkIds: string[] = [];
  /** The axis font the charts were built with (they rebuild when the page's type scales). */
  private font = '';
  /** Printing: the charts take a fixed size that fits one landscape page beside the readouts. */
  private printing = false;
  /** Keyboard crosshair: the index on the time grid, or -1. */
  private kIdx = -1;

  constructor(
    private concEl: HTMLElement,
    private occEl: HTMLElement,
    private pumpEl: HTMLElement,
    private tip: HTMLElement,
    private landmarks: Landmark[],
  ) {
    let lastW = 0;
    const ro = new ResizeObserver(() => {
      const w = concEl.getBoundingClientRect().width;
      if (Math.abs(w - lastW) >= 1) {
        lastW = w;
        this.resize();
      }
    });
    ro.observe(concEl);
    window.addEventListener('resize', () => this.resize());
    concEl.addEventListener('keydown', (e) => this.key(e));
    concEl.addEventListener('blur', () => {
      this.kIdx = -1;
      this.conc?.setCursor({ left: -10, top: -10 });
      this.tip.hidden = true;
    });
  }

  /** Keyboard crosshair: ←/→ one step (Shift: ten), PageUp/PageDown a tenth of the view, Home/End. */
  private key(e: KeyboardEvent): void {
    const u = this.conc;
    const m = this.main;
    if (!u || !m) return;
    const t = m.t;
    const x0 = u.scales.x.min ?? t[0];
    const x1 = u.scales.x.max ?? t[t.length - 1];
    let i0 = 0;
    while (i0 < t.length - 1 && t[i0] < x0) i0++;
    let i1 = t.length - 1;
    while (i1 > 0 && t[i1] > x1) i1--;
    const step = Math.max(1, Math.round((i1 - i0) / CROSSHAIR_STEPS));
    const page = Math.max(1, Math.round((i1 - i0) / CROSSHAIR_PAGES));
    let k = this.kIdx < i0 || this.kIdx > i1 ? -1 : this.kIdx;
    const from = k < 0 ? i0 : k;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowUp':
        k = k < 0 ? i0 : from + step * (e.shiftKey ? 10 : 1);
        break;
      case 'ArrowLeft':
      case 'ArrowDown':
        k = k < 0 ? i0 : from - step * (e.shiftKey ? 10 : 1);
        break;
      case 'PageUp':
        k = from + page;
        break;
      case 'PageDown':
        k = from - page;
        break;
      case 'Home':
        k = i0;
        break;
      case 'End':
        k = i1;
        break;
      case 'Escape':
        this.kIdx = -1;
        u.setCursor({ left: -10, top: -10 });
        this.tip.hidden = true;
        return;
      default:
        return;
    }
    e.preventDefault();
    k = Math.min(i1, Math.max(i0, k));
    this.kIdx = k;
    const ng = this.unit === 'ng';
    const left = u.valToPos(t[k], 'x');
    const top = u.valToPos((ng ? m.cp : m.cpUm)[k], 'y');
    u.setCursor({ left, top: Math.max(0, top) });
    const live = document.getElementById('chart-live');
    if (live) live.textContent = this.describe(k);
  }

  /** The values at grid index `k` in words (the engine's arrays, formatted). */
  describe(k: number): string {
    const m = this.main;
    if (!m) return '';
    const ng = this.unit === 'ng';
    const unit = this.unitLabel();
    const parts = [
      `${m.name} plasma ${num3((ng ? m.cp : m.cpUm)[k])} ${unit}`,
      `effect site ${num3((ng ? m.ce : m.ceUm)[k])} ${unit}`,
      ...m.extra.filter((e) => !this.hidden.has(e.id)).map((e) => `${e.name} plasma ${num3((ng ? e.cp : e.cpUm)[k])} ${unit}`),
      `NMDA occupancy ${(m.occ[k] * 100).toFixed(1)} % (model-derived)`,
      ...(m.pump ? [`pump ${num3(m.pump.gridMg[k])} mg/h`] : []),
    ];
    return `Time ${timeOfDay(m.t[k], this.span)}${this.span > 12 * 60 ? '' : ' min'}: ${parts.join(', ')}.`;
  }

  /**
   * Plot size: the container's width, and a height that fits the screen. On a wide screen the
   * results scroll in their own column (layout.css): the concentration, pump and occupancy
   * charts share the room left below the readouts, so all of them are on the first screen.
   * On a tablet or phone: fractions of the screen height.
   */
  private size(el: HTMLElement): { width: number; height: number } {
    if (this.printing) return { width: 620, height: el === this.concEl ? 300 : el === this.pumpEl ? 110 : 150 };
    const width = Math.max(200, Math.floor(el.getBoundingClientRect().width));
    if (this.pres) {
      // issue 12, lecture mode: the charts fill the hall's screen (lecture.css leaves them room);
      // a scene about occupancy gives its chart the room
      const occ = this.pres.emphasis.includes('occupancy');
      const f = el === this.concEl ? (occ ? 0.26 : 0.36) : el === this.pumpEl ? 0.12 : occ ? 0.3 : 0.18;
      return { width, height: Math.round(Math.max(el === this.concEl ? 220 : 140, window.innerHeight * f)) };
    }
    return { width, height: this.heights()[el === this.concEl ? 'conc' : el === this.pumpEl ? 'pump' : 'occ'] };
  }

  private heights(): { conc: number; occ: number; pump: number } {
    const vh = window.innerHeight;
    const clamp = (lo: number, v: number, hi: number) => Math.round(Math.min(hi, Math.max(lo, v)));
    const pumpOn = !!this.main?.pump;
    const results = document.getElementById('results');
    const shell = !!results && getComputedStyle(results).overflowY === 'auto';
    if (shell && this.conc && this.occ) {
      // the room between the results' top and the occupancy chart's bottom, less the canvases
      const top = results.getBoundingClientRect().top - results.scrollTop;
      const used = (this.occEl.parentElement as HTMLElement).getBoundingClientRect().bottom - top;
      // the plot areas as laid out now (uPlot applies a new size to the DOM a moment later)
      const drawn = (u: uPlot | null) => (u ? (u.root.querySelector('.u-wrap') as HTMLElement).offsetHeight : 0);
      const canvases = drawn(this.conc) + drawn(this.occ) + (pumpOn ? drawn(this.pump) : 0);
      const room = results.clientHeight - (used - canvases) - 4;
      const [c, o, p] = pumpOn ? [0.5, 0.3, 0.2] : [0.6, 0.4, 0];
      return { conc: Math.max(140, Math.floor(room * c)), occ: Math.max(90, Math.floor(room * o)), pump: Math.max(80, Math.floor(room * p)) };
    }
    if (shell) return { conc: clamp(180, vh * 0.36, 560), occ: clamp(110, vh * 0.2, 320), pump: clamp(90, vh * 0.14, 200) };
    return { conc: clamp(200, vh * 0.3, 420), occ: clamp(130, vh * 0.18, 260), pump: clamp(110, vh * 0.15, 200) };
  }

  setPrinting(on: boolean): void {
    this.printing = on;
    this.fit();
  }

  /** Resizes the charts to the room they have now (after new readouts, a resize, a new font size). */
  fit(): void {
    if (axisStyle().font !== this.font && this.main) {
      // the type scaled (a resize across sizes): rebuild with the new fonts
      this.shape = '';
      this.update(this.main, this.pins, this.unit, this.xRange, [...this.hidden], this.landmarkIds, this.logY);
      return;
    }
    const sizes = [
      [this.conc, this.concEl],
      [this.pump, this.pumpEl],
      [this.occ, this.occEl],
    ].map(([u, el]) => [u, u ? this.size(el as HTMLElement) : null] as [uPlot | null, { width: number; height: number } | null]);
    for (const [u, s] of sizes) {
      if (u && s && (Math.abs(s.height - u.height) >= 2 || Math.abs(s.width - u.width) >= 1)) u.setSize(s);
    }
  }

  private resize(): void {
    this.fit();
  }

  /** Issue 12: the lecture-mode look (null: the ordinary one); rebuilds the charts. */
  present(p: Presentation | null): void {
    if (JSON.stringify(p) === JSON.stringify(this.pres)) return;
    this.pres = p;
    this.shape = '';
    if (this.main) this.update(this.main, this.pins, this.unit, this.xRange, [...this.hidden], this.landmarkIds, this.logY);
  }

  /** Issue 12: the diagram's time as a vertical line on every chart (null: none). */
  setMarker(tMin: number | null): void {
    if (tMin === this.marker) return;
    this.marker = tMin;
    for (const u of [this.conc, this.occ, this.pump]) u?.redraw(false);
  }

  /** Issue 12: the diagram's time line, min (null: none). */
  markerTime(): number | null {
    return this.marker;
  }

  /** Issue 12: the axis font as drawn, px (for the tests). */
  axisFontPx(): number {
    const f = String(this.conc?.axes[0].font ?? '');
    return parseFloat(f.replace(/^.*?(\d+(\.\d+)?)px.*$/, '$1')) || 0;
  }

  private palette(): typeof COLORS {
    return this.pres?.dark ? DARK_COLORS : COLORS;
  }

  /** Issue 12: width and opacity of a series under the lecture's emphasis. */
  private weight(key: string, base: number): { width: number; alpha: number } {
    const e = this.pres?.emphasis ?? [];
    if (!this.pres) return { width: base, alpha: 1 };
    const w = base * Math.max(1, this.pres.fontPx / 13);
    if (!e.length) return { width: w, alpha: 1 };
    return e.includes(key) ? { width: w * 1.8, alpha: 1 } : { width: w * 0.7, alpha: 0.35 };
  }

  /** Issue 12: the lecture's shaded spans, reference lines and the diagram's time line. */
  private drawPresentation(u: uPlot, conc: boolean, layer: 'back' | 'front' = 'back'): void {
    const p = this.pres;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const dpr = devicePixelRatio;
    clipToPlot(u); // saves the context; restored below
    if (p) {
      const font = Math.round(p.fontPx * 0.9 * dpr);
      ctx.font = `600 ${font}px system-ui, sans-serif`;
      // (their labels: drawSpanLabels, after the grid)
      for (const s of layer === 'back' ? p.spans : []) {
        const x0 = u.valToPos(s.from, 'x', true);
        const x1 = u.valToPos(s.to, 'x', true);
        if (x1 < left || x0 > left + width) continue;
        ctx.fillStyle = p.dark ? 'rgba(34, 211, 238, 0.16)' : 'rgba(14, 116, 144, 0.12)';
        ctx.fillRect(x0, top, Math.max(2 * dpr, x1 - x0), height);
      }
      if (conc && this.unit === 'ng' && layer === 'front') {
        for (const l of p.lines) {
          const y = u.valToPos(l.ng, 'y', true);
          if (y < top || y > top + height) continue;
          ctx.strokeStyle = p.dark ? '#fef08a' : '#854d0e';
          ctx.lineWidth = 2 * dpr;
          ctx.setLineDash([10 * dpr, 6 * dpr]);
          ctx.beginPath();
          ctx.moveTo(left, y);
          ctx.lineTo(left + width, y);
          ctx.stroke();
          ctx.setLineDash([]);
          // on a ground of the chart's colour, so that curves and bands never hide it
          const tw = ctx.measureText(l.label).width;
          const tx = left + width * 0.35;
          ctx.fillStyle = p.dark ? 'rgba(2, 6, 23, 0.85)' : 'rgba(255, 255, 255, 0.85)';
          ctx.fillRect(tx - 4 * dpr, y - font - 8 * dpr, tw + 8 * dpr, font + 6 * dpr);
          ctx.fillStyle = ctx.strokeStyle;
          ctx.textAlign = 'left';
          ctx.fillText(l.label, tx, y - 6 * dpr);
        }
      }
    }
    if (this.marker !== null && layer === 'front') {
      const x = u.valToPos(this.marker, 'x', true);
      if (x >= left && x <= left + width) {
        ctx.strokeStyle = p?.dark ? '#f8fafc' : '#0f172a';
        ctx.lineWidth = 2 * dpr;
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
      }
    }
    ctx.restore();
  }

  /**
   * The boxes (device px) of the lecture's labels on the concentration chart: the shaded spans'
   * names (drawSpanLabels) and the reference lines' names (drawPresentation), as they are drawn.
   * The bands' names keep clear of them.
   */
  private presentationLabelBoxes(u: uPlot): { text: string; box: Box; kind: 'span' | 'line'; x: number; y: number }[] {
    const p = this.pres;
    if (!p) return [];
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const dpr = devicePixelRatio;
    const font = Math.round(p.fontPx * 0.9 * dpr);
    ctx.save();
    ctx.font = `600 ${font}px system-ui, sans-serif`;
    const out: { text: string; box: Box; kind: 'span' | 'line'; x: number; y: number }[] = [];
    // the spans' names along the top, in their order: one that would cover the one before it
    // takes the second row, else is left out (a course's sessions on a phone)
    const gap = 2 * dpr;
    for (const s of p.spans) {
      const x0 = u.valToPos(s.from, 'x', true);
      const x1 = u.valToPos(s.to, 'x', true);
      if (x1 < left || x0 > left + width) continue;
      const x = Math.max(left, x0) + 4 * dpr;
      const m = ctx.measureText(s.label);
      for (const row of [0, 1]) {
        const y = top + font + 4 * dpr + row * (font + 8 * dpr);
        const box = { x0: x - 2 * dpr, y0: y - (m.actualBoundingBoxAscent || font) - 2 * dpr, x1: x + m.width + 2 * dpr, y1: y + (m.actualBoundingBoxDescent || 0.3 * font) + 2 * dpr };
        if (out.some((o) => intersects(o.box, { x0: box.x0 - gap, y0: box.y0 - gap, x1: box.x1 + gap, y1: box.y1 + gap }))) continue;
        out.push({ text: s.label, box, kind: 'span', x, y });
        break;
      }
    }
    if (this.unit === 'ng') {
      for (const l of p.lines) {
        const y = u.valToPos(l.ng, 'y', true);
        if (y < top || y > top + height) continue;
        const tx = left + width * 0.35;
        out.push({ text: l.label, box: { x0: tx - 4 * dpr, y0: y - font - 8 * dpr, x1: tx + ctx.measureText(l.label).width + 4 * dpr, y1: y - 2 * dpr }, kind: 'line', x: tx, y: y - 6 * dpr });
      }
    }
    ctx.restore();
    return out;
  }

  /** The concentration chart's labels as last drawn (CSS px on its canvas), the plot's box, and
   * the bands' names left out for want of room. */
  labelBoxes(): { plot: Box; labels: { text: string; box: Box }[]; left: string[] } | null {
    return this.labels;
  }

  /**
   * Issue 12: the names of the lecture's shaded spans on the concentration chart, drawn after the
   * grid (uPlot's drawAxes) on a halo of the chart's ground, as the bands' names are: no grid line
   * crosses the letters (the curves are drawn over them).
   */
  private drawSpanLabels(u: uPlot): void {
    const p = this.pres;
    if (!p?.spans.length) return;
    const ctx = u.ctx;
    const dpr = devicePixelRatio;
    const font = Math.round(p.fontPx * 0.9 * dpr);
    clipToPlot(u); // saves the context; restored below
    ctx.font = `600 ${font}px system-ui, sans-serif`;
    ctx.textAlign = 'left';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 4 * dpr;
    ctx.strokeStyle = p.dark ? 'rgba(2, 6, 23, 0.85)' : 'rgba(255, 255, 255, 0.9)';
    ctx.fillStyle = p.dark ? '#67e8f9' : '#0e7490';
    for (const s of this.presentationLabelBoxes(u)) {
      if (s.kind !== 'span') continue;
      ctx.strokeText(s.text, s.x, s.y);
      ctx.fillText(s.text, s.x, s.y);
    }
    ctx.restore();
  }

  /** Issue 12: a click on a chart picks its time (for the diagram's scrubber). */
  private bindPick(u: uPlot): void {
    u.over.addEventListener('click', () => {
      const l = u.cursor.left;
      if (this.onPick && l != null && l >= 0) this.onPick(u.posToVal(l, 'x'));
    });
  }

  /** Issue 12: axis options of the lecture look (font, colours, room), or none. */
  private axisLook(y: boolean): Partial<uPlot.Axis> {
    const p = this.pres;
    if (!p) return {};
    const px = p.fontPx;
    const ink = p.dark ? '#f1f5f9' : '#0f172a';
    return {
      font: `${px}px system-ui, sans-serif`,
      labelFont: `600 ${px}px system-ui, sans-serif`,
      stroke: ink,
      labelSize: Math.round(px * 1.5),
      size: y ? Math.round(px * 4) : Math.round(px * 2.2),
      gap: Math.round(px / 3),
      grid: { stroke: p.dark ? '#334155' : '#e5e7eb' },
      ticks: { stroke: p.dark ? '#64748b' : '#9ca3af' },
    };
  }

  /** Shows (or, with `null`, removes) population bands; redraws without rebuilding. */
  setPopulation(pop: PopBands | null): void {
    this.pop = pop;
    // setting x again re-ranges y (the 95th percentile may be above every curve) and redraws
    const c = this.conc;
    if (c && c.scales.x.min != null && c.scales.x.max != null) c.setScale('x', { min: c.scales.x.min, max: c.scales.x.max });
    this.occ?.redraw(false);
  }

  /** Fills the 5–95 % and 25–75 % ranges of a banded quantity and strokes its median. */
  private drawPopulation(u: uPlot, key: string, color: string, scale: number): void {
    const s = this.pop?.series.get(key);
    if (!this.pop || !s) return;
    const t = this.pop.t;
    const ctx = u.ctx;
    const x0 = u.scales.x.min ?? t[0];
    const x1 = u.scales.x.max ?? t[t.length - 1];
    let i0 = 0;
    while (i0 < t.length - 1 && t[i0 + 1] < x0) i0++;
    let i1 = t.length - 1;
    while (i1 > 0 && t[i1 - 1] > x1) i1--;
    const X = (i: number) => u.valToPos(t[i], 'x', true);
    const Y = (v: number) => u.valToPos(v * scale, 'y', true);
    clipToPlot(u); // saves the context; restored below
    const area = (lo: Float64Array, hi: Float64Array, alpha: number) => {
      ctx.beginPath();
      ctx.moveTo(X(i0), Y(hi[i0]));
      for (let i = i0 + 1; i <= i1; i++) ctx.lineTo(X(i), Y(hi[i]));
      for (let i = i1; i >= i0; i--) ctx.lineTo(X(i), Y(lo[i]));
      ctx.closePath();
      ctx.globalAlpha = alpha;
      ctx.fillStyle = color;
      ctx.fill();
    };
    const dark = this.pres?.dark ? 2 : 1; // issue 12: bands stay visible on the dark lecture theme
    area(s[0], s[4], 0.12 * dark);
    area(s[1], s[3], 0.2 * dark);
    ctx.globalAlpha = 0.9;
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.25 * devicePixelRatio;
    ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(X(i0), Y(s[2][i0]));
    for (let i = i0 + 1; i <= i1; i++) ctx.lineTo(X(i), Y(s[2][i]));
    ctx.stroke();
    ctx.restore();
  }

  /** Canvas of each chart, for the PNG export. */
  canvases(): HTMLCanvasElement[] {
    return [this.conc, this.pump, this.occ].filter((u): u is uPlot => !!u).map((u) => u.ctx.canvas);
  }

  /** Display factor of a banded quantity: 1 in ng/mL, the engine's µM per ng/mL in µM. */
  private unitFactor(key: string): number {
    return this.unit === 'ng' ? 1 : (this.pop?.umPerNg.get(key) ?? NaN);
  }

  /** A landmark's edge in the display unit (the engine gives both). */
  /** A band's pixel edges on the chart (`null` when it lies wholly below the plot) and whether
   * the lecture emphasises it: what both the fill and the label are drawn from. */
  private bandBox(u: uPlot, b: Landmark): { y0: number; y1: number; strong: boolean } | null {
    const top = u.bbox.top;
    const highV = this.edge(b, 'high');
    const y0 = u.valToPos(this.edge(b, 'low') ?? 0, 'y', true);
    const y1 = highV === null ? top : u.valToPos(highV, 'y', true);
    return y0 < top ? null : { y0, y1, strong: !!this.pres?.strongBands && b.id === 'dissociative' };
  }

  private edge(b: Landmark, which: 'low' | 'high'): number | null {
    if (which === 'low') return this.unit === 'ng' ? b.low_ng_per_ml : b.low_um;
    return this.unit === 'ng' ? b.high_ng_per_ml : b.high_um;
  }

  private unitLabel(): string {
    return this.unit === 'ng' ? 'ng/mL' : 'µM';
  }

  /** Draws new data; rebuilds the charts only when their shape (pins, unit, span) changes. */
  update(main: Run, pins: Run[], unit: ConcUnit, xRange: [number, number] | null, hidden: string[], landmarkIds: string[], logY = false): void {
    this.bands = this.landmarks.filter((l) => l.band && landmarkIds.includes(l.id));
    this.logY = logY;
    this.main = main;
    this.pins = pins;
    this.hidden = new Set(hidden);
    this.unit = unit;
    this.xRange = xRange;
    this.landmarkIds = landmarkIds;
    this.span = xRange ? xRange[1] - xRange[0] : main.t[main.t.length - 1] - main.t[0];
    this.concEl.dataset.timeUnit = timeAxisLabel(this.span).replace(/^time \((.*)\)$/, '$1');
    const shape = [
      pins.length,
      unit,
      timeAxisLabel(this.span),
      pins.map((p) => p.label).join('/'),
      main.name,
      main.extra.map((e) => e.id).join('/'),
      hidden.join('/'),
      logY,
      !!main.pump,
      JSON.stringify(this.pres),
    ].join('|');
    if (shape !== this.shape) {
      this.shape = shape;
      this.build();
    }
    const ng = unit === 'ng';
    const x = main.t;
    const concData: uPlot.AlignedData = [x, ng ? main.cp : main.cpUm, ng ? main.ce : main.ceUm];
    for (const e of main.extra) {
      (concData as unknown as unknown[]).push(ng ? e.cp : e.cpUm);
    }
    const occData: uPlot.AlignedData = [x, scaled(main.occ, 100)];
    for (const p of pins) {
      (concData as unknown as unknown[]).push(resample(p.t, ng ? p.ce : p.ceUm, x, 1));
      (occData as unknown as unknown[]).push(resample(p.t, p.occ, x, 100));
    }
    const [min, max] = xRange ?? [x[0], x[x.length - 1]];
    // batch: one synchronous redraw per chart, finished when update() returns
    const all: [uPlot, uPlot.AlignedData][] = [
      [this.conc!, concData],
      [this.occ!, occData],
    ];
    if (this.pump && main.pump) all.push([this.pump, [main.pump.x, main.pump.mg, main.pump.ml] as unknown as uPlot.AlignedData]);
    for (const [u, d] of all) {
      u.batch(() => {
        u.setData(d, false);
        u.setScale('x', { min, max });
      });
    }
    this.kIdx = -1;
    this.fit();
    requestAnimationFrame(() => this.fit());
  }

  /** Each chart's canvas with its legend (every curve, pins with their dash), for the PNG export. */
  exportParts(): { canvas: HTMLCanvasElement; title: string; legend: LegendItem[] }[] {
    const parts: { canvas: HTMLCanvasElement; title: string; legend: LegendItem[] }[] = [];
    const pop = this.pop ? [{ label: `Virtual population of ${this.pop.size}: 5–95 % and 25–75 % shaded, median dotted`, color: '#64748b', dash: [2, 3], width: 1.25 }] : [];
    if (this.conc) {
      const inView = this.bandsInView();
      const bands = this.bands
        .filter((b) => inView.includes(b.id))
        .map((b) => ({ label: `${b.name}: ${b.low_ng_per_ml}${b.high_ng_per_ml ? '–' + b.high_ng_per_ml : '+'} ng/mL (${b.source})`, color: BAND_TEXT[b.id] ?? '#374151', dash: null, width: 1, fill: BAND_FILL[b.id] ?? 'rgba(0,0,0,0.06)' }));
      const targets = this.main?.targets.length ? [{ label: 'TCI target', color: COLORS.target, dash: [3, 3], width: 1.5 }] : [];
      parts.push({ canvas: this.conc.ctx.canvas, title: titleOf(this.conc), legend: [...legendOf(this.conc), ...targets, ...pop, ...bands] });
    }
    if (this.pump) parts.push({ canvas: this.pump.ctx.canvas, title: titleOf(this.pump), legend: legendOf(this.pump) });
    if (this.occ) parts.push({ canvas: this.occ.ctx.canvas, title: titleOf(this.occ), legend: [...legendOf(this.occ).map((l) => (l.label === 'Occupancy' ? { ...l, label: 'NMDA occupancy (model-derived)' } : l)), ...pop] });
    return parts;
  }

  /** The concentration axis's range as last drawn. */
  concAxis(): [number, number] {
    return [...this.yRange];
  }

  /** Ids of the landmark bands that lie (partly) within the concentration axis's range. */
  bandsInView(): string[] {
    const [lo, hi] = this.yRange;
    return this.bands.filter((b) => (this.edge(b, 'low') ?? 0) < hi && (this.edge(b, 'high') ?? Infinity) > lo).map((b) => b.id);
  }

  /** A TCI target in the concentration axis's unit (null for an occupancy target). */
  private targetValue(t: TargetLine): number | null {
    return this.unit === 'ng' ? t.ng : t.um;
  }

  /**
   * The concentration axis fits the data in view (every drawn curve, the population's 95th
   * percentile, the TCI targets); landmark bands are drawn where they fall within it. On a log
   * axis: whole decades, at most four below the top.
   */
  private concRange(): [number, number] {
    const ng = this.unit === 'ng';
    let hi = 0;
    let lo = Infinity;
    const see = (v: number) => {
      if (v > hi) hi = v;
      if (v > 0 && v < lo) lo = v;
    };
    if (this.main) {
      const xs = this.conc?.scales.x;
      const x0 = xs?.min ?? -Infinity;
      const x1 = xs?.max ?? Infinity;
      const scan = (t: Float64Array, c: Float64Array, f = 1) => {
        for (let i = 0; i < t.length; i++) if (t[i] >= x0 && t[i] <= x1) see(c[i] * f);
      };
      const t = this.main.t;
      scan(t, ng ? this.main.cp : this.main.cpUm);
      scan(t, ng ? this.main.ce : this.main.ceUm);
      for (const e of this.main.extra) if (!this.hidden.has(e.id)) scan(t, ng ? e.cp : e.cpUm);
      for (const p of this.pins) scan(p.t, ng ? p.ce : p.ceUm);
      for (const tl of this.main.targets) {
        const v = this.targetValue(tl);
        if (v !== null && tl.to >= x0 && tl.from <= x1) see(v);
      }
      if (this.pop) {
        for (const [key, series] of this.pop.series) {
          if (key === 'occupancy' || this.hidden.has(key.slice(3))) continue;
          scan(this.pop.t, series[4], this.unitFactor(key));
          if (this.logY) scan(this.pop.t, series[0], this.unitFactor(key));
        }
      }
    }
    let r: [number, number];
    if (this.logY) {
      if (!(hi > 0)) r = [1, 10];
      else {
        const top = Math.ceil(Math.log10(hi * 1.05));
        const bottom = Math.max(Math.floor(Math.log10(lo)), top - 4);
        r = [10 ** bottom, 10 ** Math.max(top, bottom + 1)];
      }
    } else r = [0, hi > 0 ? hi * 1.08 : 1];
    this.yRange = r;
    return r;
  }

  /** Dashed reference lines of the TCI targets on a chart (`which`: concentration or occupancy). */
  private drawTargets(u: uPlot, which: 'conc' | 'occ'): void {
    const lines = this.main?.targets ?? [];
    if (!lines.length) return;
    const ctx = u.ctx;
    const { left, top, width } = u.bbox;
    const dpr = devicePixelRatio;
    clipToPlot(u); // saves the context; restored below
    ctx.strokeStyle = COLORS.target;
    ctx.fillStyle = COLORS.target;
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash([3 * dpr, 3 * dpr]);
    const fpx = axisStyle().canvasPx;
    ctx.font = `600 ${Math.round(fpx * dpr)}px system-ui, sans-serif`;
    ctx.textAlign = 'left';
    for (const t of lines) {
      const v = which === 'conc' ? this.targetValue(t) : t.percent;
      if (v === null) continue;
      const y = u.valToPos(v, 'y', true);
      const x0 = Math.max(left, u.valToPos(t.from, 'x', true));
      const x1 = Math.min(left + width, u.valToPos(t.to, 'x', true));
      if (x1 <= x0) continue;
      ctx.beginPath();
      ctx.moveTo(x0, y);
      ctx.lineTo(x1, y);
      ctx.stroke();
      const unit = which === 'conc' ? this.unitLabel() : '%';
      const text = `${t.what} target ${num3(v)} ${unit}`;
      const w = ctx.measureText(text).width;
      // at the right end of its line, on a white ground so the curves never hide it
      const tx = Math.max(left + 2 * dpr, x1 - w - 6 * dpr);
      const ty = Math.max(top + (fpx + 1) * dpr, y - 5 * dpr);
      ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
      ctx.fillRect(tx - 2 * dpr, ty - fpx * dpr, w + 4 * dpr, (fpx + 3) * dpr);
      ctx.fillStyle = COLORS.target;
      ctx.fillText(text, tx, ty);
    }
    ctx.restore();
  }

  private build(): void {
    this.conc?.destroy();
    this.occ?.destroy();
    const main0 = this.main!;
    const span = () => this.span;
    const C = this.palette();
    const st = axisStyle();
    this.font = st.font;
    const xAxis: uPlot.Axis = {
      font: st.font,
      labelFont: st.labelFont,
      labelSize: st.labelSize,
      label: timeAxisLabel(this.span),
      incrs: X_INCRS,
      values: (_u, splits) => splits.map((v) => timeOfDay(v, span())),
      grid: { stroke: '#e5e7eb' },
      ...this.axisLook(false),
    };
    const yLook = this.axisLook(true);
    const pinSeries = (what: string): uPlot.Series[] =>
      this.pins.map((p, i) => ({
        label: `Pin ${i + 1}: ${p.label} (${what})`,
        stroke: C.pins[i % C.pins.length],
        width: 2,
        dash: COLORS.pinDash[i % COLORS.pinDash.length],
        spanGaps: true,
        value: (_u: uPlot, v: number | null) => (v == null ? '–' : num3(v)),
      }));
    const sync = uPlot.sync('ketasim');
    const cursor: uPlot.Cursor = { sync: { key: sync.key }, drag: { x: false, y: false }, points: { size: 7 } };
    const self = this;
    const drawBands = (u: uPlot) => {
      const ctx = u.ctx;
      const { left, top, width, height } = u.bbox;
      clipToPlot(u); // saves the context; restored below
      for (const b of self.bands) {
        const box = self.bandBox(u, b);
        if (!box) continue;
        const { y0, y1, strong } = box;
        ctx.fillStyle = strong ? (self.pres?.dark ? 'rgba(250, 204, 21, 0.30)' : 'rgba(234, 179, 8, 0.38)') : (BAND_FILL[b.id] ?? 'rgba(0,0,0,0.06)');
        ctx.fillRect(left, Math.max(y1, top), width, Math.min(y0, top + height) - Math.max(y1, top));
      }
      ctx.restore();
    };
    // the bands' names: after the grid (uPlot's drawAxes), each on a halo of the chart's ground,
    // so that neither the grid nor another band's edge crosses the letters (the curves stay on top)
    const drawBandLabels = (u: uPlot) => {
      const ctx = u.ctx;
      const { left, top, width, height } = u.bbox;
      const dpr = devicePixelRatio;
      clipToPlot(u); // saves the context; restored below
      ctx.textAlign = 'right';
      ctx.lineJoin = 'round';
      ctx.lineWidth = 4 * dpr;
      ctx.strokeStyle = self.pres?.dark ? 'rgba(2, 6, 23, 0.85)' : 'rgba(255, 255, 255, 0.9)';
      // each name where it covers no other name and no lecture label (ui/labels.ts)
      const fontOf = (strong: boolean) => `600 ${Math.round((self.pres ? self.pres.fontPx * (strong ? 1.1 : 0.8) : axisStyle().canvasPx) * dpr)}px system-ui, sans-serif`;
      const halo = ctx.lineWidth / 2;
      const names: (BandName & { text: string; font: string })[] = [];
      for (const b of self.bands) {
        const box = self.bandBox(u, b);
        if (!box) continue;
        const { y0, y1, strong } = box;
        const bandTop = Math.max(y1, top);
        const bandBottom = Math.min(y0, top + height);
        if (bandBottom - bandTop <= 0) continue; // wholly below the plot (a log axis)
        const text = `${b.id} range`;
        const font = fontOf(strong);
        ctx.font = font;
        const m = ctx.measureText(text);
        names.push({
          id: b.id,
          text,
          font,
          top: bandTop,
          bottom: bandBottom,
          ownTop: y1 >= top && self.edge(b, 'high') !== null,
          ownBottom: y0 <= top + height,
          width: m.width + 2 * halo,
          ascent: (m.actualBoundingBoxAscent || 0.75 * parseFloat(font.split(' ')[1])) + halo,
          descent: (m.actualBoundingBoxDescent || 0.25 * parseFloat(font.split(' ')[1])) + halo,
        });
      }
      const lecture = self.presentationLabelBoxes(u);
      const plot = { x0: left, y0: top, x1: left + width, y1: top + height };
      const placed = placeBandNames(names, plot, lecture.map((l) => l.box), 2 * dpr, 4 * dpr);
      for (const p of placed) {
        const n = names.find((x) => x.id === p.id)!;
        ctx.font = n.font;
        const x = p.x - halo;
        ctx.strokeText(n.text, x, p.y);
        ctx.fillStyle = (self.pres?.dark ? BAND_TEXT_DARK[n.id] : BAND_TEXT[n.id]) ?? '#374151';
        ctx.fillText(n.text, x, p.y);
      }
      // for the tests: every label's box as drawn (CSS px, on the canvas), and the plot's
      const css = (b: Box): Box => ({ x0: b.x0 / dpr, y0: b.y0 / dpr, x1: b.x1 / dpr, y1: b.y1 / dpr });
      self.labels = {
        plot: css(plot),
        labels: [...lecture.map((l) => ({ text: l.text, box: css(l.box) })), ...placed.map((p) => ({ text: names.find((x) => x.id === p.id)!.text, box: css(p.box) }))],
        left: names.filter((n) => !placed.some((p) => p.id === n.id)).map((n) => n.text),
      };
      ctx.restore();
    };
    // with a pump chart, every chart keeps the room of its right-hand (mL/h) axis: times align
    const hasPump = !!main0.pump;
    const rightPad: uPlot.Axis[] = hasPump ? [{ side: 1, size: st.size, values: (_u, sp) => sp.map(() => ''), grid: { show: false }, ticks: { show: false } }] : [];
    this.conc = new uPlot(
      {
        ...this.size(this.concEl),
        title: `Plasma and effect-site concentration (${this.unitLabel()}${this.logY ? ', log scale' : ''})`,
        cursor,
        scales: { x: { time: false }, y: this.logY ? { distr: 3, log: 10, range: () => this.concRange() } : { range: () => this.concRange() } },
        axes: [{ ...xAxis, label: undefined, labelSize: 0 }, { ...styled({ label: this.unitLabel(), grid: { stroke: '#e5e7eb' }, values: (_u, sp) => sp.map((v) => (v == null ? '' : num3(v))) }, true), ...yLook }, ...rightPad],
        series: [
          { label: 'time', value: (_u, v) => (v == null ? '–' : timeOfDay(v, span())) },
          { label: `${main0.name} plasma`, stroke: C.cp, ...this.weight('plasma', 2.5), value: (_u, v) => (v == null ? '–' : num3(v)) },
          { label: `${main0.name} effect site`, stroke: C.ce, ...this.weight('effect_site', 2.5), dash: [8, 4], value: (_u, v) => (v == null ? '–' : num3(v)) },
          ...main0.extra.map((e, i) => ({
            label: `${e.name} plasma`,
            stroke: C.extra[i % C.extra.length],
            ...this.weight('metabolites', 2),
            show: !this.hidden.has(e.id),
            value: (_u: uPlot, v: number | null) => (v == null ? '–' : num3(v)),
          })),
          ...pinSeries('Ce'),
        ],
        hooks: {
          draw: [(u) => this.drawPresentation(u, true, 'front')],
          drawAxes: [drawBandLabels, (u) => this.drawSpanLabels(u)],
          drawClear: [
            drawBands,
            (u) => this.drawPresentation(u, true),
            (u) => this.drawTargets(u, 'conc'),
            (u) => {
              const m = this.main;
              if (!m) return;
              this.drawPopulation(u, `ce:${this.popParent()}`, C.ce, this.unitFactor(`ce:${this.popParent()}`));
              m.extra.forEach((e, i) => {
                if (!this.hidden.has(e.id)) this.drawPopulation(u, `cp:${e.id}`, C.extra[i % C.extra.length], this.unitFactor(`cp:${e.id}`));
              });
              this.drawPopulation(u, `cp:${this.popParent()}`, C.cp, this.unitFactor(`cp:${this.popParent()}`));
            },
          ],
          setCursor: [(u) => this.tooltip(u)],
        },
        legend: { live: false },
      },
      [[], [], [], ...main0.extra.map(() => []), ...this.pins.map(() => [])] as unknown as uPlot.AlignedData,
      this.concEl,
    );
    this.occ = new uPlot(
      {
        ...this.size(this.occEl),
        title: 'NMDA-receptor occupancy (%) — model-derived, not measured',
        cursor,
        scales: { x: { time: false }, y: { range: [0, 100] } },
        axes: [xAxis, { ...styled({ label: '%', grid: { stroke: '#e5e7eb' }, splits: (u) => (u.bbox.height / devicePixelRatio < 90 ? [0, 50, 100] : [0, 25, 50, 75, 100]) }, true), ...yLook }, ...rightPad],
        series: [
          { label: 'time', value: (_u, v) => (v == null ? '–' : timeOfDay(v, span())) },
          { label: 'Occupancy', stroke: C.occ, ...this.weight('occupancy', 2.5), fill: this.pres?.dark ? 'rgba(196, 181, 253, 0.14)' : 'rgba(109, 40, 217, 0.08)', value: (_u, v) => (v == null ? '–' : v.toFixed(1) + ' %') },
          ...pinSeries('occupancy'),
        ],
        hooks: {
          draw: [(u) => this.drawPresentation(u, false, 'front')],
          drawClear: [(u) => this.drawPresentation(u, false), (u) => this.drawPopulation(u, 'occupancy', C.occ, 100), (u) => this.drawTargets(u, 'occ')],
          setCursor: [(u) => this.tooltip(u)],
        },
        legend: { show: false },
      },
      [[], [], ...this.pins.map(() => [])] as unknown as uPlot.AlignedData,
      this.occEl,
    );
    this.pump?.destroy();
    this.pump = null;
    (this.pumpEl.parentElement as HTMLElement).hidden = !hasPump;
    if (hasPump) {
      const stepped = uPlot.paths.stepped!({ align: 1 });
      const top = (u: uPlot, k: 1 | 2) => {
        const x = u.data[0] as unknown as Float64Array;
        const r = u.data[k] as unknown as Float64Array;
        const t = pumpTop(x, r, u.scales.x.min ?? x[0], u.scales.x.max ?? x[x.length - 1]);
        return t > 0 ? t * 1.15 : 1;
      };
      this.pump = new uPlot(
        {
          ...this.size(this.pumpEl),
          title: 'TCI pump rate (the engine’s pump: constant between updates)',
          cursor,
          scales: {
            x: { time: false },
            y: { range: (u) => [0, top(u, 1)] },
            ml: { range: (u) => [0, top(u, 2)] },
          },
          axes: [
            { ...xAxis, label: undefined, labelSize: 0 },
            { ...styled({ label: 'mg/h', grid: { stroke: '#e5e7eb' } }, true), ...yLook },
            { ...styled({ scale: 'ml', label: 'mL/h', side: 1 }, true), ...yLook, grid: { show: false } },
          ],
          series: [
            { label: 'time', value: (_u, v) => (v == null ? '–' : timeOfDay(v, span())) },
            { label: 'rate, mg/h (left axis)', stroke: COLORS.pump, width: 2, fill: 'rgba(14, 116, 144, 0.10)', paths: stepped, points: { show: false }, value: (_u, v) => (v == null ? '–' : num3(v)) },
            main0.pump!.oneSyringe
              ? { label: 'the same in mL/h (right axis)', scale: 'ml', stroke: 'rgba(0, 0, 0, 0)', width: 1, paths: stepped, points: { show: false } }
              : { label: 'rate, mL/h (right axis)', scale: 'ml', stroke: '#0f172a', width: 1, dash: [2, 4], paths: stepped, points: { show: false } },
          ],
          hooks: { draw: [(u) => drawOffScale(u), (u) => this.drawPresentation(u, false, 'front')], drawClear: [(u) => this.drawPresentation(u, false)] },
          legend: { live: false },
        },
        [[], [], []] as unknown as uPlot.AlignedData,
        this.pumpEl,
      );
    }
    for (const u of [this.conc, this.occ, this.pump]) if (u) this.bindPick(u);
  }

  /** "Population (n): Cp 5–95 % a–b" at time `t`, if bands are shown on the same grid. */
  private popTip(t: number, unit: string): string {
    const pop = this.pop;
    if (!pop) return '';
    const k = pop.t.indexOf(t);
    if (k < 0) return '';
    const cp = pop.series.get(`cp:${this.popParent()}`);
    const ce = pop.series.get(`ce:${this.popParent()}`);
    const f = this.unitFactor(`cp:${this.popParent()}`);
    const r = (s: Float64Array[] | undefined) => (s ? `${num3(s[0][k] * f)}–${num3(s[4][k] * f)}` : '–');
    return `<br>Population of ${pop.size}, 5–95 %: Cp ${r(cp)}, Ce ${r(ce)} ${unit}`;
  }

  /** Analyte id of the administered drug in the population keys. */
  private popParent(): string {
    for (const k of this.pop?.series.keys() ?? []) if (k.startsWith('ce:')) return k.slice(3);
    return '';
  }

  /** Crosshair tooltip: values at the cursor, and the band under it with its source. */
  private tooltip(u: uPlot): void {
    const idx = u.cursor.idx;
    const main = this.main;
    if (u !== this.conc) return; // the synced cursor of the occupancy chart shows no tooltip
    if (idx == null || !main || u.cursor.left == null || u.cursor.left < 0) {
      this.tip.hidden = true;
      return;
    }
    const ng = this.unit === 'ng';
    const unit = this.unitLabel();
    const y = u.posToVal(u.cursor.top ?? 0, 'y');
    const band = this.bands.find((b) => {
      const hi = this.edge(b, 'high');
      return y >= (this.edge(b, 'low') ?? Infinity) && (hi === null || y <= hi);
    });
    const fmt = (v: number) => num3(v);
    this.tip.innerHTML =
      `<b>t = ${timeOfDay(main.t[idx], this.span)}${this.span > 12 * 60 ? '' : ' min'}</b><br>` +
      `${main.name}: Cp ${fmt((ng ? main.cp : main.cpUm)[idx])} ${unit} · Ce ${fmt((ng ? main.ce : main.ceUm)[idx])} ${unit}<br>` +
      main.extra
        .filter((e) => !this.hidden.has(e.id))
        .map((e) => `${e.name}: Cp ${fmt((ng ? e.cp : e.cpUm)[idx])} ${unit}<br>`)
        .join('') +
      `Occupancy ${(main.occ[idx] * 100).toFixed(1)} % <i>(model-derived)</i>` +
      (main.pump ? `<br>Pump ${num3(main.pump.gridMg[idx])} mg/h (${num3(main.pump.gridMl[idx])} mL/h)` : '') +
      this.popTip(main.t[idx], unit) +
      (band
        ? `<hr><b>${band.name}</b>: ${band.low_ng_per_ml}${band.high_ng_per_ml ? '–' + band.high_ng_per_ml : '+'} ng/mL, ${band.matrix}<br><span class="src">${band.source} [${band.provenance}]</span>`
        : '');
    const left = u.over.offsetLeft + (u.cursor.left ?? 0);
    const top = u.over.offsetTop + (u.cursor.top ?? 0);
    this.tip.hidden = false;
    const w = this.tip.offsetWidth;
    const parentW = this.concEl.clientWidth;
    this.tip.style.left = `${left + 14 + w > parentW ? left - w - 14 : left + 14}px`;
    this.tip.style.top = `${top + 12}px`;
  }
}

/** One model's curves on the CSHT chart. */
export interface CshtRun {
  label: string;
  /** Infusion durations, min (the engine's). */
  t: number[];
  halfTime: number[];
  /** Time to fall below the recovery threshold (drawn for the current run only). */
  recovery: number[] | null;
}

/**
 * The context-sensitive half-time (textbook, Hughes 1992) and the recovery time against the
 * infusion duration, for the current scenario's model and each pinned one's.
 */
export class CshtChart {
  private u: uPlot | null = null;
  private shape = '';

  constructor(private el: HTMLElement) {
    new ResizeObserver(() => this.u?.setSize(this.size())).observe(el);
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, Math.floor(this.el.getBoundingClientRect().width)), height: Math.round(Math.min(260, Math.max(170, window.innerHeight * 0.26))) };
  }

  canvas(): HTMLCanvasElement | null {
    return this.u?.ctx.canvas ?? null;
  }

  /** The canvas with its legend, for the PNG export. */
  exportPart(): { canvas: HTMLCanvasElement; title: string; legend: LegendItem[] } | null {
    return this.u ? { canvas: this.u.ctx.canvas, title: titleOf(this.u), legend: legendOf(this.u) } : null;
  }

  update(main: CshtRun, pins: CshtRun[]): void {
    const shape = [main.label, !!main.recovery, ...pins.map((p) => p.label)].join('|');
    if (shape !== this.shape) {
      this.shape = shape;
      this.u?.destroy();
      const hours = (v: number) => `${+(v / 60).toFixed(v % 60 === 0 ? 0 : 1)} h`;
      const mins = (_u: uPlot, v: number | null) => (v == null ? '–' : `${num3(v)} min`);
      this.u = new uPlot(
        {
          ...this.size(),
          title: 'Context-sensitive half-time (Hughes 1992) and time to recover, after the infusion stops',
          scales: { x: { time: false }, y: { range: (_u, _lo, hi) => [0, Math.max(1, hi * 1.08)] } },
          axes: [
            styled({ label: 'infusion duration', incrs: [60, 120], values: (_u, sp) => sp.map(hours), grid: { stroke: '#e5e7eb' } }),
            styled({ label: 'min', grid: { stroke: '#e5e7eb' } }, true),
          ],
          series: [
            { label: 'duration', value: (_u, v) => (v == null ? '–' : `${num3(v)} min`) },
            { label: `${main.label}: half-time`, stroke: COLORS.cp, width: 2.5, value: mins },
            ...(main.recovery ? [{ label: `${main.label}: below the recovery threshold`, stroke: COLORS.ce, width: 2.5, dash: [8, 4], value: mins }] : []),
            ...pins.map((p, i) => ({ label: `${p.label}: half-time`, stroke: COLORS.pins[i % COLORS.pins.length], width: 2, dash: COLORS.pinDash[i % COLORS.pinDash.length], value: mins })),
          ],
          cursor: { drag: { x: false, y: false } },
          legend: { live: false },
        },
        [[], [], ...(main.recovery ? [[]] : []), ...pins.map(() => [])] as unknown as uPlot.AlignedData,
        this.el,
      );
    }
    const x = Float64Array.from(main.t);
    const data: unknown[] = [x, Float64Array.from(main.halfTime)];
    if (main.recovery) data.push(Float64Array.from(main.recovery));
    for (const p of pins) data.push(resample(Float64Array.from(p.t), Float64Array.from(p.halfTime), x, 1));
    this.u!.setData(data as uPlot.AlignedData);
  }
}

/**
 * The top of the pump chart: the highest rate that lasts at least 2 % of the time in view, so
 * that a loading rate of a few seconds does not flatten the rest (it is labelled instead).
 */
function pumpTop(x: Float64Array, r: Float64Array, x0: number, x1: number): number {
  const parts: [number, number][] = [];
  for (let i = 0; i < x.length; i++) {
    const a = Math.max(x[i], x0);
    const b = Math.min(x[i + 1] ?? x1, x1);
    if (b > a) parts.push([r[i], b - a]);
  }
  parts.sort((p, q) => q[0] - p[0]);
  let acc = 0;
  for (const [rate, d] of parts) {
    acc += d;
    if (acc >= 0.02 * (x1 - x0)) return rate;
  }
  return parts[0]?.[0] ?? 0;
}

/** Labels the rates above the pump chart's top ("↑ 5 000 mg/h for 0.3 min"). */
function drawOffScale(u: uPlot): void {
  const x = u.data[0] as unknown as Float64Array;
  const r = u.data[1] as unknown as Float64Array;
  const top = u.scales.y.max ?? Infinity;
  const { left, top: y0, width } = u.bbox;
  const dpr = devicePixelRatio;
  const ctx = u.ctx;
  ctx.save();
  const fpx = axisStyle().canvasPx;
  ctx.font = `600 ${Math.round(fpx * dpr)}px system-ui, sans-serif`;
  ctx.fillStyle = COLORS.pump;
  ctx.textAlign = 'left';
  let lastRight = -Infinity;
  for (let i = 0; i < x.length - 1; i++) {
    if (!(r[i] > top)) continue;
    // one label per run of off-scale steps: its highest rate and the run's length
    let j = i;
    let peak = r[i];
    while (j + 1 < x.length - 1 && r[j + 1] > top) peak = Math.max(peak, r[++j]);
    const px = u.valToPos(x[i], 'x', true);
    const text = `↑ ${num3(peak)} mg/h for ${num3(x[j + 1] - x[i])} min`;
    const w = ctx.measureText(text).width;
    const tx = Math.min(Math.max(px + 4 * dpr, left), left + width - w);
    if (tx > lastRight && px >= left && px <= left + width) {
      ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.fillRect(tx - 2 * dpr, y0 + 1 * dpr, w + 4 * dpr, (fpx + 3) * dpr);
      ctx.fillStyle = COLORS.pump;
      ctx.fillText(text, tx, y0 + (fpx + 1) * dpr);
      lastRight = tx + w + 8 * dpr;
    }
    i = j;
  }
  ctx.restore();
}
