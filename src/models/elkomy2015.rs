//! Elkomy 2015, Int J Pharm 2015;478:223 (as cited in the reference data file).
//!
//! Two-compartment model in 21 children with heart disease, allometric to 70 kg.

use super::{IV, RACEMIC};
use crate::model::{ModelSpec, Param, Provenance::Read, Sampling, Scaling, Unit};

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new("CL", "elimination clearance", 60.6, Unit::LPerH, CLR, Read),
    Param::new(
        "Q",
        "intercompartmental clearance",
        73.2,
        Unit::LPerH,
        CLR,
        Read,
    ),
    Param::new("V1", "central volume", 57.3, Unit::L, VOL, Read),
    Param::new("V2", "peripheral volume", 152.0, Unit::L, VOL, Read),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: "elkomy2015",
    name: "Elkomy 2015 (racemic, children with heart disease, 2-cmt)",
    citation: "Elkomy 2015. Int J Pharm 2015;478:223.",
    population: "21 children with heart disease; allometric to 70 kg",
    drug: "racemic ketamine",
    sampling: Sampling::NotStated,
    notes: &["Paediatric cardiac population: use with child body weights."],
    params: PARAMS,
    analytes: RACEMIC,
    compartments: super::MAMMILLARY2_COMPS,
    flows: super::MAMMILLARY2_FLOWS,
    routes: &[IV],
    ke0_overrides: &[],
    covariates: &[],
    iiv_covariances: &[],
};
