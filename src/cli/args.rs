//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "t2d",
    version,
    about = "Turn a catalogue of fashion photos into new design concepts, one per discovered trend, through a declarative, cached pipeline."
)]
pub struct Cli {
    /// Cache folder (default: the pipeline's `cache:`, else ./cache).
    #[arg(long, global = true, env = "T2D_CACHE")]
    pub cache: Option<PathBuf>,
    /// Print machine-readable JSON lines instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a pipeline, reusing every cached node whose inputs did not change.
    Exec(ExecArgs),
    /// Say, for every node, whether it would run and why (same as `exec --dry-run`).
    Status(PipelineArgs),
    /// Print the pipeline's DAG as Graphviz dot or Mermaid, coloured by cache status.
    Graph(GraphArgs),
    /// Show params, keys and stored outputs of a pipeline's nodes.
    Show(ShowArgs),
    /// List recorded runs, newest last.
    Runs,
    /// Compare two runs: params that differ and nodes whose outputs differ.
    Diff { run_a: String, run_b: String },
    /// Delete cache entries and objects that no kept run reaches.
    Gc(GcArgs),
    /// Rehash every stored object; drop damaged ones and the entries that need them.
    Verify,
    /// List the node kinds this build knows, with their params.
    Kinds,
    /// Make datasets for tests and demos.
    #[command(subcommand)]
    Dataset(DatasetCommand),
    /// Check ONNX Runtime (library, version, providers) and every model folder.
    Doctor {
        /// Folder holding model folders.
        #[arg(long, default_value = "models")]
        models: PathBuf,
    },
    /// Run one node's job from a job file (the worker side of remote executors).
    RunNode(RunNodeArgs),
}

#[derive(Subcommand, Debug)]
pub enum DatasetCommand {
    /// Write a synthetic catalogue in the Kaggle layout (styles.csv + images/{id}.jpg), with the
    /// real file's defects: malformed rows, ids without images, corrupt images.
    Synth {
        /// Folder to create (must be empty or absent).
        #[arg(long)]
        out: PathBuf,
        /// Number of products.
        #[arg(long, default_value_t = 600)]
        n: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

#[derive(Args, Debug, Clone)]
pub struct PipelineArgs {
    /// The pipeline YAML file.
    pub pipeline: PathBuf,
    /// Override a param: `node.param=value` or `pipeline_param=value` (repeatable; values are YAML).
    #[arg(long = "set", short = 'S', value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ExecArgs {
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// Say what would run and why; run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Nodes to run at most at once (default: the number of cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Recompute this node even if cached (repeatable).
    #[arg(long, value_name = "NODE")]
    pub force: Vec<String>,
    /// Where to run nodes: in this process, or one `t2d run-node` process per node.
    #[arg(long, value_enum, default_value_t = ExecutorKind::InProcess)]
    pub executor: ExecutorKind,
    /// Folder under which `<pipeline name>/` receives the final artifacts.
    #[arg(long, default_value = "outputs")]
    pub outputs: PathBuf,
    /// Run every model on this device: auto (CUDA when it loads, else CPU), cpu, cuda or cuda:N.
    /// Overrides the nodes' `device` params; never changes a cache key.
    #[arg(long, value_parser = parse_device)]
    pub device: Option<String>,
}

fn parse_device(text: &str) -> Result<String, String> {
    text.parse::<crate::models::Device>().map(|_| text.to_string()).map_err(|e| e.to_string())
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecutorKind {
    InProcess,
    Subprocess,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// Only this node.
    pub node: Option<String>,
}

#[derive(Args, Debug)]
pub struct GcArgs {
    /// Keep everything the newest N runs reach.
    #[arg(long, default_value_t = 5)]
    pub keep_runs: usize,
    /// Keep fewer runs while the kept objects exceed this size (e.g. 500M, 2G).
    #[arg(long, value_parser = parse_size)]
    pub max_size: Option<u64>,
}

#[derive(Args, Debug)]
pub struct RunNodeArgs {
    /// Folder that relative paths in params are resolved against.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The job file written by the coordinator.
    pub job: PathBuf,
}

/// Parses sizes such as `750`, `500K`, `500M`, `2G`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len()));
    let number: f64 = digits.parse().map_err(|_| format!("`{text}` is not a size; use e.g. 500M or 2G"))?;
    let scale = match unit.trim().to_ascii_uppercase().trim_end_matches("IB").trim_end_matches('B') {
        "" => 1u64,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return Err(format!("`{text}`: unknown unit `{unit}`; use K, M, G or T")),
    };
    Ok((number * scale as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("500M"), Ok(500 << 20));
        assert_eq!(parse_size("10"), Ok(10));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("3X").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
