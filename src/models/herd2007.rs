//! Herd 2007, Paediatr Anaesth 17:622 (as cited in the reference data file).
//!
//! Two-compartment model in 54 children (8.3 ± 3.5 y), allometrically scaled to 70 kg.

use super::{IV, RACEMIC};
use crate::model::{l, t};
use crate::model::{ModelSpec, Param, Provenance::Read, Sampling, Scaling, Unit};
use std::borrow::Cow;

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(t("V1"), t("central volume"), 38.7, Unit::L, VOL, Read).with_cv_percent(64.0),
    Param::new(t("V2"), t("peripheral volume"), 102.0, Unit::L, VOL, Read).with_cv_percent(51.7),
    Param::new(
        t("CL"),
        t("elimination clearance"),
        90.0,
        Unit::LPerH,
        CLR,
        Read,
    )
    .with_cv_percent(38.1),
    Param::new(
        t("Q"),
        t("intercompartmental clearance"),
        215.0,
        Unit::LPerH,
        CLR,
        Read,
    )
    .with_cv_percent(19.0),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: t("herd2007"),
    name: t("Herd 2007 (racemic, children, 2-cmt)"),
    citation: t("Herd 2007. Paediatr Anaesth 2007;17:622."),
    population: t("54 children, 8.3 ± 3.5 years; allometric to 70 kg (0.75 on CL and Q, 1 on V)"),
    drug: t("racemic ketamine"),
    sampling: Sampling::NotStated,
    notes: Cow::Borrowed(&[
        t("Paediatric model: use with child body weights."),
        t("Between-subject variability (CV%): V1 64, V2 51.7, CL 38.1, Q 19."),
    ]),
    params: l(PARAMS),
    analytes: l(RACEMIC),
    compartments: l(super::MAMMILLARY2_COMPS),
    flows: l(super::MAMMILLARY2_FLOWS),
    routes: Cow::Borrowed(&[IV]),
    ke0_overrides: Cow::Borrowed(&[]),
    covariates: Cow::Borrowed(&[]),
    iiv_covariances: Cow::Borrowed(&[]),
};
