//! `scanlens merge`: one SARIF log that re-ingests to the same findings and severities.

mod common;

use scanlens_core::aggregate::aggregate;
use scanlens_core::merge::{sarif, MAX_RUNS};
use scanlens_core::model::State;
use scanlens_core::policy::Policy;
use scanlens_core::{FormatId, Report};

fn inputs() -> Vec<Report> {
    let mut reports = Vec::new();
    for file in [
        "trivy/fs-scan-large-vuln-misconfig-secret.json",
        "grype/busybox-epss-risk-v0.94.json",
        "codeql/juice-shop-javascript-codeql-2.8.3.sarif",
        "gosec/go-ethereum-nosec-suppressions.json",
        "dependabot/psychomodels-alerts-129-mixed-states.json",
        "govulncheck/expense-tracker-v1.1.4-stream.json",
        "grype/old-grype-0.7-negligible.json",
    ] {
        reports.extend(common::ingest_fixture(file));
    }
    for own in ["dedup/trivy-app.json", "dedup/grype-app.json"] {
        let path = format!("{}/tests/fixtures/{own}", env!("CARGO_MANIFEST_DIR"));
        reports.extend(scanlens_core::ingest(own, &std::fs::read(path).unwrap()));
    }
    reports
}

type Key = (String, Option<String>, Option<String>, bool);

fn key(severity: &str, rule: Option<&str>, path: Option<&str>, open: bool) -> Key {
    (severity.to_string(), rule.map(String::from), path.map(|p| p.replace('\\', "/")), open)
}

#[test]
fn a_merged_log_re_ingests_to_the_same_findings_and_severities() {
    let reports = inputs();
    let agg = aggregate(&reports, &Policy::default());
    let text = sarif(&reports, &agg).unwrap();
    let back = scanlens_core::ingest("merged.sarif", text.as_bytes());
    let merged = &back[0];
    assert_eq!(merged.format, Some(FormatId::Sarif));
    assert!(merged.diagnostics.is_empty(), "{:?}", merged.diagnostics);
    assert_eq!(merged.findings.len(), agg.entries.len(), "one result per entry");

    let mut before: Vec<Key> = agg
        .entries
        .iter()
        .map(|e| {
            let f = e.primary.get(&reports);
            let rule = f
                .rule_id
                .as_deref()
                .map(str::to_string)
                .or_else(|| f.vuln_ids.first().cloned())
                .or_else(|| f.title.as_deref().map(str::to_string));
            let path = f
                .path()
                .map(str::to_string)
                .or_else(|| Some(f.target.as_deref().unwrap_or(&e.component).to_string()));
            key(e.severity.as_str(), rule.as_deref(), path.as_deref(), e.state == State::Open)
        })
        .collect();
    let mut after: Vec<Key> = merged
        .findings
        .iter()
        .map(|f| {
            key(
                f.rating.severity.as_str(),
                f.rule_id.as_deref(),
                f.path(),
                f.status.state == State::Open,
            )
        })
        .collect();
    before.sort();
    after.sort();
    assert_eq!(before, after);
    assert!(merged.findings.iter().all(|f| f.rating.source == "scanlens merged severity"));
    assert!(
        agg.entries.iter().any(|e| e.severity == scanlens_core::Severity::Unknown),
        "the inputs include unknown severities"
    );
}

#[test]
fn the_merged_log_has_the_shape_github_code_scanning_accepts() {
    let reports = inputs();
    let agg = aggregate(&reports, &Policy::default());
    let log: serde_json::Value = serde_json::from_str(&sarif(&reports, &agg).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert!(!runs.is_empty() && runs.len() <= MAX_RUNS);
    let mut categories: Vec<&str> =
        runs.iter().map(|r| r["automationDetails"]["id"].as_str().unwrap()).collect();
    categories.sort();
    let count = categories.len();
    categories.dedup();
    assert_eq!(categories.len(), count, "one category per run");
    for run in runs {
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert!(run["tool"]["driver"]["name"].as_str().is_some_and(|n| !n.is_empty()));
        for result in run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert!(result["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
            assert!(
                ["error", "warning", "note", "none"].contains(&result["level"].as_str().unwrap())
            );
            assert!(!result["locations"].as_array().unwrap().is_empty());
            let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(!uri.contains('\\'), "{uri}");
            if let Some(line) =
                result["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64()
            {
                assert!(line >= 1);
            }
            assert!(result["partialFingerprints"]["scanlens/v1"].is_string());
        }
    }
}
