//! Judges designs as the seed's `score_image_for_cluster` does: CLIP embeds each image and its
//! prompt, and the score weighs the image's cosine to its cluster's centroid and to its prompt.

use std::collections::BTreeMap;

use arrow::array::RecordBatch;

use super::embedder::{Embedder, ImageItem};
use super::scoring::{score, Weights};
use super::versions::{Score, Version};
use crate::engine::{StageContext, StageError};
use crate::stages::tables::{i32s, vectors};

pub struct Judge {
    pub embedder: Embedder,
    centroids: BTreeMap<i32, Vec<f32>>,
    weights: Weights,
}

impl Judge {
    /// `clusters`: the cluster node's table (`cluster`, `centroid`).
    pub fn new(embedder: Embedder, clusters: &RecordBatch, weights: Weights) -> Result<Self, StageError> {
        let ids = i32s(clusters, "cluster")?;
        let (dim, data) = vectors(clusters, "centroid")?;
        let centroids = ids.iter().zip(data.chunks(dim.max(1))).map(|(id, c)| (*id, c.to_vec())).collect();
        Ok(Self { embedder, centroids, weights })
    }

    /// Scores each version's image against its cluster's centroid and `prompts[i]`; `read` gives an
    /// image's PNG bytes when its embedding is not memoised.
    pub fn score(
        &self,
        ctx: &StageContext,
        versions: &[Version],
        prompts: &[&str],
        read: impl Fn(&ImageItem) -> Result<Vec<u8>, StageError> + Sync,
    ) -> Result<Vec<Score>, StageError> {
        let items: Vec<ImageItem> =
            versions.iter().map(|v| ImageItem { name: &v.image, digest: &v.image_digest }).collect();
        let images = self.embedder.images(ctx, &items, read)?;
        let texts = self.embedder.texts(ctx, prompts)?;
        versions
            .iter()
            .zip(images.iter().zip(&texts))
            .map(|(v, (image, text))| {
                let centroid = self.centroids.get(&v.cluster).ok_or_else(|| {
                    StageError::new(format!("cluster {} has no centroid in the clusters table", v.cluster))
                        .with_help("bind `clusters` to the cluster node the prompts were made from")
                })?;
                if centroid.len() != image.len() {
                    return Err(StageError::new(format!(
                        "the centroids have {} dimensions but this CLIP model embeds in {}",
                        centroid.len(),
                        image.len()
                    ))
                    .with_help("score with the CLIP model the catalogue was embedded with"));
                }
                Ok(score(image, centroid, text, self.weights))
            })
            .collect()
    }
}
