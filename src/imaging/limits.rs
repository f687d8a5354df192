//! Decompression-bomb guard: how big an image may claim to be before any
//! pixel memory is allocated for it.

/// Checked against the dimensions in the file header, before decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    pub max_side: u32,
    pub max_pixels: u64,
}

impl DecodeLimits {
    /// Pillow's `Image.MAX_IMAGE_PIXELS` (it warns above this), and the
    /// largest side a JPEG can have.
    pub const DEFAULT: DecodeLimits = DecodeLimits { max_side: 65_535, max_pixels: 89_478_485 };

    pub fn allows(&self, width: u32, height: u32) -> bool {
        width <= self.max_side && height <= self.max_side && u64::from(width) * u64::from(height) <= self.max_pixels
    }
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_allows_catalogue_photos_and_refuses_bombs() {
        let limits = DecodeLimits::DEFAULT;
        assert!(limits.allows(60, 80));
        assert!(limits.allows(1800, 2400));
        assert!(!limits.allows(100_000, 100_000));
        assert!(!limits.allows(65_535, 65_535));
        assert!(!limits.allows(70_000, 1));
    }
}
