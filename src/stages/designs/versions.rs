//! A version: one design of one cluster (round `r`, candidate `k`), the prompt and seed that
//! made it and its PNG; once judged, its score and yes/no label.

use std::cmp::Ordering;

/// The seed notebook's labels: a version is kept ("yes") when its score reaches the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Yes,
    No,
}

impl Label {
    pub fn of(score: f64, threshold: f64) -> Self {
        if score >= threshold {
            Label::Yes
        } else {
            Label::No
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Yes => "yes",
            Label::No => "no",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "yes" => Some(Label::Yes),
            "no" => Some(Label::No),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    pub cluster: i32,
    pub candidate: i32,
    /// 1 for `generate`'s designs, 2… for `refine`'s.
    pub round: i32,
    pub prompt: String,
    pub seed: i64,
    /// File name in the images bundle (and under `gens/`).
    pub image: String,
    /// blake3 of the PNG bytes.
    pub image_digest: String,
}

impl Version {
    /// Identifies a version across the generations, scores and rounds tables.
    pub fn id(&self) -> (i32, i32, i32) {
        (self.cluster, self.round, self.candidate)
    }
}

/// `(w_c · s_centroid + w_p · s_prompt + 1) / 2` and its two cosines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    pub score: f64,
    pub s_centroid: f64,
    pub s_prompt: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub version: Version,
    pub score: Score,
    pub label: Label,
}

impl Scored {
    /// Higher score first; on a tie the earlier round, then the lower candidate.
    pub fn better_than(&self, other: &Scored) -> Ordering {
        self.score
            .score
            .total_cmp(&other.score.score)
            .then_with(|| other.version.round.cmp(&self.version.round))
            .then_with(|| other.version.candidate.cmp(&self.version.candidate))
    }
}

/// `c{cluster}_v{round}.png`, or `c{cluster}_v{round}_k{candidate}.png` when a cluster has several candidates.
pub fn image_name(cluster: i32, round: i32, candidate: i32, candidates: usize) -> String {
    if candidates > 1 {
        format!("c{cluster}_v{round}_k{candidate}.png")
    } else {
        format!("c{cluster}_v{round}.png")
    }
}

/// The seed of candidate `k` in round `r`: `base + cluster + 1000·k`, plus `100000·(r − 2)` from round 3 on
/// (round 1 uses `generate.seed_base`, rounds 2… `refine.refine_seed_base`), so one candidate reproduces
/// the notebook's `42 + cid` and `1024 + cid`.
pub fn seed_for(base: i64, cluster: i32, candidate: i32, round: i32) -> i64 {
    let round_offset = if round > 2 { 100_000 * i64::from(round - 2) } else { 0 };
    base + i64::from(cluster) + 1000 * i64::from(candidate) + round_offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_seeds_follow_the_notebook() {
        assert_eq!(image_name(3, 1, 0, 1), "c3_v1.png");
        assert_eq!(image_name(3, 2, 1, 2), "c3_v2_k1.png");
        assert_eq!(seed_for(42, 3, 0, 1), 45);
        assert_eq!(seed_for(1024, 3, 0, 2), 1027);
        assert_eq!(seed_for(1024, 3, 2, 4), 1024 + 3 + 2000 + 200_000);
    }

    #[test]
    fn labels_are_yes_from_the_threshold_up() {
        assert_eq!(Label::of(0.7, 0.7), Label::Yes);
        assert_eq!(Label::of(0.699, 0.7), Label::No);
        assert_eq!(Label::parse(Label::Yes.as_str()), Some(Label::Yes));
    }
}
