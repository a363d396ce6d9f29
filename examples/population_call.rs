//! Times natively the call the browser benchmark times in WebAssembly
//! (`populationSimulate(json, 0, size, [0, points])`): the scenario read from its JSON text and
//! validated, the population prepared with the browser's limits, every subject simulated,
//! their rows copied into one block. Prints µs per subject (the mean over `reps` calls, after
//! three warm-up calls).
//!
//! `cargo run --release --example population_call -- scenario.json [reps]`
//!
//! `www/tests/wasm-native-pairs.mjs` runs it in turn with the browser page's timer on the same
//! JSON, for the wasm/native ratio on a host whose speed drifts.

use ketasim::population::for_browser;
use ketasim::Scenario;
use std::hint::black_box;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: population_call <scenario.json> [reps]")?;
    let reps: u32 = args.next().map_or(Ok(20), |r| r.parse())?;
    let json = std::fs::read_to_string(&path)?;
    let call = || -> Result<usize, ketasim::Error> {
        let sc = Scenario::from_json(black_box(&json))?;
        let pop = for_browser(&sc)?;
        let size = pop.size();
        let r = pop.simulate_range(0, size, false, &|_| {})?;
        black_box(r.rows.to_vec());
        Ok(size as usize)
    };
    for _ in 0..3 {
        call()?;
    }
    let t0 = Instant::now();
    let mut subjects = 0;
    for _ in 0..reps.max(1) {
        subjects += call()?;
    }
    println!("{:.3}", t0.elapsed().as_secs_f64() * 1e6 / subjects as f64);
    Ok(())
}
