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
