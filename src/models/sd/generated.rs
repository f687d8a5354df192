//! What a generation returns: the image (as floats before rounding, and as bytes) and where the
//! time went, per model part.

use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
pub struct Generated {
    pub width: usize,
    pub height: usize,
    /// `height × width × 3` RGB in [0, 1], before conversion to bytes (diffusers' `output_type="np"`).
    pub image: Vec<f32>,
    /// `height × width × 3` RGB bytes, as diffusers' default PIL output rounds them.
    pub rgb: Vec<u8>,
    pub timings: Timings,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timings {
    /// Tokenizing and encoding the prompt (and the negative prompt, batched with it).
    pub text_encoder: Duration,
    /// One UNet run per step (the scheduler's arithmetic around it is not included).
    pub unet_steps: Vec<Duration>,
    pub vae_decode: Duration,
    /// The whole generation, noise to bytes.
    pub total: Duration,
}
