//! The rooms stay apart: the engine imports nothing of ML or stages; the domain libraries
//! import nothing of the engine. Checked on the source text, so a violation fails here.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
}

fn violations(room: &str, banned: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(room), &mut files);
    let mut found = Vec::new();
    for (file, text) in &files {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for b in banned {
                if code.contains(b) {
                    found.push(format!("{file}:{}: uses `{b}`", n + 1));
                }
            }
        }
    }
    found
}

#[test]
fn the_engine_knows_nothing_of_ml_or_stages() {
    let banned = [
        "ort::",
        "tokenizers",
        "linfa",
        "ndarray",
        "crate::models",
        "crate::stages",
        "crate::trends",
        "crate::imaging",
        "crate::catalogue",
        "crate::cli",
    ];
    let found = violations("engine", &banned);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn domain_libraries_know_nothing_of_the_engine() {
    for room in ["models", "imaging", "catalogue", "trends", "report"] {
        let found = violations(room, &["crate::engine", "crate::stages", "crate::cli"]);
        assert!(found.is_empty(), "{room}: {found:#?}");
    }
}

#[test]
fn the_check_can_fail() {
    // Guards the guard: a known import is found in the stages room.
    assert!(!violations("stages", &["crate::engine"]).is_empty());
}
