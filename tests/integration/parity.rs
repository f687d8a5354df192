//! End to end from image files: t2d's PIL-exact preprocessing and CLIP through ONNX Runtime
//! against transformers' `get_image_features` on the same files (tests/fixtures/clip).

use std::path::Path;

use t2d::imaging::{ClipPreprocess, DecodeLimits};
use t2d::models::{ClipModel, Device, ModelFolder, Runtime};

#[test]
fn image_files_embed_like_transformers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Runtime::init(root).unwrap_or_else(|e| panic!("{e}"));
    let folder = ModelFolder::open(root.join("models/clip-tiny")).unwrap();
    // Batches of 3, 3 and 2 exercise the batching too.
    let clip = ClipModel::load(&folder, Device::Cpu, 1).unwrap().with_batch_size(3);
    let pre = ClipPreprocess::new(clip.image_size() as u32, clip.mean(), clip.std()).unwrap();
    let golden: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("tests/fixtures/clip/embeddings.json")).unwrap()).unwrap();
    let images = golden["images"].as_array().unwrap();
    assert!(images.len() >= 8);
    let mut pixels = Vec::new();
    for image in images {
        let bytes = std::fs::read(root.join("tests/fixtures/clip").join(image["file"].as_str().unwrap())).unwrap();
        pixels.extend(pre.preprocess(&bytes, &DecodeLimits::default()).unwrap().chw);
    }
    let embeddings = clip.encode_images(&pixels, images.len()).unwrap();
    let mut worst = 0f32;
    for (image, ours) in images.iter().zip(&embeddings) {
        let theirs: Vec<f32> =
            image["embedding"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap() as f32).collect();
        let diff = ours.iter().zip(&theirs).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(diff <= 1e-4, "{}: max |Δ| = {diff}", image["file"]);
        worst = worst.max(diff);
    }
    eprintln!("CLIP image embeddings from files: worst max |Δ| = {worst:e}");
}
