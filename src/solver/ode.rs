//! Dopri5 (`ode_solvers`) on the same system, plus optional non-linear receptor binding: the
//! independent check of the exact paths, and a selectable method.
//!
//! Each interval between boundaries is a fresh integration. Output grid points inside it come
//! from the solver's own dense output when they are evenly spaced (ode_solvers'
//! `OutputType::Dense`, which stores only those points: a step allocates nothing; measured 27 %
//! faster than its continuous output model on the kinetic-binding benchmark), else from its
//! continuous output model. The restart state is the solver's last accepted step at the
//! interval end, never the dense output (which can be extrapolated there).
//!
//! The state is a fixed-size `SVector` of exactly the model's size (linear states reached by
//! the inputs, then one bound fraction per ligand) from 4 to [`OdeStepper::EXACT_MAX`]
//! states: every one-analyte model, with or without binding states. Other sizes (models with
//! metabolites) are padded with states that stay zero, to 4, 12, 16, 24 or 32, and the
//! tolerances are scaled by `√(n/N)`, so the solver's root-mean-square error norm is that of
//! the `n` model states exactly either way and the tolerances mean what they say. (Each size
//! is a separate instance of the solver, about 1.4 KB of the gzipped WebAssembly module: one
//! per size up to 32 would add 40 KB.) The right-hand side is the compiled matrix itself,
//! `A·y + u` in fixed-size arithmetic (the compiler unrolls it), plus the binding terms.
//!
//! Stiffness (a fast binding half-time, or a long dose-free stretch in which the step is held
//! by stability) makes Dopri5 slow, never wrong: its stiffness test is off, memory stays
//! bounded (the dense path keeps only the output points; the continuous output model is built
//! in chunks of at most [`OdeStepper::CHUNK_STEPS`] steps), and a run stops with an error
//! after [`OdeStepper::MAX_STEPS`] steps tried (accepted or rejected). `auto` uses the exact
//! paths, which stiffness does not slow down.

use super::{Segment, Stepper};
use crate::error::{Error, Result};
use crate::pd::BindingRhs;
use crate::text::Num;
use nalgebra::{DMatrix, DVector, SVector};
use ode_solvers::continuous_output_model::ContinuousOutputModel;
use ode_solvers::dop_shared::{IntegrationError, OutputType};
use ode_solvers::{Dopri5, System};
use std::cell::Cell;

/// `dy = A·y + u` plus the binding terms, in fixed-size arrays.
#[derive(Clone, Copy)]
struct Sys<'a, const N: usize> {
    /// The columns of `A` (zero-padded), held by value as a hand-written right-hand side
    /// holds its constants (measured: about 4 % faster than through a reference).
    cols: [[f64; N]; N],
    u: [f64; N],
    /// Index of the first bound fraction.
    first: usize,
    /// One ligand whose bound fraction is the last state, `N − 1`: its effect-site state,
    /// `kon × (state units → unbound µM)`, `koff`.
    one: Option<(usize, f64, f64)>,
    /// Per ligand: effect-site state, `kon × (state units → unbound µM)`, `koff`.
    ligands: &'a [(usize, f64, f64)],
}

impl<'a, const N: usize> Sys<'a, N> {
    /// The system of `n` states (`a`: their matrix, column-major) under the input `u`, with
    /// `binding`'s bound fractions (`ligands`: effect-site state, `kon × to_um`, `koff`).
    fn new(
        a: &[f64],
        n: usize,
        u: &[f64],
        binding: Option<&BindingRhs>,
        ligands: &'a [(usize, f64, f64)],
    ) -> Self {
        let mut cols = [[0.0; N]; N];
        for (j, col) in cols.iter_mut().enumerate().take(n) {
            col[..n].copy_from_slice(&a[j * n..(j + 1) * n]);
        }
        let mut uu = [0.0; N];
        uu[..n].copy_from_slice(&u[..n]);
        let (first, ligands) = match binding {
            Some(b) => (b.first_state, ligands),
            None => (n, &[][..]),
        };
        Sys {
            cols,
            u: uu,
            first,
            one: match *ligands {
                [(e, kc, koff)] if first == N - 1 => Some((e, kc, koff)),
                _ => None,
            },
            ligands,
        }
    }

    /// `dy` with one ligand, its bound fraction the last state. Summed in a local array that
    /// is stored once, with a trip count and indices known at compile time, so the compiler
    /// unrolls the loops and keeps the array in registers, as in a hand-written right-hand
    /// side (accumulating in `dy`, or a dynamic index into the array, put it in memory and
    /// made it reload what it had just stored in parts: a failed store-to-load forwarding on
    /// every evaluation, 15 % of the solver's time measured with perf). The N − 1 linear
    /// states (the bound fraction's row and column of A are zero), then
    /// dB/dt = kon·Cu·(1 − B) − koff·B.
    #[inline(always)]
    fn one_ligand(&self, (e, kc, koff): (usize, f64, f64), y: &[f64; N]) -> [f64; N] {
        let mut d = self.u;
        for (col, &yj) in self.cols.iter().zip(y).take(N - 1) {
            for (di, c) in d.iter_mut().zip(col).take(N - 1) {
                *di += c * yj;
            }
        }
        let b = y[N - 1];
        d[N - 1] = kc * y[e] * (1.0 - b) - koff * b;
        d
    }

    /// `dy` in general: all N states (the bound fractions' rows and columns add exact zeros),
    /// then dB_i/dt = kon_i·Cu_i·(1 − ΣB) − koff_i·B_i (as `BindingRhs::derivatives`).
    #[inline(always)]
    fn general(&self, y: &[f64; N]) -> [f64; N] {
        let mut d = self.u;
        for (col, &yj) in self.cols.iter().zip(y) {
            for (di, c) in d.iter_mut().zip(col) {
                *di += c * yj;
            }
        }
        if !self.ligands.is_empty() {
            let nb = self.ligands.len();
            let free = 1.0 - y[self.first..self.first + nb].iter().sum::<f64>();
            for (l, &(e, kc, koff)) in self.ligands.iter().enumerate() {
                let s = self.first + l;
                d[s] = kc * y[e] * free - koff * y[s];
            }
        }
        d
    }
}

/// The system as ode_solvers sees it.
struct Rhs<'a, const N: usize> {
    sys: Sys<'a, N>,
    /// From this time on (min), each evaluation's time and state are kept in `last` (the
    /// dense-output path reads the final accepted step from it).
    keep_from: f64,
    last: Option<&'a Cell<(f64, [f64; N])>>,
    /// Accepted steps of this integration.
    steps: u32,
    /// Accepted steps after which this integration ends.
    limit: u32,
}

impl<const N: usize> System<f64, SVector<f64, N>> for Rhs<'_, N> {
    // inlined into the solver's stages, as a hand-written right-hand side is
    #[inline(always)]
    fn system(&self, t: f64, y: &SVector<f64, N>, dy: &mut SVector<f64, N>) {
        let sys = &self.sys;
        // only the evaluations at the interval's end are kept (copying every stage's state
        // cost 11 % of the solver's time: the copy reloads what the solver had just stored in
        // halves, a failed store-to-load forwarding); the last of them is the final step's
        // seventh stage, the new solution
        if let Some(last) = self.last {
            if t >= self.keep_from {
                last.set((t, y.data.0[0]));
            }
        }
        dy.data.0[0] = match sys.one {
            Some(one) => sys.one_ligand(one, &y.data.0[0]),
            None => sys.general(&y.data.0[0]),
        };
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
    /// Steps tried so far (accepted and rejected, all intervals).
    pub steps: u64,
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
    /// Steps per integration of the continuous-output path (ode_solvers' default).
    const N_MAX: u32 = 100_000;
    /// Steps tried (accepted and rejected) per run before giving up, unless
    /// [`OdeStepper::with_max_steps`] says otherwise (`solver.max_steps`).
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
            steps: 0,
            max_steps: u64::from(Self::MAX_STEPS),
        })
    }

    /// The same stepper, stopping with an error after `max_steps` steps tried in all.
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
        let sys = Sys::<N>::new(
            &self.a,
            n,
            u.as_slice(),
            self.binding.as_ref(),
            &self.ligands,
        );
        let mut y = SVector::<f64, N>::zeros();
        y.as_mut_slice()[..n].copy_from_slice(x.as_slice());
        let mut run = Run {
            n,
            rtol: self.rtol,
            atol: self.atol,
            steps: &mut self.steps,
            max_steps: self.max_steps,
            interval: (t0, t1),
        };
        y = match spacing(t0, t1, outs, TIME_SLACK_PER_RTOL * self.rtol) {
            Some((split, dx)) => {
                let (mut t, mut rest, mut rec) = (t0, outs, &mut rec[..]);
                let mut y = y;
                if split {
                    // the first point is off the others' spacing from t0: it ends a piece of
                    // its own (an extra boundary, its value the solver's accepted step)
                    let span = outs[0] - t0;
                    y = match run.piece(sys, t0, outs[0], span, &[], y, &mut [])? {
                        Some(y) => y,
                        None => run.continuous(sys, t0, outs[0], &[], y, &mut [])?,
                    };
                    rec[..n].copy_from_slice(&y.as_slice()[..n]);
                    (t, rest, rec) = (outs[0], &outs[1..], &mut rec[n..]);
                }
                match run.piece(sys, t, t1, dx, rest, y, rec)? {
                    Some(y) => y,
                    // the solver's sums of dx missed a time after all: the continuous output
                    // model serves them (the piece's steps count against the budget)
                    None => run.continuous(sys, t, t1, rest, y, rec)?,
                }
            }
            None => run.continuous(sys, t0, t1, outs, y, rec)?,
        };
        x.as_mut_slice().copy_from_slice(&y.as_slice()[..n]);
        Ok(())
    }
}

/// One interval's integrations: the tolerances and the run's budget of steps.
struct Run<'s> {
    /// Model states (the first `n` of the solver's `N`).
    n: usize,
    rtol: f64,
    atol: f64,
    /// Steps tried so far in the run.
    steps: &'s mut u64,
    max_steps: u64,
    /// The interval between boundaries, min (errors name it).
    interval: (f64, f64),
}

impl Run<'_> {
    /// The tolerances for an `N`-state vector that holds `n` model states: padded states
    /// contribute zero errors, and scaling by `√(n/N)` makes the solver's norm (over `N`) that
    /// of the `n` model states.
    fn tolerances<const N: usize>(&self) -> (f64, f64) {
        let scale = if N == self.n {
            1.0
        } else {
            (self.n as f64 / N as f64).sqrt()
        };
        (self.rtol * scale, self.atol * scale)
    }

    /// Steps left of the run's budget, as the solver's per-integration limit.
    fn budget(&self) -> u32 {
        u32::try_from(self.max_steps.saturating_sub(*self.steps))
            .unwrap_or(u32::MAX)
            .max(1)
    }

    /// ode_solvers' Dopri5 from `t0` to `t1` with ode_solvers' default controller (safety
    /// factor 0.9, β 0.04, step factors 0.2–10, no step above the span, the first step chosen
    /// by the solver), at most `n_max` steps, the stiffness test off, dense output every `dx`.
    fn solver<'a, const N: usize>(
        &self,
        rhs: Rhs<'a, N>,
        (t0, t1): (f64, f64),
        dx: f64,
        y: SVector<f64, N>,
        n_max: u32,
        output: OutputType,
    ) -> Dopri5<f64, SVector<f64, N>, Rhs<'a, N>> {
        let (rtol, atol) = self.tolerances::<N>();
        #[rustfmt::skip]
        let solver = Dopri5::from_param(
            rhs, t0, t1, dx, y, rtol, atol,
            0.9, 0.04, 0.2, 10.0, t1 - t0, 0.0, n_max, u32::MAX, output,
        );
        solver
    }

    /// The interval's failure with `message`.
    fn error(&self, message: String) -> Error {
        solver_error(self.interval.0, self.interval.1, message)
    }

    /// The solver's failure, the budget named when it ran out. `n_max` is the integration's
    /// limit of steps: the budget's when it is not smaller.
    fn failure(&self, e: &IntegrationError, n_max: u32) -> Error {
        let message = match *e {
            IntegrationError::MaxNumStepReached { x, .. } if n_max >= self.budget() => {
                self.out_of_steps(x)
            }
            _ => integration_error(e),
        };
        self.error(message)
    }

    fn out_of_steps(&self, t: f64) -> String {
        format!(
            "Dopri5 used its {} steps (solver.max_steps) by t = {} min: the system is stiff \
             here (a fast binding half-time, or a long stretch without doses)",
            self.max_steps,
            Num(t)
        )
    }

    /// One integration from `t0` to `t1` with the solver's own dense output at `t0 + dx`,
    /// `t0 + 2·dx`, … (`outs`, which [`uniform_outputs`] found to be exactly those times): no
    /// continuous output model is built, so a step allocates nothing. Returns the solver's last
    /// accepted step: the state of the last stage it evaluated (Dopri5 is FSAL: a step's seventh
    /// and last stage is evaluated at the new solution, and nothing is evaluated after the
    /// final step).
    #[allow(clippy::too_many_arguments)]
    fn piece<const N: usize>(
        &mut self,
        sys: Sys<'_, N>,
        t0: f64,
        t1: f64,
        dx: f64,
        outs: &[f64],
        y: SVector<f64, N>,
        rec: &mut [f64],
    ) -> Result<Option<SVector<f64, N>>> {
        let n = self.n;
        let last = Cell::new((f64::NAN, [0.0; N]));
        let n_max = self.budget();
        let rhs = Rhs {
            sys,
            keep_from: t1 - end_tolerance(t1),
            last: Some(&last),
            steps: 0,
            limit: u32::MAX,
        };
        let mut solver = self.solver(rhs, (t0, t1), dx, y, n_max, OutputType::Dense);
        let stats = solver.integrate().map_err(|e| self.failure(&e, n_max))?;
        *self.steps += u64::from(stats.accepted_steps) + u64::from(stats.rejected_steps);
        let (ts, ys) = solver.results().get();
        // ts[0] is t0 itself, ts[k] is t0 + k·dx summed; each must be its output time (else the
        // caller integrates again with the continuous output model)
        let slack = TIME_SLACK_PER_RTOL * self.rtol * dx;
        let lands = ts.len() > outs.len()
            && ts[1..=outs.len()]
                .iter()
                .zip(outs)
                .all(|(tk, t)| (tk - t).abs() <= slack);
        if !lands {
            return Ok(None);
        }
        for (row, yk) in rec.chunks_exact_mut(n).zip(&ys[1..]) {
            row.copy_from_slice(&yk.as_slice()[..n]);
        }
        let (t_end, y_end) = last.get();
        // (a NaN time, no evaluation at all, fails this too)
        let at_end = (t_end - t1).abs() <= end_tolerance(t1);
        if !at_end {
            return Err(self.error(format!("the integration ended at t = {} min", Num(t_end))));
        }
        Ok(Some(SVector::from(y_end)))
    }

    /// The integration with ode_solvers' continuous output model, for output times that are
    /// not evenly spaced: in chunks of at most [`OdeStepper::CHUNK_STEPS`] accepted steps (the
    /// model keeps every step), each restarted from the solver's last accepted step.
    #[allow(clippy::too_many_arguments)]
    fn continuous<const N: usize>(
        &mut self,
        sys: Sys<'_, N>,
        t0: f64,
        t1: f64,
        outs: &[f64],
        mut y: SVector<f64, N>,
        rec: &mut [f64],
    ) -> Result<SVector<f64, N>> {
        let mut rows = rec.chunks_exact_mut(self.n);
        let n = self.n;
        let mut t = t0;
        let mut k = 0;
        loop {
            let span = t1 - t;
            let n_max = self.budget().min(OdeStepper::N_MAX);
            let rhs = Rhs {
                sys,
                keep_from: f64::INFINITY,
                last: None,
                steps: 0,
                limit: OdeStepper::CHUNK_STEPS,
            };
            let mut solver = self.solver(rhs, (t, t1), span, y, n_max, OutputType::Continuous);
            let mut model = ContinuousOutputModel::new();
            let stats = solver
                .integrate_with_continuous_output_model(&mut model)
                .map_err(|e| self.failure(&e, n_max))?;
            *self.steps += u64::from(stats.accepted_steps) + u64::from(stats.rejected_steps);
            let (xs, ys) = solver.results().get();
            let (Some(&xe), Some(ye)) = (xs.last(), ys.last()) else {
                return Err(self.error("the integration made no step".into()));
            };
            let end = (xe - t1).abs() <= end_tolerance(t1);
            while k < outs.len() && (end || outs[k] <= xe) {
                let yk = model.evaluate(outs[k]).ok_or_else(|| {
                    self.error(format!("no dense output at t = {} min", Num(outs[k])))
                })?;
                if let Some(row) = rows.next() {
                    row.copy_from_slice(&yk.as_slice()[..n]);
                }
                k += 1;
            }
            if end {
                return Ok(*ye);
            }
            if xe <= t {
                return Err(self.error("integration stopped before the interval end".into()));
            }
            if *self.steps >= self.max_steps {
                return Err(self.error(self.out_of_steps(xe)));
            }
            // the next chunk starts from the solver's own last accepted step
            t = xe;
            y = *ye;
        }
    }
}

/// How close (min) the solver's last step must come to an interval's end `t1` to have reached
/// it.
fn end_tolerance(t1: f64) -> f64 {
    1e-9 * t1.abs().max(1.0)
}

/// How far a time of the solver's dense output may lie from the output time it stands for, as
/// a fraction of the spacing `dx` of the output times, per unit of rtol: the value is then off
/// by at most `1e-3 × rtol` of its change between neighbouring output times. (The solver sums
/// `t0 + dx + dx + …`, the driver computes `k × dt`: on a grid of whole or binary-fraction
/// minutes the two agree exactly; 359 steps of 0.1 min differ by 3e-12 × dx.)
const TIME_SLACK_PER_RTOL: f64 = 1e-3;

/// Whether `outs` look evenly spaced for the solver's dense output (at `start`, `start + dx`,
/// `start + 2·dx`, …): `Some((false, dx))` from `start = t0`, `Some((true, dx))` from `start =
/// outs[0]` (the first point then ends a piece of its own), `None` when they are not evenly
/// spaced (the continuous output model serves them). Judged from the ends, each within
/// `slack × dx` (O(1): the solver's dense output times are then checked one by one, and a
/// miss falls back to the continuous output model).
fn spacing(t0: f64, t1: f64, outs: &[f64], slack: f64) -> Option<(bool, f64)> {
    match *outs {
        [] => Some((false, t1 - t0)),
        [t] => Some((false, t - t0)),
        [first, .., last] => {
            let dx = (last - first) / (outs.len() - 1) as f64;
            if dx.is_nan() || dx <= 0.0 {
                None
            } else {
                Some(((first - t0 - dx).abs() > slack * dx, dx))
            }
        }
    }
}

fn solver_error(t0: f64, t1: f64, message: String) -> Error {
    Error::Solver {
        t_start_min: t0,
        t_end_min: t1,
        message,
        remedy: GENERIC_REMEDY.into(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::exact::ExactStepper;

    /// Three compartments and an effect site (micro-constants, 1/min).
    fn three_compartments() -> DMatrix<f64> {
        let (k10, k12, k21, k13, k31, ke0) = (0.1, 0.2, 0.1, 0.05, 0.01, 0.3);
        #[rustfmt::skip]
        let a = DMatrix::from_row_slice(4, 4, &[
            -(k10 + k12 + k13), k21, k31, 0.0,
            k12, -k21, 0.0, 0.0,
            k13, 0.0, -k31, 0.0,
            ke0, 0.0, 0.0, -ke0,
        ]);
        a
    }

    /// `outs` over `[t0, t1]` from a state with drug in every compartment, under an infusion.
    fn segment(st: &mut impl Stepper, t0: f64, t1: f64, outs: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let u = DVector::from_vec(vec![2.0, 0.0, 0.0, 0.0]);
        let seg = Segment {
            t0,
            t1,
            u: &u,
            u_zero: false,
            outs,
        };
        let mut x = DVector::from_vec(vec![10.0, 5.0, 3.0, 1.0]);
        let mut rec = vec![0.0; 4 * outs.len()];
        st.segment(&seg, &mut x, &mut rec).unwrap();
        (rec, x.as_slice().to_vec())
    }

    fn max_rel(a: &[f64], b: &[f64]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs() / y.abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn evenly_spaced_outputs_are_the_solvers_own_dense_output() {
        let ints = |a: usize, b: usize| (a..=b).map(|k| k as f64).collect::<Vec<_>>();
        let slack = TIME_SLACK_PER_RTOL * 1e-6;
        assert_eq!(spacing(0.0, 10.0, &ints(1, 9), slack), Some((false, 1.0)));
        // the first point off the spacing from t0 ends a piece of its own
        assert_eq!(spacing(0.5, 10.0, &ints(1, 9), slack), Some((true, 1.0)));
        assert_eq!(spacing(0.5, 10.0, &[3.0], slack), Some((false, 2.5)));
        assert_eq!(spacing(0.5, 10.0, &[], slack), Some((false, 9.5)));
        assert_eq!(spacing(0.0, 10.0, &[2.0, 2.0], slack), None);
    }

    #[test]
    fn every_output_path_matches_the_exact_propagator() {
        let a = three_compartments();
        let mut exact = ExactStepper::new(&a, 1.0).unwrap();
        let minutes: Vec<f64> = (1..60).map(f64::from).collect();
        // 0.1 min as the driver computes it (k × 0.1): the solver's sums of 0.1 drift 3e-12 ×
        // dx from it, too far at rtol 1e-11, so the continuous output model serves them
        let tenths: Vec<f64> = (41..600).map(|k| f64::from(k) * 0.1).collect();
        let mut steps = Vec::new();
        for (t0, outs) in [
            (0.0, minutes.clone()),
            // a piece that ends at the first point, then dense output
            (0.5, minutes.clone()),
            // uneven times: the continuous output model
            (0.0, vec![0.25, 1.0, 7.5, 30.0, 59.0]),
            (4.0, minutes[4..].to_vec()),
            (4.0, tenths),
        ] {
            let mut ode = OdeStepper::new(&a, None, 1e-11, 1e-15).unwrap();
            let (rec, x) = segment(&mut ode, t0, 60.0, &outs);
            let (rec_exact, x_exact) = segment(&mut exact, t0, 60.0, &outs);
            let e = max_rel(&rec, &rec_exact).max(max_rel(&x, &x_exact));
            assert!(e < 1e-9, "t0 = {t0}, {} outputs: {e:e}", outs.len());
            steps.push(ode.steps);
        }
        // the tenths were integrated twice (dense output, missed; then the continuous model)
        assert!(steps[4] > steps[3] * 3 / 2, "{steps:?}");
    }

    #[test]
    fn the_dense_path_ends_on_the_solvers_last_accepted_step() {
        // the dense path and the continuous output model take the same steps (outputs do not
        // steer the step size): the state handed to the next interval, read from the last
        // stage evaluated, is the solver's own last step to the bit (the interval ends off the
        // output spacing, so no dense output falls on its end)
        let a = three_compartments();
        let binding = BindingRhs {
            first_state: 4,
            ligands: vec![(3, 1.0, 0.05, 0.07)],
        };
        let ode = OdeStepper::new(&a, Some(binding.clone()), 1e-6, 1e-9).unwrap();
        let sys = Sys::<5>::new(
            &ode.a,
            5,
            &[2.0, 0.0, 0.0, 0.0, 0.0],
            ode.binding.as_ref(),
            &ode.ligands,
        );
        assert!(sys.one.is_some());
        let y0 = SVector::<f64, 5>::from([10.0, 5.0, 3.0, 1.0, 0.2]);
        let outs: Vec<f64> = (1..300).map(f64::from).collect();
        let (mut dense, mut continuous) = (vec![0.0; 5 * 299], vec![0.0; 5 * 299]);
        let (mut s1, mut s2) = (0, 0);
        let run = |steps| Run {
            n: 5,
            rtol: 1e-6,
            atol: 1e-9,
            steps,
            max_steps: 1_000_000,
            interval: (0.0, 299.5),
        };
        let y1 = run(&mut s1)
            .piece(sys, 0.0, 299.5, 1.0, &outs, y0, &mut dense)
            .unwrap()
            .unwrap();
        let y2 = run(&mut s2)
            .continuous(sys, 0.0, 299.5, &outs, y0, &mut continuous)
            .unwrap();
        assert!(s1 > 10 && s1 == s2, "{s1} {s2}");
        assert_eq!(y1, y2);
        let e = max_rel(&dense, &continuous);
        assert!(e < 1e-14, "{e:e}");
    }
}
