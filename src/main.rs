//! The `figwatch` binary: parse the command line, start tracing, run, and map
//! the outcome to an exit status (0 ok, 1 runtime failure, 2 usage or config
//! error).

fn main() -> std::process::ExitCode {
    figwatch::cli::main()
}
