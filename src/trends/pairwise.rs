//! Building blocks for distances by dot products, ‖a‖² + ‖b‖² − 2a·b, over
//! row blocks: the one trick behind k-means and the silhouette, shared so both
//! get matrix-multiply speed without an n×n matrix.

use std::ops::Range;

use ndarray::ArrayView2;

/// Points per k-means assignment block (one rayon task each).
pub(crate) const BLOCK_ROWS: usize = 256;

/// Splits `0..n` into consecutive ranges of at most `size` rows.
pub(crate) fn blocks(n: usize, size: usize) -> Vec<Range<usize>> {
    (0..n.div_ceil(size)).map(|b| b * size..((b + 1) * size).min(n)).collect()
}

/// Squared Euclidean norm of every row, accumulated in f64.
pub(crate) fn squared_norms(x: ArrayView2<f32>) -> Vec<f64> {
    x.rows().into_iter().map(|row| row.iter().map(|&v| f64::from(v) * f64::from(v)).sum()).collect()
}

/// Turns a squared distance computed by dot products into a distance,
/// clamping the small negatives that cancellation produces.
#[inline]
pub(crate) fn distance_from_squared(squared: f64) -> f64 {
    if squared > 0.0 {
        squared.sqrt()
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn blocks_cover_the_range() {
        assert_eq!(blocks(5, 2), vec![0..2, 2..4, 4..5]);
        assert_eq!(blocks(4, 2), vec![0..2, 2..4]);
        assert!(blocks(0, 2).is_empty());
    }

    #[test]
    fn norms_and_distances() {
        let x = array![[3.0f32, 4.0], [1.0, 0.0]];
        assert_eq!(squared_norms(x.view()), vec![25.0, 1.0]);
        assert_eq!(distance_from_squared(-1e-12), 0.0);
        assert_eq!(distance_from_squared(4.0), 2.0);
    }
}
