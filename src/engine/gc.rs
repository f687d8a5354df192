//! `t2d gc`: deletes what no kept run reaches. Takes the cache's exclusive lock, so it never
//! deletes what a running exec holds (each exec holds the lock shared for its whole run).

use std::collections::HashSet;

use super::digest::{ContentDigest, NodeKey};
use super::run_record::RunRecord;
use super::store::{LocalStore, StoreError};

#[derive(Debug, Default, PartialEq)]
pub struct GcReport {
    pub runs_kept: usize,
    pub runs_removed: usize,
    pub entries_removed: usize,
    pub objects_removed: usize,
    pub bytes_freed: u64,
    pub bytes_kept: u64,
}

/// Keeps the newest `keep_runs` runs (and, with `max_bytes`, fewer while the cache is over it).
pub fn collect(store: &LocalStore, keep_runs: usize, max_bytes: Option<u64>) -> Result<GcReport, StoreError> {
    let ids = RunRecord::ids(store)?;
    let runs: Vec<RunRecord> = ids.iter().filter_map(|id| RunRecord::load(store, id).ok().flatten()).collect();
    let objects = store.objects()?;
    let mut keep = keep_runs.min(runs.len()).max(1.min(runs.len()));
    loop {
        let kept = &runs[runs.len() - keep..];
        let (keys, live) = reachable(store, kept)?;
        let kept_bytes: u64 = objects.iter().filter(|(d, _)| live.contains(d)).map(|(_, s)| s).sum();
        let over = max_bytes.is_some_and(|m| kept_bytes > m);
        if over && keep > 1 {
            keep -= 1;
            continue;
        }
        let mut report = GcReport { runs_kept: keep, bytes_kept: kept_bytes, ..Default::default() };
        for run in &runs[..runs.len() - keep] {
            store.remove_doc(&format!("runs/{}.json", run.id))?;
            report.runs_removed += 1;
        }
        for key in store.manifest_keys()? {
            if !keys.contains(&key) {
                store.remove_manifest(&key)?;
                report.entries_removed += 1;
            }
        }
        for (digest, size) in &objects {
            if !live.contains(digest) {
                store.remove_object(digest)?;
                report.objects_removed += 1;
                report.bytes_freed += size;
            }
        }
        return Ok(report);
    }
}

fn reachable(store: &LocalStore, runs: &[RunRecord]) -> Result<(HashSet<NodeKey>, HashSet<ContentDigest>), StoreError> {
    let mut keys = HashSet::new();
    let mut live = HashSet::new();
    for run in runs {
        for node in run.nodes.values() {
            if let Some(key) = node.key {
                if let Some(manifest) = store.read_manifest(&key)? {
                    keys.insert(key);
                    live.extend(manifest.outputs.values().flat_map(|a| a.objects()).map(|(d, _)| d));
                }
            }
            live.extend(node.outputs.values().flat_map(|a| a.objects()).map(|(d, _)| d));
        }
    }
    Ok((keys, live))
}
