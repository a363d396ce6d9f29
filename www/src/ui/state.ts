// Application state, its URL encoding (shareable links) and the scenario it describes.
import type { KiSet, Preset, Scenario } from '../engine/types';

export type ConcUnit = 'ng' | 'um';

export interface AppState {
  preset: string;
  weightKg: number;
  doseMgPerKg: number;
  durationMin: number;
  model: string;
  ke0: string;
  kiSet: KiSet;
  recoveryNgPerMl: number;
  /** Occupancy from binding kinetics (true) or at equilibrium with Ce (false). */
  kinetic: boolean;
  /** Dissociation half-time of the kinetic binding model, min. */
  bindingHalfTimeMin: number;
  unit: ConcUnit;
  /** 0 = whole course; k ≥ 1 zooms on session k (multi-session presets). */
  session: number;
}

export const DEFAULT_PRESET = 'antidepressant_40min';

/** The state a preset starts from. */
export function stateFromPreset(p: Preset, prev?: AppState): AppState {
  const item = p.scenario.regimen[0] ?? {};
  return {
    preset: p.id,
    weightKg: prev?.weightKg ?? p.scenario.patient.weight_kg,
    doseMgPerKg: item.dose_mg_per_kg ?? 0.5,
    durationMin: item.duration_min ?? 40,
    model: prev?.model ?? p.scenario.model ?? 'kamp2020',
    ke0: prev?.ke0 ?? p.scenario.pd?.ke0_endpoint ?? 'subjective',
    kiSet: prev?.kiSet ?? p.scenario.pd?.ki_set ?? 'binding_assay',
    recoveryNgPerMl: prev?.recoveryNgPerMl ?? p.scenario.pd?.recovery_threshold_ng_per_ml ?? 70,
    kinetic: prev?.kinetic ?? false,
    bindingHalfTimeMin: prev?.bindingHalfTimeMin ?? 10,
    unit: prev?.unit ?? 'ng',
    session: 0,
  };
}

export function isInfusion(p: Preset): boolean {
  return (p.scenario.regimen[0]?.kind ?? 'bolus') === 'infusion';
}

/** Start times (min) of the preset's sessions. */
export function sessionStarts(p: Preset): number[] {
  const s = p.scenario.regimen[0]?.schedule;
  if (!s) return [0];
  if ('at_min' in s) return s.at_min;
  if ('at_h' in s) return s.at_h.map((h) => h * 60);
  if ('at_days' in s) return s.at_days.days.map((d) => d * 1440 + (s.at_days.offset_min ?? 0));
  const e = s.every;
  return Array.from({ length: e.count }, (_, k) => (e.start_min ?? 0) + k * e.interval_h * 60);
}

/** The scenario the page simulates for `st`. */
export function buildScenario(p: Preset, st: AppState): Scenario {
  const sc: Scenario = structuredClone(p.scenario);
  sc.patient = { ...sc.patient, weight_kg: st.weightKg };
  sc.model = st.model;
  const item = sc.regimen[0];
  if (item) {
    item.dose_mg_per_kg = st.doseMgPerKg;
    if (item.kind === 'infusion') item.duration_min = st.durationMin;
  }
  // keep at least 5 h after the last session ends
  const starts = sessionStarts(p);
  const lastEnd = Math.max(...starts) + (item?.kind === 'infusion' && Number.isFinite(st.durationMin) ? st.durationMin : 0);
  if (Number.isFinite(lastEnd)) sc.horizon_min = Math.max(sc.horizon_min, Math.min(lastEnd + 300, 259200));
  sc.pd = {
    ...sc.pd,
    ke0_endpoint: st.ke0,
    ki_set: st.kiSet,
    recovery_threshold_ng_per_ml: st.recoveryNgPerMl,
    binding: st.kinetic ? { kind: 'kinetic', half_time_min: st.bindingHalfTimeMin } : { kind: 'equilibrium' },
  };
  return sc;
}

const KEYS: Record<keyof AppState, string> = {
  preset: 'p',
  weightKg: 'w',
  doseMgPerKg: 'd',
  durationMin: 't',
  model: 'm',
  ke0: 'e',
  kiSet: 'k',
  recoveryNgPerMl: 'r',
  kinetic: 'kb',
  bindingHalfTimeMin: 'b',
  unit: 'u',
  session: 's',
};

/** `#p=…&w=…` — every field, so a link restores the full state. */
export function encodeState(st: AppState): string {
  const q = new URLSearchParams();
  for (const [k, short] of Object.entries(KEYS) as [keyof AppState, string][]) {
    q.set(short, String(st[k]));
  }
  return '#' + q.toString();
}

/** Parses a hash; fields that are absent or malformed keep their value from `base`. */
export function decodeState(hash: string, base: AppState): AppState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const st: AppState = { ...base };
  const num = (short: string, fallback: number): number => {
    const v = q.get(short);
    if (v === null || v.trim() === '') return fallback;
    const x = Number(v);
    return Number.isFinite(x) ? x : fallback;
  };
  const str = (short: string, fallback: string): string => q.get(short) ?? fallback;
  st.preset = str('p', st.preset);
  st.weightKg = num('w', st.weightKg);
  st.doseMgPerKg = num('d', st.doseMgPerKg);
  st.durationMin = num('t', st.durationMin);
  st.model = str('m', st.model);
  st.ke0 = str('e', st.ke0);
  st.kiSet = str('k', st.kiSet) === 'magnesium' ? 'magnesium' : 'binding_assay';
  st.recoveryNgPerMl = num('r', st.recoveryNgPerMl);
  st.kinetic = str('kb', String(st.kinetic)) === 'true';
  st.bindingHalfTimeMin = num('b', st.bindingHalfTimeMin);
  st.unit = str('u', st.unit) === 'um' ? 'um' : 'ng';
  st.session = Math.max(0, Math.round(num('s', st.session)));
  return st;
}
