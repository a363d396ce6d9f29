//! The session timeline and the scenario edits the page relies on, checked against independent
//! computations (a brute-force scan of a fine grid) and against the presets' own regimens.

use ketasim::model::Route;
use ketasim::{edit, presets, simulate};

/// Brute force on a 0.01-min grid: first and last time at or above `level` in `[a, b]`.
fn scan(r: &ketasim::SimulationResult, a: f64, b: f64, level: f64) -> Option<(f64, f64)> {
    let mut sc = r.scenario.clone();
    sc.output_step_min = 0.01;
    sc.horizon_min = b;
    let fine = simulate(&sc).unwrap();
    let ce = &fine.analytes[0].ce_ng_per_ml;
    let t = &fine.t_min;
    let idx: Vec<usize> = (0..t.len())
        .filter(|&k| t[k] >= a && ce[k] >= level)
        .collect();
    Some((t[*idx.first()?], t[*idx.last()?]))
}

#[test]
fn dissociation_window_and_recovery_match_a_fine_grid_scan() {
    let r = simulate(&presets::get("antidepressant_1mgkg").unwrap().scenario).unwrap();
    let s = &r.sessions[0];
    let onset = r.metrics.dissociative_onset_ng_per_ml;
    let (from, to) = scan(&r, 0.0, 360.0, onset).unwrap();
    // 1-min grid with linear interpolation vs a 0.01-min scan: within a few hundredths of a min
    assert!(
        (s.dissociated_from_min.unwrap() - from).abs() < 0.05,
        "{s:?} vs {from}"
    );
    assert!(
        (s.dissociated_to_min.unwrap() - to).abs() < 0.05,
        "{s:?} vs {to}"
    );
    // one contiguous window: its length is the time dissociated, and the metric is the same
    assert!((s.dissociated_min - (to - from)).abs() < 0.1);
    assert_eq!(s.dissociated_min, r.metrics.dissociated_min);
    // the recovery threshold is crossed for good at the scan's last time above it
    let thr = r.metrics.recovery.threshold_ng_per_ml;
    let (_, last_above) = scan(&r, 40.0, 360.0, thr).unwrap();
    assert!((s.below_recovery_at_min.unwrap() - last_above).abs() < 0.05);
    assert_eq!(s.dosing_end_min, 40.0);
    assert_eq!(
        r.metrics.recovery.after_dosing_min,
        s.below_recovery_after_dosing_min
    );
}

#[test]
fn a_course_has_one_timeline_per_session_and_spray_sessions_end_at_the_last_device() {
    let course = simulate(&presets::get("course_6_infusions").unwrap().scenario).unwrap();
    assert_eq!(course.sessions.len(), 6);
    for s in &course.sessions {
        assert_eq!(s.dosing_end_min - s.start_min, 40.0);
        assert!((s.administered_mg - 35.0).abs() < 1e-12);
        assert!(
            s.below_recovery_at_min.is_some(),
            "no accumulation: each session recovers"
        );
    }
    // 84 mg = three devices 5 min apart: dosing ends at the last spray (10 min), not at the end
    // of the modelled swallowed input
    let nasal = simulate(&presets::get("spravato_84").unwrap().scenario).unwrap();
    assert_eq!(nasal.sessions.len(), 1);
    assert_eq!(nasal.sessions[0].dosing_end_min, 10.0);
    assert_eq!(nasal.sessions[0].administered_mg, 84.0);
    assert_eq!(nasal.metrics.recovery.dosing_end_min, 10.0);
    // the 8-week course: session 1 is item 0 (56 mg), the others item 1 (84 mg)
    let weeks = simulate(&presets::get("spravato_8_weeks").unwrap().scenario).unwrap();
    assert_eq!(weeks.sessions.len(), 12);
    assert_eq!(weeks.sessions[0].items, vec![0]);
    assert_eq!(weeks.sessions[0].administered_mg, 56.0);
    assert!(weeks.sessions[1..]
        .iter()
        .all(|s| s.items == vec![1] && s.administered_mg == 84.0));
}

#[test]
fn route_and_model_edits_keep_the_regimen_valid_and_say_what_changed() {
    let nasal = presets::get("spravato_56").unwrap().scenario;
    // to a model without a nasal route: its first route, the amount that reached the
    // circulation (two devices: 30.1 mg of 56 mg), with a note (tests/suite/edit.rs)
    let a = edit::with_model(&nasal, "domino1982").unwrap();
    assert_eq!(a.model, "domino1982");
    assert_eq!(a.regimen[0].route, Route::Iv);
    assert_eq!(a.regimen[0].dose_mg_per_kg, Some(0.43)); // 30.1 mg / 70 kg
    assert!(a
        .note
        .unwrap()
        .contains("no intranasal route: switched to IV"));
    // back to nasal on the esketamine model: whole devices, clamped to the device maximum
    let mut iv = presets::get("induction_bolus").unwrap().scenario; // 2 mg/kg = 140 mg
    iv.model = "perez_ruixo2021".into();
    let b = edit::with_route(&iv, Route::Intranasal).unwrap();
    assert_eq!(b.regimen[0].devices, Some(3));
    let note = b.note.unwrap();
    assert!(
        note.contains("capped at 3 devices") && note.contains("84 mg"),
        "{note}"
    );
    let mut sc = iv.clone();
    sc.regimen = b.regimen;
    simulate(&sc).unwrap();
    // a model with a nasal route but no device (racemic intranasal): same route, mg/kg
    let k = edit::with_model(&nasal, "kamp2020").unwrap();
    assert_eq!(k.regimen[0].route, Route::Intranasal);
    assert_eq!(
        (k.regimen[0].devices, k.regimen[0].dose_mg_per_kg),
        (None, Some(0.8))
    );
    assert!(k.note.unwrap().contains("differently"));
    // a model that has every route of the regimen: unchanged, no note
    let same = edit::with_model(&nasal, "perez_ruixo2021").unwrap();
    assert_eq!(same.regimen, nasal.regimen);
    assert_eq!(same.note, None);
    // a route the model lacks is an error naming the available ones
    let mut domino = presets::get("antidepressant_40min").unwrap().scenario;
    domino.model = "domino1982".into();
    let e = edit::with_route(&domino, Route::Intranasal).unwrap_err();
    assert!(e.to_string().contains("available"), "{e}");
}

#[test]
fn the_label_hydrochloride_amount_is_one_device() {
    // Spravato: 32.3 mg esketamine hydrochloride per device (label) = 28.0 mg base
    let mut sc = presets::get("spravato_56").unwrap().scenario;
    let it = &mut sc.regimen[0];
    it.devices = None;
    it.dose_mg = Some(2.0 * 32.3);
    it.salt = ketasim::scenario::Salt::Hcl;
    let r = simulate(&sc).unwrap();
    let want = simulate(&presets::get("spravato_56").unwrap().scenario).unwrap();
    assert_eq!(
        r.metrics.analytes[0].cmax_ng_per_ml,
        want.metrics.analytes[0].cmax_ng_per_ml
    );
    // a devices count outside the device's range names the field and the range
    let mut bad = presets::get("spravato_56").unwrap().scenario;
    bad.regimen[0].devices = Some(4);
    let e = simulate(&bad).unwrap_err().to_string();
    assert!(
        e.contains("regimen[0].devices") && e.contains("1 to 3"),
        "{e}"
    );
}

#[test]
fn landmarks_apply_to_the_drug_they_were_measured_for() {
    use ketasim::pd::{landmarks, DrugForm};
    let racemic = simulate(&presets::get("antidepressant_40min").unwrap().scenario).unwrap();
    let esk = simulate(&presets::get("spravato_84").unwrap().scenario).unwrap();
    let mut enant = presets::get("antidepressant_40min").unwrap().scenario;
    enant.model = "racemic_enantiomers".into();
    let enant = simulate(&enant).unwrap();
    assert_eq!(racemic.drug, DrugForm::Racemic);
    assert_eq!(enant.drug, DrugForm::Racemic);
    assert_eq!(esk.drug, DrugForm::S);
    for r in [&racemic, &enant, &esk] {
        for id in &r.landmarks {
            let l = landmarks().iter().find(|l| l.id == id).unwrap();
            assert_eq!(l.drug, r.drug, "{id} shown for the wrong drug");
        }
        // every landmark of the drug is listed; none of the other
        let n = landmarks().iter().filter(|l| l.drug == r.drug).count();
        assert_eq!(r.landmarks.len(), n);
    }
    // the racemic dissociative range is not drawn over esketamine, nor Hartvig's S-ketamine
    // 70 ng/mL used as the racemic recovery level
    assert!(racemic.landmarks.iter().any(|l| l == "dissociative"));
    assert!(!esk.landmarks.iter().any(|l| l == "dissociative"));
    assert!(!racemic
        .landmarks
        .iter()
        .any(|l| l == "psychotomimetic_threshold"));
    assert_eq!(racemic.metrics.dissociative_landmark, "dissociative");
    assert_eq!(
        esk.metrics.dissociative_landmark,
        "psychotomimetic_threshold"
    );
    assert_eq!(racemic.metrics.dissociative_onset_ng_per_ml, 100.0);
    assert_eq!(esk.metrics.dissociative_onset_ng_per_ml, 70.0);
    assert_eq!(racemic.metrics.recovery.threshold_ng_per_ml, 100.0);
    assert_eq!(esk.metrics.recovery.threshold_ng_per_ml, 70.0);
    // a threshold the user sets wins over the drug's default
    let mut sc = presets::get("antidepressant_40min").unwrap().scenario;
    sc.pd.recovery_threshold_ng_per_ml = Some(50.0);
    assert_eq!(
        simulate(&sc).unwrap().metrics.recovery.threshold_ng_per_ml,
        50.0
    );
    // Sleigh's anaesthetic levels are effect-site estimates with a fast (EEG) ke0: said so
    let lor = landmarks()
        .iter()
        .find(|l| l.id == "loss_of_responsiveness")
        .unwrap();
    assert!(lor.site.contains("ke0") && lor.site.contains("23–47 s"));
}

#[test]
fn the_racemate_is_read_out_as_its_total_not_as_s_ketamine_alone() {
    let mut sc = presets::get("antidepressant_40min").unwrap().scenario;
    sc.model = "racemic_enantiomers".into();
    let r = simulate(&sc).unwrap();
    let (s, rr) = (&r.analytes[0], &r.analytes[1]);
    assert_eq!(
        (s.id.as_str(), rr.id.as_str()),
        ("s_ketamine", "r_ketamine")
    );
    let d = &r.drug_readout;
    assert_eq!(d.analytes, vec!["s_ketamine", "r_ketamine"]);
    for k in 0..r.t_min.len() {
        assert_eq!(d.cp_ng_per_ml[k], s.cp_ng_per_ml[k] + rr.cp_ng_per_ml[k]);
        assert_eq!(d.ce_ng_per_ml[k], s.ce_ng_per_ml[k] + rr.ce_ng_per_ml[k]);
    }
    // readouts, time dissociated and recovery follow the total: an independent recount
    let m = &r.metrics;
    let (cmax, _) = ketasim::metrics::cmax_tmax(&r.t_min, &d.cp_ng_per_ml);
    assert_eq!(m.drug.cmax_ng_per_ml, cmax);
    assert!(m.drug.cmax_ng_per_ml > 1.9 * m.analytes[0].cmax_ng_per_ml);
    let diss = ketasim::metrics::time_above(&r.t_min, &d.ce_ng_per_ml, 100.0);
    assert_eq!(m.dissociated_min, diss);
    assert_eq!(r.sessions[0].dissociated_min, diss);
    // close to the racemic single-analyte model on the same PK (Kamp 2020): not 12.5 min
    sc.model = "kamp2020".into();
    let kamp = simulate(&sc).unwrap();
    assert!(
        (m.dissociated_min - kamp.metrics.dissociated_min).abs()
            < 0.25 * kamp.metrics.dissociated_min,
        "{} vs {}",
        m.dissociated_min,
        kamp.metrics.dissociated_min
    );
    let (a, b) = (
        m.recovery.after_dosing_min.unwrap(),
        kamp.metrics.recovery.after_dosing_min.unwrap(),
    );
    assert!((a - b).abs() < 0.25 * b, "{a} vs {b}");
    // a single-analyte model's readout is its analyte, bit for bit
    assert_eq!(
        kamp.drug_readout.cp_ng_per_ml,
        kamp.analytes[0].cp_ng_per_ml
    );
    assert_eq!(
        kamp.metrics.drug.cmax_ng_per_ml,
        kamp.metrics.analytes[0].cmax_ng_per_ml
    );
}
