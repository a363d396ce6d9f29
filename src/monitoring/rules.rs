//! The monitoring rules: blood-pressure thresholds (reference lines), the pre-dose check, and
//! each session's checks and cited courses for the clinic timeline.

use super::sources::Cited;
use super::{Baseline, VitalSign};
use crate::model::{Provenance, Route};
use crate::pd::DrugForm;
use crate::scenario::{DoseKind, PreparedRun};
use crate::timeline::SessionTimeline;
use serde::Serialize;
use ts_rs::TS;

/// Whether a threshold is on the value itself or on the rise from the pre-dose value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdKind {
    /// The measured value, e.g. 140 mmHg.
    Absolute,
    /// The rise from the pre-dose value, e.g. +40 mmHg.
    Rise,
}

/// A reference line of the vitals chart.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Threshold {
    /// Id.
    pub id: &'static str,
    /// The sign it is about.
    pub sign: VitalSign,
    /// Absolute value or rise.
    pub kind: ThresholdKind,
    /// The level, with its source.
    pub value: Cited,
    /// When it is checked: `before dosing` or `after dosing`.
    pub when: &'static str,
    /// The rule in words (what the source says happens at it).
    pub rule: &'static str,
}

/// The thresholds of the sources (all from esketamine nasal spray data; see
/// [`thresholds_scope`]).
pub fn thresholds() -> Vec<Threshold> {
    use Provenance::*;
    use ThresholdKind::*;
    let t = |id, sign, kind, value, source, provenance, note: &str, when, rule| Threshold {
        id,
        sign,
        kind,
        value: Cited::new(value, "mmHg", source, provenance, note),
        when,
        rule,
    };
    vec![
        t(
            "predose_sbp",
            VitalSign::Sbp,
            Absolute,
            140.0,
            "jnj_antihypertensive",
            Read2,
            "assess blood pressure before dosing; above 140/90 mmHg weigh benefit and risk \
             (label's general guide). The phase 3 trials withheld dosing above 140 (150 over 65 \
             years) / 90 mmHg (J&J medical information)",
            "before dosing",
            "above 140 mmHg before dosing: weigh benefit and risk",
        ),
        t(
            "predose_dbp",
            VitalSign::Dbp,
            Absolute,
            90.0,
            "jnj_antihypertensive",
            Read2,
            "assess blood pressure before dosing; above 140/90 mmHg weigh benefit and risk \
             (label's general guide)",
            "before dosing",
            "above 90 mmHg before dosing: weigh benefit and risk",
        ),
        t(
            "rise_sbp_40",
            VitalSign::Sbp,
            Rise,
            40.0,
            "spravato_label",
            Read2,
            "a systolic rise of ≥ 40 mmHg in the first 1.5 h: 8–19 % of SPRAVATO vs 1–4 % of \
             placebo patients at least once in the first 4 weeks; label table: 8 % vs 0.5 % \
             (< 65 years), 17 % vs 2 % (≥ 65 years)",
            "after dosing",
            "rise of 40 mmHg or more (label's threshold-crossing count)",
        ),
        t(
            "rise_dbp_25",
            VitalSign::Dbp,
            Rise,
            25.0,
            "spravato_label",
            Read2,
            "a diastolic rise of ≥ 25 mmHg in the first 1.5 h; label table: 13 % vs 3 % (< 65 \
             years), 14 % vs 3 % (≥ 65 years)",
            "after dosing",
            "rise of 25 mmHg or more (label's threshold-crossing count)",
        ),
        t(
            "sbp_180",
            VitalSign::Sbp,
            Absolute,
            180.0,
            "spravato_label",
            Read2,
            "label table: systolic ≥ 180 mmHg in 3 % (< 65 years) and 3 % (≥ 65 years) vs 2 % \
             of placebo (≥ 65). Del Sant 2020 (subcutaneous esketamine) counted > 180/110 as \
             transient hypertension in 14 of 70 patients. As a rule to stop: UNVERIFIED",
            "after dosing",
            "systolic 180 mmHg or more (label's table; a stop rule is UNVERIFIED)",
        ),
        t(
            "dbp_110",
            VitalSign::Dbp,
            Absolute,
            110.0,
            "spravato_label",
            Read2,
            "label table: diastolic ≥ 110 mmHg in 4 % (< 65 years) vs 0.5 % of placebo. As a \
             rule to stop: UNVERIFIED",
            "after dosing",
            "diastolic 110 mmHg or more (label's table; a stop rule is UNVERIFIED)",
        ),
    ]
}

/// What the thresholds apply to for this run's drug and route.
pub fn thresholds_scope(run: &PreparedRun) -> &'static str {
    let nasal = run
        .scenario
        .regimen
        .iter()
        .all(|i| i.route == Route::Intranasal);
    match (run.drug, nasal) {
        (DrugForm::S, true) => "The esketamine nasal spray's own thresholds (label).",
        _ => {
            "From the esketamine nasal spray label: no numeric blood-pressure threshold for \
             this drug and route was read (APA 2017 and CANMAT 2021 numbers: UNVERIFIED)."
        }
    }
}

/// The pre-dose blood pressure against the label's 140/90 mmHg.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PredoseCheck {
    /// Above 140 systolic or 90 diastolic.
    pub above: bool,
    /// The check in words.
    pub text: String,
}

/// The pre-dose check of `baseline` for a patient of `age_years`.
pub fn predose(baseline: &Baseline, age_years: f64) -> PredoseCheck {
    let (s, d) = (baseline.sbp_mmhg.value, baseline.dbp_mmhg.value);
    let above = s > 140.0 || d > 90.0;
    let older = if age_years > 65.0 {
        " (the phase 3 trials held the dose above 150 systolic over 65 years)"
    } else {
        ""
    };
    PredoseCheck {
        above,
        text: if above {
            format!(
                "Pre-dose {s}/{d} mmHg is above 140/90: the label's general guide is to weigh \
                 benefit and risk before dosing{older}."
            )
        } else {
            format!("Pre-dose {s}/{d} mmHg is within 140/90 (label's general guide){older}.")
        },
    }
}

/// A blood-pressure check in a session.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BpCheck {
    /// When, min.
    pub at_min: f64,
    /// What and why.
    pub what: &'static str,
    /// Source id.
    pub source: &'static str,
    /// Provenance.
    pub provenance: Provenance,
}

/// A cited course in a session: from its start to its peak and its end.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CitedCourse {
    /// What it is.
    pub what: &'static str,
    /// Start, min.
    pub from_min: f64,
    /// Peak, min.
    pub peak_min: f64,
    /// End (resolved, back at baseline), min.
    pub to_min: f64,
    /// The source of the times, with its words.
    pub source: &'static str,
    /// Provenance.
    pub provenance: Provenance,
    /// The source's words.
    pub text: &'static str,
    /// Another source's end where the sources disagree, min.
    pub other_to_min: Option<f64>,
    /// That source.
    pub other_source: Option<&'static str>,
    /// Its words.
    pub other_text: Option<&'static str>,
}

/// A statement of the timeline, with its sources.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MonitoringStatement {
    /// The statement.
    pub text: &'static str,
    /// Source ids.
    pub sources: Vec<&'static str>,
    /// Provenance.
    pub provenance: Provenance,
}

/// The monitoring rules of one session (the clinic timeline).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SessionMonitoring {
    /// Session number, from 1.
    pub number: usize,
    /// Blood-pressure checks.
    pub checks: Vec<BpCheck>,
    /// The checks in a few words.
    pub checks_summary: &'static str,
    /// The cited blood-pressure course (peak, back at baseline).
    pub bp_course: Option<CitedCourse>,
    /// The cited CADSS (dissociation) course.
    pub cadss: Option<CitedCourse>,
    /// Rules and disagreements in words.
    pub statements: Vec<MonitoringStatement>,
}

/// Every session's monitoring rules.
pub fn sessions(run: &PreparedRun, sessions: &[SessionTimeline]) -> Vec<SessionMonitoring> {
    sessions.iter().map(|s| session(run, s)).collect()
}

fn session(run: &PreparedRun, s: &SessionTimeline) -> SessionMonitoring {
    use Provenance::*;
    let items: Vec<_> = s
        .items
        .iter()
        .filter_map(|&i| run.scenario.regimen.get(i))
        .collect();
    let nasal = !items.is_empty() && items.iter().all(|i| i.route == Route::Intranasal);
    let infusion = !items.is_empty()
        && items
            .iter()
            .all(|i| i.route == Route::Iv && matches!(i.kind, DoseKind::Infusion | DoseKind::Tci));
    let (start, end) = (s.start_min, s.dosing_end_min);
    let mut out = SessionMonitoring {
        number: s.number,
        checks: Vec::new(),
        checks_summary: "",
        bp_course: None,
        cadss: None,
        statements: Vec::new(),
    };
    if run.drug == DrugForm::S && nasal {
        out.checks = vec![
            BpCheck {
                at_min: start,
                what: "blood pressure before dosing",
                source: "spravato_hcp",
                provenance: Read2,
            },
            BpCheck {
                at_min: start + 40.0,
                what: "blood pressure about 40 minutes after administration, then as clinically \
                       warranted",
                source: "spravato_hcp",
                provenance: Read2,
            },
        ];
        out.checks_summary = "before dosing and about 40 min after";
        out.bp_course = Some(CitedCourse {
            what: "blood-pressure rise",
            from_min: start,
            peak_min: start + 40.0,
            to_min: start + 90.0,
            source: "doherty2020",
            provenance: Read2,
            text: "mean back in the predose range by ~1.5 h post-dose (J&J medical information: \
                   typically within 2 hours)",
            other_to_min: Some(start + 240.0),
            other_source: Some("spravato_label"),
            other_text: Some(
                "increases in BP peak approximately 40 minutes after \
                              administration and last approximately 4 hours",
            ),
        });
        out.cadss = Some(CitedCourse {
            what: "dissociation (CADSS)",
            from_min: start,
            peak_min: start + 40.0,
            to_min: start + 90.0,
            source: "jnj_dissociation",
            provenance: Read2,
            text: "begins shortly after dosing, peaks at 40 min, generally resolved by 1.5 h; \
                   attenuates with repeated dosing",
            other_to_min: None,
            other_source: None,
            other_text: None,
        });
        out.statements.push(MonitoringStatement {
            text: "The sources disagree on how long the blood-pressure rise lasts: the label says \
                   about 4 hours; the trials found the mean back at the pre-dose range by about \
                   1.5 h (Doherty 2020), typically within 2 h (J&J). The chart follows the trials; \
                   the label's 4 h is marked.",
            sources: vec!["spravato_label", "doherty2020", "jnj_cardiovascular"],
            provenance: Read2,
        });
    } else if run.drug == DrugForm::Racemic && infusion {
        out.checks.push(BpCheck {
            at_min: start,
            what: "blood pressure before the infusion",
            source: "riva_posse2018",
            provenance: Read,
        });
        let mut t = start + 10.0;
        while t <= end + 1e-9 {
            out.checks.push(BpCheck {
                at_min: t,
                what: "blood pressure every 10 min during the infusion (Emory; Yale the same)",
                source: "riva_posse2018",
                provenance: Read,
            });
            t += 10.0;
        }
        let mut t = end + 15.0;
        while t <= end + 90.0 + 1e-9 {
            out.checks.push(BpCheck {
                at_min: t,
                what: "blood pressure every 15 min after the infusion (Emory), drawn until 1.5 h \
                       after it, when blood pressure is back at baseline (Szarmach 2020)",
                source: "riva_posse2018",
                provenance: Read,
            });
            t += 15.0;
        }
        out.checks_summary = "before, every 10 min during, every 15 min after (Emory practice)";
        out.bp_course = Some(CitedCourse {
            what: "blood-pressure rise",
            from_min: start,
            peak_min: start + 40.0,
            to_min: end + 90.0,
            source: "szarmach2020",
            provenance: Read,
            text: "peak at 40 min after the start (Yale 2024); blood pressure and heart rate back \
                   to baseline within 1.5 h after the infusion (Szarmach 2020)",
            other_to_min: None,
            other_source: None,
            other_text: None,
        });
        out.statements.push(MonitoringStatement {
            text: "The checks are the practice of the 0.5 mg/kg depression infusions; no CADSS \
                   time course and no observation time for IV racemic ketamine were read (the \
                   esketamine label asks for at least 2 h). Riva-Posse 2018: no infusion of 684 \
                   was stopped for vital signs.",
            sources: vec!["riva_posse2018", "yale2024", "szarmach2020"],
            provenance: Read,
        });
    } else {
        out.statements.push(MonitoringStatement {
            text: "No monitoring schedule for this drug and route was read: the cited rules are \
                   for IV racemic infusions (depression) and esketamine nasal spray.",
            sources: vec!["riva_posse2018", "spravato_hcp"],
            provenance: Read2,
        });
    }
    out
}
