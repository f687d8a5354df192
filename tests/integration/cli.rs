//! The command line's surface: help, kinds, show, runs, diff, graph.

use crate::support::{Project, DIAMOND};

#[test]
fn help_is_pinned() {
    let p = Project::new();
    let out = p.command().arg("--help").output().unwrap();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
    let out = p.command().args(["exec", "--help"]).output().unwrap();
    insta::assert_snapshot!("exec_help", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn show_points_at_readable_artifacts() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    let (lines, _) = p.json(&["show", "p.yaml"]);
    assert_eq!(lines.len(), 4);
    let b = lines.iter().find(|l| l["node"] == "b").unwrap();
    assert_eq!(b["params"]["factor"], 3.0);
    let output = &b["outputs"][0];
    assert_eq!(output["media_type"], "application/vnd.apache.parquet");
    let bytes = std::fs::read(p.path().join(output["path"].as_str().unwrap())).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(bytes, p.read("outputs/demo/b/values.parquet"));
}

#[test]
fn diff_compares_two_runs() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    p.exec("p.yaml", &["--set", "b.factor=4"]);
    let (runs, _) = p.json(&["runs"]);
    assert_eq!(runs.len(), 2);
    let (a, b) = (runs[0]["run"].as_str().unwrap(), runs[1]["run"].as_str().unwrap());
    let (lines, _) = p.json(&["diff", a, b]);
    let params: Vec<_> = lines.iter().filter(|l| l.get("param").is_some()).collect();
    assert_eq!(params.len(), 1);
    assert_eq!((params[0]["node"].as_str(), params[0]["param"].as_str()), (Some("b"), Some("factor")));
    let outputs: Vec<&str> =
        lines.iter().filter(|l| l.get("output").is_some()).map(|l| l["node"].as_str().unwrap()).collect();
    assert_eq!(outputs, ["b", "c"]);
}

#[test]
fn graph_shows_edges_and_cache_status() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &["--set", "b.factor=4"]);
    let out = p.command().args(["graph", "p.yaml"]).output().unwrap();
    let dot = String::from_utf8_lossy(&out.stdout);
    assert!(dot.contains("\"a\" -> \"b\""), "{dot}");
    assert!(dot.contains("\"b\" [label=\"b\\nscale · would-run\""), "{dot}");
    assert!(dot.contains("\"a\" [label=\"a\\nnumbers · cached\""), "{dot}");
    let out = p.command().args(["graph", "p.yaml", "--format", "mermaid"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("flowchart LR\n"));
}

#[test]
fn unknown_force_target_is_an_error() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    let out = p.command().args(["exec", "p.yaml", "--force", "zz"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force zz: no node `zz` in this pipeline"));
}

#[test]
fn doctor_finds_the_runtime_and_the_tiny_models() {
    let p = Project::new();
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/models");
    let out = p
        .command()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--json", "doctor", "--models", models])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["runtime"]["status"], "loaded");
    let names: Vec<&str> = report["models"].as_array().unwrap().iter().filter_map(|m| m["name"].as_str()).collect();
    assert!(names.contains(&"clip-tiny") && names.contains(&"sd-turbo-tiny"), "{names:?}");
    assert!(report["models"].as_array().unwrap().iter().all(|m| m["problems"].as_array().unwrap().is_empty()));
}
