//! Side-effect incidences against placebo, as cited, for the route in use: IV racemic ketamine
//! or esketamine nasal spray. No concentration–response is drawn: none was published for
//! nausea, vomiting or dizziness.

use super::sources::Cited;
use crate::model::{Provenance, Route};
use crate::pd::DrugForm;
use crate::scenario::PreparedRun;
use serde::Serialize;
use ts_rs::TS;

/// Which table of incidences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum SideEffectSet {
    /// IV racemic ketamine (depression infusions; sedation).
    IvRacemic,
    /// Esketamine nasal spray (label and trials).
    NasalEsketamine,
}

/// One source's column of the table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct IncidenceColumn {
    /// Short name.
    pub name: &'static str,
    /// The arms and their sizes.
    pub arms: &'static str,
    /// Source id.
    pub source: &'static str,
    /// Provenance of its numbers.
    pub provenance: Provenance,
}

/// One cell: an incidence with placebo (and counts where read), or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IncidenceCell {
    /// Reported.
    Reported {
        /// Patients with the effect on the drug, %.
        drug: Cited,
        /// On placebo, % (`None`: no placebo arm).
        placebo: Option<Cited>,
        /// Counts as printed, e.g. `142/346 vs 21/222`.
        counts: Option<&'static str>,
    },
    /// Not in what was read.
    NotReported {
        /// Why.
        why: &'static str,
    },
}

/// One side effect across the columns.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct EffectRow {
    /// Id.
    pub id: &'static str,
    /// Name.
    pub effect: &'static str,
    /// One cell per column.
    pub cells: Vec<IncidenceCell>,
}

/// A cited statement under the table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SideEffectNote {
    /// The statement (its numbers are the source's).
    pub text: &'static str,
    /// Source id.
    pub source: &'static str,
    /// Provenance.
    pub provenance: Provenance,
}

/// The side-effect panel of a run.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SideEffects {
    /// The table shown.
    pub set: SideEffectSet,
    /// Its title.
    pub title: &'static str,
    /// Whether it is the run's drug and route (else shown for reference only).
    pub applies: bool,
    /// Why this table.
    pub reason: String,
    /// Sources (columns).
    pub columns: Vec<IncidenceColumn>,
    /// Effects (rows).
    pub rows: Vec<EffectRow>,
    /// Cited statements.
    pub notes: Vec<SideEffectNote>,
    /// That no concentration–response is drawn, and why.
    pub no_concentration_response: &'static str,
}

const EFFECTS: [(&str, &str); 6] = [
    ("dissociation", "Dissociation"),
    ("dizziness", "Dizziness"),
    ("nausea", "Nausea"),
    ("vomiting", "Vomiting"),
    ("sedation", "Sedation"),
    ("bp_increased", "Blood pressure increased"),
];

/// No concentration–response was published for these effects.
pub const NO_CONCENTRATION_RESPONSE: &str = "No concentration–response relation for nausea, \
    vomiting or dizziness was found (GAP): these are incidences per patient over a study (the \
    label's over 4 weeks), not per concentration, so none is drawn against the curves. Closest: \
    in 1 039 paediatric sedations vomiting was not related to the initial dose (0.2–2.4 mg/kg); \
    7.0 % up to a total of 7 mg/kg vs 11.1 % above it (Thorp 2009).";

fn reported(
    drug: f64,
    placebo: Option<f64>,
    counts: Option<&'static str>,
    source: &'static str,
    provenance: Provenance,
    what: &'static str,
) -> IncidenceCell {
    IncidenceCell::Reported {
        drug: Cited::new(drug, "%", source, provenance, what),
        placebo: placebo.map(|p| Cited::new(p, "%", source, provenance, "placebo arm")),
        counts,
    }
}

const NOT_READ_TRD: &str = "the first page of the label's TRD table was not read (GAP)";
const NOT_IN_PART: &str = "not in the part of this table that was read";

fn nasal() -> (Vec<IncidenceColumn>, Vec<EffectRow>, Vec<SideEffectNote>) {
    use Provenance::*;
    let columns = vec![
        IncidenceColumn {
            name: "Label, TRD (short-term)",
            arms: "SPRAVATO + oral antidepressant n = 346 vs placebo + antidepressant n = 222",
            source: "spravato_label",
            provenance: Read2,
        },
        IncidenceColumn {
            name: "Label, MDSI 84 mg",
            arms: "84 mg n = 227 vs placebo n = 225",
            source: "spravato_label",
            provenance: Read2,
        },
        IncidenceColumn {
            name: "ASPIRE I+II pooled",
            arms: "esketamine vs placebo (both with standard care)",
            source: "aspire2021",
            provenance: Read,
        },
    ];
    let lbl = |d, p, c, w| reported(d, Some(p), Some(c), "spravato_label", Read2, w);
    let asp = |d, p| {
        reported(
            d,
            Some(p),
            None,
            "aspire2021",
            Read,
            "ASPIRE I+II pooled, Table 2",
        )
    };
    let no = |why| IncidenceCell::NotReported { why };
    let cells: [[IncidenceCell; 3]; 6] = [
        [
            lbl(41.0, 9.0, "142/346 vs 21/222", "TRD table"),
            no(NOT_IN_PART),
            asp(33.9, 5.8),
        ],
        [
            lbl(29.0, 8.0, "101/346 vs 17/222", "TRD table"),
            no(NOT_IN_PART),
            asp(38.3, 13.8),
        ],
        [
            no(NOT_READ_TRD),
            lbl(27.0, 14.0, "61/227 vs 31/225", "MDSI table"),
            asp(26.9, 13.8),
        ],
        [
            no(NOT_READ_TRD),
            lbl(11.0, 5.0, "26/227 vs 12/225", "MDSI table"),
            asp(11.5, 5.3),
        ],
        [
            lbl(23.0, 9.0, "79/346 vs 21/222", "TRD table"),
            no(NOT_IN_PART),
            no("not in the row of the table that was read"),
        ],
        [
            no(NOT_READ_TRD),
            lbl(15.0, 6.0, "34/227 vs 14/225", "MDSI table"),
            asp(11.5, 4.0),
        ],
    ];
    let rows = EFFECTS
        .iter()
        .zip(cells)
        .map(|(&(id, effect), c)| EffectRow {
            id,
            effect,
            cells: c.to_vec(),
        })
        .collect();
    let notes = vec![
        SideEffectNote {
            text: "Dissociative or perceptual changes: 61–75 % of treated patients (2019 label).",
            source: "spravato_label",
            provenance: Read2,
        },
        SideEffectNote {
            text: "Dissociative or perceptual changes (CADSS total > 4 and a rise): 61–84 % vs \
                   5–16 % with placebo (later label).",
            source: "jnj_dissociation",
            provenance: Read2,
        },
        SideEffectNote {
            text: "Dissociation as an adverse event: 40.4 % (690/1 709) of all treated; double \
                   blind 37.6 % vs 6.2 %.",
            source: "jnj_dissociation",
            provenance: Read2,
        },
        SideEffectNote {
            text: "Sedation measured by MOAA/S: 48–61 % of patients; loss of consciousness \
                   0.3–0.4 %.",
            source: "spravato_label",
            provenance: Read2,
        },
        SideEffectNote {
            text: "Blood pressure increased as an adverse event: 12.8 % of all treated (phase \
                   2/3); double blind 11.6 % vs 3.9 % (odds ratio 3.2). Abnormal heart rate or \
                   tachycardia 3.0 %; double blind 1.6 % vs 0.8 %.",
            source: "doherty2020",
            provenance: Read,
        },
        SideEffectNote {
            text: "Tachycardia 4 % vs 1 % (label, MDSI table).",
            source: "spravato_label",
            provenance: Read2,
        },
    ];
    (columns, rows, notes)
}

fn iv() -> (Vec<IncidenceColumn>, Vec<EffectRow>, Vec<SideEffectNote>) {
    use Provenance::*;
    let columns = vec![
        IncidenceColumn {
            name: "Depression infusions (chart review)",
            arms: "138 patients, 2 342 infusions; no placebo arm",
            source: "yale2024",
            provenance: Read,
        },
        IncidenceColumn {
            name: "Paediatric ED sedation",
            arms: "1 039 sedations, 0.2–2.4 mg/kg initial dose (route not stated in the abstract \
                   read); no placebo arm",
            source: "thorp2009",
            provenance: Read,
        },
    ];
    const GAP: &str = "no placebo-controlled incidence after IV racemic ketamine was found (GAP)";
    let no = |why| IncidenceCell::NotReported { why };
    let rows = EFFECTS
        .iter()
        .map(|&(id, effect)| EffectRow {
            id,
            effect,
            cells: match id {
                "vomiting" => vec![
                    no(GAP),
                    reported(
                        7.0,
                        None,
                        None,
                        "thorp2009",
                        Read,
                        "vomiting in 7 % of all sedations (not placebo-controlled)",
                    ),
                ],
                "bp_increased" => vec![
                    reported(
                        12.5,
                        None,
                        Some("17/138 patients; 23/2 342 sessions (0.98 %)"),
                        "yale2024",
                        Read,
                        "\"severe hypertension\" (definition not retrieved) in 12.5 % of patients",
                    ),
                    no("not reported"),
                ],
                _ => vec![no(GAP), no("not reported")],
            },
        })
        .collect();
    let notes = vec![
        SideEffectNote {
            text: "No difference in blood-pressure rise between ketamine and esketamine in the \
                   meta-analysis.",
            source: "vankawala2021",
            provenance: Read,
        },
        SideEffectNote {
            text: "No infusion of 684 was stopped for vital signs; blood pressure returned to \
                   baseline during post-infusion monitoring.",
            source: "riva_posse2018",
            provenance: Read,
        },
        SideEffectNote {
            text: "Severe hypertension: 43.4 % of the events in the first 3 infusions; every \
                   patient with a history of hypertension surged; age odds ratio 1.04 per year \
                   for a systolic surge.",
            source: "yale2024",
            provenance: Read,
        },
    ];
    (columns, rows, notes)
}

/// The side-effect panel for the run's drug and route.
///
/// ```
/// use ketasim::{presets, simulate};
/// let r = simulate(&presets::get("spravato_84")?.scenario)?;
/// let se = &r.monitoring.side_effects;
/// assert!(se.applies);
/// assert_eq!(se.rows[0].effect, "Dissociation");
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn for_run(run: &PreparedRun) -> SideEffects {
    let routes: Vec<Route> = run.scenario.regimen.iter().map(|i| i.route).collect();
    let all = |r: Route| !routes.is_empty() && routes.iter().all(|&x| x == r);
    let (set, applies, reason) = match run.drug {
        DrugForm::S if all(Route::Intranasal) => (
            SideEffectSet::NasalEsketamine,
            true,
            "esketamine nasal spray: the label's and the trials' incidences".to_string(),
        ),
        DrugForm::Racemic if all(Route::Iv) => (
            SideEffectSet::IvRacemic,
            true,
            "IV racemic ketamine: what the sources report (no placebo-controlled trial table was \
             read)"
                .to_string(),
        ),
        DrugForm::S => (
            SideEffectSet::NasalEsketamine,
            false,
            "no incidences were read for S-ketamine by this route: the nasal spray's are shown \
             for reference, not for this regimen"
                .to_string(),
        ),
        DrugForm::Racemic => (
            SideEffectSet::IvRacemic,
            false,
            "no incidences were read for racemic ketamine by this route: the IV ones are shown \
             for reference, not for this regimen"
                .to_string(),
        ),
    };
    let (title, (columns, rows, notes)) = match set {
        SideEffectSet::NasalEsketamine => ("Esketamine nasal spray vs placebo", nasal()),
        SideEffectSet::IvRacemic => ("IV racemic ketamine", iv()),
    };
    SideEffects {
        set,
        title,
        applies,
        reason,
        columns,
        rows,
        notes,
        no_concentration_response: NO_CONCENTRATION_RESPONSE,
    }
}
