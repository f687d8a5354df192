//! The params the design stages share (model folders, device, generation settings, score
//! weights), declared once so `generate` and `refine` cannot drift apart.

use std::path::PathBuf;

use crate::engine::{External, ParamSpec, Params, StageError};
use crate::models::{Device, Precision};

/// How to make a missing model folder, for the error that names it.
pub fn model_help(architecture: &str) -> String {
    format!(
        "`just models` exports the real CLIP ViT-B/32 and SD-Turbo into models/; for the small random-weight test \
         model run `python models/export.py {architecture} --out DIR --tiny` (models/clip-tiny and \
         models/sd-turbo-tiny ship with t2d)"
    )
}

/// A model folder param; its contents (not its path) enter the key.
pub fn model(name: &'static str, doc: &'static str) -> ParamSpec {
    ParamSpec::path(name).doc(doc)
}

/// The model folders named by `params`, each with the help for when it is missing.
pub fn model_externals(params: &Params, models: &[(&str, &str)]) -> Vec<External> {
    models
        .iter()
        .filter_map(|(name, architecture)| {
            let path = params.str(name).ok()?;
            Some(External { param: name.to_string(), path: PathBuf::from(path), help: Some(model_help(architecture)) })
        })
        .collect()
}

pub fn device() -> ParamSpec {
    ParamSpec::string("device").default("auto").execution_only().doc("auto, cpu, cuda or cuda:N")
}

/// `device` as a [`Device`], or the problem `check` reports.
pub fn parse_device(params: &Params) -> Result<Device, StageError> {
    params.str("device")?.parse::<Device>().map_err(|e| StageError::new(e.to_string()))
}

pub fn check_device(params: &Params) -> Vec<(String, String)> {
    match parse_device(params) {
        Err(e) if params.get("device").is_some() => vec![("device".into(), e.message)],
        _ => Vec::new(),
    }
}

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
            precision: params
                .str("precision")?
                .parse()
                .map_err(|e: crate::models::sd::PrecisionParseError| StageError::new(e.to_string()))?,
        })
    }
}
