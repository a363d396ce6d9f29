//! The crate's one error type.
//!
//! Every variant carries the numbers a user needs to fix the input: the field, the value and
//! the allowed range. Nothing in the library panics on user input; all of it comes back here.

use crate::text::Num;
use thiserror::Error;

/// Everything that can go wrong when building or running a simulation.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// A numeric field is outside its allowed range (or not finite).
    #[error(
        "{field} = {} is out of range: allowed {} to {} {unit}",
        Num(*.value),
        Num(*.min),
        Num(*.max)
    )]
    OutOfRange {
        /// Dotted path of the field, e.g. `patient.weight_kg`.
        field: String,
        /// The value that was given.
        value: f64,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
        /// Unit of the field (may be empty).
        unit: &'static str,
    },
    /// A field is missing, contradictory or not one of the allowed choices.
    #[error("{field}: {message}")]
    Invalid {
        /// Dotted path of the field.
        field: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A size the user controls would exceed its limit (memory guard).
    #[error("{what} = {value} exceeds the limit of {limit}")]
    TooLarge {
        /// What was counted, e.g. `output points (horizon_min / output_step_min + 1)`.
        what: String,
        /// The requested size.
        value: u64,
        /// The allowed maximum.
        limit: u64,
    },
    /// The model id is not one of the shipped models.
    #[error("model: unknown model id '{id}'; available: {available}")]
    UnknownModel {
        /// The id given.
        id: String,
        /// Comma-separated list of valid ids.
        available: String,
    },
    /// The chosen route is not available in the chosen model.
    #[error("regimen[{index}].route: route '{route}' is not available in model '{model}'; available: {available}")]
    RouteNotInModel {
        /// Index of the dose item.
        index: usize,
        /// The route given.
        route: String,
        /// The model id.
        model: String,
        /// Routes the model supports.
        available: String,
    },
    /// The ODE solver failed (step size underflow, too many steps, stiffness).
    #[error(
        "the ODE solver (Dopri5) failed between t = {} min and t = {} min: {message}; {remedy}",
        Num(*.t_start_min),
        Num(*.t_end_min)
    )]
    Solver {
        /// Start of the failing segment, min.
        t_start_min: f64,
        /// End of the failing segment, min.
        t_end_min: f64,
        /// The solver's own message.
        message: String,
        /// What to change in the scenario (binding half-time, tolerances, method).
        remedy: String,
    },
    /// A scenario could not be parsed (JSON syntax or type error).
    #[error("scenario JSON: {0}")]
    Parse(String),
    /// A scenario could not be read from its JSON text: the field where it went wrong (dotted
    /// path, empty for the whole document), what is wrong and what is allowed, and where.
    #[error(
        "{what} JSON: {}{message} (line {line}, column {column})",
        field_prefix(.field, .message)
    )]
    Json {
        /// What the text was to be (`scenario`, `lecture`).
        what: &'static str,
        /// Dotted path of the field, e.g. `regimen[0].schedule.every`.
        field: String,
        /// What is wrong, and what is allowed.
        message: String,
        /// Line of the text (1-based).
        line: usize,
        /// Column of the text, in bytes from the start of the line.
        column: usize,
    },
    /// A shipped model's definition is inconsistent (a missing parameter, compartment or
    /// volume, a singular disposition matrix, a covariance matrix that is not positive
    /// definite): a bug in the model data, not in the input.
    #[error(
        "model '{model}' is not well defined: {problem}; choose another model (and report the \
         definition in src/models)"
    )]
    ModelDefinition {
        /// The model id (empty when not known where the problem was found).
        model: String,
        /// What is inconsistent.
        problem: String,
    },
    /// A ligand id is not in the PD table.
    #[error("no ligand '{id}' in the PD table; available: {available}")]
    UnknownLigand {
        /// The id given.
        id: String,
        /// Comma-separated list of valid ids.
        available: String,
    },
    /// A computation produced a non-finite number (or an unbounded one).
    #[error("numerical failure: {quantity} is not finite ({context}); {remedy}")]
    Numerical {
        /// What was computed, e.g. `rate constants of model 'kamp2020'`.
        quantity: String,
        /// Where: the weight, the step or the time.
        context: String,
        /// What to change.
        remedy: String,
    },
    /// A result could not be written in the requested format.
    #[error("could not write {format} output: {message}")]
    Output {
        /// The format: `CSV`, `JSON`, `JS value`.
        format: &'static str,
        /// The serializer's message.
        message: String,
    },
    /// A file or stream could not be read or written (the CLI).
    #[error("{what}: {path}: {message} (check the path and its permissions)")]
    Io {
        /// What the file is: `scenario`, `output`.
        what: &'static str,
        /// The path (`-` for stdin, stdout).
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// Every subject of a virtual population failed (one failing subject alone is counted and
    /// left out of the bands instead: see `PopulationResult::failed`).
    #[error("all {failed} of {size} subjects of the population failed{first}")]
    PopulationFailed {
        /// Subjects that failed.
        failed: u64,
        /// Subjects asked for.
        size: u64,
        /// The first failure (`; subject i (weight_kg = w): …`), or empty.
        first: String,
    },
    /// One subject of a virtual population failed: its index and the parameters it drew.
    #[error(
        "population subject {index} (weight_kg = {}{}): {source}",
        Num(*.weight_kg),
        factor_list(.factors)
    )]
    Subject {
        /// Index of the subject (its random stream).
        index: u64,
        /// Body weight drawn, kg.
        weight_kg: f64,
        /// Multipliers drawn for the parameters with variability: (symbol, factor).
        factors: Vec<(String, f64)>,
        /// What failed.
        source: Box<Error>,
    },
}

/// `field: ` before a message, unless the message quotes the field itself.
fn field_prefix(field: &str, message: &str) -> String {
    if field.is_empty() || message.contains(&format!("`{field}`")) {
        String::new()
    } else {
        format!("{field}: ")
    }
}

fn factor_list(factors: &[(String, f64)]) -> String {
    factors
        .iter()
        .map(|(s, f)| format!(", {s} × {}", Num(*f)))
        .collect()
}

impl Error {
    /// Shorthand for [`Error::OutOfRange`].
    pub fn out_of_range(
        field: impl Into<String>,
        value: f64,
        min: f64,
        max: f64,
        unit: &'static str,
    ) -> Self {
        Error::OutOfRange {
            field: field.into(),
            value,
            min,
            max,
            unit,
        }
    }

    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The dotted field path this error refers to, if any (used by the UI to place the message
    /// next to the right control).
    pub fn field(&self) -> Option<String> {
        match self {
            Error::OutOfRange { field, .. } | Error::Invalid { field, .. } => Some(field.clone()),
            Error::Json { field, .. } if !field.is_empty() => Some(field.clone()),
            Error::UnknownModel { .. } => Some("model".into()),
            Error::RouteNotInModel { index, .. } => Some(format!("regimen[{index}].route")),
            Error::Subject { source, .. } => source.field(),
            _ => None,
        }
    }
}

/// Crate-wide result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Checks that `value` is finite and within `[min, max]`.
pub(crate) fn check_range(
    field: impl FnOnce() -> String,
    value: f64,
    min: f64,
    max: f64,
    unit: &'static str,
) -> Result<()> {
    if value.is_finite() && value >= min && value <= max {
        Ok(())
    } else {
        Err(Error::out_of_range(field(), value, min, max, unit))
    }
}
