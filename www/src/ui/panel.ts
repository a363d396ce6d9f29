// The model panel: citation, population, parameters with provenance, derived values, PD
// constants, landmarks and a compartment diagram generated from the model's structure.
import { num3 } from './format';
import type { ModelInfo, Param, PdTables } from '../engine/types';

const rateName = (r: { param: string | { mtt: string; n: number } }) =>
  typeof r.param === 'string' ? r.param : `${r.param.n}/${r.param.mtt}`;

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

export function badge(p: string): string {
  return `<span class="badge badge-${p.toLowerCase().replace(/[^a-z0-9]/g, '')}" title="${esc(PROVENANCE[p] ?? p)}">${esc(p)}</span>`;
}

export const PROVENANCE: Record<string, string> = {
  READ: 'Read in the primary source (abstract, paper or label)',
  'READ-2': 'Read in a secondary source that transcribes the paper',
  CODE: 'Encoded in public TCI software that cites the paper',
  UNVERIFIED: 'Not confirmed in any retrieved text: an explicit, labelled assumption',
  DERIVED: 'Computed from other labelled values',
  ASSUMPTION: 'A modelling assumption made by this tool',
  USER: 'Given by the user (a user-defined model): no source',
};

/** How a parameter's between-subject variance was obtained. */
function iiv(p: Param): string {
  if (p.omega2 === null) return '';
  const s = p.iiv_source;
  if (!s) return p.omega2.toFixed(3);
  if (s.kind === 'omega2_as_published') return `${p.omega2.toFixed(3)} <small>as published</small>`;
  return `${p.omega2.toFixed(3)} <small>= ln(1 + ${s.cv_percent} %²) from CV${s.convention_stated ? '' : '; the paper’s convention was not read'}</small>`;
}

function scaling(p: Param): string {
  switch (p.scaling.kind) {
    case 'none':
      return '—';
    case 'per_kg':
      return '× WT';
    case 'allometric':
      return `× (WT/70)<sup>${p.scaling.exponent}</sup>`;
  }
}

/**
 * SVG of the compartments and flows, generated from the model's structure: one column per
 * analyte; rows for depots and the liver, central, peripheral and transit compartments.
 */
function diagram(m: ModelInfo): string {
  const BW = 124;
  const BH = 34;
  const GAP = 14;
  const ROW = 70;
  const rowOf: Record<string, number> = { depot: 0, liver: 1, central: 2, peripheral: 3, transit: 4 };
  const rowsUsed = [...new Set(m.compartments.map((c) => rowOf[c.role] ?? 4))].sort();
  const rowY = (r: number) => 40 + rowsUsed.indexOf(r) * ROW;
  const pos = new Map<string, [number, number]>();
  let x0 = 70; // room for the effect-site circle
  m.analytes.forEach((_, a) => {
    const comps = m.compartments.filter((c) => c.analyte === a);
    const byRow = new Map<number, typeof comps>();
    for (const c of comps) {
      const r = rowOf[c.role] ?? 4;
      byRow.set(r, [...(byRow.get(r) ?? []), c]);
    }
    const width = Math.max(...[...byRow.values()].map((v) => v.length)) * (BW + GAP);
    for (const [r, cs] of byRow) {
      cs.forEach((c, i) => pos.set(c.name, [x0 + (width - cs.length * (BW + GAP)) / 2 + i * (BW + GAP) + BW / 2 + GAP / 2, rowY(r)]));
    }
    x0 += width + 30;
  });
  const W = x0;
  const H = 40 + rowsUsed.length * ROW + 10;
  const edge = (a: [number, number], b: [number, number]) => {
    // from box border to box border, so arrowheads stay visible
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy) || 1;
    const k = Math.min(BW / 2 / Math.max(Math.abs(dx), 1e-9), BH / 2 / Math.max(Math.abs(dy), 1e-9)) * len;
    const ux = dx / len;
    const uy = dy / len;
    return [a[0] + ux * (k + 2), a[1] + uy * (k + 2), b[0] - ux * (k + 4), b[1] - uy * (k + 4)];
  };
  let s = `<svg viewBox="0 0 ${W} ${H}" class="diagram" role="img" aria-label="Compartment diagram of ${esc(m.name)}">`;
  s += `<defs><marker id="arr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker></defs>`;
  for (const f of m.flows) {
    if (f.kind === 'exchange') {
      const a = pos.get(f.a);
      const b = pos.get(f.b);
      if (!a || !b) continue;
      const [x1, y1, x2, y2] = edge(a, b);
      s += `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#475569" stroke-width="1.8" marker-start="url(#arr)" marker-end="url(#arr)"/><text x="${(x1 + x2) / 2 + 4}" y="${(y1 + y2) / 2 - 3}" class="flow-label" text-anchor="start">${esc(f.q)}</text>`;
    } else if (f.to === null) {
      const a = pos.get(f.from);
      if (!a) continue;
      s += `<line x1="${a[0] + BW / 2}" y1="${a[1]}" x2="${a[0] + BW / 2 + 22}" y2="${a[1] + 22}" stroke="#475569" stroke-width="1.6" marker-end="url(#arr)"/><text x="${a[0] + BW / 2 + 4}" y="${a[1] + 34}" class="flow-label" text-anchor="start">${esc(rateName(f.rate))} out</text>`;
    } else {
      const a = pos.get(f.from);
      const b = pos.get(f.to);
      if (!a || !b) continue;
      const [x1, y1, x2, y2] = edge(a, b);
      const label = esc(rateName(f.rate)) + (f.fraction ? ` ×${esc(f.fraction)}` : '');
      s += `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#475569" stroke-width="1.6" marker-end="url(#arr)"/><text x="${(x1 + x2) / 2 + 4}" y="${(y1 + y2) / 2 + 4}" class="flow-label" text-anchor="start">${label}</text>`;
    }
  }
  for (const c of m.compartments) {
    const [x, y] = pos.get(c.name)!;
    const cls = c.role === 'central' ? 'box central' : c.role === 'depot' || c.role === 'liver' ? 'box depot' : 'box';
    s += `<rect x="${x - BW / 2}" y="${y - BH / 2}" width="${BW}" height="${BH}" rx="7" class="${cls}"/><text x="${x}" y="${y - 2}" class="box-label">${esc(c.name.replace(/_/g, ' '))}</text><text x="${x}" y="${y + 12}" class="box-sub">${c.volume ? esc(c.volume) : c.role}</text>`;
  }
  const central = m.compartments.find((c) => c.role === 'central')?.name;
  const cp = central ? pos.get(central) : undefined;
  if (cp) {
    const cx = cp[0] - BW / 2 - 40;
    s += `<circle cx="${cx}" cy="${cp[1] + 26}" r="17" class="effect"/><text x="${cx}" y="${cp[1] + 30}" class="box-sub">Ce</text><line x1="${cp[0] - BW / 2}" y1="${cp[1] + 6}" x2="${cx + 14}" y2="${cp[1] + 18}" stroke="#be185d" stroke-dasharray="4 3" marker-end="url(#arr)"/><text x="${cx + 6}" y="${cp[1] - 2}" class="flow-label">ke0</text>`;
  }
  return s + '</svg>';
}

export function renderPanel(
  el: HTMLElement,
  m: ModelInfo,
  pd: PdTables,
  weightKg: number,
  ke0Id: string,
  csht: { duration: number; csht: number }[],
  extra = '',
): void {
  const d = m.derived;
  const params = m.params
    .map(
      (p) =>
        `<tr><td><b>${esc(p.symbol)}</b></td><td>${esc(p.description)}</td><td class="num">${p.value}</td><td>${esc(p.unit)}</td><td>${scaling(p)}</td><td>${badge(p.provenance)}</td><td class="num">${iiv(p)}</td></tr>`,
    )
    .join('');
  const overrides = new Map(m.ke0_overrides.map(([e, p]) => [e, p]));
  const ke0 = pd.ke0_endpoints
    .map((e) => {
      const o = overrides.get(e.id);
      const value = o ? o.value : e.ke0_per_min;
      const source = o ? o.description : e.source;
      const prov = o ? o.provenance : e.provenance;
      const mark = e.id === ke0Id ? ' class="sel"' : '';
      return `<tr${mark}><td>${esc(e.name)}</td><td class="num">${value.toFixed(3)}</td><td class="num">${(Math.LN2 / value).toFixed(2)}</td><td>${esc(source)}</td><td>${badge(prov)}</td></tr>`;
    })
    .join('');
  const ligands = pd.ligands
    .map(
      (l) =>
        `<tr><td>${esc(l.name)}</td><td class="num">${num3(l.ki_binding_um)}</td><td>${esc(l.ki_binding_source)} ${badge(l.ki_binding_provenance)}</td><td class="num">${l.ki_mg_um === null ? '(scaled)' : l.ki_mg_um} ${badge(l.ki_mg_um === null ? 'ASSUMPTION' : 'UNVERIFIED')}</td><td class="num">${l.fu}</td><td>${esc(l.fu_source)} ${badge(l.fu_provenance)}</td><td class="num">${l.brain_penetration}</td><td>${esc(l.brain_penetration_source)} ${badge(l.brain_penetration_provenance)}</td><td class="num">${l.koff_factor}</td><td>${esc(l.koff_factor_source)} ${badge(l.koff_factor_provenance)}</td></tr>`,
    )
    .join('');
  const landmarks = pd.landmarks
    .map(
      (l) =>
        `<tr${l.drug === m.drug_form ? '' : ' class="other-drug"'}><td>${esc(l.name)}</td><td class="num">${l.low_ng_per_ml}${l.high_ng_per_ml ? '–' + l.high_ng_per_ml : '+'}</td><td>${l.drug === 'racemic' ? 'racemic' : 'S-ketamine'}</td><td>${esc(l.matrix)}; ${esc(l.site)}</td><td>${esc(l.source)}</td><td>${badge(l.provenance)}</td></tr>`,
    )
    .join('');
  const cshtRows = csht.map((c) => `<td class="num">${c.csht.toFixed(1)}</td>`).join('');
  const cshtHead = csht.map((c) => `<th>${c.duration} min</th>`).join('');
  el.innerHTML = `
    <h3>${esc(m.name)}</h3>
    <p class="cite">${esc(m.citation)}</p>
    <p><b>Population:</b> ${esc(m.population)} · <b>Drug:</b> ${esc(m.drug)} · <b>Sampling:</b> ${esc(m.sampling.replace('_', ' '))}</p>
    <p><b>Between patients:</b> ${esc(m.population_variation.statement)}</p>
    <ul class="notes">${m.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
    ${diagram(m)}
    ${m.compartments.some((c) => c.role === 'liver')
      ? '<p class="firstpass"><b>First-pass metabolism:</b> drug that is swallowed passes the gut wall and the liver before it reaches the circulation; part of it is metabolised on the way, so it appears as metabolite without ever being measured as parent drug.</p>'
      : ''}
    <h4>Routes</h4>
    <ul class="notes">${m.routes.map((r) => `<li><b>${esc(r.route)}</b>: ${esc(r.note)}${r.device ? ` <i>(${esc(r.device.note)})</i>` : ''}</li>`).join('')}</ul>
    <h4>Parameters (typical 70-kg values as published)</h4>
    <table><thead><tr><th>Symbol</th><th>Meaning</th><th>Value</th><th>Unit</th><th>Weight scaling</th><th>Provenance</th><th>ω²</th></tr></thead><tbody>${params}</tbody></table>
    <h4>Derived at ${weightKg} kg ${badge('DERIVED')}</h4>
    <p>V1 ${d.v1_l.toFixed(1)} L · Vss ${d.vss_l.toFixed(1)} L · CL ${d.cl_l_per_min.toFixed(3)} L/min (${(d.cl_l_per_min * 60).toFixed(1)} L/h) · half-lives ${d.half_lives_min.map((h) => h.toFixed(1)).join(', ')} min</p>
    <p>Context-sensitive half-time (min): the time for the plasma concentration to fall by half after an infusion that <em>held the plasma concentration constant</em> (textbook definition, Hughes 1992) for:</p>
    <table class="compact"><thead><tr>${cshtHead}</tr></thead><tbody><tr>${cshtRows}</tr></tbody></table>
    <h4>Effect-site equilibration: ke0 depends on the endpoint and on who chose it</h4>
    <table><thead><tr><th>Endpoint</th><th>ke0 1/min</th><th>t½ke0 min</th><th>Source</th><th></th></tr></thead><tbody>${ke0}</tbody></table>
    <h4>NMDA receptor (PCP site) affinity and protein binding</h4>
    <p>Occupancy = Σ(Cu,i·b<sub>i</sub>/Ki) / (1 + Σ Cu,i·b<sub>i</sub>/Ki), driven by the <em>unbound</em> effect-site concentration Cu = fu · Ce and each ligand's brain penetration b relative to the parent. With binding kinetics each ligand dissociates at its koff factor × ln 2 / the half-time. <b>Model-derived:</b> no human study gives a numeric occupancy.</p>
    <table><thead><tr><th>Ligand</th><th>Ki µM</th><th>Source</th><th>Ki with Mg²⁺ µM</th><th>fu</th><th>Source</th><th>Brain penetration</th><th>Source</th><th>koff factor</th><th>Source</th></tr></thead><tbody>${ligands}</tbody></table>
    <h4>Concentration landmarks (ng/mL)</h4>
    <p>Each was measured for one drug form; the charts show only those of this model's drug (${m.drug_form === 'racemic' ? 'racemic ketamine' : 'S-ketamine'}); the others are greyed here.</p>
    <table><thead><tr><th>Landmark</th><th>ng/mL</th><th>Drug</th><th>Measured in; compared as</th><th>Source</th><th></th></tr></thead><tbody>${landmarks}</tbody></table>
    ${extra}
    <h4>Provenance labels</h4>
    <ul class="notes">${Object.entries(PROVENANCE).map(([k, v]) => `<li>${badge(k)} ${esc(v)}</li>`).join('')}</ul>
    <p class="disclaimer-inline"><strong>Educational model, not dosing advice.</strong></p>`;
}
