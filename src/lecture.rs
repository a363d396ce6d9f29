//! Lectures: short sequences of scenes, each a scenario with one or two sentences of narration
//! and what to highlight on the charts. A lecturer writes one as JSON (or edits the default)
//! and shares it by link or file; the page presents it full screen and steps through it.
//!
//! A lecture is read like a scenario ([`Lecture::from_json`]: unknown keys are errors at every
//! depth, every error names its field, e.g. `scenes[2].scenario.regimen[0].dose_mg_per_kg`)
//! and every scene's scenario is validated as the CLI would.
//!
//! ```
//! use ketasim::lecture::Lecture;
//! let lecture = Lecture::depression()?;
//! assert_eq!(lecture.scenes.len(), 8);
//! // what a lecturer shares reads back to the same lecture
//! let text = serde_json::to_string(&lecture).unwrap();
//! assert_eq!(Lecture::from_json(&text)?, lecture);
//! // a mistake names its scene and field
//! let bad = text.replacen("\"weight_kg\":70.0", "\"weight_kg\":7000.0", 1);
//! let e = Lecture::from_json(&bad).unwrap_err();
//! assert_eq!(e.field().as_deref(), Some("scenes[0].scenario.patient.weight_kg"));
//! # Ok::<(), ketasim::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::scenario::{Defaults, Scenario};
use crate::{presets, text};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Most scenes in a lecture.
pub const MAX_SCENES: usize = 40;
/// Most characters of a lecture's or a scene's title.
pub const MAX_TITLE_CHARS: usize = 120;
/// Most characters of a scene's narration.
pub const MAX_NARRATION_CHARS: usize = 800;

/// What a scene draws attention to on the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Highlight {
    /// The doses: the regimen's bars, the infusion or pump rate.
    Dose,
    /// The plasma concentration curve.
    Plasma,
    /// The effect-site concentration curve.
    EffectSite,
    /// The dissociative band (landmarks) on the concentration chart.
    Dissociation,
    /// The recovery threshold, the recovery time and the monitoring period.
    Recovery,
    /// The illustrative vital signs.
    Vitals,
    /// The sessions of a course on the timeline.
    Sessions,
    /// The virtual population's bands.
    Population,
    /// The model-derived NMDA-receptor occupancy.
    Occupancy,
    /// The metabolites' curves.
    Metabolites,
    /// The animated compartment diagram.
    Diagram,
}

/// One step of a lecture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    /// Title, shown large (1–120 characters).
    pub title: String,
    /// One or two sentences for the class (at most 800 characters).
    pub narration: String,
    /// What to highlight (at most one of each).
    #[serde(default)]
    pub highlight: Vec<Highlight>,
    /// The scenario the scene shows; with `population` set, the page draws the virtual
    /// population's bands as well.
    pub scenario: Scenario,
}

/// A sequence of scenes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Lecture {
    /// Title (1–120 characters).
    pub title: String,
    /// The scenes, in order (1–40).
    pub scenes: Vec<Scene>,
}

fn check_text(field: impl Fn() -> String, s: &str, max: usize) -> Result<()> {
    let n = s.chars().count();
    if s.trim().is_empty() || n > max {
        return Err(Error::invalid(
            field(),
            format!(
                "give 1 to {max} characters (got {n}: '{}')",
                text::printable(&s.chars().take(40).collect::<String>())
            ),
        ));
    }
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::invalid(
            field(),
            format!(
                "remove the control characters from '{}'",
                text::printable(&s.chars().take(40).collect::<String>())
            ),
        ));
    }
    Ok(())
}

/// The error `e` of scene `i`'s scenario, its field put under `scenes[i].scenario`.
fn in_scene(i: usize, e: Error) -> Error {
    let under = |f: &str| {
        if f.is_empty() {
            format!("scenes[{i}].scenario")
        } else {
            format!("scenes[{i}].scenario.{f}")
        }
    };
    match e {
        Error::OutOfRange {
            field,
            value,
            min,
            max,
            unit,
        } => Error::OutOfRange {
            field: under(&field),
            value,
            min,
            max,
            unit,
        },
        Error::Invalid { field, message } => Error::Invalid {
            field: under(&field),
            message,
        },
        other => Error::Invalid {
            field: under(&other.field().unwrap_or_default()),
            message: other.to_string(),
        },
    }
}

impl Lecture {
    /// Reads and validates a lecture from its JSON text.
    pub fn from_json(json: &str) -> Result<Self> {
        let l: Lecture = crate::scenario::json::from_json_as(
            json,
            "lecture",
            "{\"title\": …, \"scenes\": [{\"title\", \"narration\", \"scenario\"}, …]}",
        )?;
        l.validate()?;
        Ok(l)
    }

    /// Checks every field; errors name the scene and the field.
    pub fn validate(&self) -> Result<()> {
        check_text(|| "title".into(), &self.title, MAX_TITLE_CHARS)?;
        if self.scenes.is_empty() || self.scenes.len() > MAX_SCENES {
            return Err(Error::invalid(
                "scenes",
                format!(
                    "a lecture has 1 to {MAX_SCENES} scenes (got {})",
                    self.scenes.len()
                ),
            ));
        }
        for (i, s) in self.scenes.iter().enumerate() {
            check_text(|| format!("scenes[{i}].title"), &s.title, MAX_TITLE_CHARS)?;
            check_text(
                || format!("scenes[{i}].narration"),
                &s.narration,
                MAX_NARRATION_CHARS,
            )?;
            for (k, h) in s.highlight.iter().enumerate() {
                if s.highlight[..k].contains(h) {
                    return Err(Error::invalid(
                        format!("scenes[{i}].highlight[{k}]"),
                        format!("{h:?} is already highlighted: list each once"),
                    ));
                }
            }
            if s.highlight.contains(&Highlight::Population) && s.scenario.population.is_none() {
                return Err(Error::invalid(
                    format!("scenes[{i}].scenario.population"),
                    "a scene that highlights the population needs one: add \"population\": \
                     {\"size\": 500, \"seed\": 1}",
                ));
            }
            s.scenario.validate().map_err(|e| in_scene(i, e))?;
        }
        Ok(())
    }

    /// The default lecture: ketamine for treatment-resistant depression, in eight scenes that
    /// follow the clinical story. Its scenarios are the presets', whose claims the test suite
    /// checks.
    pub fn depression() -> Result<Self> {
        use Highlight::*;
        let preset = |id: &str| presets::get(id).map(|p| p.scenario);
        let standard = preset(presets::DEFAULT)?;
        // a model with published between-patient variability (Kamp 2020 has none: only body
        // weight would vary)
        let mut people = preset("spravato_84")?;
        people.population = Some(Defaults::get()?.population);
        let scene =
            |title: &str, narration: &str, highlight: Vec<Highlight>, sc: &Scenario| Scene {
                title: title.into(),
                narration: narration.into(),
                highlight,
                scenario: sc.clone(),
            };
        let lecture = Lecture {
            title: "Ketamine for treatment-resistant depression".into(),
            scenes: vec![
                scene(
                    "A dose by body weight",
                    "The usual dose is 0.5 mg per kg of body weight, infused into a vein over \
                     about 40 minutes while blood pressure and heart rate are watched. The \
                     plasma concentration rises for as long as the pump runs.",
                    vec![Dose, Plasma],
                    &standard,
                ),
                scene(
                    "The effect site lags behind plasma",
                    "The brain does not follow the blood at once: the effect-site \
                     concentration rises more slowly, peaks a little after the infusion ends, \
                     and falls later.",
                    vec![Plasma, EffectSite, Diagram],
                    &standard,
                ),
                scene(
                    "Dissociation rises and fades",
                    "While the effect site is in the dissociative range, patients feel \
                     detached and perceptions change. It rises during the infusion and fades \
                     within the hour after it.",
                    vec![EffectSite, Dissociation],
                    &standard,
                ),
                scene(
                    "Recovery and monitoring",
                    "Blood pressure rises a little and returns. The patient is watched until \
                     the effect has worn off and they are fit to leave, with someone to take \
                     them home.",
                    vec![Recovery, Vitals],
                    &standard,
                ),
                scene(
                    "A course of six infusions, then maintenance",
                    "Treatment is a series: six infusions over two weeks, then maintenance \
                     sessions a few weeks apart. Ketamine is gone between sessions: nothing \
                     accumulates.",
                    vec![Sessions],
                    &preset("iv_course_maintenance")?,
                ),
                scene(
                    "Nasal esketamine",
                    "Esketamine, one half of the racemic drug, is sprayed into the nose from \
                     devices of 28 mg each. Absorption is slower than an infusion, and part \
                     of the dose is swallowed.",
                    vec![Dose, Plasma, EffectSite],
                    &preset("spravato_84")?,
                ),
                scene(
                    "Every patient is different",
                    "The same dose gives different concentrations in different people. The \
                     bands show the spread across a virtual population of the esketamine \
                     spray, drawn from the between-patient variability published with the \
                     model (Perez-Ruixo 2021).",
                    vec![Population, EffectSite],
                    &people,
                ),
                scene(
                    "Blocking NMDA receptors",
                    "Ketamine works by blocking NMDA receptors. The occupancy shown is \
                     model-derived: it is computed from the unbound concentration and a \
                     laboratory binding constant; no human study measured it.",
                    vec![Occupancy],
                    &standard,
                ),
            ],
        };
        lecture.validate()?;
        Ok(lecture)
    }
}
