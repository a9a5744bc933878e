//! The user-facing commands of authgen, as a library: `cargo authgen` (this crate's binary) and
//! this repository's `cargo xtask` both run them, so a team's own xtask can too, in one line:
//! `authgen_cli::run(command, &project.layout, "cargo xtask")`.
//!
//! - `regen`: every page under the specs folder → descriptors and embeddable Rust (atomic;
//!   removes files no provider produces any more);
//! - `check`: fails, naming each file, when what is checked in differs from what regen writes;
//! - `describe`: any pages → descriptor JSON (diagnostics on stderr);
//! - `score`: pages against expected facts;
//! - `try`: each token endpoint end to end, against the fake built from the same descriptor or
//!   a given server;
//! - `serve --spec FILE.json`: that fake, in the foreground;
//! - `list`: providers, endpoints, which issue tokens and what they need;
//! - `openapi`: descriptors as OpenAPI 3.1 documents.
//!
//! Where pages live and where files go is found by [`config::find`] (`authgen.toml`,
//! `[package.metadata.authgen]`, or the defaults).
#![forbid(unsafe_code)]

pub mod config;
pub mod list;
pub mod openapi;
pub mod regen;
pub mod score;
pub mod try_page;

use std::path::PathBuf;
use std::process::ExitCode;

use authgen_descriptor::parse::Layout;
use clap::Subcommand;

/// The user-facing commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read every page under the specs folder and write the descriptors and embeddable Rust
    /// (only files whose content changes; with any error, nothing).
    Regen {
        /// Print only errors and the summary table, not warnings.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Fail, naming each file, when the checked-in descriptors or generated files differ from
    /// what regen would write (or no provider produces them).
    Check,
    /// Read any pages (also outside the specs folder, no manifest needed): descriptor JSON on
    /// stdout, diagnostics on stderr.
    Describe {
        /// Page files (.md, .mdx, .html, .json, .adoc, .rst, .wiki, .org, .txt, .apib).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the blocks the reader made of each page instead of the descriptor.
        #[arg(long)]
        blocks: bool,
    },
    /// Score pages against their expected facts (`expected/<stem>.json` beside `pages/`).
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
    /// Serve a descriptor (`--spec FILE.json`) as documented, with the fake `try` uses, until
    /// stopped, printing the credentials it accepts (authgen's own `cargo xtask serve` without
    /// `--spec` serves its seed providers' fakes).
    Serve {
        /// Port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 8480)]
        port: u16,
        /// The descriptor JSON file to serve.
        #[arg(long, value_name = "FILE.json")]
        spec: Option<PathBuf>,
    },
    /// List the descriptors: providers, endpoints, methods, paths, which endpoints issue tokens
    /// and what each needs.
    List,
    /// Export descriptors as OpenAPI 3.1 documents (JSON, or YAML with `--yaml`), with
    /// `x-authgen-*` extensions for what OpenAPI cannot say; reading one back gives the same
    /// descriptor.
    Openapi {
        /// One provider (default: every descriptor).
        provider: Option<String>,
        /// Where to write `<provider>.json` (default: the specs folder's `openapi/`).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Write YAML (`<provider>.yaml`) instead of JSON.
        #[arg(long)]
        yaml: bool,
    },
}

/// Runs a command on a project's layout; `program` is how the user invoked it (`cargo authgen`),
/// for the hints printed. Paths given on the command line are relative to the current folder.
pub fn run(command: Command, layout: &Layout, program: &str) -> Result<ExitCode, String> {
    match command {
        Command::Regen { quiet } => regen::regen(layout, quiet),
        Command::Check => regen::check(layout, program),
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
            check_floor.as_deref(),
            write_floor.as_deref(),
        ),
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
        Command::Serve {
            port,
            spec: Some(spec),
        } => try_page::serve_spec(&spec, port).map(|()| ExitCode::SUCCESS),
        Command::Serve { spec: None, .. } => Err(format!(
            "`{program} serve` needs `--spec FILE.json`: the descriptor to serve"
        )),
        Command::List => list::list(layout),
        Command::Openapi {
            provider,
            out,
            yaml,
        } => openapi::export(layout, provider.as_deref(), out.as_deref(), yaml),
    }
}
