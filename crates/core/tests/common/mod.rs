//! Shared by the core's integration tests: where the public fixture corpus lives and a
//! compact, stable rendering of a report for snapshots.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::PathBuf;

use scanlens_core::model::{Outcome, State};
use scanlens_core::{fingerprint, FindingKind, Report, Severity};

/// `../shared/fixtures` beside the repository (or `SCANLENS_FIXTURES`), read in place.
pub fn fixtures_dir() -> PathBuf {
    let dir = std::env::var_os("SCANLENS_FIXTURES").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures"))
    });
    assert!(
        dir.join("index.json").is_file(),
        "the shared fixture corpus is missing at {} (set SCANLENS_FIXTURES)",
        dir.display()
    );
    dir
}

/// Every entry of the corpus index: (relative file, format tag).
pub fn index() -> Vec<(String, String)> {
    let dir = fixtures_dir();
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    index["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (f["file"].as_str().unwrap().to_string(), f["format"].as_str().unwrap().to_string())
        })
        .collect()
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn ingest_fixture(rel: &str) -> Vec<Report> {
    scanlens_core::ingest(rel, &read(rel))
}

fn clip(text: &str, max: usize) -> String {
    let one_line = fingerprint::normalise_text(text);
    match one_line.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

/// A compact, stable summary of a report: what a reviewer needs to see change.
pub fn render(report: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "format: {}", report.format.map(|f| f.as_str()).unwrap_or("-"));
    for t in &report.tools {
        let _ = writeln!(s, "tool: {} {}", t.name, t.version.as_deref().unwrap_or("-"));
    }
    let _ = writeln!(
        s,
        "scan time: {}",
        report.scan_time.map(|t| t.to_string()).unwrap_or_else(|| "-".into())
    );
    for c in &report.components {
        let identity: Vec<String> =
            c.identity.iter().take(4).map(|(k, v)| format!("{k}={}", clip(v, 40))).collect();
        let _ =
            writeln!(s, "component: {} ({:?}) {}", clip(&c.name, 80), c.kind, identity.join(" "));
    }
    let _ = writeln!(s, "findings: {}", report.findings.len());
    for kind in FindingKind::ALL {
        let of_kind: Vec<_> = report.findings.iter().filter(|f| f.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let counts: Vec<String> = Severity::ALL
            .iter()
            .map(|sev| (sev, of_kind.iter().filter(|f| f.rating.severity == *sev).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(sev, n)| format!("{sev} {n}"))
            .collect();
        let _ = writeln!(s, "  {}: {}", kind.as_str(), counts.join(", "));
    }
    for state in [State::Fixed, State::Dismissed, State::Suppressed, State::NotAffected] {
        let n = report.findings.iter().filter(|f| f.status.state == state).count();
        if n > 0 {
            let _ = writeln!(s, "  {}: {n}", state.as_str());
        }
    }
    if !report.non_findings.is_empty() {
        let mut outcomes: Vec<(Outcome, usize)> = Vec::new();
        for f in &report.non_findings {
            match outcomes.iter_mut().find(|(o, _)| *o == f.outcome) {
                Some((_, n)) => *n += 1,
                None => outcomes.push((f.outcome, 1)),
            }
        }
        let list: Vec<String> = outcomes.iter().map(|(o, n)| format!("{o:?} {n}")).collect();
        let _ = writeln!(s, "non-findings: {}", list.join(", "));
    }
    for c in &report.compliance {
        let count = |st| c.controls.iter().filter(|x| x.status == st).count();
        use scanlens_core::model::ControlStatus::*;
        let _ = writeln!(
            s,
            "compliance {}: {} controls, pass {}, fail {}, manual {}",
            c.spec_id,
            c.controls.len(),
            count(Pass),
            count(Fail),
            count(Manual)
        );
    }
    let distinct: std::collections::HashSet<u64> =
        report.findings.iter().map(|f| f.fingerprint).collect();
    let _ = writeln!(s, "distinct fingerprints: {}", distinct.len());
    for d in &report.diagnostics {
        let _ = writeln!(
            s,
            "{}: {}{}",
            d.level.as_str(),
            clip(&d.message, 160),
            d.path.as_deref().map(|p| format!(" at {p}")).unwrap_or_default()
        );
    }
    for f in report.findings.iter().take(3) {
        let loc = f
            .locations
            .first()
            .map(|l| {
                let line = l
                    .region
                    .and_then(|r| r.start_line)
                    .map(|n| format!(":{n}"))
                    .unwrap_or_default();
                format!("{}{line}", clip(l.uri.as_deref().unwrap_or("-"), 60))
            })
            .unwrap_or_else(|| "-".into());
        let cwes: Vec<String> = f.cwes.iter().map(|c| format!("CWE-{c}")).collect();
        let package = f
            .package
            .as_ref()
            .map(|p| format!(" pkg={}@{}", p.name, p.version.as_deref().unwrap_or("?")))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "- [{}] {} {} ({}) ids=[{}] cwe=[{}]{package} at {loc} state={} fp={}\n  {}",
            f.rating.severity,
            f.kind.as_str(),
            f.rule_id.as_deref().unwrap_or("-"),
            f.rating.explain(),
            f.vuln_ids.join(","),
            cwes.join(","),
            f.status.state.as_str(),
            fingerprint::to_hex(f.fingerprint),
            clip(f.message.text.as_deref().or(f.title.as_deref()).unwrap_or("-"), 120),
        );
    }
    s
}
