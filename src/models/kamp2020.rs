//! Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A. Ketamine
//! pharmacokinetics: a systematic review of the literature, meta-analysis, and population
//! analysis. Anesthesiology 2020;133:1192–1213.
//!
//! Raw-data model (14 studies), arterial central compartment and two peripherals. Values as
//! encoded in public TCI software that cites the paper (CODE). The paper's venous-delay
//! compartments were not retrieved and are not modelled. Extravascular routes of racemic
//! ketamine are added with the bioavailabilities of the reference data file.

use super::{comp, exchange, transfer, IV, RACEMIC};
use crate::model::{
    Compartment, Factor, Flow, InputSpec, ModelSpec, Param,
    Provenance::{Assumption, Code, Derived, Read, Unverified},
    Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };
const NONE: Scaling = Scaling::None;
/// Sublingual absorption rate, 1/min, giving Tmax = 45 min at 70 kg with this disposition
/// (Rolan 2014's Tmax 0.75 h); the test `racemic_extravascular_routes_use_the_published_
/// bioavailability` re-derives it.
const KA_SL_PER_MIN: f64 = 0.01207;

const PARAMS: &[Param] = &[
    Param::new("CL", "elimination clearance", 84.0, Unit::LPerH, CLR, Code),
    Param::new(
        "Q2",
        "intercompartmental clearance, fast peripheral",
        161.0,
        Unit::LPerH,
        CLR,
        Code,
    ),
    Param::new(
        "Q3",
        "intercompartmental clearance, slow peripheral",
        79.0,
        Unit::LPerH,
        CLR,
        Code,
    ),
    Param::new("V1", "central (arterial) volume", 25.0, Unit::L, VOL, Code),
    Param::new("V2", "fast peripheral volume", 56.0, Unit::L, VOL, Code),
    Param::new("V3", "slow peripheral volume", 157.0, Unit::L, VOL, Code),
    Param::new(
        "F_oral",
        "oral bioavailability (Yanagihara 2003)",
        0.20,
        Unit::Fraction,
        NONE,
        Read,
    ),
    Param::new(
        "ka_oral",
        "oral absorption, ln 2 / 59 min (Brunette 2011, children)",
        std::f64::consts::LN_2 / 59.0,
        Unit::PerMin,
        NONE,
        Assumption,
    ),
    Param::new(
        "F_sl",
        "sublingual bioavailability (Rolan 2014)",
        0.29,
        Unit::Fraction,
        NONE,
        Read,
    ),
    Param::new(
        "ka_sl",
        "sublingual absorption, set so Tmax = 0.75 h (Rolan 2014)",
        KA_SL_PER_MIN,
        Unit::PerMin,
        NONE,
        Derived,
    ),
    Param::new(
        "F_in",
        "racemic intranasal bioavailability (Yanagihara 2003)",
        0.45,
        Unit::Fraction,
        NONE,
        Read,
    ),
    Param::new(
        "ka_in",
        "nasal absorption, 2.93 /h (esketamine spray, Perez-Ruixo 2021)",
        2.93,
        Unit::PerH,
        NONE,
        Assumption,
    ),
    Param::new(
        "F_im",
        "intramuscular bioavailability",
        0.93,
        Unit::Fraction,
        NONE,
        Unverified,
    ),
    Param::new(
        "ka_im",
        "intramuscular absorption (absorption t½ ≈ 7 min)",
        0.1,
        Unit::PerMin,
        NONE,
        Unverified,
    ),
];

const COMPARTMENTS: &[Compartment] = &[
    comp("central", Role::Central, Some("V1")),
    comp("peripheral1", Role::Peripheral, Some("V2")),
    comp("peripheral2", Role::Peripheral, Some("V3")),
    comp("gut_depot", Role::Depot, None),
    comp("sublingual_depot", Role::Depot, None),
    comp("nasal_depot", Role::Depot, None),
    comp("im_depot", Role::Depot, None),
];

const FLOWS: &[Flow] = &[
    transfer("central", None, Rate::Clearance("CL"), None),
    exchange("central", "peripheral1", "Q2"),
    exchange("central", "peripheral2", "Q3"),
    transfer(
        "gut_depot",
        Some("central"),
        Rate::Constant("ka_oral"),
        None,
    ),
    transfer(
        "sublingual_depot",
        Some("central"),
        Rate::Constant("ka_sl"),
        None,
    ),
    transfer(
        "nasal_depot",
        Some("central"),
        Rate::Constant("ka_in"),
        None,
    ),
    transfer("im_depot", Some("central"), Rate::Constant("ka_im"), None),
];

const ROUTES: &[RouteSpec] = &[
    IV,
    RouteSpec {
        route: Route::Oral,
        inputs: &[InputSpec {
            compartment: "gut_depot",
            fraction: &[Factor::Param("F_oral")],
            duration: None,
        }],
        device: None,
        note: "Oral tablet: F 20% (Yanagihara 2003, READ); absorption t½ 59 min from children \
               (Brunette 2011, READ; used for adults: ASSUMPTION). First-pass norketamine is not \
               in this model.",
    },
    RouteSpec {
        route: Route::Sublingual,
        inputs: &[InputSpec {
            compartment: "sublingual_depot",
            fraction: &[Factor::Param("F_sl")],
            duration: None,
        }],
        device: None,
        note: "Sublingual wafer: F 29% (Rolan 2014, READ); ka chosen to give its Tmax of 0.75 h \
               with this model (DERIVED).",
    },
    RouteSpec {
        route: Route::Intranasal,
        inputs: &[InputSpec {
            compartment: "nasal_depot",
            fraction: &[Factor::Param("F_in")],
            duration: None,
        }],
        device: None,
        note: "Racemic intranasal: F ~45% (Yanagihara 2003, READ; another study found 11–17%); \
               ka borrowed from esketamine nasal spray (Perez-Ruixo 2021, ASSUMPTION).",
    },
    RouteSpec {
        route: Route::Im,
        inputs: &[InputSpec {
            compartment: "im_depot",
            fraction: &[Factor::Param("F_im")],
            duration: None,
        }],
        device: None,
        note: "Intramuscular: F ~93% (UNVERIFIED) and ka (UNVERIFIED): explicit assumptions.",
    },
];

pub(super) const MODEL: ModelSpec = ModelSpec {
    id: "kamp2020",
    name: "Kamp 2020 (racemic, arterial 3-cmt)",
    citation: "Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A. Ketamine \
               pharmacokinetics: a systematic review of the literature, meta-analysis, and \
               population analysis. Anesthesiology 2020;133:1192–1213.",
    population: "Pooled raw data of 14 studies (adults); allometric scaling to 70 kg",
    drug: "racemic ketamine",
    sampling: Sampling::Arterial,
    notes: &[
        "Default model for racemic IV ketamine.",
        "Meta-analysis of 18 studies (READ): weighted mean V = 252 L/70 kg (95% CI 200–304), \
         CL = 79 L/h (69–90); no covariate effects found.",
        "Arterial models predict higher early concentrations than venous ones; venous-sampled \
         models give longer context-sensitive half-times (READ).",
        "The paper's venous-delay compartments were not retrieved and are not modelled.",
        "No inter-individual variability is given in the reference data for this model: a \
         virtual population varies only in its covariates (weight).",
    ],
    params: PARAMS,
    analytes: RACEMIC,
    compartments: COMPARTMENTS,
    flows: FLOWS,
    routes: ROUTES,
    ke0_overrides: &[],
    covariates: &[],
    iiv_covariances: &[],
};
