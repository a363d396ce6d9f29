// Issue 12: the animated compartment diagram. The engine's `diagram()` trace gives, on the run's
// own time grid, the amount in every compartment, the flux along every arrow, the doses and the
// effect site; this module only lays it out (dagre, loaded when the diagram is first opened) and
// draws it as SVG, synchronised with a time line on the charts. It computes no pharmacology:
// fill levels are each compartment's amount relative to its own maximum over the run, arrow
// widths the flux relative to the largest flux of the run.
import type { Engine } from '../engine/client';
import type { DiagramTrace, Scenario } from '../engine/types';
import type { Charts } from './charts';
import { num3 } from './format';

/** Frames asked of the engine (the run's grid, subsampled). */
export const DIAGRAM_POINTS = 2000;
/** Playback speeds, simulated minutes per second. */
const SPEEDS = [1, 2, 5, 10, 30, 60, 300, 1440];

const SVG = 'http://www.w3.org/2000/svg';
/** Text size of the page's diagram, px (lecture mode lays it out at the charts' axis size). */
const FONT = 13;
/** The smallest text the page's diagram is drawn at, px (a phone included); lecture mode: larger. */
const MIN_PX = 12;
const MIN_PX_LECTURE = 14;

const pretty = (id: string) => id.replace(/_/g, ' ');

/** A flux or amount for the diagram's labels: 3 significant digits, tiny values as "< 0.01". */
function small(v: number): string {
  if (v === 0) return '0';
  return Math.abs(v) < 0.01 ? '< 0.01' : num3(v);
}

let measureCtx: CanvasRenderingContext2D | null = null;
function textWidth(s: string, px: number, weight = 400): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return s.length * px * 0.62;
  measureCtx.font = `${weight} ${px}px system-ui, sans-serif`;
  return measureCtx.measureText(s).width;
}

interface Pt {
  x: number;
  y: number;
}

/** One drawn arrow: a flux of the trace (or a dose input), with its polyline. */
interface Arrow {
  el: SVGPathElement;
  flux: (k: number) => number;
  kind: 'flow' | 'dose' | 'elim';
}

/** An arrow's text: a symbol and one or two live values. */
interface Label {
  el: SVGTextElement;
  lines: SVGTSpanElement[];
  text: (k: number) => string[];
}

interface Layout {
  width: number;
  height: number;
  /** CSS px per SVG unit: the drawn text is `font × scale` px. */
  scale: number;
  /** Compartments this run does not use are left out (the caption says how many). */
  hideUnused: boolean;
  /** Wider than the panel at readable text: it scrolls sideways, said in a note above it. */
  pan: boolean;
  nodes: Map<string, { x: number; y: number; w: number; h: number }>;
  edges: Map<string, { points: Pt[]; x: number; y: number; w: number; h: number }>;
}

type Dagre = typeof import('@dagrejs/dagre').default;
let dagreP: Promise<Dagre> | null = null;
const loadDagre = () => (dagreP ??= import('@dagrejs/dagre').then((m) => m.default));

/** A polyline moved sideways by `d` px (for the two directions of an exchange). */
function offset(points: Pt[], d: number): Pt[] {
  return points.map((p, i) => {
    const a = points[Math.max(0, i - 1)];
    const b = points[Math.min(points.length - 1, i + 1)];
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    return { x: p.x - (dy / len) * d, y: p.y + (dx / len) * d };
  });
}

const pathOf = (pts: Pt[]) => pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

/**
 * A way to lay the diagram out (diagram.ts `layout`): with or without the compartments this run
 * does not use (the caption says how many are left out), the arrows' text beside (`r`) or on
 * (`c`) the arrows, and `stack` > 0: at most that many of a box's targets in a rank.
 */
interface Variant {
  hideUnused: boolean;
  labelpos: 'r' | 'c';
  stack: number;
}
/** The variants in order of preference: the page's usual look first, then ever narrower ones. */
const VARIANTS: Variant[] = [
  { hideUnused: false, labelpos: 'r', stack: 0 },
  { hideUnused: false, labelpos: 'c', stack: 0 },
  { hideUnused: true, labelpos: 'r', stack: 0 },
  { hideUnused: true, labelpos: 'c', stack: 0 },
  { hideUnused: true, labelpos: 'c', stack: 3 },
  { hideUnused: true, labelpos: 'c', stack: 2 },
  { hideUnused: true, labelpos: 'c', stack: 1 },
];

/** Graph of the trace for the layout: compartments, effect sites, dose sources, sinks; edges with label sizes. */
interface GraphSpec {
  nodes: { id: string; w: number; h: number }[];
  edges: { id: string; from: string; to: string; w: number; h: number }[];
}

export class DiagramPanel {
  private trace: DiagramTrace | null = null;
  private dagre: Dagre | null = null;
  private scenarioKey = '';
  private want: Scenario | null = null;
  private k = 0;
  private playing = false;
  private raf = 0;
  private lastFrame = 0;
  /** Simulated time while playing (between grid points), min. */
  private tPlay = 0;
  private arrows: Arrow[] = [];
  private labels: Label[] = [];
  private fills: { el: SVGRectElement; y0: number; h: number; amount: (k: number) => number; max: number }[] = [];
  private values: { el: SVGTextElement; text: (k: number) => string }[] = [];
  private doseNodes: { el: SVGGElement; to: string }[] = [];
  private maxFlux = 1;
  private fetching = 0;
  /** Frames drawn (for the tests). */
  frames = 0;
  /** Layouts drawn (for the tests). */
  layouts = 0;
  private svgBox: HTMLElement;
  private scrub: HTMLInputElement;
  private playBtn: HTMLButtonElement;
  private speed: HTMLSelectElement;
  private tOut: HTMLOutputElement;
  private err: HTMLElement;
  private caption: HTMLElement;
  private panNote: HTMLElement;
  private panText: HTMLElement;
  private fitBtn: HTMLButtonElement;
  /** The reader asked for the whole width at once, text below the readable size (a phone). */
  private fitWidth = false;
  /** The layout drawn scrolls sideways (too wide at readable text). */
  private pan = false;
  /** The layout drawn leaves unused compartments out. */
  private hideUnused = false;

  constructor(
    private root: HTMLDetailsElement,
    private engine: Engine,
    private charts: () => Charts,
  ) {
    root.innerHTML = `
      <summary><h2>Compartment diagram, animated <small>amounts and flows of this run</small></h2></summary>
      <div class="dia-bar" role="group" aria-label="Diagram time">
        <button type="button" class="dia-play" aria-pressed="false">▶ Play</button>
        <label class="dia-speed-l">Speed <select class="dia-speed" aria-label="Playback speed">${SPEEDS.map((s) => `<option value="${s}">${s >= 60 ? `${s / 60} h` : `${s} min`} per s</option>`).join('')}</select></label>
        <input type="range" class="dia-scrub" min="0" max="1" step="1" value="0" aria-label="Time of the diagram (min)" />
        <output class="dia-t" aria-live="off"></output>
      </div>
      <p class="help dia-pan" hidden><span class="dia-pan-text"></span> <button type="button" class="dia-fitw" aria-pressed="false">Fit to width</button></p>
      <div class="dia-svg"></div>
      <p class="help dia-caption"></p>
      <p class="help">Each box fills with the amount of drug in that compartment relative to its own maximum during this run (mg as text). Arrow widths follow the current flow (mg/min); an exchange is two arrows, one per direction. Drag the slider or click a chart to move the time; the same time is marked on the charts. Concentrations and flows are the engine’s run of this scenario — an educational model, not dosing advice.</p>
      <p class="err dia-err" role="alert"></p>`;
    this.svgBox = root.querySelector('.dia-svg')!;
    this.scrub = root.querySelector('.dia-scrub')!;
    this.playBtn = root.querySelector('.dia-play')!;
    this.speed = root.querySelector('.dia-speed')!;
    this.tOut = root.querySelector('.dia-t')!;
    this.err = root.querySelector('.dia-err')!;
    this.caption = root.querySelector('.dia-caption')!;
    this.panNote = root.querySelector('.dia-pan')!;
    this.panText = root.querySelector('.dia-pan-text')!;
    this.fitBtn = root.querySelector('.dia-fitw')!;
    this.fitBtn.addEventListener('click', () => {
      this.fitWidth = !this.fitWidth;
      this.relayout();
    });
    this.speed.value = '10';
    root.addEventListener('toggle', () => {
      if (root.open) void this.refresh();
      else {
        this.pause();
        this.charts().setMarker(null);
      }
    });
    this.scrub.addEventListener('input', () => {
      this.pause();
      this.show(Number(this.scrub.value));
    });
    this.playBtn.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    // a new panel width (full screen, a rotated tablet) may suit the other layout direction
    // (and a new viewport height, to which the diagram is fitted)
    let timer = 0;
    const later = () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => {
        if (!this.root.open || !this.trace) return;
        const w = this.svgBox.clientWidth;
        const tooWide = !this.pan && this.drawnWidth > w + 1;
        if (tooWide || Math.abs(w - this.layoutWidth) > 40 || Math.abs(window.innerHeight - this.layoutHeight) > 40) this.relayout();
      }, 150);
    };
    new ResizeObserver(later).observe(this.svgBox);
    window.addEventListener('resize', later);
  }

  /** Whether the diagram is shown (the trace is fetched only then). */
  get open(): boolean {
    return this.root.open;
  }

  /** Opens or closes the diagram. */
  setOpen(on: boolean): void {
    if (this.root.open !== on) this.root.open = on; // 'toggle' fetches or clears
  }

  /** The scenario on screen changed (a run was drawn): refetch when shown. */
  scenario(sc: Scenario): void {
    this.want = sc;
    if (this.root.open) void this.refresh();
  }

  private autoplayNext = false;
  /** Plays from the start once the current scenario's trace is drawn (lecture scenes). */
  autoplay(): void {
    if (this.trace && this.want && JSON.stringify(this.want) === this.scenarioKey && !this.root.classList.contains('stale')) {
      this.show(0);
      this.play();
    } else this.autoplayNext = true;
  }

  /** A click on a chart: the diagram moves to that time. */
  pick(tMin: number): void {
    if (!this.trace || !this.root.open) return;
    this.pause();
    this.show(this.indexAt(tMin));
  }

  /** The diagram's time, min (null: nothing drawn). */
  time(): number | null {
    return this.trace ? this.trace.t_min[this.k] : null;
  }

  /** The trace drawn (for the tests). */
  current(): DiagramTrace | null {
    return this.trace;
  }

  /** Moves to the grid time nearest `tMin` (for the tests and the lecture). */
  seek(tMin: number): void {
    if (this.trace) this.show(this.indexAt(tMin));
  }

  private indexAt(tMin: number): number {
    const t = this.trace!.t_min;
    let lo = 0;
    let hi = t.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (t[mid] <= tMin) lo = mid;
      else hi = mid;
    }
    return Math.abs(t[hi] - tMin) < Math.abs(t[lo] - tMin) ? hi : lo;
  }

  private async refresh(): Promise<void> {
    const sc = this.want;
    if (!sc) return;
    const key = JSON.stringify(sc);
    if (key === this.scenarioKey && this.trace) {
      if (this.layoutWidth !== this.svgBox.clientWidth) this.relayout();
      return;
    }
    this.scenarioKey = key;
    const my = ++this.fetching;
    this.root.classList.add('stale');
    let trace: DiagramTrace;
    let dagre: Dagre;
    try {
      [trace, dagre] = await Promise.all([this.engine.diagram(sc, DIAGRAM_POINTS), loadDagre()]);
    } catch (e) {
      if (my !== this.fetching) return;
      this.scenarioKey = '';
      this.err.textContent = `The diagram could not be computed: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    if (my !== this.fetching) return; // a newer scenario follows
    this.err.textContent = '';
    this.root.classList.remove('stale');
    const keepT = this.trace ? this.trace.t_min[this.k] : null;
    this.trace = trace;
    this.dagre = dagre;
    this.build(dagre, trace);
    this.scrub.max = String(trace.t_min.length - 1);
    // the same moment as before where the run still has it, else the first frame
    this.show(keepT !== null && keepT <= trace.t_min[trace.t_min.length - 1] ? this.indexAt(keepT) : 0);
    if (this.autoplayNext) {
      this.autoplayNext = false;
      this.show(0);
      this.play();
    }
  }

  private spec(tr: DiagramTrace, hideUnused: boolean): GraphSpec {
    const nodes: GraphSpec['nodes'] = [];
    const edges: GraphSpec['edges'] = [];
    const F = this.font;
    const NODE_H = Math.round(F * 3.8);
    const lab = (lines: string[]) => ({ w: Math.max(...lines.map((l) => textWidth(l, F))) + 8, h: lines.length * (F + 3) + 4 });
    const boxW = (name: string) => Math.max(F * 8.5, Math.ceil(textWidth(name, F, 600)) + F * 1.5);
    const shown = new Set(this.shownNodes(tr, hideUnused).map((n) => n.id));
    for (const n of tr.nodes) if (shown.has(n.id)) nodes.push({ id: n.id, w: boxW(pretty(n.id)), h: NODE_H });
    const seen = new Set<string>();
    for (const e of tr.edges) {
      if (!shown.has(e.from) || (e.to !== null && !shown.has(e.to))) continue;
      if (e.to === null) {
        nodes.push({ id: `out:${e.from}`, w: Math.round(F * 7.4), h: Math.round(F * 2.3) });
        edges.push({ id: `elim:${e.from}`, from: e.from, to: `out:${e.from}`, ...lab([`${e.label} < 0.01 mg/min`]) });
        continue;
      }
      const pair = [e.from, e.to].sort().join('|');
      if (seen.has(pair)) continue;
      seen.add(pair);
      const back = tr.edges.find((x) => x.from === e.to && x.to === e.from);
      const lines = back ? [`${e.label} → < 0.01 mg/min`, `${back.label} ← < 0.01 mg/min`] : [`${e.label} < 0.01 mg/min`];
      edges.push({ id: `flow:${e.from}|${e.to}`, from: e.from, to: e.to, ...lab(lines) });
    }
    const doseTargets = new Set([...tr.inputs.map((i) => i.to), ...tr.boluses.map((b) => b.to)]);
    for (const to of doseTargets) {
      nodes.push({ id: `dose:${to}`, w: Math.round(F * 7.4), h: Math.round(F * 2.3) });
      edges.push({ id: `dose:${to}`, from: `dose:${to}`, to, ...lab(['infusion < 0.01 mg/min', 'bolus 8 888 mg']) });
    }
    for (const es of tr.effect_sites) {
      nodes.push({ id: `es:${es.analyte}`, w: boxW(this.esName(tr, es.analyte)), h: NODE_H });
      edges.push({ id: `ke0:${es.analyte}`, from: es.central, to: `es:${es.analyte}`, ...lab([`ke0 ${num3(es.ke0_per_min)} /min`]) });
    }
    return { nodes, edges };
  }

  /** Compact (lecture mode): compartments that hold no drug in this run are left out. */
  private compact = false;
  private font = FONT;
  /** Lecture mode: unused compartments left out, text at `fontPx` (null: the page's look). */
  setCompact(fontPx: number | null): void {
    const on = fontPx !== null;
    const font = fontPx ?? FONT;
    if (on === this.compact && font === this.font) return;
    this.compact = on;
    this.font = font;
    this.relayout();
  }

  private layoutWidth = 0;
  private layoutHeight = 0;
  /** The drawn diagram's width, CSS px. */
  private drawnWidth = 0;
  /** Lays the trace out again for the panel's size (only while it is shown: closed, it has none). */
  private relayout(): void {
    this.layoutWidth = -1;
    if (!this.trace || !this.dagre || !this.root.open || this.svgBox.clientWidth === 0) return;
    this.build(this.dagre, this.trace);
    this.show(this.k);
  }

  /** The compartments drawn: all, or (lecture mode, or no room for them) those this run uses. */
  private shownNodes(tr: DiagramTrace, hideUnused = this.hideUnused): DiagramTrace['nodes'] {
    return this.compact || hideUnused ? tr.nodes.filter((n) => n.amount_mg.some((v) => v > 0)) : tr.nodes;
  }

  /**
   * The height the diagram may take, px: the visible part of the results (less the sticky chart
   * above it on a tablet or phone, and the diagram's own bar); lecture mode: what lecture.css
   * leaves it.
   */
  private roomHeight(): number {
    if (this.compact) return window.innerHeight * 0.64;
    let h = window.innerHeight;
    const scroller = this.root.parentElement;
    if (scroller && getComputedStyle(scroller).overflowY === 'auto') h = Math.min(h, scroller.clientHeight);
    // the sticky chart's height (ui/layout.ts keeps focused controls below it the same way)
    const sticky = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
    const bar = (this.root.querySelector('.dia-bar') as HTMLElement | null)?.offsetHeight ?? 0;
    return Math.max(120, h - sticky - bar - 24);
  }

  private esName(tr: DiagramTrace, analyte: string): string {
    return `${tr.nodes.find((x) => x.analyte === analyte)?.analyte_name ?? analyte} effect site`;
  }

  /**
   * dagre's layout of `g` for one variant, in SVG units (text at `this.font`): an arrow's text
   * beside the arrow (`r`) or on it (`c`: narrower, the arrow passing behind the text's ground);
   * `stack` > 0 puts at most that many of a box's outgoing arrows' targets in each rank below it,
   * its effect site first (narrower and taller).
   */
  private dagreLayout(dagre: Dagre, g: GraphSpec, rankdir: 'TB' | 'LR', v: Variant): Layout {
    const gr = new dagre.graphlib.Graph({ multigraph: false });
    const F = this.font;
    gr.setGraph({ rankdir, nodesep: F * 1.3, ranksep: F * 1.8, edgesep: F * 1.2, marginx: 10, marginy: 10 });
    gr.setDefaultEdgeLabel(() => ({}));
    for (const n of g.nodes) gr.setNode(n.id, { width: n.w, height: n.h });
    const outs = new Map<string, number>();
    // stacked, a box's effect site comes first (the lag a lecture shows), then elimination
    const first = (id: string) => (id.startsWith('ke0:') ? 0 : id.startsWith('elim:') ? 1 : 2);
    for (const e of v.stack ? [...g.edges].sort((a, b) => first(a.id) - first(b.id)) : g.edges) {
      const i = outs.get(e.from) ?? 0;
      outs.set(e.from, i + 1);
      gr.setEdge(e.from, e.to, { width: e.w, height: e.h, labelpos: v.labelpos, labeloffset: 10, minlen: v.stack ? 1 + Math.floor(i / v.stack) : 1 });
    }
    dagre.layout(gr);
    const gl = gr.graph();
    const L: Layout = { width: gl.width ?? 0, height: gl.height ?? 0, scale: 1, hideUnused: v.hideUnused, pan: false, nodes: new Map(), edges: new Map() };
    for (const n of g.nodes) {
      const p = gr.node(n.id);
      L.nodes.set(n.id, { x: p.x ?? 0, y: p.y ?? 0, w: n.w, h: n.h });
    }
    for (const e of g.edges) {
      const p = gr.edge(e.from, e.to);
      L.edges.set(e.id, { points: (p.points ?? []).map((q: Pt) => ({ x: q.x, y: q.y })), x: p.x ?? 0, y: p.y ?? 0, w: e.w, h: e.h });
    }
    return L;
  }

  /**
   * The layout drawn and its scale. The diagram fits the panel's width with its text at least
   * MIN_PX (lecture: MIN_PX_LECTURE, or ¾ of the lecture's text size). The variants of VARIANTS
   * are tried in order (the page's usual look first, then ever narrower ones), each
   * top-to-bottom and (unstacked) left-to-right. Chosen: from the first variant that has one, the
   * layout wholly in view (the panel's width, the room's height) with the larger text; else,
   * in a lecture, the same at the page's MIN_PX (the whole diagram on the screen matters more
   * there than text larger than the page's); else,
   * from the first that has one, the layout that fits the width, as short as readable text
   * allows (the rest is further down the page: a long chain of compartments, Simons 2022);
   * else, where no layout is that narrow (a phone), the narrowest of those that fit the room's
   * height at readable text if it is at most twice the panel's width, or else the narrowest of
   * all (taller than the room: the page scrolls down as well), scrolling sideways under a note
   * that says so and offers the whole width at smaller text ("Fit to width": the layout that
   * shows its text largest).
   */
  private layout(dagre: Dagre, tr: DiagramTrace): { L: Layout; g: GraphSpec } {
    const F = this.font;
    const availW = Math.max(160, this.svgBox.clientWidth);
    const availH = this.roomHeight();
    const minPx = this.compact ? Math.max(MIN_PX_LECTURE, F * 0.75) : MIN_PX;
    // the page never enlarges its diagram; a lecture fills the room it has
    const maxScale = this.compact ? 1.6 : 1;
    const legible = minPx / F;
    const W = (L: Layout) => Math.ceil(L.width);
    const H = (L: Layout) => Math.ceil(L.height);
    const fitW = (L: Layout) => Math.min(availW / W(L), maxScale);
    const fit = (L: Layout) => Math.min(availW / W(L), availH / H(L), maxScale);
    const specs = new Map<boolean, GraphSpec>();
    type Tried = { L: Layout; g: GraphSpec };
    /** Each variant's layouts, computed when first asked for (most panels take the first). */
    const cache = new Map<Variant, Tried[]>();
    const layouts = (v: Variant): Tried[] => {
      let got = cache.get(v);
      if (!got) {
        if (!specs.has(v.hideUnused)) specs.set(v.hideUnused, this.spec(tr, v.hideUnused));
        const g = specs.get(v.hideUnused)!;
        got = (v.stack ? (['TB'] as const) : (['TB', 'LR'] as const)).map((rankdir) => ({ L: this.dagreLayout(dagre, g, rankdir, v), g }));
        cache.set(v, got);
      }
      return got;
    };
    // (lecture mode leaves the unused compartments out anyway)
    const variants = VARIANTS.filter((v) => !this.compact || v.hideUnused);
    /** From the first variant with a layout that is `ok`, the one with the largest `key`. */
    const first = (ok: (L: Layout) => boolean, key: (L: Layout) => number): Tried | null => {
      for (const v of variants) {
        const c = layouts(v)
          .filter((t) => ok(t.L))
          .sort((a, b) => key(b.L) - key(a.L))[0];
        if (c) return c;
      }
      return null;
    };
    // wholly in view at readable text
    let c = first((L) => fit(L) >= legible, (L) => fit(L) - L.height / 1e6);
    if (c) {
      c.L.scale = fit(c.L);
      return c;
    }
    // a lecture: wholly in view at the page's readable text rather than larger text with part
    // of it off the screen (a 1280×720 projector, where the lecture's text is the page's size)
    if (this.compact) {
      c = first((L) => fit(L) * F >= MIN_PX, (L) => fit(L) - L.height / 1e6);
      if (c) {
        c.L.scale = fit(c.L);
        return c;
      }
    }
    // the whole width at readable text, taller than the room
    c = first((L) => fitW(L) >= legible, (L) => -H(L));
    if (c) {
      c.L.scale = legible;
      return c;
    }
    // no layout is that narrow: it scrolls sideways at readable text, or, if the reader asks,
    // shows the whole width at smaller text
    const all = variants.flatMap(layouts);
    const narrowest = (ts: Tried[]) => ts.reduce<Tried | null>((m, t) => (!m || W(t.L) < W(m.L) ? t : m), null);
    const short = narrowest(all.filter((t) => H(t.L) * legible <= availH));
    let best = short && W(short.L) * legible <= 2 * availW ? short : narrowest(all)!;
    if (this.fitWidth) best = all.reduce((m, t) => (fit(t.L) > fit(m.L) ? t : m));
    best.L.scale = this.fitWidth ? fit(best.L) : legible;
    best.L.pan = true;
    return best;
  }

  private build(dagre: Dagre, tr: DiagramTrace): void {
    const { L, g } = this.layout(dagre, tr);
    this.hideUnused = L.hideUnused;
    this.pan = L.pan && !this.fitWidth;
    this.arrows = [];
    this.labels = [];
    this.fills = [];
    this.values = [];
    this.doseNodes = [];
    const svg = document.createElementNS(SVG, 'svg');
    const [vw, vh] = [Math.ceil(L.width), Math.ceil(L.height)];
    svg.setAttribute('viewBox', `0 0 ${vw} ${vh}`);
    // drawn at the layout's scale: text `font × scale` px. Fitted, it never exceeds the panel
    // (lecture.css: a narrower panel before the next layout shrinks it); too wide at readable
    // text (a phone), it scrolls sideways under a note that says so
    const drawnW = Math.ceil(vw * L.scale - 1e-6);
    svg.setAttribute('width', String(drawnW));
    svg.setAttribute('height', String(Math.ceil(vh * L.scale - 1e-6)));
    svg.setAttribute('class', this.pan ? 'dia' : 'dia dia-fitted');
    svg.setAttribute('font-size', String(this.font));
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Compartment diagram of ${tr.model_id}: amounts and flows over time`);
    svg.innerHTML = `<defs><marker id="dia-arr" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="dia-head"/></marker></defs>`;
    const gEdges = document.createElementNS(SVG, 'g');
    const gNodes = document.createElementNS(SVG, 'g');
    const gLabels = document.createElementNS(SVG, 'g');
    svg.append(gEdges, gNodes, gLabels);
    const el = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent: Element): SVGElementTagNameMap[K] => {
      const e = document.createElementNS(SVG, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      parent.appendChild(e);
      return e;
    };
    const maxOf = (a: number[]) => a.reduce((m, v) => (v > m ? v : m), 0);
    this.maxFlux = Math.max(1e-300, ...tr.edges.map((e) => maxOf(e.flux_mg_per_min)), ...tr.inputs.map((i) => maxOf(i.rate_mg_per_min)));

    const arrow = (pts: Pt[], cls: string, flux: (k: number) => number, kind: Arrow['kind']) => {
      const p = el('path', { d: pathOf(pts), class: `dia-edge ${cls}`, 'marker-end': 'url(#dia-arr)' }, gEdges);
      this.arrows.push({ el: p, flux, kind });
    };
    const label = (id: string, text: (k: number) => string[], cls = '') => {
      const box = L.edges.get(id)!;
      // a ground under the label's reserved box: arrows pass behind the text, not through it
      el('rect', { x: (box.x - box.w / 2).toFixed(1), y: (box.y - box.h / 2).toFixed(1), width: box.w.toFixed(1), height: box.h.toFixed(1), rx: 3, class: 'dia-lbg' }, gLabels);
      const t = el('text', { x: box.x.toFixed(1), y: (box.y - box.h / 2 + 2).toFixed(1), class: `dia-elabel ${cls}`, 'data-edge': id }, gLabels);
      const count = text(0).length;
      const lines: SVGTSpanElement[] = [];
      for (let i = 0; i < count; i++) lines.push(el('tspan', { x: box.x.toFixed(1), dy: i === 0 ? this.font : this.font + 3 }, t));
      this.labels.push({ el: t, lines, text });
    };

    // flows between compartments: one arrow per direction, side by side
    for (const e of g.edges) {
      const box = L.edges.get(e.id)!;
      if (e.id.startsWith('flow:')) {
        const fwd = tr.edges.find((x) => x.from === e.from && x.to === e.to)!;
        const back = tr.edges.find((x) => x.from === e.to && x.to === e.from);
        if (back) {
          arrow(offset(box.points, -5), 'flow', (k) => fwd.flux_mg_per_min[k], 'flow');
          arrow(offset(box.points, 5).reverse(), 'flow', (k) => back.flux_mg_per_min[k], 'flow');
          label(e.id, (k) => [`${fwd.label} → ${small(fwd.flux_mg_per_min[k])} mg/min`, `${back.label} ← ${small(back.flux_mg_per_min[k])} mg/min`]);
        } else {
          arrow(box.points, 'flow', (k) => fwd.flux_mg_per_min[k], 'flow');
          label(e.id, (k) => [`${fwd.label} ${small(fwd.flux_mg_per_min[k])} mg/min`]);
        }
      } else if (e.id.startsWith('elim:')) {
        const x = tr.edges.find((y) => y.from === e.from && y.to === null)!;
        arrow(box.points, 'elim', (k) => x.flux_mg_per_min[k], 'elim');
        label(e.id, (k) => [`${x.label} ${small(x.flux_mg_per_min[k])} mg/min`], 'elim');
      } else if (e.id.startsWith('dose:')) {
        const to = e.to;
        const inputs = tr.inputs.filter((i) => i.to === to);
        const rate = (k: number) => inputs.reduce((s, i) => s + i.rate_mg_per_min[k], 0);
        arrow(box.points, 'dose', rate, 'dose');
        label(e.id, (k) => {
          const b = this.bolusAt(to, k);
          const r = rate(k);
          return [inputs.length ? (r > 0 ? `infusion ${small(r)} mg/min` : 'infusion off') : '', b ? `bolus ${num3(b)} mg` : ''];
        }, 'dose');
      } else if (e.id.startsWith('ke0:')) {
        el('path', { d: pathOf(box.points), class: 'dia-edge ke0', 'marker-end': 'url(#dia-arr)' }, gEdges);
        const es = tr.effect_sites.find((s) => `ke0:${s.analyte}` === e.id)!;
        label(e.id, () => [`ke0 ${num3(es.ke0_per_min)} /min`], 'ke0');
      }
    }

    const box = (id: string, cls: string) => {
      const b = L.nodes.get(id)!;
      const grp = el('g', { class: `dia-node ${cls}`, 'data-id': id }, gNodes);
      el('rect', { x: (b.x - b.w / 2).toFixed(1), y: (b.y - b.h / 2).toFixed(1), width: b.w, height: b.h, rx: 8, class: 'dia-box' }, grp);
      return { grp, b };
    };
    // compartments: a fill level and the amount in mg
    for (const node of this.shownNodes(tr)) {
      const max = maxOf(node.amount_mg);
      const { grp, b } = box(node.id, `comp role-${node.role}${max > 0 ? '' : ' unused'}`);
      const inset = 3;
      const y0 = b.y + b.h / 2 - inset;
      const fill = el('rect', { x: (b.x - b.w / 2 + inset).toFixed(1), y: y0, width: b.w - 2 * inset, height: 0, rx: 5, class: 'dia-fill' }, grp);
      el('text', { x: b.x, y: b.y - this.font * 0.45, class: 'dia-name' }, grp).textContent = pretty(node.id);
      const v = el('text', { x: b.x, y: b.y + this.font * 1.15, class: 'dia-amount' }, grp);
      this.fills.push({ el: fill, y0, h: b.h - 2 * inset, amount: (k) => node.amount_mg[k], max });
      this.values.push({ el: v, text: max > 0 ? (k) => `${small(node.amount_mg[k])} mg` : () => 'not used here' });
      const title = el('title', {}, grp);
      title.textContent = `${pretty(node.id)} (${node.analyte_name}, ${node.role})`;
    }
    // effect sites: Ce, linked to the central compartment by ke0 (no mass moves)
    for (const es of tr.effect_sites) {
      const max = maxOf(es.ce_ng_per_ml);
      const { grp, b } = box(`es:${es.analyte}`, 'effect');
      const inset = 3;
      const y0 = b.y + b.h / 2 - inset;
      const fill = el('rect', { x: (b.x - b.w / 2 + inset).toFixed(1), y: y0, width: b.w - 2 * inset, height: 0, rx: 5, class: 'dia-fill' }, grp);
      el('text', { x: b.x, y: b.y - this.font * 0.45, class: 'dia-name' }, grp).textContent = this.esName(tr, es.analyte);
      const v = el('text', { x: b.x, y: b.y + this.font * 1.15, class: 'dia-amount' }, grp);
      this.fills.push({ el: fill, y0, h: b.h - 2 * inset, amount: (k) => es.ce_ng_per_ml[k], max });
      this.values.push({ el: v, text: (k) => `Ce ${small(es.ce_ng_per_ml[k])} ng/mL` });
    }
    for (const id of L.nodes.keys()) {
      if (id.startsWith('out:')) {
        const { grp, b } = box(id, 'sink');
        el('text', { x: b.x, y: b.y + this.font * 0.38, class: 'dia-name' }, grp).textContent = 'eliminated';
      } else if (id.startsWith('dose:')) {
        const { grp, b } = box(id, 'source');
        el('text', { x: b.x, y: b.y + this.font * 0.38, class: 'dia-name' }, grp).textContent = 'dose';
        this.doseNodes.push({ el: grp, to: id.slice(5) });
      }
    }
    this.svgBox.replaceChildren(svg);
    this.drawnWidth = drawnW;
    this.panNote.hidden = !L.pan;
    this.fitBtn.setAttribute('aria-pressed', String(this.fitWidth));
    this.panText.textContent = this.fitWidth
      ? 'Fitted to the screen’s width: the text is smaller than readable here. Press again for readable text (the diagram then scrolls sideways).'
      : 'Wider than this screen at readable text: scroll or swipe the diagram sideways, or fit it to the width (smaller text).';
    // scrolling sideways, the diagram is a region the keyboard can scroll
    if (this.pan) {
      this.svgBox.tabIndex = 0;
      this.svgBox.setAttribute('role', 'region');
      this.svgBox.setAttribute('aria-label', 'Compartment diagram, scrolls sideways');
    } else {
      this.svgBox.removeAttribute('tabindex');
      this.svgBox.removeAttribute('role');
      this.svgBox.removeAttribute('aria-label');
    }
    this.layoutWidth = this.svgBox.clientWidth;
    this.layoutHeight = window.innerHeight;
    this.layouts++;
  }

  /** The bolus into `to` given within the frame ending at grid index k (mg), else 0. */
  private bolusAt(to: string, k: number): number {
    const tr = this.trace!;
    const t1 = tr.t_min[k];
    const t0 = k > 0 ? tr.t_min[k - 1] : t1;
    return tr.boluses.filter((b) => b.to === to && b.t_min <= t1 && (b.t_min > t0 || (k === 0 && b.t_min === t1))).reduce((s, b) => s + b.amount_mg, 0);
  }

  /** Draws frame k and marks its time on the charts. */
  private show(k: number): void {
    const tr = this.trace;
    if (!tr) return;
    this.k = Math.max(0, Math.min(tr.t_min.length - 1, k));
    k = this.k;
    if (!this.playing) this.tPlay = tr.t_min[k];
    this.scrub.value = String(k);
    const t = tr.t_min[k];
    const end = tr.t_min[tr.t_min.length - 1];
    this.tOut.textContent = `t = ${num3(t)} min${end > 1440 ? ` (day ${(t / 1440).toFixed(2)})` : ''}`;
    this.scrub.setAttribute('aria-valuetext', `${num3(t)} min`);
    for (const a of this.arrows) {
      const f = a.flux(k);
      const w = f > 0 ? 1.5 + 10 * Math.sqrt(f / this.maxFlux) : 1;
      a.el.setAttribute('stroke-width', w.toFixed(2));
      a.el.classList.toggle('idle', !(f > 0));
    }
    for (const l of this.labels) {
      const lines = l.text(k);
      l.lines.forEach((s, i) => (s.textContent = lines[i] ?? ''));
    }
    for (const f of this.fills) {
      const frac = f.max > 0 ? Math.max(0, Math.min(1, f.amount(k) / f.max)) : 0;
      const h = frac * f.h;
      f.el.setAttribute('y', (f.y0 - h).toFixed(1));
      f.el.setAttribute('height', h.toFixed(1));
    }
    for (const v of this.values) v.el.textContent = v.text(k);
    for (const d of this.doseNodes) d.el.classList.toggle('flash', this.bolusAt(d.to, k) > 0);
    const elim = tr.eliminated_mg[k];
    const hidden = tr.nodes.length - this.shownNodes(tr).length;
    this.caption.textContent =
      `Eliminated from the body so far: ${small(elim)} mg (parent-drug equivalents). Frame ${k + 1} of ${tr.t_min.length}.` +
      (hidden ? ` Not drawn: ${hidden} compartment${hidden > 1 ? 's' : ''} this run does not use.` : '');
    this.frames++;
    this.charts().setMarker(t);
  }

  private play(): void {
    const tr = this.trace;
    if (!tr) return;
    if (this.k >= tr.t_min.length - 1) this.show(0);
    this.playing = true;
    this.tPlay = tr.t_min[this.k];
    this.playBtn.textContent = '❚❚ Pause';
    this.playBtn.setAttribute('aria-pressed', 'true');
    this.lastFrame = performance.now();
    const step = (now: number) => {
      if (!this.playing || !this.trace) return;
      const dt = (now - this.lastFrame) / 1000;
      this.lastFrame = now;
      this.tPlay += dt * Number(this.speed.value);
      const t = this.trace.t_min;
      let k = this.k;
      while (k < t.length - 1 && t[k + 1] <= this.tPlay) k++;
      if (k !== this.k) this.show(k);
      if (k >= t.length - 1) return this.pause();
      this.raf = requestAnimationFrame(step);
    };
    this.raf = requestAnimationFrame(step);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.playBtn.textContent = '▶ Play';
    this.playBtn.setAttribute('aria-pressed', 'false');
  }
}

