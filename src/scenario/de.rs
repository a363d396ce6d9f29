//! Deserialization helpers that say what to change: whole numbers with their allowed range,
//! and a schedule given as exactly one of its four forms.

use super::limits::{population, BINDING_HALF_TIME_MIN, MAX_DOSES};
use super::Schedule;
use crate::pd::Binding;
use crate::text::Num;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

/// A whole number in `0..=max`; the message of a bad one names the value as given (compactly)
/// and `allowed`, the range that validation will then check.
struct Whole {
    max: u64,
    allowed: &'static str,
}

impl Visitor<'_> for Whole {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a whole number ({})", self.allowed)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        if v <= self.max {
            Ok(v)
        } else {
            Err(E::custom(format_args!(
                "{v} is too large: give a whole number, {}",
                self.allowed
            )))
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom(format_args!(
                "{v} is negative: give a whole number, {}",
                self.allowed
            ))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        // JSON from a browser writes 1e21 and up with an exponent: accept whole numbers that
        // an f64 holds exactly
        if v.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&v) {
            return self.visit_u64(v as u64);
        }
        let why = if v.is_finite() && v.fract() != 0.0 {
            "is not a whole number"
        } else if v < 0.0 {
            "is negative"
        } else {
            "is too large"
        };
        Err(E::custom(format_args!(
            "{} {why}: give a whole number, {}",
            Num(v),
            self.allowed
        )))
    }
}

fn whole<'de, D: Deserializer<'de>>(
    d: D,
    max: u64,
    allowed: &'static str,
) -> Result<u64, D::Error> {
    d.deserialize_any(Whole { max, allowed })
}

/// `population.size`.
pub(super) fn size<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    const ALLOWED: &str = "1 to 100000 subjects (20000 in the browser)";
    whole(d, u64::from(u32::MAX), ALLOWED).map(|v| v as u32)
}

/// `population.seed`.
pub(super) fn seed<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    const ALLOWED: &str = "0 to 18446744073709551615 (in the browser up to 9007199254740991, \
                           the largest whole number JavaScript holds exactly)";
    whole(d, u64::MAX, ALLOWED)
}

/// `schedule.every.count`.
fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    const ALLOWED: &str = "1 to 2000 doses";
    whole(d, u64::from(u32::MAX), ALLOWED).map(|v| v as u32)
}

/// The JSON form of a [`Schedule`]: an object with exactly one of the four keys.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScheduleRepr {
    #[serde(default)]
    at_min: Option<Vec<f64>>,
    #[serde(default)]
    at_h: Option<Vec<f64>>,
    #[serde(default)]
    at_days: Option<AtDays>,
    #[serde(default)]
    every: Option<Every>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AtDays {
    days: Vec<f64>,
    #[serde(default)]
    offset_min: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Every {
    #[serde(default)]
    start_min: f64,
    interval_h: f64,
    #[serde(deserialize_with = "count")]
    count: u32,
}

impl TryFrom<ScheduleRepr> for Schedule {
    type Error = String;

    fn try_from(r: ScheduleRepr) -> Result<Self, String> {
        let given: Vec<&str> = [
            ("at_min", r.at_min.is_some()),
            ("at_h", r.at_h.is_some()),
            ("at_days", r.at_days.is_some()),
            ("every", r.every.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, g)| g.then_some(k))
        .collect();
        if given.len() > 1 {
            return Err(format!(
                "schedule: give one of at_min, at_h, at_days or every; this schedule has {}: \
                 split it into one dose item per schedule",
                given.join(" and ")
            ));
        }
        Ok(match (r.at_min, r.at_h, r.at_days, r.every) {
            (Some(v), ..) => Schedule::AtMin(v),
            (_, Some(v), ..) => Schedule::AtH(v),
            (_, _, Some(a), _) => Schedule::AtDays {
                days: a.days,
                offset_min: a.offset_min,
            },
            (.., Some(e)) => Schedule::Every {
                start_min: e.start_min,
                interval_h: e.interval_h,
                count: e.count,
            },
            _ => {
                return Err(
                    "schedule: give one of at_min, at_h, at_days or every (or leave the \
                     schedule out: once at 0)"
                        .into(),
                )
            }
        })
    }
}

/// The JSON form of a [`Binding`]: `{"kind": "equilibrium"}` or `{"kind": "kinetic",
/// "half_time_min": t}`, with no other key (serde's internally tagged enums let unknown keys of
/// a unit variant pass).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BindingRepr {
    kind: BindingKind,
    #[serde(default)]
    half_time_min: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum BindingKind {
    Equilibrium,
    Kinetic,
}

impl TryFrom<BindingRepr> for Binding {
    type Error = String;

    fn try_from(r: BindingRepr) -> Result<Self, String> {
        match (r.kind, r.half_time_min) {
            (BindingKind::Equilibrium, None) => Ok(Binding::Equilibrium),
            (BindingKind::Equilibrium, Some(t)) => Err(format!(
                "binding: equilibrium binding has no half-time (half_time_min = {} given): \
                 remove half_time_min, or use {{\"kind\": \"kinetic\", \"half_time_min\": {}}}",
                Num(t),
                Num(t)
            )),
            (BindingKind::Kinetic, Some(half_time_min)) => Ok(Binding::Kinetic { half_time_min }),
            (BindingKind::Kinetic, None) => Err(format!(
                "binding: kinetic binding needs half_time_min ({} to {} min)",
                Num(BINDING_HALF_TIME_MIN.0),
                Num(BINDING_HALF_TIME_MIN.1)
            )),
        }
    }
}

/// Keys whose errors are raised after their object was read, and so may be placed one level
/// up by serde_json: their messages start with `key: ` (see `json::error_at`).
pub(crate) const SELF_NAMED: [&str; 2] = ["schedule", "binding"];

// the message of `count` quotes the dose limit and that of `size` the subject limits
const _: () = assert!(MAX_DOSES == 2000 && population::MAX_SUBJECTS == 100_000);
const _: () = assert!(population::BROWSER_MAX_SUBJECTS == 20_000);
