//! Domino EF et al. Clin Pharmacol Ther 1982 (PMID 7198883).
//!
//! The classic three-compartment model used in TCI pumps. The values are identical in three
//! independent TCI codebases (CODE); the paper itself was not read.

use super::{IV, RACEMIC};
use crate::model::{l, t};
use crate::model::{
    ModelSpec, Param,
    Provenance::{Code, Read},
    Sampling, Scaling, Unit,
};
use std::borrow::Cow;

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        t("V1"),
        t("central volume"),
        0.063,
        Unit::LPerKg,
        Scaling::PerKg,
        Code,
    ),
    Param::new(
        t("k10"),
        t("elimination rate constant"),
        0.4381,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        t("k12"),
        t("central → fast peripheral"),
        0.5921,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        t("k13"),
        t("central → slow peripheral"),
        0.5900,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        t("k21"),
        t("fast peripheral → central"),
        0.2470,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        t("k31"),
        t("slow peripheral → central"),
        0.0146,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: t("domino1982"),
    name: t("Domino 1982 (racemic, 3-cmt, TCI pumps)"),
    citation: t(
        "Domino EF et al. Clin Pharmacol Ther 1982 (PMID 7198883). Parameter values as \
                   encoded identically in three independent TCI codebases.",
    ),
    population: t(
        "not known to this tool: the values are CODE (identical in three TCI \
                 codebases citing Domino 1982, Clin Pharmacol Ther, PMID 7198883); the paper \
                 was not read",
    ),
    drug: t("racemic ketamine"),
    sampling: Sampling::Arterial,
    notes: Cow::Borrowed(&[
        t("Rate-constant parameterisation; V1 scales with body weight, rate constants do not."),
        t("Grouped with the arterial models in the reference file; the paper was not read."),
        t(
            "Two ke0 values exist for this model: 0.238 /min fitted for antinociception with \
             Domino PK (Navarrete 2025, READ), and 0.652 /min shipped by an open-source TCI tool, \
             derived by its authors from an assumed 1-min time to peak effect (CODE). ke0 depends \
             on the endpoint and on who chose it.",
        ),
    ]),
    params: l(PARAMS),
    analytes: l(RACEMIC),
    compartments: l(super::MICRO3_COMPS),
    flows: l(super::MICRO3_FLOWS),
    routes: Cow::Borrowed(&[IV]),
    ke0_overrides: Cow::Borrowed(&[
        (
            t("analgesia"),
            Param::new(
                t("ke0"),
                t(
                    "antinociception (ANI), fitted with Domino PK (Navarrete et al., J Clin Monit \
                     Comput 2025;39:349; 95% CI 0.20–0.28)",
                ),
                0.238,
                Unit::PerMin,
                Scaling::None,
                Read,
            ),
        ),
        (
            t("tci_tpeak_1min"),
            Param::new(
                t("ke0"),
                t("open-source TCI tool's value, from an assumed 1-min time to peak effect"),
                0.652,
                Unit::PerMin,
                Scaling::None,
                Code,
            ),
        ),
    ]),
    covariates: Cow::Borrowed(&[]),
    iiv_covariances: Cow::Borrowed(&[]),
};
