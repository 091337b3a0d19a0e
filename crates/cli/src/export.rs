//! `scanlens export --csv OUT FILE...`: every finding as CSV (columns in
//! `scanlens_core::export::CSV_COLUMNS`); `-` writes to standard output.

use std::process::ExitCode;

use anyhow::Context as _;

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut out = None;
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--csv" => {
                out = Some(args.next().context("--csv needs an output file (or -)")?.clone())
            }
            flag if flag.starts_with("--") => anyhow::bail!("unknown option {flag:?} for export"),
            path => paths.push(path.to_string()),
        }
    }
    let out = out.context("export needs --csv OUT")?;
    let reports = crate::read_inputs(&paths)?;
    let text = scanlens_core::export::csv(&reports);
    crate::write_output(&out, text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
