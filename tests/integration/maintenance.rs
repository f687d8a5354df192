//! `t2d gc` and `t2d verify`.

use crate::support::{map, Project, DIAMOND};

#[test]
fn gc_keeps_what_the_kept_runs_need() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &["--set", "b.factor=9"]);
    p.exec("p.yaml", &[]);
    let (lines, code) = p.json(&["gc", "--keep-runs", "1"]);
    assert_eq!(code, 0);
    assert_eq!(lines[0]["runs_removed"], 1);
    assert!(lines[0]["entries_removed"].as_u64().unwrap() >= 2, "{lines:?}");
    p.take_runs();
    // The kept run's entries are all still there…
    let s = p.exec("p.yaml", &[]);
    assert!(s.values().all(|s| s == "cached"), "{s:?}");
    // …and the dropped variant must be recomputed.
    let s = p.exec("p.yaml", &["--set", "b.factor=9"]);
    assert_eq!(s, map(&[("a", "cached"), ("b", "ran"), ("c", "ran"), ("d", "cached")]));
}

#[test]
fn verify_finds_a_flipped_byte_and_the_next_exec_repairs_it() {
    let p = Project::new();
    p.write("p.yaml", DIAMOND);
    p.exec("p.yaml", &[]);
    let (show, _) = p.json(&["show", "p.yaml", "c"]);
    let path = show[0]["outputs"][0]["path"].as_str().unwrap().to_string();
    let full = p.path().join(&path);
    let mut bytes = std::fs::read(&full).unwrap();
    bytes[2] ^= 0x20;
    std::fs::write(&full, bytes).unwrap();

    let (lines, code) = p.json(&["verify"]);
    assert_eq!(code, 1);
    assert_eq!(lines[0]["damaged"].as_array().unwrap().len(), 1, "{lines:?}");
    assert_eq!(lines[0]["entries_dropped"], 1);
    p.take_runs();
    let s = p.exec("p.yaml", &[]);
    assert_eq!(s["c"], "ran");
    assert_eq!(p.read("outputs/demo/c/total.json"), br#"{"total":24}"#);
    let (lines, code) = p.json(&["verify"]);
    assert_eq!((code, lines[0]["damaged"].as_array().unwrap().len()), (0, 0));
}
