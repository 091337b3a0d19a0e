//! `scanlens gate [--fail-on SEVERITY] [--policy FILE] [--format text|json] FILE...`
//!
//! Exit 0 when the gate passes, 1 when it fails, 2 on error.

use std::process::ExitCode;

use anyhow::Context as _;
use scanlens_core::aggregate::{aggregate, Entry};
use scanlens_core::gate::{evaluate, Verdict};
use scanlens_core::policy::{self, Policy};
use scanlens_core::{Report, Severity};
use serde_json::json;

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut fail_on = None;
    let mut policy_path = None;
    let mut as_json = false;
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--fail-on" => {
                let value = args.next().context("--fail-on needs a severity")?;
                fail_on = Some(Severity::parse(value).with_context(|| format!("--fail-on {value:?} is not a severity (critical, high, medium, low, info, unknown)"))?);
            }
            "--policy" => policy_path = Some(args.next().context("--policy needs a file")?.clone()),
            "--format" => match args.next().map(String::as_str) {
                Some("json") => as_json = true,
                Some("text") => as_json = false,
                other => anyhow::bail!("--format takes text or json, not {other:?}"),
            },
            flag if flag.starts_with("--") => anyhow::bail!("unknown option {flag:?} for gate"),
            path => paths.push(path.to_string()),
        }
    }
    let mut policy = match &policy_path {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?;
            policy::parse(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))?
        }
        None => Policy::default(),
    };
    if let Some(severity) = fail_on {
        policy.fail_on = severity;
    }
    let reports = crate::read_inputs(&paths)?;
    let aggregate = aggregate(&reports, &policy);
    let verdict = evaluate(&reports, &aggregate, &policy, crate::now());
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&verdict_json(
                &reports,
                &aggregate.entries,
                &policy,
                &verdict,
                aggregate.merged
            ))?
        );
    } else {
        print!(
            "{}",
            verdict_text(&reports, &aggregate.entries, &policy, &verdict, aggregate.merged)
        );
        for &(r, s) in &aggregate.vex_unmatched {
            let statement = &reports[r].vex[s];
            println!(
                "VEX statement about {} in {} matched no finding",
                statement.vulnerability, reports[r].file_name
            );
        }
    }
    Ok(if verdict.passed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn entry_json(reports: &[Report], entry: &Entry) -> serde_json::Value {
    let f = entry.primary.get(reports);
    json!({
        "severity": entry.severity.as_str(),
        "kind": f.kind.as_str(),
        "rule_id": f.rule_id.as_deref(),
        "title": f.title.as_deref(),
        "ids": f.vuln_ids,
        "component": &*entry.component,
        "package": f.package.as_ref().map(|p| json!({"name": p.name, "version": p.version, "fixed": &p.fixed_versions[..]})),
        "path": f.path(),
        "line": f.locations.first().and_then(|l| l.region).and_then(|r| r.start_line),
        "fingerprint": scanlens_core::fingerprint::to_hex(f.fingerprint),
        "why": f.rating.explain(),
        "sources": entry.sources.iter().map(|s| scanlens_core::merge::source_json(reports, *s)).collect::<Vec<_>>(),
    })
}

fn verdict_json(
    reports: &[Report],
    entries: &[Entry],
    policy: &Policy,
    verdict: &Verdict,
    merged: usize,
) -> serde_json::Value {
    json!({
        "passed": verdict.passed,
        "fail_on": verdict.fail_on.as_str(),
        "findings": entries.len() + merged,
        "entries": entries.len(),
        "merged": merged,
        "failing": verdict.failing.iter().map(|&e| entry_json(reports, &entries[e])).collect::<Vec<_>>(),
        "excused": verdict.excused.iter().map(|&(e, x)| {
            let mut v = entry_json(reports, &entries[e]);
            v["excused"] = json!(scanlens_core::gate::explain(reports, &entries[e], x, policy));
            v
        }).collect::<Vec<_>>(),
        "expired_ignores": verdict.expired_ignores.iter().map(|&i| {
            let rule = &policy.ignores[i];
            json!({"line": rule.line, "justification": rule.justification, "expired": rule.expires.map(|t| t.to_string())})
        }).collect::<Vec<_>>(),
        "policy_sha256": (!policy.sha256.is_empty()).then_some(&policy.sha256),
    })
}

fn entry_line(reports: &[Report], entry: &Entry) -> String {
    let f = entry.primary.get(reports);
    let what = f.vuln_ids.first().map(String::as_str).or(f.rule_id.as_deref()).unwrap_or("-");
    let package = f
        .package
        .as_ref()
        .map(|p| format!(" {}@{}", p.name, p.version.as_deref().unwrap_or("?")))
        .unwrap_or_default();
    let place = f.path().map(|p| match f.locations[0].region.and_then(|r| r.start_line) {
        Some(line) => format!(" {p}:{line}"),
        None => format!(" {p}"),
    });
    let mut tools: Vec<&str> = entry
        .sources
        .iter()
        .filter_map(|s| reports[s.report].tools.get(s.get(reports).tool).map(|t| t.name.as_str()))
        .collect();
    tools.dedup();
    format!(
        "  {:<8} {what}{package}{} [{}] in {}",
        entry.severity.as_str(),
        place.unwrap_or_default(),
        tools.join(", "),
        entry.component
    )
}

fn verdict_text(
    reports: &[Report],
    entries: &[Entry],
    policy: &Policy,
    verdict: &Verdict,
    merged: usize,
) -> String {
    let mut out = String::new();
    let total = entries.len() + merged;
    if verdict.passed {
        out.push_str(&format!("PASS: no finding at or above {} fails the gate ({total} findings, {merged} merged across tools)\n", verdict.fail_on));
    } else {
        out.push_str(&format!(
            "FAIL: {} finding(s) at or above {} ({total} findings, {merged} merged across tools)\n",
            verdict.failing.len(),
            verdict.fail_on
        ));
        for &e in &verdict.failing {
            out.push_str(&entry_line(reports, &entries[e]));
            out.push('\n');
        }
    }
    if !verdict.excused.is_empty() {
        out.push_str(&format!("not failing the gate ({}):\n", verdict.excused.len()));
        for &(e, excuse) in &verdict.excused {
            out.push_str(&format!(
                "{} ({})\n",
                entry_line(reports, &entries[e]),
                scanlens_core::gate::explain(reports, &entries[e], excuse, policy)
            ));
        }
    }
    for &i in &verdict.expired_ignores {
        let rule = &policy.ignores[i];
        out.push_str(&format!(
            "expired ignore rule (line {}): {} — it no longer applies\n",
            rule.line, rule.justification
        ));
    }
    out
}
