//! The `locality-atlas` command.

/// The server allocates and frees many small buffers per tile; mimalloc does that faster than
/// the system allocator under concurrent load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    locality_atlas::cli::main()
}
