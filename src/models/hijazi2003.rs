//! Hijazi 2003, Br J Anaesth 90:155 (as cited in the reference data file).
//!
//! Two-compartment model in 12 ICU patients. Micro-constants as encoded in TCI software (CODE);
//! the paper's CL 36.0 mL/min/kg, Vβ 16.0 L/kg and t½ 4.9 h were read (READ) and are checked
//! in the tests.

use super::{IV, RACEMIC};
use crate::model::{l, t};
use crate::model::{ModelSpec, Param, Provenance::Code, Sampling, Scaling, Unit};
use std::borrow::Cow;

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        t("V1"),
        t("central volume"),
        1.08,
        Unit::LPerKg,
        Scaling::PerKg,
        Code,
    ),
    Param::new(
        t("k10"),
        t("elimination rate constant"),
        0.0333,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        t("k12"),
        t("central → peripheral"),
        0.0088,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
    Param::new(
        t("k21"),
        t("peripheral → central"),
        0.0030,
        Unit::PerMin,
        Scaling::None,
        Code,
    ),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: t("hijazi2003"),
    name: t("Hijazi 2003 (racemic, ICU, 2-cmt)"),
    citation: t("Hijazi 2003. Br J Anaesth 2003;90:155."),
    population: t("12 ICU patients with brain or spinal cord injury"),
    drug: t("racemic ketamine"),
    sampling: Sampling::NotStated,
    notes: Cow::Borrowed(&[
        t(
            "Long-infusion ICU population. Elimination is not slow: CL 36.0 mL/min/kg (2.5 L/min \
             at 70 kg) is about 1.8× Kamp's 84 L/h; the long terminal half-life (4.9 h, READ) \
             comes from the large volume (Vβ 16.0 L/kg).",
        ),
        t("Paper (READ): CL 36.0 mL/min/kg; Vβ 16.0 L/kg; t½ 4.9 h."),
    ]),
    params: l(PARAMS),
    analytes: l(RACEMIC),
    compartments: l(super::MICRO2_COMPS),
    flows: l(super::MICRO2_FLOWS),
    routes: Cow::Borrowed(&[IV]),
    ke0_overrides: Cow::Borrowed(&[]),
    covariates: Cow::Borrowed(&[]),
    iiv_covariances: Cow::Borrowed(&[]),
};
