//! User-defined models: a [`ModelSpec`] given inline in a scenario (`"model_spec": {…}`, with
//! `"model"` its id), in the CLI, the library and the browser alike. It is the same type as
//! the built-in models, owned instead of borrowed from the compiled-in tables, and read with
//! the same serde language (unknown keys are errors at every depth).
//!
//! Everything is checked before anything is computed, each error naming its field under
//! `model_spec`: sizes are bounded; names are unique; every compartment, parameter and ligand
//! referred to exists; units fit their use; every number is finite and within a physical range;
//! every number is labelled `USER` (there is no source to cite); one analyte does not turn
//! back into an earlier one (no cycles of metabolism); and every compartment is connected and
//! drains out of the body (no compartment where drug is trapped).
//!
//! The benchmark model of issue 14 — three compartments in micro-constants, an effect site,
//! and its own ligand with kinetic binding — is `tests/fixtures/user_model_three_compartment.json`:
//!
//! ```
//! use ketasim::{simulate, Scenario};
//! let json = include_str!("../../tests/fixtures/user_model_three_compartment.json");
//! let r = simulate(&Scenario::from_json(json)?)?;
//! assert_eq!(r.model_id, "user:three_compartment");
//! // 35 mg over 40 min into V1 = 25 L that also clears and distributes: below 35 mg / 25 L
//! assert!(r.metrics.analytes[0].cmax_ng_per_ml < 35.0 / 25.0 * 1000.0);
//! assert!(r.occupancy.iter().any(|&b| b > 0.05)); // the user's ligand binds
//! # Ok::<(), ketasim::Error>(())
//! ```

use super::{Flow, ModelSpec, Provenance, Rate, Role, Scaling, Unit};
use crate::error::{Error, Result};
use crate::text::printable;

/// Most parameters, analytes, compartments, flows and routes of a user-defined model.
pub const MAX_PARAMS: usize = 64;
/// Most analytes.
pub const MAX_ANALYTES: usize = 8;
/// Most compartments.
pub const MAX_COMPARTMENTS: usize = 24;
/// Most flows.
pub const MAX_FLOWS: usize = 96;
/// Most characters of a name or symbol, and of a text.
const MAX_NAME: usize = 64;
const MAX_TEXT: usize = 2000;

fn bad(field: String, message: impl Into<String>) -> Error {
    Error::invalid(format!("model_spec.{field}"), message)
}

fn range(field: String, value: f64, lo: f64, hi: f64, unit: &'static str) -> Result<()> {
    crate::error::check_range(|| format!("model_spec.{field}"), value, lo, hi, unit)
}

/// Characters a user's names may not contain: they end up in labels and attributes.
const MARKUP: [char; 4] = ['<', '>', '&', '"'];

/// A name or identifier: a text ([`name`]) without markup characters.
fn ident(field: String, s: &str, max: usize) -> Result<()> {
    if let Some(c) = s.chars().find(|c| MARKUP.contains(c)) {
        return Err(bad(
            field,
            format!(
                "remove the character {c:?} from '{}' (<, >, & and \" are not allowed in a \
                 model's names; write 'and' for &)",
                printable(&s.chars().take(40).collect::<String>())
            ),
        ));
    }
    name(field, s, max)
}

fn name(field: String, s: &str, max: usize) -> Result<()> {
    let n = s.chars().count();
    if s.trim().is_empty() || n > max || s.chars().any(char::is_control) {
        return Err(bad(
            field,
            format!(
                "give 1 to {max} printable characters (got '{}')",
                printable(&s.chars().take(40).collect::<String>())
            ),
        ));
    }
    Ok(())
}

fn count(field: &str, n: usize, lo: usize, hi: usize) -> Result<()> {
    if n < lo || n > hi {
        return Err(bad(
            field.into(),
            format!("give {lo} to {hi} entries (got {n})"),
        ));
    }
    Ok(())
}

/// Checks a user-defined model (see the module documentation); `model` is the scenario's
/// `model` field, which must be the spec's id.
pub fn validate(m: &ModelSpec, model: &str) -> Result<()> {
    ident("id".into(), &m.id, MAX_NAME)?;
    if crate::models::get(&m.id).is_ok() {
        return Err(bad(
            "id".into(),
            format!(
                "'{}' is a built-in model's id: give your model another one (e.g. 'user:{}')",
                m.id, m.id
            ),
        ));
    }
    if m.id != model {
        return Err(Error::invalid(
            "model",
            format!(
                "with model_spec, model must be its id '{}' (got '{}')",
                printable(&m.id),
                crate::text::quoted(model, 64)
            ),
        ));
    }
    for (f, s) in [
        ("name", &m.name),
        ("citation", &m.citation),
        ("population", &m.population),
        ("drug", &m.drug),
    ] {
        if f == "name" {
            ident(f.into(), s, 120)?;
        } else {
            name(f.into(), s, MAX_TEXT)?;
        }
    }
    count("notes", m.notes.len(), 0, 20)?;
    for (i, n) in m.notes.iter().enumerate() {
        name(format!("notes[{i}]"), n, MAX_TEXT)?;
    }

    // parameters
    count("params", m.params.len(), 1, MAX_PARAMS)?;
    for (i, p) in m.params.iter().enumerate() {
        let f = |k: &str| format!("params[{i}].{k}");
        ident(f("symbol"), &p.symbol, 32)?;
        if m.params[..i].iter().any(|q| q.symbol == p.symbol) {
            return Err(bad(f("symbol"), format!("'{}' is defined twice", p.symbol)));
        }
        name(f("description"), &p.description, MAX_TEXT).or_else(|e| {
            // an empty description is fine
            if p.description.is_empty() {
                Ok(())
            } else {
                Err(e)
            }
        })?;
        if p.provenance != Provenance::User {
            return Err(bad(
                f("provenance"),
                "a user-defined model's numbers have no cited source: label them \"USER\"",
            ));
        }
        // dimensionless parameters include ratios above 1; fractions are checked where used
        let (lo, hi) = if p.unit == Unit::Fraction {
            (0.0, 100.0)
        } else {
            (1e-9, 1e6)
        };
        range(f("value"), p.value, lo, hi, p.unit.symbol())?;
        if let Scaling::Allometric { exponent } = p.scaling {
            range(f("scaling.exponent"), exponent, -2.0, 2.0, "")?;
        }
        if let Some(w) = p.omega2 {
            range(f("omega2"), w, 0.0, 4.0, "")?;
        }
    }
    const VOLUME: &[Unit] = &[Unit::L, Unit::LPerKg];
    const CLEARANCE: &[Unit] = &[Unit::LPerH, Unit::LPerMin];
    const CONSTANT: &[Unit] = &[Unit::PerMin, Unit::PerH];
    const TIME: &[Unit] = &[Unit::Min, Unit::H];
    const FRACTION: &[Unit] = &[Unit::Fraction];
    let param = |field: String, symbol: &str, units: &[Unit], what: &str| -> Result<()> {
        match m.params.iter().find(|p| p.symbol == symbol) {
            None => Err(bad(
                field,
                format!(
                    "no parameter '{}'; defined: {}",
                    printable(symbol),
                    m.params
                        .iter()
                        .map(|p| &*p.symbol)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            Some(p) if !units.contains(&p.unit) => Err(bad(
                field,
                format!(
                    "'{symbol}' is in {}, which is not {what} (allowed: {})",
                    p.unit.symbol(),
                    units
                        .iter()
                        .map(|u| u.symbol())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            Some(p) if what == "a fraction" && p.value > 1.0 => Err(bad(
                field,
                format!(
                    "'{symbol}' = {} is used as a fraction: give 0 to 1",
                    p.value
                ),
            )),
            Some(_) => Ok(()),
        }
    };

    // compartments
    count("compartments", m.compartments.len(), 1, MAX_COMPARTMENTS)?;
    count("analytes", m.analytes.len(), 1, MAX_ANALYTES)?;
    for (i, c) in m.compartments.iter().enumerate() {
        let f = |k: &str| format!("compartments[{i}].{k}");
        ident(f("name"), &c.name, MAX_NAME)?;
        if m.compartments[..i].iter().any(|d| d.name == c.name) {
            return Err(bad(f("name"), format!("'{}' is defined twice", c.name)));
        }
        if c.analyte >= m.analytes.len() {
            return Err(bad(
                f("analyte"),
                format!(
                    "analyte {} does not exist: give 0 to {}",
                    c.analyte,
                    m.analytes.len() - 1
                ),
            ));
        }
        if let Some(v) = &c.volume {
            param(f("volume"), v, VOLUME, "a volume")?;
        }
    }
    let comp = |field: String, n: &str| -> Result<usize> {
        m.compartments
            .iter()
            .position(|c| c.name == n)
            .ok_or_else(|| {
                bad(
                    field,
                    format!(
                        "no compartment '{}'; defined: {}",
                        printable(n),
                        m.compartments
                            .iter()
                            .map(|c| &*c.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    };

    // analytes and their ligands
    for (i, a) in m.analytes.iter().enumerate() {
        let f = |k: &str| format!("analytes[{i}].{k}");
        ident(f("id"), &a.id, MAX_NAME)?;
        if m.analytes[..i].iter().any(|b| b.id == a.id) {
            return Err(bad(f("id"), format!("'{}' is defined twice", a.id)));
        }
        ident(f("name"), &a.name, 120)?;
        range(f("mw_g_per_mol"), a.mw_g_per_mol, 10.0, 5000.0, "g/mol")?;
        let c = &m.compartments[comp(f("central"), &a.central)?];
        if c.analyte != i || c.role != Role::Central || c.volume.is_none() {
            return Err(bad(
                f("central"),
                format!(
                    "'{}' must be a compartment of this analyte with role 'central' and a volume",
                    a.central
                ),
            ));
        }
        match &a.binding {
            Some(b) => {
                ident(f("ligand"), &a.ligand, MAX_NAME)?;
                range(f("binding.fu"), b.fu, 1e-4, 1.0, "")?;
                range(f("binding.ki_um"), b.ki_um, 1e-4, 1e5, "µM")?;
                if let Some(h) = b.half_time_min {
                    range(f("binding.half_time_min"), h, 0.1, 10_000.0, "min")?;
                }
                range(
                    f("binding.brain_penetration"),
                    b.brain_penetration,
                    0.0,
                    10.0,
                    "",
                )?;
            }
            None => {
                crate::pd::ligand(&a.ligand).map_err(|e| {
                    bad(
                        f("ligand"),
                        format!("{e}, or give \"binding\": {{\"fu\", \"ki_um\"}}"),
                    )
                })?;
            }
        }
    }

    // flows
    count("flows", m.flows.len(), 0, MAX_FLOWS)?;
    // analyte → analyte formation edges, and compartment adjacency
    let nc = m.compartments.len();
    let mut forms = vec![vec![false; m.analytes.len()]; m.analytes.len()];
    let mut linked = vec![Vec::new(); nc];
    let mut drains = vec![false; nc];
    for (i, fl) in m.flows.iter().enumerate() {
        let f = |k: &str| format!("flows[{i}].{k}");
        match fl {
            Flow::Transfer {
                from,
                to,
                rate,
                fraction,
            } => {
                let a = comp(f("from"), from)?;
                match rate {
                    Rate::Clearance(p) => {
                        param(f("rate.param"), p, CLEARANCE, "a clearance")?;
                        if m.compartments[a].volume.is_none() {
                            return Err(bad(
                                f("rate"),
                                format!("a clearance out of '{from}' needs its volume: give the compartment a volume, or use a rate constant"),
                            ));
                        }
                    }
                    Rate::Constant(p) => param(f("rate.param"), p, CONSTANT, "a rate constant")?,
                    Rate::Transit { mtt, n } => {
                        param(f("rate.mtt"), mtt, TIME, "a time")?;
                        range(f("rate.n"), f64::from(*n), 1.0, 50.0, "compartments")?;
                    }
                }
                if let Some(p) = fraction {
                    param(f("fraction"), p, FRACTION, "a fraction")?;
                }
                match to {
                    Some(to) => {
                        let b = comp(f("to"), to)?;
                        if a == b {
                            return Err(bad(f("to"), format!("'{to}' flows into itself")));
                        }
                        let (aa, ab) = (m.compartments[a].analyte, m.compartments[b].analyte);
                        if aa != ab {
                            forms[aa][ab] = true;
                        }
                        linked[a].push(b);
                        linked[b].push(a);
                        // a fraction below 1 leaves the body
                        if fraction.is_some() {
                            drains[a] = true;
                        }
                    }
                    None => drains[a] = true,
                }
            }
            Flow::Exchange { a, b, q } => {
                let i_a = comp(f("a"), a)?;
                let i_b = comp(f("b"), b)?;
                if i_a == i_b {
                    return Err(bad(f("b"), format!("'{b}' exchanges with itself")));
                }
                param(f("q"), q, CLEARANCE, "a clearance")?;
                for (k, c) in [("a", i_a), ("b", i_b)] {
                    if m.compartments[c].volume.is_none() {
                        return Err(bad(
                            f(k),
                            format!(
                                "an exchange by clearance needs volumes: give '{}' one",
                                m.compartments[c].name
                            ),
                        ));
                    }
                }
                linked[i_a].push(i_b);
                linked[i_b].push(i_a);
            }
        }
    }
    // no cycle of metabolism: an analyte must not form one it was formed from
    for start in 0..m.analytes.len() {
        let mut seen = vec![false; m.analytes.len()];
        let mut stack: Vec<usize> = (0..m.analytes.len()).filter(|&j| forms[start][j]).collect();
        while let Some(j) = stack.pop() {
            if j == start {
                return Err(bad(
                    "flows".into(),
                    format!(
                        "analyte '{}' is formed, directly or through others, from itself: \
                         metabolism must not loop back",
                        m.analytes[start].id
                    ),
                ));
            }
            if !seen[j] {
                seen[j] = true;
                stack.extend((0..m.analytes.len()).filter(|&k| forms[j][k]));
            }
        }
    }
    // every compartment connected to its analyte's central one, and every compartment drains
    // out of the body along the flows
    let flows_out = |c: usize| -> Vec<usize> {
        m.flows
            .iter()
            .filter_map(|fl| match fl {
                Flow::Transfer {
                    from, to: Some(to), ..
                } if *from == m.compartments[c].name => {
                    m.compartments.iter().position(|d| d.name == *to)
                }
                Flow::Exchange { a, b, .. } if *a == m.compartments[c].name => {
                    m.compartments.iter().position(|d| d.name == *b)
                }
                Flow::Exchange { a, b, .. } if *b == m.compartments[c].name => {
                    m.compartments.iter().position(|d| d.name == *a)
                }
                _ => None,
            })
            .collect()
    };
    for (c, links) in linked.iter().enumerate() {
        // reach a draining compartment
        let mut seen = vec![false; nc];
        let mut stack = vec![c];
        let mut ok = false;
        while let Some(x) = stack.pop() {
            if drains[x] {
                ok = true;
                break;
            }
            if !seen[x] {
                seen[x] = true;
                stack.extend(flows_out(x));
            }
        }
        if !ok {
            return Err(bad(
                "flows".into(),
                format!(
                    "drug in '{}' never leaves the body: add an elimination (a transfer with \
                     \"to\": null) on its way out",
                    m.compartments[c].name
                ),
            ));
        }
        if nc > 1
            && links.is_empty()
            && !m
                .analytes
                .iter()
                .any(|a| a.central == m.compartments[c].name)
        {
            return Err(bad(
                format!("compartments[{c}]"),
                format!(
                    "'{}' is connected to nothing: add a flow, or remove it",
                    m.compartments[c].name
                ),
            ));
        }
    }

    // routes
    count("routes", m.routes.len(), 1, 5)?;
    for (i, r) in m.routes.iter().enumerate() {
        let f = |k: &str| format!("routes[{i}].{k}");
        if m.routes[..i].iter().any(|s| s.route == r.route) {
            return Err(bad(
                f("route"),
                format!("'{}' is defined twice", r.route.id()),
            ));
        }
        count(&f("inputs"), r.inputs.len(), 1, 4)?;
        for (k, inp) in r.inputs.iter().enumerate() {
            let g = |x: &str| format!("routes[{i}].inputs[{k}].{x}");
            comp(g("compartment"), &inp.compartment)?;
            count(&g("fraction"), inp.fraction.len(), 0, 4)?;
            for (j, fac) in inp.fraction.iter().enumerate() {
                let (super::Factor::Param(p) | super::Factor::OneMinus(p)) = fac;
                // a relative bioavailability may exceed 1 (Simons 2022's F2)
                param(
                    format!("routes[{i}].inputs[{k}].fraction[{j}].param"),
                    p,
                    FRACTION,
                    "a factor",
                )?;
            }
            if let Some(d) = &inp.duration {
                param(g("duration"), d, TIME, "a time")?;
            }
        }
        if let Some(d) = &r.device {
            range(
                f("device.mg_per_device"),
                d.mg_per_device,
                0.1,
                1000.0,
                "mg",
            )?;
            range(f("device.interval_min"), d.interval_min, 0.0, 60.0, "min")?;
            range(
                f("device.max_devices"),
                f64::from(d.max_devices),
                1.0,
                10.0,
                "devices",
            )?;
            if let Some((a, b)) = &d.later_devices {
                param(f("device.later_devices[0]"), a, FRACTION, "a fraction")?;
                param(f("device.later_devices[1]"), b, FRACTION, "a fraction")?;
            }
        }
    }
    count("ke0_overrides", m.ke0_overrides.len(), 0, 8)?;
    for (i, (endpoint, p)) in m.ke0_overrides.iter().enumerate() {
        let f = |k: &str| format!("ke0_overrides[{i}].{k}");
        if !crate::pd::ke0_endpoints().iter().any(|e| e.id == endpoint) {
            return Err(bad(
                f("0"),
                crate::pd::unknown_endpoint(endpoint).to_string(),
            ));
        }
        if !CONSTANT.contains(&p.unit) || p.provenance != Provenance::User {
            return Err(bad(f("1"), "give ke0 in 1/min or 1/h, labelled \"USER\""));
        }
        range(f("1.value"), p.value, 1e-4, 100.0, p.unit.symbol())?;
    }
    count("covariates", m.covariates.len(), 0, 16)?;
    for (i, c) in m.covariates.iter().enumerate() {
        param(
            format!("covariates[{i}].param"),
            &c.param,
            &[
                Unit::L,
                Unit::LPerKg,
                Unit::LPerH,
                Unit::LPerMin,
                Unit::PerMin,
                Unit::PerH,
                Unit::Min,
                Unit::H,
                Unit::Fraction,
            ],
            "a parameter",
        )?;
        if c.provenance != Provenance::User {
            return Err(bad(
                format!("covariates[{i}].provenance"),
                "label it \"USER\"",
            ));
        }
        let factor = match c.effect {
            super::CovariateEffect::Race { factor, .. }
            | super::CovariateEffect::Female { factor } => factor,
            super::CovariateEffect::AgeAbove {
                above_years,
                per_year,
            } => {
                range(
                    format!("covariates[{i}].effect.above_years"),
                    above_years,
                    0.0,
                    120.0,
                    "years",
                )?;
                range(
                    format!("covariates[{i}].effect.per_year"),
                    per_year,
                    -1e4,
                    1e4,
                    "(parameter unit) per year",
                )?;
                1.0
            }
        };
        range(
            format!("covariates[{i}].effect.factor"),
            factor,
            0.1,
            10.0,
            "",
        )?;
    }
    count("iiv_covariances", m.iiv_covariances.len(), 0, 64)?;
    for (i, (a, b, cov)) in m.iiv_covariances.iter().enumerate() {
        let f = |k: &str| format!("iiv_covariances[{i}].{k}");
        let w = |s: &str, k: &str| -> Result<f64> {
            m.params
                .iter()
                .find(|p| p.symbol == s)
                .and_then(|p| p.omega2)
                .ok_or_else(|| {
                    bad(
                        f(k),
                        format!("'{}' needs a parameter with omega2", printable(s)),
                    )
                })
        };
        let (wa, wb) = (w(a, "0")?, w(b, "1")?);
        let lim = (wa * wb).sqrt();
        range(f("2"), *cov, -lim, lim, "")?;
    }
    // the compiled system must be finite for the typical patient
    m.compile(super::REFERENCE_WEIGHT_KG, 0.1, &[])?;
    Ok(())
}
