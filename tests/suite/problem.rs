//! The exported initial-value problem is the engine's: integrated here by a plain fixed-step
//! RK4 (no crate solver), it reproduces the engine's Cp, Ce and bound fraction.

use ketasim::pd::Binding;
use ketasim::simulate::problem::OdeProblem;
use ketasim::{presets, simulate};

fn rk4(p: &OdeProblem, h: f64) -> Vec<Vec<f64>> {
    let m = p.states.len();
    let n = m + p.binding.len();
    // the rates of the step's interval (its midpoint `t`): events are on the output grid
    let rhs = |t: f64, x: &[f64]| -> Vec<f64> {
        let mut d = vec![0.0; n];
        for (di, row) in d.iter_mut().zip(p.a.chunks_exact(m)) {
            *di = row.iter().zip(x).map(|(a, xj)| a * xj).sum();
        }
        for r in &p.rates {
            if t >= r.t_start_min && t < r.t_end_min {
                d[r.state] += r.rate_mg_per_min;
            }
        }
        let free = 1.0 - x[m..].iter().sum::<f64>();
        for (l, b) in p.binding.iter().enumerate() {
            d[m + l] = b.kon_cu * x[b.effect_state] * free - b.koff_per_min * x[m + l];
        }
        d
    };
    let mut x = vec![0.0; n];
    let mut out = Vec::new();
    let mut t = 0.0;
    for &tk in &p.t_min {
        while t < tk - 1e-12 {
            let s = h.min(tk - t);
            let tm = t + s / 2.0;
            let k1 = rhs(tm, &x);
            let y = |k: &[f64], f: f64| x.iter().zip(k).map(|(a, b)| a + f * b).collect::<Vec<_>>();
            let k2 = rhs(tm, &y(&k1, s / 2.0));
            let k3 = rhs(tm, &y(&k2, s / 2.0));
            let k4 = rhs(tm, &y(&k3, s));
            for (i, xi) in x.iter_mut().enumerate() {
                *xi += s / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
            }
            t += s;
        }
        for b in p.boluses.iter().filter(|b| (b.t_min - tk).abs() < 1e-12) {
            x[b.state] += b.amount_mg;
        }
        out.push(x.clone());
    }
    out
}

#[test]
fn the_exported_problem_integrates_to_the_engines_result() {
    for (id, kinetic) in [
        ("antidepressant_40min", true),
        ("antidepressant_40min", false),
        ("induction_bolus", true),
    ] {
        let mut sc = presets::get(id).unwrap().scenario;
        sc.horizon_min = 180.0;
        if kinetic {
            sc.pd.binding = Binding::Kinetic {
                half_time_min: 10.0,
            };
        }
        let p = OdeProblem::of(&sc).unwrap();
        assert_eq!(p.binding.len(), usize::from(kinetic), "{id}");
        let r = simulate(&sc).unwrap();
        let xs = rk4(&p, 0.005);
        let peak = r.analytes[0]
            .cp_ng_per_ml
            .iter()
            .fold(0.0f64, |a, &b| a.max(b));
        for (k, x) in xs.iter().enumerate() {
            let cp = x[p.central_state] * p.central_to_ng_per_ml;
            let ce = x[p.effect_state] * p.effect_to_ng_per_ml;
            assert!(
                (cp - r.analytes[0].cp_ng_per_ml[k]).abs() <= 1e-7 * peak,
                "{id} t={} cp {cp}",
                p.t_min[k]
            );
            assert!(
                (ce - r.analytes[0].ce_ng_per_ml[k]).abs() <= 1e-7 * peak,
                "{id} t={} ce {ce}",
                p.t_min[k]
            );
            if kinetic {
                let b = x[p.states.len()];
                assert!(
                    (b - r.occupancy[k]).abs() <= 1e-6,
                    "{id} t={}: B {b} vs {}",
                    p.t_min[k],
                    r.occupancy[k]
                );
            }
        }
    }
}
