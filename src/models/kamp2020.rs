//! Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A. Ketamine
//! pharmacokinetics: a systematic review of the literature, meta-analysis, and population
//! analysis. Anesthesiology 2020;133:1192–1213.
//!
//! Raw-data model (14 studies), arterial central compartment and two peripherals. Values as
//! encoded in public TCI software that cites the paper (CODE). The paper's venous-delay
//! compartments were not retrieved and are not modelled.

use super::{iv_route, mammillary_clearance, racemic_analyte};
use crate::model::{ModelSpec, Param, Provenance::Code, Sampling, Scaling, Unit};

const VOL: Scaling = Scaling::Allometric { exponent: 1.0 };
const CLR: Scaling = Scaling::Allometric { exponent: 0.75 };

pub(super) fn model() -> ModelSpec {
    let (compartments, flows) = mammillary_clearance(
        "V1",
        "CL",
        &[("peripheral1", "V2", "Q2"), ("peripheral2", "V3", "Q3")],
    );
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
        params: vec![
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
        ],
        analytes: vec![racemic_analyte()],
        compartments,
        flows,
        routes: vec![iv_route()],
        ke0_overrides: vec![],
    }
}
