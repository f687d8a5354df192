//! Decode + CLIP preprocess throughput, as `embed` does it: each file read and turned into a
//! 3×224×224 float tensor on the rayon pool, `--batch` images at a time (a batch is dropped
//! before the next is made, so memory does not grow with the number of files).
//!
//!     cargo run --release --example bench_preprocess -- DIR [--batch 32] [--threads N]
//!
//! Prints one JSON line: images (decoded), bad (unreadable, skipped), seconds, images_per_s, threads. Used by bench/catalogue.sh.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use t2d::imaging::{ClipPreprocess, DecodeLimits};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: bench_preprocess DIR [--batch N] [--threads N]"));
    let (mut batch, mut threads) = (32usize, 0usize);
    while let Some(flag) = args.next() {
        let value: usize = args.next().and_then(|v| v.parse().ok()).expect("a number after the flag");
        match flag.as_str() {
            "--batch" => batch = value,
            "--threads" => threads = value,
            other => panic!("unknown flag {other}"),
        }
    }
    rayon::ThreadPoolBuilder::new().num_threads(threads).build_global().unwrap();

    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jpg" || x == "jpeg" || x == "png"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no images in {}", dir.display());

    let pre = ClipPreprocess::CLIP;
    let limits = DecodeLimits::default();
    let start = Instant::now();
    let mut checksum = 0.0f64;
    let mut bad = 0usize;
    for chunk in files.chunks(batch) {
        // Unreadable images (synth makes a few on purpose) are skipped and counted, as embed does.
        let tensors: Vec<Vec<f32>> = chunk
            .par_iter()
            .filter_map(|path| pre.preprocess(&std::fs::read(path).unwrap(), &limits).ok().map(|input| input.chw))
            .collect();
        bad += chunk.len() - tensors.len();
        // Touch the output so that nothing is optimised away.
        checksum += tensors.iter().map(|t| f64::from(t[t.len() / 2])).sum::<f64>();
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"images\": {}, \"bad\": {bad}, \"seconds\": {seconds:.4}, \"images_per_s\": {:.1}, \"threads\": {}, \"batch\": {batch}, \"checksum\": {checksum:.4}}}",
        files.len() - bad,
        (files.len() - bad) as f64 / seconds,
        rayon::current_num_threads()
    );
}
