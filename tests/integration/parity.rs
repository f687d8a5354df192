//! End to end from image files: t2d's PIL-exact preprocessing and CLIP through ONNX Runtime
//! against transformers' `get_image_features` on the same files (tests/fixtures/clip).

use std::path::Path;

use t2d::imaging::{ClipPreprocess, DecodeLimits};
use t2d::models::{ClipModel, Device, ModelFolder, Precision, Runtime};

/// The fixture images embedded from their files by the tiny CLIP's `precision` copy, in batches of
/// 3, 3 and 2 (so the batching is exercised too), with the golden entries they answer.
fn embed_fixture_images(precision: Precision, golden_key: &str) -> Vec<(String, Vec<f32>, Vec<f32>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Runtime::init(root).unwrap_or_else(|e| panic!("{e}"));
    let folder = ModelFolder::open(root.join("models/clip-tiny")).unwrap();
    let clip =
        ClipModel::load(&folder, Device::Cpu, 1).unwrap().with_batch_size(3).with_vision_precision(precision).unwrap();
    let pre = ClipPreprocess::new(clip.image_size() as u32, clip.mean(), clip.std()).unwrap();
    let golden: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("tests/fixtures/clip/embeddings.json")).unwrap()).unwrap();
    let images = golden[golden_key].as_array().unwrap();
    assert!(images.len() >= 8);
    let mut pixels = Vec::new();
    for image in images {
        let bytes = std::fs::read(root.join("tests/fixtures/clip").join(image["file"].as_str().unwrap())).unwrap();
        pixels.extend(pre.preprocess(&bytes, &DecodeLimits::default()).unwrap().chw);
    }
    let embeddings = clip.encode_images(&pixels, images.len()).unwrap();
    images
        .iter()
        .zip(embeddings)
        .map(|(image, ours)| {
            let theirs = image["embedding"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap() as f32).collect();
            (image["file"].as_str().unwrap().to_string(), ours, theirs)
        })
        .collect()
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

#[test]
fn image_files_embed_like_transformers() {
    let mut worst = 0f32;
    for (file, ours, theirs) in embed_fixture_images(Precision::Fp32, "images") {
        let diff = max_abs_diff(&ours, &theirs);
        assert!(diff <= 1e-4, "{file}: max |Δ| = {diff}");
        worst = worst.max(diff);
    }
    eprintln!("CLIP image embeddings from files: worst max |Δ| = {worst:e}");
}

#[test]
fn the_int8_image_tower_matches_onnxruntime_and_stays_close_to_fp32() {
    let int8 = embed_fixture_images(Precision::Int8, "images_int8");
    let fp32 = embed_fixture_images(Precision::Fp32, "images");
    let (mut worst, mut lowest_cosine, mut moved) = (0f32, 1f32, 0f32);
    for ((file, ours, theirs), (_, _, transformers)) in int8.iter().zip(&fp32) {
        let diff = max_abs_diff(ours, theirs);
        assert!(diff <= 1e-4, "{file}: max |Δ| to onnxruntime's int8 = {diff}");
        let cosine: f32 = ours.iter().zip(transformers).map(|(a, b)| a * b).sum();
        assert!(cosine >= 0.999, "{file}: cosine to the fp32 embedding {cosine}");
        worst = worst.max(diff);
        lowest_cosine = lowest_cosine.min(cosine);
        moved = moved.max(max_abs_diff(ours, transformers));
    }
    // The int8 copy really ran: its embeddings are not the fp32 ones.
    assert!(moved > 1e-4, "int8 embeddings equal the fp32 ones (max |Δ| {moved})");
    eprintln!(
        "CLIP int8 image embeddings: worst max |Δ| to onnxruntime {worst:e}, lowest cosine to fp32 {lowest_cosine}"
    );
}
