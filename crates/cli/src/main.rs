//! `scanlens`: the command-line face of scanlens-core. Glue only: argument parsing, file
//! reading and exit codes; every rule lives in the core crate.
//!
//! Exit codes: 0 success (gate passed), 1 gate failed, 2 error.

use std::process::ExitCode;

const USAGE: &str = "\
scanlens: read security-scan results

usage:
  scanlens --version
  scanlens --help
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("scanlens: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => {
            println!("scanlens {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Some("--help" | "-h") | None => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => anyhow::bail!("unknown command {other:?}; see `scanlens --help`"),
    }
}
