//! CLIP (ViT-B/32, or the tiny test model) through ONNX Runtime: L2-normalised image and text
//! embeddings in one space. Images arrive preprocessed (CHW f32, see [`ClipModel::image_size`],
//! [`ClipModel::mean`], [`ClipModel::std`]); this module decodes nothing.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};

use super::device::Device;
use super::error::ModelError;
use super::manifest::{ClipParams, ModelFolder};
use super::precision::Precision;
use super::runtime::Runtime;
use super::session::{SessionKey, SharedSession, TensorInput};
use super::tokenizer::ClipTokenizer;
use super::weights::open_weights;

/// Images per ONNX call unless [`ClipModel::with_batch_size`] says otherwise.
pub const DEFAULT_BATCH_SIZE: usize = 32;

pub struct ClipModel {
    folder: ModelFolder,
    params: ClipParams,
    device: Device,
    threads: usize,
    batch_size: usize,
    /// The copy of the image tower's weights (the text tower always runs in fp32).
    vision_precision: Precision,
    // Loaded on first use: embedding images never needs the text model, and the other way round.
    vision: OnceLock<Arc<SharedSession>>,
    text: OnceLock<Arc<SharedSession>>,
    tokenizer: OnceLock<Arc<ClipTokenizer>>,
}

/// Text embeddings already computed in this process, per text model session.
type TextMemo = HashMap<(SessionKey, String), Vec<f32>>;
static TEXT_MEMO: LazyLock<Mutex<TextMemo>> = LazyLock::new(Mutex::default);

impl ClipModel {
    /// Checks the folder and resolves `device` (`threads`: intra-op threads, 0 = ONNX Runtime's
    /// default). The ONNX sessions are created, and their signatures checked, on first use.
    pub fn load(folder: &ModelFolder, device: Device, threads: usize) -> Result<Self, ModelError> {
        folder.expect_architecture("clip")?;
        let params: ClipParams = folder.params()?;
        let device = Runtime::get()?.resolve(device)?;
        Ok(ClipModel {
            folder: folder.clone(),
            params,
            device,
            threads,
            batch_size: DEFAULT_BATCH_SIZE,
            vision_precision: Precision::Fp32,
            vision: OnceLock::new(),
            text: OnceLock::new(),
            tokenizer: OnceLock::new(),
        })
    }

    pub fn with_batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }

    /// Runs the image tower from its `precision` copy (`int8`: `export.py --int8`, one image per
    /// call). Fails now, naming the export flag, if the folder has no such copy.
    pub fn with_vision_precision(mut self, precision: Precision) -> Result<Self, ModelError> {
        self.folder.weights_file("vision", precision)?;
        self.vision_precision = precision;
        Ok(self)
    }

    /// L2-normalised embeddings of `n` images given as one contiguous `n × 3 × S × S` buffer
    /// (S = [`Self::image_size`]), already resized, cropped and normalised with [`Self::mean`]/[`Self::std`].
    pub fn encode_images(&self, pixels: &[f32], n: usize) -> Result<Vec<Vec<f32>>, ModelError> {
        let size = self.params.image_size;
        let per_image = 3 * size * size;
        if pixels.len() != n * per_image {
            return Err(ModelError::Input(format!(
                "encode_images: {} floats for {n} images of 3×{size}×{size} (expected {})",
                pixels.len(),
                n * per_image
            )));
        }
        let session = self.session(&self.vision, "vision", self.vision_precision)?;
        let input = &self.folder.signature("vision")?.inputs[0].name;
        // Dynamic int8 quantisation scales each call's activations as a whole: in a batch, an
        // image's embedding would depend on the other images in it (and so on the memo's history).
        let batch_size = match self.vision_precision {
            Precision::Int8 => 1,
            _ => self.batch_size,
        };
        let mut embeddings = Vec::with_capacity(n);
        for batch in pixels.chunks(batch_size * per_image) {
            let count = batch.len() / per_image;
            let shape = vec![count as i64, 3, size as i64, size as i64];
            let outputs = session.run(&[(input.as_str(), TensorInput::F32(shape, batch))])?;
            embeddings.extend(self.rows(&outputs[0].shape, &outputs[0].data, count)?);
        }
        Ok(embeddings)
    }

    /// L2-normalised embeddings of `texts`; a text already encoded in this process is not run again.
    pub fn encode_texts(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        let session = self.session(&self.text, "text", Precision::Fp32)?;
        let memo_key = |text: &str| (session.key().clone(), text.to_string());
        let mut missing: Vec<&str> = {
            let memo = TEXT_MEMO.lock().unwrap_or_else(PoisonError::into_inner);
            texts.iter().copied().filter(|t| !memo.contains_key(&memo_key(t))).collect()
        };
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let tokenizer = self.tokenizer()?;
            let input = &self.folder.signature("text")?.inputs[0].name;
            for batch in missing.chunks(self.batch_size) {
                let ids: Vec<i64> = tokenizer.encode_batch(batch)?.concat();
                let shape = vec![batch.len() as i64, tokenizer.max_length() as i64];
                let outputs = session.run(&[(input.as_str(), TensorInput::I64(shape, &ids))])?;
                let rows = self.rows(&outputs[0].shape, &outputs[0].data, batch.len())?;
                let mut memo = TEXT_MEMO.lock().unwrap_or_else(PoisonError::into_inner);
                for (text, row) in batch.iter().zip(rows) {
                    memo.insert(memo_key(text), row);
                }
            }
        }
        let memo = TEXT_MEMO.lock().unwrap_or_else(PoisonError::into_inner);
        texts
            .iter()
            .map(|text| {
                memo.get(&memo_key(text))
                    .cloned()
                    .ok_or_else(|| ModelError::Input(format!("encode_texts: no embedding for {text:?}")))
            })
            .collect()
    }

    /// The model's `[count, embedding_dim]` output as normalised rows.
    fn rows(&self, shape: &[i64], data: &[f32], count: usize) -> Result<Vec<Vec<f32>>, ModelError> {
        let dim = self.params.embedding_dim;
        if shape != [count as i64, dim as i64] {
            return Err(ModelError::Session {
                file: self.folder.dir().to_path_buf(),
                message: format!(
                    "CLIP returned shape {shape:?}, expected [{count}, {dim}] (embedding_dim in manifest.json)"
                ),
            });
        }
        Ok(data.chunks(dim).map(l2_normalised).collect())
    }

    fn session<'a>(
        &self,
        cell: &'a OnceLock<Arc<SharedSession>>,
        role: &str,
        precision: Precision,
    ) -> Result<&'a Arc<SharedSession>, ModelError> {
        if let Some(session) = cell.get() {
            return Ok(session);
        }
        let session = open_weights(&self.folder, role, precision, self.device, self.threads)?;
        Ok(cell.get_or_init(|| session))
    }

    fn tokenizer(&self) -> Result<&ClipTokenizer, ModelError> {
        if let Some(tokenizer) = self.tokenizer.get() {
            return Ok(tokenizer);
        }
        let tokenizer = Arc::new(ClipTokenizer::load(&self.folder)?);
        Ok(self.tokenizer.get_or_init(|| tokenizer))
    }

    pub fn embedding_dim(&self) -> usize {
        self.params.embedding_dim
    }

    /// The side of the square images the vision model takes (224 for ViT-B/32).
    pub fn image_size(&self) -> usize {
        self.params.image_size
    }

    /// Per-channel (RGB) mean subtracted from pixel values in [0, 1].
    pub fn mean(&self) -> [f32; 3] {
        self.params.mean
    }

    /// Per-channel (RGB) standard deviation the centred values are divided by.
    pub fn std(&self) -> [f32; 3] {
        self.params.std
    }

    /// Where the sessions run: `Cpu` or `Cuda(n)`.
    pub fn device(&self) -> Device {
        self.device
    }

    pub fn folder(&self) -> &ModelFolder {
        &self.folder
    }
}

/// `v / ‖v‖`, as torch's `x / x.norm(dim=-1, keepdim=True)`; a zero vector stays zero.
pub fn l2_normalised(v: &[f32]) -> Vec<f32> {
    let norm = v.iter().map(|&x| f64::from(x) * f64::from(x)).sum::<f64>().sqrt() as f32;
    if norm == 0.0 {
        return v.to_vec();
    }
    v.iter().map(|&x| x / norm).collect()
}

#[cfg(test)]
mod tests {
    use super::l2_normalised;

    #[test]
    fn normalises_to_unit_length() {
        assert_eq!(l2_normalised(&[3.0, 4.0]), [0.6, 0.8]);
        assert_eq!(l2_normalised(&[0.0, 0.0]), [0.0, 0.0]);
    }
}
