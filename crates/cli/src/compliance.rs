//! `scanlens compliance --framework ID [--component NAME] [--policy FILE] [--json] FILE...`
//!
//! ID is `owasp-2021`, `owasp-2025` or a Trivy spec id (`docker-cis-1.6.0`, `k8s-cis-1.23`, …).
//! Exit 0 when no control fails, 1 when any does, 2 on error.

use std::process::ExitCode;

use anyhow::Context as _;
use scanlens_core::aggregate::aggregate;
use scanlens_core::compliance::{checklists, specs, Framework, Origin, Status};
use scanlens_core::policy::{self, Policy};
use serde_json::json;

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let (mut framework, mut component, mut as_json, mut policy) =
        (None, None, false, Policy::default());
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--framework" => {
                let id = args.next().context("--framework needs an id")?;
                let known: Vec<&str> = ["owasp-2021", "owasp-2025"]
                    .into_iter()
                    .chain(specs().iter().map(|s| s.id))
                    .collect();
                framework = Some(Framework::by_id(id).with_context(|| {
                    format!("unknown framework {id:?}; known: {}", known.join(", "))
                })?);
            }
            "--component" => {
                component = Some(args.next().context("--component needs a name")?.clone())
            }
            "--json" => as_json = true,
            "--policy" => {
                let path = args.next().context("--policy needs a file")?;
                let text =
                    std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?;
                policy = policy::parse(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
            }
            flag if flag.starts_with("--") => {
                anyhow::bail!("unknown option {flag:?} for compliance")
            }
            path => paths.push(path.to_string()),
        }
    }
    let framework = framework
        .context("usage: scanlens compliance --framework ID [--component NAME] [--json] FILE...")?;
    let reports = crate::read_inputs(&paths)?;
    let agg = aggregate(&reports, &policy);
    let lists = checklists(&reports, &agg, &policy, framework, component.as_deref());
    if lists.is_empty() {
        anyhow::bail!(
            "nothing to check: no component{} in the inputs",
            component.map(|c| format!(" named {c:?}")).unwrap_or_default()
        );
    }
    let describe = |e: usize| {
        let entry = &agg.entries[e];
        let f = entry.primary.get(&reports);
        let what = f.vuln_ids.first().map(String::as_str).or(f.rule_id.as_deref()).unwrap_or("-");
        format!(
            "{} {what}{}",
            entry.severity.as_str(),
            f.path().map(|p| format!(" {p}")).unwrap_or_default()
        )
    };
    let origin = |o: &Origin| match o {
        Origin::Derived => "derived from findings".to_string(),
        Origin::Report(r) => format!("Trivy compliance report {}", reports[*r].file_name),
    };
    if as_json {
        let out: Vec<_> = lists
            .iter()
            .map(|l| {
                let s = l.summary();
                json!({
                    "framework": l.framework, "title": l.title, "component": l.component, "origin": origin(&l.origin),
                    "summary": {"pass": s.pass, "fail": s.fail, "warn": s.warn, "manual": s.manual, "not_assessed": s.not_assessed, "total": s.total, "score": s.score},
                    "controls": l.controls.iter().map(|c| json!({
                        "id": c.id, "name": c.name, "status": c.status.as_str(), "note": c.note, "description": c.description,
                        "evidence": c.evidence.iter().map(|&e| describe(e)).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "outside_top_10": l.outside.iter().map(|&e| describe(e)).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&json!({"checklists": out}))?);
    } else {
        for l in &lists {
            let s = l.summary();
            println!(
                "{} for {} ({}): {} pass, {} fail, {} warn, {} manual, {} not assessed of {}; score {:.0}%",
                l.title, l.component, origin(&l.origin), s.pass, s.fail, s.warn, s.manual, s.not_assessed, s.total, s.score * 100.0
            );
            for c in &l.controls {
                let note = c.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
                println!("  {:<12} {:<8} {}{note}", c.status.as_str(), c.id, c.name);
                for &e in c.evidence.iter().take(5) {
                    println!("      {}", describe(e));
                }
                if c.evidence.len() > 5 {
                    println!("      … and {} more", c.evidence.len() - 5);
                }
            }
            if !l.outside.is_empty() {
                println!("  outside the Top 10: {} finding(s)", l.outside.len());
            }
        }
    }
    let failed = lists.iter().any(|l| l.controls.iter().any(|c| c.status == Status::Fail));
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
