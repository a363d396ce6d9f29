//! The scenario edits that need a rule, so that the page never re-derives one: changing the
//! route or the model keeps the regimen valid. Every other control sets one scenario field.
//!
//! ```
//! use ketasim::{edit, model::Route, presets};
//! let sc = presets::get("antidepressant_40min")?.scenario;
//! // a racemic IV infusion switched to a model with a nasal-spray device
//! let mut nasal = sc.clone();
//! let changed = edit::with_model(&sc, "perez_ruixo2021")?;
//! nasal.model = changed.model;
//! nasal.regimen = changed.regimen;
//! assert_eq!(nasal.regimen[0].route, Route::Iv); // the new model has IV too: kept
//! let changed = edit::with_route(&nasal, Route::Intranasal)?;
//! assert_eq!(changed.regimen[0].devices, Some(1)); // 35 mg → one 28-mg device
//! # Ok::<(), ketasim::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::model::{ModelSpec, Route};
use crate::pd::DrugForm;
use crate::scenario::{DoseItem, DoseKind, Scenario};
use serde::Serialize;
use ts_rs::TS;

/// A model and a regimen that fit each other, and what was changed to make them fit.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Adapted {
    /// Model id.
    pub model: String,
    /// The regimen for that model.
    pub regimen: Vec<DoseItem>,
    /// What changed beyond the request, in words (`None`: nothing).
    pub note: Option<String>,
}

/// The scenario's regimen given by `route` on the same model — an explicit route change — keeping
/// the **amount administered** per administration: whole devices on device routes (rounded, 1
/// to the device's maximum), mg/kg elsewhere; infusions only stay infusions on IV.
///
/// The amount that reaches the circulation then changes with the route's bioavailability, and
/// that is the point: the same 2.5 mg/kg by mouth gives a fifth of the IV exposure on Kamp 2020
/// (F 20 %). Compare [`with_model`], which keeps the amount that reaches the circulation when a
/// model without the regimen's route forces the change.
///
/// ```
/// use ketasim::{edit, model::Route, presets};
/// let iv = presets::get("analgesic_bolus")?.scenario; // an IV bolus in mg/kg
/// let oral = edit::with_route(&iv, Route::Oral)?;
/// assert_eq!(oral.regimen[0].route, Route::Oral);
/// assert_eq!(oral.regimen[0].dose_mg_per_kg, iv.regimen[0].dose_mg_per_kg); // same amount
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn with_route(sc: &Scenario, route: Route) -> Result<Adapted> {
    let model = sc.model_spec()?;
    regimen_for(sc, model, model, route, Keep::Administered)
}

/// What a route change keeps of each administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// The amount administered: an explicit route change (the same dose by another route).
    Administered,
    /// The amount that reaches the circulation ([`crate::model::LinearSystem::systemic_mg`]): a route change
    /// the engine forces because the model lacks the route.
    Systemic,
}

/// The regimen of `sc` (on `from`) given by `route` on the model `to`: amounts are read with
/// `from`'s devices and written with `to`'s. With [`Keep::Systemic`], an item whose route
/// changes gets the amount whose part reaching the circulation on `to` equals its part
/// reaching it on `from` (both models compiled for the scenario's patient).
fn regimen_for(
    sc: &Scenario,
    from: &ModelSpec,
    model: &ModelSpec,
    route: Route,
    keep: Keep,
) -> Result<Adapted> {
    let Some(new) = model.route(route) else {
        return Err(Error::RouteNotInModel {
            index: 0,
            route: route.id().into(),
            model: model.id.to_string(),
            available: model.route_list(),
        });
    };
    let w = sc.patient.weight_kg;
    let mut notes = Vec::new();
    // a target-controlled infusion's amount is what its pump gave (first session)
    let pumps = if sc.regimen.iter().any(|i| i.kind == DoseKind::Tci) && route != Route::Iv {
        sc.prepare()?.pumps
    } else {
        Vec::new()
    };
    // both models for this patient, to weigh what reaches the circulation
    let systems = match keep {
        Keep::Systemic => {
            let subject = sc.patient.subject();
            Some((
                from.compile_for(&subject, 0.0, &[])?,
                model.compile_for(&subject, 0.0, &[])?,
            ))
        }
        Keep::Administered => None,
    };
    let mut regimen = Vec::with_capacity(sc.regimen.len());
    for (index, item) in sc.regimen.iter().enumerate() {
        if item.kind == DoseKind::Tci && route == Route::Iv {
            regimen.push(item.clone()); // the pump recomputes its rates on the new model
            continue;
        }
        let old_device = from.route(item.route).and_then(|r| r.device.as_ref());
        let mg = match item.kind {
            DoseKind::Tci => {
                let mg = pumps
                    .iter()
                    .find(|p| p.item == index)
                    .map_or(0.0, |p| p.dose_mg);
                notes.push(format!(
                    "the target-controlled infusion gave {mg:.1} mg: given as one dose"
                ));
                mg
            }
            _ => item.amount_mg(w, old_device.map(|d| d.mg_per_device)),
        };
        let mut it = DoseItem {
            route,
            kind: item.kind,
            duration_min: item.duration_min,
            schedule: item.schedule.clone(),
            ..DoseItem::default()
        };
        if route != Route::Iv {
            it.kind = DoseKind::Bolus;
            it.duration_min = None;
        }
        // an item already given by this route keeps its amount
        let weigh = systems
            .as_ref()
            .filter(|_| item.route != route)
            .and_then(|(f, t)| Some((f, f.route(item.route)?, t, t.route(route)?)));
        match (&new.device, weigh) {
            (Some(dev), Some((fs, fr, ts, tr))) => {
                // the whole number of devices whose part reaching the circulation is nearest
                let reach = fs.systemic_mg(fr, mg);
                let max = dev.max_devices;
                let reach_of = |n: u32| ts.systemic_mg(tr, f64::from(n) * dev.mg_per_device);
                let miss = |n: u32| (reach_of(n) - reach).abs();
                let best = (1..=max.saturating_add(1))
                    .min_by(|&a, &b| miss(a).total_cmp(&miss(b)))
                    .unwrap_or(1);
                let n = best.min(max);
                let given = f64::from(n) * dev.mg_per_device;
                let done = if best > max {
                    format!(
                        "capped at {n} devices of {} mg = {given} mg",
                        dev.mg_per_device
                    )
                } else {
                    format!(
                        "given as {n} device(s) of {} mg = {given} mg",
                        dev.mg_per_device
                    )
                };
                notes.push(format!(
                    "{}: {done}, of which {:.1} mg reaches it",
                    reaching(mg, item.route, reach),
                    reach_of(n)
                ));
                it.devices = Some(n);
            }
            (Some(dev), None) => {
                let whole = (mg / dev.mg_per_device).round();
                let n = whole.clamp(1.0, f64::from(dev.max_devices)) as u32;
                let given = f64::from(n) * dev.mg_per_device;
                if whole > f64::from(dev.max_devices) {
                    notes.push(format!(
                        "{mg:.1} mg is more than one session allows: capped at {n} devices \
                         of {} mg = {given} mg",
                        dev.mg_per_device
                    ));
                } else if (given - mg).abs() > 1e-9 * mg.max(1.0) {
                    notes.push(format!(
                        "{mg:.1} mg is rounded to {n} device(s) of {} mg = {given} mg",
                        dev.mg_per_device
                    ));
                }
                it.devices = Some(n);
            }
            (None, Some((fs, fr, ts, tr))) => {
                let reach = fs.systemic_mg(fr, mg);
                let f_to = ts.systemic_mg(tr, 1.0);
                // nothing of the new route reaching the circulation: the same amount
                let wanted = if f_to > 0.0 { reach / f_to } else { mg };
                // to 2 decimals of mg/kg, within the scenario's limit
                let (_, most) = crate::scenario::limits::DOSE_MG_PER_KG;
                let per_kg = ((wanted / w * 100.0).round() / 100.0).min(most);
                let what = match it.kind {
                    DoseKind::Infusion => format!(
                        "an IV infusion over {} min",
                        crate::text::num(it.duration_min.unwrap_or(0.0))
                    ),
                    DoseKind::Bolus if route == Route::Iv => "an IV bolus".to_string(),
                    _ => format!("{} dose", article(route.short())),
                };
                let mut note = format!(
                    "{}: given as {what} of {per_kg} mg/kg",
                    reaching(mg, item.route, reach)
                );
                if f_to < 1.0 {
                    note.push_str(&format!(
                        " ({:.1} mg × bioavailability {f_to:.2})",
                        per_kg * w
                    ));
                }
                if wanted / w > most {
                    note.push_str(&format!(", the most a dose may be ({most} mg/kg)"));
                }
                it.dose_mg_per_kg = Some(per_kg);
                notes.push(note);
            }
            (None, None) if item.dose_mg_per_kg.is_some() && item.kind == it.kind => {
                it.dose_mg_per_kg = item.dose_mg_per_kg;
                it.salt = item.salt;
            }
            (None, None) => {
                // the same amount per kg, to 2 decimals
                let per_kg = (mg / w * 100.0).round() / 100.0;
                notes.push(format!("{mg:.1} mg is given as {per_kg} mg/kg"));
                it.dose_mg_per_kg = Some(per_kg);
            }
        }
        regimen.push(it);
    }
    Ok(Adapted {
        model: model.id.to_string(),
        regimen,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// "175.0 mg oral × bioavailability 0.20 = 35.0 mg reaches the circulation": what one
/// administration of `mg` by `route` gives the circulation (`reach`, mg).
fn reaching(mg: f64, route: Route, reach: f64) -> String {
    let f = if mg > 0.0 { reach / mg } else { 0.0 };
    format!(
        "{mg:.1} mg {} × bioavailability {f:.2} = {reach:.1} mg reaches the circulation",
        route.short()
    )
}

/// "an IV", "an oral", "a sublingual"…
fn article(word: &str) -> String {
    let vowel = word.starts_with(['a', 'e', 'i', 'o', 'u', 'I']);
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// The scenario on `model_id`. The regimen is unchanged when the model has its routes (the same
/// amount on another model: that comparison is the point of changing the model).
///
/// When the model lacks a route of the regimen, the engine — not the user — changes the route:
/// the regimen is given by the model's first route, and each administration whose route
/// changes keeps the **amount that reaches the circulation** (the administered drug's central
/// compartment, [`crate::model::LinearSystem::systemic_mg`]): `mg_new = mg_old × F_from / F_to`, with F the
/// route's fraction reaching the circulation on each model for this patient (its inputs'
/// bioavailability factors, a first pass the model simulates, every part of a split dose;
/// metabolite formed on the way does not count, both enantiomers of a racemate do). The new
/// amount is written to 2 decimals of mg/kg, or as the whole number of devices (1 to the
/// device's maximum) whose part reaching the circulation is nearest. The note says what was
/// switched and gives the numbers. (Without this rule 2.5 mg/kg by mouth would become an IV
/// bolus of 2.5 mg/kg: five times the systemic exposure on Kamp 2020.)
///
/// A route both models have but dose differently (in devices on one only) keeps the amount
/// administered, re-expressed.
///
/// ```
/// use ketasim::{edit, model::Route, presets};
/// let oral = presets::get("oral_2_5_mgkg")?.scenario; // 2.5 mg/kg = 175 mg by mouth, Kamp 2020
/// let iv = edit::with_model(&oral, "domino1982")?; // a model with IV only
/// assert_eq!(iv.regimen[0].route, Route::Iv);
/// assert_eq!(iv.regimen[0].dose_mg_per_kg, Some(0.5)); // 175 mg × F 0.20 = 35 mg = 0.5 mg/kg
/// let note = iv.note.unwrap();
/// assert!(note.starts_with("Domino 1982"), "{note}"); // the model's name, then
/// assert!(note.contains("has no oral route: switched to IV; "));
/// assert!(note.contains("175.0 mg oral × bioavailability 0.20 = 35.0 mg reaches the circulation"));
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn with_model(sc: &Scenario, model_id: &str) -> Result<Adapted> {
    let model = crate::models::get(model_id)?;
    let from = sc.model_spec()?;
    let mut a = regimen_on(sc, from, model)?;
    // the same mg of another drug: say so (esketamine binds the NMDA receptor more tightly than
    // the racemate: the PD table's Ki)
    let (was, is) = (DrugForm::of(from), DrugForm::of(model));
    if was != is {
        let why = format!(
            "the drug changes from {} to {}, mg for mg",
            was.name(),
            is.name()
        );
        a.note = Some(match a.note {
            Some(n) => format!("{n}; {why}"),
            None => why,
        });
    }
    Ok(a)
}

/// [`with_model`]'s regimen on `model`, and the note on the route, without the drug's.
fn regimen_on(sc: &Scenario, from: &ModelSpec, model: &ModelSpec) -> Result<Adapted> {
    let model_id = &*model.id;
    let mut on = sc.clone();
    on.model = model.id.to_string();
    on.model_spec = None;
    let missing: Vec<Route> = sc
        .regimen
        .iter()
        .map(|i| i.route)
        .filter(|&r| model.route(r).is_none())
        .collect();
    // a route both models have, but dosed differently (in devices on one only, or in devices
    // of another size): the same route, amounts re-expressed
    let device = |m: &ModelSpec, r: Route| {
        m.route(r)
            .and_then(|x| x.device.as_ref())
            .map(|d| d.mg_per_device)
    };
    let Some(&gone) = missing.first() else {
        let changed = sc
            .regimen
            .iter()
            .find(|i| device(from, i.route) != device(model, i.route));
        return match changed {
            None => Ok(Adapted {
                model: on.model,
                regimen: on.regimen,
                note: None,
            }),
            Some(i) => {
                let mut a = regimen_for(sc, from, model, i.route, Keep::Administered)?;
                let why = format!("{} doses {} differently", model.name, i.route.label());
                a.note = Some(match a.note {
                    Some(n) => format!("{why}: {n}"),
                    None => why,
                });
                Ok(a)
            }
        };
    };
    let first = model
        .routes
        .first()
        .map(|r| r.route)
        .ok_or_else(|| Error::invalid("model", format!("model '{model_id}' has no routes")))?;
    let mut a = regimen_for(sc, from, model, first, Keep::Systemic)?;
    let why = format!(
        "{} has no {} route: switched to {}",
        model.name,
        gone.short(),
        first.short()
    );
    a.note = Some(match a.note {
        Some(n) => format!("{why}; {n}"),
        None => why,
    });
    Ok(a)
}

/// A simulated time span a user interface offers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Span {
    /// Id: `2h`, `6h`, `24h`, `3d` or `course`.
    pub id: &'static str,
    /// Its name for people.
    pub label: &'static str,
    /// Horizon, min (`None`: the whole course, see [`with_span`]).
    pub horizon_min: Option<f64>,
}

/// The spans, shortest first.
pub const SPANS: [Span; 5] = [
    Span {
        id: "2h",
        label: "2 h",
        horizon_min: Some(120.0),
    },
    Span {
        id: "6h",
        label: "6 h",
        horizon_min: Some(360.0),
    },
    Span {
        id: "24h",
        label: "24 h",
        horizon_min: Some(1440.0),
    },
    Span {
        id: "3d",
        label: "3 days",
        horizon_min: Some(4320.0),
    },
    Span {
        id: "course",
        label: "Whole course",
        horizon_min: None,
    },
];

/// Time after the last dose that "the whole course" shows, min (recovery and the next day).
pub const COURSE_TAIL_MIN: f64 = 1440.0;
/// Largest number of output points a span change leaves (the step grows to keep under it).
pub const SPAN_MAX_POINTS: f64 = 3000.0;
/// Output steps a span change chooses from, min.
pub const SPAN_STEPS_MIN: [f64; 9] = [0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0];

/// A horizon and an output step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Timing {
    /// Simulated time, min.
    pub horizon_min: f64,
    /// Output step, min.
    pub output_step_min: f64,
}

/// The horizon and output step for the span `id` ([`SPANS`]): the whole course runs to
/// [`COURSE_TAIL_MIN`] after the last administration ends (whole hours); the step is the
/// smallest of [`SPAN_STEPS_MIN`] that keeps at most [`SPAN_MAX_POINTS`] points — or, with a
/// TCI item, its pump's update interval when that fits, so the loading pulse shows.
///
/// ```
/// let sc = ketasim::presets::get("course_6_infusions")?.scenario;
/// let t = ketasim::edit::with_span(&sc, "course")?;
/// assert!(t.horizon_min > 11.0 * 1440.0); // the sixth infusion is on day 11
/// let t = ketasim::edit::with_span(&sc, "2h")?;
/// assert_eq!((t.horizon_min, t.output_step_min), (120.0, 0.5));
/// // a TCI pump's 10-s updates set the grid when it fits
/// let tci = ketasim::presets::get("tci_effect_site")?.scenario;
/// assert_eq!(ketasim::edit::with_span(&tci, "6h")?.output_step_min, 10.0 / 60.0);
/// assert_eq!(ketasim::edit::with_span(&tci, "24h")?.output_step_min, 0.5);
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn with_span(sc: &Scenario, id: &str) -> Result<Timing> {
    let span = SPANS.iter().find(|s| s.id == id).ok_or_else(|| {
        Error::invalid(
            "span",
            format!(
                "unknown span '{id}'; one of {}",
                SPANS.iter().map(|s| s.id).collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    let horizon = match span.horizon_min {
        Some(h) => h,
        None => {
            let last_end = sc
                .regimen
                .iter()
                .flat_map(|i| {
                    let d = i.duration_min.unwrap_or(0.0);
                    i.schedule.times_min().into_iter().map(move |t| t + d)
                })
                .fold(0.0, f64::max);
            (((last_end + COURSE_TAIL_MIN) / 60.0).ceil() * 60.0)
                .min(crate::scenario::limits::HORIZON_MIN.1)
        }
    };
    // a TCI pump changes its rate every update: a grid that fine shows its loading pulse
    let pump_step = sc
        .regimen
        .iter()
        .filter(|i| i.kind == DoseKind::Tci)
        .map(|i| {
            i.update_interval_s
                .unwrap_or(crate::tci::DEFAULT_UPDATE_INTERVAL_S)
                / 60.0
        })
        .fold(f64::INFINITY, f64::min);
    let step = std::iter::once(pump_step)
        .filter(|s| s.is_finite())
        .chain(
            SPAN_STEPS_MIN
                .iter()
                .copied()
                .filter(|&s| !pump_step.is_finite() || s > pump_step),
        )
        .find(|s| horizon / s <= SPAN_MAX_POINTS)
        .unwrap_or(SPAN_STEPS_MIN[SPAN_STEPS_MIN.len() - 1]);
    Ok(Timing {
        horizon_min: horizon,
        output_step_min: step,
    })
}

/// The scenario's regimen with a new step of `kind` (`bolus`, `infusion` or `tci`) appended:
/// the kind's new item ([`crate::scenario::Defaults`]). A bolus starts with the regimen's first
/// administration (a loading dose); an infusion or a TCI pump starts when the regimen's dosing
/// ends (its last administration's end: after boluses at 0 that is 0, so a bolus then an
/// infusion is a loading dose followed by the infusion, and two pumps never overlap). An
/// empty regimen starts at 0. `model` is unchanged.
///
/// ```
/// use ketasim::{edit, presets, scenario::{DoseKind, Schedule}};
/// let tci = presets::get("tci_effect_site")?.scenario; // a 60-min pump from 0
/// let a = edit::with_step(&tci, DoseKind::Tci)?;
/// assert_eq!(a.regimen[1].schedule, Schedule::AtMin(vec![60.0])); // one pump at a time
/// let bolus = presets::get("analgesic_bolus")?.scenario;
/// let a = edit::with_step(&bolus, DoseKind::Infusion)?;
/// assert_eq!(a.regimen[1].schedule, Schedule::AtMin(vec![0.0])); // loading dose + infusion
/// let infusion = presets::get("antidepressant_40min")?.scenario;
/// let a = edit::with_step(&infusion, DoseKind::Bolus)?;
/// assert_eq!(a.regimen[1].schedule, Schedule::AtMin(vec![0.0])); // a loading bolus
/// let a = edit::with_step(&infusion, DoseKind::Infusion)?;
/// assert_eq!(a.regimen[1].schedule, Schedule::AtMin(vec![40.0])); // after the first
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn with_step(sc: &Scenario, kind: DoseKind) -> Result<Adapted> {
    let d = crate::scenario::Defaults::get()?;
    let mut item = match kind {
        DoseKind::Bolus => d.bolus_item,
        DoseKind::Infusion => d.infusion_item,
        DoseKind::Tci => d.tci_item,
    };
    let times = |with_duration: bool| {
        sc.regimen.iter().flat_map(move |i| {
            let dur = if with_duration {
                i.duration_min.unwrap_or(0.0)
            } else {
                0.0
            };
            i.schedule.times_min().into_iter().map(move |t| t + dur)
        })
    };
    let start = match kind {
        DoseKind::Bolus => times(false).fold(f64::INFINITY, f64::min),
        DoseKind::Infusion | DoseKind::Tci => times(true).fold(0.0, f64::max),
    };
    let start = if start.is_finite() { start } else { 0.0 };
    item.schedule = crate::scenario::Schedule::AtMin(vec![start]);
    let mut regimen = sc.regimen.clone();
    regimen.push(item);
    Ok(Adapted {
        model: sc.model.clone(),
        regimen,
        note: None,
    })
}

/// A shared link's scenario with what this version cannot show replaced, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LinkFallback {
    /// The scenario, every replaced field at its default (and every absent one too).
    pub scenario: Scenario,
    /// One sentence per replacement: the field, the value the link gave, what is shown instead.
    pub notes: Vec<String>,
}

/// Most replacements [`link_fallback`] makes (each removes a field, so a scenario runs out of
/// them long before this).
const MAX_FALLBACKS: usize = 16;

/// What a shared link's scenario (JSON text) can keep in this version: an unknown model id
/// becomes the default model, an effect-site endpoint the model does not have becomes the
/// default endpoint, and a choice that is not one of a field's allowed values (a route, a sex,
/// a salt…) becomes that field's default, each with a note saying so. Any other problem is the
/// error that validation gives (the page then shows it beside the control).
///
/// Works on the text and the scenario's types (no generic JSON tree: 16 KB less in the page's
/// WebAssembly): a field that does not read is cut out of the text, member and comma, so that
/// it takes its default, and the text is read again.
///
/// ```
/// let link = r#"{"patient":{"weight_kg":70,"sex":"x"},"model":"kamp2099",
///   "regimen":[{"dose_mg":10}],"horizon_min":60,"pd":{"ke0_endpoint":"telepathy"}}"#;
/// let f = ketasim::edit::link_fallback(link)?;
/// assert_eq!(f.scenario.model, "kamp2020");
/// assert_eq!(f.scenario.pd.ke0_endpoint, "subjective");
/// assert_eq!(f.scenario.patient.sex, ketasim::scenario::Sex::Unspecified);
/// assert_eq!(f.notes.len(), 3);
/// assert!(f.notes[0].contains("patient.sex 'x'"));
/// assert!(f.notes[1].contains("model 'kamp2099'"));
/// f.scenario.validate()?;
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn link_fallback(json: &str) -> Result<LinkFallback> {
    use crate::scenario::json;
    use crate::text::quoted;
    let mut text = json.strip_prefix('\u{feff}').unwrap_or(json).to_string();
    let mut notes = Vec::new();
    let mut fallbacks = 0;
    let mut sc = loop {
        let e = match json::from_json::<Scenario>(&text) {
            Ok(sc) => break sc,
            Err(e) => e,
        };
        let Error::Json {
            field,
            message,
            line,
            column,
            ..
        } = &e
        else {
            return Err(e);
        };
        // a choice outside a field's allowed values, or a model or endpoint that is no id
        let fixable = message.starts_with("unknown variant")
            || field == "model"
            || field == "pd.ke0_endpoint";
        fallbacks += 1;
        if !fixable || fallbacks > MAX_FALLBACKS {
            return Err(e);
        }
        // the tag of the binding object takes the whole object with it
        let up = usize::from(field.ends_with("binding.kind"));
        let offset = json::offset_of(&text, *line, *column);
        let Some((member, value)) = json::member_at(&text, offset, up) else {
            return Err(e);
        };
        let given = &text[value.clone()];
        let given = match given.strip_prefix('"').and_then(|g| g.strip_suffix('"')) {
            Some(s) => format!("'{}'", quoted(s, 64)),
            None => quoted(given, 64),
        };
        let what = if up == 1 {
            format!("{field} {given}: the binding is shown as equilibrium")
        } else {
            format!("{field} {given}")
        };
        notes.push(format!(
            "The link's {what} is not one of the allowed values: showing the default instead."
        ));
        text.replace_range(member, "");
    };
    if sc.model_spec.is_none() && crate::models::get(&sc.model).is_err() {
        let default = crate::models::DEFAULT_MODEL;
        notes.push(format!(
            "The link's model '{}' is not one of this version's models: showing {} instead.",
            quoted(&sc.model, 64),
            crate::models::get(default).map_or(default, |m| &*m.name)
        ));
        sc.model = default.into();
    }
    let model = sc.model_spec().ok().cloned();
    if let Some(model) = &model {
        let e = &sc.pd.ke0_endpoint;
        if e != "custom" && crate::pd::ke0_for(model, e).is_err() {
            notes.push(format!(
                "The link's effect-site endpoint (pd.ke0_endpoint) '{}' is not one that {} has: \
                 showing the default (subjective) instead.",
                quoted(e, 64),
                model.name
            ));
            sc.pd = crate::scenario::PdOptions {
                ke0_endpoint: crate::scenario::PdOptions::default().ke0_endpoint,
                ke0_per_min: None,
                ..sc.pd
            };
        }
    }
    Ok(LinkFallback {
        scenario: sc,
        notes,
    })
}
