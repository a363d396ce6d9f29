//! The `ketasim` binary: presets to CSV, model table, CSHT, clear errors.

use std::io::Write;
use std::process::{Command, Stdio};

pub(super) fn ketasim(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ketasim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_preset_simulates_to_csv() {
    for p in ketasim::presets::all() {
        let (code, out, err) = ketasim(&["simulate", "--preset", p.id], None);
        assert_eq!(code, 0, "{}: {err}", p.id);
        let mut lines = out.lines();
        let header = lines.next().unwrap();
        let drug = ketasim::models::get(&p.scenario.model).unwrap().analytes[0]
            .id
            .to_string();
        assert!(
            header.starts_with(&format!("t_min,{drug}_cp_ng_per_ml,{drug}_cp_um,")),
            "{header}"
        );
        assert_eq!(lines.count() as u64, p.scenario.n_points(), "{}", p.id);
    }
}

#[test]
fn simulate_reads_a_file_or_stdin_and_writes_json() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/standard_infusion.json"
    );
    let (code, csv, _) = ketasim(&["simulate", fixture], None);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(fixture).unwrap();
    let (code, csv2, _) = ketasim(&["simulate", "-"], Some(&text));
    assert_eq!(code, 0);
    assert_eq!(csv, csv2);
    let (code, json, _) = ketasim(&["simulate", fixture, "--format", "json"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["model_id"], "kamp2020");
    assert!(
        v["metrics"]["analytes"][0]["cmax_ng_per_ml"]
            .as_f64()
            .unwrap()
            > 185.0
    );
}

#[test]
fn bad_input_exits_nonzero_with_one_clear_line() {
    let (code, out, err) = ketasim(
        &["simulate", "-"],
        Some(r#"{"patient":{"weight_kg":0},"regimen":[],"horizon_min":60}"#),
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("patient.weight_kg = 0 is out of range"),
        "{err}"
    );
    let (code, _, err) = ketasim(&["simulate", "/no/such/file.json"], None);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: scenario: /no/such/file.json"),
        "{err}"
    );
    let (code, _, err) = ketasim(&["simulate", "-"], Some("not json"));
    assert_eq!(code, 2);
    assert!(!err.contains("panicked"));
}

#[test]
fn models_and_csht_list_every_model_with_its_source() {
    let (code, out, _) = ketasim(&["models"], None);
    assert_eq!(code, 0);
    for m in ketasim::models::all() {
        let line = out.lines().find(|l| l.starts_with(&*m.id)).unwrap();
        assert!(line.contains(&m.citation[..20]), "{line}");
    }
    let (code, out, _) = ketasim(
        &["csht", "--model", "domino1982", "--durations-min", "10,60"],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 3);
    let (code, out, _) = ketasim(&["presets", "antidepressant_40min"], None);
    assert_eq!(code, 0);
    ketasim::Scenario::from_json(&out)
        .unwrap()
        .validate()
        .unwrap();
}

#[test]
fn population_prints_percentile_bands() {
    let (code, out, err) = ketasim(
        &[
            "population",
            "--preset",
            "antidepressant_40min",
            "--size",
            "50",
            "--seed",
            "3",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with(
            "t_min,cp_ketamine_ng_per_ml_p5,cp_ketamine_ng_per_ml_p25,cp_ketamine_ng_per_ml_p50"
        ),
        "{header}"
    );
    assert!(header.ends_with(",fraction_ce_above_threshold"));
    assert_eq!(lines.count(), 361);
    let (code, _, err) = ketasim(
        &[
            "population",
            "--preset",
            "antidepressant_40min",
            "--size",
            "0",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("population.size = 0 is out of range"), "{err}");
}

#[test]
fn summary_reports_the_tci_pump_and_the_what_if_clearance() {
    let sc = r#"{"patient": {"weight_kg": 70, "clearance_multiplier": 0.5},
        "regimen": [{"kind": "tci", "target": "occupancy", "target_percent": 40,
                     "duration_min": 60}],
        "horizon_min": 120}"#;
    let (code, out, err) = ketasim(&["simulate", "-", "--format", "summary"], Some(sc));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("TCI (occupancy target) 0.0–60.0 min: first rate"),
        "{out}"
    );
    assert!(out.contains("needs Ce"), "{out}");
    assert!(out.contains("from 0.0 min: target 40 %"), "{out}");
    assert!(
        out.contains("what-if: drug clearance × 0.5 (ASSUMPTION"),
        "{out}"
    );
    let (code, csv, _) = ketasim(&["simulate", "-"], Some(sc));
    assert_eq!(code, 0);
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains(
            ",pump_rate_mg_per_h,pump_rate_ml_per_h,clearance_multiplier_what_if_assumption,"
        ),
        "{header}"
    );
}

#[test]
fn a_users_model_runs_from_the_cli_and_its_mistakes_are_named() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/user_model_three_compartment.json"
    );
    let (code, out, err) = ketasim(&["simulate", fixture, "--format", "json"], None);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["model_id"], "user:three_compartment");
    let text = std::fs::read_to_string(fixture).unwrap();
    let bad = text.replacen("\"ki_um\": 0.53", "\"ki_um\": -1", 1);
    assert_ne!(bad, text);
    let (code, _, err) = ketasim(&["simulate", "-"], Some(&bad));
    assert_eq!(code, 2);
    assert!(
        err.contains("model_spec.analytes[0].binding.ki_um = -1 is out of range"),
        "{err}"
    );
}
