//! The public corpus (../shared/fixtures), read in place: every file is detected as the
//! format its index names, reads without an error diagnostic (the documented edge cases are
//! asserted one by one), and matches its snapshot (`UPDATE_EXPECT=1` rewrites them).

mod common;

use common::{index, ingest_fixture, read, render};
use scanlens_core::model::DiagnosticLevel;

/// Files whose format cannot be told from content, or which are refused on purpose, with
/// what must be said about them instead.
const EDGE_CASES: &[(&str, Option<&str>, DiagnosticLevel, &str)] = &[
    ("govulncheck/empty-file.json", None, DiagnosticLevel::Info, "the file is empty"),
    ("trivy/legacy-null.json", None, DiagnosticLevel::Info, "the document is `null`"),
    (
        "dependabot/greentic-flow-alerts-empty.json",
        None,
        DiagnosticLevel::Info,
        "the document is an empty list",
    ),
    (
        "github-code-scanning/greentic-flow-alerts-empty.json",
        None,
        DiagnosticLevel::Info,
        "the document is an empty list",
    ),
    (
        "sarif-misc/sarif-1.0.0-androidstudio.sarif",
        Some("sarif"),
        DiagnosticLevel::Error,
        "unsupported SARIF version 1.0.0",
    ),
    (
        "sarif-misc/sarif-2.0.0-androidstudio-10-runs.sarif",
        Some("sarif"),
        DiagnosticLevel::Error,
        "unsupported SARIF version 2.0.0",
    ),
];

/// The index's tag for DefectDojo's array-wrapped govulncheck stream names a variant we read
/// as the stream format itself.
fn expected_format(tag: &str) -> &str {
    match tag {
        "govulncheck-stream-array-wrapped" => "govulncheck-stream",
        other => other,
    }
}

#[test]
fn every_fixture_is_detected_and_read_without_errors() {
    let mut failures = Vec::new();
    for (file, tag) in index() {
        let reports = ingest_fixture(&file);
        assert_eq!(reports.len(), 1, "{file}: one document, one report");
        let report = &reports[0];
        let detected = report.format.map(|f| f.as_str());
        if let Some((_, format, level, message)) = EDGE_CASES.iter().find(|(f, ..)| *f == file) {
            assert_eq!(detected, *format, "{file}: edge case format");
            assert!(
                report
                    .diagnostics
                    .iter()
                    .any(|d| d.level == *level && d.message.starts_with(message)),
                "{file}: expected a {level:?} diagnostic starting {message:?}, got {:?}",
                report.diagnostics
            );
            assert!(report.findings.is_empty(), "{file}: edge cases have no findings");
            continue;
        }
        if detected != Some(expected_format(&tag)) {
            failures.push(format!("{file}: detected {detected:?}, index says {tag}"));
        }
        let errors: Vec<_> =
            report.diagnostics.iter().filter(|d| d.level == DiagnosticLevel::Error).collect();
        if !errors.is_empty() {
            failures.push(format!("{file}: error diagnostics {errors:?}"));
        }
        let warnings: Vec<_> =
            report.diagnostics.iter().filter(|d| d.level == DiagnosticLevel::Warning).collect();
        if !warnings.is_empty() {
            failures.push(format!("{file}: warning diagnostics {warnings:?}"));
        }
        // Only a SARIF log without runs may name no tool and no component.
        let empty_log = file == "sarif-misc/no-runs.sarif";
        assert_eq!(report.tools.is_empty(), empty_log, "{file}: names its tool");
        assert_eq!(report.components.is_empty(), empty_log, "{file}: names a component");
        assert!(
            report
                .findings
                .iter()
                .chain(&report.non_findings)
                .all(|f| f.component < report.components.len() && f.tool < report.tools.len()),
            "{file}: indices in range"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_matches_its_snapshot() {
    for (file, _) in index() {
        let reports = ingest_fixture(&file);
        let name = file.replace('/', "__");
        let snapshot = expect_test::expect_file![format!("snapshots/{name}.txt")];
        snapshot.assert_eq(&render(&reports[0]));
    }
}

#[test]
fn the_manifest_hash_is_the_files_sha256() {
    for (file, _) in index().into_iter().take(5) {
        let reports = ingest_fixture(&file);
        assert_eq!(reports[0].sha256, scanlens_core::sha256_hex(&read(&file)));
        assert_eq!(reports[0].byte_size, read(&file).len() as u64);
    }
    // index.json records each file's sha256 too.
    let dir = common::fixtures_dir();
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    for entry in index["files"].as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        assert_eq!(
            scanlens_core::sha256_hex(&read(file)),
            entry["sha256"].as_str().unwrap(),
            "{file}"
        );
    }
}
