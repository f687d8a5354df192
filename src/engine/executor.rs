//! Where jobs run. The scheduler hands each ready node to an [`Executor`] and never runs
//! work itself: in this process now, through `t2d run-node` in a child process (the same
//! protocol a Slurm or Ray backend would use), on other machines later.

use std::path::PathBuf;
use std::process::Command;

use super::job::{run_job, Job, Workspace};
use super::stage::{Stage, StageError};
use super::store::{Lookup, Manifest, Store};

pub trait Executor: Sync {
    fn execute(&self, stage: &dyn Stage, job: &Job) -> Result<Manifest, StageError>;
}

pub struct InProcess<'a> {
    pub workspace: Workspace<'a>,
}

impl Executor for InProcess<'_> {
    fn execute(&self, stage: &dyn Stage, job: &Job) -> Result<Manifest, StageError> {
        run_job(stage, job, &self.workspace)
    }
}

/// Runs each job as `t2d run-node --cache CACHE JOB_FILE` and reads the result from the store.
pub struct Subprocess<'a> {
    pub exe: PathBuf,
    pub cache: PathBuf,
    pub root: PathBuf,
    pub store: &'a dyn Store,
}

impl Executor for Subprocess<'_> {
    fn execute(&self, _stage: &dyn Stage, job: &Job) -> Result<Manifest, StageError> {
        let name = format!("jobs/{}.json", job.key.hex());
        let bytes = serde_json::to_vec(job).map_err(|e| StageError::new(e.to_string()))?;
        self.store.write_doc(&name, &bytes).map_err(|e| StageError::new(e.to_string()))?;
        let output = Command::new(&self.exe)
            .arg("run-node")
            .arg("--cache")
            .arg(&self.cache)
            .arg("--root")
            .arg(&self.root)
            .arg(self.cache.join("docs").join(&name))
            .output()
            .map_err(|e| StageError::new(format!("cannot start worker {}: {e}", self.exe.display())))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(StageError::new(format!("worker failed: {}", stderr.trim())));
        }
        match self.store.lookup(&job.key).map_err(|e| StageError::new(e.to_string()))? {
            Lookup::Hit(manifest) => Ok(*manifest),
            _ => Err(StageError::new("worker exited cleanly but wrote no complete cache entry")),
        }
    }
}
