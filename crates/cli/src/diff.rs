//! `scanlens diff [--policy FILE] [--format text|json] OLD... -- NEW...`
//!
//! Prints new, fixed, unchanged and changed-severity counts and lists. Exit 0, or 2 on error.

use std::process::ExitCode;

use anyhow::Context as _;
use scanlens_core::aggregate::{aggregate, Aggregate, Entry};
use scanlens_core::diff::diff;
use scanlens_core::policy::{self, Policy};
use scanlens_core::Report;
use serde_json::json;

fn describe<'a>(reports: &[Report], agg: &'a Aggregate, e: usize) -> (String, &'a Entry) {
    let entry = &agg.entries[e];
    let f = entry.primary.get(reports);
    let what = f.vuln_ids.first().map(String::as_str).or(f.rule_id.as_deref()).unwrap_or("-");
    let place = f.path().map(|p| format!(" {p}")).unwrap_or_default();
    (format!("{:<8} {what}{place} in {}", entry.severity.as_str(), entry.component), entry)
}

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut policy = Policy::default();
    let mut as_json = false;
    let (mut old, mut new, mut after_separator) = (Vec::new(), Vec::new(), false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--" => after_separator = true,
            "--policy" => {
                let path = args.next().context("--policy needs a file")?;
                let text =
                    std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?;
                policy = policy::parse(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
            }
            "--format" => match args.next().map(String::as_str) {
                Some("json") => as_json = true,
                Some("text") => as_json = false,
                other => anyhow::bail!("--format takes text or json, not {other:?}"),
            },
            flag if flag.starts_with("--") => anyhow::bail!("unknown option {flag:?} for diff"),
            path if after_separator => new.push(path.to_string()),
            path => old.push(path.to_string()),
        }
    }
    if !after_separator || old.is_empty() || new.is_empty() {
        anyhow::bail!("usage: scanlens diff OLD... -- NEW...");
    }
    let (old_reports, new_reports) = (crate::read_inputs(&old)?, crate::read_inputs(&new)?);
    let (old_agg, new_agg) = (aggregate(&old_reports, &policy), aggregate(&new_reports, &policy));
    let d = diff(&old_reports, &old_agg, &new_reports, &new_agg);
    if as_json {
        let list = |reports: &[Report],
                    agg: &Aggregate,
                    items: &[usize]|
         -> Vec<serde_json::Value> {
            items
                .iter()
                .map(|&e| {
                    let (line, entry) = describe(reports, agg, e);
                    json!({"summary": line, "severity": entry.severity.as_str(), "component": &*entry.component,
                        "fingerprint": scanlens_core::fingerprint::to_hex(entry.primary.get(reports).fingerprint)})
                })
                .collect()
        };
        let changed: Vec<_> = d
            .changed_severity
            .iter()
            .map(|&(o, n)| json!({"from": old_agg.entries[o].severity.as_str(), "to": new_agg.entries[n].severity.as_str(), "summary": describe(&new_reports, &new_agg, n).0}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "new": list(&new_reports, &new_agg, &d.new),
                "fixed": list(&old_reports, &old_agg, &d.fixed),
                "unchanged": d.unchanged.len(),
                "changed_severity": changed,
            }))?
        );
    } else {
        println!(
            "new {}, fixed {}, unchanged {}, changed severity {}",
            d.new.len(),
            d.fixed.len(),
            d.unchanged.len(),
            d.changed_severity.len()
        );
        for &n in &d.new {
            println!("  new    {}", describe(&new_reports, &new_agg, n).0);
        }
        for &o in &d.fixed {
            println!("  fixed  {}", describe(&old_reports, &old_agg, o).0);
        }
        for &(o, n) in &d.changed_severity {
            println!(
                "  {} -> {}",
                old_agg.entries[o].severity,
                describe(&new_reports, &new_agg, n).0
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
