//! A record per `t2d exec`: what ran, what was reused, what failed and why.
//!
//! Rewritten atomically after every node, so a killed run still leaves an honest record.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::digest::NodeKey;
use super::store::{ArtifactRef, Store, StoreError};
use super::value::Value;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunRecord {
    pub id: String,
    pub pipeline: String,
    pub file: String,
    pub sets: Vec<String>,
    pub started_unix_ms: u64,
    pub finished_unix_ms: Option<u64>,
    /// running, ok, failed
    pub status: String,
    pub nodes: BTreeMap<String, NodeRun>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NodeRun {
    pub kind: String,
    pub status: String,
    pub key: Option<NodeKey>,
    pub duration_ms: u64,
    #[serde(default)]
    pub params: BTreeMap<String, Value>,
    #[serde(default)]
    pub outputs: BTreeMap<String, ArtifactRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

impl RunRecord {
    pub fn start(pipeline: &str, file: &str, sets: &[String]) -> Self {
        let stamp = humantime::format_rfc3339_millis(SystemTime::now()).to_string().replace([':', '-', '.'], "");
        Self {
            id: format!("{}-{:05}", stamp.trim_end_matches('Z'), std::process::id() % 100_000),
            pipeline: pipeline.to_string(),
            file: file.to_string(),
            sets: sets.to_vec(),
            started_unix_ms: now_ms(),
            finished_unix_ms: None,
            status: "running".into(),
            nodes: BTreeMap::new(),
        }
    }

    pub fn save(&self, store: &dyn Store) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec_pretty(self).expect("run records always serialise");
        store.write_doc(&format!("runs/{}.json", self.id), &bytes)
    }

    pub fn load(store: &dyn Store, id: &str) -> Result<Option<Self>, StoreError> {
        let Some(bytes) = store.read_doc(&format!("runs/{id}.json"))? else { return Ok(None) };
        Ok(serde_json::from_slice(&bytes).ok())
    }

    /// All run ids, oldest first.
    pub fn ids(store: &dyn Store) -> Result<Vec<String>, StoreError> {
        Ok(store
            .list_docs("runs")?
            .into_iter()
            .filter_map(|n| n.strip_prefix("runs/")?.strip_suffix(".json").map(str::to_string))
            .collect())
    }
}
