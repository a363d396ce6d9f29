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
use crate::scenario::{DoseItem, DoseKind, Salt, Scenario};
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
    let model = crate::models::get(&sc.model)?;
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
            model: model.id.into(),
            available: model.route_list(),
        });
    };
    let w = sc.patient.weight_kg;
    let mut notes = Vec::new();
    let regimen = sc
        .regimen
        .iter()
        .map(|item| {
            let old_device = from.route(item.route).and_then(|r| r.device.as_ref());
            let mg = item.amount_mg(w, old_device.map(|d| d.mg_per_device));
            let mut it = DoseItem {
                route,
                dose_mg: None,
                dose_mg_per_kg: None,
                devices: None,
                rate_mg_per_h: None,
                rate_mg_per_kg_per_h: None,
                salt: Salt::Base,
                ..item.clone()
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
        model: model.id.into(),
        regimen,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// The scenario on `model_id`: the regimen unchanged when the model has its routes, otherwise
/// given by the model's first route (see [`with_route`]) with a note saying so.
pub fn with_model(sc: &Scenario, model_id: &str) -> Result<Adapted> {
    let model = crate::models::get(model_id)?;
    let from = crate::models::get(&sc.model)?;
    let mut on = sc.clone();
    on.model = model.id.into();
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
    if crate::models::get(&sc.model).is_err() {
        let default = crate::models::DEFAULT_MODEL;
        notes.push(format!(
            "The link's model '{}' is not one of this version's models: showing {} instead.",
            quoted(&sc.model, 64),
            crate::models::get(default).map_or(default, |m| m.name)
        ));
        sc.model = default.into();
    }
    if let Ok(model) = crate::models::get(&sc.model) {
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
