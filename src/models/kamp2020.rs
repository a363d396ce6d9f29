//! Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A. Ketamine
//! pharmacokinetics: a systematic review of the literature, meta-analysis, and population
//! analysis. Anesthesiology 2020;133:1192–1213.
//!
//! Raw-data model (14 studies), arterial central compartment and two peripherals. Values as
//! encoded in public TCI software that cites the paper (CODE). The paper's venous-delay
//! compartments were not retrieved and are not modelled. Extravascular routes of racemic
//! ketamine are added with the bioavailabilities of the reference data file.

use super::{comp, exchange, transfer, IV, RACEMIC};
use crate::model::{l, t};
use crate::model::{
    Compartment, Factor, Flow, InputSpec, ModelSpec, Param,
    Provenance::{Assumption, Code, Derived, Read, Unverified},
    Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};
use std::borrow::Cow;

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };
const NONE: Scaling = Scaling::None;
/// Sublingual absorption rate, 1/min, giving Tmax = 45 min at 70 kg with this disposition
/// (Rolan 2014's Tmax 0.75 h); the test `racemic_extravascular_routes_use_the_published_
/// bioavailability` re-derives it.
const KA_SL_PER_MIN: f64 = 0.01207;

const PARAMS: &[Param] = &[
    Param::new(
        t("CL"),
        t("elimination clearance"),
        84.0,
        Unit::LPerH,
        CLR,
        Code,
    ),
    Param::new(
        t("Q2"),
        t("intercompartmental clearance, fast peripheral"),
        161.0,
        Unit::LPerH,
        CLR,
        Code,
    ),
    Param::new(
        t("Q3"),
        t("intercompartmental clearance, slow peripheral"),
        79.0,
        Unit::LPerH,
        CLR,
        Code,
    ),
    Param::new(
        t("V1"),
        t("central (arterial) volume"),
        25.0,
        Unit::L,
        VOL,
        Code,
    ),
    Param::new(
        t("V2"),
        t("fast peripheral volume"),
        56.0,
        Unit::L,
        VOL,
        Code,
    ),
    Param::new(
        t("V3"),
        t("slow peripheral volume"),
        157.0,
        Unit::L,
        VOL,
        Code,
    ),
    Param::new(
        t("F_oral"),
        t("oral bioavailability (Yanagihara 2003)"),
        0.20,
        Unit::Fraction,
        NONE,
        Read,
    ),
    Param::new(
        t("ka_oral"),
        t("oral absorption, ln 2 / 59 min (Brunette 2011, children)"),
        std::f64::consts::LN_2 / 59.0,
        Unit::PerMin,
        NONE,
        Assumption,
    ),
    Param::new(
        t("F_sl"),
        t("sublingual bioavailability (Rolan 2014)"),
        0.29,
        Unit::Fraction,
        NONE,
        Read,
    ),
    Param::new(
        t("ka_sl"),
        t("sublingual absorption, set so Tmax = 0.75 h (Rolan 2014)"),
        KA_SL_PER_MIN,
        Unit::PerMin,
        NONE,
        Derived,
    ),
    Param::new(
        t("F_in"),
        t("racemic intranasal bioavailability (Yanagihara 2003)"),
        0.45,
        Unit::Fraction,
        NONE,
        Read,
    ),
    Param::new(
        t("ka_in"),
        t("nasal absorption, 2.93 /h (esketamine spray, Perez-Ruixo 2021)"),
        2.93,
        Unit::PerH,
        NONE,
        Assumption,
    ),
    Param::new(
        t("F_im"),
        t("intramuscular bioavailability"),
        0.93,
        Unit::Fraction,
        NONE,
        Unverified,
    ),
    Param::new(
        t("ka_im"),
        t("intramuscular absorption (absorption t½ ≈ 7 min)"),
        0.1,
        Unit::PerMin,
        NONE,
        Unverified,
    ),
];

const COMPARTMENTS: &[Compartment] = &[
    comp(t("central"), Role::Central, Some(t("V1"))),
    comp(t("peripheral1"), Role::Peripheral, Some(t("V2"))),
    comp(t("peripheral2"), Role::Peripheral, Some(t("V3"))),
    comp(t("gut_depot"), Role::Depot, None),
    comp(t("sublingual_depot"), Role::Depot, None),
    comp(t("nasal_depot"), Role::Depot, None),
    comp(t("im_depot"), Role::Depot, None),
];

const FLOWS: &[Flow] = &[
    transfer(t("central"), None, Rate::Clearance(t("CL")), None),
    exchange(t("central"), t("peripheral1"), t("Q2")),
    exchange(t("central"), t("peripheral2"), t("Q3")),
    transfer(
        t("gut_depot"),
        Some(t("central")),
        Rate::Constant(t("ka_oral")),
        None,
    ),
    transfer(
        t("sublingual_depot"),
        Some(t("central")),
        Rate::Constant(t("ka_sl")),
        None,
    ),
    transfer(
        t("nasal_depot"),
        Some(t("central")),
        Rate::Constant(t("ka_in")),
        None,
    ),
    transfer(
        t("im_depot"),
        Some(t("central")),
        Rate::Constant(t("ka_im")),
        None,
    ),
];

const ROUTES: &[RouteSpec] = &[
    IV,
    RouteSpec {
        route: Route::Oral,
        inputs: Cow::Borrowed(&[InputSpec {
            compartment: t("gut_depot"),
            fraction: Cow::Borrowed(&[Factor::Param(t("F_oral"))]),
            duration: None,
        }]),
        device: None,
        note: t(
            "Oral tablet: F 20% (Yanagihara 2003, READ); absorption t½ 59 min from children \
               (Brunette 2011, READ; used for adults: ASSUMPTION). First-pass norketamine is not \
               in this model.",
        ),
    },
    RouteSpec {
        route: Route::Sublingual,
        inputs: Cow::Borrowed(&[InputSpec {
            compartment: t("sublingual_depot"),
            fraction: Cow::Borrowed(&[Factor::Param(t("F_sl"))]),
            duration: None,
        }]),
        device: None,
        note: t(
            "Sublingual wafer: F 29% (Rolan 2014, READ); ka chosen to give its Tmax of 0.75 h \
               with this model (DERIVED).",
        ),
    },
    RouteSpec {
        route: Route::Intranasal,
        inputs: Cow::Borrowed(&[InputSpec {
            compartment: t("nasal_depot"),
            fraction: Cow::Borrowed(&[Factor::Param(t("F_in"))]),
            duration: None,
        }]),
        device: None,
        note: t(
            "Racemic intranasal: F ~45% (Yanagihara 2003, READ; another study found 11–17%); \
               ka borrowed from esketamine nasal spray (Perez-Ruixo 2021, ASSUMPTION).",
        ),
    },
    RouteSpec {
        route: Route::Im,
        inputs: Cow::Borrowed(&[InputSpec {
            compartment: t("im_depot"),
            fraction: Cow::Borrowed(&[Factor::Param(t("F_im"))]),
            duration: None,
        }]),
        device: None,
        note: t("Intramuscular: F ~93% (UNVERIFIED) and ka (UNVERIFIED): explicit assumptions."),
    },
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: t("kamp2020"),
    name: t("Kamp 2020 (racemic, arterial 3-cmt)"),
    citation: t(
        "Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A. Ketamine \
               pharmacokinetics: a systematic review of the literature, meta-analysis, and \
               population analysis. Anesthesiology 2020;133:1192–1213.",
    ),
    population: t("Pooled raw data of 14 studies (adults); allometric scaling to 70 kg"),
    drug: t("racemic ketamine"),
    sampling: Sampling::Arterial,
    notes: Cow::Borrowed(&[
        t("Default model for racemic IV ketamine."),
        t(
            "Meta-analysis of 18 studies (READ): weighted mean V = 252 L/70 kg (95% CI 200–304), \
         CL = 79 L/h (69–90); no covariate effects found.",
        ),
        t(
            "Arterial models predict higher early concentrations than venous ones; venous-sampled \
         models give longer context-sensitive half-times (READ).",
        ),
        t("The paper's venous-delay compartments were not retrieved and are not modelled."),
        t(
            "No inter-individual variability is given in the reference data for this model: a \
         virtual population varies only in its covariates (weight).",
        ),
    ]),
    params: l(PARAMS),
    analytes: l(RACEMIC),
    compartments: l(COMPARTMENTS),
    flows: l(FLOWS),
    routes: l(ROUTES),
    ke0_overrides: Cow::Borrowed(&[]),
    covariates: Cow::Borrowed(&[]),
    iiv_covariances: Cow::Borrowed(&[]),
};
