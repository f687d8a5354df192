//! The last key components seen for each node of each pipeline, so `--dry-run` and
//! `t2d status` can say *why* a node would run — down to which dataset files changed.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::digest::{ContentDigest, NodeKey};
use super::externals::Fingerprint;
use super::key::KeyComponents;
use super::reasons::Reason;
use super::store::Store;

/// How many changed file names a reason lists before saying "and N more".
const NAMED_FILES: usize = 3;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NodeHistory {
    pub key: NodeKey,
    pub components: KeyComponents,
    /// Path param → stored listing of (relative path, digest) of its files.
    #[serde(default)]
    pub listings: BTreeMap<String, (ContentDigest, u64)>,
}

fn doc_name(pipeline: &str, node: &str) -> String {
    format!("history/{pipeline}/{node}.json")
}

pub fn last_seen(store: &dyn Store, pipeline: &str, node: &str) -> Option<NodeHistory> {
    let bytes = store.read_doc(&doc_name(pipeline, node)).ok()??;
    serde_json::from_slice(&bytes).ok()
}

/// Records `components` as the node's latest, unless they already are.
pub fn remember(
    store: &dyn Store,
    pipeline: &str,
    node: &str,
    key: NodeKey,
    components: KeyComponents,
    externals: &BTreeMap<String, Fingerprint>,
) {
    if last_seen(store, pipeline, node).is_some_and(|p| p.key == key) {
        return;
    }
    let mut listings = BTreeMap::new();
    for (param, fp) in externals {
        let text: String = fp.files.iter().map(|(rel, d)| format!("{rel}\t{}\n", d.hex())).collect();
        if let Ok(digest) = store.put_object(text.as_bytes()) {
            listings.insert(param.clone(), (digest, text.len() as u64));
        }
    }
    let history = NodeHistory { key, components, listings };
    if let Ok(bytes) = serde_json::to_vec(&history) {
        if let Err(e) = store.write_doc(&doc_name(pipeline, node), &bytes) {
            tracing::warn!("cannot record history of {pipeline}/{node}: {e}");
        }
    }
}

/// Fills in which files changed for each external-content reason, when the old listing is known.
pub fn name_changed_files(
    reasons: &mut [Reason],
    previous: Option<&NodeHistory>,
    now: &BTreeMap<String, Fingerprint>,
    store: &dyn Store,
) {
    let Some(previous) = previous else { return };
    for reason in reasons.iter_mut() {
        let Reason::External { param, changed, more } = reason else { continue };
        let (Some(fp), Some((digest, size))) = (now.get(param.as_str()), previous.listings.get(param.as_str())) else {
            continue;
        };
        let Ok(bytes) = store.read_object(digest, *size) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        let old: HashMap<&str, &str> = text.lines().filter_map(|l| l.split_once('\t')).collect();
        let mut names: Vec<String> = Vec::new();
        let mut seen = 0usize;
        for (rel, d) in fp.files.iter() {
            let shown = if rel.is_empty() { param.clone() } else { rel.to_string() };
            match old.get(rel.as_ref()) {
                Some(hex) if *hex == d.hex() => {}
                Some(_) => names.push(shown),
                None => names.push(format!("{shown} (new)")),
            }
            if old.contains_key(rel.as_ref()) {
                seen += 1;
            }
        }
        if seen < old.len() {
            let current: std::collections::HashSet<Cow<'_, str>> = fp.files.iter().map(|(r, _)| r).collect();
            let mut gone: Vec<String> =
                old.keys().filter(|r| !current.contains(**r)).map(|r| format!("{r} (removed)")).collect();
            gone.sort();
            names.extend(gone);
        }
        *more = names.len().saturating_sub(NAMED_FILES);
        names.truncate(NAMED_FILES);
        *changed = names;
    }
}
