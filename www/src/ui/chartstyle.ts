// Chart type that scales with the page's (which grows on large screens, style.css): axis ticks,
// axis labels and the text drawn into the canvases follow the root font size, so a projector
// shows them at about 17 px instead of 12.
import type uPlot from 'uplot';

/** The root font size in CSS px (15 on phones and laptops, up to 22 on large screens). */
export function rootPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/** Tick font, label font and the y axis's width for the current root size. */
export function axisStyle(): { font: string; labelFont: string; size: number; labelSize: number; canvasPx: number } {
  const px = rootPx();
  const tick = Math.round(px * 0.85);
  return {
    font: `${tick}px system-ui, sans-serif`,
    labelFont: `600 ${tick}px system-ui, sans-serif`,
    size: Math.round(px * 4),
    labelSize: Math.round(px * 1.5),
    canvasPx: Math.round(px * 0.8),
  };
}

/** A uPlot axis with the scaled fonts (ticks and label). */
export function styled(a: uPlot.Axis, yAxis = false): uPlot.Axis {
  const s = axisStyle();
  return { font: s.font, labelFont: s.labelFont, labelSize: s.labelSize, ...a, ...(yAxis ? { size: s.size } : {}) };
}

/** One curve of a chart's legend (for the PNG export). */
export interface LegendItem {
  label: string;
  color: string;
  /** Dash pattern in CSS px (null: solid). */
  dash: number[] | null;
  width: number;
  /** A shaded area instead of a line. */
  fill?: string;
}

/** A chart's title (uPlot draws it as HTML above the canvas). */
export function titleOf(u: uPlot): string {
  return u.root.querySelector('.u-title')?.textContent ?? '';
}

/** The legend of a uPlot chart as drawn: every shown series after x. */
export function legendOf(u: uPlot): LegendItem[] {
  return u.series.slice(1).flatMap((s, k) => {
    if (s.show === false) return [];
    const raw = s.stroke as unknown;
    const color = typeof raw === 'function' ? String((raw as (u: uPlot, i: number) => unknown)(u, k + 1)) : String(raw ?? '#000');
    if (/rgba\(0, 0, 0, 0\)/.test(color)) return []; // an invisible helper series
    const label = typeof s.label === 'string' ? s.label : String(s.label ?? '');
    return [{ label, color, dash: s.dash ?? null, width: s.width ?? 1 }];
  });
}

/** Saves the chart's canvas context and clips it to the plot area (the drawing hooks' first
 * step; each restores the context when done). */
export function clipToPlot(u: uPlot): void {
  const { left, top, width, height } = u.bbox;
  u.ctx.save();
  u.ctx.beginPath();
  u.ctx.rect(left, top, width, height);
  u.ctx.clip();
}
