//! What each round generates: round 1 every cluster's prompt (the seed notebook's Step 4); each
//! later round (Steps 6–7) the clusters that still lack a "yes", with refined prompts.

use std::collections::BTreeMap;

use super::prompt_rules::{draw_booster, refine_prompt, Cuts};
use super::versions::{image_name, seed_for, Label, Scored, Version};

/// What a cluster brings to refining: its current prompt, its tags and how many candidates a round has.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    pub prompt: String,
    pub colors: Vec<String>,
    pub garments: Vec<String>,
    pub candidates: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    pub cuts: Cuts,
    pub boosters: Vec<String>,
    /// Seeds the booster draw.
    pub booster_seed: i64,
    /// Round r ≥ 2 generates with `seed_for(seed_base, cluster, candidate, r)`.
    pub seed_base: i64,
}

/// Round 1 (`generate`): `candidates` designs of each cluster's prompt, without digests.
pub fn plan_first_round(prompts: &BTreeMap<i32, String>, seed_base: i64, candidates: usize) -> Vec<Version> {
    let mut planned = Vec::new();
    for (&cluster, prompt) in prompts {
        for candidate in 0..candidates as i32 {
            planned.push(Version {
                cluster,
                candidate,
                round: 1,
                prompt: prompt.clone(),
                seed: seed_for(seed_base, cluster, candidate, 1),
                image: image_name(cluster, 1, candidate, candidates),
                image_digest: String::new(),
            });
        }
    }
    planned
}

/// Clusters that have no version labelled yes yet.
pub fn unsettled(clusters: &BTreeMap<i32, Cluster>, history: &[Scored]) -> Vec<i32> {
    clusters
        .keys()
        .copied()
        .filter(|c| !history.iter().any(|s| s.version.cluster == *c && s.label == Label::Yes))
        .collect()
}

/// Refines the prompt of every unsettled cluster (from the mean score of its latest round, as the
/// notebook's `avg_score`) and returns the versions round `round` must generate, without digests.
pub fn plan_round(
    clusters: &mut BTreeMap<i32, Cluster>,
    history: &[Scored],
    round: i32,
    rules: &Rules,
) -> Vec<Version> {
    let mut planned = Vec::new();
    for id in unsettled(clusters, history) {
        let mine: Vec<&Scored> = history.iter().filter(|s| s.version.cluster == id).collect();
        let Some(latest) = mine.iter().map(|s| s.version.round).max() else { continue };
        let scores: Vec<f64> = mine.iter().filter(|s| s.version.round == latest).map(|s| s.score.score).collect();
        let mean = scores.iter().sum::<f64>() / scores.len() as f64;
        let Some(cluster) = clusters.get_mut(&id) else { continue };
        let booster = draw_booster(&rules.boosters, rules.booster_seed, id, round);
        cluster.prompt = refine_prompt(&cluster.prompt, &cluster.colors, &cluster.garments, mean, rules.cuts, booster);
        for candidate in 0..cluster.candidates as i32 {
            planned.push(Version {
                cluster: id,
                candidate,
                round,
                prompt: cluster.prompt.clone(),
                seed: seed_for(rules.seed_base, id, candidate, round),
                image: image_name(id, round, candidate, cluster.candidates),
                image_digest: String::new(),
            });
        }
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::designs::prompt_rules::BOOSTERS;
    use crate::stages::designs::versions::Score;

    fn cluster(prompt: &str) -> Cluster {
        Cluster { prompt: prompt.into(), colors: vec!["black".into()], garments: vec![], candidates: 1 }
    }

    fn scored(cluster: i32, round: i32, score: f64) -> Scored {
        Scored {
            version: Version {
                cluster,
                candidate: 0,
                round,
                prompt: String::new(),
                seed: 0,
                image: String::new(),
                image_digest: String::new(),
            },
            score: Score { score, s_centroid: 0.0, s_prompt: 0.0 },
            label: Label::of(score, 0.8),
        }
    }

    fn rules() -> Rules {
        Rules {
            cuts: Cuts::default(),
            boosters: BOOSTERS.iter().map(|b| b.to_string()).collect(),
            booster_seed: 42,
            seed_base: 1024,
        }
    }

    #[test]
    fn only_clusters_without_a_yes_are_refined() {
        let mut clusters = BTreeMap::from([(0, cluster("a")), (1, cluster("b")), (2, cluster("c"))]);
        let history = [scored(0, 1, 0.9), scored(1, 1, 0.4), scored(2, 1, 0.55)];
        let planned = plan_round(&mut clusters, &history, 2, &rules());
        let got: Vec<(i32, &str, i64, &str)> =
            planned.iter().map(|v| (v.cluster, v.prompt.as_str(), v.seed, v.image.as_str())).collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].1.starts_with("b, black emphasis, refined outfit tailoring, "), "{got:?}");
        assert_eq!((got[0].0, got[0].2, got[0].3), (1, 1025, "c1_v2.png"));
        assert_eq!(got[1], (2, "c, refined details", 1026, "c2_v2.png"));
        assert_eq!(clusters[&0].prompt, "a");
        assert_eq!(clusters[&2].prompt, "c, refined details");
    }

    #[test]
    fn later_rounds_refine_the_refined_prompt_from_the_latest_scores() {
        let mut clusters = BTreeMap::from([(0, cluster("a"))]);
        let history = [scored(0, 1, 0.4), scored(0, 2, 0.6)];
        clusters.get_mut(&0).unwrap().prompt = "a, refined".into();
        let planned = plan_round(&mut clusters, &history, 3, &rules());
        assert_eq!(planned[0].prompt, "a, refined, refined details");
        assert_eq!(planned[0].seed, 1024 + 100_000);
        assert!(plan_round(&mut clusters, &[scored(0, 1, 0.85)], 2, &rules()).is_empty());
    }
}
