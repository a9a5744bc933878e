//! Project commands, run as `cargo xtask <command>`.
#![forbid(unsafe_code)]

mod bench_build;
#[cfg(feature = "demo")]
mod demo;

use std::path::PathBuf;
use std::process::ExitCode;

use authgen_descriptor::parse::Layout;
use clap::{Parser, Subcommand};

// Reading pages allocates many small strings (cells, names, html5ever's tokens); mimalloc does
// that about 10% faster than the system allocator over the pages benchmark.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// authgen's project commands: the user-facing ones (the same code as `cargo authgen`), on this
/// workspace's `specs/`, and the ones about developing authgen itself.
#[derive(Parser)]
#[command(name = "xtask", bin_name = "cargo xtask", version, about)]
struct Cli {
    /// The specs folder, relative to the workspace root.
    #[arg(long, global = true, default_value = "specs", value_name = "DIR")]
    specs: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Authgen(authgen_cli::Command),
    /// The main job's showcase: fake providers in-process, the generated clients fetching,
    /// caching, refreshing and recovering (no network, no credentials).
    Demo,
    /// Benchmark: build time of a crate with N `#[token_endpoint]` structs vs the embedded source.
    BenchBuild {
        /// How many client structs each crate declares.
        #[arg(long, default_value_t = 100)]
        structs: usize,
        /// Measured rounds (the median is reported).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let layout = Layout::under(&root.join(&cli.specs));
    let result = match cli.command {
        // Without `--spec`, `serve` runs the seed providers' fakes (the demo's).
        #[cfg(feature = "demo")]
        Command::Authgen(authgen_cli::Command::Serve { port, spec: None }) => {
            demo::serve(port).map(|()| ExitCode::SUCCESS)
        }
        Command::Authgen(command) => authgen_cli::run(command, &layout, "cargo xtask"),
        Command::BenchBuild { structs, rounds } => {
            bench_build::bench_build(&root, structs, rounds.max(1)).map(|()| ExitCode::SUCCESS)
        }
        #[cfg(feature = "demo")]
        Command::Demo => demo::demo().map(|()| ExitCode::SUCCESS),
        #[cfg(not(feature = "demo"))]
        Command::Demo => Err(
            "this xtask was built without the `demo` feature (for regenerating broken generated code): run `cargo xtask demo` once `regen` is done".to_owned(),
        ),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, so `cargo xtask` works from any sub-folder.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
