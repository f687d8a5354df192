//! The geometry between an image and its latents: an `H × W` image is `[channels, H/8, W/8]`
//! latents, and the UNet halves those sides per down level, so both must divide evenly.

use super::error::SdError;
use crate::models::manifest::SdParams;

/// The latents of one image: `[1, channels, height, width]` (latent sides, not pixels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LatentShape {
    pub channels: usize,
    pub height: usize,
    pub width: usize,
}

impl LatentShape {
    /// The latents of a `width × height` image; both sides must be positive multiples of
    /// `vae_scale_factor × latent_multiple` (16 for the tiny model, 64 for SD-Turbo).
    pub fn for_image(params: &SdParams, width: usize, height: usize) -> Result<Self, SdError> {
        let multiple = params.vae_scale_factor * params.latent_multiple;
        if multiple == 0
            || width == 0
            || height == 0
            || !width.is_multiple_of(multiple)
            || !height.is_multiple_of(multiple)
        {
            return Err(SdError::Size { width, height, multiple });
        }
        let scale = params.vae_scale_factor;
        Ok(LatentShape { channels: params.latent_channels, height: height / scale, width: width / scale })
    }

    /// Values in one image's latents.
    pub fn len(&self) -> usize {
        self.channels * self.height * self.width
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `[batch, channels, height, width]`.
    pub fn dims(&self, batch: usize) -> [usize; 4] {
        [batch, self.channels, self.height, self.width]
    }

    /// [`Self::dims`] as ONNX Runtime takes a shape.
    pub fn onnx_dims(&self, batch: usize) -> Vec<i64> {
        self.dims(batch).iter().map(|&d| d as i64).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(latent_multiple: usize) -> SdParams {
        SdParams {
            text_hidden_size: 1024,
            latent_channels: 4,
            vae_scaling_factor: 0.18215,
            vae_scale_factor: 8,
            latent_multiple,
            default_image_size: 512,
            scheduler: "EulerDiscreteScheduler".into(),
            prediction_type: "epsilon".into(),
        }
    }

    #[test]
    fn the_seed_notebook_size_fits_sd_turbo() {
        let shape = LatentShape::for_image(&params(8), 384, 512).unwrap();
        assert_eq!(shape.dims(2), [2, 4, 64, 48]);
        assert_eq!(shape.len(), 4 * 64 * 48);
    }

    #[test]
    fn other_sizes_name_the_multiple() {
        for (w, h) in [(500, 512), (384, 520), (0, 512), (48, 64)] {
            let err = LatentShape::for_image(&params(8), w, h).unwrap_err().to_string();
            assert!(err.contains(&format!("{w}×{h}")) && err.contains("multiples of 64"), "{err}");
        }
        assert!(LatentShape::for_image(&params(2), 48, 64).is_ok());
    }
}
