//! `scanlens merge -o OUT.sarif [--policy FILE] FILE...`: one SARIF 2.1.0 log that GitHub
//! code scanning accepts, from every input, deduplicated.

use std::process::ExitCode;

use anyhow::Context as _;
use scanlens_core::aggregate::aggregate;
use scanlens_core::policy::{self, Policy};

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut out = None;
    let mut policy = Policy::default();
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-o" | "--output" => out = Some(args.next().context("-o needs a file")?.clone()),
            "--policy" => {
                let path = args.next().context("--policy needs a file")?;
                let text =
                    std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?;
                policy = policy::parse(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
            }
            flag if flag.starts_with('-') => anyhow::bail!("unknown option {flag:?} for merge"),
            path => paths.push(path.to_string()),
        }
    }
    let out = out.context("usage: scanlens merge -o OUT.sarif FILE...")?;
    let reports = crate::read_inputs(&paths)?;
    let aggregate = aggregate(&reports, &policy);
    let log =
        scanlens_core::merge::sarif(&reports, &aggregate).map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(&out, log).with_context(|| format!("cannot write {out}"))?;
    println!(
        "wrote {out}: {} results from {} findings in {} files ({} merged across tools)",
        aggregate.entries.len(),
        aggregate.findings(),
        reports.len(),
        aggregate.merged
    );
    Ok(ExitCode::SUCCESS)
}
