//! Elkomy 2015, Int J Pharm 2015;478:223 (as cited in the reference data file).
//!
//! Two-compartment model in 21 children with heart disease, allometric to 70 kg.

use super::{IV, RACEMIC};
use crate::model::{l, t};
use crate::model::{ModelSpec, Param, Provenance::Read, Sampling, Scaling, Unit};
use std::borrow::Cow;

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        t("CL"),
        t("elimination clearance"),
        60.6,
        Unit::LPerH,
        CLR,
        Read,
    ),
    Param::new(
        t("Q"),
        t("intercompartmental clearance"),
        73.2,
        Unit::LPerH,
        CLR,
        Read,
    ),
    Param::new(t("V1"), t("central volume"), 57.3, Unit::L, VOL, Read),
    Param::new(t("V2"), t("peripheral volume"), 152.0, Unit::L, VOL, Read),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: t("elkomy2015"),
    name: t("Elkomy 2015 (racemic, children with heart disease, 2-cmt)"),
    citation: t("Elkomy 2015. Int J Pharm 2015;478:223."),
    population: t("21 children with heart disease; allometric to 70 kg"),
    drug: t("racemic ketamine"),
    sampling: Sampling::NotStated,
    notes: Cow::Borrowed(&[t(
        "Paediatric cardiac population: use with child body weights.",
    )]),
    params: l(PARAMS),
    analytes: l(RACEMIC),
    compartments: l(super::MAMMILLARY2_COMPS),
    flows: l(super::MAMMILLARY2_FLOWS),
    routes: Cow::Borrowed(&[IV]),
    ke0_overrides: Cow::Borrowed(&[]),
    covariates: Cow::Borrowed(&[]),
    iiv_covariances: Cow::Borrowed(&[]),
};
