//! Perez-Ruixo C, Rossenu S, Zannikos P, et al. Population pharmacokinetics of esketamine
//! nasal spray and its metabolite noresketamine in healthy subjects and patients with
//! treatment-resistant depression. Clin Pharmacokinet 2021;60:501–516.
//!
//! Table 3 as transcribed (READ-2); time unit h. Nasal, swallowed and oral depots; a
//! hepato-portal compartment where first-pass metabolism forms noresketamine.

use super::{comp_of as c, transfer, IV};
use crate::model::{
    Analyte, Covariate, CovariateEffect, DeviceSpec, Factor, Flow, InputSpec, ModelSpec, Param,
    Provenance::Read2, Race, Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};
use crate::units::{MW_KETAMINE, MW_NORKETAMINE};

const NONE: Scaling = Scaling::None;

const fn cov(param: &'static str, effect: CovariateEffect) -> Covariate {
    Covariate {
        param,
        effect,
        provenance: Read2,
    }
}

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        "Vc",
        "esketamine central volume",
        192.0,
        Unit::L,
        NONE,
        Read2,
    )
    .with_cv_percent(27.5),
    Param::new("Vp1", "peripheral volume 1", 143.0, Unit::L, NONE, Read2).with_cv_percent(49.3),
    Param::new(
        "Q1",
        "intercompartmental clearance 1",
        84.3,
        Unit::LPerH,
        NONE,
        Read2,
    ),
    Param::new("Vp2", "peripheral volume 2", 417.0, Unit::L, NONE, Read2),
    Param::new(
        "Q2",
        "intercompartmental clearance 2",
        37.6,
        Unit::LPerH,
        NONE,
        Read2,
    ),
    Param::new(
        "Qh",
        "hepatic blood flow (both ways)",
        151.0,
        Unit::LPerH,
        NONE,
        Read2,
    )
    .with_cv_percent(23.2),
    Param::new("Vh", "hepato-portal volume", 101.0, Unit::L, NONE, Read2).with_cv_percent(34.6),
    Param::new(
        "kel",
        "liver: loss to other metabolites",
        1.11,
        Unit::PerH,
        NONE,
        Read2,
    )
    .with_cv_percent(120.0),
    Param::new(
        "kmet",
        "liver: formation of noresketamine",
        2.77,
        Unit::PerH,
        NONE,
        Read2,
    ),
    Param::new(
        "ka_n",
        "nasal depot → central",
        2.93,
        Unit::PerH,
        NONE,
        Read2,
    )
    .with_cv_percent(61.5),
    Param::new(
        "ka_sw",
        "swallowed depot → liver",
        1.45,
        Unit::PerH,
        NONE,
        Read2,
    ),
    Param::new(
        "ka_po",
        "oral-solution depot → liver",
        0.97,
        Unit::PerH,
        NONE,
        Read2,
    ),
    Param::new(
        "Dsw",
        "swallowed zero-order input duration",
        0.53,
        Unit::H,
        NONE,
        Read2,
    ),
    Param::new(
        "Dpo",
        "oral zero-order input duration",
        0.32,
        Unit::H,
        NONE,
        Read2,
    ),
    Param::new(
        "FRn",
        "nasal fraction of a spray device",
        0.54,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        "Fspray",
        "nasal-fraction multiplier for devices after the first 28 mg",
        0.62,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        "Fgut",
        "fraction surviving the gut wall",
        0.64,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        "Vcn",
        "noresketamine central volume (apparent)",
        70.0,
        Unit::L,
        NONE,
        Read2,
    )
    .with_cv_percent(31.6),
    Param::new(
        "CLn",
        "noresketamine clearance (apparent)",
        38.0,
        Unit::LPerH,
        NONE,
        Read2,
    )
    .with_cv_percent(25.4),
    Param::new(
        "Vpn",
        "noresketamine peripheral volume (apparent)",
        115.0,
        Unit::L,
        NONE,
        Read2,
    ),
    Param::new(
        "Q3",
        "noresketamine intercompartmental clearance (apparent)",
        26.1,
        Unit::LPerH,
        NONE,
        Read2,
    ),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: "perez_ruixo2021",
    name: "Perez-Ruixo 2021 (esketamine nasal spray + noresketamine)",
    citation: "Perez-Ruixo C, Rossenu S, Zannikos P, et al. Population pharmacokinetics of \
                   esketamine nasal spray and its metabolite noresketamine in healthy subjects \
                   and patients with treatment-resistant depression. Clin Pharmacokinet \
                   2021;60:501–516.",
    population: "820 subjects (healthy and treatment-resistant depression); intranasal, IV \
                     28 mg and oral 84 mg",
    drug: "esketamine (S-ketamine)",
    sampling: Sampling::NotStated,
    notes: &[
        "Table 3 (READ-2); rate constants are in 1/h (the table prints some as \"L/h\", a typo).",
        "One Spravato device = 28 mg esketamine base (32.3 mg HCl) in two sprays; 56 mg = 2 \
             devices, 84 mg = 3, 5 min apart (READ). Sprays after the first 28 mg of a session \
             deliver a nasal fraction reduced ×0.62; the rest is swallowed.",
        "First pass: swallowed and oral drug reaches the liver compartment before the \
             circulation; there it is lost (kel) or forms noresketamine (kmet).",
        "Noresketamine parameters are apparent (V/F, CL/F), with formation fraction 1.",
        "Known issue (READ-2): a literal encoding reproduces the published esketamine \
             Cmax/AUC within about 4% but over-predicts the noresketamine AUC by about \
             1.4–1.56×. Not hidden: treat noresketamine levels from this model as high.",
        "Noresketamine Cmax vs Table 4 (59.1, 119.7, 180.0 ng/mL after 28, 56, 84 mg): this \
             model gives 55.7, 112.9, 170.0 ng/mL (0.94×) in noresketamine mass; read as \
             esketamine-equivalent mass (no molar conversion) 59.2, 120.0, 180.7 (1.00×). \
             Whether Table 4 states its unit was not read; the match says the apparent \
             noresketamine parameters were fitted to the reported ng/mL directly.",
        "No weight scaling is given in the reference file: typical adult values at any \
             weight.",
        "Covariates (READ-2): Asian race kel ×0.36 and CLn ×0.81; Japanese race FRn ×1.34 \
             (Japanese patients also get the Asian effects: ASSUMPTION); Qh falls by 2.19 L/h \
             per year of age above 60.",
    ],
    params: PARAMS,
    analytes: &[
        Analyte {
            id: "esketamine",
            name: "Esketamine",
            mw_g_per_mol: MW_KETAMINE,
            central: "central",
            ligand: "s_ketamine",
        },
        Analyte {
            id: "noresketamine",
            name: "Noresketamine",
            mw_g_per_mol: MW_NORKETAMINE,
            central: "nor_central",
            ligand: "s_norketamine",
        },
    ],
    compartments: &[
        c("central", 0, Role::Central, Some("Vc")),
        c("peripheral1", 0, Role::Peripheral, Some("Vp1")),
        c("peripheral2", 0, Role::Peripheral, Some("Vp2")),
        c("liver", 0, Role::Liver, Some("Vh")),
        c("nasal_depot", 0, Role::Depot, None),
        c("swallowed_depot", 0, Role::Depot, None),
        c("oral_depot", 0, Role::Depot, None),
        c("nor_central", 1, Role::Central, Some("Vcn")),
        c("nor_peripheral", 1, Role::Peripheral, Some("Vpn")),
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
        Flow::Exchange {
            a: "central",
            b: "liver",
            q: "Qh",
        },
        transfer("liver", None, Rate::Constant("kel"), None),
        transfer("liver", Some("nor_central"), Rate::Constant("kmet"), None),
        transfer("nasal_depot", Some("central"), Rate::Constant("ka_n"), None),
        transfer(
            "swallowed_depot",
            Some("liver"),
            Rate::Constant("ka_sw"),
            None,
        ),
        transfer("oral_depot", Some("liver"), Rate::Constant("ka_po"), None),
        Flow::Exchange {
            a: "nor_central",
            b: "nor_peripheral",
            q: "Q3",
        },
        transfer("nor_central", None, Rate::Clearance("CLn"), None),
    ],
    routes: &[
        RouteSpec {
            route: Route::Intranasal,
            inputs: &[
                InputSpec {
                    compartment: "nasal_depot",
                    fraction: &[Factor::Param("FRn")],
                    duration: None,
                },
                InputSpec {
                    compartment: "swallowed_depot",
                    fraction: &[Factor::OneMinus("FRn"), Factor::Param("Fgut")],
                    duration: Some("Dsw"),
                },
            ],
            device: Some(DeviceSpec {
                mg_per_device: 28.0,
                interval_min: 5.0,
                max_devices: 3,
                later_devices: Some(("FRn", "Fspray")),
                note: "Spravato: 28 mg per device, devices 5 min apart (label, READ); later \
                           devices' nasal fraction × 0.62 (READ-2)",
            }),
            note: "Nasal spray: FRn of each device is absorbed nasally (ka_n); the rest is \
                       swallowed, Fgut of it survives the gut wall and reaches the liver.",
        },
        IV,
        RouteSpec {
            route: Route::Oral,
            inputs: &[InputSpec {
                compartment: "oral_depot",
                fraction: &[Factor::Param("Fgut")],
                duration: Some("Dpo"),
            }],
            device: None,
            note: "Oral solution: Fgut survives the gut wall, then first pass through the liver.",
        },
    ],
    ke0_overrides: &[],
    covariates: &[
        cov(
            "kel",
            CovariateEffect::Race {
                race: Race::Asian,
                factor: 0.36,
            },
        ),
        cov(
            "CLn",
            CovariateEffect::Race {
                race: Race::Asian,
                factor: 0.81,
            },
        ),
        cov(
            "FRn",
            CovariateEffect::Race {
                race: Race::Japanese,
                factor: 1.34,
            },
        ),
        cov(
            "Qh",
            CovariateEffect::AgeAbove {
                above_years: 60.0,
                per_year: -2.19,
            },
        ),
    ],
    iiv_covariances: &[],
};
