//! PNG decoding with the `png` crate, read directly rather than through
//! `image` because Pillow's conversion depends on the file's own colour type
//! and bit depth (16-bit grey clips, 16-bit colour keeps the high byte), which
//! `image` hides once it has expanded transparency into alpha.

use std::io::{self, Cursor};

use image::RgbImage;
use png::{BitDepth, ColorType, DecodingError, Transformations};

use super::error::{ImageFormat, ImagingError};
use super::limits::DecodeLimits;
use super::pil_convert::{self, SourcePixel};

/// Room for chunk metadata (text, ICC profiles) on top of the pixels.
const METADATA_BYTES: usize = 16 << 20;

pub(super) fn decode_png(bytes: &[u8], limits: &DecodeLimits) -> Result<RgbImage, ImagingError> {
    let pixel_bytes = usize::try_from(limits.max_pixels.saturating_mul(8)).unwrap_or(usize::MAX);
    let png_limits = png::Limits { bytes: pixel_bytes.saturating_add(METADATA_BYTES) };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), png_limits);
    let header = decoder.read_header_info().map_err(decoding_error)?;
    let (width, height) = (header.width, header.height);
    if !limits.allows(width, height) {
        return Err(ImagingError::TooLarge { format: ImageFormat::Png, width, height, limits: *limits });
    }
    let gray16 = header.color_type == ColorType::Grayscale && header.bit_depth == BitDepth::Sixteen;
    decoder.set_transformations(Transformations::EXPAND);
    let mut reader = decoder.read_info().map_err(decoding_error)?;
    let pixel = source_pixel(reader.output_color_type(), gray16);
    let size = reader.output_buffer_size().ok_or(ImagingError::TooLarge {
        format: ImageFormat::Png,
        width,
        height,
        limits: *limits,
    })?;
    let mut samples = vec![0u8; size];
    reader.next_frame(&mut samples).map_err(decoding_error)?;
    let mut rgb = RgbImage::new(width, height);
    pil_convert::to_rgb(&samples, pixel, &mut rgb);
    Ok(rgb)
}

/// The layout of `EXPAND`ed output (palettes become RGB(A), low bit depths
/// 8-bit, transparency an alpha channel) in Pillow's terms.
fn source_pixel((color, depth): (ColorType, BitDepth), gray16: bool) -> SourcePixel {
    let bytes_per_sample = if depth == BitDepth::Sixteen { 2 } else { 1 };
    let bytes_per_pixel = color.samples() * bytes_per_sample;
    match color {
        ColorType::Grayscale | ColorType::GrayscaleAlpha if gray16 => SourcePixel::Gray16Clipped { bytes_per_pixel },
        ColorType::Grayscale | ColorType::GrayscaleAlpha => SourcePixel::Gray { bytes_per_pixel },
        ColorType::Rgb | ColorType::Rgba | ColorType::Indexed => SourcePixel::Rgb { bytes_per_pixel, bytes_per_sample },
    }
}

fn decoding_error(err: DecodingError) -> ImagingError {
    match err {
        DecodingError::IoError(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            ImagingError::Truncated { format: ImageFormat::Png }
        }
        DecodingError::LimitsExceeded => ImagingError::Unsupported {
            format: ImageFormat::Png,
            detail: "its metadata chunks exceed the memory limit".into(),
        },
        other => ImagingError::Corrupt { format: ImageFormat::Png, detail: other.to_string() },
    }
}
