//! The seed's `refine_prompt`: a weak design's prompt gains emphasis on the trend's first
//! colour and garment plus a quality booster; a middling one gains "refined details".

/// The notebook's `QUALITY` list, drawn from for the weakest designs.
pub const BOOSTERS: [&str; 5] = [
    "high fashion editorial lighting",
    "sharp textile detail",
    "well-structured silhouette",
    "professional lookbook style",
    "studio lighting",
];

/// Scores below `low` get the full treatment, below `mid` "refined details", the rest stay as they are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cuts {
    pub low: f64,
    pub mid: f64,
}

impl Default for Cuts {
    fn default() -> Self {
        Cuts { low: 0.50, mid: 0.62 }
    }
}

/// The next prompt for a cluster whose designs scored `score` (the mean over the round's candidates).
pub fn refine_prompt(
    prompt: &str,
    colors: &[String],
    garments: &[String],
    score: f64,
    cuts: Cuts,
    booster: &str,
) -> String {
    if score < cuts.low {
        let color = colors.first().map_or("neutral tones", String::as_str);
        let garment = garments.first().map_or("outfit", String::as_str);
        format!("{prompt}, {color} emphasis, refined {garment} tailoring, {booster}")
    } else if score < cuts.mid {
        format!("{prompt}, refined details")
    } else {
        prompt.to_string()
    }
}

/// The booster for one cluster in one round: a seeded draw that depends on nothing else, so one
/// cluster's prompt (and so its memoised designs) does not move when other clusters change.
pub fn draw_booster(boosters: &[String], seed: i64, cluster: i32, round: i32) -> &str {
    if boosters.is_empty() {
        return "";
    }
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"t2d booster");
    hasher.update(&seed.to_le_bytes());
    hasher.update(&cluster.to_le_bytes());
    hasher.update(&round.to_le_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
    &boosters[(u64::from_le_bytes(first) % boosters.len() as u64) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn weak_designs_get_colour_garment_and_booster() {
        let (colors, garments) = (strings(&["white", "beige"]), strings(&["blazer", "handbag"]));
        assert_eq!(
            refine_prompt("chic blazer", &colors, &garments, 0.49, Cuts::default(), "studio lighting"),
            "chic blazer, white emphasis, refined blazer tailoring, studio lighting"
        );
    }

    #[test]
    fn missing_tags_fall_back_as_the_notebook() {
        assert_eq!(
            refine_prompt("p", &[], &[], 0.1, Cuts::default(), "b"),
            "p, neutral tones emphasis, refined outfit tailoring, b"
        );
    }

    #[test]
    fn middling_designs_get_refined_details_and_good_ones_nothing() {
        let none: [String; 0] = [];
        assert_eq!(refine_prompt("p", &none, &none, 0.50, Cuts::default(), "b"), "p, refined details");
        assert_eq!(refine_prompt("p", &none, &none, 0.6199, Cuts::default(), "b"), "p, refined details");
        assert_eq!(refine_prompt("p", &none, &none, 0.62, Cuts::default(), "b"), "p");
        assert_eq!(refine_prompt("p", &none, &none, 0.78, Cuts::default(), "b"), "p");
        let cuts = Cuts { low: 0.8, mid: 0.9 };
        assert!(refine_prompt("p", &none, &none, 0.78, cuts, "b").ends_with("tailoring, b"));
    }

    #[test]
    fn booster_draw_is_seeded_per_cluster_and_round() {
        let boosters = strings(&BOOSTERS);
        let a = draw_booster(&boosters, 42, 3, 2);
        assert_eq!(a, draw_booster(&boosters, 42, 3, 2));
        assert!(BOOSTERS.contains(&a));
        let drawn: std::collections::BTreeSet<&str> = (0..40).map(|c| draw_booster(&boosters, 42, c, 2)).collect();
        assert!(drawn.len() > 1, "{drawn:?}");
        assert_eq!(draw_booster(&[], 42, 0, 2), "");
    }
}
