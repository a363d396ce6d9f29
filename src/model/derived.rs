//! Derived quantities of a model (Vss, clearance, half-lives), computed generically from the
//! compiled system rather than from per-model formulas.

use super::{ModelSpec, Role};
use crate::error::{Error, Result};
use nalgebra::DMatrix;
use serde::Serialize;
use ts_rs::TS;

/// Derived disposition quantities of the administered drug for one body weight.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Derived {
    /// Body weight they apply to, kg.
    pub weight_kg: f64,
    /// Central volume, L.
    pub v1_l: f64,
    /// Volume of distribution at steady state (central + peripheral), L.
    pub vss_l: f64,
    /// Total clearance from the central compartment (all routes of loss), L/min.
    pub cl_l_per_min: f64,
    /// Disposition half-lives, ascending, min.
    pub half_lives_min: Vec<f64>,
}

impl ModelSpec {
    /// Vss, CL and half-lives of the parent drug at `weight_kg`.
    ///
    /// Computed from the system matrix: a unit-rate infusion into the central compartment is
    /// solved for steady state (`A·x = −e_c`), so Vss = Σx / C_ss and CL = 1 / C_ss; the
    /// half-lives are ln 2 / |λ| for the eigenvalues λ of the disposition sub-matrix.
    ///
    /// ```
    /// let kamp = ketasim::models::get("kamp2020")?;
    /// let d = kamp.derived(70.0)?;
    /// assert!((d.vss_l - 238.0).abs() < 1e-9);
    /// # Ok::<(), ketasim::Error>(())
    /// ```
    pub fn derived(&self, weight_kg: f64) -> Result<Derived> {
        let sys = self.compile(weight_kg, 0.0, &[])?;
        let sub: Vec<usize> = self
            .compartments
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.analyte == 0 && matches!(c.role, Role::Central | Role::Peripheral | Role::Liver)
            })
            .map(|(i, _)| i)
            .collect();
        let m = sub.len();
        let ad = DMatrix::from_fn(m, m, |r, c| sys.a[(sub[r], sub[c])]);
        let central = sys.analytes[0].central;
        let ci = sub
            .iter()
            .position(|&s| s == central)
            .ok_or_else(|| Error::ModelDefinition {
                model: self.id.to_string(),
                problem: "the central compartment is not part of the disposition".into(),
            })?;
        let mut rhs = nalgebra::DVector::zeros(m);
        rhs[ci] = -1.0;
        let x = ad
            .clone()
            .lu()
            .solve(&rhs)
            .ok_or_else(|| Error::ModelDefinition {
                model: self.id.to_string(),
                problem: "singular disposition matrix (no steady state)".into(),
            })?;
        let v1 = sys.analytes[0].volume_l;
        let css = x[ci] / v1;
        let distributed: f64 = sub
            .iter()
            .zip(x.iter())
            .filter(|(&s, _)| self.compartments[s].role != Role::Liver)
            .map(|(_, v)| v)
            .sum();
        let eig = ad.complex_eigenvalues();
        let mut half_lives: Vec<f64> = eig
            .iter()
            .map(|l| std::f64::consts::LN_2 / l.re.abs())
            .collect();
        half_lives.sort_unstable_by(f64::total_cmp);
        Ok(Derived {
            weight_kg,
            v1_l: v1,
            vss_l: distributed / css,
            cl_l_per_min: 1.0 / css,
            half_lives_min: half_lives,
        })
    }
}
