//! Virtual populations: seeding, serial = parallel, zero-variability oracle, sampled
//! variances and correlations, limits.

use ketasim::population::{simulate_population, CovariateDist, PopulationSpec, Variability};
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
    assert_eq!(a.cp_bands, b.cp_bands);
    assert_eq!(a.cmax_ng_per_ml, b.cmax_ng_per_ml);
    assert_eq!(a.weight_kg, c.weight_kg);
    let d = simulate_population(&scenario("herd2007", 25.0, 300, 43, ""), true, &none).unwrap();
    assert_ne!(a.cmax_ng_per_ml, d.cmax_ng_per_ml);
}

#[test]
fn without_variability_every_band_is_the_typical_curve() {
    // Kamp 2020 has no ω² in the reference data; with the weight fixed, nobody differs
    let sc = scenario("kamp2020", 70.0, 50, 1, r#","weight_kg":{"fixed":70}"#);
    let pop = simulate_population(&sc, true, &none).unwrap();
    let typical = simulate(&sc).unwrap();
    for band in &pop.cp_bands {
        for (x, y) in band.iter().zip(&typical.analytes[0].cp_ng_per_ml) {
            assert!((x - y).abs() <= 1e-6 * y.abs().max(1e-3), "{x} vs {y}"); // stored as f32
        }
    }
}

#[test]
fn percentile_bands_are_ordered_and_fractions_are_fractions() {
    let pop = simulate_population(&scenario("herd2007", 25.0, 400, 3, ""), true, &none).unwrap();
    for k in 0..pop.t_min.len() {
        for bands in [&pop.cp_bands, &pop.ce_bands, &pop.occupancy_bands] {
            for j in 1..bands.len() {
                assert!(bands[j][k] >= bands[j - 1][k]);
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
    sc.output_step_min = 0.5; // 481 points × 100 000 subjects
    match simulate_population(&sc, true, &none) {
        Err(Error::TooLarge { limit, .. }) => assert_eq!(limit, 20_000_000),
        other => panic!("{other:?}"),
    }
    let mut sc = scenario("kamp2020", 70.0, 10, 0, "");
    sc.population = None;
    assert!(simulate_population(&sc, true, &none).is_err());
    let _ = PopulationSpec::validate;
}
