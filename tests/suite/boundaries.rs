//! Dose events on, between and beyond output grid points.

use super::analytic::Analytic;
use ketasim::dosing::InputPlan;
use ketasim::{models, simulate, Scenario};

fn scen(regimen: &str, horizon: f64, step: f64, method: &str) -> Scenario {
    Scenario::from_json(&format!(
        r#"{{"patient":{{"weight_kg":70}},"model":"kamp2020","regimen":{regimen},"horizon_min":{horizon},"output_step_min":{step},"solver":{{"method":"{method}","rtol":1e-11,"atol":1e-13}}}}"#
    ))
    .unwrap()
}

fn central_vs_oracle(sc: &Scenario) -> f64 {
    let r = simulate(sc).unwrap();
    let m = models::get("kamp2020").unwrap();
    let sys = m.compile(70.0, 0.1, &[]).unwrap();
    let plan = InputPlan::from_scenario(sc, &sys).unwrap();
    let o = Analytic::new(m, &sys).unwrap();
    r.t_min
        .iter()
        .zip(&r.compartments[0].amount_mg)
        .map(|(&t, &x)| {
            let e = o.amounts(&plan, t)[0];
            (x - e).abs() / e.abs().max(1e-6)
        })
        .fold(0.0, f64::max)
}

#[test]
fn a_bolus_on_a_grid_point_is_recorded_after_the_dose() {
    for method in ["exact", "dopri5"] {
        let r = simulate(&scen(
            r#"[{"dose_mg":25,"schedule":{"at_min":[10]}}]"#,
            30.0,
            1.0,
            method,
        ))
        .unwrap();
        assert_eq!(r.t_min[10], 10.0);
        assert_eq!(r.compartments[0].amount_mg[9], 0.0);
        assert!((r.compartments[0].amount_mg[10] - 25.0).abs() < 1e-12);
        assert_eq!(r.metrics.analytes[0].tmax_min, 10.0);
    }
}

#[test]
fn a_short_infusion_between_two_grid_points_is_not_stepped_over() {
    // 0.3-min infusion entirely inside one 5-min output step
    for method in ["exact", "dopri5"] {
        let sc = scen(
            r#"[{"kind":"infusion","dose_mg":30,"duration_min":0.3,"schedule":{"at_min":[6.1]}}]"#,
            60.0,
            5.0,
            method,
        );
        let r = simulate(&sc).unwrap();
        assert!(
            (r.input_mg[2] - 30.0).abs() < 1e-12,
            "{method}: {}",
            r.input_mg[2]
        );
        assert!(central_vs_oracle(&sc) < 1e-7, "{method}");
    }
}

#[test]
fn boundaries_between_and_beyond_grid_points_match_the_closed_form() {
    let cases = [
        // bolus between grid points, infusion ending between grid points
        r#"[{"dose_mg":10,"schedule":{"at_min":[3.3333]}},{"kind":"infusion","dose_mg":20,"duration_min":17.77,"schedule":{"at_min":[1.01]}}]"#,
        // dose after the horizon (ignored), infusion running past it
        r#"[{"dose_mg":10,"schedule":{"at_min":[500]}},{"kind":"infusion","dose_mg":20,"duration_min":1000,"schedule":{"at_min":[50.5]}}]"#,
        // two events 1e-10 min apart are merged into one boundary
        r#"[{"dose_mg":10,"schedule":{"at_min":[5]}},{"dose_mg":10,"schedule":{"at_min":[5.0000000001]}}]"#,
        // horizon not a multiple of the step: last point is the horizon itself
        r#"[{"kind":"infusion","dose_mg":20,"duration_min":99.9}]"#,
    ];
    for (i, reg) in cases.iter().enumerate() {
        for method in ["exact", "dopri5"] {
            let sc = scen(reg, 99.9, 0.7, method);
            let err = central_vs_oracle(&sc);
            assert!(err < 1e-7, "case {i} {method}: {err:e}");
        }
    }
    let r = simulate(&scen(cases[3], 99.9, 0.7, "exact")).unwrap();
    assert_eq!(*r.t_min.last().unwrap(), 99.9);
    assert!((r.input_mg.last().unwrap() - 20.0).abs() < 1e-12);
    let late = simulate(&scen(cases[1], 99.9, 0.7, "exact")).unwrap();
    assert!(late
        .warnings
        .iter()
        .any(|w| w.contains("after the horizon")));
}

#[test]
fn grid_is_exact_multiples_of_the_step() {
    let g = ketasim::solver::grid(10.0, 0.1);
    assert_eq!(g.len(), 101);
    assert_eq!(g[30], 30.0 * 0.1);
    assert_eq!(*g.last().unwrap(), 10.0);
    let g = ketasim::solver::grid(10.05, 0.1);
    assert_eq!(g.len(), 102);
    assert_eq!(*g.last().unwrap(), 10.05);
}
