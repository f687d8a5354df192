//! `t2d exec` and `t2d status`.

use std::process::ExitCode;
use std::time::Instant;

use miette::{Diagnostic, IntoDiagnostic};
use serde_json::json;

use super::args::{Cli, ExecArgs, ExecutorKind, PipelineArgs};
use super::project::{load, root, Loaded};
use super::report::{seconds, Reporter};
use crate::engine::executor::{Executor, InProcess, Subprocess};
use crate::engine::externals::StatCache;
use crate::engine::job::Workspace;
use crate::engine::memo::Memo;
use crate::engine::plan::{fingerprint_externals, ExternalDigests, MissingExternal};
use crate::engine::publish::publish;
use crate::engine::scheduler::{execute, ExecOptions, ExecSummary, Status};
use crate::engine::Registry;

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{0}")]
struct MissingInput(String, #[help] Option<String>);

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}: {} input file(s) or folder(s) missing; nothing was run", missing.len())]
#[diagnostic(code(t2d::exec::missing_inputs))]
struct MissingInputs {
    file: String,
    #[related]
    missing: Vec<MissingInput>,
}

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("--force {0}: no node `{0}` in this pipeline")]
#[diagnostic(code(t2d::exec::force), help("nodes: {1}"))]
struct UnknownForce(String, String);

pub fn exec(cli: &Cli, args: &ExecArgs, registry: &Registry) -> miette::Result<ExitCode> {
    run(cli, &args.pipeline, registry, args)
}

pub fn status(cli: &Cli, args: &PipelineArgs, registry: &Registry) -> miette::Result<ExitCode> {
    let exec_args = ExecArgs {
        pipeline: args.clone(),
        dry_run: true,
        jobs: None,
        force: Vec::new(),
        executor: ExecutorKind::InProcess,
        outputs: "outputs".into(),
        device: None,
    };
    run(cli, args, registry, &exec_args)
}

/// Fingerprints the externals of a loaded pipeline (or says exactly what is missing).
pub fn externals(loaded: &Loaded) -> miette::Result<ExternalDigests> {
    let stats = StatCache::load(loaded.cache_dir.join("stat"));
    let digests = fingerprint_externals(&loaded.pipeline, &root(), &stats).map_err(|missing| MissingInputs {
        file: loaded.file.clone(),
        missing: missing.into_iter().map(|m: MissingExternal| MissingInput(m.to_string(), m.help.clone())).collect(),
    })?;
    if let Err(e) = stats.save() {
        tracing::warn!("cannot save the stat cache: {e}");
    }
    Ok(digests)
}

/// A dry run: what each node's status would be, with keys and stored outputs where cached.
pub fn plan(loaded: &Loaded, sets: &[String]) -> miette::Result<ExecSummary> {
    let digests = externals(loaded)?;
    let memo = None;
    let workspace = Workspace { store: &loaded.store, memo, root: &root(), bars: None };
    let executor = InProcess { workspace };
    let options =
        ExecOptions { jobs: 1, dry_run: true, force: Vec::new(), file: loaded.file.clone(), sets: sets.to_vec() };
    struct Quiet;
    impl crate::engine::scheduler::Observer for Quiet {
        fn finished(&self, _: &crate::engine::scheduler::NodeReport) {}
    }
    Ok(execute(&loaded.pipeline, &digests, &loaded.store, &executor, &options, &Quiet))
}

fn run(cli: &Cli, args: &PipelineArgs, registry: &Registry, exec: &ExecArgs) -> miette::Result<ExitCode> {
    let started = Instant::now();
    let mut loaded = load(cli, args, registry)?;
    if let Some(device) = &exec.device {
        for node in loaded.pipeline.nodes.iter_mut().filter(|n| n.params.0.contains_key("device")) {
            node.params.0.insert("device".into(), crate::engine::Value::Str(device.clone()));
        }
    }
    for name in &exec.force {
        if loaded.pipeline.index_of(name).is_none() {
            let names: Vec<&str> = loaded.pipeline.nodes.iter().map(|n| n.name.as_str()).collect();
            return Err(UnknownForce(name.clone(), names.join(", ")).into());
        }
    }
    let _shared = loaded
        .store
        .lock("exec.lock", true, &|| eprintln!("waiting for `t2d gc` to finish with this cache…"))
        .into_diagnostic()?;
    let digests = externals(&loaded)?;
    let memo = Memo::open(&loaded.cache_dir.join("memo.sqlite")).into_diagnostic()?;
    let names: Vec<&str> = loaded.pipeline.nodes.iter().map(|n| n.name.as_str()).collect();
    let show_bars = !cli.json && std::io::IsTerminal::is_terminal(&std::io::stderr()) && !exec.dry_run;
    let reporter = Reporter::new(cli.json, &names, show_bars.then(indicatif::MultiProgress::new));
    let root = root();
    let workspace = Workspace { store: &loaded.store, memo: Some(&memo), root: &root, bars: reporter.bars() };
    let exe = std::env::current_exe().into_diagnostic()?;
    let executor: Box<dyn Executor> = match exec.executor {
        ExecutorKind::InProcess => Box::new(InProcess { workspace }),
        ExecutorKind::Subprocess => {
            Box::new(Subprocess { exe, cache: loaded.cache_dir.clone(), root: root.clone(), store: &loaded.store })
        }
    };
    let cores = std::thread::available_parallelism().map(|c| c.get()).unwrap_or(1);
    let options = ExecOptions {
        jobs: exec.jobs.unwrap_or(cores),
        dry_run: exec.dry_run,
        force: exec.force.clone(),
        file: loaded.file.clone(),
        sets: args.sets.clone(),
    };
    let summary = execute(&loaded.pipeline, &digests, &loaded.store, executor.as_ref(), &options, &reporter);

    let out_dir = exec.outputs.join(&loaded.pipeline.name);
    let published = if exec.dry_run {
        None
    } else {
        Some(
            publish(&out_dir, &loaded.pipeline, &summary.reports, &loaded.store, summary.run.as_ref())
                .into_diagnostic()?,
        )
    };
    let count = |s: Status| summary.reports.iter().filter(|r| r.status == s).count();
    let failed = count(Status::Failed) + count(Status::Blocked);
    if cli.json {
        let value = json!({"summary": {
            "pipeline": loaded.pipeline.name,
            "run": summary.run.as_ref().map(|r| &r.id),
            "cached": count(Status::Cached),
            "ran": count(Status::Ran),
            "failed": count(Status::Failed),
            "blocked": count(Status::Blocked),
            "would_run": count(Status::WouldRun),
            "duration_ms": started.elapsed().as_millis() as u64,
            "outputs": published.map(|_| out_dir.display().to_string()),
        }});
        reporter.print(&value.to_string());
    } else {
        let mut parts = Vec::new();
        for (s, n) in [
            (Status::Ran, count(Status::Ran)),
            (Status::Cached, count(Status::Cached)),
            (Status::WouldRun, count(Status::WouldRun)),
            (Status::Failed, count(Status::Failed)),
            (Status::Blocked, count(Status::Blocked)),
        ] {
            if n > 0 {
                parts.push(format!("{n} {}", s.as_str()));
            }
        }
        let mut line = format!(
            "{}: {} in {}",
            loaded.pipeline.name,
            parts.join(", "),
            seconds(started.elapsed().as_millis() as u64)
        );
        if let Some(files) = published {
            line.push_str(&format!(" · {files} files in {}", out_dir.display()));
        }
        if let Some(run) = summary.run.as_ref().map(|r| &r.id) {
            line.push_str(&format!(" · run {run}"));
        }
        reporter.print(&line);
    }
    Ok(if failed > 0 { ExitCode::from(super::EXIT_NODE_FAILED) } else { ExitCode::SUCCESS })
}
