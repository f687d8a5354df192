//! `t2d graph`: the DAG as Graphviz dot or Mermaid, coloured by what the cache knows.

use std::process::ExitCode;

use super::args::{Cli, GraphArgs, GraphFormat};
use super::exec::plan;
use super::project::load;
use crate::engine::scheduler::Status;
use crate::engine::Registry;

fn colour(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Cached) => "#b7e4c7",
        Some(Status::WouldRun) => "#ffe8a3",
        Some(Status::Failed | Status::Blocked) => "#f4a6a6",
        _ => "#e0e0e0",
    }
}

pub fn graph(cli: &Cli, args: &GraphArgs, registry: &Registry) -> miette::Result<ExitCode> {
    let loaded = load(cli, &args.pipeline, registry)?;
    let statuses: Vec<Option<Status>> = match plan(&loaded, &args.pipeline.sets) {
        Ok(summary) => summary.reports.iter().map(|r| Some(r.status)).collect(),
        Err(_) => vec![None; loaded.pipeline.nodes.len()],
    };
    let p = &loaded.pipeline;
    let mut out = String::new();
    match args.format {
        GraphFormat::Dot => {
            out.push_str(&format!(
                "digraph \"{}\" {{\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\"];\n",
                p.name
            ));
            for (i, node) in p.nodes.iter().enumerate() {
                let status = statuses[i].map(|s| s.as_str()).unwrap_or("unknown");
                out.push_str(&format!(
                    "  \"{}\" [label=\"{}\\n{} · {}\", fillcolor=\"{}\"];\n",
                    node.name,
                    node.name,
                    node.stage.kind(),
                    status,
                    colour(statuses[i])
                ));
            }
            for (i, node) in p.nodes.iter().enumerate() {
                for (slot, (from, output)) in &node.inputs {
                    out.push_str(&format!(
                        "  \"{}\" -> \"{}\" [label=\"{output} → {slot}\"];\n",
                        p.nodes[*from].name, p.nodes[i].name
                    ));
                }
            }
            out.push_str("}\n");
        }
        GraphFormat::Mermaid => {
            out.push_str("flowchart LR\n");
            for (i, node) in p.nodes.iter().enumerate() {
                let status = statuses[i].map(|s| s.as_str()).unwrap_or("unknown");
                out.push_str(&format!(
                    "  {}[\"{}<br/>{} · {}\"]\n",
                    node.name.replace('-', "_"),
                    node.name,
                    node.stage.kind(),
                    status
                ));
                out.push_str(&format!("  style {} fill:{}\n", node.name.replace('-', "_"), colour(statuses[i])));
            }
            for (i, node) in p.nodes.iter().enumerate() {
                for (slot, (from, output)) in &node.inputs {
                    out.push_str(&format!(
                        "  {} -->|{output} → {slot}| {}\n",
                        p.nodes[*from].name.replace('-', "_"),
                        p.nodes[i].name.replace('-', "_")
                    ));
                }
            }
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
