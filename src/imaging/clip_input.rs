//! The input every CLIP stage feeds the image encoder, as the seed notebook's
//! `open_and_preprocess` makes it: shortest side resized to `size` with
//! Pillow's bicubic filter, centre crop, then scaled to [0, 1] and
//! normalised per channel into a CHW float tensor.

use image::RgbImage;

use super::decode::decode_rgb;
use super::error::ImagingError;
use super::filter::Filter;
use super::limits::DecodeLimits;
use super::pil_resample::{resize_region, Region};
use super::simd;

/// Far above any image encoder's input; keeps a mistyped manifest from
/// asking for gigabytes.
const MAX_SIZE: u32 = 4096;

/// Crop size and normalisation of an image encoder; model manifests supply
/// them, [`ClipPreprocess::CLIP`] holds OpenAI CLIP's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipPreprocess {
    size: u32,
    mean: [f32; 3],
    std: [f32; 3],
}

/// One preprocessed image: the RGB crop (for colour statistics) and the
/// normalised CHW tensor (for the encoder).
#[derive(Debug, Clone, PartialEq)]
pub struct ClipInput {
    pub crop: RgbImage,
    pub chw: Vec<f32>,
}

impl ClipPreprocess {
    /// OpenAI CLIP's published constants, digit for digit.
    #[allow(clippy::excessive_precision)]
    pub const CLIP: ClipPreprocess = ClipPreprocess {
        size: 224,
        mean: [0.481_454_66, 0.457_827_5, 0.408_210_73],
        std: [0.268_629_54, 0.261_302_58, 0.275_777_11],
    };

    pub fn new(size: u32, mean: [f32; 3], std: [f32; 3]) -> Result<Self, ImagingError> {
        if !(1..=MAX_SIZE).contains(&size) {
            return Err(ImagingError::InvalidConfig(format!("crop size {size} is outside 1..={MAX_SIZE}")));
        }
        if mean.iter().any(|m| !m.is_finite()) {
            return Err(ImagingError::InvalidConfig(format!("mean {mean:?} is not finite")));
        }
        if std.iter().any(|s| !s.is_finite() || *s <= 0.0) {
            return Err(ImagingError::InvalidConfig(format!("std {std:?} must be positive and finite")));
        }
        Ok(ClipPreprocess { size, mean, std })
    }

    pub fn size(&self) -> u32 {
        self.size
    }

    pub fn mean(&self) -> [f32; 3] {
        self.mean
    }

    pub fn std(&self) -> [f32; 3] {
        self.std
    }

    /// Floats in one image's CHW tensor: 3 × size × size.
    pub fn chw_len(&self) -> usize {
        3 * self.size as usize * self.size as usize
    }

    /// Decodes, crops and normalises one image file.
    pub fn preprocess(&self, bytes: &[u8], limits: &DecodeLimits) -> Result<ClipInput, ImagingError> {
        let crop = self.crop(&decode_rgb(bytes, limits)?)?;
        let mut chw = vec![0.0; self.chw_len()];
        self.normalize_into(&crop, &mut chw)?;
        Ok(ClipInput { crop, chw })
    }

    /// The seed's `open_and_preprocess` after decoding: a `size`×`size` RGB
    /// crop, pixel-identical to Pillow's.
    pub fn crop(&self, img: &RgbImage) -> Result<RgbImage, ImagingError> {
        let (w, h) = img.dimensions();
        if w == 0 || h == 0 {
            return Err(ImagingError::NoPixels { width: w, height: h });
        }
        let scale = f64::from(self.size) / f64::from(w.min(h));
        // Python's round() rounds halves to even.
        let new_w = (f64::from(w) * scale).round_ties_even() as u32;
        let new_h = (f64::from(h) * scale).round_ties_even() as u32;
        let region = Region {
            left: (i64::from(new_w) - i64::from(self.size)).div_euclid(2),
            top: (i64::from(new_h) - i64::from(self.size)).div_euclid(2),
            width: self.size,
            height: self.size,
        };
        resize_region(img, (new_w, new_h), region, Filter::Bicubic)
    }

    /// Writes `img` as `(x / 255 - mean) / std`, channel-major, into `out`,
    /// which must hold 3 × width × height floats (a slot of a batch tensor).
    pub fn normalize_into(&self, img: &RgbImage, out: &mut [f32]) -> Result<(), ImagingError> {
        let pixels = img.width() as usize * img.height() as usize;
        if out.len() != 3 * pixels {
            return Err(ImagingError::BufferSize { expected: 3 * pixels, actual: out.len() });
        }
        let (red, rest) = out.split_at_mut(pixels);
        let (green, blue) = rest.split_at_mut(pixels);
        spread_channels(img.as_raw(), &self.table(), [red, green, blue]);
        Ok(())
    }

    /// The normalised value of every byte, per channel.
    fn table(&self) -> [[f32; 256]; 3] {
        let mut table = [[0.0; 256]; 3];
        for (c, row) in table.iter_mut().enumerate() {
            for (v, out) in row.iter_mut().enumerate() {
                *out = (v as f32 / 255.0 - self.mean[c]) / self.std[c];
            }
        }
        table
    }
}

simd::multiversion! {
    /// Looks each byte of packed RGB up in its channel's table, into planes.
    fn spread_channels(rgb: &[u8], tables: &[[f32; 256]; 3], planes: [&mut [f32]; 3]) {
        let [red, green, blue] = planes;
        let outputs = red.iter_mut().zip(green.iter_mut()).zip(blue.iter_mut());
        for (p, ((r, g), b)) in rgb.chunks_exact(3).zip(outputs) {
            *r = tables[0][usize::from(p[0])];
            *g = tables[1][usize::from(p[1])];
            *b = tables[2][usize::from(p[2])];
        }
    }
}

impl Default for ClipPreprocess {
    fn default() -> Self {
        Self::CLIP
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crop_is_size_square_for_any_aspect() {
        for (w, h) in [(60, 80), (80, 60), (3, 3), (10, 300), (500, 7), (224, 224), (1, 1)] {
            let img = RgbImage::from_pixel(w, h, image::Rgb([1, 2, 3]));
            let crop = ClipPreprocess::CLIP.crop(&img).expect("crop");
            assert_eq!(crop.dimensions(), (224, 224), "{w}x{h}");
            assert!(crop.pixels().all(|p| p.0 == [1, 2, 3]), "{w}x{h}");
        }
    }

    #[test]
    fn normalisation_is_channel_major() {
        let pre = ClipPreprocess::new(2, [0.5, 0.0, 0.25], [0.5, 1.0, 0.25]).expect("valid");
        let img = RgbImage::from_fn(2, 1, |x, _| image::Rgb([255 * x as u8, 0, 51]));
        let mut out = vec![0.0; 6];
        pre.normalize_into(&img, &mut out).expect("sizes match");
        assert_eq!(out, [-1.0, 1.0, 0.0, 0.0, -0.19999999, -0.19999999]);
    }

    #[test]
    fn bad_settings_and_buffers_are_refused() {
        assert!(ClipPreprocess::new(0, [0.0; 3], [1.0; 3]).is_err());
        assert!(ClipPreprocess::new(100_000, [0.0; 3], [1.0; 3]).is_err());
        assert!(ClipPreprocess::new(224, [0.0; 3], [1.0, 0.0, 1.0]).is_err());
        assert!(ClipPreprocess::new(224, [f32::NAN; 3], [1.0; 3]).is_err());
        let img = RgbImage::new(2, 2);
        let mut short = vec![0.0; 11];
        assert!(matches!(
            ClipPreprocess::CLIP.normalize_into(&img, &mut short),
            Err(ImagingError::BufferSize { expected: 12, actual: 11 })
        ));
    }
}
