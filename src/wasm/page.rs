//! Exports of the page's main module: single runs, the scenario edits that need a rule, and
//! metadata (models, presets, PD tables, limits, defaults).
//!
//! Arguments are `JsValue`s read by the checks of the parent module (see there why); the
//! TypeScript types say what each must be.

use super::{f64_list, f64s, js_error, number, scenario, set, text, to_js};
use crate::model::Route;
use crate::scenario::limits::MAX_CSHT_DURATIONS;
use crate::{edit, export, models, pd, presets, simulate::SimulationResult, Error};
use js_sys::{Array, Float64Array, Object};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn weight(v: &JsValue) -> Result<f64, JsError> {
    let weight_kg = number(v, "patient.weight_kg")?;
    let (lo, hi) = crate::scenario::limits::WEIGHT_KG;
    crate::error::check_range(|| "patient.weight_kg".into(), weight_kg, lo, hi, "kg")
        .map_err(|e| js_error(&e))?;
    Ok(weight_kg)
}

/// The result with the keys of its serde form (snake_case, as in the CLI's JSON); series as
/// `Float64Array`s.
fn result_to_js(r: &SimulationResult) -> Result<JsValue, JsError> {
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
fn monitoring_to_js(m: &crate::monitoring::Monitoring) -> Result<JsValue, JsError> {
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
    let vitals = Array::from(
        &js_sys::Reflect::get(&o, &"vitals".into())
            .map_err(|_| JsError::new("monitoring: no vitals in the converted result"))?,
    );
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

/// Validates and simulates a scenario, given as its JSON text (`JSON.stringify(scenario)`: the
/// CLI's format). The result carries the validated scenario that produced it.
#[wasm_bindgen]
pub fn simulate(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    let r = crate::simulate(&sc).map_err(|e| js_error(&e))?;
    result_to_js(&r)
}

/// Validates a scenario's JSON text without running it (throws the same errors as `simulate`).
#[wasm_bindgen(js_name = validateScenario)]
pub fn validate_scenario(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
) -> Result<(), JsError> {
    scenario(&scenario_json)?
        .validate()
        .map_err(|e| js_error(&e))
}

/// The time courses of a scenario (JSON text) as CSV text (columns as the CLI's `--format
/// csv`).
#[wasm_bindgen(js_name = simulateCsv)]
pub fn simulate_csv(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
) -> Result<String, JsError> {
    let sc = scenario(&scenario_json)?;
    let r = crate::simulate(&sc).map_err(|e| js_error(&e))?;
    export::to_csv(&r).map_err(|e| js_error(&e))
}

/// The horizon and output step of the span `span` (`2h`, `6h`, `24h`, `3d`, `course`; see
/// `ketasim::edit::with_span`) for the scenario (JSON text): `{horizon_min, output_step_min}`.
#[wasm_bindgen(js_name = withSpan)]
pub fn with_span(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] span: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    let span = text(&span, "span", 64)?;
    to_js(&edit::with_span(&sc, &span).map_err(|e| js_error(&e))?)
}

/// The scenario's (JSON text) regimen with a new step of `kind` (`bolus`, `infusion`, `tci`)
/// appended where the regimen's dosing ends (see `ketasim::edit::with_step`): `{model,
/// regimen, note}`.
#[wasm_bindgen(js_name = withStep)]
pub fn with_step(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    let kind = text(&kind, "kind", 64)?;
    let kind = match kind.as_str() {
        "bolus" => crate::scenario::DoseKind::Bolus,
        "infusion" => crate::scenario::DoseKind::Infusion,
        "tci" => crate::scenario::DoseKind::Tci,
        other => {
            return Err(js_error(&Error::invalid(
                "kind",
                format!(
                    "unknown step kind '{}'; one of bolus, infusion, tci",
                    crate::text::quoted(other, 64)
                ),
            )))
        }
    };
    to_js(&edit::with_step(&sc, kind).map_err(|e| js_error(&e))?)
}

/// The CSHT chart of a scenario (JSON text; `ketasim::csht::CshtCurves::for_scenario`): the
/// textbook context-sensitive half-time and the time to recover below the recovery threshold
/// against infusion duration, 1 min to 8 h.
#[wasm_bindgen(js_name = cshtCurves)]
pub fn csht_curves(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    to_js(&crate::csht::CshtCurves::for_scenario(&sc).map_err(|e| js_error(&e))?)
}

/// The scenario's (JSON text) model and regimen given by `route` (see
/// `ketasim::edit::with_route`): `{model, regimen, note}`.
#[wasm_bindgen(js_name = withRoute)]
pub fn with_route(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] route: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    let route = text(&route, "regimen[0].route", 64)?;
    let r = Route::ALL
        .into_iter()
        .find(|r| r.id() == route)
        .ok_or_else(|| {
            js_error(&Error::invalid(
                "regimen[0].route",
                format!(
                    "unknown route '{}'; one of iv, im, oral, sublingual, intranasal",
                    crate::text::quoted(&route, 64)
                ),
            ))
        })?;
    to_js(&edit::with_route(&sc, r).map_err(|e| js_error(&e))?)
}

/// The scenario's (JSON text) regimen on `model_id` (see `ketasim::edit::with_model`):
/// `{model, regimen, note}`.
#[wasm_bindgen(js_name = withModel)]
pub fn with_model(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] model_id: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    let model_id = text(&model_id, "model", 256)?;
    to_js(&edit::with_model(&sc, &model_id).map_err(|e| js_error(&e))?)
}

/// What a shared link's scenario (JSON text) can keep: the scenario with an unknown model or
/// effect-site endpoint replaced by the default, and a message for each replacement
/// (`{scenario, notes}`; see `ketasim::edit::link_fallback`). Anything else is left for
/// validation to name.
#[wasm_bindgen(js_name = linkFallback)]
pub fn link_fallback(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
) -> Result<JsValue, JsError> {
    let json = text(
        &scenario_json,
        "scenario",
        crate::scenario::json::MAX_JSON_BYTES,
    )?;
    to_js(&edit::link_fallback(&json).map_err(|e| js_error(&e))?)
}

#[derive(Serialize)]
struct ModelInfo<'a> {
    #[serde(flatten)]
    spec: &'a crate::model::ModelSpec,
    derived: crate::model::Derived,
    drug_form: pd::DrugForm,
    population_variation: crate::model::PopulationVariation,
}

impl<'a> ModelInfo<'a> {
    fn of(m: &'a crate::model::ModelSpec, weight_kg: f64) -> Result<Self, Error> {
        Ok(ModelInfo {
            spec: m,
            derived: m.derived(weight_kg)?,
            drug_form: pd::DrugForm::of(m),
            population_variation: m.population_variation(),
        })
    }
}

/// Every model with its citation, parameters (value, unit, scaling, provenance), structure and
/// derived values at `weight_kg`.
#[wasm_bindgen]
pub fn models(
    #[wasm_bindgen(unchecked_param_type = "number")] weight_kg: JsValue,
) -> Result<JsValue, JsError> {
    let weight_kg = weight(&weight_kg)?;
    let list = models::all()
        .iter()
        .map(|m| ModelInfo::of(m, weight_kg))
        .collect::<Result<Vec<_>, Error>>()
        .map_err(|e| js_error(&e))?;
    to_js(&list)
}

/// The model of a scenario (JSON text), validated, with the same fields as each entry of
/// `models()`: a user-defined model (`model_spec`, provenance USER) or a built-in one.
#[wasm_bindgen(js_name = modelInfo)]
pub fn model_info(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    sc.validate().map_err(|e| js_error(&e))?;
    let m = sc.model_spec().map_err(|e| js_error(&e))?;
    to_js(&ModelInfo::of(m, sc.patient.weight_kg).map_err(|e| js_error(&e))?)
}

/// The built-in teaching scenarios.
#[wasm_bindgen]
pub fn presets() -> Result<JsValue, JsError> {
    to_js(&presets::all())
}

/// PD reference data: ligands (Ki, fu), ke0 endpoints and concentration landmarks, each with
/// source and provenance, and the dissociative onset.
#[wasm_bindgen(js_name = pdTables)]
pub fn pd_tables() -> Result<JsValue, JsError> {
    to_js(&pd::tables())
}

/// Every numeric limit of a scenario (`[{field, min, max, unit}]`), the browser's population
/// limits included.
#[wasm_bindgen]
pub fn limits() -> Result<JsValue, JsError> {
    to_js(&crate::scenario::limits::table())
}

/// Defaults: the scenario the page starts from, the population, the routes with their names.
#[wasm_bindgen]
pub fn defaults() -> Result<JsValue, JsError> {
    to_js(&crate::scenario::Defaults::get().map_err(|e| js_error(&e))?)
}

/// Context-sensitive half-times (min) of `model_id` at `weight_kg` for each infusion duration
/// (`durations_min`: an array or typed array of numbers, at most 1000), textbook definition
/// (Hughes 1992): the plasma concentration held constant for the duration, then the time for
/// it to fall by half ([`crate::csht::context_sensitive_half_time`]; not the constant-rate
/// variant).
#[wasm_bindgen]
pub fn csht(
    #[wasm_bindgen(unchecked_param_type = "string")] model_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] weight_kg: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] durations_min: JsValue,
) -> Result<Float64Array, JsError> {
    let model_id = text(&model_id, "model", 256)?;
    let weight_kg = weight(&weight_kg)?;
    let durations = f64_list(&durations_min, "durations_min", MAX_CSHT_DURATIONS)?;
    let m = models::get(&model_id).map_err(|e| js_error(&e))?;
    let c = crate::csht::csht_curve(m, weight_kg, &durations).map_err(|e| js_error(&e))?;
    let v: Vec<f64> = c.into_iter().map(|(_, h)| h).collect();
    Ok(Float64Array::from(&v[..]))
}

/// The default lecture (ketamine for treatment-resistant depression, eight scenes).
#[wasm_bindgen]
pub fn lecture() -> Result<JsValue, JsError> {
    to_js(&crate::lecture::Lecture::depression().map_err(|e| js_error(&e))?)
}

/// Reads and validates a lecture from its JSON text (`JSON.stringify(lecture)`); errors name
/// the scene and the field, e.g. `scenes[2].scenario.regimen[0].dose_mg_per_kg`.
#[wasm_bindgen(js_name = readLecture)]
pub fn read_lecture(
    #[wasm_bindgen(unchecked_param_type = "string")] lecture_json: JsValue,
) -> Result<JsValue, JsError> {
    let json = text(
        &lecture_json,
        "lecture",
        crate::scenario::json::MAX_JSON_BYTES,
    )?;
    to_js(&crate::lecture::Lecture::from_json(&json).map_err(|e| js_error(&e))?)
}

/// Amounts in every compartment and fluxes along every arrow of the model's diagram, at most
/// `max_points` output times of the scenario (JSON text), for the animated diagram.
#[wasm_bindgen]
pub fn diagram(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] max_points: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    let n = number(&max_points, "max_points")?;
    let max = crate::diagram::MAX_DIAGRAM_POINTS as f64;
    if !(n.fract() == 0.0 && (2.0..=max).contains(&n)) {
        return Err(js_error(&Error::out_of_range(
            "max_points",
            n,
            2.0,
            max,
            "points",
        )));
    }
    to_js(&crate::diagram::DiagramTrace::of(&sc, n as usize).map_err(|e| js_error(&e))?)
}

/// The scenario's initial-value problem for its typical patient as plain data (matrix, inputs,
/// binding constants, grid): what the browser benchmark gives the JavaScript solvers, so they
/// integrate exactly the engine's problem.
#[wasm_bindgen(js_name = odeProblem)]
pub fn ode_problem(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    to_js(&crate::simulate::problem::OdeProblem::of(&sc).map_err(|e| js_error(&e))?)
}
