//! Dopri5 (`ode_solvers`) on the same system, plus optional non-linear receptor binding.
//!
//! Each interval between boundaries is a fresh integration. Output grid points inside it come
//! from the solver's continuous output model; the restart state is the solver's last accepted
//! step at the interval end, never the dense output (which can be extrapolated there).
//! The state lives in a fixed-size `SVector` (8, 16 or 32 entries, zero-padded) so the
//! right-hand side allocates nothing.

use super::{Segment, Stepper};
use crate::error::{Error, Result};
use crate::pd::BindingRhs;
use crate::text::Num;
use nalgebra::{DVector, SVector};
use ode_solvers::continuous_output_model::ContinuousOutputModel;
use ode_solvers::dop_shared::IntegrationError;
use ode_solvers::{Dopri5, System};

struct Rhs<'a, const N: usize> {
    entries: &'a [(usize, usize, f64)],
    u: SVector<f64, N>,
    binding: Option<&'a BindingRhs>,
}

impl<const N: usize> System<f64, SVector<f64, N>> for Rhs<'_, N> {
    fn system(&self, _t: f64, y: &SVector<f64, N>, dy: &mut SVector<f64, N>) {
        *dy = self.u;
        for &(i, j, v) in self.entries {
            dy[i] += v * y[j];
        }
        if let Some(b) = self.binding {
            b.derivatives(y.as_slice(), dy.as_mut_slice());
        }
    }
}

/// What to change when the solver fails and nothing more is known about the scenario
/// (`simulate` replaces it with a remedy that names the scenario's own values).
const GENERIC_REMEDY: &str = "loosen solver.rtol and solver.atol, or use solver.method 'exact' \
                              when the system is linear (equilibrium binding)";

/// The solver's failure in the scenario's terms (time in min).
fn integration_error(e: &IntegrationError) -> String {
    match *e {
        IntegrationError::MaxNumStepReached { x, n_step } => format!(
            "it needed more than {n_step} steps in one interval between doses (stopped at t = {} min)",
            Num(x)
        ),
        IntegrationError::StepSizeUnderflow { x } => {
            format!("its step size fell below the smallest possible at t = {} min", Num(x))
        }
        IntegrationError::StiffnessDetected { x } => {
            format!("the system became stiff at t = {} min", Num(x))
        }
    }
}

/// The Dopri5 stepper.
#[derive(Debug, Clone)]
pub struct OdeStepper {
    entries: Vec<(usize, usize, f64)>,
    binding: Option<BindingRhs>,
    n: usize,
    rtol: f64,
    atol: f64,
    /// Accepted steps so far (all intervals).
    pub accepted_steps: u64,
}

impl OdeStepper {
    /// Largest state vector supported.
    pub const MAX_STATES: usize = 32;

    /// A stepper for the sparse linear part `entries` (row, column, value) over `n` states,
    /// with optional binding states among them.
    pub fn new(
        entries: Vec<(usize, usize, f64)>,
        binding: Option<BindingRhs>,
        n: usize,
        rtol: f64,
        atol: f64,
    ) -> Result<Self> {
        if n > Self::MAX_STATES {
            return Err(Error::TooLarge {
                what: "states of the Dopri5 path (model states reached by the inputs + binding \
                       states; use equilibrium binding and method 'exact')"
                    .into(),
                value: n as u64,
                limit: Self::MAX_STATES as u64,
            });
        }
        Ok(OdeStepper {
            entries,
            binding,
            n,
            rtol,
            atol,
            accepted_steps: 0,
        })
    }

    fn seg<const N: usize>(
        &mut self,
        seg: &Segment,
        x: &mut DVector<f64>,
        rec: &mut [f64],
    ) -> Result<()> {
        let Segment {
            t0, t1, u, outs, ..
        } = *seg;
        let n = self.n;
        let mut y0 = SVector::<f64, N>::zeros();
        y0.as_mut_slice()[..n].copy_from_slice(x.as_slice());
        let mut uu = SVector::<f64, N>::zeros();
        uu.as_mut_slice()[..n].copy_from_slice(u.as_slice());
        let rhs = Rhs {
            entries: &self.entries,
            u: uu,
            binding: self.binding.as_ref(),
        };
        let fail = |message: String| Error::Solver {
            t_start_min: t0,
            t_end_min: t1,
            message,
            remedy: GENERIC_REMEDY.into(),
        };
        let mut solver = Dopri5::new(rhs, t0, t1, t1 - t0, y0, self.rtol, self.atol);
        let mut model = ContinuousOutputModel::new();
        let stats = solver
            .integrate_with_continuous_output_model(&mut model)
            .map_err(|e| fail(integration_error(&e)))?;
        self.accepted_steps += u64::from(stats.accepted_steps);
        for (&t, row) in outs.iter().zip(rec.chunks_exact_mut(n)) {
            let y = model
                .evaluate(t)
                .ok_or_else(|| fail(format!("no dense output at t = {} min", Num(t))))?;
            row.copy_from_slice(&y.as_slice()[..n]);
        }
        let (xs, ys) = solver.results().get();
        match (xs.last(), ys.last()) {
            (Some(&xe), Some(ye)) if (xe - t1).abs() <= 1e-9 * t1.abs().max(1.0) => {
                x.as_mut_slice().copy_from_slice(&ye.as_slice()[..n]);
                Ok(())
            }
            _ => Err(fail("integration stopped before the interval end".into())),
        }
    }
}

impl Stepper for OdeStepper {
    fn segment(&mut self, seg: &Segment, x: &mut DVector<f64>, rec: &mut [f64]) -> Result<()> {
        match self.n {
            0..=8 => self.seg::<8>(seg, x, rec),
            9..=16 => self.seg::<16>(seg, x, rec),
            _ => self.seg::<32>(seg, x, rec),
        }
    }
}
