//! Read-only views of pipelines and the cache: `show`, `runs`, `diff`, `kinds`.

use std::collections::BTreeSet;
use std::process::ExitCode;

use miette::{miette, IntoDiagnostic};
use serde_json::json;

use super::args::{Cli, ShowArgs};
use super::exec::plan;
use super::project::{cache_dir, load, open_store};
use crate::engine::run_record::RunRecord;
use crate::engine::store::Store;
use crate::engine::Registry;

pub fn show(cli: &Cli, args: &ShowArgs, registry: &Registry) -> miette::Result<ExitCode> {
    let loaded = load(cli, &args.pipeline, registry)?;
    if let Some(name) = &args.node {
        if loaded.pipeline.index_of(name).is_none() {
            return Err(miette!("no node `{name}` in {}", loaded.file));
        }
    }
    let summary = plan(&loaded, &args.pipeline.sets)?;
    for (node, report) in loaded.pipeline.nodes.iter().zip(&summary.reports) {
        if args.node.as_ref().is_some_and(|n| *n != node.name) {
            continue;
        }
        let outputs: Vec<serde_json::Value> = report
            .outputs
            .iter()
            .map(|(name, a)| {
                json!({
                    "output": name,
                    "media_type": a.kind.media_type(),
                    "digest": a.digest.hex(),
                    "size": a.size,
                    "path": a.members.is_none().then(|| loaded.store.locate_object(&a.digest).display().to_string()),
                    "files": a.members.as_ref().map(|m| m.iter().map(|(f, r)| json!({"name": f, "path": loaded.store.locate_object(&r.digest).display().to_string(), "digest": r.digest.hex()})).collect::<Vec<_>>()),
                })
            })
            .collect();
        if cli.json {
            let value = json!({
                "node": node.name, "kind": node.stage.kind(), "version": node.stage.version(),
                "status": report.status.as_str(), "key": report.key.map(|k| k.hex()),
                "params": node.params.0, "outputs": outputs,
            });
            println!("{value}");
            continue;
        }
        println!("{} ({} v{}) — {}", node.name, node.stage.kind(), node.stage.version(), report.status.as_str());
        if let Some(key) = report.key {
            println!("  key      {}", key.hex());
        }
        for (k, v) in &node.params.0 {
            println!("  param    {k} = {v}");
        }
        for o in &outputs {
            let path = o["path"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{} files", o["files"].as_array().map(|a| a.len()).unwrap_or(0)));
            println!(
                "  output   {} [{}] {} {}",
                o["output"].as_str().unwrap_or(""),
                o["media_type"].as_str().unwrap_or(""),
                &o["digest"].as_str().unwrap_or("")[..12],
                path
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn runs(cli: &Cli) -> miette::Result<ExitCode> {
    let store = open_store(&cache_dir(cli, None))?;
    for id in RunRecord::ids(&store).into_diagnostic()? {
        let Some(run) = RunRecord::load(&store, &id).into_diagnostic()? else { continue };
        let count = |s: &str| run.nodes.values().filter(|n| n.status == s).count();
        if cli.json {
            println!(
                "{}",
                json!({"run": run.id, "pipeline": run.pipeline, "file": run.file, "status": run.status, "sets": run.sets,
                "ran": count("ran"), "cached": count("cached"), "failed": count("failed"), "blocked": count("blocked")})
            );
        } else {
            println!(
                "{}  {:<12} {:<7} ran {:>2}  cached {:>2}  failed {:>2}  {}",
                run.id,
                run.pipeline,
                run.status,
                count("ran"),
                count("cached"),
                count("failed"),
                run.file
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn diff(cli: &Cli, a: &str, b: &str) -> miette::Result<ExitCode> {
    let store = open_store(&cache_dir(cli, None))?;
    let load = |id: &str| -> miette::Result<RunRecord> {
        RunRecord::load(&store, id)
            .into_diagnostic()?
            .ok_or_else(|| miette!(help = "`t2d runs` lists the recorded runs", "no run `{id}` in this cache"))
    };
    let (ra, rb) = (load(a)?, load(b)?);
    let names: BTreeSet<&String> = ra.nodes.keys().chain(rb.nodes.keys()).collect();
    let mut differences = Vec::new();
    for name in names {
        match (ra.nodes.get(name), rb.nodes.get(name)) {
            (Some(x), Some(y)) => {
                let keys: BTreeSet<&String> = x.params.keys().chain(y.params.keys()).collect();
                for k in keys {
                    if x.params.get(k) != y.params.get(k) {
                        differences.push(json!({"node": name, "param": k, "a": x.params.get(k), "b": y.params.get(k)}));
                    }
                }
                let outs: BTreeSet<&String> = x.outputs.keys().chain(y.outputs.keys()).collect();
                for o in outs {
                    let (da, db) = (x.outputs.get(o).map(|r| r.digest), y.outputs.get(o).map(|r| r.digest));
                    if da != db {
                        differences.push(
                            json!({"node": name, "output": o, "a": da.map(|d| d.hex()), "b": db.map(|d| d.hex())}),
                        );
                    }
                }
            }
            (x, _) => differences.push(json!({"node": name, "only_in": if x.is_some() { a } else { b }})),
        }
    }
    for d in &differences {
        if cli.json {
            println!("{d}");
        } else if let Some(p) = d.get("param") {
            println!(
                "{}: param {} {} → {}",
                d["node"].as_str().unwrap_or(""),
                p.as_str().unwrap_or(""),
                d["a"],
                d["b"]
            );
        } else if let Some(o) = d.get("output") {
            let short = |v: &serde_json::Value| v.as_str().map(|s| s[..12].to_string()).unwrap_or_else(|| "-".into());
            println!(
                "{}: output {} differs ({} → {})",
                d["node"].as_str().unwrap_or(""),
                o.as_str().unwrap_or(""),
                short(&d["a"]),
                short(&d["b"])
            );
        } else {
            println!("{}: only in run {}", d["node"].as_str().unwrap_or(""), d["only_in"].as_str().unwrap_or(""));
        }
    }
    if differences.is_empty() && !cli.json {
        println!("runs {a} and {b} have the same params and outputs");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn kinds(registry: &Registry, json_out: bool) -> miette::Result<ExitCode> {
    for kind in registry.kinds() {
        let Some(stage) = registry.get(kind) else { continue };
        let params: Vec<serde_json::Value> = stage
            .params()
            .iter()
            .map(|p| json!({"name": p.name, "type": format!("{:?}", p.ty), "default": p.default, "doc": p.doc}))
            .collect();
        if json_out {
            println!(
                "{}",
                json!({"kind": kind, "version": stage.version(), "doc": stage.doc(),
                "inputs": stage.inputs().iter().map(|s| s.name).collect::<Vec<_>>(),
                "outputs": stage.outputs().iter().map(|s| s.name).collect::<Vec<_>>(), "params": params})
            );
        } else {
            println!("{kind} (v{}) — {}", stage.version(), stage.doc());
            println!("  inputs:  {}", stage.inputs().iter().map(|s| s.name).collect::<Vec<_>>().join(", "));
            println!("  outputs: {}", stage.outputs().iter().map(|s| s.name).collect::<Vec<_>>().join(", "));
            for p in stage.params() {
                let default = p.default.as_ref().map(|d| format!(" = {d}")).unwrap_or_default();
                println!("  param {}{default}  {}", p.name, p.doc);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
