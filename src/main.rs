//! The `ttx` binary: everything lives in the library; see `ttx::cli`.

fn main() -> std::process::ExitCode {
    ttx::cli::main()
}
