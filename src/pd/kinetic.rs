//! Kinetic receptor binding: the right-hand side of the bound-fraction states,
//! `dB_i/dt = kon_i·Cu_i·(1 − ΣB) − koff_i·B_i`. The solver only calls it.

use super::{Binding, ResolvedPd};
use crate::error::Result;
use crate::model::LinearSystem;

/// Kinetic receptor binding: one bound-fraction state per ligand.
#[derive(Debug, Clone)]
pub struct BindingRhs {
    /// Index of the first bound-fraction state.
    pub first_state: usize,
    /// Per ligand: (effect-site state, factor from state units to unbound brain-available µM
    /// (fu × brain penetration), kon per µM per min, koff per min).
    pub ligands: Vec<(usize, f64, f64, f64)>,
}

impl BindingRhs {
    /// The binding states of `pd` for the integrated linear states `active` of `sys` (in that
    /// numbering; the bound fractions follow them, one per analyte). `None` at equilibrium.
    pub fn new(pd: &ResolvedPd, sys: &LinearSystem, active: &[usize]) -> Result<Option<Self>> {
        let Binding::Kinetic { half_time_min } = pd.binding else {
            return Ok(None);
        };
        let koff_parent = std::f64::consts::LN_2 / half_time_min;
        let to_um = sys.mg_eq_per_l_to_um();
        let mut ligands = Vec::with_capacity(sys.analytes.len());
        for (ai, an) in sys.analytes.iter().enumerate() {
            let l = pd.ligand(ai)?;
            // an analyte the inputs never reach has no effect-site state: Cu = 0
            let (effect, to_cu) = match active.iter().position(|&s| s == an.effect) {
                Some(r) => (r, l.fu * to_um * l.brain_penetration),
                None => (0, 0.0),
            };
            let koff = koff_parent * l.koff_factor;
            ligands.push((effect, to_cu, koff / l.ki_um(pd.ki_set), koff));
        }
        Ok(Some(BindingRhs {
            first_state: active.len(),
            ligands,
        }))
    }

    /// Number of bound-fraction states.
    pub fn n_states(&self) -> usize {
        self.ligands.len()
    }

    /// Writes the derivatives of the bound fractions into `dy` for the state `y`.
    #[inline]
    pub fn derivatives(&self, y: &[f64], dy: &mut [f64]) {
        let nb = self.ligands.len();
        let bound: f64 = (0..nb).map(|l| y[self.first_state + l]).sum();
        let free = 1.0 - bound;
        for (l, &(eff, to_um, kon, koff)) in self.ligands.iter().enumerate() {
            let s = self.first_state + l;
            dy[s] = kon * to_um * y[eff] * free - koff * y[s];
        }
    }
}
