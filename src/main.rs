//! The `t2d` command line.

/// mimalloc reuses freed pages instead of faulting in fresh zeroed ones: a no-op exec over a
/// 44,000-file dataset spends a fifth of its time in page faults with the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    t2d::cli::run(t2d::stages::registry())
}
