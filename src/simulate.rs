//! Runs a [`Scenario`]: prepare it ([`Scenario::prepare`]), compile the model, expand the
//! regimen, integrate boundary to boundary, and convert states to concentrations, occupancy
//! ([`readout`]) and metrics.

use crate::dosing::InputPlan;
use crate::error::{Error, Result};
use crate::metrics::{self, ThresholdTimes};
use crate::model::LinearSystem;
use crate::pd::{Binding, BindingRhs};
use crate::scenario::{Method, PreparedRun, Scenario};
use crate::solver::exact::ExactStepper;
use crate::solver::kinetic::KineticStepper;
use crate::solver::ode::OdeStepper;
use crate::solver::{self, Trajectory};
use crate::text::Num;
use nalgebra::DMatrix;
use serde::Serialize;
use ts_rs::TS;

pub mod problem;
pub mod readout;

pub use readout::{AnalytePoint, OneReadout, Readout};

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

/// The administered drug as the clinic measures it: one analyte, or the racemate total S + R
/// where a racemic model carries the enantiomers separately. Readouts, the timeline, recovery
/// and time dissociated refer to it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DrugSeries {
    /// Id: the analyte's, or `racemate`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Ids of the analytes summed.
    pub analytes: Vec<String>,
    /// Plasma concentration, ng/mL.
    #[ts(type = "Float64Array")]
    pub cp_ng_per_ml: Vec<f64>,
    /// Plasma concentration, µM.
    #[ts(type = "Float64Array")]
    pub cp_um: Vec<f64>,
    /// Effect-site concentration, ng/mL.
    #[ts(type = "Float64Array")]
    pub ce_ng_per_ml: Vec<f64>,
    /// Effect-site concentration, µM.
    #[ts(type = "Float64Array")]
    pub ce_um: Vec<f64>,
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
    /// Time of the peak, min: the first grid time within 1e-6 of it
    /// ([`crate::metrics::PEAK_TIE_REL`]), so equal peaks of a course name the first.
    pub tmax_min: f64,
    /// Peak effect-site concentration on the grid, ng/mL.
    pub ce_max_ng_per_ml: f64,
    /// The same peak, µM.
    pub ce_max_um: f64,
    /// Time of the effect-site peak, min (the first within 1e-6 of it, as `tmax_min`).
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
    /// The administered drug's readout ([`DrugSeries`]): the same as its analyte's, or the
    /// racemate total's.
    pub drug: AnalyteMetrics,
    /// Peak occupancy (fraction, model-derived).
    pub occupancy_max: f64,
    /// Time of peak occupancy, min (the first within 1e-6 of it, as `tmax_min`).
    pub occupancy_tmax_min: f64,
    /// Effect-site concentration from which the patient counts as dissociated, ng/mL (the
    /// drug's, [`crate::pd::DrugForm::dissociative_onset`]).
    pub dissociative_onset_ng_per_ml: f64,
    /// Id of the landmark that onset is (in [`crate::pd::landmarks`]).
    pub dissociative_landmark: String,
    /// Time with the administered drug's effect-site concentration at or above the
    /// dissociative onset, min.
    pub dissociated_min: f64,
    /// Time above/below each requested threshold (administered drug).
    pub thresholds: Vec<ThresholdTimes>,
    /// Recovery after the last session's dosing ended.
    pub recovery: Recovery,
    /// Amount administered (before bioavailability), mg base.
    pub administered_mg: f64,
    /// The administered drug's plasma peak is the instant after an IV bolus: the model
    /// assumes the dose mixes instantly in the central volume, so the first minutes after a
    /// bolus overstate plasma levels; the effect-site peak is the meaningful one.
    pub peak_at_bolus: bool,
    /// Each analyte's part of the occupancy at its peak (`occupancy_tmax_min`), in analyte
    /// order: the parts sum to `occupancy_max` (model-derived).
    pub occupancy_parts_at_peak: Vec<OccupancyPart>,
    /// Each target-controlled infusion session: its targets, whether and when they were
    /// reached, overshoot, dose (empty without TCI).
    pub tci: Vec<crate::tci::TciOutcome>,
}

/// One analyte's part of the receptor occupancy at one time (model-derived).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OccupancyPart {
    /// Analyte id.
    pub analyte: String,
    /// Ligand id ([`crate::pd::Ligand::id`]).
    pub ligand: String,
    /// Occupancy due to this analyte, fraction 0–1: at equilibrium `rᵢ / (1 + Σr)` with
    /// `rᵢ = Cu,i × brain penetration / Ki`; with kinetic binding its bound fraction.
    pub occupancy: f64,
    /// Its share of the total occupancy, 0–1 (0 when the total is 0).
    pub share: f64,
}

/// The result of a simulation.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SimulationResult {
    /// The validated scenario that produced this result.
    pub scenario: Scenario,
    /// The drug form of the model (racemic or S-ketamine).
    pub drug: crate::pd::DrugForm,
    /// Ids of the landmarks measured for that drug form (the only ones that apply).
    pub landmarks: Vec<String>,
    /// Model id.
    pub model_id: String,
    /// Integrator that was used.
    pub method: Method,
    /// Effect-site rate constant used, 1/min.
    pub ke0_per_min: f64,
    /// Output times, min.
    #[ts(type = "Float64Array")]
    pub t_min: Vec<f64>,
    /// Concentrations per analyte (index 0 is the administered drug, or S-ketamine in the
    /// enantiomer model).
    pub analytes: Vec<AnalyteSeries>,
    /// The administered drug's readout (the racemate total where S and R are separate).
    pub drug_readout: DrugSeries,
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
    /// The target-controlled infusions' pump profiles (empty without TCI).
    pub pumps: Vec<crate::tci::PumpProfile>,
    /// Total pump rate at each output time, mg/h (empty without TCI).
    #[ts(type = "Float64Array")]
    pub pump_rate_mg_per_h: Vec<f64>,
    /// The same in mL/h of the syringe's solution (empty without TCI).
    #[ts(type = "Float64Array")]
    pub pump_rate_ml_per_h: Vec<f64>,
    /// Summary metrics.
    pub metrics: Metrics,
    /// The clinic timeline of every session within the horizon.
    pub sessions: Vec<crate::timeline::SessionTimeline>,
    /// Illustrative vitals, side-effect incidences and monitoring rules, every number cited.
    pub monitoring: crate::monitoring::Monitoring,
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
    let run = scenario.prepare()?;
    let sys = run.compile(&run.subject, &[])?;
    simulate_prepared(&run, &sys)
}

/// Runs a prepared scenario on a compiled system (`run.compile`, or a system of its own, such
/// as a virtual subject's).
pub fn simulate_prepared(run: &PreparedRun, sys: &LinearSystem) -> Result<SimulationResult> {
    let plan = InputPlan::for_weight(run.scenario, sys, run.subject.weight_kg, &run.pumps);
    let traj = trajectory(run, sys, &plan)?;
    assemble(run, sys, &plan, traj)
}

/// The method `auto` resolves to for this scenario (also [`PreparedRun::method`]).
pub fn resolved_method(scenario: &Scenario) -> Method {
    crate::scenario::resolve_method(scenario.solver.method, scenario.pd.binding)
}

/// Integrates the states on the output grid (no post-processing).
///
/// Only the states that the scenario's inputs can reach are integrated (an IV scenario never
/// touches the oral depot, for instance); the others are identically zero and are filled in
/// as such, so the trajectory always has every state of `sys`.
pub fn trajectory(run: &PreparedRun, sys: &LinearSystem, plan: &InputPlan) -> Result<Trajectory> {
    trajectory_pruned(run, sys, plan, None)
}

/// Like [`trajectory`], but integrates only the states that can influence one of `observed`
/// (states of `sys`): the bookkeeping states (sink, AUC, amount formed) drop out. Columns of
/// states left out are `None` (read as zero), so only `observed` states are meaningful. This
/// is the per-subject path of virtual populations.
pub fn trajectory_observing(
    run: &PreparedRun,
    sys: &LinearSystem,
    plan: &InputPlan,
    observed: &[usize],
) -> Result<Trajectory> {
    trajectory_pruned(run, sys, plan, Some(observed))
}

fn trajectory_pruned(
    run: &PreparedRun,
    sys: &LinearSystem,
    plan: &InputPlan,
    observed: Option<&[usize]>,
) -> Result<Trajectory> {
    let n_bind = if run.pd.is_kinetic() {
        sys.analytes.len()
    } else {
        0
    };
    let Some((active, a, reduced)) = reduce(sys, plan, observed) else {
        let all: Vec<usize> = (0..sys.n).collect();
        return integrate(run, sys, &all, &sys.a, plan);
    };
    let m = active.len();
    let mut t = integrate(run, sys, &active, &a, &reduced)?;
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

/// The states that the inputs reach (and, with `observed`, that can influence one of them),
/// the matrix over them and the plan in their numbering; `None` when that is every state.
fn reduce(
    sys: &LinearSystem,
    plan: &InputPlan,
    observed: Option<&[usize]>,
) -> Option<(Vec<usize>, DMatrix<f64>, InputPlan)> {
    let mut active = reachable_states(sys, plan);
    if let Some(obs) = observed {
        let needed = ancestors(sys, obs);
        active.retain(|&s| needed[s]);
        if active.is_empty() {
            active.push(sys.analytes[0].central); // nothing observable given: a trivial system
        }
    }
    if active.len() == sys.n {
        return None;
    }
    let mut map = vec![usize::MAX; sys.n];
    for (r, &s) in active.iter().enumerate() {
        map[s] = r;
    }
    let m = active.len();
    let a = DMatrix::from_fn(m, m, |r, c| sys.a[(active[r], active[c])]);
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
    Some((active, a, reduced))
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
    // each entry pushes at most once per state it leaves from
    stack.reserve(sys.entries.len());
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

/// Integrates the linear states `active` of `sys` (with matrix `a` in their numbering) plus,
/// for kinetic binding, one bound fraction per analyte after them.
fn integrate(
    run: &PreparedRun,
    sys: &LinearSystem,
    active: &[usize],
    a: &DMatrix<f64>,
    plan: &InputPlan,
) -> Result<Trajectory> {
    let sc = run.scenario;
    let grid = run.t_min.clone();
    let m = active.len();
    match run.method {
        Method::Exact | Method::Auto | Method::ExactKinetic => {
            match BindingRhs::new(&run.pd, sys, active)? {
                Some(b) if run.method == Method::ExactKinetic => {
                    let mut st = KineticStepper::new(a, sc.output_step_min, &b, sc.solver.rtol)?;
                    solver::run(&mut st, m + b.n_states(), plan, grid, sc.horizon_min)
                        .map_err(|e| solver_remedy(e, sc))
                }
                _ => {
                    let mut st = ExactStepper::new(a, sc.output_step_min)?;
                    solver::run(&mut st, m, plan, grid, sc.horizon_min)
                }
            }
        }
        Method::Dopri5 => {
            let binding = BindingRhs::new(&run.pd, sys, active)?;
            let mut st = OdeStepper::new(a, binding, sc.solver.rtol, sc.solver.atol)?
                .with_max_steps(sc.solver.max_steps);
            let n = st.n_states();
            solver::run(&mut st, n, plan, grid, sc.horizon_min).map_err(|e| solver_remedy(e, sc))
        }
    }
}

/// A solver failure names what to change in this scenario: the kinetic-binding half-time and
/// the tolerances, or the exact method when the system is linear.
fn solver_remedy(e: Error, sc: &Scenario) -> Error {
    let Error::Solver {
        t_start_min,
        t_end_min,
        message,
        ..
    } = e
    else {
        return e;
    };
    let (rtol, atol) = (Num(sc.solver.rtol), Num(sc.solver.atol));
    let remedy = match sc.pd.binding {
        Binding::Kinetic { half_time_min } if sc.solver.method == Method::Dopri5 => format!(
            "kinetic binding with a short half-time (now {} min) or a long stretch without \
             doses makes the equations stiff for Dopri5: use solver.method 'auto' (the exact \
             propagator with the implicit binding integrator), raise solver.max_steps (now {}), \
             or loosen solver.rtol (now {rtol}) and solver.atol (now {atol} mg)",
            Num(half_time_min),
            sc.solver.max_steps
        ),
        Binding::Kinetic { half_time_min } => format!(
            "use solver.method 'dopri5' (the independent check), loosen solver.rtol (now \
             {rtol}), or lengthen pd.binding.half_time_min (now {} min)",
            Num(half_time_min)
        ),
        Binding::Equilibrium => format!(
            "this system is linear: use solver.method 'exact' (or 'auto'), which takes no steps, \
             or loosen solver.rtol (now {rtol}) and solver.atol (now {atol} mg)"
        ),
    };
    Error::Solver {
        t_start_min,
        t_end_min,
        message,
        remedy,
    }
}

/// Each analyte's part of the occupancy at the first point where it peaks (the point
/// [`metrics::cmax_tmax`] reports).
fn occupancy_parts(
    model: &crate::model::ModelSpec,
    readout: &Readout,
    traj: &Trajectory,
    occupancy: &[f64],
    occ_max: f64,
) -> Vec<OccupancyPart> {
    let k = occupancy.iter().position(|&o| o == occ_max && o > 0.0);
    let parts = match k {
        Some(k) => readout.occupancy_parts(traj.at(k)),
        None => vec![0.0; model.analytes.len()],
    };
    model
        .analytes
        .iter()
        .zip(parts)
        .map(|(a, occupancy)| OccupancyPart {
            analyte: a.id.to_string(),
            ligand: a.ligand.to_string(),
            occupancy,
            share: if occ_max > 0.0 {
                occupancy / occ_max
            } else {
                0.0
            },
        })
        .collect()
}

fn assemble(
    run: &PreparedRun,
    sys: &LinearSystem,
    plan: &InputPlan,
    traj: Trajectory,
) -> Result<SimulationResult> {
    let (scenario, model) = (run.scenario, run.model);
    let npts = traj.t_min.len();
    let to_um = sys.mg_eq_per_l_to_um();
    let na = sys.analytes.len();
    let readout = Readout::new(&run.pd, sys, &traj.columns);
    let mut series: Vec<[Vec<f64>; 5]> = (0..na)
        .map(|_| std::array::from_fn(|_| Vec::with_capacity(npts)))
        .collect();
    let mut occupancy = Vec::with_capacity(npts);
    let mut point = vec![AnalytePoint::default(); na];
    for k in 0..npts {
        occupancy.push(readout.point(traj.at(k), &mut point));
        for (s, p) in series.iter_mut().zip(&point) {
            s[0].push(p.cp_um);
            s[1].push(p.cp_ng_per_ml);
            s[2].push(p.ce_um);
            s[3].push(p.ce_ng_per_ml);
            s[4].push(p.ce_unbound_um);
        }
    }
    let analytes: Vec<AnalyteSeries> = sys
        .analytes
        .iter()
        .zip(series)
        .enumerate()
        .map(
            |(ai, (a, [cp_um, cp_ng_per_ml, ce_um, ce_ng_per_ml, ce_unbound_um]))| {
                let spec = &model.analytes[ai];
                AnalyteSeries {
                    id: spec.id.to_string(),
                    name: spec.name.to_string(),
                    mw_g_per_mol: a.mw_g_per_mol,
                    cp_ng_per_ml,
                    cp_um,
                    ce_ng_per_ml,
                    ce_um,
                    ce_unbound_um,
                    formed_mg: a.formed.map(|f| traj.column(f)).unwrap_or_default(),
                }
            },
        )
        .collect();
    let column = |i: usize| traj.column(i);
    let compartments = model
        .compartments
        .iter()
        .enumerate()
        .map(|(i, c)| CompartmentSeries {
            name: c.name.to_string(),
            analyte: model.analytes[c.analyte].id.to_string(),
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
    let (drug_readout, drug_metrics) = drug_readout(run, &analytes, &am, t);
    let centrals: Vec<usize> = run
        .readout_analytes
        .iter()
        .filter_map(|&i| sys.analytes.get(i).map(|a| a.central))
        .collect();
    let peak_at_bolus = plan.boluses.iter().any(|b| {
        centrals.contains(&b.state)
            && (b.t_min - drug_metrics.tmax_min).abs() <= crate::dosing::TIME_EPS_MIN
    });
    let occupancy_parts_at_peak = occupancy_parts(model, &readout, &traj, &occupancy, occ_max);
    let parent = &drug_readout;
    let last_end = plan.last_dosing_end_min.min(scenario.horizon_min);
    let thr = run.recovery_threshold_ng_per_ml;
    let below_at = metrics::recovery_time(t, &parent.ce_ng_per_ml, thr, last_end);
    let onset = run.dissociative_onset_ng_per_ml;
    let diss = metrics::time_above(t, &parent.ce_ng_per_ml, onset);
    let routes: Vec<_> = scenario.regimen.iter().map(|i| i.route).collect();
    let sessions =
        crate::timeline::sessions(plan, t, &parent.ce_ng_per_ml, onset, thr, run.drug, &routes);
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
    // the drug's µM per ng/mL (the racemate's enantiomers share one molecular weight)
    let um_per_ng = run
        .readout_analytes
        .first()
        .and_then(|&i| analytes.get(i))
        .map_or(f64::NAN, |a| 1.0 / a.mw_g_per_mol);
    let tci = crate::tci::outcomes(run, t, um_per_ng, |target| match target {
        crate::scenario::TciTarget::Plasma => parent.cp_ng_per_ml.clone(),
        crate::scenario::TciTarget::EffectSite => parent.ce_ng_per_ml.clone(),
        crate::scenario::TciTarget::Occupancy => occupancy.iter().map(|o| o * 100.0).collect(),
    });
    let (pump_rate_mg_per_h, pump_rate_ml_per_h) = crate::tci::rates_on_grid(&run.pumps, t);
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
    let monitoring = crate::monitoring::compute(run, t, &analytes, &sessions)?;
    Ok(SimulationResult {
        scenario: scenario.clone(),
        drug: run.drug,
        landmarks: run.drug.landmarks().map(|l| l.id.to_string()).collect(),
        sessions,
        model_id: model.id.to_string(),
        method: run.method,
        ke0_per_min: sys.ke0_per_min,
        drug_readout,
        metrics: Metrics {
            analytes: am,
            drug: drug_metrics,
            occupancy_max: occ_max,
            occupancy_tmax_min: occ_t,
            dissociative_onset_ng_per_ml: onset,
            dissociative_landmark: run.drug.dissociative_onset().id.to_string(),
            dissociated_min: diss,
            thresholds,
            recovery: Recovery {
                threshold_ng_per_ml: thr,
                dosing_end_min: last_end,
                below_at_min: below_at,
                after_dosing_min: below_at.map(|b| b - last_end),
            },
            administered_mg: plan.administered_mg,
            peak_at_bolus,
            occupancy_parts_at_peak,
            tci,
        },
        pumps: run.pumps.clone(),
        pump_rate_mg_per_h,
        pump_rate_ml_per_h,
        analytes,
        occupancy,
        compartments,
        eliminated_mg,
        input_mg: traj.input_mg,
        t_min: traj.t_min,
        warnings,
        monitoring,
    })
}

/// The administered drug's series and metrics: its analyte's, or the sum of the racemate's
/// enantiomers (same molecular weight, so ng/mL and µM add; the terminal rate is the slowest).
fn drug_readout(
    run: &PreparedRun,
    analytes: &[AnalyteSeries],
    am: &[AnalyteMetrics],
    t: &[f64],
) -> (DrugSeries, AnalyteMetrics) {
    let parts: Vec<usize> = run
        .readout_analytes
        .iter()
        .copied()
        .filter(|&i| i < analytes.len())
        .collect();
    let sum = |f: &dyn Fn(&AnalyteSeries) -> &Vec<f64>| -> Vec<f64> {
        match parts.as_slice() {
            [one] => f(&analytes[*one]).clone(),
            many => (0..t.len())
                .map(|k| many.iter().map(|&i| f(&analytes[i])[k]).sum())
                .collect(),
        }
    };
    let series = DrugSeries {
        id: run.readout_id.into(),
        name: run.readout_name.into(),
        analytes: parts.iter().map(|&i| analytes[i].id.clone()).collect(),
        cp_ng_per_ml: sum(&|a| &a.cp_ng_per_ml),
        cp_um: sum(&|a| &a.cp_um),
        ce_ng_per_ml: sum(&|a| &a.ce_ng_per_ml),
        ce_um: sum(&|a| &a.ce_um),
    };
    let metrics = match parts.as_slice() {
        [one] => am[*one].clone(),
        many => {
            let (cmax, tmax) = metrics::cmax_tmax(t, &series.cp_ng_per_ml);
            let (cemax, cetmax) = metrics::cmax_tmax(t, &series.ce_ng_per_ml);
            let mw = analytes[many[0]].mw_g_per_mol;
            let each: Vec<&AnalyteMetrics> = many.iter().map(|&i| &am[i]).collect();
            AnalyteMetrics {
                id: series.id.clone(),
                cmax_ng_per_ml: cmax,
                cmax_um: cmax / mw,
                tmax_min: tmax,
                ce_max_ng_per_ml: cemax,
                ce_max_um: cemax / mw,
                ce_tmax_min: cetmax,
                auc_0_t_ng_h_per_ml: each.iter().map(|m| m.auc_0_t_ng_h_per_ml).sum(),
                auc_0_inf_ng_h_per_ml: each.iter().map(|m| m.auc_0_inf_ng_h_per_ml).sum(),
                lambda_z_per_min: each
                    .iter()
                    .map(|m| m.lambda_z_per_min)
                    .collect::<Option<Vec<f64>>>()
                    .and_then(|v| v.into_iter().min_by(f64::total_cmp)),
            }
        }
    };
    (series, metrics)
}
