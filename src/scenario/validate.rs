//! Validation of a scenario: every field against its limit, every dose item against its
//! route, once, at the entry point. Errors name the field, the value and the allowed range.

use super::limits::*;
use super::{
    CovariateDist, DoseItem, DoseKind, Method, PdOptions, PopulationSpec, Scenario, Schedule,
    TciTarget,
};
use crate::error::{check_range, Error, Result};
use crate::model::ModelSpec;
use crate::model::Route;
use crate::pd::Binding;

impl Scenario {
    /// The scenario's model: its `model_spec`, or the built-in model `model` (not validated:
    /// [`Scenario::validate`] checks a user-defined one).
    pub fn model_spec(&self) -> Result<&ModelSpec> {
        match &self.model_spec {
            Some(spec) => Ok(spec),
            None => crate::models::get(&self.model),
        }
    }

    /// Checks every field; the error names the field, the value and the allowed range.
    pub fn validate(&self) -> Result<()> {
        self.validated_model().map(|_| ())
    }

    /// Checks every field and returns the scenario's model (looked up once).
    pub(super) fn validated_model(&self) -> Result<&ModelSpec> {
        let p = &self.patient;
        check_range(
            || "patient.weight_kg".into(),
            p.weight_kg,
            WEIGHT_KG.0,
            WEIGHT_KG.1,
            "kg",
        )?;
        check_range(
            || "patient.age_years".into(),
            p.age_years,
            AGE_YEARS.0,
            AGE_YEARS.1,
            "years",
        )?;
        let model = self.model_spec()?;
        if let Some(spec) = &self.model_spec {
            crate::model::user::validate(spec, &self.model)?;
        }
        check_range(
            || "horizon_min".into(),
            self.horizon_min,
            HORIZON_MIN.0,
            HORIZON_MIN.1,
            "min",
        )?;
        check_range(
            || "output_step_min".into(),
            self.output_step_min,
            OUTPUT_STEP_MIN.0,
            OUTPUT_STEP_MIN.1,
            "min",
        )?;
        let points = self.n_points();
        if points > MAX_POINTS {
            return Err(Error::TooLarge {
                what: "output points (horizon_min / output_step_min + 1)".into(),
                value: points,
                limit: MAX_POINTS,
            });
        }
        if self.regimen.len() as u64 > MAX_REGIMEN_ITEMS {
            return Err(Error::TooLarge {
                what: "regimen items".into(),
                value: self.regimen.len() as u64,
                limit: MAX_REGIMEN_ITEMS,
            });
        }
        let mut n_doses: u64 = 0;
        for (i, item) in self.regimen.iter().enumerate() {
            item.validate(i)?;
            let Some(route) = model.route(item.route) else {
                return Err(Error::RouteNotInModel {
                    index: i,
                    route: item.route.id().into(),
                    model: model.id.to_string(),
                    available: model.route_list(),
                });
            };
            item.check_device(i, route.device.as_ref(), p.weight_kg)?;
            n_doses += item.schedule.len() as u64;
            if n_doses > MAX_DOSES {
                return Err(Error::TooLarge {
                    what: "dose administrations after expanding schedules".into(),
                    value: n_doses,
                    limit: MAX_DOSES,
                });
            }
        }
        check_range(
            || "patient.clearance_multiplier".into(),
            p.clearance_multiplier,
            CLEARANCE_MULTIPLIER.0,
            CLEARANCE_MULTIPLIER.1,
            "× published",
        )?;
        self.pd.validate()?;
        self.validate_tci_windows()?;
        if let Some(v) = &self.vitals {
            v.validate()?;
        }
        let s = &self.solver;
        check_range(|| "solver.rtol".into(), s.rtol, RTOL.0, RTOL.1, "")?;
        check_range(|| "solver.atol".into(), s.atol, ATOL.0, ATOL.1, "mg")?;
        check_range(
            || "solver.max_steps".into(),
            f64::from(s.max_steps),
            MAX_STEPS.0,
            MAX_STEPS.1,
            "steps",
        )?;
        if !s.method.runs_kinetic_binding() && matches!(self.pd.binding, Binding::Kinetic { .. }) {
            let can: Vec<&str> = Method::ALL
                .into_iter()
                .filter(|m| m.runs_kinetic_binding())
                .map(|m| m.id())
                .collect();
            return Err(Error::invalid(
                "solver.method",
                format!(
                    "'{}' needs a linear system; kinetic binding is non-linear: use one of {} \
                     ('auto' is 'exact_kinetic' here)",
                    s.method.id(),
                    can.join(", ")
                ),
            ));
        }
        Ok(model)
    }
}

impl Scenario {
    /// Target-controlled infusions never overlap (one pump per drug), and an occupancy target
    /// needs equilibrium binding.
    fn validate_tci_windows(&self) -> Result<()> {
        let mut windows: Vec<(f64, f64, usize)> = Vec::new();
        for (i, item) in self.regimen.iter().enumerate() {
            if item.kind != DoseKind::Tci {
                continue;
            }
            if item.target == Some(TciTarget::Occupancy) {
                if let Binding::Kinetic { .. } = self.pd.binding {
                    return Err(Error::invalid(
                        format!("regimen[{i}].target"),
                        "an occupancy target needs equilibrium binding: with kinetic binding \
                         (pd.binding) occupancy lags the concentrations and is not a linear \
                         function of them, so no pump could target it exactly; set \
                         pd.binding to equilibrium, or target the effect site",
                    ));
                }
            }
            let d = item.duration_min.unwrap_or(0.0);
            windows.extend(item.schedule.times_min().into_iter().map(|t| (t, t + d, i)));
        }
        windows.sort_by(|a, b| a.0.total_cmp(&b.0));
        for w in windows.windows(2) {
            if w[1].0 < w[0].1 - crate::dosing::TIME_EPS_MIN {
                return Err(Error::invalid(
                    format!("regimen[{}].schedule", w[1].2),
                    format!(
                        "this target-controlled infusion starts at {} min, while the one of \
                         regimen[{}] runs until {} min: one pump at a time; start it later \
                         or shorten the other",
                        w[1].0, w[0].2, w[0].1
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl Schedule {
    fn validate(&self, i: usize) -> Result<()> {
        let f = |what: &str| format!("regimen[{i}].schedule.{what}");
        if let Schedule::Every {
            interval_h,
            start_min,
            count,
        } = self
        {
            check_range(
                || f("every.interval_h"),
                *interval_h,
                INTERVAL_H.0,
                INTERVAL_H.1,
                "h",
            )?;
            check_range(
                || f("every.start_min"),
                *start_min,
                DOSE_TIME_MIN.0,
                DOSE_TIME_MIN.1,
                "min",
            )?;
            if u64::from(*count) > MAX_DOSES {
                return Err(Error::TooLarge {
                    what: f("every.count"),
                    value: u64::from(*count),
                    limit: MAX_DOSES,
                });
            }
        }
        if let Schedule::AtDays { offset_min, .. } = self {
            check_range(|| f("at_days.offset_min"), *offset_min, 0.0, 1440.0, "min")?;
        }
        if self.len() as u64 > MAX_DOSES {
            return Err(Error::TooLarge {
                what: format!("regimen[{i}].schedule entries"),
                value: self.len() as u64,
                limit: MAX_DOSES,
            });
        }
        if self.is_empty() {
            return Err(Error::invalid(
                format!("regimen[{i}].schedule"),
                "needs at least one administration",
            ));
        }
        for (k, t) in self.times_min().into_iter().enumerate() {
            check_range(
                || format!("regimen[{i}].schedule[{k}] (start time)"),
                t,
                DOSE_TIME_MIN.0,
                DOSE_TIME_MIN.1,
                "min",
            )?;
        }
        Ok(())
    }
}

impl DoseItem {
    fn validate(&self, i: usize) -> Result<()> {
        let f = |what: &str| format!("regimen[{i}].{what}");
        if self.kind == DoseKind::Tci {
            self.validate_tci(i)?;
            return self.schedule.validate(i);
        }
        let tci_only: Vec<&str> = [
            ("target", self.target.is_some()),
            ("target_ng_per_ml", self.target_ng_per_ml.is_some()),
            ("target_percent", self.target_percent.is_some()),
            ("target_steps", !self.target_steps.is_empty()),
            ("update_interval_s", self.update_interval_s.is_some()),
            ("max_rate_ml_per_h", self.max_rate_ml_per_h.is_some()),
            ("syringe_mg_per_ml", self.syringe_mg_per_ml.is_some()),
        ]
        .iter()
        .filter(|(_, v)| *v)
        .map(|(n, _)| *n)
        .collect();
        if let Some(first) = tci_only.first() {
            return Err(Error::invalid(
                f(first),
                format!(
                    "{} only for target-controlled infusions: set kind to 'tci' or remove it",
                    tci_only.join(", ")
                ),
            ));
        }
        let given: Vec<&str> = [
            ("dose_mg", self.dose_mg),
            ("dose_mg_per_kg", self.dose_mg_per_kg),
            ("devices", self.devices.map(f64::from)),
            ("rate_mg_per_h", self.rate_mg_per_h),
            ("rate_mg_per_kg_per_h", self.rate_mg_per_kg_per_h),
        ]
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(n, _)| *n)
        .collect();
        if given.len() != 1 {
            return Err(Error::invalid(
                f("dose"),
                format!(
                    "give exactly one of dose_mg, dose_mg_per_kg, devices, rate_mg_per_h, \
                     rate_mg_per_kg_per_h (got {})",
                    if given.is_empty() {
                        "none".to_string()
                    } else {
                        given.join(", ")
                    }
                ),
            ));
        }
        // Amounts must be positive: a zero dose is valid input (zero response), negative is not.
        let pos = |name: &str, v: Option<f64>, r: (f64, f64), unit| -> Result<()> {
            match v {
                Some(x) => check_range(|| f(name), x, r.0, r.1, unit),
                None => Ok(()),
            }
        };
        pos("dose_mg", self.dose_mg, DOSE_MG, "mg")?;
        pos(
            "dose_mg_per_kg",
            self.dose_mg_per_kg,
            DOSE_MG_PER_KG,
            "mg/kg",
        )?;
        pos("rate_mg_per_h", self.rate_mg_per_h, RATE_MG_PER_H, "mg/h")?;
        pos(
            "rate_mg_per_kg_per_h",
            self.rate_mg_per_kg_per_h,
            RATE_MG_PER_KG_PER_H,
            "mg/kg/h",
        )?;
        match self.kind {
            DoseKind::Infusion => {
                if self.route != Route::Iv {
                    return Err(Error::invalid(
                        f("kind"),
                        format!(
                            "infusion is only available for route 'iv' (got '{}'); use 'bolus'",
                            self.route.id()
                        ),
                    ));
                }
                match self.duration_min {
                    Some(d) => check_range(
                        || f("duration_min"),
                        d,
                        DURATION_MIN.0,
                        DURATION_MIN.1,
                        "min",
                    )?,
                    None => {
                        return Err(Error::invalid(
                            f("duration_min"),
                            format!(
                                "an infusion needs duration_min ({} to {} min)",
                                DURATION_MIN.0, DURATION_MIN.1
                            ),
                        ))
                    }
                }
            }
            DoseKind::Tci => {} // validate_tci
            DoseKind::Bolus => {
                if self.duration_min.is_some() {
                    return Err(Error::invalid(
                        f("duration_min"),
                        "only infusions have a duration; use kind 'infusion'",
                    ));
                }
                if self.rate_mg_per_h.is_some() || self.rate_mg_per_kg_per_h.is_some() {
                    return Err(Error::invalid(
                        f("dose"),
                        "a bolus takes dose_mg or dose_mg_per_kg, not a rate",
                    ));
                }
            }
        }
        self.schedule.validate(i)
    }

    /// A target-controlled infusion: IV, a target and its value, a duration, no amount or
    /// rate (the pump decides), target steps inside the infusion in time order, pump settings
    /// within their limits.
    fn validate_tci(&self, i: usize) -> Result<()> {
        let f = |what: &str| format!("regimen[{i}].{what}");
        if self.route != Route::Iv {
            return Err(Error::invalid(
                f("route"),
                format!(
                    "target-controlled infusion is IV only (got '{}'); use route 'iv'",
                    self.route.id()
                ),
            ));
        }
        let amounts: Vec<&str> = [
            ("dose_mg", self.dose_mg.is_some()),
            ("dose_mg_per_kg", self.dose_mg_per_kg.is_some()),
            ("devices", self.devices.is_some()),
            ("rate_mg_per_h", self.rate_mg_per_h.is_some()),
            ("rate_mg_per_kg_per_h", self.rate_mg_per_kg_per_h.is_some()),
        ]
        .iter()
        .filter(|(_, v)| *v)
        .map(|(n, _)| *n)
        .collect();
        if let Some(first) = amounts.first() {
            return Err(Error::invalid(
                f(first),
                format!(
                    "a target-controlled infusion takes a target, not {}: the pump computes \
                     the rate",
                    amounts.join(", ")
                ),
            ));
        }
        let Some(target) = self.target else {
            return Err(Error::invalid(
                f("target"),
                "a target-controlled infusion needs a target: 'plasma', 'effect_site' or \
                 'occupancy'",
            ));
        };
        let duration = self.duration_min.ok_or_else(|| {
            Error::invalid(
                f("duration_min"),
                format!(
                    "a target-controlled infusion needs duration_min ({} to {} min)",
                    DURATION_MIN.0, DURATION_MIN.1
                ),
            )
        })?;
        check_range(
            || f("duration_min"),
            duration,
            DURATION_MIN.0,
            DURATION_MIN.1,
            "min",
        )?;
        // the value of a target, in the field its kind takes
        let check_value = |field: String, ng: Option<f64>, pct: Option<f64>| -> Result<()> {
            let (value, wrong, wrong_name, range, unit) = match target {
                TciTarget::Plasma | TciTarget::EffectSite => {
                    (ng, pct, "target_percent", TCI_TARGET_NG_PER_ML, "ng/mL")
                }
                TciTarget::Occupancy => (pct, ng, "target_ng_per_ml", TCI_TARGET_PERCENT, "%"),
            };
            if wrong.is_some() {
                return Err(Error::invalid(
                    format!("{field}.{wrong_name}"),
                    format!(
                        "a '{}' target is given as {}, not {wrong_name}",
                        target.id(),
                        target.value_field()
                    ),
                ));
            }
            match value {
                Some(v) => check_range(
                    || format!("{field}.{}", target.value_field()),
                    v,
                    range.0,
                    range.1,
                    unit,
                ),
                None => Err(Error::invalid(
                    format!("{field}.{}", target.value_field()),
                    format!(
                        "a '{}' target needs {} ({} to {} {unit})",
                        target.id(),
                        target.value_field(),
                        range.0,
                        range.1
                    ),
                )),
            }
        };
        check_value(
            format!("regimen[{i}]"),
            self.target_ng_per_ml,
            self.target_percent,
        )?;
        if self.target_steps.len() as u64 > MAX_TCI_STEPS {
            return Err(Error::TooLarge {
                what: f("target_steps"),
                value: self.target_steps.len() as u64,
                limit: MAX_TCI_STEPS,
            });
        }
        let mut last = 0.0;
        for (k, step) in self.target_steps.iter().enumerate() {
            let field = f(&format!("target_steps[{k}]"));
            check_range(
                || format!("{field}.at_min"),
                step.at_min,
                0.0,
                duration,
                "min (inside the infusion)",
            )?;
            if step.at_min <= last {
                return Err(Error::invalid(
                    format!("{field}.at_min"),
                    format!(
                        "{} min: target steps come after the start and after each other \
                         (the previous one is at {last} min)",
                        step.at_min
                    ),
                ));
            }
            last = step.at_min;
            check_value(field, step.target_ng_per_ml, step.target_percent)?;
        }
        let opt = |name: &str, v: Option<f64>, r: (f64, f64), unit| -> Result<()> {
            match v {
                Some(x) => check_range(|| f(name), x, r.0, r.1, unit),
                None => Ok(()),
            }
        };
        opt(
            "update_interval_s",
            self.update_interval_s,
            TCI_UPDATE_INTERVAL_S,
            "s",
        )?;
        opt(
            "max_rate_ml_per_h",
            self.max_rate_ml_per_h,
            TCI_MAX_RATE_ML_PER_H,
            "mL/h",
        )?;
        opt(
            "syringe_mg_per_ml",
            self.syringe_mg_per_ml,
            TCI_SYRINGE_MG_PER_ML,
            "mg/mL",
        )?;
        let interval_min = self
            .update_interval_s
            .unwrap_or(crate::tci::DEFAULT_UPDATE_INTERVAL_S)
            / 60.0;
        let updates = (duration / interval_min).ceil() * self.schedule.len() as f64;
        if updates > MAX_TCI_UPDATES as f64 {
            return Err(Error::TooLarge {
                what: format!(
                    "{} (pump updates: duration_min / update_interval_s × sessions)",
                    f("update_interval_s")
                ),
                value: updates as u64,
                limit: MAX_TCI_UPDATES,
            });
        }
        Ok(())
    }

    /// Device routes take whole devices, 1 to the device's maximum per session; `devices` is
    /// only for device routes. An amount in mg may be given instead when it is whole devices
    /// within [`DEVICE_ROUNDING`] (labels round the salt amount: 32.3 mg hydrochloride is one
    /// 28-mg device).
    fn check_device(
        &self,
        i: usize,
        dev: Option<&crate::model::DeviceSpec>,
        weight_kg: f64,
    ) -> Result<()> {
        let Some(dev) = dev else {
            if self.devices.is_some() {
                return Err(Error::invalid(
                    format!("regimen[{i}].devices"),
                    format!(
                        "route '{}' is not dosed in devices; give dose_mg or dose_mg_per_kg",
                        self.route.id()
                    ),
                ));
            }
            return Ok(());
        };
        let max = dev.max_devices;
        if let Some(n) = self.devices {
            if n < 1 || n > max {
                return Err(Error::invalid(
                    format!("regimen[{i}].devices"),
                    format!(
                        "{n} devices: give 1 to {max} devices of {} mg per session",
                        dev.mg_per_device
                    ),
                ));
            }
            return Ok(());
        }
        let mg = self.amount_mg(weight_kg, None);
        let n = (mg / dev.mg_per_device).round();
        if (mg - n * dev.mg_per_device).abs() > DEVICE_ROUNDING * dev.mg_per_device
            || n < 1.0
            || n > f64::from(max)
        {
            let field = if self.dose_mg_per_kg.is_some() {
                "dose_mg_per_kg"
            } else {
                "dose_mg"
            };
            return Err(Error::invalid(
                format!("regimen[{i}].{field}"),
                format!(
                    "{} doses are whole {}-mg devices, 1 to {max} per session ({} to {} mg \
                     base); got {mg} mg: give devices (1 to {max}) instead",
                    self.route.id(),
                    dev.mg_per_device,
                    dev.mg_per_device,
                    dev.mg_per_device * f64::from(max)
                ),
            ));
        }
        Ok(())
    }
}

impl PdOptions {
    fn validate(&self) -> Result<()> {
        if self.ke0_endpoint == "custom" {
            match self.ke0_per_min {
                Some(k) => check_range(
                    || "pd.ke0_per_min".into(),
                    k,
                    KE0_PER_MIN.0,
                    KE0_PER_MIN.1,
                    "1/min",
                )?,
                None => {
                    return Err(Error::invalid(
                        "pd.ke0_per_min",
                        format!(
                            "the 'custom' endpoint needs ke0_per_min ({} to {} 1/min)",
                            KE0_PER_MIN.0, KE0_PER_MIN.1
                        ),
                    ))
                }
            }
        } else {
            if self.ke0_per_min.is_some() {
                return Err(Error::invalid(
                    "pd.ke0_per_min",
                    "only used with ke0_endpoint 'custom'",
                ));
            }
            // model overrides use the same ids as the generic table
            if !crate::pd::ke0_endpoints()
                .iter()
                .any(|e| e.id == self.ke0_endpoint)
            {
                return Err(crate::pd::unknown_endpoint(&self.ke0_endpoint));
            }
        }
        if let Binding::Kinetic { half_time_min } = self.binding {
            check_range(
                || "pd.binding.half_time_min".into(),
                half_time_min,
                BINDING_HALF_TIME_MIN.0,
                BINDING_HALF_TIME_MIN.1,
                "min",
            )?;
        }
        if let Some(t) = self.recovery_threshold_ng_per_ml {
            check_range(
                || "pd.recovery_threshold_ng_per_ml".into(),
                t,
                THRESHOLD_NG_PER_ML.0,
                THRESHOLD_NG_PER_ML.1,
                "ng/mL",
            )?;
        }
        if self.thresholds_ng_per_ml.len() as u64 > MAX_THRESHOLDS {
            return Err(Error::TooLarge {
                what: "pd.thresholds_ng_per_ml entries".into(),
                value: self.thresholds_ng_per_ml.len() as u64,
                limit: MAX_THRESHOLDS,
            });
        }
        for (k, t) in self.thresholds_ng_per_ml.iter().enumerate() {
            check_range(
                || format!("pd.thresholds_ng_per_ml[{k}]"),
                *t,
                THRESHOLD_NG_PER_ML.0,
                THRESHOLD_NG_PER_ML.1,
                "ng/mL",
            )?;
        }
        Ok(())
    }
}

impl PopulationSpec {
    /// Checks the fields (and that size × points fits the memory guard).
    pub fn validate(&self, n_points: u64) -> Result<()> {
        if self.size == 0 || self.size > population::MAX_SUBJECTS {
            return Err(Error::out_of_range(
                "population.size",
                f64::from(self.size),
                1.0,
                f64::from(population::MAX_SUBJECTS),
                "subjects",
            ));
        }
        let values = u64::from(self.size) * n_points;
        if values > population::MAX_VALUES {
            return Err(Error::TooLarge {
                what: "population.size × output points".into(),
                value: values,
                limit: population::MAX_VALUES,
            });
        }
        for (name, d, lo, hi) in [
            ("population.weight_kg", self.weight_kg, 1.0, 250.0),
            ("population.age_years", self.age_years, 0.0, 120.0),
        ] {
            match d {
                None => {}
                Some(CovariateDist::Fixed(v)) => check_range(|| name.into(), v, lo, hi, "")?,
                Some(CovariateDist::Uniform { min, max }) => {
                    check_range(|| format!("{name}.min"), min, lo, hi, "")?;
                    check_range(|| format!("{name}.max"), max, min, hi, "")?;
                }
                Some(CovariateDist::LogNormal {
                    median,
                    cv_percent,
                    min,
                    max,
                }) => {
                    check_range(|| format!("{name}.median"), median, lo.max(1e-9), hi, "")?;
                    check_range(|| format!("{name}.cv_percent"), cv_percent, 0.0, 200.0, "%")?;
                    check_range(|| format!("{name}.min"), min, lo, hi, "")?;
                    check_range(|| format!("{name}.max"), max, min, hi, "")?;
                }
            }
        }
        if let Some(cv) = self.weight_cv_percent {
            check_range(
                || "population.weight_cv_percent".into(),
                cv,
                population::WEIGHT_CV_PERCENT.0,
                population::WEIGHT_CV_PERCENT.1,
                "%",
            )?;
        }
        if let Some(f) = self.female_percent {
            let (lo, hi) = population::FEMALE_PERCENT;
            check_range(|| "population.female_percent".into(), f, lo, hi, "%")?;
        }
        match self.threshold_ng_per_ml {
            Some(t) => check_range(
                || "population.threshold_ng_per_ml".into(),
                t,
                THRESHOLD_NG_PER_ML.0,
                THRESHOLD_NG_PER_ML.1,
                "ng/mL",
            ),
            None => Ok(()),
        }
    }
}
