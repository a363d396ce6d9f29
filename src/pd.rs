//! Pharmacodynamics: effect-site equilibration, unbound fraction, NMDA-receptor occupancy and
//! the concentration landmarks used for teaching.
//!
//! Every number here carries its source and provenance label. Occupancy is **model-derived**:
//! no human study gives a numeric percentage occupancy for ketamine.

use crate::error::{Error, Result};
use crate::model::{ModelSpec, Provenance};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub mod kinetic;

pub use kinetic::BindingRhs;

/// A receptor ligand: the drug, an enantiomer or a metabolite.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Ligand {
    /// Id referenced by analytes.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Ki at the PCP site from binding assays (\[³H\]MK-801), µM.
    pub ki_binding_um: f64,
    /// Source and label of `ki_binding_um`.
    pub ki_binding_source: &'static str,
    /// Provenance of `ki_binding_um`.
    pub ki_binding_provenance: Provenance,
    /// Ki under the "1 mM Mg²⁺" what-if, µM; `None` where no value exists (then the binding Ki
    /// is scaled by the racemic ratio, an explicit assumption).
    pub ki_mg_um: Option<f64>,
    /// Unbound fraction in plasma.
    pub fu: f64,
    /// Source of `fu`.
    pub fu_source: &'static str,
    /// Provenance of `fu`.
    pub fu_provenance: Provenance,
    /// Brain penetration relative to the parent drug (ketamine = 1): multiplies the unbound
    /// concentration in occupancy, `Cu,i × brain_penetration / Ki`.
    pub brain_penetration: f64,
    /// Source of `brain_penetration`, with its text.
    pub brain_penetration_source: &'static str,
    /// Provenance of `brain_penetration`.
    pub brain_penetration_provenance: Provenance,
    /// Dissociation rate constant relative to the parent's (kinetic binding): `koff_i =
    /// koff_factor × ln 2 / half_time_min`, the scenario's half-time being the parent's.
    pub koff_factor: f64,
    /// Source of `koff_factor`.
    pub koff_factor_source: &'static str,
    /// Provenance of `koff_factor`.
    pub koff_factor_provenance: Provenance,
}

impl Ligand {
    /// A user-defined model's ligand (every number labelled USER). Its own half-time, when
    /// given, sets its koff relative to the scenario's (`binding`'s) parent half-time.
    pub fn user(spec: &crate::model::LigandSpec, binding: Binding) -> Ligand {
        let koff_factor = match (spec.half_time_min, binding) {
            (Some(own), Binding::Kinetic { half_time_min }) => half_time_min / own,
            _ => 1.0,
        };
        Ligand {
            id: "user",
            name: "user-defined ligand",
            ki_binding_um: spec.ki_um,
            ki_binding_source: "user-defined model",
            ki_binding_provenance: Provenance::User,
            // no magnesium what-if for a user's ligand: the same Ki
            ki_mg_um: Some(spec.ki_um),
            fu: spec.fu,
            fu_source: "user-defined model",
            fu_provenance: Provenance::User,
            brain_penetration: spec.brain_penetration,
            brain_penetration_source: "user-defined model",
            brain_penetration_provenance: Provenance::User,
            koff_factor,
            koff_factor_source: "user-defined model",
            koff_factor_provenance: Provenance::User,
        }
    }
}

/// Racemic Ki with Mg²⁺ (GluN2B), µM — the what-if value (UNVERIFIED).
const KI_MG_RACEMIC_UM: f64 = 5.1;
/// Racemic Ki from binding assays, µM: 1/(0.5/0.3 + 0.5/1.4).
const KI_BINDING_RACEMIC_UM: f64 = 1.0 / (0.5 / 0.3 + 0.5 / 1.4);

/// The ligand table (reference data file, sections 3.1–3.2).
pub fn ligands() -> &'static [Ligand] {
    use Provenance::*;
    const EBERT: &str = "Ebert 1997, [³H]MK-801, rat brain";
    const FU_ASSUMED: &str = "not found; assumed equal to racemic ketamine (Dayton 1983)";
    const PARENT: &str = "the parent drug: the reference (1 by definition)";
    const ENANTIOMER: &str = "the enantiomers share distribution (Henthorn 2018, READ): \
                              equal to the parent's";
    const NORK: f64 = 1.0 / 5.0;
    const NORK_SOURCE: &str = "Spravato label: noresketamine's brain:plasma ratio is 4–6× lower \
                               than esketamine's (ketamine.md §3.2); the midpoint 1/5 is used";
    const NORK_R: &str = "not found; assumed equal to noresketamine's (1/5, Spravato label): \
                          enantiomers have the same passive permeability";
    const HNK: &str = "not found; assumed equal to norketamine's (1/5, Spravato label), the \
                       nearest metabolite with a published ratio (HNK is more polar, so its \
                       penetration may be lower still)";
    const KOFF_PARENT: &str = "the parent drug: the scenario's binding half-time is its own";
    const KOFF_ASSUMED: &str = "no kon/koff found for any ligand (ketamine.md §3.1); assumed \
                                equal to the parent's";
    static LIGANDS: [Ligand; 7] = [
        Ligand {
            id: "ketamine_racemic",
            name: "Ketamine (racemic)",
            ki_binding_um: KI_BINDING_RACEMIC_UM,
            ki_binding_source: "computed from Ebert 1997 S 0.3 µM and R 1.4 µM as a 50:50 mixture",
            ki_binding_provenance: Derived,
            ki_mg_um: Some(KI_MG_RACEMIC_UM),
            fu: 0.53,
            fu_source: "Dayton 1983: up to 47% bound, mostly to α1-acid glycoprotein",
            fu_provenance: Read,
            brain_penetration: 1.0,
            brain_penetration_source: PARENT,
            brain_penetration_provenance: Derived,
            koff_factor: 1.0,
            koff_factor_source: KOFF_PARENT,
            koff_factor_provenance: Derived,
        },
        Ligand {
            id: "s_ketamine",
            name: "S-ketamine (esketamine)",
            ki_binding_um: 0.3,
            ki_binding_source: EBERT,
            ki_binding_provenance: Read2,
            ki_mg_um: None,
            fu: 0.56,
            fu_source: "Spravato label: 43–45% bound",
            fu_provenance: Read,
            brain_penetration: 1.0,
            brain_penetration_source: PARENT,
            brain_penetration_provenance: Derived,
            koff_factor: 1.0,
            koff_factor_source: KOFF_PARENT,
            koff_factor_provenance: Derived,
        },
        Ligand {
            id: "r_ketamine",
            name: "R-ketamine",
            ki_binding_um: 1.4,
            ki_binding_source: EBERT,
            ki_binding_provenance: Read2,
            ki_mg_um: None,
            fu: 0.53,
            fu_source: FU_ASSUMED,
            fu_provenance: Assumption,
            brain_penetration: 1.0,
            brain_penetration_source: ENANTIOMER,
            brain_penetration_provenance: Derived,
            koff_factor: 1.0,
            koff_factor_source: KOFF_ASSUMED,
            koff_factor_provenance: Assumption,
        },
        Ligand {
            id: "s_norketamine",
            name: "S-norketamine",
            ki_binding_um: 1.7,
            ki_binding_source: EBERT,
            ki_binding_provenance: Read2,
            ki_mg_um: None,
            fu: 0.53,
            fu_source: FU_ASSUMED,
            fu_provenance: Assumption,
            brain_penetration: NORK,
            brain_penetration_source: NORK_SOURCE,
            brain_penetration_provenance: Read,
            koff_factor: 1.0,
            koff_factor_source: KOFF_ASSUMED,
            koff_factor_provenance: Assumption,
        },
        Ligand {
            id: "r_norketamine",
            name: "R-norketamine",
            ki_binding_um: 13.0,
            ki_binding_source: EBERT,
            ki_binding_provenance: Read2,
            ki_mg_um: None,
            fu: 0.53,
            fu_source: FU_ASSUMED,
            fu_provenance: Assumption,
            brain_penetration: NORK,
            brain_penetration_source: NORK_R,
            brain_penetration_provenance: Assumption,
            koff_factor: 1.0,
            koff_factor_source: KOFF_ASSUMED,
            koff_factor_provenance: Assumption,
        },
        Ligand {
            id: "hnk_2s6s",
            name: "(2S,6S)-hydroxynorketamine",
            ki_binding_um: 21.0,
            ki_binding_source: "reference data file, section 3.1",
            ki_binding_provenance: Read2,
            ki_mg_um: None,
            fu: 0.53,
            fu_source: FU_ASSUMED,
            fu_provenance: Assumption,
            brain_penetration: NORK,
            brain_penetration_source: HNK,
            brain_penetration_provenance: Assumption,
            koff_factor: 1.0,
            koff_factor_source: KOFF_ASSUMED,
            koff_factor_provenance: Assumption,
        },
        Ligand {
            id: "hnk_2r6r",
            name: "(2R,6R)-hydroxynorketamine",
            ki_binding_um: 100.0,
            ki_binding_source: "> 100 µM (reference data file); the lower bound is used",
            ki_binding_provenance: Read2,
            ki_mg_um: None,
            fu: 0.53,
            fu_source: FU_ASSUMED,
            fu_provenance: Assumption,
            brain_penetration: NORK,
            brain_penetration_source: HNK,
            brain_penetration_provenance: Assumption,
            koff_factor: 1.0,
            koff_factor_source: KOFF_ASSUMED,
            koff_factor_provenance: Assumption,
        },
    ];
    &LIGANDS
}

/// Finds a ligand by id.
pub fn ligand(id: &str) -> Result<&'static Ligand> {
    ligands()
        .iter()
        .find(|l| l.id == id)
        .ok_or_else(|| Error::UnknownLigand {
            id: id.into(),
            available: ligands()
                .iter()
                .map(|l| l.id)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Which affinity constants drive occupancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum KiSet {
    /// Binding-assay Ki (\[³H\]MK-801, rat brain; Ebert 1997, READ-2).
    #[default]
    BindingAssay,
    /// What-if with 1 mM Mg²⁺ (GluN2B 5.1 µM for racemic; Kotermanski & Johnson 2009,
    /// UNVERIFIED). Ligands without a value are scaled by the racemic ratio (ASSUMPTION).
    Magnesium,
}

impl Ligand {
    /// Ki in µM under the chosen set.
    pub fn ki_um(&self, set: KiSet) -> f64 {
        match set {
            KiSet::BindingAssay => self.ki_binding_um,
            KiSet::Magnesium => self
                .ki_mg_um
                .unwrap_or(self.ki_binding_um * KI_MG_RACEMIC_UM / KI_BINDING_RACEMIC_UM),
        }
    }
}

/// Equilibrium occupancy of one receptor population by several competing ligands:
/// `Σ(Cu,i/Ki) / (1 + Σ Cu,i/Ki)`, given the ratios `Cu,i/Ki`.
///
/// ```
/// // one ligand at its Ki occupies half of the receptors
/// assert_eq!(ketasim::pd::occupancy_equilibrium([1.0]), 0.5);
/// assert_eq!(ketasim::pd::occupancy_equilibrium([0.5, 0.5]), 0.5);
/// ```
pub fn occupancy_equilibrium(ratios: impl IntoIterator<Item = f64>) -> f64 {
    let s: f64 = ratios.into_iter().map(|r| r.max(0.0)).sum();
    s / (1.0 + s)
}

/// How occupancy follows concentration.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    try_from = "crate::scenario::de::BindingRepr"
)]
pub enum Binding {
    /// Instant equilibrium with the unbound effect-site concentration.
    #[default]
    Equilibrium,
    /// Binding kinetics as ODE states: `dB_i/dt = kon_i·Cu_i·(1 − ΣB) − koff_i·B_i`, with
    /// `koff_i = koff_factor_i · ln 2 / half_time_min` ([`Ligand::koff_factor`], 1 for the
    /// parent) and `kon_i = koff_i / Ki_i`; `Cu_i` includes the ligand's brain penetration. A
    /// teaching parameter: binding rate constants for ketamine were not found in the literature.
    Kinetic {
        /// Dissociation half-time of the parent drug, min (0.1 – 10 000).
        half_time_min: f64,
    },
}

/// An effect-site equilibration choice: which endpoint the ke0 was fitted for.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Ke0Endpoint {
    /// Id used in scenarios.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// ke0, 1/min.
    pub ke0_per_min: f64,
    /// Source.
    pub source: &'static str,
    /// Provenance.
    pub provenance: Provenance,
}

/// Generic ke0 table by endpoint (reference data file, section 3.3). A model may override an
/// entry with a value fitted to its own PK ([`ModelSpec::ke0_overrides`]).
pub fn ke0_endpoints() -> &'static [Ke0Endpoint] {
    use std::f64::consts::LN_2;
    static E: [Ke0Endpoint; 4] = [
        Ke0Endpoint {
            id: "subjective",
            name: "Subjective effects (drug high, cognition)",
            ke0_per_min: LN_2 / 6.1,
            source: "Olofsen 2012, Anesthesiology 117:353: mean t½ke0 6.1 min (range 0–11.8), \
                     S-ketamine",
            provenance: Provenance::Read,
        },
        Ke0Endpoint {
            id: "eeg",
            name: "EEG slow waves",
            ke0_per_min: LN_2 / (23.0 / 60.0),
            source: "Sleigh 2019, BJA 123:592: t½ke0 23 s (slow waves; theta 47 s), racemic \
                     1.5 mg/kg",
            provenance: Provenance::Read,
        },
        Ke0Endpoint {
            id: "analgesia",
            name: "Antinociception (ANI)",
            ke0_per_min: 0.238,
            source: "Navarrete 2025, J Clin Monit Comput 39:349: ke0 0.238 /min (95% CI \
                     0.20–0.28), fitted with Domino PK; with other models it is borrowed",
            provenance: Provenance::Read,
        },
        Ke0Endpoint {
            id: "tci_tpeak_1min",
            name: "TCI tool (assumed 1-min time to peak)",
            ke0_per_min: 0.652,
            source: "open-source TCI tool, derived by its authors from an assumed 1-min time to \
                     peak effect with Domino PK",
            provenance: Provenance::Code,
        },
    ];
    &E
}

/// The ke0 (1/min) for `endpoint` with `model`: the model's own fitted value where it has one,
/// otherwise the generic table.
pub fn ke0_for(model: &ModelSpec, endpoint: &str) -> Result<f64> {
    if let Some((_, p)) = model.ke0_overrides.iter().find(|(e, _)| *e == endpoint) {
        return Ok(p.canonical(crate::model::REFERENCE_WEIGHT_KG));
    }
    ke0_endpoints()
        .iter()
        .find(|e| e.id == endpoint)
        .map(|e| e.ke0_per_min)
        .ok_or_else(|| unknown_endpoint(endpoint))
}

/// The error for an endpoint id that is neither in the table nor `custom`.
pub(crate) fn unknown_endpoint(endpoint: &str) -> Error {
    let ids: Vec<&str> = ke0_endpoints().iter().map(|e| e.id).collect();
    Error::invalid(
        "pd.ke0_endpoint",
        format!(
            "unknown endpoint '{}'; allowed: {}, custom",
            crate::text::quoted(endpoint, 64),
            ids.join(", ")
        ),
    )
}

/// A concentration landmark for teaching, as a band or a threshold.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Landmark {
    /// Id.
    pub id: &'static str,
    /// What it marks.
    pub name: &'static str,
    /// Lower edge, ng/mL.
    pub low_ng_per_ml: f64,
    /// Upper edge, ng/mL (`None` for a threshold or an open band).
    pub high_ng_per_ml: Option<f64>,
    /// What was measured (plasma, estimated brain concentration).
    pub matrix: &'static str,
    /// The drug form it was measured for: it applies to models of that form only.
    pub drug: DrugForm,
    /// Where it applies and how it is compared: the model's effect-site concentration is in
    /// plasma-equivalent units, so a steady-state plasma level and an estimated effect-site
    /// level are both compared with Ce; this says which, and with which ke0.
    pub site: &'static str,
    /// Source.
    pub source: &'static str,
    /// Provenance.
    pub provenance: Provenance,
    /// Whether the UI draws it as a shaded band on the concentration chart.
    pub band: bool,
}

/// The PD reference data in one table, for a user interface.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PdTables {
    /// Ligands (Ki, fu).
    pub ligands: &'static [Ligand],
    /// ke0 endpoints.
    pub ke0_endpoints: &'static [Ke0Endpoint],
    /// Concentration landmarks, with their edges in µM too.
    pub landmarks: Vec<LandmarkUm>,
}

/// A landmark with its edges converted to µM (every landmark is of ketamine, racemic or
/// S: one molecular weight, [`crate::units::MW_KETAMINE`]).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LandmarkUm {
    /// The landmark.
    #[serde(flatten)]
    pub landmark: Landmark,
    /// Lower edge, µM.
    pub low_um: f64,
    /// Upper edge, µM.
    pub high_um: Option<f64>,
}

/// Every PD table.
pub fn tables() -> PdTables {
    PdTables {
        ligands: ligands(),
        ke0_endpoints: ke0_endpoints(),
        landmarks: landmarks()
            .iter()
            .map(|l| LandmarkUm {
                low_um: l.low_ng_per_ml / crate::units::MW_KETAMINE,
                high_um: l.high_ng_per_ml.map(|h| h / crate::units::MW_KETAMINE),
                landmark: l.clone(),
            })
            .collect(),
    }
}

/// The drug form a model gives and a landmark was measured for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum DrugForm {
    /// Racemic ketamine (50:50 S and R).
    Racemic,
    /// S-ketamine (esketamine).
    S,
}

impl DrugForm {
    /// Its name in a sentence.
    pub fn name(self) -> &'static str {
        match self {
            DrugForm::Racemic => "racemic ketamine",
            DrugForm::S => "esketamine (S-ketamine)",
        }
    }

    /// The drug form of `model`: racemic when its readout is a racemate (one racemic analyte,
    /// or S and R together), S-ketamine when its administered drug is S-ketamine alone.
    pub fn of(model: &ModelSpec) -> DrugForm {
        let has = |l: &str| model.analytes.iter().any(|a| a.ligand == l);
        if model.analytes.first().map(|a| &*a.ligand) == Some("s_ketamine") && !has("r_ketamine") {
            DrugForm::S
        } else {
            DrugForm::Racemic
        }
    }

    /// The landmark from which a patient of this drug counts as dissociated: for racemic
    /// ketamine the lower edge of the dissociative range (100 ng/mL, Krystal 1994 via Zanos
    /// 2018); for S-ketamine the level above which memory and psychotomimetic effects appear
    /// (70 ng/mL, Hartvig 1995, S-ketamine PET).
    pub fn dissociative_onset(self) -> &'static Landmark {
        let id = match self {
            DrugForm::Racemic => "dissociative",
            DrugForm::S => "psychotomimetic_threshold",
        };
        landmarks()
            .iter()
            .find(|l| l.id == id)
            .unwrap_or(&landmarks()[1])
    }

    /// The default recovery threshold, ng/mL (effect site): below the drug's dissociative
    /// onset. \[DERIVED\] from the landmark of [`Self::dissociative_onset`].
    pub fn default_recovery_ng_per_ml(self) -> f64 {
        self.dissociative_onset().low_ng_per_ml
    }

    /// The analytes whose sum is the administered drug as the clinic measures it, and its
    /// id and name: the racemate total S + R where a racemic model carries the enantiomers
    /// separately (landmarks of racemic ketamine are total concentrations), else the first
    /// analyte alone.
    pub fn readout(model: &ModelSpec) -> (Vec<usize>, &str, &str) {
        let find = |l: &str| model.analytes.iter().position(|a| a.ligand == l);
        match (find("s_ketamine"), find("r_ketamine")) {
            (Some(s), Some(r)) => (vec![s, r], "racemate", "Ketamine (S + R)"),
            _ => {
                let a = model.analytes.first();
                (
                    vec![0],
                    a.map_or("drug", |a| &*a.id),
                    a.map_or("Drug", |a| &*a.name),
                )
            }
        }
    }

    /// The landmarks measured for this drug form.
    pub fn landmarks(self) -> impl Iterator<Item = &'static Landmark> {
        landmarks().iter().filter(move |l| l.drug == self)
    }
}

/// Concentration landmarks (reference data file, section 3.4).
pub fn landmarks() -> &'static [Landmark] {
    use Provenance::*;
    static L: [Landmark; 7] = [
        Landmark {
            id: "analgesic",
            name: "Analgesic range (0.15 mg/kg dosing)",
            low_ng_per_ml: 70.0,
            high_ng_per_ml: Some(160.0),
            matrix: "plasma",
            drug: DrugForm::Racemic,
            site: "plasma at steady state (0.15 mg/kg racemic dosing); compared with Ce",
            source: "Zanos 2018, Pharmacol Rev, Table 1",
            provenance: Read2,
            band: true,
        },
        Landmark {
            id: "dissociative",
            name: "Dissociative / psychotomimetic range (0.5 mg/kg regimen)",
            low_ng_per_ml: 100.0,
            high_ng_per_ml: Some(250.0),
            matrix: "plasma",
            drug: DrugForm::Racemic,
            site: "plasma during the 0.5 mg/kg racemic infusion; compared with Ce",
            source: "Krystal 1994, via Zanos 2018",
            provenance: Read2,
            band: true,
        },
        Landmark {
            id: "anaesthetic",
            name: "Anaesthetic (responsiveness lost at 1.64, regained at 1.06 µg/mL)",
            low_ng_per_ml: 1060.0,
            high_ng_per_ml: None,
            matrix: "estimated brain concentration",
            drug: DrugForm::Racemic,
            site: "estimated effect-site (brain) concentration, ke0 half-time 23–47 s (Sleigh 2019: EEG endpoint)",
            source: "Sleigh 2019, BJA 123:592",
            provenance: Read,
            band: true,
        },
        Landmark {
            id: "psychotomimetic_threshold",
            name: "Memory and psychotomimetic effects above",
            low_ng_per_ml: 70.0,
            high_ng_per_ml: None,
            matrix: "plasma (S-ketamine PET)",
            drug: DrugForm::S,
            site: "plasma S-ketamine (PET study); compared with Ce",
            source: "Hartvig 1995",
            provenance: Read,
            band: false,
        },
        Landmark {
            id: "drug_high_c50",
            name: "“Drug high” C50, S-ketamine",
            low_ng_per_ml: 71.0,
            high_ng_per_ml: None,
            matrix: "plasma",
            drug: DrugForm::S,
            site: "plasma S-ketamine C50 of a PK/PD model; compared with Ce",
            source: "Simons 2022b (0.3 nmol/mL)",
            provenance: Read,
            band: false,
        },
        Landmark {
            id: "loss_of_responsiveness",
            name: "Loss of responsiveness",
            low_ng_per_ml: 1640.0,
            high_ng_per_ml: None,
            matrix: "estimated brain concentration",
            drug: DrugForm::Racemic,
            site: "estimated effect-site (brain) concentration, ke0 half-time 23–47 s (Sleigh 2019: EEG endpoint)",
            source: "Sleigh 2019, BJA 123:592",
            provenance: Read,
            band: false,
        },
        Landmark {
            id: "awakening",
            name: "Recovery / “awakening” after anaesthesia",
            low_ng_per_ml: 640.0,
            high_ng_per_ml: Some(750.0),
            matrix: "plasma",
            drug: DrugForm::Racemic,
            site: "plasma after racemic anaesthesia; compared with Ce",
            source: "Idvall 1979; Herd 2007",
            provenance: Read,
            band: false,
        },
    ];
    &L
}

/// The PD of a run, resolved once from the scenario's choices and the model: ke0, the Ki set,
/// the binding model and the ligand of every analyte.
#[derive(Debug, Clone)]
pub struct ResolvedPd {
    /// Effect-site rate constant, 1/min.
    pub ke0_per_min: f64,
    /// Which affinity constants drive occupancy.
    pub ki_set: KiSet,
    /// Equilibrium or kinetic binding.
    pub binding: Binding,
    /// Per analyte of the model: its ligand, or the lookup's error (a model definition bug,
    /// which only kinetic binding turns into an error; at equilibrium the analyte does not
    /// bind).
    ligands: Vec<Result<std::borrow::Cow<'static, Ligand>>>,
}

impl ResolvedPd {
    /// Resolves the ligands of `model`'s analytes.
    pub fn new(model: &ModelSpec, ke0_per_min: f64, ki_set: KiSet, binding: Binding) -> Self {
        ResolvedPd {
            ke0_per_min,
            ki_set,
            binding,
            ligands: model
                .analytes
                .iter()
                .map(|a| match a.binding {
                    Some(spec) => Ok(std::borrow::Cow::Owned(Ligand::user(&spec, binding))),
                    None => ligand(&a.ligand).map(std::borrow::Cow::Borrowed),
                })
                .collect(),
        }
    }

    /// The ligand of analyte `analyte`.
    pub fn ligand(&self, analyte: usize) -> Result<&Ligand> {
        match self.ligands.get(analyte) {
            Some(Ok(l)) => Ok(l),
            Some(Err(e)) => Err(e.clone()),
            None => Err(Error::ModelDefinition {
                model: String::new(),
                problem: format!("no analyte {analyte}"),
            }),
        }
    }

    /// Unbound fraction and Ki (µM, under the chosen set) of analyte `analyte`; `(0, ∞)` for
    /// an analyte without a ligand (it does not bind).
    pub fn fu_ki(&self, analyte: usize) -> (f64, f64) {
        match self.ligands.get(analyte) {
            Some(Ok(l)) => (l.fu, l.ki_um(self.ki_set)),
            _ => (0.0, f64::INFINITY),
        }
    }

    /// Brain penetration relative to the parent of analyte `analyte`
    /// ([`Ligand::brain_penetration`]); 1 for an analyte without a ligand (it does not bind).
    pub fn brain_penetration(&self, analyte: usize) -> f64 {
        match self.ligands.get(analyte) {
            Some(Ok(l)) => l.brain_penetration,
            _ => 1.0,
        }
    }

    /// `true` with kinetic binding (bound fractions are ODE states).
    pub fn is_kinetic(&self) -> bool {
        matches!(self.binding, Binding::Kinetic { .. })
    }
}
