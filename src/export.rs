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
    if !r.pump_rate_mg_per_h.is_empty() {
        cols.push("pump_rate_mg_per_h".into());
        cols.push("pump_rate_ml_per_h".into());
    }
    if r.scenario.patient.clearance_multiplier != 1.0 {
        cols.push("clearance_multiplier_what_if_assumption".into());
    }
    cols.extend(crate::monitoring::csv_columns(&r.monitoring));
    cols
}

/// The time courses as CSV, one row per output time.
///
/// Written with `csv-core`, the `csv` crate's own writer core (its quoting and terminator
/// rules) without the `io::Write` layer: 2 KB less in the gzipped WebAssembly build, which
/// sits close to its 150 KB budget.
pub fn to_csv(r: &SimulationResult) -> Result<String> {
    let cols = csv_columns(r);
    let mut out = Vec::with_capacity(r.t_min.len() * cols.len() * 12);
    let mut w = CsvWriter::new();
    w.record(&mut out, cols.iter().map(String::as_str))?;
    let mut row: Vec<String> = Vec::with_capacity(cols.len());
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
        if let (Some(mg), Some(ml)) = (r.pump_rate_mg_per_h.get(k), r.pump_rate_ml_per_h.get(k)) {
            row.push(fmt(*mg));
            row.push(fmt(*ml));
        }
        if r.scenario.patient.clearance_multiplier != 1.0 {
            row.push(fmt(r.scenario.patient.clearance_multiplier));
        }
        for v in &r.monitoring.vitals {
            for s in [&v.change, &v.change_low, &v.change_high, &v.value] {
                row.push(fmt(s[k]));
            }
        }
        w.record(&mut out, row.iter().map(String::as_str))?;
    }
    String::from_utf8(out).map_err(|e| Error::Output {
        format: "CSV",
        message: e.to_string(),
    })
}

/// A record writer over `csv_core::Writer` into a growing buffer.
struct CsvWriter {
    core: csv_core::Writer,
    buf: [u8; 256],
}

impl CsvWriter {
    fn new() -> Self {
        CsvWriter {
            core: csv_core::Writer::new(),
            buf: [0; 256],
        }
    }

    fn record<'a>(
        &mut self,
        out: &mut Vec<u8>,
        fields: impl Iterator<Item = &'a str>,
    ) -> Result<()> {
        use csv_core::WriteResult;
        for (i, field) in fields.enumerate() {
            if i > 0 {
                let (res, n) = self.core.delimiter(&mut self.buf);
                out.extend_from_slice(&self.buf[..n]);
                if res != WriteResult::InputEmpty {
                    return Err(Error::Output {
                        format: "CSV",
                        message: "no room for a delimiter".into(),
                    });
                }
            }
            let mut input = field.as_bytes();
            loop {
                let (res, nin, nout) = self.core.field(input, &mut self.buf);
                out.extend_from_slice(&self.buf[..nout]);
                input = &input[nin..];
                if res == WriteResult::InputEmpty {
                    break;
                }
            }
        }
        let (res, n) = self.core.terminator(&mut self.buf);
        out.extend_from_slice(&self.buf[..n]);
        if res != WriteResult::InputEmpty {
            return Err(Error::Output {
                format: "CSV",
                message: "no room for a line terminator".into(),
            });
        }
        Ok(())
    }
}

/// Shortest text that reads back to the same `f64`, with an exponent for very small or large
/// magnitudes (`5e-324`, not 324 digits; [`crate::text::num`]).
fn fmt(x: f64) -> String {
    crate::text::num(x)
}

/// The full result as JSON.
pub fn to_json(r: &SimulationResult) -> Result<String> {
    serde_json::to_string(r).map_err(|e| Error::Output {
        format: "JSON",
        message: e.to_string(),
    })
}
