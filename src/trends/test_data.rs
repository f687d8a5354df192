//! Deterministic synthetic data for the trends tests: Gaussian blobs around
//! random centres, optionally on the unit sphere like CLIP embeddings.

use ndarray::Array2;
use rand::Rng;

use super::seeded::{seeded_rng, Stream};

/// A standard normal draw by Box–Muller.
fn normal(rng: &mut impl Rng) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Blobs of the given sizes in `dim` dimensions: centres uniform in
/// [-10, 10]^dim, points with standard deviation `spread`. Rows are
/// interleaved across blobs so that no cluster is a contiguous block.
pub(crate) fn blobs(sizes: &[usize], dim: usize, spread: f64, seed: u64) -> (Array2<f32>, Vec<usize>) {
    let mut rng = seeded_rng(seed, Stream::Choice);
    let centres: Vec<Vec<f64>> =
        sizes.iter().map(|_| (0..dim).map(|_| rng.random_range(-10.0..10.0)).collect()).collect();
    let mut labels: Vec<usize> = sizes.iter().enumerate().flat_map(|(c, &size)| std::iter::repeat_n(c, size)).collect();
    for i in (1..labels.len()).rev() {
        labels.swap(i, rng.random_range(0..=i));
    }
    let mut x = Array2::<f32>::zeros((labels.len(), dim));
    for (mut row, &c) in x.rows_mut().into_iter().zip(&labels) {
        for (v, &centre) in row.iter_mut().zip(&centres[c]) {
            *v = (centre + spread * normal(&mut rng)) as f32;
        }
    }
    (x, labels)
}

/// Like [`blobs`], with every row scaled to unit length.
pub(crate) fn unit_blobs(sizes: &[usize], dim: usize, spread: f64, seed: u64) -> (Array2<f32>, Vec<usize>) {
    let (mut x, labels) = blobs(sizes, dim, spread, seed);
    for mut row in x.rows_mut() {
        let norm = row.iter().map(|v| v * v).sum::<f32>().sqrt();
        row.mapv_inplace(|v| v / norm);
    }
    (x, labels)
}
