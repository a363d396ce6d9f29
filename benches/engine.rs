//! Criterion benches of the engine. IDs:
//! - `standard_6h/{exact,dopri5}`: 70 kg, 0.5 mg/kg over 40 min, 6 h on a 1-min grid
//!   (full `simulate`: validation, model compilation, integration, concentrations, metrics);
//! - `standard_6h_trajectory/{exact,dopri5}`: the integration alone (compiled system reused);
//! - `standard_24h/{exact,dopri5}`: the same infusion over 24 h;
//! - `course_14d/{exact,dopri5}`: six infusions (Mon/Wed/Fri) over 14 days on a 1-min grid;
//! - `population/{1000,10000}_{serial,parallel}`: the standard infusion in a virtual population
//!   (weights log-normal, CV 20 %), bands over time; seed 1.
//!
//! Inputs are fixed scenarios (no randomness). `cargo bench -- --test` runs each once.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ketasim::dosing::InputPlan;
use ketasim::scenario::Method;
use ketasim::{models, presets, simulate, Scenario};
use std::hint::black_box;

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
    let plan = InputPlan::from_scenario(&standard, &sys);
    for (name, m) in methods() {
        let sc = with_method(standard.clone(), m);
        g.bench_with_input(BenchmarkId::from_parameter(name), &sc, |b, sc| {
            b.iter(|| ketasim::simulate::trajectory(black_box(sc), &sys, &plan).unwrap())
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

fn bench_population(c: &mut Criterion) {
    let mut g = c.benchmark_group("population");
    g.sample_size(10);
    for size in [1000u32, 10_000] {
        let mut sc = presets::get("antidepressant_40min").unwrap().scenario;
        sc.population = Some(ketasim::population::PopulationSpec {
            size,
            seed: 1,
            weight_kg: None,
            age_years: None,
            female_fraction: None,
            threshold_ng_per_ml: 100.0,
        });
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

criterion_group!(benches, bench, bench_population);
criterion_main!(benches);
