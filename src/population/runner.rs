//! The population runner: a prepared run, its banded quantities, and each subject's path
//! (draw, compile, integrate what plasma and effect site depend on, convert through the same
//! [`Readout`] as the full simulation, summarize). Subjects run in any order and split
//! (threads, web workers) with the same result.

use super::statistics::{
    block_stats, distribution, Bands, BlockStats, Distribution, Part, HISTOGRAM_BINS, PERCENTILES,
};
use super::variability::Variability;
use crate::error::{Error, Result};
use crate::scenario::{PopulationSpec, PreparedRun, Scenario};
use crate::simulate::{AnalytePoint, Readout};
use serde::Serialize;
use ts_rs::TS;

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
    /// Subjects whose simulation failed, in index order: each is left out of the bands, the
    /// fractions and the distributions (and of the per-subject lists above, which hold the
    /// subjects that ran, in index order).
    pub failed: Vec<FailedSubject>,
}

/// A virtual subject whose simulation failed: who it was and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FailedSubject {
    /// Index of the subject (its random stream).
    #[ts(type = "number")]
    pub index: u64,
    /// Body weight drawn, kg.
    pub weight_kg: f64,
    /// Multipliers drawn for the parameters with variability: (symbol, factor).
    pub factors: Vec<(String, f64)>,
    /// What failed, and what to change.
    pub error: String,
}

impl FailedSubject {
    fn of(e: &Error) -> Option<Self> {
        match e {
            Error::Subject {
                index,
                weight_kg,
                factors,
                source,
            } => Some(FailedSubject {
                index: *index,
                weight_kg: *weight_kg,
                factors: factors.clone(),
                error: source.to_string(),
            }),
            _ => None,
        }
    }
}

/// What [`Population::simulate_range`] returns: the rows and summaries of the subjects that ran
/// (index order) and the subjects that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectRows {
    /// Rows of the subjects that ran, subject-major, each [`Population::row_len`] long.
    pub rows: Vec<f32>,
    /// Their summaries, in the same order.
    pub summaries: Vec<SubjectSummary>,
    /// The subjects that failed.
    pub failed: Vec<FailedSubject>,
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
/// let pop = Population::new(sc.prepare()?)?;
/// let result = pop.run(false, &|_| {})?;
/// let median_cp = &result.bands[0].series[2];
/// assert!(median_cp[40] > 100.0); // ng/mL at the end of the 40-min infusion
/// # Ok::<(), ketasim::Error>(())
/// ```
pub struct Population<'a> {
    run: PreparedRun<'a>,
    spec: PopulationSpec,
    var: Variability,
    quantities: Vec<Quantity>,
    /// Index of the effect-site concentration of the administered drug in `quantities`.
    ce_parent: usize,
}

impl<'a> Population<'a> {
    /// Prepares the population run of `run` (whose scenario must have a `population`).
    pub fn new(run: PreparedRun<'a>) -> Result<Self> {
        let scenario = run.scenario;
        let spec = scenario
            .population
            .clone()
            .ok_or_else(|| Error::invalid("population", "missing: give at least {\"size\": N}"))?;
        spec.validate(scenario.n_points())?;
        let model = run.model;
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
        // the administered drug's readout: one analyte, or the racemate total S + R (both
        // enantiomers have ketamine's molecular weight)
        let parent = &model.analytes[run.readout_analytes[0]];
        if run.readout_analytes.len() > 1 {
            quantities.push(Quantity {
                key: format!("cp:{}", run.readout_id),
                label: format!("{} plasma", run.readout_name),
                unit: "ng/mL".into(),
                um_per_ng_per_ml: Some(1.0 / parent.mw_g_per_mol),
            });
        }
        quantities.push(Quantity {
            key: format!("ce:{}", run.readout_id),
            label: format!("{} effect site", run.readout_name),
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
            run,
            ce_parent: quantities.len() - 2,
            quantities,
            spec,
            var,
        })
    }

    /// Validates `scenario` (which must have a `population`) and prepares the run.
    pub fn of(scenario: &'a Scenario) -> Result<Self> {
        Self::new(scenario.prepare()?)
    }

    /// Number of subjects.
    pub fn size(&self) -> u32 {
        self.spec.size
    }

    /// Output times, min.
    pub fn t_min(&self) -> &[f64] {
        &self.run.t_min
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
        self.spec
            .threshold_ng_per_ml
            .unwrap_or(self.run.dissociative_onset_ng_per_ml)
    }

    /// Values per subject row: quantities × output points.
    pub fn row_len(&self) -> usize {
        self.quantities.len() * self.run.t_min.len()
    }

    /// Simulates subject `index`, writing its row (quantity-major: quantity `q` at point `k`
    /// is `row[q * n_points + k]`) into `row`. An error names the subject, its weight and the
    /// parameter multipliers it drew.
    pub fn subject(&self, index: u64, row: &mut [f32]) -> Result<SubjectSummary> {
        let model = self.run.model;
        let (subject, factors) = self
            .var
            .subject(&self.spec, &self.run.subject, model, index);
        self.subject_path(&subject, &factors, row)
            .map_err(|e| Error::Subject {
                index,
                weight_kg: subject.weight_kg,
                factors: self.var.named_factors(model, &factors),
                source: Box::new(e),
            })
    }

    fn subject_path(
        &self,
        subject: &crate::model::Subject,
        factors: &[f64],
        row: &mut [f32],
    ) -> Result<SubjectSummary> {
        let run = &self.run;
        let weight = subject.weight_kg;
        let sys = run.compile(subject, factors)?;
        // doses per kg follow this subject's weight
        let plan = crate::dosing::InputPlan::for_weight(run.scenario, &sys, weight, &run.pumps);
        let observed: Vec<usize> = sys
            .analytes
            .iter()
            .flat_map(|a| [a.central, a.effect])
            .collect();
        let traj = crate::simulate::trajectory_observing(run, &sys, &plan, &observed)?;
        let npts = run.t_min.len();
        let na = sys.analytes.len();
        let readout = Readout::new(&run.pd, &sys, &traj.columns);
        let sum = &run.readout_analytes;
        let (cp_row, rest) = row.split_at_mut(na * npts);
        // a racemate total has its own plasma row before the effect site
        let (total_row, rest) = rest.split_at_mut(if sum.len() > 1 { npts } else { 0 });
        let (ce_row, occ_row) = rest.split_at_mut(npts);
        let mut cmax = f64::NEG_INFINITY;
        let mut ce_parent = vec![0.0; npts];
        let mut point = vec![AnalytePoint::default(); na];
        // (the one-analyte case, every scenario without metabolites, as its own loop without
        // per-point branches: a fifth of a subject's time in WebAssembly went here)
        let one = match (sum.as_slice(), &point[..]) {
            ([0], [_]) if total_row.is_empty() => readout.one(),
            _ => None,
        };
        let points = traj.states.chunks_exact(traj.n).take(npts);
        if let Some(one) = one {
            let rows = cp_row
                .iter_mut()
                .zip(ce_row.iter_mut())
                .zip(occ_row.iter_mut());
            for ((x, ((cp_out, ce_out), occ_out)), ce_p) in points.zip(rows).zip(&mut ce_parent) {
                let (p, occ) = one.point(x);
                *occ_out = occ as f32;
                let (cp, ce) = (p.cp_ng_per_ml, p.ce_ng_per_ml);
                *cp_out = cp as f32;
                // not `f64::max`, a call on WebAssembly; a NaN is skipped as before
                if cp > cmax {
                    cmax = cp;
                }
                *ce_p = ce;
                *ce_out = ce as f32;
            }
        } else {
            for (k, x) in points.enumerate() {
                occ_row[k] = readout.point(x, &mut point) as f32;
                for (ai, p) in point.iter().enumerate() {
                    cp_row[ai * npts + k] = p.cp_ng_per_ml as f32;
                }
                let (cp, ce) = match sum.as_slice() {
                    [one] => point
                        .get(*one)
                        .map_or((0.0, 0.0), |p| (p.cp_ng_per_ml, p.ce_ng_per_ml)),
                    many => many
                        .iter()
                        .filter_map(|&i| point.get(i))
                        .fold((0.0, 0.0), |(a, b), p| {
                            (a + p.cp_ng_per_ml, b + p.ce_ng_per_ml)
                        }),
                };
                if let Some(x) = total_row.get_mut(k) {
                    *x = cp as f32;
                }
                if cp > cmax {
                    cmax = cp;
                }
                ce_parent[k] = ce;
                ce_row[k] = ce as f32;
            }
        }
        let sc = run.scenario;
        let last_end = plan.last_dosing_end_min.min(sc.horizon_min);
        let below = crate::metrics::recovery_time(
            &run.t_min,
            &ce_parent,
            run.recovery_threshold_ng_per_ml,
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
    ///
    /// A subject whose simulation fails does not stop the others: it is left out of the rows
    /// and listed in [`SubjectRows::failed`] with its index, weight, factors and error.
    pub fn simulate_range(
        &self,
        start: u64,
        count: u32,
        parallel: bool,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<SubjectRows> {
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
        let results = for_each_row(&mut rows, len, start, parallel, progress, &|i, row| {
            self.subject(i, row)
        });
        // keep the rows of the subjects that ran, in order
        let mut summaries = Vec::with_capacity(results.len());
        let mut failed = Vec::new();
        for (i, r) in results.into_iter().enumerate() {
            match r {
                Ok(s) => {
                    let to = summaries.len() * len;
                    if to != i * len {
                        rows.copy_within(i * len..(i + 1) * len, to);
                    }
                    summaries.push(s);
                }
                Err(e) => failed.push(FailedSubject::of(&e).ok_or(e)?),
            }
        }
        rows.truncate(summaries.len() * len);
        Ok(SubjectRows {
            rows,
            summaries,
            failed,
        })
    }

    /// Runs every subject and computes bands, fractions and distributions over the subjects
    /// that ran. Subjects that fail are counted and listed in [`PopulationResult::failed`];
    /// when every subject fails, the error is [`Error::PopulationFailed`].
    pub fn run(&self, parallel: bool, progress: &(dyn Fn(u64) + Sync)) -> Result<PopulationResult> {
        let SubjectRows {
            rows,
            summaries,
            failed,
        } = self.simulate_range(0, self.spec.size, parallel, progress)?;
        let npts = self.run.t_min.len();
        let part = Part {
            rows: &rows,
            n_quantities: self.quantities.len(),
            n_points: npts,
        };
        let stats = block_stats(
            &[part],
            self.ce_parent,
            self.threshold_ng_per_ml(),
            parallel,
        );
        self.result(stats, &summaries, failed)
    }

    /// Assembles the result from the statistics of all time points (`stats` covering every
    /// output point), the summaries of the subjects that ran and the subjects that failed (both
    /// in index order). An error when no subject ran.
    pub fn result(
        &self,
        stats: BlockStats,
        summaries: &[SubjectSummary],
        failed: Vec<FailedSubject>,
    ) -> Result<PopulationResult> {
        if summaries.is_empty() {
            let first = failed.first().map_or_else(String::new, |f| {
                format!(
                    "; subject {} (weight_kg = {}): {}",
                    f.index,
                    crate::text::Num(f.weight_kg),
                    f.error
                )
            });
            return Err(Error::PopulationFailed {
                failed: failed.len() as u64,
                size: u64::from(self.spec.size),
                first,
            });
        }
        let npts = self.run.t_min.len();
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
        Ok(PopulationResult {
            size: self.spec.size,
            seed: self.spec.seed,
            t_min: self.run.t_min.clone(),
            percentiles: PERCENTILES.to_vec(),
            bands,
            threshold_ng_per_ml: self.threshold_ng_per_ml(),
            fraction_above: stats.fraction_above,
            cmax: distribution(&cmax, HISTOGRAM_BINS),
            recovery: distribution(&recovered, HISTOGRAM_BINS),
            cmax_ng_per_ml: cmax,
            recovery_min: recovery,
            weight_kg: summaries.iter().map(|s| s.weight_kg).collect(),
            failed,
        })
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
) -> Vec<Result<SubjectSummary>> {
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
) -> Vec<Result<SubjectSummary>> {
    let out: Vec<Result<SubjectSummary>> = rows
        .chunks_mut(len)
        .enumerate()
        .map(|(i, row)| run(start + i as u64, row))
        .collect();
    progress(out.len() as u64);
    out
}
