//! Timings on the benchmark data written by
//! `tests/fixtures/trends/bench_sklearn.py` (ignored by default; they need
//! the data and an optimised build):
//!
//! ```text
//! python3 tests/fixtures/trends/bench_sklearn.py /tmp/t2d-bench
//! CARGO_PROFILE_DEV_OPT_LEVEL=3 T2D_BENCH_DIR=/tmp/t2d-bench \
//!   cargo test --lib trends::bench_tests::four_thousand -- --ignored --nocapture
//! ```
//!
//! Run `forty_four_thousand` alone: it reports the process's peak RSS.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ndarray::Array2;

use super::{pick_k_auto, silhouette_score, AutoK, AutoKParams};

fn bench_dir() -> PathBuf {
    PathBuf::from(std::env::var("T2D_BENCH_DIR").unwrap_or_else(|_| "/tmp/t2d-bench".to_owned()))
}

fn load(name: &str, rows: usize) -> Array2<f32> {
    let bytes = std::fs::read(bench_dir().join(format!("{name}.f32"))).unwrap();
    let values: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Array2::from_shape_vec((rows, 512), values).unwrap()
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = None;
    let mut result = None;
    for _ in 0..runs {
        let start = Instant::now();
        result = Some(f());
        let elapsed = start.elapsed();
        best = Some(best.map_or(elapsed, |b: Duration| b.min(elapsed)));
    }
    (best.unwrap(), result.unwrap())
}

fn seed_params() -> AutoKParams {
    AutoKParams {
        min_cluster_size: 50,
        ..AutoKParams::default()
    }
}

fn describe(result: &AutoK) -> String {
    let mut sizes = result.sizes.clone();
    sizes.sort_unstable();
    let table: Vec<String> = result
        .candidates
        .iter()
        .map(|c| format!("k={} s={:.4}", c.k, c.silhouette.unwrap_or(f64::NAN)))
        .collect();
    format!(
        "K={} refits={} sizes={sizes:?} [{}]",
        result.k,
        result.size_refits,
        table.join(", ")
    )
}

fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

#[test]
#[ignore = "needs bench_sklearn.py data and an optimised build"]
fn four_thousand() {
    for name in ["random_4000x512", "blobs_4000x512"] {
        let x = load(name, 4000);
        let labels_text =
            std::fs::read_to_string(bench_dir().join(format!("{name}.labels.json"))).unwrap();
        let labels: Vec<usize> = serde_json::from_str(&labels_text).unwrap();
        let (t, score) = best_of(5, || silhouette_score(x.view(), &labels).unwrap());
        println!("{name}: silhouette {score:.7} in {:.4} s", t.as_secs_f64());
        let (t, result) = best_of(3, || pick_k_auto(x.view(), &seed_params()).unwrap());
        println!(
            "{name}: pick_k_auto in {:.3} s: {}",
            t.as_secs_f64(),
            describe(&result)
        );
    }
}

#[test]
#[ignore = "needs bench_sklearn.py data and an optimised build"]
fn forty_four_thousand() {
    let x = load("blobs_44000x512", 44_000);
    let before = peak_rss_mib();
    let (t, result) = best_of(1, || pick_k_auto(x.view(), &seed_params()).unwrap());
    println!(
        "blobs_44000x512: pick_k_auto in {:.3} s: {}; peak RSS {} MiB ({} MiB before, input {} MiB)",
        t.as_secs_f64(),
        describe(&result),
        peak_rss_mib(),
        before,
        x.len() * 4 / (1 << 20)
    );
}
