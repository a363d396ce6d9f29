//! Built-in teaching scenarios, ready to edit.

use crate::error::{Error, Result};
use crate::model::Route;
use crate::pd::{Binding, KiSet};
use crate::scenario::{
    DoseItem, DoseKind, Patient, PdOptions, Salt, Scenario, Schedule, Sex, SolverOptions,
};
use serde::Serialize;
use ts_rs::TS;

/// A named scenario with a one-line explanation for the class.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Preset {
    /// Id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// A few words for a button.
    pub short: &'static str,
    /// What it demonstrates.
    pub description: &'static str,
    /// The scenario.
    pub scenario: Scenario,
}

fn iv(kind: DoseKind, mg_per_kg: f64, duration_min: Option<f64>, schedule: Schedule) -> DoseItem {
    DoseItem {
        route: Route::Iv,
        kind,
        dose_mg: None,
        dose_mg_per_kg: Some(mg_per_kg),
        devices: None,
        rate_mg_per_h: None,
        rate_mg_per_kg_per_h: None,
        duration_min,
        salt: Salt::Base,
        schedule,
    }
}

fn item(
    route: Route,
    mg_per_kg: Option<f64>,
    devices: Option<u32>,
    schedule: Schedule,
) -> DoseItem {
    DoseItem {
        route,
        kind: DoseKind::Bolus,
        dose_mg: None,
        dose_mg_per_kg: mg_per_kg,
        devices,
        rate_mg_per_h: None,
        rate_mg_per_kg_per_h: None,
        duration_min: None,
        salt: Salt::Base,
        schedule,
    }
}

fn with_model(mut s: Scenario, model: &str) -> Scenario {
    s.model = model.into();
    s
}

fn scenario(name: &str, regimen: Vec<DoseItem>, horizon_min: f64, step: f64) -> Scenario {
    Scenario {
        name: Some(name.into()),
        patient: Patient {
            weight_kg: 70.0,
            age_years: 40.0,
            sex: Sex::Unspecified,
            race: crate::model::Race::Unspecified,
        },
        model: crate::models::DEFAULT_MODEL.into(),
        regimen,
        horizon_min,
        output_step_min: step,
        pd: PdOptions {
            ki_set: KiSet::BindingAssay,
            binding: Binding::Equilibrium,
            ..PdOptions::default()
        },
        solver: SolverOptions::default(),
        population: None,
    }
}

/// The preset a new page starts from.
pub const DEFAULT: &str = "antidepressant_40min";

/// All presets.
pub fn all() -> Vec<Preset> {
    let once = Schedule::default;
    vec![
        Preset {
            id: "antidepressant_40min",
            short: "0.5 mg/kg over 40 min",
            title: "Antidepressant infusion: 0.5 mg/kg over 40 min",
            description: "The standard IV regimen for treatment-resistant depression (Andrade \
                          2017): dissociation rises during the infusion and fades soon after.",
            scenario: scenario(
                "Antidepressant infusion 0.5 mg/kg over 40 min",
                vec![iv(DoseKind::Infusion, 0.5, Some(40.0), once())],
                360.0,
                1.0,
            ),
        },
        Preset {
            id: "antidepressant_1mgkg",
            short: "1.0 mg/kg over 40 min",
            title: "Higher dose: 1.0 mg/kg over 40 min",
            description: "Some patients need 0.75–1.0 mg/kg (Andrade 2017): twice the \
                          concentrations of the standard dose, longer in the dissociative band.",
            scenario: scenario(
                "1.0 mg/kg over 40 min",
                vec![iv(DoseKind::Infusion, 1.0, Some(40.0), once())],
                360.0,
                1.0,
            ),
        },
        Preset {
            id: "analgesic_bolus",
            short: "Analgesic bolus",
            title: "Analgesic bolus: 0.15 mg/kg IV",
            description: "Sub-anaesthetic analgesia with 0.15–0.3 mg/kg boluses (Lahti 2001: \
                          0.3 mg/kg → 120 ng/mL).",
            scenario: scenario(
                "Analgesic bolus 0.15 mg/kg",
                vec![iv(DoseKind::Bolus, 0.15, None, once())],
                240.0,
                0.5,
            ),
        },
        Preset {
            id: "induction_bolus",
            short: "Induction bolus",
            title: "Anaesthetic induction: 2 mg/kg IV bolus",
            description: "Induction with 1–2 mg/kg racemic ketamine (SmPC): effect-site \
                          concentration crosses the loss-of-responsiveness level.",
            scenario: scenario(
                "Induction 2 mg/kg bolus",
                vec![iv(DoseKind::Bolus, 2.0, None, once())],
                240.0,
                0.5,
            ),
        },
        Preset {
            id: "course_6_infusions",
            short: "Six-infusion course",
            title: "Course: six 0.5 mg/kg infusions over 12 days",
            description: "Murrough 2013: up to six 0.5 mg/kg infusions, three times a week \
                          (Mon/Wed/Fri) over 12 days; no accumulation between sessions.",
            scenario: scenario(
                "Six infusions, Mon/Wed/Fri, 12 days",
                vec![iv(
                    DoseKind::Infusion,
                    0.5,
                    Some(40.0),
                    Schedule::AtDays {
                        days: vec![0.0, 2.0, 4.0, 7.0, 9.0, 11.0],
                        offset_min: 600.0,
                    },
                )],
                13.0 * 1440.0,
                1.0,
            ),
        },
        Preset {
            id: "spravato_56",
            short: "Spravato 56 mg",
            title: "Esketamine nasal spray 56 mg (Spravato)",
            description: "Two 28-mg devices 5 min apart (label). Perez-Ruixo 2021 model with \
                          noresketamine; later sprays deliver less through the nose, more is \
                          swallowed and metabolised on the first pass.",
            scenario: with_model(
                scenario(
                    "Spravato 56 mg",
                    vec![item(Route::Intranasal, None, Some(2), once())],
                    480.0,
                    1.0,
                ),
                "perez_ruixo2021",
            ),
        },
        Preset {
            id: "spravato_84",
            short: "Spravato 84 mg",
            title: "Esketamine nasal spray 84 mg (Spravato)",
            description: "Three 28-mg devices 5 min apart. Tmax 20–40 min after the last spray, \
                          terminal half-life 7–12 h (label).",
            scenario: with_model(
                scenario(
                    "Spravato 84 mg",
                    vec![item(Route::Intranasal, None, Some(3), once())],
                    480.0,
                    1.0,
                ),
                "perez_ruixo2021",
            ),
        },
        Preset {
            id: "spravato_8_weeks",
            short: "Spravato 8 weeks",
            title: "Spravato: the first 8 weeks",
            description: "Weeks 1–4 twice weekly (day 1 56 mg, then 84 mg), weeks 5–8 once weekly \
                          (label). No accumulation between sessions.",
            scenario: with_model(
                scenario(
                    "Spravato induction and first maintenance weeks",
                    vec![
                        item(
                            Route::Intranasal,
                            None,
                            Some(2),
                            Schedule::AtDays {
                                days: vec![0.0],
                                offset_min: 600.0,
                            },
                        ),
                        item(
                            Route::Intranasal,
                            None,
                            Some(3),
                            Schedule::AtDays {
                                days: vec![
                                    3.0, 7.0, 10.0, 14.0, 17.0, 21.0, 24.0, 28.0, 35.0, 42.0, 49.0,
                                ],
                                offset_min: 600.0,
                            },
                        ),
                    ],
                    56.0 * 1440.0,
                    2.0,
                ),
                "perez_ruixo2021",
            ),
        },
        Preset {
            id: "oral_2_5_mgkg",
            short: "Oral 2.5 mg/kg",
            title: "Oral racemic ketamine 2.5 mg/kg",
            description: "Off-label oral dosing; about 2–2.5 mg/kg is quoted as “≈ IV equivalent” \
                          (Andrade 2019). Only ~20% reaches the circulation (Yanagihara 2003).",
            scenario: scenario(
                "Oral 2.5 mg/kg",
                vec![item(Route::Oral, Some(2.5), None, once())],
                600.0,
                1.0,
            ),
        },
    ]
}

/// Finds a preset by id.
pub fn get(id: &str) -> Result<Preset> {
    all().into_iter().find(|p| p.id == id).ok_or_else(|| {
        Error::invalid(
            "preset",
            format!(
                "unknown preset '{id}'; available: {}",
                all().iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
            ),
        )
    })
}
