//! Simons P, Olofsen E, van Velzen M, et al., Dahan A. S-ketamine oral thin film, part 1:
//! population pharmacokinetics of S-ketamine, S-norketamine and S-hydroxynorketamine.
//! Front Pain Res 2022;3:946486.
//!
//! S-ketamine (3-cmt) → 2-compartment transit chain → S-norketamine (2-cmt) → transit chain →
//! S-hydroxynorketamine (2-cmt), arterial. Table 4 values as transcribed (READ-2). Amounts are
//! mg S-ketamine equivalents, so formation conserves moles.

use super::{comp_of as c, transfer};
use crate::model::{l, t};
use crate::model::{
    Analyte, Factor, Flow, InputSpec, ModelSpec, Param,
    Provenance::{Assumption, Read2},
    Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};
use crate::units::{MW_HYDROXYNORKETAMINE, MW_KETAMINE, MW_NORKETAMINE};
use std::borrow::Cow;

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };
const NONE: Scaling = Scaling::None;

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        t("VK1"),
        t("S-ketamine central volume (= VN1)"),
        11.6,
        Unit::L,
        VOL,
        Read2,
    )
    .with_omega2(0.057),
    Param::new(
        t("VK2"),
        t("S-ketamine fast peripheral volume"),
        39.0,
        Unit::L,
        VOL,
        Read2,
    ),
    Param::new(
        t("VK3"),
        t("S-ketamine slow peripheral volume"),
        174.0,
        Unit::L,
        VOL,
        Read2,
    ),
    Param::new(
        t("CLK1"),
        t("S-ketamine metabolic clearance"),
        1.48,
        Unit::LPerMin,
        CLR,
        Read2,
    )
    .with_omega2(0.029),
    Param::new(
        t("CLK2"),
        t("S-ketamine intercompartmental clearance 2"),
        2.43,
        Unit::LPerMin,
        CLR,
        Read2,
    ),
    Param::new(
        t("CLK3"),
        t("S-ketamine intercompartmental clearance 3"),
        1.21,
        Unit::LPerMin,
        CLR,
        Read2,
    )
    .with_omega2(0.026),
    Param::new(
        t("MTTK"),
        t("mean transit time S-ketamine → S-norketamine"),
        20.1,
        Unit::Min,
        NONE,
        Read2,
    )
    .with_omega2(0.021),
    Param::new(
        t("FNK"),
        t("fraction of the chain's output forming S-norketamine"),
        0.8,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        t("VN2"),
        t("S-norketamine peripheral volume"),
        221.0,
        Unit::L,
        VOL,
        Read2,
    ),
    Param::new(
        t("CLN1"),
        t("S-norketamine clearance"),
        1.00,
        Unit::LPerMin,
        CLR,
        Read2,
    )
    .with_omega2(0.050),
    Param::new(
        t("CLN2"),
        t("S-norketamine intercompartmental clearance"),
        2.63,
        Unit::LPerMin,
        CLR,
        Read2,
    ),
    Param::new(
        t("MTTN"),
        t("mean transit time S-norketamine → S-HNK"),
        1.12,
        Unit::Min,
        NONE,
        Read2,
    ),
    Param::new(
        t("FHNK"),
        t("fraction of the second chain's output forming S-HNK"),
        0.7,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        t("VH1"),
        t("S-HNK central volume"),
        4.4,
        Unit::L,
        VOL,
        Read2,
    )
    .with_omega2(1.22),
    Param::new(
        t("VH2"),
        t("S-HNK peripheral volume"),
        87.5,
        Unit::L,
        VOL,
        Read2,
    ),
    Param::new(
        t("CLH1"),
        t("S-HNK clearance"),
        0.933,
        Unit::LPerMin,
        CLR,
        Read2,
    )
    .with_omega2(0.103),
    Param::new(
        t("CLH2"),
        t("S-HNK intercompartmental clearance"),
        1.70,
        Unit::LPerMin,
        CLR,
        Read2,
    )
    .with_omega2(0.287),
    Param::new(
        t("F1"),
        t("thin film: mucosal fraction"),
        0.263,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        t("D1"),
        t("thin film: mucosal zero-order input duration"),
        13.1,
        Unit::Min,
        NONE,
        Read2,
    ),
    Param::new(
        t("KA1"),
        t("thin film: mucosal depot → central"),
        0.04,
        Unit::PerMin,
        NONE,
        Read2,
    ),
    Param::new(
        t("F2"),
        t("thin film: swallowed fraction"),
        1.16,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        t("D2"),
        t("thin film: swallowed zero-order input duration"),
        29.9,
        Unit::Min,
        NONE,
        Read2,
    ),
    Param::new(
        t("KA2"),
        t("thin film: gut depot → gut-liver transit"),
        0.049,
        Unit::PerMin,
        NONE,
        Read2,
    ),
    Param::new(
        t("MTTG"),
        t("gut-to-liver transit time"),
        10.7,
        Unit::Min,
        NONE,
        Read2,
    ),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: t("simons2022"),
    name: t("Simons 2022 (S-ketamine → S-norketamine → S-HNK)"),
    citation: t(
        "Simons P, Olofsen E, van Velzen M, et al., Dahan A. S-ketamine oral thin film, \
                   part 1: population pharmacokinetics of S-ketamine, S-norketamine and \
                   S-hydroxynorketamine. Front Pain Res 2022;3:946486.",
    ),
    population: t("20 healthy volunteers, 73 ± 12 kg"),
    drug: t("S-ketamine (esketamine)"),
    sampling: Sampling::Arterial,
    notes: Cow::Borrowed(&[
        t(
            "Parameters from Table 4 as transcribed (READ-2), at 70 kg. The allometric exponents \
             are not printed: 0.75 on clearances and 1 on volumes is the usual assumption.",
        ),
        t(
            "Metabolism: S-ketamine clearance feeds a 2-compartment transit chain (MTT 20.1 min); \
             80% of its output forms S-norketamine, which feeds a second chain (MTT 1.12 min) of \
             which 70% forms S-hydroxynorketamine. Abstract (READ): 80% of S-ketamine is \
             metabolised to S-NK and 56% ends up as S-HNK.",
        ),
        t(
            "First pass (sublingual thin film): the swallowed part passes a gut-to-liver transit \
             compartment and enters the metabolism chain directly, so it makes metabolites \
             without reaching systemic S-ketamine.",
        ),
        t(
            "F2 = 116% is the published estimate for the swallowed part; with F1 = 26.3% the two \
             add up to more than the film dose — shown as published.",
        ),
        t(
            "Sex: women get 20% greater S-ketamine and S-norketamine clearance (Sigtermans 2009, \
             READ); applying it to this model is an ASSUMPTION.",
        ),
        t(
            "Metabolites use the effect-site rate of the chosen endpoint (ASSUMPTION) and the \
             unbound fraction of racemic ketamine (ASSUMPTION).",
        ),
    ]),
    params: l(PARAMS),
    analytes: Cow::Borrowed(&[
        Analyte {
            id: t("s_ketamine"),
            name: t("S-ketamine"),
            mw_g_per_mol: MW_KETAMINE,
            central: t("K1"),
            ligand: t("s_ketamine"),
            binding: None,
        },
        Analyte {
            id: t("s_norketamine"),
            name: t("S-norketamine"),
            mw_g_per_mol: MW_NORKETAMINE,
            central: t("N1"),
            ligand: t("s_norketamine"),
            binding: None,
        },
        Analyte {
            id: t("s_hnk"),
            name: t("S-hydroxynorketamine"),
            mw_g_per_mol: MW_HYDROXYNORKETAMINE,
            central: t("H1"),
            ligand: t("hnk_2s6s"),
            binding: None,
        },
    ]),
    compartments: Cow::Borrowed(&[
        c(t("K1"), 0, Role::Central, Some(t("VK1"))),
        c(t("K2"), 0, Role::Peripheral, Some(t("VK2"))),
        c(t("K3"), 0, Role::Peripheral, Some(t("VK3"))),
        c(t("K_transit1"), 0, Role::Transit, None),
        c(t("K_transit2"), 0, Role::Transit, None),
        c(t("N1"), 1, Role::Central, Some(t("VK1"))),
        c(t("N2"), 1, Role::Peripheral, Some(t("VN2"))),
        c(t("N_transit1"), 1, Role::Transit, None),
        c(t("N_transit2"), 1, Role::Transit, None),
        c(t("H1"), 2, Role::Central, Some(t("VH1"))),
        c(t("H2"), 2, Role::Peripheral, Some(t("VH2"))),
        c(t("mucosal_depot"), 0, Role::Depot, None),
        c(t("gut_depot"), 0, Role::Depot, None),
        c(t("gut_liver"), 0, Role::Liver, None),
    ]),
    flows: Cow::Borrowed(&[
        Flow::Exchange {
            a: t("K1"),
            b: t("K2"),
            q: t("CLK2"),
        },
        Flow::Exchange {
            a: t("K1"),
            b: t("K3"),
            q: t("CLK3"),
        },
        transfer(
            t("K1"),
            Some(t("K_transit1")),
            Rate::Clearance(t("CLK1")),
            None,
        ),
        transfer(
            t("K_transit1"),
            Some(t("K_transit2")),
            Rate::Transit {
                mtt: t("MTTK"),
                n: 2,
            },
            None,
        ),
        transfer(
            t("K_transit2"),
            Some(t("N1")),
            Rate::Transit {
                mtt: t("MTTK"),
                n: 2,
            },
            Some(t("FNK")),
        ),
        Flow::Exchange {
            a: t("N1"),
            b: t("N2"),
            q: t("CLN2"),
        },
        transfer(
            t("N1"),
            Some(t("N_transit1")),
            Rate::Clearance(t("CLN1")),
            None,
        ),
        transfer(
            t("N_transit1"),
            Some(t("N_transit2")),
            Rate::Transit {
                mtt: t("MTTN"),
                n: 2,
            },
            None,
        ),
        transfer(
            t("N_transit2"),
            Some(t("H1")),
            Rate::Transit {
                mtt: t("MTTN"),
                n: 2,
            },
            Some(t("FHNK")),
        ),
        Flow::Exchange {
            a: t("H1"),
            b: t("H2"),
            q: t("CLH2"),
        },
        transfer(t("H1"), None, Rate::Clearance(t("CLH1")), None),
        transfer(
            t("mucosal_depot"),
            Some(t("K1")),
            Rate::Constant(t("KA1")),
            None,
        ),
        transfer(
            t("gut_depot"),
            Some(t("gut_liver")),
            Rate::Constant(t("KA2")),
            None,
        ),
        transfer(
            t("gut_liver"),
            Some(t("K_transit1")),
            Rate::Transit {
                mtt: t("MTTG"),
                n: 1,
            },
            None,
        ),
    ]),
    routes: Cow::Borrowed(&[
        RouteSpec {
            route: Route::Iv,
            inputs: Cow::Borrowed(&[InputSpec {
                compartment: t("K1"),
                fraction: Cow::Borrowed(&[]),
                duration: None,
            }]),
            device: None,
            note: t("Intravenous: into the S-ketamine central compartment."),
        },
        RouteSpec {
            route: Route::Sublingual,
            inputs: Cow::Borrowed(&[
                InputSpec {
                    compartment: t("mucosal_depot"),
                    fraction: Cow::Borrowed(&[Factor::Param(t("F1"))]),
                    duration: Some(t("D1")),
                },
                InputSpec {
                    compartment: t("gut_depot"),
                    fraction: Cow::Borrowed(&[Factor::Param(t("F2"))]),
                    duration: Some(t("D2")),
                },
            ]),
            device: None,
            note: t(
                "Sublingual thin film: a mucosal route (F1 over D1, then KA1 into the \
                       central compartment) and a swallowed route (F2 over D2, KA2, then through \
                       the liver straight into metabolism: first pass).",
            ),
        },
    ]),
    ke0_overrides: Cow::Borrowed(&[]),
    covariates: Cow::Borrowed(&[
        crate::model::Covariate {
            param: t("CLK1"),
            effect: crate::model::CovariateEffect::Female { factor: 1.2 },
            provenance: Assumption,
        },
        crate::model::Covariate {
            param: t("CLN1"),
            effect: crate::model::CovariateEffect::Female { factor: 1.2 },
            provenance: Assumption,
        },
    ]),
    iiv_covariances: Cow::Borrowed(&[]),
};
