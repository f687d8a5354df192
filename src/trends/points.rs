//! The points k-means works on, prepared once per data set: several fits
//! (one per candidate K) share the copies and norms made here.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2, Axis};

use super::pairwise::squared_norms;

/// The rows to cluster, with what every iteration needs precomputed: a
/// column-major copy (feature × point), which matrixmultiply reads far faster
/// than the row-major original when there are only a few centres, and the
/// squared row norms.
pub(crate) struct Points<'a> {
    rows: ArrayView2<'a, f32>,
    pub(crate) columns: Array2<f32>,
    pub(crate) norms: Vec<f64>,
}

impl<'a> Points<'a> {
    pub(crate) fn new(rows: ArrayView2<'a, f32>) -> Self {
        Self { rows, columns: rows.t().as_standard_layout().into_owned(), norms: squared_norms(rows) }
    }

    pub(crate) fn rows(&self) -> ArrayView2<'a, f32> {
        self.rows
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.nrows()
    }

    /// Squared distances from every point to each of the points `chosen`.
    pub(crate) fn squared_distances_to(&self, chosen: &[usize]) -> Vec<Vec<f64>> {
        let candidates = self.rows.select(Axis(0), chosen);
        let mut dots = Array2::<f32>::zeros((chosen.len(), self.len()));
        general_mat_mul(1.0, &candidates, &self.columns, 0.0, &mut dots);
        dots.rows()
            .into_iter()
            .zip(chosen)
            .map(|(row, &c)| {
                row.iter()
                    .zip(&self.norms)
                    .map(|(&dot, &norm)| (norm + self.norms[c] - 2.0 * f64::from(dot)).max(0.0))
                    .collect()
            })
            .collect()
    }
}
