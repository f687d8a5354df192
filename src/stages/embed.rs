//! `embed`: CLIP image embeddings of the sampled photos, L2-normalised, in input order.
//!
//! Decoding and preprocessing run on the rayon pool one batch ahead of inference (a bounded
//! queue), so the model is never starved. Each embedding is memoised per (image digest,
//! model digest, preprocessing version, weights precision): a grown sample embeds only its new images.

use std::collections::BTreeMap;
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;

use super::model_params::{check_device, device_param, load_clip, model_external, model_param, CLIP_HELP};
use super::tables::{embeddings_table, i64s, strings};
use crate::engine::{
    Artifact, ArtifactKind, External, InputSlot, Inputs, OutputSlot, Outputs, ParamSpec, Params, Stage, StageContext,
    StageError,
};
use crate::imaging::{ClipPreprocess, DecodeLimits};
use crate::models::{Precision, PrecisionParseError};

/// Bumped if preprocessing changes what the encoder sees.
const PREPROCESS_VERSION: u32 = 1;

pub struct Embed;

impl Stage for Embed {
    fn kind(&self) -> &'static str {
        "embed"
    }
    fn version(&self) -> u32 {
        1
    }
    fn doc(&self) -> &'static str {
        "CLIP image embeddings (L2-normalised) of the sampled photos"
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![
            InputSlot { name: "items", doc: "sample.items: id, image, image_digest" },
            InputSlot { name: "images", doc: "sample.images: the photos" },
        ]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![OutputSlot::new("embeddings", ArtifactKind::Table).doc("id, embedding")]
    }
    fn params(&self) -> Vec<ParamSpec> {
        vec![
            model_param("model", "models/clip-vit-b32", "CLIP model folder"),
            ParamSpec::int("batch").range(1.0, 4096.0).default(32).execution_only(),
            device_param(),
            ParamSpec::choice("precision", &["fp32", "int8"])
                .default("fp32")
                .doc("image tower weights: int8 is several times faster on a CPU (needs an --int8 export)"),
            ParamSpec::float("max_bad_fraction")
                .range(0.0, 1.0)
                .default(0.05)
                .doc("fail if more of the photos are unreadable"),
        ]
    }
    fn check(&self, params: &Params) -> Vec<(String, String)> {
        check_device(params)
    }
    fn externals(&self, params: &Params) -> Vec<External> {
        vec![model_external(params, "model", CLIP_HELP)]
    }

    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        let items = inputs.table("items")?;
        let ids = i64s(&items, "id")?;
        let names = strings(&items, "image")?;
        let digests = strings(&items, "image_digest")?;
        let photos = inputs.bundle_index("images")?;
        let model_digest = ctx.external_digest("model")?;
        let precision: Precision =
            ctx.params.str("precision")?.parse().map_err(|e: PrecisionParseError| StageError::new(e.to_string()))?;
        let keys: Vec<[u8; 32]> = digests
            .iter()
            .map(|d| {
                let mut h = blake3::Hasher::new();
                h.update(d.as_bytes()).update(model_digest.as_bytes()).update(&PREPROCESS_VERSION.to_le_bytes());
                if precision != Precision::Fp32 {
                    h.update(precision.to_string().as_bytes());
                }
                *h.finalize().as_bytes()
            })
            .collect();
        let mut found: Vec<Option<Vec<f32>>> =
            ctx.memo_get(&keys)?.into_iter().map(|v| v.map(|b| floats(&b))).collect();
        let missing: Vec<usize> = (0..ids.len()).filter(|i| found[*i].is_none()).collect();

        let bar = ctx.progress(ids.len() as u64, "embedding");
        bar.inc((ids.len() - missing.len()) as u64);
        let mut bad: Vec<(String, String)> = Vec::new();
        if !missing.is_empty() {
            let clip = load_clip(ctx, "model")?
                .with_vision_precision(precision)
                .map_err(|e| StageError::new(e.to_string()))?;
            let pre = ClipPreprocess::new(clip.image_size() as u32, clip.mean(), clip.std())
                .map_err(|e| StageError::new(e.to_string()))?;
            let batch = ctx.params.usize("batch")?;
            let limits = DecodeLimits::default();
            let (tx, rx) = sync_channel::<Vec<(usize, Result<Vec<f32>, String>)>>(2);
            std::thread::scope(|scope| -> Result<(), StageError> {
                scope.spawn(|| {
                    // Owned here, so the queue closes when the producer is done.
                    let tx = tx;
                    for chunk in missing.chunks(batch) {
                        let prepared: Vec<(usize, Result<Vec<f32>, String>)> = chunk
                            .par_iter()
                            .map(|&i| {
                                let result = photos
                                    .get(&names[i])
                                    .ok_or_else(|| "not in the sample's photo bundle".to_string())
                                    .and_then(|m| inputs.read_member(m).map_err(|e| e.message))
                                    .and_then(|bytes| {
                                        pre.preprocess(&bytes, &limits).map(|p| p.chw).map_err(|e| e.to_string())
                                    });
                                (i, result)
                            })
                            .collect();
                        if tx.send(prepared).is_err() {
                            return;
                        }
                    }
                });
                for prepared in rx {
                    let mut pixels = Vec::new();
                    let mut order = Vec::new();
                    for (i, result) in prepared {
                        match result {
                            Ok(chw) => {
                                pixels.extend_from_slice(&chw);
                                order.push(i);
                            }
                            Err(why) => bad.push((names[i].clone(), why)),
                        }
                    }
                    let vectors =
                        clip.encode_images(&pixels, order.len()).map_err(|e| StageError::new(e.to_string()))?;
                    let mut fresh = Vec::with_capacity(order.len());
                    for (i, v) in order.iter().zip(vectors) {
                        fresh.push((keys[*i], bytes(&v)));
                        found[*i] = Some(v);
                    }
                    ctx.memo_put(&fresh)?;
                    bar.inc(order.len() as u64);
                }
                Ok(())
            })?;
        }
        bar.finish_and_clear();
        ctx.note(format!(
            "{} image(s) embedded, {} reused from the memo",
            missing.len() - bad.len(),
            ids.len() - missing.len()
        ));
        check_bad(ctx, &bad, ids.len())?;

        let dim = found.iter().flatten().map(Vec::len).next().unwrap_or(0);
        let mut kept_ids = Vec::new();
        let mut data = Vec::new();
        for (id, v) in ids.iter().zip(&found) {
            if let Some(v) = v {
                kept_ids.push(*id);
                data.extend_from_slice(v);
            }
        }
        let table = embeddings_table(&kept_ids, dim, &data)?;
        Ok(BTreeMap::from([("embeddings".to_string(), Artifact::Table(table))]))
    }
}

fn check_bad(ctx: &StageContext, bad: &[(String, String)], total: usize) -> Result<(), StageError> {
    if bad.is_empty() {
        return Ok(());
    }
    let listed: Vec<String> = bad.iter().take(5).map(|(n, why)| format!("{n} ({why})")).collect();
    let fraction = bad.len() as f64 / total.max(1) as f64;
    let limit = ctx.params.float("max_bad_fraction")?;
    if fraction > limit {
        return Err(StageError::new(format!(
            "{} of {total} photos could not be read ({:.1}% > max_bad_fraction {:.1}%): {}",
            bad.len(),
            fraction * 100.0,
            limit * 100.0,
            listed.join("; ")
        ))
        .with_help("fix or remove the files, or raise `max_bad_fraction` on this node"));
    }
    ctx.warn(format!("skipped {} unreadable photo(s): {}", bad.len(), listed.join("; ")));
    Ok(())
}

fn bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn floats(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}
