//! The context-sensitive half-time: after a constant-rate infusion, the time for the plasma
//! concentration to fall by half, as a function of the infusion's duration.

use crate::error::{Error, Result};
use crate::model::ModelSpec;
use crate::solver::exact::propagator;
use nalgebra::DVector;

/// Context-sensitive half-time (min): after a constant-rate infusion of `duration_min`, the
/// time for the **plasma** concentration to fall by half. Computed with the exact propagator
/// and bisection to 1e-9 relative.
///
/// ```
/// let m = ketasim::models::get("kamp2020")?;
/// let short = ketasim::csht::context_sensitive_half_time(m, 70.0, 10.0)?;
/// let long = ketasim::csht::context_sensitive_half_time(m, 70.0, 240.0)?;
/// assert!(long > short);
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn context_sensitive_half_time(
    model: &ModelSpec,
    weight_kg: f64,
    duration_min: f64,
) -> Result<f64> {
    crate::error::check_range(
        || "duration_min".into(),
        duration_min,
        0.01,
        crate::scenario::limits::DURATION_MIN.1,
        "min",
    )?;
    let sys = model.compile(weight_kg, 0.0, &[])?;
    let c = sys.analytes[0].central;
    let mut u = DVector::zeros(sys.n);
    u[c] = 1.0;
    let (_, gamma) = propagator(&sys.a, duration_min)?;
    let x0 = &gamma * &u;
    let c0 = x0[c];
    let conc_at = |t: f64| -> Result<f64> {
        let (phi, _) = propagator(&sys.a, t)?;
        Ok((phi.row(c) * &x0)[0])
    };
    let mut lo = 0.0;
    let mut hi = 1.0;
    while conc_at(hi)? > 0.5 * c0 {
        lo = hi;
        hi *= 2.0;
        if hi > 1e7 {
            return Err(Error::Numerical {
                quantity: format!("the context-sensitive half-time of model '{}'", model.id),
                context: format!("beyond 1e7 min after a {duration_min}-min infusion"),
                remedy: "choose another model".into(),
            });
        }
    }
    while hi - lo > 1e-9 * hi {
        let mid = 0.5 * (lo + hi);
        if conc_at(mid)? > 0.5 * c0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(0.5 * (lo + hi))
}

/// Context-sensitive half-times over a list of infusion durations: `(duration, csht)` in min.
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
