//! Caching: what reruns, what does not, and early cutoff.

use crate::support::{map, sorted, Project, DIAMOND};

#[test]
fn second_exec_of_an_unchanged_pipeline_runs_nothing() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    let first = p.exec("p.yaml", &[]);
    assert!(first.values().all(|s| s == "ran"), "{first:?}");
    assert_eq!(sorted(p.take_runs()), ["a", "b", "c", "d"]);
    let second = p.exec("p.yaml", &[]);
    assert_eq!(second, map(&[("a", "cached"), ("b", "cached"), ("c", "cached"), ("d", "cached")]));
    assert!(p.take_runs().is_empty());
}

#[test]
fn a_param_change_reruns_exactly_that_node_and_its_dependents() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    p.take_runs();
    // On the command line…
    let s = p.exec("p.yaml", &["--set", "b.factor=5"]);
    assert_eq!(s, map(&[("a", "cached"), ("b", "ran"), ("c", "ran"), ("d", "cached")]));
    assert_eq!(p.take_runs(), ["b", "c"]);
    // …and in the YAML, to the same value: nothing new to compute.
    p.write("p.yaml", &DIAMOND.replace("factor: 3", "factor: 5"));
    let s = p.exec("p.yaml", &[]);
    assert!(s.values().all(|s| s == "cached"), "{s:?}");
    // Changing the root reruns everything downstream.
    let s = p.exec("p.yaml", &["--set", "a.count=6"]);
    assert!(s.values().all(|s| s == "ran"), "{s:?}");
}

#[test]
fn identical_outputs_stop_the_propagation() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    p.take_runs();
    // `note` enters a's key but not its output.
    let s = p.exec("p.yaml", &["--set", "a.note=hello"]);
    assert_eq!(s, map(&[("a", "ran"), ("b", "cached"), ("c", "cached"), ("d", "cached")]));
    assert_eq!(p.take_runs(), ["a"]);
}

#[test]
fn key_order_formatting_and_written_defaults_change_nothing() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    let rewritten = "nodes:
  d: {inputs: {values: a}, kind: swatches, params: {fail: false}}
  c: {kind: sum, inputs: {right: b.values, left: a.values}}
  b: {params: {factor: 3.0, sleep_ms: 0}, inputs: {values: a}, kind: scale}
  a: {kind: numbers, params: {start: 0, count: 4, note: '-'}}
name: demo
";
    p.write("q.yaml", rewritten);
    let s = p.exec("q.yaml", &[]);
    assert!(s.values().all(|s| s == "cached"), "{s:?}");
}

#[test]
fn alternate_pipelines_share_identical_nodes() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    p.take_runs();
    p.write("exp.yaml", &DIAMOND.replace("name: demo", "name: experiment").replace("factor: 3", "factor: 7"));
    let s = p.exec("exp.yaml", &[]);
    assert_eq!(s, map(&[("a", "cached"), ("b", "ran"), ("c", "ran"), ("d", "cached")]));
    assert!(p.path().join("outputs/experiment/c/total.json").exists());
    assert!(p.path().join("outputs/demo/c/total.json").exists());
}

#[test]
fn a_failure_blocks_dependents_only_and_the_next_exec_resumes() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    let s = p.exec_expect("p.yaml", &["--set", "b.fail=true"], 1);
    assert_eq!(s, map(&[("a", "ran"), ("b", "failed"), ("c", "blocked"), ("d", "ran")]));
    p.take_runs();
    let s = p.exec("p.yaml", &[]);
    assert_eq!(s, map(&[("a", "cached"), ("b", "ran"), ("c", "ran"), ("d", "cached")]));
}

#[test]
fn the_failure_reason_is_printed_and_recorded() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    let (lines, code) = p.json(&["exec", "p.yaml", "--set", "b.fail=true"]);
    assert_eq!(code, 1);
    let b = lines.iter().find(|l| l["node"] == "b").expect("b reported");
    assert_eq!(b["error"]["message"], "node b was told to fail");
    assert_eq!(b["error"]["help"], "set fail: false");
    let (runs, _) = p.json(&["runs"]);
    assert_eq!(runs.last().expect("a run")["status"], "failed");
}

#[test]
fn external_files_enter_the_key_by_content() {
    let p = Project::new();
    p.write("data/x.txt", "abc").write("data/sub/y.txt", "de");
    p.write("f.yaml", "name: files\nnodes:\n  list: {kind: files, params: {dir: data}}\n");
    assert_eq!(p.exec("f.yaml", &[]), map(&[("list", "ran")]));
    // Rewriting a file with the same bytes changes its mtime only.
    p.write("data/x.txt", "abc");
    assert_eq!(p.exec("f.yaml", &[]), map(&[("list", "cached")]));
    p.write("data/sub/y.txt", "xyz");
    let (lines, _) = p.json(&["exec", "f.yaml"]);
    assert_eq!(lines[0]["status"], "ran");
    assert_eq!(lines[0]["reasons"][0]["file"], "dir");
    assert_eq!(lines[0]["reasons"][0]["changed"][0], "sub/y.txt");
    // The same content elsewhere is the same key: paths never enter it.
    std::fs::rename(p.path().join("data"), p.path().join("moved")).unwrap();
    p.write("g.yaml", "name: files\nnodes:\n  list: {kind: files, params: {dir: moved}}\n");
    assert_eq!(p.exec("g.yaml", &[]), map(&[("list", "cached")]));
}

#[test]
fn a_missing_external_fails_before_anything_runs() {
    let p = Project::new();
    p.write("f.yaml", "name: files\nnodes:\n  list: {kind: files, params: {dir: nowhere}}\n");
    let out = p.command().args(["exec", "f.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("node `list`: dir `nowhere` does not exist"), "{err}");
    assert!(p.take_runs().is_empty());
}

#[test]
fn force_reruns_a_cached_node() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    p.take_runs();
    let s = p.exec("p.yaml", &["--force", "b"]);
    // b reruns and produces the same bytes: c stays cached.
    assert_eq!(s, map(&[("a", "cached"), ("b", "ran"), ("c", "cached"), ("d", "cached")]));
    assert_eq!(p.take_runs(), ["b"]);
}

#[test]
fn the_subprocess_executor_gives_the_same_results() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    let s = p.exec("p.yaml", &["--executor", "subprocess"]);
    assert!(s.values().all(|s| s == "ran"), "{s:?}");
    let total = p.read("outputs/demo/c/total.json");
    assert_eq!(total, br#"{"total":24}"#);
    let s = p.exec("p.yaml", &[]);
    assert!(s.values().all(|s| s == "cached"), "{s:?}");
}

#[test]
fn outputs_are_laid_out_per_pipeline() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    for file in ["a/values.parquet", "b/values.parquet", "c/total.json", "gallery/v0.png", "gallery/v3.png"] {
        assert!(p.path().join("outputs/demo").join(file).is_file(), "{file}");
    }
    // Rebuilt from the cache: a stray file does not survive the next exec.
    p.write("outputs/demo/stray.txt", "x");
    p.exec("p.yaml", &[]);
    assert!(!p.path().join("outputs/demo/stray.txt").exists());
}

#[test]
fn execution_only_params_stay_out_of_the_key() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    let s = p.exec("p.yaml", &["--set", "b.batch=64"]);
    assert!(s.values().all(|s| s == "cached"), "{s:?}");
}

#[test]
fn the_item_memo_computes_only_new_items() {
    let p = Project::new();
    p.write(
        "m.yaml",
        "name: memo\nnodes:\n  a: {kind: numbers, params: {count: 4}}\n  sq: {kind: squares, inputs: {values: a}}\n",
    );
    p.exec("m.yaml", &[]);
    assert_eq!(p.take_runs(), ["a", "sq", "squares computed 4"]);
    p.exec("m.yaml", &["--set", "a.count=6"]);
    assert_eq!(p.take_runs(), ["a", "sq", "squares computed 2"]);
    // The memo is shared across pipelines on the same cache.
    p.write("n.yaml", "name: other\nnodes:\n  a: {kind: numbers, params: {count: 5, start: 1}}\n  sq: {kind: squares, inputs: {values: a}}\n");
    p.exec("n.yaml", &[]);
    assert_eq!(p.take_runs(), ["a", "sq", "squares computed 0"]);
}
