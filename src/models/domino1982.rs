//! Domino EF et al. Clin Pharmacol Ther 1982 (PMID 7198883).
//!
//! The classic three-compartment model used in TCI pumps. The values are identical in three
//! independent TCI codebases (CODE); the paper itself was not read.

use super::{IV, RACEMIC};
use crate::model::{
    ModelSpec, Param,
    Provenance::{Code, Read},
    Sampling, Scaling, Unit,
};

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        "V1",
        "central volume",
        0.063,
        Unit::LPerKg,
        Scaling::PerKg,
        Code,
    ),
    Param::new(
        "k10",
        "elimination rate constant",
        0.4381,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        "k12",
        "central → fast peripheral",
        0.5921,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        "k13",
        "central → slow peripheral",
        0.5900,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        "k21",
        "fast peripheral → central",
        0.2470,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        "k31",
        "slow peripheral → central",
        0.0146,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: "domino1982",
    name: "Domino 1982 (racemic, 3-cmt, TCI pumps)",
    citation: "Domino EF et al. Clin Pharmacol Ther 1982 (PMID 7198883). Parameter values as \
                   encoded identically in three independent TCI codebases.",
    population: "not known to this tool: the values are CODE (identical in three TCI \
                 codebases citing Domino 1982, Clin Pharmacol Ther, PMID 7198883); the paper \
                 was not read",
    drug: "racemic ketamine",
    sampling: Sampling::Arterial,
    notes: &[
        "Rate-constant parameterisation; V1 scales with body weight, rate constants do not.",
        "Grouped with the arterial models in the reference file; the paper was not read.",
        "Two ke0 values exist for this model: 0.238 /min fitted for antinociception with \
             Domino PK (Navarrete 2025, READ), and 0.652 /min shipped by an open-source TCI tool, \
             derived by its authors from an assumed 1-min time to peak effect (CODE). ke0 depends \
             on the endpoint and on who chose it.",
    ],
    params: PARAMS,
    analytes: RACEMIC,
    compartments: super::MICRO3_COMPS,
    flows: super::MICRO3_FLOWS,
    routes: &[IV],
    ke0_overrides: &[
        (
            "analgesia",
            Param::new(
                "ke0",
                "antinociception (ANI), fitted with Domino PK (Navarrete et al., J Clin Monit \
                     Comput 2025;39:349; 95% CI 0.20–0.28)",
                0.238,
                Unit::PerMin,
                Scaling::None,
                Read,
            ),
        ),
        (
            "tci_tpeak_1min",
            Param::new(
                "ke0",
                "open-source TCI tool's value, from an assumed 1-min time to peak effect",
                0.652,
                Unit::PerMin,
                Scaling::None,
                Code,
            ),
        ),
    ],
    covariates: &[],
    iiv_covariances: &[],
};
