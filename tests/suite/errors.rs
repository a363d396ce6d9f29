//! Every invalid input gives a clear error that names the field — never a panic.

use ketasim::{simulate, Error, Scenario};

fn base() -> serde_json::Value {
    serde_json::json!({
        "patient": {"weight_kg": 70},
        "regimen": [{"kind": "infusion", "dose_mg_per_kg": 0.5, "duration_min": 40}],
        "horizon_min": 240
    })
}

fn run(v: serde_json::Value) -> Error {
    let sc: Scenario = match serde_json::from_value(v) {
        Ok(s) => s,
        Err(e) => return Error::Parse(e.to_string()),
    };
    simulate(&sc).expect_err("should be rejected")
}

fn with(path: &[&str], value: serde_json::Value) -> serde_json::Value {
    let mut v = base();
    let mut cur = &mut v;
    for p in &path[..path.len() - 1] {
        cur = match p.parse::<usize>() {
            Ok(i) => &mut cur[i],
            Err(_) => &mut cur[*p],
        };
    }
    cur[path[path.len() - 1]] = value;
    v
}

fn expect_field(v: serde_json::Value, field: &str, contains: &str) {
    let e = run(v);
    assert_eq!(e.field().as_deref(), Some(field), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains(contains),
        "'{msg}' should contain '{contains}'"
    );
}

#[test]
fn out_of_range_numbers_name_field_value_and_range() {
    use serde_json::json;
    expect_field(
        with(&["patient", "weight_kg"], json!(0)),
        "patient.weight_kg",
        "allowed 1 to 250 kg",
    );
    expect_field(
        with(&["patient", "weight_kg"], json!(-3)),
        "patient.weight_kg",
        "-3",
    );
    expect_field(
        with(&["patient", "age_years"], json!(200)),
        "patient.age_years",
        "0 to 120",
    );
    expect_field(
        with(&["regimen", "0", "dose_mg_per_kg"], json!(1e9)),
        "regimen[0].dose_mg_per_kg",
        "allowed 0 to 20 mg/kg",
    );
    expect_field(
        with(&["regimen", "0", "dose_mg_per_kg"], json!(-1)),
        "regimen[0].dose_mg_per_kg",
        "-1",
    );
    expect_field(
        with(&["regimen", "0", "duration_min"], json!(0)),
        "regimen[0].duration_min",
        "0.01 to 10080 min",
    );
    expect_field(with(&["horizon_min"], json!(0)), "horizon_min", "allowed");
    expect_field(with(&["horizon_min"], json!(1e9)), "horizon_min", "259200");
    expect_field(
        with(&["output_step_min"], json!(0)),
        "output_step_min",
        "0.01",
    );
    expect_field(
        with(&["solver"], json!({"rtol": 1.0})),
        "solver.rtol",
        "allowed",
    );
    expect_field(
        with(&["pd"], json!({"recovery_threshold_ng_per_ml": 0})),
        "pd.recovery_threshold_ng_per_ml",
        "ng/mL",
    );
    expect_field(
        with(
            &["pd"],
            json!({"binding": {"kind": "kinetic", "half_time_min": 0}}),
        ),
        "pd.binding.half_time_min",
        "0.1",
    );
    expect_field(
        with(&["pd"], json!({"ke0_endpoint": "custom"})),
        "pd.ke0_per_min",
        "needs ke0_per_min",
    );
    expect_field(
        with(
            &["pd"],
            json!({"ke0_endpoint": "custom", "ke0_per_min": 1000}),
        ),
        "pd.ke0_per_min",
        "100",
    );
    expect_field(
        with(&["pd"], json!({"ke0_endpoint": "telepathy"})),
        "pd.ke0_endpoint",
        "subjective",
    );
    expect_field(
        with(&["regimen", "0", "schedule"], json!({"at_min": [-5]})),
        "regimen[0].schedule[0] (start time)",
        "-5",
    );
    expect_field(
        with(
            &["regimen", "0", "schedule"],
            json!({"every": {"interval_h": 0, "count": 3}}),
        ),
        "regimen[0].schedule.every.interval_h",
        "allowed",
    );
}

#[test]
fn contradictory_or_missing_fields_are_explained() {
    use serde_json::json;
    expect_field(
        with(&["regimen", "0", "dose_mg"], json!(10)),
        "regimen[0].dose",
        "exactly one",
    );
    let mut v = base();
    v["regimen"][0] = json!({"kind": "infusion", "duration_min": 40});
    expect_field(v, "regimen[0].dose", "got none");
    let mut v = base();
    v["regimen"][0] = json!({"kind": "infusion", "dose_mg": 10});
    expect_field(v, "regimen[0].duration_min", "needs duration_min");
    let mut v = base();
    v["regimen"][0] = json!({"kind": "bolus", "dose_mg": 10, "duration_min": 5});
    expect_field(v, "regimen[0].duration_min", "only infusions");
    let mut v = base();
    v["regimen"][0] = json!({"kind": "bolus", "rate_mg_per_h": 10});
    expect_field(v, "regimen[0].dose", "not a rate");
    let mut v = base();
    v["regimen"][0] =
        json!({"route": "oral", "kind": "infusion", "dose_mg": 10, "duration_min": 5});
    expect_field(v, "regimen[0].kind", "only available for route 'iv'");
    let mut v = base();
    v["regimen"][0] = json!({"route": "im", "dose_mg": 10});
    v["model"] = json!("domino1982");
    expect_field(v, "regimen[0].route", "not available in model 'domino1982'");
    let mut v = base();
    v["model"] = json!("perez_ruixo2021");
    v["regimen"][0] = json!({"route": "intranasal", "dose_mg": 50});
    expect_field(
        v,
        "regimen[0].dose_mg",
        "whole 28-mg devices, 1 to 3 per session",
    );
    expect_field(
        with(&["model"], json!("nope")),
        "model",
        "available: kamp2020",
    );
    expect_field(
        with(&["solver"], json!({"method": "exact"})).tap_pd_kinetic(),
        "solver.method",
        "linear",
    );
    let mut v = base();
    v["regimen"][0]["schedule"] = json!({"at_min": []});
    expect_field(v, "regimen[0].schedule", "at least one");
}

trait TapKinetic {
    fn tap_pd_kinetic(self) -> Self;
}
impl TapKinetic for serde_json::Value {
    fn tap_pd_kinetic(mut self) -> Self {
        self["pd"] = serde_json::json!({"binding": {"kind": "kinetic", "half_time_min": 5}});
        self
    }
}

#[test]
fn sizes_are_bounded() {
    use serde_json::json;
    let e = run(with(&["output_step_min"], json!(0.01)).tap_horizon(259_200.0));
    assert!(matches!(e, Error::TooLarge { limit: 250_001, .. }), "{e}");
    let e = run(with(
        &["regimen", "0", "schedule"],
        json!({"every": {"interval_h": 1, "count": 100000}}),
    ));
    assert!(matches!(e, Error::TooLarge { .. }), "{e}");
    let mut v = base();
    v["regimen"] = json!(vec![json!({"dose_mg": 1}); 501]);
    assert!(matches!(run(v), Error::TooLarge { limit: 500, .. }));
    let mut v = base();
    v["regimen"] = json!(vec![
        json!({"dose_mg": 1, "schedule": {"every": {"interval_h": 1, "count": 1500}}});
        2
    ]);
    assert!(matches!(run(v), Error::TooLarge { limit: 2000, .. }));
    let e = run(with(
        &["pd"],
        json!({"thresholds_ng_per_ml": vec![1.0; 17]}),
    ));
    assert!(matches!(e, Error::TooLarge { limit: 16, .. }), "{e}");
}

trait TapHorizon {
    fn tap_horizon(self, h: f64) -> Self;
}
impl TapHorizon for serde_json::Value {
    fn tap_horizon(mut self, h: f64) -> Self {
        self["horizon_min"] = serde_json::json!(h);
        self
    }
}

#[test]
fn malformed_json_and_unknown_fields_are_parse_errors() {
    for text in [
        "{",
        r#"{"patient":{"weight_kg":70},"regimen":[],"horizon_min":60,"typo":1}"#,
        r#"{"patient":{"weight_kg":"heavy"},"regimen":[],"horizon_min":60}"#,
        r#"{"patient":{"weight_kg":70},"regimen":[{"route":"rectal","dose_mg":1}],"horizon_min":60}"#,
    ] {
        let e = Scenario::from_json(text).expect_err(text);
        assert!(matches!(e, Error::Json { .. }), "{e}");
        assert!(e.to_string().starts_with("scenario JSON:"));
    }
    let e = Scenario::from_json(
        r#"{"patient":{"weight_kg":70},"regimen":[],"horizon_min":60,"typo":1}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("typo"), "{e}");
}

#[test]
fn a_failing_population_subject_names_its_index_weight_and_factors() {
    let inner = Error::out_of_range("patient.weight_kg", 0.5, 1.0, 250.0, "kg");
    let e = Error::Subject {
        index: 17,
        weight_kg: 81.5,
        factors: vec![("CL".into(), 1.25), ("V1".into(), 0.8)],
        source: Box::new(inner.clone()),
    };
    let msg = e.to_string();
    assert!(
        msg.starts_with("population subject 17 (weight_kg = 81.5"),
        "{msg}"
    );
    assert!(
        msg.contains("CL × 1.25") && msg.contains("V1 × 0.8"),
        "{msg}"
    );
    assert!(msg.ends_with(&inner.to_string()), "{msg}");
    // the field of the cause, so an interface can still place the message
    assert_eq!(e.field().as_deref(), Some("patient.weight_kg"));
    assert_eq!(
        std::error::Error::source(&e).map(|s| s.to_string()),
        Some(inner.to_string())
    );
}

#[test]
fn an_unknown_ligand_is_its_own_error_listing_the_table() {
    let e = ketasim::pd::ligand("nope").unwrap_err();
    assert!(
        matches!(&e, Error::UnknownLigand { id, .. } if id == "nope"),
        "{e}"
    );
    assert!(e.to_string().contains("s_ketamine"), "{e}");
}

#[test]
fn a_prepared_run_resolves_once_what_the_lower_layers_need() {
    let mut sc: Scenario = serde_json::from_value(base()).unwrap();
    sc.pd.binding = ketasim::pd::Binding::Kinetic {
        half_time_min: 10.0,
    };
    let run = sc.prepare().unwrap();
    // auto → the exact propagator with the implicit binding integrator when non-linear
    assert_eq!(run.method, ketasim::scenario::Method::ExactKinetic);
    assert_eq!(run.t_min.len() as u64, sc.n_points());
    assert_eq!(run.subject.weight_kg, 70.0);
    // prepare validates: the same error as validate()
    sc.patient.weight_kg = 0.0;
    assert_eq!(sc.prepare().unwrap_err(), sc.validate().unwrap_err());
}

#[test]
fn the_methods_a_page_offers_say_which_run_kinetic_binding_as_validation_decides() {
    use ketasim::pd::Binding;
    use ketasim::scenario::{Defaults, Method};
    let d = Defaults::get().unwrap();
    let offered: Vec<Method> = d.methods.iter().map(|m| m.method).collect();
    assert_eq!(offered, Method::ALL.to_vec());
    for m in &d.methods {
        assert!(!m.label.is_empty() && !m.description.is_empty());
        assert_eq!(
            serde_json::to_value(m.method).unwrap(),
            serde_json::json!(m.method.id())
        );
        let mut sc = ketasim::presets::get("antidepressant_40min")
            .unwrap()
            .scenario;
        sc.pd.binding = Binding::Kinetic {
            half_time_min: 10.0,
        };
        sc.solver.method = m.method;
        match sc.validate() {
            Ok(_) => assert!(m.kinetic_binding, "{:?} ran kinetic binding", m.method),
            Err(e) => {
                assert!(!m.kinetic_binding, "{:?}: {e}", m.method);
                // the message names the field and the methods that can
                let e = e.to_string();
                assert!(
                    e.contains("solver.method") && e.contains("auto, exact_kinetic, dopri5"),
                    "{e}"
                );
            }
        }
    }
}
