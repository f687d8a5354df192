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

/// Source pixels `start..start + weights.len()` feed one output pixel.
pub(super) struct Taps {
    pub start: usize,
    pub weights: Vec<i32>,
}

pub(super) struct AxisCoeffs {
    /// One entry per output pixel of the requested run.
    pub taps: Vec<Taps>,
}

impl AxisCoeffs {
    /// The source pixels the whole run reads.
    pub(super) fn source_span(&self) -> Range<usize> {
        let start = self.taps.iter().map(|t| t.start).min().unwrap_or(0);
        let end = self
            .taps
            .iter()
            .map(|t| t.start + t.weights.len())
            .max()
            .unwrap_or(0);
        start..end.max(start)
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
    let key = Key {
        filter,
        in_size,
        out_size,
        run,
    };
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
    let mut weights = Vec::new();
    let taps = run
        .map(|xx| {
            let center = (xx as f64 + 0.5) * scale;
            // C's (int) truncates toward zero, as `as` does.
            let xmin = ((center - support + 0.5) as i64).max(0);
            let xmax = ((center + support + 0.5) as i64).min(in_size as i64);
            weights.clear();
            weights.extend(
                (xmin..xmax).map(|x| (kernel.weight)((x as f64 - center + 0.5) * inv_filterscale)),
            );
            let total: f64 = weights.iter().sum();
            if total != 0.0 {
                weights.iter_mut().for_each(|w| *w /= total);
            }
            Taps {
                start: xmin as usize,
                weights: weights.iter().map(|&w| to_fixed(w)).collect(),
            }
        })
        .collect();
    AxisCoeffs { taps }
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
            for taps in &bicubic(i, o).taps {
                let sum: i32 = taps.weights.iter().sum();
                assert!((sum - (1 << PRECISION_BITS)).abs() <= taps.weights.len() as i32);
                assert!(taps.start + taps.weights.len() <= i);
            }
        }
    }

    #[test]
    fn downscaling_widens_the_support() {
        assert_eq!(bicubic(60, 224).taps[100].weights.len(), 4);
        assert!(bicubic(2400, 224).taps[100].weights.len() >= 40);
    }

    #[test]
    fn cached_runs_are_shared() {
        let a = bicubic(61, 224);
        let b = bicubic(61, 224);
        assert!(Rc::ptr_eq(&a, &b));
    }
}
