//! Lays a pipeline's results out for people under `outputs/<pipeline>/`, rebuilt from the
//! cache after each exec. Built beside the old folder and swapped in, so a reader never sees
//! half of it and two execs publishing at once leave one complete folder. The exec's own
//! record goes beside the results as `run.json`, and as `run.js` for pages opened straight
//! from disk (browsers do not let a `file://` page read JSON).

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::pipeline::Pipeline;
use super::run_record::RunRecord;
use super::scheduler::{NodeReport, Status};
use super::stage::Publish;
use super::store::{replace_dir, ArtifactRef, Store};

#[derive(Debug, thiserror::Error)]
#[error("cannot write outputs to {path}: {message}")]
pub struct PublishError {
    pub path: PathBuf,
    pub message: String,
}

pub const RUN_JSON: &str = "run.json";
pub const RUN_JS: &str = "run.js";

/// Where each file of an artifact goes, relative to the pipeline's output folder.
fn layout(base: &Path, artifact: &ArtifactRef) -> Vec<(PathBuf, super::digest::ContentDigest, u64)> {
    match &artifact.members {
        Some(members) => members.iter().map(|(name, m)| (base.join(name), m.digest, m.size)).collect(),
        None => vec![(base.to_path_buf(), artifact.digest, artifact.size)],
    }
}

fn default_base(node: &str, output: &str, artifact: &ArtifactRef) -> PathBuf {
    match artifact.members {
        Some(_) => Path::new(node).join(output),
        None => Path::new(node).join(format!("{output}.{}", artifact.kind.extension())),
    }
}

/// Outputs go where their slot says ([`Publish`]); when a file would land on a path another
/// output already took, that output falls back to `<node>/<output>` and a warning is logged.
pub fn publish(
    dir: &Path,
    pipeline: &Pipeline,
    reports: &[NodeReport],
    store: &dyn Store,
    run: Option<&RunRecord>,
) -> Result<usize, PublishError> {
    let err =
        |path: &Path, e: &dyn std::fmt::Display| PublishError { path: path.to_path_buf(), message: e.to_string() };
    let parent = dir.parent().unwrap_or(Path::new("."));
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    fs::create_dir_all(parent).map_err(|e| err(parent, &e))?;
    let staging =
        tempfile::Builder::new().prefix(&format!(".{name}.new-")).tempdir_in(parent).map_err(|e| err(parent, &e))?;
    let mut count = 0;
    let mut taken = HashSet::new();
    if let Some(run) = run {
        let json = serde_json::to_string_pretty(run).map_err(|e| err(Path::new(RUN_JSON), &e))?;
        for (name, text) in [(RUN_JSON, json.clone()), (RUN_JS, format!("window.t2dRun = {json};\n"))] {
            let target = staging.path().join(name);
            fs::write(&target, text).map_err(|e| err(&target, &e))?;
            taken.insert(PathBuf::from(name));
            count += 1;
        }
    }
    for report in reports.iter().filter(|r| matches!(r.status, Status::Cached | Status::Ran)) {
        let slots = pipeline.index_of(&report.node).map(|i| pipeline.nodes[i].stage.outputs()).unwrap_or_default();
        for (output, artifact) in &report.outputs {
            let publish =
                slots.iter().find(|s| s.name == output).map(|s| s.publish.clone()).unwrap_or(Publish::Default);
            let files = match publish {
                Publish::Hidden => continue,
                Publish::At(path) => {
                    let files = layout(Path::new(path), artifact);
                    if files.iter().all(|(rel, ..)| !taken.contains(rel)) {
                        files
                    } else {
                        tracing::warn!(
                            "{}: `{path}` is already taken by another node; writing to {}/{output}",
                            report.node,
                            report.node
                        );
                        layout(&default_base(&report.node, output, artifact), artifact)
                    }
                }
                Publish::Default => layout(&default_base(&report.node, output, artifact), artifact),
            };
            for (rel, digest, size) in files {
                taken.insert(rel.clone());
                let target = staging.path().join(&rel);
                if let Some(p) = target.parent() {
                    fs::create_dir_all(p).map_err(|e| err(p, &e))?;
                }
                let bytes = store.read_object(&digest, size).map_err(|e| err(&rel, &e))?;
                fs::write(&target, bytes).map_err(|e| err(&target, &e))?;
                count += 1;
            }
        }
    }
    let staged = staging.keep();
    replace_dir(&staged, dir).map_err(|e| {
        let _ = fs::remove_dir_all(&staged);
        err(dir, &e)
    })?;
    Ok(count)
}
