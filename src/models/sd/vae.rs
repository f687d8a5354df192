//! Latents to pixels. [`LatentDecoder`] is the seam: the pipeline only asks for the raw image, so
//! a tiled decode (bounded memory on large images) or a tiny approximate decoder (TAESD, far
//! fewer FLOPs: the full VAE decode costs more than three UNet steps on a CPU) can replace
//! [`VaeDecoder`], the whole-image decode diffusers does, through `SdTurbo::with_decoder`.

use std::sync::Arc;

use super::error::SdError;
use super::latent_shape::LatentShape;
use crate::models::error::ModelError;
use crate::models::session::{SharedSession, TensorInput};

pub trait LatentDecoder: Send + Sync {
    /// `latents`: one image's final latents `[1, c, h, w]` as the UNet sees them (not yet divided
    /// by the VAE scaling factor). Returns the raw `[1, 3, h·8, w·8]` image, about [-1, 1].
    fn decode(&self, latents: &[f32], shape: LatentShape) -> Result<Vec<f32>, SdError>;
}

/// The VAE decoder in one run over the whole image.
pub struct VaeDecoder {
    session: Arc<SharedSession>,
    input: String,
    scaling_factor: f32,
    scale_factor: usize,
}

impl VaeDecoder {
    pub(crate) fn new(session: Arc<SharedSession>, input: String, scaling_factor: f32, scale_factor: usize) -> Self {
        VaeDecoder { session, input, scaling_factor, scale_factor }
    }
}

impl LatentDecoder for VaeDecoder {
    fn decode(&self, latents: &[f32], shape: LatentShape) -> Result<Vec<f32>, SdError> {
        let scaled: Vec<f32> = latents.iter().map(|x| x / self.scaling_factor).collect();
        let mut outputs = self.session.run(&[(self.input.as_str(), TensorInput::F32(shape.onnx_dims(1), &scaled))])?;
        let expected = [1, 3, (shape.height * self.scale_factor) as i64, (shape.width * self.scale_factor) as i64];
        match outputs.first_mut() {
            Some(output) if output.shape == expected => Ok(std::mem::take(&mut output.data)),
            other => Err(ModelError::Session {
                file: self.session.key().file.clone(),
                message: format!(
                    "the VAE decoder returned shape {:?}, expected {expected:?} (vae_scale_factor in manifest.json)",
                    other.map(|o| o.shape.clone())
                ),
            }
            .into()),
        }
    }
}
