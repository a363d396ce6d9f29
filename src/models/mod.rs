//! The published parameter sets, one file per source, each citing it.
//!
//! Every model here is plain data ([`ModelSpec`]); the engine has no model-specific code.
//! [`all`] lists them, [`get`] finds one by id. The registry is built once and shared.

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
use crate::model::{
    Analyte, Compartment, Flow, InputSpec, ModelSpec, Rate, Role, Route, RouteSpec,
};
use crate::units::MW_KETAMINE;
use std::sync::OnceLock;

/// Id of the default model (Kamp 2020, racemic IV, arterial).
pub const DEFAULT_MODEL: &str = "kamp2020";

/// All shipped models, in display order.
pub fn all() -> &'static [ModelSpec] {
    static MODELS: OnceLock<Vec<ModelSpec>> = OnceLock::new();
    MODELS.get_or_init(|| {
        vec![
            kamp2020::model(),
            domino1982::model(),
            herd2007::model(),
            hijazi2003::model(),
            elkomy2015::model(),
            simons2022::model(),
            perez_ruixo2021::model(),
            fanta2015::model(),
            enantiomers::model(),
        ]
    })
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
            id: id.to_string(),
            available: all().iter().map(|m| m.id).collect::<Vec<_>>().join(", "),
        })
}

/// Racemic ketamine as one analyte.
fn racemic_analyte() -> Analyte {
    Analyte {
        id: "ketamine",
        name: "Ketamine (racemic)",
        mw_g_per_mol: MW_KETAMINE,
        central: "central",
        ligand: "ketamine_racemic",
    }
}

fn compartment(name: &'static str, role: Role, volume: Option<&'static str>) -> Compartment {
    Compartment {
        name,
        analyte: 0,
        role,
        volume,
    }
}

fn iv_route() -> RouteSpec {
    RouteSpec {
        route: Route::Iv,
        inputs: vec![InputSpec {
            compartment: "central",
            fraction: vec![],
            duration: None,
        }],
        device: None,
        note: "Intravenous: the whole dose enters the central compartment.",
    }
}

/// A one-way first-order flow.
fn transfer(
    from: &'static str,
    to: Option<&'static str>,
    rate: Rate,
    fraction: Option<&'static str>,
) -> Flow {
    Flow::Transfer {
        from,
        to,
        rate,
        fraction,
    }
}

/// A racemic mammillary model given as volumes and clearances.
/// `peripherals` pairs each peripheral volume symbol with its intercompartmental clearance.
fn mammillary_clearance(
    v1: &'static str,
    cl: &'static str,
    peripherals: &[(&'static str, &'static str, &'static str)],
) -> (Vec<Compartment>, Vec<Flow>) {
    let mut comps = vec![compartment("central", Role::Central, Some(v1))];
    let mut flows = vec![Flow::Transfer {
        from: "central",
        to: None,
        rate: Rate::Clearance(cl),
        fraction: None,
    }];
    for &(name, v, q) in peripherals {
        comps.push(compartment(name, Role::Peripheral, Some(v)));
        flows.push(Flow::Exchange {
            a: "central",
            b: name,
            q,
        });
    }
    (comps, flows)
}

/// A racemic mammillary model given as central volume and micro rate constants.
/// `peripherals` is `(name, k1j, kj1)`.
fn mammillary_micro(
    v1: &'static str,
    k10: &'static str,
    peripherals: &[(&'static str, &'static str, &'static str)],
) -> (Vec<Compartment>, Vec<Flow>) {
    let mut comps = vec![compartment("central", Role::Central, Some(v1))];
    let mut flows = vec![Flow::Transfer {
        from: "central",
        to: None,
        rate: Rate::Constant(k10),
        fraction: None,
    }];
    for &(name, k1j, kj1) in peripherals {
        comps.push(compartment(name, Role::Peripheral, None));
        flows.push(Flow::Transfer {
            from: "central",
            to: Some(name),
            rate: Rate::Constant(k1j),
            fraction: None,
        });
        flows.push(Flow::Transfer {
            from: name,
            to: Some("central"),
            rate: Rate::Constant(kj1),
            fraction: None,
        });
    }
    (comps, flows)
}
