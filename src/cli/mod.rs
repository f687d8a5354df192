//! The `t2d` command line: turns flags into engine calls and results into text or JSON.
//! One place ([`run`]) turns errors into messages and exit codes.

mod args;
mod dataset;
mod doctor;
mod exec;
mod graph;
mod inspect;
mod maintenance;
mod project;
mod report;
mod worker;

use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, Command};

use crate::engine::Registry;

/// Exit code when a node failed (a pipeline or usage error exits 2).
pub const EXIT_NODE_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Runs the CLI with the given node kinds (the shipped registry, or a test registry).
pub fn run(registry: Registry) -> ExitCode {
    let cli = Cli::parse();
    init_output(cli.json);
    let result = match cli.command {
        Command::Exec(ref args) => exec::exec(&cli, args, &registry),
        Command::Status(ref args) => exec::status(&cli, args, &registry),
        Command::Graph(ref args) => graph::graph(&cli, args, &registry),
        Command::Show(ref args) => inspect::show(&cli, args, &registry),
        Command::Runs => inspect::runs(&cli),
        Command::Diff { ref run_a, ref run_b } => inspect::diff(&cli, run_a, run_b),
        Command::Gc(ref args) => maintenance::gc(&cli, args),
        Command::Verify => maintenance::verify(&cli),
        Command::Kinds => inspect::kinds(&registry, cli.json),
        Command::Doctor { ref models } => doctor::doctor(&cli, models),
        Command::Dataset(ref command) => dataset::dataset(&cli, command),
        Command::RunNode(ref args) => worker::run_node(&cli, args, &registry),
    };
    match result {
        Ok(code) => code,
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn init_output(json: bool) {
    let color = std::env::var_os("NO_COLOR").is_none() && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = miette::set_hook(Box::new(move |_| {
        let theme = if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
        Box::new(miette::GraphicalReportHandler::new_themed(theme).with_width(100))
    }));
    let filter = tracing_subscriber::EnvFilter::try_from_env("T2D_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(if json { "error" } else { "warn" }));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .without_time()
        .with_target(false)
        .try_init();
}
