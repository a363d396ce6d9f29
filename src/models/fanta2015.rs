//! S-ketamine: Fanta S, et al. Eur J Clin Pharmacol 2015;71:441 (11 healthy men; CL and oral F
//! read in the paper). S-norketamine: Otto 2021, Eur J Clin Pharmacol 77:1181 (48 volunteers).
//! Structural values from Otto 2021 Table 3 as transcribed (READ-2); venous sampling.

use super::{comp_of as c, transfer, IV};
use crate::model::{l, t};
use crate::model::{
    Analyte, Factor, Flow, InputSpec, ModelSpec, Param,
    Provenance::{Assumption, Read, Read2},
    Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};
use crate::units::{MW_KETAMINE, MW_NORKETAMINE};
use std::borrow::Cow;

const NONE: Scaling = Scaling::None;

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        t("V1"),
        t("S-ketamine central volume"),
        133.0,
        Unit::L,
        Scaling::Allometric { exponent: 1.0 },
        Read2,
    )
    .with_omega2(0.084),
    Param::new(
        t("CL"),
        t("S-ketamine clearance (95 L/h in Fanta, READ)"),
        95.2,
        Unit::LPerH,
        Scaling::Allometric { exponent: 0.75 },
        Read2,
    )
    .with_omega2(0.026),
    Param::new(
        t("Vp1"),
        t("S-ketamine peripheral volume 1"),
        187.0,
        Unit::L,
        NONE,
        Read2,
    ),
    Param::new(
        t("Q1"),
        t("S-ketamine intercompartmental clearance 1"),
        23.2,
        Unit::LPerH,
        NONE,
        Read2,
    ),
    Param::new(
        t("Vp2"),
        t("S-ketamine peripheral volume 2"),
        98.8,
        Unit::L,
        NONE,
        Read2,
    ),
    Param::new(
        t("Q2"),
        t("S-ketamine intercompartmental clearance 2"),
        157.0,
        Unit::LPerH,
        NONE,
        Read2,
    ),
    Param::new(
        t("FM"),
        t("fraction of S-ketamine clearance forming S-norketamine"),
        1.0,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        t("Vn"),
        t("S-norketamine central volume"),
        98.6,
        Unit::L,
        NONE,
        Read2,
    )
    .with_omega2(0.040),
    Param::new(
        t("CLn"),
        t("S-norketamine clearance"),
        57.7,
        Unit::LPerH,
        NONE,
        Read2,
    )
    .with_omega2(0.103),
    Param::new(
        t("Vpn"),
        t("S-norketamine peripheral volume"),
        160.0,
        Unit::L,
        NONE,
        Read2,
    ),
    Param::new(
        t("Qn"),
        t("S-norketamine intercompartmental clearance"),
        42.8,
        Unit::LPerH,
        NONE,
        Read2,
    ),
    Param::new(
        t("F"),
        t("oral bioavailability of S-ketamine"),
        0.08,
        Unit::Fraction,
        NONE,
        Read,
    ),
    Param::new(
        t("Dpo"),
        t("oral zero-order input duration (borrowed from Perez-Ruixo 2021)"),
        0.32,
        Unit::H,
        NONE,
        Assumption,
    ),
    Param::new(
        t("ka"),
        t("oral absorption rate (borrowed from Perez-Ruixo 2021)"),
        0.97,
        Unit::PerH,
        NONE,
        Assumption,
    ),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: t("fanta2015"),
    name: t("Fanta 2015 / Otto 2021 (S-ketamine + S-norketamine, venous)"),
    citation: t(
        "S-ketamine: Fanta S et al. Eur J Clin Pharmacol 2015;71:441. S-norketamine and \
                   structure: Otto 2021, Eur J Clin Pharmacol 2021;77:1181 (Table 3).",
    ),
    population: t("S-ketamine: 11 healthy men; S-norketamine: 48 volunteers"),
    drug: t("S-ketamine (esketamine)"),
    sampling: Sampling::Venous,
    notes: Cow::Borrowed(&[
        t(
            "Allometry WT/70 with exponent 1 on V1 and 0.75 on CL only; peripheral parameters \
             are not scaled.",
        ),
        t(
            "All S-ketamine clearance is assumed to form S-norketamine (fraction 1, as in Otto \
             2021).",
        ),
        t(
            "Oral: F = 8% (Fanta, READ) reaches the circulation; the other 92% is metabolised \
             on the first pass and enters as S-norketamine. Fanta (READ): after oral S-ketamine \
             the norketamine AUC is 16.5× that of S-ketamine.",
        ),
        t(
            "The oral absorption time course is not in the reference file: it borrows the oral \
             solution's zero-order input (0.32 h) and ka (0.97 /h) of Perez-Ruixo 2021 \
             (ASSUMPTION).",
        ),
    ]),
    params: l(PARAMS),
    analytes: Cow::Borrowed(&[
        Analyte {
            id: t("s_ketamine"),
            name: t("S-ketamine"),
            mw_g_per_mol: MW_KETAMINE,
            central: t("central"),
            ligand: t("s_ketamine"),
            binding: None,
        },
        Analyte {
            id: t("s_norketamine"),
            name: t("S-norketamine"),
            mw_g_per_mol: MW_NORKETAMINE,
            central: t("nk_central"),
            ligand: t("s_norketamine"),
            binding: None,
        },
    ]),
    compartments: Cow::Borrowed(&[
        c(t("central"), 0, Role::Central, Some(t("V1"))),
        c(t("peripheral1"), 0, Role::Peripheral, Some(t("Vp1"))),
        c(t("peripheral2"), 0, Role::Peripheral, Some(t("Vp2"))),
        c(t("gut_depot"), 0, Role::Depot, None),
        c(t("first_pass_depot"), 0, Role::Liver, None),
        c(t("nk_central"), 1, Role::Central, Some(t("Vn"))),
        c(t("nk_peripheral"), 1, Role::Peripheral, Some(t("Vpn"))),
    ]),
    flows: Cow::Borrowed(&[
        Flow::Exchange {
            a: t("central"),
            b: t("peripheral1"),
            q: t("Q1"),
        },
        Flow::Exchange {
            a: t("central"),
            b: t("peripheral2"),
            q: t("Q2"),
        },
        transfer(
            t("central"),
            Some(t("nk_central")),
            Rate::Clearance(t("CL")),
            Some(t("FM")),
        ),
        transfer(
            t("gut_depot"),
            Some(t("central")),
            Rate::Constant(t("ka")),
            None,
        ),
        transfer(
            t("first_pass_depot"),
            Some(t("nk_central")),
            Rate::Constant(t("ka")),
            Some(t("FM")),
        ),
        Flow::Exchange {
            a: t("nk_central"),
            b: t("nk_peripheral"),
            q: t("Qn"),
        },
        transfer(t("nk_central"), None, Rate::Clearance(t("CLn")), None),
    ]),
    routes: Cow::Borrowed(&[
        IV,
        RouteSpec {
            route: Route::Oral,
            inputs: Cow::Borrowed(&[
                InputSpec {
                    compartment: t("gut_depot"),
                    fraction: Cow::Borrowed(&[Factor::Param(t("F"))]),
                    duration: Some(t("Dpo")),
                },
                InputSpec {
                    compartment: t("first_pass_depot"),
                    fraction: Cow::Borrowed(&[Factor::OneMinus(t("F"))]),
                    duration: Some(t("Dpo")),
                },
            ]),
            device: None,
            note: t(
                "Oral: 8% reaches the circulation as S-ketamine; 92% is metabolised on the \
                       first pass and appears as S-norketamine.",
            ),
        },
    ]),
    ke0_overrides: Cow::Borrowed(&[]),
    covariates: Cow::Borrowed(&[]),
    iiv_covariances: Cow::Borrowed(&[(t("V1"), t("CL"), 0.023), (t("Vn"), t("CLn"), 0.044)]),
};
