//! Build grouping (the rules in build.rs) and the trend series over builds.

use scanlens_core::build::{group, TimeSource};
use scanlens_core::policy::Policy;
use scanlens_core::time::Timestamp;
use scanlens_core::trend::series;
use scanlens_core::{FormatId, Report, Severity};

fn own(rel: &str) -> Vec<Report> {
    let path = format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    scanlens_core::ingest(rel, &std::fs::read(&path).unwrap())
}

/// Reports of several drops in one list, and each drop's indices.
fn drops(sets: Vec<Vec<Report>>) -> (Vec<Report>, Vec<Vec<usize>>) {
    let mut reports = Vec::new();
    let mut indices = Vec::new();
    for set in sets {
        indices.push((reports.len()..reports.len() + set.len()).collect());
        reports.extend(set);
    }
    (reports, indices)
}

fn t(text: &str) -> Option<Timestamp> {
    Timestamp::parse(text)
}

#[test]
fn a_sidecar_is_read_as_build_information() {
    let reports = scanlens_core::ingest(
        "scanlens-build.json",
        br#"{"scanlens_build": 1, "id": "4711", "commit": "9fceb02", "branch": "main", "time": "2026-03-02T10:00:00+01:00"}"#,
    );
    let r = &reports[0];
    assert_eq!(r.format, Some(FormatId::ScanlensBuild));
    let info = r.build.as_ref().unwrap();
    assert_eq!(
        (info.id.as_deref(), info.commit.as_deref(), info.branch.as_deref()),
        (Some("4711"), Some("9fceb02"), Some("main"))
    );
    assert_eq!(info.time, t("2026-03-02T09:00:00Z"));
    assert!(r.diagnostics.is_empty());
}

#[test]
fn files_dropped_together_are_one_build_timed_by_their_latest_scan() {
    let mut set = own("dedup/trivy-app.json");
    set.extend(own("dedup/grype-app.json"));
    let (reports, indices) = drops(vec![set]);
    let builds = group(&reports, &indices);
    assert_eq!(builds.len(), 1);
    assert_eq!(
        (builds[0].id.as_str(), builds[0].reports.as_slice()),
        ("drop-1", [0, 1].as_slice())
    );
    assert_eq!(
        (builds[0].time, builds[0].time_source),
        (t("2026-03-02T10:05:00Z"), TimeSource::ScanTime)
    );
}

#[test]
fn an_archive_of_two_runs_splits_by_sidecar_folder() {
    let (reports, indices) = drops(vec![own("archive/builds.zip")]);
    let builds = group(&reports, &indices);
    let summary: Vec<(&str, Option<&str>, usize, TimeSource)> = builds
        .iter()
        .map(|b| (b.id.as_str(), b.commit.as_deref(), b.reports.len(), b.time_source))
        .collect();
    assert_eq!(
        summary,
        [
            ("41", Some("aaa111"), 2, TimeSource::Sidecar),
            ("42", Some("bbb222"), 3, TimeSource::Sidecar),
            ("drop-1", None, 1, TimeSource::ArchiveEntry),
        ],
        "ordered by time; the loose gosec report is timed by its zip entry (2026-03-01 12:00)"
    );
    assert_eq!(builds[2].time, t("2026-03-01T12:00:00Z"));
    assert!(reports[builds[2].reports[0]].file_name.ends_with("notes/gosec.json"));
}

#[test]
fn drops_with_the_same_identity_are_one_build_and_untimed_builds_wait_for_the_user() {
    let sidecar = |id: &str| {
        scanlens_core::ingest(
            "scanlens-build.json",
            format!(r#"{{"scanlens_build": 1, "id": "{id}"}}"#).as_bytes(),
        )
    };
    let gosec = || own("gosec/line-range-nosec.json");
    let (reports, indices) = drops(vec![
        sidecar("7").into_iter().chain(gosec()).collect(),
        sidecar("7").into_iter().chain(own("sarif/levels-and-security-severity.sarif")).collect(),
        gosec(),
    ]);
    let mut builds = group(&reports, &indices);
    assert_eq!(builds.len(), 2);
    assert_eq!(
        (builds[0].id.as_str(), builds[0].reports.len()),
        ("7", 4),
        "both drops of build 7 together"
    );
    assert_eq!(
        (builds[0].time_source, builds[0].time),
        (TimeSource::ScanTime, t("2026-03-01T09:00:00.500Z"))
    );
    assert_eq!(
        (builds[1].id.as_str(), builds[1].time, builds[1].time_source),
        ("drop-3", None, TimeSource::Unknown)
    );
    builds[1].set_time(t("2026-03-05T00:00:00Z").unwrap());
    assert_eq!(builds[1].time_source, TimeSource::User);
}

#[test]
fn the_trend_counts_open_new_fixed_and_suppressed_per_build_component_and_severity() {
    // Build 41: Trivy alone. Build 42: Trivy and Grype; Grype adds CVE-2024-4000 (high) and
    // re-rates CVE-2024-1000 from high to critical.
    let (reports, indices) = drops(vec![own("archive/builds.zip")]);
    let builds = group(&reports, &indices);
    let points = series(&reports, &builds[..2], &Policy::default());
    let get = |b: usize, severity: Severity| {
        let p = points
            .iter()
            .find(|p| {
                p.build == b && p.severity == severity && p.component == "registry.example/app:1.0"
            })
            .unwrap();
        (p.open, p.new, p.fixed, p.suppressed)
    };
    assert_eq!(
        get(0, Severity::High),
        (1, 0, 0, 1),
        "CVE-2024-1000 open; CVE-2024-5000 not affected"
    );
    assert_eq!(get(0, Severity::Medium), (1, 0, 0, 0));
    assert_eq!(get(0, Severity::Critical), (0, 0, 0, 0));
    assert_eq!(get(1, Severity::Critical), (1, 0, 0, 0), "re-rated, not new");
    assert_eq!(get(1, Severity::High), (1, 1, 0, 1), "CVE-2024-4000 is new");
    assert_eq!(get(1, Severity::Low), (1, 0, 0, 0));
    assert_eq!(points.len(), 2 * 6, "every build x component x severity");
}
