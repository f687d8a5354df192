//! SD-Turbo through ONNX Runtime: the design image for each trend.
//!
//! - [`SdTurbo`]: loads a model folder (fp32 or its fp16 copy) and runs diffusers'
//!   `StableDiffusionPipeline` for a [`GenerateRequest`], returning a [`Generated`] image with
//!   per-part [`Timings`].
//! - [`euler`]: diffusers' `EulerDiscreteScheduler`, configured by the folder's scheduler_config.json.
//! - [`TextEncoder`], [`Unet`], [`LatentDecoder`]/[`VaeDecoder`]: the three ONNX parts.
//! - [`seeded_noise`]: the initial noise for a seed (reproducible; not torch's random stream).

pub mod error;
pub mod euler;
pub mod generated;
pub mod latent_shape;
pub mod noise;
pub mod pipeline;
pub mod postprocess;
pub mod request;
pub mod text_encoder;
pub mod unet;
pub mod vae;

pub use error::SdError;
pub use generated::{Generated, Timings};
pub use latent_shape::LatentShape;
pub use noise::seeded_noise;
pub use pipeline::{Progress, SdTurbo};
pub use request::{GenerateRequest, InitialNoise};
pub use text_encoder::TextEncoder;
pub use unet::Unet;
pub use vae::{LatentDecoder, VaeDecoder};
