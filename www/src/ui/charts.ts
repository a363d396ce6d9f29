// uPlot charts: concentration (with cited landmark bands) and model-derived occupancy.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LandmarkUm as Landmark } from '../engine/types';
import type { ConcUnit } from './state';
import { num3, timeOfDay, timeUnit } from './format';

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
  pins: ['#0f766e', '#b45309', '#4b5563', '#9333ea'],
  extra: ['#ea580c', '#059669', '#0891b2'],
};

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
  private shape = '';
  private unit: ConcUnit = 'ng';
  private span = 360;
  private main: Run | null = null;
  private pins: Run[] = [];
  private hidden = new Set<string>();
  /** Landmark bands of the shown drug (the engine lists which apply). */
  private bands: Landmark[] = [];
  private pop: PopBands | null = null;

  constructor(
    private concEl: HTMLElement,
    private occEl: HTMLElement,
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
  }

  /** Plot size: the container's width; a height that fits both charts on a 720-px screen. */
  private size(el: HTMLElement): { width: number; height: number } {
    const width = Math.max(200, Math.floor(el.getBoundingClientRect().width));
    const vh = window.innerHeight;
    const narrow = window.innerWidth < 900;
    const height =
      el === this.concEl
        ? Math.round(Math.min(440, Math.max(200, vh * 0.32)))
        : Math.round(Math.min(260, Math.max(150, vh * (narrow ? 0.2 : 0.23))));
    return { width, height };
  }

  private resize(): void {
    if (this.conc) this.conc.setSize(this.size(this.concEl));
    if (this.occ) this.occ.setSize(this.size(this.occEl));
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
    const { left, top, width, height } = u.bbox;
    const x0 = u.scales.x.min ?? t[0];
    const x1 = u.scales.x.max ?? t[t.length - 1];
    let i0 = 0;
    while (i0 < t.length - 1 && t[i0 + 1] < x0) i0++;
    let i1 = t.length - 1;
    while (i1 > 0 && t[i1 - 1] > x1) i1--;
    const X = (i: number) => u.valToPos(t[i], 'x', true);
    const Y = (v: number) => u.valToPos(v * scale, 'y', true);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
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
    area(s[0], s[4], 0.12);
    area(s[1], s[3], 0.2);
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
    return [this.conc, this.occ].filter((u): u is uPlot => !!u).map((u) => u.ctx.canvas);
  }

  /** Display factor of a banded quantity: 1 in ng/mL, the engine's µM per ng/mL in µM. */
  private unitFactor(key: string): number {
    return this.unit === 'ng' ? 1 : (this.pop?.umPerNg.get(key) ?? NaN);
  }

  /** A landmark's edge in the display unit (the engine gives both). */
  private edge(b: Landmark, which: 'low' | 'high'): number | null {
    if (which === 'low') return this.unit === 'ng' ? b.low_ng_per_ml : b.low_um;
    return this.unit === 'ng' ? b.high_ng_per_ml : b.high_um;
  }

  private unitLabel(): string {
    return this.unit === 'ng' ? 'ng/mL' : 'µM';
  }

  /** Draws new data; rebuilds the charts only when their shape (pins, unit, span) changes. */
  update(main: Run, pins: Run[], unit: ConcUnit, xRange: [number, number] | null, hidden: string[], landmarkIds: string[]): void {
    this.bands = this.landmarks.filter((l) => l.band && landmarkIds.includes(l.id));
    this.main = main;
    this.pins = pins;
    this.hidden = new Set(hidden);
    this.unit = unit;
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
    for (const [u, d] of [
      [this.conc!, concData],
      [this.occ!, occData],
    ] as const) {
      u.batch(() => {
        u.setData(d, false);
        u.setScale('x', { min, max });
      });
    }
  }

  private concRange(): [number, number] {
    const ng = this.unit === 'ng';
    let hi = 0;
    if (this.main) {
      const xs = this.conc?.scales.x;
      const lo = xs?.min ?? -Infinity;
      const up = xs?.max ?? Infinity;
      const t = this.main.t;
      const cp = ng ? this.main.cp : this.main.cpUm;
      const ce = ng ? this.main.ce : this.main.ceUm;
      for (let i = 0; i < t.length; i++) {
        if (t[i] >= lo && t[i] <= up) hi = Math.max(hi, cp[i], ce[i]);
      }
      for (const e of this.main.extra) {
        if (this.hidden.has(e.id)) continue;
        const c = ng ? e.cp : e.cpUm;
        for (let i = 0; i < t.length; i++) if (t[i] >= lo && t[i] <= up) hi = Math.max(hi, c[i]);
      }
      for (const p of this.pins) {
        const c = ng ? p.ce : p.ceUm;
        for (let i = 0; i < p.t.length; i++) if (p.t[i] >= lo && p.t[i] <= up) hi = Math.max(hi, c[i]);
      }
      if (this.pop) {
        for (const [key, series] of this.pop.series) {
          if (key === 'occupancy' || this.hidden.has(key.slice(3))) continue;
          const fe = this.unitFactor(key);
          const p95 = series[4];
          const tp = this.pop.t;
          for (let i = 0; i < tp.length; i++) if (tp[i] >= lo && tp[i] <= up) hi = Math.max(hi, p95[i] * fe);
        }
      }
    }
    // keep the dissociative range in view so its meaning is always visible
    const diss = this.bands.find((b) => b.id === 'dissociative');
    const keep = diss ? (this.edge(diss, 'high') ?? this.edge(diss, 'low') ?? 0) * 1.12 : 0;
    return [0, Math.max(hi * 1.08, keep)];
  }

  private build(): void {
    this.conc?.destroy();
    this.occ?.destroy();
    const main0 = this.main!;
    const span = () => this.span;
    const xAxis: uPlot.Axis = {
      label: timeAxisLabel(this.span),
      incrs: X_INCRS,
      values: (_u, splits) => splits.map((v) => timeOfDay(v, span())),
      grid: { stroke: '#e5e7eb' },
    };
    const pinSeries = (what: string): uPlot.Series[] =>
      this.pins.map((p, i) => ({
        label: `${p.label} (${what})`,
        stroke: COLORS.pins[i % COLORS.pins.length],
        width: 1.5,
        dash: [6, 4],
        spanGaps: true,
        value: (_u: uPlot, v: number | null) => (v == null ? '–' : num3(v)),
      }));
    const sync = uPlot.sync('ketasim');
    const cursor: uPlot.Cursor = { sync: { key: sync.key }, drag: { x: false, y: false }, points: { size: 7 } };
    const self = this;
    const drawBands = (u: uPlot) => {
      const ctx = u.ctx;
      const { left, top, width, height } = u.bbox;
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, width, height);
      ctx.clip();
      for (const b of self.bands) {
        const lowV = self.edge(b, 'low') ?? 0;
        const highV = self.edge(b, 'high');
        const y0 = u.valToPos(lowV, 'y', true);
        const y1 = highV === null ? top : u.valToPos(highV, 'y', true);
        if (y0 < top) continue;
        ctx.fillStyle = BAND_FILL[b.id] ?? 'rgba(0,0,0,0.06)';
        ctx.fillRect(left, Math.max(y1, top), width, Math.min(y0, top + height) - Math.max(y1, top));
        ctx.fillStyle = BAND_TEXT[b.id] ?? '#374151';
        ctx.font = `600 ${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
        ctx.textAlign = 'right';
        // the analgesic and dissociative ranges overlap: label one at its top, one at its bottom
        const atTop = b.id === 'dissociative';
        const ty = atTop ? Math.max(y1, top) + 13 * devicePixelRatio : Math.min(y0, top + height) - 4 * devicePixelRatio;
        ctx.fillText(`${b.id} range`, left + width - 6 * devicePixelRatio, ty);
      }
      ctx.restore();
    };
    this.conc = new uPlot(
      {
        ...this.size(this.concEl),
        title: `Plasma and effect-site concentration (${this.unitLabel()})`,
        cursor,
        scales: { x: { time: false }, y: { range: () => this.concRange() } },
        axes: [{ ...xAxis, label: undefined, labelSize: 0 }, { label: this.unitLabel(), grid: { stroke: '#e5e7eb' }, size: 60 }],
        series: [
          { label: 'time', value: (_u, v) => (v == null ? '–' : timeOfDay(v, span())) },
          { label: `${main0.name} plasma`, stroke: COLORS.cp, width: 2.5, value: (_u, v) => (v == null ? '–' : num3(v)) },
          { label: `${main0.name} effect site`, stroke: COLORS.ce, width: 2.5, dash: [8, 4], value: (_u, v) => (v == null ? '–' : num3(v)) },
          ...main0.extra.map((e, i) => ({
            label: `${e.name} plasma`,
            stroke: COLORS.extra[i % COLORS.extra.length],
            width: 2,
            show: !this.hidden.has(e.id),
            value: (_u: uPlot, v: number | null) => (v == null ? '–' : num3(v)),
          })),
          ...pinSeries('Ce'),
        ],
        hooks: {
          drawClear: [
            drawBands,
            (u) => {
              const m = this.main;
              if (!m) return;
              this.drawPopulation(u, `ce:${this.popParent()}`, COLORS.ce, this.unitFactor(`ce:${this.popParent()}`));
              m.extra.forEach((e, i) => {
                if (!this.hidden.has(e.id)) this.drawPopulation(u, `cp:${e.id}`, COLORS.extra[i % COLORS.extra.length], this.unitFactor(`cp:${e.id}`));
              });
              this.drawPopulation(u, `cp:${this.popParent()}`, COLORS.cp, this.unitFactor(`cp:${this.popParent()}`));
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
        axes: [xAxis, { label: '%', grid: { stroke: '#e5e7eb' }, size: 60, splits: () => [0, 25, 50, 75, 100] }],
        series: [
          { label: 'time', value: (_u, v) => (v == null ? '–' : timeOfDay(v, span())) },
          { label: 'Occupancy', stroke: COLORS.occ, width: 2.5, fill: 'rgba(109, 40, 217, 0.08)', value: (_u, v) => (v == null ? '–' : v.toFixed(1) + ' %') },
          ...pinSeries('occupancy'),
        ],
        hooks: {
          drawClear: [(u) => this.drawPopulation(u, 'occupancy', COLORS.occ, 100)],
          setCursor: [(u) => this.tooltip(u)],
        },
        legend: { show: false },
      },
      [[], [], ...this.pins.map(() => [])] as unknown as uPlot.AlignedData,
      this.occEl,
    );
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
