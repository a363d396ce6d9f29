//! Runs a [`Scenario`]: compile the model, expand the regimen, integrate boundary to boundary,
//! and convert states to concentrations, occupancy and metrics.

use crate::dosing::InputPlan;
use crate::error::Result;
use crate::metrics::{self, ThresholdTimes};
use crate::model::{LinearSystem, ModelSpec};
use crate::pd::{self, Binding};
use crate::scenario::{Method, Scenario};
use crate::solver::exact::ExactStepper;
use crate::solver::ode::{BindingRhs, OdeStepper};
use crate::solver::{self, Trajectory};
use nalgebra::DMatrix;
use serde::Serialize;
use ts_rs::TS;

/// Concentration series of one analyte.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AnalyteSeries {
    /// Analyte id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Molecular weight, g/mol.
    pub mw_g_per_mol: f64,
    /// Plasma (central) concentration, ng/mL.
    #[ts(type = "Float64Array")]
    pub cp_ng_per_ml: Vec<f64>,
    /// Plasma (central) concentration, µM.
    #[ts(type = "Float64Array")]
    pub cp_um: Vec<f64>,
    /// Effect-site concentration, ng/mL.
    #[ts(type = "Float64Array")]
    pub ce_ng_per_ml: Vec<f64>,
    /// Effect-site concentration, µM.
    #[ts(type = "Float64Array")]
    pub ce_um: Vec<f64>,
    /// Unbound effect-site concentration (fu · Ce), µM: what drives occupancy.
    #[ts(type = "Float64Array")]
    pub ce_unbound_um: Vec<f64>,
    /// Cumulative amount formed from other analytes, mg parent-drug equivalents (metabolites;
    /// empty for the administered drug).
    #[ts(type = "Float64Array")]
    pub formed_mg: Vec<f64>,
}

/// Amount in one compartment over time.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CompartmentSeries {
    /// Compartment name.
    pub name: String,
    /// Analyte id.
    pub analyte: String,
    /// Amount, mg parent-drug equivalents.
    #[ts(type = "Float64Array")]
    pub amount_mg: Vec<f64>,
}

/// Per-analyte metrics.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AnalyteMetrics {
    /// Analyte id.
    pub id: String,
    /// Peak plasma concentration on the grid, ng/mL.
    pub cmax_ng_per_ml: f64,
    /// The same peak, µM.
    pub cmax_um: f64,
    /// Time of the peak, min.
    pub tmax_min: f64,
    /// Peak effect-site concentration on the grid, ng/mL.
    pub ce_max_ng_per_ml: f64,
    /// The same peak, µM.
    pub ce_max_um: f64,
    /// Time of the effect-site peak, min.
    pub ce_tmax_min: f64,
    /// AUC from 0 to the horizon (exact integral of the model), ng·h/mL.
    pub auc_0_t_ng_h_per_ml: f64,
    /// AUC extrapolated to infinity with the model's terminal rate, `AUC0–t + C_last/λz`,
    /// ng·h/mL (`None` when no terminal rate exists).
    pub auc_0_inf_ng_h_per_ml: Option<f64>,
    /// Terminal rate constant λz, 1/min.
    pub lambda_z_per_min: Option<f64>,
}

/// Recovery after the last session's dosing ended.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Recovery {
    /// Effect-site threshold, ng/mL.
    pub threshold_ng_per_ml: f64,
    /// When the last dosing ended (infusion end, last spray), min.
    pub dosing_end_min: f64,
    /// When the effect-site concentration fell (for good) below the threshold, min; `None`
    /// if not within the horizon.
    pub below_at_min: Option<f64>,
    /// `below_at_min − dosing_end_min`, min.
    pub after_dosing_min: Option<f64>,
}

/// Metrics of a run.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Metrics {
    /// Per analyte.
    pub analytes: Vec<AnalyteMetrics>,
    /// Peak occupancy (fraction, model-derived).
    pub occupancy_max: f64,
    /// Time of peak occupancy, min.
    pub occupancy_tmax_min: f64,
    /// Effect-site concentration from which the patient counts as dissociated, ng/mL (the
    /// lower edge of the dissociative range, [`pd::dissociative_onset_ng_per_ml`]).
    pub dissociative_onset_ng_per_ml: f64,
    /// Time with the administered drug's effect-site concentration at or above the
    /// dissociative onset, min.
    pub dissociated_min: f64,
    /// Time above/below each requested threshold (administered drug).
    pub thresholds: Vec<ThresholdTimes>,
    /// Recovery after the last session's dosing ended.
    pub recovery: Recovery,
    /// Amount administered (before bioavailability), mg base.
    pub administered_mg: f64,
}

/// The result of a simulation.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SimulationResult {
    /// The validated scenario that produced this result.
    pub scenario: Scenario,
    /// Model id.
    pub model_id: String,
    /// Integrator that was used.
    pub method: Method,
    /// Effect-site rate constant used, 1/min.
    pub ke0_per_min: f64,
    /// Output times, min.
    #[ts(type = "Float64Array")]
    pub t_min: Vec<f64>,
    /// Concentrations per analyte (index 0 is the administered drug).
    pub analytes: Vec<AnalyteSeries>,
    /// NMDA-receptor occupancy, fraction 0–1 (model-derived).
    #[ts(type = "Float64Array")]
    pub occupancy: Vec<f64>,
    /// Amount in every compartment.
    pub compartments: Vec<CompartmentSeries>,
    /// Cumulative amount eliminated, mg parent-equivalents.
    #[ts(type = "Float64Array")]
    pub eliminated_mg: Vec<f64>,
    /// Cumulative amount that entered the system (after bioavailability), mg
    /// parent-equivalents.
    #[ts(type = "Float64Array")]
    pub input_mg: Vec<f64>,
    /// Summary metrics.
    pub metrics: Metrics,
    /// The clinic timeline of every session within the horizon.
    pub sessions: Vec<crate::timeline::SessionTimeline>,
    /// Things the user should know (e.g. doses after the horizon were ignored).
    pub warnings: Vec<String>,
}

/// Validates and runs a scenario.
///
/// ```
/// let scenario = ketasim::presets::get("antidepressant_40min")?.scenario;
/// let result = ketasim::simulate(&scenario)?;
/// let end_of_infusion = result.analytes[0].cp_ng_per_ml[40];
/// assert!(end_of_infusion > 185.0); // arterial model ≥ observed venous mean
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn simulate(scenario: &Scenario) -> Result<SimulationResult> {
    scenario.validate()?;
    let model = crate::models::get(&scenario.model)?;
    let ke0 = scenario.pd.ke0_per_min(model)?;
    let sys = model.compile_for(&scenario.patient.subject(), ke0, &[])?;
    simulate_compiled(scenario, model, &sys)
}

/// Runs an already validated scenario on a compiled system (used for virtual populations,
/// where each subject has its own system).
pub fn simulate_compiled(
    scenario: &Scenario,
    model: &ModelSpec,
    sys: &LinearSystem,
) -> Result<SimulationResult> {
    let plan = InputPlan::from_scenario(scenario, sys);
    let traj = trajectory(scenario, sys, &plan)?;
    Ok(assemble(scenario, model, sys, &plan, traj))
}

/// The method `auto` resolves to for this scenario.
pub fn resolved_method(scenario: &Scenario) -> Method {
    match (scenario.solver.method, scenario.pd.binding) {
        (Method::Auto, Binding::Kinetic { .. }) => Method::Dopri5,
        (Method::Auto, Binding::Equilibrium) => Method::Exact,
        (m, _) => m,
    }
}

/// Integrates the states on the output grid (no post-processing).
///
/// Only the states that the scenario's inputs can reach are integrated (an IV scenario never
/// touches the oral depot, for instance); the others are identically zero and are filled in
/// as such, so the trajectory always has every state of `sys`.
pub fn trajectory(scenario: &Scenario, sys: &LinearSystem, plan: &InputPlan) -> Result<Trajectory> {
    trajectory_pruned(scenario, sys, plan, None)
}

/// Like [`trajectory`], but integrates only the states that can influence one of `observed`
/// (states of `sys`): the bookkeeping states (sink, AUC, amount formed) drop out. Columns of
/// states left out are `None` (read as zero), so only `observed` states are meaningful. This
/// is the per-subject path of virtual populations.
pub fn trajectory_observing(
    scenario: &Scenario,
    sys: &LinearSystem,
    plan: &InputPlan,
    observed: &[usize],
) -> Result<Trajectory> {
    trajectory_pruned(scenario, sys, plan, Some(observed))
}

fn trajectory_pruned(
    scenario: &Scenario,
    sys: &LinearSystem,
    plan: &InputPlan,
    observed: Option<&[usize]>,
) -> Result<Trajectory> {
    let mut active = reachable_states(sys, plan);
    if let Some(obs) = observed {
        let needed = ancestors(sys, obs);
        active.retain(|&s| needed[s]);
        if active.is_empty() {
            active.push(sys.analytes[0].central); // nothing observable given: a trivial system
        }
    }
    let n_bind = match scenario.pd.binding {
        Binding::Kinetic { .. } => sys.analytes.len(),
        Binding::Equilibrium => 0,
    };
    if active.len() == sys.n {
        let all: Vec<usize> = (0..sys.n).collect();
        return integrate(scenario, sys, &all, &sys.a, sys.entries.clone(), plan);
    }
    let mut map = vec![usize::MAX; sys.n];
    for (r, &s) in active.iter().enumerate() {
        map[s] = r;
    }
    let m = active.len();
    let a = DMatrix::from_fn(m, m, |r, c| sys.a[(active[r], active[c])]);
    let entries = sys
        .entries
        .iter()
        .filter(|(i, j, _)| map[*i] != usize::MAX && map[*j] != usize::MAX)
        .map(|&(i, j, v)| (map[i], map[j], v))
        .collect();
    // inputs into states that were pruned (they cannot reach what is observed) are dropped
    let mut reduced = plan.clone();
    reduced.boluses.retain(|b| map[b.state] != usize::MAX);
    reduced.rates.retain(|r| map[r.state] != usize::MAX);
    for b in &mut reduced.boluses {
        b.state = map[b.state];
    }
    for r in &mut reduced.rates {
        r.state = map[r.state];
    }
    let mut t = integrate(scenario, sys, &active, &a, entries, &reduced)?;
    // pruned states are identically zero and stay unstored; binding states follow the linear
    // ones in both numberings
    let mut columns = vec![None; sys.n + n_bind];
    for (r, &s) in active.iter().enumerate() {
        columns[s] = Some(r);
    }
    for b in 0..n_bind {
        columns[sys.n + b] = Some(m + b);
    }
    t.columns = columns;
    Ok(t)
}

/// States reachable from the plan's inputs through the flows of `sys` (sorted).
fn reachable_states(sys: &LinearSystem, plan: &InputPlan) -> Vec<usize> {
    let mut stack: Vec<usize> = plan
        .boluses
        .iter()
        .map(|b| b.state)
        .chain(plan.rates.iter().map(|r| r.state))
        .collect();
    if stack.is_empty() {
        stack.push(sys.analytes[0].central); // nothing given: integrate a trivial system
    }
    let on = closure(sys, stack, true);
    (0..sys.n).filter(|&s| on[s]).collect()
}

/// States from which one of `targets` can be reached through the flows of `sys` (the targets
/// included).
fn ancestors(sys: &LinearSystem, targets: &[usize]) -> Vec<bool> {
    closure(sys, targets.to_vec(), false)
}

/// The states reachable from `start` along the flows of `sys` (`downstream`), or against them,
/// `start` included. An entry `(i, j, _)` of `A` is a flow from state `j` into state `i`.
fn closure(sys: &LinearSystem, mut stack: Vec<usize>, downstream: bool) -> Vec<bool> {
    let mut on = vec![false; sys.n];
    while let Some(s) = stack.pop() {
        if on[s] {
            continue;
        }
        on[s] = true;
        for &(i, j, _) in &sys.entries {
            let (from, to) = if downstream { (j, i) } else { (i, j) };
            if from == s && !on[to] {
                stack.push(to);
            }
        }
    }
    on
}

/// Integrates the linear states `active` of `sys` (with matrix `a` and sparse `entries` in
/// their numbering) plus, for kinetic binding, one bound fraction per analyte after them.
fn integrate(
    scenario: &Scenario,
    sys: &LinearSystem,
    active: &[usize],
    a: &DMatrix<f64>,
    entries: Vec<(usize, usize, f64)>,
    plan: &InputPlan,
) -> Result<Trajectory> {
    let grid = solver::grid(scenario.horizon_min, scenario.output_step_min);
    let m = active.len();
    match resolved_method(scenario) {
        Method::Exact | Method::Auto => {
            let mut st = ExactStepper::new(a, scenario.output_step_min)?;
            solver::run(&mut st, m, plan, grid, scenario.horizon_min)
        }
        Method::Dopri5 => {
            let (binding, n) = match scenario.pd.binding {
                Binding::Equilibrium => (None, m),
                Binding::Kinetic { half_time_min } => {
                    let koff = std::f64::consts::LN_2 / half_time_min;
                    let to_um = sys.mg_eq_per_l_to_um();
                    let mut ligands = Vec::with_capacity(sys.analytes.len());
                    for an in &sys.analytes {
                        let l = pd::ligand(an.ligand)?;
                        // an analyte the inputs never reach has no effect-site state: Cu = 0
                        let (effect, to_cu) = match active.iter().position(|&s| s == an.effect) {
                            Some(r) => (r, l.fu * to_um),
                            None => (0, 0.0),
                        };
                        ligands.push((effect, to_cu, koff / l.ki_um(scenario.pd.ki_set)));
                    }
                    let n = m + ligands.len();
                    (
                        Some(BindingRhs {
                            first_state: m,
                            ligands,
                            koff_per_min: koff,
                        }),
                        n,
                    )
                }
            };
            let mut st = OdeStepper::new(
                entries,
                binding,
                n,
                scenario.solver.rtol,
                scenario.solver.atol,
            )?;
            solver::run(&mut st, n, plan, grid, scenario.horizon_min)
        }
    }
}

fn assemble(
    scenario: &Scenario,
    model: &ModelSpec,
    sys: &LinearSystem,
    plan: &InputPlan,
    traj: Trajectory,
) -> SimulationResult {
    let npts = traj.t_min.len();
    let to_um = sys.mg_eq_per_l_to_um();
    let ki_set = scenario.pd.ki_set;
    let mut analytes = Vec::with_capacity(sys.analytes.len());
    let mut ki_fu = Vec::with_capacity(sys.analytes.len());
    for (ai, a) in sys.analytes.iter().enumerate() {
        let spec = &model.analytes[ai];
        let (fu, ki) = match pd::ligand(a.ligand) {
            Ok(l) => (l.fu, l.ki_um(ki_set)),
            Err(_) => (0.0, f64::INFINITY),
        };
        ki_fu.push((fu, ki));
        let amount_to_um = to_um / a.volume_l;
        let mw = a.mw_g_per_mol;
        let mut cp_um = traj.column(a.central);
        cp_um.iter_mut().for_each(|x| *x *= amount_to_um);
        let mut ce_um = traj.column(a.effect);
        ce_um.iter_mut().for_each(|x| *x *= to_um);
        analytes.push(AnalyteSeries {
            id: spec.id.into(),
            name: spec.name.into(),
            mw_g_per_mol: mw,
            cp_ng_per_ml: cp_um.iter().map(|c| c * mw).collect(),
            ce_ng_per_ml: ce_um.iter().map(|c| c * mw).collect(),
            ce_unbound_um: ce_um.iter().map(|c| c * fu).collect(),
            ce_um,
            formed_mg: a.formed.map(|f| traj.column(f)).unwrap_or_default(),
            cp_um,
        });
    }
    let occupancy: Vec<f64> = match scenario.pd.binding {
        Binding::Equilibrium => (0..npts)
            .map(|k| {
                pd::occupancy_equilibrium(
                    analytes
                        .iter()
                        .zip(&ki_fu)
                        .map(|(s, &(_, ki))| s.ce_unbound_um[k] / ki),
                )
            })
            .collect(),
        Binding::Kinetic { .. } => (0..npts)
            .map(|k| {
                (0..sys.analytes.len())
                    .map(|b| traj.value(k, sys.n + b))
                    .sum::<f64>()
                    .clamp(0.0, 1.0)
            })
            .collect(),
    };
    let column = |i: usize| traj.column(i);
    let compartments = model
        .compartments
        .iter()
        .enumerate()
        .map(|(i, c)| CompartmentSeries {
            name: c.name.into(),
            analyte: model.analytes[c.analyte].id.into(),
            amount_mg: column(i),
        })
        .collect();
    let eliminated_mg = column(sys.sink);

    // metrics
    let t = &traj.t_min;
    let last = npts.saturating_sub(1);
    let mut am = Vec::with_capacity(analytes.len());
    for (ai, s) in analytes.iter().enumerate() {
        let a = &sys.analytes[ai];
        let (cmax, tmax) = metrics::cmax_tmax(t, &s.cp_ng_per_ml);
        let (cemax, cetmax) = metrics::cmax_tmax(t, &s.ce_ng_per_ml);
        let to_ng_h = to_um * a.mw_g_per_mol / 60.0;
        let auc_t = traj.value(last, a.auc) * to_ng_h;
        let lz = metrics::terminal_rate(sys, a.central);
        let clast = s.cp_ng_per_ml.last().copied().unwrap_or(0.0);
        am.push(AnalyteMetrics {
            id: s.id.clone(),
            cmax_ng_per_ml: cmax,
            cmax_um: cmax / s.mw_g_per_mol,
            tmax_min: tmax,
            ce_max_ng_per_ml: cemax,
            ce_max_um: cemax / s.mw_g_per_mol,
            ce_tmax_min: cetmax,
            auc_0_t_ng_h_per_ml: auc_t,
            auc_0_inf_ng_h_per_ml: lz.map(|l| auc_t + clast / l / 60.0),
            lambda_z_per_min: lz,
        });
    }
    let (occ_max, occ_t) = metrics::cmax_tmax(t, &occupancy);
    let parent = &analytes[0];
    let last_end = plan.last_dosing_end_min.min(scenario.horizon_min);
    let thr = scenario.pd.recovery_threshold_ng_per_ml;
    let below_at = metrics::recovery_time(t, &parent.ce_ng_per_ml, thr, last_end);
    let onset = pd::dissociative_onset_ng_per_ml();
    let diss = metrics::time_above(t, &parent.ce_ng_per_ml, onset);
    let sessions = crate::timeline::sessions(plan, t, &parent.ce_ng_per_ml, onset, thr);
    let total = t.last().copied().unwrap_or(0.0) - t.first().copied().unwrap_or(0.0);
    let thresholds = scenario
        .pd
        .thresholds_ng_per_ml
        .iter()
        .map(|&th| {
            let ce_above = metrics::time_above(t, &parent.ce_ng_per_ml, th);
            ThresholdTimes {
                threshold_ng_per_ml: th,
                cp_above_min: metrics::time_above(t, &parent.cp_ng_per_ml, th),
                ce_above_min: ce_above,
                ce_below_min: total - ce_above,
            }
        })
        .collect();
    let mut warnings = Vec::new();
    let late = plan
        .administration_times_min
        .iter()
        .filter(|&&x| x > scenario.horizon_min)
        .count();
    if late > 0 {
        warnings.push(format!(
            "{late} administration(s) start after the horizon ({} min) and were not simulated",
            scenario.horizon_min
        ));
    }
    if plan.last_input_end_min > scenario.horizon_min {
        warnings.push("an input is still running at the horizon".into());
    }
    SimulationResult {
        scenario: scenario.clone(),
        sessions,
        model_id: model.id.into(),
        method: resolved_method(scenario),
        ke0_per_min: sys.ke0_per_min,
        metrics: Metrics {
            analytes: am,
            occupancy_max: occ_max,
            occupancy_tmax_min: occ_t,
            dissociative_onset_ng_per_ml: onset,
            dissociated_min: diss,
            thresholds,
            recovery: Recovery {
                threshold_ng_per_ml: thr,
                dosing_end_min: last_end,
                below_at_min: below_at,
                after_dosing_min: below_at.map(|b| b - last_end),
            },
            administered_mg: plan.administered_mg,
        },
        analytes,
        occupancy,
        compartments,
        eliminated_mg,
        input_mg: traj.input_mg,
        t_min: traj.t_min,
        warnings,
    }
}
