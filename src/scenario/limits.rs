//! Limits on every size a user controls, so that no input can exhaust memory or time.

/// Body weight, kg.
pub const WEIGHT_KG: (f64, f64) = (1.0, 250.0);
/// Age, years.
pub const AGE_YEARS: (f64, f64) = (0.0, 120.0);
/// Horizon, min (180 days).
pub const HORIZON_MIN: (f64, f64) = (0.01, 259_200.0);
/// Output step, min.
pub const OUTPUT_STEP_MIN: (f64, f64) = (0.01, 1440.0);
/// Output points (horizon / step + 1).
pub const MAX_POINTS: u64 = 250_001;
/// Items in the regimen list.
pub const MAX_REGIMEN_ITEMS: u64 = 500;
/// Dose administrations after expanding schedules.
pub const MAX_DOSES: u64 = 2_000;
/// One dose, mg.
pub const DOSE_MG: (f64, f64) = (0.0, 5_000.0);
/// One dose, mg/kg.
pub const DOSE_MG_PER_KG: (f64, f64) = (0.0, 20.0);
/// Infusion rate, mg/h.
pub const RATE_MG_PER_H: (f64, f64) = (0.0, 2_000.0);
/// Infusion rate, mg/kg/h.
pub const RATE_MG_PER_KG_PER_H: (f64, f64) = (0.0, 20.0);
/// Infusion duration, min (one week).
pub const DURATION_MIN: (f64, f64) = (0.01, 10_080.0);
/// Dose time, min (180 days).
pub const DOSE_TIME_MIN: (f64, f64) = (0.0, 259_200.0);
/// Interval between repeated doses, h.
pub const INTERVAL_H: (f64, f64) = (0.01, 8_760.0);
/// Custom ke0, 1/min.
pub const KE0_PER_MIN: (f64, f64) = (0.001, 100.0);
/// Kinetic-binding half-time, min.
pub const BINDING_HALF_TIME_MIN: (f64, f64) = (0.1, 10_000.0);
/// Concentration thresholds, ng/mL.
pub const THRESHOLD_NG_PER_ML: (f64, f64) = (0.001, 100_000.0);
/// Number of extra thresholds.
pub const MAX_THRESHOLDS: u64 = 16;
/// What-if clearance multiplier (× the published clearance).
pub const CLEARANCE_MULTIPLIER: (f64, f64) = (0.25, 4.0);
/// TCI concentration target, ng/mL (0 stops the pump; anaesthesia targets reach about 3 000).
pub const TCI_TARGET_NG_PER_ML: (f64, f64) = (0.0, 10_000.0);
/// TCI occupancy target, % (100 % would need an infinite concentration).
pub const TCI_TARGET_PERCENT: (f64, f64) = (0.0, 95.0);
/// Target changes in one TCI item.
pub const MAX_TCI_STEPS: u64 = 100;
/// TCI pump update interval, s.
pub const TCI_UPDATE_INTERVAL_S: (f64, f64) = (1.0, 600.0);
/// TCI pump maximum rate, mL/h.
pub const TCI_MAX_RATE_ML_PER_H: (f64, f64) = (1.0, 2_000.0);
/// TCI syringe concentration, mg/mL.
pub const TCI_SYRINGE_MG_PER_ML: (f64, f64) = (0.1, 100.0);
/// Pump updates over all TCI sessions (duration / update interval × sessions).
pub const MAX_TCI_UPDATES: u64 = 100_000;
/// Pre-dose systolic blood pressure, mmHg.
pub const BASELINE_SBP_MMHG: (f64, f64) = (60.0, 250.0);
/// Pre-dose diastolic blood pressure, mmHg.
pub const BASELINE_DBP_MMHG: (f64, f64) = (30.0, 150.0);
/// Pre-dose heart rate, beats/min.
pub const BASELINE_HR_BPM: (f64, f64) = (30.0, 200.0);
/// Infusion durations in one context-sensitive half-time request (CLI and browser).
pub const MAX_CSHT_DURATIONS: usize = 1000;
/// Relative tolerance.
pub const RTOL: (f64, f64) = (1e-13, 1e-3);
/// Absolute tolerance, mg.
pub const ATOL: (f64, f64) = (1e-15, 1e-3);
/// `solver.max_steps` (Dopri5 steps per run, accepted or rejected).
pub const MAX_STEPS: (f64, f64) = (100.0, crate::solver::ode::OdeStepper::MAX_STEPS as f64);

/// One limit, for a user interface (which then never writes a limit of its own).
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Limit {
    /// Dotted field path, e.g. `patient.weight_kg` (`regimen[].x` for every dose item).
    pub field: &'static str,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// Unit.
    pub unit: &'static str,
}

/// Every numeric limit a scenario is validated against, with the browser's population
/// limits (smaller than the native ones).
pub fn table() -> Vec<Limit> {
    use population as pl;
    let l = |field, (min, max): (f64, f64), unit| Limit {
        field,
        min,
        max,
        unit,
    };
    vec![
        l("patient.weight_kg", WEIGHT_KG, "kg"),
        l("patient.age_years", AGE_YEARS, "years"),
        l("horizon_min", HORIZON_MIN, "min"),
        l("output_step_min", OUTPUT_STEP_MIN, "min"),
        l("regimen[].dose_mg", DOSE_MG, "mg"),
        l("regimen[].dose_mg_per_kg", DOSE_MG_PER_KG, "mg/kg"),
        l("regimen[].rate_mg_per_h", RATE_MG_PER_H, "mg/h"),
        l(
            "regimen[].rate_mg_per_kg_per_h",
            RATE_MG_PER_KG_PER_H,
            "mg/kg/h",
        ),
        l("regimen[].duration_min", DURATION_MIN, "min"),
        l("regimen[].target_ng_per_ml", TCI_TARGET_NG_PER_ML, "ng/mL"),
        l("regimen[].target_percent", TCI_TARGET_PERCENT, "%"),
        l("regimen[].update_interval_s", TCI_UPDATE_INTERVAL_S, "s"),
        l("regimen[].max_rate_ml_per_h", TCI_MAX_RATE_ML_PER_H, "mL/h"),
        l(
            "regimen[].syringe_mg_per_ml",
            TCI_SYRINGE_MG_PER_ML,
            "mg/mL",
        ),
        l("patient.clearance_multiplier", CLEARANCE_MULTIPLIER, "×"),
        l("regimen[].schedule.every.interval_h", INTERVAL_H, "h"),
        l("pd.ke0_per_min", KE0_PER_MIN, "1/min"),
        l("pd.binding.half_time_min", BINDING_HALF_TIME_MIN, "min"),
        l(
            "pd.recovery_threshold_ng_per_ml",
            THRESHOLD_NG_PER_ML,
            "ng/mL",
        ),
        l(
            "population.size",
            (1.0, f64::from(pl::BROWSER_MAX_SUBJECTS)),
            "subjects",
        ),
        l("population.seed", (0.0, pl::MAX_SEED_IN_BROWSER), ""),
        l("population.weight_cv_percent", pl::WEIGHT_CV_PERCENT, "%"),
        l("population.female_percent", pl::FEMALE_PERCENT, "%"),
        l("vitals.baseline_sbp_mmhg", BASELINE_SBP_MMHG, "mmHg"),
        l("vitals.baseline_dbp_mmhg", BASELINE_DBP_MMHG, "mmHg"),
        l("vitals.baseline_hr_bpm", BASELINE_HR_BPM, "beats/min"),
    ]
}

/// How far (relative to one device) an amount in mg may be from whole devices: labels round
/// the salt amount (32.3 mg esketamine hydrochloride × 0.867 = 28.004 mg base per device).
pub const DEVICE_ROUNDING: f64 = 5e-3;

/// Limits on population runs (also `ketasim::population::limits`).
pub mod population {
    /// Subjects in one run.
    pub const MAX_SUBJECTS: u32 = 100_000;
    /// Subjects × output points natively (memory guard: a few f32 series per subject, about
    /// 1 GB at the limit).
    pub const MAX_VALUES: u64 = 50_000_000;
    /// Subjects in one run in the browser (the page's limit; checked by
    /// [`crate::population::check_browser`]).
    pub const BROWSER_MAX_SUBJECTS: u32 = 20_000;
    /// Subjects × output points in the browser (a few hundred MB at most across workers).
    pub const BROWSER_MAX_VALUES: u64 = 8_000_000;
    /// Largest seed a browser can pass exactly (2^53 − 1: JavaScript numbers).
    pub const MAX_SEED_IN_BROWSER: f64 = 9_007_199_254_740_991.0;
    /// CV of the default weight distribution, %.
    pub const WEIGHT_CV_PERCENT: (f64, f64) = (0.0, 100.0);
    /// Share of women, %.
    pub const FEMALE_PERCENT: (f64, f64) = (0.0, 100.0);
}
