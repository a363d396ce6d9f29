// Application state, its URL encoding (shareable links) and the scenario it describes.
import type { KiSet, ModelInfo, Preset, Route, Scenario } from '../engine/types';

export type ConcUnit = 'ng' | 'um';

export type Sex = 'unspecified' | 'female' | 'male';
export type Race = 'unspecified' | 'asian' | 'japanese' | 'other';

export interface AppState {
  preset: string;
  weightKg: number;
  ageYears: number;
  sex: Sex;
  race: Race;
  route: Route;
  doseMgPerKg: number;
  /** Whole devices per session, for device routes (nasal spray). */
  devices: number;
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
  /** Analyte ids whose curves are hidden. */
  hidden: string[];
  /** Virtual population shown as percentile bands. */
  popOn: boolean;
  /** Virtual patients (1 – 20 000 in the browser). */
  popSize: number;
  /** Seed of the population's random streams. */
  popSeed: number;
  /** CV of the virtual patients' weights, %. */
  popWeightCv: number;
  /** Share of women among the virtual patients, %; NaN: everyone has the patient's sex. */
  popWomenPct: number;
}

/** The model's route entry, if it has `route`. */
export function routeInfo(m: ModelInfo | undefined, route: Route) {
  return m?.routes.find((r) => r.route === route);
}

export const DEFAULT_PRESET = 'antidepressant_40min';

/** The state a preset starts from. */
export function stateFromPreset(p: Preset, prev?: AppState): AppState {
  const item = p.scenario.regimen[0] ?? {};
  const lastItem = p.scenario.regimen[p.scenario.regimen.length - 1] ?? item;
  return {
    preset: p.id,
    weightKg: prev?.weightKg ?? p.scenario.patient.weight_kg,
    ageYears: prev?.ageYears ?? p.scenario.patient.age_years ?? 40,
    sex: prev?.sex ?? p.scenario.patient.sex ?? 'unspecified',
    race: prev?.race ?? p.scenario.patient.race ?? 'unspecified',
    route: item.route ?? 'iv',
    doseMgPerKg: item.dose_mg_per_kg ?? 0.5,
    devices: lastItem.dose_mg ? Math.round(lastItem.dose_mg / 28) : 2,
    durationMin: item.duration_min ?? 40,
    model: prev?.model ?? p.scenario.model ?? 'kamp2020',
    ke0: prev?.ke0 ?? p.scenario.pd?.ke0_endpoint ?? 'subjective',
    kiSet: prev?.kiSet ?? p.scenario.pd?.ki_set ?? 'binding_assay',
    recoveryNgPerMl: prev?.recoveryNgPerMl ?? p.scenario.pd?.recovery_threshold_ng_per_ml ?? 70,
    kinetic: prev?.kinetic ?? false,
    bindingHalfTimeMin: prev?.bindingHalfTimeMin ?? 10,
    unit: prev?.unit ?? 'ng',
    session: 0,
    hidden: prev?.hidden ?? [],
    popOn: prev?.popOn ?? false,
    popSize: prev?.popSize ?? 1000,
    popSeed: prev?.popSeed ?? 1,
    popWeightCv: prev?.popWeightCv ?? 20,
    popWomenPct: prev?.popWomenPct ?? NaN,
  };
}

/** An IV infusion (the only kind with a duration control). */
export function isInfusion(p: Preset, st: AppState): boolean {
  return st.route === 'iv' && (p.scenario.regimen[0]?.kind ?? 'bolus') === 'infusion';
}

function starts(s: NonNullable<Scenario['regimen'][number]['schedule']> | undefined): number[] {
  if (!s) return [0];
  if ('at_min' in s) return s.at_min;
  if ('at_h' in s) return s.at_h.map((h) => h * 60);
  if ('at_days' in s) return s.at_days.days.map((d) => d * 1440 + (s.at_days.offset_min ?? 0));
  const e = s.every;
  return Array.from({ length: e.count }, (_, k) => (e.start_min ?? 0) + k * e.interval_h * 60);
}

/** Start times (min) of the preset's sessions, over all its regimen items. */
export function sessionStarts(p: Preset): number[] {
  return p.scenario.regimen.flatMap((it) => starts(it.schedule)).sort((a, b) => a - b);
}

/** The scenario the page simulates for `st` (`m`: the chosen model's metadata). */
export function buildScenario(p: Preset, st: AppState, m: ModelInfo | undefined): Scenario {
  const sc: Scenario = structuredClone(p.scenario);
  sc.patient = { ...sc.patient, weight_kg: st.weightKg, age_years: st.ageYears, sex: st.sex, race: st.race };
  sc.model = st.model;
  const device = routeInfo(m, st.route)?.device ?? null;
  const infusion = isInfusion(p, st);
  sc.regimen.forEach((item, i) => {
    item.route = st.route;
    delete item.rate_mg_per_h;
    delete item.rate_mg_per_kg_per_h;
    if (!infusion) {
      item.kind = 'bolus';
      delete item.duration_min;
    } else {
      item.duration_min = st.durationMin;
    }
    if (device) {
      // whole devices; a multi-item preset keeps its first session's dose (e.g. 56 mg on day 1)
      delete item.dose_mg_per_kg;
      if (!(i === 0 && sc.regimen.length > 1 && item.dose_mg)) item.dose_mg = st.devices * device.mg_per_device;
    } else {
      delete item.dose_mg;
      item.dose_mg_per_kg = st.doseMgPerKg;
    }
  });
  // keep at least 5 h after the last session ends
  const lastEnd = Math.max(...sessionStarts(p)) + (infusion && Number.isFinite(st.durationMin) ? st.durationMin : 0);
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

/** The scenario with the state's virtual population. */
export function withPopulation(
  sc: Scenario,
  st: AppState,
): Scenario & { population: { size: number; seed: number; weight_cv_percent: number; female_fraction?: number } } {
  const population = {
    size: st.popSize,
    seed: st.popSeed,
    weight_cv_percent: st.popWeightCv,
    ...(Number.isNaN(st.popWomenPct) ? {} : { female_fraction: st.popWomenPct / 100 }),
  };
  return { ...sc, population };
}

const KEYS: Record<keyof AppState, string> = {
  preset: 'p',
  weightKg: 'w',
  ageYears: 'a',
  sex: 'sx',
  race: 'rc',
  route: 'ro',
  doseMgPerKg: 'd',
  devices: 'n',
  durationMin: 't',
  model: 'm',
  ke0: 'e',
  kiSet: 'k',
  recoveryNgPerMl: 'r',
  kinetic: 'kb',
  bindingHalfTimeMin: 'b',
  unit: 'u',
  session: 's',
  hidden: 'hi',
  popOn: 'pp',
  popSize: 'pn',
  popSeed: 'ps',
  popWeightCv: 'pw',
  popWomenPct: 'pf',
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
  st.ageYears = num('a', st.ageYears);
  const sex = str('sx', st.sex);
  if (sex === 'female' || sex === 'male' || sex === 'unspecified') st.sex = sex;
  const race = str('rc', st.race);
  if (race === 'asian' || race === 'japanese' || race === 'other' || race === 'unspecified') st.race = race;
  const route = str('ro', st.route);
  if (['iv', 'im', 'oral', 'sublingual', 'intranasal'].includes(route)) st.route = route as Route;
  st.devices = num('n', st.devices);
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
  st.popOn = str('pp', String(st.popOn)) === 'true';
  st.popSize = num('pn', st.popSize);
  st.popSeed = num('ps', st.popSeed);
  st.popWeightCv = num('pw', st.popWeightCv);
  // blank or NaN: everyone has the patient's sex
  const pf = q.get('pf');
  if (pf !== null) st.popWomenPct = pf.trim() === '' || pf === 'NaN' ? NaN : num('pf', st.popWomenPct);
  const hidden = q.get('hi');
  if (hidden !== null) st.hidden = hidden.split(',').filter((x) => /^[a-z0-9_]+$/.test(x));
  return st;
}
