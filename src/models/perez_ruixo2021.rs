//! Perez-Ruixo C, Rossenu S, Zannikos P, et al. Population pharmacokinetics of esketamine
//! nasal spray and its metabolite noresketamine in healthy subjects and patients with
//! treatment-resistant depression. Clin Pharmacokinet 2021;60:501–516.
//!
//! Table 3 as transcribed (READ-2); time unit h. Nasal, swallowed and oral depots; a
//! hepato-portal compartment where first-pass metabolism forms noresketamine.

use super::{comp_of as c, transfer, IV};
use crate::model::{l, t, Text};
use crate::model::{
    Analyte, Covariate, CovariateEffect, DeviceSpec, Factor, Flow, InputSpec, ModelSpec, Param,
    Provenance::Read2, Race, Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};
use crate::units::{MW_KETAMINE, MW_NORKETAMINE};
use std::borrow::Cow;

const NONE: Scaling = Scaling::None;

const fn cov(param: Text, effect: CovariateEffect) -> Covariate {
    Covariate {
        param,
        effect,
        provenance: Read2,
    }
}

/// The published parameters (a constant table: data, not code).
const PARAMS: &[Param] = &[
    Param::new(
        t("Vc"),
        t("esketamine central volume"),
        192.0,
        Unit::L,
        NONE,
        Read2,
    )
    .with_cv_percent(27.5),
    Param::new(
        t("Vp1"),
        t("peripheral volume 1"),
        143.0,
        Unit::L,
        NONE,
        Read2,
    )
    .with_cv_percent(49.3),
    Param::new(
        t("Q1"),
        t("intercompartmental clearance 1"),
        84.3,
        Unit::LPerH,
        NONE,
        Read2,
    ),
    Param::new(
        t("Vp2"),
        t("peripheral volume 2"),
        417.0,
        Unit::L,
        NONE,
        Read2,
    ),
    Param::new(
        t("Q2"),
        t("intercompartmental clearance 2"),
        37.6,
        Unit::LPerH,
        NONE,
        Read2,
    ),
    Param::new(
        t("Qh"),
        t("hepatic blood flow (both ways)"),
        151.0,
        Unit::LPerH,
        NONE,
        Read2,
    )
    .with_cv_percent(23.2),
    Param::new(
        t("Vh"),
        t("hepato-portal volume"),
        101.0,
        Unit::L,
        NONE,
        Read2,
    )
    .with_cv_percent(34.6),
    Param::new(
        t("kel"),
        t("liver: loss to other metabolites"),
        1.11,
        Unit::PerH,
        NONE,
        Read2,
    )
    .with_cv_percent(120.0),
    Param::new(
        t("kmet"),
        t("liver: formation of noresketamine"),
        2.77,
        Unit::PerH,
        NONE,
        Read2,
    ),
    Param::new(
        t("ka_n"),
        t("nasal depot → central"),
        2.93,
        Unit::PerH,
        NONE,
        Read2,
    )
    .with_cv_percent(61.5),
    Param::new(
        t("ka_sw"),
        t("swallowed depot → liver"),
        1.45,
        Unit::PerH,
        NONE,
        Read2,
    ),
    Param::new(
        t("ka_po"),
        t("oral-solution depot → liver"),
        0.97,
        Unit::PerH,
        NONE,
        Read2,
    ),
    Param::new(
        t("Dsw"),
        t("swallowed zero-order input duration"),
        0.53,
        Unit::H,
        NONE,
        Read2,
    ),
    Param::new(
        t("Dpo"),
        t("oral zero-order input duration"),
        0.32,
        Unit::H,
        NONE,
        Read2,
    ),
    Param::new(
        t("FRn"),
        t("nasal fraction of a spray device"),
        0.54,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        t("Fspray"),
        t("nasal-fraction multiplier for devices after the first 28 mg"),
        0.62,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        t("Fgut"),
        t("fraction surviving the gut wall"),
        0.64,
        Unit::Fraction,
        NONE,
        Read2,
    ),
    Param::new(
        t("Vcn"),
        t("noresketamine central volume (apparent)"),
        70.0,
        Unit::L,
        NONE,
        Read2,
    )
    .with_cv_percent(31.6),
    Param::new(
        t("CLn"),
        t("noresketamine clearance (apparent)"),
        38.0,
        Unit::LPerH,
        NONE,
        Read2,
    )
    .with_cv_percent(25.4),
    Param::new(
        t("Vpn"),
        t("noresketamine peripheral volume (apparent)"),
        115.0,
        Unit::L,
        NONE,
        Read2,
    ),
    Param::new(
        t("Q3"),
        t("noresketamine intercompartmental clearance (apparent)"),
        26.1,
        Unit::LPerH,
        NONE,
        Read2,
    ),
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: t("perez_ruixo2021"),
    name: t("Perez-Ruixo 2021 (esketamine nasal spray + noresketamine)"),
    citation: t("Perez-Ruixo C, Rossenu S, Zannikos P, et al. Population pharmacokinetics of \
                   esketamine nasal spray and its metabolite noresketamine in healthy subjects \
                   and patients with treatment-resistant depression. Clin Pharmacokinet \
                   2021;60:501–516."),
    population: t("820 subjects (healthy and treatment-resistant depression); intranasal, IV \
                     28 mg and oral 84 mg"),
    drug: t("esketamine (S-ketamine)"),
    sampling: Sampling::NotStated,
    notes: Cow::Borrowed(&[
        t("Table 3 (READ-2); rate constants are in 1/h (the table prints some as \"L/h\", a typo)."),
        t("One Spravato device = 28 mg esketamine base (32.3 mg HCl) in two sprays; 56 mg = 2 \
             devices, 84 mg = 3, 5 min apart (READ). Sprays after the first 28 mg of a session \
             deliver a nasal fraction reduced ×0.62; the rest is swallowed."),
        t("First pass: swallowed and oral drug reaches the liver compartment before the \
             circulation; there it is lost (kel) or forms noresketamine (kmet)."),
        t("Noresketamine parameters are apparent (V/F, CL/F), with formation fraction 1."),
        t("Known issue (READ-2): a literal encoding reproduces the published esketamine \
             Cmax/AUC within about 4% but over-predicts the noresketamine AUC by about \
             1.4–1.56×. Not hidden: treat noresketamine levels from this model as high."),
        t("Noresketamine Cmax vs Table 4 (59.1, 119.7, 180.0 ng/mL after 28, 56, 84 mg): this \
             model gives 55.7, 112.9, 170.0 ng/mL (0.94×) in noresketamine mass; read as \
             esketamine-equivalent mass (no molar conversion) 59.2, 120.0, 180.7 (1.00×). \
             Whether Table 4 states its unit was not read; the match says the apparent \
             noresketamine parameters were fitted to the reported ng/mL directly."),
        t("No weight scaling is given in the reference file: typical adult values at any \
             weight."),
        t("Covariates (READ-2): Asian race kel ×0.36 and CLn ×0.81; Japanese race FRn ×1.34 \
             (Japanese patients also get the Asian effects: ASSUMPTION); Qh falls by 2.19 L/h \
             per year of age above 60."),
    ]),
    params: l(PARAMS),
    analytes: Cow::Borrowed(&[
        Analyte {
            id: t("esketamine"),
            name: t("Esketamine"),
            mw_g_per_mol: MW_KETAMINE,
            central: t("central"),
            ligand: t("s_ketamine"),
            binding: None,
        },
        Analyte {
            id: t("noresketamine"),
            name: t("Noresketamine"),
            mw_g_per_mol: MW_NORKETAMINE,
            central: t("nor_central"),
            ligand: t("s_norketamine"),
            binding: None,
        },
    ]),
    compartments: Cow::Borrowed(&[
        c(t("central"), 0, Role::Central, Some(t("Vc"))),
        c(t("peripheral1"), 0, Role::Peripheral, Some(t("Vp1"))),
        c(t("peripheral2"), 0, Role::Peripheral, Some(t("Vp2"))),
        c(t("liver"), 0, Role::Liver, Some(t("Vh"))),
        c(t("nasal_depot"), 0, Role::Depot, None),
        c(t("swallowed_depot"), 0, Role::Depot, None),
        c(t("oral_depot"), 0, Role::Depot, None),
        c(t("nor_central"), 1, Role::Central, Some(t("Vcn"))),
        c(t("nor_peripheral"), 1, Role::Peripheral, Some(t("Vpn"))),
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
        Flow::Exchange {
            a: t("central"),
            b: t("liver"),
            q: t("Qh"),
        },
        transfer(t("liver"), None, Rate::Constant(t("kel")), None),
        transfer(t("liver"), Some(t("nor_central")), Rate::Constant(t("kmet")), None),
        transfer(t("nasal_depot"), Some(t("central")), Rate::Constant(t("ka_n")), None),
        transfer(
            t("swallowed_depot"),
            Some(t("liver")),
            Rate::Constant(t("ka_sw")),
            None,
        ),
        transfer(t("oral_depot"), Some(t("liver")), Rate::Constant(t("ka_po")), None),
        Flow::Exchange {
            a: t("nor_central"),
            b: t("nor_peripheral"),
            q: t("Q3"),
        },
        transfer(t("nor_central"), None, Rate::Clearance(t("CLn")), None),
    ]),
    routes: Cow::Borrowed(&[
        RouteSpec {
            route: Route::Intranasal,
            inputs: Cow::Borrowed(&[
                InputSpec {
                    compartment: t("nasal_depot"),
                    fraction: Cow::Borrowed(&[Factor::Param(t("FRn"))]),
                    duration: None,
                },
                InputSpec {
                    compartment: t("swallowed_depot"),
                    fraction: Cow::Borrowed(&[Factor::OneMinus(t("FRn")), Factor::Param(t("Fgut"))]),
                    duration: Some(t("Dsw")),
                },
            ]),
            device: Some(DeviceSpec {
                mg_per_device: 28.0,
                interval_min: 5.0,
                max_devices: 3,
                later_devices: Some((t("FRn"), t("Fspray"))),
                note: t("Spravato: 28 mg per device, devices 5 min apart (label, READ); later \
                           devices' nasal fraction × 0.62 (READ-2)"),
            }),
            note: t("Nasal spray: FRn of each device is absorbed nasally (ka_n); the rest is \
                       swallowed, Fgut of it survives the gut wall and reaches the liver."),
        },
        IV,
        RouteSpec {
            route: Route::Oral,
            inputs: Cow::Borrowed(&[InputSpec {
                compartment: t("oral_depot"),
                fraction: Cow::Borrowed(&[Factor::Param(t("Fgut"))]),
                duration: Some(t("Dpo")),
            }]),
            device: None,
            note: t("Oral solution: Fgut survives the gut wall, then first pass through the liver."),
        },
    ]),
    ke0_overrides: Cow::Borrowed(&[]),
    covariates: Cow::Borrowed(&[
        cov(
            t("kel"),
            CovariateEffect::Race {
                race: Race::Asian,
                factor: 0.36,
            },
        ),
        cov(
            t("CLn"),
            CovariateEffect::Race {
                race: Race::Asian,
                factor: 0.81,
            },
        ),
        cov(
            t("FRn"),
            CovariateEffect::Race {
                race: Race::Japanese,
                factor: 1.34,
            },
        ),
        cov(
            t("Qh"),
            CovariateEffect::AgeAbove {
                above_years: 60.0,
                per_year: -2.19,
            },
        ),
    ]),
    iiv_covariances: Cow::Borrowed(&[]),
};
