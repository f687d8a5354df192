//! The seed's `score_image_for_cluster`: how close a design is to its trend (the cluster's
//! centroid) and to its prompt, mapped from [-1, 1] into [0, 1].

use super::versions::Score;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    pub centroid: f64,
    pub prompt: f64,
}

/// `torch.nn.functional.cosine_similarity` of two vectors (neither need be normalised).
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum();
    let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x) * f64::from(*x)).sum::<f64>().sqrt();
    dot / (norm(a) * norm(b)).max(1e-8)
}

/// `(w_c · cos(image, centroid) + w_p · cos(image, prompt) + 1) / 2`.
pub fn score(image: &[f32], centroid: &[f32], prompt: &[f32], weights: Weights) -> Score {
    let s_centroid = cosine(image, centroid);
    let s_prompt = cosine(image, prompt);
    Score { score: (weights.centroid * s_centroid + weights.prompt * s_prompt + 1.0) / 2.0, s_centroid, s_prompt }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: Weights = Weights { centroid: 0.7, prompt: 0.3 };

    #[test]
    fn cosine_ignores_length() {
        assert!((cosine(&[1.0, 0.0], &[5.0, 0.0]) - 1.0).abs() < 1e-12);
        assert!((cosine(&[1.0, 1.0], &[-2.0, -2.0]) + 1.0).abs() < 1e-12);
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 3.0]), 0.0);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
    }

    #[test]
    fn score_maps_the_weighted_cosines_into_0_1() {
        let image = [1.0, 0.0, 0.0];
        // Centroid as given (not unit length), at 60° to the image; prompt orthogonal.
        let s = score(&image, &[1.0, 3f32.sqrt(), 0.0], &[0.0, 0.0, 2.0], SEED);
        assert!((s.s_centroid - 0.5).abs() < 1e-7);
        assert_eq!(s.s_prompt, 0.0);
        assert!((s.score - (0.7 * 0.5 + 1.0) / 2.0).abs() < 1e-7);
        assert_eq!(score(&image, &image, &image, SEED).score, 1.0);
        assert_eq!(score(&image, &[-1.0, 0.0, 0.0], &[-1.0, 0.0, 0.0], SEED).score, 0.0);
    }
}
