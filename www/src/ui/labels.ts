// Where the names of the concentration chart's shaded bands go, so that no name covers another
// (or a lecture label): one generic rule for every model, size and scale, no band special-cased.
//
// Each name goes where its band is alone (the part no other band covers), against the band's own
// edge there: the dissociative range, over the analgesic one, is named at its top, the analgesic
// range at its bottom, the anaesthetic range at its lower edge. A name that would cover one
// already placed moves to the free position nearest its wish — up or down, or to the left of the
// names at that height — as long as it stays beside its band (within one name's height); if none
// is free, it is left out (the legend under the chart and the tooltip still name every band).
// Bands with the least room are placed first.

/** A rectangle on the canvas, device px (y grows downwards). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A band's name to place: its visible band (device px) and its text's size. */
export interface BandName {
  id: string;
  /** The band's visible top and bottom on the plot (top < bottom), device px. */
  top: number;
  bottom: number;
  /** Whether its top and bottom are the band's own edges (not the plot's). */
  ownTop: boolean;
  ownBottom: boolean;
  /** Text width; height above and below the baseline (with its halo), device px. */
  width: number;
  ascent: number;
  descent: number;
}

/** A placed name: right-aligned at `x`, baseline at `y`, and its box. */
export interface Placed {
  id: string;
  x: number;
  y: number;
  box: Box;
}

export const intersects = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Places the names in `plot` (device px) around `obstacles` (other labels already drawn), at
 * most `gap` apart; returns those that fit, in placing order. `inset`: room from the plot's
 * right edge.
 */
export function placeBandNames(names: BandName[], plot: Box, obstacles: Box[], gap: number, inset: number): Placed[] {
  const placed: Placed[] = [];
  const taken: Box[] = obstacles.map((o) => ({ x0: o.x0 - gap, y0: o.y0 - gap, x1: o.x1 + gap, y1: o.y1 + gap }));
  const order = [...names].sort((a, b) => a.bottom - a.top - (b.bottom - b.top));
  for (const n of order) {
    const h = n.ascent + n.descent;
    // where the band is alone: its extent less every other band's
    let segs: [number, number][] = [[n.top, n.bottom]];
    for (const o of names) {
      if (o === n) continue;
      segs = segs.flatMap(([a, b]): [number, number][] => {
        if (o.bottom <= a || o.top >= b) return [[a, b]];
        return [
          [a, Math.min(b, o.top)],
          [Math.max(a, o.bottom), b],
        ].filter(([x, y]) => y - x > 0) as [number, number][];
      });
    }
    const room = segs.filter(([a, b]) => b - a >= h).sort((p, q) => q[1] - q[0] - (p[1] - p[0]))[0];
    let wish: number; // the baseline wished for
    if (room) {
      const [a, b] = room;
      const atTop = !(b === n.bottom && n.ownBottom) && a === n.top && n.ownTop;
      wish = atTop ? a + n.ascent : b - n.descent;
    } else wish = n.bottom - n.descent;
    const right = plot.x1 - inset;
    const xs = [right];
    let best: { cost: number; x: number; y: number; box: Box } | null = null;
    const yMin = Math.ceil(plot.y0 + n.ascent);
    const yMax = Math.floor(plot.y1 - n.descent);
    for (let y = yMin; y <= yMax; y++) {
      const dy = Math.abs(y - wish);
      if (best && dy >= best.cost) continue;
      // beside its band: the box within one name's height of it
      if (y + n.descent < n.top - h || y - n.ascent > n.bottom + h) continue;
      const cands = [...xs, ...taken.filter((t) => t.y0 < y + n.descent && y - n.ascent < t.y1).map((t) => t.x0)];
      for (const x of cands) {
        if (x - n.width < plot.x0 + inset) continue;
        const box = { x0: x - n.width, y0: y - n.ascent, x1: x, y1: y + n.descent };
        if (taken.some((t) => intersects(t, box))) continue;
        const cost = dy + 0.25 * (right - x);
        if (!best || cost < best.cost) best = { cost, x, y, box };
      }
    }
    if (!best) continue;
    placed.push({ id: n.id, x: best.x, y: best.y, box: best.box });
    taken.push({ x0: best.box.x0 - gap, y0: best.box.y0 - gap, x1: best.box.x1 + gap, y1: best.box.y1 + gap });
  }
  return placed;
}
