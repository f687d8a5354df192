//! The notebook's deliverables, with paths relative to `outputs/<pipeline>/`:
//! `logs/scores.csv`, `logs/final_picks.json`, `logs/final_summary.csv`,
//! `prompts/final_prompts.json`, and all of it (with the designs) zipped.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::archive::zip_files;
use super::versions::Scored;
use crate::engine::artifact::encode_json;
use crate::engine::StageError;

/// Where the designs are published, and where every path in the deliverables points.
pub const GENS: &str = "gens";

pub fn gens_path(image: &str) -> String {
    format!("{GENS}/{image}")
}

fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, StageError> {
    let fail = |e: csv::Error| StageError::wrap("writing CSV", e);
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    writer.write_record(header).map_err(fail)?;
    for row in rows {
        writer.write_record(&row).map_err(fail)?;
    }
    writer.into_inner().map_err(|e| StageError::wrap("writing CSV", e.error()))
}

/// A float as Python's `repr` writes it (what pandas' `to_csv` prints for scores in [0, 1]).
fn float(x: f64) -> String {
    format!("{x:?}")
}

/// `cluster, version, path, score, label`: every version, by cluster, round and candidate.
pub fn scores_csv(scored: &[Scored]) -> Result<Vec<u8>, StageError> {
    let mut rows: Vec<&Scored> = scored.iter().collect();
    rows.sort_by_key(|s| s.version.id());
    csv_bytes(
        &["cluster", "version", "path", "score", "label"],
        rows.into_iter().map(|s| {
            vec![
                s.version.cluster.to_string(),
                format!("v{}", s.version.round),
                gens_path(&s.version.image),
                float(s.score.score),
                s.label.as_str().to_string(),
            ]
        }),
    )
}

/// `cluster, final_path, prompt, score, label`: the picked version of each cluster.
pub fn final_summary_csv(picks: &[&Scored]) -> Result<Vec<u8>, StageError> {
    csv_bytes(
        &["cluster", "final_path", "prompt", "score", "label"],
        picks.iter().map(|s| {
            vec![
                s.version.cluster.to_string(),
                gens_path(&s.version.image),
                s.version.prompt.clone(),
                float(s.score.score),
                s.label.as_str().to_string(),
            ]
        }),
    )
}

fn by_cluster(pairs: impl Iterator<Item = (i32, String)>) -> Value {
    Value::Object(pairs.map(|(cluster, text)| (cluster.to_string(), json!(text))).collect::<Map<_, _>>())
}

/// `{"0": "gens/c0_v1.png", …}`
pub fn final_picks_json(picks: &[&Scored]) -> Value {
    by_cluster(picks.iter().map(|s| (s.version.cluster, gens_path(&s.version.image))))
}

/// `{"0": "<the prompt of the picked version>", …}`
pub fn final_prompts_json(picks: &[&Scored]) -> Value {
    by_cluster(picks.iter().map(|s| (s.version.cluster, s.version.prompt.clone())))
}

/// `{"0": "<the cluster's first prompt>", …}`, as the notebook's `prompts/base_prompts.json`.
pub fn base_prompts_json(prompts: &BTreeMap<i32, String>) -> Value {
    by_cluster(prompts.iter().map(|(c, p)| (*c, p.clone())))
}

/// Everything a person gets, by path under `outputs/<pipeline>/`.
pub struct Deliverables {
    pub designs: BTreeMap<String, Vec<u8>>,
    pub base_prompts: Value,
    pub final_prompts: Value,
    pub final_picks: Value,
    pub scores_csv: Vec<u8>,
    pub final_summary_csv: Vec<u8>,
}

impl Deliverables {
    /// The zip of the deliverables; JSON inside is byte-identical to the published files.
    pub fn archive(&self) -> Result<Vec<u8>, StageError> {
        let json = |v: &Value| encode_json(v).map_err(|e| StageError::wrap("encoding JSON", e));
        let mut files: BTreeMap<String, Vec<u8>> =
            self.designs.iter().map(|(name, bytes)| (gens_path(name), bytes.clone())).collect();
        files.insert("prompts/base_prompts.json".into(), json(&self.base_prompts)?);
        files.insert("prompts/final_prompts.json".into(), json(&self.final_prompts)?);
        files.insert("logs/final_picks.json".into(), json(&self.final_picks)?);
        files.insert("logs/scores.csv".into(), self.scores_csv.clone());
        files.insert("logs/final_summary.csv".into(), self.final_summary_csv.clone());
        zip_files(&files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::designs::versions::{Label, Score, Version};

    fn scored(cluster: i32, round: i32, score: f64) -> Scored {
        Scored {
            version: Version {
                cluster,
                candidate: 0,
                round,
                prompt: format!("chic, vintage blazer in white, v{round}"),
                seed: 0,
                image: format!("c{cluster}_v{round}.png"),
                image_digest: String::new(),
            },
            score: Score { score, s_centroid: 0.0, s_prompt: 0.0 },
            label: Label::of(score, 0.8),
        }
    }

    #[test]
    fn csvs_are_as_pandas_writes_them() {
        let all = [scored(1, 2, 0.75), scored(1, 1, 0.7806603908538818), scored(0, 1, 1.0)];
        assert_eq!(
            String::from_utf8(scores_csv(&all).unwrap()).unwrap(),
            "cluster,version,path,score,label\n0,v1,gens/c0_v1.png,1.0,yes\n1,v1,gens/c1_v1.png,0.7806603908538818,no\n\
             1,v2,gens/c1_v2.png,0.75,no\n"
        );
        assert_eq!(
            String::from_utf8(final_summary_csv(&[&all[2], &all[1]]).unwrap()).unwrap(),
            "cluster,final_path,prompt,score,label\n0,gens/c0_v1.png,\"chic, vintage blazer in white, v1\",1.0,yes\n\
             1,gens/c1_v1.png,\"chic, vintage blazer in white, v1\",0.7806603908538818,no\n"
        );
    }

    #[test]
    fn json_deliverables_are_keyed_by_cluster() {
        let picks = [scored(0, 1, 0.9), scored(10, 2, 0.9)];
        let refs: Vec<&Scored> = picks.iter().collect();
        assert_eq!(final_picks_json(&refs), json!({"0": "gens/c0_v1.png", "10": "gens/c10_v2.png"}));
        assert_eq!(final_prompts_json(&refs)["10"], json!("chic, vintage blazer in white, v2"));
        assert_eq!(base_prompts_json(&BTreeMap::from([(2, "p".to_string())])), json!({"2": "p"}));
    }
}
