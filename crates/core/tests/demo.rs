//! The built-in demo dataset (public/demo, written by scripts/gen-demo.py) is what it claims
//! to be: three components, six builds over three weeks, every supported format, and a gate
//! that fails and passes over time as the generator's story says.

use scanlens_core::aggregate::aggregate_of;
use scanlens_core::build::{group, TimeSource};
use scanlens_core::gate::evaluate;
use scanlens_core::policy;
use scanlens_core::time::Timestamp;
use scanlens_core::{FormatId, Report};

fn demo_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/demo"))
}

fn load() -> (Vec<Report>, Vec<Vec<usize>>, policy::Policy) {
    let dir = demo_dir();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let policy = policy::parse(
        &std::fs::read_to_string(dir.join(manifest["policy"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    let mut reports = Vec::new();
    let mut drops = Vec::new();
    for build in manifest["builds"].as_array().unwrap() {
        let mut drop = Vec::new();
        for artifact in build["artifacts"].as_array().unwrap() {
            let name = artifact.as_str().unwrap();
            for report in scanlens_core::ingest(name, &std::fs::read(dir.join(name)).unwrap()) {
                assert!(report.diagnostics.is_empty(), "{name}: {:?}", report.diagnostics);
                drop.push(reports.len());
                reports.push(report);
            }
        }
        drops.push(drop);
    }
    (reports, drops, policy)
}

#[test]
fn the_demo_has_every_format_three_components_and_six_builds_over_three_weeks() {
    let (reports, drops, policy) = load();
    let mut formats: Vec<FormatId> = reports.iter().filter_map(|r| r.format).collect();
    formats.sort();
    formats.dedup();
    assert_eq!(
        formats,
        [
            FormatId::Sarif,
            FormatId::TrivyJson,
            FormatId::GrypeJson,
            FormatId::GosecJson,
            FormatId::GovulncheckStream,
            FormatId::DependabotRestAlerts,
            FormatId::GithubCodeScanningRestAlerts,
            FormatId::ScanlensBuild,
            FormatId::OpenVex,
        ]
    );
    let builds = group(&reports, &drops);
    assert_eq!(
        builds.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
        ["101", "102", "103", "104", "105", "106"]
    );
    assert!(builds.iter().all(|b| b.time_source == TimeSource::Sidecar));
    let span = builds[5].time.unwrap().0 - builds[0].time.unwrap().0;
    assert_eq!(span / 86_400_000, 18, "three weeks, give or take");
    let all: Vec<usize> = (0..reports.len()).collect();
    let mut components: Vec<String> = aggregate_of(&reports, &all, &policy)
        .entries
        .into_iter()
        .map(|e| e.component.to_string())
        .collect();
    components.sort();
    components.dedup();
    assert_eq!(components, ["shop-api", "shop-chart", "shop-web"]);
}

#[test]
fn the_demo_gate_fails_and_passes_over_time_as_its_story_says() {
    let (reports, drops, policy) = load();
    let builds = group(&reports, &drops);
    let now = Timestamp::parse("2026-03-21T00:00:00Z").unwrap();
    let verdicts: Vec<bool> = builds
        .iter()
        .map(|b| {
            let agg = aggregate_of(&reports, &b.reports, &policy);
            evaluate(&reports, &agg, &policy, now).passed
        })
        .collect();
    assert_eq!(verdicts, [false, false, true, true, false, true]);
    // Grype and Trivy agree on the API image: their matches merge.
    let first = aggregate_of(&reports, &builds[0].reports, &policy);
    assert!(first.merged >= 3, "Trivy and Grype findings of shop-api merge");
}
