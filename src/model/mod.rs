//! Compartment models described as data.
//!
//! A [`ModelSpec`] lists parameters (as published, with units, weight scaling and a provenance
//! label), compartments, first-order flows between them, analytes and dosing routes. Nothing in
//! here is specific to one model: [`ModelSpec::compile`] turns any description into a
//! [`LinearSystem`] — the matrix `A` of `dx/dt = A·x + u(t)` — from which both the ODE
//! right-hand side and the exact matrix-exponential propagator are derived.
//!
//! Amounts are in **mg of parent-drug equivalents** in every compartment (metabolite amounts
//! included), so formation conserves moles; concentrations are converted with each analyte's
//! molecular weight only at output.

mod compile;
mod derived;
pub mod user;

pub use compile::{CompiledAnalyte, CompiledRoute, InputTarget, LinearSystem, StateKind};
pub use derived::Derived;

use crate::error::{Error, Result};
use serde::Serialize;
use std::borrow::Cow;

/// A text of a model: borrowed from the compiled-in tables, or owned (a user-defined model).
pub type Text = Cow<'static, str>;
/// A list of a model: borrowed from the compiled-in tables, or owned (a user-defined model).
pub type List<T> = Cow<'static, [T]>;

/// A compiled-in text as a [`Text`] (in constant tables).
pub const fn t(s: &'static str) -> Text {
    Cow::Borrowed(s)
}

/// A compiled-in list as a [`List`] (in constant tables).
pub const fn l<T: Clone>(s: &'static [T]) -> List<T> {
    Cow::Borrowed(s)
}
use ts_rs::TS;

/// Reference body weight for allometric scaling, kg.
pub const REFERENCE_WEIGHT_KG: f64 = 70.0;

/// How solid a number is (see the reference data file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
pub enum Provenance {
    /// Read in the primary source (abstract, paper or label).
    #[serde(rename = "READ")]
    Read,
    /// Read in a secondary source that transcribes the paper.
    #[serde(rename = "READ-2")]
    Read2,
    /// Encoded in public TCI software that cites the paper.
    #[serde(rename = "CODE")]
    Code,
    /// Not confirmed in any retrieved text: an explicit, labelled assumption.
    #[serde(rename = "UNVERIFIED")]
    Unverified,
    /// Computed from other labelled values (the formula is given in the note).
    #[serde(rename = "DERIVED")]
    Derived,
    /// A modelling assumption made by this tool, stated in the note.
    #[serde(rename = "ASSUMPTION")]
    Assumption,
    /// Given by the user (a user-defined model): no source.
    #[serde(rename = "USER")]
    User,
}

impl Provenance {
    /// The label as printed in the reference file and the UI.
    pub fn label(self) -> &'static str {
        match self {
            Provenance::Read => "READ",
            Provenance::Read2 => "READ-2",
            Provenance::Code => "CODE",
            Provenance::Unverified => "UNVERIFIED",
            Provenance::Derived => "DERIVED",
            Provenance::Assumption => "ASSUMPTION",
            Provenance::User => "USER",
        }
    }
}

/// Unit of a parameter as published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
pub enum Unit {
    /// Litres.
    #[serde(rename = "L")]
    L,
    /// Litres per kg body weight.
    #[serde(rename = "L/kg")]
    LPerKg,
    /// Litres per hour.
    #[serde(rename = "L/h")]
    LPerH,
    /// Litres per minute.
    #[serde(rename = "L/min")]
    LPerMin,
    /// Per minute (first-order rate constant).
    #[serde(rename = "1/min")]
    PerMin,
    /// Per hour (first-order rate constant).
    #[serde(rename = "1/h")]
    PerH,
    /// Minutes.
    #[serde(rename = "min")]
    Min,
    /// Hours.
    #[serde(rename = "h")]
    H,
    /// Dimensionless fraction (0–1).
    #[serde(rename = "fraction")]
    Fraction,
}

impl Unit {
    /// Short text for tables.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::L => "L",
            Unit::LPerKg => "L/kg",
            Unit::LPerH => "L/h",
            Unit::LPerMin => "L/min",
            Unit::PerMin => "1/min",
            Unit::PerH => "1/h",
            Unit::Min => "min",
            Unit::H => "h",
            Unit::Fraction => "",
        }
    }

    /// Factor to the engine's canonical unit (L, L/min, 1/min, min, fraction).
    fn to_canonical(self) -> f64 {
        match self {
            Unit::LPerH | Unit::PerH => 1.0 / 60.0,
            Unit::H => 60.0,
            _ => 1.0,
        }
    }
}

/// How a parameter scales with body weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scaling {
    /// Not scaled.
    None,
    /// Multiplied by body weight in kg (the unit is per kg).
    PerKg,
    /// Multiplied by `(WT / 70 kg)^exponent`.
    Allometric {
        /// The allometric exponent (1 for volumes, 0.75 for clearances by convention).
        exponent: f64,
    },
}

/// One published model parameter, as printed in its source.
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Symbol used in the source and referenced by the structure (e.g. `CL`, `k12`).
    pub symbol: Text,
    /// What it is, in words.
    pub description: Text,
    /// Value as published (typical individual, reference weight).
    pub value: f64,
    /// Unit as published.
    pub unit: Unit,
    /// Weight scaling.
    pub scaling: Scaling,
    /// Provenance label.
    pub provenance: Provenance,
    /// Inter-individual variance on the log scale (ω²), where the source gives one.
    pub omega2: Option<f64>,
    /// How `omega2` was obtained from what the source prints (`None` without variability).
    pub iiv_source: Option<IivSource>,
}

/// How a parameter's ω² was obtained from the source.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum IivSource {
    /// The source prints ω² (log scale); used as published.
    Omega2AsPublished,
    /// The source prints a CV (or BSV) in percent; converted with ω² = ln(1 + CV²), exact for a
    /// log-normal parameter. Whether the source's percent is that exact CV or the common
    /// approximation √ω² was not stated in any text read: if it were √ω², ω² would be CV²
    /// (e.g. CV 120%: 1.44 instead of 0.89).
    FromCvPercent {
        /// The printed CV, %.
        cv_percent: f64,
        /// `true` only where the source's convention was read; `false`: not stated.
        convention_stated: bool,
    },
}

impl Param {
    /// A parameter without inter-individual variability.
    pub const fn new(
        symbol: Text,
        description: Text,
        value: f64,
        unit: Unit,
        scaling: Scaling,
        provenance: Provenance,
    ) -> Self {
        Param {
            symbol,
            description,
            value,
            unit,
            scaling,
            provenance,
            omega2: None,
            iiv_source: None,
        }
    }

    /// Adds a log-scale variance ω².
    pub const fn with_omega2(mut self, omega2: f64) -> Self {
        self.omega2 = Some(omega2);
        self.iiv_source = Some(IivSource::Omega2AsPublished);
        self
    }

    /// Adds inter-individual variability given as a coefficient of variation in percent
    /// (converted to ω² = ln(1 + CV²)).
    ///
    /// ```
    /// use ketasim::model::*;
    /// let p = Param::new(t("CL"), t(""), 1.0, Unit::L, Scaling::None, Provenance::Read).with_cv_percent(38.1);
    /// assert!((p.omega2.unwrap() - (1.0f64 + 0.381 * 0.381).ln()).abs() < 1e-15);
    /// ```
    pub const fn with_cv_percent(self, cv: f64) -> Self {
        let c = cv / 100.0;
        let mut p = self.with_omega2(ln_1p(c * c));
        p.iiv_source = Some(IivSource::FromCvPercent {
            cv_percent: cv,
            convention_stated: false,
        });
        p
    }

    /// Value in canonical units (L, L/min, 1/min, min) for a patient of `weight_kg`.
    pub fn canonical(&self, weight_kg: f64) -> f64 {
        let scale = match self.scaling {
            Scaling::None => 1.0,
            Scaling::PerKg => weight_kg,
            // libm: the same bits natively and in wasm (a population seed reproduces exactly)
            Scaling::Allometric { exponent } => {
                libm::pow(weight_kg / REFERENCE_WEIGHT_KG, exponent)
            }
        };
        self.value * self.unit.to_canonical() * scale
    }
}

/// ln(1 + x) for x ≥ 0 as a `const fn` (so parameter tables can be constants):
/// 2·atanh(z) with z = x / (2 + x) < 1, summed until the terms vanish.
const fn ln_1p(x: f64) -> f64 {
    let z = x / (2.0 + x);
    let z2 = z * z;
    let mut term = z;
    let mut sum = 0.0;
    let mut k = 0;
    while k < 200 {
        let next = sum + term / (2 * k + 1) as f64;
        if next == sum {
            break;
        }
        sum = next;
        term *= z2;
        k += 1;
    }
    2.0 * sum
}

/// Where blood was sampled in the source study (arterial models predict higher early
/// concentrations than venous ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Sampling {
    /// Arterial sampling.
    Arterial,
    /// Venous sampling.
    Venous,
    /// Not stated in the retrieved text.
    NotStated,
}

impl Sampling {
    /// Text for tables.
    pub fn label(self) -> &'static str {
        match self {
            Sampling::Arterial => "arterial",
            Sampling::Venous => "venous",
            Sampling::NotStated => "not stated",
        }
    }
}

/// Role of a compartment (for display and for derived quantities).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Central (sampled) compartment of an analyte.
    Central,
    /// Peripheral distribution compartment.
    Peripheral,
    /// Absorption depot.
    Depot,
    /// Transit compartment of a formation or absorption chain.
    Transit,
    /// Hepato-portal (first-pass) compartment.
    Liver,
}

/// A compartment: a named amount of one analyte.
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Compartment {
    /// Unique name within the model, e.g. `central`.
    pub name: Text,
    /// Index into [`ModelSpec::analytes`].
    pub analyte: usize,
    /// Role.
    pub role: Role,
    /// Symbol of the volume parameter, where the compartment has a volume.
    pub volume: Option<Text>,
}

/// How fast a first-order flow is.
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(
    tag = "kind",
    content = "param",
    rename_all = "snake_case",
    deny_unknown_fields
)]
pub enum Rate {
    /// A clearance (volume/time), divided by the volume of the source compartment.
    Clearance(Text),
    /// A first-order rate constant (1/time).
    Constant(Text),
    /// One compartment of a transit chain of `n` compartments with mean transit time `mtt`:
    /// rate constant `n / MTT`.
    Transit {
        /// Symbol of the mean transit time of the whole chain.
        mtt: Text,
        /// Number of compartments in the chain.
        n: u32,
    },
}

/// One factor of an input fraction: a parameter `p`, or `1 − p`.
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(
    tag = "kind",
    content = "param",
    rename_all = "snake_case",
    deny_unknown_fields
)]
pub enum Factor {
    /// The parameter's value.
    Param(Text),
    /// One minus the parameter's value.
    OneMinus(Text),
}

/// Dosing in whole devices (e.g. a nasal spray device), given one after another.
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct DeviceSpec {
    /// Amount per device, mg base.
    pub mg_per_device: f64,
    /// Time between devices, min.
    pub interval_min: f64,
    /// Most devices in one session.
    pub max_devices: u32,
    /// For every device after the first in a session, parameter `.0` is multiplied by
    /// parameter `.1` (e.g. the nasal fraction of later sprays).
    pub later_devices: Option<(Text, Text)>,
    /// Where the numbers come from.
    pub note: Text,
}

/// Patient's race as a covariate (only where a model has race effects).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Race {
    /// Not specified: the model's reference population.
    #[default]
    Unspecified,
    /// Asian.
    Asian,
    /// Japanese (gets the Asian effects too).
    Japanese,
    /// Other (no race effect).
    Other,
}

/// What a covariate does to one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CovariateEffect {
    /// Multiply by `factor` for patients of `race` (Japanese patients also get Asian effects).
    Race {
        /// The race the effect applies to.
        race: Race,
        /// Multiplier.
        factor: f64,
    },
    /// Multiply by `factor` for women.
    Female {
        /// Multiplier.
        factor: f64,
    },
    /// Add `per_year` (in the parameter's published unit, usually negative) for every year of
    /// age above `above_years`.
    AgeAbove {
        /// Age threshold, years.
        above_years: f64,
        /// Change per year, in the parameter's published unit.
        per_year: f64,
    },
}

/// A covariate effect on one parameter.
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Covariate {
    /// Parameter symbol.
    pub param: Text,
    /// The effect.
    pub effect: CovariateEffect,
    /// Provenance of the effect.
    pub provenance: Provenance,
}

/// The patient characteristics a model can use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Subject {
    /// Body weight, kg.
    pub weight_kg: f64,
    /// Age, years.
    pub age_years: f64,
    /// `Some(true)` for women, `Some(false)` for men, `None` unspecified.
    pub female: Option<bool>,
    /// Race.
    pub race: Race,
    /// What-if multiplier of the administered drug's clearance (1 = as published; see
    /// [`ModelSpec::compile_for`]) \[ASSUMPTION\].
    pub clearance_multiplier: f64,
}

impl Subject {
    /// A typical adult of `weight_kg` (40 years, sex and race unspecified, clearance as
    /// published).
    pub fn typical(weight_kg: f64) -> Self {
        Subject {
            weight_kg,
            age_years: 40.0,
            female: None,
            race: Race::Unspecified,
            clearance_multiplier: 1.0,
        }
    }
}

/// A first-order flow of drug between compartments.
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Flow {
    /// One-way transfer out of `from`. A fraction (`fraction` parameter, or 1) arrives in `to`;
    /// the rest, and everything when `to` is `None`, counts as eliminated.
    Transfer {
        /// Source compartment name.
        from: Text,
        /// Destination compartment name, or `None` for elimination.
        to: Option<Text>,
        /// Rate of the flow.
        rate: Rate,
        /// Symbol of the fraction parameter (formation fraction), if not 1.
        fraction: Option<Text>,
    },
    /// Two-way exchange by an intercompartmental clearance `q` (volume/time) between two
    /// compartments that both have volumes.
    Exchange {
        /// First compartment.
        a: Text,
        /// Second compartment.
        b: Text,
        /// Symbol of the intercompartmental clearance.
        q: Text,
    },
}

/// Administration route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Intravenous (bolus or infusion).
    Iv,
    /// Intramuscular.
    Im,
    /// Oral (swallowed).
    Oral,
    /// Sublingual.
    Sublingual,
    /// Intranasal.
    Intranasal,
}

impl Route {
    /// All routes, in display order.
    pub const ALL: [Route; 5] = [
        Route::Iv,
        Route::Im,
        Route::Oral,
        Route::Sublingual,
        Route::Intranasal,
    ];

    /// Name for people, e.g. "Intravenous (IV)".
    pub fn label(self) -> &'static str {
        match self {
            Route::Iv => "Intravenous (IV)",
            Route::Im => "Intramuscular (IM)",
            Route::Oral => "Oral",
            Route::Sublingual => "Sublingual",
            Route::Intranasal => "Intranasal (nasal spray)",
        }
    }

    /// Short name within a sentence, e.g. "175 mg oral", "an IV bolus".
    pub fn short(self) -> &'static str {
        match self {
            Route::Iv => "IV",
            Route::Im => "IM",
            Route::Oral => "oral",
            Route::Sublingual => "sublingual",
            Route::Intranasal => "intranasal",
        }
    }

    /// Lower-case id as used in scenario JSON.
    pub fn id(self) -> &'static str {
        match self {
            Route::Iv => "iv",
            Route::Im => "im",
            Route::Oral => "oral",
            Route::Sublingual => "sublingual",
            Route::Intranasal => "intranasal",
        }
    }
}

/// Where a dose given by one route goes. A route may split one dose into several inputs
/// (parallel absorption routes).
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Compartment that receives this part of the dose.
    pub compartment: Text,
    /// Fraction of the dose that enters (bioavailability): the product of these factors
    /// (empty for 1).
    pub fraction: List<Factor>,
    /// Symbol of a zero-order input duration, or `None` for an instantaneous input.
    pub duration: Option<Text>,
}

/// A dosing route of a model.
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct RouteSpec {
    /// The route.
    pub route: Route,
    /// Parts of each dose.
    pub inputs: List<InputSpec>,
    /// Dosing in whole devices, for device-based routes.
    pub device: Option<DeviceSpec>,
    /// What the route represents and where its numbers come from.
    pub note: Text,
}

/// A measured substance: the parent drug or a metabolite.
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Analyte {
    /// Short id, e.g. `ketamine`.
    pub id: Text,
    /// Display name.
    pub name: Text,
    /// Molecular weight, g/mol.
    pub mw_g_per_mol: f64,
    /// Name of the sampled (central) compartment.
    pub central: Text,
    /// Ligand id in the PD table ([`crate::pd::ligand`]) for receptor occupancy; with
    /// `binding`, a name for the user's own ligand.
    pub ligand: Text,
    /// A user-defined model's own ligand constants (instead of the PD table's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding: Option<LigandSpec>,
}

/// The receptor-binding constants of a user-defined model's analyte (provenance USER).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct LigandSpec {
    /// Unbound fraction in plasma (0–1].
    pub fu: f64,
    /// Inhibition constant at the receptor, µM.
    pub ki_um: f64,
    /// Dissociation half-time for kinetic binding, min (`koff = ln 2 / t½`, `kon = koff / Ki`);
    /// without it, the scenario's `pd.binding.half_time_min`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_time_min: Option<f64>,
    /// Brain penetration relative to plasma unbound (default 1).
    #[serde(default = "one")]
    pub brain_penetration: f64,
}

fn one() -> f64 {
    1.0
}

/// A complete, cited model: plain constant data (see `src/models`).
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Stable id used in scenarios (e.g. `kamp2020`).
    pub id: Text,
    /// Short display name.
    pub name: Text,
    /// Full citation.
    pub citation: Text,
    /// Study population.
    pub population: Text,
    /// Drug administered (racemic ketamine, esketamine).
    pub drug: Text,
    /// Sampling site.
    pub sampling: Sampling,
    /// Remarks an educator should know (structure, caveats, teaching points).
    pub notes: List<Text>,
    /// Published parameters.
    pub params: List<Param>,
    /// Analytes; index 0 is the administered drug.
    pub analytes: List<Analyte>,
    /// Compartments.
    pub compartments: List<Compartment>,
    /// Flows.
    pub flows: List<Flow>,
    /// Routes the model supports.
    pub routes: List<RouteSpec>,
    /// Model-specific effect-site rate constants (endpoint id → ke0) that override the generic
    /// table, because they were fitted with this model's PK.
    pub ke0_overrides: List<(Text, Param)>,
    /// Covariate effects (age, sex, race).
    pub covariates: List<Covariate>,
    /// Covariances between random effects `(param, param, cov)` on the log scale, where the
    /// source gives them.
    pub iiv_covariances: List<(Text, Text, f64)>,
}

/// What varies between the virtual subjects of a population on a model (the page prints
/// [`PopulationVariation::statement`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS, serde::Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct PopulationVariation {
    /// Parameters with a random effect (ω² > 0), by symbol.
    pub random_effects: Vec<Text>,
    /// Parameters scaled by body weight (they vary with the drawn weight), by symbol.
    pub weight_scaled: Vec<Text>,
    /// Parameters with covariate effects (age, sex, race), by symbol.
    pub covariates: Vec<Text>,
    /// `true` when the bands have zero width with mg/kg dosing: no random effects, no
    /// covariates, and every volume and clearance in proportion to body weight (per kg or
    /// exponent 1) with unscaled rate constants, so the concentrations do not depend on
    /// weight when the dose is per kg.
    pub zero_width_with_mg_per_kg: bool,
    /// The sentence the page shows.
    pub statement: String,
}

impl ModelSpec {
    /// What varies between virtual subjects on this model.
    pub fn population_variation(&self) -> PopulationVariation {
        let random_effects: Vec<Text> = self
            .params
            .iter()
            .filter(|p| p.omega2.is_some_and(|w| w > 0.0))
            .map(|p| p.symbol.clone())
            .collect();
        let weight_scaled: Vec<Text> = self
            .params
            .iter()
            .filter(|p| p.scaling != Scaling::None)
            .map(|p| p.symbol.clone())
            .collect();
        let mut covariates: Vec<Text> = self.covariates.iter().map(|c| c.param.clone()).collect();
        covariates.dedup();
        // concentration after a per-kg dose is weight-free when every volume and clearance is
        // proportional to weight and nothing else is scaled
        let proportional = self.params.iter().all(|p| {
            let linear = matches!(p.scaling, Scaling::PerKg)
                || p.scaling == (Scaling::Allometric { exponent: 1.0 });
            match p.unit {
                Unit::L | Unit::LPerKg | Unit::LPerH | Unit::LPerMin => linear,
                _ => p.scaling == Scaling::None,
            }
        });
        let zero_width_with_mg_per_kg =
            random_effects.is_empty() && covariates.is_empty() && proportional;
        let statement = if zero_width_with_mg_per_kg {
            "This model has no inter-individual variability and its volumes and clearances \
             scale per kg: with mg/kg dosing every virtual subject has the same \
             concentrations (the bands have zero width); with a fixed mg dose only body weight \
             varies."
                .to_string()
        } else if random_effects.is_empty() && covariates.is_empty() {
            format!(
                "This model has no inter-individual variability: only body weight varies \
                 between virtual subjects (through {}).",
                if weight_scaled.is_empty() {
                    "nothing: the bands have zero width".to_string()
                } else {
                    weight_scaled.join(", ")
                }
            )
        } else {
            let mut parts = Vec::new();
            if !random_effects.is_empty() {
                parts.push(format!("random effects on {}", random_effects.join(", ")));
            }
            if !weight_scaled.is_empty() {
                parts.push(format!("body weight through {}", weight_scaled.join(", ")));
            }
            if !covariates.is_empty() {
                parts.push(format!("covariates on {}", covariates.join(", ")));
            }
            format!("Virtual subjects vary by {}.", parts.join("; "))
        };
        PopulationVariation {
            random_effects,
            weight_scaled,
            covariates,
            zero_width_with_mg_per_kg,
            statement,
        }
    }

    /// Looks up a parameter by symbol.
    pub fn param(&self, symbol: &str) -> Result<&Param> {
        self.params
            .iter()
            .find(|p| p.symbol == symbol)
            .ok_or_else(|| Error::ModelDefinition {
                model: self.id.to_string(),
                problem: format!("no parameter '{symbol}'"),
            })
    }

    /// Index of a compartment by name.
    pub fn compartment_index(&self, name: &str) -> Result<usize> {
        self.compartments
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| Error::ModelDefinition {
                model: self.id.to_string(),
                problem: format!("no compartment '{name}'"),
            })
    }

    /// The route description, if the model supports `route`.
    pub fn route(&self, route: Route) -> Option<&RouteSpec> {
        self.routes.iter().find(|r| r.route == route)
    }

    /// Comma-separated route ids.
    pub fn route_list(&self) -> String {
        self.routes
            .iter()
            .map(|r| r.route.id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
