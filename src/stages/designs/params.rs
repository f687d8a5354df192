//! The params the design stages share beyond [`crate::stages::model_params`]: generation
//! settings and score weights, declared once so `generate`, `score` and `refine` cannot drift apart.

use crate::engine::{ParamSpec, Params, StageError};
use crate::models::Precision;

/// Image size, schedule and weights precision of SD-Turbo (the seed's `generate_one`).
pub fn generation() -> Vec<ParamSpec> {
    vec![
        ParamSpec::int("width")
            .range(8.0, 4096.0)
            .default(384)
            .doc("image width (SD-Turbo: a multiple of 64; the tiny model: 16)"),
        ParamSpec::int("height").range(8.0, 4096.0).default(512).doc("image height"),
        ParamSpec::int("steps").range(1.0, 1000.0).default(4).doc("denoising steps"),
        ParamSpec::float("guidance").range(0.0, 100.0).default(0.0).doc("classifier-free guidance (SD-Turbo: 0)"),
        ParamSpec::choice("precision", &["fp32", "fp16"]).default("fp32").doc("weights (fp16 needs an --fp16 export)"),
    ]
}

/// The score's weights: `(w_centroid · cos(image, centroid) + w_prompt · cos(image, prompt) + 1) / 2`.
pub fn weights() -> Vec<ParamSpec> {
    vec![
        ParamSpec::float("w_centroid").range(0.0, 1.0).default(0.7).doc("weight of the image–centroid cosine"),
        ParamSpec::float("w_prompt").range(0.0, 1.0).default(0.3).doc("weight of the image–prompt cosine"),
    ]
}

/// The generation settings of a node's params.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GenSettings {
    pub width: usize,
    pub height: usize,
    pub steps: usize,
    pub guidance: f32,
    pub precision: Precision,
}

impl GenSettings {
    pub fn from_params(params: &Params) -> Result<Self, StageError> {
        Ok(Self {
            width: params.usize("width")?,
            height: params.usize("height")?,
            steps: params.usize("steps")?,
            guidance: params.float("guidance")? as f32,
            precision: params.str("precision")?.parse::<Precision>().map_err(|e| StageError::new(e.to_string()))?,
        })
    }
}
