//! Dose = amount remaining + amount eliminated, on both integrators.

use super::oracle::{scenario, REGIMENS};
use ketasim::{models, simulate};

#[test]
fn dose_equals_remaining_plus_eliminated() {
    for m in models::all() {
        for (name, reg) in REGIMENS {
            for method in ["exact", "dopri5"] {
                let r = simulate(&scenario(&m.id, reg, 300.0, 1.0, method)).unwrap();
                let total_input = r.input_mg.last().copied().unwrap();
                assert!(total_input > 0.0);
                for k in 0..r.t_min.len() {
                    let held: f64 = r.compartments.iter().map(|c| c.amount_mg[k]).sum::<f64>()
                        + r.eliminated_mg[k];
                    let err = (held - r.input_mg[k]).abs() / total_input;
                    assert!(
                        err <= 1e-9,
                        "{}/{name}/{method} t={}: held {held} vs input {} (rel {err:e})",
                        &m.id,
                        r.t_min[k],
                        r.input_mg[k]
                    );
                }
            }
        }
    }
}

#[test]
fn input_equals_the_regimen_computed_by_hand() {
    // 63 kg: 0.5 mg/kg x 3 sessions, all inside the horizon
    let reg = r#"[{"kind":"infusion","dose_mg_per_kg":0.5,"duration_min":40,"schedule":{"at_days":{"days":[0,0.125,0.25],"offset_min":1.5}}}]"#;
    let r = simulate(&scenario("kamp2020", reg, 480.0, 1.0, "exact")).unwrap();
    let expected = 3.0 * 0.5 * 63.0;
    assert!((r.input_mg.last().unwrap() - expected).abs() < 1e-12 * expected);
    assert!((r.metrics.administered_mg - expected).abs() < 1e-12 * expected);

    // hydrochloride: 30 mg/h for 1 h of salt = 30 · 237.73/274.2 mg base
    let reg = r#"[{"kind":"infusion","rate_mg_per_h":30,"duration_min":60,"salt":"hcl"}]"#;
    let r = simulate(&scenario("kamp2020", reg, 120.0, 1.0, "exact")).unwrap();
    let expected = 30.0 * 237.73 / 274.2;
    assert!((r.input_mg.last().unwrap() - expected).abs() < 1e-12 * expected);
}

#[test]
fn an_infusion_still_running_at_the_horizon_has_entered_only_in_part() {
    let reg =
        r#"[{"kind":"infusion","dose_mg":60,"duration_min":600,"schedule":{"at_min":[100]}}]"#;
    let r = simulate(&scenario("domino1982", reg, 400.0, 1.0, "exact")).unwrap();
    let expected = 60.0 * 300.0 / 600.0;
    assert!((r.input_mg.last().unwrap() - expected).abs() < 1e-12 * expected);
    assert!(r.warnings.iter().any(|w| w.contains("still running")));
}
