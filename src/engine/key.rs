//! A node's key: blake3 over the canonical encoding of everything its outputs depend on.
//!
//! Inputs enter through the *content digests* of upstream artifacts (not upstream keys),
//! so an upstream node that reruns and produces the same bytes leaves this key unchanged.
//! Nothing machine-specific enters: path params are replaced by the digests of their contents.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::digest::{ContentDigest, NodeKey};
use super::value::Value;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyComponents {
    pub format: u32,
    pub kind: String,
    pub stage_version: u32,
    /// Resolved params, without path params (their contents are in `externals`) and execution-only params.
    pub params: BTreeMap<String, Value>,
    /// Input slot → digest of the upstream artifact bound to it.
    pub inputs: BTreeMap<String, ContentDigest>,
    /// Path param → digest of the file's or folder's contents.
    pub externals: BTreeMap<String, ContentDigest>,
}

impl KeyComponents {
    pub fn key(&self) -> NodeKey {
        let canonical = serde_json::to_vec(self).expect("key components always serialise");
        NodeKey::of(&canonical)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn components() -> KeyComponents {
        KeyComponents {
            format: 1,
            kind: "cluster".into(),
            stage_version: 1,
            params: [("k_max".to_string(), Value::Int(10)), ("k_min".to_string(), Value::Int(6))].into(),
            inputs: [("embeddings".to_string(), ContentDigest::of(b"e"))].into(),
            externals: BTreeMap::new(),
        }
    }

    #[test]
    fn key_depends_on_every_component() {
        let base = components().key();
        let mut c = components();
        c.params.insert("k_max".into(), Value::Int(12));
        assert_ne!(c.key(), base);
        let mut c = components();
        c.stage_version = 2;
        assert_ne!(c.key(), base);
        let mut c = components();
        c.inputs.insert("embeddings".into(), ContentDigest::of(b"f"));
        assert_ne!(c.key(), base);
        assert_eq!(components().key(), base);
    }
}
