//! Built-in teaching scenarios, ready to edit, each with the claims its text makes as data
//! ([`Claim`]) so that a test can check every claim against a simulation.

use crate::error::{Error, Result};
use crate::model::Route;
use crate::pd::{Binding, KiSet};
use crate::scenario::{
    DoseItem, DoseKind, Patient, PdOptions, Scenario, Schedule, Sex, SolverOptions,
};
use crate::simulate::SimulationResult;
use serde::Serialize;
use ts_rs::TS;

/// A named scenario with a one-line explanation for the class.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Preset {
    /// Id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// A few words for a button.
    pub short: &'static str,
    /// What it demonstrates.
    pub description: &'static str,
    /// The scenario.
    pub scenario: Scenario,
    /// What the description states, as machine-checkable claims about the scenario's result
    /// (checked for every preset by the test suite, [`Claim::check`]).
    pub claims: Vec<Claim>,
}

/// A statement about a preset's simulation result, checkable by [`Claim::check`]. Every
/// concentration is of the administered drug (analyte 0); "effect site" is its effect-site
/// concentration with the scenario's ke0.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Claim {
    /// The effect-site peak is at or above `ng_per_ml` (`what`: the level and its source).
    CeMaxAbove {
        /// Level, ng/mL.
        ng_per_ml: f64,
        /// The level and its source.
        what: &'static str,
    },
    /// The effect-site peak of every session lies within the landmark's band (at or above
    /// its lower edge and, if it has one, at or below its upper edge).
    SessionPeaksInLandmark {
        /// Landmark id ([`crate::pd::landmarks`]).
        landmark: &'static str,
    },
    /// After the last dosing ends, the effect site falls for good below `ng_per_ml` between
    /// `low_min` and `high_min` after the end of dosing.
    CeFallsBelowWithin {
        /// Level, ng/mL.
        ng_per_ml: f64,
        /// The level and its source.
        what: &'static str,
        /// Earliest, min after the end of dosing.
        low_min: f64,
        /// Latest, min after the end of dosing.
        high_min: f64,
    },
    /// The effect site reaches the dissociative onset before the first session's dosing ends.
    DissociatedDuringDosing,
    /// In every session the effect site falls below the recovery threshold within `max_min`
    /// of the end of that session's dosing.
    EverySessionRecoveredWithin {
        /// Latest, min after the end of dosing.
        max_min: f64,
    },
    /// The plasma concentration at the end of the first session's dosing is at or above
    /// `ng_per_ml`.
    CpAtDosingEndAbove {
        /// Level, ng/mL.
        ng_per_ml: f64,
        /// The level and its source.
        what: &'static str,
    },
    /// The plasma peak lies within `[low, high]` ng/mL.
    CmaxWithin {
        /// Lowest, ng/mL.
        low_ng_per_ml: f64,
        /// Highest, ng/mL.
        high_ng_per_ml: f64,
        /// The range and its source.
        what: &'static str,
    },
    /// The plasma peak comes `low_min`–`high_min` after the end of the first session's dosing
    /// (the last spray, the end of an infusion).
    TmaxAfterDosingEndWithin {
        /// Earliest, min.
        low_min: f64,
        /// Latest, min.
        high_min: f64,
    },
    /// The terminal half-life (ln 2 / λz of the model) lies within `[low, high]` h.
    TerminalHalfLifeWithin {
        /// Shortest, h.
        low_h: f64,
        /// Longest, h.
        high_h: f64,
    },
    /// Bioavailability `F = CL · AUC0–∞ / dose` (CL of the model for the patient) lies within
    /// `[low, high]`.
    BioavailabilityWithin {
        /// Lowest fraction.
        low: f64,
        /// Highest fraction.
        high: f64,
    },
    /// The number of sessions (the engine's session timeline).
    Sessions {
        /// Sessions within the horizon.
        count: usize,
    },
    /// No accumulation: at the start of every session after the first, the plasma
    /// concentration is below `max_fraction` of the plasma peak.
    NoAccumulation {
        /// Largest trough as a fraction of the peak.
        max_fraction: f64,
    },
    /// The plasma peak divided by that of another preset lies within `[low, high]`.
    CmaxRelativeTo {
        /// The other preset's id.
        preset: &'static str,
        /// Lowest ratio.
        low: f64,
        /// Highest ratio.
        high: f64,
    },
    /// AUC0–∞ divided by that of another preset lies within `[low, high]`.
    AucRelativeTo {
        /// The other preset's id.
        preset: &'static str,
        /// Lowest ratio.
        low: f64,
        /// Highest ratio.
        high: f64,
    },
    /// Longer at or above the dissociative onset than with another preset.
    DissociatedLongerThan {
        /// The other preset's id.
        preset: &'static str,
    },
    /// Every target of every TCI session is reached within `max_min` of being set, and the
    /// quantity never goes more than `max_overshoot_percent` past it.
    TciTargetsReached {
        /// Latest, min after the target was set.
        max_min: f64,
        /// Largest excursion past the target, %.
        max_overshoot_percent: f64,
    },
}

/// The outcome of checking one [`Claim`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCheck {
    /// Whether the claim holds.
    pub holds: bool,
    /// What was measured, in words with numbers.
    pub detail: String,
}

fn within(x: f64, low: f64, high: f64) -> bool {
    (low..=high).contains(&x)
}

/// Linear interpolation of the series `c` on the grid `t` at `at`.
fn value_at(t: &[f64], c: &[f64], at: f64) -> f64 {
    let k = t.partition_point(|&x| x < at);
    if k == 0 {
        return c[0];
    }
    if k >= t.len() {
        return c[c.len() - 1];
    }
    let (t0, t1) = (t[k - 1], t[k]);
    c[k - 1] + (c[k] - c[k - 1]) * (at - t0) / (t1 - t0)
}

impl Claim {
    /// Checks the claim against `r`, the result of the preset's scenario; `simulate_preset`
    /// gives the result of another preset for the comparative claims.
    ///
    /// ```
    /// use ketasim::presets;
    /// let p = presets::get("induction_bolus")?;
    /// let r = ketasim::simulate(&p.scenario)?;
    /// for claim in &p.claims {
    ///     let c = claim.check(&r, &|id| ketasim::simulate(&presets::get(id)?.scenario))?;
    ///     assert!(c.holds, "{}", c.detail);
    /// }
    /// # Ok::<(), ketasim::Error>(())
    /// ```
    pub fn check(
        &self,
        r: &SimulationResult,
        simulate_preset: &dyn Fn(&str) -> Result<SimulationResult>,
    ) -> Result<ClaimCheck> {
        let t = &r.t_min;
        let a = &r.analytes[0];
        let m = &r.metrics.analytes[0];
        let first_end = r.sessions.first().map_or(0.0, |s| s.dosing_end_min);
        let (holds, detail) = match *self {
            Claim::CeMaxAbove { ng_per_ml, what } => (
                m.ce_max_ng_per_ml >= ng_per_ml,
                format!(
                    "effect-site peak {:.0} ng/mL vs {what} {ng_per_ml} ng/mL",
                    m.ce_max_ng_per_ml
                ),
            ),
            Claim::SessionPeaksInLandmark { landmark } => {
                let l = crate::pd::landmarks()
                    .iter()
                    .find(|l| l.id == landmark)
                    .ok_or_else(|| {
                        Error::invalid("claim.landmark", format!("unknown landmark '{landmark}'"))
                    })?;
                let high = l.high_ng_per_ml.unwrap_or(f64::INFINITY);
                let peaks: Vec<f64> = r
                    .sessions
                    .iter()
                    .map(|s| {
                        t.iter()
                            .zip(&a.ce_ng_per_ml)
                            .filter(|(&x, _)| x >= s.start_min && x < s.until_min)
                            .map(|(_, &c)| c)
                            .fold(0.0, f64::max)
                    })
                    .collect();
                (
                    !peaks.is_empty() && peaks.iter().all(|&p| within(p, l.low_ng_per_ml, high)),
                    format!(
                        "effect-site peaks per session {peaks:.0?} ng/mL vs {} {}–{high} ng/mL",
                        l.name, l.low_ng_per_ml
                    ),
                )
            }
            Claim::CeFallsBelowWithin {
                ng_per_ml,
                what,
                low_min,
                high_min,
            } => {
                let end = r.metrics.recovery.dosing_end_min;
                let below = crate::metrics::recovery_time(t, &a.ce_ng_per_ml, ng_per_ml, end);
                (
                    below.is_some_and(|b| within(b - end, low_min, high_min)),
                    format!(
                        "effect site below {what} {ng_per_ml} ng/mL {:?} min after dosing \
                         (claimed {low_min}–{high_min})",
                        below.map(|b| b - end)
                    ),
                )
            }
            Claim::DissociatedDuringDosing => {
                let s = r.sessions.first();
                let from = s.and_then(|s| s.dissociated_from_min);
                (
                    from.is_some_and(|f| f < first_end),
                    format!("dissociated from {from:?} min; dosing ends at {first_end} min"),
                )
            }
            Claim::TciTargetsReached {
                max_min,
                max_overshoot_percent,
            } => {
                let steps: Vec<_> = r.metrics.tci.iter().flat_map(|o| &o.steps).collect();
                let worst_time = steps
                    .iter()
                    .map(|s| s.time_to_target_min.unwrap_or(f64::INFINITY))
                    .fold(0.0, f64::max);
                let worst_over = steps
                    .iter()
                    .filter_map(|s| s.overshoot_percent)
                    .fold(0.0, f64::max);
                (
                    !steps.is_empty()
                        && worst_time <= max_min
                        && worst_over <= max_overshoot_percent,
                    format!(
                        "{} target(s): reached within {worst_time:.1} min (≤ {max_min}), at \
                         most {worst_over:.3} % past (≤ {max_overshoot_percent} %)",
                        steps.len()
                    ),
                )
            }
            Claim::EverySessionRecoveredWithin { max_min } => {
                let after: Vec<Option<f64>> = r
                    .sessions
                    .iter()
                    .map(|s| s.below_recovery_after_dosing_min)
                    .collect();
                (
                    !after.is_empty() && after.iter().all(|a| a.is_some_and(|a| a <= max_min)),
                    format!("below the recovery threshold {after:.0?} min after dosing (claimed ≤ {max_min})"),
                )
            }
            Claim::CpAtDosingEndAbove { ng_per_ml, what } => {
                let cp = value_at(t, &a.cp_ng_per_ml, first_end);
                (
                    cp >= ng_per_ml,
                    format!(
                        "plasma {cp:.0} ng/mL at the end of dosing vs {what} {ng_per_ml} ng/mL"
                    ),
                )
            }
            Claim::CmaxWithin {
                low_ng_per_ml,
                high_ng_per_ml,
                what,
            } => (
                within(m.cmax_ng_per_ml, low_ng_per_ml, high_ng_per_ml),
                format!(
                    "plasma peak {:.1} ng/mL vs {what} {low_ng_per_ml}–{high_ng_per_ml} ng/mL",
                    m.cmax_ng_per_ml
                ),
            ),
            Claim::TmaxAfterDosingEndWithin { low_min, high_min } => {
                let d = m.tmax_min - first_end;
                (
                    within(d, low_min, high_min),
                    format!(
                        "plasma peak {d:.1} min after dosing ends (claimed {low_min}–{high_min})"
                    ),
                )
            }
            Claim::TerminalHalfLifeWithin { low_h, high_h } => {
                let h = m
                    .lambda_z_per_min
                    .map(|l| std::f64::consts::LN_2 / l / 60.0);
                (
                    h.is_some_and(|h| within(h, low_h, high_h)),
                    format!("terminal half-life {h:.2?} h (claimed {low_h}–{high_h})"),
                )
            }
            Claim::BioavailabilityWithin { low, high } => {
                let model = crate::models::get(&r.model_id)?;
                let cl = model.derived(r.scenario.patient.weight_kg)?.cl_l_per_min;
                // ng·h/mL = mg·h/L; × 60 → mg·min/L
                let auc = m.auc_0_inf_ng_h_per_ml.unwrap_or(f64::NAN) / 1000.0 * 60.0;
                let f = cl * auc / r.metrics.administered_mg;
                (
                    within(f, low, high),
                    format!("bioavailability {f:.3} (claimed {low}–{high})"),
                )
            }
            Claim::Sessions { count } => (
                r.sessions.len() == count,
                format!("{} sessions (claimed {count})", r.sessions.len()),
            ),
            Claim::NoAccumulation { max_fraction } => {
                let troughs: Vec<f64> = r
                    .sessions
                    .iter()
                    .skip(1)
                    .map(|s| value_at(t, &a.cp_ng_per_ml, s.start_min) / m.cmax_ng_per_ml)
                    .collect();
                let largest = troughs.iter().copied().fold(0.0, f64::max);
                (
                    troughs.iter().all(|&f| f <= max_fraction),
                    format!(
                        "plasma before a later session at most {largest:.1e} of the peak \
                         (claimed ≤ {max_fraction})"
                    ),
                )
            }
            Claim::CmaxRelativeTo { preset, low, high } => {
                let o = simulate_preset(preset)?;
                let ratio = m.cmax_ng_per_ml / o.metrics.analytes[0].cmax_ng_per_ml;
                (
                    within(ratio, low, high),
                    format!("plasma peak {ratio:.3}× that of '{preset}' (claimed {low}–{high})"),
                )
            }
            Claim::AucRelativeTo { preset, low, high } => {
                let o = simulate_preset(preset)?;
                let ratio = m.auc_0_inf_ng_h_per_ml.unwrap_or(f64::NAN)
                    / o.metrics.analytes[0]
                        .auc_0_inf_ng_h_per_ml
                        .unwrap_or(f64::NAN);
                (
                    within(ratio, low, high),
                    format!("AUC0–∞ {ratio:.3}× that of '{preset}' (claimed {low}–{high})"),
                )
            }
            Claim::DissociatedLongerThan { preset } => {
                let o = simulate_preset(preset)?;
                (
                    r.metrics.dissociated_min > o.metrics.dissociated_min,
                    format!(
                        "dissociated {:.1} min vs {:.1} min with '{preset}'",
                        r.metrics.dissociated_min, o.metrics.dissociated_min
                    ),
                )
            }
        };
        Ok(ClaimCheck { holds, detail })
    }
}

fn iv(kind: DoseKind, mg_per_kg: f64, duration_min: Option<f64>, schedule: Schedule) -> DoseItem {
    DoseItem {
        route: Route::Iv,
        kind,
        dose_mg_per_kg: Some(mg_per_kg),
        duration_min,
        schedule,
        ..DoseItem::default()
    }
}

fn item(
    route: Route,
    mg_per_kg: Option<f64>,
    devices: Option<u32>,
    schedule: Schedule,
) -> DoseItem {
    DoseItem {
        route,
        dose_mg_per_kg: mg_per_kg,
        devices,
        schedule,
        ..DoseItem::default()
    }
}

fn with_model(mut s: Scenario, model: &str) -> Scenario {
    s.model = model.into();
    s
}

fn scenario(name: &str, regimen: Vec<DoseItem>, horizon_min: f64, step: f64) -> Scenario {
    Scenario {
        name: Some(name.into()),
        patient: Patient {
            weight_kg: 70.0,
            age_years: 40.0,
            sex: Sex::Unspecified,
            race: crate::model::Race::Unspecified,
            clearance_multiplier: 1.0,
        },
        model: crate::models::DEFAULT_MODEL.into(),
        model_spec: None,
        regimen,
        horizon_min,
        output_step_min: step,
        pd: PdOptions {
            ki_set: KiSet::BindingAssay,
            binding: Binding::Equilibrium,
            ..PdOptions::default()
        },
        solver: SolverOptions::default(),
        population: None,
        vitals: None,
    }
}

/// The preset a new page starts from.
pub const DEFAULT: &str = "antidepressant_40min";

fn with_ke0(mut s: Scenario, endpoint: &str) -> Scenario {
    s.pd.ke0_endpoint = endpoint.into();
    s
}

/// The six-infusion series (Murrough 2013): Mon/Wed/Fri over 12 days, at 10:00.
const SERIES_DAYS: [f64; 6] = [0.0, 2.0, 4.0, 7.0, 9.0, 11.0];

/// All presets.
pub fn all() -> Vec<Preset> {
    use Claim::*;
    let once = Schedule::default;
    let standard = "antidepressant_40min";
    vec![
        Preset {
            id: "antidepressant_40min",
            short: "0.5 mg/kg over 40 min",
            title: "Antidepressant infusion: 0.5 mg/kg over 40 min",
            description: "The standard IV regimen for treatment-resistant depression (Andrade \
                          2017): the effect site enters the dissociative range (100–250 ng/mL, \
                          Krystal 1994) during the infusion and falls below the recovery \
                          threshold within an hour after it. Plasma at the end of the infusion \
                          is at or above the 185 ng/mL measured in venous blood (Zarate 2006); \
                          this model is arterial.",
            scenario: scenario(
                "Antidepressant infusion 0.5 mg/kg over 40 min",
                vec![iv(DoseKind::Infusion, 0.5, Some(40.0), once())],
                360.0,
                1.0,
            ),
            claims: vec![
                SessionPeaksInLandmark {
                    landmark: "dissociative",
                },
                DissociatedDuringDosing,
                EverySessionRecoveredWithin { max_min: 60.0 },
                CpAtDosingEndAbove {
                    ng_per_ml: 185.0,
                    what: "venous plasma at the end of the infusion (Zarate 2006)",
                },
            ],
        },
        Preset {
            id: "antidepressant_1mgkg",
            short: "1.0 mg/kg over 40 min",
            title: "Higher dose: 1.0 mg/kg over 40 min",
            description: "Some patients need 0.75–1.0 mg/kg (Andrade 2017): twice the \
                          concentrations of the standard dose, longer in the dissociative band.",
            scenario: scenario(
                "1.0 mg/kg over 40 min",
                vec![iv(DoseKind::Infusion, 1.0, Some(40.0), once())],
                360.0,
                1.0,
            ),
            claims: vec![
                CmaxRelativeTo {
                    preset: standard,
                    low: 2.0 - 1e-9,
                    high: 2.0 + 1e-9,
                },
                DissociatedLongerThan { preset: standard },
            ],
        },
        Preset {
            id: "analgesic_bolus",
            short: "Analgesic bolus",
            title: "Analgesic bolus: 0.15 mg/kg IV",
            description: "Sub-anaesthetic analgesia with 0.15–0.3 mg/kg boluses (Lahti 2001: \
                          0.3 mg/kg → 120 ng/mL). The effect-site peak lies in the analgesic \
                          range (70–160 ng/mL at 0.15 mg/kg dosing, Zanos 2018).",
            scenario: scenario(
                "Analgesic bolus 0.15 mg/kg",
                vec![iv(DoseKind::Bolus, 0.15, None, once())],
                240.0,
                0.5,
            ),
            claims: vec![SessionPeaksInLandmark {
                landmark: "analgesic",
            }],
        },
        Preset {
            id: "induction_bolus",
            short: "Induction bolus",
            title: "Anaesthetic induction: 2 mg/kg IV bolus",
            description: "Induction with 1–2 mg/kg racemic ketamine (SmPC). With the EEG ke0 \
                          (t½ke0 23 s) that the landmarks were estimated with (Sleigh 2019), \
                          the effect-site concentration crosses the loss-of-responsiveness \
                          level (1.64 µg/mL) and falls below the return-of-responsiveness level \
                          (1.06 µg/mL) about 10 min after the bolus.",
            scenario: with_ke0(
                scenario(
                    "Induction 2 mg/kg bolus",
                    vec![iv(DoseKind::Bolus, 2.0, None, once())],
                    240.0,
                    0.1,
                ),
                "eeg",
            ),
            claims: vec![
                CeMaxAbove {
                    ng_per_ml: 1640.0,
                    what: "loss of responsiveness (Sleigh 2019)",
                },
                CeFallsBelowWithin {
                    ng_per_ml: 1060.0,
                    what: "return of responsiveness (Sleigh 2019)",
                    low_min: 5.0,
                    high_min: 15.0,
                },
            ],
        },
        Preset {
            id: "course_6_infusions",
            short: "Six-infusion course",
            title: "Course: six 0.5 mg/kg infusions over 12 days",
            description: "Murrough 2013: up to six 0.5 mg/kg infusions, three times a week \
                          (Mon/Wed/Fri) over 12 days; no accumulation between sessions.",
            scenario: scenario(
                "Six infusions, Mon/Wed/Fri, 12 days",
                vec![iv(
                    DoseKind::Infusion,
                    0.5,
                    Some(40.0),
                    Schedule::AtDays {
                        days: SERIES_DAYS.to_vec(),
                        offset_min: 600.0,
                    },
                )],
                13.0 * 1440.0,
                1.0,
            ),
            claims: vec![
                Sessions { count: 6 },
                NoAccumulation { max_fraction: 1e-3 },
                SessionPeaksInLandmark {
                    landmark: "dissociative",
                },
            ],
        },
        Preset {
            id: "iv_course_maintenance",
            short: "Course + maintenance",
            title: "IV course with maintenance: six infusions, then every 3 weeks",
            description: "Six 0.5 mg/kg infusions over 40 min, Mon/Wed/Fri over 12 days \
                          (Murrough 2013), then maintenance infusions every 3 weeks (weeks 4, 7 \
                          and 10: the median time to relapse after the series was 18 days; \
                          maintenance is individual). Nine sessions, each peaking in the \
                          dissociative range and recovered within an hour; no accumulation. \
                          Output every 20 min (each infusion's end is on the grid) keeps a \
                          1 000-subject population within the page's limit.",
            scenario: scenario(
                "Six infusions, then maintenance at weeks 4, 7 and 10",
                vec![iv(
                    DoseKind::Infusion,
                    0.5,
                    Some(40.0),
                    Schedule::AtDays {
                        days: SERIES_DAYS
                            .iter()
                            .copied()
                            .chain([28.0, 49.0, 70.0])
                            .collect(),
                        offset_min: 600.0,
                    },
                )],
                71.0 * 1440.0,
                20.0,
            ),
            claims: vec![
                Sessions { count: 9 },
                NoAccumulation { max_fraction: 1e-3 },
                SessionPeaksInLandmark {
                    landmark: "dissociative",
                },
                EverySessionRecoveredWithin { max_min: 60.0 },
            ],
        },
        Preset {
            id: "spravato_56",
            short: "Spravato 56 mg",
            title: "Esketamine nasal spray 56 mg (Spravato)",
            description: "Two 28-mg devices 5 min apart (label). Perez-Ruixo 2021 model with \
                          noresketamine; later sprays deliver less through the nose, more is \
                          swallowed and metabolised on the first pass. Tmax 20–40 min after the \
                          last spray (label).",
            scenario: with_model(
                scenario(
                    "Spravato 56 mg",
                    vec![item(Route::Intranasal, None, Some(2), once())],
                    480.0,
                    1.0,
                ),
                "perez_ruixo2021",
            ),
            claims: vec![
                Sessions { count: 1 },
                TmaxAfterDosingEndWithin {
                    low_min: 20.0,
                    high_min: 40.0,
                },
            ],
        },
        Preset {
            id: "spravato_84",
            short: "Spravato 84 mg",
            title: "Esketamine nasal spray 84 mg (Spravato)",
            description: "Three 28-mg devices 5 min apart. Tmax 20–40 min after the last spray, \
                          terminal half-life 7–12 h (label).",
            scenario: with_model(
                scenario(
                    "Spravato 84 mg",
                    vec![item(Route::Intranasal, None, Some(3), once())],
                    480.0,
                    1.0,
                ),
                "perez_ruixo2021",
            ),
            claims: vec![
                TmaxAfterDosingEndWithin {
                    low_min: 20.0,
                    high_min: 40.0,
                },
                TerminalHalfLifeWithin {
                    low_h: 7.0,
                    high_h: 12.0,
                },
            ],
        },
        Preset {
            id: "spravato_8_weeks",
            short: "Spravato 8 weeks",
            title: "Spravato: the first 8 weeks",
            description: "Weeks 1–4 twice weekly (day 1 56 mg, then 84 mg), weeks 5–8 once weekly \
                          (label): 12 sessions. No accumulation between sessions.",
            scenario: with_model(
                scenario(
                    "Spravato induction and first maintenance weeks",
                    vec![
                        item(
                            Route::Intranasal,
                            None,
                            Some(2),
                            Schedule::AtDays {
                                days: vec![0.0],
                                offset_min: 600.0,
                            },
                        ),
                        item(
                            Route::Intranasal,
                            None,
                            Some(3),
                            Schedule::AtDays {
                                days: vec![
                                    3.0, 7.0, 10.0, 14.0, 17.0, 21.0, 24.0, 28.0, 35.0, 42.0, 49.0,
                                ],
                                offset_min: 600.0,
                            },
                        ),
                    ],
                    56.0 * 1440.0,
                    2.0,
                ),
                "perez_ruixo2021",
            ),
            claims: vec![
                Sessions { count: 12 },
                NoAccumulation { max_fraction: 0.01 },
            ],
        },
        Preset {
            id: "oral_2_5_mgkg",
            short: "Oral 2.5 mg/kg",
            title: "Oral racemic ketamine 2.5 mg/kg",
            description: "Off-label oral dosing; about 2–2.5 mg/kg is quoted as “≈ IV equivalent” \
                          (Andrade 2019): the exposure (AUC) is close to that of 0.5 mg/kg IV. \
                          Only ~20% reaches the circulation (Yanagihara 2003).",
            scenario: scenario(
                "Oral 2.5 mg/kg",
                vec![item(Route::Oral, Some(2.5), None, once())],
                600.0,
                1.0,
            ),
            claims: vec![
                BioavailabilityWithin {
                    low: 0.15,
                    high: 0.25,
                },
                AucRelativeTo {
                    preset: standard,
                    low: 0.8,
                    high: 1.25,
                },
            ],
        },
        Preset {
            id: "tci_effect_site",
            short: "TCI: effect site 150 ng/mL",
            title: "Target-controlled infusion: effect site 150 ng/mL for 60 min",
            description: "A pump that recomputes its rate every 10 s (Shafer & Gregg 1992): a \
                          fast loading dose brings the effect site to its target at its peak \
                          without overshoot, then the rate falls as the peripheral compartments \
                          fill. The pump's chart shows the rate; the target sits in the \
                          dissociative range (Krystal 1994).",
            scenario: scenario(
                "TCI: effect site 150 ng/mL for 60 min",
                vec![DoseItem {
                    kind: DoseKind::Tci,
                    target: Some(crate::scenario::TciTarget::EffectSite),
                    target_ng_per_ml: Some(150.0),
                    duration_min: Some(60.0),
                    ..DoseItem::default()
                }],
                240.0,
                // the pump's 10-s updates: the loading pulse's plasma peak is on the grid
                1.0 / 6.0,
            ),
            claims: vec![
                TciTargetsReached {
                    max_min: 10.0,
                    max_overshoot_percent: 0.1,
                },
                SessionPeaksInLandmark {
                    landmark: "dissociative",
                },
            ],
        },
    ]
}

/// Finds a preset by id.
pub fn get(id: &str) -> Result<Preset> {
    all().into_iter().find(|p| p.id == id).ok_or_else(|| {
        Error::invalid(
            "preset",
            format!(
                "unknown preset '{id}'; available: {}",
                all().iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
            ),
        )
    })
}
