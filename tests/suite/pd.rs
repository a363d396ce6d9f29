//! Pharmacodynamics: occupancy figures from the reference file, ke0 choices, binding kinetics.

use ketasim::pd::{self, Binding, KiSet};
use ketasim::units::MW_KETAMINE;
use ketasim::{models, presets, simulate};

#[test]
fn occupancy_at_the_antidepressant_concentration_matches_the_reference_file() {
    // "With binding-assay Ki, the antidepressant dose gives roughly 45% occupancy at 185 ng/mL.
    //  With the Mg²⁺ values it gives roughly 8%."
    let l = pd::ligand("ketamine_racemic").unwrap();
    let cu = 185.0 / MW_KETAMINE * l.fu;
    let occ = pd::occupancy_equilibrium([cu / l.ki_um(KiSet::BindingAssay)]);
    assert!((occ - 0.45).abs() < 0.01, "{occ}");
    let occ_mg = pd::occupancy_equilibrium([cu / l.ki_um(KiSet::Magnesium)]);
    assert!((0.06..0.09).contains(&occ_mg), "{occ_mg}");
    // racemic Ki is the 50:50 mixture of S 0.3 µM and R 1.4 µM
    assert!((l.ki_um(KiSet::BindingAssay) - 1.0 / (0.5 / 0.3 + 0.5 / 1.4)).abs() < 1e-15);
}

#[test]
fn ke0_follows_the_endpoint_and_the_model() {
    let domino = models::get("domino1982").unwrap();
    let kamp = models::get("kamp2020").unwrap();
    assert_eq!(pd::ke0_for(domino, "analgesia").unwrap(), 0.238);
    assert_eq!(pd::ke0_for(domino, "tci_tpeak_1min").unwrap(), 0.652);
    assert!(
        (pd::ke0_for(kamp, "subjective").unwrap() - std::f64::consts::LN_2 / 6.1).abs() < 1e-15
    );
    assert!(
        (pd::ke0_for(kamp, "eeg").unwrap() - std::f64::consts::LN_2 * 60.0 / 23.0).abs() < 1e-12
    );
    // a faster ke0 brings the effect-site peak closer to the end of the infusion
    let mut sc = presets::get("analgesic_bolus").unwrap().scenario;
    sc.output_step_min = 0.1;
    sc.pd.ke0_endpoint = "subjective".into();
    let slow = simulate(&sc).unwrap().metrics.analytes[0].ce_tmax_min;
    sc.pd.ke0_endpoint = "eeg".into();
    let fast = simulate(&sc).unwrap().metrics.analytes[0].ce_tmax_min;
    assert!(fast < slow, "{fast} vs {slow}");
}

#[test]
fn kinetic_binding_approaches_equilibrium_when_fast_and_lags_when_slow() {
    let mut sc = presets::get("antidepressant_40min").unwrap().scenario;
    let eq = simulate(&sc).unwrap();
    sc.pd.binding = Binding::Kinetic { half_time_min: 0.1 };
    let fast = simulate(&sc).unwrap();
    let max_diff = eq
        .occupancy
        .iter()
        .zip(&fast.occupancy)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    // relaxation time ≤ 0.1 min / ln 2 against a Ce that changes on a ~9-min time scale
    assert!(max_diff < 0.01, "{max_diff}");
    sc.pd.binding = Binding::Kinetic {
        half_time_min: 30.0,
    };
    let slow = simulate(&sc).unwrap();
    assert!(slow.metrics.occupancy_tmax_min > eq.metrics.occupancy_tmax_min + 5.0);
    assert!(slow.metrics.occupancy_max < eq.metrics.occupancy_max);
}

#[test]
fn every_landmark_and_ligand_cites_a_source() {
    for l in pd::landmarks() {
        assert!(!l.source.is_empty() && l.low_ng_per_ml > 0.0, "{}", l.id);
    }
    for l in pd::ligands() {
        assert!(
            !l.ki_binding_source.is_empty() && !l.fu_source.is_empty(),
            "{}",
            l.id
        );
        assert!(l.fu > 0.0 && l.fu <= 1.0);
    }
    for m in models::all() {
        assert!(!m.citation.is_empty());
        for a in m.analytes.iter() {
            pd::ligand(&a.ligand).unwrap();
        }
        // every structural reference resolves
        m.compile(70.0, 0.1, &[]).unwrap();
        m.derived(70.0).unwrap();
    }
}
