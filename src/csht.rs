//! The context-sensitive half-time (Hughes 1992): after an infusion that held the **plasma**
//! concentration constant for a given duration, the time for the plasma concentration to fall
//! by half. Also the same half-time after a constant-**rate** infusion, a different quantity
//! kept under its own name ([`constant_rate_half_time`]) for comparison.

use crate::error::{Error, Result};
use crate::model::{LinearSystem, ModelSpec};
use crate::solver::exact::propagator;
use nalgebra::{DMatrix, DVector};

/// Checks the duration and compiles the model for a typical patient (effect site unused).
fn prepare(model: &ModelSpec, weight_kg: f64, duration_min: f64) -> Result<LinearSystem> {
    crate::error::check_range(
        || "duration_min".into(),
        duration_min,
        0.01,
        crate::scenario::limits::DURATION_MIN.1,
        "min",
    )?;
    model.compile(weight_kg, 0.0, &[])
}

/// The time (min) for the free decay of `sys` from the state `x0` to halve the amount in
/// state `c`, by bisection to 1e-9 relative with the exact propagator.
fn half_time_of_free_decay(
    sys: &LinearSystem,
    c: usize,
    x0: &DVector<f64>,
    what: &str,
) -> Result<f64> {
    let c0 = x0[c];
    let amount_at = |t: f64| -> Result<f64> {
        let (phi, _) = propagator(&sys.a, t)?;
        Ok((phi.row(c) * x0)[0])
    };
    let mut lo = 0.0;
    let mut hi = 1.0;
    while amount_at(hi)? > 0.5 * c0 {
        lo = hi;
        hi *= 2.0;
        if hi > 1e7 {
            return Err(Error::Numerical {
                quantity: what.into(),
                context: "the concentration does not halve within 1e7 min".into(),
                remedy: "choose another model".into(),
            });
        }
    }
    while hi - lo > 1e-9 * hi {
        let mid = 0.5 * (lo + hi);
        if amount_at(mid)? > 0.5 * c0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(0.5 * (lo + hi))
}

/// Context-sensitive half-time (min), the textbook definition (Hughes 1992): an infusion holds
/// the **plasma** concentration of the administered drug constant for `duration_min`; after it
/// stops, the time for the plasma concentration to fall by half.
///
/// With the central amount `x_c` held constant, the other states obey
/// `dx_o/dt = A_oo·x_o + A_oc·x_c` from zero; that linear system with a constant input is
/// solved exactly (`x_o(T) = Γ_oo(T)·A_oc·x_c`, [`propagator`]). The whole system then decays
/// with no input, and the half-time is found by bisection to 1e-9 relative. Works for any
/// model in [`crate::models`] (peripherals, depots, metabolites alike). The concentration is
/// that of the model's first analyte (for `racemic_enantiomers`, S-ketamine).
///
/// ```
/// let m = ketasim::models::get("kamp2020")?;
/// let short = ketasim::csht::context_sensitive_half_time(m, 70.0, 10.0)?;
/// let long = ketasim::csht::context_sensitive_half_time(m, 70.0, 240.0)?;
/// assert!(long > short);
/// // a constant-rate infusion has not yet filled the central compartment: shorter half-time
/// let rate = ketasim::csht::constant_rate_half_time(m, 70.0, 240.0)?;
/// assert!(rate < long);
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn context_sensitive_half_time(
    model: &ModelSpec,
    weight_kg: f64,
    duration_min: f64,
) -> Result<f64> {
    let sys = prepare(model, weight_kg, duration_min)?;
    let c = sys.analytes[0].central;
    let others: Vec<usize> = (0..sys.n).filter(|&i| i != c).collect();
    let m = others.len();
    let a_oo = DMatrix::from_fn(m, m, |r, k| sys.a[(others[r], others[k])]);
    // central amount 1 mg held constant: input into the other states A_oc·1
    let u_o = DVector::from_fn(m, |r, _| sys.a[(others[r], c)]);
    let (_, gamma) = propagator(&a_oo, duration_min)?;
    let x_o = &gamma * &u_o;
    let mut x0 = DVector::zeros(sys.n);
    x0[c] = 1.0;
    for (r, &i) in others.iter().enumerate() {
        x0[i] = x_o[r];
    }
    half_time_of_free_decay(
        &sys,
        c,
        &x0,
        &format!(
            "the context-sensitive half-time of model '{}' after {duration_min} min",
            model.id
        ),
    )
}

/// Half-time (min) after a constant-**rate** infusion (not the textbook context-sensitive
/// half-time): after an infusion at a constant rate for `duration_min`, during which the
/// plasma concentration still rises, the time for the plasma concentration to fall by half.
/// Shorter than [`context_sensitive_half_time`], because a constant-rate infusion has filled
/// the peripheral compartments less for the same plasma concentration at its end.
///
/// Computed with the exact propagator and bisection to 1e-9 relative.
pub fn constant_rate_half_time(
    model: &ModelSpec,
    weight_kg: f64,
    duration_min: f64,
) -> Result<f64> {
    let sys = prepare(model, weight_kg, duration_min)?;
    let c = sys.analytes[0].central;
    let mut u = DVector::zeros(sys.n);
    u[c] = 1.0;
    let (_, gamma) = propagator(&sys.a, duration_min)?;
    let x0 = &gamma * &u;
    half_time_of_free_decay(
        &sys,
        c,
        &x0,
        &format!(
            "the half-time of model '{}' after a {duration_min}-min constant-rate infusion",
            model.id
        ),
    )
}

/// Context-sensitive half-times (textbook, [`context_sensitive_half_time`]) over a list of
/// infusion durations: `(duration, csht)` in min.
pub fn csht_curve(
    model: &ModelSpec,
    weight_kg: f64,
    durations_min: &[f64],
) -> Result<Vec<(f64, f64)>> {
    durations_min
        .iter()
        .map(|&d| Ok((d, context_sensitive_half_time(model, weight_kg, d)?)))
        .collect()
}

/// Half-times after constant-rate infusions ([`constant_rate_half_time`]) over a list of
/// durations: `(duration, half-time)` in min.
pub fn constant_rate_curve(
    model: &ModelSpec,
    weight_kg: f64,
    durations_min: &[f64],
) -> Result<Vec<(f64, f64)>> {
    durations_min
        .iter()
        .map(|&d| Ok((d, constant_rate_half_time(model, weight_kg, d)?)))
        .collect()
}
