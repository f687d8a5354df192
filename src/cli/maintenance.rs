//! `t2d gc` and `t2d verify`.

use std::process::ExitCode;

use miette::IntoDiagnostic;
use serde_json::json;

use super::args::{Cli, GcArgs};
use super::project::{cache_dir, open_store};
use crate::engine::{gc, verify};

pub fn gc(cli: &Cli, args: &GcArgs) -> miette::Result<ExitCode> {
    let store = open_store(&cache_dir(cli, None))?;
    let _exclusive = store
        .lock("exec.lock", false, &|| eprintln!("waiting for running `t2d exec` processes to finish…"))
        .into_diagnostic()?;
    let r = gc::collect(&store, args.keep_runs, args.max_size).into_diagnostic()?;
    if cli.json {
        println!(
            "{}",
            json!({"runs_kept": r.runs_kept, "runs_removed": r.runs_removed, "entries_removed": r.entries_removed,
            "objects_removed": r.objects_removed, "bytes_freed": r.bytes_freed, "bytes_kept": r.bytes_kept})
        );
    } else {
        println!(
            "kept {} run(s) ({} bytes); removed {} run(s), {} cache entr(ies), {} object(s), {} bytes",
            r.runs_kept, r.bytes_kept, r.runs_removed, r.entries_removed, r.objects_removed, r.bytes_freed
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn verify(cli: &Cli) -> miette::Result<ExitCode> {
    let store = open_store(&cache_dir(cli, None))?;
    let _exclusive = store
        .lock("exec.lock", false, &|| eprintln!("waiting for running `t2d exec` processes to finish…"))
        .into_diagnostic()?;
    let r = verify::verify(&store).into_diagnostic()?;
    if cli.json {
        println!(
            "{}",
            json!({"objects_checked": r.objects_checked, "damaged": r.damaged, "entries_dropped": r.entries_dropped})
        );
    } else {
        for path in &r.damaged {
            println!("damaged: {path} (removed)");
        }
        println!(
            "checked {} object(s): {} damaged, {} cache entr(ies) dropped",
            r.objects_checked,
            r.damaged.len(),
            r.entries_dropped
        );
    }
    Ok(if r.damaged.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(super::EXIT_NODE_FAILED) })
}
