//! Kinetic binding with `exact_kinetic` (what `auto` uses): against Dopri5 at tight tolerance
//! (rtol 1e-11) for every preset × binding half-time × horizon up to 180 days, a 1 000-subject
//! simons2022 population, 20 mg/kg with the fastest binding for every model and route, and the
//! benchmark workload. The criterion is the oracle tests' relative error (floor 1e-6 × the
//! series' peak) ≤ 1e-6, in the central amount and the effect site of every analyte and in the
//! bound fraction of every ligand, with `exact_kinetic` at the default rtol 1e-6.
//!
//! Where a Dopri5 reference would take tens of seconds in a debug build (stiff binding over
//! weeks: its step is held by stability), the debug suite compares with `exact_kinetic` itself
//! at rtol 1e-12 instead (a convergence check, not an independent one); the ignored test
//! `every_case_against_dopri5_release_only` runs every case against Dopri5:
//! `scripts/kinetic-matrix.sh` (release build, prints the table in docs/benchmarks.md).

use super::oracle::max_rel_err;
use ketasim::dosing::InputPlan;
use ketasim::model::LinearSystem;
use ketasim::pd::Binding;
use ketasim::scenario::Method;
use ketasim::solver::Trajectory;
use ketasim::{models, presets, Scenario};
use rayon::prelude::*;

#[path = "../../benches/common/kinetic.rs"]
mod workload;

const HALF_TIMES: [f64; 5] = [0.1, 0.5, 2.0, 10.0, 10_000.0];
const DAY: f64 = 1440.0;

/// The states of `sc` on its grid, and its compiled system.
fn trajectory(sc: &Scenario) -> (Trajectory, LinearSystem) {
    let run = sc.prepare().unwrap();
    let sys = run.compile(&run.subject, &[]).unwrap();
    let plan = InputPlan::for_weight(sc, &sys, run.subject.weight_kg, &run.pumps);
    let t = ketasim::simulate::trajectory(&run, &sys, &plan)
        .unwrap_or_else(|e| panic!("{}: {e}", name(sc)));
    (t, sys)
}

fn name(sc: &Scenario) -> String {
    sc.name.clone().unwrap_or_default()
}

fn with(sc: &Scenario, method: Method, rtol: f64, atol: f64) -> Scenario {
    let mut s = sc.clone();
    s.solver.method = method;
    s.solver.rtol = rtol;
    s.solver.atol = atol;
    s
}

/// Largest relative error of `x` against `reference` over the central amount and effect site
/// of every analyte and every bound fraction; also checks that the bound fractions are
/// fractions.
fn worst(x: &Trajectory, reference: &Trajectory, sys: &LinearSystem) -> f64 {
    let mut states: Vec<usize> = sys
        .analytes
        .iter()
        .flat_map(|a| [a.central, a.effect])
        .collect();
    states.extend((0..sys.analytes.len()).map(|b| sys.n + b));
    for k in 0..x.t_min.len() {
        let total: f64 = (0..sys.analytes.len()).map(|b| x.value(k, sys.n + b)).sum();
        assert!(
            (-1e-12..=1.0 + 1e-12).contains(&total),
            "bound {total} at {}",
            x.t_min[k]
        );
    }
    states
        .iter()
        .map(|&s| max_rel_err(&x.column(s), &reference.column(s)))
        .fold(0.0, f64::max)
}

/// A preset with kinetic binding of half-time `ht`, over `horizon_days` (its own horizon when
/// `None`; longer horizons on a grid of at least 10 min, or 60 min beyond 30 days).
fn case(preset: &str, ht: f64, horizon_days: Option<f64>) -> Scenario {
    let mut sc = presets::get(preset).unwrap().scenario;
    sc.pd.binding = Binding::Kinetic { half_time_min: ht };
    if let Some(d) = horizon_days {
        sc.horizon_min = d * DAY;
        let step = if d > 30.0 { 60.0 } else { 10.0 };
        sc.output_step_min = sc.output_step_min.max(step);
    }
    sc.name = Some(format!(
        "{preset}, half-time {ht} min, {} min",
        sc.horizon_min
    ));
    sc
}

/// Whether the Dopri5 reference of `sc` runs in about a second in a debug build (measured:
/// its cost grows with the horizon and, through stability, with 1/half-time).
fn dopri5_is_cheap(sc: &Scenario, ht: f64) -> bool {
    let h = sc.horizon_min;
    h <= DAY
        || (h <= 20.0 * DAY && ht >= 0.5)
        || (h <= 80.0 * DAY && ht >= 10.0 && sc.n_points() <= 10_000)
}

/// The largest relative error of `exact_kinetic` at the default tolerance against Dopri5 at
/// rtol 1e-11 (`dopri5`), or else against `exact_kinetic` at rtol 1e-12. The reference's atol
/// is 1e-15, the smallest allowed: the criterion judges values below 1e-6 of a series' peak
/// by their absolute error, down to 1e-12 × the peak (1e-13 mg/L for an effect-site peak of
/// 0.1 mg/L), and Dopri5's absolute error is of the order of its atol.
fn error(sc: &Scenario, dopri5: bool) -> f64 {
    let (x, sys) = trajectory(&with(sc, Method::ExactKinetic, 1e-6, 1e-9));
    let reference = if dopri5 {
        with(sc, Method::Dopri5, 1e-11, 1e-15)
    } else {
        with(sc, Method::ExactKinetic, 1e-12, 1e-9)
    };
    worst(&x, &trajectory(&reference).0, &sys)
}

/// [`error`] ≤ 1e-6; returns whether the reference was Dopri5.
fn check(sc: &Scenario, dopri5: bool) -> bool {
    let e = error(sc, dopri5);
    assert!(e <= 1e-6, "{}: max relative error {e:e}", name(sc));
    dopri5
}

#[test]
fn every_preset_with_every_half_time_matches_the_reference() {
    let cases: Vec<(String, f64)> = presets::all()
        .iter()
        .flat_map(|p| HALF_TIMES.iter().map(move |&ht| (p.id.to_string(), ht)))
        .collect();
    let against_dopri5: usize = cases
        .par_iter()
        .map(|(p, ht)| {
            let sc = case(p, *ht, None);
            check(&sc, dopri5_is_cheap(&sc, *ht)) as usize
        })
        .sum();
    // most cases against the independent integrator
    assert!(against_dopri5 >= 45, "{against_dopri5} of {}", cases.len());
}

#[test]
fn a_180_day_horizon_succeeds_for_every_preset_and_half_time() {
    // the dose-free stretch after the last dose grows to months (the presets' own horizons
    // span 4 h to 71 days): the exact propagator is not slowed by it, and the binding
    // integrator's steps follow accuracy, not stiffness
    let cases: Vec<(String, f64)> = presets::all()
        .iter()
        .flat_map(|p| HALF_TIMES.iter().map(move |&ht| (p.id.to_string(), ht)))
        .collect();
    cases.par_iter().for_each(|(p, ht)| {
        let sc = case(p, *ht, Some(180.0));
        check(&sc, dopri5_is_cheap(&sc, *ht));
    });
}

#[test]
fn a_30_day_horizon_after_one_infusion_matches_dopri5() {
    // the issue's first failing case (Dopri5 aborted at about 13 400 min without a dose),
    // against Dopri5 itself, which now runs through it (slowly: its step is held by stability)
    let sc = case("antidepressant_40min", 10.0, Some(30.0));
    assert!(check(&sc, true));
}

#[test]
fn twenty_mg_per_kg_with_the_fastest_binding_matches_dopri5_for_every_model_and_route() {
    // the stiffest case the inputs allow: binding half-time 0.1 min at 20 mg/kg (kon·Cu up to
    // about 10³/min), over the first two hours; intranasal devices: three (the most per
    // session)
    let mut cases = Vec::new();
    for m in models::all() {
        let sys = m.compile(70.0, 0.1, &[]).unwrap();
        for r in &sys.routes {
            let route = serde_json::to_string(&r.route).unwrap();
            let dose = if r.device.is_some() {
                r#""devices":3"#
            } else {
                r#""dose_mg_per_kg":20"#
            };
            cases.push(format!(
                r#"{{"name":"{} {:?}","patient":{{"weight_kg":70}},"model":"{}","regimen":[{{"route":{route},{dose}}}],"horizon_min":120,"pd":{{"binding":{{"kind":"kinetic","half_time_min":0.1}}}}}}"#,
                m.id, r.route, m.id
            ));
        }
    }
    assert!(cases.len() >= 17, "{}", cases.len());
    cases.par_iter().for_each(|json| {
        let sc = Scenario::from_json(json).unwrap();
        assert_eq!(sc.prepare().unwrap().method, Method::ExactKinetic);
        check(&sc, true);
    });
}

/// A simons2022 population with kinetic binding (half-time 10 min).
fn simons_population(size: u32, method: Method, rtol: f64, atol: f64) -> Scenario {
    let mut sc = with(
        &case("antidepressant_40min", 10.0, None),
        method,
        rtol,
        atol,
    );
    sc.model = "simons2022".into();
    sc.population = Some(ketasim::population::PopulationSpec::new(size, 3));
    sc
}

/// The rows of subjects `ids` (Cp of every analyte, Ce, occupancy; f32).
fn rows(sc: &Scenario, ids: &[u64]) -> Vec<Vec<f32>> {
    let pop = ketasim::population::Population::of(sc).unwrap();
    ids.par_iter()
        .map(|&i| {
            let mut row = vec![0f32; pop.row_len()];
            pop.subject(i, &mut row).unwrap();
            row
        })
        .collect()
}

/// Largest relative error of each quantity of the rows (floor 1e-6 × its peak).
fn row_error(a: &[f32], b: &[f32], n_points: usize) -> f64 {
    a.chunks(n_points)
        .zip(b.chunks(n_points))
        .map(|(x, y)| {
            let x: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
            let y: Vec<f64> = y.iter().map(|&v| f64::from(v)).collect();
            max_rel_err(&x, &y)
        })
        .fold(0.0, f64::max)
}

#[test]
fn a_population_of_1000_simons2022_subjects_with_kinetic_binding() {
    let sc = simons_population(1000, Method::Auto, 1e-6, 1e-9);
    let result = ketasim::population::simulate_population(&sc, true, &|_| {}).unwrap();
    assert_eq!(result.size, 1000);
    let occ = result
        .bands
        .iter()
        .find(|b| b.quantity.key == "occupancy")
        .unwrap();
    assert!(occ.series.iter().flatten().all(|o| (0.0..=1.0).contains(o)));
    // a sample of subjects against Dopri5 at rtol 1e-11 (all 1000: the release-only test);
    // rows are f32, whose rounding (6e-8) is far below the criterion
    let ids = [0, 1, 499, 998, 999];
    let reference = simons_population(1000, Method::Dopri5, 1e-11, 1e-15);
    let npts = sc.n_points() as usize;
    for ((a, b), i) in rows(&sc, &ids).iter().zip(rows(&reference, &ids)).zip(ids) {
        let e = row_error(a, &b, npts);
        assert!(e <= 1e-6, "subject {i}: {e:e}");
    }
}

#[test]
fn the_benchmark_workload_is_accurate_and_the_floor_is_what_it_claims() {
    // docs/benchmarks.md: on the issue's workload exact_kinetic is within 1e-6 of Dopri5 at
    // rtol 1e-11; the RK4 floor at the output step (1 min) is not, at ¼ min it is
    let w = workload::workload(10);
    let mut out = vec![0.0; workload::N * workload::POINTS];
    for a in &w.subjects {
        workload::check_structure(a);
        let reference = workload::dopri5(&w, a, 1e-11, 1e-15).states;
        let b_err = |x: &[f64]| workload::max_rel_err(x, &reference, workload::M);
        let e = b_err(&workload::exact_kinetic(&w, a, 1e-6).states);
        assert!(e <= 1e-6, "exact_kinetic {e:e}");
        workload::floor(&w, a, 4, &mut out);
        assert!(b_err(&out) <= 1e-6, "floor ¼ min {:e}", b_err(&out));
        workload::floor(&w, a, 1, &mut out);
        assert!(b_err(&out) > 1e-6, "floor 1 min {:e}", b_err(&out));
        // ode_solvers used directly and the engine's Dopri5 solve the same problem (the same
        // steps, up to rounding in the right-hand side; a wrong direct model would be off by
        // far more than the tolerance)
        workload::direct(&w, a, 1e-6, 1e-9, &mut out);
        let ours = workload::dopri5(&w, a, 1e-6, 1e-9).states;
        for s in 0..workload::N {
            let d = workload::max_rel_err(&out, &ours, s);
            assert!(d <= 1e-6, "state {s}: direct vs engine Dopri5 {d:e}");
        }
    }
}

#[test]
fn a_drug_free_start_shrinks_the_first_step_in_one_go() {
    // at t = 0 the bound fraction is 0 and rises like t³ (k = k' = 0), and it is held to 1e-6
    // of itself: the first 1-min step's estimate is thousands of times the tolerance and
    // scales like h², not h⁵. The controller goes from it straight to a step that passes: one
    // rejection in the first two minutes (it took three)
    let w = workload::workload(3);
    for a in &w.subjects {
        let mut st =
            ketasim::solver::kinetic::KineticStepper::new(a, 1.0, &w.binding, 1e-6).unwrap();
        ketasim::solver::run(&mut st, workload::N, &w.plan, w.grid[..=2].to_vec(), 2.0).unwrap();
        assert_eq!(st.rejected_steps(), 1);
    }
}

#[test]
fn once_the_infusion_ends_one_ligand_steps_over_several_output_points() {
    // after the infusion (t > 40 min) the bound fraction is smooth on the scale of minutes:
    // steps span up to 32 grid points and the points inside come from the step's dense
    // output. The whole run takes far fewer steps than it has points (before: 409 steps for
    // 361 points), and stays within 1e-6 of Dopri5 at rtol 1e-11 at every point
    // (`the_benchmark_workload_is_accurate_and_the_floor_is_what_it_claims`)
    let w = workload::workload(3);
    for a in &w.subjects {
        let mut st =
            ketasim::solver::kinetic::KineticStepper::new(a, 1.0, &w.binding, 1e-6).unwrap();
        ketasim::solver::run(&mut st, workload::N, &w.plan, w.grid.clone(), w.horizon_min).unwrap();
        let (acc, rej) = (st.accepted_steps(), st.rejected_steps());
        assert!(
            acc < 200 && rej <= 8,
            "{acc} accepted, {rej} rejected steps"
        );
    }
}

/// One line of the release-only table: case, reference, error.
type Row = (String, &'static str, f64);

#[test]
#[ignore = "release-only: every case against Dopri5 at rtol 1e-11 (scripts/kinetic-matrix.sh)"]
fn every_case_against_dopri5_release_only() {
    let mut cases: Vec<(String, f64, Option<f64>)> = Vec::new();
    for p in presets::all() {
        for &ht in &HALF_TIMES {
            for d in [None, Some(30.0), Some(180.0)] {
                cases.push((p.id.to_string(), ht, d));
            }
        }
    }
    let table: Vec<Row> = cases
        .par_iter()
        .map(|(p, ht, d)| {
            let sc = case(p, *ht, *d);
            (name(&sc), "Dopri5", error(&sc, true))
        })
        .collect();
    let worst = table.iter().map(|r| r.2).fold(0.0, f64::max);
    for (name, by, e) in &table {
        eprintln!("{name}: {e:.1e} vs {by}");
    }
    eprintln!(
        "presets × half-times × horizons: {} cases, max relative error {worst:.1e}",
        table.len()
    );
    assert!(worst <= 1e-6);
    // the whole population against Dopri5
    let sc = simons_population(1000, Method::Auto, 1e-6, 1e-9);
    let reference = simons_population(1000, Method::Dopri5, 1e-11, 1e-15);
    let ids: Vec<u64> = (0..1000).collect();
    let npts = sc.n_points() as usize;
    let (a, b) = (rows(&sc, &ids), rows(&reference, &ids));
    let e = a
        .iter()
        .zip(&b)
        .map(|(x, y)| row_error(x, y, npts))
        .fold(0.0, f64::max);
    eprintln!("simons2022, 1000 subjects: max relative error {e:.1e} vs Dopri5");
    assert!(e <= 1e-6);
}
