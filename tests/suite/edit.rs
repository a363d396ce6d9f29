//! The edits the page makes through the engine (`ketasim::edit`): a model change that forces a
//! route change keeps the amount that reaches the circulation; an explicit route change keeps
//! the amount administered. The amount reaching the circulation is measured here by the
//! simulation itself — the administered drug's AUC after one administration divided by its AUC
//! after a 1-mg IV bolus on the same model — not by the engine's formula.

use ketasim::model::{Route, Subject};
use ketasim::scenario::{DoseItem, DoseKind, Method, Schedule};
use ketasim::{edit, models, presets, simulate, Scenario};

/// 30 days: every model's drug is gone long before (the ratio of two AUCs cancels the rest).
const HORIZON_MIN: f64 = 43_200.0;

/// The scenario `sc` with one administration of `item` at 0 on `model`, run to the horizon.
fn one_dose(sc: &Scenario, model: &str, item: &DoseItem) -> Scenario {
    let mut one = sc.clone();
    one.model = model.into();
    one.model_spec = None;
    let mut it = item.clone();
    it.schedule = Schedule::AtMin(vec![0.0]);
    one.regimen = vec![it];
    one.horizon_min = HORIZON_MIN;
    one.output_step_min = 60.0;
    one.pd.binding = ketasim::pd::Binding::Equilibrium;
    one.solver.method = Method::Auto;
    one
}

/// mg of the administered drug that reach the circulation from one administration of `item`
/// on `model` (AUC ratio to a 1-mg IV bolus), and the mg administered.
fn reaching_by_simulation(sc: &Scenario, model: &str, item: &DoseItem) -> (f64, f64) {
    let r = simulate(&one_dose(sc, model, item)).unwrap_or_else(|e| panic!("{model}: {e}"));
    let iv = DoseItem {
        dose_mg: Some(1.0),
        ..DoseItem::default()
    };
    let per_mg = simulate(&one_dose(sc, model, &iv)).unwrap();
    (
        r.metrics.drug.auc_0_t_ng_h_per_ml / per_mg.metrics.drug.auc_0_t_ng_h_per_ml,
        r.metrics.administered_mg,
    )
}

#[test]
fn the_fraction_reaching_the_circulation_is_the_auc_ratio_to_iv_for_every_model_and_route() {
    for model in models::all() {
        let sys = model
            .compile_for(&Subject::typical(70.0), 0.0, &[])
            .unwrap();
        let sc = presets::get("analgesic_bolus").unwrap().scenario;
        for route in model.routes.iter() {
            let amounts: Vec<f64> = match &route.device {
                Some(d) => (1..=d.max_devices)
                    .map(|n| f64::from(n) * d.mg_per_device)
                    .collect(),
                None => vec![10.0],
            };
            for mg in amounts {
                let item = DoseItem {
                    route: route.route,
                    dose_mg: Some(mg),
                    ..DoseItem::default()
                };
                let (want, given) = reaching_by_simulation(&sc, &model.id, &item);
                assert_eq!(given, mg);
                let got = sys.systemic_mg(sys.route(route.route).unwrap(), mg);
                assert!(
                    (got - want).abs() <= 1e-5 * mg,
                    "{} {:?} {mg} mg: engine {got}, AUC ratio {want}",
                    model.id,
                    route.route
                );
            }
        }
    }
}

#[test]
fn a_forced_route_switch_keeps_the_amount_that_reaches_the_circulation_for_every_preset_and_model()
{
    for preset in presets::all() {
        let sc = preset.scenario;
        let w = sc.patient.weight_kg;
        for model in models::all() {
            let a = edit::with_model(&sc, &model.id).unwrap();
            let mut on = sc.clone();
            on.model = a.model.clone();
            on.model_spec = None;
            on.regimen = a.regimen.clone();
            let what = format!("{} on {}", preset.id, model.id);
            on.validate().unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(a.regimen.len(), sc.regimen.len(), "{what}");
            for (old, new) in sc.regimen.iter().zip(&a.regimen) {
                if old.kind == DoseKind::Tci {
                    assert_eq!(old, new, "{what}: the pump recomputes its rates");
                    continue;
                }
                let (old_reach, old_mg) = reaching_by_simulation(&sc, &sc.model, old);
                let (new_reach, new_mg) = reaching_by_simulation(&sc, &model.id, new);
                let device = model.route(new.route).and_then(|r| r.device.as_ref());
                if old.route == new.route {
                    // the route is kept: the amount administered is kept (whole devices where
                    // the new model doses in devices)
                    let tol = device.map_or(0.005 * w, |d| d.mg_per_device / 2.0);
                    assert!(
                        (new_mg - old_mg).abs() <= tol + 1e-9,
                        "{what}: {old_mg} mg became {new_mg} mg"
                    );
                    continue;
                }
                let note = a.note.as_deref().unwrap_or_default();
                assert!(
                    note.contains("has no") && note.contains("reaches the circulation"),
                    "{what}: {note}"
                );
                match device {
                    None => {
                        // 2 decimals of mg/kg: within half a hundredth of a mg/kg × its F
                        let f_new = new_reach / new_mg;
                        assert!(
                            (new_reach - old_reach).abs() <= 0.005 * w * f_new + 1e-6 * old_reach,
                            "{what}: {old_reach} mg reached the circulation, now {new_reach} mg \
                             ({note})"
                        );
                    }
                    Some(d) => {
                        // whole devices: no other count is nearer, or the most and a note
                        let n = new.devices.unwrap();
                        for k in 1..=d.max_devices {
                            let mut other = new.clone();
                            other.devices = Some(k);
                            let (r, _) = reaching_by_simulation(&sc, &model.id, &other);
                            assert!(
                                (new_reach - old_reach).abs() <= (r - old_reach).abs() + 1e-6,
                                "{what}: {n} devices give {new_reach} mg, {k} give {r} mg, \
                                 wanted {old_reach} mg"
                            );
                        }
                        if old_reach > new_reach + d.mg_per_device / 2.0 {
                            assert!(note.contains("capped"), "{what}: {note}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn oral_ketamine_on_an_iv_only_model_becomes_the_iv_dose_with_the_same_systemic_amount() {
    // 2.5 mg/kg by mouth on Kamp 2020 (F 20 %) = 175 mg, 35 mg of which reaches the circulation
    let oral = presets::get("oral_2_5_mgkg").unwrap().scenario;
    for model in [
        "domino1982",
        "herd2007",
        "hijazi2003",
        "elkomy2015",
        "racemic_enantiomers",
    ] {
        let a = edit::with_model(&oral, model).unwrap();
        assert_eq!(a.regimen[0].route, Route::Iv, "{model}");
        assert_eq!(a.regimen[0].kind, DoseKind::Bolus, "{model}");
        assert_eq!(a.regimen[0].dose_mg_per_kg, Some(0.5), "{model}");
        let note = a.note.unwrap();
        assert!(note.contains("has no oral route: switched to IV"), "{note}");
        assert!(
            note.contains(
                "175.0 mg oral × bioavailability 0.20 = 35.0 mg reaches the circulation: \
                 given as an IV bolus of 0.5 mg/kg"
            ),
            "{note}"
        );
    }
    // the peak is that of 0.5 mg/kg IV, not of 175 mg IV (about 39 700 ng/mL on Domino)
    let a = edit::with_model(&oral, "domino1982").unwrap();
    let mut on = oral.clone();
    on.model = a.model;
    on.regimen = a.regimen;
    let peak = simulate(&on).unwrap().metrics.drug.cmax_ng_per_ml;
    assert!(peak < 39_700.0 / 4.0, "{peak}");
    // S-ketamine by mouth on Fanta 2015 (F 8 %) to Simons 2022 (IV, sublingual F1): IV first
    let mut fanta = oral.clone();
    fanta.model = "fanta2015".into();
    let a = edit::with_model(&fanta, "simons2022").unwrap();
    assert_eq!(a.regimen[0].route, Route::Iv);
    assert_eq!(a.regimen[0].dose_mg_per_kg, Some(0.2)); // 175 mg × 0.08 = 14 mg = 0.2 mg/kg
                                                        // an explicit route change keeps the amount administered: the bioavailability shows
    let mut iv = presets::get("analgesic_bolus").unwrap().scenario;
    iv.regimen[0].dose_mg_per_kg = Some(2.5);
    let b = edit::with_route(&iv, Route::Oral).unwrap();
    assert_eq!(b.regimen[0].dose_mg_per_kg, Some(2.5));
    assert_eq!(b.note, None);
}

#[test]
fn a_spray_on_a_model_without_a_nasal_route_gives_what_the_devices_gave_the_circulation() {
    let spray = presets::get("spravato_56").unwrap().scenario; // two 28-mg devices
    let (reach, mg) = reaching_by_simulation(&spray, "perez_ruixo2021", &spray.regimen[0]);
    assert_eq!(mg, 56.0);
    let a = edit::with_model(&spray, "simons2022").unwrap();
    assert_eq!(a.regimen[0].route, Route::Iv);
    let per_kg = a.regimen[0].dose_mg_per_kg.unwrap();
    assert!(
        (per_kg * 70.0 - reach).abs() <= 0.005 * 70.0,
        "{per_kg} mg/kg for {reach} mg"
    );
    let note = a.note.unwrap();
    assert!(
        note.contains("has no intranasal route: switched to IV; 56.0 mg intranasal"),
        "{note}"
    );
    // and IV ketamine on a model whose first route is the spray: whole devices, capped
    let mut sl = presets::get("oral_2_5_mgkg").unwrap().scenario;
    sl.regimen[0].route = Route::Sublingual; // 175 mg × F 0.29 ≈ 51 mg
    let b = edit::with_model(&sl, "perez_ruixo2021").unwrap();
    assert_eq!(b.regimen[0].route, Route::Intranasal);
    assert_eq!(b.regimen[0].devices, Some(3));
    assert!(b.note.unwrap().contains("capped at 3 devices"));
}

#[test]
fn a_model_of_another_drug_form_says_the_drug_changes() {
    // Spravato (esketamine) on Domino 1982 (racemic ketamine) is the same mg of another drug:
    // the note says so, for every preset and model whose drug forms differ, and only then
    use ketasim::pd::DrugForm;
    let mut changes = 0;
    for p in ketasim::presets::all() {
        let from = DrugForm::of(p.scenario.model_spec().unwrap());
        for m in ketasim::models::all() {
            let a = ketasim::edit::with_model(&p.scenario, &m.id).unwrap();
            let note = a.note.unwrap_or_default();
            let differs = from != DrugForm::of(m);
            assert_eq!(
                note.contains("the drug changes"),
                differs,
                "{} on {}: {note}",
                p.id,
                m.id
            );
            if differs {
                changes += 1;
                assert!(
                    note.contains(from.name()) && note.contains(DrugForm::of(m).name()),
                    "{note}"
                );
            }
        }
    }
    assert!(changes > 10, "{changes}");
}
