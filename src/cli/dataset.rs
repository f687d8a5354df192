//! `t2d dataset synth`: a realistic synthetic catalogue for tests and demos.

use std::process::ExitCode;

use miette::IntoDiagnostic;
use serde_json::json;

use super::args::{Cli, DatasetCommand};
use crate::catalogue::synth;

pub fn dataset(cli: &Cli, command: &DatasetCommand) -> miette::Result<ExitCode> {
    match command {
        DatasetCommand::Synth { out, n, seed } => {
            let started = std::time::Instant::now();
            let r = synth(out, *n, *seed).into_diagnostic()?;
            let secs = started.elapsed().as_secs_f64();
            if cli.json {
                println!(
                    "{}",
                    json!({"out": out.display().to_string(), "records": r.records, "rows_read": r.rows_read(), "products": r.products(),
                        "malformed_lines": r.malformed_lines, "missing_image_ids": r.missing_image_ids,
                        "empty_image_ids": r.empty_image_ids, "truncated_image_ids": r.truncated_image_ids, "seconds": secs})
                );
            } else {
                println!(
                    "{}: {} records ({} malformed rows, {} ids without image, {} corrupt images) in {:.1}s",
                    out.display(),
                    r.records,
                    r.malformed_lines.len(),
                    r.missing_image_ids.len(),
                    r.empty_image_ids.len() + r.truncated_image_ids.len(),
                    secs
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
