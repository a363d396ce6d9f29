//! Virtual populations: seeding, serial = parallel, zero-variability oracle, sampled
//! variances and correlations, limits.

use ketasim::population::{
    block_stats, check_browser, check_browser_size, simulate_population, BlockStats, CovariateDist,
    Part, Population, PopulationSpec, Variability, PERCENTILES,
};
use ketasim::{models, simulate, Error, Scenario};
use rand_chacha::rand_core::SeedableRng;

fn scenario(model: &str, weight: f64, size: u32, seed: u64, extra: &str) -> Scenario {
    Scenario::from_json(&format!(
        r#"{{"patient":{{"weight_kg":{weight}}},"model":"{model}","regimen":[{{"kind":"infusion","dose_mg_per_kg":0.5,"duration_min":40}}],"horizon_min":240,"output_step_min":2,"population":{{"size":{size},"seed":{seed}{extra}}}}}"#
    ))
    .unwrap()
}

fn none(_: u64) {}

#[test]
fn same_seed_same_population_and_parallel_equals_serial() {
    let sc = scenario("herd2007", 25.0, 300, 42, "");
    let a = simulate_population(&sc, true, &none).unwrap();
    let b = simulate_population(&sc, false, &none).unwrap();
    let c = simulate_population(&sc, true, &none).unwrap();
    assert_eq!(a.bands[0].series, b.bands[0].series);
    assert_eq!(a.fraction_above, b.fraction_above);
    assert_eq!(a.cmax_ng_per_ml, b.cmax_ng_per_ml);
    assert_eq!(a.weight_kg, c.weight_kg);
    let d = simulate_population(&scenario("herd2007", 25.0, 300, 43, ""), true, &none).unwrap();
    assert_ne!(a.cmax_ng_per_ml, d.cmax_ng_per_ml);
}

#[test]
fn without_variability_every_band_is_the_typical_curve() {
    // the racemic-enantiomer model (Kamp-based) has no ω² in the reference data; with the weight
    // fixed, nobody differs, so the slim per-subject path must reproduce the full simulation
    // for every banded quantity (S- and R-ketamine plasma, effect site, occupancy from both),
    // with either binding model
    for kinetic in [false, true] {
        let mut sc = scenario(
            "racemic_enantiomers",
            70.0,
            50,
            1,
            r#","weight_kg":{"fixed":70}"#,
        );
        if kinetic {
            sc.pd.binding = ketasim::pd::Binding::Kinetic {
                half_time_min: 10.0,
            };
        }
        let pop = simulate_population(&sc, true, &none).unwrap();
        let typical = simulate(&sc).unwrap();
        let n_analytes = typical.analytes.len();
        assert!(n_analytes >= 2);
        // each enantiomer's plasma, the racemate total's plasma and effect site, occupancy
        assert_eq!(typical.drug_readout.analytes.len(), 2);
        assert_eq!(pop.bands.len(), n_analytes + 3);
        let mut expected: Vec<&Vec<f64>> =
            typical.analytes.iter().map(|a| &a.cp_ng_per_ml).collect();
        expected.push(&typical.drug_readout.cp_ng_per_ml);
        expected.push(&typical.drug_readout.ce_ng_per_ml);
        expected.push(&typical.occupancy);
        for (b, want) in pop.bands.iter().zip(expected) {
            for series in &b.series {
                for (x, y) in series.iter().zip(want) {
                    // stored as f32
                    assert!(
                        (x - y).abs() <= 1e-6 * y.abs().max(1e-3),
                        "{}: {x} vs {y}",
                        b.quantity.key
                    );
                }
            }
        }
        let m = &typical.metrics;
        // the pruned system differs only in rounding, with either binding model: the linear
        // states are exact, and the binding integrator controls the bound fractions alone
        let tol = 1e-12;
        let close = |a: f64, b: f64| (a - b).abs() <= tol * b.abs();
        let want_rec = m.recovery.after_dosing_min.unwrap();
        for (c, r) in pop.cmax_ng_per_ml.iter().zip(&pop.recovery_min) {
            assert!(close(*c, m.drug.cmax_ng_per_ml), "{c}");
            assert!(close(r.unwrap(), want_rec), "{r:?} vs {want_rec}");
        }
    }
}

#[test]
fn split_subjects_and_time_blocks_merge_to_the_same_result() {
    // what the browser's workers do: subjects in uneven ranges, statistics per block of time
    // points over all ranges, blocks joined — must equal one serial run exactly
    let sc = scenario("fanta2015", 70.0, 257, 11, r#","female_percent":50"#);
    let pop = Population::of(&sc).unwrap();
    let whole = pop.run(false, &none).unwrap();
    let nq = pop.quantities().len();
    let npts = pop.t_min().len();
    let ranges = [(0u64, 100u32), (100, 1), (101, 156)];
    let runs: Vec<_> = ranges
        .iter()
        .map(|&(s, c)| pop.simulate_range(s, c, false, &none).unwrap())
        .collect();
    let cut = [0, 7, 60, npts];
    let mut blocks = Vec::new();
    for w in cut.windows(2) {
        let (k0, k1) = (w[0], w[1]);
        // each range's rows restricted to points k0..k1 (what a worker transfers)
        let sliced: Vec<Vec<f32>> = runs
            .iter()
            .map(|r| {
                r.rows
                    .chunks(npts)
                    .flat_map(|r| r[k0..k1].iter().copied())
                    .collect()
            })
            .collect();
        let parts: Vec<Part> = sliced
            .iter()
            .rev() // order of parts must not matter
            .map(|r| Part {
                rows: r,
                n_quantities: nq,
                n_points: k1 - k0,
            })
            .collect();
        blocks.push(block_stats(
            &parts,
            pop.ce_quantity(),
            pop.threshold_ng_per_ml(),
            false,
        ));
    }
    let stats = BlockStats::concat(&blocks, nq);
    let summaries: Vec<_> = runs
        .iter()
        .flat_map(|r| r.summaries.iter().copied())
        .collect();
    assert!(runs.iter().all(|r| r.failed.is_empty()));
    let merged = pop.result(stats, &summaries, Vec::new()).unwrap();
    for (a, b) in whole.bands.iter().zip(&merged.bands) {
        assert_eq!(a.series, b.series);
    }
    assert_eq!(whole.fraction_above, merged.fraction_above);
    assert_eq!(whole.cmax, merged.cmax);
    assert_eq!(whole.recovery_min, merged.recovery_min);
}

#[test]
fn bands_match_sorted_order_statistics() {
    // oracle: sort each column and interpolate (numpy's default "linear" percentile)
    let sc = scenario("herd2007", 25.0, 101, 4, "");
    let pop = Population::of(&sc).unwrap();
    let rows = pop.simulate_range(0, 101, true, &none).unwrap().rows;
    let r = pop.run(true, &none).unwrap();
    let npts = pop.t_min().len();
    let row_len = pop.row_len();
    for (q, b) in r.bands.iter().enumerate() {
        for k in [0, 1, 20, 40, npts - 1] {
            let mut col: Vec<f64> = rows
                .chunks(row_len)
                .map(|row| f64::from(row[q * npts + k]))
                .collect();
            col.sort_by(f64::total_cmp);
            for (j, p) in PERCENTILES.iter().enumerate() {
                let pos = p / 100.0 * 100.0; // n − 1 = 100: exact ranks
                let want = col[pos as usize];
                assert_eq!(b.series[j][k], want, "{} p{p} at {k}", b.quantity.key);
            }
        }
    }
    // interpolated percentiles (numpy's "linear"): 37 and 4 subjects put every percentile
    // between ranks, with gaps of several ranks and of none between the selected ones
    for size in [37u32, 4] {
        let sc = scenario("herd2007", 25.0, size, 4, "");
        let pop = Population::of(&sc).unwrap();
        let rows = pop.simulate_range(0, size, false, &none).unwrap().rows;
        let r = pop.run(false, &none).unwrap();
        let npts = pop.t_min().len();
        for (q, b) in r.bands.iter().enumerate() {
            for k in [1, 30, npts - 1] {
                let mut col: Vec<f64> = rows
                    .chunks(pop.row_len())
                    .map(|row| f64::from(row[q * npts + k]))
                    .collect();
                col.sort_by(f64::total_cmp);
                for (j, p) in PERCENTILES.iter().enumerate() {
                    let pos = p / 100.0 * f64::from(size - 1);
                    let lo = pos.floor() as usize;
                    let hi = (lo + 1).min(col.len() - 1);
                    let want = col[lo] + (pos - lo as f64) * (col[hi] - col[lo]);
                    let got = b.series[j][k];
                    assert!(
                        (got - want).abs() <= 1e-12 * want.abs(),
                        "{size}: {} p{p} at {k}: {got} vs {want}",
                        b.quantity.key
                    );
                }
            }
        }
    }
}

#[test]
fn percentile_bands_are_ordered_and_fractions_are_fractions() {
    let pop = simulate_population(&scenario("herd2007", 25.0, 400, 3, ""), true, &none).unwrap();
    for k in 0..pop.t_min.len() {
        for b in &pop.bands {
            for j in 1..b.series.len() {
                assert!(b.series[j][k] >= b.series[j - 1][k]);
            }
        }
        assert!((0.0..=1.0).contains(&pop.fraction_above[k]));
    }
    assert!(pop.fraction_above.iter().any(|&f| f > 0.0 && f < 1.0));
}

#[test]
fn sampled_random_effects_have_the_published_variance_and_correlation() {
    let n = 20_000;
    // Herd 2007: CL CV 38.1 % → ω² = ln(1 + 0.381²)
    let herd = models::get("herd2007").unwrap();
    let v = Variability::of(herd).unwrap();
    let i_cl = herd.params.iter().position(|p| p.symbol == "CL").unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    let xs: Vec<f64> = (0..n)
        .map(|_| v.factors(herd, &mut rng)[i_cl].ln())
        .collect();
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let omega2 = (1.0f64 + 0.381 * 0.381).ln();
    // standard error of a variance estimate: ω²·√(2/(n−1)); allow 4 SE
    assert!(
        (var - omega2).abs() < 4.0 * omega2 * (2.0 / (n - 1) as f64).sqrt(),
        "{var} vs {omega2}"
    );
    // Fanta/Otto: V1–CL covariance 0.023 with ω² 0.084 and 0.026 → correlation 0.492
    let fanta = models::get("fanta2015").unwrap();
    let v = Variability::of(fanta).unwrap();
    let (iv, icl) = (
        fanta.params.iter().position(|p| p.symbol == "V1").unwrap(),
        fanta.params.iter().position(|p| p.symbol == "CL").unwrap(),
    );
    let pairs: Vec<(f64, f64)> = (0..n)
        .map(|_| {
            let f = v.factors(fanta, &mut rng);
            (f[iv].ln(), f[icl].ln())
        })
        .collect();
    let (ma, mb) = pairs.iter().fold((0.0, 0.0), |s, p| (s.0 + p.0, s.1 + p.1));
    let (ma, mb) = (ma / n as f64, mb / n as f64);
    let cov = pairs.iter().map(|p| (p.0 - ma) * (p.1 - mb)).sum::<f64>() / (n - 1) as f64;
    let sa = (pairs.iter().map(|p| (p.0 - ma).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let sb = (pairs.iter().map(|p| (p.1 - mb).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let rho = cov / (sa * sb);
    let expected = 0.023 / (0.084f64 * 0.026).sqrt();
    // standard error of a correlation ≈ (1 − ρ²)/√n; allow 4 SE
    assert!(
        (rho - expected).abs() < 4.0 * (1.0 - expected * expected) / (n as f64).sqrt(),
        "{rho} vs {expected}"
    );
}

#[test]
fn covariate_distributions_are_respected() {
    let sc = scenario(
        "herd2007",
        25.0,
        500,
        5,
        r#","weight_kg":{"uniform":{"min":15,"max":35}},"age_years":{"fixed":8}"#,
    );
    let pop = simulate_population(&sc, true, &none).unwrap();
    assert!(pop.weight_kg.iter().all(|&w| (15.0..=35.0).contains(&w)));
    let sc = scenario("herd2007", 25.0, 500, 5, "");
    let pop = simulate_population(&sc, true, &none).unwrap();
    assert!(pop.weight_kg.iter().all(|&w| (12.5..=50.0).contains(&w)));
    let _ = CovariateDist::Fixed(1.0);
    // the default weight distribution's spread: 0 fixes it, more widens it
    let weights = |cv: &str| {
        let sc = scenario(
            "herd2007",
            25.0,
            2000,
            5,
            &format!(r#","weight_cv_percent":{cv}"#),
        );
        simulate_population(&sc, true, &none).unwrap().weight_kg
    };
    assert!(weights("0").iter().all(|&w| w == 25.0));
    let sd = |w: &[f64]| {
        let logs: Vec<f64> = w.iter().map(|x| x.ln()).collect();
        let m = logs.iter().sum::<f64>() / logs.len() as f64;
        (logs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (logs.len() - 1) as f64).sqrt()
    };
    let (narrow, wide) = (sd(&weights("10")), sd(&weights("30")));
    // log-normal: sd of ln(w) = √ln(1 + CV²) (0.0998 and 0.294), clamping trims the tails a little
    assert!((narrow - 0.0998).abs() < 0.01, "{narrow}");
    assert!((wide - 0.294).abs() < 0.03, "{wide}");
    let sc = scenario("herd2007", 25.0, 10, 5, r#","weight_cv_percent":150"#);
    let e = simulate_population(&sc, true, &none).unwrap_err();
    assert_eq!(e.field().as_deref(), Some("population.weight_cv_percent"));
}

#[test]
fn population_sizes_are_bounded_with_clear_errors() {
    for (size, ok) in [(0, false), (100_001, false), (1, true)] {
        let r = simulate_population(&scenario("kamp2020", 70.0, size, 0, ""), true, &none);
        assert_eq!(r.is_ok(), ok, "{size}");
        if let Err(e) = r {
            assert_eq!(e.field().as_deref(), Some("population.size"));
        }
    }
    let mut sc = scenario("kamp2020", 70.0, 100_000, 0, "");
    sc.output_step_min = 0.25; // 961 points × 100 000 subjects
    match simulate_population(&sc, true, &none) {
        Err(Error::TooLarge { limit, .. }) => assert_eq!(limit, 50_000_000),
        other => panic!("{other:?}"),
    }
    // the browser's limits are smaller, and say what to change
    sc.output_step_min = 1.0;
    let e = check_browser(&sc).unwrap_err();
    assert_eq!(e.field().as_deref(), Some("population.size"));
    assert!(e.to_string().contains("20000"), "{e}");
    // too few is the same range as too many (the page checks this before validating)
    let too_large = e.to_string();
    sc.population.as_mut().unwrap().size = 0;
    let e = check_browser_size(&sc).unwrap_err();
    assert_eq!(e.field().as_deref(), Some("population.size"));
    assert_eq!(
        e.to_string().replace("= 0 ", "= 100000 "),
        too_large,
        "one range for both"
    );
    sc.population.as_mut().unwrap().size = 10_000;
    check_browser(&sc).unwrap(); // 10 000 subjects on a 1-min grid over 4 h
    sc.output_step_min = 0.25;
    sc.horizon_min = 1440.0;
    // 5 761 points: at most 8 000 000 / 5 761 = 1 388 virtual patients, said beside the size
    let e = check_browser(&sc).unwrap_err();
    assert_eq!(e.field().as_deref(), Some("population.size"));
    assert!(e.to_string().contains("allowed 1 to 1388"), "{e}");
    assert!(
        e.to_string().contains("finer output step allows fewer"),
        "{e}"
    );
    let mut sc = scenario("kamp2020", 70.0, 10, 0, "");
    sc.population = None;
    assert!(simulate_population(&sc, true, &none).is_err());
    // 100 000 subjects on the standard 6-h, 1-min grid are within the native limits
    let spec = scenario("kamp2020", 70.0, 100_000, 0, "")
        .population
        .unwrap();
    spec.validate(361).unwrap();
    assert!(PopulationSpec {
        size: 100_001,
        ..spec
    }
    .validate(361)
    .is_err());
}

#[test]
fn the_one_analyte_readout_gives_the_general_readouts_bits() {
    // the population's per-subject loop reads a one-analyte system through `Readout::one`; the
    // full simulation through `Readout::point`: the same numbers to the bit, for every model
    // and both binding models, at states with zeros, negatives and a wide range of magnitudes
    use ketasim::simulate::{AnalytePoint, Readout};
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let u = (rng >> 11) as f64 / (1u64 << 53) as f64;
        match rng % 7 {
            0 => 0.0,
            1 => -u,
            _ => u * 10f64.powi((rng % 9) as i32 - 4),
        }
    };
    let (mut single, mut several) = (0, 0);
    for model in ketasim::models::all() {
        for kinetic in [false, true] {
            let base = ketasim::presets::get("antidepressant_40min")
                .unwrap()
                .scenario;
            let a = ketasim::edit::with_model(&base, &model.id).unwrap();
            let mut sc = base.clone();
            (sc.model, sc.regimen) = (a.model, a.regimen);
            if kinetic {
                sc.pd.binding = ketasim::pd::Binding::Kinetic {
                    half_time_min: 10.0,
                };
            }
            let run = sc.prepare().unwrap();
            let sys = run.compile(&run.subject, &[]).unwrap();
            let n = sys.n + if kinetic { sys.analytes.len() } else { 0 };
            let columns: Vec<Option<usize>> = (0..n).map(Some).collect();
            let readout = Readout::new(&run.pd, &sys, &columns);
            let Some(one) = readout.one() else {
                assert!(sys.analytes.len() > 1, "{}", model.id);
                several += 1;
                continue;
            };
            single += 1;
            for _ in 0..200 {
                let x: Vec<f64> = (0..n).map(|_| next()).collect();
                let mut want = [AnalytePoint::default()];
                let occ = readout.point(&x, &mut want);
                let (got, occ_one) = one.point(&x);
                let bits = |p: &AnalytePoint| {
                    [
                        p.cp_um,
                        p.cp_ng_per_ml,
                        p.ce_um,
                        p.ce_ng_per_ml,
                        p.ce_unbound_um,
                    ]
                    .map(f64::to_bits)
                };
                assert_eq!(bits(&got), bits(&want[0]), "{} {x:?}", model.id);
                assert_eq!(occ_one.to_bits(), occ.to_bits(), "{} {x:?}", model.id);
            }
        }
    }
    assert!(
        single >= 6 && several >= 2,
        "{single} one-analyte, {several} several"
    );
}
