//! Small JPEG copies of designs and photos, so the report stays light enough to open and mail.

use std::io::Cursor;

use image::imageops::FilterType;
use image::ImageReader;

use super::data::Thumb;

#[derive(Debug, thiserror::Error)]
#[error("cannot make a thumbnail: {0}")]
pub struct ThumbnailError(String);

/// The image scaled to fit `max_side` (never enlarged), as a JPEG at quality 85.
pub fn thumbnail(bytes: &[u8], max_side: u32) -> Result<Thumb, ThumbnailError> {
    let reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| ThumbnailError(e.to_string()))?;
    let image = reader.decode().map_err(|e| ThumbnailError(e.to_string()))?;
    let image = if image.width().max(image.height()) > max_side {
        image.resize(max_side, max_side, FilterType::Triangle)
    } else {
        image
    };
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    image.to_rgb8().write_with_encoder(encoder).map_err(|e| ThumbnailError(e.to_string()))?;
    Ok(Thumb { mime: "image/jpeg", bytes: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    fn size(thumb: &Thumb) -> (u32, u32) {
        let img = image::load_from_memory(&thumb.bytes).unwrap();
        (img.width(), img.height())
    }

    #[test]
    fn large_images_shrink_to_fit_and_keep_their_aspect() {
        let thumb = thumbnail(&png(384, 512), 256).unwrap();
        assert_eq!(thumb.mime, "image/jpeg");
        assert_eq!(size(&thumb), (192, 256));
    }

    #[test]
    fn small_images_are_not_enlarged() {
        assert_eq!(size(&thumbnail(&png(60, 80), 256).unwrap()), (60, 80));
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(thumbnail(b"not an image", 256).is_err());
    }
}
