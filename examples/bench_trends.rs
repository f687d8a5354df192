//! Auto-K timing on a row-major little-endian f32 matrix written by bench/trends.py.
//!
//!     cargo run --release --example bench_trends -- FILE.f32 ROWS [RUNS]
//!
//! Runs `pick_k_auto` (K 6..10, min_cluster_size 50, silhouette on at most 4000 points) RUNS
//! times (default 1) and prints one JSON line: the best wall time, K, cluster sizes and the
//! silhouette of each K. Used by bench/trends.sh, which measures peak memory around it.

use std::io::Read;
use std::time::Instant;

use ndarray::Array2;
use t2d::trends::{pick_k_auto, AutoKParams};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    assert!(args.len() >= 2, "usage: bench_trends FILE.f32 ROWS [RUNS]");
    let rows: usize = args[1].parse().unwrap();
    let runs: usize = args.get(2).map_or(1, |r| r.parse().unwrap());

    // Read in small chunks, so that loading does not itself double the peak memory.
    let mut file = std::fs::File::open(&args[0]).unwrap();
    let mut values = Vec::with_capacity(rows * 512);
    let mut chunk = vec![0u8; 1 << 16];
    while values.len() < rows * 512 {
        let want = chunk.len().min((rows * 512 - values.len()) * 4);
        file.read_exact(&mut chunk[..want]).unwrap();
        values.extend(chunk[..want].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])));
    }
    let x = Array2::from_shape_vec((rows, 512), values).unwrap();

    let params = AutoKParams { min_cluster_size: 50, ..AutoKParams::default() };
    let mut best = f64::INFINITY;
    let mut result = None;
    for _ in 0..runs {
        let start = Instant::now();
        result = Some(pick_k_auto(x.view(), &params).unwrap());
        best = best.min(start.elapsed().as_secs_f64());
    }
    let result = result.expect("RUNS must be at least 1");
    let mut sizes = result.sizes.clone();
    sizes.sort_unstable();
    let silhouettes: Vec<String> =
        result.candidates.iter().map(|c| format!("\"{}\": {:.4}", c.k, c.silhouette.unwrap_or(f64::NAN))).collect();
    println!(
        "{{\"rows\": {rows}, \"seconds\": {best:.4}, \"k\": {}, \"sizes\": {sizes:?}, \"silhouette\": {{{}}}, \"threads\": {}}}",
        result.k,
        silhouettes.join(", "),
        rayon::current_num_threads()
    );
}
