//! The command line (DESIGN.md "Command line").
pub fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
