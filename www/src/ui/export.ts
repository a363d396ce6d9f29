// Downloads: the engine's CSV of the shown scenario, and a PNG of the charts with the run's
// label, the disclaimer and the share link.
import type { Scenario } from '../engine/types';
import { amountKey, modelOf, type Meta } from './controls';

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

export function exportPng(canvases: HTMLCanvasElement[], title: string, name: string, notes: string[] = []): void {
  if (!canvases.length) return;
  const dpr = devicePixelRatio;
  const pad = 16 * dpr;
  const head = (56 + 16 * notes.length) * dpr;
  const width = Math.max(...canvases.map((c) => c.width)) + 2 * pad;
  const height = canvases.reduce((h, c) => h + c.height + pad, head + pad) + 28 * dpr;
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#111827';
  ctx.font = `bold ${20 * dpr}px system-ui, sans-serif`;
  ctx.fillText(`Ketamine PK/PD simulator — ${title}`, pad, 28 * dpr);
  ctx.font = `${13 * dpr}px system-ui, sans-serif`;
  ctx.fillText('Educational model, not dosing advice. Occupancy is model-derived.', pad, 48 * dpr);
  notes.forEach((n, i) => ctx.fillText(n, pad, (64 + 16 * i) * dpr));
  let y = head + pad;
  for (const c of canvases) {
    ctx.drawImage(c, pad, y);
    y += c.height + pad;
  }
  ctx.fillStyle = '#4b5563';
  ctx.font = `${9 * dpr}px system-ui, sans-serif`;
  ctx.fillText(location.href, pad, height - 10 * dpr);
  out.toBlob((b) => b && download(name, b), 'image/png');
}
