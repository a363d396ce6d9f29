//! S-ketamine: Fanta S, et al. Eur J Clin Pharmacol 2015;71:441 (11 healthy men; CL and oral F
//! read in the paper). S-norketamine: Otto 2021, Eur J Clin Pharmacol 77:1181 (48 volunteers).
//! Structural values from Otto 2021 Table 3 as transcribed (READ-2); venous sampling.

use super::{comp_of as c, transfer, IV};
use crate::model::{
    Analyte, Factor, Flow, InputSpec, ModelSpec, Param,
    Provenance::{Assumption, Read, Read2},
    Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};
use crate::units::{MW_KETAMINE, MW_NORKETAMINE};

const NONE: Scaling = Scaling::None;

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        "V1",
        "S-ketamine central volume",
        133.0,
        Unit::L,
        Scaling::Allometric { exponent: 1.0 },
        Read2,
    )
    .with_omega2(0.084),
    Param::new(
        "CL",
        "S-ketamine clearance (95 L/h in Fanta, READ)",
        95.2,
        Unit::LPerH,
        Scaling::Allometric { exponent: 0.75 },
        Read2,
    )
    .with_omega2(0.026),
    Param::new(
        "Vp1",
        "S-ketamine peripheral volume 1",
        187.0,
        Unit::L,
        NONE,
        Read2,
    ),
    Param::new(
        "Q1",
        "S-ketamine intercompartmental clearance 1",
        23.2,
        Unit::LPerH,
        NONE,
        Read2,
    ),
    Param::new(
        "Vp2",
        "S-ketamine peripheral volume 2",
        98.8,
        Unit::L,
        NONE,
        Read2,
    ),
    Param::new(
        "Q2",
        "S-ketamine intercompartmental clearance 2",
        157.0,
        Unit::LPerH,
        NONE,
        Read2,
    ),
    Param::new(
        "FM",
        "fraction of S-ketamine clearance forming S-norketamine",
        1.0,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        "Vn",
        "S-norketamine central volume",
        98.6,
        Unit::L,
        NONE,
        Read2,
    )
    .with_omega2(0.040),
    Param::new(
        "CLn",
        "S-norketamine clearance",
        57.7,
        Unit::LPerH,
        NONE,
        Read2,
    )
    .with_omega2(0.103),
    Param::new(
        "Vpn",
        "S-norketamine peripheral volume",
        160.0,
        Unit::L,
        NONE,
        Read2,
    ),
    Param::new(
        "Qn",
        "S-norketamine intercompartmental clearance",
        42.8,
        Unit::LPerH,
        NONE,
        Read2,
    ),
    Param::new(
        "F",
        "oral bioavailability of S-ketamine",
        0.08,
        Unit::Fraction,
        NONE,
        Read,
    ),
    Param::new(
        "Dpo",
        "oral zero-order input duration (borrowed from Perez-Ruixo 2021)",
        0.32,
        Unit::H,
        NONE,
        Assumption,
    ),
    Param::new(
        "ka",
        "oral absorption rate (borrowed from Perez-Ruixo 2021)",
        0.97,
        Unit::PerH,
        NONE,
        Assumption,
    ),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: "fanta2015",
    name: "Fanta 2015 / Otto 2021 (S-ketamine + S-norketamine, venous)",
    citation: "S-ketamine: Fanta S et al. Eur J Clin Pharmacol 2015;71:441. S-norketamine and \
                   structure: Otto 2021, Eur J Clin Pharmacol 2021;77:1181 (Table 3).",
    population: "S-ketamine: 11 healthy men; S-norketamine: 48 volunteers",
    drug: "S-ketamine (esketamine)",
    sampling: Sampling::Venous,
    notes: &[
        "Allometry WT/70 with exponent 1 on V1 and 0.75 on CL only; peripheral parameters \
             are not scaled.",
        "All S-ketamine clearance is assumed to form S-norketamine (fraction 1, as in Otto \
             2021).",
        "Oral: F = 8% (Fanta, READ) reaches the circulation; the other 92% is metabolised \
             on the first pass and enters as S-norketamine. Fanta (READ): after oral S-ketamine \
             the norketamine AUC is 16.5× that of S-ketamine.",
        "The oral absorption time course is not in the reference file: it borrows the oral \
             solution's zero-order input (0.32 h) and ka (0.97 /h) of Perez-Ruixo 2021 \
             (ASSUMPTION).",
    ],
    params: PARAMS,
    analytes: &[
        Analyte {
            id: "s_ketamine",
            name: "S-ketamine",
            mw_g_per_mol: MW_KETAMINE,
            central: "central",
            ligand: "s_ketamine",
        },
        Analyte {
            id: "s_norketamine",
            name: "S-norketamine",
            mw_g_per_mol: MW_NORKETAMINE,
            central: "nk_central",
            ligand: "s_norketamine",
        },
    ],
    compartments: &[
        c("central", 0, Role::Central, Some("V1")),
        c("peripheral1", 0, Role::Peripheral, Some("Vp1")),
        c("peripheral2", 0, Role::Peripheral, Some("Vp2")),
        c("gut_depot", 0, Role::Depot, None),
        c("first_pass_depot", 0, Role::Liver, None),
        c("nk_central", 1, Role::Central, Some("Vn")),
        c("nk_peripheral", 1, Role::Peripheral, Some("Vpn")),
    ],
    flows: &[
        Flow::Exchange {
            a: "central",
            b: "peripheral1",
            q: "Q1",
        },
        Flow::Exchange {
            a: "central",
            b: "peripheral2",
            q: "Q2",
        },
        transfer(
            "central",
            Some("nk_central"),
            Rate::Clearance("CL"),
            Some("FM"),
        ),
        transfer("gut_depot", Some("central"), Rate::Constant("ka"), None),
        transfer(
            "first_pass_depot",
            Some("nk_central"),
            Rate::Constant("ka"),
            Some("FM"),
        ),
        Flow::Exchange {
            a: "nk_central",
            b: "nk_peripheral",
            q: "Qn",
        },
        transfer("nk_central", None, Rate::Clearance("CLn"), None),
    ],
    routes: &[
        IV,
        RouteSpec {
            route: Route::Oral,
            inputs: &[
                InputSpec {
                    compartment: "gut_depot",
                    fraction: &[Factor::Param("F")],
                    duration: Some("Dpo"),
                },
                InputSpec {
                    compartment: "first_pass_depot",
                    fraction: &[Factor::OneMinus("F")],
                    duration: Some("Dpo"),
                },
            ],
            device: None,
            note: "Oral: 8% reaches the circulation as S-ketamine; 92% is metabolised on the \
                       first pass and appears as S-norketamine.",
        },
    ],
    ke0_overrides: &[],
    covariates: &[],
    iiv_covariances: &[("V1", "CL", 0.023), ("Vn", "CLn", 0.044)],
};
