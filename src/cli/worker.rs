//! `t2d run-node`: the worker side of remote execution. Reads a job, runs it against the
//! store, writes the outputs and manifest back; the coordinator reads the result from the store.

use std::process::ExitCode;

use miette::{miette, IntoDiagnostic, WrapErr};

use super::args::{Cli, RunNodeArgs};
use super::project::{cache_dir, open_store};
use crate::engine::job::{run_job, Job, Workspace};
use crate::engine::memo::Memo;
use crate::engine::Registry;

pub fn run_node(cli: &Cli, args: &RunNodeArgs, registry: &Registry) -> miette::Result<ExitCode> {
    let dir = cache_dir(cli, None);
    let store = open_store(&dir)?;
    let text = std::fs::read(&args.job)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot read job file {}", args.job.display()))?;
    let job: Job = serde_json::from_slice(&text)
        .into_diagnostic()
        .wrap_err_with(|| format!("{} is not a t2d job file", args.job.display()))?;
    let stage = registry
        .get(&job.components.kind)
        .ok_or_else(|| miette!("this t2d build has no node kind `{}`", job.components.kind))?;
    if stage.version() != job.components.stage_version {
        return Err(miette!(
            "job wants `{}` v{}, this build has v{}",
            job.components.kind,
            job.components.stage_version,
            stage.version()
        ));
    }
    let memo = Memo::open(&dir.join("memo.sqlite")).into_diagnostic()?;
    let workspace = Workspace { store: &store, memo: Some(&memo), root: &args.root, bars: None };
    match run_job(stage.as_ref(), &job, &workspace) {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("{}", e.message);
            if let Some(help) = e.help {
                eprintln!("help: {help}");
            }
            Ok(ExitCode::from(super::EXIT_NODE_FAILED))
        }
    }
}
