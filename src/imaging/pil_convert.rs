//! Pillow's `Image.convert("RGB")` for the pixel layouts the decoders hand
//! over. Pillow drops alpha rather than compositing it, keeps the high byte of
//! 16-bit colour samples, clips 16-bit grey (`I;16`) at 255, and reads every
//! CMYK JPEG as Adobe-inverted.

/// One decoded pixel's layout, named after the Pillow mode it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SourcePixel {
    /// `L`, `LA`, `1`; 16-bit big-endian `LA` keeps its high byte.
    Gray { bytes_per_pixel: usize },
    /// Pillow's `I;16`: big-endian 16-bit grey, values over 255 become 255.
    Gray16Clipped { bytes_per_pixel: usize },
    /// `RGB`, `RGBA`; `bytes_per_sample` is 2 for big-endian 16-bit samples.
    Rgb { bytes_per_pixel: usize, bytes_per_sample: usize },
    /// Four bytes as libjpeg stores them, which Pillow reads as `CMYK;I`.
    AdobeCmyk,
}

impl SourcePixel {
    pub(super) fn bytes_per_pixel(self) -> usize {
        match self {
            SourcePixel::Gray { bytes_per_pixel }
            | SourcePixel::Gray16Clipped { bytes_per_pixel }
            | SourcePixel::Rgb { bytes_per_pixel, .. } => bytes_per_pixel,
            SourcePixel::AdobeCmyk => 4,
        }
    }
}

/// Converts whole pixels of `src` into packed RGB in `dst`.
pub(super) fn to_rgb(src: &[u8], pixel: SourcePixel, dst: &mut [u8]) {
    let pixels = src.chunks_exact(pixel.bytes_per_pixel());
    let out = dst.chunks_exact_mut(3);
    match pixel {
        SourcePixel::Gray { .. } => {
            for (p, o) in pixels.zip(out) {
                o.fill(p[0]);
            }
        }
        SourcePixel::Gray16Clipped { .. } => {
            for (p, o) in pixels.zip(out) {
                o.fill(if p[0] == 0 { p[1] } else { 255 });
            }
        }
        SourcePixel::Rgb { bytes_per_sample, .. } => {
            for (p, o) in pixels.zip(out) {
                o[0] = p[0];
                o[1] = p[bytes_per_sample];
                o[2] = p[2 * bytes_per_sample];
            }
        }
        SourcePixel::AdobeCmyk => {
            for (p, o) in pixels.zip(out) {
                let nk = u32::from(p[3]);
                for (o, &stored) in o.iter_mut().zip(&p[..3]) {
                    *o = cmyk_channel(255 - u32::from(stored), nk);
                }
            }
        }
    }
}

/// Pillow's `cmyk2rgb` for one channel: `nk - c·nk/255`, rounded as its
/// `MULDIV255` macro does.
fn cmyk_channel(ink: u32, nk: u32) -> u8 {
    let t = ink * nk + 128;
    let covered = ((t >> 8) + t) >> 8;
    nk.saturating_sub(covered).min(255) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(src: &[u8], pixel: SourcePixel) -> Vec<u8> {
        let mut dst = vec![0; src.len() / pixel.bytes_per_pixel() * 3];
        to_rgb(src, pixel, &mut dst);
        dst
    }

    #[test]
    fn alpha_is_dropped_not_composited() {
        let rgba = [10, 20, 30, 0, 40, 50, 60, 128];
        let pixel = SourcePixel::Rgb { bytes_per_pixel: 4, bytes_per_sample: 1 };
        assert_eq!(convert(&rgba, pixel), [10, 20, 30, 40, 50, 60]);
        let la = [7, 0, 9, 255];
        let gray = SourcePixel::Gray { bytes_per_pixel: 2 };
        assert_eq!(convert(&la, gray), [7, 7, 7, 9, 9, 9]);
    }

    #[test]
    fn sixteen_bit_colour_keeps_the_high_byte() {
        let rgb16 = [0x12, 0xff, 0x34, 0x00, 0xff, 0x80];
        let pixel = SourcePixel::Rgb { bytes_per_pixel: 6, bytes_per_sample: 2 };
        assert_eq!(convert(&rgb16, pixel), [0x12, 0x34, 0xff]);
    }

    #[test]
    fn sixteen_bit_grey_clips_at_255() {
        let i16 = [0x00, 0x20, 0x00, 0xff, 0x01, 0x00, 0xff, 0xff];
        let pixel = SourcePixel::Gray16Clipped { bytes_per_pixel: 2 };
        assert_eq!(convert(&i16, pixel), [0x20, 0x20, 0x20, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    }

    #[test]
    fn cmyk_matches_pillow_values() {
        // Pillow: Image.new("CMYK", (1, 1), (10, 200, 30, 50)) saved as JPEG is
        // stored inverted; convert("RGB") of the pixel gives (197, 44, 181).
        let stored = [255 - 10, 255 - 200, 255 - 30, 255 - 50];
        assert_eq!(convert(&stored, SourcePixel::AdobeCmyk), [197, 44, 181]);
    }
}
