//! Project commands, run as `cargo xtask <command>`.
#![forbid(unsafe_code)]

mod bench_build;
#[cfg(feature = "demo")]
mod demo;
mod regen;
mod score;
mod try_page;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Reading pages allocates many small strings (cells, names, html5ever's tokens); mimalloc does
// that about 10% faster than the system allocator over the pages benchmark.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// authgen's project commands.
#[derive(Parser)]
#[command(name = "xtask", bin_name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read every page in specs/ and write the descriptors (only files whose content changes).
    Regen {
        /// The specs folder.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Print only errors and the summary table, not warnings.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Fail, naming each file, when the checked-in descriptors differ from what regen would write.
    Check {
        /// The specs folder.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
    },
    /// The main job's showcase: fake providers in-process, the generated clients fetching,
    /// caching, refreshing and recovering (no network, no credentials).
    Demo,
    /// Benchmark: build time of a crate with N #[token_endpoint] structs vs the embedded source.
    BenchBuild {
        /// How many client structs each crate declares.
        #[arg(long, default_value_t = 100)]
        structs: usize,
        /// Measured rounds (the median is reported).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Run the fake providers in the foreground and print their address: the seed fakes, or
    /// with `--spec` the fake built from any descriptor.
    Serve {
        /// Port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 8480)]
        port: u16,
        /// A descriptor JSON file to serve as documented.
        #[arg(long, value_name = "FILE.json")]
        spec: Option<PathBuf>,
    },
    /// Describe pages and run each token endpoint end to end: against the fake built from the
    /// same descriptor (made-up credentials), or a server given by `--base-url` or `--env`
    /// (credentials by `--set NAME=VALUE`, NAME as the page names the parameter; HTTP Basic
    /// ones are the names the descriptor gives, `client_id`/`client_secret` by default).
    Try {
        /// Page files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// A server to call instead of the fake.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// A credential, `NAME=VALUE` (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// Call the page's base URL of this environment instead of the fake.
        #[arg(long, value_name = "ENV")]
        env: Option<String>,
    },
    /// Read any pages (also outside specs/, no manifest needed): descriptor JSON on stdout,
    /// diagnostics on stderr.
    Describe {
        /// Page files (.md, .mdx, .html, JSON-wrapped HTML, or .txt of any of those).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the blocks the reader made of each page (headings, paragraphs, tables, code,
        /// with their lines) instead of the descriptor: what the extractors see.
        #[arg(long)]
        blocks: bool,
    },
    /// Score pages against their expected facts (`expected/<stem>.json` beside their `pages/`
    /// folder): per page the facts found / expected, misses, spurious parameters and endpoints,
    /// conflicts; then the total.
    Score {
        /// Pages or folders of pages (a corpus folder holding `pages/` and `expected/` works too).
        #[arg(default_value = "corpus")]
        paths: Vec<PathBuf>,
        /// Print only the per-page lines and the total, not the misses.
        #[arg(long, short)]
        quiet: bool,
        /// Fail when a page scores below its floor in this file (`<page> <facts found>` lines).
        #[arg(long, value_name = "FILE")]
        check_floor: Option<PathBuf>,
        /// Write this run's scores as the new floor.
        #[arg(long, value_name = "FILE")]
        write_floor: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Regen { specs, quiet } => regen::regen(&root.join(specs), quiet),
        Command::Check { specs } => regen::check(&root.join(specs)),
        Command::Describe { paths, blocks } => {
            if blocks {
                regen::blocks(&paths)
            } else {
                regen::describe(&paths)
            }
        }
        Command::Score {
            paths,
            quiet,
            check_floor,
            write_floor,
        } => score::score(
            &paths,
            quiet,
            check_floor.map(|f| root.join(f)).as_deref(),
            write_floor.map(|f| root.join(f)).as_deref(),
        ),
        Command::BenchBuild { structs, rounds } => {
            bench_build::bench_build(&root, structs, rounds.max(1)).map(|()| ExitCode::SUCCESS)
        }
        #[cfg(feature = "demo")]
        Command::Demo => demo::demo().map(|()| ExitCode::SUCCESS),
        Command::Serve {
            port,
            spec: Some(spec),
        } => try_page::serve_spec(&root.join(spec), port).map(|()| ExitCode::SUCCESS),
        #[cfg(feature = "demo")]
        Command::Serve { port, spec: None } => demo::serve(port).map(|()| ExitCode::SUCCESS),
        Command::Try {
            paths,
            base_url,
            set,
            env,
        } => try_page::try_pages(&try_page::TryOptions {
            paths,
            base_url,
            set,
            env,
        }),
        #[cfg(not(feature = "demo"))]
        Command::Demo | Command::Serve { spec: None, .. } => Err(
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
