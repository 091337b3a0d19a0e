//! VEX documents (OpenVEX, CycloneDX VEX) read as inputs and applied to findings.

use scanlens_core::aggregate::aggregate;
use scanlens_core::gate::{evaluate, Excuse};
use scanlens_core::model::{State, VexStatus};
use scanlens_core::policy::Policy;
use scanlens_core::time::Timestamp;
use scanlens_core::{FormatId, Report};

fn own(rel: &str) -> Vec<Report> {
    let path = format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    scanlens_core::ingest(rel, &std::fs::read(&path).unwrap())
}

fn with(vex: &[&str]) -> Vec<Report> {
    let mut reports = own("dedup/trivy-app.json");
    reports.extend(own("dedup/grype-app.json"));
    for v in vex {
        reports.extend(own(v));
    }
    reports
}

#[test]
fn openvex_and_cyclonedx_vex_are_read_as_statements() {
    let open = &own("vex/openvex.json")[0];
    assert_eq!(open.format, Some(FormatId::OpenVex));
    assert_eq!(open.vex.len(), 3);
    assert_eq!(open.vex[0].status, VexStatus::NotAffected);
    assert_eq!(open.vex[0].subcomponents, ["pkg:apk/alpine/busybox@1.36.1"]);
    assert_eq!(
        open.vex[0].justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path: the affected applet is not installed")
    );
    assert!(open.findings.is_empty() && open.diagnostics.is_empty());
    let cdx = &own("vex/cyclonedx-vex.json")[0];
    assert_eq!(cdx.format, Some(FormatId::CycloneDxVex));
    let statuses: Vec<VexStatus> = cdx.vex.iter().map(|s| s.status).collect();
    assert_eq!(statuses, [VexStatus::Fixed, VexStatus::Affected]);
}

#[test]
fn vex_statements_mark_matching_findings_and_the_gate_shows_them() {
    let now = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    let without = with(&[]);
    let agg = aggregate(&without, &Policy::default());
    assert_eq!(evaluate(&without, &agg, &Policy::default(), now).failing, [0, 4]);

    let reports = with(&["vex/openvex.json", "vex/cyclonedx-vex.json"]);
    let agg = aggregate(&reports, &Policy::default());
    let states: Vec<(State, bool)> =
        agg.entries.iter().map(|e| (e.state, e.vex.is_some())).collect();
    assert_eq!(
        states,
        [
            (State::Fixed, true), // CVE-2024-1000: CycloneDX resolved, by package URL (qualifiers aside)
            (State::Open, false), // CVE-2024-2000: "exploitable" changes nothing
            (State::Open, false), // CVE-2024-3000: under investigation changes nothing
            (State::NotAffected, false), // CVE-2024-5000: Trivy's own VEX status
            (State::NotAffected, true), // CVE-2024-4000: OpenVEX not_affected, by subcomponent
        ]
    );
    assert_eq!(
        agg.vex_unmatched,
        [(2, 2)],
        "the statement about another product matched nothing, and says so"
    );
    let verdict = evaluate(&reports, &agg, &Policy::default(), now);
    assert!(verdict.passed);
    assert!(verdict.excused.contains(&(0, Excuse::State(State::Fixed))));
    assert!(verdict.excused.contains(&(4, Excuse::State(State::NotAffected))));
}
