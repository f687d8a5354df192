//! Pillow's resampling filters, with the kernels and supports of its
//! `Resample.c` so that weights come out bit-identical.

use std::f64::consts::PI;

/// `PIL.Image.Resampling`. `Image.resize` defaults to `Bicubic`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Filter {
    Nearest,
    Box,
    Bilinear,
    Hamming,
    Bicubic,
    Lanczos,
    /// Magic Kernel Sharp 2013 (Pillow 13).
    Mks2013,
    /// Magic Kernel Sharp 2021 (Pillow 13).
    Mks2021,
}

/// A convolution kernel: weight as a function of distance, zero beyond
/// `support` (in source pixels, before scaling for downsampling).
#[derive(Clone, Copy)]
pub(super) struct Kernel {
    pub support: f64,
    pub weight: fn(f64) -> f64,
}

impl Filter {
    /// `None` for `Nearest`, which Pillow does not resample by convolution.
    pub(super) fn kernel(self) -> Option<Kernel> {
        let (support, weight): (f64, fn(f64) -> f64) = match self {
            Filter::Nearest => return None,
            Filter::Box => (0.5, box_filter),
            Filter::Bilinear => (1.0, bilinear),
            Filter::Hamming => (1.0, hamming),
            Filter::Bicubic => (2.0, bicubic),
            Filter::Lanczos => (3.0, lanczos),
            Filter::Mks2013 => (2.5, mks2013),
            Filter::Mks2021 => (4.5, mks2021),
        };
        Some(Kernel { support, weight })
    }
}

fn box_filter(x: f64) -> f64 {
    if x > -0.5 && x <= 0.5 {
        1.0
    } else {
        0.0
    }
}

fn bilinear(x: f64) -> f64 {
    let x = x.abs();
    if x < 1.0 {
        1.0 - x
    } else {
        0.0
    }
}

fn hamming(x: f64) -> f64 {
    let x = x.abs();
    if x == 0.0 {
        1.0
    } else if x >= 1.0 {
        0.0
    } else {
        let x = x * PI;
        // Pillow writes these constants as C floats.
        x.sin() / x * (f64::from(0.54f32) + f64::from(0.46f32) * x.cos())
    }
}

/// Keys' cubic convolution with a = -0.5, term for term as Pillow writes it.
fn bicubic(x: f64) -> f64 {
    const A: f64 = -0.5;
    let x = x.abs();
    if x < 1.0 {
        ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0
    } else if x < 2.0 {
        (((x - 5.0) * x + 8.0) * x - 4.0) * A
    } else {
        0.0
    }
}

fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        let x = x * PI;
        x.sin() / x
    }
}

fn lanczos(x: f64) -> f64 {
    if (-3.0..3.0).contains(&x) {
        sinc(x) * sinc(x / 3.0)
    } else {
        0.0
    }
}

/// John Costella's Magic Kernel Sharp kernels, term for term as Pillow
/// writes them (its `pow(x, 2)` included).
fn mks2013(x: f64) -> f64 {
    let x = x.abs();
    if x < 0.5 {
        17.0 / 16.0 - 7.0 / 4.0 * x.powf(2.0)
    } else if x < 1.5 {
        (1.0 - x) * (7.0 / 4.0 - x)
    } else if x < 2.5 {
        -1.0 / 8.0 * (x - 5.0 / 2.0).powf(2.0)
    } else {
        0.0
    }
}

fn mks2021(x: f64) -> f64 {
    let x = x.abs();
    if x < 0.5 {
        577.0 / 576.0 - 239.0 / 144.0 * x.powf(2.0)
    } else if x < 1.5 {
        35.0 / 36.0 * (x - 1.0) * (x - 239.0 / 140.0)
    } else if x < 2.5 {
        1.0 / 6.0 * (x - 2.0) * (65.0 / 24.0 - x)
    } else if x < 3.5 {
        1.0 / 36.0 * (x - 3.0) * (x - 15.0 / 4.0)
    } else if x < 4.5 {
        -1.0 / 288.0 * (x - 9.0 / 2.0).powf(2.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_vanish_at_their_support() {
        for filter in [
            Filter::Box,
            Filter::Bilinear,
            Filter::Hamming,
            Filter::Bicubic,
            Filter::Lanczos,
            Filter::Mks2013,
            Filter::Mks2021,
        ] {
            let Some(kernel) = filter.kernel() else { panic!("{filter:?} is a convolution") };
            assert!((kernel.weight)(0.0) > 0.9, "{filter:?}");
            assert_eq!((kernel.weight)(kernel.support + 0.01), 0.0, "{filter:?}");
        }
        assert!(Filter::Nearest.kernel().is_none());
    }

    #[test]
    fn bicubic_has_pillows_negative_lobe() {
        assert_eq!(bicubic(1.5), -0.0625);
        assert_eq!(bicubic(0.5), 0.5625);
    }
}
