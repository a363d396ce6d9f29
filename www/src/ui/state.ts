// The page's state: one engine Scenario, the view options, and the pinned scenarios. The share
// link encodes exactly that (base64url JSON), so a link decodes to a scenario the CLI can run.
import type { Scenario } from '../engine/types';

export type ConcUnit = 'ng' | 'um';

/** How the scenario is shown (nothing here changes a number the engine computes). */
export interface View {
  /** The preset last loaded (highlighted; the scenario may have been edited since). */
  preset: string;
  unit: ConcUnit;
  /** 0 = whole course; k ≥ 1 zooms on session k. */
  session: number;
  /** Analyte ids whose curves are hidden. */
  hidden: string[];
  /** Show the scenario's virtual population as bands. */
  popOn: boolean;
  /** Logarithmic concentration axis. */
  logY: boolean;
  /** The time span last chosen (`defaults().spans` id; null: the horizon as the preset set it). */
  span: string | null;
  /** The vitals chart: change from pre-dose, or absolute values. */
  vitals: 'change' | 'absolute';
}

export interface PageState {
  scenario: Scenario;
  view: View;
  /** Scenarios kept on the charts for comparison (their runs are the engine's). */
  pins: Scenario[];
}

export const MAX_PINS = 4;

export function defaultView(preset: string): View {
  return { preset, unit: 'ng', session: 0, hidden: [], popOn: false, logY: false, span: null, vitals: 'change' };
}

/** base64url of UTF-8 text (the share links' encoding; also the lecture link's). */
export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): string {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** `#s=<base64url JSON {scenario, view, pins}>`. */
export function encodeLink(st: PageState): string {
  return '#s=' + toBase64Url(JSON.stringify({ scenario: st.scenario, view: st.view, pins: st.pins }));
}

export type Decoded =
  | { kind: 'none' }
  | { kind: 'preset'; id: string }
  | { kind: 'state'; state: PageState }
  | { kind: 'error'; message: string };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Reads a link. The scenario is left to the engine to validate (it rejects what the CLI
 * rejects); view fields that are missing or malformed fall back to `base`'s.
 */
export function decodeLink(hash: string, base: View): Decoded {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const s = q.get('s');
  if (s === null) {
    const p = q.get('p');
    return p ? { kind: 'preset', id: p } : { kind: 'none' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fromBase64Url(s));
  } catch (e) {
    return { kind: 'error', message: `The link could not be read (${e instanceof Error ? e.message : String(e)}): showing the default scenario.` };
  }
  if (!isObj(raw) || !isObj(raw.scenario)) return { kind: 'error', message: 'The link holds no scenario: showing the default scenario.' };
  const v = isObj(raw.view) ? raw.view : {};
  const view: View = {
    preset: typeof v.preset === 'string' ? v.preset : base.preset,
    unit: v.unit === 'um' ? 'um' : 'ng',
    session: typeof v.session === 'number' && Number.isInteger(v.session) && v.session >= 0 ? v.session : 0,
    hidden: Array.isArray(v.hidden) ? v.hidden.filter((x): x is string => typeof x === 'string' && /^[a-z0-9_]+$/.test(x)) : [],
    popOn: v.popOn === true,
    logY: v.logY === true,
    span: typeof v.span === 'string' && /^[a-z0-9]+$/.test(v.span) ? v.span : null,
    vitals: v.vitals === 'absolute' ? 'absolute' : 'change',
  };
  const pins = Array.isArray(raw.pins) ? (raw.pins.filter(isObj).slice(0, MAX_PINS) as unknown as Scenario[]) : [];
  return { kind: 'state', state: { scenario: raw.scenario as unknown as Scenario, view, pins } };
}

/** Sets a dotted path (`patient.weight_kg`, `regimen[0].devices`) in a copy of `sc`. */
export function withField(sc: Scenario, path: string, value: unknown): Scenario {
  const out = structuredClone(sc) as unknown as Record<string, unknown>;
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let o: Record<string, unknown> = out;
  for (const k of keys.slice(0, -1)) {
    if (!isObj(o[k]) && !Array.isArray(o[k])) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
  return out as unknown as Scenario;
}

/** Deep equality of two JSON values, where an absent key equals `null`. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!sameJson(a[k], b[k])) return false;
    return true;
  }
  return false;
}
