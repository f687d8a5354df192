//! The shipped `t2d` on the demo pipeline: synthetic catalogue, tiny models, real stages.

use std::process::Command;

use crate::support::{statuses, Project};

const T2D: &str = env!("CARGO_BIN_EXE_t2d");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

pub(crate) fn t2d(p: &Project) -> Command {
    let mut cmd = Command::new(T2D);
    cmd.current_dir(p.path()).env("NO_COLOR", "1").env_remove("T2D_CACHE").env("ORT_DYLIB_PATH", ort_library());
    cmd
}

fn ort_library() -> String {
    let dir = std::path::Path::new(ROOT).join(".ort");
    std::fs::read_dir(&dir)
        .ok()
        .and_then(|mut entries| {
            entries.find_map(|e| e.ok().map(|e| e.path()).filter(|p| p.to_string_lossy().contains("libonnxruntime.so")))
        })
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| panic!("no ONNX Runtime in {}: run `just setup`", dir.display()))
}

pub(crate) fn demo_project() -> Project {
    let p = Project::new();
    let out = t2d(&p).args(["dataset", "synth", "--out", "data/demo", "--n", "300", "--seed", "7"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::os::unix::fs::symlink(format!("{ROOT}/models"), p.path().join("models")).unwrap();
    for name in ["demo.yaml", "demo-explore.yaml"] {
        p.write(name, &shrunk(&std::fs::read_to_string(format!("{ROOT}/pipelines/{name}")).unwrap()));
    }
    p
}

/// A shipped pipeline with a smaller sample and designs, so the tests stay quick.
fn shrunk(yaml: &str) -> String {
    let changes = [("n: 400", "n: 200"), ("width: 384", "width: 64"), ("height: 512", "height: 96")];
    changes.iter().fold(yaml.to_string(), |text, (from, to)| {
        assert_eq!(text.matches(from).count(), 1, "the demo's `{from}` has moved: update `shrunk`");
        text.replace(from, to)
    })
}

pub(crate) fn exec(
    p: &Project,
    extra: &[&str],
) -> (Vec<serde_json::Value>, std::collections::BTreeMap<String, String>) {
    exec_file(p, "demo.yaml", extra)
}

pub(crate) fn exec_file(
    p: &Project,
    file: &str,
    extra: &[&str],
) -> (Vec<serde_json::Value>, std::collections::BTreeMap<String, String>) {
    let out = t2d(p).args(["--json", "exec", file]).args(extra).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let s = statuses(&lines);
    (lines, s)
}

pub(crate) fn log_of(lines: &[serde_json::Value], node: &str) -> Vec<String> {
    let line = lines.iter().find(|l| l["node"] == node).unwrap();
    line["log"].as_array().map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

/// `(embedded, reused)` from embed's note.
fn counts(log: &[String]) -> (usize, usize) {
    let note = log.iter().find(|l| l.starts_with("note:")).expect("embed notes its counts");
    let numbers: Vec<usize> = note.split(|c: char| !c.is_ascii_digit()).filter_map(|t| t.parse().ok()).collect();
    (numbers[0], numbers[1])
}

#[test]
fn the_demo_runs_caches_and_reruns_only_what_changed() {
    let p = demo_project();
    let (lines, s) = exec(&p, &[]);
    assert!(s.values().all(|s| s == "ran"), "{s:?}");
    let ingest: serde_json::Value = serde_json::from_slice(&p.read("outputs/demo/sample/ingest.json")).unwrap();
    assert_eq!(ingest["sampled"], 200);
    assert!(ingest["malformed"]["count"].as_u64().unwrap() > 0, "the synthetic file's malformed rows are counted");
    let log = log_of(&lines, "embed");
    let (embedded, reused) = counts(&log);
    let skipped = log
        .iter()
        .find(|l| l.starts_with("warning: skipped"))
        .map(|l| l.split(' ').nth(2).unwrap().parse::<usize>().unwrap())
        .unwrap_or(0);
    assert_eq!((embedded + skipped, reused), (200, 0), "{log:?}");
    let prompts: serde_json::Value = serde_json::from_slice(&p.read("outputs/demo/prompts/base_prompts.json")).unwrap();
    let first = prompts["0"].as_str().unwrap();
    assert!(first.ends_with("fashion design sheet, clean studio background"), "{first}");

    let (_, s) = exec(&p, &[]);
    assert!(s.values().all(|s| s == "cached"), "{s:?}");

    // A new K range reruns cluster and what depends on it, nothing upstream.
    let (_, s) = exec(&p, &["--set", "cluster.k_max=7"]);
    assert_eq!((s["sample"].as_str(), s["embed"].as_str(), s["cluster"].as_str()), ("cached", "cached", "ran"));

    // A bigger sample embeds only the new photos.
    let (lines, s) = exec(&p, &["--set", "sample.n=240"]);
    assert_eq!(s["embed"], "ran");
    let (embedded, reused) = counts(&log_of(&lines, "embed"));
    assert!(
        reused >= 150 && embedded <= 90,
        "most of the earlier photos are reused: {embedded} embedded, {reused} reused"
    );

    // The int8 image tower is another computation: nothing comes from the fp32 memo, and going
    // back to fp32 finds the earlier result cached.
    let (lines, s) = exec(&p, &["--set", "sample.n=240", "--set", "embed.precision=int8"]);
    assert_eq!((s["sample"].as_str(), s["embed"].as_str()), ("cached", "ran"));
    let (embedded, reused) = counts(&log_of(&lines, "embed"));
    assert_eq!(reused, 0, "{embedded} embedded, {reused} reused");
    let (_, s) = exec(&p, &["--set", "sample.n=240"]);
    assert_eq!((s["embed"].as_str(), s["cluster"].as_str()), ("cached", "cached"));
}

#[test]
fn a_missing_dataset_names_the_command_that_makes_one() {
    let p = Project::new();
    p.write("d.yaml", "name: d\nnodes:\n  sample: {kind: sample, params: {dataset: data/none}}\n");
    let out = t2d(&p).args(["exec", "d.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dataset `data/none` does not exist") && err.contains("t2d dataset synth"), "{err}");
}
