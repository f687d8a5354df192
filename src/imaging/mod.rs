//! Image decoding and preprocessing for every stage that feeds photos to
//! CLIP, pixel-identical to the Python reference (Pillow's decode,
//! `convert("RGB")`, bicubic `resize` and `crop`). A leaf library: it knows
//! nothing of the rest of t2d.

mod clip_input;
mod coeffs;
mod convolve;
mod decode;
mod decode_jpeg;
mod decode_png;
mod error;
mod filter;
mod limits;
mod nearest;
mod pil_convert;
mod pil_resample;
mod plane;
mod simd;

pub use clip_input::{ClipInput, ClipPreprocess};
pub use decode::decode_rgb;
pub use error::{ImageFormat, ImagingError};
pub use filter::Filter;
pub use image::RgbImage;
pub use limits::DecodeLimits;
pub use pil_resample::resize_pil;
