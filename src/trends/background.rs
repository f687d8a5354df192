//! Telling a product from its studio background: catalogue photos sit on
//! white, and without this the "dominant colour" of most of them is white.
//!
//! The background is the near-white region connected to the image border:
//! a flood fill (4-neighbour) from every border pixel whose channels are all
//! at least [`BackgroundRule::min_channel`]. White inside the product (a
//! collar, a print) is not connected to the border and is kept.

use std::collections::VecDeque;

use ndarray::ArrayView3;

use super::error::TrendsError;
use super::validate::check_image;

/// When a pixel counts as background, and when to give up on removing it.
#[derive(Debug, Clone, PartialEq)]
pub struct BackgroundRule {
    /// A pixel is near-white when each of its channels is at least this.
    pub min_channel: u8,
    /// If less than this share of the pixels remains, the whole image is
    /// used instead (the product itself is probably white).
    pub min_foreground_share: f64,
}

impl Default for BackgroundRule {
    fn default() -> Self {
        Self { min_channel: 235, min_foreground_share: 0.05 }
    }
}

/// For an image of shape (height, width, 3), `true` for every pixel (row
/// major) that is not border-connected near-white background.
pub fn foreground_mask(image: ArrayView3<u8>, rule: &BackgroundRule) -> Result<Vec<bool>, TrendsError> {
    check_image(image)?;
    let (height, width, _) = image.dim();
    let near_white = |y: usize, x: usize| (0..3).all(|c| image[[y, x, c]] >= rule.min_channel);
    let mut foreground = vec![true; height * width];
    let mut queue = VecDeque::new();
    let border =
        (0..width).flat_map(|x| [(0, x), (height - 1, x)]).chain((0..height).flat_map(|y| [(y, 0), (y, width - 1)]));
    for (y, x) in border {
        if foreground[y * width + x] && near_white(y, x) {
            foreground[y * width + x] = false;
            queue.push_back((y, x));
        }
    }
    while let Some((y, x)) = queue.pop_front() {
        let neighbours = [(y.wrapping_sub(1), x), (y + 1, x), (y, x.wrapping_sub(1)), (y, x + 1)];
        for (ny, nx) in neighbours {
            if ny < height && nx < width && foreground[ny * width + nx] && near_white(ny, nx) {
                foreground[ny * width + nx] = false;
                queue.push_back((ny, nx));
            }
        }
    }
    Ok(foreground)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array3;

    #[test]
    fn removes_only_border_connected_white() {
        // White 7×7 image, a red ring with a white hole in the middle.
        let mut image = Array3::<u8>::from_elem((7, 7, 3), 255);
        for y in 2..5 {
            for x in 2..5 {
                image[[y, x, 0]] = 200;
                image[[y, x, 1]] = 0;
                image[[y, x, 2]] = 0;
            }
        }
        image[[3, 3, 1]] = 255;
        image[[3, 3, 2]] = 255;
        image[[3, 3, 0]] = 255;
        let mask = foreground_mask(image.view(), &BackgroundRule::default()).unwrap();
        assert_eq!(mask.iter().filter(|&&m| m).count(), 9);
        assert!(mask[3 * 7 + 3], "the enclosed white pixel stays");
        assert!(!mask[0]);
    }

    #[test]
    fn single_pixel_image() {
        let image = Array3::<u8>::from_elem((1, 1, 3), 250);
        assert_eq!(foreground_mask(image.view(), &BackgroundRule::default()), Ok(vec![false]));
        let empty = Array3::<u8>::zeros((0, 4, 3));
        assert!(foreground_mask(empty.view(), &BackgroundRule::default()).is_err());
    }
}
