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

/// After the **plasma** concentration of the model's first analyte was held at a level for
/// `duration_min` (the textbook setup of [`context_sensitive_half_time`], the effect site
/// starting empty), the time (min) from the stop until the effect-site concentration is below
/// `fraction` of that level for good: a context-sensitive effect-site decrement time
/// (`fraction` = recovery threshold / held level). 0 when it never reaches it.
///
/// ```
/// let m = ketasim::models::get("kamp2020")?;
/// // held at 200 ng/mL, recovered below 100 ng/mL: a 50 % effect-site decrement
/// let short = ketasim::csht::effect_site_decrement_time(m, 70.0, 0.11, 10.0, 0.5)?;
/// let long = ketasim::csht::effect_site_decrement_time(m, 70.0, 0.11, 240.0, 0.5)?;
/// assert!(long > short);
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn effect_site_decrement_time(
    model: &ModelSpec,
    weight_kg: f64,
    ke0_per_min: f64,
    duration_min: f64,
    fraction: f64,
) -> Result<f64> {
    crate::error::check_range(
        || "duration_min".into(),
        duration_min,
        0.01,
        crate::scenario::limits::DURATION_MIN.1,
        "min",
    )?;
    let sys = model.compile(weight_kg, ke0_per_min, &[])?;
    let an = &sys.analytes[0];
    let (c, e) = (an.central, an.effect);
    let others: Vec<usize> = (0..sys.n).filter(|&i| i != c).collect();
    let m = others.len();
    let a_oo = DMatrix::from_fn(m, m, |r, k| sys.a[(others[r], others[k])]);
    // central concentration held at 1 (amount V): the effect state is then Ce / held level
    let u_o = DVector::from_fn(m, |r, _| sys.a[(others[r], c)] * an.volume_l);
    let (_, gamma) = propagator(&a_oo, duration_min)?;
    let x_o = &gamma * &u_o;
    let mut x = DVector::zeros(sys.n);
    x[c] = an.volume_l;
    for (r, &i) in others.iter().enumerate() {
        x[i] = x_o[r];
    }
    let ce_at = |x0: &DVector<f64>, t: f64| -> Result<f64> {
        let (phi, _) = propagator(&sys.a, t)?;
        Ok((phi.row(e) * x0)[0])
    };
    // walk in 1-min steps past the effect-site peak until below, then bisect the last step
    let (phi1, _) = propagator(&sys.a, 1.0)?;
    let mut t: f64 = 0.0;
    let mut prev = x[e];
    let mut ever_above = prev >= fraction;
    let mut state = x.clone();
    let mut peaked = false;
    loop {
        let next = &phi1 * &state;
        let ce = next[e];
        ever_above |= ce >= fraction;
        peaked |= ce < prev;
        if peaked && ce < fraction {
            break;
        }
        if t > 1e6 {
            return Err(Error::Numerical {
                quantity: "the effect-site decrement time".into(),
                context: format!("not reached within 1e6 min on model '{}'", model.id),
                remedy: "choose a lower held level or another model".into(),
            });
        }
        state = next;
        prev = ce;
        t += 1.0;
    }
    if !ever_above {
        return Ok(0.0);
    }
    let (mut lo, mut hi) = (t, t + 1.0);
    while hi - lo > 1e-9 * hi.max(1.0) {
        let mid = 0.5 * (lo + hi);
        if ce_at(&x, mid)? >= fraction {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(0.5 * (lo + hi))
}

/// The CSHT chart of a scenario: the textbook context-sensitive half-time and the time to
/// recover below the scenario's recovery threshold, against the infusion duration.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CshtCurves {
    /// Model id.
    pub model_id: String,
    /// Infusion durations, min.
    pub durations_min: Vec<f64>,
    /// Context-sensitive half-time (Hughes 1992, plasma held constant), min.
    pub half_time_min: Vec<f64>,
    /// The plasma level held during the infusion for the recovery curve, ng/mL.
    pub hold_ng_per_ml: f64,
    /// Where that level comes from, in words.
    pub hold_from: String,
    /// The recovery threshold (effect site), ng/mL.
    pub threshold_ng_per_ml: f64,
    /// Time from the stop until the effect site is below the threshold for good, min
    /// ([`effect_site_decrement_time`]).
    pub recovery_min: Vec<f64>,
}

/// Durations of the CSHT chart: 1 min, then every 5 min to 8 h.
pub fn chart_durations_min() -> Vec<f64> {
    std::iter::once(1.0)
        .chain((1..=96).map(|k| f64::from(k) * 5.0))
        .collect()
}

impl CshtCurves {
    /// The curves of `scenario`'s model, patient weight, ke0 and recovery threshold. The held
    /// level is the first plasma or effect-site TCI target of the regimen, or else the
    /// scenario's own peak effect-site concentration of the drug (so the curve answers "how
    /// long after an infusion that held this level").
    pub fn for_scenario(sc: &crate::Scenario) -> Result<Self> {
        use crate::scenario::{DoseKind, TciTarget};
        let run = sc.prepare()?;
        let w = sc.patient.weight_kg;
        let target = sc.regimen.iter().find_map(|i| match (i.kind, i.target) {
            (DoseKind::Tci, Some(TciTarget::Plasma | TciTarget::EffectSite)) => {
                i.target_ng_per_ml.filter(|&v| v > 0.0)
            }
            _ => None,
        });
        let (hold, from) = match target {
            Some(v) => (v, "the TCI target".to_string()),
            None => {
                let r = crate::simulate(sc)?;
                (
                    r.metrics.drug.ce_max_ng_per_ml,
                    "this scenario's peak effect-site concentration".to_string(),
                )
            }
        };
        let threshold = run.recovery_threshold_ng_per_ml;
        let durations = chart_durations_min();
        let half_time_min = csht_curve(run.model, w, &durations)?
            .into_iter()
            .map(|(_, h)| h)
            .collect();
        let recovery_min = if hold > threshold {
            durations
                .iter()
                .map(|&d| {
                    effect_site_decrement_time(
                        run.model,
                        w,
                        run.pd.ke0_per_min,
                        d,
                        threshold / hold,
                    )
                })
                .collect::<Result<_>>()?
        } else {
            vec![0.0; durations.len()]
        };
        Ok(CshtCurves {
            model_id: run.model.id.to_string(),
            durations_min: durations,
            half_time_min,
            hold_ng_per_ml: hold,
            hold_from: from,
            threshold_ng_per_ml: threshold,
            recovery_min,
        })
    }
}
