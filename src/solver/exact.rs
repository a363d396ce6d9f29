//! Exact propagator for `dx/dt = A·x + u` with constant `u` over a step `h`:
//! `x(t+h) = Φ(h)·x(t) + Γ(h)·u`, with `Φ = e^{A h}` and `Γ = ∫₀ʰ e^{A s} ds`.
//!
//! `Φ` and `Γ` are computed together by scaling and squaring of their Taylor series
//! (`Φ(2h) = Φ(h)²`, `Γ(2h) = Γ(h) + Φ(h)·Γ(h)`) on small dense column-major arrays; the tests
//! check them against nalgebra's Padé matrix exponential of the augmented matrix
//! `[[A, I], [0, 0]]·h` ([`propagator_pade`]). This is the hot path of every simulation, so it
//! avoids the augmented 2n×2n exponential (about 4× the cost).
//!
//! Propagators are cached by step length, so a uniform output grid costs one propagator plus
//! one matrix–vector product per point; `Γ·u` is formed once per interval.

use super::{Segment, Stepper};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Column-major `c = a·b` for `n×n` matrices.
fn matmul(n: usize, a: &[f64], b: &[f64], c: &mut [f64]) {
    c.fill(0.0);
    for j in 0..n {
        let cj = &mut c[j * n..(j + 1) * n];
        for k in 0..n {
            let bkj = b[j * n + k];
            if bkj != 0.0 {
                let ak = &a[k * n..(k + 1) * n];
                for i in 0..n {
                    cj[i] += ak[i] * bkj;
                }
            }
        }
    }
}

/// Column-major `y = m·x` (`y` overwritten).
fn matvec(n: usize, m: &[f64], x: &[f64], y: &mut [f64]) {
    y.fill(0.0);
    for (j, &xj) in x.iter().enumerate().take(n) {
        if xj != 0.0 {
            let mj = &m[j * n..(j + 1) * n];
            for i in 0..n {
                y[i] += mj[i] * xj;
            }
        }
    }
}

/// `(Φ(h), Γ(h))` as column-major arrays for the column-major `n×n` matrix `a`.
fn propagator_flat(n: usize, a: &[f64], h: f64) -> Result<(Vec<f64>, Vec<f64>)> {
    propagator_chain(n, a, h, 0, &mut |_, _, _| {})
}

/// A callback receiving `(i, Φ(h/2^i), Γ(h/2^i))` from [`propagator_chain`].
pub(crate) type EachLevel<'a> = dyn FnMut(u32, &[f64], &[f64]) + 'a;

/// The same, calling `each(i, Φ, Γ)` for the step `h / 2^i` for every `i` that scaling and
/// squaring passes through on the way (`i = s, s−1, …, 1`; not for `h` itself), where `s` is
/// its number of squarings, at least `min_squarings`: the propagators of the halved steps
/// come for free (and a shorter first step shortens the Taylor series about as much as the
/// extra squarings cost).
pub(crate) fn propagator_chain(
    n: usize,
    a: &[f64],
    h: f64,
    min_squarings: u32,
    each: &mut EachLevel,
) -> Result<(Vec<f64>, Vec<f64>)> {
    // scale so that ‖A·h/2^s‖₁ ≤ 1/2
    let norm = (0..n)
        .map(|j| a[j * n..(j + 1) * n].iter().map(|v| v.abs()).sum::<f64>())
        .fold(0.0, super::larger)
        * h.abs();
    let s = if norm > 0.5 {
        (norm / 0.5).log2().ceil() as i32
    } else {
        0
    }
    .max(min_squarings as i32);
    let hs = h / 2f64.powi(s);
    let bs: Vec<f64> = a.iter().map(|v| v * hs).collect();
    let mut phi = vec![0.0; n * n];
    let mut gamma = vec![0.0; n * n];
    let mut term = vec![0.0; n * n];
    let mut tmp = vec![0.0; n * n];
    for i in 0..n {
        phi[i * n + i] = 1.0;
        gamma[i * n + i] = hs;
        term[i * n + i] = 1.0;
    }
    // Taylor terms: Bs^k/k! into Φ, hs·Bs^k/(k+1)! into Γ; ‖Bs‖ ≤ 1/2 makes 20 terms ample
    for k in 1..=20 {
        matmul(n, &term, &bs, &mut tmp);
        let inv_k = 1.0 / k as f64;
        let mut largest: f64 = 0.0;
        for (t, v) in term.iter_mut().zip(&tmp) {
            *t = v * inv_k;
            // a NaN ends the series, and the finiteness check below reports it
            largest = super::larger(largest, t.abs());
        }
        let g = hs / (k + 1) as f64;
        for ((p, gm), t) in phi.iter_mut().zip(gamma.iter_mut()).zip(&term) {
            *p += t;
            *gm += t * g;
        }
        if largest < 1e-18 {
            break;
        }
    }
    for i in (1..=s).rev() {
        each(i as u32, &phi, &gamma);
        // Γ(2h) = Γ + Φ·Γ ; Φ(2h) = Φ·Φ
        matmul(n, &phi, &gamma, &mut tmp);
        for (gm, t) in gamma.iter_mut().zip(&tmp) {
            *gm += t;
        }
        matmul(n, &phi, &phi, &mut tmp);
        std::mem::swap(&mut phi, &mut tmp);
    }
    if phi.iter().chain(gamma.iter()).any(|v| !v.is_finite()) {
        return Err(Error::Numerical {
            quantity: "the matrix exponential of the model".into(),
            context: format!("step {h} min"),
            remedy: "use a smaller output_step_min, or another model".into(),
        });
    }
    Ok((phi, gamma))
}

/// `(Φ(h), Γ(h))` for the system matrix `a`.
///
/// ```
/// use nalgebra::dmatrix;
/// // one compartment, k = 0.1 /min: Φ = e^{-0.1·h}, Γ = (1 − e^{-0.1·h}) / 0.1
/// let (phi, gamma) = ketasim::solver::exact::propagator(&dmatrix![-0.1], 2.0)?;
/// assert!((phi[(0, 0)] - (-0.2f64).exp()).abs() < 1e-15);
/// assert!((gamma[(0, 0)] - (1.0 - (-0.2f64).exp()) / 0.1).abs() < 1e-14);
/// # Ok::<(), ketasim::Error>(())
/// ```
pub fn propagator(a: &DMatrix<f64>, h: f64) -> Result<(DMatrix<f64>, DMatrix<f64>)> {
    let n = a.nrows();
    let (phi, gamma) = propagator_flat(n, a.as_slice(), h)?;
    Ok((DMatrix::from_vec(n, n, phi), DMatrix::from_vec(n, n, gamma)))
}

/// The same pair from nalgebra's Padé exponential of the augmented matrix
/// `[[A, I], [0, 0]]·h` — an independent reference for [`propagator`].
pub fn propagator_pade(a: &DMatrix<f64>, h: f64) -> (DMatrix<f64>, DMatrix<f64>) {
    let n = a.nrows();
    let mut m = DMatrix::<f64>::zeros(2 * n, 2 * n);
    m.view_mut((0, 0), (n, n)).copy_from(&(a * h));
    m.view_mut((0, n), (n, n)).fill_diagonal(h);
    let e = m.exp();
    (
        e.view((0, 0), (n, n)).into_owned(),
        e.view((0, n), (n, n)).into_owned(),
    )
}

/// Most distinct step lengths kept in the cache (grid step + the odd steps around events).
const CACHE_LEN: usize = 64;

struct Prop {
    h: f64,
    phi: Vec<f64>,
    gamma: Vec<f64>,
}

/// The grid-step propagator in fixed-size arrays (zero-padded to `N`), so the per-point
/// product `Φ·x + Γ·u` is fully unrolled.
#[derive(Clone)]
struct Fixed<const N: usize> {
    phi: [[f64; N]; N],
    gamma: [[f64; N]; N],
    g: [f64; N],
}

impl<const N: usize> Fixed<N> {
    fn new(n: usize, phi: &[f64], gamma: &[f64]) -> Box<Self> {
        let mut f = Box::new(Fixed {
            phi: [[0.0; N]; N],
            gamma: [[0.0; N]; N],
            g: [0.0; N],
        });
        for j in 0..n {
            f.phi[j][..n].copy_from_slice(&phi[j * n..(j + 1) * n]);
            f.gamma[j][..n].copy_from_slice(&gamma[j * n..(j + 1) * n]);
        }
        f
    }

    fn set_input(&mut self, n: usize, u: &[f64]) {
        let mut g = [0.0; N];
        for (j, &uj) in u.iter().enumerate().take(n) {
            for (gi, p) in g.iter_mut().zip(&self.gamma[j]) {
                *gi += p * uj;
            }
        }
        self.g = g;
    }

    #[inline]
    fn step(&self, x: &mut [f64; N], with_input: bool) {
        let mut y = if with_input { self.g } else { [0.0; N] };
        for (col, &xj) in self.phi.iter().zip(x.iter()) {
            for (yi, p) in y.iter_mut().zip(col) {
                *yi += p * xj;
            }
        }
        *x = y;
    }

    /// Steps of exactly `dt` between `outs`, odd steps through `odd`.
    fn segment(
        &mut self,
        st: &mut ExactStepper,
        seg: &Segment,
        x: &mut [f64],
        rec: &mut [f64],
    ) -> Result<()> {
        let Segment {
            t0,
            t1,
            u_zero,
            outs,
            ..
        } = *seg;
        let u = seg.u.as_slice();
        let n = x.len();
        st.g_dt_valid = false;
        if !u_zero {
            self.set_input(n, u);
        }
        let mut xf = [0.0; N];
        xf[..n].copy_from_slice(x);
        let mut t = t0;
        for (&tg, row) in outs.iter().zip(rec.chunks_exact_mut(n)) {
            self.advance(st, tg - t, &mut xf, n, u, u_zero)?;
            copy_small(row, &xf);
            t = tg;
        }
        self.advance(st, t1 - t, &mut xf, n, u, u_zero)?;
        x.copy_from_slice(&xf[..n]);
        Ok(())
    }

    fn advance(
        &self,
        st: &mut ExactStepper,
        h: f64,
        xf: &mut [f64; N],
        n: usize,
        u: &[f64],
        u_zero: bool,
    ) -> Result<()> {
        if (h - st.dt).abs() <= 1e-12 * st.dt {
            self.step(xf, !u_zero);
            Ok(())
        } else {
            st.advance(h, &mut xf[..n], u, u_zero)
        }
    }
}

/// `dst.copy_from_slice(&src[..dst.len()])` for the short rows of the fixed kernels, with the
/// length known at compile time in each arm: a plain `copy_from_slice` of a run-time length
/// becomes a `memcpy` call per output point, which cost more than the propagation itself.
#[inline(always)]
pub(crate) fn copy_small<const N: usize>(dst: &mut [f64], src: &[f64; N]) {
    macro_rules! arms {
        ($($k:literal)*) => {
            match dst.len() {
                $($k if $k <= N => dst.copy_from_slice(&src[..$k]),)*
                n => dst.copy_from_slice(&src[..n]),
            }
        };
    }
    arms!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
}

enum Kernel {
    Flat,
    F4(Box<Fixed<4>>),
    F6(Box<Fixed<6>>),
    F8(Box<Fixed<8>>),
    F12(Box<Fixed<12>>),
    F16(Box<Fixed<16>>),
}

/// The exact stepper for a linear system.
pub struct ExactStepper {
    kernel: Option<Kernel>,
    n: usize,
    a: Vec<f64>,
    dt: f64,
    cache: Vec<Prop>,
    /// `Γ(dt)·u` for the current interval.
    g_dt: Vec<f64>,
    /// Whether `g_dt` belongs to the current interval.
    g_dt_valid: bool,
    tmp: Vec<f64>,
    tmp2: Vec<f64>,
}

impl ExactStepper {
    /// A stepper for `a`, pre-computing the propagator of the grid step `dt_min`.
    pub fn new(a: &DMatrix<f64>, dt_min: f64) -> Result<Self> {
        let n = a.nrows();
        let (phi, gamma) = propagator_flat(n, a.as_slice(), dt_min)?;
        let kernel = match n {
            0..=4 => Kernel::F4(Fixed::new(n, &phi, &gamma)),
            5..=6 => Kernel::F6(Fixed::new(n, &phi, &gamma)),
            7..=8 => Kernel::F8(Fixed::new(n, &phi, &gamma)),
            9..=12 => Kernel::F12(Fixed::new(n, &phi, &gamma)),
            13..=16 => Kernel::F16(Fixed::new(n, &phi, &gamma)),
            _ => Kernel::Flat,
        };
        Ok(ExactStepper {
            kernel: Some(kernel),
            n,
            a: a.as_slice().to_vec(),
            dt: dt_min,
            cache: vec![Prop {
                h: dt_min,
                phi,
                gamma,
            }],
            g_dt: vec![0.0; n],
            g_dt_valid: false,
            tmp: vec![0.0; n],
            tmp2: vec![0.0; n],
        })
    }

    fn lookup(&mut self, h: f64) -> Result<usize> {
        let tol = 1e-12 * h;
        if let Some(i) = self.cache.iter().position(|p| (p.h - h).abs() <= tol) {
            return Ok(i);
        }
        if self.cache.len() >= CACHE_LEN {
            self.cache.truncate(1);
        }
        let (phi, gamma) = propagator_flat(self.n, &self.a, h)?;
        self.cache.push(Prop { h, phi, gamma });
        Ok(self.cache.len() - 1)
    }

    /// Advances `x` by `h` minutes under constant input `u` (`g_dt` must hold `Γ(dt)·u`).
    fn advance(&mut self, h: f64, x: &mut [f64], u: &[f64], u_zero: bool) -> Result<()> {
        if h <= 0.0 {
            return Ok(());
        }
        let n = self.n;
        let i = self.lookup(h)?;
        let p = &self.cache[i];
        matvec(n, &p.phi, x, &mut self.tmp);
        if !u_zero {
            if i == 0 && self.g_dt_valid {
                for (t, g) in self.tmp.iter_mut().zip(&self.g_dt) {
                    *t += g;
                }
            } else {
                matvec(n, &p.gamma, u, &mut self.tmp2);
                for (t, g) in self.tmp.iter_mut().zip(&self.tmp2) {
                    *t += g;
                }
            }
        }
        x.copy_from_slice(&self.tmp);
        Ok(())
    }
}

impl Stepper for ExactStepper {
    fn segment(&mut self, seg: &Segment, x: &mut DVector<f64>, rec: &mut [f64]) -> Result<()> {
        let Segment {
            t0,
            t1,
            u,
            u_zero,
            outs,
        } = *seg;
        // the fixed-size kernel borrows the stepper for odd steps, so take it out meanwhile
        macro_rules! fixed {
            ($variant:ident, $k:ident) => {{
                let r = $k.segment(self, seg, x.as_mut_slice(), rec);
                self.kernel = Some(Kernel::$variant($k));
                return r;
            }};
        }
        match self.kernel.take() {
            Some(Kernel::F4(mut k)) => fixed!(F4, k),
            Some(Kernel::F6(mut k)) => fixed!(F6, k),
            Some(Kernel::F8(mut k)) => fixed!(F8, k),
            Some(Kernel::F12(mut k)) => fixed!(F12, k),
            Some(Kernel::F16(mut k)) => fixed!(F16, k),
            other => self.kernel = other,
        }
        let n = self.n;
        if !u_zero {
            matvec(n, &self.cache[0].gamma, u.as_slice(), &mut self.g_dt);
        }
        self.g_dt_valid = !u_zero;
        debug_assert_eq!(self.cache[0].h, self.dt);
        let xs = x.as_mut_slice();
        let us = u.as_slice();
        let mut t = t0;
        for (&tg, row) in outs.iter().zip(rec.chunks_exact_mut(n)) {
            self.advance(tg - t, xs, us, u_zero)?;
            row.copy_from_slice(xs);
            t = tg;
        }
        self.advance(t1 - t, xs, us, u_zero)
    }
}

impl ExactStepper {
    /// A stepper without the fixed-size kernel, for [`ExactStepper::step`], given the grid
    /// step's propagator `(Φ(dt), Γ(dt))` (column-major): for a caller that keeps it in its
    /// own fixed-size arrays.
    pub(crate) fn with_grid_propagator(
        a: &DMatrix<f64>,
        dt_min: f64,
        phi: Vec<f64>,
        gamma: Vec<f64>,
    ) -> Self {
        let n = a.nrows();
        ExactStepper {
            kernel: Some(Kernel::Flat),
            n,
            a: a.as_slice().to_vec(),
            dt: dt_min,
            cache: vec![Prop {
                h: dt_min,
                phi,
                gamma,
            }],
            g_dt: vec![0.0; n],
            g_dt_valid: false,
            tmp: vec![0.0; n],
            tmp2: vec![0.0; n],
        }
    }

    /// Prepares the constant input `u` of an interval for [`ExactStepper::step`] (`Γ(dt)·u`
    /// once).
    pub(crate) fn set_input(&mut self, u: &[f64], u_zero: bool) {
        if !u_zero {
            matvec(self.n, &self.cache[0].gamma, u, &mut self.g_dt);
        }
        self.g_dt_valid = !u_zero;
    }

    /// Advances `x` exactly by `h` minutes under the input of the last
    /// [`ExactStepper::set_input`] (through the propagator cache).
    pub(crate) fn step(&mut self, h: f64, x: &mut [f64], u: &[f64], u_zero: bool) -> Result<()> {
        self.advance(h, x, u, u_zero)
    }
}

impl ExactStepper {
    /// The same stepper without the fixed-size kernel (the path models with more than 16
    /// states take); exposed so tests can check both kernels on every model.
    #[doc(hidden)]
    pub fn new_generic_kernel(a: &DMatrix<f64>, dt_min: f64) -> Result<Self> {
        let mut s = Self::new(a, dt_min)?;
        s.kernel = Some(Kernel::Flat);
        Ok(s)
    }
}
