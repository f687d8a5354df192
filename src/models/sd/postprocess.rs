//! The VAE's raw output to pixels, as diffusers does it: `VaeImageProcessor.postprocess`
//! (`x/2 + 0.5` clamped to [0, 1], NCHW → HWC) then `numpy_to_pil` (`(x * 255).round()`).

/// `[1, 3, height, width]` raw decoder output → `height × width × 3` floats in [0, 1].
pub fn to_unit_hwc(raw: &[f32], height: usize, width: usize) -> Vec<f32> {
    let plane = height * width;
    let mut image = vec![0.0f32; 3 * plane];
    for (channel, values) in raw.chunks_exact(plane).take(3).enumerate() {
        for (pixel, &x) in values.iter().enumerate() {
            image[pixel * 3 + channel] = (x * 0.5 + 0.5).clamp(0.0, 1.0);
        }
    }
    image
}

/// Floats in [0, 1] → bytes, rounding `x * 255` half to even as numpy does.
pub fn to_rgb8(image: &[f32]) -> Vec<u8> {
    image.iter().map(|&x| (x * 255.0).round_ties_even().clamp(0.0, 255.0) as u8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planes_become_interleaved_pixels() {
        // 1×2 image: R = [-1, 1], G = [0, 3], B = [-3, 0.5].
        let raw = [-1.0, 1.0, 0.0, 3.0, -3.0, 0.5];
        assert_eq!(to_unit_hwc(&raw, 1, 2), [0.0, 0.5, 0.0, 1.0, 1.0, 0.75]);
    }

    #[test]
    fn bytes_round_like_numpy() {
        // h / 255 * 255 is exactly h in f32 for these halves; numpy rounds them to even.
        for (half, expected) in [(0.5f32, 0u8), (1.5, 2), (2.5, 2), (126.5, 126), (127.5, 128), (254.5, 254)] {
            let x = half / 255.0;
            assert_eq!(x * 255.0, half);
            assert_eq!(to_rgb8(&[x]), [expected], "{half}");
        }
        assert_eq!(to_rgb8(&[0.0, 1.0, 0.2]), [0, 255, 51]);
    }
}
