//! Why an image could not be turned into pixels. Stages skip and count these,
//! so each variant names the cause in words a person can act on.

use std::fmt;

use thiserror::Error;

use super::limits::DecodeLimits;

/// The container formats the decoder understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Png => "PNG",
        })
    }
}

#[derive(Debug, Error)]
pub enum ImagingError {
    #[error("the image file is empty (0 bytes)")]
    Empty,

    #[error("not a JPEG or PNG file (first bytes: {head:02x?})")]
    UnknownFormat { head: Vec<u8> },

    #[error("the {format} file is truncated: its data ends before the image does")]
    Truncated { format: ImageFormat },

    #[error("corrupt {format} data: {detail}")]
    Corrupt { format: ImageFormat, detail: String },

    #[error("unsupported {format} image: {detail}")]
    Unsupported { format: ImageFormat, detail: String },

    #[error(
        "the {format} image claims {width}×{height} pixels, over the limit \
         ({} per side, {} in all)",
        limits.max_side,
        limits.max_pixels
    )]
    TooLarge { format: ImageFormat, width: u32, height: u32, limits: DecodeLimits },

    #[error("the image has no pixels ({width}×{height})")]
    NoPixels { width: u32, height: u32 },

    #[error("cannot resize to {width}×{height}: each side must be at least 1 pixel, and the result addressable")]
    InvalidSize { width: u32, height: u32 },

    #[error("invalid image preprocessing settings: {0}")]
    InvalidConfig(String),

    #[error("a CHW buffer of {expected} floats was needed, got {actual}")]
    BufferSize { expected: usize, actual: usize },
}
