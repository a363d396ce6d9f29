//! Scenario JSON → link fallback → read → write back → validate → simulate. Any text: no panic,
//! bounded messages naming a field, a scenario read back equal to itself, and sane results.
#![no_main]

use ketasim::Scenario;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // what the page does with a shared link first
    match ketasim::edit::link_fallback(text) {
        Ok(f) => {
            // what it gives is a scenario whose model is known: a built-in one, or the
            // scenario's own (`model_spec`, checked with the rest by validation)
            f.scenario.model_spec().expect("a known model or the scenario's own");
            let json = serde_json::to_string(&f.scenario).expect("serializes");
            assert_eq!(Scenario::from_json(&json).expect("reads back"), f.scenario);
            for n in &f.notes {
                assert!(n.chars().count() <= 600, "note of {} characters", n.len());
            }
        }
        Err(e) => common::check_error(&e),
    }
    let sc = match Scenario::from_json(text) {
        Ok(sc) => sc,
        Err(e) => return common::check_error(&e),
    };
    // what is read is written back (the result echoes it; the page sends it again) and reads
    // back the same
    let json = serde_json::to_string(&sc).expect("a scenario serializes");
    let again = Scenario::from_json(&json).expect("a written scenario reads back");
    assert_eq!(again, sc);
    if let Err(e) = sc.validate() {
        return common::check_error(&e);
    }
    if !common::cheap(&sc) {
        return;
    }
    match ketasim::simulate(&sc) {
        Ok(r) => common::check_result(&sc, &r),
        Err(e) => common::check_error(&e),
    }
});
