// Downloads: the engine's CSV of the shown scenario, and a PNG of the charts with the run's
// label, the disclaimer and the share link.
import type { Scenario } from '../engine/types';
import { amountKey, modelOf, type Meta } from './controls';
import type { LegendItem } from './chartstyle';

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The what-if clearance in words, when the scenario sets one other than the default. */
export function whatIfNote(meta: Meta, sc: Scenario): string {
  const m = sc.patient.clearance_multiplier;
  if (m == null || m === meta.defaults.clearance_multiplier) return '';
  return `What-if: drug clearance × ${m} [ASSUMPTION: illustrative, e.g. impaired liver function or an interacting drug; a TCI pump does not know it].`;
}

/** "Kamp 2020 · iv 0.5 mg/kg / 40 min · 70 kg" (from the scenario's own fields). */
export function runLabel(meta: Meta, sc: Scenario): string {
  const it = sc.regimen[0];
  if (!it) return `${modelOf(meta, sc.model)?.name ?? sc.model} · no dose`;
  const more = sc.regimen.length > 1 ? ` (+${sc.regimen.length - 1} more)` : '';
  const cl = sc.patient.clearance_multiplier;
  const whatIf = cl != null && cl !== meta.defaults.clearance_multiplier ? ` · CL × ${cl} (what-if)` : '';
  let dose: string;
  if (it.kind === 'tci') {
    const c = meta.defaults.tci_targets.find((x) => x.target === it.target);
    const v = c ? (it as unknown as Record<string, unknown>)[c.value_field] : undefined;
    dose = `TCI ${(it.target ?? '').replace('_', ' ')} ${v ?? '?'} ${c?.unit ?? ''} / ${it.duration_min} min`;
  } else {
    const key = amountKey(it);
    const unit = { devices: 'devices', dose_mg_per_kg: 'mg/kg', dose_mg: 'mg', rate_mg_per_kg_per_h: 'mg/kg/h', rate_mg_per_h: 'mg/h' }[key];
    const dur = it.kind === 'infusion' && it.duration_min != null ? ` / ${it.duration_min} min` : '';
    dose = `${it.route} ${it[key]} ${unit}${dur}`;
  }
  return `${modelOf(meta, sc.model)?.name ?? sc.model} · ${dose}${more} · ${sc.patient.weight_kg} kg${whatIf}`;
}

export function downloadCsv(name: string, csv: string): void {
  download(name, new Blob([csv], { type: 'text/csv' }));
}

/** Splits `text` into lines no wider than `max` (at spaces, else anywhere: a link has no spaces). */
function wrap(ctx: CanvasRenderingContext2D, text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/(?<= )/)) {
    if (ctx.measureText(line + word).width <= max) {
      line += word;
      continue;
    }
    if (line) lines.push(line.trimEnd());
    line = '';
    // a word longer than the line (the share link): cut it by characters
    let rest = word;
    while (ctx.measureText(rest).width > max) {
      let n = rest.length;
      while (n > 1 && ctx.measureText(rest.slice(0, n)).width > max) n = Math.floor(n * 0.9);
      while (n < rest.length && ctx.measureText(rest.slice(0, n + 1)).width <= max) n++;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line) lines.push(line.trimEnd());
  return lines;
}

/** A chart for the PNG: its canvas and the legend of every curve drawn on it. */
export interface ExportPart {
  canvas: HTMLCanvasElement;
  /** The chart's title (HTML on the page, not in the canvas). */
  title: string;
  legend: LegendItem[];
}

/**
 * The PNG: a header (title, disclaimer, notes), each chart with its legend below it (every
 * curve with its colour and dash pattern, so pinned runs can be told apart also in grey print),
 * and the full share link, wrapped.
 */
export function exportPng(parts: ExportPart[], title: string, name: string, notes: string[] = []): void {
  if (!parts.length) return;
  const dpr = devicePixelRatio;
  const pad = 16 * dpr;
  const width = Math.max(...parts.map((p) => p.canvas.width), 900 * dpr) + 2 * pad;
  const inner = width - 2 * pad;
  const probe = document.createElement('canvas').getContext('2d')!;
  const font = (px: number, weight = '') => `${weight} ${Math.round(px * dpr)}px system-ui, sans-serif`.trim();
  const line = 18 * dpr;
  const swatch = 34 * dpr;

  // lay out the text first, to know the height
  probe.font = font(20, 'bold');
  const titleLines = wrap(probe, `Ketamine PK/PD simulator — ${title}`, inner);
  probe.font = font(14, '600');
  const chartTitles = parts.map((p) => wrap(probe, p.title, inner));
  probe.font = font(13);
  const noteLines = notes.flatMap((n) => wrap(probe, n, inner));
  const legends = parts.map((p) => {
    // legend items flow left to right and wrap, each a swatch and its label
    const rows: { item: LegendItem; x: number }[][] = [[]];
    let x = 0;
    for (const item of p.legend) {
      const w = swatch + 6 * dpr + probe.measureText(item.label).width + 18 * dpr;
      if (x > 0 && x + w > inner) {
        rows.push([]);
        x = 0;
      }
      rows[rows.length - 1].push({ item, x });
      x += w;
    }
    return rows.filter((r) => r.length);
  });
  probe.font = font(11);
  const link = wrap(probe, location.href, inner);
  const titleH = 26 * dpr;
  const head = 60 * dpr + (titleLines.length - 1) * titleH + noteLines.length * line;
  const height = head + parts.reduce((h, p, i) => h + chartTitles[i].length * line + p.canvas.height + legends[i].length * line + pad, 0) + 20 * dpr + link.length * 14 * dpr + pad;

  const out = document.createElement('canvas');
  out.width = width;
  out.height = Math.ceil(height);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, out.height);
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = '#111827';
  ctx.font = font(20, 'bold');
  titleLines.forEach((t, i) => ctx.fillText(t, pad, 28 * dpr + i * titleH));
  const y0 = (titleLines.length - 1) * titleH;
  ctx.font = font(13);
  ctx.fillText('Educational model, not dosing advice. Occupancy is model-derived.', pad, y0 + 48 * dpr);
  noteLines.forEach((n, i) => ctx.fillText(n, pad, y0 + 48 * dpr + line * (i + 1)));
  let y = head;
  parts.forEach((p, i) => {
    ctx.font = font(14, '600');
    ctx.fillStyle = '#111827';
    for (const t of chartTitles[i]) {
      y += line;
      ctx.fillText(t, pad, y - 4 * dpr);
    }
    ctx.drawImage(p.canvas, pad, y);
    y += p.canvas.height + 4 * dpr;
    ctx.font = font(13);
    for (const row of legends[i]) {
      const cy = y + line / 2;
      for (const { item, x } of row) {
        const x0 = pad + x;
        ctx.save();
        if (item.fill) {
          ctx.fillStyle = item.fill;
          ctx.fillRect(x0, cy - 6 * dpr, swatch, 12 * dpr);
          ctx.strokeStyle = item.color;
          ctx.lineWidth = 1 * dpr;
          ctx.strokeRect(x0, cy - 6 * dpr, swatch, 12 * dpr);
        } else {
          ctx.strokeStyle = item.color;
          ctx.lineWidth = Math.max(1.5, item.width) * dpr;
          ctx.setLineDash((item.dash ?? []).map((d) => d * dpr));
          ctx.beginPath();
          ctx.moveTo(x0, cy);
          ctx.lineTo(x0 + swatch, cy);
          ctx.stroke();
        }
        ctx.restore();
        ctx.fillStyle = '#111827';
        ctx.fillText(item.label, x0 + swatch + 6 * dpr, cy + 4.5 * dpr);
      }
      y += line;
    }
    y += pad;
  });
  ctx.fillStyle = '#374151';
  ctx.font = font(11);
  ctx.fillText('Share link (restores this scenario, view and pinned runs):', pad, y + 4 * dpr);
  link.forEach((l, i) => ctx.fillText(l, pad, y + 4 * dpr + 14 * dpr * (i + 1)));
  out.toBlob((b) => b && download(name, b), 'image/png');
}
