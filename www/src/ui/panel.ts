// The model panel: citation, population, parameters with provenance, derived values, PD
// constants, landmarks and a compartment diagram generated from the model's structure.
import type { ModelInfo, Param, PdTables } from '../engine/types';

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
};

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

/** SVG of the compartments and flows (central in the middle, peripherals around it). */
function diagram(m: ModelInfo): string {
  const comps = m.compartments;
  const W = 520;
  const H = 200;
  const pos = new Map<string, [number, number]>();
  const central = comps.find((c) => c.role === 'central')?.name ?? comps[0]?.name ?? 'central';
  pos.set(central, [W / 2, H / 2]);
  const others = comps.filter((c) => c.name !== central);
  others.forEach((c, i) => {
    const x = others.length === 1 ? W / 2 + 170 : W / 2 + (i % 2 === 0 ? -170 : 170);
    const y = others.length <= 2 ? H / 2 : 50 + Math.floor(i / 2) * 100;
    pos.set(c.name, [x, y]);
  });
  let s = `<svg viewBox="0 0 ${W} ${H}" class="diagram" role="img" aria-label="Compartment diagram of ${esc(m.name)}">`;
  s += `<defs><marker id="arr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker></defs>`;
  for (const f of m.flows) {
    if (f.kind === 'exchange') {
      const a = pos.get(f.a);
      const b = pos.get(f.b);
      if (a && b) s += `<line x1="${a[0]}" y1="${a[1]}" x2="${b[0]}" y2="${b[1]}" stroke="#475569" stroke-width="2" marker-start="url(#arr)" marker-end="url(#arr)" class="flow"/><text x="${(a[0] + b[0]) / 2}" y="${(a[1] + b[1]) / 2 - 6}" class="flow-label">${esc(f.q)}</text>`;
    } else if (f.to === null) {
      const a = pos.get(f.from);
      if (a) s += `<line x1="${a[0]}" y1="${a[1] + 28}" x2="${a[0]}" y2="${H - 4}" stroke="#475569" stroke-width="2" marker-end="url(#arr)"/><text x="${a[0] + 60}" y="${H - 10}" class="flow-label">${esc(f.rate.param)} (elimination)</text>`;
    } else {
      const a = pos.get(f.from);
      const b = pos.get(f.to);
      if (a && b) {
        const dy = a[0] < b[0] ? -5 : 5;
        s += `<line x1="${a[0]}" y1="${a[1] + dy}" x2="${b[0]}" y2="${b[1] + dy}" stroke="#475569" stroke-width="1.6" marker-end="url(#arr)"/><text x="${(a[0] + b[0]) / 2}" y="${(a[1] + b[1]) / 2 + dy * 3}" class="flow-label">${esc(f.rate.param)}</text>`;
      }
    }
  }
  for (const c of comps) {
    const [x, y] = pos.get(c.name)!;
    const main = c.name === central;
    s += `<rect x="${x - 62}" y="${y - 26}" width="124" height="52" rx="8" class="${main ? 'box central' : 'box'}"/><text x="${x}" y="${y - 3}" class="box-label">${esc(c.name)}</text><text x="${x}" y="${y + 14}" class="box-sub">${c.volume ? esc(c.volume) : 'volume derived'}</text>`;
  }
  const [cx, cy] = pos.get(central)!;
  s += `<circle cx="${cx - 150}" cy="${cy + 55}" r="20" class="effect"/><text x="${cx - 150}" y="${cy + 59}" class="box-sub">Ce</text><line x1="${cx - 62}" y1="${cy + 18}" x2="${cx - 132}" y2="${cy + 48}" stroke="#be185d" stroke-dasharray="4 3" marker-end="url(#arr)"/><text x="${cx - 118}" y="${cy + 28}" class="flow-label">ke0</text>`;
  return s + '</svg>';
}

export function renderPanel(
  el: HTMLElement,
  m: ModelInfo,
  pd: PdTables,
  weightKg: number,
  ke0Id: string,
  csht: { duration: number; csht: number }[],
): void {
  const d = m.derived;
  const params = m.params
    .map(
      (p) =>
        `<tr><td><b>${esc(p.symbol)}</b></td><td>${esc(p.description)}</td><td class="num">${p.value}</td><td>${esc(p.unit)}</td><td>${scaling(p)}</td><td>${badge(p.provenance)}</td><td class="num">${p.omega2 === null ? '' : p.omega2.toFixed(3)}</td></tr>`,
    )
    .join('');
  const overrides = new Map(m.ke0_overrides.map(([e, p]) => [e, p]));
  const ke0 = pd.ke0Endpoints
    .map((e) => {
      const o = overrides.get(e.id);
      const value = o ? o.value : e.ke0PerMin;
      const source = o ? o.description : e.source;
      const prov = o ? o.provenance : e.provenance;
      const mark = e.id === ke0Id ? ' class="sel"' : '';
      return `<tr${mark}><td>${esc(e.name)}</td><td class="num">${value.toFixed(3)}</td><td class="num">${(Math.LN2 / value).toFixed(2)}</td><td>${esc(source)}</td><td>${badge(prov)}</td></tr>`;
    })
    .join('');
  const ligands = pd.ligands
    .map(
      (l) =>
        `<tr><td>${esc(l.name)}</td><td class="num">${l.kiBindingUm.toPrecision(3)}</td><td>${esc(l.kiBindingSource)} ${badge(l.kiBindingProvenance)}</td><td class="num">${l.kiMgUm === null ? '(scaled)' : l.kiMgUm} ${badge(l.kiMgUm === null ? 'ASSUMPTION' : 'UNVERIFIED')}</td><td class="num">${l.fu}</td><td>${esc(l.fuSource)} ${badge(l.fuProvenance)}</td></tr>`,
    )
    .join('');
  const landmarks = pd.landmarks
    .map(
      (l) =>
        `<tr><td>${esc(l.name)}</td><td class="num">${l.lowNgPerMl}${l.highNgPerMl ? '–' + l.highNgPerMl : '+'}</td><td>${esc(l.matrix)}</td><td>${esc(l.source)}</td><td>${badge(l.provenance)}</td></tr>`,
    )
    .join('');
  const cshtRows = csht.map((c) => `<td class="num">${c.csht.toFixed(1)}</td>`).join('');
  const cshtHead = csht.map((c) => `<th>${c.duration} min</th>`).join('');
  el.innerHTML = `
    <h3>${esc(m.name)}</h3>
    <p class="cite">${esc(m.citation)}</p>
    <p><b>Population:</b> ${esc(m.population)} · <b>Drug:</b> ${esc(m.drug)} · <b>Sampling:</b> ${esc(m.sampling.replace('_', ' '))}</p>
    <ul class="notes">${m.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
    ${diagram(m)}
    <h4>Parameters (typical 70-kg values as published)</h4>
    <table><thead><tr><th>Symbol</th><th>Meaning</th><th>Value</th><th>Unit</th><th>Weight scaling</th><th>Provenance</th><th>ω²</th></tr></thead><tbody>${params}</tbody></table>
    <h4>Derived at ${weightKg} kg ${badge('DERIVED')}</h4>
    <p>V1 ${d.v1L.toFixed(1)} L · Vss ${d.vssL.toFixed(1)} L · CL ${d.clLPerMin.toFixed(3)} L/min (${(d.clLPerMin * 60).toFixed(1)} L/h) · half-lives ${d.halfLivesMin.map((h) => h.toFixed(1)).join(', ')} min</p>
    <p>Context-sensitive half-time (plasma, min) after an infusion of:</p>
    <table class="compact"><thead><tr>${cshtHead}</tr></thead><tbody><tr>${cshtRows}</tr></tbody></table>
    <h4>Effect-site equilibration: ke0 depends on the endpoint and on who chose it</h4>
    <table><thead><tr><th>Endpoint</th><th>ke0 1/min</th><th>t½ke0 min</th><th>Source</th><th></th></tr></thead><tbody>${ke0}</tbody></table>
    <h4>NMDA receptor (PCP site) affinity and protein binding</h4>
    <p>Occupancy = Σ(Cu,i/Ki) / (1 + Σ Cu,i/Ki), driven by the <em>unbound</em> effect-site concentration Cu = fu · Ce. <b>Model-derived:</b> no human study gives a numeric occupancy.</p>
    <table><thead><tr><th>Ligand</th><th>Ki µM</th><th>Source</th><th>Ki with Mg²⁺ µM</th><th>fu</th><th>Source</th></tr></thead><tbody>${ligands}</tbody></table>
    <h4>Concentration landmarks (ng/mL)</h4>
    <table><thead><tr><th>Landmark</th><th>ng/mL</th><th>Measured in</th><th>Source</th><th></th></tr></thead><tbody>${landmarks}</tbody></table>
    <h4>Provenance labels</h4>
    <ul class="notes">${Object.entries(PROVENANCE).map(([k, v]) => `<li>${badge(k)} ${esc(v)}</li>`).join('')}</ul>
    <p class="disclaimer-inline"><strong>Educational model, not dosing advice.</strong></p>`;
}
