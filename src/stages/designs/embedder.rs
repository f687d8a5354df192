//! CLIP embeddings through the item memo: an image's per (image digest, model digest), a
//! prompt's per (text, model digest). A rerun that only moves the threshold finds them all and
//! never loads the model.

use std::cell::{Cell, OnceCell};

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::digest::ContentDigest;
use crate::engine::memo::ItemKey;
use crate::engine::{StageContext, StageError};
use crate::imaging::{ClipPreprocess, DecodeLimits};
use crate::models::{ClipModel, Device, ModelFolder, Runtime};

/// Images per CLIP call (and per memo write).
const BATCH: usize = 32;

#[derive(Serialize)]
struct EmbeddingKey<'a> {
    what: &'static str,
    item: &'a str,
    model: String,
}

pub struct Embedder {
    model_param: &'static str,
    model_digest: ContentDigest,
    device: Device,
    model: OnceCell<ClipModel>,
    computed: Cell<usize>,
    reused: Cell<usize>,
}

/// An image to embed: its name (for messages) and content digest (its memo key).
pub struct ImageItem<'a> {
    pub name: &'a str,
    pub digest: &'a str,
}

impl Embedder {
    /// `model_param` names the CLIP folder; it is loaded on the first memo miss only.
    pub fn new(ctx: &StageContext, model_param: &'static str, device: Device) -> Result<Self, StageError> {
        Ok(Self {
            model_param,
            model_digest: ctx.external_digest(model_param)?,
            device,
            model: OnceCell::new(),
            computed: Cell::new(0),
            reused: Cell::new(0),
        })
    }

    fn key(&self, what: &'static str, item: &str) -> ItemKey {
        let key = EmbeddingKey { what, item, model: self.model_digest.hex() };
        *blake3::hash(&serde_json::to_vec(&key).unwrap_or_default()).as_bytes()
    }

    /// What this embedder has done so far, for the node's log: `N embedding(s) computed, M reused from the memo`.
    pub fn summary(&self) -> String {
        format!("{} CLIP embedding(s) computed, {} reused from the memo", self.computed.get(), self.reused.get())
    }

    /// L2-normalised embeddings of PNG images; `read` gives an item's bytes when it must be embedded.
    pub fn images(
        &self,
        ctx: &StageContext,
        items: &[ImageItem],
        read: impl Fn(&ImageItem) -> Result<Vec<u8>, StageError> + Sync,
    ) -> Result<Vec<Vec<f32>>, StageError> {
        let keys: Vec<ItemKey> = items.iter().map(|i| self.key("clip image embedding", i.digest)).collect();
        let mut found = self.recall(ctx, &keys)?;
        let missing: Vec<usize> = (0..items.len()).filter(|&i| found[i].is_none()).collect();
        for chunk in missing.chunks(BATCH) {
            let model = self.model(ctx)?;
            let preprocess = ClipPreprocess::new(model.image_size() as u32, model.mean(), model.std())
                .map_err(|e| StageError::wrap("CLIP preprocessing", e))?;
            let pixels: Vec<Vec<f32>> = chunk
                .par_iter()
                .map(|&i| {
                    let png = read(&items[i])?;
                    let input = preprocess
                        .preprocess(&png, &DecodeLimits::default())
                        .map_err(|e| StageError::wrap(format!("reading design {}", items[i].name), e))?;
                    Ok(input.chw)
                })
                .collect::<Result<_, StageError>>()?;
            let vectors = model.encode_images(&pixels.concat(), chunk.len()).map_err(|e| self.fail(&e))?;
            self.store(ctx, chunk, &keys, vectors, &mut found)?;
        }
        complete(found)
    }

    /// L2-normalised embeddings of prompts.
    pub fn texts(&self, ctx: &StageContext, texts: &[&str]) -> Result<Vec<Vec<f32>>, StageError> {
        let keys: Vec<ItemKey> = texts.iter().map(|t| self.key("clip text embedding", t)).collect();
        let mut found = self.recall(ctx, &keys)?;
        let missing: Vec<usize> = (0..texts.len()).filter(|&i| found[i].is_none()).collect();
        if !missing.is_empty() {
            let asked: Vec<&str> = missing.iter().map(|&i| texts[i]).collect();
            let vectors = self.model(ctx)?.encode_texts(&asked).map_err(|e| self.fail(&e))?;
            self.store(ctx, &missing, &keys, vectors, &mut found)?;
        }
        complete(found)
    }

    fn recall(&self, ctx: &StageContext, keys: &[ItemKey]) -> Result<Vec<Option<Vec<f32>>>, StageError> {
        let found: Vec<Option<Vec<f32>>> =
            ctx.memo_get(keys)?.into_iter().map(|v| v.and_then(|bytes| decode(&bytes))).collect();
        self.reused.set(self.reused.get() + found.iter().filter(|v| v.is_some()).count());
        Ok(found)
    }

    fn store(
        &self,
        ctx: &StageContext,
        indices: &[usize],
        keys: &[ItemKey],
        vectors: Vec<Vec<f32>>,
        found: &mut [Option<Vec<f32>>],
    ) -> Result<(), StageError> {
        let items: Vec<(ItemKey, Vec<u8>)> = indices.iter().zip(&vectors).map(|(&i, v)| (keys[i], encode(v))).collect();
        ctx.memo_put(&items)?;
        for (&i, v) in indices.iter().zip(vectors) {
            found[i] = Some(v);
        }
        self.computed.set(self.computed.get() + indices.len());
        Ok(())
    }

    fn fail(&self, e: &dyn std::fmt::Display) -> StageError {
        StageError::wrap(format!("CLIP (`{}`)", self.model_param), e)
    }

    fn model(&self, ctx: &StageContext) -> Result<&ClipModel, StageError> {
        if let Some(model) = self.model.get() {
            return Ok(model);
        }
        Runtime::init(ctx.root).map_err(|e| self.fail(&e))?;
        let folder = ModelFolder::open(ctx.path(self.model_param)?).map_err(|e| self.fail(&e))?;
        let model = ClipModel::load(&folder, self.device, ctx.threads).map_err(|e| self.fail(&e))?;
        Ok(self.model.get_or_init(|| model))
    }
}

fn complete(found: Vec<Option<Vec<f32>>>) -> Result<Vec<Vec<f32>>, StageError> {
    found.into_iter().map(|v| v.ok_or_else(|| StageError::new("internal: an embedding was not computed"))).collect()
}

fn encode(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn decode(bytes: &[u8]) -> Option<Vec<f32>> {
    if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
        return None;
    }
    Some(bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
}
