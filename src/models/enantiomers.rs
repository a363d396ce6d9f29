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
use crate::model::{
    Analyte, Compartment, Factor, Flow, InputSpec, ModelSpec, Param,
    Provenance::{Code, Derived},
    Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};
use crate::units::MW_KETAMINE;

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
        "V1",
        "central volume (each enantiomer)",
        25.0,
        Unit::L,
        VOL,
        Code,
    ),
    Param::new("V2", "fast peripheral volume", 56.0, Unit::L, VOL, Code),
    Param::new("V3", "slow peripheral volume", 157.0, Unit::L, VOL, Code),
    Param::new(
        "Q2",
        "intercompartmental clearance, fast",
        161.0,
        Unit::LPerH,
        CLR,
        Code,
    ),
    Param::new(
        "Q3",
        "intercompartmental clearance, slow",
        79.0,
        Unit::LPerH,
        CLR,
        Code,
    ),
    Param::new(
        "CL_S",
        "S-ketamine clearance = 84·(1 + 0.024/0.020)/2 = 92.4 L/h",
        CL_S,
        Unit::LPerH,
        CLR,
        Derived,
    ),
    Param::new(
        "CL_R",
        "R-ketamine clearance = (0.020/0.024) · CL_S ≈ 0.83 · CL_S = 77.0 L/h",
        R_OVER_S * CL_S,
        Unit::LPerH,
        CLR,
        Derived,
    ),
    Param::new(
        "f_S",
        "S fraction of the racemate",
        0.5,
        Unit::Fraction,
        Scaling::None,
        Derived,
    ),
];

const COMPARTMENTS: &[Compartment] = &[
    c("S_central", 0, Role::Central, Some("V1")),
    c("S_peripheral1", 0, Role::Peripheral, Some("V2")),
    c("S_peripheral2", 0, Role::Peripheral, Some("V3")),
    c("R_central", 1, Role::Central, Some("V1")),
    c("R_peripheral1", 1, Role::Peripheral, Some("V2")),
    c("R_peripheral2", 1, Role::Peripheral, Some("V3")),
];

const FLOWS: &[Flow] = &[
    Flow::Exchange {
        a: "S_central",
        b: "S_peripheral1",
        q: "Q2",
    },
    Flow::Exchange {
        a: "S_central",
        b: "S_peripheral2",
        q: "Q3",
    },
    transfer("S_central", None, Rate::Clearance("CL_S"), None),
    Flow::Exchange {
        a: "R_central",
        b: "R_peripheral1",
        q: "Q2",
    },
    Flow::Exchange {
        a: "R_central",
        b: "R_peripheral2",
        q: "Q3",
    },
    transfer("R_central", None, Rate::Clearance("CL_R"), None),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: "racemic_enantiomers",
    name: "Racemic ketamine as S + R enantiomers (assumption, Kamp 2020 distribution)",
    citation: "Built here from Kamp 2020 (Anesthesiology 133:1192, distribution, CODE), \
               Henthorn 2018 (Anesthesiology 129:260, shared distribution, READ) and Persson \
               2002 (Eur J Clin Pharmacol 57:869, CL_R ≈ 0.83·CL_S, READ).",
    population: "Adults (Kamp 2020 population)",
    drug: "racemic ketamine (50:50 S and R)",
    sampling: Sampling::Arterial,
    notes: &[
        "ASSUMPTION: two 50:50 systems that share distribution, with CL_R = 0.83 × CL_S, \
         scaled so the racemate's exposure equals Kamp 2020's (CL 84 L/h).",
        "Lets occupancy use enantiomer-specific affinities: S-ketamine binds the NMDA \
         receptor 3–4× more strongly than R-ketamine (Ki 0.3 vs 1.4 µM).",
    ],
    params: PARAMS,
    analytes: &[
        Analyte {
            id: "s_ketamine",
            name: "S-ketamine",
            mw_g_per_mol: MW_KETAMINE,
            central: "S_central",
            ligand: "s_ketamine",
        },
        Analyte {
            id: "r_ketamine",
            name: "R-ketamine",
            mw_g_per_mol: MW_KETAMINE,
            central: "R_central",
            ligand: "r_ketamine",
        },
    ],
    compartments: COMPARTMENTS,
    flows: FLOWS,
    routes: &[RouteSpec {
        route: Route::Iv,
        inputs: &[
            InputSpec {
                compartment: "S_central",
                fraction: &[Factor::Param("f_S")],
                duration: None,
            },
            InputSpec {
                compartment: "R_central",
                fraction: &[Factor::OneMinus("f_S")],
                duration: None,
            },
        ],
        device: None,
        note: "Intravenous racemate: half of each dose is S-, half R-ketamine.",
    }],
    ke0_overrides: &[],
    covariates: &[],
    iiv_covariances: &[],
};
