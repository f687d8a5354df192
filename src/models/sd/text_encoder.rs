//! The prompt side: CLIP tokens (77, padded with the manifest's pad id) through the text encoder
//! to `last_hidden_state`, the UNet's cross-attention input (diffusers' `prompt_embeds`).

use std::sync::Arc;

use super::error::SdError;
use crate::models::error::ModelError;
use crate::models::session::{SharedSession, TensorInput};
use crate::models::tokenizer::ClipTokenizer;

pub struct TextEncoder {
    tokenizer: ClipTokenizer,
    session: Arc<SharedSession>,
    input: String,
    hidden_size: usize,
}

impl TextEncoder {
    pub(crate) fn new(
        tokenizer: ClipTokenizer,
        session: Arc<SharedSession>,
        input: String,
        hidden_size: usize,
    ) -> Self {
        TextEncoder { tokenizer, session, input, hidden_size }
    }

    /// `[texts.len(), 77, hidden]` in one run: the texts' embeddings one after another.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<f32>, SdError> {
        let ids: Vec<i64> = self.tokenizer.encode_batch(texts)?.concat();
        let length = self.tokenizer.max_length();
        let shape = vec![texts.len() as i64, length as i64];
        let mut outputs = self.session.run(&[(self.input.as_str(), TensorInput::I64(shape, &ids))])?;
        let expected = [texts.len() as i64, length as i64, self.hidden_size as i64];
        match outputs.first_mut() {
            Some(output) if output.shape == expected => Ok(std::mem::take(&mut output.data)),
            other => Err(ModelError::Session {
                file: self.session.key().file.clone(),
                message: format!(
                    "the text encoder returned shape {:?}, expected {expected:?} (text_hidden_size in manifest.json)",
                    other.map(|o| o.shape.clone())
                ),
            }
            .into()),
        }
    }
}
