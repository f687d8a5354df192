//! Choosing the number of trends: the seed notebook's `pick_k_auto`. Every K
//! in a range is fitted on a seeded subsample and scored by silhouette; the
//! best K is refitted on all points, then lowered while any cluster is too
//! small to be a trend.

use ndarray::{Array2, ArrayView2, Axis, CowArray, Ix2};
use rayon::prelude::*;

use super::error::TrendsError;
use super::kmeans::{check_params, fit_checked, KMeansFit, KMeansParams};
use super::points::Points;
use super::seeded::{sample_indices, Stream};
use super::silhouette::silhouette_scores;
use super::validate::check_matrix;

/// Settings of [`pick_k_auto`]; the defaults are the seed's function defaults
/// (its run used `min_cluster_size: 50`).
#[derive(Debug, Clone, PartialEq)]
pub struct AutoKParams {
    pub k_min: usize,
    pub k_max: usize,
    pub min_cluster_size: usize,
    /// At most this many points, drawn without replacement, are clustered and
    /// scored for each K.
    pub silhouette_sample: usize,
    pub seed: u64,
    pub max_iterations: usize,
    pub tolerance: f64,
}

impl Default for AutoKParams {
    fn default() -> Self {
        Self {
            k_min: 6,
            k_max: 10,
            min_cluster_size: 40,
            silhouette_sample: 4000,
            seed: 42,
            max_iterations: 300,
            tolerance: 1e-4,
        }
    }
}

impl AutoKParams {
    fn kmeans(&self, k: usize) -> KMeansParams {
        KMeansParams { k, max_iterations: self.max_iterations, tolerance: self.tolerance, seed: self.seed }
    }
}

/// One row of the K search, for reporting.
#[derive(Debug, Clone, PartialEq)]
pub struct KCandidate {
    pub k: usize,
    /// `None` when the fit on the sample found fewer than two clusters.
    pub silhouette: Option<f64>,
    /// The K with the highest silhouette (the first of equals).
    pub best_silhouette: bool,
    /// Whether this K was fitted on all points (the best K, then each K the
    /// size rule fell back to).
    pub fitted_on_all: bool,
    /// The smallest cluster of that fit on all points (an empty cluster
    /// counts as 0, so it too makes the size rule lower K).
    pub smallest_cluster: Option<usize>,
    /// The K finally returned.
    pub chosen: bool,
}

/// The clustering of all points with the chosen K.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoK {
    pub k: usize,
    pub labels: Vec<usize>,
    pub centroids: Array2<f32>,
    pub sizes: Vec<usize>,
    pub candidates: Vec<KCandidate>,
    /// How many times the size rule lowered K and refitted.
    pub size_refits: usize,
    /// How many points the silhouette search used.
    pub sample_size: usize,
}

/// Picks K in `k_min..=k_max` by silhouette and clusters all rows of `x`.
///
/// When `x` has no more rows than `silhouette_sample`, the search uses all
/// rows in their order (the seed shuffles them), so the fit of the best K is
/// reused instead of being refitted.
pub fn pick_k_auto(x: ArrayView2<f32>, params: &AutoKParams) -> Result<AutoK, TrendsError> {
    check_matrix(x)?;
    let n = x.nrows();
    let sample_size = check_auto_params(n, params)?;
    let sample: CowArray<f32, Ix2> = if sample_size < n {
        let rows = sample_indices(n, sample_size, params.seed, Stream::Subsample)?;
        x.select(Axis(0), &rows).into()
    } else {
        x.into()
    };
    let ks: Vec<usize> = (params.k_min..=params.k_max).collect();
    let (fits, mut candidates) = search(sample.view(), &ks, params)?;
    let best = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.silhouette.map(|s| (i, s)))
        .fold(None, |best: Option<(usize, f64)>, (i, s)| match best {
            Some((_, b)) if s <= b => best,
            _ => Some((i, s)),
        })
        .map(|(i, _)| i)
        .ok_or(TrendsError::NoValidK { k_min: params.k_min, k_max: params.k_max })?;
    candidates[best].best_silhouette = true;

    // The size rule: refit on all points, lowering K while a cluster is small.
    let mut reusable = (sample_size == n).then_some(fits);
    let mut all_points = None;
    let mut fit_all = |i: usize| match reusable.as_mut() {
        Some(fits) => std::mem::replace(&mut fits[i], empty_fit()),
        None => fit_checked(all_points.get_or_insert_with(|| Points::new(x)), &params.kmeans(ks[i])),
    };
    let mut index = best;
    let mut fit = fit_all(index);
    loop {
        let smallest = fit.sizes().into_iter().min().unwrap_or(0);
        candidates[index].fitted_on_all = true;
        candidates[index].smallest_cluster = Some(smallest);
        if smallest >= params.min_cluster_size || index == 0 {
            break;
        }
        index -= 1;
        fit = fit_all(index);
    }
    candidates[index].chosen = true;
    Ok(AutoK {
        k: ks[index],
        sizes: fit.sizes(),
        labels: fit.labels,
        centroids: fit.centroids,
        candidates,
        size_refits: best - index,
        sample_size,
    })
}

/// Fits every K on the sample (in parallel) and scores each fit that has two
/// or more clusters, all silhouettes from one pass over the distances.
fn search(
    sample: ArrayView2<f32>,
    ks: &[usize],
    params: &AutoKParams,
) -> Result<(Vec<KMeansFit>, Vec<KCandidate>), TrendsError> {
    let points = Points::new(sample);
    let fits: Vec<KMeansFit> = ks.par_iter().map(|&k| fit_checked(&points, &params.kmeans(k))).collect();
    drop(points);
    let scored: Vec<usize> =
        (0..ks.len()).filter(|&i| fits[i].sizes().iter().filter(|&&s| s > 0).count() >= 2).collect();
    let labelings: Vec<&[usize]> = scored.iter().map(|&i| fits[i].labels.as_slice()).collect();
    let scores = silhouette_scores(sample, &labelings)?;
    let mut candidates: Vec<KCandidate> = ks
        .iter()
        .map(|&k| KCandidate {
            k,
            silhouette: None,
            best_silhouette: false,
            fitted_on_all: false,
            smallest_cluster: None,
            chosen: false,
        })
        .collect();
    for (&i, score) in scored.iter().zip(scores) {
        candidates[i].silhouette = Some(score);
    }
    Ok((fits, candidates))
}

/// Checks the parameters against `n` rows; returns the sample size.
fn check_auto_params(n: usize, params: &AutoKParams) -> Result<usize, TrendsError> {
    if params.k_min < 2 {
        return Err(TrendsError::KMinTooSmall(params.k_min));
    }
    if params.k_min > params.k_max {
        return Err(TrendsError::KRange { k_min: params.k_min, k_max: params.k_max });
    }
    check_params(n, &params.kmeans(params.k_max))?;
    let sample = params.silhouette_sample.min(n);
    if sample <= params.k_max {
        return Err(TrendsError::SampleTooSmall { sample, k_max: params.k_max });
    }
    Ok(sample)
}

/// A placeholder left behind when a cached fit is moved out.
fn empty_fit() -> KMeansFit {
    KMeansFit { centroids: Array2::zeros((0, 0)), labels: Vec::new(), inertia: 0.0, iterations: 0, converged: false }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trends::test_data::{blobs, unit_blobs};

    fn params(k_min: usize, k_max: usize) -> AutoKParams {
        AutoKParams { k_min, k_max, ..AutoKParams::default() }
    }

    #[test]
    fn finds_seven_blobs() {
        let (x, _) = unit_blobs(&[90, 110, 100, 120, 80, 95, 105], 32, 1.0, 11);
        let result = pick_k_auto(x.view(), &params(5, 9)).unwrap();
        assert_eq!(result.k, 7);
        assert_eq!(result.size_refits, 0);
        let mut sizes = result.sizes.clone();
        sizes.sort_unstable();
        assert_eq!(sizes, vec![80, 90, 95, 100, 105, 110, 120]);
        let best: Vec<usize> = result.candidates.iter().filter(|c| c.best_silhouette).map(|c| c.k).collect();
        assert_eq!(best, vec![7]);
        assert!(result.candidates.iter().all(|c| c.silhouette.is_some()));
    }

    #[test]
    fn tiny_cluster_forces_k_down() {
        let (x, _) = blobs(&[150, 150, 150, 150, 150, 150, 15], 16, 0.5, 21);
        let result = pick_k_auto(x.view(), &params(5, 8)).unwrap();
        let row = |k: usize| result.candidates.iter().find(|c| c.k == k).unwrap().clone();
        assert!(row(7).best_silhouette);
        assert!(row(7).fitted_on_all);
        assert_eq!(row(7).smallest_cluster, Some(15));
        assert!(!row(7).chosen);
        assert!(row(6).chosen);
        assert_eq!(result.k, 6);
        assert_eq!(result.size_refits, 1);
        assert!(result.sizes.iter().all(|&s| s >= 40));
        assert_eq!(result.centroids.dim(), (6, 16));
    }

    #[test]
    fn size_rule_stops_at_k_min() {
        let (x, _) = blobs(&[150, 150, 150, 150, 150, 150, 15], 16, 0.5, 21);
        let result = pick_k_auto(x.view(), &params(7, 8)).unwrap();
        assert_eq!(result.k, 7);
        assert_eq!(result.size_refits, 0);
        assert!(result.sizes.contains(&15));
    }

    #[test]
    fn subsample_is_deterministic_per_seed() {
        let (x, _) = unit_blobs(&[400, 500, 600, 700], 24, 3.0, 5);
        let p = AutoKParams { silhouette_sample: 600, min_cluster_size: 10, ..params(2, 6) };
        let first = pick_k_auto(x.view(), &p).unwrap();
        assert_eq!(first.sample_size, 600);
        assert_eq!(first.labels.len(), 2200);
        assert_eq!(first, pick_k_auto(x.view(), &p).unwrap());
        assert_eq!(first.k, 4);
    }

    #[test]
    fn rejects_bad_input() {
        let (x, _) = blobs(&[10, 10], 3, 1.0, 1);
        let check = |p: AutoKParams| pick_k_auto(x.view(), &p).unwrap_err();
        assert_eq!(check(params(1, 3)), TrendsError::KMinTooSmall(1));
        assert_eq!(check(params(4, 3)), TrendsError::KRange { k_min: 4, k_max: 3 });
        assert_eq!(check(params(2, 21)), TrendsError::TooManyClusters { k: 21, points: 20 });
        assert_eq!(check(params(2, 20)), TrendsError::SampleTooSmall { sample: 20, k_max: 20 });
        let small_sample = AutoKParams { silhouette_sample: 3, ..params(2, 3) };
        assert_eq!(check(small_sample), TrendsError::SampleTooSmall { sample: 3, k_max: 3 });
        let same = Array2::<f32>::ones((30, 4));
        assert_eq!(pick_k_auto(same.view(), &params(2, 3)).unwrap_err(), TrendsError::NoValidK { k_min: 2, k_max: 3 });
        let mut bad = x.clone();
        bad[[3, 1]] = f32::NAN;
        assert_eq!(pick_k_auto(bad.view(), &params(2, 3)).unwrap_err(), TrendsError::NonFinite { row: 3, column: 1 });
        assert_eq!(
            pick_k_auto(Array2::<f32>::zeros((0, 4)).view(), &params(2, 3)).unwrap_err(),
            TrendsError::EmptyInput
        );
    }
}
