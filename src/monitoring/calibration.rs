//! The concentration-driven vitals link: a saturating (Emax) function of the S-ketamine
//! effect-site concentration, calibrated to cited anchors. **Illustrative**: no published,
//! parameterised PK/PD model of ketamine on blood pressure or heart rate could be read
//! (Sigtermans 2009 and Kamp 2021 model cardiac output; their tables were not available).
//!
//! # The link
//!
//! For each vital sign X (systolic and diastolic pressure, heart rate):
//!
//! ```text
//! ΔX(C) = Emax_X · C / (EC50_X + C)        C = S-ketamine effect-site concentration, ng/mL
//! ```
//!
//! (hyperbolic, Hill coefficient 1: \[ASSUMPTION\]). It saturates: however high C goes, ΔX
//! stays below Emax_X. A linear link calibrated at the 0.5 mg/kg infusion would give more
//! than +100 mmHg at anaesthetic concentrations, where the measured rises are only 15–30 %
//! (Idvall 1979) or up to 27 % (Långsjö 2005).
//!
//! # Why S-ketamine
//!
//! Kamp 2021 found S-ketamine raising cardiac output and no effect of R-ketamine \[READ\];
//! the anaesthetic anchor (Långsjö 2005) is S-ketamine. So C is the model's S-ketamine
//! effect site, or half the racemate's where a model carries racemic ketamine as one analyte
//! (S:R 50:50 \[ASSUMPTION\]; the R enantiomer is cleared more slowly, so later S is a little
//! less than half). S-norketamine lowers cardiac output (Kamp 2021) but its parameters were
//! not read: it is left out, which may overstate the late rise.
//!
//! # Calibration (derivation)
//!
//! 1. **Emax from the anaesthetic maxima.** Långsjö 2005 saw MAP rise by up to **27.0 %** and
//!    heart rate by up to **43.5 %** \[READ\] at 159–1959 ng/mL S-ketamine. These are taken as
//!    the saturating maxima, in absolute units at the reference baseline (120/80 mmHg, 70
//!    beats/min \[ASSUMPTION\]), the same percentage for systolic and diastolic pressure
//!    \[ASSUMPTION\]: `Emax_SBP = 0.270 × 120 = 32.4 mmHg`, `Emax_DBP = 0.270 × 80 = 21.6
//!    mmHg`, `Emax_HR = 0.435 × 70 = 30.45 beats/min` \[DERIVED\].
//! 2. **The anchor concentration.** The standard infusion (0.5 mg/kg over 40 min, 70 kg,
//!    Kamp 2020, subjective ke0) is simulated; `C_anchor` is half its racemic effect-site peak
//!    \[DERIVED\] ([`anchor`]).
//! 3. **EC50 from the infusion mean.** At the anchor the link must give the pooled mean peak
//!    rise of Vankawala 2021 (ΔSBP +12.61, ΔDBP +8.49 mmHg, ΔHR +4.09 beats/min \[READ\]):
//!    `Emax·C/(EC50 + C) = Δ` ⇒ **`EC50 = C_anchor · (Emax/Δ − 1)`** \[DERIVED\].
//! 4. **The band.** The same formula with the lowest and highest cohort means (Riva-Posse
//!    2018 and Yale 2024 for blood pressure; the meta-analysis 95 % CI for heart rate) gives
//!    the EC50 of the band's edges.
//!
//! Independent check (not used above): Idvall 1979 saw 15–30 % rises in arterial pressure
//! and heart rate at a steady 9.3 µmol/L (≈ 2211 ng/mL racemic, ≈ 1105 ng/mL S)
//! ([`Calibration::checks`]).
//!
//! The vitals curve is the typical patient's only: no between-patient variability of the
//! link is published.

use super::sources::{rounded, Cited, KETASIM};
use super::{Baseline, VitalSign};
use crate::error::{Error, Result};
use crate::model::Provenance;
use crate::scenario::Scenario;
use serde::Serialize;
use std::sync::OnceLock;
use ts_rs::TS;

/// Share of S-ketamine in racemic ketamine's effect-site concentration \[ASSUMPTION\]: 50:50
/// (the split of the dose; the split of concentrations is UNVERIFIED).
pub const S_FRACTION_OF_RACEMATE: f64 = 0.5;

/// Långsjö 2005: MAP rose by up to 27.0 % \[READ\].
pub const MAP_MAX_RISE_PERCENT: f64 = 27.0;
/// Långsjö 2005: heart rate rose by up to 43.5 % \[READ\].
pub const HR_MAX_RISE_PERCENT: f64 = 43.5;

/// Idvall 1979: steady plasma concentration 9.3 µmol/L racemic \[READ\].
pub const IDVALL_STEADY_UMOL_PER_L: f64 = 9.3;
/// Idvall 1979: "transient increases (15–30 % of pre-anaesthetic values) in arterial
/// pressure, heart rate and cardiac output" \[READ\].
pub const IDVALL_RISE_PERCENT: (f64, f64) = (15.0, 30.0);

/// The anchor regimen, as a scenario: 0.5 mg/kg over 40 min in a 70-kg, 40-year-old adult,
/// Kamp 2020, subjective ke0, equilibrium binding, on a 0.1-min grid to 90 min. Built from
/// the standard preset's shape with every field that matters set here (no JSON parser in the
/// browser's module for it).
///
/// ```
/// let sc = ketasim::monitoring::calibration::anchor_scenario()?;
/// assert_eq!(sc.model, "kamp2020");
/// assert_eq!(sc.regimen[0].dose_mg_per_kg, Some(0.5));
/// assert_eq!(sc.regimen[0].duration_min, Some(40.0));
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn anchor_scenario() -> Result<Scenario> {
    use crate::model::{Race, Route};
    use crate::scenario::{DoseKind, PdOptions, Salt, Schedule, Sex, SolverOptions};
    let mut sc = crate::presets::get("antidepressant_40min")?.scenario;
    sc.name = Some("vitals calibration anchor: 0.5 mg/kg over 40 min".into());
    sc.patient.weight_kg = 70.0;
    sc.patient.age_years = 40.0;
    sc.patient.sex = Sex::Unspecified;
    sc.patient.race = Race::Unspecified;
    sc.model = "kamp2020".into();
    sc.regimen.truncate(1);
    let it = sc
        .regimen
        .first_mut()
        .ok_or_else(|| Error::ModelDefinition {
            model: "kamp2020".into(),
            problem: "the standard preset has no dose item for the vitals anchor".into(),
        })?;
    it.route = Route::Iv;
    it.kind = DoseKind::Infusion;
    it.dose_mg = None;
    it.dose_mg_per_kg = Some(0.5);
    it.devices = None;
    it.rate_mg_per_h = None;
    it.rate_mg_per_kg_per_h = None;
    it.duration_min = Some(40.0);
    it.salt = Salt::Base;
    it.schedule = Schedule::AtMin(vec![0.0]);
    sc.horizon_min = 90.0;
    sc.output_step_min = 0.1;
    sc.pd = PdOptions::default();
    sc.solver = SolverOptions::default();
    sc.population = None;
    sc.vitals = None;
    Ok(sc)
}

/// The infusion means and the band's edges, per sign: `(mean, low, high)` with their sources.
pub(crate) fn infusion_anchors(sign: VitalSign) -> [Cited; 3] {
    use Provenance::Read;
    match sign {
        VitalSign::Sbp => [
            Cited::new(
                12.61,
                "mmHg",
                "vankawala2021",
                Read,
                "pooled mean peak rise of systolic pressure (95 % CI 10.40–14.82), dose ≤ 0.5 mg/kg",
            ),
            Cited::new(
                3.28,
                "mmHg",
                "riva_posse2018",
                Read,
                "biggest mean rise of systolic pressure (at 30 min), 684 infusions: the lowest cohort mean",
            ),
            Cited::new(
                16.0,
                "mmHg",
                "yale2024",
                Read,
                "mean systolic rise (SD 11.2), 2 342 infusions: the highest cohort mean",
            ),
        ],
        VitalSign::Dbp => [
            Cited::new(
                8.49,
                "mmHg",
                "vankawala2021",
                Read,
                "pooled mean peak rise of diastolic pressure (95 % CI 6.89–10.09)",
            ),
            Cited::new(
                3.17,
                "mmHg",
                "riva_posse2018",
                Read,
                "biggest mean rise of diastolic pressure (at 30 min): the lowest cohort mean",
            ),
            Cited::new(
                11.0,
                "mmHg",
                "yale2024",
                Read,
                "mean diastolic rise (SD 8.45): the highest cohort mean",
            ),
        ],
        VitalSign::Hr => [
            Cited::new(
                4.09,
                "beats/min",
                "vankawala2021",
                Read,
                "pooled mean peak rise of heart rate",
            ),
            Cited::new(
                0.55,
                "beats/min",
                "vankawala2021",
                Read,
                "lower edge of the pooled mean's 95 % CI",
            ),
            Cited::new(
                7.63,
                "beats/min",
                "vankawala2021",
                Read,
                "upper edge of the pooled mean's 95 % CI",
            ),
        ],
    }
}

/// The S-ketamine effect-site peak of the anchor regimen, ng/mL, and its time, min.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    /// S-ketamine effect-site peak (half the racemic peak), ng/mL.
    pub ce_s_ng_per_ml: f64,
    /// When it is reached, min.
    pub at_min: f64,
}

/// Simulates [`anchor_scenario`] (through the integration and the readout only: no vitals, so
/// no recursion) and returns its S-ketamine effect-site peak ([`calibration`] keeps it).
///
/// ```
/// let a = ketasim::monitoring::calibration::anchor()?;
/// assert!(a.at_min > 40.0 && a.at_min < 44.0); // just after the infusion ends
/// assert!(a.ce_s_ng_per_ml > 92.0); // half of at least the observed venous 185 ng/mL
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn anchor() -> Result<Anchor> {
    use crate::simulate::readout::{AnalytePoint, Readout};
    let sc = anchor_scenario()?;
    let run = sc.prepare()?;
    let sys = run.compile(&run.subject, &[])?;
    let plan = crate::dosing::InputPlan::for_weight(&sc, &sys, run.subject.weight_kg, &run.pumps);
    let traj = crate::simulate::trajectory(&run, &sys, &plan)?;
    let readout = Readout::new(&run.pd, &sys, &traj.columns);
    let mut pts = vec![AnalytePoint::default(); sys.analytes.len()];
    let mut best = Anchor {
        ce_s_ng_per_ml: 0.0,
        at_min: 0.0,
    };
    for (k, &t) in traj.t_min.iter().enumerate() {
        readout.point(traj.at(k), &mut pts);
        let c = S_FRACTION_OF_RACEMATE * pts.first().map_or(0.0, |p| p.ce_ng_per_ml);
        if c > best.ce_s_ng_per_ml {
            best = Anchor {
                ce_s_ng_per_ml: c,
                at_min: t,
            };
        }
    }
    Ok(best)
}

/// The calibration of one vital sign.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SignCalibration {
    /// The sign.
    pub sign: VitalSign,
    /// The anaesthetic-range maximum rise, % of baseline (Långsjö 2005).
    pub emax_percent: Cited,
    /// Emax in absolute units at the reference baseline \[DERIVED\].
    pub emax: Cited,
    /// The mean rise at the anchor (Vankawala 2021).
    pub anchor_change: Cited,
    /// The band's lower anchor (lowest cohort mean, or the CI's lower edge).
    pub anchor_low: Cited,
    /// The band's upper anchor.
    pub anchor_high: Cited,
    /// EC50 of S-ketamine's effect-site concentration, ng/mL \[DERIVED\].
    pub ec50_ng_per_ml: Cited,
    /// EC50 of the band's lower edge (a larger EC50: a smaller rise), ng/mL \[DERIVED\].
    pub ec50_low_ng_per_ml: Cited,
    /// EC50 of the band's upper edge, ng/mL \[DERIVED\].
    pub ec50_high_ng_per_ml: Cited,
}

impl SignCalibration {
    /// The rise at S-ketamine effect-site concentration `c_ng_per_ml` with EC50 `ec50`.
    pub fn change(&self, c_ng_per_ml: f64, ec50: f64) -> f64 {
        emax_link(self.emax.value, ec50, c_ng_per_ml)
    }
}

/// `Emax · C / (EC50 + C)` (0 for C ≤ 0).
///
/// ```
/// use ketasim::monitoring::calibration::emax_link;
/// assert_eq!(emax_link(30.0, 100.0, 100.0), 15.0); // half the maximum at EC50
/// assert!(emax_link(30.0, 100.0, 1e9) < 30.0);     // never beyond the maximum
/// ```
pub fn emax_link(emax: f64, ec50: f64, c: f64) -> f64 {
    if c <= 0.0 {
        0.0
    } else {
        emax * c / (ec50 + c)
    }
}

/// `EC50 = C · (Emax/Δ − 1)`: the EC50 for which the link gives `delta` at `c`.
///
/// ```
/// use ketasim::monitoring::calibration::{ec50_for, emax_link};
/// let ec50 = ec50_for(32.4, 12.61, 125.0);
/// assert!((emax_link(32.4, ec50, 125.0) - 12.61).abs() < 1e-12);
/// ```
pub fn ec50_for(emax: f64, delta: f64, c: f64) -> f64 {
    c * (emax / delta - 1.0)
}

/// A consistency check against an anchor not used in the calibration.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CalibrationCheck {
    /// What is compared, in words.
    pub what: String,
    /// The S-ketamine concentration the link is evaluated at.
    pub concentration: Cited,
    /// What the link gives, % of the reference baseline: mean arterial pressure.
    pub map_rise_percent: f64,
    /// What the link gives, % of the reference baseline: heart rate.
    pub hr_rise_percent: f64,
    /// The cited range's lower edge, %.
    pub cited_low: Cited,
    /// The cited range's upper edge, %.
    pub cited_high: Cited,
}

/// The calibration of the concentration-driven link, for the model panel.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Calibration {
    /// The link in words and symbols.
    pub link: &'static str,
    /// What drives it.
    pub drive: &'static str,
    /// Why it must not be linear.
    pub saturation: &'static str,
    /// The effect site's equilibration.
    pub ke0: &'static str,
    /// The reference baseline the maxima are converted at.
    pub reference_baseline: Baseline,
    /// S-ketamine's share of the racemate's effect site \[ASSUMPTION\].
    pub s_fraction: Cited,
    /// The anchor regimen in words.
    pub anchor_regimen: &'static str,
    /// S-ketamine effect-site peak of the anchor regimen, ng/mL \[DERIVED\].
    pub anchor_ce_ng_per_ml: Cited,
    /// When the anchor's effect site peaks, min.
    pub anchor_at_min: f64,
    /// Per sign.
    pub signs: Vec<SignCalibration>,
    /// Checks against anchors not used in the calibration.
    pub checks: Vec<CalibrationCheck>,
    /// What the link leaves out.
    pub limitations: Vec<&'static str>,
}

impl Calibration {
    /// The calibration of `sign`.
    pub fn sign(&self, sign: VitalSign) -> Option<&SignCalibration> {
        self.signs.iter().find(|s| s.sign == sign)
    }

    /// Mean arterial pressure rise and heart-rate rise, % of the reference baseline, at
    /// S-ketamine concentration `c` (MAP = DBP + (SBP − DBP)/3).
    pub fn rises_percent_at(&self, c: f64) -> (f64, f64) {
        let b = &self.reference_baseline;
        let d = |s: VitalSign| {
            self.sign(s)
                .map_or(0.0, |x| x.change(c, x.ec50_ng_per_ml.value))
        };
        let map0 = map_mmhg(b.sbp_mmhg.value, b.dbp_mmhg.value);
        let map1 = map_mmhg(
            b.sbp_mmhg.value + d(VitalSign::Sbp),
            b.dbp_mmhg.value + d(VitalSign::Dbp),
        );
        (
            100.0 * (map1 / map0 - 1.0),
            100.0 * d(VitalSign::Hr) / b.hr_bpm.value,
        )
    }
}

/// Mean arterial pressure from systolic and diastolic, mmHg: `DBP + (SBP − DBP)/3`.
pub fn map_mmhg(sbp: f64, dbp: f64) -> f64 {
    dbp + (sbp - dbp) / 3.0
}

/// The calibration (computed once; see the module's derivation).
///
/// ```
/// use ketasim::monitoring::{calibration, VitalSign};
/// let cal = calibration::calibration()?;
/// let sbp = cal.sign(VitalSign::Sbp).unwrap();
/// assert!((sbp.emax.value - 32.4).abs() < 1e-9); // 27 % of 120 mmHg
/// // at the anchor the link gives the meta-analysis mean
/// let c = cal.anchor_ce_ng_per_ml.value;
/// assert!((sbp.change(c, sbp.ec50_ng_per_ml.value) - 12.61).abs() < 1e-9);
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn calibration() -> Result<&'static Calibration> {
    static C: OnceLock<Result<Calibration>> = OnceLock::new();
    C.get_or_init(build).as_ref().map_err(Clone::clone)
}

/// The EC50 for which the link gives `anchor` at `c`, with its derivation.
fn ec50_cited(emax: f64, anchor: &Cited, c: f64) -> Cited {
    let ec50 = ec50_for(emax, anchor.value, c);
    Cited::new(
        ec50,
        "ng/mL",
        KETASIM,
        Provenance::Derived,
        format!(
            "EC50 = C·(Emax/Δ − 1) = {} × ({}/{} − 1) = {} ng/mL S-ketamine (effect site), Δ \
             from {}",
            rounded(c, 1),
            rounded(emax, 2),
            anchor.value,
            rounded(ec50, 0),
            anchor.source
        ),
    )
}

fn build() -> Result<Calibration> {
    use Provenance::*;
    let a = anchor()?;
    let c = a.ce_s_ng_per_ml;
    let reference_baseline = Baseline::reference();
    let signs = VitalSign::ALL
        .into_iter()
        .map(|sign| {
            let (pct, pct_note) = match sign {
                VitalSign::Hr => (HR_MAX_RISE_PERCENT, "heart rate rose by up to 43.5 %"),
                _ => (
                    MAP_MAX_RISE_PERCENT,
                    "MAP rose by up to 27.0 %; the same percentage is used for systolic and \
                     diastolic pressure [ASSUMPTION]",
                ),
            };
            let base = reference_baseline.of(sign);
            let emax_value = pct / 100.0 * base.value;
            let [mean, low, high] = infusion_anchors(sign);
            SignCalibration {
                sign,
                emax_percent: Cited::new(pct, "%", "langsjo2005", Read, pct_note),
                emax: Cited::new(
                    emax_value,
                    sign.unit(),
                    KETASIM,
                    Derived,
                    format!(
                        "{pct} % × the reference baseline {} {} = {} {}",
                        base.value,
                        sign.unit(),
                        rounded(emax_value, 2),
                        sign.unit()
                    ),
                ),
                ec50_ng_per_ml: ec50_cited(emax_value, &mean, c),
                ec50_low_ng_per_ml: ec50_cited(emax_value, &low, c),
                ec50_high_ng_per_ml: ec50_cited(emax_value, &high, c),
                anchor_change: mean,
                anchor_low: low,
                anchor_high: high,
            }
        })
        .collect();
    let mut cal = Calibration {
        link: "ΔX = Emax·C / (EC50 + C), Hill coefficient 1 [ASSUMPTION]; C = S-ketamine \
               effect-site concentration (ng/mL)",
        drive: "S-ketamine: Kamp 2021 found S-ketamine raising cardiac output and no effect of \
                R-ketamine [READ]; the anaesthetic anchor (Långsjö 2005) is S-ketamine. A model \
                with racemic ketamine as one analyte contributes half its effect site.",
        saturation: "Saturating, never linear: a straight line through the infusion mean would \
                     give more than +100 mmHg at anaesthetic concentrations (~2000 ng/mL), \
                     where rises of 15–30 % (Idvall 1979) and up to 27 % (Långsjö 2005) were \
                     measured.",
        ke0: "The effect site shown on the concentration chart (the scenario's ke0): no \
              haemodynamic ke0 was published; the blood-pressure peak at about 40 min coincides \
              with the end of the infusion.",
        reference_baseline,
        s_fraction: Cited::new(
            S_FRACTION_OF_RACEMATE,
            "",
            KETASIM,
            Assumption,
            "S-ketamine is half of racemic ketamine's effect-site concentration (the dose's \
             split; CL_R ≈ 0.83·CL_S makes it a little less than half later on: UNVERIFIED)",
        ),
        anchor_regimen: "0.5 mg/kg over 40 min, 70 kg, Kamp 2020, subjective ke0 (t½ke0 6.1 min)",
        anchor_ce_ng_per_ml: Cited::new(
            c,
            "ng/mL",
            KETASIM,
            Derived,
            format!(
                "half the racemic effect-site peak of the anchor regimen ({} ng/mL at {} min), \
                 simulated",
                rounded(c / S_FRACTION_OF_RACEMATE, 1),
                rounded(a.at_min, 1)
            ),
        ),
        anchor_at_min: a.at_min,
        signs,
        checks: Vec::new(),
        limitations: vec![
            "Typical patient only: no between-patient variability of the link is published.",
            "S-norketamine lowers cardiac output (Kamp 2021) but its parameters were not read: \
             it is left out, which may overstate the late rise.",
            "Absolute units at the reference baseline: another baseline moves the absolute curve, \
             not the rise.",
            "Placebo and procedure effects are in the anchors (the infusion means are not \
             placebo-adjusted).",
            "No acute tolerance or baroreflex: after an anaesthetic bolus the rise lasts as long \
             as the effect site stays near EC50 or above, longer than the stimulation that \
             'persists for about 20 minutes' after a first dose (Johnstone 1976).",
        ],
    };
    let idvall_racemic = IDVALL_STEADY_UMOL_PER_L * crate::units::MW_KETAMINE;
    let idvall_s = S_FRACTION_OF_RACEMATE * idvall_racemic;
    let (map, hr) = cal.rises_percent_at(idvall_s);
    cal.checks.push(CalibrationCheck {
        what: "Idvall 1979: anaesthesia at a steady plasma concentration (not used in the \
               calibration)"
            .into(),
        concentration: Cited::new(
            idvall_s,
            "ng/mL",
            KETASIM,
            Derived,
            format!(
                "9.3 µmol/L × 237.73 g/mol = {} ng/mL racemic [DERIVED], half of it S-ketamine",
                rounded(idvall_racemic, 0)
            ),
        ),
        map_rise_percent: map,
        hr_rise_percent: hr,
        cited_low: Cited::new(
            IDVALL_RISE_PERCENT.0,
            "%",
            "idvall1979",
            Read,
            "transient increases of 15–30 % of pre-anaesthetic values in arterial pressure, heart \
             rate and cardiac output",
        ),
        cited_high: Cited::new(
            IDVALL_RISE_PERCENT.1,
            "%",
            "idvall1979",
            Read,
            "the range's upper edge",
        ),
    });
    Ok(cal)
}
