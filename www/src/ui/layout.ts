// Presentation helpers of the lecture-ready layout (issue 12): the table of the plotted values
// (the keyboard and screen-reader alternative to the charts), the print summary, and the room
// the sticky chart takes on a tablet or phone. Every value is the engine's, only formatted.
import type { LandmarkUm, ModelInfo, Scenario, SimResult } from '../engine/types';
import type { ConcUnit } from './state';
import { num3, timeOfDay, timeUnit } from './format';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
/** At most this many rows: every k-th point of the engine's output grid, and the last. */
const MAX_ROWS = 121;

let tableFor: { r: SimResult; unit: ConcUnit } | null = null;

/** The table of the plotted values; built when its disclosure is open (and on opening it). */
export function renderDataTable(details: HTMLElement, r: SimResult, unit: ConcUnit): void {
  tableFor = { r, unit };
  if (!details.dataset.bound) {
    details.dataset.bound = '1';
    details.addEventListener('toggle', () => tableFor && renderDataTable(details, tableFor.r, tableFor.unit));
  }
  if (!(details as HTMLDetailsElement).open) return;
  const body = details.querySelector('#data-table-body') as HTMLElement;
  const t = r.t_min;
  const n = t.length;
  const span = t[n - 1] - t[0];
  const k = Math.max(1, Math.ceil((n - 1) / (MAX_ROWS - 1)));
  const idx: number[] = [];
  for (let i = 0; i < n; i += k) idx.push(i);
  if (idx[idx.length - 1] !== n - 1) idx.push(n - 1);
  const ng = unit === 'ng';
  const u = ng ? 'ng/mL' : 'µM';
  const d = r.drug_readout;
  const cols: { head: string; v: (i: number) => string }[] = [
    { head: `${esc(d.name)} plasma (${u})`, v: (i) => num3((ng ? d.cp_ng_per_ml : d.cp_um)[i]) },
    { head: `${esc(d.name)} effect site (${u})`, v: (i) => num3((ng ? d.ce_ng_per_ml : d.ce_um)[i]) },
    ...r.analytes
      .filter((x) => !(d.analytes.length === 1 && d.analytes[0] === x.id))
      .map((x) => ({ head: `${esc(x.name)} plasma (${u})`, v: (i: number) => num3((ng ? x.cp_ng_per_ml : x.cp_um)[i]) })),
    { head: 'NMDA occupancy (%, model-derived)', v: (i) => (r.occupancy[i] * 100).toFixed(1) },
  ];
  const tu = { min: 'min', h: 'h', d: 'd' }[timeUnit(span)];
  body.innerHTML =
    `<table><caption>Every ${k === 1 ? '' : `${k}th `}point of the simulation${k === 1 ? '' : ` (${idx.length} of ${n})`}; the CSV has all of them.</caption>` +
    `<thead><tr><th scope="col">Time (${tu})</th>${cols.map((c) => `<th scope="col">${c.head}</th>`).join('')}</tr></thead><tbody>` +
    idx.map((i) => `<tr><th scope="row">${timeOfDay(t[i], span).replace(/ [hd]$/, '')}</th>${cols.map((c) => `<td>${c.v(i)}</td>`).join('')}</tr>`).join('') +
    '</tbody></table>';
}

/**
 * What the printed page says about the run: the scenario, the model's source, the landmarks'.
 * `sc` is the run's own scenario as the engine validated it (`SimResult.scenario`): its patient
 * carries the covariates the engine used, its defaults filled in where the input left them out.
 */
export function renderPrintSummary(el: HTMLElement, sc: Scenario, label: string, model: ModelInfo | undefined, landmarks: LandmarkUm[]): void {
  const p = sc.patient;
  el.innerHTML =
    `<h2>Scenario</h2><p>${esc(sc.name ?? '')}${sc.name ? ': ' : ''}${esc(label)} · ${num3(p.weight_kg)} kg, ${num3(p.age_years)} years, sex ${esc(p.sex)}, race ${esc(p.race)} · simulated ${num3(sc.horizon_min)} min</p>` +
    `<h2>Sources</h2><p>Model: ${model ? `${esc(model.name)} — ${esc(model.citation)}` : esc(sc.model)}.</p>` +
    (landmarks.length ? `<p>Landmarks: ${landmarks.map((l) => `${esc(l.name)} — ${esc(l.source)} [${esc(l.provenance)}]`).join('; ')}.</p>` : '') +
    '<p>Educational model — not dosing advice. NMDA-receptor occupancy is model-derived (no human study measured it).</p>' +
    `<p class="link">Share link: ${esc(location.href)}</p>`;
}

/**
 * While the concentration chart is sticky (tablet, phone), the page scrolls a focused control
 * below it: scroll-padding-top is the chart's height (set through the CSSOM, which the CSP allows).
 */
export function trackStickyChart(wrap: HTMLElement): void {
  const set = () => {
    const sticky = getComputedStyle(wrap).position === 'sticky';
    document.documentElement.style.setProperty('scroll-padding-top', sticky ? `${Math.ceil(wrap.getBoundingClientRect().height) + 8}px` : '0px');
  };
  new ResizeObserver(set).observe(wrap);
  window.addEventListener('resize', set);
  set();
}
