//! The hydraulic picture of a run: how much drug is in each compartment and how fast it flows
//! along each arrow of the model's diagram, at the output times of the same simulation the
//! charts show. The page animates it; it computes nothing itself.
//!
//! Every flow of a linear compartment model is first order, so its flux is its rate constant
//! times the amount in its source: `flux(j → i) = A[i, j] · x_j` (mg/min) with the compiled
//! system matrix `A` of this patient (covariates, weight scaling and the what-if clearance
//! multiplier applied). Elimination out of `j` is `A[sink, j] · x_j`. A two-way exchange is two
//! arrows, one per direction. Doses enter as the plan's zero-order rates (infusions, TCI pumps,
//! modelled zero-order absorption) and as instantaneous boluses.
//!
//! ```
//! use ketasim::{diagram::DiagramTrace, Scenario};
//! let sc = Scenario::from_json(r#"{"patient": {"weight_kg": 70},
//!     "regimen": [{"kind": "infusion", "dose_mg_per_kg": 0.5, "duration_min": 40}],
//!     "horizon_min": 120, "output_step_min": 1}"#)?;
//! let d = DiagramTrace::of(&sc, 1000)?;
//! let central = d.nodes.iter().position(|n| n.id == "central").unwrap();
//! let k = d.t_min.iter().position(|&t| t == 20.0).unwrap();
//! // mass balance at t = 20 min: what enters the central compartment minus what leaves it
//! let into: f64 = d.edges.iter().filter(|e| e.to.as_deref() == Some("central")).map(|e| e.flux_mg_per_min[k]).sum();
//! let out: f64 = d.edges.iter().filter(|e| e.from == "central").map(|e| e.flux_mg_per_min[k]).sum();
//! let infusion = d.inputs[0].rate_mg_per_min[k];
//! assert!((infusion - 35.0 / 40.0).abs() < 1e-12);
//! assert!(d.nodes[central].amount_mg[k] > 0.0 && out > into);
//! # Ok::<(), ketasim::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::model::{Flow, Rate, Role, StateKind};
use crate::scenario::Scenario;
use crate::simulate::simulate_prepared;
use serde::Serialize;
use ts_rs::TS;

/// Most output times a trace may carry (the page asks for a few thousand frames).
pub const MAX_DIAGRAM_POINTS: usize = 20_000;

/// A compartment of the diagram.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DiagramNode {
    /// The model's compartment name (unique), e.g. `central`.
    pub id: String,
    /// Analyte id.
    pub analyte: String,
    /// Analyte display name.
    pub analyte_name: String,
    /// Role of the compartment.
    pub role: Role,
    /// Amount at each output time, mg parent-drug equivalents.
    pub amount_mg: Vec<f64>,
}

/// One arrow: a first-order flow out of `from`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DiagramEdge {
    /// Source compartment.
    pub from: String,
    /// Destination compartment, or `None` for elimination out of the body.
    pub to: Option<String>,
    /// The model's symbol(s) for the flow, e.g. `Q2`, `CL`, `k12`, `6/MTT`.
    pub label: String,
    /// Rate constant of this patient, 1/min (`A[to, from]`, or the elimination rate).
    pub rate_per_min: f64,
    /// Flux at each output time, mg parent-equivalents/min.
    pub flux_mg_per_min: Vec<f64>,
}

/// A compartment that receives zero-order input (an infusion, a TCI pump).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DiagramInput {
    /// The receiving compartment.
    pub to: String,
    /// Input rate at each output time (the rate from that time on), mg/min.
    pub rate_mg_per_min: Vec<f64>,
}

/// An instantaneous dose.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DiagramBolus {
    /// Time, min.
    pub t_min: f64,
    /// The receiving compartment.
    pub to: String,
    /// Amount that enters (after bioavailability), mg.
    pub amount_mg: f64,
}

/// The effect site of an analyte: a compartment without mass, linked to the central one.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DiagramEffectSite {
    /// Analyte id.
    pub analyte: String,
    /// Its central compartment.
    pub central: String,
    /// Equilibration rate constant, 1/min.
    pub ke0_per_min: f64,
    /// Effect-site concentration at each output time, ng/mL.
    pub ce_ng_per_ml: Vec<f64>,
    /// Central (plasma) concentration at each output time, ng/mL.
    pub cp_ng_per_ml: Vec<f64>,
}

/// Amounts and flows over time, for an animated compartment diagram.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DiagramTrace {
    /// Model id.
    pub model_id: String,
    /// Output times: the simulation's grid, every `stride`-th point, and the last one, min.
    pub t_min: Vec<f64>,
    /// Every `stride`-th point of the simulation's grid is kept.
    pub stride: usize,
    /// Compartments, in the model's order.
    pub nodes: Vec<DiagramNode>,
    /// Flows with a non-zero rate.
    pub edges: Vec<DiagramEdge>,
    /// Zero-order inputs.
    pub inputs: Vec<DiagramInput>,
    /// Instantaneous doses within the horizon.
    pub boluses: Vec<DiagramBolus>,
    /// Effect sites.
    pub effect_sites: Vec<DiagramEffectSite>,
    /// Cumulative amount eliminated, mg parent-equivalents.
    pub eliminated_mg: Vec<f64>,
}

fn rate_label(r: &Rate) -> String {
    match r {
        Rate::Clearance(s) | Rate::Constant(s) => s.to_string(),
        Rate::Transit { mtt, n } => format!("{n}/{mtt}"),
    }
}

impl DiagramTrace {
    /// Simulates `scenario` and returns at most `max_points` of its output times (2 to
    /// [`MAX_DIAGRAM_POINTS`]) with the amounts and fluxes there.
    pub fn of(scenario: &Scenario, max_points: usize) -> Result<Self> {
        if !(2..=MAX_DIAGRAM_POINTS).contains(&max_points) {
            return Err(Error::out_of_range(
                "max_points",
                max_points as f64,
                2.0,
                MAX_DIAGRAM_POINTS as f64,
                "points",
            ));
        }
        let run = scenario.prepare()?;
        let sys = run.compile(&run.subject, &[])?;
        let r = simulate_prepared(&run, &sys)?;
        let plan =
            crate::dosing::InputPlan::for_weight(scenario, &sys, run.subject.weight_kg, &run.pumps);
        let model = run.model;
        let n = r.t_min.len();
        let stride = n.div_ceil(max_points - 1).max(1);
        let mut keep: Vec<usize> = (0..n).step_by(stride).collect();
        if keep.last() != Some(&(n - 1)) {
            keep.push(n - 1);
        }
        let pick = |v: &[f64]| keep.iter().map(|&k| v[k]).collect::<Vec<f64>>();
        let t_min = pick(&r.t_min);
        let comp_name = |state: usize| match sys.kinds.get(state) {
            Some(StateKind::Amount(ci)) => model.compartments.get(*ci).map(|c| &*c.name),
            _ => None,
        };

        let nodes: Vec<DiagramNode> = model
            .compartments
            .iter()
            .zip(&r.compartments)
            .map(|(c, s)| DiagramNode {
                id: c.name.to_string(),
                analyte: model.analytes[c.analyte].id.to_string(),
                analyte_name: model.analytes[c.analyte].name.to_string(),
                role: c.role,
                amount_mg: pick(&s.amount_mg),
            })
            .collect();

        // the model's symbol for the flow j → i (or j → out of the body)
        let label_of = |from: &str, to: Option<&str>| -> String {
            let mut names: Vec<String> = Vec::new();
            for f in model.flows.iter() {
                match f {
                    Flow::Transfer {
                        from: a,
                        to: b,
                        rate,
                        fraction,
                    } if a == from => {
                        let l = rate_label(rate);
                        let b = b.as_deref();
                        let arrives = b.is_some() && b == to;
                        // a fraction below 1 sends the rest out of the body
                        let leaves = to.is_none() && (b.is_none() || fraction.is_some());
                        if arrives {
                            names.push(match fraction {
                                Some(fr) => format!("{l}·{fr}"),
                                None => l,
                            });
                        } else if leaves {
                            names.push(match (b, fraction) {
                                (Some(_), Some(fr)) => format!("{l}·(1−{fr})"),
                                _ => l,
                            });
                        }
                    }
                    Flow::Exchange { a, b, q }
                        if (a == from && to == Some(&**b)) || (b == from && to == Some(&**a)) =>
                    {
                        names.push(q.to_string());
                    }
                    _ => {}
                }
            }
            names.join(" + ")
        };

        let mut edges = Vec::new();
        for (j, src) in model.compartments.iter().enumerate() {
            let x = &r.compartments[j].amount_mg;
            let mut push = |to: Option<&str>, k: f64| {
                if k != 0.0 {
                    edges.push(DiagramEdge {
                        from: src.name.to_string(),
                        to: to.map(Into::into),
                        label: label_of(&src.name, to),
                        rate_per_min: k,
                        flux_mg_per_min: keep.iter().map(|&t| k * x[t]).collect(),
                    });
                }
            };
            for i in 0..model.compartments.len() {
                if i != j {
                    push(comp_name(i), sys.a[(i, j)]);
                }
            }
            push(None, sys.a[(sys.sink, j)]);
        }

        let mut inputs: Vec<DiagramInput> = Vec::new();
        for ri in &plan.rates {
            let Some(to) = comp_name(ri.state) else {
                continue;
            };
            let at = match inputs.iter().position(|i| i.to == to) {
                Some(p) => p,
                None => {
                    inputs.push(DiagramInput {
                        to: to.into(),
                        rate_mg_per_min: vec![0.0; t_min.len()],
                    });
                    inputs.len() - 1
                }
            };
            for (v, &t) in inputs[at].rate_mg_per_min.iter_mut().zip(&t_min) {
                if t >= ri.t_start_min && t < ri.t_end_min {
                    *v += ri.rate_mg_per_min;
                }
            }
        }
        let boluses = plan
            .boluses
            .iter()
            .filter(|b| b.t_min <= scenario.horizon_min)
            .filter_map(|b| {
                comp_name(b.state).map(|to| DiagramBolus {
                    t_min: b.t_min,
                    to: to.into(),
                    amount_mg: b.amount_mg,
                })
            })
            .collect();
        let effect_sites = sys
            .analytes
            .iter()
            .zip(&r.analytes)
            .filter_map(|(a, s)| {
                Some(DiagramEffectSite {
                    analyte: s.id.clone(),
                    central: comp_name(a.central)?.into(),
                    ke0_per_min: sys.ke0_per_min,
                    ce_ng_per_ml: pick(&s.ce_ng_per_ml),
                    cp_ng_per_ml: pick(&s.cp_ng_per_ml),
                })
            })
            .collect();
        Ok(DiagramTrace {
            model_id: r.model_id.clone(),
            eliminated_mg: pick(&r.eliminated_mg),
            t_min,
            stride,
            nodes,
            edges,
            inputs,
            boluses,
            effect_sites,
        })
    }
}
