//! `fleet-worker`: one instance of a fleet. Many tasks ask for the appauth token through a
//! Redis-backed cache for a while; then one JSON line reports what they received.
#![forbid(unsafe_code)]

use clap::Parser;
use fleet::WorkerArgs;

/// One fleet instance hammering the token cache.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    args: WorkerArgs,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match fleet::run(&cli.args).await {
        Ok(report) => match serde_json::to_string(&report) {
            Ok(line) => {
                println!("{line}");
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("fleet-worker: cannot write the report: {e}");
                std::process::ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("fleet-worker: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
