//! Named reference colours, and the nearest name for an RGB value: how a
//! pixel-cluster centre becomes a word in a prompt.

use super::error::TrendsError;

/// The seed notebook's `_BASIC` table, in its order (which breaks ties).
pub const BASIC_COLOURS: [(&str, [u8; 3]); 12] = [
    ("red", [220, 20, 60]),
    ("orange", [255, 140, 0]),
    ("yellow", [255, 215, 0]),
    ("green", [34, 139, 34]),
    ("blue", [30, 144, 255]),
    ("purple", [138, 43, 226]),
    ("pink", [255, 105, 180]),
    ("brown", [139, 69, 19]),
    ("black", [10, 10, 10]),
    ("white", [245, 245, 245]),
    ("gray", [128, 128, 128]),
    ("beige", [222, 203, 180]),
];

/// An ordered, non-empty list of named colours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    colours: Vec<(String, [u8; 3])>,
}

impl Palette {
    pub fn new(colours: Vec<(String, [u8; 3])>) -> Result<Self, TrendsError> {
        if colours.is_empty() {
            return Err(TrendsError::EmptyPalette);
        }
        Ok(Self { colours })
    }

    /// The seed's twelve basic colours.
    pub fn basic() -> Self {
        Self { colours: BASIC_COLOURS.iter().map(|&(name, rgb)| (name.to_owned(), rgb)).collect() }
    }

    pub fn colours(&self) -> &[(String, [u8; 3])] {
        &self.colours
    }

    /// The name of the colour nearest to `rgb` in Euclidean RGB distance
    /// (the seed's `nearest_color_name`); the earlier colour wins a tie.
    pub fn nearest(&self, rgb: [f32; 3]) -> &str {
        let distance = |reference: &[u8; 3]| -> f64 {
            rgb.iter().zip(reference).map(|(&v, &r)| (f64::from(v) - f64::from(r)).powi(2)).sum()
        };
        let mut best = &self.colours[0];
        let mut best_distance = distance(&best.1);
        for colour in &self.colours[1..] {
            let d = distance(&colour.1);
            if d < best_distance {
                best = colour;
                best_distance = d;
            }
        }
        &best.0
    }
}

impl Default for Palette {
    fn default() -> Self {
        Self::basic()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_basic_names() {
        let palette = Palette::basic();
        assert_eq!(palette.nearest([250.0, 250.0, 250.0]), "white");
        assert_eq!(palette.nearest([0.0, 0.0, 0.0]), "black");
        assert_eq!(palette.nearest([30.0, 60.0, 200.0]), "blue");
        assert_eq!(palette.nearest([225.0, 200.0, 170.0]), "beige");
    }

    #[test]
    fn first_colour_wins_a_tie() {
        let palette =
            Palette::new(vec![("dark".to_owned(), [0, 0, 0]), ("light".to_owned(), [200, 200, 200])]).unwrap();
        assert_eq!(palette.nearest([100.0, 100.0, 100.0]), "dark");
        let swapped = Palette::new(palette.colours().iter().rev().cloned().collect()).unwrap();
        assert_eq!(swapped.nearest([100.0, 100.0, 100.0]), "light");
    }

    #[test]
    fn empty_palette_is_an_error() {
        assert_eq!(Palette::new(Vec::new()), Err(TrendsError::EmptyPalette));
    }
}
