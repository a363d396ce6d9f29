//! The animated diagram's amounts and fluxes against the propagator's own states: the
//! fluxes into and out of every compartment must add up to the rate of change of its amount
//! (a centred difference of the exact solution on a fine grid), and the elimination fluxes
//! must integrate to the eliminated amount. Neither check uses the flux formula.

use ketasim::diagram::DiagramTrace;
use ketasim::{models, presets, simulate, Error, Scenario};

fn scenario(model: &str, regimen: &str, horizon: f64, step: f64) -> Scenario {
    Scenario::from_json(&format!(
        r#"{{"patient":{{"weight_kg":70}},"model":"{model}","regimen":{regimen},
        "horizon_min":{horizon},"output_step_min":{step}}}"#
    ))
    .unwrap()
}

/// Inputs + fluxes in − fluxes out of `node` at output index `k`, mg/min.
fn net_rate(d: &DiagramTrace, node: &str, k: usize) -> f64 {
    let input: f64 = d
        .inputs
        .iter()
        .filter(|i| i.to == node)
        .map(|i| i.rate_mg_per_min[k])
        .sum();
    let into: f64 = d
        .edges
        .iter()
        .filter(|e| e.to.as_deref() == Some(node))
        .map(|e| e.flux_mg_per_min[k])
        .sum();
    let out: f64 = d
        .edges
        .iter()
        .filter(|e| e.from == node)
        .map(|e| e.flux_mg_per_min[k])
        .sum();
    input + into - out
}

#[test]
fn fluxes_add_up_to_the_change_of_every_amount_on_every_model() {
    for m in models::all() {
        let route = if m
            .routes
            .iter()
            .any(|r| r.route == ketasim::model::Route::Iv)
        {
            r#"[{"kind":"infusion","dose_mg_per_kg":0.5,"duration_min":40}]"#
        } else {
            r#"[{"route":"intranasal","devices":2}]"#
        };
        let h = 0.01;
        let sc = scenario(&m.id, route, 240.0, h);
        let d = DiagramTrace::of(&sc, 20_000).unwrap();
        assert_eq!(d.stride, 2, "{}", m.id);
        let step = 2.0 * h;
        let mut checked = 0;
        for node in &d.nodes {
            let scale = node.amount_mg.iter().fold(0.0f64, |a, &b| a.max(b));
            if scale == 0.0 {
                continue;
            }
            // away from the infusion's end (a kink) and the start
            for k in (10..d.t_min.len() - 1).step_by(97) {
                let t = d.t_min[k];
                if (t - 40.0).abs() < 0.1 || t < 0.5 {
                    continue;
                }
                let dxdt = (node.amount_mg[k + 1] - node.amount_mg[k - 1]) / (2.0 * step);
                let net = net_rate(&d, &node.id, k);
                assert!(
                    (dxdt - net).abs() <= 1e-4 * scale,
                    "{} {} t={t}: d/dt {dxdt} vs fluxes {net}",
                    &m.id,
                    node.id
                );
                checked += 1;
            }
        }
        assert!(checked > 100, "{}: {checked}", m.id);
        // elimination fluxes integrate to the eliminated amount (trapezoid)
        let out = |k: usize| -> f64 {
            d.edges
                .iter()
                .filter(|e| e.to.is_none())
                .map(|e| e.flux_mg_per_min[k])
                .sum()
        };
        let integral: f64 = (1..d.t_min.len())
            .map(|k| 0.5 * (out(k) + out(k - 1)) * (d.t_min[k] - d.t_min[k - 1]))
            .sum();
        let eliminated = *d.eliminated_mg.last().unwrap();
        assert!(
            (integral - eliminated).abs() <= 1e-5 * eliminated,
            "{}: ∫ {integral} vs {eliminated}",
            m.id
        );
        // every arrow is named after the model's parameters
        for e in &d.edges {
            assert!(!e.label.is_empty(), "{}: {} → {:?}", m.id, e.from, e.to);
            assert!(e.rate_per_min > 0.0);
        }
    }
}

#[test]
fn a_trace_is_the_simulation_at_fewer_times() {
    let sc = presets::get("antidepressant_40min").unwrap().scenario;
    let r = simulate(&sc).unwrap();
    let d = DiagramTrace::of(&sc, 50).unwrap();
    assert!(d.t_min.len() <= 50, "{}", d.t_min.len());
    assert_eq!(d.t_min[0], 0.0);
    assert_eq!(*d.t_min.last().unwrap(), sc.horizon_min);
    for (k, &t) in d.t_min.iter().enumerate() {
        let i = r.t_min.iter().position(|&x| x == t).unwrap();
        for (n, c) in d.nodes.iter().zip(&r.compartments) {
            assert_eq!(n.id, c.name);
            assert_eq!(n.amount_mg[k], c.amount_mg[i]);
        }
        assert_eq!(
            d.effect_sites[0].ce_ng_per_ml[k],
            r.analytes[0].ce_ng_per_ml[i]
        );
    }
    // the infusion enters the central compartment at dose / duration while it runs
    let rate = &d.inputs[0].rate_mg_per_min;
    assert_eq!(d.inputs[0].to, "central");
    for (k, &t) in d.t_min.iter().enumerate() {
        let want = if t < 40.0 { 35.0 / 40.0 } else { 0.0 };
        assert!((rate[k] - want).abs() < 1e-12, "t={t}: {}", rate[k]);
    }
    // Kamp 2020: exchange arrows both ways, named after the intercompartmental clearances
    let q: Vec<_> = d
        .edges
        .iter()
        .filter(|e| e.label == "Q2")
        .map(|e| (e.from.as_str(), e.to.as_deref()))
        .collect();
    assert_eq!(
        q.len(),
        2,
        "{:?}",
        d.edges.iter().map(|e| &e.label).collect::<Vec<_>>()
    );
}

#[test]
fn pumps_and_boluses_enter_where_the_engine_puts_them() {
    let tci = presets::get("tci_effect_site").unwrap().scenario;
    let r = simulate(&tci).unwrap();
    let d = DiagramTrace::of(&tci, 20_000).unwrap();
    assert_eq!(d.stride, 1);
    for (k, v) in d.inputs[0].rate_mg_per_min.iter().enumerate() {
        assert!(
            (v * 60.0 - r.pump_rate_mg_per_h[k]).abs() <= 1e-9 * r.pump_rate_mg_per_h[k].max(1.0)
        );
    }
    let bolus = presets::get("induction_bolus").unwrap().scenario;
    let d = DiagramTrace::of(&bolus, 100).unwrap();
    assert_eq!(d.boluses.len(), 1);
    assert_eq!(
        (d.boluses[0].t_min, d.boluses[0].to.as_str()),
        (0.0, "central")
    );
    assert!(d.inputs.is_empty());
}

#[test]
fn a_trace_size_out_of_range_names_the_argument() {
    let sc = presets::get("antidepressant_40min").unwrap().scenario;
    for n in [0, 1, 20_001] {
        let e = DiagramTrace::of(&sc, n).unwrap_err();
        assert!(
            matches!(&e, Error::OutOfRange { field, .. } if field == "max_points"),
            "{e}"
        );
    }
}
