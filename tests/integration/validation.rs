//! Every kind of pipeline error, pinned as the user sees it (colours off).

use crate::support::Project;

fn errors_of(pipeline: &str, extra: &[&str]) -> String {
    let p = Project::new();
    p.write("p.yaml", pipeline);
    let out = p.command().arg("exec").arg("p.yaml").args(extra).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad pipeline exits 2");
    assert!(p.take_runs().is_empty(), "nothing runs");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

macro_rules! pin {
    ($name:ident, $yaml:expr) => {
        pin!($name, $yaml, &[]);
    };
    ($name:ident, $yaml:expr, $extra:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(errors_of($yaml, $extra));
        }
    };
}

pin!(unknown_kind, "name: x\nnodes:\n  a: {kind: numbrs}\n");
pin!(unknown_slot, "name: x\nnodes:\n  a: {kind: numbers}\n  b: {kind: scale, inputs: {values: a, valuez: a}}\n");
pin!(missing_slot, "name: x\nnodes:\n  a: {kind: numbers}\n  b: {kind: scale}\n");
pin!(undefined_node, "name: x\nnodes:\n  a: {kind: numbers}\n  b: {kind: scale, inputs: {values: aa}}\n");
pin!(undefined_output, "name: x\nnodes:\n  a: {kind: numbers}\n  b: {kind: scale, inputs: {values: a.valuez}}\n");
pin!(
    cycle,
    "name: x\nnodes:\n  a: {kind: scale, inputs: {values: c}}\n  b: {kind: scale, inputs: {values: a}}\n  c: {kind: scale, inputs: {values: b}}\n"
);
pin!(wrong_type, "name: x\nnodes:\n  a: {kind: numbers, params: {count: many}}\n");
pin!(out_of_range, "name: x\nnodes:\n  a: {kind: numbers, params: {count: -3}}\n");
pin!(cross_param_check, "name: x\nnodes:\n  a: {kind: numbers, params: {count: 1, start: 5000}}\n");
pin!(duplicate_keys, "name: x\nnodes:\n  a: {kind: numbers}\n  a: {kind: numbers}\n");
pin!(unknown_param, "name: x\nnodes:\n  a: {kind: numbers, params: {cont: 3}}\n");
pin!(bad_node_name, "name: x\nnodes:\n  ../evil: {kind: numbers}\n");
pin!(yaml_syntax, "name: x\nnodes:\n  a: {kind: numbers\n");
pin!(unknown_reference, "name: x\nparams: {n: 3}\nnodes:\n  a: {kind: numbers, params: {count: '${m}'}}\n");
pin!(
    bad_override,
    "name: x\nnodes:\n  a: {kind: numbers}\n",
    &["--set", "a.count=lots", "--set", "b.count=1", "--set", "oops"]
);
pin!(
    all_errors_at_once,
    "name: x\nnodes:\n  a: {kind: numbrs}\n  b: {kind: scale, inputs: {values: zz}, params: {factor: big}}\n  c: {kind: sum, inputs: {left: b}}\n"
);

#[test]
fn pipeline_params_are_substituted_with_their_type() {
    let p = Project::new();
    p.write("p.yaml", "name: x\nparams: {n: 3, f: 2}\nnodes:\n  a: {kind: numbers, params: {count: '${n}'}}\n  b: {kind: scale, inputs: {values: a}, params: {factor: '${f}'}}\n");
    let s = p.exec("p.yaml", &[]);
    assert!(s.values().all(|s| s == "ran"));
    let s = p.exec("p.yaml", &["--set", "n=4"]);
    assert_eq!((s["a"].as_str(), s["b"].as_str()), ("ran", "ran"));
}
