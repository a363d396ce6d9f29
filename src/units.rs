//! Physical constants and unit conversions (reference data file, section 6).

/// Ketamine / esketamine base, C13H16ClNO, g/mol.
pub const MW_KETAMINE: f64 = 237.73;
/// Esketamine (or ketamine) hydrochloride, g/mol.
pub const MW_KETAMINE_HCL: f64 = 274.2;
/// Norketamine, g/mol.
pub const MW_NORKETAMINE: f64 = 223.70;
/// Hydroxynorketamine, g/mol.
pub const MW_HYDROXYNORKETAMINE: f64 = 239.70;

/// Mass of base in 1 mg of the hydrochloride salt (≈ 0.867).
///
/// ```
/// // one Spravato device: 32.3 mg HCl = 28 mg base
/// let base = 32.3 * ketasim::units::HCL_TO_BASE;
/// assert!((base - 28.0).abs() < 0.05);
/// ```
pub const HCL_TO_BASE: f64 = MW_KETAMINE / MW_KETAMINE_HCL;

/// ng/mL of a substance with molecular weight `mw_g_per_mol` → µM.
///
/// ```
/// let um = ketasim::units::ng_per_ml_to_um(100.0, ketasim::units::MW_KETAMINE);
/// assert!((um - 0.421).abs() < 1e-3);
/// ```
pub fn ng_per_ml_to_um(c_ng_per_ml: f64, mw_g_per_mol: f64) -> f64 {
    c_ng_per_ml / mw_g_per_mol
}

/// µM → ng/mL for a substance with molecular weight `mw_g_per_mol`.
pub fn um_to_ng_per_ml(c_um: f64, mw_g_per_mol: f64) -> f64 {
    c_um * mw_g_per_mol
}
