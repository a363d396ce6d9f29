//! Herd 2007, Paediatr Anaesth 17:622 (as cited in the reference data file).
//!
//! Two-compartment model in 54 children (8.3 ± 3.5 y), allometrically scaled to 70 kg.

use super::{IV, RACEMIC};
use crate::model::{ModelSpec, Param, Provenance::Read, Sampling, Scaling, Unit};

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new("V1", "central volume", 38.7, Unit::L, VOL, Read).with_cv_percent(64.0),
    Param::new("V2", "peripheral volume", 102.0, Unit::L, VOL, Read).with_cv_percent(51.7),
    Param::new("CL", "elimination clearance", 90.0, Unit::LPerH, CLR, Read).with_cv_percent(38.1),
    Param::new(
        "Q",
        "intercompartmental clearance",
        215.0,
        Unit::LPerH,
        CLR,
        Read,
    )
    .with_cv_percent(19.0),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: "herd2007",
    name: "Herd 2007 (racemic, children, 2-cmt)",
    citation: "Herd 2007. Paediatr Anaesth 2007;17:622.",
    population: "54 children, 8.3 ± 3.5 years; allometric to 70 kg (0.75 on CL and Q, 1 on V)",
    drug: "racemic ketamine",
    sampling: Sampling::NotStated,
    notes: &[
        "Paediatric model: use with child body weights.",
        "Between-subject variability (CV%): V1 64, V2 51.7, CL 38.1, Q 19.",
    ],
    params: PARAMS,
    analytes: RACEMIC,
    compartments: super::MAMMILLARY2_COMPS,
    flows: super::MAMMILLARY2_FLOWS,
    routes: &[IV],
    ke0_overrides: &[],
    covariates: &[],
    iiv_covariances: &[],
};
