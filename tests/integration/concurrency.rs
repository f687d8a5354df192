//! Two `t2d exec` on one cache at once: both succeed, each node is computed once.

use crate::support::{statuses, Project};

#[test]
fn concurrent_execs_compute_each_node_once() {
    let p = Project::new();
    p.write(
        "s.yaml",
        "name: shared
nodes:
  a: {kind: numbers, params: {count: 20, sleep_ms: 400}}
  b: {kind: scale, inputs: {values: a}, params: {sleep_ms: 200}}
  c: {kind: sum, inputs: {left: a, right: b}}
",
    );
    let spawn = || {
        let piped = std::process::Stdio::piped;
        p.command().args(["--json", "exec", "s.yaml"]).stdout(piped()).stderr(piped()).spawn().unwrap()
    };
    let (one, two) = (spawn(), spawn());
    let (one, two) = (one.wait_with_output().unwrap(), two.wait_with_output().unwrap());
    for out in [&one, &two] {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let parse = |out: &[u8]| -> Vec<serde_json::Value> {
        String::from_utf8_lossy(out)
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let (s1, s2) = (statuses(&parse(&one.stdout)), statuses(&parse(&two.stdout)));
    let mut runs = p.take_runs();
    runs.sort();
    assert_eq!(runs, ["a", "b", "c"], "each node computed once; statuses {s1:?} / {s2:?}");
    for node in ["a", "b", "c"] {
        let ran = [&s1, &s2].iter().filter(|s| s[node] == "ran").count();
        assert_eq!(ran, 1, "{node}: {s1:?} / {s2:?}");
    }
    let (lines, _) = p.json(&["exec", "s.yaml"]);
    assert!(statuses(&lines).values().all(|s| s == "cached"));
}
