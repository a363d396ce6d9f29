//! # ketasim — a ketamine PK/PD simulator
//!
//! **Educational model, not dosing advice.**
//!
//! You can use it to:
//! - simulate plasma and effect-site concentrations of ketamine after IV boluses, infusions and
//!   repeated courses, with published compartment models that each cite their source;
//! - derive NMDA-receptor occupancy (model-derived: no human study measured it) from the unbound
//!   effect-site concentration, at equilibrium or with binding kinetics;
//! - compute Cmax, AUC, time in a concentration band, recovery time and the context-sensitive
//!   half-time;
//! - check every result against an exact matrix-exponential solution.
//!
//! ## Quick start
//!
//! ```
//! use ketasim::{simulate, Scenario};
//!
//! let scenario = Scenario::from_json(r#"{
//!     "patient": { "weight_kg": 70 },
//!     "regimen": [{ "kind": "infusion", "dose_mg_per_kg": 0.5, "duration_min": 40 }],
//!     "horizon_min": 240
//! }"#)?;
//! let result = simulate(&scenario)?;
//! let ketamine = &result.metrics.analytes[0];
//! println!("Cmax {:.0} ng/mL at {} min", ketamine.cmax_ng_per_ml, ketamine.tmax_min);
//! assert_eq!(ketamine.tmax_min, 40.0); // the peak is at the end of the infusion
//! # Ok::<(), ketasim::Error>(())
//! ```
//!
//! ## Layout
//! - [`model`]: compartment models as data, compiled to `dx/dt = A·x + u`;
//! - [`models`]: the published parameter sets;
//! - [`dosing`]: regimens → inputs; every event is an integration boundary;
//! - [`solver`]: exact propagator and Dopri5, segment by segment;
//! - [`pd`]: effect site, unbound fraction, occupancy, landmarks;
//! - [`scenario`]: the serde type shared by the CLI, the wasm API and tests;
//! - [`simulate()`]: runs a scenario; [`metrics`]: summary numbers; [`csht`]: the
//!   context-sensitive half-time;
//! - [`population`]: virtual populations (variability, runner, statistics);
//! - [`monitoring`]: illustrative vitals curves, side-effect incidences and monitoring rules,
//!   every number cited;
//! - [`diagram`]: amounts and flows over time for the animated compartment diagram;
//!   [`lecture`]: scenes for the page's lecture mode.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![warn(missing_docs)]

pub mod csht;
pub mod diagram;
pub mod dosing;
pub mod edit;
pub mod error;
pub mod export;
pub mod lecture;
pub mod metrics;
pub mod model;
pub mod models;
pub mod monitoring;
pub mod pd;
pub mod population;
pub mod presets;
pub mod scenario;
pub mod simulate;
pub mod solver;
pub mod tci;
pub mod text;
pub mod timeline;
pub mod units;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, Result};
pub use scenario::Scenario;
pub use simulate::{simulate, SimulationResult};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
