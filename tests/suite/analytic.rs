//! Independent oracle: the textbook sum-of-exponentials solution of a mammillary model.
//!
//! The amount-based system matrix of the drug's own compartments is symmetrised with the
//! compartment volumes (`B = D^-1/2 · A · D^1/2`, which is symmetric for any mammillary model),
//! diagonalised with a symmetric eigen-solver, and each bolus or infusion is superposed in
//! closed form at the requested times. Nothing here uses the simulator's driver, propagator or
//! ODE solver.

use ketasim::dosing::InputPlan;
use ketasim::model::{LinearSystem, ModelSpec, Role};
use nalgebra::{DMatrix, DVector, SymmetricEigen};

pub struct Analytic {
    /// The compartments the oracle covers: the administered drug's central and peripherals.
    pub idx: Vec<usize>,
    sqrt_d: DVector<f64>,
    q: DMatrix<f64>,
    lambda: DVector<f64>,
}

impl Analytic {
    /// Oracle for the disposition compartments (central and peripherals of the administered
    /// drug) of a mammillary model; `None` for other structures (metabolites, several analytes).
    pub fn new(model: &ModelSpec, sys: &LinearSystem) -> Option<Self> {
        if model.analytes.len() != 1 {
            return None;
        }
        let idx: Vec<usize> = model
            .compartments
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.role, Role::Central | Role::Peripheral))
            .map(|(i, _)| i)
            .collect();
        if idx.first() != Some(&sys.analytes[0].central) {
            return None;
        }
        let m = idx.len();
        let a = DMatrix::from_fn(m, m, |r, c| sys.a[(idx[r], idx[c])]);
        // relative volumes: d_j / d_0 = A[j,0] / A[0,j] for peripherals of central 0
        let mut d = DVector::from_element(m, 1.0);
        for j in 1..m {
            d[j] = a[(j, 0)] / a[(0, j)];
        }
        let sqrt_d = d.map(f64::sqrt);
        let b = DMatrix::from_fn(m, m, |r, c| a[(r, c)] * sqrt_d[c] / sqrt_d[r]);
        let asym = (&b - b.transpose()).abs().max();
        assert!(
            asym < 1e-12 * b.abs().max(),
            "not mammillary: asymmetry {asym}"
        );
        let eig = SymmetricEigen::new(b);
        Some(Analytic {
            idx,
            sqrt_d,
            q: eig.eigenvectors,
            lambda: eig.eigenvalues,
        })
    }

    /// Amounts in the covered compartments (in the order of `idx`) at time `t` for all inputs
    /// of `plan` into them (inputs elsewhere, e.g. depots, are outside the oracle).
    pub fn amounts(&self, plan: &InputPlan, t: f64) -> DVector<f64> {
        let m = self.idx.len();
        // work in the symmetric basis: y = Q^T D^-1/2 x
        let mut modal = DVector::<f64>::zeros(m);
        let unit = |state: usize| -> DVector<f64> {
            let k = self.idx.iter().position(|&s| s == state).unwrap();
            let mut e = DVector::zeros(m);
            e[k] = 1.0 / self.sqrt_d[k];
            self.q.transpose() * e
        };
        for b in &plan.boluses {
            if b.t_min <= t && self.idx.contains(&b.state) {
                let w = unit(b.state);
                for i in 0..m {
                    modal[i] += b.amount_mg * w[i] * (self.lambda[i] * (t - b.t_min)).exp();
                }
            }
        }
        for r in &plan.rates {
            if r.t_start_min < t && self.idx.contains(&r.state) {
                let w = unit(r.state);
                let end = r.t_end_min.min(t);
                for i in 0..m {
                    let l = self.lambda[i];
                    let g = ((l * (t - end)).exp() - (l * (t - r.t_start_min)).exp()) / (-l);
                    modal[i] += r.rate_mg_per_min * w[i] * g;
                }
            }
        }
        let x = &self.q * modal;
        x.component_mul(&self.sqrt_d)
    }
}
