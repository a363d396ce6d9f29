//! Summary metrics of a concentration–time course (the context-sensitive half-time is in
//! [`crate::csht`]).

use crate::model::LinearSystem;
use nalgebra::DMatrix;
use serde::Serialize;
use ts_rs::TS;

/// Values within this relative distance of the maximum count as the maximum when
/// [`cmax_tmax`] names its time: the solver's default tolerance (rtol 1e-6), below which two
/// values are the same result. Without it, equal peaks (six identical sessions of a course)
/// would name whichever of them rounding made largest, a different session for plasma and
/// effect site.
pub const PEAK_TIE_REL: f64 = 1e-6;

/// Maximum of `c` on the grid and the first time it is reached: `(cmax, tmax)`, `tmax` the
/// first grid time whose value is within [`PEAK_TIE_REL`] of `cmax`. `(0, t[0])` for a course
/// that stays at or below 0, `(0, 0)` for empty input.
///
/// ```
/// let (c, t) = ketasim::metrics::cmax_tmax(&[0.0, 1.0, 2.0], &[1.0, 3.0, 2.0]);
/// assert_eq!((c, t), (3.0, 1.0));
/// // equal peaks to within 1e-6: the first one is named, with the largest value
/// let (c, t) = ketasim::metrics::cmax_tmax(&[0.0, 1.0, 2.0, 3.0], &[1.0, 3.0, 2.0, 3.000001]);
/// assert_eq!((c, t), (3.000001, 1.0));
/// ```
pub fn cmax_tmax(t: &[f64], c: &[f64]) -> (f64, f64) {
    let cmax = c.iter().fold(0.0, |m: f64, &v| if v > m { v } else { m });
    let t0 = t.first().copied().unwrap_or(0.0);
    if cmax <= 0.0 {
        return (0.0, t0);
    }
    let tie = cmax * (1.0 - PEAK_TIE_REL);
    let tmax = t
        .iter()
        .zip(c)
        .find(|&(_, &ci)| ci >= tie)
        .map_or(t0, |(&ti, _)| ti);
    (cmax, tmax)
}

/// Time (same unit as `t`) during which `c ≥ threshold`, with linear interpolation of the
/// crossings between grid points.
///
/// ```
/// // a ramp from 0 to 10 over 10 min is at or above 5 for 5 min
/// let t = [0.0, 10.0];
/// let c = [0.0, 10.0];
/// assert!((ketasim::metrics::time_above(&t, &c, 5.0) - 5.0).abs() < 1e-12);
/// ```
pub fn time_above(t: &[f64], c: &[f64], threshold: f64) -> f64 {
    let mut total = 0.0;
    for k in 1..t.len().min(c.len()) {
        let (t0, t1, c0, c1) = (t[k - 1], t[k], c[k - 1], c[k]);
        let a0 = c0 >= threshold;
        let a1 = c1 >= threshold;
        total += match (a0, a1) {
            (true, true) => t1 - t0,
            (false, false) => 0.0,
            _ => {
                let tc = t0 + (threshold - c0) / (c1 - c0) * (t1 - t0);
                if a0 {
                    tc - t0
                } else {
                    t1 - tc
                }
            }
        };
    }
    total
}

/// Time with `low ≤ c < high`.
pub fn time_in_band(t: &[f64], c: &[f64], low: f64, high: f64) -> f64 {
    time_above(t, c, low) - time_above(t, c, high)
}

/// The earliest time `≥ from` after which `c` stays below `threshold` until the end of the
/// grid (crossing interpolated linearly). `None` if `c` is still at or above the threshold at
/// the last point.
pub fn recovery_time(t: &[f64], c: &[f64], threshold: f64, from: f64) -> Option<f64> {
    let n = t.len().min(c.len());
    if n == 0 {
        return None;
    }
    match (0..n).rev().find(|&k| c[k] >= threshold) {
        None => Some(from),
        Some(k) if k + 1 == n => None,
        Some(k) => {
            let (t0, t1, c0, c1) = (t[k], t[k + 1], c[k], c[k + 1]);
            let tc = t0 + (threshold - c0) / (c1 - c0) * (t1 - t0);
            Some(tc.max(from))
        }
    }
}

/// Terminal rate constant (1/min) of the analyte whose central amount is `central`: the
/// smallest |eigenvalue| of the compartments that feed it (its own disposition and everything
/// upstream, such as a parent drug or an absorption depot).
pub fn terminal_rate(sys: &LinearSystem, central: usize) -> Option<f64> {
    let nc = sys.n_compartments;
    let mut upstream = vec![false; nc];
    upstream[central] = true;
    let mut changed = true;
    while changed {
        changed = false;
        for &(i, j, v) in &sys.entries {
            // flow j → i
            if i < nc && j < nc && i != j && v != 0.0 && upstream[i] && !upstream[j] {
                upstream[j] = true;
                changed = true;
            }
        }
    }
    let idx: Vec<usize> = (0..nc).filter(|&i| upstream[i]).collect();
    let m = DMatrix::from_fn(idx.len(), idx.len(), |r, c| sys.a[(idx[r], idx[c])]);
    m.complex_eigenvalues()
        .iter()
        .map(|l| l.re.abs())
        .filter(|&r| r > 1e-14)
        .min_by(f64::total_cmp)
}

/// Time-above figures for one threshold.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ThresholdTimes {
    /// Threshold, ng/mL.
    pub threshold_ng_per_ml: f64,
    /// Time with plasma concentration at or above, min.
    pub cp_above_min: f64,
    /// Time with effect-site concentration at or above, min.
    pub ce_above_min: f64,
    /// Time with effect-site concentration below, min.
    pub ce_below_min: f64,
}
