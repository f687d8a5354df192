//! The silhouette coefficient, equal to scikit-learn's `silhouette_score`
//! (euclidean) but computed in blocks: the pairwise distances are made tile by
//! tile from dot products in f64 and immediately summed per cluster, so memory
//! stays O(tile·(tile + features)) per thread plus O(n·k) per accumulator,
//! and no n×n matrix ever exists.
//!
//! Several labelings of the same points (one per candidate K) share one pass
//! over the distance tiles, which is what makes choosing K cheap.

use std::ops::Range;

use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array2, ArrayView1, ArrayView2};
use rayon::prelude::*;

use super::error::TrendsError;
use super::pairwise::{blocks, distance_from_squared, squared_norms};
use super::validate::check_matrix;

/// Rows per side of a distance tile: a 512×512 f64 tile (2 MiB) keeps the
/// f64 matrix multiply near its peak.
const TILE_ROWS: usize = 512;

/// Tiles are dealt round-robin to this many independent accumulators, and the
/// accumulators are added in a fixed order: the result does not depend on the
/// number of threads.
const PARTITIONS: usize = 8;

/// Mean silhouette over all points; a point alone in its cluster counts as 0.
pub fn silhouette_score(x: ArrayView2<f32>, labels: &[usize]) -> Result<f64, TrendsError> {
    let samples = silhouette_samples(x, labels)?;
    Ok(samples.iter().sum::<f64>() / samples.len() as f64)
}

/// The silhouette of every point, as scikit-learn's `silhouette_samples`.
pub fn silhouette_samples(x: ArrayView2<f32>, labels: &[usize]) -> Result<Vec<f64>, TrendsError> {
    Ok(samples_for(x, &[labels])?.into_iter().flatten().collect())
}

/// One mean silhouette per labeling of the same points, from a single pass
/// over the pairwise distances.
pub fn silhouette_scores(x: ArrayView2<f32>, labelings: &[&[usize]]) -> Result<Vec<f64>, TrendsError> {
    let rows = x.nrows() as f64;
    Ok(samples_for(x, labelings)?.iter().map(|samples| samples.iter().sum::<f64>() / rows).collect())
}

/// Labels mapped to `0..sizes.len()` in sorted order of the original values
/// (scikit-learn's `LabelEncoder`), placed at `offset` in the shared
/// per-point accumulator.
struct Coding {
    codes: Vec<usize>,
    sizes: Vec<usize>,
    offset: usize,
}

impl Coding {
    fn new(labels: &[usize], rows: usize, offset: usize) -> Result<Self, TrendsError> {
        if labels.len() != rows {
            return Err(TrendsError::LabelLength { labels: labels.len(), rows });
        }
        let mut distinct = labels.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let max = rows.saturating_sub(1);
        if distinct.len() < 2 || distinct.len() > max {
            return Err(TrendsError::LabelCount { found: distinct.len(), max });
        }
        let codes: Vec<usize> = labels.iter().map(|l| distinct.partition_point(|d| d < l)).collect();
        let mut sizes = vec![0; distinct.len()];
        for &c in &codes {
            sizes[c] += 1;
        }
        Ok(Self { codes, sizes, offset })
    }

    fn columns(&self) -> Range<usize> {
        self.offset..self.offset + self.sizes.len()
    }

    /// The silhouette of point `i` from its distance sums to every cluster.
    fn sample(&self, i: usize, sums: ArrayView1<f64>) -> f64 {
        let own = self.codes[i];
        if self.sizes[own] <= 1 {
            return 0.0;
        }
        let a = sums[own] / (self.sizes[own] - 1) as f64;
        let b = sums
            .iter()
            .zip(&self.sizes)
            .enumerate()
            .filter(|&(c, _)| c != own)
            .map(|(_, (sum, &size))| sum / size as f64)
            .fold(f64::INFINITY, f64::min);
        let scale = a.max(b);
        if scale > 0.0 {
            (b - a) / scale
        } else {
            0.0
        }
    }
}

fn samples_for(x: ArrayView2<f32>, labelings: &[&[usize]]) -> Result<Vec<Vec<f64>>, TrendsError> {
    check_matrix(x)?;
    let mut codings = Vec::with_capacity(labelings.len());
    let mut width = 0;
    for labels in labelings {
        let coding = Coding::new(labels, x.nrows(), width)?;
        width += coding.sizes.len();
        codings.push(coding);
    }
    if codings.is_empty() {
        return Ok(Vec::new());
    }
    let sums = cluster_distance_sums(x, &codings, width, TILE_ROWS);
    Ok(codings
        .iter()
        .map(|coding| {
            sums.rows()
                .into_iter()
                .enumerate()
                .map(|(i, row)| coding.sample(i, row.slice(s![coding.columns()])))
                .collect()
        })
        .collect())
}

/// For every point and every (labeling, cluster) column, the sum of the
/// point's distances to that cluster's members (itself excluded).
fn cluster_distance_sums(x: ArrayView2<f32>, codings: &[Coding], width: usize, tile_rows: usize) -> Array2<f64> {
    let n = x.nrows();
    let norms = squared_norms(x);
    let mut one_hot = Array2::<f64>::zeros((n, width));
    for coding in codings {
        for (i, &code) in coding.codes.iter().enumerate() {
            one_hot[[i, coding.offset + code]] = 1.0;
        }
    }
    let row_blocks = blocks(n, tile_rows);
    let tiles: Vec<(Range<usize>, Range<usize>)> = row_blocks
        .iter()
        .enumerate()
        .flat_map(|(b, rows)| row_blocks[b..].iter().map(move |cols| (rows.clone(), cols.clone())))
        .collect();
    let partitions = PARTITIONS.min(tiles.len());
    let partials: Vec<Array2<f64>> = (0..partitions)
        .into_par_iter()
        .map(|p| {
            let mut acc = Array2::<f64>::zeros((n, width));
            let mut tiler = Tiler::new(x.ncols(), tile_rows.min(n));
            for (rows, cols) in tiles.iter().skip(p).step_by(partitions) {
                tiler.add_tile(x, &norms, &one_hot, rows, cols, &mut acc);
            }
            acc
        })
        .collect();
    let mut total = Array2::<f64>::zeros((n, width));
    for partial in &partials {
        total += partial;
    }
    total
}

/// Scratch space for one thread's tiles, reused from tile to tile.
struct Tiler {
    rows: Array2<f64>,
    columns: Array2<f64>,
    distances: Array2<f64>,
}

impl Tiler {
    fn new(features: usize, tile_rows: usize) -> Self {
        Self {
            rows: Array2::zeros((tile_rows, features)),
            columns: Array2::zeros((features, tile_rows)),
            distances: Array2::zeros((tile_rows, tile_rows)),
        }
    }

    /// Adds the distances between `rows` and `cols` (a tile on or above the
    /// diagonal) to both sides' per-cluster sums.
    fn add_tile(
        &mut self,
        x: ArrayView2<f32>,
        norms: &[f64],
        one_hot: &Array2<f64>,
        rows: &Range<usize>,
        cols: &Range<usize>,
        acc: &mut Array2<f64>,
    ) {
        let mut a = self.rows.slice_mut(s![..rows.len(), ..]);
        a.zip_mut_with(&x.slice(s![rows.clone(), ..]), |o, &v| *o = f64::from(v));
        // Feature-major, so the multiply packs contiguous runs.
        let mut b = self.columns.slice_mut(s![.., ..cols.len()]);
        b.zip_mut_with(&x.slice(s![cols.clone(), ..]).t(), |o, &v| *o = f64::from(v));
        let mut d = self.distances.slice_mut(s![..rows.len(), ..cols.len()]);
        general_mat_mul(1.0, &a, &b, 0.0, &mut d);
        for (mut line, &norm_a) in d.rows_mut().into_iter().zip(&norms[rows.clone()]) {
            for (v, &norm_b) in line.iter_mut().zip(&norms[cols.clone()]) {
                *v = distance_from_squared(norm_a + norm_b - 2.0 * *v);
            }
        }
        let diagonal = rows == cols;
        if diagonal {
            d.diag_mut().fill(0.0);
        }
        general_mat_mul(1.0, &d, &one_hot.slice(s![cols.clone(), ..]), 1.0, &mut acc.slice_mut(s![rows.clone(), ..]));
        if !diagonal {
            general_mat_mul(
                1.0,
                &d.t(),
                &one_hot.slice(s![rows.clone(), ..]),
                1.0,
                &mut acc.slice_mut(s![cols.clone(), ..]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    /// Direct O(n²) silhouette, the textbook definition.
    fn naive(x: &Array2<f32>, labels: &[usize]) -> f64 {
        let n = x.nrows();
        let dist = |i: usize, j: usize| {
            x.row(i)
                .iter()
                .zip(x.row(j).iter())
                .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
                .sum::<f64>()
                .sqrt()
        };
        let clusters: std::collections::BTreeSet<usize> = labels.iter().copied().collect();
        let mut total = 0.0;
        for i in 0..n {
            let mean_to = |c: usize| {
                let members: Vec<usize> = (0..n).filter(|&j| labels[j] == c && j != i).collect();
                members.iter().map(|&j| dist(i, j)).sum::<f64>() / members.len() as f64
            };
            let own_size = labels.iter().filter(|&&l| l == labels[i]).count();
            if own_size == 1 {
                continue;
            }
            let a = mean_to(labels[i]);
            let b = clusters.iter().filter(|&&c| c != labels[i]).map(|&c| mean_to(c)).fold(f64::INFINITY, f64::min);
            total += (b - a) / a.max(b);
        }
        total / n as f64
    }

    #[test]
    fn matches_the_definition_across_several_blocks() {
        let (x, labels) = crate::trends::test_data::blobs(&[300, 250, 1, 200], 8, 0.5, 3);
        let got = silhouette_score(x.view(), &labels).unwrap();
        assert!((got - naive(&x, &labels)).abs() < 1e-9, "{got}");
    }

    #[test]
    fn small_case_by_hand() {
        let x = array![[0.0f32], [1.0], [5.0], [6.0]];
        // a = 1 for every point; b = 5.5 (outer points) or 4.5 (inner points)
        let expected = (2.0 * (4.5 / 5.5) + 2.0 * (3.5 / 4.5)) / 4.0;
        let got = silhouette_score(x.view(), &[7, 7, 3, 3]).unwrap();
        assert!((got - expected).abs() < 1e-12);
    }

    #[test]
    fn singleton_scores_zero() {
        let x = array![[0.0f32], [1.0], [10.0]];
        let samples = silhouette_samples(x.view(), &[0, 0, 1]).unwrap();
        assert_eq!(samples[2], 0.0);
    }

    #[test]
    fn many_labelings_match_one_at_a_time() {
        let (x, labels) = crate::trends::test_data::blobs(&[100, 120, 90], 5, 1.0, 9);
        let other: Vec<usize> = (0..labels.len()).map(|i| i % 4).collect();
        let both = silhouette_scores(x.view(), &[&labels, &other]).unwrap();
        assert_eq!(both[0], silhouette_score(x.view(), &labels).unwrap());
        assert_eq!(both[1], silhouette_score(x.view(), &other).unwrap());
    }

    #[test]
    fn same_bits_on_one_thread_and_many() {
        let (x, labels) = crate::trends::test_data::blobs(&[700, 600, 500], 12, 2.0, 8);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let many = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let a = one.install(|| silhouette_samples(x.view(), &labels).unwrap());
        let b = many.install(|| silhouette_samples(x.view(), &labels).unwrap());
        assert_eq!(a, b);
    }

    #[test]
    fn rejects_bad_labels() {
        let x = array![[0.0f32], [1.0], [2.0]];
        assert_eq!(silhouette_score(x.view(), &[0, 0, 0]), Err(TrendsError::LabelCount { found: 1, max: 2 }));
        assert_eq!(silhouette_score(x.view(), &[0, 1, 2]), Err(TrendsError::LabelCount { found: 3, max: 2 }));
        assert_eq!(silhouette_score(x.view(), &[0, 1]), Err(TrendsError::LabelLength { labels: 2, rows: 3 }));
        let bad = array![[0.0f32], [f32::INFINITY], [2.0]];
        assert_eq!(silhouette_score(bad.view(), &[0, 0, 1]), Err(TrendsError::NonFinite { row: 1, column: 0 }));
    }
}
