//! "Did you mean …?" for misspelt names.

/// The closest candidate to `typo`, if one is close enough to be a plausible intent.
pub fn did_you_mean<'a>(typo: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(typo, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_only_close_names() {
        let names = ["k_min", "k_max", "seed"];
        assert_eq!(super::did_you_mean("k_mx", names.into_iter()), Some("k_max"));
        assert_eq!(super::did_you_mean("colour", names.into_iter()), None);
    }
}
