//! The design nodes (generate → score → refine) on the demo pipeline with the tiny models: the
//! deliverables, a threshold change that only relabels, and rounds that are computed once.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::demo::{demo_project, exec, log_of, t2d};

const DESIGN_NODES: &str = "
  generate:
    kind: generate
    inputs: {prompts: prompt}
    params: {model: models/sd-turbo-tiny, width: 64, height: 96, steps: 2}
  score:
    kind: score
    inputs: {generations: generate.generations, images: generate.images, prompts: prompt, clusters: cluster.clusters}
    params: {model: models/clip-tiny}
  refine:
    kind: refine
    inputs:
      prompts: prompt
      clusters: cluster.clusters
      generations: generate.generations
      images: generate.images
      scores: score
    params: {sd_model: models/sd-turbo-tiny, clip_model: models/clip-tiny, width: 64, height: 96, steps: 2}
";

/// The number just before `what` in a node's `note:` lines.
fn noted(log: &[String], what: &str) -> usize {
    log.iter()
        .filter(|l| l.starts_with("note:"))
        .find_map(|l| {
            let before = &l[..l.find(what)?];
            before.split_whitespace().last()?.parse().ok()
        })
        .unwrap_or_else(|| panic!("no `{what}` in {log:?}"))
}

fn json(dir: &Path, rel: &str) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join(rel)).unwrap()).unwrap()
}

/// `(round, label)` of each row of logs/scores.csv.
fn versions(dir: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dir.join("logs/scores.csv")).unwrap();
    text.lines().skip(1).map(|l| l.split(',').collect::<Vec<_>>()).map(|f| (f[1].into(), f[4].into())).collect()
}

fn unzip(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().to_string(), bytes)
        })
        .collect()
}

#[test]
fn designs_are_generated_scored_refined_and_delivered() {
    let p = demo_project();
    let yaml = std::fs::read_to_string(p.path().join("demo.yaml")).unwrap();
    p.write("demo.yaml", &format!("{}{DESIGN_NODES}", yaml.trim_end()));
    let out = p.path().join("outputs/demo");

    let (lines, s) = exec(&p, &[]);
    assert!(s.values().all(|s| s == "ran"), "{s:?}");
    let base = json(&out, "prompts/base_prompts.json");
    let clusters = base.as_object().unwrap().len();
    assert_eq!(noted(&log_of(&lines, "generate"), "design(s) generated"), clusters);
    assert_eq!(noted(&log_of(&lines, "score"), "CLIP embedding(s) computed"), 2 * clusters, "designs and prompts");

    // The deliverables, every path relative to outputs/demo/.
    let picks = json(&out, "logs/final_picks.json");
    let finals = json(&out, "prompts/final_prompts.json");
    assert_eq!((picks.as_object().unwrap().len(), finals.as_object().unwrap().len()), (clusters, clusters));
    for path in picks.as_object().unwrap().values() {
        assert!(out.join(path.as_str().unwrap()).is_file(), "{path}");
    }
    let first = versions(&out);
    let v2 = first.iter().filter(|(v, _)| v == "v2").count();
    assert_eq!(first.len(), clusters + v2);
    assert_eq!(v2, first.iter().filter(|(v, l)| v == "v1" && l == "no").count(), "a v2 for every v1 no");
    assert_eq!(std::fs::read_dir(out.join("gens")).unwrap().count(), clusters + v2);
    assert!(out.join("generate/images/c0_v1.png").is_file(), "generate's own images stay under its node");
    let summary = std::fs::read_to_string(out.join("logs/final_summary.csv")).unwrap();
    assert!(summary.starts_with("cluster,final_path,prompt,score,label\n"));
    assert_eq!(summary.lines().count(), 1 + clusters);
    let zipped = unzip(&out.join("trend_to_design_outputs.zip"));
    for rel in ["logs/scores.csv", "logs/final_picks.json", "logs/final_summary.csv", "prompts/final_prompts.json"] {
        assert_eq!(zipped[rel], std::fs::read(out.join(rel)).unwrap(), "{rel}");
    }
    assert_eq!(zipped["prompts/base_prompts.json"], std::fs::read(out.join("prompts/base_prompts.json")).unwrap());
    assert_eq!(zipped.keys().filter(|k| k.starts_with("gens/")).count(), clusters + v2);

    // A new threshold relabels: no design is made and no CLIP embedding computed again for v1.
    let relabel = ["--set", "score.threshold.percentile=50"];
    let (lines, s) = exec(&p, &relabel);
    assert_eq!((s["generate"].as_str(), s["score"].as_str(), s["refine"].as_str()), ("cached", "ran", "ran"));
    assert_eq!(noted(&log_of(&lines, "score"), "CLIP embedding(s) computed"), 0);
    let relabelled = versions(&out);

    // A second round computes only itself: the first refinement round comes from the memo.
    let two_rounds = [&relabel[..], &["--set", "refine.max_rounds=2"]].concat();
    let (lines, s) = exec(&p, &two_rounds);
    assert!(s.iter().all(|(node, s)| (node == "refine") == (s == "ran")), "{s:?}");
    let log = log_of(&lines, "refine");
    let after = versions(&out);
    let count = |all: &[(String, String)], v: &str| all.iter().filter(|(r, _)| r == v).count();
    assert_eq!(noted(&log, "reused from the memo"), count(&relabelled, "v2"), "{log:?}");
    assert_eq!(noted(&log, "design(s) generated"), count(&after, "v3"), "{log:?}");

    // Recomputed from scratch, the archive is the same bytes.
    let archive = std::fs::read(out.join("trend_to_design_outputs.zip")).unwrap();
    let (_, s) = exec(&p, &[&two_rounds[..], &["--force", "refine"]].concat());
    assert_eq!(s["refine"], "ran");
    assert_eq!(std::fs::read(out.join("trend_to_design_outputs.zip")).unwrap(), archive);
}

#[test]
fn a_bad_threshold_is_reported_before_anything_runs() {
    let p = demo_project();
    let yaml = std::fs::read_to_string(p.path().join("demo.yaml")).unwrap();
    let bad = DESIGN_NODES.replace(
        "params: {model: models/clip-tiny}",
        "params: {model: models/clip-tiny, threshold: {value: 0.7, percentile: 85}}",
    );
    p.write("demo.yaml", &format!("{}{bad}", yaml.trim_end()));
    let out = t2d(&p).args(["exec", "demo.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("exactly one of: value, percentile"), "{err}");
}
