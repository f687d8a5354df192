//! The denoiser: one UNet call predicts the noise in a batch of latents at one timestep, given
//! the prompt embeddings (one row per latent in the batch).

use std::sync::Arc;

use super::error::SdError;
use super::latent_shape::LatentShape;
use crate::models::error::ModelError;
use crate::models::session::{SharedSession, TensorInput};

pub struct Unet {
    session: Arc<SharedSession>,
    /// The manifest's input names: sample, timestep, encoder_hidden_states.
    inputs: [String; 3],
    /// One embeddings row: `[tokens, hidden]`.
    context: [usize; 2],
}

impl Unet {
    pub(crate) fn new(session: Arc<SharedSession>, inputs: [String; 3], context: [usize; 2]) -> Self {
        Unet { session, inputs, context }
    }

    /// The model output for `sample` (`[batch, c, h, w]` per `shape`) at `timestep`, given
    /// `embeds` (`[batch, tokens, hidden]`); same shape as `sample`.
    pub fn predict(
        &self,
        sample: &[f32],
        shape: LatentShape,
        batch: usize,
        timestep: f32,
        embeds: &[f32],
    ) -> Result<Vec<f32>, SdError> {
        let [tokens, hidden] = self.context;
        if sample.len() != batch * shape.len() || embeds.len() != batch * tokens * hidden {
            return Err(ModelError::Input(format!(
                "UNet: {} sample and {} embedding values for a batch of {batch} of {:?} and [{tokens}, {hidden}]",
                sample.len(),
                embeds.len(),
                shape.dims(1)
            ))
            .into());
        }
        let dims = shape.onnx_dims(batch);
        let embeds_dims = vec![batch as i64, tokens as i64, hidden as i64];
        let timestep = [timestep];
        let [sample_name, timestep_name, embeds_name] = &self.inputs;
        let mut outputs = self.session.run(&[
            (sample_name.as_str(), TensorInput::F32(dims.clone(), sample)),
            (timestep_name.as_str(), TensorInput::F32(vec![1], &timestep)),
            (embeds_name.as_str(), TensorInput::F32(embeds_dims, embeds)),
        ])?;
        match outputs.first_mut() {
            Some(output) if output.shape == dims => Ok(std::mem::take(&mut output.data)),
            other => Err(ModelError::Session {
                file: self.session.key().file.clone(),
                message: format!(
                    "the UNet returned shape {:?} for a sample of shape {dims:?}",
                    other.map(|o| o.shape.clone())
                ),
            }
            .into()),
        }
    }
}
