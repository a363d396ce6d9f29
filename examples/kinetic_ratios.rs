//! The ratios of issue 14's kinetic-binding workload (`benches/common/kinetic.rs`) timed
//! **interleaved**: the floor, `exact_kinetic`, the engine's Dopri5 and ode_solvers' Dopri5
//! used directly (with its continuous output model, and with its own dense output), batch after batch in turn (each batch all 1 000 subjects), so a drift of the host's
//! speed within the run falls on every engine alike. Prints µs per subject (median) and the
//! median and range of the per-batch ratios. The criterion benches (`cargo bench --bench
//! engine -- kinetic_subject`) time the same functions one after the other.
//!
//! `cargo run --release --example kinetic_ratios [batches]` (default 40)

#[path = "../benches/common/kinetic.rs"]
mod kinetic;

use std::hint::black_box;
use std::time::Instant;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let engines: usize = std::env::var("ENGINES").map_or(5, |e| e.parse().unwrap());
    let batches: usize = std::env::args()
        .nth(1)
        .map_or(40, |b| b.parse().expect("batches: a whole number"));
    let w = kinetic::workload(1000);
    let mut out = vec![0.0; kinetic::N * kinetic::POINTS];
    let names = [
        "floor",
        "exact_kinetic",
        "dopri5",
        "ode_solvers_direct",
        "ode_solvers_direct_dense",
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for b in 0..batches + 2 {
        let chunk = &w.subjects;
        for (e, t) in times.iter_mut().enumerate().take(engines) {
            let t0 = Instant::now();
            for a in chunk {
                match e {
                    0 => kinetic::floor(&w, black_box(a), 1, &mut out),
                    1 => drop(black_box(kinetic::exact_kinetic(&w, a, 1e-6))),
                    2 => drop(black_box(kinetic::dopri5(&w, a, 1e-6, 1e-9))),
                    3 => kinetic::direct(&w, black_box(a), 1e-6, 1e-9, &mut out),
                    _ => kinetic::direct_dense(&w, black_box(a), 1e-6, 1e-9, &mut out),
                }
            }
            // the first two batches warm up
            if b >= 2 {
                t.push(t0.elapsed().as_secs_f64() * 1e6 / chunk.len() as f64);
            }
        }
    }
    for (n, t) in names.iter().zip(&times).filter(|(_, t)| !t.is_empty()) {
        println!(
            "{n}: {:.2} µs per subject (median of {batches} batches)",
            median(&mut t.clone())
        );
    }
    for (a, b) in [(1, 0), (2, 3), (2, 4)]
        .into_iter()
        .filter(|&(_, b)| b < engines)
    {
        let mut r: Vec<f64> = times[a].iter().zip(&times[b]).map(|(x, y)| x / y).collect();
        let (lo, hi) = (
            r.iter().copied().fold(f64::INFINITY, f64::min),
            r.iter().copied().fold(0.0, f64::max),
        );
        println!(
            "{} ÷ {}: median {:.3}, range {lo:.3}–{hi:.3}",
            names[a],
            names[b],
            median(&mut r)
        );
    }
}
