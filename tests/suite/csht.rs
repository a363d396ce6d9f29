//! The context-sensitive half-time (Hughes 1992: plasma concentration held constant for the
//! infusion's duration, then the time for it to fall by half) against an independent oracle.
//!
//! The oracle takes the published micro-constants from the reference data file (not from the
//! crate's models), fills the peripherals in closed form — with the central amount `x₁` held
//! constant, `x_i(T) = (k1i/ki1)·x₁·(1 − e^{−ki1·T})` — and lets the mammillary system decay as
//! a sum of exponentials (symmetric eigen-decomposition of the volume-symmetrised matrix, as in
//! `analytic.rs`), then bisects. Nothing here uses the crate's propagator.

use ketasim::csht::{constant_rate_half_time, context_sensitive_half_time, csht_curve};
use ketasim::models;
use nalgebra::{DMatrix, DVector, SymmetricEigen};

/// A mammillary model as micro-constants: `k10` and, per peripheral, `(k1i, ki1)`, 1/min.
struct Mammillary {
    k10: f64,
    peripherals: Vec<(f64, f64)>,
}

impl Mammillary {
    /// From clearances (L/min) and volumes (L): central `v1`, elimination `cl`, and per
    /// peripheral `(q, v)`.
    fn from_clearances(v1: f64, cl: f64, peripherals: &[(f64, f64)]) -> Self {
        Mammillary {
            k10: cl / v1,
            peripherals: peripherals.iter().map(|&(q, v)| (q / v1, q / v)).collect(),
        }
    }

    /// Reference data file §1.1, 70 kg: CL 84, Q2 161, Q3 79 L/h; V1 25, V2 56, V3 157 L.
    fn kamp2020() -> Self {
        Self::from_clearances(
            25.0,
            84.0 / 60.0,
            &[(161.0 / 60.0, 56.0), (79.0 / 60.0, 157.0)],
        )
    }

    /// Reference data file §1.2: k10 0.4381, k12 0.5921, k13 0.5900, k21 0.2470, k31 0.0146.
    fn domino1982() -> Self {
        Mammillary {
            k10: 0.4381,
            peripherals: vec![(0.5921, 0.2470), (0.5900, 0.0146)],
        }
    }

    /// Reference data file §1.3, 70 kg: V1 38.7 L, V2 102 L, CL 90 L/h, Q 215 L/h.
    fn herd2007() -> Self {
        Self::from_clearances(38.7, 90.0 / 60.0, &[(215.0 / 60.0, 102.0)])
    }

    /// Central amount after `t` min of free decay from the amounts `x0` (central first), by
    /// eigen-decomposition of `D^-1/2·A·D^1/2` with `d_i = k1i/ki1` (symmetric for a
    /// mammillary model).
    fn central_after(&self, x0: &DVector<f64>, t: f64) -> f64 {
        let m = self.peripherals.len() + 1;
        let mut b = DMatrix::zeros(m, m);
        b[(0, 0)] = -(self.k10 + self.peripherals.iter().map(|p| p.0).sum::<f64>());
        let mut sqrt_d = DVector::from_element(m, 1.0);
        for (i, &(k1i, ki1)) in self.peripherals.iter().enumerate() {
            let j = i + 1;
            b[(j, j)] = -ki1;
            b[(0, j)] = (k1i * ki1).sqrt();
            b[(j, 0)] = (k1i * ki1).sqrt();
            sqrt_d[j] = (k1i / ki1).sqrt();
        }
        let eig = SymmetricEigen::new(b);
        let y0 = eig.eigenvectors.transpose() * x0.component_div(&sqrt_d);
        (0..m)
            .map(|i| eig.eigenvectors[(0, i)] * (eig.eigenvalues[i] * t).exp() * y0[i])
            .sum()
    }

    /// The state when the central amount 1 has been held for `duration` min.
    fn held(&self, duration: f64) -> DVector<f64> {
        let mut x = vec![1.0];
        x.extend(
            self.peripherals
                .iter()
                .map(|&(k1i, ki1)| k1i / ki1 * (1.0 - (-ki1 * duration).exp())),
        );
        DVector::from_vec(x)
    }

    /// Time for the central amount to fall from `x0[0]` to half, bisection to 1e-13.
    fn half_time_from(&self, x0: &DVector<f64>) -> f64 {
        let half = 0.5 * x0[0];
        let (mut lo, mut hi) = (0.0, 1.0);
        while self.central_after(x0, hi) > half {
            lo = hi;
            hi *= 2.0;
        }
        while hi - lo > 1e-13 * hi {
            let mid = 0.5 * (lo + hi);
            if self.central_after(x0, mid) > half {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    /// Textbook context-sensitive half-time after `duration` min at constant concentration.
    fn csht(&self, duration: f64) -> f64 {
        self.half_time_from(&self.held(duration))
    }
}

fn oracles() -> Vec<(&'static str, Mammillary)> {
    vec![
        ("kamp2020", Mammillary::kamp2020()),
        ("domino1982", Mammillary::domino1982()),
        ("herd2007", Mammillary::herd2007()),
    ]
}

#[test]
fn context_sensitive_half_time_holds_the_plasma_concentration_constant() {
    for (id, oracle) in oracles() {
        let m = models::get(id).unwrap();
        for duration in [
            0.01, 1.0, 10.0, 40.0, 60.0, 120.0, 240.0, 480.0, 1440.0, 10_080.0,
        ] {
            let got = context_sensitive_half_time(m, 70.0, duration).unwrap();
            let want = oracle.csht(duration);
            assert!(
                (got - want).abs() <= 1e-6 * want,
                "{id} after {duration} min: {got} vs oracle {want}"
            );
        }
    }
}

#[test]
fn context_sensitive_half_time_after_a_short_infusion_is_the_central_bolus_half_time() {
    for (id, oracle) in oracles() {
        let m = models::get(id).unwrap();
        // nothing has reached the peripherals yet: the central amount alone decays, and the
        // fastest phase dominates (half-time between the fastest and the next half-life)
        let mut bolus = DVector::zeros(oracle.peripherals.len() + 1);
        bolus[0] = 1.0;
        let bolus_half = oracle.half_time_from(&bolus);
        let got = context_sensitive_half_time(m, 70.0, 0.01).unwrap();
        assert!(
            (got - bolus_half).abs() <= 2e-3 * bolus_half,
            "{id}: {got} vs {bolus_half}"
        );
        let mut hl = m.derived(70.0).unwrap().half_lives_min;
        hl.sort_by(f64::total_cmp);
        assert!(
            hl[0] <= got && got <= hl[1],
            "{id}: {got} vs half-lives {hl:?}"
        );
    }
}

#[test]
fn context_sensitive_half_time_increases_with_duration_and_exceeds_the_constant_rate_one() {
    let durations = [
        0.01, 5.0, 10.0, 20.0, 40.0, 60.0, 120.0, 240.0, 480.0, 1440.0,
    ];
    for m in models::all() {
        let c = csht_curve(m, 70.0, &durations).unwrap();
        assert!(c.windows(2).all(|w| w[1].1 > w[0].1), "{}: {c:?}", m.id);
        for &(d, h) in &c {
            let rate = constant_rate_half_time(m, 70.0, d).unwrap();
            assert!(rate <= h * (1.0 + 1e-9), "{} {d}: {rate} vs {h}", m.id);
        }
    }
}

#[test]
fn kamp_textbook_values_are_not_the_constant_rate_ones() {
    // the regression: the textbook quantity was computed after a constant-rate infusion
    // (8.7, 12.4, 24.6 min for Kamp at 40, 60, 120 min)
    let m = models::get("kamp2020").unwrap();
    for (d, rate_value) in [(40.0, 8.7), (60.0, 12.4), (120.0, 24.6)] {
        let rate = constant_rate_half_time(m, 70.0, d).unwrap();
        assert!((rate - rate_value).abs() < 0.05, "{d}: {rate}");
        let textbook = context_sensitive_half_time(m, 70.0, d).unwrap();
        assert!(textbook > rate + 1.0, "{d}: {textbook} vs {rate}");
    }
}

#[test]
fn effect_site_decrement_with_a_fast_effect_site_is_the_half_time() {
    // with ke0 → ∞ the effect site follows plasma: a 50 % decrement is the CSHT
    for id in ["kamp2020", "domino1982"] {
        let m = models::get(id).unwrap();
        for d in [10.0, 60.0, 240.0] {
            let csht = context_sensitive_half_time(m, 70.0, d).unwrap();
            let dec = ketasim::csht::effect_site_decrement_time(m, 70.0, 100.0, d, 0.5).unwrap();
            assert!((dec - csht).abs() < 0.02, "{id} {d} min: {dec} vs {csht}");
        }
    }
}

#[test]
fn effect_site_decrement_matches_a_simulated_plasma_clamp() {
    // a plasma-target TCI with 1-s updates holds the plasma level from the first second: the
    // simulated recovery below half the level after the stop is the decrement time
    let sc: ketasim::Scenario = serde_json::from_value(serde_json::json!({
        "patient": {"weight_kg": 70},
        "model": "kamp2020",
        "regimen": [{"kind": "tci", "target": "plasma", "target_ng_per_ml": 200,
                     "duration_min": 60, "update_interval_s": 1}],
        "pd": {"recovery_threshold_ng_per_ml": 100},
        "horizon_min": 180,
        "output_step_min": 0.01
    }))
    .unwrap();
    let r = ketasim::simulate(&sc).unwrap();
    let simulated = r.metrics.recovery.after_dosing_min.unwrap();
    let m = models::get("kamp2020").unwrap();
    let dec = ketasim::csht::effect_site_decrement_time(m, 70.0, r.ke0_per_min, 60.0, 0.5).unwrap();
    assert!(
        (simulated - dec).abs() < 0.05,
        "simulated {simulated} vs {dec}"
    );
    let curves = ketasim::csht::CshtCurves::for_scenario(&sc).unwrap();
    assert_eq!(curves.hold_ng_per_ml, 200.0);
    let k = curves
        .durations_min
        .iter()
        .position(|&d| d == 60.0)
        .unwrap();
    assert_eq!(curves.recovery_min[k], dec);
    assert!(curves.recovery_min.windows(2).all(|w| w[1] >= w[0] - 1e-9));
}
