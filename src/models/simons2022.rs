//! Simons P, Olofsen E, van Velzen M, et al., Dahan A. S-ketamine oral thin film, part 1:
//! population pharmacokinetics of S-ketamine, S-norketamine and S-hydroxynorketamine.
//! Front Pain Res 2022;3:946486.
//!
//! S-ketamine (3-cmt) → 2-compartment transit chain → S-norketamine (2-cmt) → transit chain →
//! S-hydroxynorketamine (2-cmt), arterial. Table 4 values as transcribed (READ-2). Amounts are
//! mg S-ketamine equivalents, so formation conserves moles.

use super::{comp_of as c, transfer};
use crate::model::{
    Analyte, Factor, Flow, InputSpec, ModelSpec, Param,
    Provenance::{Assumption, Read2},
    Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};
use crate::units::{MW_HYDROXYNORKETAMINE, MW_KETAMINE, MW_NORKETAMINE};

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };
const NONE: Scaling = Scaling::None;

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        "VK1",
        "S-ketamine central volume (= VN1)",
        11.6,
        Unit::L,
        VOL,
        Read2,
    )
    .with_omega2(0.057),
    Param::new(
        "VK2",
        "S-ketamine fast peripheral volume",
        39.0,
        Unit::L,
        VOL,
        Read2,
    ),
    Param::new(
        "VK3",
        "S-ketamine slow peripheral volume",
        174.0,
        Unit::L,
        VOL,
        Read2,
    ),
    Param::new(
        "CLK1",
        "S-ketamine metabolic clearance",
        1.48,
        Unit::LPerMin,
        CLR,
        Read2,
    )
    .with_omega2(0.029),
    Param::new(
        "CLK2",
        "S-ketamine intercompartmental clearance 2",
        2.43,
        Unit::LPerMin,
        CLR,
        Read2,
    ),
    Param::new(
        "CLK3",
        "S-ketamine intercompartmental clearance 3",
        1.21,
        Unit::LPerMin,
        CLR,
        Read2,
    )
    .with_omega2(0.026),
    Param::new(
        "MTTK",
        "mean transit time S-ketamine → S-norketamine",
        20.1,
        Unit::Min,
        NONE,
        Read2,
    )
    .with_omega2(0.021),
    Param::new(
        "FNK",
        "fraction of the chain's output forming S-norketamine",
        0.8,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        "VN2",
        "S-norketamine peripheral volume",
        221.0,
        Unit::L,
        VOL,
        Read2,
    ),
    Param::new(
        "CLN1",
        "S-norketamine clearance",
        1.00,
        Unit::LPerMin,
        CLR,
        Read2,
    )
    .with_omega2(0.050),
    Param::new(
        "CLN2",
        "S-norketamine intercompartmental clearance",
        2.63,
        Unit::LPerMin,
        CLR,
        Read2,
    ),
    Param::new(
        "MTTN",
        "mean transit time S-norketamine → S-HNK",
        1.12,
        Unit::Min,
        NONE,
        Read2,
    ),
    Param::new(
        "FHNK",
        "fraction of the second chain's output forming S-HNK",
        0.7,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new("VH1", "S-HNK central volume", 4.4, Unit::L, VOL, Read2).with_omega2(1.22),
    Param::new("VH2", "S-HNK peripheral volume", 87.5, Unit::L, VOL, Read2),
    Param::new("CLH1", "S-HNK clearance", 0.933, Unit::LPerMin, CLR, Read2).with_omega2(0.103),
    Param::new(
        "CLH2",
        "S-HNK intercompartmental clearance",
        1.70,
        Unit::LPerMin,
        CLR,
        Read2,
    )
    .with_omega2(0.287),
    Param::new(
        "F1",
        "thin film: mucosal fraction",
        0.263,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        "D1",
        "thin film: mucosal zero-order input duration",
        13.1,
        Unit::Min,
        NONE,
        Read2,
    ),
    Param::new(
        "KA1",
        "thin film: mucosal depot → central",
        0.04,
        Unit::PerMin,
        NONE,
        Read2,
    ),
    Param::new(
        "F2",
        "thin film: swallowed fraction",
        1.16,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        "D2",
        "thin film: swallowed zero-order input duration",
        29.9,
        Unit::Min,
        NONE,
        Read2,
    ),
    Param::new(
        "KA2",
        "thin film: gut depot → gut-liver transit",
        0.049,
        Unit::PerMin,
        NONE,
        Read2,
    ),
    Param::new(
        "MTTG",
        "gut-to-liver transit time",
        10.7,
        Unit::Min,
        NONE,
        Read2,
    ),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: "simons2022",
    name: "Simons 2022 (S-ketamine → S-norketamine → S-HNK)",
    citation: "Simons P, Olofsen E, van Velzen M, et al., Dahan A. S-ketamine oral thin film, \
                   part 1: population pharmacokinetics of S-ketamine, S-norketamine and \
                   S-hydroxynorketamine. Front Pain Res 2022;3:946486.",
    population: "20 healthy volunteers, 73 ± 12 kg",
    drug: "S-ketamine (esketamine)",
    sampling: Sampling::Arterial,
    notes: &[
        "Parameters from Table 4 as transcribed (READ-2), at 70 kg. The allometric exponents \
             are not printed: 0.75 on clearances and 1 on volumes is the usual assumption.",
        "Metabolism: S-ketamine clearance feeds a 2-compartment transit chain (MTT 20.1 min); \
             80% of its output forms S-norketamine, which feeds a second chain (MTT 1.12 min) of \
             which 70% forms S-hydroxynorketamine. Abstract (READ): 80% of S-ketamine is \
             metabolised to S-NK and 56% ends up as S-HNK.",
        "First pass (sublingual thin film): the swallowed part passes a gut-to-liver transit \
             compartment and enters the metabolism chain directly, so it makes metabolites \
             without reaching systemic S-ketamine.",
        "F2 = 116% is the published estimate for the swallowed part; with F1 = 26.3% the two \
             add up to more than the film dose — shown as published.",
        "Sex: women get 20% greater S-ketamine and S-norketamine clearance (Sigtermans 2009, \
             READ); applying it to this model is an ASSUMPTION.",
        "Metabolites use the effect-site rate of the chosen endpoint (ASSUMPTION) and the \
             unbound fraction of racemic ketamine (ASSUMPTION).",
    ],
    params: PARAMS,
    analytes: &[
        Analyte {
            id: "s_ketamine",
            name: "S-ketamine",
            mw_g_per_mol: MW_KETAMINE,
            central: "K1",
            ligand: "s_ketamine",
        },
        Analyte {
            id: "s_norketamine",
            name: "S-norketamine",
            mw_g_per_mol: MW_NORKETAMINE,
            central: "N1",
            ligand: "s_norketamine",
        },
        Analyte {
            id: "s_hnk",
            name: "S-hydroxynorketamine",
            mw_g_per_mol: MW_HYDROXYNORKETAMINE,
            central: "H1",
            ligand: "hnk_2s6s",
        },
    ],
    compartments: &[
        c("K1", 0, Role::Central, Some("VK1")),
        c("K2", 0, Role::Peripheral, Some("VK2")),
        c("K3", 0, Role::Peripheral, Some("VK3")),
        c("K_transit1", 0, Role::Transit, None),
        c("K_transit2", 0, Role::Transit, None),
        c("N1", 1, Role::Central, Some("VK1")),
        c("N2", 1, Role::Peripheral, Some("VN2")),
        c("N_transit1", 1, Role::Transit, None),
        c("N_transit2", 1, Role::Transit, None),
        c("H1", 2, Role::Central, Some("VH1")),
        c("H2", 2, Role::Peripheral, Some("VH2")),
        c("mucosal_depot", 0, Role::Depot, None),
        c("gut_depot", 0, Role::Depot, None),
        c("gut_liver", 0, Role::Liver, None),
    ],
    flows: &[
        Flow::Exchange {
            a: "K1",
            b: "K2",
            q: "CLK2",
        },
        Flow::Exchange {
            a: "K1",
            b: "K3",
            q: "CLK3",
        },
        transfer("K1", Some("K_transit1"), Rate::Clearance("CLK1"), None),
        transfer(
            "K_transit1",
            Some("K_transit2"),
            Rate::Transit { mtt: "MTTK", n: 2 },
            None,
        ),
        transfer(
            "K_transit2",
            Some("N1"),
            Rate::Transit { mtt: "MTTK", n: 2 },
            Some("FNK"),
        ),
        Flow::Exchange {
            a: "N1",
            b: "N2",
            q: "CLN2",
        },
        transfer("N1", Some("N_transit1"), Rate::Clearance("CLN1"), None),
        transfer(
            "N_transit1",
            Some("N_transit2"),
            Rate::Transit { mtt: "MTTN", n: 2 },
            None,
        ),
        transfer(
            "N_transit2",
            Some("H1"),
            Rate::Transit { mtt: "MTTN", n: 2 },
            Some("FHNK"),
        ),
        Flow::Exchange {
            a: "H1",
            b: "H2",
            q: "CLH2",
        },
        transfer("H1", None, Rate::Clearance("CLH1"), None),
        transfer("mucosal_depot", Some("K1"), Rate::Constant("KA1"), None),
        transfer("gut_depot", Some("gut_liver"), Rate::Constant("KA2"), None),
        transfer(
            "gut_liver",
            Some("K_transit1"),
            Rate::Transit { mtt: "MTTG", n: 1 },
            None,
        ),
    ],
    routes: &[
        RouteSpec {
            route: Route::Iv,
            inputs: &[InputSpec {
                compartment: "K1",
                fraction: &[],
                duration: None,
            }],
            device: None,
            note: "Intravenous: into the S-ketamine central compartment.",
        },
        RouteSpec {
            route: Route::Sublingual,
            inputs: &[
                InputSpec {
                    compartment: "mucosal_depot",
                    fraction: &[Factor::Param("F1")],
                    duration: Some("D1"),
                },
                InputSpec {
                    compartment: "gut_depot",
                    fraction: &[Factor::Param("F2")],
                    duration: Some("D2"),
                },
            ],
            device: None,
            note: "Sublingual thin film: a mucosal route (F1 over D1, then KA1 into the \
                       central compartment) and a swallowed route (F2 over D2, KA2, then through \
                       the liver straight into metabolism: first pass).",
        },
    ],
    ke0_overrides: &[],
    covariates: &[
        crate::model::Covariate {
            param: "CLK1",
            effect: crate::model::CovariateEffect::Female { factor: 1.2 },
            provenance: Assumption,
        },
        crate::model::Covariate {
            param: "CLN1",
            effect: crate::model::CovariateEffect::Female { factor: 1.2 },
            provenance: Assumption,
        },
    ],
    iiv_covariances: &[],
};
