// Hand-written types of the wasm boundary (serde shapes of src/scenario.rs and src/wasm.rs).

export type Route = 'iv' | 'im' | 'oral' | 'sublingual' | 'intranasal';
export type DoseKind = 'bolus' | 'infusion';
export type KiSet = 'binding_assay' | 'magnesium';
export type Method = 'auto' | 'exact' | 'dopri5';
export type Provenance = 'READ' | 'READ-2' | 'CODE' | 'UNVERIFIED' | 'DERIVED' | 'ASSUMPTION';

export type Schedule =
  | { at_min: number[] }
  | { at_h: number[] }
  | { at_days: { days: number[]; offset_min?: number } }
  | { every: { start_min?: number; interval_h: number; count: number } };

export interface DoseItem {
  route?: Route;
  kind?: DoseKind;
  dose_mg?: number;
  dose_mg_per_kg?: number;
  rate_mg_per_h?: number;
  rate_mg_per_kg_per_h?: number;
  duration_min?: number;
  salt?: 'base' | 'hcl';
  schedule?: Schedule;
}

export interface Scenario {
  name?: string;
  patient: {
    weight_kg: number;
    age_years?: number;
    sex?: 'female' | 'male' | 'unspecified';
    race?: 'unspecified' | 'asian' | 'japanese' | 'other';
  };
  model?: string;
  regimen: DoseItem[];
  horizon_min: number;
  output_step_min?: number;
  pd?: {
    ke0_endpoint?: string;
    ke0_per_min?: number;
    ki_set?: KiSet;
    binding?: { kind: 'equilibrium' } | { kind: 'kinetic'; half_time_min: number };
    recovery_threshold_ng_per_ml?: number;
    thresholds_ng_per_ml?: number[];
  };
  solver?: { method?: Method; rtol?: number; atol?: number };
}

export interface AnalyteSeries {
  id: string;
  name: string;
  mwGPerMol: number;
  cpNgPerMl: Float64Array;
  cpUm: Float64Array;
  ceNgPerMl: Float64Array;
  ceUnboundUm: Float64Array;
  /** Cumulative amount formed (metabolites), mg parent equivalents; empty for the drug given. */
  formedMg: Float64Array;
}

export interface AnalyteMetrics {
  id: string;
  cmaxNgPerMl: number;
  tmaxMin: number;
  ceMaxNgPerMl: number;
  ceTmaxMin: number;
  auc0TNgHPerMl: number;
  auc0InfNgHPerMl: number | null;
  lambdaZPerMin: number | null;
}

export interface Metrics {
  analytes: AnalyteMetrics[];
  occupancyMax: number;
  occupancyTmaxMin: number;
  dissociativeBandMin: number;
  thresholds: { thresholdNgPerMl: number; cpAboveMin: number; ceAboveMin: number; ceBelowMin: number }[];
  recovery: {
    thresholdNgPerMl: number;
    lastInputEndMin: number;
    belowAtMin: number | null;
    afterLastInputMin: number | null;
  };
  administeredMg: number;
}

export interface SimResult {
  modelId: string;
  method: Method;
  ke0PerMin: number;
  tMin: Float64Array;
  analytes: AnalyteSeries[];
  occupancy: Float64Array;
  compartments: { name: string; analyte: string; amountMg: Float64Array }[];
  eliminatedMg: Float64Array;
  inputMg: Float64Array;
  metrics: Metrics;
  warnings: string[];
}

export interface Param {
  symbol: string;
  description: string;
  value: number;
  unit: string;
  scaling: { kind: 'none' } | { kind: 'per_kg' } | { kind: 'allometric'; exponent: number };
  provenance: Provenance;
  omega2: number | null;
}

export interface ModelInfo {
  id: string;
  name: string;
  citation: string;
  population: string;
  drug: string;
  sampling: 'arterial' | 'venous' | 'not_stated';
  notes: string[];
  params: Param[];
  analytes: { id: string; name: string; mw_g_per_mol: number; central: string; ligand: string }[];
  compartments: { name: string; analyte: number; role: string; volume: string | null }[];
  flows: (
    | {
        kind: 'transfer';
        from: string;
        to: string | null;
        rate: { kind: string; param: string | { mtt: string; n: number } };
        fraction: string | null;
      }
    | { kind: 'exchange'; a: string; b: string; q: string }
  )[];
  routes: {
    route: Route;
    note: string;
    inputs: { compartment: string }[];
    device: { mg_per_device: number; interval_min: number; max_devices: number; note: string } | null;
  }[];
  ke0_overrides: [string, Param][];
  covariates: { param: string; effect: { kind: string; [k: string]: unknown }; provenance: Provenance }[];
  derived: { weightKg: number; v1L: number; vssL: number; clLPerMin: number; halfLivesMin: number[] };
}

export interface Ligand {
  id: string;
  name: string;
  kiBindingUm: number;
  kiBindingSource: string;
  kiBindingProvenance: Provenance;
  kiMgUm: number | null;
  fu: number;
  fuSource: string;
  fuProvenance: Provenance;
}

export interface Ke0Endpoint {
  id: string;
  name: string;
  ke0PerMin: number;
  source: string;
  provenance: Provenance;
}

export interface Landmark {
  id: string;
  name: string;
  lowNgPerMl: number;
  highNgPerMl: number | null;
  matrix: string;
  source: string;
  provenance: Provenance;
  band: boolean;
}

export interface PdTables {
  ligands: Ligand[];
  ke0Endpoints: Ke0Endpoint[];
  landmarks: Landmark[];
}

export interface Preset {
  id: string;
  title: string;
  short: string;
  description: string;
  scenario: Scenario;
}

/** An error thrown by the engine: the core's message, and the input it concerns. */
export interface EngineError {
  message: string;
  field?: string;
}
