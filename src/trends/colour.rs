//! The dominant colour of a product photo (the seed's `dominant_color_name`):
//! k-means on the pixels, the largest cluster's centre, its nearest palette
//! name. Optionally the white studio background is left out first.

use ndarray::{Array2, ArrayView3};

use super::background::{foreground_mask, BackgroundRule};
use super::error::TrendsError;
use super::kmeans::{check_params, fit_checked, KMeansParams};
use super::most_common::most_common;
use super::palette::Palette;
use super::points::Points;
use super::validate::check_image;

/// How to find the dominant colour; the defaults are the seed's.
#[derive(Debug, Clone, PartialEq)]
pub struct DominantColourOptions {
    pub k: usize,
    pub seed: u64,
    pub palette: Palette,
    /// `None` (the seed's behaviour) clusters every pixel.
    pub ignore_background: Option<BackgroundRule>,
}

impl Default for DominantColourOptions {
    fn default() -> Self {
        Self { k: 3, seed: 42, palette: Palette::basic(), ignore_background: None }
    }
}

/// The dominant colour and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct DominantColour {
    pub name: String,
    /// Mean RGB of the largest pixel cluster.
    pub centre: [f32; 3],
    /// That cluster's share of the pixels clustered.
    pub share: f64,
    pub pixels_used: usize,
    /// Pixels left out as background (0 when the rule was off or fell back).
    pub background_pixels: usize,
}

/// The dominant colour of an RGB image of shape (height, width, 3); the seed
/// resizes to 64×64 first, which is the caller's job.
pub fn dominant_colour(image: ArrayView3<u8>, options: &DominantColourOptions) -> Result<DominantColour, TrendsError> {
    check_image(image)?;
    let (height, width, _) = image.dim();
    let total = height * width;
    let params = KMeansParams { seed: options.seed, ..KMeansParams::new(options.k) };
    check_params(total, &params)?;

    let mut keep = vec![true; total];
    if let Some(rule) = &options.ignore_background {
        let mask = foreground_mask(image, rule)?;
        let kept = mask.iter().filter(|&&m| m).count();
        if kept >= options.k && kept as f64 >= rule.min_foreground_share * total as f64 {
            keep = mask;
        }
    }
    let pixels_used = keep.iter().filter(|&&k| k).count();
    let mut pixels = Array2::<f32>::zeros((pixels_used, 3));
    let kept_positions = (0..total).filter(|&p| keep[p]);
    for (mut row, p) in pixels.rows_mut().into_iter().zip(kept_positions) {
        for (c, v) in row.iter_mut().enumerate() {
            *v = f32::from(image[[p / width, p % width, c]]);
        }
    }

    let fit = fit_checked(&Points::new(pixels.view()), &params);
    let (largest, count) = most_common(&fit.labels, 1).pop().unwrap_or((0, 0));
    let centre = [fit.centroids[[largest, 0]], fit.centroids[[largest, 1]], fit.centroids[[largest, 2]]];
    Ok(DominantColour {
        name: options.palette.nearest(centre).to_owned(),
        centre,
        share: count as f64 / pixels_used as f64,
        pixels_used,
        background_pixels: total - pixels_used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array3;

    fn solid(height: usize, width: usize, rgb: [u8; 3]) -> Array3<u8> {
        Array3::from_shape_fn((height, width, 3), |(_, _, c)| rgb[c])
    }

    #[test]
    fn solid_image() {
        let image = solid(64, 64, [20, 40, 230]);
        let found = dominant_colour(image.view(), &DominantColourOptions::default()).unwrap();
        assert_eq!(found.name, "blue");
        assert_eq!(found.centre, [20.0, 40.0, 230.0]);
        assert_eq!(found.share, 1.0);
        assert_eq!(found.pixels_used, 4096);
    }

    #[test]
    fn striped_seventy_thirty_gives_the_majority() {
        // Vertical stripes: 7 red columns then 3 green, repeated (70/30).
        let mut image = solid(64, 60, [34, 139, 34]);
        for x in (0..60).filter(|x| x % 10 < 7) {
            for y in 0..64 {
                image[[y, x, 0]] = 220;
                image[[y, x, 1]] = 20;
                image[[y, x, 2]] = 60;
            }
        }
        let found = dominant_colour(image.view(), &DominantColourOptions::default()).unwrap();
        assert_eq!(found.name, "red");
        assert!((found.share - 0.7).abs() < 1e-12, "{}", found.share);
    }

    /// A brown bag (30% of the frame) on a white studio background.
    fn product_on_white() -> Array3<u8> {
        let mut image = solid(64, 64, [252, 252, 250]);
        for y in 18..53 {
            for x in 14..50 {
                image[[y, x, 0]] = 139 + (x % 5) as u8;
                image[[y, x, 1]] = 69;
                image[[y, x, 2]] = 19 + (y % 3) as u8;
            }
        }
        image
    }

    #[test]
    fn white_background_dominates_without_the_option() {
        let found = dominant_colour(product_on_white().view(), &DominantColourOptions::default()).unwrap();
        assert_eq!(found.name, "white");
    }

    #[test]
    fn ignoring_the_background_finds_the_product() {
        let options = DominantColourOptions {
            ignore_background: Some(BackgroundRule::default()),
            ..DominantColourOptions::default()
        };
        let found = dominant_colour(product_on_white().view(), &options).unwrap();
        assert_eq!(found.name, "brown");
        assert_eq!(found.pixels_used, 35 * 36);
        assert_eq!(found.background_pixels, 4096 - 35 * 36);
    }

    #[test]
    fn white_product_falls_back_to_all_pixels() {
        let options = DominantColourOptions {
            ignore_background: Some(BackgroundRule::default()),
            ..DominantColourOptions::default()
        };
        let found = dominant_colour(solid(64, 64, [250, 250, 250]).view(), &options).unwrap();
        assert_eq!(found.name, "white");
        assert_eq!(found.pixels_used, 4096);
        assert_eq!(found.background_pixels, 0);
    }

    #[test]
    fn custom_palette() {
        let palette = Palette::new(vec![("ink".to_owned(), [0, 0, 40]), ("snow".to_owned(), [255, 255, 255])]).unwrap();
        let options = DominantColourOptions { palette, ..DominantColourOptions::default() };
        let found = dominant_colour(solid(8, 8, [10, 10, 60]).view(), &options).unwrap();
        assert_eq!(found.name, "ink");
    }

    #[test]
    fn rejects_bad_shapes() {
        let grey = Array3::<u8>::zeros((8, 8, 1));
        assert_eq!(
            dominant_colour(grey.view(), &DominantColourOptions::default()),
            Err(TrendsError::ImageShape { shape: vec![8, 8, 1] })
        );
        let tiny = solid(1, 2, [0, 0, 0]);
        assert_eq!(
            dominant_colour(tiny.view(), &DominantColourOptions::default()),
            Err(TrendsError::TooManyClusters { k: 3, points: 2 })
        );
    }
}
