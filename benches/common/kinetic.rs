//! The kinetic-binding workload of issue 14, shared by `benches/engine.rs`
//! (`kinetic_subject/*`) and the tests (`tests/suite/kinetic.rs`): a three-compartment model
//! with an effect site (Kamp 2020, 70 kg, subjective-effect ke0) and kinetic NMDA binding of
//! racemic ketamine (half-time 10 min), 0.5 mg/kg over 40 min, 361 output points (1-min
//! grid, 6 h), rtol 1e-6, and 1 000 subjects whose k10 and V1 vary (log-normal, CV ≈ 30 %,
//! seeded).
//!
//! The linear states are, in order: central amount, the two peripheral amounts, the effect
//! site; the bound fraction follows them (the engine's layout). Every method here writes those
//! five states at the 361 grid points into a row-major buffer.

#![allow(dead_code)]

use ketasim::dosing::InputPlan;
use ketasim::pd::{Binding, BindingRhs};
use ketasim::{models, presets, Scenario};
use nalgebra::{DMatrix, SMatrix, SVector};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, StandardNormal};

/// Linear states of the pruned system.
pub const M: usize = 4;
/// States with the bound fraction.
pub const N: usize = 5;
/// Output points.
pub const POINTS: usize = 361;
/// Binding half-time, min.
pub const HALF_TIME_MIN: f64 = 10.0;

/// The workload: one matrix per subject and what they share.
pub struct Workload {
    /// Per subject, `A` over (central, peripheral, peripheral, effect site).
    pub subjects: Vec<DMatrix<f64>>,
    /// The bound fraction's right-hand side (effect site = state 3).
    pub binding: BindingRhs,
    /// The infusion, into state 0.
    pub plan: InputPlan,
    /// Infusion rate, mg/min, and its end, min.
    pub rate_mg_per_min: f64,
    /// End of the infusion, min.
    pub infusion_end_min: f64,
    /// 0, 1, …, 360 min.
    pub grid: Vec<f64>,
    /// 360 min.
    pub horizon_min: f64,
    /// `kon × (effect-site units → unbound µM)` and `koff`.
    pub kon_c: f64,
    /// Dissociation rate constant, 1/min.
    pub koff: f64,
}

/// The scenario the workload is taken from.
pub fn scenario() -> Scenario {
    let mut sc = presets::get("antidepressant_40min").unwrap().scenario;
    sc.pd.binding = Binding::Kinetic {
        half_time_min: HALF_TIME_MIN,
    };
    sc
}

/// Builds the workload for `n` subjects (seed 1).
pub fn workload(n: usize) -> Workload {
    let sc = scenario();
    let run = sc.prepare().unwrap();
    let model = models::get(&sc.model).unwrap();
    let sys = run.compile(&run.subject, &[]).unwrap();
    let a0 = &sys.analytes[0];
    let mut keep: Vec<usize> = (0..sys.n)
        .filter(|&s| {
            model
                .compartments
                .get(s)
                .is_some_and(|c| c.analyte == 0 && c.role == ketasim::model::Role::Peripheral)
        })
        .collect();
    keep.insert(0, a0.central);
    keep.push(a0.effect);
    assert_eq!(keep.len(), M, "three compartments and an effect site");
    let base = DMatrix::from_fn(M, M, |r, c| sys.a[(keep[r], keep[c])]);
    // k10 = the central compartment's elimination (into the sink); V1 enters A through the
    // effect site's input ke0/V1
    let k10 = sys.a[(sys.sink, a0.central)];
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut z = || -> f64 { StandardNormal.sample(&mut rng) };
    let subjects = (0..n)
        .map(|_| {
            let (fk, fv) = ((0.3 * z()).exp(), (0.3 * z()).exp());
            let mut a = base.clone();
            a[(0, 0)] -= (fk - 1.0) * k10;
            a[(M - 1, 0)] /= fv;
            a
        })
        .collect();
    let full = InputPlan::from_scenario(&sc, &sys).unwrap();
    let mut plan = full.clone();
    for r in &mut plan.rates {
        assert_eq!(r.state, a0.central);
        r.state = 0;
    }
    assert!(plan.boluses.is_empty() && plan.rates.len() == 1);
    let active: Vec<usize> = (0..sys.n).collect();
    let b = BindingRhs::new(&run.pd, &sys, &active).unwrap().unwrap();
    let (_, to_um, kon, koff) = b.ligands[0];
    let binding = BindingRhs {
        first_state: M,
        ligands: vec![(M - 1, to_um, kon, koff)],
    };
    Workload {
        subjects,
        binding,
        rate_mg_per_min: plan.rates[0].rate_mg_per_min,
        infusion_end_min: plan.rates[0].t_end_min,
        plan,
        grid: run.t_min.clone(),
        horizon_min: sc.horizon_min,
        kon_c: kon * to_um,
        koff,
    }
}

/// The floor: the exact propagator for the linear states in fixed-size matrices (`Φ(h)`,
/// `Γ(h)·u`, and the effect-site row of `Φ(h/2)`, `Γ(h/2)·u` for the midpoint) and one
/// classical Runge–Kutta step (order 4) of `h = 1/sub` min for the bound fraction, no error
/// control; writes the 5 states at every output point (every `sub` steps) into `out`.
pub fn floor(w: &Workload, a: &DMatrix<f64>, sub: usize, out: &mut [f64]) {
    let h = 1.0 / sub as f64;
    let (phi, gamma) = ketasim::solver::exact::propagator(a, h).unwrap();
    let (phi_h, gamma_h) = ketasim::solver::exact::propagator(a, 0.5 * h).unwrap();
    let phi = SMatrix::<f64, M, M>::from_iterator(phi.iter().copied());
    let g = SVector::<f64, M>::from_iterator((0..M).map(|i| gamma[(i, 0)] * w.rate_mg_per_min));
    let e = M - 1;
    let row_h = SVector::<f64, M>::from_iterator((0..M).map(|j| phi_h[(e, j)]));
    let g_h = gamma_h[(e, 0)] * w.rate_mg_per_min;
    let (kc, koff) = (w.kon_c, w.koff);
    let f = |b: f64, ce: f64| h * (kc * ce * (1.0 - b) - koff * b);
    let mut x = SVector::<f64, M>::zeros();
    let mut b = 0.0;
    out[..N].fill(0.0);
    let on_points = w.infusion_end_min.round() as usize;
    for (i, row) in out.chunks_exact_mut(N).enumerate().skip(1) {
        let on = i <= on_points;
        for _ in 0..sub {
            let ce0 = x[e];
            let ce_m = row_h.dot(&x) + if on { g_h } else { 0.0 };
            x = if on { phi * x + g } else { phi * x };
            let ce1 = x[e];
            let k1 = f(b, ce0);
            let k2 = f(b + 0.5 * k1, ce_m);
            let k3 = f(b + 0.5 * k2, ce_m);
            let k4 = f(b + k3, ce1);
            b += (k1 + 2.0 * (k2 + k3) + k4) / 6.0;
        }
        row[..M].copy_from_slice(x.as_slice());
        row[M] = b;
    }
}

/// The hand-written right-hand side of [`direct`] and [`direct_dense`]: the micro-constants on
/// a `Vector5`, as ode_solvers' documentation writes one.
struct Pk {
    /// a00 a01 a02 a10 a11 a20 a22 a30 a33
    k: [f64; 9],
    kc: f64,
    koff: f64,
    rate: f64,
}

impl ode_solvers::System<f64, ode_solvers::Vector5<f64>> for Pk {
    fn system(&self, _t: f64, y: &ode_solvers::Vector5<f64>, dy: &mut ode_solvers::Vector5<f64>) {
        let k = &self.k;
        dy[0] = k[0] * y[0] + k[1] * y[1] + k[2] * y[2] + self.rate;
        dy[1] = k[3] * y[0] + k[4] * y[1];
        dy[2] = k[5] * y[0] + k[6] * y[2];
        dy[3] = k[7] * y[0] + k[8] * y[3];
        dy[4] = self.kc * y[3] * (1.0 - y[4]) - self.koff * y[4];
    }
}

/// The nine non-zero entries of `a` that [`Pk`] uses (see [`check_structure`]).
fn micro_constants(a: &DMatrix<f64>) -> [f64; 9] {
    [
        a[(0, 0)],
        a[(0, 1)],
        a[(0, 2)],
        a[(1, 0)],
        a[(1, 1)],
        a[(2, 0)],
        a[(2, 2)],
        a[(3, 0)],
        a[(3, 3)],
    ]
}

/// The same problem with `ode_solvers`' Dopri5 used directly, as its documentation shows: a
/// hand-written right-hand side with the micro-constants on a `Vector5`, one integration per
/// interval between dose events with a continuous output model for the grid points, the next
/// interval started from the solver's last accepted step. Writes the 5 states at every point
/// into `out`.
pub fn direct(w: &Workload, a: &DMatrix<f64>, rtol: f64, atol: f64, out: &mut [f64]) {
    use ode_solvers::continuous_output_model::ContinuousOutputModel;
    use ode_solvers::Dopri5;
    let k = micro_constants(a);
    let mut y = ode_solvers::Vector5::zeros();
    out[..N].fill(0.0);
    let mut next = 1;
    for (t0, t1, rate) in [
        (0.0, w.infusion_end_min, w.rate_mg_per_min),
        (w.infusion_end_min, w.horizon_min, 0.0),
    ] {
        let pk = Pk {
            k,
            kc: w.kon_c,
            koff: w.koff,
            rate,
        };
        let mut solver = Dopri5::new(pk, t0, t1, t1 - t0, y, rtol, atol);
        let mut model = ContinuousOutputModel::new();
        solver
            .integrate_with_continuous_output_model(&mut model)
            .unwrap();
        while next < POINTS && w.grid[next] < t1 {
            let v = model.evaluate(w.grid[next]).unwrap();
            out[next * N..(next + 1) * N].copy_from_slice(v.as_slice());
            next += 1;
        }
        y = *solver.y_out().last().unwrap();
        if next < POINTS && w.grid[next] == t1 {
            out[next * N..(next + 1) * N].copy_from_slice(y.as_slice());
            next += 1;
        }
    }
}

/// [`direct`] with ode_solvers' own dense output (`OutputType::Dense`, every `dx` = 1 min from
/// the interval start) instead of its continuous output model: how the engine's Dopri5 serves
/// evenly spaced output points. The next interval starts from the dense output at the interval
/// end (ode_solvers gives no other access to the last step in this mode; at θ = 1 it is the
/// step's own value to rounding), as a direct user would.
pub fn direct_dense(w: &Workload, a: &DMatrix<f64>, rtol: f64, atol: f64, out: &mut [f64]) {
    use ode_solvers::Dopri5;
    let k = micro_constants(a);
    let mut y = ode_solvers::Vector5::zeros();
    out[..N].fill(0.0);
    let mut next = 1;
    for (t0, t1, rate) in [
        (0.0, w.infusion_end_min, w.rate_mg_per_min),
        (w.infusion_end_min, w.horizon_min, 0.0),
    ] {
        let pk = Pk {
            k,
            kc: w.kon_c,
            koff: w.koff,
            rate,
        };
        let mut solver = Dopri5::new(pk, t0, t1, 1.0, y, rtol, atol);
        solver.integrate().unwrap();
        // ys[0] is t0, ys[j] is t0 + j min, the last one t1
        let ys = solver.y_out();
        for yj in &ys[1..] {
            if next < POINTS {
                out[next * N..(next + 1) * N].copy_from_slice(yj.as_slice());
                next += 1;
            }
        }
        y = *ys.last().unwrap();
    }
    assert_eq!(next, POINTS, "every point written");
}

/// The sparsity `direct` assumes (three-compartment mammillary model with an effect site).
pub fn check_structure(a: &DMatrix<f64>) {
    for (i, j) in [(0, 3), (1, 2), (1, 3), (2, 1), (2, 3), (3, 1), (3, 2)] {
        assert_eq!(a[(i, j)], 0.0, "A[{i},{j}]");
    }
}

/// The engine's `exact_kinetic` stepper on one subject (rtol 1e-6 unless given).
pub fn exact_kinetic(w: &Workload, a: &DMatrix<f64>, rtol: f64) -> ketasim::solver::Trajectory {
    let mut st = ketasim::solver::kinetic::KineticStepper::new(a, 1.0, &w.binding, rtol).unwrap();
    ketasim::solver::run(&mut st, N, &w.plan, w.grid.clone(), w.horizon_min).unwrap()
}

/// The engine's Dopri5 stepper (sized to the 5 states) on one subject.
pub fn dopri5(w: &Workload, a: &DMatrix<f64>, rtol: f64, atol: f64) -> ketasim::solver::Trajectory {
    let mut st =
        ketasim::solver::ode::OdeStepper::new(a, Some(w.binding.clone()), rtol, atol).unwrap();
    ketasim::solver::run(&mut st, N, &w.plan, w.grid.clone(), w.horizon_min).unwrap()
}

/// The engine's exact propagator on the linear states alone (no binding).
pub fn exact_linear(w: &Workload, a: &DMatrix<f64>) -> ketasim::solver::Trajectory {
    let mut st = ketasim::solver::exact::ExactStepper::new(a, 1.0).unwrap();
    ketasim::solver::run(&mut st, M, &w.plan, w.grid.clone(), w.horizon_min).unwrap()
}

/// Largest relative error of state `s` in `x` against `reference` (both row-major with `N`
/// states per point), with the floor 1e-6 × the reference's peak (as in the oracle tests).
pub fn max_rel_err(x: &[f64], reference: &[f64], s: usize) -> f64 {
    let col = |v: &[f64]| -> Vec<f64> { v.chunks_exact(N).map(|r| r[s]).collect() };
    let (a, b) = (col(x), col(reference));
    let peak = b.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs() / y.abs().max(1e-6 * peak).max(f64::MIN_POSITIVE))
        .fold(0.0, f64::max)
}
