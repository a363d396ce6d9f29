//! Population runs of small sizes (at most 6 subjects): a failing subject is isolated, subjects
//! split into ranges give the same result, bands are ordered, fractions are fractions.
#![no_main]

use ketasim::population::{Population, PopulationSpec};
use ketasim::{Error, Scenario};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sc = match Scenario::from_json(text) {
        Ok(sc) => sc,
        Err(e) => return common::check_error(&e),
    };
    let spec = sc.population.get_or_insert_with(|| PopulationSpec::new(3, 0));
    spec.size = spec.size.clamp(1, 6);
    let size = spec.size;
    if !common::cheap(&sc) || sc.n_points() > 1_000 {
        return;
    }
    if let Err(e) = ketasim::population::for_browser(&sc) {
        common::check_error(&e);
    }
    let pop = match Population::of(&sc) {
        Ok(p) => p,
        Err(e) => return common::check_error(&e),
    };
    let r = match pop.run(false, &|_| {}) {
        Ok(r) => r,
        Err(e) => {
            common::check_error(&e);
            assert!(matches!(e, Error::PopulationFailed { .. }), "{e}");
            return;
        }
    };
    let ran = r.cmax_ng_per_ml.len();
    assert_eq!(ran + r.failed.len(), size as usize);
    assert_eq!(r.weight_kg.len(), ran);
    assert!(r.failed.windows(2).all(|w| w[0].index < w[1].index));
    for f in &r.failed {
        assert!(f.index < u64::from(size));
        assert!(f.error.chars().count() <= 1_500);
    }
    // any split of the subjects gives the same rows and failures
    let whole = pop.simulate_range(0, size, false, &|_| {}).expect("range");
    let k = size / 2;
    let a = pop.simulate_range(0, k, false, &|_| {}).expect("range");
    let b = pop.simulate_range(u64::from(k), size - k, false, &|_| {}).expect("range");
    assert_eq!([a.rows, b.rows].concat(), whole.rows);
    assert_eq!([a.failed, b.failed].concat(), r.failed);
    // percentiles in order at every point, fractions in [0, 1]
    for band in &r.bands {
        for k in 0..r.t_min.len() {
            let col: Vec<f64> = band.series.iter().map(|s| s[k]).collect();
            assert!(col.windows(2).all(|w| !(w[0] > w[1])), "{}: {col:?}", band.quantity.key);
        }
    }
    assert!(r.fraction_above.iter().all(|f| (0.0..=1.0).contains(f)));
    let counted: u32 = r.cmax.histogram_counts.iter().sum();
    assert_eq!(counted, r.cmax.count);
});
