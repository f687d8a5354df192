//! Bytes to RGB pixels, as Pillow's `Image.open(path).convert("RGB")` gives
//! them: the format is recognised by its signature, never by a file name, and
//! EXIF orientation is left unapplied, as `Image.open` leaves it.

use image::RgbImage;

use super::decode_jpeg::decode_jpeg;
use super::decode_png::decode_png;
use super::error::ImagingError;
use super::limits::DecodeLimits;

const JPEG_SIGNATURE: &[u8] = b"\xff\xd8\xff";
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Decodes a JPEG or PNG file, refusing images whose header claims more than
/// `limits` before any pixel memory is allocated.
pub fn decode_rgb(bytes: &[u8], limits: &DecodeLimits) -> Result<RgbImage, ImagingError> {
    if bytes.is_empty() {
        Err(ImagingError::Empty)
    } else if bytes.starts_with(JPEG_SIGNATURE) {
        decode_jpeg(bytes, limits)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        decode_png(bytes, limits)
    } else {
        Err(ImagingError::UnknownFormat { head: bytes.iter().take(8).copied().collect() })
    }
}
