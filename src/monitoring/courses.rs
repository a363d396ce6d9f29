//! The vitals curves of a run: the cited empirical time courses, when the regimen is one they
//! were measured for, and otherwise the concentration-driven link ([`super::calibration`]).
//!
//! # When a course applies (the engine decides)
//!
//! - **IV racemic ketamine, 0.5 mg/kg over 40 min** (Vankawala 2021; Yale 2024; Riva-Posse
//!   2018; Szarmach 2020): every session is one IV infusion of a racemic model, 0.45–0.55 mg/kg
//!   over 36–44 min (±10 % \[ASSUMPTION\]: "about 0.5 mg/kg over about 40 min"), in an adult.
//! - **Esketamine nasal spray, 56 or 84 mg** (Spravato label; Doherty 2020): every session is
//!   2 or 3 devices of an S-ketamine model, in an adult. One device (28 mg) is not scaled from
//!   them: the sources give no dose–response, and scaling by dose would assume a linear one;
//!   such a run falls back to the concentration-driven link.
//! - Each session's course must end (back at baseline) before the next session starts; every
//!   session then gets the same course (Riva-Posse 2018: no tolerance over six infusions
//!   \[READ\]; assumed for the nasal spray).
//! - The mean heart-rate change after the nasal spray was not found (GAP): heart rate is
//!   concentration-driven there.
//!
//! Between the cited points the course is drawn with straight lines \[ASSUMPTION\].

use super::calibration::{Calibration, SignCalibration, S_FRACTION_OF_RACEMATE};
use super::sources::{rounded, Cited, KETASIM};
use super::{Baseline, VitalSign, ILLUSTRATIVE};
use crate::model::{Provenance, Route};
use crate::pd::DrugForm;
use crate::scenario::{DoseKind, PreparedRun};
use crate::simulate::AnalyteSeries;
use crate::timeline::SessionTimeline;
use serde::Serialize;
use ts_rs::TS;

/// How a vitals curve was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum VitalsMode {
    /// The cited time course of the regimen it was measured for.
    Empirical,
    /// The saturating link from the S-ketamine effect-site concentration \[ASSUMPTION /
    /// DERIVED\].
    ConcentrationDriven,
}

impl VitalsMode {
    /// Id in CSV column names.
    pub fn id(self) -> &'static str {
        match self {
            VitalsMode::Empirical => "empirical",
            VitalsMode::ConcentrationDriven => "concentration_driven",
        }
    }
}

/// Dose and duration may differ this much from 0.5 mg/kg over 40 min for the IV course to
/// apply \[ASSUMPTION\].
pub const IV_MATCH_TOLERANCE: f64 = 0.10;
/// The IV course's dose, mg/kg.
pub const IV_DOSE_MG_PER_KG: f64 = 0.5;
/// The IV course's infusion duration, min.
pub const IV_DURATION_MIN: f64 = 40.0;
/// The cited courses were measured in adults, years.
pub const ADULT_YEARS: f64 = 18.0;
/// The nasal course's devices per session (56 and 84 mg).
pub const NASAL_DEVICES: [u32; 2] = [2, 3];
/// Age from which the label's older-adult means apply, years.
pub const OLDER_ADULT_YEARS: f64 = 65.0;

/// Which cited course a run follows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Course {
    /// IV racemic 0.5 mg/kg over 40 min.
    IvRacemic,
    /// Esketamine nasal spray 56/84 mg; `older`: 65 years or more.
    NasalEsketamine {
        /// The patient is 65 or older.
        older: bool,
    },
}

/// The engine's decision: the course (if one applies), and why.
#[derive(Debug, Clone)]
pub(crate) struct Decision {
    pub course: Option<Course>,
    pub why: String,
    /// The scenario asked for the link (`vitals.curve`).
    pub asked: bool,
}

/// A point of a cited course: when (min after the session's start, or after its dosing end),
/// and the fraction of the peak there (0 or 1).
#[derive(Debug, Clone, Copy)]
struct Knot {
    after_dosing_end: bool,
    offset_min: f64,
    fraction: f64,
    source: &'static str,
    provenance: Provenance,
    what: &'static str,
}

impl Course {
    fn knots(self) -> [Knot; 3] {
        let start = Knot {
            after_dosing_end: false,
            offset_min: 0.0,
            fraction: 0.0,
            source: KETASIM,
            provenance: Provenance::Assumption,
            what: "pre-dose baseline at the start of the session",
        };
        match self {
            Course::IvRacemic => [
                start,
                Knot {
                    after_dosing_end: false,
                    offset_min: 40.0,
                    fraction: 1.0,
                    source: "yale2024",
                    provenance: Provenance::Read,
                    what: "peak at 40 min after the start (BP every 10 min; Fang 2019 too: \
                           higher at 40 min than at 0, 100 and 280 min)",
                },
                Knot {
                    after_dosing_end: true,
                    offset_min: 90.0,
                    fraction: 0.0,
                    source: "szarmach2020",
                    provenance: Provenance::Read,
                    what: "back to baseline within 1.5 h after the infusion",
                },
            ],
            Course::NasalEsketamine { .. } => [
                start,
                Knot {
                    after_dosing_end: false,
                    offset_min: 40.0,
                    fraction: 1.0,
                    source: "spravato_label",
                    provenance: Provenance::Read2,
                    what: "increases in BP peak approximately 40 minutes after administration",
                },
                Knot {
                    after_dosing_end: false,
                    offset_min: 90.0,
                    fraction: 0.0,
                    source: "doherty2020",
                    provenance: Provenance::Read2,
                    what: "returned to the predose range by ~1.5 h post-dose (the label says \
                           increases last approximately 4 hours: see the timeline)",
                },
            ],
        }
    }

    /// When the course is back at baseline, min after the session's start.
    fn end_after_start(self, s: &SessionTimeline) -> f64 {
        let k = self.knots()[2];
        k.offset_min
            + if k.after_dosing_end {
                s.dosing_end_min - s.start_min
            } else {
                0.0
            }
    }

    /// `(mean, band low, band high, what the band is)` of `sign`'s peak change, or `None`
    /// where the sources give none.
    fn peak(self, sign: VitalSign) -> Option<([Cited; 3], &'static str)> {
        use Provenance::*;
        match self {
            Course::IvRacemic => Some((
                super::calibration::infusion_anchors(sign),
                match sign {
                    VitalSign::Hr => "the pooled mean's 95 % CI (Vankawala 2021)",
                    _ => "the lowest to the highest cohort mean (Riva-Posse 2018 to Yale 2024)",
                },
            )),
            Course::NasalEsketamine { older } => {
                let (mean, placebo, ages) = match (sign, older) {
                    (VitalSign::Sbp, false) => (13.3, 6.1, "18–64 years"),
                    (VitalSign::Dbp, false) => (8.7, 4.9, "18–64 years"),
                    (VitalSign::Sbp, true) => (16.0, 11.1, "65 years and over"),
                    (VitalSign::Dbp, true) => (9.5, 6.8, "65 years and over"),
                    (VitalSign::Hr, _) => return None,
                };
                let which = if sign == VitalSign::Sbp {
                    "systolic"
                } else {
                    "diastolic"
                };
                let share = mean - placebo;
                Some((
                    [
                        Cited::new(
                            mean,
                            "mmHg",
                            "doherty2020",
                            Read2,
                            format!(
                                "mean maximum post-dose {which} rise, esketamine + oral \
                                 antidepressant, {ages} (two 4-week studies)"
                            ),
                        ),
                        Cited::new(
                            share,
                            "mmHg",
                            KETASIM,
                            Derived,
                            format!(
                                "placebo-adjusted: {mean} − {placebo} (placebo spray + oral \
                                 antidepressant, Doherty 2020) = {} mmHg, the drug's share",
                                rounded(share, 1)
                            ),
                        ),
                        Cited::new(
                            mean,
                            "mmHg",
                            "doherty2020",
                            Read2,
                            format!("the mean with esketamine, {ages}"),
                        ),
                    ],
                    "from the drug's share (placebo-adjusted difference) to the mean with \
                     esketamine: no CI or range was read",
                ))
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Course::IvRacemic => "IV racemic ketamine 0.5 mg/kg over 40 min",
            Course::NasalEsketamine { .. } => "esketamine nasal spray 56 or 84 mg",
        }
    }
}

/// Decides which cited course the run follows, if any, and says why.
pub(crate) fn decide(run: &PreparedRun, sessions: &[SessionTimeline]) -> Decision {
    let no = |why: String| Decision {
        course: None,
        why,
        asked: false,
    };
    let sc = run.scenario;
    let age = sc.patient.age_years;
    let choice = sc.vitals.as_ref().and_then(|v| v.curve).unwrap_or_default();
    if choice == super::CurveChoice::ConcentrationDriven {
        return Decision {
            course: None,
            why: "the scenario asks for the concentration-driven link (vitals.curve)".into(),
            asked: true,
        };
    }
    if sessions.is_empty() {
        return no("no administration within the simulated time".into());
    }
    if age < ADULT_YEARS {
        return no(format!(
            "the cited courses were measured in adults; the patient is {age} years old"
        ));
    }
    let routes: Vec<Route> = sessions
        .iter()
        .flat_map(|s| s.items.iter())
        .filter_map(|&i| sc.regimen.get(i).map(|it| it.route))
        .collect();
    let all = |r: Route| routes.iter().all(|&x| x == r);
    let course = match run.drug {
        DrugForm::Racemic if all(Route::Iv) => Course::IvRacemic,
        DrugForm::S if all(Route::Intranasal) => Course::NasalEsketamine {
            older: age >= OLDER_ADULT_YEARS,
        },
        drug => {
            let d = match drug {
                DrugForm::Racemic => "racemic ketamine",
                DrugForm::S => "S-ketamine",
            };
            let mut r: Vec<&str> = Vec::new();
            for id in routes.iter().map(|r| r.id()) {
                if !r.contains(&id) {
                    r.push(id);
                }
            }
            return no(format!(
                "{d} by {}: a course was measured only for IV racemic ketamine (0.5 mg/kg over \
                 40 min) and esketamine nasal spray (56 or 84 mg)",
                r.join(" and ")
            ));
        }
    };
    let w = sc.patient.weight_kg;
    let tol = IV_MATCH_TOLERANCE;
    let within = |x: f64, target: f64| (x - target).abs() <= tol * target + 1e-9;
    for (k, s) in sessions.iter().enumerate() {
        let n = k + 1;
        match course {
            Course::IvRacemic => {
                let one = s.administration_times_min.len() == 1 && s.items.len() == 1;
                let item = s.items.first().and_then(|&i| sc.regimen.get(i));
                let infusion = item.is_some_and(|it| it.kind == DoseKind::Infusion);
                if !one || !infusion {
                    return no(format!(
                        "session {n} is not one IV infusion: the cited course is for one \
                         infusion of 0.5 mg/kg over 40 min"
                    ));
                }
                let mg_per_kg = s.administered_mg / w;
                let minutes = s.dosing_end_min - s.start_min;
                if !within(mg_per_kg, IV_DOSE_MG_PER_KG) || !within(minutes, IV_DURATION_MIN) {
                    return no(format!(
                        "session {n} is {} mg/kg over {minutes} min: the cited \
                         course is for 0.5 mg/kg over 40 min (±10 % accepted)",
                        rounded(mg_per_kg, 3)
                    ));
                }
            }
            Course::NasalEsketamine { .. } => {
                let per_device = run
                    .model
                    .route(Route::Intranasal)
                    .and_then(|r| r.device.as_ref())
                    .map(|d| d.mg_per_device);
                let devices = per_device.map(|d| (s.administered_mg / d).round() as u32);
                if !devices.is_some_and(|d| NASAL_DEVICES.contains(&d)) {
                    return no(format!(
                        "session {n} is {} mg: the trials' mean rises are for 56 and 84 mg; \
                         they are not scaled to other doses (no dose–response was published)",
                        s.administered_mg
                    ));
                }
            }
        }
        if let Some(next) = sessions.get(k + 1) {
            let end = s.start_min + course.end_after_start(s);
            if next.start_min < end {
                return no(format!(
                    "session {} starts before session {n}'s course is back at baseline ({} \
                     min after its start)",
                    n + 1,
                    course.end_after_start(s)
                ));
            }
        }
    }
    let mut why = format!(
        "every session is {}{}: the regimen the cited course was measured for",
        course.name(),
        match course {
            Course::NasalEsketamine { older: true } => ", in a patient of 65 or over",
            Course::NasalEsketamine { older: false } => ", in an adult under 65",
            Course::IvRacemic => ", in an adult",
        }
    );
    if sessions.len() > 1 {
        why.push_str(
            "; each session gets the same course (Riva-Posse 2018: no tolerance over six IV \
             infusions [READ]; assumed for the nasal spray)",
        );
    }
    Decision {
        course: Some(course),
        why,
        asked: false,
    }
}

/// What drives the concentration-driven link: the S-ketamine effect-site concentration of the
/// run, ng/mL, and which series it is.
pub(crate) struct Drive {
    pub ce_ng_per_ml: Vec<f64>,
    pub what: String,
}

/// The model's S-ketamine effect site, or half the racemate's where racemic ketamine is one
/// analyte (\[ASSUMPTION\] 50:50).
pub(crate) fn s_ketamine_effect_site(run: &PreparedRun, analytes: &[AnalyteSeries]) -> Drive {
    let s = run
        .model
        .analytes
        .iter()
        .position(|a| a.ligand == "s_ketamine")
        .and_then(|i| analytes.get(i));
    match (s, analytes.first()) {
        (Some(a), _) => Drive {
            ce_ng_per_ml: a.ce_ng_per_ml.clone(),
            what: format!("the model's {} effect site", a.name),
        },
        (None, Some(a)) => Drive {
            ce_ng_per_ml: a
                .ce_ng_per_ml
                .iter()
                .map(|c| S_FRACTION_OF_RACEMATE * c)
                .collect(),
            what: format!("half of the {} effect site (S:R 50:50, ASSUMPTION)", a.name),
        },
        (None, None) => Drive {
            ce_ng_per_ml: Vec::new(),
            what: "no analyte".into(),
        },
    }
}

/// One vital sign over the run: its change from the pre-dose value (mean and band) and the
/// absolute value, **illustrative**, with how it was obtained.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct VitalSeries {
    /// Which sign.
    pub sign: VitalSign,
    /// Name for people.
    pub name: &'static str,
    /// Unit.
    pub unit: &'static str,
    /// `ILLUSTRATIVE`.
    pub label: &'static str,
    /// Empirical or concentration-driven.
    pub mode: VitalsMode,
    /// Why this mode (the engine's decision in words).
    pub why: String,
    /// The source(s), short, for the chart.
    pub source_label: String,
    /// The mean peak change the curve is built on.
    pub mean: Cited,
    /// The band's lower edge at the peak.
    pub band_low: Cited,
    /// The band's upper edge at the peak.
    pub band_high: Cited,
    /// What the band is.
    pub band: String,
    /// The cited points of the course (time after the start, or after the end of dosing),
    /// empty when concentration-driven.
    pub knots: Vec<Cited>,
    /// Change from the pre-dose value (mean), in `unit`.
    #[ts(type = "Float64Array")]
    pub change: Vec<f64>,
    /// Change, band's lower edge.
    #[ts(type = "Float64Array")]
    pub change_low: Vec<f64>,
    /// Change, band's upper edge.
    #[ts(type = "Float64Array")]
    pub change_high: Vec<f64>,
    /// Pre-dose value + change (mean).
    #[ts(type = "Float64Array")]
    pub value: Vec<f64>,
    /// Pre-dose value + change, band's lower edge.
    #[ts(type = "Float64Array")]
    pub value_low: Vec<f64>,
    /// Pre-dose value + change, band's upper edge.
    #[ts(type = "Float64Array")]
    pub value_high: Vec<f64>,
    /// The mean curve's largest change, in `unit`.
    pub peak_change: f64,
    /// When (first grid time of the largest change), min.
    pub peak_at_min: f64,
    /// The absolute value there.
    pub peak_value: f64,
}

/// The empirical fraction of the peak at time `x` for a session (piecewise linear through
/// the knots; 0 outside the course).
fn course_fraction(course: Course, s: &SessionTimeline, x: f64) -> f64 {
    let ks = course.knots();
    let at = |k: &Knot| {
        s.start_min
            + k.offset_min
            + if k.after_dosing_end {
                s.dosing_end_min - s.start_min
            } else {
                0.0
            }
    };
    for w in ks.windows(2) {
        let (a, b) = (at(&w[0]), at(&w[1]));
        if x >= a && x <= b && b > a {
            return w[0].fraction + (w[1].fraction - w[0].fraction) * (x - a) / (b - a);
        }
    }
    0.0
}

/// The series of `sign`.
pub(crate) fn series(
    sign: VitalSign,
    decision: &Decision,
    drive: &Drive,
    t: &[f64],
    sessions: &[SessionTimeline],
    baseline: &Baseline,
    cal: &Calibration,
) -> VitalSeries {
    let empirical = decision.course.and_then(|c| c.peak(sign).map(|p| (c, p)));
    let (mode, why, source_label, [mean, low, high], band, knots, change, lo, hi) = match empirical
    {
        Some((course, ([mean, low, high], band))) => {
            let curve = |peak: f64| -> Vec<f64> {
                t.iter()
                    .map(|&x| {
                        peak * sessions
                            .iter()
                            .map(|s| course_fraction(course, s, x))
                            .sum::<f64>()
                    })
                    .collect()
            };
            let knots = course
                .knots()
                .iter()
                .map(|k| {
                    Cited::new(
                        k.offset_min,
                        "min",
                        k.source,
                        k.provenance,
                        format!(
                            "{} min after the {}: {}",
                            k.offset_min,
                            if k.after_dosing_end {
                                "end of dosing"
                            } else {
                                "start"
                            },
                            k.what
                        ),
                    )
                })
                .collect();
            let short = |id: &'static str| super::source(id).map_or(id, |s| s.short);
            let label = format!(
                "{} course: mean {} ({}); peak {}, back {}; band: {}",
                course.name(),
                short(mean.source),
                mean.provenance.label(),
                short(course.knots()[1].source),
                short(course.knots()[2].source),
                band
            );
            (
                super::VitalsMode::Empirical,
                decision.why.clone(),
                label,
                [mean.clone(), low.clone(), high.clone()],
                band.to_string(),
                knots,
                curve(mean.value),
                curve(low.value),
                curve(high.value),
            )
        }
        None => {
            let why = match decision.course {
                Some(Course::NasalEsketamine { .. }) => format!(
                    "the mean {} change after esketamine nasal spray was not found in the \
                     sources (GAP), so it follows the effect-site concentration",
                    sign.name_lower()
                ),
                _ if decision.asked => decision.why.clone(),
                _ => format!(
                    "no cited course applies ({}), so it follows the effect-site concentration",
                    decision.why
                ),
            };
            let sc: Option<&SignCalibration> = cal.sign(sign);
            let link = |ec50: Option<f64>| -> Vec<f64> {
                drive
                    .ce_ng_per_ml
                    .iter()
                    .map(|&c| match (sc, ec50) {
                        (Some(s), Some(e)) => s.change(c, e),
                        _ => 0.0,
                    })
                    .collect()
            };
            let anchors = super::calibration::infusion_anchors(sign);
            let label = format!(
                "concentration-driven: Emax link on {} (calibrated: infusion mean Vankawala \
                 2021, maxima Långsjö 2005) [ASSUMPTION / DERIVED]",
                drive.what
            );
            (
                super::VitalsMode::ConcentrationDriven,
                why,
                label,
                anchors,
                match sign {
                    VitalSign::Hr => "the link calibrated to the pooled mean's 95 % CI \
                                      (Vankawala 2021)"
                        .into(),
                    _ => "the link calibrated to the lowest and highest cohort means \
                          (Riva-Posse 2018, Yale 2024)"
                        .into(),
                },
                Vec::new(),
                link(sc.map(|s| s.ec50_ng_per_ml.value)),
                link(sc.map(|s| s.ec50_low_ng_per_ml.value)),
                link(sc.map(|s| s.ec50_high_ng_per_ml.value)),
            )
        }
    };
    let b = baseline.of(sign).value;
    let abs = |v: &[f64]| v.iter().map(|d| b + d).collect::<Vec<f64>>();
    let (peak_change, peak_at_min) = crate::metrics::cmax_tmax(t, &change);
    VitalSeries {
        sign,
        name: sign.name(),
        unit: sign.unit(),
        label: ILLUSTRATIVE,
        mode,
        why,
        source_label,
        mean,
        band_low: low,
        band_high: high,
        band,
        knots,
        value: abs(&change),
        value_low: abs(&lo),
        value_high: abs(&hi),
        peak_value: b + peak_change,
        change,
        change_low: lo,
        change_high: hi,
        peak_change,
        peak_at_min,
    }
}
