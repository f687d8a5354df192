//! Loading a pipeline for a command: read, validate, find the cache.

use std::path::{Path, PathBuf};

use miette::{Context, IntoDiagnostic};

use super::args::{Cli, PipelineArgs};
use crate::engine::store::LocalStore;
use crate::engine::{validate, Pipeline, Registry};

pub struct Loaded {
    pub pipeline: Pipeline,
    pub file: String,
    pub cache_dir: PathBuf,
    pub store: LocalStore,
}

/// Relative paths in pipelines are resolved against the folder t2d runs in (the project root).
pub fn root() -> PathBuf {
    PathBuf::from(".")
}

pub fn load(cli: &Cli, args: &PipelineArgs, registry: &Registry) -> miette::Result<Loaded> {
    let file = args.pipeline.display().to_string();
    let text = std::fs::read_to_string(&args.pipeline)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot read pipeline file {file}"))?;
    let pipeline = validate(&file, &text, registry, &args.sets)?;
    let cache_dir = cache_dir(cli, pipeline.cache.as_deref());
    let store = open_store(&cache_dir)?;
    Ok(Loaded { pipeline, file, cache_dir, store })
}

pub fn cache_dir(cli: &Cli, from_pipeline: Option<&str>) -> PathBuf {
    cli.cache.clone().or_else(|| from_pipeline.map(PathBuf::from)).unwrap_or_else(|| PathBuf::from("cache"))
}

pub fn open_store(dir: &Path) -> miette::Result<LocalStore> {
    LocalStore::open(dir)
        .into_diagnostic()
        .wrap_err("cannot open the cache (set --cache or T2D_CACHE to a writable folder)")
}
