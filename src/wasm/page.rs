//! Exports of the page's main module: single runs and metadata.

use super::{f64s, js_error, parse, set, to_js};
use crate::{export, metrics, models, pd, presets, simulate::SimulationResult, Error};
use js_sys::{Array, Float64Array, Object};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn check_weight(weight_kg: f64) -> Result<(), JsValue> {
    let (lo, hi) = crate::scenario::limits::WEIGHT_KG;
    crate::error::check_range(|| "patient.weight_kg".into(), weight_kg, lo, hi, "kg")
        .map_err(js_error)
}

fn result_to_js(r: &SimulationResult) -> Result<JsValue, JsValue> {
    let o = Object::new();
    set(&o, "modelId", &r.model_id.as_str().into());
    set(&o, "method", &to_js(&r.method)?);
    set(&o, "ke0PerMin", &r.ke0_per_min.into());
    set(&o, "tMin", &f64s(&r.t_min));
    let analytes = Array::new();
    for a in &r.analytes {
        let ao = Object::new();
        set(&ao, "id", &a.id.as_str().into());
        set(&ao, "name", &a.name.as_str().into());
        set(&ao, "mwGPerMol", &a.mw_g_per_mol.into());
        set(&ao, "cpNgPerMl", &f64s(&a.cp_ng_per_ml));
        set(&ao, "cpUm", &f64s(&a.cp_um));
        set(&ao, "ceNgPerMl", &f64s(&a.ce_ng_per_ml));
        set(&ao, "ceUnboundUm", &f64s(&a.ce_unbound_um));
        set(&ao, "formedMg", &f64s(&a.formed_mg));
        analytes.push(&ao);
    }
    set(&o, "analytes", &analytes);
    set(&o, "occupancy", &f64s(&r.occupancy));
    let comps = Array::new();
    for c in &r.compartments {
        let co = Object::new();
        set(&co, "name", &c.name.as_str().into());
        set(&co, "analyte", &c.analyte.as_str().into());
        set(&co, "amountMg", &f64s(&c.amount_mg));
        comps.push(&co);
    }
    set(&o, "compartments", &comps);
    set(&o, "eliminatedMg", &f64s(&r.eliminated_mg));
    set(&o, "inputMg", &f64s(&r.input_mg));
    set(&o, "metrics", &to_js(&r.metrics)?);
    set(&o, "warnings", &to_js(&r.warnings)?);
    Ok(o.into())
}

/// Validates and simulates a scenario (same JSON shape as the CLI's).
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModelInfo<'a> {
    #[serde(flatten)]
    spec: &'a crate::model::ModelSpec,
    derived: crate::model::Derived,
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PdTables {
    ligands: &'static [pd::Ligand],
    ke0_endpoints: &'static [pd::Ke0Endpoint],
    landmarks: &'static [pd::Landmark],
}

/// PD reference data: ligands (Ki, fu), ke0 endpoints and concentration landmarks, each with
/// source and provenance.
#[wasm_bindgen(js_name = pdTables)]
pub fn pd_tables() -> Result<JsValue, JsValue> {
    to_js(&PdTables {
        ligands: pd::ligands(),
        ke0_endpoints: pd::ke0_endpoints(),
        landmarks: pd::landmarks(),
    })
}

/// Context-sensitive half-times (min) of `model_id` at `weight_kg` for each infusion duration.
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
    let c = metrics::csht_curve(m, weight_kg, durations_min).map_err(js_error)?;
    let v: Vec<f64> = c.into_iter().map(|(_, h)| h).collect();
    Ok(Float64Array::from(&v[..]))
}
