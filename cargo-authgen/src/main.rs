//! `cargo authgen`: the user-facing commands in any project (`cargo install --path cargo-authgen`).
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

// Reading pages allocates many small strings; mimalloc does that about 10% faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Cargo runs `cargo-authgen authgen <args>` for `cargo authgen <args>`.
#[derive(Parser)]
#[command(name = "cargo", bin_name = "cargo")]
enum Cargo {
    /// Token-endpoint documentation pages into descriptors and typed Rust clients.
    Authgen(Cli),
}

#[derive(clap::Args)]
#[command(version, about, long_about = None)]
struct Cli {
    /// The specs folder (default: from authgen.toml, [package.metadata.authgen], or `specs`).
    #[arg(long, global = true, value_name = "DIR")]
    specs: Option<PathBuf>,
    #[command(subcommand)]
    command: authgen_cli::Command,
}

fn main() -> ExitCode {
    let Cargo::Authgen(cli) = Cargo::parse();
    let result = std::env::current_dir()
        .map_err(|e| format!("cannot read the current folder: {e}"))
        .and_then(|cwd| authgen_cli::config::find(&cwd, cli.specs.as_deref()))
        .and_then(|project| authgen_cli::run(cli.command, &project.layout, "cargo authgen"));
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
