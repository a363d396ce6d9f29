//! Integration segment by segment: every dose event and rate change is a boundary.
//!
//! The driver ([`run`]) walks the sorted boundaries of an [`InputPlan`]: at each one it applies
//! the boluses, recomputes the constant input rate, records the output grid points that fall on
//! it, and hands the open interval to a [`Stepper`] — the exact propagator or Dopri5 — which
//! fills in the grid points inside and returns the state at the next boundary. The restart
//! state is always the stepper's own final state, never an interpolated value.

pub mod exact;
pub mod kinetic;
pub mod ode;

use crate::dosing::{InputPlan, TIME_EPS_MIN};
use crate::error::Result;
use nalgebra::DVector;

/// The larger of `a` and `b` by a comparison: on WebAssembly `f64::max` (IEEE maxNum, which
/// ignores a NaN) is a call to libm's `fmax`, 6 % of a kinetic-binding subject's time in the
/// browser; this is a compare and a select. Unlike `f64::max` it returns `b` when either is
/// NaN: use it where a NaN is caught later or cannot occur.
#[inline(always)]
pub(crate) fn larger(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

/// One interval between boundaries: constant input, and the output times inside it.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    /// Start, min.
    pub t0: f64,
    /// End, min.
    pub t1: f64,
    /// Constant input over the interval, mg/min per state.
    pub u: &'a DVector<f64>,
    /// `true` when every entry of `u` is zero (a stepper may skip the input term).
    pub u_zero: bool,
    /// Output times, all strictly inside `(t0, t1)`, ascending.
    pub outs: &'a [f64],
}

/// Advances the state across one interval with constant input.
pub trait Stepper {
    /// Integrates `x` from `seg.t0` to `seg.t1` under the constant input `seg.u`, writing the
    /// state at each time of `seg.outs` into `rec` (`outs.len()` rows of `x.len()` values). On
    /// return `x` holds the state at `t1`.
    fn segment(&mut self, seg: &Segment, x: &mut DVector<f64>, rec: &mut [f64]) -> Result<()>;
}

/// States on the output grid.
#[derive(Debug, Clone)]
pub struct Trajectory {
    /// Number of stored states per point.
    pub n: usize,
    /// Grid times, min.
    pub t_min: Vec<f64>,
    /// Stored states, row-major: point `k` is `states[k*n .. (k+1)*n]`.
    pub states: Vec<f64>,
    /// Cumulative amount that has entered the system at each point, mg parent-equivalents.
    pub input_mg: Vec<f64>,
    /// For each state of the full system, its column in `states`; `None` for a state the
    /// inputs never reach (identically zero, so not stored).
    pub columns: Vec<Option<usize>>,
}

impl Trajectory {
    /// One state of the full system over time (zeros for a state that was not integrated).
    pub fn column(&self, state: usize) -> Vec<f64> {
        match self.columns.get(state).copied().flatten() {
            Some(c) => self.states.chunks_exact(self.n).map(|r| r[c]).collect(),
            None => vec![0.0; self.t_min.len()],
        }
    }

    /// Value of full-system state `state` at point `k`.
    pub fn value(&self, k: usize, state: usize) -> f64 {
        match self.columns.get(state).copied().flatten() {
            Some(c) => self.states[k * self.n + c],
            None => 0.0,
        }
    }

    /// Stored state vector at point `k` (columns as in [`Trajectory::columns`]).
    pub fn at(&self, k: usize) -> &[f64] {
        &self.states[k * self.n..(k + 1) * self.n]
    }
}

/// The output grid: `0, dt, 2·dt, …` up to the horizon, plus the horizon itself when it is not
/// a multiple of `dt`.
pub fn grid(horizon_min: f64, dt_min: f64) -> Vec<f64> {
    let n = (horizon_min / dt_min + 1e-9).floor() as usize;
    let mut g: Vec<f64> = (0..=n).map(|k| k as f64 * dt_min).collect();
    if let Some(last) = g.last_mut() {
        if (*last - horizon_min).abs() <= horizon_tolerance(horizon_min) {
            *last = horizon_min;
        } else if *last < horizon_min {
            g.push(horizon_min);
        }
    }
    g
}

/// How close (min) the last multiple of the output step must be to the horizon to count as
/// the horizon itself (and not add a last point a few nanominutes later). [`grid`] and
/// [`crate::Scenario::n_points`] share it, so the grid always has the announced length.
pub fn horizon_tolerance(horizon_min: f64) -> f64 {
    TIME_EPS_MIN.max(1e-9 * horizon_min)
}

/// Runs `stepper` over all boundaries of `plan` and records `n` states on `grid`.
///
/// Values at a bolus time are recorded after the bolus (right-continuous).
pub fn run(
    stepper: &mut impl Stepper,
    n: usize,
    plan: &InputPlan,
    grid: Vec<f64>,
    horizon_min: f64,
) -> Result<Trajectory> {
    let bounds = plan.boundaries(horizon_min);
    let mut x = DVector::<f64>::zeros(n);
    let mut u = DVector::<f64>::zeros(n);
    let mut states = vec![0.0; grid.len() * n];
    let mut input_mg = Vec::with_capacity(grid.len());
    let mut cum = 0.0;
    let mut k = 0;
    let mut next_bolus = 0;
    let mut next_rate = 0;
    let mut active: Vec<usize> = Vec::new();
    for (bi, &tb) in bounds.iter().enumerate() {
        while next_bolus < plan.boluses.len() && plan.boluses[next_bolus].t_min <= tb + TIME_EPS_MIN
        {
            let b = plan.boluses[next_bolus];
            x[b.state] += b.amount_mg;
            cum += b.amount_mg;
            next_bolus += 1;
        }
        active.retain(|&r| plan.rates[r].t_end_min > tb + TIME_EPS_MIN);
        while next_rate < plan.rates.len() && plan.rates[next_rate].t_start_min <= tb + TIME_EPS_MIN
        {
            if plan.rates[next_rate].t_end_min > tb + TIME_EPS_MIN {
                active.push(next_rate);
            }
            next_rate += 1;
        }
        u.fill(0.0);
        let mut usum = 0.0;
        for &r in &active {
            let ri = plan.rates[r];
            u[ri.state] += ri.rate_mg_per_min;
            usum += ri.rate_mg_per_min;
        }
        while k < grid.len() && grid[k] <= tb + TIME_EPS_MIN {
            states[k * n..(k + 1) * n].copy_from_slice(x.as_slice());
            input_mg.push(cum);
            k += 1;
        }
        let Some(&t1) = bounds.get(bi + 1) else {
            break;
        };
        let k0 = k;
        while k < grid.len() && grid[k] < t1 - TIME_EPS_MIN {
            k += 1;
        }
        let seg = Segment {
            t0: tb,
            t1,
            u: &u,
            u_zero: active.is_empty(),
            outs: &grid[k0..k],
        };
        stepper.segment(&seg, &mut x, &mut states[k0 * n..k * n])?;
        input_mg.extend(grid[k0..k].iter().map(|&t| cum + (t - tb) * usum));
        cum += (t1 - tb) * usum;
    }
    Ok(Trajectory {
        n,
        t_min: grid,
        states,
        input_mg,
        columns: (0..n).map(Some).collect(),
    })
}
