#![allow(dead_code)] // each target uses part of it

//! What every fuzz target checks: inputs cheap enough to run thousands of times a second, and
//! the properties of errors and results that must hold for any input.

use ketasim::pd::Binding;
use ketasim::scenario::Method;
use ketasim::{Error, Scenario, SimulationResult};

/// Whether simulating `sc` takes at most a few milliseconds (the fuzzer skips the rest: the
/// limits that bound real runs are tested elsewhere).
pub fn cheap(sc: &Scenario) -> bool {
    let doses: usize = sc.regimen.iter().map(|d| d.schedule.len()).sum();
    let ode = matches!(sc.pd.binding, Binding::Kinetic { .. }) || sc.solver.method == Method::Dopri5;
    sc.n_points() <= 5_000 && doses <= 200 && (!ode || sc.horizon_min <= 5_000.0)
}

/// An error says something, in a bounded number of characters, and names a dotted path (or
/// nothing) as its field.
pub fn check_error(e: &Error) {
    let msg = e.to_string();
    assert!(!msg.is_empty());
    assert!(
        msg.chars().count() <= 1_500,
        "message of {} characters: {}…",
        msg.chars().count(),
        msg.chars().take(200).collect::<String>()
    );
    if let Some(f) = e.field() {
        assert!(f.chars().count() <= 300, "field of {} characters", f.chars().count());
        assert!(!f.contains('\n'), "{f:?}");
    }
}

/// A result covers the grid with finite numbers and occupancy in [0, 1].
pub fn check_result(sc: &Scenario, r: &SimulationResult) {
    assert_eq!(r.t_min.len() as u64, sc.n_points());
    assert!(r.t_min.windows(2).all(|w| w[0] < w[1]), "grid not rising");
    for a in &r.analytes {
        for s in [&a.cp_ng_per_ml, &a.ce_ng_per_ml, &a.cp_um, &a.ce_unbound_um] {
            assert_eq!(s.len(), r.t_min.len());
            assert!(s.iter().all(|x| x.is_finite()), "{}: not finite", a.id);
        }
    }
    assert!(
        r.occupancy.iter().all(|o| (0.0..=1.0 + 1e-12).contains(o)),
        "occupancy outside [0, 1]"
    );
    let m = &r.metrics;
    assert!(m.occupancy_max.is_finite() && m.dissociated_min.is_finite());
}
