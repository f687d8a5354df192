//! t2d's CLIP image encoder alone, to put the `embed` node's end-to-end rate in context:
//! the time to open the ONNX session, then the model-only rate on preprocessed images.
//!
//!     cargo run --release --example bench_embed -- MODEL_DIR IMAGES_DIR N [--threads T]
//!
//! Preprocesses the first N readable images of IMAGES_DIR (untimed), then times
//! `ClipModel::encode_images` in batches of 32. Prints one JSON line. Used by bench/models.sh.

use std::path::{Path, PathBuf};
use std::time::Instant;

use t2d::imaging::{ClipPreprocess, DecodeLimits};
use t2d::models::{ClipModel, Device, ModelFolder, Runtime};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    assert!(args.len() >= 3, "usage: bench_embed MODEL_DIR IMAGES_DIR N [--threads T]");
    let n: usize = args[2].parse().unwrap();
    let threads: usize = match args.get(3).map(String::as_str) {
        Some("--threads") => args[4].parse().unwrap(),
        _ => std::thread::available_parallelism().map_or(1, |p| p.get()),
    };
    Runtime::init(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let clip = ClipModel::load(&ModelFolder::open(&args[0]).unwrap(), Device::Cpu, threads).unwrap();

    let mut files: Vec<PathBuf> = std::fs::read_dir(&args[1]).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let pre = ClipPreprocess::new(clip.image_size() as u32, clip.mean(), clip.std()).unwrap();
    let limits = DecodeLimits::default();
    let pixels: Vec<f32> = files
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| pre.preprocess(&std::fs::read(p).unwrap(), &limits).ok())
        .take(n)
        .flat_map(|input| input.chw)
        .collect();
    let n = pixels.len() / pre.chw_len();

    let start = Instant::now();
    clip.encode_images(&pixels[..pre.chw_len()], 1).unwrap();
    let session_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    for batch in pixels.chunks(32 * pre.chw_len()) {
        clip.encode_images(batch, batch.len() / pre.chw_len()).unwrap();
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"images\": {n}, \"session_seconds\": {session_seconds:.3}, \"model_seconds\": {seconds:.3}, \"model_images_per_s\": {:.2}, \"threads\": {threads}}}",
        n as f64 / seconds
    );
}
