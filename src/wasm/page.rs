//! Exports of the page's main module: single runs, the scenario edits that need a rule, and
//! metadata (models, presets, PD tables, limits, defaults).

use super::{f64s, js_error, parse, set, to_js};
use crate::model::Route;
use crate::{edit, export, models, pd, presets, simulate::SimulationResult, Error};
use js_sys::{Array, Float64Array, Object};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn check_weight(weight_kg: f64) -> Result<(), JsValue> {
    let (lo, hi) = crate::scenario::limits::WEIGHT_KG;
    crate::error::check_range(|| "patient.weight_kg".into(), weight_kg, lo, hi, "kg")
        .map_err(js_error)
}

/// The result with the keys of its serde form (snake_case, as in the CLI's JSON); series as
/// `Float64Array`s.
fn result_to_js(r: &SimulationResult) -> Result<JsValue, JsValue> {
    let o = Object::new();
    set(&o, "scenario", &to_js(&r.scenario)?);
    set(&o, "drug", &to_js(&r.drug)?);
    set(&o, "landmarks", &to_js(&r.landmarks)?);
    set(&o, "model_id", &r.model_id.as_str().into());
    set(&o, "method", &to_js(&r.method)?);
    set(&o, "ke0_per_min", &r.ke0_per_min.into());
    set(&o, "t_min", &f64s(&r.t_min));
    let analytes = Array::new();
    for a in &r.analytes {
        let ao = Object::new();
        set(&ao, "id", &a.id.as_str().into());
        set(&ao, "name", &a.name.as_str().into());
        set(&ao, "mw_g_per_mol", &a.mw_g_per_mol.into());
        set(&ao, "cp_ng_per_ml", &f64s(&a.cp_ng_per_ml));
        set(&ao, "cp_um", &f64s(&a.cp_um));
        set(&ao, "ce_ng_per_ml", &f64s(&a.ce_ng_per_ml));
        set(&ao, "ce_um", &f64s(&a.ce_um));
        set(&ao, "ce_unbound_um", &f64s(&a.ce_unbound_um));
        set(&ao, "formed_mg", &f64s(&a.formed_mg));
        analytes.push(&ao);
    }
    set(&o, "analytes", &analytes);
    let d = &r.drug_readout;
    let dr = Object::new();
    set(&dr, "id", &d.id.as_str().into());
    set(&dr, "name", &d.name.as_str().into());
    set(&dr, "analytes", &to_js(&d.analytes)?);
    set(&dr, "cp_ng_per_ml", &f64s(&d.cp_ng_per_ml));
    set(&dr, "cp_um", &f64s(&d.cp_um));
    set(&dr, "ce_ng_per_ml", &f64s(&d.ce_ng_per_ml));
    set(&dr, "ce_um", &f64s(&d.ce_um));
    set(&o, "drug_readout", &dr);
    set(&o, "occupancy", &f64s(&r.occupancy));
    let comps = Array::new();
    for c in &r.compartments {
        let co = Object::new();
        set(&co, "name", &c.name.as_str().into());
        set(&co, "analyte", &c.analyte.as_str().into());
        set(&co, "amount_mg", &f64s(&c.amount_mg));
        comps.push(&co);
    }
    set(&o, "compartments", &comps);
    set(&o, "eliminated_mg", &f64s(&r.eliminated_mg));
    set(&o, "input_mg", &f64s(&r.input_mg));
    set(&o, "pumps", &to_js(&r.pumps)?);
    set(&o, "pump_rate_mg_per_h", &f64s(&r.pump_rate_mg_per_h));
    set(&o, "pump_rate_ml_per_h", &f64s(&r.pump_rate_ml_per_h));
    set(&o, "metrics", &to_js(&r.metrics)?);
    set(&o, "sessions", &to_js(&r.sessions)?);
    set(&o, "warnings", &to_js(&r.warnings)?);
    set(&o, "monitoring", &monitoring_to_js(&r.monitoring)?);
    Ok(o.into())
}

/// The monitoring panel with its series as `Float64Array`s.
fn monitoring_to_js(m: &crate::monitoring::Monitoring) -> Result<JsValue, JsValue> {
    let mut bare = m.clone();
    for v in &mut bare.vitals {
        for s in [
            &mut v.change,
            &mut v.change_low,
            &mut v.change_high,
            &mut v.value,
            &mut v.value_low,
            &mut v.value_high,
        ] {
            s.clear();
        }
    }
    let o = to_js(&bare)?;
    let vitals = Array::from(&js_sys::Reflect::get(&o, &"vitals".into())?);
    for (i, v) in m.vitals.iter().enumerate() {
        let vo: Object = vitals.get(i as u32).into();
        for (k, s) in [
            ("change", &v.change),
            ("change_low", &v.change_low),
            ("change_high", &v.change_high),
            ("value", &v.value),
            ("value_low", &v.value_low),
            ("value_high", &v.value_high),
        ] {
            set(&vo, k, &f64s(s));
        }
    }
    Ok(o)
}

/// Validates and simulates a scenario (same JSON shape as the CLI's). The result carries the
/// validated scenario that produced it.
#[wasm_bindgen]
pub fn simulate(scenario: JsValue) -> Result<JsValue, JsValue> {
    let sc = parse(scenario)?;
    let r = crate::simulate(&sc).map_err(js_error)?;
    result_to_js(&r)
}

/// Validates a scenario without running it (throws the same errors as `simulate`).
#[wasm_bindgen(js_name = validateScenario)]
pub fn validate_scenario(scenario: JsValue) -> Result<(), JsValue> {
    parse(scenario)?.validate().map_err(js_error)
}

/// The time courses of a scenario as CSV text (columns as the CLI's `--format csv`).
#[wasm_bindgen(js_name = simulateCsv)]
pub fn simulate_csv(scenario: JsValue) -> Result<String, JsValue> {
    let sc = parse(scenario)?;
    let r = crate::simulate(&sc).map_err(js_error)?;
    export::to_csv(&r).map_err(js_error)
}

/// The horizon and output step of the span `span` (`2h`, `6h`, `24h`, `3d`, `course`; see
/// `ketasim::edit::with_span`): `{horizon_min, output_step_min}`.
#[wasm_bindgen(js_name = withSpan)]
pub fn with_span(scenario: JsValue, span: &str) -> Result<JsValue, JsValue> {
    let sc = parse(scenario)?;
    to_js(&edit::with_span(&sc, span).map_err(js_error)?)
}

/// The scenario's regimen with a new step of `kind` (`bolus`, `infusion`, `tci`) appended,
/// starting when the regimen's dosing ends (see `ketasim::edit::with_step`): `{model, regimen,
/// note}`.
#[wasm_bindgen(js_name = withStep)]
pub fn with_step(scenario: JsValue, kind: &str) -> Result<JsValue, JsValue> {
    let sc = parse(scenario)?;
    let kind = match kind {
        "bolus" => crate::scenario::DoseKind::Bolus,
        "infusion" => crate::scenario::DoseKind::Infusion,
        "tci" => crate::scenario::DoseKind::Tci,
        other => {
            return Err(js_error(Error::invalid(
                "kind",
                format!("unknown step kind '{other}'; one of bolus, infusion, tci"),
            )))
        }
    };
    to_js(&edit::with_step(&sc, kind).map_err(js_error)?)
}

/// The CSHT chart of a scenario (`ketasim::csht::CshtCurves::for_scenario`): the textbook
/// context-sensitive half-time and the time to recover below the recovery threshold against
/// infusion duration, 1 min to 8 h.
#[wasm_bindgen(js_name = cshtCurves)]
pub fn csht_curves(scenario: JsValue) -> Result<JsValue, JsValue> {
    let sc = parse(scenario)?;
    to_js(&crate::csht::CshtCurves::for_scenario(&sc).map_err(js_error)?)
}

/// The scenario's model and regimen given by `route` (see `ketasim::edit::with_route`):
/// `{model, regimen, note}`.
#[wasm_bindgen(js_name = withRoute)]
pub fn with_route(scenario: JsValue, route: &str) -> Result<JsValue, JsValue> {
    let sc = parse(scenario)?;
    let r = Route::ALL
        .into_iter()
        .find(|r| r.id() == route)
        .ok_or_else(|| {
            js_error(Error::invalid(
                "regimen[0].route",
                format!("unknown route '{route}'; one of iv, im, oral, sublingual, intranasal"),
            ))
        })?;
    to_js(&edit::with_route(&sc, r).map_err(js_error)?)
}

/// The scenario's regimen on `model_id` (see `ketasim::edit::with_model`): `{model, regimen,
/// note}`.
#[wasm_bindgen(js_name = withModel)]
pub fn with_model(scenario: JsValue, model_id: &str) -> Result<JsValue, JsValue> {
    let sc = parse(scenario)?;
    to_js(&edit::with_model(&sc, model_id).map_err(js_error)?)
}

#[derive(Serialize)]
struct ModelInfo<'a> {
    #[serde(flatten)]
    spec: &'a crate::model::ModelSpec,
    derived: crate::model::Derived,
    drug_form: pd::DrugForm,
    population_variation: crate::model::PopulationVariation,
}

/// Every model with its citation, parameters (value, unit, scaling, provenance), structure and
/// derived values at `weight_kg`.
#[wasm_bindgen]
pub fn models(weight_kg: f64) -> Result<JsValue, JsValue> {
    check_weight(weight_kg)?;
    let list = models::all()
        .iter()
        .map(|m| {
            Ok(ModelInfo {
                spec: m,
                derived: m.derived(weight_kg)?,
                drug_form: pd::DrugForm::of(m),
                population_variation: m.population_variation(),
            })
        })
        .collect::<Result<Vec<_>, Error>>()
        .map_err(js_error)?;
    to_js(&list)
}

/// The built-in teaching scenarios.
#[wasm_bindgen]
pub fn presets() -> Result<JsValue, JsValue> {
    to_js(&presets::all())
}

/// PD reference data: ligands (Ki, fu), ke0 endpoints and concentration landmarks, each with
/// source and provenance, and the dissociative onset.
#[wasm_bindgen(js_name = pdTables)]
pub fn pd_tables() -> Result<JsValue, JsValue> {
    to_js(&pd::tables())
}

/// Every numeric limit of a scenario (`[{field, min, max, unit}]`), the browser's population
/// limits included.
#[wasm_bindgen]
pub fn limits() -> Result<JsValue, JsValue> {
    to_js(&crate::scenario::limits::table())
}

/// Defaults: the scenario the page starts from, the population, the routes with their names.
#[wasm_bindgen]
pub fn defaults() -> Result<JsValue, JsValue> {
    to_js(&crate::scenario::Defaults::get().map_err(js_error)?)
}

/// Context-sensitive half-times (min) of `model_id` at `weight_kg` for each infusion duration,
/// textbook definition (Hughes 1992): the plasma concentration held constant for the duration,
/// then the time for it to fall by half ([`crate::csht::context_sensitive_half_time`]; not the
/// constant-rate variant).
#[wasm_bindgen]
pub fn csht(
    model_id: &str,
    weight_kg: f64,
    durations_min: &[f64],
) -> Result<Float64Array, JsValue> {
    if durations_min.len() > 1000 {
        return Err(js_error(Error::TooLarge {
            what: "durations".into(),
            value: durations_min.len() as u64,
            limit: 1000,
        }));
    }
    check_weight(weight_kg)?;
    let m = models::get(model_id).map_err(js_error)?;
    let c = crate::csht::csht_curve(m, weight_kg, durations_min).map_err(js_error)?;
    let v: Vec<f64> = c.into_iter().map(|(_, h)| h).collect();
    Ok(Float64Array::from(&v[..]))
}
