//! `--dry-run` and `t2d status`: what would run, and why.

use serde_json::json;

use crate::support::{Project, DIAMOND};

fn reasons(lines: &[serde_json::Value], node: &str) -> serde_json::Value {
    lines.iter().find(|l| l["node"] == node).map(|l| l["reasons"].clone()).unwrap_or_default()
}

#[test]
fn dry_run_says_why_and_runs_nothing() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    let (lines, code) = p.json(&["exec", "p.yaml", "--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(reasons(&lines, "a"), json!([{"new_node": true}]));
    assert!(p.take_runs().is_empty());

    p.exec("p.yaml", &[]);
    p.take_runs();
    let (lines, _) = p.json(&["status", "p.yaml", "--set", "b.factor=4"]);
    assert_eq!(lines.iter().find(|l| l["node"] == "a").unwrap()["status"], "cached");
    assert_eq!(reasons(&lines, "b"), json!([{"param": "factor", "old": 3.0, "new": 4.0}]));
    assert_eq!(reasons(&lines, "c"), json!([{"input": "right", "from": "b", "pending": true}]));
    assert_eq!(lines.last().unwrap()["summary"]["would_run"], 2);
    assert!(p.take_runs().is_empty());
}

#[test]
fn a_missing_cache_entry_is_a_reason() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    std::fs::remove_dir_all(p.path().join("cache/keys")).unwrap();
    let (lines, _) = p.json(&["status", "p.yaml"]);
    assert_eq!(reasons(&lines, "a"), json!([{"cache": "missing"}]));
}

#[test]
fn human_output_names_the_change() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    let out = p.command().args(["exec", "p.yaml", "--dry-run", "--set", "b.factor=4"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("would-run b  (param factor changed 3.0 → 4.0)"), "{text}");
    assert!(text.contains("would-run c  (input right (b) will be recomputed)"), "{text}");
}
