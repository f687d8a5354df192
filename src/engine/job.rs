//! One node's work, described completely enough to run anywhere that reaches the store.
//!
//! The in-process executor runs jobs directly; `t2d run-node` reads the same job from a
//! file, so a cluster scheduler (Slurm, Ray) can run it on another machine.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use indicatif::MultiProgress;
use serde::{Deserialize, Serialize};

use super::artifact::{encode_json, encode_table, Artifact};
use super::context::StageContext;
use super::digest::{ContentDigest, NodeKey};
use super::inputs::Inputs;
use super::key::KeyComponents;
use super::memo::Memo;
use super::stage::{Params, Stage, StageError};
use super::store::{ArtifactRef, Manifest, MemberRef, Store, FORMAT_VERSION};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    pub pipeline: String,
    pub node: String,
    pub key: NodeKey,
    pub components: KeyComponents,
    /// Resolved params including path params (which the key replaces by content digests).
    pub params: BTreeMap<String, super::value::Value>,
    pub inputs: BTreeMap<String, ArtifactRef>,
    pub threads: usize,
}

/// Where a job runs: shared services the stage may use.
pub struct Workspace<'a> {
    pub store: &'a dyn Store,
    pub memo: Option<&'a Memo>,
    pub root: &'a Path,
    pub bars: Option<&'a MultiProgress>,
}

/// Runs the stage, stores its outputs, then writes the manifest (last, so a crash before it
/// leaves no entry that reads as complete).
pub fn run_job(stage: &dyn Stage, job: &Job, ws: &Workspace<'_>) -> Result<Manifest, StageError> {
    let params = Params(job.params.clone());
    let ctx = StageContext::new(
        &job.node,
        (stage.kind(), stage.version()),
        &params,
        job.threads,
        ws.root,
        ws.store,
        ws.memo,
        ws.bars,
    )
    .with_externals(job.components.externals.clone());
    let inputs = Inputs::new(job.inputs.clone(), ws.store);
    let started = Instant::now();
    let outputs = catch_unwind(AssertUnwindSafe(|| stage.run(&ctx, &inputs))).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(StageError::new(format!("internal error: stage `{}` panicked: {what}", stage.kind()))
            .with_help("this is a bug in t2d; please report it with the pipeline file"))
    })?;

    let declared = stage.outputs();
    let mut refs = BTreeMap::new();
    for slot in &declared {
        let artifact = outputs.get(slot.name).ok_or_else(|| {
            StageError::new(format!("internal: stage `{}` did not produce output `{}`", stage.kind(), slot.name))
        })?;
        if artifact.kind() != slot.kind {
            return Err(StageError::new(format!("internal: output `{}` should be {:?}", slot.name, slot.kind)));
        }
        refs.insert(slot.name.to_string(), store_artifact(artifact, ws.store)?);
    }
    let manifest = Manifest {
        format: FORMAT_VERSION,
        key: job.key,
        components: job.components.clone(),
        outputs: refs,
        node: job.node.clone(),
        pipeline: job.pipeline.clone(),
        created_unix_ms: SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0),
        duration_ms: started.elapsed().as_millis() as u64,
        log: ctx.take_log(),
    };
    ws.store.write_manifest(&manifest).map_err(|e| StageError::new(e.to_string()))?;
    Ok(manifest)
}

fn store_artifact(artifact: &Artifact, store: &dyn Store) -> Result<ArtifactRef, StageError> {
    let put = |bytes: &[u8]| store.put_object(bytes).map_err(|e| StageError::new(e.to_string()));
    let codec = |e: super::artifact::CodecError| StageError::new(e.to_string());
    let single = |bytes: Vec<u8>| -> Result<ArtifactRef, StageError> {
        Ok(ArtifactRef { kind: artifact.kind(), digest: put(&bytes)?, size: bytes.len() as u64, members: None })
    };
    match artifact {
        Artifact::Table(batch) => single(encode_table(batch).map_err(codec)?),
        Artifact::Json(value) => single(encode_json(value).map_err(codec)?),
        Artifact::Png(bytes) => single(bytes.clone()),
        Artifact::Bundle(files) => {
            let mut members = BTreeMap::new();
            for (name, file) in files {
                members.insert(
                    name.clone(),
                    MemberRef { kind: file.kind, digest: put(&file.bytes)?, size: file.bytes.len() as u64 },
                );
            }
            let listing = serde_json::to_vec(&members).map_err(|e| StageError::new(e.to_string()))?;
            Ok(ArtifactRef {
                kind: artifact.kind(),
                digest: ContentDigest::of(&listing),
                size: members.values().map(|m| m.size).sum(),
                members: Some(members),
            })
        }
    }
}
