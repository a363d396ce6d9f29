//! A validated scenario with everything a run needs resolved once: the model, the subject's
//! covariates, the output grid, the integrator and the PD. The lower layers (integration,
//! output conversion, the population's per-subject path) take this, never the raw scenario.

use super::{Method, Scenario};
use crate::error::Result;
use crate::model::{LinearSystem, ModelSpec, Subject};
use crate::pd::{Binding, DrugForm, ResolvedPd};

/// What a run needs, resolved once by [`Scenario::prepare`].
///
/// ```
/// let scenario = ketasim::presets::get("antidepressant_40min")?.scenario;
/// let run = scenario.prepare()?;
/// assert_eq!(run.model.id, "kamp2020");
/// assert_eq!(run.t_min.len() as u64, scenario.n_points());
/// let sys = run.compile(&run.subject, &[])?;
/// let result = ketasim::simulate::simulate_prepared(&run, &sys)?;
/// assert_eq!(result.ke0_per_min, run.pd.ke0_per_min);
/// # Ok::<(), ketasim::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PreparedRun<'a> {
    /// The validated scenario (regimen, horizon, thresholds; echoed in the result).
    pub scenario: &'a Scenario,
    /// The scenario's model.
    pub model: &'a ModelSpec,
    /// The patient's covariates.
    pub subject: Subject,
    /// Output times, min.
    pub t_min: Vec<f64>,
    /// The integrator `auto` resolves to (never `auto`).
    pub method: Method,
    /// ke0, Ki set, binding and the ligand of every analyte.
    pub pd: ResolvedPd,
    /// The drug form of the model (racemic or S-ketamine): which landmarks apply.
    pub drug: DrugForm,
    /// Effect-site concentration from which the patient counts as dissociated, ng/mL (the
    /// drug's, [`DrugForm::dissociative_onset`]).
    pub dissociative_onset_ng_per_ml: f64,
    /// Effect-site concentration below which the patient counts as recovered, ng/mL: the
    /// scenario's, or the drug's default.
    pub recovery_threshold_ng_per_ml: f64,
    /// The analytes summed for the administered drug's readouts (metrics, timeline,
    /// recovery): the racemate total where a model carries S and R separately.
    pub readout_analytes: Vec<usize>,
    /// Id and name of that readout (the first analyte's, or `racemate`).
    pub readout_id: &'a str,
    /// Display name of the readout.
    pub readout_name: &'a str,
    /// The pump profiles of the target-controlled infusions (empty without one), computed
    /// once for the typical patient ([`crate::tci::pump_profiles`]).
    pub pumps: Vec<crate::tci::PumpProfile>,
}

impl Scenario {
    /// Validates the scenario once and resolves what a run needs (see [`PreparedRun`]).
    pub fn prepare(&self) -> Result<PreparedRun<'_>> {
        let model = self.validated_model()?;
        let ke0_per_min = self.pd.ke0_per_min(model)?;
        let drug = DrugForm::of(model);
        let (readout_analytes, readout_id, readout_name) = DrugForm::readout(model);
        let mut run = PreparedRun {
            readout_analytes,
            readout_id,
            readout_name,
            drug,
            dissociative_onset_ng_per_ml: drug.dissociative_onset().low_ng_per_ml,
            recovery_threshold_ng_per_ml: self
                .pd
                .recovery_threshold_ng_per_ml
                .unwrap_or_else(|| drug.default_recovery_ng_per_ml()),
            scenario: self,
            model,
            subject: self.patient.subject(),
            t_min: crate::solver::grid(self.horizon_min, self.output_step_min),
            method: resolve_method(self.solver.method, self.pd.binding),
            pd: ResolvedPd::new(model, ke0_per_min, self.pd.ki_set, self.pd.binding),
            pumps: Vec::new(),
        };
        run.pumps = crate::tci::pump_profiles(&run)?;
        Ok(run)
    }
}

impl PreparedRun<'_> {
    /// The model's linear system for `subject` with parameter multipliers `factors` (empty:
    /// the published values) at this run's ke0.
    pub fn compile(&self, subject: &Subject, factors: &[f64]) -> Result<LinearSystem> {
        self.model
            .compile_for(subject, self.pd.ke0_per_min, factors)
    }
}

/// The method `auto` resolves to: the exact propagator for a linear system, the exact
/// propagator with an implicit integrator for the bound fractions (`exact_kinetic`) when
/// kinetic binding makes it non-linear.
pub(crate) fn resolve_method(method: Method, binding: Binding) -> Method {
    match (method, binding) {
        (Method::Auto, Binding::Kinetic { .. }) => Method::ExactKinetic,
        (Method::Auto, Binding::Equilibrium) => Method::Exact,
        (m, _) => m,
    }
}
