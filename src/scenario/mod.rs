//! The one serde type that describes a simulation, shared by the CLI, the wasm API and tests,
//! its validation, and the prepared run that the lower layers take.
//!
//! - [`spec`]: the types (patient, regimen, PD and solver choices, virtual population);
//! - [`limits`]: every limit a field is checked against;
//! - `validate`: the checks, once, at the entry point;
//! - [`PreparedRun`]: what [`Scenario::prepare`] resolves once for a run.
//!
//! A scenario in JSON:
//!
//! ```
//! let json = r#"{
//!   "patient": { "weight_kg": 70 },
//!   "model": "kamp2020",
//!   "regimen": [
//!     { "route": "iv", "kind": "infusion", "dose_mg_per_kg": 0.5, "duration_min": 40 }
//!   ],
//!   "horizon_min": 360,
//!   "output_step_min": 1
//! }"#;
//! let scenario = ketasim::Scenario::from_json(json)?;
//! scenario.validate()?;
//! # Ok::<(), ketasim::Error>(())
//! ```

pub(crate) mod de;
pub mod json;
pub mod limits;
mod prepare;
pub mod spec;
mod validate;

pub use limits::DEVICE_ROUNDING;
pub(crate) use prepare::resolve_method;
pub use prepare::PreparedRun;
pub use spec::*;
