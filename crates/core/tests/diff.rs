//! New, fixed, unchanged and changed-severity between two builds.

mod common;

use scanlens_core::aggregate::aggregate;
use scanlens_core::diff::diff;
use scanlens_core::policy::Policy;
use scanlens_core::Report;

fn doc(name: &str, text: &str) -> Vec<Report> {
    scanlens_core::ingest(name, text.as_bytes())
}

fn compare(old: &[Report], new: &[Report]) -> scanlens_core::diff::Diff {
    let policy = Policy::default();
    diff(old, &aggregate(old, &policy), new, &aggregate(new, &policy))
}

fn sarif(results: &str) -> String {
    format!(
        r#"{{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "lint", "rules": [{{"id": "R1"}}, {{"id": "R2"}}]}}}},
        "automationDetails": {{"id": "app/lint/"}}, "results": [{results}]}}]}}"#
    )
}

fn result(rule: &str, line: u32, snippet: &str) -> String {
    format!(
        r#"{{"ruleId": "{rule}", "level": "error", "message": {{"text": "bad call"}},
        "locations": [{{"physicalLocation": {{"artifactLocation": {{"uri": "src/main.c"}}, "region": {{"startLine": {line}, "snippet": {{"text": "{snippet}"}}}}}}}}]}}"#
    )
}

#[test]
fn a_finding_moved_ten_lines_down_is_unchanged() {
    let old = doc(
        "build-41/lint.sarif",
        &sarif(
            &[result("R1", 12, "strcpy(buf, input);"), result("R2", 40, "gets(line);")].join(","),
        ),
    );
    let new = doc(
        "build-42/lint.sarif",
        &sarif(
            &[result("R1", 22, "  strcpy(buf, input);"), result("R1", 90, "sprintf(out, fmt);")]
                .join(","),
        ),
    );
    let d = compare(&old, &new);
    assert_eq!(d.unchanged, [(0, 0)], "R1 moved from line 12 to 22 (and re-indented)");
    assert_eq!(d.new, [1]);
    assert_eq!(d.fixed, [1], "R2 is gone");
    assert!(d.changed_severity.is_empty());
}

#[test]
fn a_gosec_issue_moved_ten_lines_down_is_unchanged() {
    let gosec = |line: u32| {
        format!(
            r#"{{"Issues": [{{"severity": "HIGH", "confidence": "HIGH", "rule_id": "G404", "details": "weak random", "file": "/src/app/rand.go",
            "code": "{line}: r := rand.Int()\n", "line": "{line}", "column": "7"}}], "Stats": {{}}}}"#
        )
    };
    let d = compare(&doc("old.json", &gosec(40)), &doc("new.json", &gosec(50)));
    assert_eq!((d.unchanged.len(), d.new.len(), d.fixed.len()), (1, 0, 0));
}

#[test]
fn a_re_rated_vulnerability_is_changed_severity_not_new() {
    let trivy = |severity: &str| {
        format!(
            r#"{{"SchemaVersion": 2, "ArtifactName": "app:1", "ArtifactType": "container_image", "Results": [{{"Target": "app:1 (debian 12)",
            "Vulnerabilities": [{{"VulnerabilityID": "CVE-2024-1", "PkgName": "openssl", "InstalledVersion": "3.0.1", "Severity": "{severity}"}}]}}]}}"#
        )
    };
    let d = compare(&doc("old.json", &trivy("MEDIUM")), &doc("new.json", &trivy("HIGH")));
    assert_eq!(
        (d.changed_severity, d.unchanged.len(), d.new.len(), d.fixed.len()),
        (vec![(0, 0)], 0, 0, 0)
    );
}

#[test]
fn code_scanning_exports_of_one_repository_diff_by_alert() {
    let old_file = "github-code-scanning/greentic-flow-alerts-13-2026-03-31.json";
    let new_file = "github-code-scanning/greentic-flow-alerts-20-2026-04-02.json";
    let old = common::ingest_fixture(old_file);
    let new = common::ingest_fixture(new_file);
    let d = compare(&old, &new);
    let numbers = |rel: &str| -> std::collections::BTreeSet<u64> {
        let v: serde_json::Value = serde_json::from_slice(&common::read(rel)).unwrap();
        v.as_array().unwrap().iter().map(|a| a["number"].as_u64().unwrap()).collect()
    };
    let (before, after) = (numbers(old_file), numbers(new_file));
    assert_eq!(d.unchanged.len() + d.changed_severity.len(), before.intersection(&after).count());
    assert_eq!(d.new.len(), after.difference(&before).count());
    assert_eq!(d.fixed.len(), before.difference(&after).count());
    assert_eq!((before.len(), after.len()), (13, 20));
}
