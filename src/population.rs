//! Virtual populations: inter-individual variability from the published ω² (log-normal, with
//! Cholesky-correlated etas where the source gives covariances; logit-normal for fractions),
//! covariate distributions, and percentile bands over time.
//!
//! Every subject draws from its own ChaCha8 stream (`seed`, stream = subject index), so results
//! do not depend on how subjects are split across threads: parallel equals serial, bit for bit.

use crate::error::{check_range, Error, Result};
use crate::model::{ModelSpec, Subject, Unit};
use crate::scenario::Scenario;
use nalgebra::{DMatrix, DVector};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

/// Limits on population runs.
pub mod limits {
    /// Subjects in one run.
    pub const MAX_SUBJECTS: u32 = 100_000;
    /// Subjects × output points (memory guard: three f32 series per subject).
    pub const MAX_VALUES: u64 = 20_000_000;
}

/// A covariate distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CovariateDist {
    /// Everyone the same.
    Fixed(f64),
    /// Log-normal around `median` with coefficient of variation `cv_percent`, clamped to
    /// `[min, max]`.
    LogNormal {
        /// Median.
        median: f64,
        /// Coefficient of variation, %.
        cv_percent: f64,
        /// Lower clamp.
        min: f64,
        /// Upper clamp.
        max: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
}

/// How to draw a virtual population (part of a [`Scenario`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationSpec {
    /// Number of subjects (1 – 100 000).
    pub size: u32,
    /// Seed of the random streams.
    #[serde(default)]
    pub seed: u64,
    /// Body weight, kg (default: log-normal around the scenario's weight, CV 20 %, clamped to
    /// half and twice it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<CovariateDist>,
    /// Age, years (default: the scenario's age for everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_years: Option<CovariateDist>,
    /// Fraction of women (default: the scenario's sex for everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub female_fraction: Option<f64>,
    /// Effect-site threshold for the "fraction of the population above" series, ng/mL
    /// (default 100: the lower edge of the dissociative range).
    #[serde(default = "default_threshold")]
    pub threshold_ng_per_ml: f64,
}

fn default_threshold() -> f64 {
    100.0
}

/// The percentiles of every band.
pub const PERCENTILES: [f64; 5] = [5.0, 25.0, 50.0, 75.0, 95.0];

/// Percentile bands over time and per-subject summaries.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PopulationResult {
    /// Subjects simulated.
    pub size: u32,
    /// Seed used.
    pub seed: u64,
    /// Output times, min.
    pub t_min: Vec<f64>,
    /// Percentiles of the bands (5, 25, 50, 75, 95).
    pub percentiles: Vec<f64>,
    /// Plasma concentration of the administered drug, ng/mL: one series per percentile.
    pub cp_bands: Vec<Vec<f64>>,
    /// Effect-site concentration, ng/mL: one series per percentile.
    pub ce_bands: Vec<Vec<f64>>,
    /// Occupancy (fraction, model-derived): one series per percentile.
    pub occupancy_bands: Vec<Vec<f64>>,
    /// Threshold of `fraction_above`, ng/mL (effect site).
    pub threshold_ng_per_ml: f64,
    /// Fraction of subjects with effect-site concentration at or above the threshold.
    pub fraction_above: Vec<f64>,
    /// Per subject: peak plasma concentration, ng/mL.
    pub cmax_ng_per_ml: Vec<f64>,
    /// Per subject: minutes after the last input until Ce stays below the scenario's recovery
    /// threshold (`None`: not within the horizon).
    pub recovery_min: Vec<Option<f64>>,
    /// Per subject: body weight drawn, kg.
    pub weight_kg: Vec<f64>,
}

impl PopulationSpec {
    /// Checks the fields (and that size × points fits the memory guard).
    pub fn validate(&self, n_points: u64) -> Result<()> {
        if self.size == 0 || self.size > limits::MAX_SUBJECTS {
            return Err(Error::out_of_range(
                "population.size",
                f64::from(self.size),
                1.0,
                f64::from(limits::MAX_SUBJECTS),
                "subjects",
            ));
        }
        let values = u64::from(self.size) * n_points;
        if values > limits::MAX_VALUES {
            return Err(Error::TooLarge {
                what: "population.size × output points".into(),
                value: values,
                limit: limits::MAX_VALUES,
            });
        }
        for (name, d, lo, hi) in [
            ("population.weight_kg", self.weight_kg, 1.0, 250.0),
            ("population.age_years", self.age_years, 0.0, 120.0),
        ] {
            match d {
                None => {}
                Some(CovariateDist::Fixed(v)) => check_range(|| name.into(), v, lo, hi, "")?,
                Some(CovariateDist::Uniform { min, max }) => {
                    check_range(|| format!("{name}.min"), min, lo, hi, "")?;
                    check_range(|| format!("{name}.max"), max, min, hi, "")?;
                }
                Some(CovariateDist::LogNormal {
                    median,
                    cv_percent,
                    min,
                    max,
                }) => {
                    check_range(|| format!("{name}.median"), median, lo.max(1e-9), hi, "")?;
                    check_range(|| format!("{name}.cv_percent"), cv_percent, 0.0, 200.0, "%")?;
                    check_range(|| format!("{name}.min"), min, lo, hi, "")?;
                    check_range(|| format!("{name}.max"), max, min, hi, "")?;
                }
            }
        }
        if let Some(f) = self.female_fraction {
            check_range(|| "population.female_fraction".into(), f, 0.0, 1.0, "")?;
        }
        check_range(
            || "population.threshold_ng_per_ml".into(),
            self.threshold_ng_per_ml,
            0.001,
            100_000.0,
            "ng/mL",
        )
    }
}

fn draw(d: CovariateDist, rng: &mut ChaCha8Rng) -> f64 {
    match d {
        CovariateDist::Fixed(v) => v,
        CovariateDist::Uniform { min, max } => {
            let u: f64 = rand_distr::StandardUniform.sample(rng);
            min + (max - min) * u
        }
        CovariateDist::LogNormal {
            median,
            cv_percent,
            min,
            max,
        } => {
            let c = cv_percent / 100.0;
            let sd = (1.0 + c * c).ln().sqrt();
            let z: f64 = StandardNormal.sample(rng);
            (median * (sd * z).exp()).clamp(min, max)
        }
    }
}

/// The random-effect structure of a model: which parameters vary and the Cholesky factor of
/// their covariance.
#[derive(Debug, Clone)]
pub struct Variability {
    /// Indices into [`ModelSpec::params`].
    pub params: Vec<usize>,
    /// Lower-triangular Cholesky factor of Ω.
    pub chol: DMatrix<f64>,
    /// Whether each parameter is a fraction (logit-normal) rather than log-normal.
    pub logit: Vec<bool>,
}

impl Variability {
    /// Ω from the model's ω² and covariances.
    pub fn of(model: &ModelSpec) -> Result<Self> {
        let params: Vec<usize> = model
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.omega2.is_some_and(|w| w > 0.0))
            .map(|(i, _)| i)
            .collect();
        let k = params.len();
        let mut omega = DMatrix::<f64>::zeros(k, k);
        for (r, &i) in params.iter().enumerate() {
            omega[(r, r)] = model.params[i].omega2.unwrap_or(0.0);
        }
        for &(a, b, cov) in model.iiv_covariances {
            let ra = params.iter().position(|&i| model.params[i].symbol == a);
            let rb = params.iter().position(|&i| model.params[i].symbol == b);
            if let (Some(ra), Some(rb)) = (ra, rb) {
                omega[(ra, rb)] = cov;
                omega[(rb, ra)] = cov;
            }
        }
        let chol = if k == 0 {
            DMatrix::zeros(0, 0)
        } else {
            omega
                .cholesky()
                .ok_or_else(|| {
                    Error::Numerical(format!("model {}: Ω is not positive definite", model.id))
                })?
                .l()
        };
        Ok(Variability {
            logit: params
                .iter()
                .map(|&i| model.params[i].unit == Unit::Fraction)
                .collect(),
            params,
            chol,
        })
    }

    /// Parameter multipliers (same order as the model's parameters) for one subject.
    pub fn factors(&self, model: &ModelSpec, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let mut f = vec![1.0; model.params.len()];
        let k = self.params.len();
        if k == 0 {
            return f;
        }
        let z = DVector::from_fn(k, |_, _| StandardNormal.sample(rng));
        let eta = &self.chol * z;
        for (r, &i) in self.params.iter().enumerate() {
            f[i] = if self.logit[r] {
                let p = model.params[i].value.clamp(1e-9, 1.0 - 1e-9);
                let x = (p / (1.0 - p)).ln() + eta[r];
                (1.0 / (1.0 + (-x).exp())) / p
            } else {
                eta[r].exp()
            };
        }
        f
    }
}

struct SubjectOut {
    weight: f64,
    cp: Vec<f32>,
    ce: Vec<f32>,
    occ: Vec<f32>,
    cmax: f64,
    recovery: Option<f64>,
}

fn simulate_subject(
    scenario: &Scenario,
    spec: &PopulationSpec,
    model: &ModelSpec,
    var: &Variability,
    ke0: f64,
    index: u64,
) -> Result<SubjectOut> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    rng.set_stream(index);
    let p = &scenario.patient;
    let w0 = p.weight_kg;
    let weight = draw(
        spec.weight_kg.unwrap_or(CovariateDist::LogNormal {
            median: w0,
            cv_percent: 20.0,
            min: (w0 / 2.0).max(1.0),
            max: (w0 * 2.0).min(250.0),
        }),
        &mut rng,
    );
    let age = draw(
        spec.age_years.unwrap_or(CovariateDist::Fixed(p.age_years)),
        &mut rng,
    );
    let mut subject = p.subject();
    subject = Subject {
        weight_kg: weight,
        age_years: age,
        ..subject
    };
    if let Some(f) = spec.female_fraction {
        let u: f64 = rand_distr::StandardUniform.sample(&mut rng);
        subject.female = Some(u < f);
    }
    let factors = var.factors(model, &mut rng);
    let sys = model.compile_for(&subject, ke0, &factors)?;
    // doses per kg follow this subject's weight
    let mut sc = scenario.clone();
    sc.patient.weight_kg = weight;
    let r = crate::simulate::simulate_compiled(&sc, model, &sys)?;
    let a = &r.analytes[0];
    Ok(SubjectOut {
        weight,
        cp: a.cp_ng_per_ml.iter().map(|&x| x as f32).collect(),
        ce: a.ce_ng_per_ml.iter().map(|&x| x as f32).collect(),
        occ: r.occupancy.iter().map(|&x| x as f32).collect(),
        cmax: r.metrics.analytes[0].cmax_ng_per_ml,
        recovery: r.metrics.recovery.after_last_input_min,
    })
}

/// Percentile `q` (0–100) of `v` by linear interpolation between order statistics (`v` is
/// reordered).
fn percentile(v: &mut [f32], q: f64) -> f64 {
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    let pos = q / 100.0 * (n - 1) as f64;
    let lo = pos.floor() as usize;
    let frac = pos - lo as f64;
    let (_, x_lo, rest) = v.select_nth_unstable_by(lo, f32::total_cmp);
    let x_lo = f64::from(*x_lo);
    if frac == 0.0 || rest.is_empty() {
        return x_lo;
    }
    let x_hi = rest.iter().copied().fold(f32::INFINITY, f32::min);
    x_lo + frac * (f64::from(x_hi) - x_lo)
}

/// Simulates `scenario.population` subjects. `parallel` uses all cores natively (same results
/// as serial); `progress` is called with the number of subjects finished so far.
pub fn simulate_population(
    scenario: &Scenario,
    parallel: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<PopulationResult> {
    scenario.validate()?;
    let spec = scenario
        .population
        .as_ref()
        .ok_or_else(|| Error::invalid("population", "missing: give at least {\"size\": N}"))?;
    spec.validate(scenario.n_points())?;
    let model = crate::models::get(&scenario.model)?;
    let ke0 = scenario.pd.ke0_per_min(model)?;
    let var = Variability::of(model)?;
    let n = u64::from(spec.size);
    let run = |i: u64| simulate_subject(scenario, spec, model, &var, ke0, i);
    let subjects: Vec<SubjectOut> = run_all(n, parallel, &run, progress)?;

    let t_min = crate::solver::grid(scenario.horizon_min, scenario.output_step_min);
    let npts = t_min.len();
    let bands = |get: &(dyn Fn(&SubjectOut) -> &Vec<f32> + Sync)| -> Vec<Vec<f64>> {
        // each time point is independent: percentiles of one column of subjects
        let at = |k: usize| -> [f64; 5] {
            let mut column: Vec<f32> = subjects.iter().map(|s| get(s)[k]).collect();
            PERCENTILES.map(|q| percentile(&mut column, q))
        };
        let rows: Vec<[f64; 5]> = map_points(npts, parallel, &at);
        (0..PERCENTILES.len())
            .map(|j| rows.iter().map(|r| r[j]).collect())
            .collect()
    };
    let cp_bands = bands(&|s| &s.cp);
    let ce_bands = bands(&|s| &s.ce);
    let occupancy_bands = bands(&|s| &s.occ);
    let thr = spec.threshold_ng_per_ml as f32;
    let fraction_above = (0..npts)
        .map(|k| subjects.iter().filter(|s| s.ce[k] >= thr).count() as f64 / n as f64)
        .collect();
    Ok(PopulationResult {
        size: spec.size,
        seed: spec.seed,
        t_min,
        percentiles: PERCENTILES.to_vec(),
        cp_bands,
        ce_bands,
        occupancy_bands,
        threshold_ng_per_ml: spec.threshold_ng_per_ml,
        fraction_above,
        cmax_ng_per_ml: subjects.iter().map(|s| s.cmax).collect(),
        recovery_min: subjects.iter().map(|s| s.recovery).collect(),
        weight_kg: subjects.iter().map(|s| s.weight).collect(),
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn run_all(
    n: u64,
    parallel: bool,
    run: &(dyn Fn(u64) -> Result<SubjectOut> + Sync),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<SubjectOut>> {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    let done = AtomicU64::new(0);
    let one = |i: u64| {
        let r = run(i);
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        if d % 256 == 0 || d == n {
            progress(d);
        }
        r
    };
    if parallel {
        (0..n).into_par_iter().map(one).collect()
    } else {
        (0..n).map(one).collect()
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn map_points(n: usize, parallel: bool, f: &(dyn Fn(usize) -> [f64; 5] + Sync)) -> Vec<[f64; 5]> {
    use rayon::prelude::*;
    if parallel {
        (0..n).into_par_iter().map(f).collect()
    } else {
        (0..n).map(f).collect()
    }
}

#[cfg(target_arch = "wasm32")]
fn map_points(n: usize, _parallel: bool, f: &(dyn Fn(usize) -> [f64; 5] + Sync)) -> Vec<[f64; 5]> {
    (0..n).map(f).collect()
}

#[cfg(target_arch = "wasm32")]
fn run_all(
    n: u64,
    _parallel: bool,
    run: &(dyn Fn(u64) -> Result<SubjectOut> + Sync),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<SubjectOut>> {
    let out = (0..n).map(run).collect();
    progress(n);
    out
}
