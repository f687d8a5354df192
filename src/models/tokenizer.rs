//! CLIP's BPE tokenizer, read from the model folder's tokenizer.json, giving exactly the ids of
//! transformers' `CLIPTokenizer(text, padding="max_length", truncation=True, max_length=77)`.
//!
//! tokenizer.json as transformers saves it has `truncation: null` and `padding: null` (transformers
//! applies both per call), so they are set here: truncation to `max_length` with room kept for the
//! post-processor's BOS and EOS (so a long text ends `… EOS`, as CLIPTokenizer's does), then
//! padding to `max_length` with the manifest's `pad_id` (49407 for CLIP, 0 = `!` for SD-Turbo).
//! Both tokenizers are checked id for id against transformers in tests/models_parity.rs.

use std::path::PathBuf;

use tokenizers::{
    PaddingDirection, PaddingParams, PaddingStrategy, Tokenizer, TruncationDirection, TruncationParams,
    TruncationStrategy,
};

use super::error::ModelError;
use super::manifest::ModelFolder;

pub struct ClipTokenizer {
    tokenizer: Tokenizer,
    path: PathBuf,
    max_length: usize,
}

impl ClipTokenizer {
    /// The folder's `tokenizer` file, with its manifest's max_length, pad_id, bos_id and eos_id.
    pub fn load(folder: &ModelFolder) -> Result<Self, ModelError> {
        let path = folder.file("tokenizer")?;
        let m = folder.manifest();
        let failed = |message: String| ModelError::Tokenizer { path: path.clone(), message };
        if m.max_length < 3 {
            return Err(failed(format!(
                "max_length {} in manifest.json leaves no room between BOS and EOS",
                m.max_length
            )));
        }
        let mut tokenizer =
            Tokenizer::from_file(&path).map_err(|e| failed(format!("cannot load it ({e}); {}", folder.fix())))?;
        let pad_token = tokenizer
            .id_to_token(m.pad_id)
            .ok_or_else(|| failed(format!("pad_id {} from manifest.json is not in its vocabulary", m.pad_id)))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: m.max_length,
                strategy: TruncationStrategy::LongestFirst,
                direction: TruncationDirection::Right,
                stride: 0,
            }))
            .map_err(|e| failed(e.to_string()))?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::Fixed(m.max_length),
            direction: PaddingDirection::Right,
            pad_to_multiple_of: None,
            pad_id: m.pad_id,
            pad_type_id: 0,
            pad_token,
        }));
        let clip = ClipTokenizer { tokenizer, path, max_length: m.max_length };
        clip.check_special_tokens(m.bos_id, m.eos_id, m.pad_id)?;
        Ok(clip)
    }

    /// The empty text must come out as BOS, EOS, padding: else the file's post-processor is not CLIP's.
    fn check_special_tokens(&self, bos: u32, eos: u32, pad: u32) -> Result<(), ModelError> {
        let ids = self.encode("")?;
        let expected: Vec<i64> =
            [bos, eos].into_iter().chain(std::iter::repeat_n(pad, self.max_length - 2)).map(i64::from).collect();
        if ids == expected {
            return Ok(());
        }
        Err(ModelError::Tokenizer {
            path: self.path.clone(),
            message: format!(
                "encodes \"\" as {:?}…, not [{bos}, {eos}, {pad}, …] (BOS, EOS, padding) as manifest.json says; \
                 it needs CLIP's post-processor (re-export the folder with models/export.py)",
                &ids[..ids.len().min(4)]
            ),
        })
    }

    /// Exactly `max_length` ids: BOS, the text's tokens (cut to fit), EOS, then padding.
    pub fn encode(&self, text: &str) -> Result<Vec<i64>, ModelError> {
        let encoding = self
            .tokenizer
            .encode_fast(text, true)
            .map_err(|e| ModelError::Tokenizer { path: self.path.clone(), message: format!("{e} (text: {text:?})") })?;
        let ids: Vec<i64> = encoding.get_ids().iter().map(|&id| i64::from(id)).collect();
        if ids.len() != self.max_length {
            return Err(ModelError::Tokenizer {
                path: self.path.clone(),
                message: format!("gave {} ids for {text:?}, not {}", ids.len(), self.max_length),
            });
        }
        Ok(ids)
    }

    /// One row of `max_length` ids per text.
    pub fn encode_batch(&self, texts: &[&str]) -> Result<Vec<Vec<i64>>, ModelError> {
        texts.iter().map(|text| self.encode(text)).collect()
    }

    pub fn max_length(&self) -> usize {
        self.max_length
    }
}
