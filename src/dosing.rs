//! Regimens → sorted instantaneous inputs and piecewise-constant input rates.
//!
//! Every bolus time and every start or end of an input rate becomes an integration boundary:
//! the solvers never step across one.

use crate::model::LinearSystem;
use crate::scenario::{DoseKind, Scenario};

/// An instantaneous input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BolusInput {
    /// Time, min.
    pub t_min: f64,
    /// Receiving state.
    pub state: usize,
    /// Amount, mg parent-equivalents.
    pub amount_mg: f64,
}

/// A constant input rate over `[t_start_min, t_end_min)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateInput {
    /// Start, min.
    pub t_start_min: f64,
    /// End, min.
    pub t_end_min: f64,
    /// Receiving state.
    pub state: usize,
    /// Rate, mg/min.
    pub rate_mg_per_min: f64,
}

/// One administration as the clinic sees it: from its start to the end of dosing (the end of
/// an infusion, or the last spray device of a session). Modelled absorption afterwards (a
/// swallowed fraction, a depot) is not dosing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Administration {
    /// Start, min.
    pub start_min: f64,
    /// End of dosing, min.
    pub end_min: f64,
    /// Amount administered, mg base.
    pub amount_mg: f64,
    /// Index of the regimen item it comes from.
    pub item: usize,
}

/// Everything that enters the system.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputPlan {
    /// Instantaneous inputs, sorted by time.
    pub boluses: Vec<BolusInput>,
    /// Rate inputs, sorted by start.
    pub rates: Vec<RateInput>,
    /// Administration start times, sorted, min.
    pub administration_times_min: Vec<f64>,
    /// Every administration, sorted by start.
    pub administrations: Vec<Administration>,
    /// When the last input of any kind ends (modelled absorption included), min (0 with no
    /// doses).
    pub last_input_end_min: f64,
    /// When the last administration's dosing ends, min (0 with no doses).
    pub last_dosing_end_min: f64,
    /// Amount administered (before bioavailability), mg base.
    pub administered_mg: f64,
}

/// Two times closer than this (min) are the same event time.
pub const TIME_EPS_MIN: f64 = 1e-9;

impl InputPlan {
    /// Expands a scenario's regimen for the compiled system (validating it, and computing the
    /// pump profiles of its target-controlled infusions).
    pub fn from_scenario(scenario: &Scenario, sys: &LinearSystem) -> crate::Result<Self> {
        let run = scenario.prepare()?;
        Ok(Self::for_weight(
            scenario,
            sys,
            scenario.patient.weight_kg,
            &run.pumps,
        ))
    }

    /// The same for a patient of `w` kg (doses per kg follow it): a virtual subject. The
    /// target-controlled infusions give the rates of `pumps` ([`crate::tci::pump_profiles`]);
    /// a TCI session without a profile there gives nothing.
    pub fn for_weight(
        scenario: &Scenario,
        sys: &LinearSystem,
        w: f64,
        pumps: &[crate::tci::PumpProfile],
    ) -> Self {
        let mut plan = InputPlan::default();
        for (item_index, item) in scenario.regimen.iter().enumerate() {
            let Some(route) = sys.route(item.route) else {
                continue; // validate() rejects this; nothing enters
            };
            if item.kind == DoseKind::Tci {
                plan.add_pumps(item_index, item, route, pumps);
                continue;
            }
            let amount = item.amount_mg(w, route.device.map(|d| d.0));
            // device routes: whole devices one after another (validate() checks the count)
            let parts = route.parts(amount);
            let dosing_min = match (item.kind, item.duration_min) {
                (DoseKind::Infusion, Some(d)) => d,
                _ => parts.last().map_or(0.0, |p| p.0),
            };
            for t_session in item.schedule.times_min() {
                plan.administration_times_min.push(t_session);
                plan.administrations.push(Administration {
                    start_min: t_session,
                    end_min: t_session + dosing_min,
                    amount_mg: amount,
                    item: item_index,
                });
                plan.last_dosing_end_min = plan.last_dosing_end_min.max(t_session + dosing_min);
                plan.administered_mg += amount;
                for &(offset, part_mg, targets) in &parts {
                    let t0 = t_session + offset;
                    for tg in targets {
                        let a = part_mg * tg.fraction;
                        let duration = match item.kind {
                            DoseKind::Infusion => item.duration_min,
                            DoseKind::Bolus | DoseKind::Tci => tg.duration_min,
                        };
                        match duration {
                            Some(d) if d > 0.0 => {
                                plan.rates.push(RateInput {
                                    t_start_min: t0,
                                    t_end_min: t0 + d,
                                    state: tg.state,
                                    rate_mg_per_min: a / d,
                                });
                                plan.last_input_end_min = plan.last_input_end_min.max(t0 + d);
                            }
                            _ => {
                                plan.boluses.push(BolusInput {
                                    t_min: t0,
                                    state: tg.state,
                                    amount_mg: a,
                                });
                                plan.last_input_end_min = plan.last_input_end_min.max(t0);
                            }
                        }
                    }
                }
            }
        }
        plan.boluses
            .sort_unstable_by(|a, b| a.t_min.total_cmp(&b.t_min));
        plan.rates
            .sort_unstable_by(|a, b| a.t_start_min.total_cmp(&b.t_start_min));
        plan.administration_times_min
            .sort_unstable_by(f64::total_cmp);
        plan.administrations
            .sort_by(|a, b| a.start_min.total_cmp(&b.start_min));
        plan
    }

    /// The sessions of a TCI item: each pump profile's rates into the route's targets.
    fn add_pumps(
        &mut self,
        item_index: usize,
        item: &crate::scenario::DoseItem,
        route: &crate::model::CompiledRoute,
        pumps: &[crate::tci::PumpProfile],
    ) {
        let duration = item.duration_min.unwrap_or(0.0);
        for t_session in item.schedule.times_min() {
            let pump = pumps
                .iter()
                .find(|p| p.item == item_index && (p.start_min - t_session).abs() <= TIME_EPS_MIN);
            let amount = pump.map_or(0.0, |p| p.dose_mg);
            self.administration_times_min.push(t_session);
            self.administrations.push(Administration {
                start_min: t_session,
                end_min: t_session + duration,
                amount_mg: amount,
                item: item_index,
            });
            self.last_dosing_end_min = self.last_dosing_end_min.max(t_session + duration);
            self.administered_mg += amount;
            let Some(pump) = pump else { continue };
            for seg in pump.segments.iter().filter(|s| s.rate_mg_per_h > 0.0) {
                for tg in &route.inputs {
                    self.rates.push(RateInput {
                        t_start_min: seg.start_min,
                        t_end_min: seg.end_min,
                        state: tg.state,
                        rate_mg_per_min: seg.rate_mg_per_h / 60.0 * tg.fraction,
                    });
                }
                self.last_input_end_min = self.last_input_end_min.max(seg.end_min);
            }
        }
    }

    /// Sessions: administrations grouped while each starts before the previous one's dosing
    /// has ended (a bolus followed by an infusion is one session). Each is
    /// `(start, end of dosing, administrations)`.
    pub fn sessions(&self) -> Vec<(f64, f64, Vec<Administration>)> {
        let mut out: Vec<(f64, f64, Vec<Administration>)> = Vec::new();
        for a in &self.administrations {
            match out.last_mut() {
                Some(s) if a.start_min <= s.1 + TIME_EPS_MIN => {
                    s.1 = s.1.max(a.end_min);
                    s.2.push(*a);
                }
                _ => out.push((a.start_min, a.end_min, vec![*a])),
            }
        }
        out
    }

    /// All event times within `[0, horizon]` plus both ends, sorted and merged within
    /// [`TIME_EPS_MIN`].
    pub fn boundaries(&self, horizon_min: f64) -> Vec<f64> {
        let mut b: Vec<f64> = Vec::with_capacity(2 + self.boluses.len() + 2 * self.rates.len());
        b.push(0.0);
        b.push(horizon_min);
        b.extend(self.boluses.iter().map(|x| x.t_min));
        for r in &self.rates {
            b.push(r.t_start_min);
            b.push(r.t_end_min);
        }
        b.retain(|&t| (0.0..=horizon_min).contains(&t));
        b.sort_unstable_by(f64::total_cmp);
        b.dedup_by(|later, earlier| (*later - *earlier).abs() <= TIME_EPS_MIN);
        if let Some(last) = b.last_mut() {
            // the merged last boundary is the horizon itself
            if (*last - horizon_min).abs() <= TIME_EPS_MIN {
                *last = horizon_min;
            }
        }
        b
    }
}
