//! Product pictures: an article's silhouette in its base colour and pattern
//! on a white background, with a little jitter, shading, an edge line and
//! noise, so that no two pictures are identical but pictures of one type and
//! colour look alike. Everything random comes from the product's look seed.

mod paint;
mod prim;
mod shapes;

use image::RgbImage;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::vocab::{Article, Pattern};
use paint::{Swatch, Texture};
use prim::Paint;

pub(crate) const WIDTH: u32 = 60;
pub(crate) const HEIGHT: u32 = 80;

/// What a picture shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Look {
    pub article: Article,
    pub rgb: [u8; 3],
    pub pattern: Pattern,
    pub seed: u64,
}

pub(crate) fn render(look: &Look) -> RgbImage {
    let layers = shapes::silhouette(look.article);
    let mut rng = ChaCha8Rng::seed_from_u64(look.seed);
    let scale: f32 = rng.random_range(0.9..1.04);
    let (dx, dy): (f32, f32) = (rng.random_range(-2.0..2.0), rng.random_range(-2.0..2.0));
    let texture = Texture::new(look.pattern, &mut rng);
    let swatch = Swatch::new(look.rgb);
    let mut noise = Noise(rng.random::<u64>() | 1);

    let (w, h) = (WIDTH as usize, HEIGHT as usize);
    let design = |px: usize, py: usize| {
        let x = 30.0 + (px as f32 + 0.5 - 30.0 - dx) / scale;
        let y = 40.0 + (py as f32 + 0.5 - 40.0 - dy) / scale;
        (x, y)
    };
    let pixel = |v: f32, centre: f32, shift: f32, len: usize, up: bool| {
        let p = centre + (v - centre) * scale + shift - 0.5;
        let p = if up { p.ceil() + 1.0 } else { p.floor() - 1.0 };
        p.clamp(0.0, len as f32 - 1.0) as usize
    };
    // Which layer shows at each pixel (painter's order, each layer over its
    // own bounding box only); None is background.
    let mut top: Vec<Option<usize>> = vec![None; w * h];
    for (i, layer) in layers.iter().enumerate() {
        let [x0, y0, x1, y1] = layer.bounds;
        for py in pixel(y0, 40.0, dy, h, false)..=pixel(y1, 40.0, dy, h, true) {
            for px in pixel(x0, 30.0, dx, w, false)..=pixel(x1, 30.0, dx, w, true) {
                let (x, y) = design(px, py);
                if layer.prim.contains(x, y) {
                    top[py * w + px] = (layer.paint != Paint::Clear).then_some(i);
                }
            }
        }
    }
    let background = |px: isize, py: isize| {
        px < 0 || py < 0 || px >= w as isize || py >= h as isize || top[py as usize * w + px as usize].is_none()
    };

    let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, image::Rgb([255, 255, 255]));
    for py in 0..h {
        for px in 0..w {
            let Some(layer) = top[py * w + px] else {
                continue;
            };
            let (x, y) = design(px, py);
            let base = match layers[layer].paint {
                Paint::Body => texture.colour(&swatch, x, y),
                Paint::Tone(f) => swatch.tone(f),
                Paint::Fixed(rgb) => rgb.map(f32::from),
                Paint::Clear => [255.0; 3],
            };
            let (sx, sy) = (px as isize, py as isize);
            let edge = [(-1, 0), (1, 0), (0, -1), (0, 1)].iter().any(|&(ox, oy)| background(sx + ox, sy + oy));
            let light = 1.06 - 0.14 * (0.35 * px as f32 / 60.0 + 0.65 * py as f32 / 80.0);
            let shade = if edge { light * 0.72 } else { light };
            let jitter = noise.next_unit() * 6.0 - 3.0;
            let rgb = base.map(|c| (c * shade + jitter).round().clamp(0.0, 255.0) as u8);
            img.put_pixel(px as u32, py as u32, image::Rgb(rgb));
        }
    }
    img
}

/// xorshift64: cheap per-pixel noise.
struct Noise(u64);

impl Noise {
    fn next_unit(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(article: Article, rgb: [u8; 3], seed: u64) -> Look {
        Look { article, rgb, pattern: Pattern::Solid, seed }
    }

    fn ink(img: &RgbImage) -> usize {
        img.pixels().filter(|p| p.0.iter().any(|&c| c < 235)).count()
    }

    #[test]
    fn deterministic_and_seed_sensitive() {
        let a = render(&look(Article::Tshirts, [200, 30, 40], 1));
        assert_eq!(a, render(&look(Article::Tshirts, [200, 30, 40], 1)));
        assert_ne!(a, render(&look(Article::Tshirts, [200, 30, 40], 2)));
    }

    #[test]
    fn products_sit_on_white_and_fill_a_sensible_share() {
        for article in Article::ALL {
            let img = render(&look(article, [38, 92, 200], 3));
            assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
            assert_eq!(img.get_pixel(0, 0).0, [255, 255, 255], "{article:?}");
            let share = ink(&img) as f32 / (WIDTH * HEIGHT) as f32;
            assert!((0.04..0.7).contains(&share), "{article:?}: {share}");
        }
    }

    #[test]
    fn white_products_stay_visible() {
        let img = render(&look(Article::Shirts, [246, 246, 242], 4));
        assert!(ink(&img) > 100, "the edge line outlines a white shirt");
    }

    #[test]
    fn types_differ_more_than_copies_of_one_type() {
        let mask = |img: &RgbImage| -> Vec<bool> { img.pixels().map(|p| p.0.iter().any(|&c| c < 235)).collect() };
        let diff = |a: &[bool], b: &[bool]| a.iter().zip(b).filter(|(x, y)| x != y).count();
        let tee1 = mask(&render(&look(Article::Tshirts, [40, 140, 60], 5)));
        let tee2 = mask(&render(&look(Article::Tshirts, [40, 140, 60], 6)));
        let heel = mask(&render(&look(Article::Heels, [40, 140, 60], 5)));
        assert!(diff(&tee1, &tee2) < diff(&tee1, &heel));
    }
}
