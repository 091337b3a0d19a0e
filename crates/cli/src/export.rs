//! `scanlens export [--csv OUT] [--json OUT] [--policy FILE] [--generated RFC3339] FILE...`:
//! every finding as CSV (columns in `scanlens_core::export::CSV_COLUMNS`), and the latest
//! build's normalised model as JSON (schema `scanlens-model/1`, docs/model-json.md), the
//! same bytes as the page's Download JSON; `-` writes to standard output.

use std::process::ExitCode;

use anyhow::Context as _;

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let (mut csv, mut json, mut policy, mut generated) = (None, None, None, None);
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--csv" => {
                csv = Some(args.next().context("--csv needs an output file (or -)")?.clone())
            }
            "--json" => {
                json = Some(args.next().context("--json needs an output file (or -)")?.clone())
            }
            "--policy" => policy = Some(args.next().context("--policy needs a file")?.clone()),
            "--generated" => generated = Some(crate::report::time_arg("--generated", args.next())?),
            flag if flag.starts_with("--") => anyhow::bail!("unknown option {flag:?} for export"),
            path => paths.push(path.to_string()),
        }
    }
    if csv.is_none() && json.is_none() {
        anyhow::bail!("export needs --csv OUT or --json OUT");
    }
    if let Some(out) = csv {
        let reports = crate::read_inputs(&paths)?;
        crate::write_output(&out, scanlens_core::export::csv(&reports).as_bytes())?;
    }
    if let Some(out) = json {
        let mut session = crate::report::session(policy.as_deref(), &paths)?;
        let text = session.export_json(crate::report::generation_time(generated)?);
        crate::write_output(&out, text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}
