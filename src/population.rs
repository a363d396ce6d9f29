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
use rand_distr::{Distribution as _, StandardNormal};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Limits on population runs.
pub mod limits {
    /// Subjects in one run.
    pub const MAX_SUBJECTS: u32 = 100_000;
    /// Subjects × output points natively (memory guard: a few f32 series per subject, about
    /// 1 GB at the limit).
    pub const MAX_VALUES: u64 = 50_000_000;
    /// Subjects in one run in the browser (the page's limit; checked by [`super::check_browser`]).
    pub const BROWSER_MAX_SUBJECTS: u32 = 20_000;
    /// Subjects × output points in the browser (a few hundred MB at most across workers).
    pub const BROWSER_MAX_VALUES: u64 = 8_000_000;
    /// Largest seed a browser can pass exactly (2^53 − 1: JavaScript numbers).
    pub const MAX_SEED_IN_BROWSER: f64 = 9_007_199_254_740_991.0;
    /// CV of the default weight distribution, %.
    pub const WEIGHT_CV_PERCENT: (f64, f64) = (0.0, 100.0);
    /// Share of women, %.
    pub const FEMALE_PERCENT: (f64, f64) = (0.0, 100.0);
}

/// A covariate distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
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
#[derive(Debug, Clone, PartialEq, Serialize, TS, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct PopulationSpec {
    /// Number of subjects (1 – 100 000).
    pub size: u32,
    /// Seed of the random streams.
    #[serde(default)]
    pub seed: u64,
    /// Body weight, kg (default: log-normal around the scenario's weight with CV
    /// `weight_cv_percent`, clamped to half and twice it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<CovariateDist>,
    /// CV of the default weight distribution, % (default 20 — a teaching assumption; 0 fixes
    /// the weight). Ignored when `weight_kg` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_cv_percent: Option<f64>,
    /// Age, years (default: the scenario's age for everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_years: Option<CovariateDist>,
    /// Share of women, % (default: the scenario's sex for everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub female_percent: Option<f64>,
    /// Effect-site threshold for the "fraction of the population above" series, ng/mL
    /// (default 100: the lower edge of the dissociative range).
    #[serde(default = "default_threshold")]
    pub threshold_ng_per_ml: f64,
}

/// The dissociative onset: the same definition as the single run's metrics and timeline.
fn default_threshold() -> f64 {
    crate::pd::dissociative_onset_ng_per_ml()
}

/// CV of the default weight distribution, % (\[ASSUMPTION\], for teaching).
pub const DEFAULT_WEIGHT_CV_PERCENT: f64 = 20.0;

impl PopulationSpec {
    /// `size` subjects from `seed`, every other field at its default.
    ///
    /// ```
    /// let spec = ketasim::population::PopulationSpec::new(1000, 7);
    /// assert_eq!(spec.threshold_ng_per_ml, 100.0);
    /// assert!(spec.validate(361).is_ok());
    /// ```
    pub fn new(size: u32, seed: u64) -> Self {
        PopulationSpec {
            size,
            seed,
            weight_kg: None,
            weight_cv_percent: None,
            age_years: None,
            female_percent: None,
            threshold_ng_per_ml: default_threshold(),
        }
    }
}

/// The percentiles of every band.
pub const PERCENTILES: [f64; 5] = [5.0, 25.0, 50.0, 75.0, 95.0];

/// One banded quantity.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Quantity {
    /// Key: `cp:<analyte id>`, `ce:<analyte id>` or `occupancy`.
    pub key: String,
    /// Display label.
    pub label: String,
    /// Unit: `ng/mL`, or `fraction` for occupancy (model-derived).
    pub unit: String,
    /// µM per ng/mL of this analyte (1 / molecular weight) for a display in µM; `None` for
    /// occupancy. Percentiles scale with it exactly.
    pub um_per_ng_per_ml: Option<f64>,
}

/// Percentile bands of one quantity.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Bands {
    /// What is banded.
    pub quantity: Quantity,
    /// One series per percentile of [`PERCENTILES`], each over the output times.
    pub series: Vec<Vec<f64>>,
}

/// Distribution of a per-subject value.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Distribution {
    /// Subjects with a value (recovery: those who recovered within the horizon).
    pub count: u32,
    /// Values at [`PERCENTILES`] (empty when `count` is 0).
    pub percentiles: Vec<f64>,
    /// Histogram bin edges (`bins + 1` values, equal widths from the minimum to the maximum).
    pub histogram_edges: Vec<f64>,
    /// Subjects per bin.
    pub histogram_counts: Vec<u32>,
}

/// Percentile bands over time and per-subject summaries.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PopulationResult {
    /// Subjects simulated.
    pub size: u32,
    /// Seed used.
    pub seed: u64,
    /// Output times, min.
    pub t_min: Vec<f64>,
    /// Percentiles of the bands (5, 25, 50, 75, 95).
    pub percentiles: Vec<f64>,
    /// Bands of every plotted quantity: plasma concentration of each analyte, effect-site
    /// concentration of the administered drug, occupancy (model-derived).
    pub bands: Vec<Bands>,
    /// Threshold of `fraction_above`, ng/mL (effect site of the administered drug).
    pub threshold_ng_per_ml: f64,
    /// Fraction of subjects with effect-site concentration at or above the threshold.
    pub fraction_above: Vec<f64>,
    /// Distribution of the peak plasma concentration of the administered drug, ng/mL.
    pub cmax: Distribution,
    /// Distribution of the recovery time (Ce below the scenario's recovery threshold for good),
    /// min after the end of the last input.
    pub recovery: Distribution,
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
        if let Some(cv) = self.weight_cv_percent {
            check_range(
                || "population.weight_cv_percent".into(),
                cv,
                limits::WEIGHT_CV_PERCENT.0,
                limits::WEIGHT_CV_PERCENT.1,
                "%",
            )?;
        }
        if let Some(f) = self.female_percent {
            let (lo, hi) = limits::FEMALE_PERCENT;
            check_range(|| "population.female_percent".into(), f, lo, hi, "%")?;
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
                let x = libm::log(p / (1.0 - p)) + eta[r];
                (1.0 / (1.0 + libm::exp(-x))) / p
            } else {
                libm::exp(eta[r])
            };
        }
        f
    }
}

/// Per-subject summary values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SubjectSummary {
    /// Body weight drawn, kg.
    pub weight_kg: f64,
    /// Peak plasma concentration of the administered drug on the grid, ng/mL.
    pub cmax_ng_per_ml: f64,
    /// Minutes after the last input until Ce stays below the recovery threshold.
    pub recovery_min: Option<f64>,
}

/// A prepared population run: the scenario validated, the model's variability factored, the
/// banded quantities fixed. Subjects can then be simulated in any order and split (threads,
/// web workers): subject `i` always draws from stream `i` of the seed.
///
/// ```
/// use ketasim::population::Population;
/// let mut sc = ketasim::presets::get("antidepressant_40min")?.scenario;
/// sc.model = "herd2007".into(); // a model with published ω²
/// sc.population = Some(serde_json::from_str(r#"{"size": 200, "seed": 7}"#).unwrap());
/// let pop = Population::new(&sc)?;
/// let result = pop.run(false, &|_| {})?;
/// let median_cp = &result.bands[0].series[2];
/// assert!(median_cp[40] > 100.0); // ng/mL at the end of the 40-min infusion
/// # Ok::<(), ketasim::Error>(())
/// ```
pub struct Population<'a> {
    scenario: &'a Scenario,
    spec: PopulationSpec,
    model: &'static ModelSpec,
    var: Variability,
    ke0: f64,
    t_min: Vec<f64>,
    quantities: Vec<Quantity>,
    /// Index of the effect-site concentration of the administered drug in `quantities`.
    ce_parent: usize,
}

impl<'a> Population<'a> {
    /// Validates `scenario` (which must have a `population`) and prepares the run.
    pub fn new(scenario: &'a Scenario) -> Result<Self> {
        scenario.validate()?;
        let spec = scenario
            .population
            .clone()
            .ok_or_else(|| Error::invalid("population", "missing: give at least {\"size\": N}"))?;
        spec.validate(scenario.n_points())?;
        let model = crate::models::get(&scenario.model)?;
        let ke0 = scenario.pd.ke0_per_min(model)?;
        let var = Variability::of(model)?;
        let mut quantities: Vec<Quantity> = model
            .analytes
            .iter()
            .map(|a| Quantity {
                key: format!("cp:{}", a.id),
                label: format!("{} plasma", a.name),
                unit: "ng/mL".into(),
                um_per_ng_per_ml: Some(1.0 / a.mw_g_per_mol),
            })
            .collect();
        let parent = &model.analytes[0];
        quantities.push(Quantity {
            key: format!("ce:{}", parent.id),
            label: format!("{} effect site", parent.name),
            unit: "ng/mL".into(),
            um_per_ng_per_ml: Some(1.0 / parent.mw_g_per_mol),
        });
        quantities.push(Quantity {
            key: "occupancy".into(),
            label: "NMDA-receptor occupancy (model-derived)".into(),
            unit: "fraction".into(),
            um_per_ng_per_ml: None,
        });
        Ok(Population {
            scenario,
            ce_parent: quantities.len() - 2,
            quantities,
            spec,
            model,
            var,
            ke0,
            t_min: crate::solver::grid(scenario.horizon_min, scenario.output_step_min),
        })
    }

    /// Number of subjects.
    pub fn size(&self) -> u32 {
        self.spec.size
    }

    /// Output times, min.
    pub fn t_min(&self) -> &[f64] {
        &self.t_min
    }

    /// The banded quantities, in the order of every per-subject row.
    pub fn quantities(&self) -> &[Quantity] {
        &self.quantities
    }

    /// Index of the administered drug's effect-site concentration in [`Self::quantities`].
    pub fn ce_quantity(&self) -> usize {
        self.ce_parent
    }

    /// Threshold of the "fraction above" series, ng/mL.
    pub fn threshold_ng_per_ml(&self) -> f64 {
        self.spec.threshold_ng_per_ml
    }

    /// Values per subject row: quantities × output points.
    pub fn row_len(&self) -> usize {
        self.quantities.len() * self.t_min.len()
    }

    /// Simulates subject `index`, writing its row (quantity-major: quantity `q` at point `k`
    /// is `row[q * n_points + k]`) into `row`.
    pub fn subject(&self, index: u64, row: &mut [f32]) -> Result<SubjectSummary> {
        let sc = self.scenario;
        let spec = &self.spec;
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        rng.set_stream(index);
        let w0 = sc.patient.weight_kg;
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
                .unwrap_or(CovariateDist::Fixed(sc.patient.age_years)),
            &mut rng,
        );
        let mut subject = Subject {
            weight_kg: weight,
            age_years: age,
            ..sc.patient.subject()
        };
        if let Some(f) = spec.female_percent.map(|p| p / 100.0) {
            let u: f64 = rand_distr::StandardUniform.sample(&mut rng);
            subject.female = Some(u < f);
        }
        let factors = self.var.factors(self.model, &mut rng);
        let sys = self.model.compile_for(&subject, self.ke0, &factors)?;
        // doses per kg follow this subject's weight
        let plan = crate::dosing::InputPlan::for_weight(sc, &sys, weight);
        let observed: Vec<usize> = sys
            .analytes
            .iter()
            .flat_map(|a| [a.central, a.effect])
            .collect();
        let traj = crate::simulate::trajectory_observing(sc, &sys, &plan, &observed)?;
        let npts = self.t_min.len();
        let to_um = sys.mg_eq_per_l_to_um();
        let na = sys.analytes.len();
        let kinetic = matches!(sc.pd.binding, crate::pd::Binding::Kinetic { .. });
        // per analyte: (µM per mg in the central compartment, g/mol, fu, Ki µM), applied in the
        // same order as the full simulation so both give the same bits
        let mut conv = Vec::with_capacity(na);
        for a in &sys.analytes {
            let (fu, ki) = match crate::pd::ligand(a.ligand) {
                Ok(l) => (l.fu, l.ki_um(sc.pd.ki_set)),
                Err(_) => (0.0, f64::INFINITY),
            };
            conv.push((to_um / a.volume_l, a.mw_g_per_mol, fu, ki));
        }
        let (cp_row, rest) = row.split_at_mut(na * npts);
        let (ce_row, occ_row) = rest.split_at_mut(npts);
        // stored columns of the states read below (`None`: never reached, identically zero)
        let col = |state: usize| traj.columns.get(state).copied().flatten();
        let cols: Vec<(Option<usize>, Option<usize>)> = sys
            .analytes
            .iter()
            .map(|a| (col(a.central), col(a.effect)))
            .collect();
        let bound: Vec<usize> = (0..na).filter_map(|b| col(sys.n + b)).collect();
        let get = |x: &[f64], c: Option<usize>| c.map_or(0.0, |c| x[c]);
        let mut cmax = f64::NEG_INFINITY;
        let mut ce_parent = vec![0.0; npts];
        let mut ratios = vec![0.0; na];
        for (k, x) in traj.states.chunks_exact(traj.n).enumerate() {
            for (ai, &(c_central, c_effect)) in cols.iter().enumerate() {
                let (amount_to_um, mw, fu, ki) = conv[ai];
                let cp = get(x, c_central) * amount_to_um * mw;
                cp_row[ai * npts + k] = cp as f32;
                let ce_um = get(x, c_effect) * to_um;
                ratios[ai] = ce_um * fu / ki;
                if ai == 0 {
                    cmax = cmax.max(cp);
                    ce_parent[k] = ce_um * mw;
                    ce_row[k] = ce_parent[k] as f32;
                }
            }
            let occ = if kinetic {
                bound.iter().map(|&c| x[c]).sum::<f64>().clamp(0.0, 1.0)
            } else {
                crate::pd::occupancy_equilibrium(ratios.iter().copied())
            };
            occ_row[k] = occ as f32;
        }
        let last_end = plan.last_dosing_end_min.min(sc.horizon_min);
        let below = crate::metrics::recovery_time(
            &self.t_min,
            &ce_parent,
            sc.pd.recovery_threshold_ng_per_ml,
            last_end,
        );
        Ok(SubjectSummary {
            weight_kg: weight,
            cmax_ng_per_ml: cmax,
            recovery_min: below.map(|b| b - last_end),
        })
    }

    /// Simulates subjects `start .. start + count` into rows (subject-major, each
    /// [`Self::row_len`] long). `parallel` uses all cores natively; the result is the same.
    pub fn simulate_range(
        &self,
        start: u64,
        count: u32,
        parallel: bool,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(Vec<f32>, Vec<SubjectSummary>)> {
        let end = start.saturating_add(u64::from(count));
        if end > u64::from(self.spec.size) {
            return Err(Error::out_of_range(
                "population.range",
                end as f64,
                0.0,
                f64::from(self.spec.size),
                "subjects",
            ));
        }
        let len = self.row_len();
        let mut rows = vec![0f32; count as usize * len];
        let summaries = for_each_row(&mut rows, len, start, parallel, progress, &|i, row| {
            self.subject(i, row)
        })?;
        Ok((rows, summaries))
    }

    /// Runs every subject and computes bands, fractions and distributions.
    pub fn run(&self, parallel: bool, progress: &(dyn Fn(u64) + Sync)) -> Result<PopulationResult> {
        let (rows, summaries) = self.simulate_range(0, self.spec.size, parallel, progress)?;
        let npts = self.t_min.len();
        let part = Part {
            rows: &rows,
            n_quantities: self.quantities.len(),
            n_points: npts,
        };
        let stats = block_stats(
            &[part],
            self.ce_parent,
            self.spec.threshold_ng_per_ml,
            parallel,
        );
        Ok(self.result(stats, &summaries))
    }

    /// Assembles the result from the statistics of all time points (`stats` covering every
    /// output point) and the summaries of all subjects in index order.
    pub fn result(&self, stats: BlockStats, summaries: &[SubjectSummary]) -> PopulationResult {
        let npts = self.t_min.len();
        let bands = self
            .quantities
            .iter()
            .enumerate()
            .map(|(q, quantity)| Bands {
                quantity: quantity.clone(),
                series: (0..PERCENTILES.len())
                    .map(|j| stats.series(q, j, npts).to_vec())
                    .collect(),
            })
            .collect();
        let cmax: Vec<f64> = summaries.iter().map(|s| s.cmax_ng_per_ml).collect();
        let recovery: Vec<Option<f64>> = summaries.iter().map(|s| s.recovery_min).collect();
        let recovered: Vec<f64> = recovery.iter().flatten().copied().collect();
        PopulationResult {
            size: self.spec.size,
            seed: self.spec.seed,
            t_min: self.t_min.clone(),
            percentiles: PERCENTILES.to_vec(),
            bands,
            threshold_ng_per_ml: self.spec.threshold_ng_per_ml,
            fraction_above: stats.fraction_above,
            cmax: distribution(&cmax, 20),
            recovery: distribution(&recovered, 20),
            cmax_ng_per_ml: cmax,
            recovery_min: recovery,
            weight_kg: summaries.iter().map(|s| s.weight_kg).collect(),
        }
    }
}

/// Simulates `scenario.population` subjects. `parallel` uses all cores natively (same results
/// as serial); `progress` is called with the number of subjects finished so far.
pub fn simulate_population(
    scenario: &Scenario,
    parallel: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<PopulationResult> {
    Population::new(scenario)?.run(parallel, progress)
}

/// Checks the browser's limits (smaller than the native ones) with a message that says what to
/// change.
pub fn check_browser(scenario: &Scenario) -> Result<()> {
    let Some(spec) = &scenario.population else {
        return Ok(());
    };
    if spec.size > limits::BROWSER_MAX_SUBJECTS {
        return Err(Error::out_of_range(
            "population.size",
            f64::from(spec.size),
            1.0,
            f64::from(limits::BROWSER_MAX_SUBJECTS),
            "subjects in the browser (the CLI runs up to 100 000)",
        ));
    }
    let values = u64::from(spec.size) * scenario.n_points();
    if values > limits::BROWSER_MAX_VALUES {
        return Err(Error::TooLarge {
            what: "population.size × output points in the browser (fewer subjects or a coarser output_step_min)".into(),
            value: values,
            limit: limits::BROWSER_MAX_VALUES,
        });
    }
    Ok(())
}

/// Rows of some subjects for a block of output points: subject-major, each subject's row
/// quantity-major (`rows[(s * n_quantities + q) * n_points + k]`).
#[derive(Debug, Clone, Copy)]
pub struct Part<'r> {
    /// The values.
    pub rows: &'r [f32],
    /// Quantities per subject.
    pub n_quantities: usize,
    /// Output points in the block.
    pub n_points: usize,
}

impl Part<'_> {
    fn subjects(&self) -> usize {
        self.rows.len() / (self.n_quantities * self.n_points).max(1)
    }
}

/// Percentiles and fractions for a block of output points.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockStats {
    /// `bands[(q * PERCENTILES.len() + j) * n_points + k]`.
    pub bands: Vec<f64>,
    /// Fraction of subjects at or above the threshold, per point.
    pub fraction_above: Vec<f64>,
}

impl BlockStats {
    fn series(&self, q: usize, j: usize, npts: usize) -> &[f64] {
        let o = (q * PERCENTILES.len() + j) * npts;
        &self.bands[o..o + npts]
    }

    /// Joins the statistics of consecutive blocks of points (in time order).
    pub fn concat(blocks: &[BlockStats], n_quantities: usize) -> BlockStats {
        let npts: usize = blocks.iter().map(|b| b.fraction_above.len()).sum();
        let nj = PERCENTILES.len();
        let mut bands = vec![0.0; n_quantities * nj * npts];
        let mut off = 0;
        for b in blocks {
            let n = b.fraction_above.len();
            for qj in 0..n_quantities * nj {
                bands[qj * npts + off..qj * npts + off + n]
                    .copy_from_slice(&b.bands[qj * n..qj * n + n]);
            }
            off += n;
        }
        BlockStats {
            bands,
            fraction_above: blocks
                .iter()
                .flat_map(|b| b.fraction_above.iter().copied())
                .collect(),
        }
    }
}

/// Percentiles of every quantity and the fraction above `threshold` (for quantity `ce`) at
/// every point of a block, over the subjects of all `parts`. Parts that disagree with the first
/// on quantities or points are left out (the wasm boundary rejects them first). The result does
/// not depend on how subjects are split into parts or ordered.
pub fn block_stats(parts: &[Part], ce: usize, threshold: f64, parallel: bool) -> BlockStats {
    let nq = parts.first().map_or(0, |p| p.n_quantities);
    let npts = parts.first().map_or(0, |p| p.n_points);
    let parts: Vec<Part> = parts
        .iter()
        .copied()
        .filter(|p| p.n_quantities == nq && p.n_points == npts && p.subjects() > 0)
        .collect();
    let parts = &parts[..];
    let n: usize = parts.iter().map(Part::subjects).sum();
    let nj = PERCENTILES.len();
    let thr = threshold as f32;
    let at = |k: usize| -> (Vec<[f64; 5]>, f64) {
        let mut column: Vec<i32> = Vec::with_capacity(n);
        let mut per_q = Vec::with_capacity(nq);
        let mut above = 0usize;
        for q in 0..nq {
            column.clear();
            for p in parts {
                let stride = p.n_quantities * p.n_points;
                column.extend(
                    p.rows
                        .chunks_exact(stride.max(1))
                        .map(|row| key(row[q * p.n_points + k])),
                );
            }
            if q == ce {
                let t = key(thr);
                above = column.iter().filter(|&&x| x >= t).count();
            }
            per_q.push(percentiles5(&mut column));
        }
        (
            per_q,
            if n == 0 {
                f64::NAN
            } else {
                above as f64 / n as f64
            },
        )
    };
    let points = map_points(npts, parallel, &at);
    let mut bands = vec![0.0; nq * nj * npts];
    for (k, (per_q, _)) in points.iter().enumerate() {
        for (q, p5) in per_q.iter().enumerate() {
            for (j, v) in p5.iter().enumerate() {
                bands[(q * nj + j) * npts + k] = *v;
            }
        }
    }
    BlockStats {
        bands,
        fraction_above: points.into_iter().map(|(_, f)| f).collect(),
    }
}

/// Order statistics `ks` (ascending, distinct, < v.len()) of `v` into `out` (same order);
/// `v` is reordered so that it is partitioned around every one of them. Quickselect on the
/// middle one, then each side for the rest.
fn order_stats(v: &mut [i32], ks: &[usize], base: usize, out: &mut [i32]) {
    if ks.is_empty() {
        return;
    }
    let m = ks.len() / 2;
    let k = ks[m] - base;
    let (left, x, right) = v.select_nth_unstable(k);
    out[m] = *x;
    let (out_l, out_r) = out.split_at_mut(m);
    order_stats(left, &ks[..m], base, out_l);
    order_stats(right, &ks[m + 1..], base + k + 1, &mut out_r[1..]);
}

/// An `i32` whose order is `f32::total_cmp`'s (integer comparisons select faster).
#[inline]
fn key(x: f32) -> i32 {
    let b = x.to_bits() as i32;
    b ^ ((((b >> 31) as u32) >> 1) as i32)
}

#[inline]
fn unkey(k: i32) -> f32 {
    f32::from_bits((k ^ ((((k >> 31) as u32) >> 1) as i32)) as u32)
}

/// The [`PERCENTILES`] of `v` by linear interpolation between order statistics (`v`, in
/// [`key`] form, is reordered).
fn percentiles5(v: &mut [i32]) -> [f64; 5] {
    let n = v.len();
    if n == 0 {
        return [f64::NAN; 5];
    }
    let pos = PERCENTILES.map(|q| q / 100.0 * (n - 1) as f64);
    let mut ks: Vec<usize> = pos.iter().map(|p| p.floor() as usize).collect();
    ks.dedup();
    let mut vals = vec![0i32; ks.len()];
    order_stats(v, &ks, 0, &mut vals);
    // v is now partitioned around every selected rank, so the next order statistic after
    // rank k is the smallest value between k and the next selected rank
    let next = |i: usize| -> f64 {
        let k = ks[i];
        let end = ks.get(i + 1).copied().unwrap_or(n);
        if k + 1 >= n {
            f64::from(unkey(vals[i]))
        } else if k + 1 == end {
            f64::from(unkey(vals[i + 1]))
        } else {
            f64::from(unkey(
                v[k + 1..end].iter().copied().min().unwrap_or(vals[i]),
            ))
        }
    };
    pos.map(|p| {
        let lo = p.floor() as usize;
        let i = ks.binary_search(&lo).unwrap_or(0);
        let x = f64::from(unkey(vals[i]));
        let frac = p - lo as f64;
        if frac == 0.0 || lo + 1 >= n {
            x
        } else {
            x + frac * (next(i) - x)
        }
    })
}

/// Percentiles and a histogram of `values`.
pub fn distribution(values: &[f64], bins: usize) -> Distribution {
    if values.is_empty() {
        return Distribution {
            count: 0,
            percentiles: Vec::new(),
            histogram_edges: Vec::new(),
            histogram_counts: Vec::new(),
        };
    }
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let percentiles = PERCENTILES
        .iter()
        .map(|q| {
            let p = q / 100.0 * (n - 1) as f64;
            let lo = p.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            v[lo] + (p - lo as f64) * (v[hi] - v[lo])
        })
        .collect();
    let (min, max) = (v[0], v[n - 1]);
    let width = if max > min {
        (max - min) / bins as f64
    } else {
        1.0
    };
    let histogram_edges = (0..=bins).map(|i| min + i as f64 * width).collect();
    let mut histogram_counts = vec![0u32; bins];
    for x in &v {
        let b = (((x - min) / width) as usize).min(bins - 1);
        histogram_counts[b] += 1;
    }
    Distribution {
        count: n as u32,
        percentiles,
        histogram_edges,
        histogram_counts,
    }
}

type RowFn<'f> = dyn Fn(u64, &mut [f32]) -> Result<SubjectSummary> + Sync + 'f;

#[cfg(not(target_arch = "wasm32"))]
fn for_each_row(
    rows: &mut [f32],
    len: usize,
    start: u64,
    parallel: bool,
    progress: &(dyn Fn(u64) + Sync),
    run: &RowFn,
) -> Result<Vec<SubjectSummary>> {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    let n = (rows.len() / len.max(1)) as u64;
    let done = AtomicU64::new(0);
    let one = |(i, row): (usize, &mut [f32])| {
        let r = run(start + i as u64, row);
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        if d % 256 == 0 || d == n {
            progress(d);
        }
        r
    };
    if parallel {
        rows.par_chunks_mut(len).enumerate().map(one).collect()
    } else {
        rows.chunks_mut(len).enumerate().map(one).collect()
    }
}

#[cfg(target_arch = "wasm32")]
fn for_each_row(
    rows: &mut [f32],
    len: usize,
    start: u64,
    _parallel: bool,
    progress: &(dyn Fn(u64) + Sync),
    run: &RowFn,
) -> Result<Vec<SubjectSummary>> {
    let out: Result<Vec<SubjectSummary>> = rows
        .chunks_mut(len)
        .enumerate()
        .map(|(i, row)| run(start + i as u64, row))
        .collect();
    progress(out.as_ref().map_or(0, |v| v.len() as u64));
    out
}

type PointFn<'f> = dyn Fn(usize) -> (Vec<[f64; 5]>, f64) + Sync + 'f;

#[cfg(not(target_arch = "wasm32"))]
fn map_points(n: usize, parallel: bool, f: &PointFn) -> Vec<(Vec<[f64; 5]>, f64)> {
    use rayon::prelude::*;
    if parallel {
        (0..n).into_par_iter().map(f).collect()
    } else {
        (0..n).map(f).collect()
    }
}

#[cfg(target_arch = "wasm32")]
fn map_points(n: usize, _parallel: bool, f: &PointFn) -> Vec<(Vec<[f64; 5]>, f64)> {
    (0..n).map(f).collect()
}
