// The virtual-population panel: what was simulated, how long it took, the fraction of patients
// in the dissociative range over time, and the distributions of Cmax and recovery time.
import type { Distribution, PopulationBands } from '../engine/population';
import { num3, timeOfDay } from './format';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A histogram as inline SVG, with the 5th, 50th and 95th percentiles marked. */
function histogram(d: Distribution, title: string, unit: string, color: string): string {
  if (d.count === 0) return `<figure class="pop-fig"><figcaption>${esc(title)}</figcaption><p class="help">No patient within the simulated time.</p></figure>`;
  const W = 240;
  const H = 84;
  const max = Math.max(...d.histogram_counts, 1);
  const n = d.histogram_counts.length;
  const lo = d.histogram_edges[0];
  const hi = d.histogram_edges[n];
  const x = (v: number) => (hi > lo ? ((v - lo) / (hi - lo)) * W : W / 2);
  const bars = d.histogram_counts
    .map((c, i) => {
      const h = (c / max) * (H - 14);
      return `<rect x="${((i / n) * W).toFixed(1)}" y="${(H - h).toFixed(1)}" width="${(W / n - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${color}" opacity="0.55"><title>${num3(d.histogram_edges[i])}–${num3(d.histogram_edges[i + 1])} ${unit}: ${c}</title></rect>`;
    })
    .join('');
  const [p5, , p50, , p95] = d.percentiles;
  const mark = (v: number, label: string) =>
    `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="10" y2="${H}" stroke="#111827" stroke-width="${label === 'median' ? 1.5 : 1}" stroke-dasharray="${label === 'median' ? '' : '3 2'}"/>`;
  return `<figure class="pop-fig"><figcaption>${esc(title)}</figcaption>
    <svg viewBox="0 0 ${W} ${H + 12}" role="img" aria-label="${esc(title)}: median ${num3(p50)} ${unit}, 5–95 % ${num3(p5)}–${num3(p95)}">${bars}${mark(p5, '5th')}${mark(p50, 'median')}${mark(p95, '95th')}
    <text x="0" y="${H + 11}" font-size="10">${num3(lo)}</text><text x="${W}" y="${H + 11}" font-size="10" text-anchor="end">${num3(hi)} ${unit}</text></svg>
    <p class="help">median <b>${num3(p50)}</b>; 5–95 %: ${num3(p5)}–${num3(p95)} ${unit}${d.count < 0 ? '' : ''}</p></figure>`;
}

/** The fraction of patients at or above the threshold over time, as an SVG area. */
function fractionChart(t: Float64Array, f: Float64Array, threshold: number, span: number): string {
  const W = 240;
  const H = 84;
  const t0 = t[0];
  const t1 = t[t.length - 1];
  const step = Math.max(1, Math.floor(t.length / 400));
  let d = `M0,${H}`;
  let peak = 0;
  let peakT = t0;
  for (let i = 0; i < t.length; i += step) {
    d += ` L${(((t[i] - t0) / (t1 - t0 || 1)) * W).toFixed(1)},${(H - f[i] * (H - 10)).toFixed(1)}`;
  }
  for (let i = 0; i < t.length; i++) if (f[i] > peak) [peak, peakT] = [f[i], t[i]];
  d += ` L${W},${H} Z`;
  const title = `Patients with effect site ≥ ${threshold} ng/mL`;
  return `<figure class="pop-fig"><figcaption>${esc(title)}</figcaption>
    <svg viewBox="0 0 ${W} ${H + 12}" role="img" aria-label="${esc(title)}: at most ${(peak * 100).toFixed(0)} %"><path d="${d}" fill="#be185d" opacity="0.35" stroke="#be185d"/>
    <text x="0" y="${H + 11}" font-size="10">${timeOfDay(t0, span)}</text><text x="${W}" y="${H + 11}" font-size="10" text-anchor="end">${timeOfDay(t1, span)}${span > 12 * 60 ? '' : ' min'}</text></svg>
    <p class="help">at most <b>${(peak * 100).toFixed(0)} %</b>, at ${timeOfDay(peakT, span)}${span > 12 * 60 ? '' : ' min'}</p></figure>`;
}

/** The virtual patients whose simulation failed, if any: how many, the first, and why. */
function failedNote(pop: PopulationBands): string {
  const n = pop.failed.length;
  if (n === 0) return '';
  const f = pop.failed[0];
  const ran = pop.layout.size - n;
  return `<p class="err pop-failed" role="alert">${n.toLocaleString('en')} of ${pop.layout.size.toLocaleString('en')} virtual patients could not be simulated and are left out: the bands and distributions come from the other ${ran.toLocaleString('en')}. The first, patient ${f.index} (${num3(f.weight_kg)} kg): ${esc(f.error)}</p>`;
}

export function renderPopulation(el: HTMLElement, pop: PopulationBands, modelNote: string, seed: number): void {
  const t = pop.layout.t_min;
  const span = t[t.length - 1] - t[0];
  const perSubjectUs = (pop.timing.totalMs * 1000) / pop.layout.size;
  el.innerHTML = `
    <p class="pop-head"><b>${pop.layout.size.toLocaleString('en')} virtual patients</b> (seed ${seed}). ${esc(modelNote)}
      <span class="perf">Bands in ${pop.timing.totalMs.toFixed(0)} ms on ${pop.workers} worker${pop.workers > 1 ? 's' : ''} (${perSubjectUs.toFixed(1)} µs per patient${pop.coldStart ? '; this first run includes starting the workers' : ''}).</span></p>
    ${failedNote(pop)}
    <div class="pop-figs">
      ${fractionChart(t, pop.fraction_above, pop.layout.threshold_ng_per_ml, span)}
      ${histogram(pop.cmax, 'Peak plasma concentration (Cmax)', 'ng/mL', '#1d4ed8')}
      ${histogram(pop.recovery, `Recovery: Ce below the threshold, min after the dose ended (${pop.recovery.count} of ${pop.layout.size})`, 'min', '#6d28d9')}
    </div>`;
}
