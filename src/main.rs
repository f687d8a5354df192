fn main() -> std::process::ExitCode {
    t2d::cli::run(t2d::stages::registry())
}
