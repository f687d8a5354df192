//! SD-Turbo designs through the item memo: the PNG for a (prompt, seed, model, settings) is
//! made once, kept as an object in the store, and found again by any later run — so changing
//! one cluster's prompt regenerates that cluster only, and a refine round already made is free.

use std::cell::{Cell, OnceCell};
use std::time::Instant;

use serde::Serialize;

use super::params::GenSettings;
use super::versions::Version;
use crate::engine::artifact::encode_png;
use crate::engine::digest::ContentDigest;
use crate::engine::memo::ItemKey;
use crate::engine::{StageContext, StageError};
use crate::models::{Device, GenerateRequest, ModelFolder, Runtime, SdTurbo};

/// One design to make; `name` (the image's file name) is only for messages.
#[derive(Clone, Debug)]
pub struct DesignRequest {
    pub name: String,
    pub prompt: String,
    pub seed: i64,
}

impl DesignRequest {
    pub fn of(version: &Version) -> Self {
        Self { name: version.image.clone(), prompt: version.prompt.clone(), seed: version.seed }
    }
}

pub struct Design {
    pub digest: ContentDigest,
    pub png: Vec<u8>,
}

/// Everything a design depends on, hashed into its memo key.
#[derive(Serialize)]
struct DesignKey<'a> {
    what: &'static str,
    prompt: &'a str,
    seed: i64,
    model: String,
    width: usize,
    height: usize,
    steps: usize,
    guidance: f32,
    precision: String,
}

pub struct Designer {
    model_param: &'static str,
    model_digest: ContentDigest,
    settings: GenSettings,
    device: Device,
    model: OnceCell<SdTurbo>,
    generated: Cell<usize>,
    reused: Cell<usize>,
    seconds: Cell<f64>,
}

impl Designer {
    /// `model_param` names the SD-Turbo folder; it is loaded on the first memo miss only.
    pub fn new(
        ctx: &StageContext,
        model_param: &'static str,
        settings: GenSettings,
        device: Device,
    ) -> Result<Self, StageError> {
        Ok(Self {
            model_param,
            model_digest: ctx.external_digest(model_param)?,
            settings,
            device,
            model: OnceCell::new(),
            generated: Cell::new(0),
            reused: Cell::new(0),
            seconds: Cell::new(0.0),
        })
    }

    fn key(&self, request: &DesignRequest) -> ItemKey {
        let s = &self.settings;
        let key = DesignKey {
            what: "sd-turbo design png",
            prompt: &request.prompt,
            seed: request.seed,
            model: self.model_digest.hex(),
            width: s.width,
            height: s.height,
            steps: s.steps,
            guidance: s.guidance,
            precision: s.precision.to_string(),
        };
        *blake3::hash(&serde_json::to_vec(&key).unwrap_or_default()).as_bytes()
    }

    /// What this designer has done so far, for the node's log: `N design(s) generated, M reused from the memo`.
    pub fn summary(&self) -> String {
        let generated = self.generated.get();
        let pace = if generated > 0 {
            format!(" ({:.2} s/design)", self.seconds.get() / generated as f64)
        } else {
            String::new()
        };
        format!("{generated} design(s) generated{pace}, {} reused from the memo", self.reused.get())
    }

    /// The PNG of each request, from the memo where it is there, else generated.
    pub fn make(&self, ctx: &StageContext, requests: &[DesignRequest]) -> Result<Vec<Design>, StageError> {
        let keys: Vec<ItemKey> = requests.iter().map(|r| self.key(r)).collect();
        let found = ctx.memo_get(&keys)?;
        let bar = ctx.progress(requests.len() as u64, "designs");
        let mut designs = Vec::with_capacity(requests.len());
        for ((request, key), memo) in requests.iter().zip(&keys).zip(found) {
            if let Some(design) = memo.and_then(|value| recall(ctx, &value)) {
                designs.push(design);
                self.reused.set(self.reused.get() + 1);
                bar.inc(1);
                continue;
            }
            let started = Instant::now();
            let png = self.generate(ctx, request)?;
            let digest = ctx.put_blob(&png)?;
            ctx.memo_put(&[(*key, remember(&digest, png.len()))])?;
            designs.push(Design { digest, png });
            self.generated.set(self.generated.get() + 1);
            self.seconds.set(self.seconds.get() + started.elapsed().as_secs_f64());
            bar.set_message(format!("{:.2} s/image", self.seconds.get() / self.generated.get() as f64));
            bar.inc(1);
        }
        bar.finish_and_clear();
        Ok(designs)
    }

    fn generate(&self, ctx: &StageContext, request: &DesignRequest) -> Result<Vec<u8>, StageError> {
        let s = &self.settings;
        let seed = u64::try_from(request.seed)
            .map_err(|_| StageError::new(format!("{}: seed {} is negative", request.name, request.seed)))?;
        let asked = GenerateRequest::new(request.prompt.as_str())
            .size(s.width, s.height)
            .steps(s.steps)
            .guidance(s.guidance)
            .seed(seed);
        let generated = self.model(ctx)?.generate(&asked).map_err(|e| StageError::wrap(&request.name, e))?;
        let image = image::RgbImage::from_raw(generated.width as u32, generated.height as u32, generated.rgb)
            .ok_or_else(|| StageError::new(format!("{}: SD-Turbo returned a short image", request.name)))?;
        encode_png(&image).map_err(|e| StageError::wrap(&request.name, e))
    }

    fn model(&self, ctx: &StageContext) -> Result<&SdTurbo, StageError> {
        if let Some(model) = self.model.get() {
            return Ok(model);
        }
        let fail =
            |e: &dyn std::fmt::Display| StageError::wrap(format!("loading SD-Turbo (`{}`)", self.model_param), e);
        Runtime::init(ctx.root).map_err(|e| fail(&e))?;
        let folder = ModelFolder::open(ctx.path(self.model_param)?).map_err(|e| fail(&e))?;
        let model = SdTurbo::load(&folder, self.device, ctx.threads, self.settings.precision).map_err(|e| fail(&e))?;
        Ok(self.model.get_or_init(|| model))
    }
}

/// Memo value: the PNG object's digest and size.
fn remember(digest: &ContentDigest, size: usize) -> Vec<u8> {
    let mut value = digest.as_bytes().to_vec();
    value.extend_from_slice(&(size as u64).to_le_bytes());
    value
}

/// The design a memo value points to, if its object is still in the store (`t2d gc` may have dropped it).
fn recall(ctx: &StageContext, value: &[u8]) -> Option<Design> {
    let (digest, size) = value.split_at_checked(32)?;
    let digest = ContentDigest::from_hash(blake3::Hash::from_bytes(digest.try_into().ok()?));
    let size = u64::from_le_bytes(size.try_into().ok()?);
    let png = ctx.read_blob(&digest, size)?;
    Some(Design { digest, png })
}
