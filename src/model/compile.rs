//! From a [`ModelSpec`] and a patient to the numbers: the linear system `dx/dt = A·x + u`.

use super::Param;
use super::{CovariateEffect, Factor, Flow, ModelSpec, Race, Rate, Role, Route, Subject};
use crate::error::{Error, Result};
use nalgebra::DMatrix;
use serde::Serialize;

/// What a state variable holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum StateKind {
    /// Amount in compartment `index` of the model, mg parent-equivalents.
    Amount(usize),
    /// Cumulative amount eliminated (all analytes, all routes), mg parent-equivalents.
    Eliminated,
    /// Effect-site concentration of analyte `index`, mg parent-equivalents per L.
    EffectSite(usize),
    /// Running integral of the central concentration of analyte `index`,
    /// mg parent-equivalents · min / L.
    Auc(usize),
    /// Cumulative amount of metabolite `index` formed, mg parent-equivalents.
    Formed(usize),
}

/// Numbers for one analyte of a compiled system.
#[derive(Debug, Clone, Serialize)]
pub struct CompiledAnalyte {
    /// State index of the central amount.
    pub central: usize,
    /// Central volume, L.
    pub volume_l: f64,
    /// Molecular weight, g/mol.
    pub mw_g_per_mol: f64,
    /// State index of the effect-site concentration.
    pub effect: usize,
    /// State index of the AUC integral.
    pub auc: usize,
    /// Ligand id for occupancy.
    pub ligand: crate::model::Text,
    /// State index of the cumulative amount formed (metabolites only).
    pub formed: Option<usize>,
}

/// One input of a route: where a dose goes, how much of it, and how fast.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InputTarget {
    /// State index that receives the input.
    pub state: usize,
    /// Fraction of the dose (bioavailability of this part).
    pub fraction: f64,
    /// Zero-order input duration, min; `None` for instantaneous.
    pub duration_min: Option<f64>,
}

/// A route of a compiled model.
#[derive(Debug, Clone, Serialize)]
pub struct CompiledRoute {
    /// The route.
    pub route: Route,
    /// Inputs of a dose (of the first device, for device routes).
    pub inputs: Vec<InputTarget>,
    /// Inputs of every later device in a session, for device routes.
    pub later_inputs: Option<Vec<InputTarget>>,
    /// `(mg per device, min between devices, most devices)` for device routes.
    pub device: Option<(f64, f64, u32)>,
}

/// A model evaluated for one patient: `dx/dt = A·x + u(t)` with piecewise-constant `u`.
///
/// State layout: the model's compartments in order, then the eliminated-amount sink, then one
/// effect-site state and one AUC state per analyte.
#[derive(Debug, Clone)]
pub struct LinearSystem {
    /// Number of states.
    pub n: usize,
    /// Number of amount states (compartments); they come first.
    pub n_compartments: usize,
    /// Index of the eliminated-amount sink.
    pub sink: usize,
    /// Dense system matrix, 1/min.
    pub a: DMatrix<f64>,
    /// Non-zero entries of `a` as `(row, column, value)`, for a fast right-hand side.
    pub entries: Vec<(usize, usize, f64)>,
    /// Per-analyte indices and constants.
    pub analytes: Vec<CompiledAnalyte>,
    /// Supported routes.
    pub routes: Vec<CompiledRoute>,
    /// Molecular weight of the administered drug, g/mol (amounts are in its equivalents).
    pub parent_mw_g_per_mol: f64,
    /// Effect-site equilibration rate constant used, 1/min.
    pub ke0_per_min: f64,
    /// What each state holds.
    pub kinds: Vec<StateKind>,
    /// Display names of the states (the compartments' borrowed from the model: a population
    /// compiles one system per subject).
    pub names: Vec<crate::model::Text>,
    /// The analytes that are the administered drug ([`crate::pd::DrugForm::readout`]: S + R
    /// where a racemic model carries the enantiomers, else analyte 0); their central
    /// compartments are "the circulation" of [`LinearSystem::systemic_mg`].
    pub drug_analytes: Vec<usize>,
}

impl CompiledRoute {
    /// One administration of `amount_mg` by this route as its parts `(offset from the start,
    /// min; mg; inputs)`: on device routes whole devices one after another (the amount
    /// rounded to whole devices, at least one; every device after the first with
    /// [`CompiledRoute::later_inputs`]), elsewhere the whole amount at once.
    pub fn parts(&self, amount_mg: f64) -> Vec<(f64, f64, &[InputTarget])> {
        match self.device {
            Some((mg, interval, _)) => {
                let n = (amount_mg / mg).round().max(1.0) as usize;
                (0..n)
                    .map(|k| {
                        let inputs = match (&self.later_inputs, k) {
                            (Some(later), k) if k > 0 => later.as_slice(),
                            _ => self.inputs.as_slice(),
                        };
                        (k as f64 * interval, mg, inputs)
                    })
                    .collect()
            }
            None => vec![(0.0, amount_mg, self.inputs.as_slice())],
        }
    }
}

impl LinearSystem {
    /// Converts an amount concentration (mg parent-equivalents/L) of analyte `i` to µM.
    pub fn mg_eq_per_l_to_um(&self) -> f64 {
        1000.0 / self.parent_mw_g_per_mol
    }

    /// A route, if the model has it.
    pub fn route(&self, route: Route) -> Option<&CompiledRoute> {
        self.routes.iter().find(|r| r.route == route)
    }

    /// `true` for states that hold drug amounts (compartments and the sink): these add up to
    /// the dose given (mass balance).
    pub fn is_amount(&self, state: usize) -> bool {
        state < self.n_compartments || state == self.sink
    }

    /// For every compartment, the fraction of the drug placed there that ever reaches the
    /// circulation: the central compartment of an analyte of the administered drug
    /// ([`LinearSystem::drug_analytes`]). 1 for those central compartments; for any other,
    /// the probability that a molecule leaves it along the model's flows and arrives there
    /// before it is eliminated or becomes a metabolite (the absorbing-chain equations
    /// `h_j = Σ_i (A_ij / −A_jj)·h_i` over the compartment block of `A`). So 1 for a depot
    /// that only feeds the central compartment, 0 for a first-pass compartment that only forms
    /// metabolite, and the hepatic availability for a liver compartment the drug can leave
    /// to the circulation or be cleared in.
    pub fn reach_circulation(&self) -> Vec<f64> {
        let nc = self.n_compartments;
        let mut h = vec![0.0; nc];
        let target: Vec<bool> = (0..nc)
            .map(|c| {
                self.drug_analytes
                    .iter()
                    .any(|&ai| self.analytes.get(ai).is_some_and(|a| a.central == c))
            })
            .collect();
        // compartments from which the circulation can be reached (flows j → i: A[i, j] > 0)
        let mut reaches = target.clone();
        let mut grew = true;
        while grew {
            grew = false;
            for j in 0..nc {
                if !reaches[j] && (0..nc).any(|i| i != j && reaches[i] && self.a[(i, j)] > 0.0) {
                    reaches[j] = true;
                    grew = true;
                }
            }
        }
        let free: Vec<usize> = (0..nc).filter(|&j| reaches[j] && !target[j]).collect();
        for (j, &t) in target.iter().enumerate() {
            if t {
                h[j] = 1.0;
            }
        }
        if free.is_empty() {
            return h;
        }
        // −A_jj·h_j − Σ_{i free, i ≠ j} A_ij·h_i = Σ_{i target} A_ij
        let m = free.len();
        let mat = DMatrix::from_fn(m, m, |r, c| -self.a[(free[c], free[r])]);
        let rhs = nalgebra::DVector::from_fn(m, |r, _| {
            (0..nc)
                .filter(|&i| target[i])
                .map(|i| self.a[(i, free[r])])
                .sum::<f64>()
        });
        // every free compartment reaches the circulation, so none traps drug: the matrix is
        // non-singular; should it not solve, nothing is counted as reaching it
        if let Some(x) = mat.lu().solve(&rhs) {
            for (r, &j) in free.iter().enumerate() {
                h[j] = x[r].clamp(0.0, 1.0);
            }
        }
        h
    }

    /// How much of one administration of `amount_mg` by `route` reaches the circulation, mg:
    /// each part's amount ([`CompiledRoute::parts`]) × each input's fraction (the route's
    /// bioavailability factors, as the model defines them for this patient) × the fraction of
    /// its compartment that reaches the circulation ([`LinearSystem::reach_circulation`]).
    /// For a linear model this is the administered drug's AUC after the dose divided by its
    /// AUC per mg of an IV bolus: the bioavailability F times the amount. Metabolite formed on
    /// the first pass does not count; for a racemic model with enantiomers, both count.
    ///
    /// ```
    /// use ketasim::model::{Route, Subject};
    /// let kamp = ketasim::models::get("kamp2020")?;
    /// let sys = kamp.compile_for(&Subject::typical(70.0), 0.0, &[])?;
    /// let oral = sys.route(Route::Oral).unwrap();
    /// assert!((sys.systemic_mg(oral, 100.0) - 20.0).abs() < 1e-9); // F 20 % (Yanagihara 2003)
    /// // esketamine nasal spray: every device after the first has a smaller nasal fraction
    /// let spray = ketasim::models::get("perez_ruixo2021")?;
    /// let sys = spray.compile_for(&Subject::typical(70.0), 0.0, &[])?;
    /// let nasal = sys.route(Route::Intranasal).unwrap();
    /// let (one, two) = (sys.systemic_mg(nasal, 28.0), sys.systemic_mg(nasal, 56.0));
    /// assert!(two - one < one);
    /// # Ok::<(), ketasim::Error>(())
    /// ```
    pub fn systemic_mg(&self, route: &CompiledRoute, amount_mg: f64) -> f64 {
        let h = self.reach_circulation();
        route
            .parts(amount_mg)
            .iter()
            .map(|&(_, mg, inputs)| {
                mg * inputs
                    .iter()
                    .map(|tg| tg.fraction * h.get(tg.state).copied().unwrap_or(0.0))
                    .sum::<f64>()
            })
            .sum()
    }
}

impl ModelSpec {
    /// Evaluates the model for a typical patient of `weight_kg` (see [`Subject::typical`]).
    pub fn compile(
        &self,
        weight_kg: f64,
        ke0_per_min: f64,
        factors: &[f64],
    ) -> Result<LinearSystem> {
        self.compile_for(&Subject::typical(weight_kg), ke0_per_min, factors)
    }

    /// Evaluates the model for `subject` with effect-site rate `ke0_per_min`.
    ///
    /// Covariate effects are applied to the published values, then weight scaling. `factors`,
    /// if not empty, multiplies each parameter (same order as [`ModelSpec::params`]): this is
    /// how individual parameters of a virtual population enter.
    ///
    /// `subject.clearance_multiplier` multiplies the rate of every first-order flow that
    /// clears the administered drug: out of its central or hepatic compartment, by a clearance
    /// or rate constant (not a transit time), into the sink, a formation chain or a
    /// metabolite. Distribution and absorption are unchanged.
    pub fn compile_for(
        &self,
        subject: &Subject,
        ke0_per_min: f64,
        factors: &[f64],
    ) -> Result<LinearSystem> {
        let weight_kg = subject.weight_kg;
        if !factors.is_empty() && factors.len() != self.params.len() {
            return Err(Error::ModelDefinition {
                model: self.id.to_string(),
                problem: format!(
                    "{} parameter factors given for {} parameters",
                    factors.len(),
                    self.params.len()
                ),
            });
        }
        // value of a parameter for this subject, optionally multiplied by another parameter
        // (the reduced nasal fraction of later spray devices)
        let value_with = |symbol: &str, times: Option<(&str, &str)>| -> Result<f64> {
            let idx = self
                .params
                .iter()
                .position(|p| p.symbol == symbol)
                .ok_or_else(|| Error::ModelDefinition {
                    model: self.id.to_string(),
                    problem: format!("no parameter '{symbol}'"),
                })?;
            let p = &self.params[idx];
            let mut published = p.value;
            let mut multiplier = factors.get(idx).copied().unwrap_or(1.0);
            for c in self.covariates.iter().filter(|c| c.param == symbol) {
                match c.effect {
                    CovariateEffect::Race { race, factor } => {
                        let applies = subject.race == race
                            || (race == Race::Asian && subject.race == Race::Japanese);
                        if applies {
                            multiplier *= factor;
                        }
                    }
                    CovariateEffect::Female { factor } => {
                        if subject.female == Some(true) {
                            multiplier *= factor;
                        }
                    }
                    CovariateEffect::AgeAbove {
                        above_years,
                        per_year,
                    } => {
                        if subject.age_years > above_years {
                            published += per_year * (subject.age_years - above_years);
                        }
                    }
                }
            }
            if let Some((target, by)) = times {
                if target == symbol {
                    multiplier *= self.param(by)?.value;
                }
            }
            let scaled = Param {
                value: published,
                ..p.clone()
            };
            Ok(scaled.canonical(weight_kg) * multiplier)
        };
        let value = |symbol: &str| value_with(symbol, None);
        let nc = self.compartments.len();
        let na = self.analytes.len();
        let sink = nc;
        // states: compartments, sink, effect sites, AUCs, then "formed" for each analyte that
        // is formed from another one (a metabolite)
        let mut formed_slot: Vec<Option<usize>> = vec![None; na];
        let mut n = nc + 1 + 2 * na;
        for flow in self.flows.iter() {
            if let Flow::Transfer {
                from, to: Some(to), ..
            } = flow
            {
                let ai = self.compartments[self.compartment_index(from)?].analyte;
                let aj = self.compartments[self.compartment_index(to)?].analyte;
                if ai != aj && formed_slot[aj].is_none() {
                    formed_slot[aj] = Some(n);
                    n += 1;
                }
            }
        }
        let formed_state = |analyte: usize| formed_slot[analyte];
        let volumes: Vec<Option<f64>> = self
            .compartments
            .iter()
            .map(|c| c.volume.as_deref().map(&value).transpose())
            .collect::<Result<_>>()?;
        let volume_of = |i: usize| -> Result<f64> {
            volumes[i].ok_or_else(|| Error::ModelDefinition {
                model: self.id.to_string(),
                problem: format!("compartment '{}' needs a volume", self.compartments[i].name),
            })
        };

        // the what-if clearance multiplier: see the rustdoc above
        let (drug_analytes, _, _) = crate::pd::DrugForm::readout(self);
        let mut a = DMatrix::<f64>::zeros(n, n);
        for flow in self.flows.iter() {
            match flow {
                Flow::Transfer {
                    from,
                    to,
                    rate,
                    fraction,
                } => {
                    let i = self.compartment_index(from)?;
                    let k = match rate {
                        Rate::Clearance(p) => value(p)? / volume_of(i)?,
                        Rate::Constant(p) => value(p)?,
                        Rate::Transit { mtt, n } => f64::from(*n) / value(mtt)?,
                    };
                    let src = &self.compartments[i];
                    let clears = drug_analytes.contains(&src.analyte)
                        && matches!(src.role, Role::Central | Role::Liver)
                        && !matches!(rate, Rate::Transit { .. })
                        && match to {
                            None => true,
                            Some(dest) => {
                                let d = &self.compartments[self.compartment_index(dest)?];
                                d.analyte != src.analyte || d.role == Role::Transit
                            }
                        };
                    let k = if clears {
                        k * subject.clearance_multiplier
                    } else {
                        k
                    };
                    let f = match fraction {
                        Some(p) => value(p)?,
                        None => 1.0,
                    };
                    a[(i, i)] -= k;
                    match to {
                        Some(dest) => {
                            let j = self.compartment_index(dest)?;
                            a[(j, i)] += f * k;
                            a[(sink, i)] += (1.0 - f) * k;
                            let (ai, aj) =
                                (self.compartments[i].analyte, self.compartments[j].analyte);
                            if ai != aj {
                                if let Some(fs) = formed_state(aj) {
                                    a[(fs, i)] += f * k;
                                }
                            }
                        }
                        None => a[(sink, i)] += k,
                    }
                }
                Flow::Exchange { a: ca, b: cb, q } => {
                    let i = self.compartment_index(ca)?;
                    let j = self.compartment_index(cb)?;
                    let q = value(q)?;
                    let kij = q / volume_of(i)?;
                    let kji = q / volume_of(j)?;
                    a[(i, i)] -= kij;
                    a[(j, i)] += kij;
                    a[(j, j)] -= kji;
                    a[(i, j)] += kji;
                }
            }
        }

        let mut analytes = Vec::with_capacity(na);
        let mut kinds: Vec<StateKind> = Vec::with_capacity(n);
        kinds.extend((0..nc).map(StateKind::Amount));
        kinds.push(StateKind::Eliminated);
        let mut names: Vec<crate::model::Text> = Vec::with_capacity(n);
        names.extend(self.compartments.iter().map(|c| c.name.clone()));
        names.push("eliminated".into());
        for (ai, an) in self.analytes.iter().enumerate() {
            let c = self.compartment_index(&an.central)?;
            let v = volume_of(c)?;
            let effect = nc + 1 + ai;
            let auc = nc + 1 + na + ai;
            // dCe/dt = ke0·(x_c/V − Ce)
            a[(effect, c)] += ke0_per_min / v;
            a[(effect, effect)] -= ke0_per_min;
            // dAUC/dt = x_c/V
            a[(auc, c)] += 1.0 / v;
            analytes.push(CompiledAnalyte {
                central: c,
                volume_l: v,
                mw_g_per_mol: an.mw_g_per_mol,
                effect,
                auc,
                ligand: an.ligand.clone(),
                formed: formed_state(ai),
            });
        }
        for an in self.analytes.iter() {
            kinds.push(StateKind::EffectSite(kinds.len() - nc - 1));
            names.push(format!("{} effect site", an.id).into());
        }
        for (ai, an) in self.analytes.iter().enumerate() {
            kinds.push(StateKind::Auc(ai));
            names.push(format!("{} AUC", an.id).into());
        }
        let mut formed: Vec<(usize, usize)> = formed_slot
            .iter()
            .enumerate()
            .filter_map(|(ai, s)| s.map(|s| (s, ai)))
            .collect();
        formed.sort_unstable();
        for (_, ai) in formed {
            kinds.push(StateKind::Formed(ai));
            names.push(format!("{} formed", self.analytes[ai].id).into());
        }

        let mut routes = Vec::with_capacity(self.routes.len());
        for r in self.routes.iter() {
            let targets = |times: Option<(&str, &str)>| -> Result<Vec<InputTarget>> {
                r.inputs
                    .iter()
                    .map(|inp| {
                        let mut fraction = 1.0;
                        for f in inp.fraction.iter() {
                            fraction *= match f {
                                Factor::Param(p) => value_with(p, times)?,
                                Factor::OneMinus(p) => 1.0 - value_with(p, times)?,
                            };
                        }
                        Ok(InputTarget {
                            state: self.compartment_index(&inp.compartment)?,
                            fraction,
                            duration_min: inp.duration.as_deref().map(&value).transpose()?,
                        })
                    })
                    .collect()
            };
            routes.push(CompiledRoute {
                route: r.route,
                inputs: targets(None)?,
                later_inputs: match r.device.as_ref().and_then(|d| d.later_devices.as_ref()) {
                    Some((a, b)) => Some(targets(Some((a, b)))?),
                    None => None,
                },
                device: r
                    .device
                    .as_ref()
                    .map(|d| (d.mg_per_device, d.interval_min, d.max_devices)),
            });
        }

        if a.iter().any(|x| !x.is_finite()) {
            return Err(Error::Numerical {
                quantity: format!("a rate constant of model '{}'", self.id),
                context: format!("weight {weight_kg} kg"),
                remedy: "use a weight within the model's population, or another model".into(),
            });
        }
        let mut entries = Vec::with_capacity(a.iter().filter(|&&v| v != 0.0).count());
        for j in 0..n {
            for i in 0..n {
                let v = a[(i, j)];
                if v != 0.0 {
                    entries.push((i, j, v));
                }
            }
        }
        Ok(LinearSystem {
            n,
            n_compartments: nc,
            sink,
            a,
            entries,
            analytes,
            routes,
            parent_mw_g_per_mol: self.analytes[0].mw_g_per_mol,
            ke0_per_min,
            kinds,
            names,
            drug_analytes,
        })
    }
}
