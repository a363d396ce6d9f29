//! The published parameter sets, one file per source, each citing it.
//!
//! Every model here is plain data ([`ModelSpec`]); the engine has no model-specific code.
//! [`all`] lists them, [`get`] finds one by id. The registry is constant data, compiled in.

mod domino1982;
mod elkomy2015;
mod enantiomers;
mod fanta2015;
mod herd2007;
mod hijazi2003;
mod kamp2020;
mod perez_ruixo2021;
mod simons2022;

use crate::error::{Error, Result};
use crate::model::{t, Text};
use crate::model::{
    Analyte, Compartment, Flow, InputSpec, ModelSpec, Rate, Role, Route, RouteSpec,
};
use crate::units::MW_KETAMINE;
use std::borrow::Cow;

/// Id of the default model (Kamp 2020, racemic IV, arterial).
pub const DEFAULT_MODEL: &str = "kamp2020";

/// All shipped models, in display order.
pub fn all() -> &'static [ModelSpec] {
    static MODELS: [ModelSpec; 9] = [
        kamp2020::MODEL,
        domino1982::MODEL,
        herd2007::MODEL,
        hijazi2003::MODEL,
        elkomy2015::MODEL,
        simons2022::MODEL,
        perez_ruixo2021::MODEL,
        fanta2015::MODEL,
        enantiomers::MODEL,
    ];
    &MODELS
}

/// Finds a model by id.
///
/// ```
/// let m = ketasim::models::get("domino1982")?;
/// assert_eq!(m.sampling, ketasim::model::Sampling::Arterial);
/// assert!(ketasim::models::get("nope").is_err());
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn get(id: &str) -> Result<&'static ModelSpec> {
    all()
        .iter()
        .find(|m| m.id == id)
        .ok_or_else(|| Error::UnknownModel {
            id: crate::text::quoted(id, 64),
            available: all().iter().map(|m| &*m.id).collect::<Vec<_>>().join(", "),
        })
}

/// Racemic ketamine as one analyte.
const RACEMIC: &[Analyte] = &[Analyte {
    id: t("ketamine"),
    name: t("Ketamine (racemic)"),
    mw_g_per_mol: MW_KETAMINE,
    central: t("central"),
    ligand: t("ketamine_racemic"),
    binding: None,
}];

/// A compartment of the administered drug.
const fn comp(name: Text, role: Role, volume: Option<Text>) -> Compartment {
    Compartment {
        name,
        analyte: 0,
        role,
        volume,
    }
}

/// A compartment of analyte `analyte` (for models with metabolites or enantiomers).
const fn comp_of(name: Text, analyte: usize, role: Role, volume: Option<Text>) -> Compartment {
    Compartment {
        name,
        analyte,
        role,
        volume,
    }
}

/// The intravenous route into the compartment named `central`.
const IV: RouteSpec = RouteSpec {
    route: Route::Iv,
    inputs: Cow::Borrowed(&[InputSpec {
        compartment: t("central"),
        fraction: Cow::Borrowed(&[]),
        duration: None,
    }]),
    device: None,
    note: t("Intravenous: the whole dose enters the central compartment."),
};

/// A one-way first-order flow.
const fn transfer(from: Text, to: Option<Text>, rate: Rate, fraction: Option<Text>) -> Flow {
    Flow::Transfer {
        from,
        to,
        rate,
        fraction,
    }
}

/// A two-way exchange by an intercompartmental clearance.
const fn exchange(a: Text, b: Text, q: Text) -> Flow {
    Flow::Exchange { a, b, q }
}

/// Two-compartment mammillary model in volumes and clearances (V1, V2, CL, Q).
const MAMMILLARY2_COMPS: &[Compartment] = &[
    comp(t("central"), Role::Central, Some(t("V1"))),
    comp(t("peripheral1"), Role::Peripheral, Some(t("V2"))),
];
const MAMMILLARY2_FLOWS: &[Flow] = &[
    transfer(t("central"), None, Rate::Clearance(t("CL")), None),
    exchange(t("central"), t("peripheral1"), t("Q")),
];

/// Two- and three-compartment mammillary models in micro rate constants (V1, k10, k12, k21,
/// k13, k31); peripheral volumes follow from the constants.
const MICRO2_COMPS: &[Compartment] = &[
    comp(t("central"), Role::Central, Some(t("V1"))),
    comp(t("peripheral1"), Role::Peripheral, None),
];
const MICRO2_FLOWS: &[Flow] = &[
    transfer(t("central"), None, Rate::Constant(t("k10")), None),
    transfer(
        t("central"),
        Some(t("peripheral1")),
        Rate::Constant(t("k12")),
        None,
    ),
    transfer(
        t("peripheral1"),
        Some(t("central")),
        Rate::Constant(t("k21")),
        None,
    ),
];
const MICRO3_COMPS: &[Compartment] = &[
    comp(t("central"), Role::Central, Some(t("V1"))),
    comp(t("peripheral1"), Role::Peripheral, None),
    comp(t("peripheral2"), Role::Peripheral, None),
];
const MICRO3_FLOWS: &[Flow] = &[
    transfer(t("central"), None, Rate::Constant(t("k10")), None),
    transfer(
        t("central"),
        Some(t("peripheral1")),
        Rate::Constant(t("k12")),
        None,
    ),
    transfer(
        t("peripheral1"),
        Some(t("central")),
        Rate::Constant(t("k21")),
        None,
    ),
    transfer(
        t("central"),
        Some(t("peripheral2")),
        Rate::Constant(t("k13")),
        None,
    ),
    transfer(
        t("peripheral2"),
        Some(t("central")),
        Rate::Constant(t("k31")),
        None,
    ),
];
