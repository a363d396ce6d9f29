//! Exact propagator for `dx/dt = A·x + u` with constant `u` over a step `h`:
//! `x(t+h) = Φ(h)·x(t) + Γ(h)·u`, with `Φ = e^{A h}` and `Γ = ∫₀ʰ e^{A s} ds`, both read off one
//! matrix exponential of the augmented matrix `[[A, I], [0, 0]]·h`.
//!
//! Propagators are cached by step length, so a uniform output grid costs one matrix
//! exponential plus one matrix–vector product per point.

use super::Stepper;
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// `(Φ(h), Γ(h))` for the system matrix `a`.
///
/// ```
/// use nalgebra::{dmatrix, dvector};
/// // one compartment, k = 0.1 /min: Φ = e^{-0.1·h}, Γ = (1 − e^{-0.1·h}) / 0.1
/// let (phi, gamma) = ketasim::solver::exact::propagator(&dmatrix![-0.1], 2.0)?;
/// assert!((phi[(0, 0)] - (-0.2f64).exp()).abs() < 1e-15);
/// assert!((gamma[(0, 0)] - (1.0 - (-0.2f64).exp()) / 0.1).abs() < 1e-14);
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn propagator(a: &DMatrix<f64>, h: f64) -> Result<(DMatrix<f64>, DMatrix<f64>)> {
    let n = a.nrows();
    let mut m = DMatrix::<f64>::zeros(2 * n, 2 * n);
    m.view_mut((0, 0), (n, n)).copy_from(&(a * h));
    m.view_mut((0, n), (n, n)).fill_diagonal(h);
    let e = m.exp();
    let phi = e.view((0, 0), (n, n)).into_owned();
    let gamma = e.view((0, n), (n, n)).into_owned();
    if phi.iter().chain(gamma.iter()).any(|v| !v.is_finite()) {
        return Err(Error::Numerical(format!(
            "matrix exponential not finite for step {h} min"
        )));
    }
    Ok((phi, gamma))
}

/// Most distinct step lengths kept in the cache (grid step + the odd steps around events).
const CACHE_LEN: usize = 64;

/// The exact stepper for a linear system.
#[derive(Debug, Clone)]
pub struct ExactStepper {
    a: DMatrix<f64>,
    cache: Vec<(f64, DMatrix<f64>, DMatrix<f64>)>,
    tmp: DVector<f64>,
}

impl ExactStepper {
    /// A stepper for `a`, pre-computing the propagator of the grid step `dt_min`.
    pub fn new(a: DMatrix<f64>, dt_min: f64) -> Result<Self> {
        let n = a.nrows();
        let (phi, gamma) = propagator(&a, dt_min)?;
        Ok(ExactStepper {
            a,
            cache: vec![(dt_min, phi, gamma)],
            tmp: DVector::zeros(n),
        })
    }

    fn lookup(&mut self, h: f64) -> Result<usize> {
        let tol = 1e-12 * h;
        if let Some(i) = self
            .cache
            .iter()
            .position(|(hc, _, _)| (hc - h).abs() <= tol)
        {
            return Ok(i);
        }
        if self.cache.len() >= CACHE_LEN {
            self.cache.truncate(1);
        }
        let (phi, gamma) = propagator(&self.a, h)?;
        self.cache.push((h, phi, gamma));
        Ok(self.cache.len() - 1)
    }

    /// Advances `x` by `h` minutes under constant input `u`.
    pub fn advance(
        &mut self,
        h: f64,
        x: &mut DVector<f64>,
        u: &DVector<f64>,
        u_zero: bool,
    ) -> Result<()> {
        if h <= 0.0 {
            return Ok(());
        }
        let i = self.lookup(h)?;
        let (_, phi, gamma) = &self.cache[i];
        self.tmp.gemv(1.0, phi, x, 0.0);
        if !u_zero {
            self.tmp.gemv(1.0, gamma, u, 1.0);
        }
        std::mem::swap(x, &mut self.tmp);
        Ok(())
    }
}

impl Stepper for ExactStepper {
    fn segment(
        &mut self,
        t0: f64,
        t1: f64,
        x: &mut DVector<f64>,
        u: &DVector<f64>,
        u_zero: bool,
        outs: &[f64],
        rec: &mut Vec<f64>,
    ) -> Result<()> {
        let mut t = t0;
        for &tg in outs {
            self.advance(tg - t, x, u, u_zero)?;
            rec.extend_from_slice(x.as_slice());
            t = tg;
        }
        self.advance(t1 - t, x, u, u_zero)
    }
}
