//! Per-output-pixel filter weights for one axis, computed exactly as Pillow's
//! `precompute_coeffs` and `normalize_coeffs_8bpc` do (double precision, then
//! 22-bit fixed point), for a run of output pixels only. They depend on the
//! sizes alone, so a per-thread cache reuses them across a catalogue of
//! same-sized photos.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use super::filter::{Filter, Kernel};

/// Fixed-point fraction bits: 8 for the sample, 2 for overshoot, in 32.
pub(super) const PRECISION_BITS: u32 = 32 - 8 - 2;

/// Every output pixel of the run reads the same number of source pixels,
/// `taps`: shorter windows are padded with zero weights (which change no sum)
/// and shifted to stay inside the source, so inner loops have a fixed length.
pub(super) struct AxisCoeffs {
    pub taps: usize,
    starts: Vec<usize>,
    weights: Vec<i32>,
}

impl AxisCoeffs {
    pub(super) fn iter(&self) -> impl Iterator<Item = (usize, &[i32])> {
        self.starts.iter().copied().zip(self.weights.chunks_exact(self.taps))
    }

    /// The source pixels the whole run reads.
    pub(super) fn source_span(&self) -> Range<usize> {
        let first = self.starts.iter().copied().min().unwrap_or(0);
        let last = self.starts.iter().copied().max().unwrap_or(0);
        first..last + self.taps
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    filter: Filter,
    in_size: usize,
    out_size: usize,
    run: Range<usize>,
}

/// Enough for the handful of size pairs one stage meets; cleared when full.
const CACHE_ENTRIES: usize = 64;

thread_local! {
    static CACHE: RefCell<HashMap<Key, Rc<AxisCoeffs>>> = RefCell::new(HashMap::new());
}

/// Weights for output pixels `run` of a resize from `in_size` to `out_size`.
pub(super) fn axis_coeffs(
    filter: Filter,
    kernel: Kernel,
    in_size: usize,
    out_size: usize,
    run: Range<usize>,
) -> Rc<AxisCoeffs> {
    let key = Key { filter, in_size, out_size, run };
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(found) = cache.get(&key) {
            return Rc::clone(found);
        }
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        let coeffs = Rc::new(compute(kernel, in_size, out_size, key.run.clone()));
        cache.insert(key, Rc::clone(&coeffs));
        coeffs
    })
}

fn compute(kernel: Kernel, in_size: usize, out_size: usize, run: Range<usize>) -> AxisCoeffs {
    // Pillow passes the source box as C floats.
    let scale = f64::from(in_size as f32) / out_size as f64;
    let filterscale = scale.max(1.0);
    let support = kernel.support * filterscale;
    let inv_filterscale = 1.0 / filterscale;
    let windows: Vec<(usize, Vec<i32>)> = run
        .map(|xx| {
            let center = (xx as f64 + 0.5) * scale;
            // C's (int) truncates toward zero, as `as` does.
            let xmin = ((center - support + 0.5) as i64).max(0);
            let xmax = ((center + support + 0.5) as i64).min(in_size as i64);
            let mut weights: Vec<f64> =
                (xmin..xmax).map(|x| (kernel.weight)((x as f64 - center + 0.5) * inv_filterscale)).collect();
            let total: f64 = weights.iter().sum();
            if total != 0.0 {
                weights.iter_mut().for_each(|w| *w /= total);
            }
            (xmin as usize, weights.into_iter().map(to_fixed).collect())
        })
        .collect();
    let taps = windows.iter().map(|(_, w)| w.len()).max().unwrap_or(0).max(1);
    let mut starts = Vec::with_capacity(windows.len());
    let mut weights = Vec::with_capacity(windows.len() * taps);
    for (xmin, w) in windows {
        let start = xmin.min(in_size.saturating_sub(taps));
        let lead = xmin - start;
        starts.push(start);
        weights.extend(std::iter::repeat_n(0, lead));
        weights.extend_from_slice(&w);
        weights.extend(std::iter::repeat_n(0, taps - lead - w.len()));
    }
    AxisCoeffs { taps, starts, weights }
}

fn to_fixed(w: f64) -> i32 {
    let scaled = w * f64::from(1u32 << PRECISION_BITS);
    if w < 0.0 {
        (scaled - 0.5) as i32
    } else {
        (scaled + 0.5) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bicubic(in_size: usize, out_size: usize) -> Rc<AxisCoeffs> {
        let filter = Filter::Bicubic;
        let kernel = filter.kernel().expect("bicubic is a convolution");
        axis_coeffs(filter, kernel, in_size, out_size, 0..out_size)
    }

    #[test]
    fn weights_sum_to_one_in_fixed_point() {
        for (i, o) in [(60, 224), (2400, 224), (7, 500), (224, 64)] {
            let coeffs = bicubic(i, o);
            for (start, weights) in coeffs.iter() {
                let sum: i32 = weights.iter().sum();
                assert!((sum - (1 << PRECISION_BITS)).abs() <= weights.len() as i32);
                assert!(start + weights.len() <= i);
            }
        }
    }

    #[test]
    fn downscaling_widens_the_support() {
        assert_eq!(bicubic(60, 224).taps, 4);
        assert!(bicubic(2400, 224).taps >= 40);
    }

    #[test]
    fn windows_near_the_edge_are_padded_inside_the_source() {
        let coeffs = bicubic(60, 224);
        let (start, weights) = coeffs.iter().last().expect("224 outputs");
        assert_eq!(start + weights.len(), 60);
        assert_eq!(weights[0], 0);
        let (start, weights) = coeffs.iter().next().expect("224 outputs");
        assert_eq!(start, 0);
        assert_eq!(weights[weights.len() - 1], 0);
    }

    #[test]
    fn cached_runs_are_shared() {
        let a = bicubic(61, 224);
        let b = bicubic(61, 224);
        assert!(Rc::ptr_eq(&a, &b));
    }
}
