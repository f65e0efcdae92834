//! The `locality-atlas` command.

fn main() -> std::process::ExitCode {
    locality_atlas::cli::main()
}
