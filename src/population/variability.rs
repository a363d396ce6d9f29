//! Sampling a virtual subject: covariates from their distributions and parameter multipliers
//! from the model's random effects (log-normal, with Cholesky-correlated etas where the source
//! gives covariances; logit-normal for fractions). Subject `i` draws from stream `i` of the
//! seed.

use crate::error::{Error, Result};
use crate::model::{ModelSpec, Subject, Unit};
use crate::scenario::{CovariateDist, PopulationSpec, DEFAULT_WEIGHT_CV_PERCENT};
use nalgebra::{DMatrix, DVector};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, StandardNormal};

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
            let sd = libm::log1p(c * c).sqrt();
            let z: f64 = StandardNormal.sample(rng);
            (median * libm::exp(sd * z)).clamp(min, max)
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
        for (a, b, cov) in model.iiv_covariances.iter() {
            let cov = *cov;
            let ra = params.iter().position(|&i| model.params[i].symbol == *a);
            let rb = params.iter().position(|&i| model.params[i].symbol == *b);
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
                .ok_or_else(|| Error::ModelDefinition {
                    model: model.id.to_string(),
                    problem: "the covariance matrix Ω of the random effects is not positive \
                              definite"
                        .into(),
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
                let x = libm::log(p / (1.0 - p)) + eta[r];
                (1.0 / (1.0 + libm::exp(-x))) / p
            } else {
                libm::exp(eta[r])
            };
        }
        f
    }

    /// Draws subject `index` of `spec` around `base` (the scenario's patient): its covariates
    /// and its parameter multipliers (same order as the model's parameters).
    pub fn subject(
        &self,
        spec: &PopulationSpec,
        base: &Subject,
        model: &ModelSpec,
        index: u64,
    ) -> (Subject, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        rng.set_stream(index);
        let w0 = base.weight_kg;
        let weight = draw(
            spec.weight_kg.unwrap_or(CovariateDist::LogNormal {
                median: w0,
                cv_percent: spec.weight_cv_percent.unwrap_or(DEFAULT_WEIGHT_CV_PERCENT),
                min: (w0 / 2.0).max(1.0),
                max: (w0 * 2.0).min(250.0),
            }),
            &mut rng,
        );
        let age = draw(
            spec.age_years
                .unwrap_or(CovariateDist::Fixed(base.age_years)),
            &mut rng,
        );
        let mut subject = Subject {
            weight_kg: weight,
            age_years: age,
            ..*base
        };
        if let Some(f) = spec.female_percent.map(|p| p / 100.0) {
            let u: f64 = rand_distr::StandardUniform.sample(&mut rng);
            subject.female = Some(u < f);
        }
        let factors = self.factors(model, &mut rng);
        (subject, factors)
    }

    /// The multipliers of the parameters with variability, by symbol (for error messages).
    pub fn named_factors(&self, model: &ModelSpec, factors: &[f64]) -> Vec<(String, f64)> {
        self.params
            .iter()
            .filter_map(|&i| Some((model.params.get(i)?.symbol.to_string(), *factors.get(i)?)))
            .collect()
    }
}
