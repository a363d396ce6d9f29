//! Racemic ketamine as two enantiomers that share distribution: an explicit modelling
//! ASSUMPTION built on Kamp 2020's disposition and the enantiomers' clearance ratio.
//!
//! - Distribution: Kamp 2020 volumes and intercompartmental clearances (CODE) for both.
//! - The enantiomers share distribution (Henthorn 2018, READ).
//! - CL_R ≈ 0.83 × CL_S (Persson 2002: S 0.024 vs R 0.020 L/min/kg, READ).
//! - CL_S and CL_R are chosen so that the racemate's total exposure matches Kamp's CL 84 L/h:
//!   AUC = ½D/CL_S + ½D/CL_R = D/84 → CL_S = 84·(1 + 0.024/0.020)/2 = 92.4 L/h (DERIVED; with the
//!   rounded ratio 0.83 it would be 92.6 L/h).

use super::{comp_of as c, transfer};
use crate::model::{l, t};
use crate::model::{
    Analyte, Compartment, Factor, Flow, InputSpec, ModelSpec, Param,
    Provenance::{Code, Derived},
    Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};
use crate::units::MW_KETAMINE;
use std::borrow::Cow;

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };
/// CL_R / CL_S (Persson 2002).
const R_OVER_S: f64 = 0.020 / 0.024;
/// Kamp 2020 racemic CL, L/h.
const CL_RACEMIC: f64 = 84.0;
/// S-ketamine CL, L/h: ½/CL_S + ½/CL_R = 1/84 with CL_R = 0.83·CL_S.
const CL_S: f64 = CL_RACEMIC * (1.0 + 1.0 / R_OVER_S) / 2.0;

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        t("V1"),
        t("central volume (each enantiomer)"),
        25.0,
        Unit::L,
        VOL,
        Code,
    ),
    Param::new(
        t("V2"),
        t("fast peripheral volume"),
        56.0,
        Unit::L,
        VOL,
        Code,
    ),
    Param::new(
        t("V3"),
        t("slow peripheral volume"),
        157.0,
        Unit::L,
        VOL,
        Code,
    ),
    Param::new(
        t("Q2"),
        t("intercompartmental clearance, fast"),
        161.0,
        Unit::LPerH,
        CLR,
        Code,
    ),
    Param::new(
        t("Q3"),
        t("intercompartmental clearance, slow"),
        79.0,
        Unit::LPerH,
        CLR,
        Code,
    ),
    Param::new(
        t("CL_S"),
        t("S-ketamine clearance = 84·(1 + 0.024/0.020)/2 = 92.4 L/h"),
        CL_S,
        Unit::LPerH,
        CLR,
        Derived,
    ),
    Param::new(
        t("CL_R"),
        t("R-ketamine clearance = (0.020/0.024) · CL_S ≈ 0.83 · CL_S = 77.0 L/h"),
        R_OVER_S * CL_S,
        Unit::LPerH,
        CLR,
        Derived,
    ),
    Param::new(
        t("f_S"),
        t("S fraction of the racemate"),
        0.5,
        Unit::Fraction,
        Scaling::None,
        Derived,
    ),
];

const COMPARTMENTS: &[Compartment] = &[
    c(t("S_central"), 0, Role::Central, Some(t("V1"))),
    c(t("S_peripheral1"), 0, Role::Peripheral, Some(t("V2"))),
    c(t("S_peripheral2"), 0, Role::Peripheral, Some(t("V3"))),
    c(t("R_central"), 1, Role::Central, Some(t("V1"))),
    c(t("R_peripheral1"), 1, Role::Peripheral, Some(t("V2"))),
    c(t("R_peripheral2"), 1, Role::Peripheral, Some(t("V3"))),
];

const FLOWS: &[Flow] = &[
    Flow::Exchange {
        a: t("S_central"),
        b: t("S_peripheral1"),
        q: t("Q2"),
    },
    Flow::Exchange {
        a: t("S_central"),
        b: t("S_peripheral2"),
        q: t("Q3"),
    },
    transfer(t("S_central"), None, Rate::Clearance(t("CL_S")), None),
    Flow::Exchange {
        a: t("R_central"),
        b: t("R_peripheral1"),
        q: t("Q2"),
    },
    Flow::Exchange {
        a: t("R_central"),
        b: t("R_peripheral2"),
        q: t("Q3"),
    },
    transfer(t("R_central"), None, Rate::Clearance(t("CL_R")), None),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: t("racemic_enantiomers"),
    name: t("Racemic ketamine as S + R enantiomers (assumption, Kamp 2020 distribution)"),
    citation: t(
        "Built here from Kamp 2020 (Anesthesiology 133:1192, distribution, CODE), \
               Henthorn 2018 (Anesthesiology 129:260, shared distribution, READ) and Persson \
               2002 (Eur J Clin Pharmacol 57:869, CL_R ≈ 0.83·CL_S, READ).",
    ),
    population: t("Adults (Kamp 2020 population)"),
    drug: t("racemic ketamine (50:50 S and R)"),
    sampling: Sampling::Arterial,
    notes: Cow::Borrowed(&[
        t(
            "ASSUMPTION: two 50:50 systems that share distribution, with CL_R = 0.83 × CL_S, \
         scaled so the racemate's exposure equals Kamp 2020's (CL 84 L/h).",
        ),
        t(
            "Lets occupancy use enantiomer-specific affinities: S-ketamine binds the NMDA \
         receptor 3–4× more strongly than R-ketamine (Ki 0.3 vs 1.4 µM).",
        ),
    ]),
    params: l(PARAMS),
    analytes: Cow::Borrowed(&[
        Analyte {
            id: t("s_ketamine"),
            name: t("S-ketamine"),
            mw_g_per_mol: MW_KETAMINE,
            central: t("S_central"),
            ligand: t("s_ketamine"),
            binding: None,
        },
        Analyte {
            id: t("r_ketamine"),
            name: t("R-ketamine"),
            mw_g_per_mol: MW_KETAMINE,
            central: t("R_central"),
            ligand: t("r_ketamine"),
            binding: None,
        },
    ]),
    compartments: l(COMPARTMENTS),
    flows: l(FLOWS),
    routes: Cow::Borrowed(&[RouteSpec {
        route: Route::Iv,
        inputs: Cow::Borrowed(&[
            InputSpec {
                compartment: t("S_central"),
                fraction: Cow::Borrowed(&[Factor::Param(t("f_S"))]),
                duration: None,
            },
            InputSpec {
                compartment: t("R_central"),
                fraction: Cow::Borrowed(&[Factor::OneMinus(t("f_S"))]),
                duration: None,
            },
        ]),
        device: None,
        note: t("Intravenous racemate: half of each dose is S-, half R-ketamine."),
    }]),
    ke0_overrides: Cow::Borrowed(&[]),
    covariates: Cow::Borrowed(&[]),
    iiv_covariances: Cow::Borrowed(&[]),
};
