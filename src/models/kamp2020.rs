//! Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A. Ketamine
//! pharmacokinetics: a systematic review of the literature, meta-analysis, and population
//! analysis. Anesthesiology 2020;133:1192–1213.
//!
//! Raw-data model (14 studies), arterial central compartment and two peripherals. Values as
//! encoded in public TCI software that cites the paper (CODE). The paper's venous-delay
//! compartments were not retrieved and are not modelled.

use super::{iv_route, mammillary_clearance, racemic_analyte, transfer};
use crate::model::{
    Compartment, Factor, InputSpec, ModelSpec, Param,
    Provenance::{Assumption, Code, Read, Unverified},
    Rate, Role, Route, RouteSpec, Sampling, Scaling, Unit,
};

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };
/// Sublingual absorption rate, 1/min, giving Tmax = 45 min at 70 kg with this disposition
/// (Rolan 2014's Tmax 0.75 h); the test `sublingual_tmax_matches_rolan` re-derives it.
const KA_SL_PER_MIN: f64 = 0.01207;

/// The published parameters (a constant table: data, not code).
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
        Scaling::None,
        Read,
    ),
    Param::new(
        "ka_oral",
        "oral absorption, ln 2 / 59 min (Brunette 2011, children)",
        std::f64::consts::LN_2 / 59.0,
        Unit::PerMin,
        Scaling::None,
        Assumption,
    ),
    Param::new(
        "F_sl",
        "sublingual bioavailability (Rolan 2014)",
        0.29,
        Unit::Fraction,
        Scaling::None,
        Read,
    ),
    Param::new(
        "ka_sl",
        "sublingual absorption, set so Tmax = 0.75 h (Rolan 2014)",
        KA_SL_PER_MIN,
        Unit::PerMin,
        Scaling::None,
        crate::model::Provenance::Derived,
    ),
    Param::new(
        "F_in",
        "racemic intranasal bioavailability (Yanagihara 2003)",
        0.45,
        Unit::Fraction,
        Scaling::None,
        Read,
    ),
    Param::new(
        "ka_in",
        "nasal absorption, 2.93 /h (esketamine spray, Perez-Ruixo 2021)",
        2.93,
        Unit::PerH,
        Scaling::None,
        Assumption,
    ),
    Param::new(
        "F_im",
        "intramuscular bioavailability",
        0.93,
        Unit::Fraction,
        Scaling::None,
        Unverified,
    ),
    Param::new(
        "ka_im",
        "intramuscular absorption (absorption t½ ≈ 7 min)",
        0.1,
        Unit::PerMin,
        Scaling::None,
        Unverified,
    ),
];

pub(super) fn model() -> ModelSpec {
    let (mut compartments, mut flows) = mammillary_clearance(
        "V1",
        "CL",
        &[("peripheral1", "V2", "Q2"), ("peripheral2", "V3", "Q3")],
    );
    // extravascular routes: a depot per route, first-order absorption into the central
    // compartment; the part that is not bioavailable never enters
    let mut routes = vec![iv_route()];
    for (route, depot, f, ka, note) in [
        (Route::Oral, "gut_depot", "F_oral", "ka_oral", "Oral tablet: F 20% (Yanagihara 2003, READ); absorption t½ 59 min from children (Brunette 2011, READ; used for adults: ASSUMPTION). First-pass norketamine is not in this model."),
        (Route::Sublingual, "sublingual_depot", "F_sl", "ka_sl", "Sublingual wafer: F 29% (Rolan 2014, READ); ka chosen to give its Tmax of 0.75 h with this model (DERIVED)."),
        (Route::Intranasal, "nasal_depot", "F_in", "ka_in", "Racemic intranasal: F ~45% (Yanagihara 2003, READ; another study found 11–17%); ka borrowed from esketamine nasal spray (Perez-Ruixo 2021, ASSUMPTION)."),
        (Route::Im, "im_depot", "F_im", "ka_im", "Intramuscular: F ~93% (UNVERIFIED) and ka (UNVERIFIED): explicit assumptions."),
    ] {
        compartments.push(Compartment { name: depot, analyte: 0, role: Role::Depot, volume: None });
        flows.push(transfer(depot, Some("central"), Rate::Constant(ka), None));
        routes.push(RouteSpec {
            route,
            inputs: vec![InputSpec { compartment: depot, fraction: vec![Factor::Param(f)], duration: None }],
            device: None,
            note,
        });
    }
    ModelSpec {
        id: "kamp2020",
        name: "Kamp 2020 (racemic, arterial 3-cmt)",
        citation: "Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A. Ketamine \
                   pharmacokinetics: a systematic review of the literature, meta-analysis, and \
                   population analysis. Anesthesiology 2020;133:1192–1213.",
        population: "Pooled raw data of 14 studies (adults); allometric scaling to 70 kg",
        drug: "racemic ketamine",
        sampling: Sampling::Arterial,
        notes: vec![
            "Default model for racemic IV ketamine.",
            "Meta-analysis of 18 studies (READ): weighted mean V = 252 L/70 kg (95% CI 200–304), \
             CL = 79 L/h (69–90); no covariate effects found.",
            "Arterial models predict higher early concentrations than venous ones; venous-sampled \
             models give longer context-sensitive half-times (READ).",
            "The paper's venous-delay compartments were not retrieved and are not modelled.",
        ],
        params: PARAMS.to_vec(),
        analytes: vec![racemic_analyte()],
        compartments,
        flows,
        routes,
        ke0_overrides: vec![],
        covariates: vec![],
        iiv_covariances: vec![],
    }
}
