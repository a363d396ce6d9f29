//! Statistics over subjects: percentile bands per output point (exact order statistics of
//! f32 values, the same however the subjects are split), fractions above a threshold, and the
//! distribution of per-subject values.

use super::Quantity;
use serde::Serialize;
use ts_rs::TS;

/// The percentiles of every band.
pub const PERCENTILES: [f64; 5] = [5.0, 25.0, 50.0, 75.0, 95.0];

/// Percentile bands of one quantity.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Bands {
    /// What is banded.
    pub quantity: Quantity,
    /// One series per percentile of [`PERCENTILES`], each over the output times.
    pub series: Vec<Vec<f64>>,
}

/// Distribution of a per-subject value.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Distribution {
    /// Subjects with a value (recovery: those who recovered within the horizon).
    pub count: u32,
    /// Values at [`PERCENTILES`] (empty when `count` is 0).
    pub percentiles: Vec<f64>,
    /// Histogram bin edges (`bins + 1` values, equal widths from the minimum to the maximum).
    pub histogram_edges: Vec<f64>,
    /// Subjects per bin.
    pub histogram_counts: Vec<u32>,
}

/// Rows of some subjects for a block of output points: subject-major, each subject's row
/// quantity-major (`rows[(s * n_quantities + q) * n_points + k]`).
#[derive(Debug, Clone, Copy)]
pub struct Part<'r> {
    /// The values.
    pub rows: &'r [f32],
    /// Quantities per subject.
    pub n_quantities: usize,
    /// Output points in the block.
    pub n_points: usize,
}

impl Part<'_> {
    fn subjects(&self) -> usize {
        self.rows.len() / (self.n_quantities * self.n_points).max(1)
    }
}

/// Percentiles and fractions for a block of output points.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockStats {
    /// `bands[(q * PERCENTILES.len() + j) * n_points + k]`.
    pub bands: Vec<f64>,
    /// Fraction of subjects at or above the threshold, per point.
    pub fraction_above: Vec<f64>,
}

impl BlockStats {
    pub(super) fn series(&self, q: usize, j: usize, npts: usize) -> &[f64] {
        let o = (q * PERCENTILES.len() + j) * npts;
        &self.bands[o..o + npts]
    }

    /// Joins the statistics of consecutive blocks of points (in time order).
    pub fn concat(blocks: &[BlockStats], n_quantities: usize) -> BlockStats {
        let npts: usize = blocks.iter().map(|b| b.fraction_above.len()).sum();
        let nj = PERCENTILES.len();
        let mut bands = vec![0.0; n_quantities * nj * npts];
        let mut off = 0;
        for b in blocks {
            let n = b.fraction_above.len();
            for qj in 0..n_quantities * nj {
                bands[qj * npts + off..qj * npts + off + n]
                    .copy_from_slice(&b.bands[qj * n..qj * n + n]);
            }
            off += n;
        }
        BlockStats {
            bands,
            fraction_above: blocks
                .iter()
                .flat_map(|b| b.fraction_above.iter().copied())
                .collect(),
        }
    }
}

/// Percentiles of every quantity and the fraction above `threshold` (for quantity `ce`) at
/// every point of a block, over the subjects of all `parts`. Parts that disagree with the first
/// on quantities or points are left out (the wasm boundary rejects them first). The result does
/// not depend on how subjects are split into parts or ordered.
pub fn block_stats(parts: &[Part], ce: usize, threshold: f64, parallel: bool) -> BlockStats {
    let nq = parts.first().map_or(0, |p| p.n_quantities);
    let npts = parts.first().map_or(0, |p| p.n_points);
    let parts: Vec<Part> = parts
        .iter()
        .copied()
        .filter(|p| p.n_quantities == nq && p.n_points == npts && p.subjects() > 0)
        .collect();
    let parts = &parts[..];
    let n: usize = parts.iter().map(Part::subjects).sum();
    let nj = PERCENTILES.len();
    let thr = threshold as f32;
    let at = |k: usize| -> (Vec<[f64; 5]>, f64) {
        let mut column: Vec<i32> = Vec::with_capacity(n);
        let mut per_q = Vec::with_capacity(nq);
        let mut above = 0usize;
        for q in 0..nq {
            column.clear();
            for p in parts {
                let stride = p.n_quantities * p.n_points;
                column.extend(
                    p.rows
                        .chunks_exact(stride.max(1))
                        .map(|row| key(row[q * p.n_points + k])),
                );
            }
            if q == ce {
                let t = key(thr);
                above = column.iter().filter(|&&x| x >= t).count();
            }
            per_q.push(percentiles5(&mut column));
        }
        (
            per_q,
            if n == 0 {
                f64::NAN
            } else {
                above as f64 / n as f64
            },
        )
    };
    let points = map_points(npts, parallel, &at);
    let mut bands = vec![0.0; nq * nj * npts];
    for (k, (per_q, _)) in points.iter().enumerate() {
        for (q, p5) in per_q.iter().enumerate() {
            for (j, v) in p5.iter().enumerate() {
                bands[(q * nj + j) * npts + k] = *v;
            }
        }
    }
    BlockStats {
        bands,
        fraction_above: points.into_iter().map(|(_, f)| f).collect(),
    }
}

/// Order statistics `ks` (ascending, distinct, < v.len()) of `v` into `out` (same order);
/// `v` is reordered so that it is partitioned around every one of them. Quickselect on the
/// middle one, then each side for the rest.
fn order_stats(v: &mut [i32], ks: &[usize], base: usize, out: &mut [i32]) {
    if ks.is_empty() {
        return;
    }
    let m = ks.len() / 2;
    let k = ks[m] - base;
    let (left, x, right) = v.select_nth_unstable(k);
    out[m] = *x;
    let (out_l, out_r) = out.split_at_mut(m);
    order_stats(left, &ks[..m], base, out_l);
    order_stats(right, &ks[m + 1..], base + k + 1, &mut out_r[1..]);
}

/// An `i32` whose order is `f32::total_cmp`'s (integer comparisons select faster).
#[inline]
fn key(x: f32) -> i32 {
    let b = x.to_bits() as i32;
    b ^ ((((b >> 31) as u32) >> 1) as i32)
}

#[inline]
fn unkey(k: i32) -> f32 {
    f32::from_bits((k ^ ((((k >> 31) as u32) >> 1) as i32)) as u32)
}

/// The [`PERCENTILES`] of `v` by linear interpolation between order statistics (`v`, in
/// [`key`] form, is reordered).
fn percentiles5(v: &mut [i32]) -> [f64; 5] {
    let n = v.len();
    if n == 0 {
        return [f64::NAN; 5];
    }
    let pos = PERCENTILES.map(|q| q / 100.0 * (n - 1) as f64);
    let mut ks: Vec<usize> = pos.iter().map(|p| p.floor() as usize).collect();
    ks.dedup();
    let mut vals = vec![0i32; ks.len()];
    order_stats(v, &ks, 0, &mut vals);
    // v is now partitioned around every selected rank, so the next order statistic after
    // rank k is the smallest value between k and the next selected rank
    let next = |i: usize| -> f64 {
        let k = ks[i];
        let end = ks.get(i + 1).copied().unwrap_or(n);
        if k + 1 >= n {
            f64::from(unkey(vals[i]))
        } else if k + 1 == end {
            f64::from(unkey(vals[i + 1]))
        } else {
            f64::from(unkey(
                v[k + 1..end].iter().copied().min().unwrap_or(vals[i]),
            ))
        }
    };
    pos.map(|p| {
        let lo = p.floor() as usize;
        let i = ks.binary_search(&lo).unwrap_or(0);
        let x = f64::from(unkey(vals[i]));
        let frac = p - lo as f64;
        if frac == 0.0 || lo + 1 >= n {
            x
        } else {
            x + frac * (next(i) - x)
        }
    })
}

/// Percentiles and a histogram of `values`.
/// Bins of the Cmax and recovery-time histograms.
pub const HISTOGRAM_BINS: usize = 20;

/// Percentiles and a `bins`-bin histogram of `values`.
pub fn distribution(values: &[f64], bins: usize) -> Distribution {
    if values.is_empty() {
        return Distribution {
            count: 0,
            percentiles: Vec::new(),
            histogram_edges: Vec::new(),
            histogram_counts: Vec::new(),
        };
    }
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let percentiles = PERCENTILES
        .iter()
        .map(|q| {
            let p = q / 100.0 * (n - 1) as f64;
            let lo = p.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            v[lo] + (p - lo as f64) * (v[hi] - v[lo])
        })
        .collect();
    let (min, max) = (v[0], v[n - 1]);
    let width = if max > min {
        (max - min) / bins as f64
    } else {
        1.0
    };
    let histogram_edges = (0..=bins).map(|i| min + i as f64 * width).collect();
    let mut histogram_counts = vec![0u32; bins];
    for x in &v {
        let b = (((x - min) / width) as usize).min(bins - 1);
        histogram_counts[b] += 1;
    }
    Distribution {
        count: n as u32,
        percentiles,
        histogram_edges,
        histogram_counts,
    }
}

type PointFn<'f> = dyn Fn(usize) -> (Vec<[f64; 5]>, f64) + Sync + 'f;

#[cfg(not(target_arch = "wasm32"))]
fn map_points(n: usize, parallel: bool, f: &PointFn) -> Vec<(Vec<[f64; 5]>, f64)> {
    use rayon::prelude::*;
    if parallel {
        (0..n).into_par_iter().map(f).collect()
    } else {
        (0..n).map(f).collect()
    }
}

#[cfg(target_arch = "wasm32")]
fn map_points(n: usize, _parallel: bool, f: &PointFn) -> Vec<(Vec<[f64; 5]>, f64)> {
    (0..n).map(f).collect()
}
