//! Seeded k-means with scikit-learn's defaults (k-means++ init, one run,
//! Lloyd iterations, at most 300 of them, tolerance relative to the data's
//! variance), written by hand so that the assignment step is a blocked matrix
//! multiply spread over threads, and so that one seed gives one result.

use std::ops::Range;

use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array2, ArrayView2, Axis, Zip};
use rayon::prelude::*;

use super::error::TrendsError;
use super::kmeans_init::kmeans_plus_plus;
use super::pairwise::{blocks, squared_norms, BLOCK_ROWS};
use super::points::Points;
use super::seeded::{seeded_rng, Stream};
use super::validate::check_matrix;

/// Settings for one k-means fit.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams {
    pub k: usize,
    pub max_iterations: usize,
    /// Stop when the centres move less than this, as a fraction of the mean
    /// per-feature variance (scikit-learn's `tol`).
    pub tolerance: f64,
    pub seed: u64,
}

impl KMeansParams {
    /// scikit-learn's defaults and the seed notebook's `random_state=42`.
    pub fn new(k: usize) -> Self {
        Self { k, max_iterations: 300, tolerance: 1e-4, seed: 42 }
    }
}

/// The outcome of a fit; `labels[i]` indexes a row of `centroids`.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansFit {
    pub centroids: Array2<f32>,
    pub labels: Vec<usize>,
    /// Sum of squared distances of the points to their centres.
    pub inertia: f64,
    pub iterations: usize,
    pub converged: bool,
}

impl KMeansFit {
    /// Number of points in each cluster.
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.centroids.nrows()];
        for &label in &self.labels {
            sizes[label] += 1;
        }
        sizes
    }
}

/// Clusters the rows of `x` into `params.k` groups.
pub fn kmeans(x: ArrayView2<f32>, params: &KMeansParams) -> Result<KMeansFit, TrendsError> {
    check_matrix(x)?;
    check_params(x.nrows(), params)?;
    Ok(fit_checked(&Points::new(x), params))
}

pub(crate) fn check_params(points: usize, params: &KMeansParams) -> Result<(), TrendsError> {
    if params.k == 0 || params.k > points {
        return Err(TrendsError::TooManyClusters { k: params.k, points });
    }
    if params.max_iterations == 0 {
        return Err(TrendsError::NoIterations);
    }
    Ok(())
}

/// [`kmeans`] on input that has already been checked.
pub(crate) fn fit_checked(points: &Points, params: &KMeansParams) -> KMeansFit {
    let mut rng = seeded_rng(params.seed, Stream::KMeansInit);
    let mut centroids = kmeans_plus_plus(points, params.k, &mut rng);
    let tolerance = params.tolerance * mean_variance(points.columns.view());
    let mut previous: Option<Vec<usize>> = None;
    let mut iterations = 0;
    let mut converged = false;
    while iterations < params.max_iterations && !converged {
        iterations += 1;
        let step = assign(points, centroids.view());
        let updated = step.centroids(points.rows(), centroids.view());
        let shift: f64 =
            Zip::from(&updated).and(&centroids).fold(0.0, |acc, &a, &b| acc + (f64::from(a) - f64::from(b)).powi(2));
        centroids = updated;
        converged = previous.as_ref() == Some(&step.labels) || shift <= tolerance;
        previous = Some(step.labels);
    }
    // A last assignment so that the labels belong to the final centres.
    let last = assign(points, centroids.view());
    KMeansFit { centroids, inertia: last.min_squared.iter().sum(), labels: last.labels, iterations, converged }
}

/// Mean over features of the population variance, in f64, from the
/// feature-major copy (one contiguous row per feature).
fn mean_variance(features: ArrayView2<f32>) -> f64 {
    let n = features.ncols() as f64;
    let total: f64 = features
        .rows()
        .into_iter()
        .map(|feature| {
            let mean = feature.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
            feature.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum::<f64>() / n
        })
        .sum();
    total / features.nrows() as f64
}

/// The E-step: nearest centre of every point, plus the per-cluster sums the
/// M-step needs.
struct Assignment {
    labels: Vec<usize>,
    min_squared: Vec<f64>,
    sums: Array2<f64>,
    counts: Vec<usize>,
}

fn assign(points: &Points, centroids: ArrayView2<f32>) -> Assignment {
    let centre_norms = squared_norms(centroids);
    let parts: Vec<Assignment> = blocks(points.len(), BLOCK_ROWS)
        .into_par_iter()
        .map(|block| assign_block(points, block, centroids, &centre_norms))
        .collect();
    // Added in block order, so the sums do not depend on the thread count.
    let mut total = Assignment {
        labels: Vec::with_capacity(points.len()),
        min_squared: Vec::with_capacity(points.len()),
        sums: Array2::zeros(centroids.dim()),
        counts: vec![0; centroids.nrows()],
    };
    for part in parts {
        total.labels.extend(part.labels);
        total.min_squared.extend(part.min_squared);
        total.sums += &part.sums;
        for (t, c) in total.counts.iter_mut().zip(part.counts) {
            *t += c;
        }
    }
    total
}

fn assign_block(points: &Points, block: Range<usize>, centroids: ArrayView2<f32>, centre_norms: &[f64]) -> Assignment {
    let mut dots = Array2::<f32>::zeros((centroids.nrows(), block.len()));
    general_mat_mul(1.0, &centroids, &points.columns.slice(s![.., block.clone()]), 0.0, &mut dots);
    let mut part = Assignment {
        labels: Vec::with_capacity(block.len()),
        min_squared: Vec::with_capacity(block.len()),
        sums: Array2::zeros(centroids.dim()),
        counts: vec![0; centroids.nrows()],
    };
    for (j, i) in block.enumerate() {
        let mut best = 0;
        let mut best_value = f64::INFINITY;
        for (c, &centre_norm) in centre_norms.iter().enumerate() {
            let value = centre_norm - 2.0 * f64::from(dots[[c, j]]);
            if value < best_value {
                best = c;
                best_value = value;
            }
        }
        part.labels.push(best);
        part.min_squared.push((points.norms[i] + best_value).max(0.0));
        part.counts[best] += 1;
        let mut sum = part.sums.row_mut(best);
        let point = points.rows().index_axis_move(Axis(0), i);
        match (sum.as_slice_mut(), point.as_slice()) {
            (Some(sum), Some(point)) => {
                for (s, &v) in sum.iter_mut().zip(point) {
                    *s += f64::from(v);
                }
            }
            _ => sum.zip_mut_with(&point, |s, &v| *s += f64::from(v)),
        }
    }
    part
}

impl Assignment {
    /// The M-step: new centres as cluster means. An empty cluster takes over
    /// the point farthest from its centre (scikit-learn's relocation), taken
    /// only from clusters that keep at least one point.
    fn centroids(&self, x: ArrayView2<f32>, previous: ArrayView2<f32>) -> Array2<f32> {
        let mut sums = self.sums.clone();
        let mut counts = self.counts.clone();
        let empty: Vec<usize> = (0..counts.len()).filter(|&c| counts[c] == 0).collect();
        if !empty.is_empty() {
            let mut far: Vec<usize> = (0..self.labels.len()).collect();
            far.sort_by(|&a, &b| self.min_squared[b].total_cmp(&self.min_squared[a]));
            let mut donors = far.into_iter();
            for &target in &empty {
                let Some(point) = donors.find(|&p| counts[self.labels[p]] > 1) else {
                    break;
                };
                let source = self.labels[point];
                let row = x.row(point).mapv(f64::from);
                let mut from = sums.row_mut(source);
                from -= &row;
                sums.row_mut(target).assign(&row);
                counts[source] -= 1;
                counts[target] = 1;
            }
        }
        let mut centroids = previous.to_owned();
        for ((mut centre, sum), &count) in centroids.rows_mut().into_iter().zip(sums.rows()).zip(&counts) {
            if count > 0 {
                let count = count as f64;
                centre.zip_mut_with(&sum, |c, &s| *c = (s / count) as f32);
            }
        }
        centroids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trends::test_data::blobs;
    use ndarray::array;

    /// Whether two labelings are the same partition up to renaming.
    fn same_partition(a: &[usize], b: &[usize]) -> bool {
        let mut map = std::collections::HashMap::new();
        a.iter().zip(b).all(|(x, y)| *map.entry(x).or_insert(y) == y)
            && map.values().collect::<std::collections::HashSet<_>>().len() == map.len()
    }

    #[test]
    fn recovers_separated_blobs() {
        let (x, truth) = blobs(&[80, 120, 100, 60, 90], 16, 0.5, 4);
        let fit = kmeans(x.view(), &KMeansParams::new(5)).unwrap();
        assert!(fit.converged);
        assert!(same_partition(&fit.labels, &truth));
        let mut sizes = fit.sizes();
        sizes.sort_unstable();
        assert_eq!(sizes, vec![60, 80, 90, 100, 120]);
    }

    #[test]
    fn deterministic_per_seed() {
        let (x, _) = blobs(&[200, 200, 200], 8, 4.0, 2);
        let params = KMeansParams::new(6);
        assert_eq!(kmeans(x.view(), &params).unwrap(), kmeans(x.view(), &params).unwrap());
    }

    #[test]
    fn same_bits_on_one_thread_and_many() {
        let (x, _) = blobs(&[500, 400, 300], 8, 4.0, 3);
        let params = KMeansParams::new(5);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let many = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let a = one.install(|| kmeans(x.view(), &params).unwrap());
        let b = many.install(|| kmeans(x.view(), &params).unwrap());
        assert_eq!(a, b);
    }

    #[test]
    fn centroids_are_cluster_means() {
        let x = array![[0.0f32, 0.0], [0.0, 2.0], [10.0, 0.0], [10.0, 2.0]];
        let fit = kmeans(x.view(), &KMeansParams::new(2)).unwrap();
        let mut centres: Vec<Vec<f32>> = fit.centroids.rows().into_iter().map(|r| r.to_vec()).collect();
        centres.sort_by(|a, b| a[0].total_cmp(&b[0]));
        assert_eq!(centres, vec![vec![0.0, 1.0], vec![10.0, 1.0]]);
        assert_eq!(fit.inertia, 4.0);
    }

    #[test]
    fn fewer_distinct_points_than_clusters() {
        let x = array![[1.0f32, 1.0], [1.0, 1.0], [1.0, 1.0], [5.0, 5.0]];
        let fit = kmeans(x.view(), &KMeansParams::new(3)).unwrap();
        assert_eq!(fit.labels.len(), 4);
        assert_eq!(fit.inertia, 0.0);
    }

    #[test]
    fn rejects_bad_parameters() {
        let x = array![[1.0f32], [2.0]];
        assert_eq!(kmeans(x.view(), &KMeansParams::new(3)), Err(TrendsError::TooManyClusters { k: 3, points: 2 }));
        assert_eq!(kmeans(x.view(), &KMeansParams::new(0)), Err(TrendsError::TooManyClusters { k: 0, points: 2 }));
        let params = KMeansParams { max_iterations: 0, ..KMeansParams::new(1) };
        assert_eq!(kmeans(x.view(), &params), Err(TrendsError::NoIterations));
    }
}
