//! The clinic timeline of each session, computed from the effect-site concentration: when
//! dosing starts and ends, when the patient is dissociated, and when the model's recovery
//! threshold is crossed for good.
//!
//! One definition of "dissociated" is used everywhere (these metrics, the timeline, the
//! population's fraction over time and the page's text): the effect-site concentration at or
//! above the drug's cited dissociative onset, [`crate::pd::DrugForm::dissociative_onset`].

use crate::dosing::InputPlan;
use crate::metrics;
use crate::model::{Provenance, Route};
use crate::pd::DrugForm;
use serde::Serialize;
use ts_rs::TS;

/// A monitoring rule from a product label that applies to a session, and until when.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Observation {
    /// The end of the required observation: the end of dosing plus the rule's time, min.
    pub until_min: f64,
    /// The rule, in words.
    pub rule: &'static str,
    /// Where it comes from.
    pub source: &'static str,
    /// Provenance of the rule.
    pub provenance: Provenance,
}

/// The label's observation after a session of `drug` given by `route`: `(minutes after the
/// end of dosing, rule, source, provenance)`. Only esketamine nasal spray has one here: the
/// label requires at least 2 hours of observation at each session (REMS boxed warning).
pub fn label_observation(
    drug: DrugForm,
    route: Route,
) -> Option<(f64, &'static str, &'static str, Provenance)> {
    match (drug, route) {
        (DrugForm::S, Route::Intranasal) => Some((
            120.0,
            "observe for at least 2 hours after administration, then assess readiness to leave",
            "Spravato label, 2019 boxed warning (REMS)",
            Provenance::Read2,
        )),
        _ => None,
    }
}

/// One session: administrations that follow each other without a dose-free gap.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SessionTimeline {
    /// Session number, from 1.
    pub number: usize,
    /// First administration, min.
    pub start_min: f64,
    /// Start of every administration in the session (spray devices are one administration),
    /// min.
    pub administration_times_min: Vec<f64>,
    /// End of dosing: the end of the infusion or the last spray; modelled absorption
    /// afterwards is not dosing, min.
    pub dosing_end_min: f64,
    /// Amount given in the session, mg base.
    pub administered_mg: f64,
    /// The regimen items given in the session (indices into the scenario's regimen).
    pub items: Vec<usize>,
    /// End of this session's window: the next session's start, or the horizon, min.
    pub until_min: f64,
    /// First time in the window with the effect site at or above the dissociative onset, min
    /// (`None`: never).
    pub dissociated_from_min: Option<f64>,
    /// Last time in the window with the effect site at or above the dissociative onset, min.
    pub dissociated_to_min: Option<f64>,
    /// Time in the window with the effect site at or above the dissociative onset, min.
    pub dissociated_min: f64,
    /// The effect-site peak in the window, ng/mL, and when, min.
    pub ce_max_ng_per_ml: f64,
    /// Time of the effect-site peak in the window, min.
    pub ce_max_at_min: f64,
    /// From when the effect site stays below the recovery threshold until the end of the
    /// window, not before the end of dosing, min (`None`: not within the window).
    pub below_recovery_at_min: Option<f64>,
    /// `below_recovery_at_min − dosing_end_min`, min.
    pub below_recovery_after_dosing_min: Option<f64>,
    /// The label's required observation after this session, where one applies.
    pub observation: Option<Observation>,
}

/// The timeline of every session of `plan` on the grid `t` (min), from the effect-site
/// series `ce` (ng/mL), with the dissociative onset and the recovery threshold (ng/mL);
/// `routes[i]` is the route of regimen item `i` and `drug` the model's drug form (for the
/// label's observation rules).
///
/// ```
/// use ketasim::{presets, simulate};
/// let r = simulate(&presets::get("course_6_infusions")?.scenario)?;
/// assert_eq!(r.sessions.len(), 6);
/// let first = &r.sessions[0];
/// assert_eq!(first.dosing_end_min - first.start_min, 40.0);
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn sessions(
    plan: &InputPlan,
    t: &[f64],
    ce: &[f64],
    onset_ng_per_ml: f64,
    recovery_ng_per_ml: f64,
    drug: DrugForm,
    routes: &[Route],
) -> Vec<SessionTimeline> {
    let horizon = t.last().copied().unwrap_or(0.0);
    let groups = plan.sessions();
    let mut out = Vec::with_capacity(groups.len());
    for (k, (start, end, admins)) in groups.iter().enumerate() {
        if *start > horizon {
            break;
        }
        let until = groups.get(k + 1).map_or(horizon, |g| g.0.min(horizon));
        // grid points of the window (the window's ends are grid points or lie between two)
        let i0 = t.partition_point(|&x| x < *start).saturating_sub(1);
        let i1 = (t.partition_point(|&x| x <= until) + 1).min(t.len());
        let (tw, cw) = (&t[i0..i1], &ce[i0..i1]);
        let clipped = clip(tw, cw, *start, until);
        let (ts, cs) = (&clipped.0[..], &clipped.1[..]);
        let dissociated_min = metrics::time_above(ts, cs, onset_ng_per_ml);
        let (ce_max_ng_per_ml, ce_max_at_min) = metrics::cmax_tmax(ts, cs);
        let (from, to) = crossing_span(ts, cs, onset_ng_per_ml);
        let dosing_end = end.min(until);
        let below = metrics::recovery_time(ts, cs, recovery_ng_per_ml, dosing_end);
        let observation = admins
            .iter()
            .filter_map(|a| routes.get(a.item))
            .find_map(|&r| label_observation(drug, r))
            .map(|(after, rule, source, provenance)| Observation {
                until_min: end + after,
                rule,
                source,
                provenance,
            });
        out.push(SessionTimeline {
            number: k + 1,
            start_min: *start,
            administration_times_min: admins.iter().map(|a| a.start_min).collect(),
            dosing_end_min: *end,
            administered_mg: admins.iter().map(|a| a.amount_mg).sum(),
            items: {
                let mut v: Vec<usize> = admins.iter().map(|a| a.item).collect();
                v.sort_unstable();
                v.dedup();
                v
            },
            until_min: until,
            dissociated_from_min: from,
            dissociated_to_min: to,
            dissociated_min,
            ce_max_ng_per_ml,
            ce_max_at_min,
            below_recovery_at_min: below,
            below_recovery_after_dosing_min: below.map(|b| b - end),
            observation,
        });
    }
    out
}

/// The series restricted to `[a, b]`, with the ends interpolated linearly.
fn clip(t: &[f64], c: &[f64], a: f64, b: f64) -> (Vec<f64>, Vec<f64>) {
    let at = |x: f64| -> f64 {
        let k = t.partition_point(|&y| y < x).min(t.len().saturating_sub(1));
        if k == 0 || t[k] == x {
            return c[k];
        }
        let f = (x - t[k - 1]) / (t[k] - t[k - 1]);
        c[k - 1] + f * (c[k] - c[k - 1])
    };
    let mut ts = vec![a];
    let mut cs = vec![at(a)];
    for (&x, &y) in t.iter().zip(c) {
        if x > a && x < b {
            ts.push(x);
            cs.push(y);
        }
    }
    if b > a {
        ts.push(b);
        cs.push(at(b));
    }
    (ts, cs)
}

/// First upward and last downward crossing of `level` (interpolated); the window's ends when
/// the series starts or ends at or above it.
fn crossing_span(t: &[f64], c: &[f64], level: f64) -> (Option<f64>, Option<f64>) {
    let cross = |k: usize| t[k - 1] + (level - c[k - 1]) / (c[k] - c[k - 1]) * (t[k] - t[k - 1]);
    let first = (0..t.len())
        .find(|&k| c[k] >= level)
        .map(|k| if k == 0 { t[0] } else { cross(k) });
    let last = (0..t.len()).rev().find(|&k| c[k] >= level).map(|k| {
        if k + 1 == t.len() {
            t[k]
        } else {
            // between k (at or above) and k + 1 (below)
            t[k] + (level - c[k]) / (c[k + 1] - c[k]) * (t[k + 1] - t[k])
        }
    });
    (first, last)
}
