//! The one serde type that describes a simulation, shared by the CLI, the wasm API and tests,
//! and its validation.
//!
//! A scenario in JSON:
//!
//! ```
//! let json = r#"{
//!   "patient": { "weight_kg": 70 },
//!   "model": "kamp2020",
//!   "regimen": [
//!     { "route": "iv", "kind": "infusion", "dose_mg_per_kg": 0.5, "duration_min": 40 }
//!   ],
//!   "horizon_min": 360,
//!   "output_step_min": 1
//! }"#;
//! let scenario = ketasim::Scenario::from_json(json)?;
//! scenario.validate()?;
//! # Ok::<(), ketasim::Error>(())
//! ```

use crate::error::{check_range, Error, Result};
use crate::model::Route;
use crate::pd::{Binding, KiSet};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Limits on every size a user controls, so that no input can exhaust memory or time.
pub mod limits {
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
    /// Relative tolerance.
    pub const RTOL: (f64, f64) = (1e-13, 1e-3);
    /// Absolute tolerance, mg.
    pub const ATOL: (f64, f64) = (1e-15, 1e-3);

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
        use crate::population::limits as pl;
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
        ]
    }
}

/// A route and its name, for a user interface.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RouteName {
    /// The route.
    pub route: Route,
    /// Its name for people.
    pub label: &'static str,
}

/// Defaults for a user interface, so that it writes none of its own.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Defaults {
    /// The preset a new page starts from.
    pub preset: &'static str,
    /// Its scenario.
    pub scenario: Scenario,
    /// The population shown when variability is switched on.
    pub population: crate::population::PopulationSpec,
    /// Duration of an infusion when an IV bolus becomes one, min.
    pub infusion_duration_min: f64,
    /// Dissociation half-time when kinetic binding is switched on, min.
    pub binding_half_time_min: f64,
    /// Every route with its name.
    pub routes: Vec<RouteName>,
}

impl Defaults {
    /// The defaults.
    pub fn get() -> Result<Self> {
        let preset = crate::presets::DEFAULT;
        Ok(Defaults {
            preset,
            scenario: crate::presets::get(preset)?.scenario,
            population: crate::population::PopulationSpec {
                weight_cv_percent: Some(crate::population::DEFAULT_WEIGHT_CV_PERCENT),
                ..crate::population::PopulationSpec::new(1000, 1)
            },
            infusion_duration_min: 40.0,
            binding_half_time_min: 10.0,
            routes: Route::ALL
                .into_iter()
                .map(|route| RouteName {
                    route,
                    label: route.label(),
                })
                .collect(),
        })
    }
}

/// Patient sex (a covariate in some models).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Not specified (covariate effects off).
    #[default]
    Unspecified,
}

/// The patient.
#[derive(Debug, Clone, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Patient {
    /// Body weight, kg (1–250).
    pub weight_kg: f64,
    /// Age, years (0–120).
    #[serde(default = "default_age")]
    pub age_years: f64,
    /// Sex.
    #[serde(default)]
    pub sex: Sex,
    /// Race (a covariate in some models; default unspecified = the reference population).
    #[serde(default)]
    pub race: crate::model::Race,
}

impl Patient {
    /// The covariates a model sees.
    pub fn subject(&self) -> crate::model::Subject {
        crate::model::Subject {
            weight_kg: self.weight_kg,
            age_years: self.age_years,
            female: match self.sex {
                Sex::Female => Some(true),
                Sex::Male => Some(false),
                Sex::Unspecified => None,
            },
            race: self.race,
        }
    }
}

fn default_age() -> f64 {
    40.0
}

/// Bolus (instantaneous, or the route's own absorption) or constant-rate infusion (IV only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum DoseKind {
    /// A single administration (IV push, tablet, spray).
    #[default]
    Bolus,
    /// Constant-rate IV infusion over `duration_min`.
    Infusion,
}

/// Whether the stated amount is of the base or of the hydrochloride salt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Salt {
    /// Amount of base (as in the papers).
    #[default]
    Base,
    /// Amount of hydrochloride; converted with the factor 237.73/274.2 ≈ 0.867.
    Hcl,
}

/// When a dose item is given.
#[derive(Debug, Clone, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// Explicit start times, min.
    AtMin(Vec<f64>),
    /// Explicit start times, h.
    AtH(Vec<f64>),
    /// Explicit start days (day 0 = first session), each at `offset_min` into the day.
    AtDays {
        /// Days.
        days: Vec<f64>,
        /// Time of day of each session, min after midnight of day 0's start (default 0).
        #[serde(default)]
        offset_min: f64,
    },
    /// `count` doses every `interval_h` hours from `start_min`.
    Every {
        /// First start, min.
        #[serde(default)]
        start_min: f64,
        /// Interval, h.
        interval_h: f64,
        /// Number of doses.
        count: u32,
    },
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule::AtMin(vec![0.0])
    }
}

/// One line of a regimen: an amount, a route, a kind and a schedule.
///
/// Give exactly one of `dose_mg`, `dose_mg_per_kg`, `devices`, `rate_mg_per_h`,
/// `rate_mg_per_kg_per_h` (rates only for infusions, which also need `duration_min`; devices
/// only for routes that dose in whole devices, such as the nasal spray).
#[derive(Debug, Clone, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct DoseItem {
    /// Route (default `iv`).
    #[serde(default = "default_route")]
    pub route: Route,
    /// Bolus or infusion (default bolus).
    #[serde(default)]
    pub kind: DoseKind,
    /// Total amount per administration, mg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_mg: Option<f64>,
    /// Total amount per administration, mg per kg body weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_mg_per_kg: Option<f64>,
    /// Whole devices per administration, for routes that dose in devices (nasal spray): the
    /// amount is `devices × mg_per_device` of the route's device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub devices: Option<u32>,
    /// Infusion rate, mg/h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_mg_per_h: Option<f64>,
    /// Infusion rate, mg/kg/h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_mg_per_kg_per_h: Option<f64>,
    /// Infusion duration, min.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_min: Option<f64>,
    /// Base or hydrochloride (default base).
    #[serde(default)]
    pub salt: Salt,
    /// When (default: once at t = 0).
    #[serde(default)]
    pub schedule: Schedule,
}

fn default_route() -> Route {
    Route::Iv
}

/// Pharmacodynamic choices.
#[derive(Debug, Clone, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct PdOptions {
    /// Effect-site endpoint: `subjective` (default), `eeg`, `analgesia`, `tci_tpeak_1min`, or
    /// `custom` with `ke0_per_min`.
    #[serde(default = "default_endpoint")]
    pub ke0_endpoint: String,
    /// ke0 for the `custom` endpoint, 1/min.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ke0_per_min: Option<f64>,
    /// Affinity constants for occupancy.
    #[serde(default)]
    pub ki_set: KiSet,
    /// Equilibrium or kinetic binding.
    #[serde(default)]
    pub binding: Binding,
    /// Effect-site concentration of the administered drug below which the patient counts as
    /// recovered, ng/mL (default 70: psychotomimetic effects above 70 ng/mL, Hartvig 1995).
    #[serde(default = "default_recovery")]
    pub recovery_threshold_ng_per_ml: f64,
    /// Extra thresholds for time-above/below metrics, ng/mL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds_ng_per_ml: Vec<f64>,
}

fn default_endpoint() -> String {
    "subjective".into()
}
fn default_recovery() -> f64 {
    70.0
}

impl Default for PdOptions {
    fn default() -> Self {
        PdOptions {
            ke0_endpoint: default_endpoint(),
            ke0_per_min: None,
            ki_set: KiSet::default(),
            binding: Binding::default(),
            recovery_threshold_ng_per_ml: default_recovery(),
            thresholds_ng_per_ml: Vec::new(),
        }
    }
}

/// Which integrator to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Exact propagator when the system is linear, Dopri5 otherwise (kinetic binding).
    #[default]
    Auto,
    /// Matrix-exponential propagator with piecewise-constant input (linear systems only).
    Exact,
    /// Dormand–Prince 5(4) from `ode_solvers`, restarted at every dose event.
    Dopri5,
}

/// Solver options.
#[derive(Debug, Clone, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct SolverOptions {
    /// Integrator.
    #[serde(default)]
    pub method: Method,
    /// Relative tolerance (Dopri5).
    #[serde(default = "default_rtol")]
    pub rtol: f64,
    /// Absolute tolerance, mg (Dopri5).
    #[serde(default = "default_atol")]
    pub atol: f64,
}

/// 1e-6: six significant digits, far below anything a chart shows; the exact propagator (the
/// default path) is unaffected. Tests that compare integrators set 1e-11.
fn default_rtol() -> f64 {
    1e-6
}
fn default_atol() -> f64 {
    1e-9
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            method: Method::Auto,
            rtol: default_rtol(),
            atol: default_atol(),
        }
    }
}

/// A complete simulation request.
#[derive(Debug, Clone, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Optional title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The patient.
    pub patient: Patient,
    /// Model id (default `kamp2020`).
    #[serde(default = "default_model")]
    pub model: String,
    /// Dose items.
    pub regimen: Vec<DoseItem>,
    /// Simulated time, min.
    pub horizon_min: f64,
    /// Output grid step, min (default 1).
    #[serde(default = "default_step")]
    pub output_step_min: f64,
    /// PD choices.
    #[serde(default)]
    pub pd: PdOptions,
    /// Solver choices.
    #[serde(default)]
    pub solver: SolverOptions,
    /// Virtual population (for `simulate_population`; ignored by `simulate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<crate::population::PopulationSpec>,
}

fn default_model() -> String {
    crate::models::DEFAULT_MODEL.into()
}
fn default_step() -> f64 {
    1.0
}

impl Scenario {
    /// Parses JSON (errors name the line, column and field).
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json).map_err(|e| Error::Parse(e.to_string()))
    }

    /// Number of output points the scenario asks for.
    pub fn n_points(&self) -> u64 {
        let n = (self.horizon_min / self.output_step_min + 1e-9).floor();
        let exact = (n * self.output_step_min - self.horizon_min).abs() <= 1e-9 * self.horizon_min;
        n as u64 + 1 + u64::from(!exact)
    }

    /// Checks every field; the error names the field, the value and the allowed range.
    pub fn validate(&self) -> Result<()> {
        use limits::*;
        let p = &self.patient;
        check_range(
            || "patient.weight_kg".into(),
            p.weight_kg,
            WEIGHT_KG.0,
            WEIGHT_KG.1,
            "kg",
        )?;
        check_range(
            || "patient.age_years".into(),
            p.age_years,
            AGE_YEARS.0,
            AGE_YEARS.1,
            "years",
        )?;
        let model = crate::models::get(&self.model)?;
        check_range(
            || "horizon_min".into(),
            self.horizon_min,
            HORIZON_MIN.0,
            HORIZON_MIN.1,
            "min",
        )?;
        check_range(
            || "output_step_min".into(),
            self.output_step_min,
            OUTPUT_STEP_MIN.0,
            OUTPUT_STEP_MIN.1,
            "min",
        )?;
        let points = self.n_points();
        if points > MAX_POINTS {
            return Err(Error::TooLarge {
                what: "output points (horizon_min / output_step_min + 1)".into(),
                value: points,
                limit: MAX_POINTS,
            });
        }
        if self.regimen.len() as u64 > MAX_REGIMEN_ITEMS {
            return Err(Error::TooLarge {
                what: "regimen items".into(),
                value: self.regimen.len() as u64,
                limit: MAX_REGIMEN_ITEMS,
            });
        }
        let mut n_doses: u64 = 0;
        for (i, item) in self.regimen.iter().enumerate() {
            item.validate(i)?;
            let Some(route) = model.route(item.route) else {
                return Err(Error::RouteNotInModel {
                    index: i,
                    route: item.route.id().into(),
                    model: model.id.into(),
                    available: model.route_list(),
                });
            };
            item.check_device(i, route.device.as_ref(), p.weight_kg)?;
            n_doses += item.schedule.len() as u64;
            if n_doses > MAX_DOSES {
                return Err(Error::TooLarge {
                    what: "dose administrations after expanding schedules".into(),
                    value: n_doses,
                    limit: MAX_DOSES,
                });
            }
        }
        self.pd.validate()?;
        let s = &self.solver;
        check_range(|| "solver.rtol".into(), s.rtol, RTOL.0, RTOL.1, "")?;
        check_range(|| "solver.atol".into(), s.atol, ATOL.0, ATOL.1, "mg")?;
        if s.method == Method::Exact && matches!(self.pd.binding, Binding::Kinetic { .. }) {
            return Err(Error::invalid(
                "solver.method",
                "'exact' needs a linear system; kinetic binding is non-linear: use 'auto' or \
                 'dopri5'",
            ));
        }
        Ok(())
    }
}

impl Schedule {
    /// Number of administrations (without allocating).
    pub fn len(&self) -> usize {
        match self {
            Schedule::AtMin(v) | Schedule::AtH(v) => v.len(),
            Schedule::AtDays { days, .. } => days.len(),
            Schedule::Every { count, .. } => *count as usize,
        }
    }

    /// `true` when the schedule has no administrations.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Start times in min. Call [`Scenario::validate`] first (it bounds the count).
    pub fn times_min(&self) -> Vec<f64> {
        match self {
            Schedule::AtMin(v) => v.clone(),
            Schedule::AtH(v) => v.iter().map(|h| h * 60.0).collect(),
            Schedule::AtDays { days, offset_min } => {
                days.iter().map(|d| d * 1440.0 + offset_min).collect()
            }
            Schedule::Every {
                start_min,
                interval_h,
                count,
            } => (0..*count)
                .map(|k| start_min + f64::from(k) * interval_h * 60.0)
                .collect(),
        }
    }

    fn validate(&self, i: usize) -> Result<()> {
        use limits::*;
        let f = |what: &str| format!("regimen[{i}].schedule.{what}");
        if let Schedule::Every {
            interval_h,
            start_min,
            count,
        } = self
        {
            check_range(
                || f("every.interval_h"),
                *interval_h,
                INTERVAL_H.0,
                INTERVAL_H.1,
                "h",
            )?;
            check_range(
                || f("every.start_min"),
                *start_min,
                DOSE_TIME_MIN.0,
                DOSE_TIME_MIN.1,
                "min",
            )?;
            if u64::from(*count) > MAX_DOSES {
                return Err(Error::TooLarge {
                    what: f("every.count"),
                    value: u64::from(*count),
                    limit: MAX_DOSES,
                });
            }
        }
        if let Schedule::AtDays { offset_min, .. } = self {
            check_range(|| f("at_days.offset_min"), *offset_min, 0.0, 1440.0, "min")?;
        }
        if self.len() as u64 > MAX_DOSES {
            return Err(Error::TooLarge {
                what: format!("regimen[{i}].schedule entries"),
                value: self.len() as u64,
                limit: MAX_DOSES,
            });
        }
        if self.is_empty() {
            return Err(Error::invalid(
                format!("regimen[{i}].schedule"),
                "needs at least one administration",
            ));
        }
        for (k, t) in self.times_min().into_iter().enumerate() {
            check_range(
                || format!("regimen[{i}].schedule[{k}] (start time)"),
                t,
                DOSE_TIME_MIN.0,
                DOSE_TIME_MIN.1,
                "min",
            )?;
        }
        Ok(())
    }
}

impl DoseItem {
    fn validate(&self, i: usize) -> Result<()> {
        use limits::*;
        let f = |what: &str| format!("regimen[{i}].{what}");
        let given: Vec<&str> = [
            ("dose_mg", self.dose_mg),
            ("dose_mg_per_kg", self.dose_mg_per_kg),
            ("devices", self.devices.map(f64::from)),
            ("rate_mg_per_h", self.rate_mg_per_h),
            ("rate_mg_per_kg_per_h", self.rate_mg_per_kg_per_h),
        ]
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(n, _)| *n)
        .collect();
        if given.len() != 1 {
            return Err(Error::invalid(
                f("dose"),
                format!(
                    "give exactly one of dose_mg, dose_mg_per_kg, devices, rate_mg_per_h, \
                     rate_mg_per_kg_per_h (got {})",
                    if given.is_empty() {
                        "none".to_string()
                    } else {
                        given.join(", ")
                    }
                ),
            ));
        }
        // Amounts must be positive: a zero dose is valid input (zero response), negative is not.
        let pos = |name: &str, v: Option<f64>, r: (f64, f64), unit| -> Result<()> {
            match v {
                Some(x) => check_range(|| f(name), x, r.0, r.1, unit),
                None => Ok(()),
            }
        };
        pos("dose_mg", self.dose_mg, DOSE_MG, "mg")?;
        pos(
            "dose_mg_per_kg",
            self.dose_mg_per_kg,
            DOSE_MG_PER_KG,
            "mg/kg",
        )?;
        pos("rate_mg_per_h", self.rate_mg_per_h, RATE_MG_PER_H, "mg/h")?;
        pos(
            "rate_mg_per_kg_per_h",
            self.rate_mg_per_kg_per_h,
            RATE_MG_PER_KG_PER_H,
            "mg/kg/h",
        )?;
        match self.kind {
            DoseKind::Infusion => {
                if self.route != Route::Iv {
                    return Err(Error::invalid(
                        f("kind"),
                        format!(
                            "infusion is only available for route 'iv' (got '{}'); use 'bolus'",
                            self.route.id()
                        ),
                    ));
                }
                match self.duration_min {
                    Some(d) => check_range(
                        || f("duration_min"),
                        d,
                        DURATION_MIN.0,
                        DURATION_MIN.1,
                        "min",
                    )?,
                    None => {
                        return Err(Error::invalid(
                            f("duration_min"),
                            format!(
                                "an infusion needs duration_min ({} to {} min)",
                                DURATION_MIN.0, DURATION_MIN.1
                            ),
                        ))
                    }
                }
            }
            DoseKind::Bolus => {
                if self.duration_min.is_some() {
                    return Err(Error::invalid(
                        f("duration_min"),
                        "only infusions have a duration; use kind 'infusion'",
                    ));
                }
                if self.rate_mg_per_h.is_some() || self.rate_mg_per_kg_per_h.is_some() {
                    return Err(Error::invalid(
                        f("dose"),
                        "a bolus takes dose_mg or dose_mg_per_kg, not a rate",
                    ));
                }
            }
        }
        self.schedule.validate(i)
    }

    /// Amount of base per administration, mg, for a patient of `weight_kg`; `mg_per_device` is
    /// the route's device (for `devices`).
    pub fn amount_mg(&self, weight_kg: f64, mg_per_device: Option<f64>) -> f64 {
        let salt = match self.salt {
            Salt::Base => 1.0,
            Salt::Hcl => crate::units::HCL_TO_BASE,
        };
        if let Some(n) = self.devices {
            // a device holds a stated amount of base whatever the salt field says
            return f64::from(n) * mg_per_device.unwrap_or(0.0);
        }
        let d = self.duration_min.unwrap_or(0.0) / 60.0;
        let mg = self
            .dose_mg
            .or(self.dose_mg_per_kg.map(|x| x * weight_kg))
            .or(self.rate_mg_per_h.map(|r| r * d))
            .or(self.rate_mg_per_kg_per_h.map(|r| r * weight_kg * d))
            .unwrap_or(0.0);
        mg * salt
    }

    /// Whole devices per administration on a device route (`None` elsewhere): `devices`, or
    /// the amount given in mg rounded to whole devices.
    pub fn device_count(
        &self,
        weight_kg: f64,
        dev: Option<&crate::model::DeviceSpec>,
    ) -> Option<u32> {
        let dev = dev?;
        match self.devices {
            Some(n) => Some(n),
            None => {
                let n = (self.amount_mg(weight_kg, None) / dev.mg_per_device).round();
                Some(n.clamp(0.0, f64::from(u32::MAX)) as u32)
            }
        }
    }

    /// Device routes take whole devices, 1 to the device's maximum per session; `devices` is
    /// only for device routes. An amount in mg may be given instead when it is whole devices
    /// within [`DEVICE_ROUNDING`] (labels round the salt amount: 32.3 mg hydrochloride is one
    /// 28-mg device).
    fn check_device(
        &self,
        i: usize,
        dev: Option<&crate::model::DeviceSpec>,
        weight_kg: f64,
    ) -> Result<()> {
        let Some(dev) = dev else {
            if self.devices.is_some() {
                return Err(Error::invalid(
                    format!("regimen[{i}].devices"),
                    format!(
                        "route '{}' is not dosed in devices; give dose_mg or dose_mg_per_kg",
                        self.route.id()
                    ),
                ));
            }
            return Ok(());
        };
        let max = dev.max_devices;
        if let Some(n) = self.devices {
            if n < 1 || n > max {
                return Err(Error::invalid(
                    format!("regimen[{i}].devices"),
                    format!(
                        "{n} devices: give 1 to {max} devices of {} mg per session",
                        dev.mg_per_device
                    ),
                ));
            }
            return Ok(());
        }
        let mg = self.amount_mg(weight_kg, None);
        let n = (mg / dev.mg_per_device).round();
        if (mg - n * dev.mg_per_device).abs() > DEVICE_ROUNDING * dev.mg_per_device
            || n < 1.0
            || n > f64::from(max)
        {
            let field = if self.dose_mg_per_kg.is_some() {
                "dose_mg_per_kg"
            } else {
                "dose_mg"
            };
            return Err(Error::invalid(
                format!("regimen[{i}].{field}"),
                format!(
                    "{} doses are whole {}-mg devices, 1 to {max} per session ({} to {} mg \
                     base); got {mg} mg: give devices (1 to {max}) instead",
                    self.route.id(),
                    dev.mg_per_device,
                    dev.mg_per_device,
                    dev.mg_per_device * f64::from(max)
                ),
            ));
        }
        Ok(())
    }
}

/// How far (relative to one device) an amount in mg may be from whole devices: labels round
/// the salt amount (32.3 mg esketamine hydrochloride × 0.867 = 28.004 mg base per device).
pub const DEVICE_ROUNDING: f64 = 5e-3;

impl PdOptions {
    fn validate(&self) -> Result<()> {
        use limits::*;
        if self.ke0_endpoint == "custom" {
            match self.ke0_per_min {
                Some(k) => check_range(
                    || "pd.ke0_per_min".into(),
                    k,
                    KE0_PER_MIN.0,
                    KE0_PER_MIN.1,
                    "1/min",
                )?,
                None => {
                    return Err(Error::invalid(
                        "pd.ke0_per_min",
                        format!(
                            "the 'custom' endpoint needs ke0_per_min ({} to {} 1/min)",
                            KE0_PER_MIN.0, KE0_PER_MIN.1
                        ),
                    ))
                }
            }
        } else {
            if self.ke0_per_min.is_some() {
                return Err(Error::invalid(
                    "pd.ke0_per_min",
                    "only used with ke0_endpoint 'custom'",
                ));
            }
            // model overrides use the same ids as the generic table
            if !crate::pd::ke0_endpoints()
                .iter()
                .any(|e| e.id == self.ke0_endpoint)
            {
                return Err(crate::pd::unknown_endpoint(&self.ke0_endpoint));
            }
        }
        if let Binding::Kinetic { half_time_min } = self.binding {
            check_range(
                || "pd.binding.half_time_min".into(),
                half_time_min,
                BINDING_HALF_TIME_MIN.0,
                BINDING_HALF_TIME_MIN.1,
                "min",
            )?;
        }
        check_range(
            || "pd.recovery_threshold_ng_per_ml".into(),
            self.recovery_threshold_ng_per_ml,
            THRESHOLD_NG_PER_ML.0,
            THRESHOLD_NG_PER_ML.1,
            "ng/mL",
        )?;
        if self.thresholds_ng_per_ml.len() as u64 > MAX_THRESHOLDS {
            return Err(Error::TooLarge {
                what: "pd.thresholds_ng_per_ml entries".into(),
                value: self.thresholds_ng_per_ml.len() as u64,
                limit: MAX_THRESHOLDS,
            });
        }
        for (k, t) in self.thresholds_ng_per_ml.iter().enumerate() {
            check_range(
                || format!("pd.thresholds_ng_per_ml[{k}]"),
                *t,
                THRESHOLD_NG_PER_ML.0,
                THRESHOLD_NG_PER_ML.1,
                "ng/mL",
            )?;
        }
        Ok(())
    }

    /// The ke0 (1/min) these options select for `model`.
    pub fn ke0_per_min(&self, model: &crate::model::ModelSpec) -> Result<f64> {
        if self.ke0_endpoint == "custom" {
            self.ke0_per_min
                .ok_or_else(|| Error::invalid("pd.ke0_per_min", "required for 'custom'"))
        } else {
            crate::pd::ke0_for(model, &self.ke0_endpoint)
        }
    }
}
