//! Exports of the population workers' module (`population-module` feature).

use super::{f64s, js_error, parse, set, to_js};
use crate::population::{self, BlockStats, Part, Population, SubjectSummary};
use crate::{Error, Scenario};
use js_sys::{Array, Float32Array, Object};
use wasm_bindgen::prelude::*;

fn population_of(sc: &Scenario) -> Result<Population<'_>, JsValue> {
    population::check_browser(sc).map_err(js_error)?;
    Population::of(sc).map_err(js_error)
}

/// What a population run of `scenario` will produce, after validating it against the browser's
/// limits: `{size, t_min, quantities: [{key, label, unit, um_per_ng_per_ml}], ce_quantity,
/// threshold_ng_per_ml, percentiles, histogram_bins}`.
#[wasm_bindgen(js_name = populationLayout)]
pub fn population_layout(scenario: JsValue) -> Result<JsValue, JsValue> {
    let sc = parse(scenario)?;
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

/// Simulates subjects `start .. start + count` of the scenario's population. Their rows are
/// returned cut into blocks of output points at `cuts` (ascending point indices, first 0, last
/// the number of points): `blocks[b]` holds, subject after subject, each quantity's values at
/// points `cuts[b] .. cuts[b+1]` (Float32Array), ready for [`population_block_stats`] in
/// whichever worker owns block `b`. Also `weight_kg`, `cmax_ng_per_ml`, `recovery_min` (NaN: not
/// within the horizon), one per subject.
#[wasm_bindgen(js_name = populationSimulate)]
pub fn population_simulate(
    scenario: JsValue,
    start: u32,
    count: u32,
    cuts: &[u32],
) -> Result<JsValue, JsValue> {
    let sc = parse(scenario)?;
    let pop = population_of(&sc)?;
    let npts = pop.t_min().len();
    let ok = cuts.len() >= 2
        && cuts[0] == 0
        && cuts[cuts.len() - 1] as usize == npts
        && cuts.windows(2).all(|w| w[0] < w[1]);
    if !ok {
        return Err(js_error(Error::invalid(
            "cuts",
            "must rise from 0 to the number of output points",
        )));
    }
    let (rows, summaries) = pop
        .simulate_range(u64::from(start), count, false, &|_| {})
        .map_err(js_error)?;
    let nq = pop.quantities().len();
    let blocks = Array::new();
    for w in cuts.windows(2) {
        let (k0, k1) = (w[0] as usize, w[1] as usize);
        let mut block = Vec::with_capacity(count as usize * nq * (k1 - k0));
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
    Ok(o.into())
}

/// Percentiles of every quantity and the fraction of subjects at or above `threshold_ng_per_ml`
/// (quantity `ce_quantity`) at each of `n_points` points, over the subjects of all `parts`
/// (blocks of [`population_simulate`] for the same points, from any split of the subjects):
/// `{bands: Float64Array [(quantity·5 + percentile)·n_points + point], fractionAbove}`.
#[wasm_bindgen(js_name = populationBlockStats)]
pub fn population_block_stats(
    parts: Array,
    n_quantities: u32,
    n_points: u32,
    ce_quantity: u32,
    threshold_ng_per_ml: f64,
) -> Result<JsValue, JsValue> {
    let (nq, np) = (n_quantities as usize, n_points as usize);
    // sizes a caller controls are bounded before anything is allocated from them
    let max_points = crate::scenario::limits::MAX_POINTS as usize;
    if !(1..=64).contains(&nq) || ce_quantity >= n_quantities {
        return Err(js_error(Error::invalid(
            "n_quantities",
            "must be 1 to 64, and above ce_quantity",
        )));
    }
    if !(1..=max_points).contains(&np) {
        return Err(js_error(Error::invalid(
            "n_points",
            format!("must be 1 to {max_points}"),
        )));
    }
    if !parts.iter().all(|p| p.is_instance_of::<Float32Array>()) {
        return Err(js_error(Error::invalid(
            "parts",
            "must be Float32Arrays from populationSimulate",
        )));
    }
    let data: Vec<Vec<f32>> = parts
        .iter()
        .map(|p| p.unchecked_into::<Float32Array>().to_vec())
        .collect();
    if data
        .iter()
        .any(|d| d.is_empty() || d.len() % (nq * np) != 0)
    {
        return Err(js_error(Error::invalid(
            "parts",
            "each part must hold one or more whole subject rows",
        )));
    }
    let parts: Vec<Part> = data
        .iter()
        .map(|d| Part {
            rows: d,
            n_quantities: nq,
            n_points: np,
        })
        .collect();
    let st: BlockStats =
        population::block_stats(&parts, ce_quantity as usize, threshold_ng_per_ml, false);
    let o = Object::new();
    set(&o, "bands", &f64s(&st.bands));
    set(&o, "fraction_above", &f64s(&st.fraction_above));
    Ok(o.into())
}

/// Percentiles (5/25/50/75/95) and a `bins`-bin histogram of per-subject values (NaN values,
/// e.g. no recovery within the horizon, are left out).
#[wasm_bindgen(js_name = populationDistribution)]
pub fn population_distribution(values: &[f64], bins: u32) -> Result<JsValue, JsValue> {
    crate::error::check_range(|| "bins".into(), f64::from(bins), 1.0, 200.0, "")
        .map_err(js_error)?;
    let v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    to_js(&population::distribution(&v, bins as usize))
}

/// The whole population run in one call (one thread): the same result as the CLI's
/// `population --format json`.
#[wasm_bindgen(js_name = simulatePopulation)]
pub fn simulate_population(scenario: JsValue) -> Result<JsValue, JsValue> {
    let sc = parse(scenario)?;
    let pop = population_of(&sc)?;
    let r = pop.run(false, &|_| {}).map_err(js_error)?;
    to_js(&r)
}
