//! Dedup across tools and the build gate, on the repository's own exact pair and on a real
//! Trivy + Grype pair from the shared corpus.

mod common;

use scanlens_core::aggregate::{aggregate, Aggregate};
use scanlens_core::gate::{evaluate, Excuse};
use scanlens_core::model::State;
use scanlens_core::policy::{parse, Policy};
use scanlens_core::time::Timestamp;
use scanlens_core::{Report, Severity};

fn own(rel: &str) -> Vec<Report> {
    let path = format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    scanlens_core::ingest(rel, &std::fs::read(&path).unwrap())
}

fn pair() -> Vec<Report> {
    let mut reports = own("dedup/trivy-app.json");
    reports.extend(own("dedup/grype-app.json"));
    reports
}

fn now() -> Timestamp {
    Timestamp::parse("2026-06-01T00:00:00Z").unwrap()
}

/// Entry ids: the first vulnerability id of each entry's primary source, with its tools.
fn describe(reports: &[Report], agg: &Aggregate) -> Vec<(String, Severity, Vec<String>)> {
    agg.entries
        .iter()
        .map(|e| {
            let primary = e.primary.get(reports);
            let tools = e.sources.iter().map(|s| reports[s.report].tools[0].name.clone()).collect();
            (primary.vuln_ids.last().unwrap().clone(), e.severity, tools)
        })
        .collect()
}

#[test]
fn a_trivy_and_a_grype_scan_of_one_image_merge_by_cve_package_and_version() {
    let reports = pair();
    let agg = aggregate(&reports, &Policy::default());
    assert_eq!((agg.findings(), agg.entries.len(), agg.merged), (7, 5, 2));
    assert_eq!(
        describe(&reports, &agg),
        [
            (
                "CVE-2024-1000".to_string(),
                Severity::Critical,
                vec!["Trivy".to_string(), "grype".to_string()]
            ),
            (
                "CVE-2024-2000".to_string(),
                Severity::Medium,
                vec!["Trivy".to_string(), "grype".to_string()]
            ),
            ("CVE-2024-3000".to_string(), Severity::Low, vec!["Trivy".to_string()]),
            ("CVE-2024-5000".to_string(), Severity::High, vec!["Trivy".to_string()]),
            ("CVE-2024-4000".to_string(), Severity::High, vec!["grype".to_string()]),
        ]
    );
    // The merged CVE-2024-1000 takes Grype's Critical; Trivy said High. Both raw values stay.
    let merged = &agg.entries[0];
    assert_eq!(
        merged.primary.get(&reports).rating.explain(),
        "critical from Grype severity \"Critical\""
    );
    let raw: Vec<String> =
        merged.sources.iter().map(|s| s.get(&reports).rating.explain()).collect();
    assert_eq!(
        raw,
        [
            "high from Trivy Severity (source: alpine) \"HIGH\"",
            "critical from Grype severity \"Critical\""
        ]
    );
    assert_eq!(&*merged.component, "registry.example/app:1.0");
}

#[test]
fn the_gate_fails_on_high_and_critical_and_says_why_others_do_not() {
    let reports = pair();
    let agg = aggregate(&reports, &Policy::default());
    let verdict = evaluate(&reports, &agg, &Policy::default(), now());
    assert!(!verdict.passed);
    assert_eq!(verdict.fail_on, Severity::High);
    assert_eq!(verdict.failing, [0, 4], "critical CVE-2024-1000 first, then high CVE-2024-4000");
    assert_eq!(
        verdict.excused,
        [(3, Excuse::State(State::NotAffected))],
        "VEX not_affected does not fail the gate but is shown"
    );

    let critical = Policy { fail_on: Severity::Critical, ..Policy::default() };
    let verdict = evaluate(&reports, &agg, &critical, now());
    assert_eq!(verdict.failing, [0]);

    let low = Policy { fail_on: Severity::Low, ..Policy::default() };
    assert_eq!(evaluate(&reports, &agg, &low, now()).failing.len(), 4);
}

#[test]
fn ignore_rules_apply_until_they_expire() {
    let reports = pair();
    let policy = parse(
        r#"
[[ignore]]
vulnerability = "CVE-2024-4000"
justification = "busybox applets are not reachable"
expires = "2026-12-31"

[[ignore]]
vulnerability = "CVE-2024-1000"
justification = "expired acceptance"
expires = "2026-01-31"
"#,
    )
    .unwrap();
    let agg = aggregate(&reports, &policy);
    let verdict = evaluate(&reports, &agg, &policy, now());
    assert_eq!(verdict.failing, [0], "the expired rule no longer excuses CVE-2024-1000");
    assert!(verdict.excused.contains(&(4, Excuse::Ignored(0))));
    assert_eq!(verdict.expired_ignores, [1]);
    let later = Timestamp::parse("2027-01-01T00:00:00Z").unwrap();
    assert_eq!(evaluate(&reports, &agg, &policy, later).failing, [0, 4], "after expiry both fail");
}

#[test]
fn kinds_and_states_not_counted_are_excused() {
    let reports = pair();
    let policy = parse("[gate]\nkinds = [\"code\"]\n").unwrap();
    let agg = aggregate(&reports, &policy);
    let verdict = evaluate(&reports, &agg, &policy, now());
    assert!(verdict.passed);
    assert_eq!(verdict.excused.iter().filter(|(_, x)| *x == Excuse::Kind).count(), 2);
}

#[test]
fn component_rules_map_different_scanners_onto_one_component() {
    // Both real scans are of the DefectDojo 1.13.1 image; Trivy's legacy output names it by
    // target, Grype by image reference. Mapped together, every (CVE, package, version) the two
    // share becomes one entry with both sources, and no finding is lost.
    let trivy = common::ingest_fixture("trivy/legacy-pre-schemaversion-list.json");
    let grype = common::ingest_fixture("grype/old-grype-0.7-negligible.json");
    let reports: Vec<Report> = trivy.into_iter().chain(grype).collect();
    let policy = parse(
        "[[component]]\nname = \"defectdojo\"\nartifact = \"trivy/legacy-pre-schemaversion-list.json\"\n\n[[component]]\nname = \"defectdojo\"\nimage = \"defectdojo/defectdojo-django:*\"\n",
    )
    .unwrap();
    let agg = aggregate(&reports, &policy);
    let total: usize = reports.iter().map(|r| r.findings.len()).sum();
    assert_eq!(agg.findings(), total, "nothing lost");
    assert!(agg.entries.iter().all(|e| &*e.component == "defectdojo"));

    // The shared triples, computed straight from the raw JSON.
    let raw =
        |rel: &str| -> serde_json::Value { serde_json::from_slice(&common::read(rel)).unwrap() };
    let mut trivy_triples = std::collections::HashSet::new();
    for result in raw("trivy/legacy-pre-schemaversion-list.json").as_array().unwrap() {
        for v in result["Vulnerabilities"].as_array().into_iter().flatten() {
            trivy_triples.insert((
                v["VulnerabilityID"].as_str().unwrap().to_string(),
                v["PkgName"].as_str().unwrap().to_string(),
                v["InstalledVersion"].as_str().unwrap().to_string(),
            ));
        }
    }
    let mut shared = Vec::new();
    for m in raw("grype/old-grype-0.7-negligible.json")["matches"].as_array().unwrap() {
        let key = (
            m["vulnerability"]["id"].as_str().unwrap().to_string(),
            m["artifact"]["name"].as_str().unwrap().to_string(),
            m["artifact"]["version"].as_str().unwrap().to_string(),
        );
        if trivy_triples.contains(&key) {
            shared.push(key);
        }
    }
    assert_eq!(shared.len(), 68);
    for (id, package, version) in &shared {
        let entry = agg
            .entries
            .iter()
            .find(|e| {
                e.sources.iter().any(|s| {
                    let f = s.get(&reports);
                    f.vuln_ids.contains(id)
                        && f.package.as_ref().is_some_and(|p| {
                            p.name == *package && p.version.as_deref() == Some(version)
                        })
                })
            })
            .unwrap_or_else(|| panic!("{id} {package} {version} has an entry"));
        let tools: std::collections::HashSet<usize> =
            entry.sources.iter().map(|s| s.report).collect();
        assert_eq!(tools.len(), 2, "{id} {package} {version} merged across both scanners");
    }
    assert!(agg.merged >= 68);
}
