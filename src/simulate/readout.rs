//! The one conversion from integrated amounts to what is shown: plasma and effect-site
//! concentrations (µM and ng/mL), the unbound effect-site concentration and the receptor
//! occupancy. The full simulation and the population's per-subject path both read their
//! output through [`Readout::point`], so they give the same bits.

use crate::model::LinearSystem;
use crate::pd::{self, ResolvedPd};

/// One analyte at one output point.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AnalytePoint {
    /// Plasma (central) concentration, µM.
    pub cp_um: f64,
    /// Plasma (central) concentration, ng/mL.
    pub cp_ng_per_ml: f64,
    /// Effect-site concentration, µM.
    pub ce_um: f64,
    /// Effect-site concentration, ng/mL.
    pub ce_ng_per_ml: f64,
    /// Unbound effect-site concentration (fu · Ce), µM.
    pub ce_unbound_um: f64,
}

#[derive(Debug, Clone, Copy)]
struct AnalyteReadout {
    /// Stored column of the central amount (`None`: never reached, identically zero).
    central: Option<usize>,
    /// Stored column of the effect-site state.
    effect: Option<usize>,
    /// µM per mg in the central compartment.
    amount_to_um: f64,
    /// Molecular weight, g/mol (ng/mL per µM).
    mw_g_per_mol: f64,
    /// Unbound fraction.
    fu: f64,
    /// Brain penetration relative to the parent ([`crate::pd::Ligand::brain_penetration`]).
    brain_penetration: f64,
    /// Ki, µM.
    ki_um: f64,
}

/// Conversion constants and stored columns for one compiled system and trajectory layout.
#[derive(Debug, Clone)]
pub struct Readout {
    /// µM per (mg parent-equivalents per L) of the effect site.
    to_um: f64,
    analytes: Vec<AnalyteReadout>,
    /// Kinetic binding: the stored columns of the bound fractions; `None` at equilibrium.
    bound: Option<Vec<Option<usize>>>,
}

impl Readout {
    /// The readout of `sys` for a trajectory whose state `s` is stored in column
    /// `columns[s]` (see [`crate::solver::Trajectory::columns`]).
    pub fn new(pd: &ResolvedPd, sys: &LinearSystem, columns: &[Option<usize>]) -> Self {
        let to_um = sys.mg_eq_per_l_to_um();
        let col = |state: usize| columns.get(state).copied().flatten();
        let analytes = sys
            .analytes
            .iter()
            .enumerate()
            .map(|(ai, a)| {
                let (fu, ki_um) = pd.fu_ki(ai);
                let brain_penetration = pd.brain_penetration(ai);
                AnalyteReadout {
                    central: col(a.central),
                    effect: col(a.effect),
                    amount_to_um: to_um / a.volume_l,
                    mw_g_per_mol: a.mw_g_per_mol,
                    fu,
                    brain_penetration,
                    ki_um,
                }
            })
            .collect();
        let bound = pd
            .is_kinetic()
            .then(|| (0..sys.analytes.len()).map(|b| col(sys.n + b)).collect());
        Readout {
            to_um,
            analytes,
            bound,
        }
    }

    /// Converts the stored state `x` of one output point: each analyte into `out` (one entry
    /// per analyte); returns the occupancy (fraction, model-derived).
    #[inline(always)]
    pub fn point(&self, x: &[f64], out: &mut [AnalytePoint]) -> f64 {
        for (a, o) in self.analytes.iter().zip(out.iter_mut()) {
            *o = a.convert(x, self.to_um);
        }
        match &self.bound {
            Some(cols) => bound_total(cols.iter().map(|&c| get(x, c))),
            None => pd::occupancy_equilibrium(
                self.analytes
                    .iter()
                    .zip(out.iter())
                    .map(|(a, o)| AnalyteReadout::ratio(a, o)),
            ),
        }
    }

    /// The readout of a system with one analyte, in a few registers (`None` with several):
    /// for the population's per-subject loop, where [`Readout::point`]'s loops over analytes
    /// and its per-point stores cost a fifth of a subject in WebAssembly.
    pub fn one(&self) -> Option<OneReadout> {
        match (self.analytes.as_slice(), self.bound.as_deref()) {
            ([a], None) => Some(OneReadout {
                a: *a,
                to_um: self.to_um,
                bound: None,
            }),
            ([a], Some(&[b])) => Some(OneReadout {
                a: *a,
                to_um: self.to_um,
                bound: Some(b),
            }),
            _ => None,
        }
    }

    /// Each analyte's part of the occupancy at the stored state `x` (fractions summing to
    /// [`Readout::point`]'s occupancy): at equilibrium `rᵢ / (1 + Σr)` with
    /// `rᵢ = Cu,i × brain penetration / Ki`; with kinetic binding the bound fraction `Bᵢ`.
    pub fn occupancy_parts(&self, x: &[f64]) -> Vec<f64> {
        let mut out = vec![AnalytePoint::default(); self.analytes.len()];
        self.point(x, &mut out);
        match &self.bound {
            Some(cols) => cols.iter().map(|&c| c.map_or(0.0, |c| x[c])).collect(),
            None => {
                let r: Vec<f64> = self
                    .analytes
                    .iter()
                    .zip(&out)
                    .map(|(a, o)| crate::solver::larger(AnalyteReadout::ratio(a, o), 0.0))
                    .collect();
                let s: f64 = r.iter().sum();
                r.iter().map(|ri| ri / (1.0 + s)).collect()
            }
        }
    }
}

/// A quantity that is a linear function `Σ cᵢ·x[colᵢ]` of the stored state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linear<'a> {
    /// Plasma concentration of these analytes together, ng/mL.
    PlasmaNgPerMl(&'a [usize]),
    /// Effect-site concentration of these analytes together, ng/mL.
    EffectNgPerMl(&'a [usize]),
    /// At equilibrium binding, `Σ rᵢ` with `rᵢ = Cu,i × brain penetration / Ki` over every
    /// analyte: occupancy is `Σr / (1 + Σr)`, so a ratio sum of `θ / (1 − θ)` is an
    /// occupancy of `θ`.
    OccupancyRatio,
    /// The same sum with each analyte's plasma concentration in place of its effect-site
    /// one (what the effect sites approach when the plasma is held).
    OccupancyRatioPlasma,
}

impl Readout {
    /// The coefficients `(column, c)` of a linear readout (the same constants as
    /// [`Readout::point`], so `Σ c·x[col]` equals what `point` reports).
    pub fn linear(&self, of: Linear) -> Vec<(usize, f64)> {
        let mut out = Vec::new();
        match of {
            Linear::PlasmaNgPerMl(ids) | Linear::EffectNgPerMl(ids) => {
                for &i in ids {
                    let Some(a) = self.analytes.get(i) else {
                        continue;
                    };
                    let (col, per) = match of {
                        Linear::PlasmaNgPerMl(_) => (a.central, a.amount_to_um),
                        _ => (a.effect, self.to_um),
                    };
                    if let Some(c) = col {
                        out.push((c, per * a.mw_g_per_mol));
                    }
                }
            }
            Linear::OccupancyRatio => {
                for a in &self.analytes {
                    if let Some(c) = a.effect {
                        out.push((c, self.to_um * a.fu * a.brain_penetration / a.ki_um));
                    }
                }
            }
            Linear::OccupancyRatioPlasma => {
                for a in &self.analytes {
                    if let Some(c) = a.central {
                        out.push((c, a.amount_to_um * a.fu * a.brain_penetration / a.ki_um));
                    }
                }
            }
        }
        out
    }
}

/// [`Readout::point`] for one analyte (see [`Readout::one`]): the same functions on the same
/// numbers, so the same bits.
#[derive(Debug, Clone, Copy)]
pub struct OneReadout {
    a: AnalyteReadout,
    to_um: f64,
    /// Kinetic binding: the stored column of the bound fraction (`Some(None)`: not stored).
    bound: Option<Option<usize>>,
}

impl OneReadout {
    /// The analyte at the stored state `x`, and the occupancy (fraction, model-derived).
    #[inline(always)]
    pub fn point(&self, x: &[f64]) -> (AnalytePoint, f64) {
        let o = self.a.convert(x, self.to_um);
        let occ = match self.bound {
            Some(c) => bound_total(std::iter::once(get(x, c))),
            None => pd::occupancy_equilibrium(std::iter::once(AnalyteReadout::ratio(&self.a, &o))),
        };
        (o, occ)
    }
}

/// State column `c` of `x` (0 for a state that is not stored: never reached).
#[inline(always)]
fn get(x: &[f64], c: Option<usize>) -> f64 {
    c.map_or(0.0, |c| x[c])
}

/// The occupancy with kinetic binding: the bound fractions' sum, within [0, 1].
#[inline(always)]
fn bound_total(b: impl Iterator<Item = f64>) -> f64 {
    b.sum::<f64>().clamp(0.0, 1.0)
}

impl AnalyteReadout {
    /// The analyte's concentrations at the stored state `x`.
    #[inline(always)]
    fn convert(&self, x: &[f64], to_um: f64) -> AnalytePoint {
        let cp_um = get(x, self.central) * self.amount_to_um;
        let ce_um = get(x, self.effect) * to_um;
        AnalytePoint {
            cp_um,
            cp_ng_per_ml: cp_um * self.mw_g_per_mol,
            ce_um,
            ce_ng_per_ml: ce_um * self.mw_g_per_mol,
            ce_unbound_um: ce_um * self.fu,
        }
    }

    /// `Cu × brain penetration / Ki` (bit-identical to `Cu / Ki` for the parent, whose
    /// penetration is 1).
    #[inline]
    fn ratio(a: &AnalyteReadout, o: &AnalytePoint) -> f64 {
        o.ce_unbound_um * a.brain_penetration / a.ki_um
    }
}
