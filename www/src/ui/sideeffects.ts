// The side-effect panel: the engine's incidences for the route in use against placebo, each
// cell naming its source; what was not read says so; no concentration–response is drawn.
import type { IncidenceCell, Monitoring } from '../engine/types';
import { badge } from './panel';
import { citeTitle } from './vitals';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function cell(c: IncidenceCell, m: Monitoring, column: string): string {
  if (c.kind === 'not_reported') {
    return `<td class="nr" title="${esc(c.why)}">—<small>${c.why.includes('GAP') ? 'GAP' : 'not read'}</small></td>`;
  }
  const title = `${column}. ${citeTitle(c.drug, m.sources)}${c.counts ? ` (${c.counts})` : ''}`;
  return `<td data-source="${esc(c.drug.source)}" title="${esc(title)}"><b>${c.drug.value} %</b>${c.placebo ? ` vs ${c.placebo.value} %` : ' <small>no placebo arm</small>'}${c.counts ? `<small>${esc(c.counts)}</small>` : ''}</td>`;
}

export function renderSideEffects(el: HTMLElement, m: Monitoring): void {
  const se = m.side_effects;
  // the table depends only on the drug and route: redrawn when they change
  const key = `${se.set}|${se.applies}|${se.reason}`;
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  const short = (id: string) => m.sources.find((s) => s.id === id)?.short ?? id;
  const head = se.columns
    .map((c) => `<th scope="col" data-source="${esc(c.source)}" title="${esc(c.arms)}">${esc(c.name)}<small>${esc(short(c.source))} ${badge(c.provenance)}</small></th>`)
    .join('');
  const rows = se.rows
    .map((r) => `<tr data-effect="${r.id}"><th scope="row">${esc(r.effect)}</th>${r.cells.map((c, i) => cell(c, m, se.columns[i]?.name ?? '')).join('')}</tr>`)
    .join('');
  el.innerHTML = `
    <h3>Side effects: ${esc(se.title)}${se.applies ? '' : ' <span class="not-this">(for reference: not this regimen’s)</span>'}</h3>
    <p class="help">${esc(se.reason)}. Patients with the effect on the drug vs placebo, as reported; hover a cell for its source.</p>
    <div class="se-scroll"><table class="se-table"><thead><tr><th></th>${head}</tr></thead><tbody>${rows}</tbody></table></div>
    <ul class="notes">${se.notes.map((n) => `<li data-source="${esc(n.source)}">${esc(n.text)} <span class="src">${esc(short(n.source))}</span> ${badge(n.provenance)}</li>`).join('')}</ul>
    <p class="help no-cr">${esc(se.no_concentration_response)}</p>`;
}
