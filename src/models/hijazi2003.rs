//! Hijazi 2003, Br J Anaesth 90:155 (as cited in the reference data file).
//!
//! Two-compartment model in 12 ICU patients. Micro-constants as encoded in TCI software (CODE);
//! the paper's CL 36.0 mL/min/kg, Vβ 16.0 L/kg and t½ 4.9 h were read (READ) and are checked
//! in the tests.

use super::{IV, RACEMIC};
use crate::model::{ModelSpec, Param, Provenance::Code, Sampling, Scaling, Unit};

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        "V1",
        "central volume",
        1.08,
        Unit::LPerKg,
        Scaling::PerKg,
        Code,
    ),
    Param::new(
        "k10",
        "elimination rate constant",
        0.0333,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        "k12",
        "central → peripheral",
        0.0088,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        "k21",
        "peripheral → central",
        0.0030,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: "hijazi2003",
    name: "Hijazi 2003 (racemic, ICU, 2-cmt)",
    citation: "Hijazi 2003. Br J Anaesth 2003;90:155.",
    population: "12 ICU patients with brain or spinal cord injury",
    drug: "racemic ketamine",
    sampling: Sampling::NotStated,
    notes: &[
        "Long-infusion ICU population. Elimination is not slow: CL 36.0 mL/min/kg (2.5 L/min \
             at 70 kg) is about 1.8× Kamp's 84 L/h; the long terminal half-life (4.9 h, READ) \
             comes from the large volume (Vβ 16.0 L/kg).",
        "Paper (READ): CL 36.0 mL/min/kg; Vβ 16.0 L/kg; t½ 4.9 h.",
    ],
    params: PARAMS,
    analytes: RACEMIC,
    compartments: super::MICRO2_COMPS,
    flows: super::MICRO2_FLOWS,
    routes: &[IV],
    ke0_overrides: &[],
    covariates: &[],
    iiv_covariances: &[],
};
