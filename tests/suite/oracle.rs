//! The exact propagator and Dopri5 against the closed-form solution, for every model and every
//! dosing type.

use super::analytic::Analytic;
use ketasim::dosing::InputPlan;
use ketasim::scenario::Method;
use ketasim::{models, simulate, Scenario};

/// Regimens covering every dosing type; boundaries on, between and beyond grid points.
pub const REGIMENS: &[(&str, &str)] = &[
    ("bolus", r#"[{"kind":"bolus","dose_mg_per_kg":0.3}]"#),
    (
        "bolus_between_grid_points",
        r#"[{"kind":"bolus","dose_mg":20,"schedule":{"at_min":[7.37]}}]"#,
    ),
    (
        "infusion_total_dose",
        r#"[{"kind":"infusion","dose_mg_per_kg":0.5,"duration_min":40}]"#,
    ),
    (
        "infusion_rate_off_grid",
        r#"[{"kind":"infusion","rate_mg_per_kg_per_h":0.75,"duration_min":37.3,"schedule":{"at_min":[2.45]}}]"#,
    ),
    (
        "infusion_rate_mg_per_h_hcl",
        r#"[{"kind":"infusion","rate_mg_per_h":30,"duration_min":60,"salt":"hcl"}]"#,
    ),
    (
        "overlapping_infusions",
        r#"[{"kind":"infusion","dose_mg":35,"duration_min":40},
            {"kind":"infusion","dose_mg":10,"duration_min":15.5,"schedule":{"at_min":[20.25]}},
            {"kind":"bolus","dose_mg":5,"schedule":{"at_min":[30]}}]"#,
    ),
    (
        "repeated_every",
        r#"[{"kind":"infusion","dose_mg":20,"duration_min":10,"schedule":{"every":{"start_min":3.3,"interval_h":1.5,"count":4}}}]"#,
    ),
    (
        "explicit_days",
        r#"[{"kind":"infusion","dose_mg_per_kg":0.5,"duration_min":40,"schedule":{"at_days":{"days":[0,0.125,0.25],"offset_min":1.5}}}]"#,
    ),
    (
        "infusion_beyond_horizon",
        r#"[{"kind":"infusion","dose_mg":50,"duration_min":600,"schedule":{"at_min":[100.5]}}]"#,
    ),
];

pub fn scenario(model: &str, regimen: &str, horizon: f64, step: f64, method: &str) -> Scenario {
    Scenario::from_json(&format!(
        r#"{{"patient":{{"weight_kg":63}},"model":"{model}","regimen":{regimen},
            "horizon_min":{horizon},"output_step_min":{step},
            "solver":{{"method":"{method}","rtol":1e-11,"atol":1e-13}}}}"#
    ))
    .unwrap()
}

/// max |a − b| / max(|b|, floor), with the floor at 1e-6 of the series' peak: values that
/// small (e.g. a peripheral compartment at t = 0, where the closed form itself returns ±1e-15
/// from cancellation) are judged by absolute error, `tol · 1e-6 · peak`.
pub fn max_rel_err(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    let peak = b.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let floor = 1e-6 * peak;
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs() / y.abs().max(floor).max(f64::MIN_POSITIVE))
        .fold(0.0, f64::max)
}

fn check(model: &str, name: &str, regimen: &str, method: &str, tol: f64) {
    let sc = scenario(model, regimen, 300.0, 1.0, method);
    let r = simulate(&sc).unwrap_or_else(|e| panic!("{model}/{name}: {e}"));
    let m = models::get(model).unwrap();
    let sys = m.compile(63.0, 0.1, &[]).unwrap();
    let plan = InputPlan::from_scenario(&sc, &sys).unwrap();
    let Some(oracle) = Analytic::new(m, &sys) else {
        return; // not a single-analyte mammillary model: covered by the Dopri5 comparison
    };
    for (k, &ci) in oracle.idx.iter().enumerate() {
        let comp = &r.compartments[ci];
        let expected: Vec<f64> = r
            .t_min
            .iter()
            .map(|&t| oracle.amounts(&plan, t)[k])
            .collect();
        let err = max_rel_err(&comp.amount_mg, &expected);
        assert!(
            err <= tol,
            "{model}/{name}/{method}: compartment {} max rel err {err:e} > {tol:e}",
            comp.name
        );
    }
}

#[test]
fn exact_propagator_matches_closed_form_for_every_model_and_dosing_type() {
    for m in models::all() {
        for (name, reg) in REGIMENS {
            // 1e-9: the closed form itself carries ~1e-15 mg of cancellation noise near t = 0,
            // judged against the 1e-6·peak floor of max_rel_err
            check(&m.id, name, reg, "exact", 1e-9);
        }
    }
}

#[test]
fn dopri5_matches_closed_form_for_every_model_and_dosing_type() {
    for m in models::all() {
        for (name, reg) in REGIMENS {
            check(&m.id, name, reg, "dopri5", 1e-7);
        }
    }
}

#[test]
fn dopri5_matches_exact_propagator_in_every_state() {
    // every output, including effect site and AUC, which the closed form above does not cover
    for m in models::all() {
        for (name, reg) in REGIMENS {
            let a = simulate(&scenario(&m.id, reg, 300.0, 1.0, "dopri5")).unwrap();
            let b = simulate(&scenario(&m.id, reg, 300.0, 1.0, "exact")).unwrap();
            assert_eq!(a.method, Method::Dopri5);
            assert_eq!(b.method, Method::Exact);
            for (sa, sb) in a.analytes.iter().zip(&b.analytes) {
                let e1 = max_rel_err(&sa.cp_ng_per_ml, &sb.cp_ng_per_ml);
                let e2 = max_rel_err(&sa.ce_ng_per_ml, &sb.ce_ng_per_ml);
                assert!(
                    e1 <= 1e-7 && e2 <= 1e-7,
                    "{}/{name}: cp {e1:e}, ce {e2:e}",
                    m.id
                );
            }
            let e3 = max_rel_err(&a.eliminated_mg, &b.eliminated_mg);
            assert!(e3 <= 1e-7, "{}/{name}: eliminated {e3:e}", m.id);
            let (x, y) = (&a.metrics.analytes[0], &b.metrics.analytes[0]);
            let e4 = (x.auc_0_t_ng_h_per_ml - y.auc_0_t_ng_h_per_ml).abs() / y.auc_0_t_ng_h_per_ml;
            assert!(e4 <= 1e-7, "{}/{name}: AUC {e4:e}", m.id);
        }
    }
}

#[test]
fn dopri5_restarts_from_its_own_state_over_a_long_course() {
    // Regression guard for the dense-output pitfall: 30 sessions with boundaries that never
    // fall on the output grid; restarting from an extrapolated point would drift.
    let reg = r#"[{"kind":"infusion","dose_mg":35,"duration_min":41.7,"schedule":{"every":{"start_min":0.77,"interval_h":7.9,"count":30}}}]"#;
    let sc = scenario("kamp2020", reg, 30.0 * 7.9 * 60.0, 2.5, "dopri5");
    let r = simulate(&sc).unwrap();
    let m = models::get("kamp2020").unwrap();
    let sys = m.compile(63.0, 0.1, &[]).unwrap();
    let plan = InputPlan::from_scenario(&sc, &sys).unwrap();
    let oracle = Analytic::new(m, &sys).unwrap();
    let expected: Vec<f64> = r
        .t_min
        .iter()
        .map(|&t| oracle.amounts(&plan, t)[0])
        .collect();
    let err = max_rel_err(&r.compartments[0].amount_mg, &expected);
    assert!(err <= 1e-7, "max rel err {err:e}");
}

#[test]
fn taylor_propagator_matches_nalgebra_pade_exponential() {
    use ketasim::solver::exact::{propagator, propagator_pade};
    for m in models::all() {
        for ke0 in [0.1136, 1.808, 0.652] {
            let sys = m.compile(63.0, ke0, &[]).unwrap();
            for h in [0.01, 0.5, 1.0, 7.3, 60.0, 1440.0] {
                let (p1, g1) = propagator(&sys.a, h).unwrap();
                let (p2, g2) = propagator_pade(&sys.a, h);
                let ep = (&p1 - &p2).abs().max() / p2.abs().max();
                let eg = (&g1 - &g2).abs().max() / g2.abs().max();
                assert!(
                    ep < 1e-12 && eg < 1e-12,
                    "{} ke0 {ke0} h {h}: {ep:e} {eg:e}",
                    m.id
                );
            }
        }
    }
}

#[test]
fn generic_and_fixed_size_exact_kernels_agree() {
    use ketasim::solver::exact::ExactStepper;
    for m in models::all() {
        for (name, reg) in REGIMENS {
            let sc = scenario(&m.id, reg, 300.0, 0.7, "exact");
            let sys = m.compile(63.0, 0.3, &[]).unwrap();
            let plan = InputPlan::from_scenario(&sc, &sys).unwrap();
            let grid = ketasim::solver::grid(300.0, 0.7);
            let mut a = ExactStepper::new(&sys.a, 0.7).unwrap();
            let mut b = ExactStepper::new_generic_kernel(&sys.a, 0.7).unwrap();
            let ta = ketasim::solver::run(&mut a, sys.n, &plan, grid.clone(), 300.0).unwrap();
            let tb = ketasim::solver::run(&mut b, sys.n, &plan, grid, 300.0).unwrap();
            let err = max_rel_err(&ta.states, &tb.states);
            assert!(err < 1e-12, "{}/{name}: {err:e}", m.id);
        }
    }
}
