//! CSV and JSON export of any result the engine produces: one field per column in every row,
//! every number short and read back exactly, JSON that parses.
#![no_main]

use ketasim::Scenario;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(sc) = Scenario::from_json(text) else {
        return;
    };
    if sc.validate().is_err() || !common::cheap(&sc) {
        return;
    }
    let Ok(r) = ketasim::simulate(&sc) else {
        return;
    };
    let csv = ketasim::export::to_csv(&r).expect("CSV");
    let cols = ketasim::export::csv_columns(&r);
    let mut lines = csv.lines();
    assert_eq!(lines.next().map(|h| h.split(',').count()), Some(cols.len()));
    let mut n = 0;
    for (k, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), cols.len(), "row {k}");
        for f in &fields {
            assert!(f.len() <= 24, "a long number: {f}");
            f.parse::<f64>().expect("a number");
        }
        assert_eq!(fields[0].parse::<f64>().ok(), Some(r.t_min[k]), "time of row {k}");
        n += 1;
    }
    assert_eq!(n, r.t_min.len());
    let json = ketasim::export::to_json(&r).expect("JSON");
    let v: serde_json::Value = serde_json::from_str(&json).expect("the JSON parses");
    assert_eq!(v["t_min"].as_array().map(Vec::len), Some(r.t_min.len()));
});
