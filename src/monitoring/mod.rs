//! The monitoring panel: **illustrative** blood pressure and heart rate over the session, the
//! cited side-effect incidences, and the monitoring rules of the clinic timeline. Every number
//! is a [`Cited`]: a value, its unit, the id of its [`CitedSource`] and its provenance label.
//!
//! No published, parameterised PK/PD model of ketamine on blood pressure or heart rate could
//! be read. So the vitals curve of a run is one of two things, decided here per vital sign
//! and said in the result ([`VitalSeries::mode`], [`VitalSeries::why`]):
//!
//! - **empirical**: the cited time course, for the regimens it was measured for (IV racemic
//!   ketamine ≈ 0.5 mg/kg over ≈ 40 min; esketamine nasal spray 56 or 84 mg), with the
//!   reported mean and a band ([`courses`]);
//! - **concentration-driven**: a saturating link from the S-ketamine effect-site
//!   concentration, calibrated to the infusion mean and the anaesthetic-range maxima
//!   ([`calibration`]).
//!
//! ```
//! use ketasim::{presets, simulate};
//! use ketasim::monitoring::{VitalSign, VitalsMode};
//! let r = simulate(&presets::get("antidepressant_40min")?.scenario)?;
//! let sbp = r.monitoring.vital(VitalSign::Sbp).unwrap();
//! assert_eq!(sbp.mode, VitalsMode::Empirical);
//! assert_eq!(sbp.peak_change, 12.61); // the meta-analysis mean (Vankawala 2021)
//! assert_eq!(sbp.peak_at_min, 40.0);
//! assert!(r.monitoring.label.contains("ILLUSTRATIVE"));
//! # Ok::<(), ketasim::Error>(())
//! ```

pub mod calibration;
pub mod courses;
pub mod rules;
pub mod side_effects;
mod sources;

pub use calibration::Calibration;
pub use courses::{VitalSeries, VitalsMode};
pub use rules::{PredoseCheck, SessionMonitoring, Threshold};
pub use side_effects::SideEffects;
pub use sources::{source, sources, Cited, CitedSource, KETASIM};

use crate::error::{check_range, Error, Result};
use crate::model::Provenance;
use crate::scenario::limits::{BASELINE_DBP_MMHG, BASELINE_HR_BPM, BASELINE_SBP_MMHG};
use crate::scenario::PreparedRun;
use crate::simulate::AnalyteSeries;
use crate::timeline::SessionTimeline;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The word every vitals curve carries, on the page, in the PNG and in the CSV.
pub const ILLUSTRATIVE: &str = "ILLUSTRATIVE";

/// A vital sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum VitalSign {
    /// Systolic blood pressure, mmHg.
    Sbp,
    /// Diastolic blood pressure, mmHg.
    Dbp,
    /// Heart rate, beats/min.
    Hr,
}

impl VitalSign {
    /// In display order.
    pub const ALL: [VitalSign; 3] = [VitalSign::Sbp, VitalSign::Dbp, VitalSign::Hr];

    /// Id in CSV column names.
    pub fn id(self) -> &'static str {
        match self {
            VitalSign::Sbp => "sbp",
            VitalSign::Dbp => "dbp",
            VitalSign::Hr => "hr",
        }
    }

    /// Name for people.
    pub fn name(self) -> &'static str {
        match self {
            VitalSign::Sbp => "Systolic blood pressure",
            VitalSign::Dbp => "Diastolic blood pressure",
            VitalSign::Hr => "Heart rate",
        }
    }

    /// Name in running text.
    pub fn name_lower(self) -> &'static str {
        match self {
            VitalSign::Sbp => "systolic blood pressure",
            VitalSign::Dbp => "diastolic blood pressure",
            VitalSign::Hr => "heart rate",
        }
    }

    /// Unit.
    pub fn unit(self) -> &'static str {
        match self {
            VitalSign::Hr => "beats/min",
            _ => "mmHg",
        }
    }

    /// Unit in CSV column names.
    pub fn unit_id(self) -> &'static str {
        match self {
            VitalSign::Hr => "bpm",
            _ => "mmhg",
        }
    }
}

/// Pre-dose vital signs of the patient (scenario field `vitals`; each default 120/80 mmHg and
/// 70 beats/min, an \[ASSUMPTION\] for illustration). They move the absolute curves; the
/// rises do not depend on them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct VitalsOptions {
    /// Systolic blood pressure before dosing, mmHg (60–250; default 120).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_sbp_mmhg: Option<f64>,
    /// Diastolic blood pressure before dosing, mmHg (30–150, below the systolic; default 80).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_dbp_mmhg: Option<f64>,
    /// Heart rate before dosing, beats/min (30–200; default 70).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_hr_bpm: Option<f64>,
    /// Which curve: `auto` (default: the cited course where one applies) or
    /// `concentration_driven` (the calibrated link, to compare with the course).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curve: Option<CurveChoice>,
}

/// Which vitals curve a scenario asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum CurveChoice {
    /// The cited course where the regimen is one it was measured for, else the link.
    #[default]
    Auto,
    /// The concentration-driven link whatever the regimen.
    ConcentrationDriven,
}

impl VitalsOptions {
    /// Checks the fields; errors name the field, the value and the allowed range.
    ///
    /// ```
    /// use ketasim::monitoring::VitalsOptions;
    /// let v = VitalsOptions { baseline_sbp_mmhg: Some(300.0), ..Default::default() };
    /// let e = v.validate().unwrap_err().to_string();
    /// assert_eq!(e, "vitals.baseline_sbp_mmhg = 300 is out of range: allowed 60 to 250 mmHg");
    /// ```
    pub fn validate(&self) -> Result<()> {
        for (field, v, (lo, hi), unit) in [
            (
                "vitals.baseline_sbp_mmhg",
                self.baseline_sbp_mmhg,
                BASELINE_SBP_MMHG,
                "mmHg",
            ),
            (
                "vitals.baseline_dbp_mmhg",
                self.baseline_dbp_mmhg,
                BASELINE_DBP_MMHG,
                "mmHg",
            ),
            (
                "vitals.baseline_hr_bpm",
                self.baseline_hr_bpm,
                BASELINE_HR_BPM,
                "beats/min",
            ),
        ] {
            if let Some(x) = v {
                check_range(|| field.into(), x, lo, hi, unit)?;
            }
        }
        let b = Baseline::of_options(Some(self));
        if b.dbp_mmhg.value >= b.sbp_mmhg.value {
            return Err(Error::invalid(
                "vitals.baseline_dbp_mmhg",
                format!(
                    "{} mmHg must be below the systolic baseline ({} mmHg)",
                    b.dbp_mmhg.value, b.sbp_mmhg.value
                ),
            ));
        }
        Ok(())
    }
}

/// Default pre-dose systolic pressure, mmHg \[ASSUMPTION\].
pub const DEFAULT_SBP_MMHG: f64 = 120.0;
/// Default pre-dose diastolic pressure, mmHg \[ASSUMPTION\].
pub const DEFAULT_DBP_MMHG: f64 = 80.0;
/// Default pre-dose heart rate, beats/min \[ASSUMPTION\].
pub const DEFAULT_HR_BPM: f64 = 70.0;

/// Pre-dose values, each with its provenance (the scenario's input, or the assumed default).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Baseline {
    /// Systolic, mmHg.
    pub sbp_mmhg: Cited,
    /// Diastolic, mmHg.
    pub dbp_mmhg: Cited,
    /// Heart rate, beats/min.
    pub hr_bpm: Cited,
}

impl Baseline {
    /// The reference baseline of the calibration (the defaults).
    pub fn reference() -> Self {
        Self::of_options(None)
    }

    /// The scenario's values, or the defaults.
    pub fn of_options(o: Option<&VitalsOptions>) -> Self {
        let cite = |given: Option<f64>, default: f64, unit, what: &str| match given {
            Some(v) => Cited::new(
                v,
                unit,
                KETASIM,
                Provenance::Assumption,
                format!("{what} before dosing: the scenario's input"),
            ),
            None => Cited::new(
                default,
                unit,
                KETASIM,
                Provenance::Assumption,
                format!("{what} before dosing: a typical adult value chosen for illustration"),
            ),
        };
        Baseline {
            sbp_mmhg: cite(
                o.and_then(|o| o.baseline_sbp_mmhg),
                DEFAULT_SBP_MMHG,
                "mmHg",
                "systolic pressure",
            ),
            dbp_mmhg: cite(
                o.and_then(|o| o.baseline_dbp_mmhg),
                DEFAULT_DBP_MMHG,
                "mmHg",
                "diastolic pressure",
            ),
            hr_bpm: cite(
                o.and_then(|o| o.baseline_hr_bpm),
                DEFAULT_HR_BPM,
                "beats/min",
                "heart rate",
            ),
        }
    }

    /// The value of `sign`.
    pub fn of(&self, sign: VitalSign) -> &Cited {
        match sign {
            VitalSign::Sbp => &self.sbp_mmhg,
            VitalSign::Dbp => &self.dbp_mmhg,
            VitalSign::Hr => &self.hr_bpm,
        }
    }
}

/// The monitoring panel of a run.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Monitoring {
    /// `ILLUSTRATIVE`: shown with every vitals curve.
    pub label: &'static str,
    /// What the curves are and are not.
    pub statement: &'static str,
    /// The pre-dose values.
    pub baseline: Baseline,
    /// Systolic, diastolic, heart rate.
    pub vitals: Vec<VitalSeries>,
    /// Reference lines, each with its source.
    pub thresholds: Vec<Threshold>,
    /// What the thresholds apply to for this run's drug and route.
    pub thresholds_scope: &'static str,
    /// The pre-dose blood pressure against the label's 140/90.
    pub predose: PredoseCheck,
    /// The concentration-driven link's calibration.
    pub calibration: Calibration,
    /// The monitoring rules of each session (the clinic timeline).
    pub sessions: Vec<SessionMonitoring>,
    /// Side-effect incidences for the route in use.
    pub side_effects: SideEffects,
    /// Every source referred to.
    pub sources: &'static [CitedSource],
}

impl Monitoring {
    /// The series of `sign`.
    pub fn vital(&self, sign: VitalSign) -> Option<&VitalSeries> {
        self.vitals.iter().find(|v| v.sign == sign)
    }

    /// Lines for a text summary (the CLI's): each sign's peak, its mode and why, the
    /// pre-dose check and the side-effect table in use.
    pub fn summary_lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "vitals ({}, typical patient; pre-dose {}/{} mmHg, {} beats/min):",
            self.label,
            self.baseline.sbp_mmhg.value,
            self.baseline.dbp_mmhg.value,
            self.baseline.hr_bpm.value
        )];
        for v in &self.vitals {
            out.push(format!(
                "  {:<24} peak {:+.1} {} at {:.1} min ({:.1} {}), {}: {}",
                v.name,
                v.peak_change,
                v.unit,
                v.peak_at_min,
                v.peak_value,
                v.unit,
                v.mode.id().replace('_', "-"),
                v.why
            ));
        }
        out.push(format!("  {}", self.predose.text));
        out.push(format!(
            "side effects: {} ({}){}",
            self.side_effects.title,
            self.side_effects.reason,
            if self.side_effects.applies {
                ""
            } else {
                "; not this regimen's"
            }
        ));
        out
    }
}

/// The CSV columns of the vitals curves, four per sign (change: mean, band's low and high
/// edges; the absolute value), each named with `illustrative` and the curve's mode.
///
/// ```
/// let r = ketasim::simulate(&ketasim::presets::get("antidepressant_40min")?.scenario)?;
/// let cols = ketasim::monitoring::csv_columns(&r.monitoring);
/// assert_eq!(cols[0], "sbp_change_mmhg_illustrative_empirical");
/// assert_eq!(cols.len(), 12);
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn csv_columns(m: &Monitoring) -> Vec<String> {
    m.vitals
        .iter()
        .flat_map(|v| {
            let (s, u, mode) = (v.sign.id(), v.sign.unit_id(), v.mode.id());
            [
                format!("{s}_change_{u}_illustrative_{mode}"),
                format!("{s}_change_low_{u}_illustrative_{mode}"),
                format!("{s}_change_high_{u}_illustrative_{mode}"),
                format!("{s}_{u}_illustrative_{mode}"),
            ]
        })
        .collect()
}

/// The monitoring panel of a run on the grid `t` (min), from its analytes' effect-site series
/// and its session timeline.
pub(crate) fn compute(
    run: &PreparedRun,
    t: &[f64],
    analytes: &[AnalyteSeries],
    sessions: &[SessionTimeline],
) -> Result<Monitoring> {
    let cal = calibration::calibration()?;
    let baseline = Baseline::of_options(run.scenario.vitals.as_ref());
    let course = courses::decide(run, sessions);
    let drive = courses::s_ketamine_effect_site(run, analytes);
    let vitals = VitalSign::ALL
        .into_iter()
        .map(|sign| courses::series(sign, &course, &drive, t, sessions, &baseline, cal))
        .collect();
    Ok(Monitoring {
        label: ILLUSTRATIVE,
        statement: "Illustrative, not a published model: no parameterised PK/PD model of \
                    ketamine on blood pressure or heart rate could be read. The cited time \
                    course where the regimen is one it was measured for, otherwise a \
                    saturating link from the effect-site concentration calibrated to cited \
                    anchors. Typical patient only.",
        predose: rules::predose(&baseline, run.scenario.patient.age_years),
        thresholds: rules::thresholds(),
        thresholds_scope: rules::thresholds_scope(run),
        sessions: rules::sessions(run, sessions),
        side_effects: side_effects::for_run(run),
        calibration: cal.clone(),
        baseline,
        vitals,
        sources: sources(),
    })
}
