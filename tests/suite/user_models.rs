//! User-defined models: every built-in model, written out as JSON and read back as a user's
//! model, gives exactly the built-in results; a user's ligand binds as the table's would; and
//! every mistake is named by its field under `model_spec`.

use ketasim::population::Population;
use ketasim::{models, simulate, Error, Scenario};
use serde_json::{json, Value};

/// `model` as a user would write it: every number labelled USER, another id.
fn as_user(id: &str) -> Value {
    let mut v = serde_json::to_value(models::get(id).unwrap()).unwrap();
    v["id"] = json!(format!("user:{id}"));
    let relabel = |x: &mut Value| {
        if let Some(o) = x.as_object_mut() {
            if o.contains_key("provenance") {
                o.insert("provenance".into(), json!("USER"));
            }
        }
    };
    for p in v["params"].as_array_mut().unwrap() {
        relabel(p);
    }
    for c in v["covariates"].as_array_mut().unwrap() {
        relabel(c);
    }
    for o in v["ke0_overrides"].as_array_mut().unwrap() {
        relabel(&mut o[1]);
    }
    v
}

fn scenario(model: &str, spec: Option<&Value>, regimen: Value) -> Value {
    let mut s = json!({
        "patient": {"weight_kg": 62, "age_years": 55, "sex": "female"},
        "model": model,
        "regimen": regimen,
        "horizon_min": 600,
        "output_step_min": 2,
    });
    if let Some(spec) = spec {
        s["model_spec"] = spec.clone();
    }
    s
}

fn read(v: &Value) -> ketasim::Result<Scenario> {
    Scenario::from_json(&v.to_string())
}

#[test]
fn every_built_in_model_as_a_users_model_gives_the_same_results() {
    for m in models::all() {
        let spec = as_user(&m.id);
        for route in m.routes.iter() {
            let item = match route.route {
                ketasim::model::Route::Iv => {
                    json!({"kind": "infusion", "dose_mg_per_kg": 0.5, "duration_min": 40})
                }
                _ if route.device.is_some() => json!({"route": route.route, "devices": 2}),
                _ => json!({"route": route.route, "dose_mg": 50}),
            };
            let builtin =
                simulate(&read(&scenario(&m.id, None, json!([item.clone()]))).unwrap()).unwrap();
            let sc = read(&scenario(
                &format!("user:{}", m.id),
                Some(&spec),
                json!([item]),
            ))
            .unwrap();
            let user = simulate(&sc).unwrap_or_else(|e| panic!("{} {:?}: {e}", m.id, route.route));
            assert_eq!(user.model_id, format!("user:{}", m.id));
            for (a, b) in builtin.analytes.iter().zip(&user.analytes) {
                assert_eq!(
                    a.cp_ng_per_ml, b.cp_ng_per_ml,
                    "{} {:?} {}",
                    m.id, route.route, a.id
                );
                assert_eq!(
                    a.ce_ng_per_ml, b.ce_ng_per_ml,
                    "{} {:?} {}",
                    m.id, route.route, a.id
                );
            }
            assert_eq!(builtin.occupancy, user.occupancy, "{}", m.id);
        }
    }
}

#[test]
fn a_users_model_runs_a_population_and_reads_back_from_its_result() {
    let spec = as_user("simons2022");
    let mut sc = scenario(
        "user:simons2022",
        Some(&spec),
        json!([{"route": "iv", "kind": "infusion", "dose_mg_per_kg": 0.5, "duration_min": 40}]),
    );
    sc["population"] = json!({"size": 50, "seed": 7});
    let sc = read(&sc).unwrap();
    let mut builtin = sc.clone();
    builtin.model = "simons2022".into();
    builtin.model_spec = None;
    let a = Population::of(&sc).unwrap().run(false, &|_| {}).unwrap();
    let b = Population::of(&builtin)
        .unwrap()
        .run(false, &|_| {})
        .unwrap();
    assert_eq!(a.cmax_ng_per_ml, b.cmax_ng_per_ml);
    // the result's scenario carries the model: it reads back to the same run
    let r = simulate(&sc).unwrap();
    let again = Scenario::from_json(&serde_json::to_string(&r.scenario).unwrap()).unwrap();
    assert_eq!(again, sc);
}

#[test]
fn a_users_ligand_binds_as_the_tables_ligand_with_the_same_constants() {
    let kamp = models::get("kamp2020").unwrap();
    let table = ketasim::pd::ligand(&kamp.analytes[0].ligand).unwrap();
    let mut spec = as_user("kamp2020");
    spec["analytes"][0]["ligand"] = json!("mine");
    spec["analytes"][0]["binding"] =
        json!({"fu": table.fu, "ki_um": table.ki_binding_um, "half_time_min": 10});
    let item = json!([{"kind": "infusion", "dose_mg_per_kg": 0.5, "duration_min": 40}]);
    let mut builtin = scenario("kamp2020", None, item.clone());
    builtin["pd"] = json!({"binding": {"kind": "kinetic", "half_time_min": 10}});
    let mut user = scenario("user:kamp2020", Some(&spec), item);
    // the ligand's own half-time wins over the scenario's
    user["pd"] = json!({"binding": {"kind": "kinetic", "half_time_min": 3}});
    let a = simulate(&read(&builtin).unwrap()).unwrap();
    let b = simulate(&read(&user).unwrap()).unwrap();
    let peak = a.occupancy.iter().fold(0.0f64, |m, &x| m.max(x));
    assert!(peak > 0.1);
    for (x, y) in a.occupancy.iter().zip(&b.occupancy) {
        assert!((x - y).abs() <= 1e-12 * peak, "{x} vs {y}");
    }
    // at equilibrium too
    builtin["pd"] = json!({});
    user["pd"] = json!({});
    let a = simulate(&read(&builtin).unwrap()).unwrap();
    let b = simulate(&read(&user).unwrap()).unwrap();
    assert_eq!(a.occupancy, b.occupancy);
}

#[test]
fn mistakes_in_a_users_model_name_their_field() {
    let base = as_user("kamp2020");
    let item = json!([{"dose_mg_per_kg": 0.5}]);
    type Edit = fn(&mut Value);
    let cases: Vec<(Edit, &str, &str)> = vec![
        (
            |v| v["flows"][1]["a"] = json!("centre"),
            "model_spec.flows[1].a",
            "no compartment 'centre'",
        ),
        (
            |v| v["params"][1]["symbol"] = v["params"][0]["symbol"].clone(),
            "model_spec.params[1].symbol",
            "defined twice",
        ),
        (
            |v| v["params"][0]["provenance"] = json!("READ"),
            "model_spec.params[0].provenance",
            "label them \"USER\"",
        ),
        (
            |v| v["params"][0]["value"] = json!(-3),
            "model_spec.params[0].value",
            "out of range",
        ),
        (
            |v| v["compartments"][0]["volume"] = json!("CL"),
            "model_spec.compartments[0].volume",
            "not a volume",
        ),
        (
            |v| v["id"] = json!("kamp2020"),
            "model_spec.id",
            "built-in model's id",
        ),
        (
            |v| v["analytes"][0]["ligand"] = json!("nope"),
            "model_spec.analytes[0].ligand",
            "no ligand 'nope'",
        ),
        (
            |v| v["analytes"][0]["central"] = json!("peripheral1"),
            "model_spec.analytes[0].central",
            "role 'central'",
        ),
        // drug in a compartment with no way out
        (
            |v| {
                v["flows"] = json!([{"kind": "exchange", "a": "central", "b": "peripheral1", "q": "Q2"},
                                {"kind": "exchange", "a": "central", "b": "peripheral2", "q": "Q3"}]);
            },
            "model_spec.flows",
            "never leaves the body",
        ),
        (
            |v| {
                v["compartments"].as_array_mut().unwrap().push(
                    json!({"name": "lonely", "analyte": 0, "role": "peripheral", "volume": null}),
                )
            },
            "model_spec.flows",
            "'lonely' never leaves the body",
        ),
        (
            |v| v["params"] = json!([]),
            "model_spec.params",
            "give 1 to 64 entries",
        ),
        (
            |v| v["name"] = json!("bad\u{1b}[31m"),
            "model_spec.name",
            "printable",
        ),
        (
            |v| v["routes"][0]["inputs"][0]["compartment"] = json!("gut"),
            "model_spec.routes[0].inputs[0].compartment",
            "no compartment 'gut'",
        ),
    ];
    for (edit, field, part) in cases {
        let mut spec = base.clone();
        edit(&mut spec);
        let e = read(&scenario("user:kamp2020", Some(&spec), item.clone()))
            .and_then(|s| s.validate().map(|_| s))
            .unwrap_err();
        assert_eq!(e.field().as_deref(), Some(field), "{e}");
        assert!(
            e.to_string().contains(part),
            "'{e}' should contain '{part}'"
        );
    }
    // the scenario's model must be the spec's id
    let e = read(&scenario("kamp2020", Some(&base), item.clone()))
        .unwrap()
        .validate()
        .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, .. } if field == "model"),
        "{e}"
    );
    // unknown keys are errors, with their path
    let mut spec = base.clone();
    spec["flows"][0]["rat"] = json!(1);
    let e = read(&scenario("user:kamp2020", Some(&spec), item)).unwrap_err();
    assert!(e.to_string().contains("model_spec.flows[0]"), "{e}");
}

#[test]
fn metabolism_must_not_loop_back() {
    let m = models::get("simons2022").unwrap();
    let central = |a: usize| {
        m.compartments
            .iter()
            .find(|c| c.analyte == a && c.role == ketasim::model::Role::Central)
            .unwrap()
            .name
            .to_string()
    };
    let mut spec = as_user("simons2022");
    // norketamine turning back into ketamine
    spec["flows"].as_array_mut().unwrap().push(json!({"kind": "transfer", "from": central(1), "to": central(0), "rate": {"kind": "constant", "param": "k_back"}, "fraction": null}));
    spec["params"].as_array_mut().unwrap().push(json!({"symbol": "k_back", "description": "", "value": 0.01, "unit": "1/min", "scaling": {"kind": "none"}, "provenance": "USER", "omega2": null, "iiv_source": null}));
    let e = read(&scenario(
        "user:simons2022",
        Some(&spec),
        json!([{"dose_mg_per_kg": 0.5}]),
    ))
    .unwrap()
    .validate()
    .unwrap_err();
    assert_eq!(e.field().as_deref(), Some("model_spec.flows"));
    assert!(
        e.to_string()
            .contains("formed, directly or through others, from itself"),
        "{e}"
    );
}
