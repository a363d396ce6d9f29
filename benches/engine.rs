//! Criterion benches of the engine. IDs:
//! - `standard_6h/{exact,dopri5}`: 70 kg, 0.5 mg/kg over 40 min, 6 h on a 1-min grid
//!   (full `simulate`: validation, model compilation, integration, concentrations, metrics);
//! - `standard_6h_trajectory/{exact,dopri5}`: the integration alone (compiled system reused);
//! - `standard_24h/{exact,dopri5}`: the same infusion over 24 h;
//! - `course_14d/{exact,dopri5}`: six infusions (Mon/Wed/Fri) over 14 days on a 1-min grid;
//! - `population/{1000,10000}_{serial,parallel}`: the standard infusion in a virtual population
//!   (weights log-normal, CV 20 %), bands over time; seed 1.
//!
//! - `single_subject/{population_row,propagator_floor}`: one virtual subject of the standard
//!   infusion (draw, compile, integrate, concentrations, occupancy, Cmax, recovery) against the
//!   floor of an exact linear propagator on the same system: `Φ(1 min)` and `Γ(1 min)·u` for
//!   the subject's matrix (the states that reach plasma and effect site), then
//!   `x ← Φ·x (+ Γ·u)` at each of the 360 steps, in fixed-size nalgebra matrices.
//!
//! - `kinetic_subject/{floor,floor_quarter_step,exact_kinetic,dopri5,ode_solvers_direct,
//!   exact_linear,population_path_exact_kinetic,population_path_dopri5}`: the
//!   kinetic-binding workload of issue 14 (`benches/common/kinetic.rs`): a three-compartment
//!   model with effect site and kinetic NMDA binding (half-time 10 min), 0.5 mg/kg over
//!   40 min, 361 output points, rtol 1e-6, 1 000 subjects varying k10 and V1 (seeded); one
//!   iteration runs all 1 000, so µs per subject = the time / 1 000. `floor`: exact
//!   propagator in fixed-size matrices + one RK4 step per output interval for the bound
//!   fraction, no error control (`floor_quarter_step`: four RK4 steps per output interval,
//!   the step that brings its error below 1e-6); `exact_kinetic`: the engine's stepper for `auto`;
//!   `dopri5`: the engine's Dopri5 (state sized to the model); `ode_solvers_direct`:
//!   `ode_solvers`' Dopri5 with a hand-written right-hand side; `exact_linear`: the engine's
//!   exact propagator without binding; `population_path_*`: one subject of the population
//!   path as the browser benchmark times it (draw, compile, solve, readouts; 70 kg fixed),
//!   for the wasm/native ratio; `population_call_*`: the whole browser call of 100 such
//!   subjects (JSON read and validated, population prepared, rows copied into one block), the
//!   unit `www/bench.html` divides by 100. The setup prints each method's largest relative error
//!   against Dopri5 at rtol 1e-11.
//!
//! Inputs are fixed scenarios or seeded draws. `cargo bench -- --test` runs each once.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ketasim::dosing::InputPlan;
use ketasim::scenario::Method;
use ketasim::{models, presets, simulate, Scenario};
use std::hint::black_box;

#[path = "common/kinetic.rs"]
mod kinetic;

fn with_method(mut sc: Scenario, m: Method) -> Scenario {
    sc.solver.method = m;
    sc
}

fn methods() -> [(&'static str, Method); 2] {
    [("exact", Method::Exact), ("dopri5", Method::Dopri5)]
}

fn bench(c: &mut Criterion) {
    let standard = presets::get("antidepressant_40min").unwrap().scenario;
    let mut g = c.benchmark_group("standard_6h");
    for (name, m) in methods() {
        let sc = with_method(standard.clone(), m);
        g.bench_with_input(BenchmarkId::from_parameter(name), &sc, |b, sc| {
            b.iter(|| simulate(black_box(sc)).unwrap())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("standard_6h_trajectory");
    let model = models::get(&standard.model).unwrap();
    let sys = model
        .compile(70.0, standard.pd.ke0_per_min(model).unwrap(), &[])
        .unwrap();
    let plan = InputPlan::from_scenario(&standard, &sys).expect("valid preset");
    for (name, m) in methods() {
        let sc = with_method(standard.clone(), m);
        let run = sc.prepare().unwrap();
        g.bench_with_input(BenchmarkId::from_parameter(name), &run, |b, run| {
            b.iter(|| ketasim::simulate::trajectory(black_box(run), &sys, &plan).unwrap())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("standard_24h");
    for (name, m) in methods() {
        let mut sc = with_method(standard.clone(), m);
        sc.horizon_min = 1440.0;
        g.bench_with_input(BenchmarkId::from_parameter(name), &sc, |b, sc| {
            b.iter(|| simulate(black_box(sc)).unwrap())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("course_14d");
    let course = presets::get("course_6_infusions").unwrap().scenario;
    for (name, m) in methods() {
        let mut sc = with_method(course.clone(), m);
        sc.horizon_min = 14.0 * 1440.0;
        g.bench_with_input(BenchmarkId::from_parameter(name), &sc, |b, sc| {
            b.iter(|| simulate(black_box(sc)).unwrap())
        });
    }
    g.finish();
}

/// The propagator floor for an `N`-state system (central first, effect site last): `Φ(1 min)`
/// and `Γ(1 min)·u`, then `x ← Φx (+ Γu)` over 360 steps with the input on for the first `on`,
/// writing what a subject row holds (plasma and effect-site ng/mL and equilibrium occupancy,
/// as f32) at every point.
fn floor<const N: usize>(
    a: &nalgebra::DMatrix<f64>,
    u: &[f64],
    on: usize,
    k: [f64; 3],
    out: &mut [f32],
) {
    let (phi, gamma) = ketasim::solver::exact::propagator(a, 1.0).unwrap();
    let phi = nalgebra::SMatrix::<f64, N, N>::from_iterator(phi.iter().copied());
    let gamma = nalgebra::SMatrix::<f64, N, N>::from_iterator(gamma.iter().copied());
    let g = gamma * nalgebra::SVector::<f64, N>::from_column_slice(u);
    let mut x = nalgebra::SVector::<f64, N>::zeros();
    let n = out.len() / 3;
    let (cp, rest) = out.split_at_mut(n);
    let (ce, occ) = rest.split_at_mut(n);
    for i in 1..n {
        x = if i <= on { phi * x + g } else { phi * x };
        cp[i] = (x[0] * k[0]) as f32;
        ce[i] = (x[N - 1] * k[1]) as f32;
        let r = x[N - 1] * k[2];
        occ[i] = (r / (1.0 + r)) as f32;
    }
}

fn bench_single_subject(c: &mut Criterion) {
    let mut g = c.benchmark_group("single_subject");
    let mut sc = presets::get("antidepressant_40min").unwrap().scenario;
    sc.population = Some(ketasim::population::PopulationSpec::new(1, 1));
    let pop = ketasim::population::Population::of(&sc).unwrap();
    let mut row = vec![0f32; pop.row_len()];
    g.bench_function("population_row", |b| {
        b.iter(|| pop.subject(black_box(0), &mut row).unwrap())
    });
    // the same subject's system, pruned to what plasma and effect site depend on
    let model = models::get(&sc.model).unwrap();
    let sys = model
        .compile(70.0, sc.pd.ke0_per_min(model).unwrap(), &[])
        .unwrap();
    let a0 = &sys.analytes[0];
    // central, its peripherals and the effect site of the administered drug
    let keep: Vec<usize> = (0..sys.n)
        .filter(|&s| {
            s == a0.central
                || s == a0.effect
                || model
                    .compartments
                    .get(s)
                    .is_some_and(|c| c.analyte == 0 && c.role == ketasim::model::Role::Peripheral)
        })
        .collect();
    let a = nalgebra::DMatrix::from_fn(keep.len(), keep.len(), |r, c| sys.a[(keep[r], keep[c])]);
    let mut u = vec![0.0; keep.len()];
    u[keep.iter().position(|&s| s == a0.central).unwrap()] = 35.0 / 40.0;
    // conversion constants (ng/mL per mg; Ki units are irrelevant to the cost)
    let conv = [
        1000.0 / sys.analytes[0].volume_l,
        1000.0 / sys.analytes[0].volume_l,
        0.01,
    ];
    let mut out = vec![0f32; 3 * 361];
    g.bench_function("propagator_floor", |b| {
        b.iter(|| match keep.len() {
            3 => floor::<3>(black_box(&a), &u, 40, conv, &mut out),
            4 => floor::<4>(black_box(&a), &u, 40, conv, &mut out),
            5 => floor::<5>(black_box(&a), &u, 40, conv, &mut out),
            n => panic!("{n} states"),
        })
    });
    g.finish();
}

fn bench_population(c: &mut Criterion) {
    let mut g = c.benchmark_group("population");
    g.sample_size(10);
    for size in [1000u32, 10_000] {
        let mut sc = presets::get("antidepressant_40min").unwrap().scenario;
        sc.population = Some(ketasim::population::PopulationSpec::new(size, 1));
        for (name, parallel) in [("serial", false), ("parallel", true)] {
            g.bench_with_input(
                BenchmarkId::from_parameter(format!("{size}_{name}")),
                &sc,
                |b, sc| {
                    b.iter(|| {
                        ketasim::population::simulate_population(black_box(sc), parallel, &|_| {})
                            .unwrap()
                    })
                },
            );
        }
    }
    g.finish();
}

fn bench_kinetic(c: &mut Criterion) {
    let w = kinetic::workload(1000);
    for a in &w.subjects {
        kinetic::check_structure(a);
    }
    // accuracy on the first 50 subjects against Dopri5 at rtol 1e-11 (printed, not timed)
    let mut worst = [[0.0f64; 3]; 6];
    let mut out = vec![0.0; kinetic::N * kinetic::POINTS];
    for a in w.subjects.iter().take(50) {
        let reference = kinetic::dopri5(&w, a, 1e-11, 1e-15).states;
        kinetic::floor(&w, a, 1, &mut out);
        let floor = out.clone();
        kinetic::floor(&w, a, 4, &mut out);
        let floor4 = out.clone();
        kinetic::direct(&w, a, 1e-6, 1e-9, &mut out);
        let direct = out.clone();
        kinetic::direct_dense(&w, a, 1e-6, 1e-9, &mut out);
        let runs = [
            floor,
            floor4,
            kinetic::exact_kinetic(&w, a, 1e-6).states,
            kinetic::dopri5(&w, a, 1e-6, 1e-9).states,
            direct,
            out.clone(),
        ];
        for (wst, x) in worst.iter_mut().zip(&runs) {
            for (e, s) in wst.iter_mut().zip([0, kinetic::M - 1, kinetic::M]) {
                *e = e.max(kinetic::max_rel_err(x, &reference, s));
            }
        }
    }
    for (name, e) in [
        "floor",
        "floor_quarter_step",
        "exact_kinetic",
        "dopri5",
        "ode_solvers_direct",
        "ode_solvers_direct_dense",
    ]
    .iter()
    .zip(worst)
    {
        eprintln!(
            "kinetic_subject/{name}: max relative error vs Dopri5 rtol 1e-11 (50 subjects): \
             central {:.1e}, effect site {:.1e}, bound fraction {:.1e}",
            e[0], e[1], e[2]
        );
    }
    let mut g = c.benchmark_group("kinetic_subject");
    g.sample_size(10);
    for (name, sub) in [("floor", 1), ("floor_quarter_step", 4)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                for a in &w.subjects {
                    kinetic::floor(&w, black_box(a), sub, &mut out);
                }
            })
        });
    }
    g.bench_function("exact_kinetic", |b| {
        b.iter(|| {
            for a in &w.subjects {
                black_box(kinetic::exact_kinetic(&w, black_box(a), 1e-6));
            }
        })
    });
    g.bench_function("dopri5", |b| {
        b.iter(|| {
            for a in &w.subjects {
                black_box(kinetic::dopri5(&w, black_box(a), 1e-6, 1e-9));
            }
        })
    });
    g.bench_function("ode_solvers_direct", |b| {
        b.iter(|| {
            for a in &w.subjects {
                kinetic::direct(&w, black_box(a), 1e-6, 1e-9, &mut out);
            }
        })
    });
    g.bench_function("ode_solvers_direct_dense", |b| {
        b.iter(|| {
            for a in &w.subjects {
                kinetic::direct_dense(&w, black_box(a), 1e-6, 1e-9, &mut out);
            }
        })
    });
    g.bench_function("exact_linear", |b| {
        b.iter(|| {
            for a in &w.subjects {
                black_box(kinetic::exact_linear(&w, black_box(a)));
            }
        })
    });
    // what the browser benchmark times per patient (www/bench.html, `populationSimulate` with
    // 100 identical 70-kg patients): one subject of the population path, from the draw to its
    // row of concentrations and occupancy, for the wasm/native ratio; one iteration = 1 000
    for (name, method) in [
        ("population_path_exact_kinetic", Method::ExactKinetic),
        ("population_path_dopri5", Method::Dopri5),
    ] {
        let mut sc = kinetic::scenario();
        sc.solver.method = method;
        let mut spec = ketasim::population::PopulationSpec::new(100, 1);
        spec.weight_kg = Some(ketasim::scenario::CovariateDist::Fixed(
            sc.patient.weight_kg,
        ));
        sc.population = Some(spec);
        let pop = ketasim::population::Population::of(&sc).unwrap();
        let mut row = vec![0f32; pop.row_len()];
        g.bench_function(name, |b| {
            b.iter(|| {
                for _ in 0..1000 {
                    black_box(pop.subject(black_box(0), &mut row).unwrap());
                }
            })
        });
        // the whole call the browser times (`populationSimulate(json, 0, 100, [0, 361])`):
        // the scenario read from JSON and validated, the population prepared, 100 subjects,
        // their rows copied into one block; one iteration = 10 calls = 1 000 subjects
        let json = serde_json::to_string(&sc).unwrap();
        let call = name.replace("population_path", "population_call");
        g.bench_function(call, |b| {
            b.iter(|| {
                for _ in 0..10 {
                    let sc = Scenario::from_json(black_box(&json)).unwrap();
                    let pop = ketasim::population::for_browser(&sc).unwrap();
                    let r = pop.simulate_range(0, 100, false, &|_| {}).unwrap();
                    black_box(r.rows.to_vec());
                }
            })
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    bench,
    bench_single_subject,
    bench_population,
    bench_kinetic
);
criterion_main!(benches);
