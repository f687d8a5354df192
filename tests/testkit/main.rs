//! `t2d-testkit`: the real `t2d` command line with test-only node kinds, so integration
//! tests can count runs, inject failures and pause nodes. Never part of the shipped registry.

mod kinds;

/// The same allocator as `t2d` (see src/main.rs), so timings of this binary stand for it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    t2d::cli::run(kinds::registry())
}
