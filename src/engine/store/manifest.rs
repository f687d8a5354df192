//! What a cache entry records: the key's components, the outputs, and how it was made.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::artifact::ArtifactKind;
use crate::engine::digest::{ContentDigest, NodeKey};
use crate::engine::key::KeyComponents;

/// Bumped when the layout of manifests or keys changes; part of every key.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArtifactRef {
    pub kind: ArtifactKind,
    pub digest: ContentDigest,
    pub size: u64,
    /// Files of a bundle, by name; the bundle's digest hashes this list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<BTreeMap<String, MemberRef>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRef {
    pub kind: ArtifactKind,
    pub digest: ContentDigest,
    pub size: u64,
}

impl ArtifactRef {
    /// Every stored object this artifact needs, with its size.
    pub fn objects(&self) -> Vec<(ContentDigest, u64)> {
        match &self.members {
            Some(members) => members.values().map(|m| (m.digest, m.size)).collect(),
            None => vec![(self.digest, self.size)],
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub key: NodeKey,
    pub components: KeyComponents,
    pub outputs: BTreeMap<String, ArtifactRef>,
    /// Where it was first computed (for people; not part of the key).
    pub node: String,
    pub pipeline: String,
    pub created_unix_ms: u64,
    pub duration_ms: u64,
    /// Warnings the stage reported (skipped rows, bad images, …).
    #[serde(default)]
    pub log: Vec<String>,
}
