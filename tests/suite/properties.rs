//! Properties over random regimens: superposition, zero dose, non-negativity, bounded
//! occupancy, weight scaling.

use super::oracle::max_rel_err;
use ketasim::{simulate, Scenario};
use proptest::prelude::*;

fn scen(model: &str, weight: f64, regimen: &str, horizon: f64) -> Scenario {
    Scenario::from_json(&format!(
        r#"{{"patient":{{"weight_kg":{weight}}},"model":"{model}","regimen":{regimen},"horizon_min":{horizon},"output_step_min":0.5}}"#
    ))
    .unwrap()
}

fn item(kind_infusion: bool, dose: f64, dur: f64, t: f64) -> String {
    if kind_infusion {
        format!(
            r#"{{"kind":"infusion","dose_mg":{dose},"duration_min":{dur},"schedule":{{"at_min":[{t}]}}}}"#
        )
    } else {
        format!(r#"{{"kind":"bolus","dose_mg":{dose},"schedule":{{"at_min":[{t}]}}}}"#)
    }
}

fn model_id() -> impl Strategy<Value = &'static str> {
    prop::sample::select(
        ketasim::models::all()
            .iter()
            .map(|m| &*m.id)
            .collect::<Vec<_>>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn superposition_holds(
        model in model_id(),
        a in (any::<bool>(), 0.1f64..100.0, 0.1f64..90.0, 0.0f64..100.0),
        b in (any::<bool>(), 0.1f64..100.0, 0.1f64..90.0, 0.0f64..100.0),
    ) {
        let ia = item(a.0, a.1, a.2, a.3);
        let ib = item(b.0, b.1, b.2, b.3);
        let ra = simulate(&scen(model, 70.0, &format!("[{ia}]"), 200.0)).unwrap();
        let rb = simulate(&scen(model, 70.0, &format!("[{ib}]"), 200.0)).unwrap();
        let rab = simulate(&scen(model, 70.0, &format!("[{ia},{ib}]"), 200.0)).unwrap();
        let sum: Vec<f64> = ra.analytes[0].cp_ng_per_ml.iter()
            .zip(&rb.analytes[0].cp_ng_per_ml).map(|(x, y)| x + y).collect();
        prop_assert!(max_rel_err(&rab.analytes[0].cp_ng_per_ml, &sum) < 1e-10);
        let sum_ce: Vec<f64> = ra.analytes[0].ce_ng_per_ml.iter()
            .zip(&rb.analytes[0].ce_ng_per_ml).map(|(x, y)| x + y).collect();
        prop_assert!(max_rel_err(&rab.analytes[0].ce_ng_per_ml, &sum_ce) < 1e-10);
    }

    #[test]
    fn outputs_are_non_negative_and_occupancy_is_a_fraction(
        model in model_id(),
        weight in 5.0f64..150.0,
        a in (any::<bool>(), 0.0f64..500.0, 0.1f64..90.0, 0.0f64..100.0),
        kinetic in any::<bool>(),
    ) {
        let mut sc = scen(model, weight, &format!("[{}]", item(a.0, a.1, a.2, a.3)), 240.0);
        if kinetic {
            sc.pd.binding = ketasim::pd::Binding::Kinetic { half_time_min: 3.0 };
        }
        let r = simulate(&sc).unwrap();
        // exact zero is allowed; rounding may leave -1e-15 of the dose
        let tiny = -1e-12 * (1.0 + a.1);
        for s in &r.analytes {
            prop_assert!(s.cp_ng_per_ml.iter().all(|&c| c >= tiny));
            prop_assert!(s.ce_ng_per_ml.iter().all(|&c| c >= tiny));
        }
        for c in &r.compartments {
            prop_assert!(c.amount_mg.iter().all(|&x| x >= tiny));
        }
        prop_assert!(r.occupancy.iter().all(|&o| (0.0..=1.0).contains(&o)));
    }

    #[test]
    fn doubling_the_dose_doubles_the_concentrations(
        model in model_id(),
        a in (any::<bool>(), 0.1f64..100.0, 0.1f64..90.0, 0.0f64..100.0),
    ) {
        let r1 = simulate(&scen(model, 70.0, &format!("[{}]", item(a.0, a.1, a.2, a.3)), 150.0)).unwrap();
        let r2 = simulate(&scen(model, 70.0, &format!("[{}]", item(a.0, 2.0 * a.1, a.2, a.3)), 150.0)).unwrap();
        let doubled: Vec<f64> = r1.analytes[0].cp_ng_per_ml.iter().map(|c| 2.0 * c).collect();
        prop_assert!(max_rel_err(&r2.analytes[0].cp_ng_per_ml, &doubled) < 1e-12);
    }
}

#[test]
fn zero_dose_gives_zero_everywhere() {
    for m in ketasim::models::all() {
        let r = simulate(&scen(
            &m.id,
            70.0,
            r#"[{"kind":"infusion","dose_mg":0,"duration_min":40},{"dose_mg_per_kg":0}]"#,
            120.0,
        ))
        .unwrap();
        for s in &r.analytes {
            assert!(s
                .cp_ng_per_ml
                .iter()
                .chain(&s.ce_ng_per_ml)
                .all(|&c| c == 0.0));
        }
        assert!(r.occupancy.iter().all(|&o| o == 0.0));
        assert!(r.eliminated_mg.iter().all(|&x| x == 0.0));
    }
}

#[test]
fn empty_regimen_is_allowed_and_gives_zero() {
    let r = simulate(&scen("kamp2020", 70.0, "[]", 60.0)).unwrap();
    assert!(r.analytes[0].cp_ng_per_ml.iter().all(|&c| c == 0.0));
    assert_eq!(r.metrics.recovery.after_dosing_min, Some(0.0));
}
