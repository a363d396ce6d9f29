//! Issue 13: messages a person can act on (the field, the value as given, what to change), no
//! silent typos at any depth, one failing virtual subject isolated, bounded sizes, escaped
//! names. Each message that was unclear before has its own test, named after it.

use super::cli::ketasim;
use ketasim::population::{self, Population};
use ketasim::{simulate, Error, Scenario};

const BASE: &str =
    r#""patient":{"weight_kg":70},"regimen":[{"dose_mg_per_kg":0.5}],"horizon_min":60"#;

/// A scenario's text: the base fields plus `extra` (`,"key":value…`).
fn text(extra: &str) -> String {
    format!("{{{BASE}{extra}}}")
}

/// The error of reading, validating or running `json`.
fn error_of(json: &str) -> Error {
    match Scenario::from_json(json) {
        Err(e) => e,
        Ok(sc) => simulate(&sc).expect_err(json),
    }
}

fn assert_message(e: &Error, field: &str, parts: &[&str]) {
    assert_eq!(e.field().as_deref(), Some(field), "{e}");
    let msg = e.to_string();
    for p in parts {
        assert!(msg.contains(p), "'{msg}' should contain '{p}'");
    }
    assert!(msg.len() < 400, "{msg}");
}

// ---------- the eleven unclear messages ----------

#[test]
fn message_1_a_huge_number_is_written_compactly_not_in_300_digits() {
    let e = error_of(&text("").replace("\"weight_kg\":70", "\"weight_kg\":1e308"));
    assert_eq!(
        e.to_string(),
        "patient.weight_kg = 1e308 is out of range: allowed 1 to 250 kg"
    );
    // the limits too: rtol's lower limit is 1e-13, not 0.0000000000001
    let e = error_of(&text(r#","solver":{"rtol":1}"#));
    assert_eq!(
        e.to_string(),
        "solver.rtol = 1 is out of range: allowed 1e-13 to 0.001 "
    );
    // and numbers quoted by serde (a float where a whole number belongs)
    let e =
        error_of(&text("").replace(r#""dose_mg_per_kg":0.5"#, r#""devices":1e308,"route":"iv""#));
    assert_message(&e, "regimen[0].devices", &["`1e308`", "whole number"]);
}

#[test]
fn message_2_a_utf8_byte_order_mark_is_skipped() {
    let with_bom = format!("\u{feff}{}", text(""));
    let sc = Scenario::from_json(&with_bom).unwrap();
    assert_eq!(sc, Scenario::from_json(&text("")).unwrap());
    let (code, out, err) = ketasim(&["simulate", "-", "--format", "summary"], Some(&with_bom));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Cmax"), "{out}");
}

#[test]
fn message_3_two_schedule_forms_in_one_object_are_named() {
    for extra in ["", r#","salt":"base""#] {
        let json = text("").replace(
            r#""dose_mg_per_kg":0.5"#,
            &format!(
                r#""dose_mg_per_kg":0.5,"schedule":{{"at_min":[0],"every":{{"interval_h":24,"count":3}}}}{extra}"#
            ),
        );
        let e = error_of(&json);
        assert_message(
            &e,
            "regimen[0].schedule",
            &[
                "give one of at_min, at_h, at_days or every",
                "at_min and every",
            ],
        );
    }
    let e = error_of(&text("").replace(
        r#""dose_mg_per_kg":0.5"#,
        r#""dose_mg_per_kg":0.5,"schedule":{}"#,
    ));
    assert_message(&e, "regimen[0].schedule", &["give one of at_min"]);
}

#[test]
fn message_4_and_5_cli_weight_kg_is_checked_like_the_scenario() {
    for cmd in [&["models"][..], &["models", "--json"], &["csht"]] {
        for (w, shown) in [("0", "0"), ("1e6", "1000000"), ("NaN", "NaN"), ("-3", "-3")] {
            let flag = format!("--weight-kg={w}");
            let mut args = cmd.to_vec();
            args.push(&flag);
            let (code, out, err) = ketasim(&args, None);
            assert_eq!(code, 2, "{args:?}: {out}");
            assert_eq!(
                err,
                format!("error: --weight-kg = {shown} is out of range: allowed 1 to 250 kg\n"),
                "{args:?}"
            );
        }
    }
    let (code, _, err) = ketasim(&["csht", "--durations-min", "10,0"], None);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --durations-min[1] = 0 is out of range: allowed 0.01 to 10080 min\n"
    );
}

#[test]
fn message_6_a_huge_duration_or_horizon_is_its_own_error_even_with_a_population() {
    // the browser's population check used to run first and blame the output points
    let pop = r#","population":{"size":1000}"#;
    for (json, field, value) in [
        (
            text(pop).replace(
                r#""dose_mg_per_kg":0.5"#,
                r#""kind":"infusion","dose_mg_per_kg":0.5,"duration_min":1e9"#,
            ),
            "regimen[0].duration_min",
            "= 1000000000 is out of range: allowed 0.01 to 10080 min",
        ),
        (
            text(pop).replace(r#""horizon_min":60"#, r#""horizon_min":1e9"#),
            "horizon_min",
            "= 1000000000 is out of range: allowed 0.01 to 259200 min",
        ),
    ] {
        let sc = Scenario::from_json(&json).unwrap();
        let e = population::for_browser(&sc).err().expect("rejected");
        assert_message(&e, field, &[value]);
    }
    // while a grid that is really too fine for the browser's population still says so
    let sc = Scenario::from_json(
        &text(r#","output_step_min":0.01,"population":{"size":1000}"#)
            .replace(r#""horizon_min":60"#, r#""horizon_min":1440"#),
    )
    .unwrap();
    let e = population::for_browser(&sc).err().expect("too many values");
    assert_message(&e, "population.size", &["allowed 1 to 55", "output points"]);
}

#[test]
fn message_7_seed_1e308_names_the_seed_and_its_range() {
    let e = error_of(&text(r#","population":{"size":10,"seed":1e308}"#));
    assert_message(
        &e,
        "population.seed",
        &[
            "1e308 is too large",
            "0 to 18446744073709551615",
            "9007199254740991",
        ],
    );
    let e = error_of(&text(r#","population":{"size":10,"seed":-1}"#));
    assert_message(&e, "population.seed", &["-1 is negative"]);
    let e = error_of(&text(r#","population":{"size":2.5}"#));
    assert_message(
        &e,
        "population.size",
        &["2.5 is not a whole number", "1 to 100000"],
    );
    // a whole number written as a float (as browsers write 1e21) is accepted
    let sc = Scenario::from_json(&text(r#","population":{"size":1e1,"seed":5e3}"#)).unwrap();
    let p = sc.population.unwrap();
    assert_eq!((p.size, p.seed), (10, 5000));
}

#[test]
fn message_8_the_share_of_women_is_a_percentage() {
    let sc =
        Scenario::from_json(&text(r#","population":{"size":10,"female_percent":150}"#)).unwrap();
    let e = Population::of(&sc).err().expect("rejected");
    assert_eq!(
        e.to_string(),
        "population.female_percent = 150 is out of range: allowed 0 to 100 %"
    );
}

#[test]
fn message_9_a_scenario_that_is_not_an_object_says_so() {
    for (json, got) in [
        ("42", "got a number"),
        ("\"x\"", "got a string"),
        ("null", "the text starts with `n`"),
        ("", "the text is empty"),
        ("  [1]", "got an array"),
    ] {
        let e = Scenario::from_json(json).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with("scenario JSON: a scenario is one JSON object {\"patient\": …"),
            "{msg}"
        );
        assert!(msg.contains(got), "{msg}");
    }
}

#[test]
fn message_10_a_solver_failure_says_what_to_change() {
    // the same scenario runs with 'auto' (exact propagator + implicit binding integrator)
    let stiff = r#"{"patient":{"weight_kg":70},"regimen":[{"dose_mg_per_kg":0.5}],
        "horizon_min":259200,"output_step_min":1440,
        "pd":{"binding":{"kind":"kinetic","half_time_min":0.1}},
        "solver":{"method":"dopri5","max_steps":5000}}"#;
    let e = error_of(stiff);
    assert!(matches!(e, Error::Solver { .. }), "{e}");
    let auto = stiff.replace(
        r#""method":"dopri5","max_steps":5000"#,
        r#""method":"auto""#,
    );
    simulate(&Scenario::from_json(&auto).unwrap()).unwrap();
    let msg = e.to_string();
    for part in [
        "the ODE solver (Dopri5) failed between t = 0 min and t = 259200 min",
        "used its 5000 steps (solver.max_steps) by t = ",
        "solver.method 'auto'",
        "raise solver.max_steps (now 5000)",
        "solver.rtol (now 1e-6)",
    ] {
        assert!(msg.contains(part), "'{msg}' should contain '{part}'");
    }
}

#[test]
fn message_11_a_top_level_array_is_not_a_scenario() {
    let e = Scenario::from_json(r#"[{"weight_kg":70},"kamp2020",[],60]"#).unwrap_err();
    assert!(
        matches!(&e, Error::Json { field, .. } if field.is_empty()),
        "{e}"
    );
    assert!(e.to_string().contains("got an array"), "{e}");
}

// ---------- no silent typos ----------

#[test]
fn unknown_keys_are_errors_at_every_depth_with_their_path() {
    let item = |schedule: &str| {
        text("").replace(
            r#""dose_mg_per_kg":0.5"#,
            &format!(r#""dose_mg_per_kg":0.5,"schedule":{schedule}"#),
        )
    };
    let cases = [
        (
            item(r#"{"every":{"interval_h":24,"count":3,"start":600}}"#),
            "regimen[0].schedule.every.start",
        ),
        (
            item(r#"{"at_days":{"days":[0],"offset":600}}"#),
            "regimen[0].schedule.at_days.offset",
        ),
        (item(r#"{"at_mins":[0]}"#), "regimen[0].schedule.at_mins"),
        (
            text(r#","pd":{"binding":{"kind":"kinetic","half_time_min":5,"k_on":1}}"#),
            "pd.binding.k_on",
        ),
        (
            text(r#","pd":{"binding":{"kind":"equilibrium","constructor":1}}"#),
            "pd.binding.constructor",
        ),
        (
            text(
                r#","population":{"size":3,"weight_kg":{"uniform":{"min":50,"max":90,"mode":70}}}"#,
            ),
            "population.weight_kg.uniform.mode",
        ),
        (
            text(
                r#","population":{"size":3,"age_years":{"log_normal":{"median":40,"cv_percent":20,"min":18,"max":80,"toString":1}}}"#,
            ),
            "population.age_years.log_normal.toString",
        ),
        (text(r#","__proto__":{"x":1}"#), "__proto__"),
        (text(r#","constructor":1"#), "constructor"),
        (
            text("").replace(r#""weight_kg":70"#, r#""weight_kg":70,"toString":1"#),
            "patient.toString",
        ),
    ];
    for (json, path) in cases {
        let e = Scenario::from_json(&json).expect_err(&json);
        assert_eq!(e.field().as_deref(), Some(path), "{e}");
        assert!(
            e.to_string().contains(&format!("unknown field `{path}`")),
            "{e}"
        );
    }
    // equilibrium binding takes no half-time; kinetic binding needs one
    let e = error_of(&text(
        r#","pd":{"binding":{"kind":"equilibrium","half_time_min":5}}"#,
    ));
    assert_message(
        &e,
        "pd.binding",
        &["half_time_min = 5", "remove half_time_min"],
    );
    let e = error_of(&text(r#","pd":{"binding":{"kind":"kinetic"}}"#));
    assert_message(
        &e,
        "pd.binding",
        &["needs half_time_min (0.1 to 10000 min)"],
    );
}

#[test]
fn json_errors_name_the_field_and_say_what_is_allowed() {
    for (json, field, part) in [
        (
            text("").replace("70", "\"heavy\""),
            "patient.weight_kg",
            "expected a number",
        ),
        (
            text("").replace(r#""weight_kg":70"#, ""),
            "patient",
            "missing field `weight_kg`",
        ),
        (
            text(r#","model":7"#),
            "model",
            "invalid type: integer `7`, expected a string",
        ),
        (
            text("").replace(
                r#""dose_mg_per_kg""#,
                r#""route":"rectal","dose_mg_per_kg""#,
            ),
            "regimen[0].route",
            "unknown variant `rectal`, expected one of `iv`",
        ),
    ] {
        let e = Scenario::from_json(&json).unwrap_err();
        assert_message(&e, field, &[part, "(line 1, column "]);
    }
    // a text cut short is not blamed on its last field
    let e = Scenario::from_json(&text("")[..40]).unwrap_err();
    assert_eq!(e.field(), None, "{e}");
    assert!(e.to_string().contains("the text ends before"), "{e}");
    // serde_json's nesting limit, not a stack overflow
    let deep = text(&format!(
        r#","name":{}1{}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    ));
    assert!(Scenario::from_json(&deep).is_err());
}

// ---------- a failing subject is isolated ----------

/// 40 subjects from 5 to 250 kg given 400 mg with kinetic binding over 4 h: with a half-time
/// of 0.5 min the explicit solver meets stiffness in some subjects and not in the others; with
/// 0.1 min in every one.
/// A fixed 400-mg dose over 5–250 kg: the lightest subjects' concentrations make kinetic
/// binding stiffest, so Dopri5 needs the most steps for them.
fn stiff_population(max_steps: u32) -> Scenario {
    Scenario::from_json(&format!(
        r#"{{"patient":{{"weight_kg":70}},"regimen":[{{"dose_mg":400}}],"horizon_min":240,
        "output_step_min":60,"pd":{{"binding":{{"kind":"kinetic","half_time_min":0.5}}}},
        "solver":{{"method":"dopri5","max_steps":{max_steps}}},
        "population":{{"size":40,"seed":3,"weight_kg":{{"uniform":{{"min":5,"max":250}}}}}}}}"#
    ))
    .unwrap()
}

#[test]
fn a_failing_subject_is_counted_and_named_and_the_bands_come_from_the_rest() {
    let sc = stiff_population(1000);
    let pop = Population::of(&sc).unwrap();
    let r = pop.run(false, &|_| {}).unwrap();
    let n_failed = r.failed.len();
    assert!(n_failed > 0 && n_failed < 40, "{n_failed} failed");
    let ran = 40 - n_failed;
    assert_eq!(r.cmax_ng_per_ml.len(), ran);
    assert_eq!(r.weight_kg.len(), ran);
    assert_eq!(r.cmax.count as usize, ran);
    // every fraction is a count of the subjects that ran
    for f in &r.fraction_above {
        let k = f * ran as f64;
        assert!((k - k.round()).abs() < 1e-9, "{f}");
    }
    // each failed subject fails alone, with the same error; each other one runs
    let mut row = vec![0f32; pop.row_len()];
    let failed: Vec<u64> = r.failed.iter().map(|f| f.index).collect();
    for i in 0..40u64 {
        match pop.subject(i, &mut row) {
            Err(Error::Subject {
                index,
                weight_kg,
                source,
                ..
            }) => {
                let f = r.failed.iter().find(|f| f.index == i).expect("listed");
                assert_eq!((index, weight_kg), (f.index, f.weight_kg));
                assert_eq!(source.to_string(), f.error);
                assert!(
                    f.error.contains("raise solver.max_steps (now 1000)"),
                    "{}",
                    f.error
                );
            }
            Err(e) => panic!("{e}"),
            Ok(s) => {
                assert!(!failed.contains(&i));
                assert!(r.weight_kg.contains(&s.weight_kg));
            }
        }
    }
    // the same in parallel and split into ranges
    assert_eq!(pop.run(true, &|_| {}).unwrap().failed, r.failed);
    let a = pop.simulate_range(0, 17, false, &|_| {}).unwrap();
    let b = pop.simulate_range(17, 23, false, &|_| {}).unwrap();
    let both: Vec<_> = a.failed.iter().chain(&b.failed).cloned().collect();
    assert_eq!(both, r.failed);
    // and the CLI says how many failed, which, and why
    let path = std::env::temp_dir().join(format!("ketasim-stiff-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&sc).unwrap()).unwrap();
    let p = path.to_str().unwrap();
    let (code, out, err) = ketasim(&["population", p, "--format", "summary"], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(
            "{n_failed} of 40 subjects failed and are left out of the bands and distributions \
             (which come from the other {ran})"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("subject {} (weight_kg = ", failed[0])),
        "{out}"
    );
    let (code, _, err) = ketasim(&["population", p], None);
    assert_eq!(code, 0);
    assert!(
        err.starts_with(&format!("warning: {n_failed} of 40 subjects failed")),
        "{err}"
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_population_whose_every_subject_fails_is_an_error_that_says_so() {
    let sc = stiff_population(100);
    let e = Population::of(&sc)
        .unwrap()
        .run(false, &|_| {})
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::PopulationFailed {
                failed: 40,
                size: 40,
                ..
            }
        ),
        "{e}"
    );
    let msg = e.to_string();
    assert!(
        msg.starts_with("all 40 of 40 subjects of the population failed; subject 0 (weight_kg = "),
        "{msg}"
    );
    assert!(msg.contains("raise solver.max_steps (now 100)"), "{msg}");
}

// ---------- bounded sizes, printable names, short numbers ----------

#[test]
fn scenario_text_is_bounded_in_the_library_and_the_cli() {
    let big = text(&format!(r#","name":"{}""#, "x".repeat(5 << 20)));
    let e = Scenario::from_json(&big).unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }), "{e}");
    let path = std::env::temp_dir().join(format!("ketasim-big-{}.json", std::process::id()));
    std::fs::write(&path, &big).unwrap();
    let (code, _, err) = ketasim(&["simulate", path.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert!(err.contains("exceeds the limit of 4194304"), "{err}");
    std::fs::write(&path, b"{\"name\": \"\xff\"}").unwrap();
    let (code, _, err) = ketasim(&["simulate", path.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert!(err.contains("not UTF-8 text (byte 10"), "{err}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn terminal_escapes_in_a_name_are_printed_escaped() {
    let json = text(r#","name":"\u001b[2J\u001b[31mred\r""#);
    let (code, out, err) = ketasim(&["simulate", "-", "--format", "summary"], Some(&json));
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains('\u{1b}') && !out.contains('\r'), "{out:?}");
    assert!(
        out.starts_with("\\u{1b}[2J\\u{1b}[31mred\\u{d} — model"),
        "{out}"
    );
}

#[test]
fn csv_numbers_stay_short_and_read_back_exactly() {
    // 180 days after one bolus: amounts decay far below 1e-100
    let sc = Scenario::from_json(
        r#"{"patient":{"weight_kg":70},"regimen":[{"dose_mg":1}],"horizon_min":259200,
        "output_step_min":1440}"#,
    )
    .unwrap();
    let r = simulate(&sc).unwrap();
    let csv = ketasim::export::to_csv(&r).unwrap();
    let mut exponents = 0;
    for line in csv.lines().skip(1) {
        for field in line.split(',') {
            assert!(field.len() <= 24, "{field}");
            field.parse::<f64>().unwrap();
            exponents += usize::from(field.contains('e'));
        }
    }
    assert!(exponents > 0, "the test should meet tiny numbers");
    let last = r.analytes[0].cp_ng_per_ml.last().copied().unwrap();
    let text_last = csv.lines().last().unwrap().split(',').nth(1).unwrap();
    assert_eq!(text_last.parse::<f64>().unwrap(), last);
}

// ---------- findings of the fuzzer (scripts/fuzz.sh), one regression test each ----------

#[test]
fn fuzz_a_key_with_raw_control_characters_is_escaped_in_the_field_path() {
    // invalid JSON (a raw newline in a key): the path of the error must not carry the newline
    let e = Scenario::from_json("{\"name\":\"x\",\"\n\n\npatient\":{}}").unwrap_err();
    let field = e.field().unwrap();
    assert_eq!(field, "\\u{a}\\u{a}\\u{a}patient");
    assert!(!e.to_string().chars().any(char::is_control), "{e}");
}

#[test]
fn fuzz_long_keys_and_values_keep_messages_short() {
    let long = "k".repeat(10_000);
    for json in [
        text(&format!(r#","{long}":1"#)),
        text(&format!(r#","model":"{long}""#)),
        text(&format!(r#","pd":{{"ke0_endpoint":"{long}"}}"#)),
        text(&format!(r#","output_step_min":"{long}""#)),
        text(&format!(r#","{long}":{{"{long}":[{{"{long}":1"#)),
    ] {
        let e = error_of(&json);
        let msg = e.to_string();
        assert!(msg.chars().count() < 900, "{} characters", msg.len());
        assert!(e.field().map_or(0, |f| f.chars().count()) <= 201);
        assert!(msg.contains("kkkk…"), "{msg}");
    }
}

#[test]
fn fuzz_an_output_step_of_zero_counts_points_without_overflow() {
    // found by the population target: horizon / 0 = ∞ points, then + 1 overflowed (a panic
    // with overflow checks; a wrap to 0 points without them, passing the browser's size check)
    let sc = Scenario::from_json(&text(r#","output_step_min":0"#)).unwrap();
    assert_eq!(sc.n_points(), u64::MAX);
    let e = sc.validate().unwrap_err();
    assert_eq!(e.field().as_deref(), Some("output_step_min"), "{e}");
    let mut sc = sc;
    sc.output_step_min = f64::NAN;
    assert!(sc.n_points() >= 1);
}

#[test]
fn fuzz_long_decimals_are_read_correctly_rounded_so_a_scenario_reads_back_the_same() {
    // found by the scenario target: serde_json's default parser read this one ulp off, so the
    // scenario written back (4.444444444444445e60) read back as another number
    let digits = format!("{}150", "4".repeat(58));
    let json = text(&format!(
        r#","pd":{{"thresholds_ng_per_ml":[50,{digits}]}}"#
    ));
    let sc = Scenario::from_json(&json).unwrap();
    assert_eq!(
        sc.pd.thresholds_ng_per_ml[1],
        digits.parse::<f64>().unwrap()
    );
    let again = Scenario::from_json(&serde_json::to_string(&sc).unwrap()).unwrap();
    assert_eq!(again, sc);
    // 6e108 came from the fuzzer too (read as 6.000000000000002e108 without float_roundtrip)
    for x in [
        "0.1",
        "6e108",
        "2.2250738585072011e-308",
        "1.7976931348623157e308",
        "9007199254740993",
    ] {
        let json = text(&format!(r#","output_step_min":{x}"#));
        let sc = Scenario::from_json(&json).unwrap();
        assert_eq!(sc.output_step_min, x.parse::<f64>().unwrap(), "{x}");
    }
}

#[test]
fn fuzz_a_step_just_under_a_divisor_of_the_horizon_gives_the_announced_grid() {
    // found by the scenario fuzz target: 240 min at a step of 0.166666666661666666 min left a
    // last multiple 7e-9 min short of the horizon; the grid added the horizon as one more point
    // while n_points counted it as the horizon (1442 vs 1441 points)
    let sc = ketasim::Scenario::from_json(
        r#"{"patient": {"weight_kg": 30},
            "regimen": [{"kind": "tci", "target": "effect_site", "target_ng_per_ml": 150,
                         "duration_min": 61}],
            "horizon_min": 240, "output_step_min": 0.166666666661666666}"#,
    )
    .unwrap();
    let r = ketasim::simulate(&sc).unwrap();
    assert_eq!(r.t_min.len() as u64, sc.n_points());
    assert_eq!(r.t_min.last(), Some(&240.0));
    assert!(r.t_min.windows(2).all(|w| w[1] - w[0] > 0.1));
}
