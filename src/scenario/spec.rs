//! The scenario's types: what a simulation request says (patient, regimen, PD and solver
//! choices, virtual population), with serde and TypeScript derivations.

use crate::error::{Error, Result};
use crate::model::Route;
use crate::pd::{Binding, KiSet};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    pub population: PopulationSpec,
    /// Duration of an infusion when an IV bolus becomes one, min.
    pub infusion_duration_min: f64,
    /// Dissociation half-time when kinetic binding is switched on, min.
    pub binding_half_time_min: f64,
    /// Every route with its name.
    pub routes: Vec<RouteName>,
    /// The simulated time spans offered ([`crate::edit::with_span`]).
    pub spans: Vec<crate::edit::Span>,
    /// The integrators (`solver.method`), each with its name, what it does and whether it
    /// runs kinetic receptor binding.
    pub methods: Vec<MethodChoice>,
    /// A new target-controlled infusion item (the regimen editor's "add TCI step").
    pub tci_item: DoseItem,
    /// A new IV bolus item.
    pub bolus_item: DoseItem,
    /// A new IV infusion item.
    pub infusion_item: DoseItem,
    /// The targets a TCI item can have, each with its name, the field that carries its value
    /// and the value a TCI item takes when switched to it.
    pub tci_targets: Vec<TciTargetChoice>,
    /// The what-if clearance multiplier an absent `patient.clearance_multiplier` means.
    pub clearance_multiplier: f64,
    /// A TCI item's pump update interval when it gives none, s
    /// ([`crate::tci::DEFAULT_UPDATE_INTERVAL_S`]).
    pub tci_update_interval_s: f64,
    /// A TCI item's maximum pump rate when it gives none, mL/h
    /// ([`crate::tci::DEFAULT_MAX_RATE_ML_PER_H`]).
    pub tci_max_rate_ml_per_h: f64,
    /// A TCI item's syringe concentration when it gives none, mg/mL
    /// ([`crate::tci::DEFAULT_SYRINGE_MG_PER_ML`]).
    pub tci_syringe_mg_per_ml: f64,
}

/// One target a TCI item can have, for a user interface.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TciTargetChoice {
    /// The target.
    pub target: TciTarget,
    /// Its name for people, with the algorithm's source.
    pub label: &'static str,
    /// The field of the item (and of each target step) that carries its value
    /// ([`TciTarget::value_field`]).
    pub value_field: &'static str,
    /// The unit of that value ([`TciTarget::unit`]).
    pub unit: &'static str,
    /// The value an item switched to this target starts from (in `unit`).
    pub value: f64,
}

impl Defaults {
    /// The defaults.
    pub fn get() -> Result<Self> {
        let preset = crate::presets::DEFAULT;
        Ok(Defaults {
            preset,
            scenario: crate::presets::get(preset)?.scenario,
            population: PopulationSpec {
                weight_cv_percent: Some(DEFAULT_WEIGHT_CV_PERCENT),
                ..PopulationSpec::new(1000, 1)
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
            spans: crate::edit::SPANS.to_vec(),
            methods: Method::ALL
                .into_iter()
                .map(|method| MethodChoice {
                    method,
                    label: method.label(),
                    description: method.description(),
                    kinetic_binding: method.runs_kinetic_binding(),
                })
                .collect(),
            tci_item: DoseItem {
                kind: DoseKind::Tci,
                target: Some(TciTarget::EffectSite),
                target_ng_per_ml: Some(150.0),
                duration_min: Some(60.0),
                ..DoseItem::default()
            },
            bolus_item: DoseItem {
                dose_mg_per_kg: Some(0.15),
                ..DoseItem::default()
            },
            infusion_item: DoseItem {
                kind: DoseKind::Infusion,
                dose_mg_per_kg: Some(0.5),
                duration_min: Some(40.0),
                ..DoseItem::default()
            },
            tci_targets: [
                (TciTarget::Plasma, "plasma (Jacobs 1990)", 150.0),
                (
                    TciTarget::EffectSite,
                    "effect site (Shafer & Gregg 1992)",
                    150.0,
                ),
                // about what an effect site of 150 ng/mL racemic ketamine gives (Kamp 2020)
                (TciTarget::Occupancy, "NMDA occupancy (model-derived)", 40.0),
            ]
            .into_iter()
            .map(|(target, label, value)| TciTargetChoice {
                target,
                label,
                value_field: target.value_field(),
                unit: target.unit(),
                value,
            })
            .collect(),
            clearance_multiplier: one(),
            tci_update_interval_s: crate::tci::DEFAULT_UPDATE_INTERVAL_S,
            tci_max_rate_ml_per_h: crate::tci::DEFAULT_MAX_RATE_ML_PER_H,
            tci_syringe_mg_per_ml: crate::tci::DEFAULT_SYRINGE_MG_PER_ML,
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
    /// What-if: multiplies the administered drug's clearance, 0.25–4, default 1
    /// \[ASSUMPTION\]: illustrative, e.g. impaired liver function or an interacting drug. It
    /// scales every flow that clears the drug ([`crate::model::ModelSpec::compile_for`]); in a
    /// model with a hepatic compartment (perez_ruixo2021) that is the intrinsic clearance, and
    /// the organ clearance changes less because liver blood flow limits it. A TCI pump does
    /// not know it: it computes its rates with the published model.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub clearance_multiplier: f64,
}

fn one() -> f64 {
    1.0
}

#[allow(clippy::trivially_copy_pass_by_ref, clippy::float_cmp)]
fn is_one(x: &f64) -> bool {
    *x == 1.0
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
            clearance_multiplier: self.clearance_multiplier,
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
    /// Target-controlled IV infusion over `duration_min`: a pump that adjusts its rate every
    /// `update_interval_s` to reach and hold `target` ([`crate::tci`]). It compiles to an
    /// ordinary piecewise-constant infusion.
    Tci,
}

/// What a target-controlled infusion aims at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum TciTarget {
    /// The administered drug's plasma concentration (Jacobs 1990), `target_ng_per_ml`.
    Plasma,
    /// The administered drug's effect-site concentration (Shafer & Gregg 1992),
    /// `target_ng_per_ml`.
    EffectSite,
    /// NMDA-receptor occupancy at equilibrium binding, `target_percent` (model-derived): every
    /// ligand that contributes counts ([`crate::tci`]).
    Occupancy,
}

impl TciTarget {
    /// The id, as in JSON.
    pub fn id(self) -> &'static str {
        match self {
            TciTarget::Plasma => "plasma",
            TciTarget::EffectSite => "effect_site",
            TciTarget::Occupancy => "occupancy",
        }
    }

    /// The field that carries this target's value.
    pub fn value_field(self) -> &'static str {
        match self {
            TciTarget::Plasma | TciTarget::EffectSite => "target_ng_per_ml",
            TciTarget::Occupancy => "target_percent",
        }
    }

    /// The unit of that value.
    pub fn unit(self) -> &'static str {
        match self {
            TciTarget::Plasma | TciTarget::EffectSite => "ng/mL",
            TciTarget::Occupancy => "%",
        }
    }
}

/// A change of a TCI target during the infusion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct TargetStep {
    /// When the new target applies, min after the start of the infusion.
    pub at_min: f64,
    /// New concentration target, ng/mL (plasma and effect-site targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_ng_per_ml: Option<f64>,
    /// New occupancy target, % (occupancy targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_percent: Option<f64>,
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
///
/// In JSON, an object with exactly one of `at_min`, `at_h`, `at_days`, `every` (read through
/// `de::ScheduleRepr`, so that two of them in one object, or an unknown key at any depth, is
/// an error that says so).
#[derive(Debug, Clone, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case", try_from = "super::de::ScheduleRepr")]
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
/// only for routes that dose in whole devices, such as the nasal spray). A target-controlled
/// infusion (`kind: tci`) gives none of them: it has a `target`, its value
/// (`target_ng_per_ml` or `target_percent`) and `duration_min`, and optionally
/// `target_steps`, `update_interval_s`, `max_rate_ml_per_h` and `syringe_mg_per_ml`.
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
    /// TCI: what the pump targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<TciTarget>,
    /// TCI: the concentration target from the start, ng/mL (plasma and effect-site targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_ng_per_ml: Option<f64>,
    /// TCI: the occupancy target from the start, % (model-derived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_percent: Option<f64>,
    /// TCI: later target changes, in time order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_steps: Vec<TargetStep>,
    /// TCI: how often the pump recomputes its rate, s (default
    /// [`crate::tci::DEFAULT_UPDATE_INTERVAL_S`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_interval_s: Option<f64>,
    /// TCI: the pump's maximum rate, mL/h (default [`crate::tci::DEFAULT_MAX_RATE_ML_PER_H`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rate_ml_per_h: Option<f64>,
    /// TCI: the syringe's concentration, mg/mL (default
    /// [`crate::tci::DEFAULT_SYRINGE_MG_PER_ML`]); converts the rate to mL/h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub syringe_mg_per_ml: Option<f64>,
    /// When (default: once at t = 0).
    #[serde(default)]
    pub schedule: Schedule,
}

fn default_route() -> Route {
    Route::Iv
}

impl Default for DoseItem {
    /// An IV bolus at t = 0 with no amount yet (every optional field absent).
    fn default() -> Self {
        DoseItem {
            route: Route::Iv,
            kind: DoseKind::Bolus,
            dose_mg: None,
            dose_mg_per_kg: None,
            devices: None,
            rate_mg_per_h: None,
            rate_mg_per_kg_per_h: None,
            duration_min: None,
            salt: Salt::Base,
            target: None,
            target_ng_per_ml: None,
            target_percent: None,
            target_steps: Vec::new(),
            update_interval_s: None,
            max_rate_ml_per_h: None,
            syringe_mg_per_ml: None,
            schedule: Schedule::default(),
        }
    }
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
    /// recovered, ng/mL. Default (absent): the drug's dissociative onset — 100 ng/mL for
    /// racemic ketamine (Krystal 1994 via Zanos 2018), 70 ng/mL for S-ketamine (Hartvig 1995);
    /// see [`crate::pd::DrugForm::default_recovery_ng_per_ml`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_threshold_ng_per_ml: Option<f64>,
    /// Extra thresholds for time-above/below metrics, ng/mL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds_ng_per_ml: Vec<f64>,
}

fn default_endpoint() -> String {
    "subjective".into()
}

impl Default for PdOptions {
    fn default() -> Self {
        PdOptions {
            ke0_endpoint: default_endpoint(),
            ke0_per_min: None,
            ki_set: KiSet::default(),
            binding: Binding::default(),
            recovery_threshold_ng_per_ml: None,
            thresholds_ng_per_ml: Vec::new(),
        }
    }
}

/// Which integrator to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The exact propagator when the system is linear (equilibrium binding), and with kinetic
    /// binding `exact_kinetic`.
    #[default]
    Auto,
    /// Matrix-exponential propagator with piecewise-constant input (linear systems only).
    Exact,
    /// The linear states by the exact propagator, the bound fractions of kinetic binding by
    /// the implicit Hermite–Obreschkoff (2, 3) formula (order 5, L-stable) with step-size
    /// control against the exact effect site ([`crate::solver::kinetic`]); without kinetic
    /// binding the same as `exact`.
    ExactKinetic,
    /// Dormand–Prince 5(4) from `ode_solvers` on every state, restarted at every dose event:
    /// the independent check.
    Dopri5,
}

impl Method {
    /// Every method, in the order a user interface lists them.
    pub const ALL: [Method; 4] = [
        Method::Auto,
        Method::Exact,
        Method::ExactKinetic,
        Method::Dopri5,
    ];

    /// Whether it can run kinetic receptor binding (a non-linear system): every method but
    /// `exact`, which needs a linear one. Validation rejects the other combination.
    pub fn runs_kinetic_binding(self) -> bool {
        self != Method::Exact
    }

    /// Id as used in scenario JSON.
    pub fn id(self) -> &'static str {
        match self {
            Method::Auto => "auto",
            Method::Exact => "exact",
            Method::ExactKinetic => "exact_kinetic",
            Method::Dopri5 => "dopri5",
        }
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            Method::Auto => "Automatic",
            Method::Exact => "Exact propagator",
            Method::ExactKinetic => "Exact + implicit for binding",
            Method::Dopri5 => "Dopri5 (independent check)",
        }
    }

    /// What it does, in one line.
    pub fn description(self) -> &'static str {
        match self {
            Method::Auto => {
                "The exact propagator; with binding kinetics the exact propagator for the \
                 concentrations and an implicit integrator for the bound fractions \
                 (exact_kinetic). The default."
            }
            Method::Exact => {
                "The matrix exponential from dose event to dose event: exact for linear \
                 systems, so not with binding kinetics (non-linear)."
            }
            Method::ExactKinetic => {
                "The exact propagator for the concentrations; the bound fractions of binding \
                 kinetics by an implicit order-5 integrator with error control (rtol)."
            }
            Method::Dopri5 => {
                "Dormand–Prince 5(4) from ode_solvers on every state, restarted at every dose: \
                 the independent check; slower."
            }
        }
    }
}

/// An integrator a user interface offers ([`Defaults::methods`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MethodChoice {
    /// The method (`solver.method`).
    pub method: Method,
    /// Its name for people.
    pub label: &'static str,
    /// What it does, in one line.
    pub description: &'static str,
    /// Whether it can run kinetic receptor binding ([`Method::runs_kinetic_binding`]).
    pub kinetic_binding: bool,
}

/// Solver options.
#[derive(Debug, Clone, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct SolverOptions {
    /// Integrator.
    #[serde(default)]
    pub method: Method,
    /// Relative tolerance (Dopri5: every state; `exact_kinetic`: the bound fractions).
    #[serde(default = "default_rtol")]
    pub rtol: f64,
    /// Absolute tolerance (Dopri5: mg for amounts, and the same number for the bound
    /// fractions; `exact_kinetic` integrates only the bound fractions and controls them
    /// relatively, with the fixed floor [`crate::solver::kinetic::B_FLOOR`]).
    #[serde(default = "default_atol")]
    pub atol: f64,
    /// Dopri5 only: steps per run (accepted or rejected) before it stops with an error (bounds
    /// the time a stiff system can take; the exact paths take no steps or few).
    #[serde(default = "default_max_steps")]
    pub max_steps: u32,
}

/// 1e-6: six significant digits, far below anything a chart shows; the exact propagator (the
/// default path) is unaffected. Tests that compare integrators set 1e-11.
fn default_rtol() -> f64 {
    1e-6
}
fn default_atol() -> f64 {
    1e-9
}
fn default_max_steps() -> u32 {
    crate::solver::ode::OdeStepper::MAX_STEPS
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            method: Method::Auto,
            rtol: default_rtol(),
            atol: default_atol(),
            max_steps: default_max_steps(),
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
    /// Model id (default `kamp2020`); with `model_spec`, that model's id.
    #[serde(default = "default_model")]
    pub model: String,
    /// A user-defined model (every number labelled USER), instead of a built-in one: see
    /// [`crate::model::user`]. `model` must then be its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub model_spec: Option<Box<crate::model::ModelSpec>>,
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
    pub population: Option<PopulationSpec>,
    /// Pre-dose vital signs for the illustrative vitals curves (default 120/80 mmHg, 70
    /// beats/min; see [`crate::monitoring`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vitals: Option<crate::monitoring::VitalsOptions>,
}

fn default_model() -> String {
    crate::models::DEFAULT_MODEL.into()
}
fn default_step() -> f64 {
    1.0
}

impl Scenario {
    /// Parses JSON: one object, every field known (errors name the field, the line and the
    /// column; see [`crate::scenario::json`]).
    pub fn from_json(json: &str) -> Result<Self> {
        super::json::from_json(json)
    }

    /// Number of output points the scenario asks for (saturating: a step of 0 asks for
    /// `u64::MAX`, which validation then rejects).
    pub fn n_points(&self) -> u64 {
        let n = (self.horizon_min / self.output_step_min + 1e-9).floor();
        let exact = (n * self.output_step_min - self.horizon_min).abs()
            <= crate::solver::horizon_tolerance(self.horizon_min);
        (n as u64).saturating_add(1 + u64::from(!exact))
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
}

impl DoseItem {
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
}

impl PdOptions {
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

/// A covariate distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CovariateDist {
    /// Everyone the same.
    Fixed(f64),
    /// Log-normal around `median` with coefficient of variation `cv_percent`, clamped to
    /// `[min, max]`.
    LogNormal {
        /// Median.
        median: f64,
        /// Coefficient of variation, %.
        cv_percent: f64,
        /// Lower clamp.
        min: f64,
        /// Upper clamp.
        max: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
}

/// How to draw a virtual population (part of a [`Scenario`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct PopulationSpec {
    /// Number of subjects (1 – 100 000).
    #[serde(deserialize_with = "super::de::size")]
    pub size: u32,
    /// Seed of the random streams (JavaScript passes it as a number: up to 2^53 − 1 exactly).
    #[serde(default, deserialize_with = "super::de::seed")]
    #[ts(type = "number")]
    pub seed: u64,
    /// Body weight, kg (default: log-normal around the scenario's weight with CV
    /// `weight_cv_percent`, clamped to half and twice it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<CovariateDist>,
    /// CV of the default weight distribution, % (default 20 — a teaching assumption; 0 fixes
    /// the weight). Ignored when `weight_kg` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_cv_percent: Option<f64>,
    /// Age, years (default: the scenario's age for everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_years: Option<CovariateDist>,
    /// Share of women, % (default: the scenario's sex for everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub female_percent: Option<f64>,
    /// Effect-site threshold for the "fraction of the population above" series, ng/mL
    /// (default, absent: the drug's dissociative onset, the same definition as the single
    /// run's metrics and timeline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_ng_per_ml: Option<f64>,
}

/// CV of the default weight distribution, % (\[ASSUMPTION\], for teaching).
pub const DEFAULT_WEIGHT_CV_PERCENT: f64 = 20.0;

impl PopulationSpec {
    /// `size` subjects from `seed`, every other field at its default.
    ///
    /// ```
    /// let spec = ketasim::population::PopulationSpec::new(1000, 7);
    /// assert_eq!(spec.threshold_ng_per_ml, None); // the drug's dissociative onset
    /// assert!(spec.validate(361).is_ok());
    /// ```
    pub fn new(size: u32, seed: u64) -> Self {
        PopulationSpec {
            size,
            seed,
            weight_kg: None,
            weight_cv_percent: None,
            age_years: None,
            female_percent: None,
            threshold_ng_per_ml: None,
        }
    }
}
