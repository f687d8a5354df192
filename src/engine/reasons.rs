//! Why a node must run: the difference between its key components now and the last time
//! the same node of the same pipeline was computed.

use std::fmt;

use serde_json::json;

use super::key::KeyComponents;
use super::value::Value;

#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    NewNode,
    Forced,
    Param {
        param: String,
        old: Option<Value>,
        new: Option<Value>,
    },
    Input {
        slot: String,
        from: String,
        pending: bool,
    },
    StageVersion {
        old: u32,
        new: u32,
    },
    Kind {
        old: String,
        new: String,
    },
    External {
        param: String,
        changed: Vec<String>,
        more: usize,
    },
    /// Same key as last time, but the cache entry is gone (gc, verify) or incomplete.
    CacheMissing,
    Format,
}

impl Reason {
    /// The stable JSON form printed by `--json` (documented in the README).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Reason::NewNode => json!({"new_node": true}),
            Reason::Forced => json!({"forced": true}),
            Reason::Param { param, old, new } => json!({"param": param, "old": old, "new": new}),
            Reason::Input { slot, from, pending } if *pending => json!({"input": slot, "from": from, "pending": true}),
            Reason::Input { slot, from, .. } => json!({"input": slot, "from": from}),
            Reason::StageVersion { old, new } => json!({"stage_version": {"old": old, "new": new}}),
            Reason::Kind { old, new } => json!({"kind": {"old": old, "new": new}}),
            Reason::External { param, changed, more } => json!({"file": param, "changed": changed, "more": more}),
            Reason::CacheMissing => json!({"cache": "missing"}),
            Reason::Format => json!({"format": "changed"}),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "(unset)".into());
        match self {
            Reason::NewNode => write!(f, "new node"),
            Reason::Forced => write!(f, "forced"),
            Reason::Param { param, old, new } => write!(f, "param {param} changed {} → {}", show(old), show(new)),
            Reason::Input { slot, from, pending: true } => write!(f, "input {slot} ({from}) will be recomputed"),
            Reason::Input { slot, from, .. } => write!(f, "input {slot} ({from}) changed"),
            Reason::StageVersion { old, new } => write!(f, "stage version bumped {old} → {new}"),
            Reason::Kind { old, new } => write!(f, "kind changed {old} → {new}"),
            Reason::External { param, changed, more } => {
                write!(f, "{param} changed")?;
                if !changed.is_empty() {
                    write!(f, ": {}", changed.join(", "))?;
                }
                if *more > 0 {
                    write!(f, " and {more} more")?;
                }
                Ok(())
            }
            Reason::CacheMissing => write!(f, "cache entry missing"),
            Reason::Format => write!(f, "cache format changed"),
        }
    }
}

/// Compares the last known components with the current ones. `None` for `now.inputs` entries
/// means the upstream node has not been computed yet (dry run).
pub fn explain(
    previous: Option<&KeyComponents>,
    now: &KeyComponents,
    pending_inputs: &[(String, String)],
    input_sources: &dyn Fn(&str) -> String,
) -> Vec<Reason> {
    let Some(prev) = previous else {
        return vec![Reason::NewNode];
    };
    let mut reasons = Vec::new();
    if prev.format != now.format {
        reasons.push(Reason::Format);
    }
    if prev.kind != now.kind {
        reasons.push(Reason::Kind { old: prev.kind.clone(), new: now.kind.clone() });
    } else if prev.stage_version != now.stage_version {
        reasons.push(Reason::StageVersion { old: prev.stage_version, new: now.stage_version });
    }
    let mut names: Vec<&String> = prev.params.keys().chain(now.params.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let (old, new) = (prev.params.get(name), now.params.get(name));
        if old != new {
            diff_value(name, old, new, &mut reasons);
        }
    }
    for (slot, from) in pending_inputs {
        reasons.push(Reason::Input { slot: slot.clone(), from: from.clone(), pending: true });
    }
    for (slot, digest) in &now.inputs {
        if prev.inputs.get(slot) != Some(digest) && !pending_inputs.iter().any(|(s, _)| s == slot) {
            reasons.push(Reason::Input { slot: slot.clone(), from: input_sources(slot), pending: false });
        }
    }
    for (param, digest) in &now.externals {
        if prev.externals.get(param) != Some(digest) {
            reasons.push(Reason::External { param: param.clone(), changed: Vec::new(), more: 0 });
        }
    }
    if reasons.is_empty() {
        reasons.push(Reason::CacheMissing);
    }
    reasons
}

/// Reports nested maps leaf by leaf (`threshold.percentile`), anything else whole.
fn diff_value(path: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Reason>) {
    if let (Some(Value::Map(a)), Some(Value::Map(b))) = (old, new) {
        let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            if a.get(k) != b.get(k) {
                diff_value(&format!("{path}.{k}"), a.get(k), b.get(k), out);
            }
        }
        return;
    }
    out.push(Reason::Param { param: path.to_string(), old: old.cloned(), new: new.cloned() });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::digest::ContentDigest;

    fn comps(k_max: i64, input: &[u8]) -> KeyComponents {
        KeyComponents {
            format: 1,
            kind: "cluster".into(),
            stage_version: 1,
            params: [("k_max".to_string(), Value::Int(k_max))].into(),
            inputs: [("embeddings".to_string(), ContentDigest::of(input))].into(),
            externals: Default::default(),
        }
    }

    #[test]
    fn names_the_changed_param_and_input() {
        let reasons = explain(Some(&comps(10, b"a")), &comps(12, b"b"), &[], &|_| "embed".into());
        assert_eq!(reasons.len(), 2);
        assert_eq!(reasons[0].to_json(), json!({"param": "k_max", "old": 10, "new": 12}));
        assert_eq!(reasons[1].to_string(), "input embeddings (embed) changed");
    }

    #[test]
    fn unchanged_components_mean_the_entry_is_gone() {
        assert_eq!(
            explain(Some(&comps(10, b"a")), &comps(10, b"a"), &[], &|_| String::new()),
            vec![Reason::CacheMissing]
        );
        assert_eq!(explain(None, &comps(10, b"a"), &[], &|_| String::new()), vec![Reason::NewNode]);
    }
}
