//! Lectures: the default one tells the clinical story with scenarios whose claims are checked,
//! and a lecturer's mistakes are named by scene and field.

use ketasim::lecture::{Highlight, Lecture, MAX_SCENES};
use ketasim::{presets, simulate, Error};

fn field_of(json: &str) -> (String, String) {
    let e = Lecture::from_json(json).unwrap_err();
    (e.field().unwrap_or_default(), e.to_string())
}

#[test]
fn the_default_lecture_follows_the_clinical_story() {
    let l = Lecture::depression().unwrap();
    assert_eq!(l.scenes.len(), 8);
    let standard = presets::get(presets::DEFAULT).unwrap().scenario;
    assert_eq!(l.scenes[0].scenario, standard);
    assert_eq!(
        l.scenes[4].scenario,
        presets::get("iv_course_maintenance").unwrap().scenario
    );
    assert_eq!(
        l.scenes[5].scenario,
        presets::get("spravato_84").unwrap().scenario
    );
    assert!(l.scenes[6].scenario.population.is_some());
    // a model whose parameters vary between patients (published variability)
    let m = ketasim::models::get(&l.scenes[6].scenario.model).unwrap();
    assert!(
        !m.population_variation().random_effects.is_empty(),
        "{}",
        m.id
    );
    assert!(l.scenes[6].highlight.contains(&Highlight::Population));
    assert!(l.scenes[7].highlight.contains(&Highlight::Occupancy));
    assert!(l.scenes[7].narration.contains("model-derived"));
    for s in &l.scenes {
        simulate(&s.scenario).unwrap();
    }
    // scene 2 says the effect site peaks after the infusion ends
    let r = simulate(&standard).unwrap();
    assert!(r.metrics.analytes[0].ce_tmax_min > 40.0);
    assert_eq!(r.metrics.analytes[0].tmax_min, 40.0);
}

#[test]
fn a_lecture_reads_back_from_its_json() {
    let l = Lecture::depression().unwrap();
    let text = serde_json::to_string_pretty(&l).unwrap();
    assert_eq!(Lecture::from_json(&text).unwrap(), l);
    // a minimal scene: the scenario's defaults fill in
    let small = r#"{"title":"One scene","scenes":[{"title":"Bolus","narration":"A bolus.",
        "scenario":{"patient":{"weight_kg":70},"regimen":[{"dose_mg_per_kg":0.5}],"horizon_min":60}}]}"#;
    let l = Lecture::from_json(small).unwrap();
    assert!(l.scenes[0].highlight.is_empty());
    assert_eq!(l.scenes[0].scenario.model, "kamp2020");
}

#[test]
fn mistakes_name_the_scene_and_the_field() {
    let scene = |extra: &str, scenario: &str| {
        format!(
            r#"{{"title":"T","scenes":[{{"title":"A","narration":"N","scenario":{{"patient":{{"weight_kg":70}},"regimen":[{{"dose_mg_per_kg":0.5}}],"horizon_min":60}}}},
            {{"title":"B","narration":"N"{extra},"scenario":{scenario}}}]}}"#
        )
    };
    let ok = r#"{"patient":{"weight_kg":70},"regimen":[{"dose_mg_per_kg":0.5}],"horizon_min":60}"#;
    let cases = [
        (
            scene(
                "",
                r#"{"patient":{"weight_kg":70},"regimen":[{"dose_mg_per_kg":50}],"horizon_min":60}"#,
            ),
            "scenes[1].scenario.regimen[0].dose_mg_per_kg",
            "= 50 is out of range",
        ),
        (
            scene(
                "",
                r#"{"patient":{"weight_kg":70},"regimen":[{"dose_mg_per_kg":0.5,"rout":"iv"}],"horizon_min":60}"#,
            ),
            "scenes[1].scenario.regimen[0].rout",
            "unknown field",
        ),
        (
            scene(r#","highlight":["plasma","plasma"]"#, ok),
            "scenes[1].highlight[1]",
            "already highlighted",
        ),
        (
            scene(r#","highlight":["population"]"#, ok),
            "scenes[1].scenario.population",
            "needs one",
        ),
        (
            scene(r#","highlight":["glow"]"#, ok),
            "scenes[1].highlight[0]",
            "unknown variant",
        ),
        (
            scene(
                "",
                r#"{"patient":{"weight_kg":70},"model":"nope","regimen":[],"horizon_min":60}"#,
            ),
            "scenes[1].scenario.model",
            "unknown model id 'nope'",
        ),
        (
            r#"{"title":"","scenes":[]}"#.to_string(),
            "title",
            "give 1 to 120 characters",
        ),
        (
            r#"{"title":"T","scenes":[]}"#.to_string(),
            "scenes",
            "1 to 40 scenes",
        ),
        (
            scene("", ok).replace(r#""narration":"N""#, "\"narration\":\"N\\u001b[31m\""),
            "scenes[0].narration",
            "control characters",
        ),
    ];
    for (json, field, part) in cases {
        let (f, msg) = field_of(&json);
        assert_eq!(f, field, "{msg}");
        assert!(msg.contains(part), "'{msg}' should contain '{part}'");
    }
    // the scene limit
    let l = Lecture::depression().unwrap();
    let mut big = l.clone();
    while big.scenes.len() <= MAX_SCENES {
        big.scenes.push(l.scenes[0].clone());
    }
    assert!(matches!(big.validate(), Err(Error::Invalid { field, .. }) if field == "scenes"));
    let long = "x".repeat(801);
    let mut l2 = l.clone();
    l2.scenes[3].narration = long;
    assert!(
        matches!(l2.validate(), Err(Error::Invalid { field, .. }) if field == "scenes[3].narration")
    );
}
