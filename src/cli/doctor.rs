//! `t2d doctor`: is ONNX Runtime there, which providers does it offer, do the model folders load?

use std::path::Path;
use std::process::ExitCode;

use super::args::Cli;
use super::project::root;
use crate::models::{doctor as diagnose, RuntimeReport};

pub fn doctor(cli: &Cli, models_dir: &Path) -> miette::Result<ExitCode> {
    let report = diagnose(&root(), models_dir);
    let healthy = matches!(report.runtime, RuntimeReport::Loaded { .. }) && report.models.iter().all(|m| m.ok());
    if cli.json {
        println!("{}", serde_json::to_string(&report).unwrap_or_default());
    } else {
        match &report.runtime {
            RuntimeReport::Loaded { library, version, providers, auto_device } => {
                println!("ONNX Runtime {version}: {}", library.display());
                println!("  providers: {}", providers.join(", "));
                println!("  --device auto uses: {auto_device}");
            }
            RuntimeReport::Missing { error } => println!("ONNX Runtime: not found\n  {error}"),
        }
        for m in &report.models {
            let name = m.name.as_deref().unwrap_or("?");
            let arch = m.architecture.as_deref().unwrap_or("?");
            let status = if m.ok() { "ok".to_string() } else { "PROBLEMS".to_string() };
            println!("model {} ({name}, {arch}): {status}", m.folder.display());
            for p in &m.problems {
                println!("  - {p}");
            }
        }
    }
    Ok(if healthy { ExitCode::SUCCESS } else { ExitCode::from(super::EXIT_NODE_FAILED) })
}
