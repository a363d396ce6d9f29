// Issue 14, the page part: the "Edit parameters" view of a user-defined model.
//
// The editor starts from the selected model's own description (the engine's `models()` entry, or
// the scenario's `model_spec`), labels every number USER and gives it the id `user:<id>`; a value
// typed into the table, or the whole description edited as JSON, becomes the scenario's
// `model_spec` and runs through the page's normal path (commit → share link → latest-only
// simulate), so the charts, readouts, CSV and link all show the user's model. Nothing is checked
// here: the engine validates the description and names the field (`model_spec.params[3].value`),
// and its message appears next to that row. Wherever the model's name shows, it carries
// `USER_LABEL`.
import '../modeledit.css';
import type { Engine } from '../engine/client';
import { EngineFailure, LatestOnly } from '../engine/rpc';
import type { ModelInfo, ModelSpec, Param, Scenario, SimResult } from '../engine/types';
import { modelOf, type Meta } from './controls';
import { showMessage } from './errors';
import { moment, num3 } from './format';
import { badge, renderPanel } from './panel';
import type { PageState } from './state';
import { Typing } from './typing';

/** What the page says wherever a user's model is named. */
export const USER_LABEL = 'your model (USER values — not from a publication)';

/** How the page lends its paths to the editor (main.ts). */
export interface EditorHooks {
  engine: Engine;
  /** The engine that computes the CSHT curves (a worker of its own). */
  cshtEngine: Engine;
  meta(): Meta;
  state(): PageState;
  /** Runs a scenario the page's normal way (commit: controls, share link, latest-only run). */
  apply(sc: Scenario): void;
  /** Switches to a built-in model the page's normal way (the engine's `withModel`). */
  model(id: string): void;
  /** Shows the messages and the stale marking again (the editor's controls came or went). */
  showState(): void;
  /** A user's model description arrived from the engine: show it in the controls. */
  resync(): void;
  /** The model panel's extra sections (vitals calibration and sources). */
  panelExtra(): string;
  /** Whether the run on screen is of the current inputs. */
  current(): boolean;
  /** Typing into the editor's box of `path` waits for a pause before it runs (ui/typing.ts). */
  waiting(path: string, on: boolean): void;
}

const esc = (s: unknown) =>
  String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * A user's description as the rest of the page may print it. The page writes built-in model
 * texts (citation, descriptions) as HTML; a user's texts (from a shared link, too) must not become
 * markup there, so `<`, `>`, `&` and `"` are shown as look-alike characters in this display copy
 * (the scenario keeps the user's text unchanged). The editor and the panel escape properly.
 */
function defang<T>(x: T): T {
  if (typeof x === 'string') return x.replace(/[<>&"]/g, (c) => ({ '<': '‹', '>': '›', '&': '＆', '"': '”' })[c] ?? c) as T;
  if (Array.isArray(x)) return x.map(defang) as T;
  if (isObj(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, defang(v)])) as T;
  return x;
}

/** Text for an HTML template. */
export const escHtml = esc;

/** The name shown for a user's model. */
export function userName(name: string): string {
  return `${name} — ${USER_LABEL}`;
}

/**
 * A model's description (`models()` / `modelInfo()` entry, serde form of `ModelSpec`) as a user's
 * model: the engine's derived values dropped, every parameter, covariate and ke0 override
 * labelled USER, the id `user:<id>`.
 */
export function asUserSpec(info: ModelInfo): ModelSpec {
  const { derived: _d, drug_form: _f, population_variation: _p, ...spec } = structuredClone(info);
  const user = (p: Param): Param => ({ ...p, provenance: 'USER' });
  return {
    ...spec,
    id: `user:${info.id}`,
    name: `${info.name} (edited)`,
    citation: `Your values, starting from: ${info.citation}`,
    params: spec.params.map(user),
    covariates: spec.covariates.map((c) => ({ ...c, provenance: 'USER' })),
    ke0_overrides: spec.ke0_overrides.map(([e, p]) => [e, user(p)]),
  };
}

/** One editable number of the description: where it is, what it is, and its unit. */
interface Row {
  path: string;
  symbol: string;
  description: string;
  value: unknown;
  unit: string;
  scaling: string;
  set(v: number): void;
}

function scalingText(s: unknown): string {
  if (!isObj(s)) return '?';
  if (s.kind === 'none') return 'none';
  if (s.kind === 'per_kg') return 'per kg body weight';
  if (s.kind === 'allometric') return `allometric, exponent ${s.exponent}`;
  return String(s.kind);
}

/** The numbers the table offers (the rest is edited as JSON). Defensive: a link's description may be anything. */
function rowsOf(d: ModelSpec): Row[] {
  const rows: Row[] = [];
  const params = Array.isArray(d.params) ? d.params : [];
  params.forEach((p, i) => {
    if (!isObj(p)) return;
    rows.push({
      path: `model_spec.params[${i}]`,
      symbol: String(p.symbol),
      description: String(p.description ?? ''),
      value: p.value,
      unit: String(p.unit),
      scaling: scalingText(p.scaling),
      set: (v) => (p.value = v),
    });
  });
  const overrides = Array.isArray(d.ke0_overrides) ? d.ke0_overrides : [];
  overrides.forEach((o, i) => {
    if (!Array.isArray(o) || !isObj(o[1])) return;
    const p = o[1];
    rows.push({
      path: `model_spec.ke0_overrides[${i}]`,
      symbol: `ke0 (${o[0]})`,
      description: `effect-site rate constant for the ${o[0]} endpoint${p.description ? `: ${p.description}` : ''}`,
      value: p.value,
      unit: String(p.unit),
      scaling: 'none',
      set: (v) => (p.value = v),
    });
  });
  const analytes = Array.isArray(d.analytes) ? d.analytes : [];
  analytes.forEach((a, i) => {
    if (!isObj(a) || !isObj(a.binding)) return;
    const b = a.binding;
    const base = `model_spec.analytes[${i}].binding`;
    const who = String(a.name ?? a.id);
    rows.push({ path: `${base}.fu`, symbol: `fu (${a.id})`, description: `unbound fraction in plasma, ${who}`, value: b.fu, unit: 'fraction', scaling: 'none', set: (v) => (b.fu = v) });
    rows.push({ path: `${base}.ki_um`, symbol: `Ki (${a.id})`, description: `NMDA-receptor inhibition constant, ${who}`, value: b.ki_um, unit: 'µM', scaling: 'none', set: (v) => (b.ki_um = v) });
    if (b.half_time_min != null) {
      rows.push({ path: `${base}.half_time_min`, symbol: `t½ off (${a.id})`, description: `dissociation half-time (kinetic binding), ${who}`, value: b.half_time_min, unit: 'min', scaling: 'none', set: (v) => (b.half_time_min = v) });
    }
  });
  return rows;
}

/** The built-in model a user's model id was made from (`user:kamp2020` → `kamp2020`), if any. */
function baseOf(meta: Meta, id: unknown): string | null {
  const s = typeof id === 'string' ? id.replace(/^user:/, '') : '';
  return meta.models.some((m) => m.id === s) ? s : null;
}

export class ModelEditor {
  private dlg!: HTMLDialogElement;
  /** The editor's boxes whose typing waits for a pause. */
  private typing = new Typing();
  private note!: HTMLElement;
  /** The description being edited (a copy; the scenario gets a copy of it on each apply). */
  private draft: ModelSpec | null = null;
  /** The built-in model the draft started from (for "back to"). */
  private base: string | null = null;
  /** The description last given to the page (JSON), or null while the page runs a built-in model. */
  private appliedJson: string | null = null;
  /** The JSON text was edited and not applied: the table waits. */
  private dirty = false;
  private infoKey = '';
  private info = new LatestOnly((s: Scenario) => this.h.engine.modelInfo(s));
  /** The run on screen (for the editor's own line of peaks). */
  private last: SimResult | null = null;
  private readonly place = () => {
    // below the page's header while it is in view (the actions stay reachable)
    const head = document.querySelector('header');
    const top = Math.max(0, head ? head.getBoundingClientRect().bottom : 0);
    this.dlg.style.setProperty('--me-top', `${Math.round(top)}px`);
  };

  constructor(private readonly h: EditorHooks) {}

  /** Puts the button beside the model select, the label above the readouts, and the (closed) editor. */
  mount(): void {
    const cite = document.getElementById('model-cite');
    const open = document.createElement('button');
    open.type = 'button';
    open.id = 'btn-model-edit';
    open.className = 'me-open';
    open.textContent = 'Edit parameters (your own model)';
    open.title = 'Start from this model, change its numbers or its structure, and run it: labelled USER, not from a publication';
    open.addEventListener('click', () => this.open());
    cite?.after(open);

    this.note = document.createElement('p');
    this.note.id = 'user-model-note';
    this.note.className = 'me-note';
    this.note.setAttribute('role', 'note');
    this.note.hidden = true;
    document.getElementById('readouts')?.before(this.note);

    this.dlg = document.createElement('dialog');
    this.dlg.id = 'model-edit';
    this.dlg.className = 'me';
    this.dlg.setAttribute('aria-labelledby', 'me-title');
    document.body.append(this.dlg);
    this.dlg.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && (e.target as HTMLElement).id === 'me-json') {
        e.preventDefault();
        this.applyJson();
      }
    });
    // typing runs once it pauses (Enter, leaving the box: at once), as in the page's controls
    this.typing.bind(this.dlg);
    this.dlg.addEventListener('input', (e) => {
      const el = e.target as HTMLElement;
      if (el.id === 'me-json') return this.onInput(el);
      const path = el.id === 'me-name' ? 'model_spec.name' : `model_spec.row${(el as HTMLInputElement).dataset.row ?? ''}`;
      this.typing.later(el, () => this.onInput(el), () => this.h.waiting(path, true), () => this.h.waiting(path, false));
    });
    this.dlg.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-me]');
      if (!b) return;
      const act = b.dataset.me;
      if (act === 'close') this.close();
      else if (act === 'apply') this.dirty ? this.applyJson() : this.apply();
      else if (act === 'json-apply') this.applyJson();
      else if (act === 'json-discard') this.discardJson();
      else if (act === 'builtin' && this.base) {
        this.close();
        this.h.model(this.base);
      }
    });
  }

  get isOpen(): boolean {
    return this.dlg.open;
  }

  /** Opens the editor on the scenario's own model, or on a USER copy of the selected built-in one. */
  open(focus = true): void {
    const meta = this.h.meta();
    const sc = this.h.state().scenario;
    if (sc.model_spec) {
      this.draft = structuredClone(sc.model_spec);
      this.appliedJson = JSON.stringify(sc.model_spec);
    } else {
      const m = modelOf(meta, sc.model);
      if (!m) return;
      this.draft = asUserSpec(m);
      this.appliedJson = null;
    }
    this.base = baseOf(meta, this.draft.id) ?? baseOf(meta, sc.model) ?? meta.defaults.scenario.model;
    this.dirty = false;
    this.render();
    if (!this.dlg.open) {
      this.dlg.show();
      // the editor covers the controls (a bottom sheet on phones): bring the header and results into view
      if (matchMedia('(max-width: 900px)').matches) (document.getElementById('conc-wrap') ?? document.getElementById('readouts'))?.scrollIntoView({ block: 'start' });
      else window.scrollTo({ top: 0 });
      this.place();
      window.addEventListener('scroll', this.place, { passive: true });
      window.addEventListener('resize', this.place, { passive: true });
    }
    if (focus) this.dlg.querySelector<HTMLInputElement>('input[data-row]')?.focus({ preventScroll: true });
    this.h.showState(); // an error about the description goes next to its row now
  }

  close(focus = true): void {
    if (!this.dlg.open) return;
    this.dlg.close();
    window.removeEventListener('scroll', this.place);
    window.removeEventListener('resize', this.place);
    // no hidden controls left to catch the engine's messages: they go to the general line
    this.dlg.replaceChildren();
    this.draft = null;
    this.h.showState();
    if (focus) document.getElementById('btn-model-edit')?.focus();
  }

  private render(): void {
    const d = this.draft!;
    const meta = this.h.meta();
    const baseName = this.base ? (modelOf(meta, this.base)?.name ?? this.base) : null;
    const rows = rowsOf(d);
    const grid = rows
      .map(
        (r, i) => `<div class="me-row ctl" data-path="${esc(r.path)}">
          <div class="me-sym"><b>${esc(r.symbol)}</b>${r.description ? `<small>${esc(r.description)}</small>` : ''}</div>
          <input type="number" step="any" inputmode="decimal" id="me-v-${i}" data-row="${i}" value="${esc(typeof r.value === 'number' ? r.value : '')}" aria-label="${esc(`${r.symbol} in ${r.unit}`)}" />
          <span class="me-unit">${esc(r.unit)}</span>
          <span class="me-scal">weight scaling: ${esc(r.scaling)}</span>
          <span class="me-prov">${badge('USER')}</span>
          <p class="err" role="alert"></p>
        </div>`,
      )
      .join('');
    this.dlg.innerHTML = `
      <div class="me-head">
        <h2 id="me-title">Edit parameters — your own model</h2>
        <button type="button" data-me="close" aria-label="Close the editor">✕</button>
      </div>
      <p class="me-user">${badge('USER')} <b>Your model</b> (USER values — not from a publication)${baseName ? `, started from ${esc(baseName)}` : ''}. <strong>Educational model — not dosing advice.</strong></p>
      <div class="ctl me-name" data-path="model_spec.name">
        <label for="me-name">Name</label>
        <input type="text" id="me-name" value="${esc(d.name ?? '')}" autocomplete="off" />
        <p class="err" role="alert"></p>
      </div>
      <p class="me-hint" id="me-dirty" hidden>The JSON below was edited: apply it or discard it to use the table again.</p>
      <div class="me-grid" role="group" aria-label="Parameters of your model">
        <div class="me-row me-th" aria-hidden="true"><span>Parameter</span><span>Value</span><span>Unit</span><span>Label</span></div>
        ${grid || '<p class="me-hint">No parameter list could be read from this description: edit it as JSON below.</p>'}
      </div>
      <div class="ctl me-spec" data-path="model_spec"><p class="err" role="alert"></p></div>
      <details class="me-json"${rows.length ? '' : ' open'}>
        <summary>Advanced: JSON (compartments, flows, routes, analytes, ligand constants)</summary>
        <p class="help">The whole <code>model_spec</code>, in the format of <code>ketasim models --json</code>. A ligand of your own: <code>"binding": {"fu", "ki_um", "half_time_min"}</code> on an analyte. Every number stays labelled <code>"USER"</code>; the engine checks the rest and names what to change.</p>
        <textarea id="me-json" rows="14" spellcheck="false" autocomplete="off" aria-label="Your model's description as JSON"></textarea>
        <p class="err me-json-err" id="me-json-err" role="alert"></p>
        <div class="me-buttons">
          <button type="button" data-me="json-apply">Apply JSON</button>
          <button type="button" data-me="json-discard">Discard JSON edits</button>
          <span class="me-k">Ctrl+Enter applies</span>
        </div>
      </details>
      <div class="me-buttons me-actions">
        <button type="button" data-me="apply" class="me-primary">Apply</button>
        ${this.base ? `<button type="button" data-me="builtin" title="${esc(`${modelOf(meta, this.base)?.name ?? this.base}, as published: your model is dropped`)}">Back to the published model</button>` : ''}
      </div>
      <p class="me-status" id="me-status" role="status" aria-live="polite"></p>`;
    this.dlg.querySelector('.me-user')!.insertAdjacentHTML('afterend', '<p class="me-now" id="me-now" aria-live="polite"></p>');
    this.peaks();
    this.dlg.querySelector<HTMLTextAreaElement>('#me-json')!.value = JSON.stringify(d, null, 2);
    this.status();
  }

  /** Says whether the page runs this description. */
  private status(): void {
    const el = this.dlg.querySelector<HTMLElement>('#me-status');
    if (!el) return;
    const sc = this.h.state().scenario;
    const meta = this.h.meta();
    el.textContent = sc.model_spec
      ? 'Applied: the charts, readouts, CSV and share link show your model.'
      : `Not applied yet: the page runs ${modelOf(meta, sc.model)?.name ?? sc.model} as published. Change a value, or Apply.`;
  }

  private onInput(el: HTMLElement): void {
    if (!this.draft) return;
    if (el.id === 'me-json') {
      this.setDirty(true);
      return;
    }
    if (el.id === 'me-name') {
      this.draft.name = (el as HTMLInputElement).value;
      this.syncJson();
      this.apply();
      return;
    }
    const i = (el as HTMLInputElement).dataset.row;
    if (i === undefined) return;
    const input = el as HTMLInputElement;
    const row = rowsOf(this.draft)[Number(i)];
    const err = input.parentElement!.querySelector<HTMLElement>(':scope > .err')!;
    const v = input.value.trim() === '' ? NaN : Number(input.value);
    if (input.validity.badInput || !Number.isFinite(v)) {
      // not a number: nothing to run; the model keeps its last value
      input.parentElement!.classList.add('me-bad');
      err.textContent = `${row.path}.value: type a number (${row.symbol} keeps ${String(row.value)} ${row.unit} until then).`;
      return;
    }
    if (input.parentElement!.classList.contains('me-bad')) {
      input.parentElement!.classList.remove('me-bad');
      err.textContent = '';
    }
    row.set(v);
    this.syncJson();
    this.apply();
  }

  private setDirty(dirty: boolean): void {
    this.dirty = dirty;
    const hint = this.dlg.querySelector<HTMLElement>('#me-dirty');
    if (hint) hint.hidden = !dirty;
    this.dlg.querySelectorAll<HTMLInputElement>('input[data-row], #me-name').forEach((i) => (i.disabled = dirty));
    if (!dirty) this.dlg.querySelector<HTMLElement>('#me-json-err')!.textContent = '';
  }

  /** The JSON shows the draft (unless it holds edits of its own). */
  private syncJson(): void {
    if (this.dirty || !this.draft) return;
    this.dlg.querySelector<HTMLTextAreaElement>('#me-json')!.value = JSON.stringify(this.draft, null, 2);
  }

  /** Runs the draft: the scenario's model becomes it (its id), through the page's commit. */
  private apply(): void {
    if (!this.draft) return;
    const sc = this.h.state().scenario;
    const spec = structuredClone(this.draft);
    this.appliedJson = JSON.stringify(spec);
    this.h.apply({ ...sc, model: typeof spec.id === 'string' ? spec.id : sc.model, model_spec: spec });
    this.status();
  }

  private applyJson(): void {
    const ta = this.dlg.querySelector<HTMLTextAreaElement>('#me-json');
    const err = this.dlg.querySelector<HTMLElement>('#me-json-err');
    if (!ta || !err) return;
    let v: unknown;
    try {
      v = JSON.parse(ta.value);
    } catch (e) {
      // a syntax error is not the engine's to name: the browser's reader says where
      err.textContent = `The JSON could not be read: ${e instanceof Error ? e.message : String(e)}. Nothing was applied.`;
      return;
    }
    if (!isObj(v)) {
      err.textContent = 'Give one JSON object: the model description (the value of "model_spec"). Nothing was applied.';
      return;
    }
    this.draft = v as unknown as ModelSpec;
    const open = this.dlg.querySelector<HTMLDetailsElement>('details.me-json')?.open ?? true;
    this.render();
    this.dlg.querySelector<HTMLDetailsElement>('details.me-json')!.open = open;
    this.apply();
    this.dlg.querySelector<HTMLTextAreaElement>('#me-json')?.focus();
  }

  private discardJson(): void {
    this.setDirty(false);
    this.syncJson();
  }

  /**
   * The page's scenario changed (called at every run): fetch the user's model description from
   * the engine for the controls and labels (latest only), and follow changes made elsewhere.
   */
  track(st: PageState): void {
    const sc = st.scenario;
    const meta = this.h.meta();
    this.peaks();
    if (this.dlg.open) {
      if (!sc.model_spec && this.appliedJson !== null) {
        // switched to a built-in model or a preset: the user's model is gone
        this.close(false);
      } else if (!sc.model_spec && this.base !== sc.model && !this.dirty) {
        this.open(false); // another model selected before any edit: start from it
      } else if (sc.model_spec && JSON.stringify(sc.model_spec) !== this.appliedJson && !this.dirty) {
        this.open(false); // another user's model (a link)
      } else {
        this.status();
      }
    }
    if (!sc.model_spec) {
      this.infoKey = '';
      return;
    }
    const key = JSON.stringify(sc.model_spec);
    if (key === this.infoKey) return;
    this.infoKey = key;
    this.info.request(sc).then(
      (info) => {
        if (!info || this.infoKey !== key) return;
        meta.userModels ??= new Map();
        meta.userModels.set(info.id, defang({ ...info, name: userName(info.name) }));
        this.h.resync();
      },
      () => {
        if (this.infoKey === key) this.infoKey = ''; // the run names the error; try again on the next change
      },
    );
  }

  /** The shown run's peaks, in the editor (the readout cards may be under it). */
  private peaks(): void {
    const el = this.dlg.querySelector<HTMLElement>('#me-now');
    const r = this.last;
    if (!el || !r) return;
    const a = r.metrics.drug;
    const span = r.t_min[r.t_min.length - 1] - r.t_min[0];
    const who = r.scenario.model_spec ? `your model “${r.scenario.model_spec.name}” (USER)` : `${modelOf(this.h.meta(), r.model_id)?.name ?? r.model_id} as published`;
    const now = this.h.current() ? 'Shown' : 'Not current — the last valid run';
    el.innerHTML = `${now}: ${esc(who)} — peak plasma <b>${num3(a.cmax_ng_per_ml)} ng/mL</b> at ${moment(a.tmax_min, span)}, peak effect site <b>${num3(a.ce_max_ng_per_ml)} ng/mL</b> at ${moment(a.ce_tmax_min, span)}.`;
  }

  /** The label above the readouts: the shown run's model is the user's. */
  shown(r: SimResult): void {
    this.last = r;
    if (r.scenario.model_spec) {
      // the page prints analyte names as HTML (readouts, toggles, tooltip): a user's, from a
      // link too, must not become markup there (the scenario keeps the user's text)
      for (const a of r.analytes) a.name = defang(a.name);
      r.drug_readout.name = defang(r.drug_readout.name);
    }
    if (this.dlg.open) this.peaks();
    const spec = r.scenario.model_spec;
    this.note.hidden = !spec;
    this.note.innerHTML = spec
      ? `${badge('USER')} <b>${esc(spec.name)}</b> — ${esc(USER_LABEL)}. Every number of this model is yours; the landmarks and PD tables stay cited. <strong>Educational model — not dosing advice.</strong>`
      : '';
  }

  /** The built-in model panel gets the button too. */
  decoratePanel(el: HTMLElement): void {
    const p = document.createElement('p');
    p.className = 'me-panel-open';
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'Edit parameters (your own model)';
    b.addEventListener('click', () => {
      document.querySelector<HTMLDialogElement>('#model-dialog')?.close();
      this.open();
    });
    p.append(b);
    el.querySelector('h3')?.after(p);
  }

  /** The model panel of a user's model: the engine's `modelInfo` and CSHT curves of the scenario. */
  async openPanel(): Promise<void> {
    const st = this.h.state();
    const sc = st.scenario;
    let info: ModelInfo;
    let csht: { duration: number; csht: number }[] = [];
    try {
      info = await this.h.engine.modelInfo(sc);
    } catch (e) {
      // the description does not pass: the editor shows it with the engine's message
      if (!this.dlg.open) this.open();
      showMessage(e instanceof EngineFailure ? e.field : undefined, e instanceof Error ? e.message : String(e));
      return;
    }
    try {
      // the panel's durations, read off the engine's CSHT chart of this scenario (its grid has them)
      const c = await this.h.cshtEngine.cshtCurves(sc);
      csht = [10, 40, 60, 120, 240, 480].flatMap((d) => {
        const k = c.durations_min.indexOf(d);
        return k < 0 ? [] : [{ duration: d, csht: c.half_time_min[k] }];
      });
    } catch {
      csht = []; // the chart below the results says why
    }
    const el = document.getElementById('model-panel')!;
    renderPanel(el, { ...info, name: userName(info.name) }, this.h.meta().pd, info.derived.weight_kg, sc.pd.ke0_endpoint, csht, this.h.panelExtra());
    for (const h4 of el.querySelectorAll('h4')) {
      if (/as published/.test(h4.textContent ?? '')) h4.textContent = 'Parameters (typical 70-kg values as you gave them: USER, not from a publication)';
    }
    const p = document.createElement('p');
    p.className = 'me-note';
    p.innerHTML = `${badge('USER')} This is ${esc(USER_LABEL)}: every parameter was typed in by you. The structure, the derived values and the CSHT are the engine's for your numbers.`;
    el.querySelector('h3')?.after(p);
    this.decoratePanel(el);
    document.querySelector<HTMLDialogElement>('#model-dialog')!.showModal();
  }
}
