//! Killing `t2d exec` with SIGKILL at any point leaves a cache the next exec can trust.

use std::time::{Duration, Instant};

use crate::support::{map, Project};

const SLOW: &str = "name: slow
nodes:
  a: {kind: numbers, params: {count: 50}}
  b: {kind: scale, inputs: {values: a}, params: {sleep_ms: 600}}
  c: {kind: sum, inputs: {left: a, right: b}}
";

fn wait_for_log(p: &Project, lines: usize, limit: Duration) {
    let start = Instant::now();
    while std::fs::read_to_string(p.log_path()).unwrap_or_default().lines().count() < lines {
        assert!(start.elapsed() < limit, "timed out waiting for {lines} node run(s)");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn reference_total() -> Vec<u8> {
    let p = Project::new();
    p.write("s.yaml", SLOW);
    p.exec("s.yaml", &["--set", "b.sleep_ms=0"]);
    p.read("outputs/slow/c/total.json")
}

#[test]
fn killed_runs_resume_with_consistent_results() {
    let expected = reference_total();
    // Kill points: right at the start, while b sleeps (a done), and just as b finishes writing.
    for (delay_ms, wait_lines) in [(0u64, 0usize), (100, 2), (590, 2), (640, 2)] {
        let p = Project::new();
        p.write("s.yaml", SLOW);
        let mut child = p.command().args(["exec", "s.yaml", "--jobs", "1"]).spawn().unwrap();
        if wait_lines > 0 {
            // numbers logs on finish; scale logs after its sleep, so "a" appears first.
            wait_for_log(&p, 1, Duration::from_secs(20));
        }
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        p.take_runs();

        let s = p.exec("s.yaml", &[]);
        assert!(s.values().all(|s| s == "ran" || s == "cached"), "after kill at {delay_ms} ms: {s:?}");
        assert_eq!(p.read("outputs/slow/c/total.json"), expected, "kill at {delay_ms} ms");
        // Completed nodes are reused: a third exec runs nothing.
        assert_eq!(p.exec("s.yaml", &[]), map(&[("a", "cached"), ("b", "cached"), ("c", "cached")]));
    }
}

#[test]
fn a_node_that_completed_before_the_kill_is_reused() {
    let p = Project::new();
    p.write("s.yaml", SLOW);
    let mut child = p.command().args(["exec", "s.yaml"]).spawn().unwrap();
    wait_for_log(&p, 1, Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(150));
    child.kill().unwrap();
    child.wait().unwrap();
    p.take_runs();
    let s = p.exec("s.yaml", &[]);
    assert_eq!(s["a"], "cached");
    assert_eq!(p.take_runs(), ["b", "c"]);
}
