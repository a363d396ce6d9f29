// Issue 12: lecture mode. A lecture (the engine's `Lecture`: scenes, each a scenario with a title,
// narration and highlights) is presented full screen: each scene loads its scenario through the
// page's own path (as a preset does), so the charts show exactly the engine's run of it; the
// scene's highlights only change how the charts look (thick or dim series, the dissociative band,
// the dosing and the recovery threshold from the engine's result) and which panels are shown.
// Lectures are JSON: loaded from a file, edited as text (read and validated by the engine, whose
// error names the field), downloaded, and shared by link (`#l=`, base64url JSON like `#s=`).
// A QR code of the current share link lets students open the same state on their phones.
import '../lecture.css';
import type { Engine } from '../engine/client';
import type { Highlight, Lecture, Scenario, SimResult } from '../engine/types';
import type { Charts, Presentation } from './charts';
import { DiagramPanel } from './diagram';
import { duration, num3 } from './format';
import { fromBase64Url, toBase64Url } from './state';

/** What the page lends the lecture (main.ts). */
export interface LectureHost {
  engine: Engine;
  charts: () => Charts;
  /** Loads a scenario as a preset is loaded (the same commit path); `popOn` shows its population. */
  loadScenario: (scenario: Scenario, popOn: boolean) => void;
  /** The result on screen and whether it is of the current inputs. */
  shown: () => { result: SimResult; current: boolean } | null;
  toast: (msg: string) => void;
}

declare global {
  interface Window {
    /** Issue 12: the lecture's and the diagram's state, for the tests. */
    __ketasimLecture: {
      lecture: () => Lecture | null;
      scene: () => number;
      active: () => boolean;
      fullscreen: () => boolean;
      axisFontPx: () => number;
      marker: () => number | null;
      diagram: () => DiagramPanel;
      lectureLink: () => string;
      qrLink: () => string;
    };
  }
}

/** The hash of the page at load (main.ts replaces it with the scenario's `#s=` link at once). */
const initialHash = location.hash;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** `#l=<base64url JSON {lecture, scene}>`. */
export function encodeLecture(l: Lecture, scene: number): string {
  return '#l=' + toBase64Url(JSON.stringify({ lecture: l, scene }));
}

function decodeLecture(hash: string): { json: string; scene: number } | { error: string } | null {
  const s = new URLSearchParams(hash.replace(/^#/, '')).get('l');
  if (s === null) return null;
  try {
    const raw = JSON.parse(fromBase64Url(s)) as { lecture?: unknown; scene?: unknown };
    const scene = typeof raw.scene === 'number' && Number.isInteger(raw.scene) && raw.scene >= 0 ? raw.scene : 0;
    return { json: JSON.stringify(raw.lecture ?? null), scene };
  } catch (e) {
    return { error: `The lecture link could not be read (${e instanceof Error ? e.message : String(e)}).` };
  }
}

const SERIES: Highlight[] = ['plasma', 'effect_site', 'metabolites', 'occupancy'];
const LABEL: Record<Highlight, string> = {
  dose: 'the dose',
  plasma: 'plasma',
  effect_site: 'effect site',
  dissociation: 'dissociative range',
  recovery: 'recovery',
  vitals: 'vital signs (illustrative)',
  sessions: 'sessions',
  population: 'population',
  occupancy: 'occupancy (model-derived)',
  metabolites: 'metabolites',
  diagram: 'compartment diagram',
};

export function initLecture(host: LectureHost): { rendered: (r: SimResult) => void } {
  let lecture: Lecture | null = null;
  let scene = 0;
  let active = false;
  let diagramWasOpen = false;

  const diagram = new DiagramPanel($<HTMLDetailsElement>('diagram-panel'), host.engine, host.charts);
  host.charts().onPick = (t) => diagram.pick(t);

  // ---- the lecture bar (top of the results in lecture mode) ----
  const bar = document.createElement('section');
  bar.className = 'lecture-bar';
  bar.id = 'lecture-bar';
  bar.hidden = true;
  bar.setAttribute('aria-label', 'Lecture');
  bar.innerHTML = `
    <div class="lec-head">
      <p class="lec-lecture"></p>
      <span class="lec-count" aria-live="polite"></span>
      <div class="lec-nav">
        <button type="button" data-lec="prev" aria-label="Previous scene">◀</button>
        <button type="button" data-lec="next" aria-label="Next scene">▶</button>
        <button type="button" data-lec="qr" aria-label="QR code of this scene's link (Q)">QR</button>
        <button type="button" data-lec="exit" aria-label="Leave lecture mode (Esc)">✕</button>
      </div>
    </div>
    <h2 class="lec-title"></h2>
    <p class="lec-narration"></p>
    <p class="lec-foot"><span class="lec-hl"></span> <b>Educational model — not dosing advice.</b> Occupancy is model-derived.</p>
    <div class="lec-qr" hidden><div class="lec-qr-img"></div><p class="lec-qr-text"></p></div>`;
  const results = $('results');
  results.prepend(bar);
  const q = <T extends HTMLElement>(sel: string) => bar.querySelector(sel) as T;

  // ---- the dialogs: the lecture editor and the QR code ----
  const dlg = document.createElement('dialog');
  dlg.id = 'lecture-dialog';
  dlg.className = 'lecture-dialog';
  dlg.setAttribute('aria-labelledby', 'lecture-dialog-title');
  dlg.innerHTML = `
    <form method="dialog" class="dialog-head"><h2 id="lecture-dialog-title">Lecture</h2><button type="submit" aria-label="Close">✕</button></form>
    <p class="help">A lecture is a list of scenes, each a scenario with a title, narration and what to highlight. Present it full screen (→, PageDown or Space: next; ←, PageUp: previous; Home, End; Q: a QR code of the scene’s link for the students’ phones; Esc: leave). Edit it as JSON: the engine checks it and names the field of a mistake.</p>
    <div class="lec-actions">
      <button type="button" id="lec-present">Present full screen</button>
      <label class="lec-file">Load from a file <input type="file" id="lec-file" accept=".json,application/json" /></label>
      <button type="button" id="lec-download">Download JSON</button>
      <button type="button" id="lec-link">Copy lecture link</button>
      <button type="button" id="lec-default">The default lecture</button>
      <button type="button" id="btn-qr" title="Students open the scenario on screen on their phones">QR code of this page’s link</button>
    </div>
    <ol class="lec-scenes" id="lec-scenes"></ol>
    <label for="lec-json" class="lec-json-l">The lecture as JSON</label>
    <textarea id="lec-json" spellcheck="false" rows="14"></textarea>
    <div class="lec-actions"><button type="button" id="lec-apply">Check and use this JSON</button><span class="lec-ok" id="lec-ok" role="status"></span></div>
    <p class="err" id="lec-err" role="alert"></p>`;
  document.body.append(dlg);

  const qrDlg = document.createElement('dialog');
  qrDlg.id = 'qr-dialog';
  qrDlg.className = 'qr-dialog';
  qrDlg.setAttribute('aria-labelledby', 'qr-dialog-title');
  qrDlg.innerHTML = `
    <form method="dialog" class="dialog-head"><h2 id="qr-dialog-title">Open this state on a phone</h2><button type="submit" aria-label="Close">✕</button></form>
    <div class="qr-img" id="qr-img"></div>
    <p class="help" id="qr-text"></p>`;
  document.body.append(qrDlg);

  const link = () => location.href;

  /** The QR code of the current link (its library is loaded on first use). */
  async function renderQr(box: HTMLElement, text: HTMLElement): Promise<void> {
    const url = link();
    const { qrSvg, QR_MAX_BYTES } = await import('./qr');
    const q = qrSvg(url);
    if (q.ok) {
      box.innerHTML = q.svg;
      box.dataset.link = url;
      box.dataset.modules = String(q.modules);
      text.textContent = `The share link of the scenario on screen (${url.length} characters): the same scenario and view on any device. Generated here, offline.`;
    } else {
      box.innerHTML = '';
      text.textContent = `This link is too long for a QR code (${url.length} bytes; at most ${QR_MAX_BYTES}). Use Share link instead.`;
    }
  }

  function sceneList(): void {
    $('lec-scenes').innerHTML = (lecture?.scenes ?? [])
      .map((s, i) => `<li><button type="button" data-scene="${i}">${esc(s.title)}</button></li>`)
      .join('');
  }

  function setLecture(l: Lecture): void {
    lecture = l;
    $<HTMLTextAreaElement>('lec-json').value = JSON.stringify(l, null, 2);
    sceneList();
  }

  /** Reads a lecture with the engine; on an error the previous lecture stays. */
  async function apply(text: string): Promise<boolean> {
    $('lec-ok').textContent = '';
    $('lec-err').textContent = '';
    try {
      const l = await host.engine.readLecture(text);
      setLecture(l);
      $('lec-ok').textContent = `Checked: “${l.title}”, ${l.scenes.length} scenes.`;
      if (active) show(Math.min(scene, l.scenes.length - 1));
      return true;
    } catch (e) {
      const field = (e as { field?: string }).field;
      const msg = e instanceof Error ? e.message : String(e);
      // the engine's message names the field; say which one where it does not
      $('lec-err').textContent = field && !msg.includes(field) ? `${field}: ${msg}` : msg;
      $('lec-err').dataset.field = field ?? '';
      return false;
    }
  }

  // ---- presenting ----
  function presentation(r: SimResult | null, hl: Highlight[]): Presentation {
    const fontPx = Math.max(14, Math.min(28, Math.floor(Math.min(window.innerWidth / 96, window.innerHeight / 54))));
    const spans: Presentation['spans'] = [];
    const lines: Presentation['lines'] = [];
    if (r) {
      if (hl.includes('dose') || hl.includes('sessions')) {
        for (const s of r.sessions) spans.push({ from: s.start_min, to: s.dosing_end_min, label: r.sessions.length > 1 ? `${s.number}` : `dose ${num3(s.administered_mg)} mg` });
      }
      if (hl.includes('dissociation')) {
        for (const s of r.sessions) {
          if (s.dissociated_from_min !== null && s.dissociated_to_min !== null) {
            spans.push({ from: s.dissociated_from_min, to: s.dissociated_to_min, label: `dissociated ${duration(s.dissociated_min)}` });
          }
        }
      }
      if (hl.includes('recovery')) {
        const rc = r.metrics.recovery;
        if (rc.below_at_min !== null && rc.after_dosing_min !== null) {
          spans.push({ from: rc.dosing_end_min, to: rc.below_at_min, label: `until recovered ${duration(rc.after_dosing_min)}` });
        }
        lines.push({ ng: r.metrics.recovery.threshold_ng_per_ml, label: `recovered below ${num3(r.metrics.recovery.threshold_ng_per_ml)} ng/mL (effect site)` });
      }
    }
    return { fontPx, dark: true, emphasis: hl.filter((h) => SERIES.includes(h)), strongBands: hl.includes('dissociation'), spans, lines };
  }

  function applyLook(): void {
    if (!active || !lecture) return;
    const sc = lecture.scenes[scene];
    const s = host.shown();
    host.charts().present(presentation(s?.current ? s.result : null, sc.highlight));
  }

  function show(i: number): void {
    if (!lecture) return;
    scene = Math.max(0, Math.min(lecture.scenes.length - 1, i));
    const sc = lecture.scenes[scene];
    q('.lec-lecture').textContent = lecture.title;
    q('.lec-count').textContent = `${scene + 1} / ${lecture.scenes.length}`;
    q('.lec-title').textContent = sc.title;
    q('.lec-narration').textContent = sc.narration;
    q('.lec-hl').textContent = sc.highlight.length ? `Look at: ${sc.highlight.map((h) => LABEL[h]).join(', ')}.` : '';
    const body = document.body.classList;
    for (const c of [...body]) if (c.startsWith('hl-')) body.remove(c);
    for (const h of sc.highlight) body.add(`hl-${h}`);
    diagram.setOpen(sc.highlight.includes('diagram'));
    q('.lec-qr').hidden = true;
    host.loadScenario(sc.scenario, sc.scenario.population != null);
    diagram.pause();
    if (sc.highlight.includes('diagram')) diagram.autoplay();
    applyLook();
  }

  function enter(at = 0): void {
    if (!lecture) return;
    dlg.close();
    if (!active) diagramWasOpen = diagram.open;
    active = true;
    bar.hidden = false;
    document.body.classList.add('lecture-mode');
    diagram.setCompact(presentation(null, []).fontPx);
    // full screen where the browser allows it (a user gesture); the overlay works without it
    document.documentElement.requestFullscreen?.().catch(() => {});
    show(at);
    q<HTMLButtonElement>('[data-lec="next"]').focus();
  }

  function exit(): void {
    if (!active) return;
    active = false;
    bar.hidden = true;
    const body = document.body.classList;
    body.remove('lecture-mode');
    for (const c of [...body]) if (c.startsWith('hl-')) body.remove(c);
    diagram.setCompact(null);
    diagram.setOpen(diagramWasOpen);
    host.charts().present(null);
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  }

  function toggleQr(): void {
    const box = q('.lec-qr');
    box.hidden = !box.hidden;
    if (!box.hidden) void renderQr(q('.lec-qr-img'), q('.lec-qr-text'));
  }

  document.addEventListener('keydown', (e) => {
    if (!active || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target as HTMLElement;
    if (t.closest('input, textarea, select, [contenteditable]') && !t.closest('#lecture-bar')) return;
    let handled = true;
    switch (e.key) {
      case 'ArrowRight':
      case 'PageDown':
      case ' ':
        show(scene + 1);
        break;
      case 'ArrowLeft':
      case 'PageUp':
        show(scene - 1);
        break;
      case 'Home':
        show(0);
        break;
      case 'End':
        show(lecture ? lecture.scenes.length - 1 : 0);
        break;
      case 'Escape':
        exit();
        break;
      case 'q':
      case 'Q':
        toggleQr();
        break;
      default:
        handled = false;
    }
    if (handled) {
      // a clicker's keys are the lecture's, even where the charts' keyboard crosshair has focus
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);
  // Esc in real full screen leaves it before any key event: leave the lecture with it
  document.addEventListener('fullscreenchange', () => {
    if (!document.fullscreenElement && active) exit();
  });
  window.addEventListener('resize', () => applyLook());
  bar.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-lec]');
    if (!b) return;
    ({ prev: () => show(scene - 1), next: () => show(scene + 1), qr: toggleQr, exit })[b.dataset.lec as 'prev']();
  });

  // ---- the editor's actions ----
  $('btn-lecture').addEventListener('click', () => dlg.showModal());
  $('btn-qr').addEventListener('click', () => {
    dlg.close();
    qrDlg.showModal();
    void renderQr($('qr-img'), $('qr-text'));
  });
  $('lec-present').addEventListener('click', () => enter(0));
  $('lec-scenes').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-scene]');
    if (b) enter(Number(b.dataset.scene));
  });
  $('lec-apply').addEventListener('click', () => void apply($<HTMLTextAreaElement>('lec-json').value));
  $<HTMLInputElement>('lec-file').addEventListener('change', async (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    const text = await f.text();
    $<HTMLTextAreaElement>('lec-json').value = text;
    await apply(text);
  });
  $('lec-download').addEventListener('click', () => {
    if (!lecture) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([JSON.stringify(lecture, null, 2)], { type: 'application/json' }));
    a.download = 'ketasim-lecture.json';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  const lectureLink = () => (lecture ? location.origin + location.pathname + encodeLecture(lecture, active ? scene : 0) : '');
  $('lec-link').addEventListener('click', async () => {
    const url = lectureLink();
    try {
      await navigator.clipboard.writeText(url);
      host.toast(`Lecture link copied (${url.length} characters): it opens this lecture in lecture mode.`);
    } catch {
      host.toast(url);
    }
  });
  $('lec-default').addEventListener('click', async () => {
    try {
      setLecture(await host.engine.lecture());
      $('lec-err').textContent = '';
    } catch (e) {
      $('lec-err').textContent = e instanceof Error ? e.message : String(e);
    }
  });

  /** A lecture link (at load or pasted later): read by the engine, presented at its scene. */
  async function fromHash(hash: string): Promise<void> {
    const d = decodeLecture(hash);
    if (!d) return;
    if ('error' in d) return host.toast(d.error);
    if (await apply(d.json)) enter(d.scene);
    else {
      host.toast(`The lecture in the link was not used: ${$('lec-err').textContent}`);
    }
  }
  window.addEventListener('hashchange', () => void fromHash(location.hash));

  void (async () => {
    try {
      setLecture(await host.engine.lecture());
    } catch (e) {
      $('lec-err').textContent = `The default lecture could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
    }
    await fromHash(initialHash);
  })();

  window.__ketasimLecture = {
    lecture: () => lecture,
    scene: () => scene,
    active: () => active,
    fullscreen: () => !!document.fullscreenElement,
    axisFontPx: () => host.charts().axisFontPx(),
    marker: () => host.charts().markerTime(),
    diagram: () => diagram,
    lectureLink,
    qrLink: () => link(),
  };

  return {
    rendered: (r) => {
      diagram.scenario(r.scenario);
      applyLook();
    },
  };
}
