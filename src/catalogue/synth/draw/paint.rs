//! Colour for the body of a product: its base colour, a contrasting second
//! colour, and the pattern (stripes, checks, dots) laid over the design space.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::catalogue::synth::vocab::Pattern;

/// A base colour and its contrasting partner.
pub(crate) struct Swatch {
    base: [f32; 3],
    second: [f32; 3],
}

impl Swatch {
    pub(crate) fn new(rgb: [u8; 3]) -> Self {
        let base = rgb.map(f32::from);
        let luma = 0.299 * base[0] + 0.587 * base[1] + 0.114 * base[2];
        let second = if luma > 150.0 { base.map(|c| c * 0.55) } else { base.map(|c| c + (255.0 - c) * 0.6) };
        Swatch { base, second }
    }

    /// The base colour scaled: below 1 darker, above 1 toward white.
    pub(crate) fn tone(&self, f: f32) -> [f32; 3] {
        if f <= 1.0 {
            self.base.map(|c| c * f)
        } else {
            let t = (f - 1.0).min(1.0);
            self.base.map(|c| c + (255.0 - c) * t)
        }
    }
}

/// A pattern with its scale and phase.
pub(crate) struct Texture {
    pattern: Pattern,
    period: f32,
    phase: f32,
    vertical: bool,
}

impl Texture {
    pub(crate) fn new(pattern: Pattern, rng: &mut ChaCha8Rng) -> Self {
        Texture {
            pattern,
            period: rng.random_range(4.0..7.5),
            phase: rng.random_range(0.0..8.0),
            vertical: rng.random_bool(0.3),
        }
    }

    pub(crate) fn colour(&self, swatch: &Swatch, x: f32, y: f32) -> [f32; 3] {
        let p = self.period;
        let (x, y) = (x + self.phase, y + self.phase);
        match self.pattern {
            Pattern::Solid => swatch.base,
            Pattern::Stripes => {
                let v = if self.vertical { x } else { y };
                if v.rem_euclid(p) < p * 0.4 {
                    swatch.second
                } else {
                    swatch.base
                }
            }
            Pattern::Checks => {
                let a = x.rem_euclid(p) < p / 2.0;
                let b = y.rem_euclid(p) < p / 2.0;
                match (a, b) {
                    (true, true) => swatch.second,
                    (false, false) => swatch.base,
                    _ => mix(swatch.base, swatch.second),
                }
            }
            Pattern::Dots => {
                let row = (y / p).floor() as i64;
                let shift = if row % 2 == 0 { 0.0 } else { p / 2.0 };
                let cx = (x + shift).rem_euclid(p) - p / 2.0;
                let cy = y.rem_euclid(p) - p / 2.0;
                let r = p * 0.24;
                if cx * cx + cy * cy < r * r {
                    swatch.second
                } else {
                    swatch.base
                }
            }
        }
    }
}

fn mix(a: [f32; 3], b: [f32; 3]) -> [f32; 3] {
    [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0, (a[2] + b[2]) / 2.0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn second_colour_contrasts() {
        let dark = Swatch::new([26, 36, 92]);
        assert!(dark.second[0] > dark.base[0] + 50.0);
        let light = Swatch::new([246, 246, 242]);
        assert!(light.second[0] < light.base[0] - 50.0);
    }

    #[test]
    fn patterns_use_both_colours() {
        let swatch = Swatch::new([204, 32, 42]);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for pattern in [Pattern::Stripes, Pattern::Checks, Pattern::Dots] {
            let t = Texture::new(pattern, &mut rng);
            let colours: Vec<[f32; 3]> =
                (0..400).map(|i| t.colour(&swatch, (i % 20) as f32, (i / 20) as f32)).collect();
            assert!(colours.contains(&swatch.base) && colours.contains(&swatch.second), "{pattern:?}");
        }
        let solid = Texture::new(Pattern::Solid, &mut rng);
        assert_eq!(solid.colour(&swatch, 3.0, 4.0), swatch.base);
    }
}
