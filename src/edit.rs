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
use crate::model::Route;
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

/// The scenario's regimen given by `route`, keeping the amount per administration: whole
/// devices on device routes (rounded, 1 to the device's maximum), mg/kg elsewhere; infusions
/// only stay infusions on IV.
pub fn with_route(sc: &Scenario, route: Route) -> Result<Adapted> {
    let model = sc.model_spec()?;
    regimen_for(sc, model, model, route)
}

/// The regimen of `sc` (on `from`) given by `route` on the model `to`: amounts are read with
/// `from`'s devices and written with `to`'s.
fn regimen_for(
    sc: &Scenario,
    from: &crate::model::ModelSpec,
    model: &crate::model::ModelSpec,
    route: Route,
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
    let regimen = sc
        .regimen
        .iter()
        .enumerate()
        .map(|(index, item)| {
            if item.kind == DoseKind::Tci && route == Route::Iv {
                return item.clone(); // the pump recomputes its rates on the new model
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
            match &new.device {
                Some(dev) => {
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
                None if item.dose_mg_per_kg.is_some() && item.kind == it.kind => {
                    it.dose_mg_per_kg = item.dose_mg_per_kg;
                    it.salt = item.salt;
                }
                None => {
                    // the same amount per kg, to 2 decimals
                    let per_kg = (mg / w * 100.0).round() / 100.0;
                    notes.push(format!("{mg:.1} mg is given as {per_kg} mg/kg"));
                    it.dose_mg_per_kg = Some(per_kg);
                }
            }
            it
        })
        .collect();
    Ok(Adapted {
        model: model.id.to_string(),
        regimen,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// The scenario on `model_id`: the regimen unchanged when the model has its routes, otherwise
/// given by the model's first route (see [`with_route`]) with a note saying so.
pub fn with_model(sc: &Scenario, model_id: &str) -> Result<Adapted> {
    let model = crate::models::get(model_id)?;
    let from = sc.model_spec()?;
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
    let device = |m: &crate::model::ModelSpec, r: Route| {
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
                let mut a = regimen_for(sc, from, model, i.route)?;
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
    let mut a = regimen_for(sc, from, model, first)?;
    let why = format!(
        "{} has no {} route: switched to {}",
        model.name,
        gone.label(),
        first.label()
    );
    a.note = Some(match a.note {
        Some(n) => format!("{why} ({n})"),
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
