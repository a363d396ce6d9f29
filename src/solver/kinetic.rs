//! Kinetic receptor binding on top of the exact propagator (method `exact_kinetic`).
//!
//! The linear states `x` (compartments, effect sites) do not depend on the bound fractions, so
//! they are propagated exactly, `x(t+h) = Φ(h)·x(t) + Γ(h)·u`, as in [`super::exact`]. Given
//! the effect-site states, the bound fractions obey a small **linear, time-varying** system,
//!
//! `dB/dt = k(t)∘(1 − ΣB) − koff∘B = k(t) − M(t)·B`, with `M(t) = diag(koff) + k(t)·1ᵀ`,
//!
//! where `k_i(t) = kon_i·Cu_i(t)` is proportional to effect-site state `i`. `M` has real
//! positive eigenvalues (a rank-one update of a positive diagonal) as large as `koff + Σk`:
//! with a fast binding half-time or a high concentration the system is stiff.
//!
//! # The method: Hermite–Obreschkoff (2, 3), order 5, with an embedded (1, 3), order 4
//!
//! A Hermite–Obreschkoff formula relates the solution and its derivatives at the two ends of
//! a step (Obreschkoff 1940; Hairer, Nørsett & Wanner, *Solving ODEs I*, §II.13). The `(2, 3)`
//! formula,
//!
//! `B₁ − ³⁄₅h·B₁' + ³⁄₂₀h²·B₁'' − ¹⁄₆₀h³·B₁''' = B₀ + ²⁄₅h·B₀' + ¹⁄₂₀h²·B₀''`,
//!
//! has **order 5**, and on `y' = λy` it is the (2, 3) Padé approximant of `e^{hλ}`: it is
//! **L-stable** (Ehle 1968), so it is stable for any `koff` and any concentration and its
//! steps follow accuracy, not stiffness. It is implicit, but the system is linear in `B`:
//! every derivative at the step end is affine in `B₁`
//! (`B₁' = k₁ − M₁·B₁`, `B₁'' = k₁' − M₁'·B₁ − M₁·B₁'`, …), so the step is one small linear
//! solve (a division for one ligand), no iteration. The derivatives of `k` come exactly
//! from the linear system: `Cu'` from `A·x + u`, `Cu''` from `A·(A·x + u)`; the method uses
//! nothing but the two step ends, where the linear states are exact, so no interpolated
//! concentration enters. As the formula has no internal stages, it has no order reduction on
//! stiff, time-varying problems: on `y' = −λ(y − g) + g'` its error is its non-stiff
//! truncation error on the smooth `g`, divided by the Padé denominator `D(hλ) ≥ 1`; when `B`
//! follows its quasi-equilibrium (fast binding), a step is as long as the accuracy of that
//! smooth curve allows.
//!
//! **Error control** against the exact effect site: the `(1, 3)` formula
//! (`B₁ − ³⁄₄h·B₁' + ¼h²·B₁'' − ¹⁄₂₄h³·B₁''' = B₀ + ¼h·B₀'`, order 4, also L-stable) on the same
//! data gives a second solution; their difference estimates the local error, which is held
//! below `¼·rtol·|B| + 10⁻¹⁵` per bound fraction in the root-mean-square norm, and the step
//! goes on with the order-5 solution. The ¼: with fast binding and long steps both formulas
//! are damped by about the same `D(hλ)`, so their difference is about the error itself rather
//! than a bound far above it. A rejected step is retried shorter. Step lengths are the output
//! interval divided by a power of two, so the propagators `Φ(h), Γ(h)` of the few lengths in
//! use are computed once and reused (the grid step and its halvings run through fixed-size
//! arrays); every dose event is a step end.
//!
//! **Steps longer than the output interval** (one ligand): where the bound fraction is smooth
//! on the scale of several grid steps, a step spans `2, 4, …, 32` of them (propagator
//! `Φ(2^p·dt)` by squaring), with the same formulas and error test, provided `λh ≤ 2`
//! (`λ = k + koff`) at both ends. The output points inside take the linear states from the
//! grid step's propagator (exact) and the bound fraction from the step's quintic Hermite
//! interpolant, which matches `B`, `B'`, `B''` at both ends: its own error constant
//! (`1/46 080`) is below the step's (`1/7 200`), and with `λh ≤ 2` the end values' errors
//! enter it barely amplified.
//!
//! On the benchmark workload (a 3-compartment model with effect site, 0.5 mg/kg over 40 min,
//! half-time 10 min, 361 points, rtol 1e-6) it takes about 150 steps (78 in the 40-min
//! infusion, where the fraction rises from zero and is held relative to itself) and is within
//! 3e-8 of Dopri5 at rtol 1e-11; every preset × half-time 0.1–10 000 min × horizon up to
//! 180 days stays within 1e-6 (`tests/suite/kinetic.rs`, `docs/benchmarks.md`).
//!
//! # Example
//!
//! `auto` resolves to this method when binding is kinetic; Dopri5 stays selectable as the
//! independent check:
//!
//! ```
//! use ketasim::pd::Binding;
//! use ketasim::scenario::Method;
//! use ketasim::{presets, simulate};
//!
//! let mut sc = presets::get("antidepressant_40min")?.scenario;
//! sc.pd.binding = Binding::Kinetic { half_time_min: 10.0 };
//! let result = simulate(&sc)?; // rtol 1e-6 (the default)
//! assert_eq!(result.method, Method::ExactKinetic);
//!
//! sc.solver.method = Method::Dopri5;
//! (sc.solver.rtol, sc.solver.atol) = (1e-11, 1e-15);
//! let reference = simulate(&sc)?;
//! let peak = reference.metrics.occupancy_max;
//! for (b, r) in result.occupancy.iter().zip(&reference.occupancy) {
//!     assert!((b - r).abs() <= 1e-6 * r.max(1e-6 * peak)); // relative error ≤ 1e-6
//! }
//! # Ok::<(), ketasim::Error>(())
//! ```

use super::exact::{copy_small, propagator_chain, ExactStepper};
use super::{Segment, Stepper};
use crate::error::{Error, Result};
use crate::pd::BindingRhs;
use nalgebra::{DMatrix, DVector};

/// Finest step: the output interval / 2^LEVELS.
const LEVELS: u32 = 40;
/// Steps per interval at the finest level, as an integer position counter.
const FULL: u64 = 1 << LEVELS;

/// Levels computed with the grid step's propagator (`dt/2^j`, `j ≤ FIRST_LEVELS`): a drug-free
/// start takes its first steps at `dt/128` (the bound fraction rises like `t³` and is held
/// relative to itself; see [`Control::reject`]), and the one scaling-and-squaring chain down
/// to there costs about what the grid step's alone does, where computing the fine level
/// later costs a second series.
const FIRST_LEVELS: u32 = 7;

/// Absolute floor of the error scale of a bound fraction: the control is relative
/// (`rtol·|B|`) down to fractions of this size (a fraction has no absolute scale of its own,
/// and a small occupancy matters relative to itself).
pub const B_FLOOR: f64 = 1e-15;

/// The local error estimate is held below this fraction of the tolerance. Where binding is
/// fast and a step long (λh ≫ 1), both formulas are damped alike and their difference is
/// about the error itself, not a bound far above it; the last steps' local errors are then
/// the global error, so a quarter of the tolerance keeps it below `rtol` (measured: the
/// worst case of the release matrix went from 1.0e-6 to a few 1e-7 for ~4 % more steps).
const SAFETY: f64 = 0.25;

/// The Hermite–Obreschkoff formula `(m, n)`:
/// `Σⱼ (−1)ʲ c(n, m)ⱼ hʲ B₁⁽ʲ⁾ = Σⱼ c(m, n)ⱼ hʲ B₀⁽ʲ⁾` with
/// `c(m, n)ⱼ = m!(m+n−j)! / ((m+n)! j! (m−j)!)`. `(2, 3)`, the step-end side, `j = 1, 2, 3`:
const HI_END: [f64; 3] = [3.0 / 5.0, 3.0 / 20.0, 1.0 / 60.0];
/// `(2, 3)`, the step-start side, `j = 1, 2`.
const HI_START: [f64; 2] = [2.0 / 5.0, 1.0 / 20.0];
/// `(1, 3)`, the step-end side, `j = 1, 2, 3`.
const LO_END: [f64; 3] = [3.0 / 4.0, 1.0 / 4.0, 1.0 / 24.0];
/// `(1, 3)`, the step-start side, `j = 1`.
const LO_START: f64 = 1.0 / 4.0;

/// `k`, `k'` and `k''` of every ligand at one time.
#[derive(Debug, Clone)]
struct Rates {
    k: Vec<f64>,
    d1: Vec<f64>,
    d2: Vec<f64>,
}

impl Rates {
    fn new(nb: usize) -> Self {
        Rates {
            k: vec![0.0; nb],
            d1: vec![0.0; nb],
            d2: vec![0.0; nb],
        }
    }
}

/// Scratch space of one step: the step-end derivatives `B₁⁽ʲ⁾ = pⱼ + Qⱼ·B₁` (`j = 1, 2, 3`;
/// `Q` row-major `nb × nb`), the linear system and the step-start derivatives.
#[derive(Debug, Clone)]
struct Work {
    p: [Vec<f64>; 3],
    q: [Vec<f64>; 3],
    /// Column sums of `Q₁`, `Q₂`.
    cs: [Vec<f64>; 2],
    mat: Vec<f64>,
    db0: Vec<f64>,
    d2b0: Vec<f64>,
}

impl Work {
    fn new(nb: usize) -> Self {
        let v = || vec![0.0; nb];
        let m = || vec![0.0; nb * nb];
        Work {
            p: [v(), v(), v()],
            q: [m(), m(), m()],
            cs: [v(), v()],
            mat: m(),
            db0: v(),
            d2b0: v(),
        }
    }
}

/// `B'` and `B''` at a known state `b` with rates `r` (`k''` unused).
fn start_derivatives(koff: &[f64], r: &Rates, b: &[f64], d1: &mut [f64], d2: &mut [f64]) {
    let free = 1.0 - b.iter().sum::<f64>();
    for i in 0..b.len() {
        d1[i] = r.k[i] * free - koff[i] * b[i];
    }
    let s1: f64 = d1.iter().sum();
    for i in 0..b.len() {
        d2[i] = r.d1[i] * free - r.k[i] * s1 - koff[i] * d1[i];
    }
}

/// Solves the dense `n × n` system `a·x = b` (row-major `a`, overwritten; `x` into `b`) by
/// Gaussian elimination with partial pivoting; `false` when a pivot is not safely non-zero.
fn solve_dense(n: usize, a: &mut [f64], b: &mut [f64]) -> bool {
    let scale = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if !(scale.is_finite() && scale > 0.0) {
        return false;
    }
    for c in 0..n {
        let mut p = c;
        for i in c + 1..n {
            if a[i * n + c].abs() > a[p * n + c].abs() {
                p = i;
            }
        }
        if a[p * n + c].abs() <= 1e-13 * scale {
            return false;
        }
        if p != c {
            for j in 0..n {
                a.swap(c * n + j, p * n + j);
            }
            b.swap(c, p);
        }
        for i in c + 1..n {
            let f = a[i * n + c] / a[c * n + c];
            if f != 0.0 {
                for j in c..n {
                    a[i * n + j] -= f * a[c * n + j];
                }
                b[i] -= f * b[c];
            }
        }
    }
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|j| a[c * n + j] * b[j]).sum();
        b[c] = (b[c] - s) / a[c * n + c];
    }
    b.iter().all(|v| v.is_finite())
}

/// The coefficients of both formulas for one step length `h` (computed when the length
/// changes, not at every step).
#[derive(Debug, Clone, Copy)]
struct HoConst {
    /// The step `h = delta / 2^j`.
    delta: f64,
    j: u32,
    h: f64,
    /// `(2, 3)`: `HI_END[j]·hʲ⁺¹`, `HI_START[j]·hʲ⁺¹`.
    hi_end: [f64; 3],
    hi_start: [f64; 2],
    /// `(1, 3)`: `LO_END[j]·hʲ⁺¹`, `LO_START·h`.
    lo_end: [f64; 3],
    lo_start: f64,
}

impl HoConst {
    fn new(delta: f64, j: u32) -> Self {
        let h = delta / (1u64 << j) as f64;
        let hp = [h, h * h, h * h * h];
        HoConst {
            delta,
            j,
            h,
            hi_end: [HI_END[0] * hp[0], HI_END[1] * hp[1], HI_END[2] * hp[2]],
            hi_start: [HI_START[0] * hp[0], HI_START[1] * hp[1]],
            lo_end: [LO_END[0] * hp[0], LO_END[1] * hp[1], LO_END[2] * hp[2]],
            lo_start: LO_START * hp[0],
        }
    }
}

/// One step of one ligand (the scalar case of [`ho_step`]): the `(2, 3)` and `(1, 3)`
/// solutions and the derivatives the step used, for the dense output.
#[derive(Debug, Clone, Copy)]
struct ScalarStep {
    /// The `(2, 3)` solution (order 5).
    hi: f64,
    /// The `(1, 3)` solution (order 4).
    lo: f64,
    /// `B'` and `B''` at the step start.
    db0: f64,
    d2b0: f64,
    /// `B₁' = p1 + q1·B₁`, `B₁'' = p2 + q2·B₁` at the step end.
    p1: f64,
    q1: f64,
    p2: f64,
    q2: f64,
}

impl ScalarStep {
    /// The quintic Hermite interpolant at `θ ∈ [0, 1]` of a step of length `h` from `b0` to
    /// `self.hi`: it matches `B`, `B'` and `B''` at both ends, so its error is
    /// `h⁶·B⁽⁶⁾·θ³(1−θ)³/720` (at most `h⁶·B⁽⁶⁾/46 080`, below the step's own error
    /// constant `1/7 200`) plus the end values' errors, which enter through `B₁'` and `B₁''`
    /// multiplied by `λh` and `(λh)²` times basis functions below 0.1; hence the bound on
    /// `λh` of the long steps ([`DENSE_LAMBDA_H`]).
    ///
    /// Returned as the coefficients `c` of `B(t₀ + θh) ≈ Σₖ cₖ θᵏ`, to evaluate by [`horner`].
    #[inline(always)]
    fn dense(&self, b0: f64, h: f64) -> [f64; 6] {
        let b1 = self.hi;
        let jump = b1 - b0;
        let (d0, d1) = (h * self.db0, h * (self.p1 + self.q1 * b1));
        let (s0, s1) = (h * h * self.d2b0, h * h * (self.p2 + self.q2 * b1));
        // the quintic Hermite basis in powers of θ:
        // H₀ + H₅ = 1, H₅ = 10θ³ − 15θ⁴ + 6θ⁵, H₁ = θ − 6θ³ + 8θ⁴ − 3θ⁵,
        // H₄ = −4θ³ + 7θ⁴ − 3θ⁵, H₂ = (θ² − 3θ³ + 3θ⁴ − θ⁵)/2, H₃ = (θ³ − 2θ⁴ + θ⁵)/2
        [
            b0,
            d0,
            0.5 * s0,
            10.0 * jump - 6.0 * d0 - 4.0 * d1 - 1.5 * s0 + 0.5 * s1,
            -15.0 * jump + 8.0 * d0 + 7.0 * d1 + 1.5 * s0 - s1,
            6.0 * jump - 3.0 * (d0 + d1) - 0.5 * (s0 - s1),
        ]
    }
}

/// `Σₖ cₖ θᵏ`.
#[inline(always)]
fn horner(c: &[f64; 6], th: f64) -> f64 {
    c[0] + th * (c[1] + th * (c[2] + th * (c[3] + th * (c[4] + th * c[5]))))
}

/// One step of one ligand (the scalar case of [`ho_step`]): from `b0` with `[k, k']` at the
/// start and `[k, k', k'']` at the end; `None` when a denominator is not safely positive (the
/// rate changes too much within the step).
#[inline(always)]
fn ho_scalar(kf: f64, b0: f64, r0: [f64; 2], r1: [f64; 3], c: &HoConst) -> Option<ScalarStep> {
    let free = 1.0 - b0;
    let db = r0[0] * free - kf * b0;
    let d2b = r0[1] * free - (r0[0] + kf) * db;
    let [k, k1, k2] = r1;
    // B₁⁽ʲ⁾ = pⱼ + qⱼ·B₁
    let lam = k + kf;
    let (p1, q1) = (k, -lam);
    let (p2, q2) = (k1 - lam * p1, -k1 - lam * q1);
    let (p3, q3) = (
        k2 - 2.0 * k1 * p1 - lam * p2,
        -k2 - 2.0 * k1 * q1 - lam * q2,
    );
    let [e1, e2, e3] = c.hi_end;
    let den_hi = 1.0 - e1 * q1 + e2 * q2 - e3 * q3;
    let num_hi = b0 + c.hi_start[0] * db + c.hi_start[1] * d2b + e1 * p1 - e2 * p2 + e3 * p3;
    let [e1, e2, e3] = c.lo_end;
    let den_lo = 1.0 - e1 * q1 + e2 * q2 - e3 * q3;
    let num_lo = b0 + c.lo_start * db + e1 * p1 - e2 * p2 + e3 * p3;
    // with a constant k both are ≥ 1; a rate that changes too much within the step can drive
    // them towards zero
    if !(den_hi > 0.5 && den_lo > 0.5) {
        return None;
    }
    let inv = 1.0 / (den_hi * den_lo);
    Some(ScalarStep {
        hi: num_hi * den_lo * inv,
        lo: num_lo * den_hi * inv,
        db0: db,
        d2b0: d2b,
        p1,
        q1,
        p2,
        q2,
    })
}

/// One step of length `h` from `b0` (rates `r0` at the start, `r1` at the end): the
/// Hermite–Obreschkoff `(2, 3)` solution (order 5) into `hi`, the `(1, 3)` solution (order 4)
/// into `lo`. `false` when a system is (nearly) singular: the step must be shortened.
#[allow(clippy::too_many_arguments)]
fn ho_step(
    koff: &[f64],
    r0: &Rates,
    r1: &Rates,
    h: f64,
    b0: &[f64],
    hi: &mut [f64],
    lo: &mut [f64],
    w: &mut Work,
) -> bool {
    let nb = koff.len();
    let (h2, h3) = (h * h, h * h * h);
    if nb == 1 {
        let r1 = [r1.k[0], r1.d1[0], r1.d2[0]];
        return match ho_scalar(koff[0], b0[0], [r0.k[0], r0.d1[0]], r1, &HoConst::new(h, 0)) {
            Some(s) if s.hi.is_finite() && s.lo.is_finite() => {
                hi[0] = s.hi;
                lo[0] = s.lo;
                true
            }
            _ => false,
        };
    }
    start_derivatives(koff, r0, b0, &mut w.db0, &mut w.d2b0);
    // with S = 1ᵀB₁: B₁' = k − k·S − D·B₁, B₁'' = k' − k'·S − k·S' − D·B₁',
    // B₁''' = k'' − k''·S − 2k'·S' − k·S'' − D·B₁'', each as pⱼ + Qⱼ·B₁
    let (k, kd1, kd2) = (&r1.k, &r1.d1, &r1.d2);
    for i in 0..nb {
        w.p[0][i] = k[i];
        for j in 0..nb {
            w.q[0][i * nb + j] = -k[i] - if i == j { koff[i] } else { 0.0 };
        }
    }
    let sum_p1: f64 = w.p[0].iter().sum();
    for j in 0..nb {
        w.cs[0][j] = (0..nb).map(|i| w.q[0][i * nb + j]).sum();
    }
    for i in 0..nb {
        w.p[1][i] = kd1[i] - k[i] * sum_p1 - koff[i] * w.p[0][i];
        for j in 0..nb {
            w.q[1][i * nb + j] = -kd1[i] - k[i] * w.cs[0][j] - koff[i] * w.q[0][i * nb + j];
        }
    }
    let sum_p2: f64 = w.p[1].iter().sum();
    for j in 0..nb {
        w.cs[1][j] = (0..nb).map(|i| w.q[1][i * nb + j]).sum();
    }
    for i in 0..nb {
        w.p[2][i] = kd2[i] - 2.0 * kd1[i] * sum_p1 - k[i] * sum_p2 - koff[i] * w.p[1][i];
        for j in 0..nb {
            w.q[2][i * nb + j] = -kd2[i]
                - 2.0 * kd1[i] * w.cs[0][j]
                - k[i] * w.cs[1][j]
                - koff[i] * w.q[1][i * nb + j];
        }
    }
    for (high, out) in [(true, hi), (false, lo)] {
        let end = if high { HI_END } else { LO_END };
        let c = [end[0] * h, end[1] * h2, end[2] * h3];
        for i in 0..nb {
            for j in 0..nb {
                let id = if i == j { 1.0 } else { 0.0 };
                w.mat[i * nb + j] = id - c[0] * w.q[0][i * nb + j] + c[1] * w.q[1][i * nb + j]
                    - c[2] * w.q[2][i * nb + j];
            }
            let start = if high {
                HI_START[0] * h * w.db0[i] + HI_START[1] * h2 * w.d2b0[i]
            } else {
                LO_START * h * w.db0[i]
            };
            out[i] = b0[i] + start + c[0] * w.p[0][i] - c[1] * w.p[1][i] + c[2] * w.p[2][i];
        }
        if !solve_dense(nb, &mut w.mat, out) {
            return false;
        }
    }
    true
}

/// The propagator of one step length in fixed-size arrays (zero-padded to `M` states: 4, 8,
/// 16 or 32; each size is a separate instance of the stepper, so few of them keep the
/// WebAssembly module small).
struct Level<const M: usize> {
    /// Columns of `Φ(h)`.
    phi: [[f64; M]; M],
    /// Columns of `Γ(h)`.
    gamma: [[f64; M]; M],
    /// `Γ(h)·u` of the current interval.
    g: [f64; M],
}

impl<const M: usize> Level<M> {
    fn new(m: usize, phi: &[f64], gamma: &[f64], u: &[f64]) -> Self {
        let mut l = Level {
            phi: [[0.0; M]; M],
            gamma: [[0.0; M]; M],
            g: [0.0; M],
        };
        for j in 0..m {
            l.phi[j][..m].copy_from_slice(&phi[j * m..(j + 1) * m]);
            l.gamma[j][..m].copy_from_slice(&gamma[j * m..(j + 1) * m]);
        }
        l.set_input(u);
        l
    }

    fn set_input(&mut self, u: &[f64]) {
        let mut g = [0.0; M];
        for (col, &uj) in self.gamma.iter().zip(u) {
            for (gi, c) in g.iter_mut().zip(col) {
                *gi += c * uj;
            }
        }
        self.g = g;
    }

    /// The propagator of twice the step.
    fn squared(&self) -> Self {
        let mut l = Level {
            phi: [[0.0; M]; M],
            gamma: self.gamma,
            g: [0.0; M],
        };
        for j in 0..M {
            for (k, &pkj) in self.phi[j].iter().enumerate() {
                for i in 0..M {
                    l.phi[j][i] += self.phi[k][i] * pkj;
                }
            }
            for (k, &gkj) in self.gamma[j].iter().enumerate() {
                for i in 0..M {
                    l.gamma[j][i] += self.phi[k][i] * gkj;
                }
            }
        }
        l
    }

    #[inline]
    fn step(&self, x: &[f64; M], with_input: bool) -> [f64; M] {
        let mut y = if with_input { self.g } else { [0.0; M] };
        for (col, &xj) in self.phi.iter().zip(x) {
            for (yi, c) in y.iter_mut().zip(col) {
                *yi += c * xj;
            }
        }
        y
    }
}

/// The linear states and everything that depends on their number, in fixed-size arrays:
/// the propagators of the grid step `dt` and of `dt/2, dt/4, …` (level `j` is `dt/2^j`; the
/// levels that scaling and squaring passes through when computing `Φ(dt)` come for free,
/// finer ones are computed when first needed), the ligands' effect-site rows of `A` and `A²`,
/// the state `x` and the candidate `x1` of the step being tried.
struct Kern<const M: usize> {
    m: usize,
    dt: f64,
    /// The system matrix, column-major `m × m` (for finer levels).
    a: Vec<f64>,
    levels: Vec<Option<Level<M>>>,
    /// The propagators of `2·dt, 4·dt, …` (index `p − 1` is `2^p·dt`), for the long steps of
    /// one ligand; computed by squaring when first needed.
    coarse: Vec<Level<M>>,
    /// The current input (zero-padded).
    u: [f64; M],
    r1: Vec<[f64; M]>,
    r2: Vec<[f64; M]>,
    x: [f64; M],
    x1: [f64; M],
    /// The coefficients of the last step of one ligand.
    hc: HoConst,
}

/// What the driver needs from [`Kern`], for any `M`. The whole step-size control of an
/// interval runs inside [`Linear::interval`], compiled once per size, so a step calls nothing
/// through the trait object.
trait Linear {
    fn m(&self) -> usize;
    fn set_input(&mut self, u: &[f64]);
    /// `x ← x[..m]`, and `x[..m] ← x` (the driver's vector).
    fn load(&mut self, x: &[f64]);
    fn store(&self, x: &mut [f64]);
    /// `(A·u)` at each ligand's effect site.
    fn au(&self, au: &mut [f64]);
    /// Integrates one segment (constant input): the linear states from the kernel's `x`, `b`
    /// the bound fractions, writing the `n` states at each output time into `rec`; `lin`
    /// steps the intervals that are not the grid step.
    fn segment(
        &mut self,
        c: &mut Control,
        lin: &mut ExactStepper,
        seg: &Segment,
        b: &mut [f64],
        rec: &mut [f64],
        n: usize,
    ) -> Result<()>;
}

impl<const M: usize> Kern<M> {
    /// The kernel of the system `a` (column-major `m × m`) with output step `dt` and the
    /// ligands' effect-site rows of `A` and `A²`, its levels `0 ..= FIRST_LEVELS` from one
    /// scaling-and-squaring chain; also returns `Φ(dt)`, `Γ(dt)`.
    #[allow(clippy::type_complexity)]
    fn new(
        m: usize,
        dt: f64,
        a: &[f64],
        rows: &[(Vec<f64>, Vec<f64>)],
    ) -> Result<(Box<Self>, Vec<f64>, Vec<f64>)> {
        let mut k = Box::new(Kern {
            m,
            dt,
            a: a.to_vec(),
            levels: Vec::with_capacity(FIRST_LEVELS as usize + 1),
            coarse: Vec::new(),
            u: [0.0; M],
            r1: Vec::with_capacity(rows.len()),
            r2: Vec::with_capacity(rows.len()),
            x: [0.0; M],
            x1: [0.0; M],
            hc: HoConst::new(f64::NAN, 0),
        });
        let levels = &mut k.levels;
        let (phi, gamma) = propagator_chain(m, a, dt, FIRST_LEVELS, &mut |j, p, g| {
            let j = j as usize;
            if levels.len() <= j {
                levels.resize_with(j + 1, || None);
            }
            levels[j] = Some(Level::new(m, p, g, &[]));
        })?;
        if k.levels.is_empty() {
            k.levels.push(None);
        }
        k.levels[0] = Some(Level::new(m, &phi, &gamma, &[]));
        for (r1, r2) in rows {
            let mut a = [0.0; M];
            let mut b = [0.0; M];
            a[..m].copy_from_slice(r1);
            b[..m].copy_from_slice(r2);
            k.r1.push(a);
            k.r2.push(b);
        }
        Ok((k, phi, gamma))
    }

    /// The propagator of level `j`, computed when first needed: by squaring the nearest finer
    /// level (`Φ(2h) = Φ(h)²`, `Γ(2h) = Γ(h) + Φ(h)·Γ(h)`), or else by the Taylor series with
    /// scaling and squaring (whose intermediate levels are kept too).
    #[inline]
    fn level(&mut self, j: u32) -> Result<&Level<M>> {
        let j = j as usize;
        if self.levels.get(j).is_none_or(Option::is_none) {
            self.fill(j)?;
        }
        self.levels[j]
            .as_ref()
            .ok_or_else(|| missing_level(j as u32))
    }

    #[cold]
    fn fill(&mut self, j: usize) -> Result<()> {
        if self.levels.len() <= j {
            self.levels.resize_with(j + 1, || None);
        }
        let m = self.m;
        let finer = (j + 1..self.levels.len()).find(|&i| self.levels[i].is_some());
        match finer {
            Some(mut i) => {
                while i > j {
                    let l = self.levels[i].as_ref().map(Level::squared);
                    i -= 1;
                    if let Some(mut l) = l {
                        l.set_input(&self.u[..m]);
                        self.levels[i] = Some(l);
                    }
                }
            }
            None => {
                let h = self.dt / (1u64 << j) as f64;
                let mut finer = Vec::new();
                let (phi, gamma) = propagator_chain(m, &self.a, h, 0, &mut |i, p, g| {
                    finer.push((j + i as usize, p.to_vec(), g.to_vec()));
                })?;
                finer.push((j, phi, gamma));
                for (i, phi, gamma) in finer {
                    if self.levels.len() <= i {
                        self.levels.resize_with(i + 1, || None);
                    }
                    self.levels[i] = Some(Level::new(m, &phi, &gamma, &self.u[..m]));
                }
            }
        }
        Ok(())
    }

    /// The propagator of `2^p` grid steps (`p ≥ 1`), computed when first needed by squaring.
    #[inline]
    fn coarse(&mut self, p: u32) -> Result<&Level<M>> {
        while self.coarse.len() < p as usize {
            let mut next = match self.coarse.last() {
                Some(l) => l.squared(),
                None => self.level(0)?.squared(),
            };
            next.set_input(&self.u[..self.m]);
            self.coarse.push(next);
        }
        Ok(&self.coarse[p as usize - 1])
    }

    /// One ligand, at the start of interval `first` of the segment (the intervals run between
    /// `t0`, the output times and `t1`): when the controller proposes at least two grid
    /// steps, tries one step over the next `2^p` intervals (`p ≥ 1`; each of them a whole
    /// grid step, `p ≤` [`DENSE_MAX_P`], `λh ≤` [`DENSE_LAMBDA_H`] at both ends), with the
    /// same formulas and error test as a short step, and writes the rows of the output times
    /// it spans: the linear states by the grid step's propagator, the bound fraction by the
    /// step's quintic Hermite interpolant ([`ScalarStep::dense`]). Returns the number of
    /// intervals done; 0 when the caller goes on with [`Kern::interval`] (a rejected long
    /// step leaves a shorter proposal).
    #[allow(clippy::too_many_arguments)]
    fn long_step(
        &mut self,
        c: &mut Control,
        seg: &Segment,
        first: usize,
        b: &mut f64,
        rec: &mut [f64],
        n: usize,
    ) -> Result<usize> {
        let (dt, outs) = (self.dt, seg.outs);
        let knot = |i: usize| match i {
            0 => seg.t0,
            _ if i <= outs.len() => outs[i - 1],
            _ => seg.t1,
        };
        let is_grid = |i: usize| ((knot(i + 1) - knot(i)) - dt).abs() <= 1e-12 * dt;
        // whole grid steps ahead, within the proposal
        let most = ((c.h_target / dt * (1.0 + 1e-9)) as usize).min(1 << DENSE_MAX_P);
        let mut count = 0usize;
        while count < most && first + count <= outs.len() && is_grid(first + count) {
            count += 1;
        }
        if count < 2 {
            return Ok(0);
        }
        if !c.r0_valid {
            self.rates(false, &c.lig, &mut c.r0);
            c.r0_valid = true;
        }
        let (e, kc, koff) = (c.lig.effect[0], c.lig.kon_c[0], c.lig.koff[0]);
        let (ue, au, tol) = (self.u[e], c.lig.au[0], SAFETY * c.rtol);
        let (r0, b0) = ([c.r0.k[0], c.r0.d1[0]], *b);
        let mut p = count.ilog2();
        while p > 0 && (r0[0] + koff) * dt * f64::from(1u32 << p) > DENSE_LAMBDA_H {
            p -= 1;
        }
        while p > 0 {
            let len = 1usize << p;
            let h = dt * len as f64;
            let x0 = self.x;
            let x1 = self.coarse(p)?.step(&x0, !seg.u_zero);
            let r1 = [
                kc * x1[e],
                kc * (dot(&self.r1[0], &x1) + ue),
                kc * (dot(&self.r2[0], &x1) + au),
            ];
            let step = ho_scalar(koff, b0, r0, r1, &HoConst::new(h, 0));
            let (h5, d) = step.map_or((f64::NAN, f64::NAN), |s| (s.hi, (s.hi - s.lo).abs()));
            let sc = B_FLOOR + tol * super::larger(b0.abs(), h5.abs());
            let stiff = (r1[0] + koff) * h > DENSE_LAMBDA_H;
            match step {
                Some(s) if h5.abs() < f64::INFINITY && d <= sc && !stiff => {
                    // the output times inside the step, then its end (a row unless it is t1)
                    let m = self.m;
                    let poly = s.dense(b0, h);
                    let inv = 1.0 / len as f64;
                    let grid = self.level(0)?;
                    let mut x = x0;
                    let inside = rec[first * n..].chunks_exact_mut(n).take(len - 1);
                    for (i, row) in inside.enumerate() {
                        x = grid.step(&x, !seg.u_zero);
                        copy_small(&mut row[..m], &x);
                        row[m] = horner(&poly, (i + 1) as f64 * inv);
                    }
                    if first + len <= outs.len() {
                        let row = &mut rec[(first + len - 1) * n..(first + len) * n];
                        copy_small(&mut row[..m], &x1);
                        row[m] = h5;
                    }
                    let grow = growth(d, sc);
                    self.x = x1;
                    *b = h5;
                    (c.r0.k[0], c.r0.d1[0], c.r0.d2[0]) = (r1[0], r1[1], r1[2]);
                    c.accepted_steps += 1;
                    c.h_target = h * f64::from(1u32 << grow);
                    return Ok(len);
                }
                _ => {
                    c.rejected_steps += 1;
                    let halvings = if stiff {
                        1
                    } else {
                        let err = if d.is_nan() { f64::INFINITY } else { d / sc };
                        shrink(err, rising(b0.abs(), h5.abs(), r0[0], r0[1]))
                    };
                    c.h_target = h / f64::from(1u32 << halvings);
                    p = p.saturating_sub(halvings);
                }
            }
        }
        Ok(0)
    }

    /// `x1 ←` the state after a step of level `j` (the grid step's levels), or of `h` through
    /// the propagator cache of `lin` (odd intervals).
    #[inline(always)]
    fn propagate(
        &mut self,
        level: Option<u32>,
        h: f64,
        lin: &mut ExactStepper,
        u_zero: bool,
    ) -> Result<()> {
        self.x1 = match level {
            Some(j) => {
                let x = self.x;
                self.level(j)?.step(&x, !u_zero)
            }
            None => {
                let m = self.m;
                let mut xs = self.x;
                lin.step(h, &mut xs[..m], &self.u[..m], u_zero)?;
                xs
            }
        };
        Ok(())
    }

    /// Integrates from `ta` to `tb` (no dose event inside): the linear states in `x`, `b`
    /// the bound fractions.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn interval(
        &mut self,
        c: &mut Control,
        lin: &mut ExactStepper,
        ta: f64,
        tb: f64,
        b: &mut [f64],
        u_zero: bool,
        seg: &Segment,
    ) -> Result<()> {
        let delta = tb - ta;
        if delta <= 0.0 {
            return Ok(());
        }
        let grid_step = (delta - self.dt).abs() <= 1e-12 * self.dt;
        // the coarsest level whose step does not exceed the proposal
        let mut j: u32 = 0;
        let mut h = delta;
        while h > c.h_target * (1.0 + 1e-9) && j < LEVELS {
            j += 1;
            h *= 0.5;
        }
        // k, k' at x: carried from the last accepted step, or computed at a segment start
        if !c.r0_valid {
            self.rates(false, &c.lig, &mut c.r0);
            c.r0_valid = true;
        }
        let mut pos: u64 = 0;
        if let [bv] = b {
            // one ligand: the same steps on scalars, the state in registers, the step's
            // coefficients and propagator looked up only when its length changes, and the
            // error compared with its scale without a division
            let (e, kc, koff) = (c.lig.effect[0], c.lig.kon_c[0], c.lig.koff[0]);
            let (ue, au, tol) = (self.u[e], c.lig.au[0], SAFETY * c.rtol);
            let mut r0 = [c.r0.k[0], c.r0.d1[0]];
            let mut d2 = c.r0.d2[0];
            let mut x = self.x;
            let mut b0 = *bv;
            // the coefficients of the last step length, kept from interval to interval
            let mut hc = self.hc;
            let (mut h_target, mut accepted) = (c.h_target, 0u64);
            while pos < FULL {
                if hc.delta != delta || hc.j != j {
                    hc = HoConst::new(delta, j);
                    if grid_step && self.levels.get(j as usize).is_none_or(Option::is_none) {
                        self.fill(j as usize)?;
                    }
                }
                let x1 = if grid_step {
                    match &self.levels[j as usize] {
                        Some(l) => l.step(&x, !u_zero),
                        None => return Err(missing_level(j)),
                    }
                } else {
                    let mut xs = x;
                    lin.step(hc.h, &mut xs[..self.m], &self.u[..self.m], u_zero)?;
                    xs
                };
                let r1 = [
                    kc * x1[e],
                    kc * (dot(&self.r1[0], &x1) + ue),
                    kc * (dot(&self.r2[0], &x1) + au),
                ];
                let step = ho_scalar(koff, b0, r0, r1, &hc);
                let (h5, d) = step.map_or((f64::NAN, f64::NAN), |s| (s.hi, (s.hi - s.lo).abs()));
                // (a NaN h5 fails the test below whatever the scale)
                let sc = B_FLOOR + tol * super::larger(b0.abs(), h5.abs());
                // NaN (a singular step) and ∞ fail the first test
                if h5.abs() < f64::INFINITY && d <= sc {
                    let grow = growth(d, sc);
                    accepted += 1;
                    h_target = advance(grow, hc.h, &mut j, &mut pos);
                    x = x1;
                    b0 = h5;
                    r0 = [r1[0], r1[1]];
                    d2 = r1[2];
                } else {
                    let err = if d.is_nan() { f64::INFINITY } else { d / sc };
                    let rising = rising(b0.abs(), h5.abs(), r0[0], r0[1]);
                    c.reject(err, rising, delta, &mut j, pos, ta, seg)?;
                    h_target = c.h_target;
                }
            }
            self.x = x;
            self.hc = hc;
            *bv = b0;
            c.h_target = h_target;
            c.accepted_steps += accepted;
            (c.r0.k[0], c.r0.d1[0], c.r0.d2[0]) = (r0[0], r0[1], d2);
            return Ok(());
        }
        while pos < FULL {
            let h = delta / (1u64 << j) as f64;
            self.propagate(grid_step.then_some(j), h, lin, u_zero)?;
            self.rates(true, &c.lig, &mut c.r1);
            let Control {
                lig,
                rtol,
                hi,
                lo,
                r0,
                r1,
                work,
                ..
            } = c;
            let err = if ho_step(&lig.koff, r0, r1, h, b, hi, lo, work) {
                let mut sum = 0.0;
                for ((hi, lo), b0) in hi.iter().zip(lo.iter()).zip(b.iter()) {
                    let sc = B_FLOOR + SAFETY * *rtol * super::larger(b0.abs(), hi.abs());
                    sum += ((hi - lo) / sc) * ((hi - lo) / sc);
                }
                (sum / hi.len() as f64).sqrt()
            } else {
                f64::INFINITY
            };
            // (the sums: the total bound fraction and its rates, for a rejected step)
            let rising = |c: &Control| {
                let total = |v: &[f64]| v.iter().map(|x| x.abs()).sum::<f64>();
                let (k, k1) = (c.r0.k.iter().sum(), c.r0.d1.iter().sum());
                rising(total(b), total(&c.hi), k, k1)
            };
            if c.control(err, rising, h, delta, &mut j, &mut pos, ta, seg)? {
                self.x = self.x1;
                b.copy_from_slice(&c.hi);
                std::mem::swap(&mut c.r0, &mut c.r1);
            }
        }
        Ok(())
    }

    /// `k`, `k'`, `k''` at `x` (or `x1`).
    fn rates(&self, at_x1: bool, lig: &Ligands, r: &mut Rates) {
        let x = if at_x1 { &self.x1 } else { &self.x };
        for i in 0..lig.effect.len() {
            let (e, c) = (lig.effect[i], lig.kon_c[i]);
            r.k[i] = c * x[e];
            r.d1[i] = c * (dot(&self.r1[i], x) + self.u[e]);
            r.d2[i] = c * (dot(&self.r2[i], x) + lig.au[i]);
        }
    }
}

impl<const M: usize> Linear for Kern<M> {
    fn m(&self) -> usize {
        self.m
    }

    fn set_input(&mut self, u: &[f64]) {
        self.u = [0.0; M];
        self.u[..u.len()].copy_from_slice(u);
        for l in self.levels.iter_mut().flatten().chain(&mut self.coarse) {
            l.set_input(u);
        }
    }

    fn load(&mut self, x: &[f64]) {
        self.x = [0.0; M];
        self.x[..x.len()].copy_from_slice(x);
    }

    fn store(&self, x: &mut [f64]) {
        copy_small(x, &self.x);
    }

    fn au(&self, au: &mut [f64]) {
        for (a, r1) in au.iter_mut().zip(&self.r1) {
            *a = dot(r1, &self.u);
        }
    }

    fn segment(
        &mut self,
        c: &mut Control,
        lin: &mut ExactStepper,
        seg: &Segment,
        b: &mut [f64],
        rec: &mut [f64],
        n: usize,
    ) -> Result<()> {
        let m = self.m;
        let outs = seg.outs;
        let mut t = seg.t0;
        // interval i runs from t (t0 or outs[i − 1]) to outs[i] (or t1)
        let mut i = 0;
        while i <= outs.len() {
            if let ([bv], true) = (&mut *b, c.h_target >= 1.999 * self.dt) {
                let done = self.long_step(c, seg, i, bv, rec, n)?;
                if done > 0 {
                    i += done;
                    t = if i <= outs.len() { outs[i - 1] } else { seg.t1 };
                    continue;
                }
            }
            let tg = outs.get(i).copied().unwrap_or(seg.t1);
            self.interval(c, lin, t, tg, b, seg.u_zero, seg)?;
            if let Some(row) = rec.get_mut(i * n..(i + 1) * n) {
                let (rl, rb) = row.split_at_mut(m);
                copy_small(rl, &self.x);
                if let [b] = b {
                    rb[0] = *b;
                } else {
                    rb.copy_from_slice(b);
                }
            }
            t = tg;
            i += 1;
        }
        Ok(())
    }
}

#[inline]
fn dot<const M: usize>(a: &[f64; M], b: &[f64; M]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// For a rejected step: `Some(p)` when the bound fraction rose from (nearly) zero, from `b0` to
/// `b1` (more than a thousandfold), where `p` is the order of its first non-zero derivative at
/// the start: `B' = k(1 − B) − koff·B`, so `k > 0` gives 1, `k = 0 < k'` gives 2, else 3
/// (with several ligands: the total fraction and the sums of their rates). See
/// [`Control::reject`].
fn rising(b0: f64, b1: f64, k: f64, k1: f64) -> Option<u32> {
    (b0 * 1e3 < b1).then_some(if k > 0.0 {
        1
    } else if k1 > 0.0 {
        2
    } else {
        3
    })
}

/// By how many doublings an accepted step with estimate `d` against the scale `sc` grows:
/// `0.9·(d/sc)^(−1/5)` rounded down to a power of two, at most 4× (compared without a
/// division).
#[inline(always)]
fn growth(d: f64, sc: f64) -> u32 {
    if d <= GROW_4 * sc {
        2
    } else {
        u32::from(d <= GROW_2 * sc)
    }
}

/// By how many halvings a rejected step shrinks: `0.9·err^(−1/5)` rounded to a power of two,
/// at least ½ and at most ⅛; `0.9·err^(−1/(5−p))` (at most 2⁻¹⁰) when the bound fraction
/// rose from zero within the step (`rising`, see [`Control::reject`]).
fn shrink(err: f64, rising: Option<u32>) -> u32 {
    match rising {
        Some(p @ 1..=3) if err.is_finite() => {
            let f = 0.9 * err.powf(-1.0 / f64::from(5 - p));
            ((1.0 / f).log2().ceil() as u32).clamp(1, 10)
        }
        _ if err <= SHRINK_2 => 1,
        _ if err <= SHRINK_4 => 2,
        _ => 3,
    }
}

/// After an accepted step of level `j` (length `h`) that ends at position `pos`: moves `pos`
/// on and returns the next proposal, `2^grow` times longer (growth `0.9·err^(−1/5)` in powers
/// of two, at most 4×); the level coarsens only where `pos` is a multiple of the longer step.
#[inline(always)]
fn advance(grow: u32, h: f64, j: &mut u32, pos: &mut u64) -> f64 {
    *pos += 1u64 << (LEVELS - *j);
    for _ in 0..grow {
        if *j > 0 && *pos % (1u64 << (LEVELS - *j + 1)) == 0 {
            *j -= 1;
        }
    }
    h * f64::from(1u32 << grow)
}

/// A propagator that should have been computed is missing (a bug, reported rather than a panic).
#[cold]
fn missing_level(j: u32) -> Error {
    Error::Numerical {
        quantity: "the propagator of a binding step".into(),
        context: format!("level {j}"),
        remedy: "report this as a bug".into(),
    }
}

/// Per ligand: effect-site state, `kon × (state units → unbound brain µM)`, `koff`, and
/// `(A·u)` at the effect site for the current interval.
#[derive(Debug, Clone)]
struct Ligands {
    effect: Vec<usize>,
    kon_c: Vec<f64>,
    koff: Vec<f64>,
    au: Vec<f64>,
}

/// The step-size control and the bound fractions' scratch space, whatever the number of
/// linear states.
struct Control {
    lig: Ligands,
    rtol: f64,
    /// Step length the controller proposes, min.
    h_target: f64,
    accepted_steps: u64,
    rejected_steps: u64,
    /// Whether `r0` holds the rates at the current state.
    r0_valid: bool,
    hi: Vec<f64>,
    lo: Vec<f64>,
    r0: Rates,
    r1: Rates,
    work: Work,
}

impl Control {
    /// Accepts or rejects a step of level `j` (length `h`, error estimate `err`) at position
    /// `pos` of the interval `delta` from `ta`; sets the next level and proposal (`rising`:
    /// [`rising`] of a rejected step). `true` when accepted.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn control(
        &mut self,
        err: f64,
        rising: impl FnOnce(&Self) -> Option<u32>,
        h: f64,
        delta: f64,
        j: &mut u32,
        pos: &mut u64,
        ta: f64,
        seg: &Segment,
    ) -> Result<bool> {
        if err <= 1.0 {
            let grow = growth(err, 1.0);
            self.accept(grow, h, j, pos);
            Ok(true)
        } else {
            let rising = rising(self);
            self.reject(err, rising, delta, j, *pos, ta, seg)?;
            Ok(false)
        }
    }

    /// Accepts a step of level `j` (length `h`) and proposes a `2^grow` times longer one
    /// (growth `0.9·err^(−1/5)`, in powers of two, at most 4×).
    #[inline(always)]
    fn accept(&mut self, grow: u32, h: f64, j: &mut u32, pos: &mut u64) {
        self.accepted_steps += 1;
        self.h_target = advance(grow, h, j, pos);
    }

    /// Shrinks by 0.9·err^(−1/5): at least ½, at most ⅛ (also when the step's system was
    /// singular); an error when the step would be shorter than the finest level.
    ///
    /// `rising`: `Some(p)` when the bound fraction rose from (nearly) zero within the step
    /// (more than a thousandfold), where it grows like `hᵖ` (`p` = the order of its first
    /// non-zero derivative at the step start). The error is held relative to the fraction
    /// itself, so the estimate scales like `h⁵/hᵖ`, not `h⁵`, and the step shrinks by
    /// `0.9·err^(−1/(5−p))` in one go (a drug-free start: `p = 3`, from a 1-min step with an
    /// estimate 5 000× the tolerance straight to 1/128 min, instead of three rejections).
    #[cold]
    #[allow(clippy::too_many_arguments)]
    fn reject(
        &mut self,
        err: f64,
        rising: Option<u32>,
        delta: f64,
        j: &mut u32,
        pos: u64,
        ta: f64,
        seg: &Segment,
    ) -> Result<()> {
        self.rejected_steps += 1;
        *j += shrink(err, rising);
        if *j > LEVELS {
            return Err(Error::Solver {
                t_start_min: seg.t0,
                t_end_min: seg.t1,
                message: format!(
                    "the binding integrator needed a step shorter than {} min near t = {} min \
                     (error estimate {err})",
                    delta / FULL as f64,
                    ta + delta * (pos as f64 / FULL as f64)
                ),
                remedy: "use solver.method 'dopri5'".into(),
            });
        }
        self.h_target = delta / (1u64 << *j) as f64;
        Ok(())
    }
}

/// The `exact_kinetic` stepper: linear states exact, bound fractions by the
/// Hermite–Obreschkoff (2, 3) formula with error control.
///
/// The state is the linear states (`m` of them, at most [`KineticStepper::MAX_LINEAR`])
/// followed by one bound fraction per ligand, the layout of the Dopri5 path.
pub struct KineticStepper {
    /// Intervals other than the grid step (at dose events), through the propagator cache.
    lin: ExactStepper,
    kern: Box<dyn Linear>,
    ctl: Control,
}

impl KineticStepper {
    /// Most linear states supported.
    pub const MAX_LINEAR: usize = 32;

    /// A stepper for the linear system `a` (its states numbered as `binding`'s effect-site
    /// indices) with the bound fractions of `binding`, output step `dt_min` and relative
    /// tolerance `rtol` for the bound fractions (absolute floor [`B_FLOOR`]).
    pub fn new(a: &DMatrix<f64>, dt_min: f64, binding: &BindingRhs, rtol: f64) -> Result<Self> {
        let m = a.nrows();
        if m > Self::MAX_LINEAR {
            return Err(Error::TooLarge {
                what: "linear states of the kinetic-binding path (model states reached by the \
                       inputs)"
                    .into(),
                value: m as u64,
                limit: Self::MAX_LINEAR as u64,
            });
        }
        let nb = binding.n_states();
        let effect: Vec<usize> = binding.ligands.iter().map(|l| l.0).collect();
        let rows: Vec<(Vec<f64>, Vec<f64>)> = effect
            .iter()
            .map(|&e| {
                let r1: Vec<f64> = (0..m).map(|j| a[(e, j)]).collect();
                let r2 = (0..m)
                    .map(|j| (0..m).map(|i| r1[i] * a[(i, j)]).sum())
                    .collect();
                (r1, r2)
            })
            .collect();
        let s = a.as_slice();
        // padding with zeros changes no result (each extra term adds an exact 0), only the
        // work: four sizes, each a separate instance of the small operations of `Linear`
        fn boxed<const M: usize>(
            k: (Box<Kern<M>>, Vec<f64>, Vec<f64>),
        ) -> (Box<dyn Linear>, Vec<f64>, Vec<f64>) {
            (k.0, k.1, k.2)
        }
        let (kern, phi, gamma) = match m {
            0..=4 => boxed(Kern::<4>::new(m, dt_min, s, &rows)?),
            5..=8 => boxed(Kern::<8>::new(m, dt_min, s, &rows)?),
            9..=16 => boxed(Kern::<16>::new(m, dt_min, s, &rows)?),
            _ => boxed(Kern::<32>::new(m, dt_min, s, &rows)?),
        };
        let lin = ExactStepper::with_grid_propagator(a, dt_min, phi, gamma);
        Ok(KineticStepper {
            lin,
            kern,
            ctl: Control {
                lig: Ligands {
                    effect,
                    kon_c: binding.ligands.iter().map(|l| l.2 * l.1).collect(),
                    koff: binding.ligands.iter().map(|l| l.3).collect(),
                    au: vec![0.0; nb],
                },
                rtol,
                h_target: f64::INFINITY,
                accepted_steps: 0,
                rejected_steps: 0,
                r0_valid: false,
                hi: vec![0.0; nb],
                lo: vec![0.0; nb],
                r0: Rates::new(nb),
                r1: Rates::new(nb),
                // one ligand steps on scalars and needs no scratch matrices
                work: Work::new(if nb > 1 { nb } else { 0 }),
            },
        })
    }

    /// Accepted steps so far.
    pub fn accepted_steps(&self) -> u64 {
        self.ctl.accepted_steps
    }

    /// Rejected steps so far.
    pub fn rejected_steps(&self) -> u64 {
        self.ctl.rejected_steps
    }
}

/// Longest step of one ligand: `2^DENSE_MAX_P` grid steps.
const DENSE_MAX_P: u32 = 5;
/// Bound on `λh` (`λ = k + koff`, at both ends) of a step longer than the grid step: the dense
/// output then stays within a small multiple of the step's error (see [`ScalarStep::dense`]).
const DENSE_LAMBDA_H: f64 = 2.0;

/// Error thresholds of the step-size controller (growth `0.9·err^(−1/5)`): grow 4× below
/// `GROW_4`, 2× below `GROW_2`; after a rejection shrink 2× below `SHRINK_2`, 4× below
/// `SHRINK_4`, else 8×.
const GROW_4: f64 = 0.9 * 0.9 * 0.9 * 0.9 * 0.9 / 1024.0;
const GROW_2: f64 = 0.9 * 0.9 * 0.9 * 0.9 * 0.9 / 32.0;
const SHRINK_2: f64 = 0.9 * 0.9 * 0.9 * 0.9 * 0.9 * 32.0;
const SHRINK_4: f64 = 0.9 * 0.9 * 0.9 * 0.9 * 0.9 * 1024.0;

impl Stepper for KineticStepper {
    fn segment(&mut self, seg: &Segment, x: &mut DVector<f64>, rec: &mut [f64]) -> Result<()> {
        let Segment { u, u_zero, .. } = *seg;
        let m = self.kern.m();
        let n = x.len();
        let u = &u.as_slice()[..m];
        self.lin.set_input(u, u_zero);
        self.kern.set_input(u);
        self.kern.au(&mut self.ctl.lig.au);
        // the state may have jumped (a bolus) and k' depends on u
        self.ctl.r0_valid = false;
        let (xs, bs) = x.as_mut_slice().split_at_mut(m);
        self.kern.load(xs);
        let r = self
            .kern
            .segment(&mut self.ctl, &mut self.lin, seg, bs, rec, n);
        self.kern.store(xs);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type RateFn<'a> = &'a dyn Fn(f64) -> [Vec<f64>; 3];

    /// Integrates `B' = k(t)(1 − ΣB) − koff∘B` over `[0, t_end]` with `n` steps of the
    /// `(2, 3)` formula (`low`: of the `(1, 3)` formula); `k` gives `[k, k', k'']`.
    fn integrate(koff: &[f64], k: RateFn, b0: &[f64], t_end: f64, n: usize, low: bool) -> Vec<f64> {
        let nb = koff.len();
        let mut w = Work::new(nb);
        let mut b = b0.to_vec();
        let (mut hi, mut lo) = (vec![0.0; nb], vec![0.0; nb]);
        let h = t_end / n as f64;
        let rates = |t: f64| {
            let [k, d1, d2] = k(t);
            Rates { k, d1, d2 }
        };
        for i in 0..n {
            let t = i as f64 * h;
            assert!(ho_step(
                koff,
                &rates(t),
                &rates(t + h),
                h,
                &b,
                &mut hi,
                &mut lo,
                &mut w
            ));
            b.copy_from_slice(if low { &lo } else { &hi });
        }
        b
    }

    fn observed_orders(errs: &[f64]) -> Vec<f64> {
        errs.windows(2).map(|w| (w[0] / w[1]).log2()).collect()
    }

    #[test]
    fn the_formulas_have_orders_five_and_four_on_a_time_varying_rate() {
        // koff = 0, k(t) = a·e^(−c·t): 1 − B(t) = (1 − B0)·exp(−a(1 − e^(−ct))/c)
        let (a, c) = (0.8, 0.3);
        let k = |t: f64| {
            let e = a * (-c * t).exp();
            [vec![e], vec![-c * e], vec![c * c * e]]
        };
        let exact = 1.0 - 0.9 * (-a * (1.0 - (-c * 5.0f64).exp()) / c).exp();
        for (low, order) in [(false, 5.0), (true, 4.0)] {
            let errs: Vec<f64> = [4, 8, 16, 32]
                .iter()
                .map(|&n| (integrate(&[0.0], &k, &[0.1], 5.0, n, low)[0] - exact).abs())
                .collect();
            for o in observed_orders(&errs) {
                assert!(
                    (o - order).abs() < 0.4,
                    "order {o} (want {order}): {errs:?}"
                );
            }
        }
    }

    #[test]
    fn the_formulas_have_orders_five_and_four_with_competing_ligands() {
        // koff = 0 for both, k_i = a_i·e^(−ct): the total S obeys S' = Σk·(1 − S), and each
        // B_i gets the share a_i/Σa of the increase of S (the general, matrix path)
        let (a, c) = ([0.5, 0.25], 0.2);
        let k = |t: f64| {
            let e = (-c * t).exp();
            [
                a.iter().map(|ai| ai * e).collect(),
                a.iter().map(|ai| -c * ai * e).collect(),
                a.iter().map(|ai| c * c * ai * e).collect(),
            ]
        };
        let sa: f64 = a.iter().sum();
        let s = 1.0 - (-sa * (1.0 - (-c * 4.0f64).exp()) / c).exp();
        let exact = [s * a[0] / sa, s * a[1] / sa];
        for (low, order) in [(false, 5.0), (true, 4.0)] {
            let errs: Vec<f64> = [4, 8, 16, 32]
                .iter()
                .map(|&n| {
                    let b = integrate(&[0.0, 0.0], &k, &[0.0, 0.0], 4.0, n, low);
                    (b[0] - exact[0]).abs().max((b[1] - exact[1]).abs())
                })
                .collect();
            for o in observed_orders(&errs) {
                assert!(
                    (o - order).abs() < 0.4,
                    "order {o} (want {order}): {errs:?}"
                );
            }
        }
    }

    #[test]
    fn the_scalar_and_the_matrix_path_agree() {
        // two ligands where the second never binds (k = 0, B = 0) reduce to one ligand
        let k1 = |t: f64| [vec![0.3 + t], vec![1.0], vec![0.0]];
        let k2 = |t: f64| [vec![0.3 + t, 0.0], vec![1.0, 0.0], vec![0.0, 0.0]];
        for low in [false, true] {
            let one = integrate(&[0.7], &k1, &[0.2], 3.0, 7, low);
            let two = integrate(&[0.7, 0.4], &k2, &[0.2, 0.0], 3.0, 7, low);
            assert!((one[0] - two[0]).abs() < 1e-14, "{one:?} {two:?}");
            assert_eq!(two[1], 0.0);
        }
    }

    #[test]
    fn the_dense_output_is_exact_on_quintics_and_fifth_order_on_a_smooth_solution() {
        // the interpolant matches B, B', B'' at both ends: a polynomial of degree ≤ 5 is
        // reproduced (up to rounding), whatever the step length
        let c = [0.3, -1.1, 0.7, 2.0, -0.4, 0.9];
        let poly = |t: f64, d: usize| -> f64 {
            (d..6)
                .map(|k| c[k] * t.powi((k - d) as i32) * (k - d + 1..=k).product::<usize>() as f64)
                .sum()
        };
        for h in [0.01, 0.7, 3.0] {
            let s = ScalarStep {
                hi: poly(h, 0),
                lo: f64::NAN,
                db0: poly(0.0, 1),
                d2b0: poly(0.0, 2),
                p1: poly(h, 1),
                q1: 0.0,
                p2: poly(h, 2),
                q2: 0.0,
            };
            for th in [0.1, 0.25, 0.5, 0.8] {
                let got = horner(&s.dense(poly(0.0, 0), h), th);
                let want = poly(th * h, 0);
                assert!(
                    (got - want).abs() <= 1e-13 * want.abs().max(1.0),
                    "{h} {th}"
                );
            }
        }
        // on B = e^(−t) with exact end data the error falls like h⁶ (local order 6)
        let err = |h: f64| {
            let e1 = (-h).exp();
            let s = ScalarStep {
                hi: e1,
                lo: f64::NAN,
                db0: -1.0,
                d2b0: 1.0,
                p1: -e1,
                q1: 0.0,
                p2: e1,
                q2: 0.0,
            };
            (horner(&s.dense(1.0, h), 0.5) - (-0.5 * h).exp()).abs()
        };
        for o in observed_orders(&[err(0.8), err(0.4), err(0.2)]) {
            assert!((o - 6.0).abs() < 0.3, "order {o}");
        }
    }

    #[test]
    fn it_damps_stiff_transients_and_is_accurate_when_resolved() {
        // constant k: B relaxes to k/(k + koff) at the rate λ = k + koff. One step of length
        // h with λh ≥ 10³ lands within O(1/(λh)) of the equilibrium (L-stability: the
        // stability function vanishes at infinity, like 3/(λh)); with λh ≤ 0.1 it is within
        // (λh)⁶ of the exact solution (fifth order)
        for koff in [1e-4, 1.0, 1e4] {
            for kc in [0.0, 1e-3, 10.0, 1e6] {
                for h in [1e-2, 1.0, 1e3] {
                    let k = |_| [vec![kc], vec![0.0], vec![0.0]];
                    let b = integrate(&[koff], &k, &[0.7], h, 1, false)[0];
                    let lam = kc + koff;
                    let eq = kc / lam;
                    let jump = (0.7 - eq).abs();
                    let exact = eq + (0.7 - eq) * (-lam * h).exp();
                    let z = lam * h;
                    if z >= 1e3 {
                        assert!((b - eq).abs() <= 4.0 * jump / z, "{koff} {kc} {h}: {b}");
                    }
                    if z <= 0.1 {
                        let tol = jump * z.powi(6) + 1e-15;
                        assert!((b - exact).abs() <= tol, "{koff} {kc} {h}: {b}");
                    }
                }
            }
        }
    }
}
