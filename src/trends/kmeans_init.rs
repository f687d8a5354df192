//! Greedy k-means++ seeding, as scikit-learn does it: each new centre is the
//! best of `2 + ln k` candidates drawn with probability proportional to the
//! squared distance to the nearest centre so far.

use ndarray::{Array2, Axis};
use rand::Rng;

use super::points::Points;

/// `k` initial centres taken from `points` (`k <= points.len()` is the
/// caller's check).
pub(crate) fn kmeans_plus_plus(points: &Points, k: usize, rng: &mut impl Rng) -> Array2<f32> {
    let n = points.len();
    let trials = 2 + (k as f64).ln() as usize;
    let mut chosen = vec![rng.random_range(0..n)];
    let mut closest = points.squared_distances_to(&chosen).pop().unwrap_or_default();
    let mut potential: f64 = closest.iter().sum();
    while chosen.len() < k {
        let cumulative: Vec<f64> = closest
            .iter()
            .scan(0.0, |sum, &d| {
                *sum += d;
                Some(*sum)
            })
            .collect();
        let candidates: Vec<usize> = (0..trials)
            .map(|_| {
                let target = rng.random::<f64>() * potential;
                cumulative.partition_point(|&c| c < target).min(n - 1)
            })
            .collect();
        let mut best: Option<(usize, f64, Vec<f64>)> = None;
        for (candidate, distances) in candidates.iter().zip(points.squared_distances_to(&candidates)) {
            let merged: Vec<f64> = distances.iter().zip(&closest).map(|(&a, &b)| a.min(b)).collect();
            let merged_potential: f64 = merged.iter().sum();
            if best.as_ref().is_none_or(|(_, p, _)| merged_potential < *p) {
                best = Some((*candidate, merged_potential, merged));
            }
        }
        let Some((candidate, merged_potential, merged)) = best else {
            break;
        };
        chosen.push(candidate);
        closest = merged;
        potential = merged_potential;
    }
    points.rows().select(Axis(0), &chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trends::seeded::{seeded_rng, Stream};

    #[test]
    fn seeds_one_centre_per_separated_blob() {
        let (x, labels) = crate::trends::test_data::blobs(&[50, 60, 70, 80], 4, 0.1, 1);
        let mut rng = seeded_rng(5, Stream::KMeansInit);
        let centres = kmeans_plus_plus(&Points::new(x.view()), 4, &mut rng);
        let mut blobs_hit: Vec<usize> = centres
            .rows()
            .into_iter()
            .map(|c| {
                let i = x.rows().into_iter().position(|r| r == c).unwrap();
                labels[i]
            })
            .collect();
        blobs_hit.sort_unstable();
        assert_eq!(blobs_hit, vec![0, 1, 2, 3]);
    }

    #[test]
    fn identical_points_do_not_panic() {
        let x = Array2::<f32>::ones((5, 3));
        let mut rng = seeded_rng(0, Stream::KMeansInit);
        let centres = kmeans_plus_plus(&Points::new(x.view()), 3, &mut rng);
        assert_eq!(centres, Array2::<f32>::ones((3, 3)));
    }
}
