//! Virtual populations: inter-individual variability from the published ω² (log-normal, with
//! Cholesky-correlated etas where the source gives covariances; logit-normal for fractions),
//! covariate distributions, and percentile bands over time.
//!
//! Every subject draws from its own ChaCha8 stream (`seed`, stream = subject index), so results
//! do not depend on how subjects are split across threads: parallel equals serial, bit for bit.
//!
//! - [`variability`]: sampling a subject (covariates, parameter multipliers);
//! - [`runner`]: the prepared population run and each subject's path;
//! - [`statistics`]: percentile bands, fractions above a threshold, distributions.
//!
//! The population's part of a scenario ([`PopulationSpec`], [`CovariateDist`]) and its limits
//! are defined with the scenario and re-exported here.

pub mod runner;
pub mod statistics;
pub mod variability;

pub use crate::scenario::limits::population as limits;
pub use crate::scenario::{CovariateDist, PopulationSpec, DEFAULT_WEIGHT_CV_PERCENT};
pub use runner::{
    FailedSubject, Population, PopulationResult, Quantity, SubjectRows, SubjectSummary,
};
pub use statistics::{
    block_stats, distribution, Bands, BlockStats, Distribution, Part, HISTOGRAM_BINS, PERCENTILES,
};
pub use variability::Variability;

use crate::error::{Error, Result};
use crate::scenario::Scenario;

/// Simulates `scenario.population` subjects. `parallel` uses all cores natively (same results
/// as serial); `progress` is called with the number of subjects finished so far.
pub fn simulate_population(
    scenario: &Scenario,
    parallel: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<PopulationResult> {
    Population::of(scenario)?.run(parallel, progress)
}

/// A population run prepared within the browser's limits: the scenario is validated first,
/// so that an error names the field that is wrong (a horizon of 1e9 min is the horizon's
/// error, not a population too large for its output points); then the browser's limits; then
/// the population itself.
pub fn for_browser(scenario: &Scenario) -> Result<Population<'_>> {
    scenario.validate()?;
    check_browser(scenario)?;
    Population::of(scenario)
}

/// The browser's range of `population.size`, 1 to [`limits::BROWSER_MAX_SUBJECTS`]. The
/// WebAssembly boundary checks it as soon as a scenario is read, before the scenario's own
/// validation (whose range is the CLI's, 1 to 100 000), so the page names one range for a size
/// too small and a size too large.
pub fn check_browser_size(scenario: &Scenario) -> Result<()> {
    match &scenario.population {
        Some(spec) if spec.size < 1 || spec.size > limits::BROWSER_MAX_SUBJECTS => {
            Err(Error::out_of_range(
                "population.size",
                f64::from(spec.size),
                1.0,
                f64::from(limits::BROWSER_MAX_SUBJECTS),
                "subjects in the browser (the CLI runs up to 100 000)",
            ))
        }
        _ => Ok(()),
    }
}

/// Checks the browser's limits (smaller than the native ones) with a message that says what to
/// change.
pub fn check_browser(scenario: &Scenario) -> Result<()> {
    check_browser_size(scenario)?;
    let Some(spec) = &scenario.population else {
        return Ok(());
    };
    let points = scenario.n_points();
    let values = u64::from(spec.size) * points;
    if values > limits::BROWSER_MAX_VALUES {
        // the largest population this scenario's grid allows in the browser
        let most = (limits::BROWSER_MAX_VALUES / points.max(1)).max(1);
        return Err(Error::out_of_range(
            "population.size",
            f64::from(spec.size),
            1.0,
            most as f64,
            "virtual patients in the browser for this scenario's output points (a longer \
             simulated time or a finer output step allows fewer; the CLI runs more)",
        ));
    }
    Ok(())
}
