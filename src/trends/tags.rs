//! Zero-shot tagging: which text tags (styles, garments, textures) lie
//! closest to a cluster's centroid in CLIP space, by cosine similarity.

use ndarray::{ArrayView1, ArrayView2};

use super::error::TrendsError;

/// Norms below this are treated as this, as `torch.nn.functional.normalize`
/// does, so a zero vector has similarity 0 with everything.
const NORM_FLOOR: f64 = 1e-12;

fn norm(v: ArrayView1<f32>) -> f64 {
    v.iter().map(|&x| f64::from(x) * f64::from(x)).sum::<f64>().sqrt().max(NORM_FLOOR)
}

/// Indices of the `top_k` rows of `tags` most cosine-similar to `query`, best
/// first; equal similarities keep the lower index first.
pub fn rank_tags(query: ArrayView1<f32>, tags: ArrayView2<f32>, top_k: usize) -> Result<Vec<usize>, TrendsError> {
    if tags.ncols() != query.len() {
        return Err(TrendsError::Dimension { expected: query.len(), found: tags.ncols() });
    }
    if let Some(column) = query.iter().position(|v| !v.is_finite()) {
        return Err(TrendsError::NonFinite { row: 0, column });
    }
    for (row, values) in tags.rows().into_iter().enumerate() {
        if let Some(column) = values.iter().position(|v| !v.is_finite()) {
            return Err(TrendsError::NonFinite { row, column });
        }
    }
    let query_norm = norm(query);
    let similarities: Vec<f64> = tags
        .rows()
        .into_iter()
        .map(|tag| {
            let dot: f64 = tag.iter().zip(query.iter()).map(|(&a, &b)| f64::from(a) * f64::from(b)).sum();
            dot / (norm(tag) * query_norm)
        })
        .collect();
    let mut order: Vec<usize> = (0..similarities.len()).collect();
    order.sort_by(|&a, &b| similarities[b].total_cmp(&similarities[a]));
    order.truncate(top_k);
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    #[test]
    fn closest_tag_first() {
        let tags = array![[1.0f32, 0.0, 0.0], [0.0, 1.0, 0.0], [0.7, 0.7, 0.0], [0.0, 0.0, 1.0]];
        let query = array![0.2f32, 0.9, 0.1];
        assert_eq!(rank_tags(query.view(), tags.view(), 3).unwrap(), vec![1, 2, 0]);
    }

    #[test]
    fn scale_does_not_matter() {
        let tags = array![[10.0f32, 0.0], [0.0, 0.001]];
        let query = array![0.1f32, 0.2];
        assert_eq!(rank_tags(query.view(), tags.view(), 1).unwrap(), vec![1]);
    }

    #[test]
    fn ties_keep_the_lower_index() {
        let tags = array![[0.0f32, 1.0], [1.0, 0.0], [2.0, 0.0], [0.0, 3.0]];
        let query = array![1.0f32, 0.0];
        assert_eq!(rank_tags(query.view(), tags.view(), 4).unwrap(), vec![1, 2, 0, 3]);
    }

    #[test]
    fn top_k_larger_than_the_list_and_empty_list() {
        let tags = array![[1.0f32, 0.0]];
        assert_eq!(rank_tags(array![1.0f32, 0.0].view(), tags.view(), 3).unwrap(), vec![0]);
        let none = Array2::<f32>::zeros((0, 2));
        assert!(rank_tags(array![1.0f32, 0.0].view(), none.view(), 3).unwrap().is_empty());
    }

    #[test]
    fn rejects_mismatched_or_non_finite_vectors() {
        let tags = array![[1.0f32, 0.0]];
        assert_eq!(
            rank_tags(array![1.0f32].view(), tags.view(), 1),
            Err(TrendsError::Dimension { expected: 1, found: 2 })
        );
        assert_eq!(
            rank_tags(array![f32::NAN, 0.0].view(), tags.view(), 1),
            Err(TrendsError::NonFinite { row: 0, column: 0 })
        );
    }
}
