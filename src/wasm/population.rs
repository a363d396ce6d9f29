//! Exports of the population workers' module (`population-module` feature).
//!
//! Arguments are `JsValue`s read by the checks of the parent module (see there why); the
//! TypeScript types say what each must be.

use super::{f32_list, f64_list, f64s, items, js_error, number, scenario, set, to_js, whole};
use crate::population::{self, limits, BlockStats, Part, Population, SubjectRows, SubjectSummary};
use crate::Scenario;
use js_sys::{Array, Float32Array, Object};
use wasm_bindgen::prelude::*;

/// Validates the scenario, then checks the browser's limits ([`population::for_browser`]).
fn population_of(sc: &Scenario) -> Result<Population<'_>, JsError> {
    population::for_browser(sc).map_err(|e| js_error(&e))
}

/// What a population run of `scenario` (JSON text) will produce, after validating it against
/// the browser's limits: `{size, t_min, quantities: [{key, label, unit, um_per_ng_per_ml}],
/// ce_quantity, threshold_ng_per_ml, percentiles, histogram_bins}`.
#[wasm_bindgen(js_name = populationLayout)]
pub fn population_layout(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    let pop = population_of(&sc)?;
    let o = Object::new();
    set(&o, "size", &pop.size().into());
    set(&o, "t_min", &f64s(pop.t_min()));
    set(&o, "quantities", &to_js(pop.quantities())?);
    set(&o, "ce_quantity", &(pop.ce_quantity() as u32).into());
    set(&o, "threshold_ng_per_ml", &pop.threshold_ng_per_ml().into());
    set(&o, "percentiles", &f64s(&population::PERCENTILES));
    set(
        &o,
        "histogram_bins",
        &(population::HISTOGRAM_BINS as u32).into(),
    );
    Ok(o.into())
}

/// Simulates subjects `start .. start + count` of the scenario's (JSON text) population. The
/// rows of those that ran are returned cut into blocks of output points at `cuts` (ascending
/// point indices, first 0, last the number of points): `blocks[b]` holds, subject after
/// subject, each quantity's values at points `cuts[b] .. cuts[b+1]` (Float32Array), ready for
/// [`population_block_stats`] in whichever worker owns block `b`. Also `weight_kg`,
/// `cmax_ng_per_ml`, `recovery_min` (NaN: not within the horizon), one per subject that ran,
/// and `failed`: the subjects whose simulation failed (`[{index, weight_kg, factors, error}]`),
/// left out of everything else.
#[wasm_bindgen(js_name = populationSimulate)]
pub fn population_simulate(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] start: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] count: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint32Array | number[]")] cuts: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    let pop = population_of(&sc)?;
    let size = pop.size();
    let start = whole(&start, "start", 0, size)?;
    let count = whole(&count, "count", 0, size - start)?;
    let npts = pop.t_min().len();
    let cuts = f64_list(&cuts, "cuts", npts + 1)?;
    let ok = cuts.len() >= 2
        && cuts[0] == 0.0
        && cuts[cuts.len() - 1] == npts as f64
        && cuts.windows(2).all(|w| w[0] < w[1])
        && cuts.iter().all(|c| c.fract() == 0.0);
    if !ok {
        return Err(super::arg_error(
            "cuts",
            format!("must rise in whole numbers from 0 to the number of output points ({npts})"),
        ));
    }
    let SubjectRows {
        rows,
        summaries,
        failed,
    } = pop
        .simulate_range(u64::from(start), count, false, &|_| {})
        .map_err(|e| js_error(&e))?;
    let nq = pop.quantities().len();
    let blocks = Array::new();
    for w in cuts.windows(2) {
        let (k0, k1) = (w[0] as usize, w[1] as usize);
        let mut block = Vec::with_capacity(summaries.len() * nq * (k1 - k0));
        for series in rows.chunks_exact(npts) {
            block.extend_from_slice(&series[k0..k1]);
        }
        blocks.push(&Float32Array::from(&block[..]));
    }
    let o = Object::new();
    set(&o, "blocks", &blocks);
    let each = |f: &dyn Fn(&SubjectSummary) -> f64| -> JsValue {
        f64s(&summaries.iter().map(f).collect::<Vec<_>>())
    };
    set(&o, "weight_kg", &each(&|s| s.weight_kg));
    set(&o, "cmax_ng_per_ml", &each(&|s| s.cmax_ng_per_ml));
    set(
        &o,
        "recovery_min",
        &each(&|s| s.recovery_min.unwrap_or(f64::NAN)),
    );
    set(&o, "failed", &to_js(&failed)?);
    Ok(o.into())
}

/// Percentiles of every quantity and the fraction of subjects at or above `threshold_ng_per_ml`
/// (quantity `ce_quantity`) at each of `n_points` points, over the subjects of all `parts`
/// (blocks of [`population_simulate`] for the same points, from any split of the subjects):
/// `{bands: Float64Array [(quantity·5 + percentile)·n_points + point], fraction_above}`.
/// The parts hold at most the browser's population limits (subjects, and subjects × points).
#[wasm_bindgen(js_name = populationBlockStats)]
pub fn population_block_stats(
    #[wasm_bindgen(unchecked_param_type = "Float32Array[]")] parts: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] n_quantities: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] n_points: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] ce_quantity: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] threshold_ng_per_ml: JsValue,
) -> Result<JsValue, JsError> {
    // sizes a caller controls are bounded before anything is allocated from them
    let max_points = crate::scenario::limits::MAX_POINTS as u32;
    let nq = whole(&n_quantities, "n_quantities", 1, 64)? as usize;
    let np = whole(&n_points, "n_points", 1, max_points)? as usize;
    let ce = whole(&ce_quantity, "ce_quantity", 0, nq as u32 - 1)? as usize;
    let threshold = number(&threshold_ng_per_ml, "threshold_ng_per_ml")?;
    // at most the browser's subjects and subjects × points, whatever the split
    let max_subjects = (limits::BROWSER_MAX_VALUES / np as u64)
        .min(u64::from(limits::BROWSER_MAX_SUBJECTS))
        .max(1) as usize;
    let max_values = max_subjects * nq * np;
    let list = items(&parts, "parts", 1024)?;
    let mut data: Vec<Vec<f32>> = Vec::with_capacity(list.len());
    let mut total = 0usize;
    for (i, p) in list.iter().enumerate() {
        let field = format!("parts[{i}]");
        if !p.is_instance_of::<Float32Array>() {
            return Err(super::arg_error(
                &field,
                "must be a Float32Array from populationSimulate",
            ));
        }
        let d = f32_list(p, &field, max_values)?;
        if total + d.len() > max_values {
            return Err(js_error(&crate::Error::TooLarge {
                what: "parts: values in all (subjects × n_quantities × n_points, at most the \
                       browser's population)"
                    .into(),
                value: (total + d.len()) as u64,
                limit: max_values as u64,
            }));
        }
        if d.len() % (nq * np) != 0 {
            return Err(super::arg_error(
                &field,
                "must hold whole subject rows (n_quantities × n_points values each)",
            ));
        }
        total += d.len();
        data.push(d);
    }
    let parts: Vec<Part> = data
        .iter()
        .map(|d| Part {
            rows: d,
            n_quantities: nq,
            n_points: np,
        })
        .collect();
    let st: BlockStats = population::block_stats(&parts, ce, threshold, false);
    let o = Object::new();
    set(&o, "bands", &f64s(&st.bands));
    set(&o, "fraction_above", &f64s(&st.fraction_above));
    Ok(o.into())
}

/// Percentiles (5/25/50/75/95) and a `bins`-bin histogram of per-subject values (an array or
/// typed array of numbers, at most the browser's subject limit; NaN values, e.g. no recovery
/// within the horizon, are left out).
#[wasm_bindgen(js_name = populationDistribution)]
pub fn population_distribution(
    #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] values: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] bins: JsValue,
) -> Result<JsValue, JsError> {
    let bins = whole(&bins, "bins", 1, 200)?;
    let values = f64_list(&values, "values", limits::BROWSER_MAX_SUBJECTS as usize)?;
    let v: Vec<f64> = values.into_iter().filter(|x| !x.is_nan()).collect();
    to_js(&population::distribution(&v, bins as usize))
}

/// The whole population run of a scenario (JSON text) in one call (one thread): the same
/// result as the CLI's `population --format json`.
#[wasm_bindgen(js_name = simulatePopulation)]
pub fn simulate_population(
    #[wasm_bindgen(unchecked_param_type = "string")] scenario_json: JsValue,
) -> Result<JsValue, JsError> {
    let sc = scenario(&scenario_json)?;
    let pop = population_of(&sc)?;
    let r = pop.run(false, &|_| {}).map_err(|e| js_error(&e))?;
    to_js(&r)
}
