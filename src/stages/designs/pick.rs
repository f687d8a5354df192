//! Which version of a cluster becomes its final design.

use super::versions::{Label, Scored};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickRule {
    /// The notebook's rule: the latest version if it is labelled yes, else v1.
    Seed,
    /// The best score across all rounds and candidates.
    Best,
}

impl PickRule {
    pub const NAMES: [&'static str; 2] = ["seed", "best"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "seed" => Some(PickRule::Seed),
            "best" => Some(PickRule::Best),
            _ => None,
        }
    }
}

/// The final version among one cluster's versions. With several candidates per round, "the
/// latest version" and "v1" mean that round's best-scored candidate (a yes one, for the latest).
pub fn pick<'a>(rule: PickRule, versions: &[&'a Scored]) -> Option<&'a Scored> {
    let best = |round: Option<i32>, yes_only: bool| {
        versions
            .iter()
            .filter(|s| round.is_none_or(|r| s.version.round == r))
            .filter(|s| !yes_only || s.label == Label::Yes)
            .max_by(|a, b| a.better_than(b))
            .copied()
    };
    match rule {
        PickRule::Best => best(None, false),
        PickRule::Seed => {
            let latest = versions.iter().map(|s| s.version.round).max()?;
            let first = versions.iter().map(|s| s.version.round).min()?;
            best(Some(latest), true).or_else(|| best(Some(first), false))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::designs::versions::{Score, Version};

    fn scored(round: i32, candidate: i32, score: f64, threshold: f64) -> Scored {
        Scored {
            version: Version {
                cluster: 0,
                candidate,
                round,
                prompt: String::new(),
                seed: 0,
                image: format!("c0_v{round}_k{candidate}.png"),
                image_digest: String::new(),
            },
            score: Score { score, s_centroid: 0.0, s_prompt: 0.0 },
            label: Label::of(score, threshold),
        }
    }

    fn picked(rule: PickRule, versions: &[Scored]) -> (i32, i32) {
        let refs: Vec<&Scored> = versions.iter().collect();
        let p = pick(rule, &refs).unwrap();
        (p.version.round, p.version.candidate)
    }

    #[test]
    fn seed_rule_keeps_v1_unless_the_latest_is_a_yes() {
        // v2 scores higher than v1 but is still a "no": the notebook keeps v1.
        let no_yes = [scored(1, 0, 0.70, 0.8), scored(2, 0, 0.75, 0.8)];
        assert_eq!(picked(PickRule::Seed, &no_yes), (1, 0));
        assert_eq!(picked(PickRule::Best, &no_yes), (2, 0));
        let v2_yes = [scored(1, 0, 0.70, 0.8), scored(2, 0, 0.81, 0.8)];
        assert_eq!(picked(PickRule::Seed, &v2_yes), (2, 0));
        // A yes in v1 and a no in v3: the notebook still falls back to v1.
        let v3_no = [scored(1, 0, 0.9, 0.8), scored(2, 0, 0.5, 0.8), scored(3, 0, 0.6, 0.8)];
        assert_eq!(picked(PickRule::Seed, &v3_no), (1, 0));
        assert_eq!(picked(PickRule::Seed, &v3_no[..1]), (1, 0));
    }

    #[test]
    fn best_rule_breaks_ties_towards_earlier_versions() {
        let tied = [scored(2, 1, 0.7, 0.8), scored(1, 1, 0.7, 0.8), scored(1, 0, 0.7, 0.8)];
        assert_eq!(picked(PickRule::Best, &tied), (1, 0));
        let candidates =
            [scored(1, 0, 0.6, 0.8), scored(1, 1, 0.65, 0.8), scored(2, 0, 0.85, 0.8), scored(2, 1, 0.9, 0.8)];
        assert_eq!(picked(PickRule::Seed, &candidates), (2, 1));
        assert_eq!(picked(PickRule::Seed, &candidates[..2]), (1, 1));
        assert!(pick(PickRule::Best, &[]).is_none());
    }
}
