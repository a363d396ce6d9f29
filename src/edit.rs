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
    /// The scenario (JSON), every replaced field at its default and, when it reads, every
    /// absent field too; otherwise as given, for validation to name.
    #[ts(type = "Record<string, unknown>")]
    pub scenario: serde_json::Value,
    /// One sentence per replacement: the field, the value the link gave, what is shown instead.
    pub notes: Vec<String>,
}

/// Most replacements [`link_fallback`] makes (each removes a field, so a scenario runs out of
/// them long before this).
const MAX_FALLBACKS: usize = 16;

/// What a shared link's scenario (JSON text) can keep in this version: an unknown model id
/// becomes the default model, an effect-site endpoint the model does not have becomes the
/// default endpoint, and a choice that is not one of a field's allowed values (a route, a sex,
/// a salt…) becomes that field's default, each with a note saying so. A scenario that then
/// reads comes back with every default filled in; one that does not, or text that is not a
/// JSON object, comes back as it is (validation then names the problem).
///
/// ```
/// let link = r#"{"patient":{"weight_kg":70,"sex":"x"},"model":"kamp2099",
///   "regimen":[{"dose_mg":10}],"horizon_min":60,"pd":{"ke0_endpoint":"telepathy"}}"#;
/// let f = ketasim::edit::link_fallback(link)?;
/// assert_eq!(f.scenario["model"], "kamp2020");
/// assert_eq!(f.scenario["pd"]["ke0_endpoint"], "subjective");
/// assert_eq!(f.scenario["patient"]["sex"], "unspecified");
/// assert_eq!(f.notes.len(), 3);
/// assert!(f.notes[0].contains("'kamp2099'"));
/// ketasim::Scenario::from_json(&f.scenario.to_string())?.validate()?;
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn link_fallback(json: &str) -> Result<LinkFallback> {
    use crate::text::quoted as clip;
    use serde_json::Value;
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    if json.len() > crate::scenario::json::MAX_JSON_BYTES {
        return Err(Error::TooLarge {
            what: "scenario JSON, bytes".into(),
            value: json.len() as u64,
            limit: crate::scenario::json::MAX_JSON_BYTES as u64,
        });
    }
    let mut v: Value = match serde_json::from_str(json) {
        Ok(v @ Value::Object(_)) => v,
        Ok(other) => {
            return Ok(LinkFallback {
                scenario: other,
                notes: Vec::new(),
            })
        }
        Err(e) => return Err(Error::Parse(e.to_string())),
    };
    let mut notes = Vec::new();
    let quoted = |x: &Value| match x {
        Value::String(s) => format!("'{}'", clip(s, 64)),
        other => clip(&other.to_string(), 64),
    };
    let default_model = crate::models::DEFAULT_MODEL;
    if let Some(m) = v.get("model") {
        if m.as_str().is_none_or(|id| crate::models::get(id).is_err()) {
            notes.push(format!(
                "The link's model {} is not one of this version's models: showing {} instead.",
                quoted(m),
                crate::models::get(default_model).map_or(default_model, |m| m.name)
            ));
            v["model"] = Value::from(default_model);
        }
    }
    let model = v
        .get("model")
        .and_then(Value::as_str)
        .and_then(|id| crate::models::get(id).ok())
        .or_else(|| crate::models::get(default_model).ok());
    if let (Some(model), Some(Value::Object(pd))) = (model, v.get_mut("pd")) {
        if let Some(e) = pd.get("ke0_endpoint") {
            let known = e
                .as_str()
                .is_some_and(|id| id == "custom" || crate::pd::ke0_for(model, id).is_ok());
            if !known {
                notes.push(format!(
                    "The link's effect-site endpoint (pd.ke0_endpoint) {} is not one that {} \
                     has: showing the default (subjective) instead.",
                    quoted(e),
                    model.name
                ));
                pd.remove("ke0_endpoint");
                pd.remove("ke0_per_min");
            }
        }
    }
    // a choice outside a field's allowed values: that field's default
    for _ in 0..MAX_FALLBACKS {
        let Err(Error::Json { field, message, .. }) =
            crate::scenario::json::from_json::<Scenario>(&v.to_string())
        else {
            break;
        };
        if !message.starts_with("unknown variant") || field.is_empty() {
            break;
        }
        let Some(given) = remove_path(&mut v, &field) else {
            break;
        };
        notes.push(format!(
            "The link's {field} {} is not one of the allowed values: showing the default \
             instead.",
            quoted(&given)
        ));
    }
    // a scenario that reads is given with every default filled in, as the page's controls show
    // it (and as a result echoes it)
    if let Ok(sc) = crate::scenario::json::from_json::<Scenario>(&v.to_string()) {
        if let Ok(full) = serde_json::to_value(&sc) {
            v = full;
        }
    }
    Ok(LinkFallback { scenario: v, notes })
}

/// Removes the field at a dotted path (`regimen[0].route`, `pd.binding.kind`) from `v` and
/// returns the value it had. The `kind` of a tagged object (`pd.binding.kind`) removes the
/// object, which then takes its default as a whole.
fn remove_path(v: &mut serde_json::Value, path: &str) -> Option<serde_json::Value> {
    let mut keys: Vec<String> = Vec::new();
    for part in path.split('.') {
        match part.split_once('[') {
            Some((k, rest)) => {
                if !k.is_empty() {
                    keys.push(k.to_string());
                }
                for idx in rest.split('[') {
                    keys.push(format!("[{}", idx.trim_end_matches(']')));
                }
            }
            None => keys.push(part.to_string()),
        }
    }
    // a tagged object's tag cannot be defaulted alone: default the whole object
    if path.ends_with("binding.kind") {
        let given = v.pointer(&pointer(&keys))?.clone();
        keys.pop();
        remove_last(v, &keys)?;
        return Some(given);
    }
    remove_last(v, &keys)
}

fn pointer(keys: &[String]) -> String {
    keys.iter()
        .map(|k| {
            let k = k.strip_prefix('[').unwrap_or(k);
            format!("/{}", k.replace('~', "~0").replace('/', "~1"))
        })
        .collect()
}

fn remove_last(v: &mut serde_json::Value, keys: &[String]) -> Option<serde_json::Value> {
    let (last, parent) = keys.split_last()?;
    let parent = v.pointer_mut(&pointer(parent))?;
    match parent {
        serde_json::Value::Object(o) if !last.starts_with('[') => o.remove(last),
        _ => None,
    }
}
