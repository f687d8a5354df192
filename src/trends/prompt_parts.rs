//! The words that fill a prompt, and the seed's rules for choosing them:
//! two styles, two garments, one texture, the two most frequent colour names,
//! and a fallback word for anything missing.

use super::most_common::most_common;

/// Per placeholder, the words to join with ", ". Empty lists take the seed's
/// fallbacks ("casual", "outfit", "neutral tones", "fabric"); adjectives have
/// none in the seed and render as an empty string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PromptParts {
    pub styles: Vec<String>,
    pub garments: Vec<String>,
    pub colors: Vec<String>,
    pub textures: Vec<String>,
    pub adjectives: Vec<String>,
}

/// How many of each ranked list the seed puts in the prompt.
const STYLES_SHOWN: usize = 2;
const GARMENTS_SHOWN: usize = 2;
const TEXTURES_SHOWN: usize = 1;
const COLOURS_SHOWN: usize = 2;

impl PromptParts {
    /// The seed's selection from ranked tags (best first), the dominant
    /// colour names of a cluster's sampled images, and chosen adjectives.
    pub fn from_seed_rules(
        styles: &[String],
        garments: &[String],
        image_colours: &[String],
        textures: &[String],
        adjectives: &[String],
    ) -> Self {
        let first = |list: &[String], n: usize| list.iter().take(n).cloned().collect();
        Self {
            styles: first(styles, STYLES_SHOWN),
            garments: first(garments, GARMENTS_SHOWN),
            colors: most_common(image_colours, COLOURS_SHOWN).into_iter().map(|(name, _)| name).collect(),
            textures: first(textures, TEXTURES_SHOWN),
            adjectives: adjectives.to_vec(),
        }
    }

    pub(crate) fn styles_text(&self) -> String {
        joined_or(&self.styles, "casual")
    }

    pub(crate) fn garments_text(&self) -> String {
        joined_or(&self.garments, "outfit")
    }

    pub(crate) fn colors_text(&self) -> String {
        joined_or(&self.colors, "neutral tones")
    }

    pub(crate) fn texture_text(&self) -> String {
        joined_or(&self.textures, "fabric")
    }

    pub(crate) fn adjectives_text(&self) -> String {
        self.adjectives.join(", ")
    }
}

fn joined_or(words: &[String], fallback: &str) -> String {
    if words.is_empty() {
        fallback.to_owned()
    } else {
        words.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|&w| w.to_owned()).collect()
    }

    #[test]
    fn seed_rules_select_and_count() {
        let parts = PromptParts::from_seed_rules(
            &words(&["chic", "classic", "formal"]),
            &words(&["dress", "heels", "handbag"]),
            &words(&["black", "white", "white", "black", "red"]),
            &words(&["silk", "satin"]),
            &words(&["sleek", "fitted"]),
        );
        assert_eq!(parts.styles, words(&["chic", "classic"]));
        assert_eq!(parts.garments, words(&["dress", "heels"]));
        assert_eq!(parts.colors, words(&["black", "white"]));
        assert_eq!(parts.textures, words(&["silk"]));
        assert_eq!(parts.adjectives, words(&["sleek", "fitted"]));
    }

    #[test]
    fn fallbacks() {
        let parts = PromptParts::default();
        assert_eq!(parts.styles_text(), "casual");
        assert_eq!(parts.garments_text(), "outfit");
        assert_eq!(parts.colors_text(), "neutral tones");
        assert_eq!(parts.texture_text(), "fabric");
        assert_eq!(parts.adjectives_text(), "");
    }
}
