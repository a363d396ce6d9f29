//! Target-controlled infusion (TCI): a pump that recomputes its rate every few seconds so that
//! a predicted quantity reaches a target and stays there.
//!
//! A TCI regimen item ([`crate::scenario::DoseKind::Tci`]) compiles to an ordinary
//! piecewise-constant infusion: its [`PumpProfile`]. Everything downstream (the exact
//! propagator, Dopri5, metrics, the timeline, populations, CSV) sees only that infusion.
//!
//! # The controller
//! Every target is a **linear function of the state**, `y = L·x`
//! ([`crate::simulate::readout::Linear`]): the administered drug's plasma or effect-site
//! concentration, or, for occupancy at equilibrium, the ratio sum `Σ Cu,i·bpᵢ/Kiᵢ` of every
//! ligand that contributes (metabolites included), which is an occupancy of `θ` exactly when
//! it equals `θ/(1 − θ)`. At each update time the pump knows the state `x` (every dose given
//! so far, its own included) and predicts, with the exact propagator
//! ([`crate::solver::exact::propagator`]), at the look-ahead times `s_j = j·Δ`:
//!
//! - the free course `f_j = L·e^{A·s_j}·x` (no more drug), and
//! - the response `g_j` to a unit rate during the next interval `Δ`.
//!
//! A rate `R` for the next interval gives `y(s_j) = f_j + R·g_j`. The largest rate that keeps
//! every predicted value at or below the target is `R = min_j (target − f_j)/g_j` over the
//! look-ahead; it is clamped to `[0, maximum rate]`: the pump never runs backwards, so when
//! the target drops the rate is 0 until the prediction falls to it.
//!
//! - **Plasma** (Jacobs 1990, *IEEE Trans Biomed Eng* 37:107): the look-ahead is the end of
//!   the interval, `j = 1`: the rate that brings the plasma concentration to the target at the
//!   next update.
//! - **Effect site** (Shafer & Gregg 1992, *J Pharmacokinet Biopharm* 20:147, the STANPUMP
//!   algorithm): the look-ahead covers the peak of the effect-site response, so the rate is
//!   the one whose predicted effect-site **peak** equals the target — it is reached without
//!   overshoot and then held. Shafer & Gregg search for that rate iteratively; the minimum
//!   above is the same rate computed directly (the predicted peak `max_j (f_j + R·g_j)` grows
//!   with `R`, and equals the target exactly at that minimum).
//! - **Holding** an effect-site or occupancy target: once the quantity is within
//!   [`HOLD_BAND`] of it, the rate is also capped by the one that holds the *plasma twin* (the
//!   same combination of plasma concentrations) at the target at the next update, as in
//!   Shafer & Gregg's hold phase where plasma and effect site stay together. The peak rule alone
//!   would alternate high and low rates at every update; with the cap the rate is smooth, and
//!   the peak rule still forbids any overshoot.
//! - **Occupancy** (new, not in the TCI anchors): the same effect-site controller on the
//!   occupancy ratio sum. Exact at equilibrium binding; with kinetic binding occupancy is not a
//!   linear function of the state and validation refuses the target.
//!
//! The pump's model is the published one for the patient's covariates: it does not know a
//! what-if clearance multiplier ([`crate::scenario::Patient::clearance_multiplier`]), just as
//! a real pump does not know the patient's liver. In a virtual population every subject gets
//! the typical patient's pump profile.
//!
//! ```
//! use ketasim::{simulate, Scenario};
//! let sc = Scenario::from_json(r#"{
//!     "patient": { "weight_kg": 70 },
//!     "regimen": [{ "kind": "tci", "target": "plasma", "target_ng_per_ml": 200,
//!                   "duration_min": 60 }],
//!     "horizon_min": 120
//! }"#)?;
//! let r = simulate(&sc)?;
//! let cp = &r.drug_readout.cp_ng_per_ml;
//! assert!((cp[30] - 200.0).abs() < 0.5); // reached and held
//! let pump = &r.pumps[0];
//! assert!(pump.segments[0].rate_mg_per_h > pump.segments.last().unwrap().rate_mg_per_h);
//! # Ok::<(), ketasim::Error>(())
//! ```

use crate::dosing::{BolusInput, InputPlan, RateInput, TIME_EPS_MIN};
use crate::error::{Error, Result};
use crate::model::{LinearSystem, Route, Subject};
use crate::scenario::{DoseItem, DoseKind, PreparedRun, TciTarget};
use crate::simulate::readout::{Linear, Readout};
use crate::solver::exact::propagator;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use ts_rs::TS;

/// Default pump update interval, s (the issue's and STANPUMP's 10 s) \[ASSUMPTION\].
pub const DEFAULT_UPDATE_INTERVAL_S: f64 = 10.0;
/// Default maximum pump rate, mL/h: a typical syringe driver's top rate \[ASSUMPTION\].
pub const DEFAULT_MAX_RATE_ML_PER_H: f64 = 1200.0;
/// Default syringe concentration, mg/mL (ketamine is sold at 10 and 50 mg/mL) \[ASSUMPTION\].
pub const DEFAULT_SYRINGE_MG_PER_ML: f64 = 10.0;
/// An effect-site or occupancy target counts as being held once the quantity is within this
/// fraction of it (then the plasma twin's rate caps the pump, see [`pump_profiles`]).
pub const HOLD_BAND: f64 = 1e-3;
/// The effect-site look-ahead ends at most this long after an update, min.
pub const MAX_LOOKAHEAD_MIN: f64 = 360.0;

/// One interval of constant pump rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PumpSegment {
    /// Start, min.
    pub start_min: f64,
    /// End, min.
    pub end_min: f64,
    /// Rate, mg/h of base.
    pub rate_mg_per_h: f64,
    /// The same rate in mL/h of the syringe's solution.
    pub rate_ml_per_h: f64,
}

/// What one TCI session of one regimen item did: its rates and what they add up to.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PumpProfile {
    /// Index of the regimen item.
    pub item: usize,
    /// Start of the session, min.
    pub start_min: f64,
    /// End of the session, min.
    pub end_min: f64,
    /// What the pump targets.
    pub target: TciTarget,
    /// Syringe concentration, mg/mL (converts mg/h to mL/h).
    pub syringe_mg_per_ml: f64,
    /// Maximum rate, mg/h.
    pub max_rate_mg_per_h: f64,
    /// Update interval, s.
    pub update_interval_s: f64,
    /// Constant-rate intervals, in time order (equal neighbours merged).
    pub segments: Vec<PumpSegment>,
    /// Total amount given, mg of base.
    pub dose_mg: f64,
    /// Total volume given, mL.
    pub volume_ml: f64,
    /// For an occupancy target: the administered drug's effect-site concentration that alone
    /// gives the first target (no metabolite yet), ng/mL (model-derived).
    pub implied_ce_ng_per_ml: Option<f64>,
}

impl PumpProfile {
    /// The rate at time `t` (0 outside the session), mg/h; right-continuous.
    pub fn rate_at(&self, t: f64) -> f64 {
        let k = self
            .segments
            .partition_point(|s| s.start_min <= t + TIME_EPS_MIN);
        match k.checked_sub(1).map(|k| &self.segments[k]) {
            Some(s) if t < s.end_min - TIME_EPS_MIN => s.rate_mg_per_h,
            _ => 0.0,
        }
    }
}

/// The target schedule of one item: `(from, value in the controlled quantity's unit)`, with
/// the values as the user gave them.
fn target_schedule(item: &DoseItem) -> Vec<(f64, f64)> {
    let value = |ng: Option<f64>, pct: Option<f64>| match item.target {
        Some(TciTarget::Occupancy) => pct.unwrap_or(0.0),
        _ => ng.unwrap_or(0.0),
    };
    let mut out = vec![(0.0, value(item.target_ng_per_ml, item.target_percent))];
    out.extend(
        item.target_steps
            .iter()
            .map(|s| (s.at_min, value(s.target_ng_per_ml, s.target_percent))),
    );
    out
}

/// The controlled quantity's value for a target given by the user (occupancy: % → ratio sum).
fn controlled(target: TciTarget, value: f64) -> f64 {
    match target {
        TciTarget::Occupancy => {
            let th = (value / 100.0).clamp(0.0, 0.999);
            th / (1.0 - th)
        }
        _ => value,
    }
}

/// The state of the pump's model, advanced through the doses it knows about.
struct Tracker<'a> {
    a: &'a DMatrix<f64>,
    x: DVector<f64>,
    t: f64,
    boluses: &'a [BolusInput],
    next_bolus: usize,
    rates: &'a [RateInput],
    cache: Vec<(f64, DMatrix<f64>, DMatrix<f64>)>,
}

impl<'a> Tracker<'a> {
    fn new(a: &'a DMatrix<f64>, base: &'a InputPlan) -> Self {
        let mut t = Tracker {
            a,
            x: DVector::zeros(a.nrows()),
            t: 0.0,
            boluses: &base.boluses,
            next_bolus: 0,
            rates: &base.rates,
            cache: Vec::new(),
        };
        t.apply_boluses(0.0);
        t
    }

    fn apply_boluses(&mut self, upto: f64) {
        while let Some(b) = self.boluses.get(self.next_bolus) {
            if b.t_min > upto + TIME_EPS_MIN {
                break;
            }
            self.x[b.state] += b.amount_mg;
            self.next_bolus += 1;
        }
    }

    fn prop(&mut self, h: f64) -> Result<usize> {
        if let Some(i) = self.cache.iter().position(|c| (c.0 - h).abs() <= 1e-12 * h) {
            return Ok(i);
        }
        if self.cache.len() >= 16 {
            self.cache.clear();
        }
        let (phi, gamma) = propagator(self.a, h)?;
        self.cache.push((h, phi, gamma));
        Ok(self.cache.len() - 1)
    }

    /// Advances to `t1` with the known inputs plus `pump` (mg/min into each state).
    fn advance(&mut self, t1: f64, pump: Option<&DVector<f64>>) -> Result<()> {
        while self.t < t1 - TIME_EPS_MIN {
            let s0 = self.t;
            // the next event inside (s0, t1): a bolus, or a rate starting or ending
            let mut s1 = t1;
            if let Some(b) = self.boluses.get(self.next_bolus) {
                if b.t_min > s0 + TIME_EPS_MIN {
                    s1 = s1.min(b.t_min);
                }
            }
            for r in self.rates {
                for e in [r.t_start_min, r.t_end_min] {
                    if e > s0 + TIME_EPS_MIN && e < s1 {
                        s1 = e;
                    }
                }
            }
            let mut u = match pump {
                Some(p) => p.clone(),
                None => DVector::zeros(self.x.len()),
            };
            for r in self.rates {
                if r.t_start_min <= s0 + TIME_EPS_MIN && r.t_end_min > s0 + TIME_EPS_MIN {
                    u[r.state] += r.rate_mg_per_min;
                }
            }
            let i = self.prop(s1 - s0)?;
            let (_, phi, gamma) = &self.cache[i];
            self.x = phi * &self.x + gamma * u;
            self.t = s1;
            self.apply_boluses(s1);
        }
        self.t = self.t.max(t1);
        Ok(())
    }
}

/// The pump profiles of every TCI session of `run`'s scenario, computed on the published
/// model for the patient's covariates (see the module documentation). Empty when the regimen
/// has no TCI item.
pub fn pump_profiles(run: &PreparedRun) -> Result<Vec<PumpProfile>> {
    let sc = run.scenario;
    if !sc.regimen.iter().any(|i| i.kind == DoseKind::Tci) {
        return Ok(Vec::new());
    }
    let subject = Subject {
        clearance_multiplier: 1.0,
        ..run.subject
    };
    let sys = run.compile(&subject, &[])?;
    let base = InputPlan::for_weight(sc, &sys, subject.weight_kg, &[]);
    let all: Vec<Option<usize>> = (0..sys.n).map(Some).collect();
    let readout = Readout::new(&run.pd, &sys, &all);
    let iv = sys.route(Route::Iv).ok_or_else(|| Error::ModelDefinition {
        model: run.model.id.to_string(),
        problem: "a TCI item needs the IV route".into(),
    })?;
    // unit input: 1 mg/min of drug split over the IV route's targets
    let mut b = DVector::<f64>::zeros(sys.n);
    for tg in &iv.inputs {
        b[tg.state] += tg.fraction;
    }
    let mut sessions: Vec<(f64, usize)> = sc
        .regimen
        .iter()
        .enumerate()
        .filter(|(_, it)| it.kind == DoseKind::Tci)
        .flat_map(|(i, it)| it.schedule.times_min().into_iter().map(move |t| (t, i)))
        .filter(|&(t, _)| t < sc.horizon_min)
        .collect();
    sessions.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut tracker = Tracker::new(&sys.a, &base);
    let mut out = Vec::with_capacity(sessions.len());
    for (start, i) in sessions {
        let item = &sc.regimen[i];
        tracker.advance(start, None)?;
        out.push(session(
            run,
            &sys,
            &readout,
            &b,
            item,
            i,
            start,
            &mut tracker,
        )?);
    }
    Ok(out)
}

/// One TCI session from `start` (the tracker is there).
#[allow(clippy::too_many_arguments)]
fn session(
    run: &PreparedRun,
    sys: &LinearSystem,
    readout: &Readout,
    b: &DVector<f64>,
    item: &DoseItem,
    index: usize,
    start: f64,
    tracker: &mut Tracker,
) -> Result<PumpProfile> {
    let target = item.target.unwrap_or(TciTarget::Plasma);
    let duration = item.duration_min.unwrap_or(0.0);
    let end = start + duration;
    let interval_s = item.update_interval_s.unwrap_or(DEFAULT_UPDATE_INTERVAL_S);
    let dt = interval_s / 60.0;
    let syringe = item.syringe_mg_per_ml.unwrap_or(DEFAULT_SYRINGE_MG_PER_ML);
    let max_mg_per_h = item.max_rate_ml_per_h.unwrap_or(DEFAULT_MAX_RATE_ML_PER_H) * syringe;
    let drug = &run.readout_analytes;
    let l: Vec<(usize, f64)> = readout.linear(match target {
        TciTarget::Plasma => Linear::PlasmaNgPerMl(drug),
        TciTarget::EffectSite => Linear::EffectNgPerMl(drug),
        TciTarget::Occupancy => Linear::OccupancyRatio,
    });
    let dot = |row: &[f64], x: &DVector<f64>| -> f64 {
        row.iter().zip(x.iter()).map(|(r, v)| r * v).sum()
    };
    // look-ahead rows r_j = L·Φ^j and unit responses g_j = L·Φ^{j−1}·Γ·b
    let (phi, gamma) = propagator(&sys.a, dt)?;
    let n = sys.n;
    let mut row = vec![0.0; n];
    for &(c, v) in &l {
        row[c] += v;
    }
    let gb = &gamma * b;
    let l_now = row.clone();
    // the plasma twin of an effect-site or occupancy target: the same combination of the
    // analytes' plasma concentrations, its value after one update (row and unit response)
    let twin: Option<(Vec<f64>, f64)> = match target {
        TciTarget::Plasma => None,
        TciTarget::EffectSite | TciTarget::Occupancy => {
            let lp = readout.linear(match target {
                TciTarget::EffectSite => Linear::PlasmaNgPerMl(drug),
                _ => Linear::OccupancyRatioPlasma,
            });
            let mut rp = DVector::<f64>::zeros(n);
            for &(c, v) in &lp {
                rp[c] += v;
            }
            let gp = rp.dot(&gb);
            Some((phi.tr_mul(&rp).as_slice().to_vec(), gp))
        }
    };
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let mut g: Vec<f64> = Vec::new();
    let mut resp = gb.clone(); // Φ^{j−1}·Γ·b
    let mut r = DVector::from_vec(row);
    let (mut g_peak, mut j_peak) = (0.0f64, 0usize);
    let max_j = match target {
        TciTarget::Plasma => 1,
        _ => ((MAX_LOOKAHEAD_MIN / dt).ceil() as usize).max(1),
    };
    for j in 1..=max_j {
        r = phi.tr_mul(&r); // rᵀ ← rᵀ·Φ: r_j = L·Φ^j
        let gj: f64 = l.iter().map(|&(c, v)| v * resp[c]).sum::<f64>().max(0.0);
        rows.push(r.as_slice().to_vec());
        g.push(gj);
        if gj > g_peak {
            g_peak = gj;
            j_peak = j;
        }
        resp = &phi * &resp;
        // past the response's peak, twice its time, and fallen to half: far enough
        if j >= 2 * j_peak.max(1) && j as f64 * dt >= 10.0 && gj < 0.5 * g_peak {
            break;
        }
    }
    if g_peak <= 0.0 {
        return Err(Error::ModelDefinition {
            model: run.model.id.to_string(),
            problem: "an IV infusion does not reach the quantity the TCI item targets".into(),
        });
    }
    let schedule = target_schedule(item);
    let mut segments: Vec<PumpSegment> = Vec::new();
    let mut dose = 0.0;
    let mut u = DVector::<f64>::zeros(n);
    let updates = (duration / dt - 1e-9).ceil().max(1.0) as usize;
    for step in 0..updates {
        let t = start + step as f64 * dt;
        let t1 = if step + 1 == updates {
            end
        } else {
            start + (step + 1) as f64 * dt
        };
        let k = schedule.partition_point(|s| start + s.0 <= t + TIME_EPS_MIN);
        let y_star = controlled(target, schedule[k.saturating_sub(1)].1);
        let x = &tracker.x;
        let mut rate = f64::INFINITY;
        for (rj, &gj) in rows.iter().zip(&g) {
            if gj > 1e-12 * g_peak {
                rate = rate.min((y_star - dot(rj, x)) / gj);
            }
        }
        // holding: once the effect site is at the target, the plasma twin is held at it too
        // (Shafer & Gregg: plasma and effect site then stay together). Alone, the peak rule
        // alternates high and low rates from one update to the next; the twin's smooth rate
        // caps it, and the peak rule still forbids any overshoot
        if let Some((rp1, gp)) = &twin {
            let at_target = (dot(&l_now, x) - y_star).abs() <= HOLD_BAND * y_star;
            if at_target && *gp > 0.0 {
                rate = rate.min((y_star - dot(rp1, x)) / gp);
            }
        }
        // rounding leaves rates of about 1e-12 where the exact answer is 0
        let mg_h = if y_star <= 0.0 || rate * 60.0 <= 1e-9 * max_mg_per_h {
            0.0
        } else {
            (rate * 60.0).min(max_mg_per_h)
        };
        u.copy_from(b);
        u *= mg_h / 60.0;
        tracker.advance(t1, (mg_h > 0.0).then_some(&u))?;
        dose += mg_h / 60.0 * (t1 - t);
        match segments.last_mut() {
            Some(s) if s.rate_mg_per_h.to_bits() == mg_h.to_bits() => s.end_min = t1,
            _ => segments.push(PumpSegment {
                start_min: t,
                end_min: t1,
                rate_mg_per_h: mg_h,
                rate_ml_per_h: mg_h / syringe,
            }),
        }
    }
    let implied_ce_ng_per_ml = (target == TciTarget::Occupancy).then(|| {
        // the drug's effect-site ng/mL per unit of the ratio sum, with the drug's analytes in
        // the proportions the IV route gives them
        let ce = readout.linear(Linear::EffectNgPerMl(drug));
        let per = |coef: &[(usize, f64)]| -> f64 {
            coef.iter()
                .map(|&(c, v)| v * iv_share(sys, c, b))
                .sum::<f64>()
        };
        let ratio = per(&l);
        let y0 = controlled(target, schedule[0].1);
        if ratio > 0.0 {
            y0 * per(&ce) / ratio
        } else {
            0.0
        }
    });
    Ok(PumpProfile {
        item: index,
        start_min: start,
        end_min: end,
        target,
        syringe_mg_per_ml: syringe,
        max_rate_mg_per_h: max_mg_per_h,
        update_interval_s: interval_s,
        segments,
        dose_mg: dose,
        volume_ml: dose / syringe,
        implied_ce_ng_per_ml,
    })
}

/// The share of the IV input that belongs to the analyte whose effect site is state `c`.
fn iv_share(sys: &LinearSystem, c: usize, b: &DVector<f64>) -> f64 {
    sys.analytes
        .iter()
        .find(|a| a.effect == c)
        .map_or(0.0, |a| b[a.central])
}

/// How one target of a TCI session was met by the simulated patient (on the output grid).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TargetOutcome {
    /// The target applies from, min.
    pub from_min: f64,
    /// Until, min (the next step or the end of the session).
    pub to_min: f64,
    /// The target, in its unit (`unit`).
    pub target: f64,
    /// A concentration target in µM of the administered drug (`None` for occupancy).
    pub target_um: Option<f64>,
    /// First output time within 1 % of the target, approached from below (a rise) or above
    /// (a fall), min; `None` if not within the step.
    pub reached_at_min: Option<f64>,
    /// `reached_at_min − from_min`, min.
    pub time_to_target_min: Option<f64>,
    /// Largest excursion past the target once reached — above it after a rise, below it after
    /// a fall — % of the target (0: none; `None` for a target of 0).
    pub overshoot_percent: Option<f64>,
}

/// What a TCI session gave and achieved.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TciOutcome {
    /// Index of the regimen item.
    pub item: usize,
    /// What the pump targeted.
    pub target: TciTarget,
    /// Unit of the targets: `ng/mL`, or `%` (occupancy, model-derived).
    pub unit: String,
    /// Start of the session, min.
    pub start_min: f64,
    /// End, min.
    pub end_min: f64,
    /// Each target step.
    pub steps: Vec<TargetOutcome>,
    /// Rate during the first update interval, mg/h.
    pub first_rate_mg_per_h: f64,
    /// Total amount given, mg of base.
    pub dose_mg: f64,
    /// Total volume given, mL.
    pub volume_ml: f64,
    /// For an occupancy target: the drug's effect-site concentration that alone gives the
    /// first target, ng/mL (model-derived).
    pub implied_ce_ng_per_ml: Option<f64>,
}

/// Band around a target within which it counts as reached (1 %).
pub const REACHED_BAND: f64 = 0.01;

/// The outcome of each pump session of `run` for the simulated series: `y` is the targeted
/// quantity on the grid `t` (plasma or effect-site ng/mL of the drug, or occupancy in %);
/// `um_per_ng_per_ml` converts the drug's concentrations to µM.
pub fn outcomes(
    run: &PreparedRun,
    t: &[f64],
    um_per_ng_per_ml: f64,
    y_of: impl Fn(TciTarget) -> Vec<f64>,
) -> Vec<TciOutcome> {
    run.pumps
        .iter()
        .map(|p| {
            let y = y_of(p.target);
            let item = &run.scenario.regimen[p.item];
            let sched = target_schedule(item);
            let steps = sched
                .iter()
                .enumerate()
                .map(|(k, &(from, target))| {
                    let from_abs = p.start_min + from;
                    let to_abs = sched.get(k + 1).map_or(p.end_min, |s| p.start_min + s.0);
                    let idx: Vec<usize> = (0..t.len())
                        .filter(|&i| {
                            t[i] >= from_abs - TIME_EPS_MIN && t[i] < to_abs - TIME_EPS_MIN
                        })
                        .collect();
                    let y0 = idx.first().map_or(0.0, |&i| y[i]);
                    let rising = y0 <= target;
                    let reached = |v: f64| {
                        if target <= 0.0 {
                            v <= REACHED_BAND * y0
                        } else if rising {
                            v >= (1.0 - REACHED_BAND) * target
                        } else {
                            v <= (1.0 + REACHED_BAND) * target
                        }
                    };
                    let first = idx.iter().copied().find(|&i| reached(y[i]));
                    // past the target: above it after a rise, below it after a fall
                    let overshoot = (target > 0.0).then(|| {
                        first.map_or(0.0, |f| {
                            idx.iter()
                                .filter(|&&i| i >= f)
                                .map(|&i| {
                                    let past = if rising { y[i] - target } else { target - y[i] };
                                    past / target * 100.0
                                })
                                .fold(0.0, f64::max)
                        })
                    });
                    TargetOutcome {
                        from_min: from_abs,
                        to_min: to_abs,
                        target,
                        target_um: (p.target != TciTarget::Occupancy)
                            .then_some(target * um_per_ng_per_ml),
                        reached_at_min: first.map(|i| t[i]),
                        time_to_target_min: first.map(|i| t[i] - from_abs),
                        overshoot_percent: overshoot,
                    }
                })
                .collect();
            TciOutcome {
                item: p.item,
                target: p.target,
                unit: p.target.unit().into(),
                start_min: p.start_min,
                end_min: p.end_min,
                steps,
                first_rate_mg_per_h: p.segments.first().map_or(0.0, |s| s.rate_mg_per_h),
                dose_mg: p.dose_mg,
                volume_ml: p.volume_ml,
                implied_ce_ng_per_ml: p.implied_ce_ng_per_ml,
            }
        })
        .collect()
}

/// The pumps' total rate on the grid `t`: `(mg/h, mL/h)` (empty without a pump).
pub fn rates_on_grid(pumps: &[PumpProfile], t: &[f64]) -> (Vec<f64>, Vec<f64>) {
    if pumps.is_empty() {
        return (Vec::new(), Vec::new());
    }
    t.iter()
        .map(|&tk| {
            pumps.iter().fold((0.0, 0.0), |(mg, ml), p| {
                let r = p.rate_at(tk);
                (mg + r, ml + r / p.syringe_mg_per_ml)
            })
        })
        .unzip()
}
