//! CSV and JSON export of a [`SimulationResult`] (shared by the CLI and the browser).

use crate::error::{Error, Result};
use crate::simulate::SimulationResult;

/// Column names of [`to_csv`], in order.
///
/// ```
/// let r = ketasim::simulate(&ketasim::presets::get("analgesic_bolus")?.scenario)?;
/// let cols = ketasim::export::csv_columns(&r);
/// assert_eq!(cols[0], "t_min");
/// assert!(cols.contains(&"ketamine_cp_ng_per_ml".to_string()));
/// assert!(cols.contains(&"occupancy_percent_model_derived".to_string()));
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn csv_columns(r: &SimulationResult) -> Vec<String> {
    let mut cols = vec!["t_min".to_string()];
    for a in &r.analytes {
        for q in ["cp_ng_per_ml", "cp_um", "ce_ng_per_ml", "ce_unbound_um"] {
            cols.push(format!("{}_{q}", a.id));
        }
        if !a.formed_mg.is_empty() {
            cols.push(format!("{}_formed_mg", a.id));
        }
    }
    cols.push("occupancy_percent_model_derived".into());
    for c in &r.compartments {
        cols.push(format!("{}_amount_mg", c.name));
    }
    cols.push("eliminated_mg".into());
    cols.push("input_mg".into());
    cols
}

/// The time courses as CSV, one row per output time.
pub fn to_csv(r: &SimulationResult) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Numerical(format!("CSV: {e}"));
    w.write_record(csv_columns(r)).map_err(err)?;
    let mut row: Vec<String> = Vec::new();
    for k in 0..r.t_min.len() {
        row.clear();
        row.push(fmt(r.t_min[k]));
        for a in &r.analytes {
            row.push(fmt(a.cp_ng_per_ml[k]));
            row.push(fmt(a.cp_um[k]));
            row.push(fmt(a.ce_ng_per_ml[k]));
            row.push(fmt(a.ce_unbound_um[k]));
            if let Some(f) = a.formed_mg.get(k) {
                row.push(fmt(*f));
            }
        }
        row.push(fmt(100.0 * r.occupancy[k]));
        for c in &r.compartments {
            row.push(fmt(c.amount_mg[k]));
        }
        row.push(fmt(r.eliminated_mg[k]));
        row.push(fmt(r.input_mg[k]));
        w.write_record(&row).map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Numerical(format!("CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Numerical(format!("CSV: {e}")))
}

/// Shortest text that reads back to the same `f64`.
fn fmt(x: f64) -> String {
    format!("{x}")
}

/// The full result as JSON.
pub fn to_json(r: &SimulationResult) -> Result<String> {
    serde_json::to_string(r).map_err(|e| Error::Numerical(format!("JSON: {e}")))
}
