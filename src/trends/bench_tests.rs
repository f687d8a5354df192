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

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ndarray::Array2;

use super::{pick_k_auto, silhouette_score, AutoK, AutoKParams};

fn bench_dir() -> PathBuf {
    PathBuf::from(std::env::var("T2D_BENCH_DIR").unwrap_or_else(|_| "/tmp/t2d-bench".to_owned()))
}

/// Reads a little-endian f32 matrix in small chunks, so that loading does
/// not itself double the peak memory.
fn load(name: &str, rows: usize) -> Array2<f32> {
    let mut file = std::fs::File::open(bench_dir().join(format!("{name}.f32"))).unwrap();
    let mut values = Vec::with_capacity(rows * 512);
    let mut chunk = vec![0u8; 1 << 16];
    while values.len() < rows * 512 {
        let want = chunk.len().min((rows * 512 - values.len()) * 4);
        file.read_exact(&mut chunk[..want]).unwrap();
        values.extend(chunk[..want].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])));
    }
    Array2::from_shape_vec((rows, 512), values).unwrap()
}

/// User + system CPU seconds of this process so far (10 ms resolution).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Best wall time over `runs` calls, with the CPU time of that call.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> ((Duration, f64), T) {
    let mut best: Option<(Duration, f64)> = None;
    let mut result = None;
    for _ in 0..runs {
        let (start, cpu) = (Instant::now(), cpu_seconds());
        result = Some(f());
        let (wall, cpu) = (start.elapsed(), cpu_seconds() - cpu);
        if best.is_none_or(|(b, _)| wall < b) {
            best = Some((wall, cpu));
        }
    }
    (best.unwrap(), result.unwrap())
}

fn seed_params() -> AutoKParams {
    AutoKParams { min_cluster_size: 50, ..AutoKParams::default() }
}

fn describe(result: &AutoK) -> String {
    let mut sizes = result.sizes.clone();
    sizes.sort_unstable();
    let table: Vec<String> =
        result.candidates.iter().map(|c| format!("k={} s={:.4}", c.k, c.silhouette.unwrap_or(f64::NAN))).collect();
    format!("K={} refits={} sizes={sizes:?} [{}]", result.k, result.size_refits, table.join(", "))
}

/// A memory figure of this process from /proc/self/status, in MiB:
/// "VmHWM" (peak resident) or "VmRSS" (current).
fn memory_mib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

#[test]
#[ignore = "needs bench_sklearn.py data and an optimised build"]
fn four_thousand() {
    for name in ["random_4000x512", "blobs_4000x512"] {
        let x = load(name, 4000);
        let labels_text = std::fs::read_to_string(bench_dir().join(format!("{name}.labels.json"))).unwrap();
        let labels: Vec<usize> = serde_json::from_str(&labels_text).unwrap();
        let ((t, cpu), score) = best_of(5, || silhouette_score(x.view(), &labels).unwrap());
        println!("{name}: silhouette {score:.7} in {:.4} s (cpu {cpu:.2} s)", t.as_secs_f64());
        let ((t, cpu), result) = best_of(3, || pick_k_auto(x.view(), &seed_params()).unwrap());
        println!("{name}: pick_k_auto in {:.3} s (cpu {cpu:.2} s): {}", t.as_secs_f64(), describe(&result));
    }
}

#[test]
#[ignore = "needs bench_sklearn.py data and an optimised build"]
fn forty_four_thousand() {
    let x = load("blobs_44000x512", 44_000);
    let before = memory_mib("VmHWM:");
    let ((t, cpu), result) = best_of(1, || pick_k_auto(x.view(), &seed_params()).unwrap());
    println!(
        "blobs_44000x512: pick_k_auto in {:.3} s (cpu {cpu:.2} s): {}; peak RSS {} MiB ({} MiB after loading the input of {} MiB)",
        t.as_secs_f64(),
        describe(&result),
        memory_mib("VmHWM:"),
        before,
        x.len() * 4 / (1 << 20)
    );
}
