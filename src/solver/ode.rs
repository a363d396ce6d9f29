//! Dopri5 (`ode_solvers`) on the same system, plus optional non-linear receptor binding: the
//! independent check of the exact paths, and a selectable method.
//!
//! Each interval between boundaries is a fresh integration. Output grid points inside it come
//! from the solver's continuous output model; the restart state is the solver's last accepted
//! step at the interval end, never the dense output (which can be extrapolated there).
//!
//! The state is a fixed-size `SVector` of exactly the model's size (linear states reached by
//! the inputs, then one bound fraction per ligand) from 4 to [`OdeStepper::EXACT_MAX`]
//! states: every one-analyte model, with or without binding states. Other sizes (models with
//! metabolites) are padded with states that stay zero, to 4, 12, 16, 24 or 32, and the
//! tolerances are scaled by `√(n/N)`, so the solver's root-mean-square error norm is that of
//! the `n` model states exactly either way and the tolerances mean what they say. (Each size
//! is a separate instance of the solver, about 1.4 KB of the gzipped WebAssembly module: one
//! per size up to 32 would add 40 KB.) The right-hand side is the compiled matrix itself, `A·y + u` in fixed-size arithmetic (the
//! compiler unrolls it), plus the binding terms.
//!
//! Stiffness (a fast binding half-time, or a long dose-free stretch in which the step is held
//! by stability) makes Dopri5 slow, never wrong: its stiffness test is off, long intervals are
//! integrated in chunks of at most [`OdeStepper::CHUNK_STEPS`] steps (memory stays bounded),
//! and a run stops with an error after [`OdeStepper::MAX_STEPS`] steps. `auto` uses the
//! exact paths, which stiffness does not slow down.

use super::{Segment, Stepper};
use crate::error::{Error, Result};
use crate::pd::BindingRhs;
use crate::text::Num;
use nalgebra::{DMatrix, DVector, SVector};
use ode_solvers::continuous_output_model::ContinuousOutputModel;
use ode_solvers::dop_shared::{IntegrationError, OutputType};
use ode_solvers::{Dopri5, System};

/// `dy = A·y + u` plus the binding terms, in fixed-size arrays.
struct Rhs<'a, const N: usize> {
    /// The columns of `A` (zero-padded), held by value as a hand-written right-hand side
    /// holds its constants (measured: about 4 % faster than through a reference).
    cols: [[f64; N]; N],
    u: [f64; N],
    /// Index of the first bound fraction.
    first: usize,
    /// One ligand: its bound fraction's state, its effect-site state, `kon × (state units →
    /// unbound µM)`, `koff`.
    one: Option<(usize, usize, f64, f64)>,
    /// Per ligand: effect-site state, `kon × (state units → unbound µM)`, `koff`.
    ligands: &'a [(usize, f64, f64)],
    /// Accepted steps of this integration.
    steps: u32,
    /// Accepted steps after which this integration ends.
    limit: u32,
}

impl<const N: usize> System<f64, SVector<f64, N>> for Rhs<'_, N> {
    // inlined into the solver's stages, as a hand-written right-hand side is
    #[inline(always)]
    fn system(&self, _t: f64, y: &SVector<f64, N>, dy: &mut SVector<f64, N>) {
        let d: &mut [f64; N] = &mut dy.data.0[0];
        *d = self.u;
        // a trip count known at compile time lets the compiler unroll this, as it does a
        // hand-written one: N − 1 rows and columns when the last state is the one bound
        // fraction (its row and column of A are zero), else all N (the bound fractions' rows
        // and columns add exact zeros)
        let lin = if self.first == N - 1 { N - 1 } else { N };
        if lin == N - 1 {
            for (col, &yj) in self.cols.iter().zip(y.iter()).take(N - 1) {
                for (di, c) in d.iter_mut().zip(col).take(N - 1) {
                    *di += c * yj;
                }
            }
        } else {
            for (col, &yj) in self.cols.iter().zip(y.iter()) {
                for (di, c) in d.iter_mut().zip(col) {
                    *di += c * yj;
                }
            }
        }
        // dB_i/dt = kon_i·Cu_i·(1 − ΣB) − koff_i·B_i (as BindingRhs::derivatives)
        if let Some((s, e, kc, koff)) = self.one {
            let b = y[s];
            d[s] = kc * y[e] * (1.0 - b) - koff * b;
        } else if !self.ligands.is_empty() {
            let nb = self.ligands.len();
            let free = 1.0
                - y.as_slice()[self.first..self.first + nb]
                    .iter()
                    .sum::<f64>();
            for (l, &(e, kc, koff)) in self.ligands.iter().enumerate() {
                let s = self.first + l;
                d[s] = kc * y[e] * free - koff * y[s];
            }
        }
    }

    /// Ends the integration after a chunk of steps (the driver continues from there).
    fn solout(&mut self, _x: f64, _y: &SVector<f64, N>, _dy: &SVector<f64, N>) -> bool {
        self.steps += 1;
        self.steps >= self.limit
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
    /// The system matrix over all `n` states (zero rows and columns for the bound fractions),
    /// column-major.
    a: Vec<f64>,
    binding: Option<BindingRhs>,
    /// Per ligand: effect-site state, `kon × to_um`, `koff`.
    ligands: Vec<(usize, f64, f64)>,
    n: usize,
    rtol: f64,
    atol: f64,
    /// Accepted steps so far (all intervals).
    pub accepted_steps: u64,
    /// Accepted steps per run before giving up.
    max_steps: u64,
}

impl OdeStepper {
    /// Largest state vector supported.
    pub const MAX_STATES: usize = 32;
    /// State vectors of 4 to this many states are integrated at their exact size (smaller and
    /// larger ones are padded).
    pub const EXACT_MAX: usize = 8;
    /// Accepted steps per integration before the driver restarts from the last accepted step
    /// (bounds the memory of the continuous output model on long intervals).
    pub const CHUNK_STEPS: u32 = 20_000;
    /// Accepted steps per run before giving up, unless [`OdeStepper::with_max_steps`] says
    /// otherwise (`solver.max_steps`).
    pub const MAX_STEPS: u32 = 10_000_000;

    /// A stepper for the linear system `a` (`m × m`, the states reached by the inputs) with
    /// optional binding states after them (`binding.first_state == m`).
    pub fn new(
        a: &DMatrix<f64>,
        binding: Option<BindingRhs>,
        rtol: f64,
        atol: f64,
    ) -> Result<Self> {
        let m = a.nrows();
        let n = m + binding.as_ref().map_or(0, BindingRhs::n_states);
        if n > Self::MAX_STATES {
            return Err(Error::TooLarge {
                what: "states of the Dopri5 path (model states reached by the inputs + binding \
                       states; use method 'auto')"
                    .into(),
                value: n as u64,
                limit: Self::MAX_STATES as u64,
            });
        }
        let mut dense = vec![0.0; n * n];
        for j in 0..m {
            for i in 0..m {
                dense[j * n + i] = a[(i, j)];
            }
        }
        let ligands = binding
            .as_ref()
            .map(|b| {
                b.ligands
                    .iter()
                    .map(|&(e, to_um, kon, koff)| (e, kon * to_um, koff))
                    .collect()
            })
            .unwrap_or_default();
        Ok(OdeStepper {
            a: dense,
            ligands,
            binding,
            n,
            rtol,
            atol,
            accepted_steps: 0,
            max_steps: u64::from(Self::MAX_STEPS),
        })
    }

    /// The same stepper, stopping with an error after `max_steps` accepted steps in all.
    pub fn with_max_steps(mut self, max_steps: u32) -> Self {
        self.max_steps = u64::from(max_steps.max(1));
        self
    }

    /// Number of states integrated (`m` linear + bound fractions).
    pub fn n_states(&self) -> usize {
        self.n
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
        let fail = |message: String| Error::Solver {
            t_start_min: t0,
            t_end_min: t1,
            message,
            remedy: GENERIC_REMEDY.into(),
        };
        let mut cols = [[0.0; N]; N];
        for (j, col) in cols.iter_mut().enumerate().take(n) {
            col[..n].copy_from_slice(&self.a[j * n..(j + 1) * n]);
        }
        let mut uu = [0.0; N];
        uu[..n].copy_from_slice(&u.as_slice()[..n]);
        let (first, ligands) = match &self.binding {
            Some(b) => (b.first_state, self.ligands.as_slice()),
            None => (n, &[][..]),
        };
        let mut y = SVector::<f64, N>::zeros();
        y.as_mut_slice()[..n].copy_from_slice(x.as_slice());
        // padded states contribute zero errors: scaling the tolerances by √(n/N) makes the
        // solver's norm (over N) that of the n model states
        let scale = if N == n {
            1.0
        } else {
            (n as f64 / N as f64).sqrt()
        };
        let mut t = t0;
        let mut k = 0;
        let mut rows = rec.chunks_exact_mut(n);
        loop {
            let rhs = Rhs {
                cols,
                u: uu,
                first,
                one: match *ligands {
                    [(e, kc, koff)] => Some((first, e, kc, koff)),
                    _ => None,
                },
                ligands,
                steps: 0,
                limit: Self::CHUNK_STEPS
                    .min(
                        u32::try_from(self.max_steps.saturating_sub(self.accepted_steps))
                            .unwrap_or(u32::MAX),
                    )
                    .max(1),
            };
            let span = t1 - t;
            let mut solver = Dopri5::from_param(
                rhs,
                t,
                t1,
                span,
                y,
                self.rtol * scale,
                self.atol * scale,
                // ode_solvers' defaults: safety factor, β, fac_min, fac_max, h_max, h (0:
                // automatic), n_max; the stiffness test is off
                0.9,
                0.04,
                0.2,
                10.0,
                span,
                0.0,
                100_000,
                u32::MAX,
                OutputType::Continuous,
            );
            let mut model = ContinuousOutputModel::new();
            let stats = solver
                .integrate_with_continuous_output_model(&mut model)
                .map_err(|e| fail(integration_error(&e)))?;
            self.accepted_steps += u64::from(stats.accepted_steps);
            let (xs, ys) = solver.results().get();
            let (Some(&xe), Some(ye)) = (xs.last(), ys.last()) else {
                return Err(fail("the integration made no step".into()));
            };
            let end = (xe - t1).abs() <= 1e-9 * t1.abs().max(1.0);
            while k < outs.len() && (end || outs[k] <= xe) {
                let yk = model
                    .evaluate(outs[k])
                    .ok_or_else(|| fail(format!("no dense output at t = {} min", Num(outs[k]))))?;
                if let Some(row) = rows.next() {
                    row.copy_from_slice(&yk.as_slice()[..n]);
                }
                k += 1;
            }
            if end {
                x.as_mut_slice().copy_from_slice(&ye.as_slice()[..n]);
                return Ok(());
            }
            if xe <= t {
                return Err(fail("integration stopped before the interval end".into()));
            }
            if self.accepted_steps >= self.max_steps {
                return Err(fail(format!(
                    "Dopri5 used its {} steps (solver.max_steps) by t = {} min: the system is \
                     stiff here (a fast binding half-time, or a long stretch without doses)",
                    self.max_steps,
                    Num(xe)
                )));
            }
            // the next chunk starts from the solver's own last accepted step
            t = xe;
            y = *ye;
        }
    }
}

impl Stepper for OdeStepper {
    fn segment(&mut self, seg: &Segment, x: &mut DVector<f64>, rec: &mut [f64]) -> Result<()> {
        match self.n {
            0..=4 => self.seg::<4>(seg, x, rec),
            5 => self.seg::<5>(seg, x, rec),
            6 => self.seg::<6>(seg, x, rec),
            7 => self.seg::<7>(seg, x, rec),
            8 => self.seg::<8>(seg, x, rec),
            9..=12 => self.seg::<12>(seg, x, rec),
            13..=16 => self.seg::<16>(seg, x, rec),
            17..=24 => self.seg::<24>(seg, x, rec),
            _ => self.seg::<32>(seg, x, rec),
        }
    }
}
