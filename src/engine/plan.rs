//! Before anything runs: the contents of every external file and folder a node names.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use super::externals::{fingerprint, Fingerprint, StatCache};
use super::pipeline::Pipeline;
use super::stage::External;

/// A file or folder a node needs that is not there.
#[derive(Debug, thiserror::Error)]
#[error("node `{node}`: {param} `{path}` {problem}")]
pub struct MissingExternal {
    pub node: String,
    pub param: String,
    pub path: String,
    pub problem: String,
    pub help: Option<String>,
}

/// Per node (by index), per path param: the fingerprint of its contents.
pub type ExternalDigests = Vec<BTreeMap<String, Fingerprint>>;

/// Fingerprints every external of every node; reports every missing one at once.
pub fn fingerprint_externals(
    pipeline: &Pipeline,
    root: &Path,
    stats: &StatCache,
) -> Result<ExternalDigests, Vec<MissingExternal>> {
    let wanted: Vec<(usize, External)> = pipeline
        .nodes
        .iter()
        .enumerate()
        .flat_map(|(i, n)| n.stage.externals(&n.params).into_iter().map(move |e| (i, e)))
        .collect();
    let results: Vec<(usize, String, Result<Fingerprint, MissingExternal>)> = wanted
        .par_iter()
        .map(|(i, ext)| {
            let full = root.join(&ext.path);
            let result = fingerprint(&full, stats).map_err(|e| MissingExternal {
                node: pipeline.nodes[*i].name.clone(),
                param: ext.param.clone(),
                path: ext.path.display().to_string(),
                problem: match e.source.kind() {
                    std::io::ErrorKind::NotFound if e.path == full => "does not exist".to_string(),
                    _ => format!("cannot be read ({e})"),
                },
                help: ext.help.clone(),
            });
            (*i, ext.param.clone(), result)
        })
        .collect();
    let mut digests: ExternalDigests = vec![BTreeMap::new(); pipeline.nodes.len()];
    let mut missing = Vec::new();
    for (i, param, result) in results {
        match result {
            Ok(fp) => {
                digests[i].insert(param, fp);
            }
            Err(m) => missing.push(m),
        }
    }
    if missing.is_empty() {
        Ok(digests)
    } else {
        Err(missing)
    }
}
