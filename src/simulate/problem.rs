//! A scenario's initial-value problem as plain data, for solvers outside this crate: the
//! browser benchmark integrates exactly the engine's problem with JavaScript solvers, and a
//! developer can hand it to any ODE library. Nothing here is computed twice: the matrix, the
//! inputs and the binding constants are the ones the engine integrates.
//!
//! The state is `x = (linear states…, bound fractions…)`; between events
//! `dx/dt = A·x + u(t)` for the linear states and, per ligand `l` with effect-site state `e`,
//! `dB_l/dt = kon_cu_l · x_e · (1 − Σ B) − koff_l · B_l`. Boluses add to a state at their time.
//!
//! ```
//! use ketasim::{presets, simulate::problem::OdeProblem};
//! let sc = presets::get("antidepressant_40min")?.scenario;
//! let p = OdeProblem::of(&sc)?;
//! assert_eq!(p.states, ["central", "peripheral1", "peripheral2", "ketamine effect site"]);
//! assert_eq!(p.rates.len(), 1); // 0.5 mg/kg × 70 kg over 40 min into the central compartment
//! assert!((p.rates[0].rate_mg_per_min - 35.0 / 40.0).abs() < 1e-12);
//! assert!(p.binding.is_empty()); // equilibrium binding: occupancy is algebraic
//! # Ok::<(), ketasim::Error>(())
//! ```

use super::reduce;
use crate::dosing::InputPlan;
use crate::error::Result;
use crate::pd::BindingRhs;
use crate::scenario::Scenario;
use serde::Serialize;
use ts_rs::TS;

/// A constant input rate over `[t_start_min, t_end_min)`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ProblemRate {
    /// Start, min.
    pub t_start_min: f64,
    /// End, min.
    pub t_end_min: f64,
    /// Receiving state.
    pub state: usize,
    /// Rate, mg/min.
    pub rate_mg_per_min: f64,
}

/// An instantaneous input.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ProblemBolus {
    /// Time, min.
    pub t_min: f64,
    /// Receiving state.
    pub state: usize,
    /// Amount, mg.
    pub amount_mg: f64,
}

/// One ligand's binding state.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ProblemLigand {
    /// The effect-site state it binds from.
    pub effect_state: usize,
    /// `kon × (state units → unbound µM)`, 1/(state unit · min).
    pub kon_cu: f64,
    /// Dissociation rate constant, 1/min.
    pub koff_per_min: f64,
}

/// A scenario's problem for its typical patient, over the states that the inputs reach and
/// that the concentrations depend on (bookkeeping states dropped, as in a population run).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OdeProblem {
    /// Names of the linear states (amounts in mg, effect sites in mg/L).
    pub states: Vec<String>,
    /// `A`, row-major, `states.len()²` entries, 1/min.
    pub a: Vec<f64>,
    /// Rate inputs.
    pub rates: Vec<ProblemRate>,
    /// Instantaneous inputs.
    pub boluses: Vec<ProblemBolus>,
    /// Kinetic binding: one bound fraction per ligand after the linear states (empty at
    /// equilibrium).
    pub binding: Vec<ProblemLigand>,
    /// Output times, min.
    pub t_min: Vec<f64>,
    /// Relative and absolute tolerance of the scenario.
    pub rtol: f64,
    /// Absolute tolerance, mg (and for the bound fractions).
    pub atol: f64,
    /// State of the administered drug's central amount.
    pub central_state: usize,
    /// Central amount (mg) → plasma concentration (ng/mL).
    pub central_to_ng_per_ml: f64,
    /// State of its effect-site concentration.
    pub effect_state: usize,
    /// Effect-site state (mg/L) → ng/mL.
    pub effect_to_ng_per_ml: f64,
}

impl OdeProblem {
    /// The problem `scenario` poses for its typical patient.
    pub fn of(scenario: &Scenario) -> Result<Self> {
        let run = scenario.prepare()?;
        let sys = run.compile(&run.subject, &[])?;
        let plan = InputPlan::for_weight(scenario, &sys, run.subject.weight_kg, &run.pumps);
        let observed: Vec<usize> = sys
            .analytes
            .iter()
            .flat_map(|a| [a.central, a.effect])
            .collect();
        let (active, a, plan) = reduce(&sys, &plan, Some(&observed))
            .unwrap_or_else(|| ((0..sys.n).collect(), sys.a.clone(), plan));
        let binding = BindingRhs::new(&run.pd, &sys, &active)?
            .map(|b| {
                b.ligands
                    .iter()
                    .map(|&(e, to_cu, kon, koff)| ProblemLigand {
                        effect_state: e,
                        kon_cu: kon * to_cu,
                        koff_per_min: koff,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let m = active.len();
        let at = |s: usize| active.iter().position(|&x| x == s).unwrap_or(usize::MAX);
        let drug = &sys.analytes[0];
        Ok(OdeProblem {
            states: active.iter().map(|&s| sys.names[s].to_string()).collect(),
            a: (0..m * m).map(|k| a[(k / m, k % m)]).collect(),
            rates: plan
                .rates
                .iter()
                .map(|r| ProblemRate {
                    t_start_min: r.t_start_min,
                    t_end_min: r.t_end_min,
                    state: r.state,
                    rate_mg_per_min: r.rate_mg_per_min,
                })
                .collect(),
            boluses: plan
                .boluses
                .iter()
                .map(|b| ProblemBolus {
                    t_min: b.t_min,
                    state: b.state,
                    amount_mg: b.amount_mg,
                })
                .collect(),
            binding,
            t_min: run.t_min.clone(),
            rtol: scenario.solver.rtol,
            atol: scenario.solver.atol,
            central_state: at(drug.central),
            central_to_ng_per_ml: 1000.0 / drug.volume_l,
            effect_state: at(drug.effect),
            effect_to_ng_per_ml: 1000.0,
        })
    }
}
