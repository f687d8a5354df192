//! One silhouette per article type, as layers in a 60 × 80 design space
//! (x right, y down), drawn so a viewer, or an image embedding, tells a
//! t-shirt from a shirt and a heel from a flat at thumbnail size.

use std::sync::OnceLock;

use super::prim::{Layer, Paint, Prim};
use crate::catalogue::synth::vocab::Article;

const SOLE: [u8; 3] = [238, 238, 232];
const DARK_SOLE: [u8; 3] = [40, 30, 24];
const METAL: [u8; 3] = [190, 190, 198];
const GOLD: [u8; 3] = [212, 178, 70];
const DIAL: [u8; 3] = [246, 246, 244];
const INK: [u8; 3] = [30, 30, 32];

fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Prim {
    Prim::Rect { x0, y0, x1, y1 }
}

fn ell(cx: f32, cy: f32, rx: f32, ry: f32) -> Prim {
    Prim::Ellipse { cx, cy, rx, ry }
}

fn poly(points: &[(f32, f32)]) -> Prim {
    Prim::Poly(points.to_vec())
}

fn cap(a: (f32, f32), b: (f32, f32), r: f32) -> Prim {
    Prim::Capsule { a, b, r }
}

/// A left-right symmetric outline from its left half, listed top to bottom.
fn sym(left: &[(f32, f32)]) -> Prim {
    let mut points = left.to_vec();
    points.extend(left.iter().rev().map(|&(x, y)| (60.0 - x, y)));
    Prim::Poly(points)
}

/// The mirror image of `prim` about the vertical centre line.
fn mirror(prim: &Prim) -> Prim {
    let m = |(x, y): (f32, f32)| (60.0 - x, y);
    match prim {
        Prim::Rect { x0, y0, x1, y1 } => rect(60.0 - x1, *y0, 60.0 - x0, *y1),
        Prim::Ellipse { cx, cy, rx, ry } => ell(60.0 - cx, *cy, *rx, *ry),
        Prim::Poly(points) => Prim::Poly(points.iter().map(|&p| m(p)).collect()),
        Prim::Capsule { a, b, r } => cap(m(*a), m(*b), *r),
    }
}

/// Layer builder.
struct Layers(Vec<Layer>);

impl Layers {
    fn add(mut self, prim: Prim, paint: Paint) -> Self {
        self.0.push(Layer::new(prim, paint));
        self
    }

    /// `prim` and its mirror image.
    fn pair(self, prim: Prim, paint: Paint) -> Self {
        let twin = mirror(&prim);
        self.add(prim, paint).add(twin, paint)
    }
}

/// The layers of `article`, built once.
pub(crate) fn silhouette(article: Article) -> &'static [Layer] {
    static ALL: OnceLock<Vec<Vec<Layer>>> = OnceLock::new();
    let all = ALL.get_or_init(|| Article::ALL.iter().map(|&a| build(a)).collect());
    all.get(article as usize).map_or(&[], Vec::as_slice)
}

#[rustfmt::skip] // one layer per line reads as a drawing; rustfmt would explode the point lists
fn build(article: Article) -> Vec<Layer> {
    use Article::*;
    use Paint::{Body, Clear, Fixed, Tone};
    let l = Layers(Vec::new());
    let layers = match article {
        Tshirts => l
            .add(sym(&[(30.0, 16.0), (24.0, 16.0), (15.0, 20.0), (5.0, 33.0), (11.0, 39.0), (17.0, 35.0), (17.0, 71.0), (30.0, 71.0)]), Body)
            .add(ell(30.0, 16.5, 7.5, 5.0), Tone(0.8))
            .add(ell(30.0, 15.5, 6.0, 4.0), Clear)
            .pair(poly(&[(5.0, 33.0), (11.0, 39.0), (12.2, 37.9), (6.3, 31.6)]), Tone(0.85)),
        Shirts => l
            .add(sym(&[(30.0, 15.0), (24.0, 15.0), (15.0, 19.0), (7.0, 57.0), (13.0, 59.0), (17.0, 37.0), (17.0, 73.0), (30.0, 73.0)]), Body)
            .pair(poly(&[(24.0, 14.0), (30.0, 22.0), (22.0, 20.0)]), Tone(0.8))
            .add(poly(&[(25.0, 14.0), (35.0, 14.0), (30.0, 19.0)]), Clear)
            .add(rect(29.3, 21.0, 30.7, 73.0), Tone(0.75))
            .pair(poly(&[(7.0, 57.0), (13.0, 59.0), (13.6, 56.5), (7.6, 54.5)]), Tone(0.8)),
        Tops => l
            .add(sym(&[(30.0, 22.0), (27.0, 21.0), (25.0, 13.0), (23.0, 13.0), (22.0, 26.0), (19.0, 30.0), (20.0, 46.0), (16.0, 66.0), (30.0, 66.0)]), Body)
            .add(rect(16.0, 63.5, 44.0, 66.0), Tone(0.85)),
        Kurtas => l
            .add(sym(&[(30.0, 9.0), (24.0, 9.0), (16.0, 12.0), (8.0, 42.0), (14.0, 44.0), (18.0, 26.0), (18.0, 50.0), (12.0, 78.0), (30.0, 78.0)]), Body)
            .add(poly(&[(26.0, 9.0), (34.0, 9.0), (30.0, 20.0)]), Clear)
            .add(rect(29.0, 20.0, 31.0, 40.0), Tone(1.4))
            .add(rect(12.0, 75.0, 48.0, 78.0), Tone(0.8)),
        Sweaters => l
            .add(sym(&[(30.0, 16.0), (24.0, 16.0), (14.0, 21.0), (8.0, 60.0), (15.0, 61.0), (18.0, 38.0), (17.0, 70.0), (30.0, 70.0)]), Body)
            .add(ell(30.0, 16.5, 7.5, 5.0), Tone(0.8))
            .add(ell(30.0, 15.5, 6.0, 4.0), Clear)
            .add(rect(17.0, 64.0, 43.0, 70.0), Tone(0.8))
            .pair(poly(&[(8.0, 60.0), (15.0, 61.0), (15.4, 57.0), (8.6, 56.0)]), Tone(0.8)),
        Jackets => l
            .add(sym(&[(30.0, 15.0), (23.0, 15.0), (14.0, 20.0), (7.0, 60.0), (14.0, 61.0), (17.0, 38.0), (16.0, 72.0), (30.0, 72.0)]), Body)
            .add(poly(&[(25.0, 15.0), (35.0, 15.0), (30.0, 32.0)]), Fixed(DIAL))
            .pair(poly(&[(23.0, 15.0), (29.0, 34.0), (22.0, 24.0)]), Tone(0.75))
            .add(rect(29.5, 32.0, 30.5, 72.0), Fixed(METAL))
            .pair(rect(19.0, 55.0, 26.0, 57.0), Tone(0.75)),
        Dresses => l
            .add(sym(&[(30.0, 16.0), (25.0, 14.0), (24.0, 9.0), (22.5, 9.0), (21.0, 18.0), (21.0, 33.0), (8.0, 76.0), (30.0, 76.0)]), Body)
            .add(rect(20.7, 31.5, 39.3, 34.5), Tone(0.8)),
        Skirts => l
            .add(sym(&[(30.0, 18.0), (19.0, 18.0), (18.0, 24.0), (9.0, 62.0), (30.0, 62.0)]), Body)
            .add(rect(18.5, 18.0, 41.5, 23.0), Tone(0.78))
            .add(cap((30.0, 24.0), (30.0, 61.0), 0.45), Tone(0.85))
            .pair(cap((24.0, 24.0), (19.5, 61.0), 0.45), Tone(0.85)),
        Jeans => l
            .add(poly(&[(16.0, 8.0), (44.0, 8.0), (45.0, 30.0), (43.0, 76.0), (32.5, 76.0), (30.5, 32.0), (29.5, 32.0), (27.5, 76.0), (17.0, 76.0), (15.0, 30.0)]), Body)
            .add(rect(16.0, 8.0, 44.0, 12.5), Tone(0.8))
            .add(cap((30.0, 12.5), (30.0, 27.0), 0.5), Tone(0.7))
            .pair(cap((18.0, 14.0), (24.0, 18.0), 0.5), Tone(0.8))
            .pair(rect(17.0, 73.5, 27.5, 76.0), Tone(0.85)),
        Trousers => l
            .add(poly(&[(17.0, 6.0), (43.0, 6.0), (44.0, 28.0), (44.0, 78.0), (32.0, 78.0), (30.4, 30.0), (29.6, 30.0), (28.0, 78.0), (16.0, 78.0), (16.0, 28.0)]), Body)
            .add(rect(17.0, 6.0, 43.0, 10.0), Tone(0.85))
            .add(cap((30.0, 10.0), (30.0, 24.0), 0.45), Tone(0.75))
            .pair(cap((22.0, 30.0), (22.0, 78.0), 0.4), Tone(0.88)),
        Shorts => l
            .add(poly(&[(16.0, 18.0), (44.0, 18.0), (46.0, 38.0), (48.0, 54.0), (32.0, 54.0), (30.4, 36.0), (29.6, 36.0), (28.0, 54.0), (12.0, 54.0), (14.0, 38.0)]), Body)
            .add(rect(16.0, 18.0, 44.0, 22.5), Tone(0.8))
            .pair(cap((28.0, 22.5), (27.0, 29.0), 0.5), Fixed(DIAL)),
        CasualShoes => l
            .add(poly(&[(7.0, 56.0), (7.0, 40.0), (12.0, 37.0), (19.0, 38.0), (24.0, 43.0), (36.0, 46.0), (46.0, 48.0), (52.0, 52.0), (54.0, 56.0)]), Body)
            .add(poly(&[(9.0, 39.5), (18.0, 40.0), (21.0, 43.0), (10.0, 42.5)]), Tone(0.4))
            .add(poly(&[(46.0, 48.0), (52.0, 52.0), (54.0, 56.0), (44.0, 56.0)]), Tone(1.25))
            .add(cap((25.0, 44.5), (29.0, 42.0), 0.7), Fixed(SOLE))
            .add(cap((29.0, 45.5), (33.0, 43.0), 0.7), Fixed(SOLE))
            .add(cap((33.0, 46.5), (37.0, 44.0), 0.7), Fixed(SOLE))
            .add(poly(&[(6.0, 56.0), (55.0, 56.0), (55.0, 60.0), (52.0, 62.0), (8.0, 62.0), (6.0, 60.0)]), Fixed(SOLE))
            .add(rect(6.0, 58.5, 55.0, 59.2), Tone(0.6)),
        SportsShoes => l
            .add(poly(&[(8.0, 55.0), (8.0, 36.0), (14.0, 33.0), (20.0, 35.0), (25.0, 41.0), (37.0, 44.0), (47.0, 46.0), (53.0, 50.0), (55.0, 55.0)]), Body)
            .add(poly(&[(10.0, 35.5), (19.0, 36.5), (22.0, 40.0), (11.0, 39.0)]), Tone(0.35))
            .add(poly(&[(14.0, 50.0), (40.0, 45.0), (46.0, 44.5), (30.0, 50.0), (16.0, 53.0)]), Fixed(SOLE))
            .add(cap((26.0, 42.5), (30.0, 40.0), 0.7), Fixed(SOLE))
            .add(cap((30.0, 43.5), (34.0, 41.0), 0.7), Fixed(SOLE))
            .add(poly(&[(7.0, 55.0), (56.0, 55.0), (56.0, 60.0), (53.0, 63.0), (9.0, 63.0), (6.0, 59.0)]), Fixed(SOLE))
            .add(rect(7.0, 59.0, 56.0, 60.5), Tone(0.6)),
        FormalShoes => l
            .add(poly(&[(8.0, 58.0), (8.0, 47.0), (14.0, 45.0), (24.0, 47.0), (34.0, 49.0), (46.0, 51.0), (53.0, 54.0), (56.0, 57.0), (55.0, 58.0)]), Body)
            .add(poly(&[(10.0, 46.5), (20.0, 47.3), (22.0, 49.0), (11.0, 48.6)]), Tone(0.35))
            .add(ell(47.0, 53.0, 4.0, 1.2), Tone(1.5))
            .add(cap((27.0, 48.5), (31.0, 47.8), 0.5), Tone(0.5))
            .add(rect(8.0, 58.0, 56.0, 60.5), Fixed(DARK_SOLE))
            .add(rect(8.0, 57.0, 17.0, 62.0), Fixed(DARK_SOLE)),
        Heels => l
            .add(poly(&[(10.0, 45.0), (15.5, 47.0), (13.8, 66.0), (12.4, 66.0)]), Body)
            .add(poly(&[(9.0, 35.0), (15.0, 36.0), (17.0, 47.0), (10.0, 50.0)]), Body)
            .add(poly(&[(10.0, 48.0), (16.0, 46.0), (28.0, 54.0), (42.0, 58.0), (54.0, 61.0), (55.0, 64.0), (40.0, 64.0), (26.0, 59.0), (14.0, 52.0)]), Body)
            .add(ell(46.0, 60.5, 9.0, 3.8), Body)
            .add(poly(&[(13.0, 40.0), (16.0, 44.0), (28.0, 52.0), (40.0, 56.0), (38.0, 57.3), (26.0, 55.0), (14.0, 47.0)]), Tone(0.55)),
        Flats => l
            .add(poly(&[(8.0, 58.0), (9.0, 51.0), (14.0, 50.0), (22.0, 52.0), (36.0, 52.0), (46.0, 51.0), (52.0, 53.0), (55.0, 56.0), (54.0, 58.0)]), Body)
            .add(poly(&[(11.0, 51.0), (36.0, 51.3), (36.0, 52.5), (11.0, 52.3)]), Tone(0.4))
            .add(ell(44.0, 51.5, 2.5, 1.5), Tone(0.7))
            .add(rect(8.0, 58.0, 54.0, 60.0), Tone(0.6)),
        Sandals => l
            .add(ell(30.0, 28.0, 11.0, 17.0), Tone(1.4))
            .add(ell(30.0, 56.0, 9.0, 15.0), Tone(1.4))
            .add(cap((18.0, 24.0), (42.0, 24.0), 3.0), Body)
            .add(cap((19.0, 34.0), (41.0, 34.0), 2.5), Body)
            .add(cap((21.0, 58.0), (39.0, 58.0), 2.5), Body)
            .add(rect(38.5, 56.5, 41.5, 59.5), Fixed(METAL)),
        FlipFlops => l
            .pair(ell(19.0, 30.0, 8.0, 14.0), Body)
            .pair(ell(19.0, 54.0, 7.0, 13.0), Body)
            .pair(cap((19.0, 24.0), (13.0, 36.0), 1.3), Tone(0.5))
            .pair(cap((19.0, 24.0), (25.0, 36.0), 1.3), Tone(0.5))
            .pair(ell(19.0, 23.5, 1.6, 1.6), Tone(0.5)),
        Handbags => l
            .add(ell(30.0, 40.0, 12.0, 15.0), Tone(0.7))
            .add(ell(30.0, 40.0, 9.5, 12.5), Clear)
            .add(poly(&[(12.0, 40.0), (48.0, 40.0), (53.0, 72.0), (7.0, 72.0)]), Body)
            .add(poly(&[(12.0, 40.0), (48.0, 40.0), (45.0, 52.0), (15.0, 52.0)]), Tone(0.85))
            .add(rect(28.0, 49.0, 32.0, 54.0), Fixed(GOLD)),
        Backpacks => l
            .add(ell(30.0, 14.0, 5.0, 4.0), Tone(0.6))
            .add(ell(30.0, 14.0, 3.0, 2.2), Clear)
            .pair(cap((15.0, 24.0), (12.0, 66.0), 2.0), Tone(0.6))
            .add(ell(30.0, 27.0, 16.0, 10.0), Body)
            .add(rect(14.0, 27.0, 46.0, 72.0), Body)
            .add(rect(18.0, 46.0, 42.0, 68.0), Tone(0.82))
            .add(cap((18.0, 46.0), (42.0, 46.0), 0.6), Fixed(METAL)),
        Wallets => l
            .add(rect(8.0, 28.0, 52.0, 56.0), Body)
            .add(rect(12.0, 30.0, 48.0, 34.0), Tone(1.25))
            .add(rect(8.0, 41.5, 52.0, 42.5), Tone(0.7))
            .add(rect(42.0, 47.0, 48.0, 51.0), Fixed(GOLD)),
        Watches => l
            .add(rect(23.0, 4.0, 37.0, 76.0), Body)
            .add(ell(30.0, 64.0, 0.9, 0.9), Tone(0.5))
            .add(ell(30.0, 68.0, 0.9, 0.9), Tone(0.5))
            .add(ell(30.0, 40.0, 15.0, 15.0), Fixed(METAL))
            .add(ell(30.0, 40.0, 13.5, 13.5), Tone(0.6))
            .add(ell(30.0, 40.0, 11.5, 11.5), Fixed(DIAL))
            .add(rect(29.4, 29.5, 30.6, 31.8), Fixed(INK))
            .add(rect(29.4, 48.2, 30.6, 50.5), Fixed(INK))
            .add(cap((30.0, 40.0), (30.0, 32.0), 0.8), Fixed(INK))
            .add(cap((30.0, 40.0), (36.0, 42.0), 0.8), Fixed(INK))
            .add(rect(44.5, 38.0, 47.0, 42.0), Fixed(METAL)),
        Belts => l
            .add(rect(2.0, 34.0, 58.0, 46.0), Body)
            .add(rect(18.0, 35.0, 58.0, 35.6), Tone(0.8))
            .add(rect(18.0, 44.4, 58.0, 45.0), Tone(0.8))
            .add(ell(42.0, 40.0, 0.9, 0.9), Clear)
            .add(ell(46.0, 40.0, 0.9, 0.9), Clear)
            .add(ell(50.0, 40.0, 0.9, 0.9), Clear)
            .add(rect(6.0, 30.0, 18.0, 50.0), Fixed(METAL))
            .add(rect(9.0, 33.0, 15.0, 47.0), Clear)
            .add(rect(9.0, 34.0, 15.0, 46.0), Body)
            .add(rect(11.0, 39.3, 20.0, 40.7), Fixed(METAL)),
        Caps => l
            .add(ell(28.0, 46.0, 18.0, 16.0), Body)
            .add(rect(0.0, 46.0, 60.0, 80.0), Clear)
            .add(ell(42.0, 47.0, 17.0, 4.2), Tone(0.8))
            .add(cap((28.0, 30.0), (28.0, 46.0), 0.4), Tone(0.8))
            .add(cap((28.0, 30.0), (18.0, 45.0), 0.4), Tone(0.8))
            .add(cap((28.0, 30.0), (38.0, 45.0), 0.4), Tone(0.8))
            .add(ell(28.0, 30.5, 2.0, 1.4), Tone(0.7)),
        Sunglasses => l
            .pair(cap((6.0, 37.0), (2.0, 35.0), 1.2), Body)
            .pair(ell(17.0, 40.0, 11.0, 8.5), Body)
            .add(cap((26.0, 37.0), (34.0, 37.0), 1.3), Body)
            .pair(ell(17.0, 40.0, 9.0, 6.7), Tone(0.35))
            .pair(cap((12.0, 37.0), (15.0, 35.0), 0.6), Fixed([200, 200, 210])),
    };
    layers.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_index_their_layers() {
        for (i, a) in Article::ALL.into_iter().enumerate() {
            assert_eq!(a as usize, i);
            assert_eq!(silhouette(a), build(a).as_slice());
        }
    }

    #[test]
    fn every_article_fits_the_canvas() {
        for article in Article::ALL {
            let layers = silhouette(article);
            assert!(!layers.is_empty());
            for layer in layers.iter() {
                let [x0, y0, x1, y1] = layer.bounds;
                assert!(x0 >= -0.5 && y0 >= -0.5 && x1 <= 60.5 && y1 <= 80.5, "{article:?} {layer:?}");
            }
        }
    }
}
