//! Compliance: the project's tables against the shared facts, and checklists on real scans.

mod common;

use scanlens_core::aggregate::aggregate;
use scanlens_core::compliance::{checklists, owasp, specs, Checklist, Framework, Origin, Status};
use scanlens_core::policy::Policy;
use scanlens_core::Report;

fn facts(file: &str) -> serde_json::Value {
    let dir = common::fixtures_dir().join("../mappings");
    serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap()
}

#[test]
fn owasp_tables_match_the_shared_facts() {
    for year in [2021u16, 2025] {
        let facts = facts(&format!("owasp-top10-{year}-cwe.json"));
        let categories = facts["categories"].as_array().unwrap();
        let ours = owasp(year);
        assert_eq!(ours.len(), categories.len());
        for (mine, fact) in ours.iter().zip(categories) {
            assert_eq!(mine.id, fact["id"].as_str().unwrap());
            assert_eq!(mine.name, fact["name"].as_str().unwrap());
            let cwes: Vec<u32> = fact["cwes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap()[4..].parse().unwrap())
                .collect();
            assert_eq!(mine.cwes, cwes, "{}", mine.id);
        }
    }
    assert!(owasp(2021).iter().find(|c| c.id == "A03:2021").unwrap().cwes.contains(&79));
}

#[test]
fn spec_tables_match_the_shared_facts() {
    let facts = facts("trivy-compliance-specs.json");
    let fact_specs = facts["specs"].as_array().unwrap();
    assert_eq!(specs().len(), fact_specs.len());
    for fact in fact_specs {
        let id = fact["id"].as_str().unwrap();
        let Framework::Spec(spec) = Framework::by_id(id).unwrap_or_else(|| panic!("{id} known"))
        else {
            panic!()
        };
        assert_eq!(spec.title, fact["title"].as_str().unwrap());
        let controls = fact["controls"].as_array().unwrap();
        assert_eq!(spec.controls.len(), controls.len(), "{id}");
        for (mine, c) in spec.controls.iter().zip(controls) {
            assert_eq!(mine.id, c["id"].as_str().unwrap(), "{id}");
            assert_eq!(mine.severity, c["severity"].as_str().unwrap(), "{id} {}", mine.id);
            let checks: Vec<&str> =
                c["checks"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
            assert_eq!(mine.checks, checks, "{id} {}", mine.id);
            let manual =
                c["manual"].as_bool().unwrap() || c["no_automated_check"].as_bool().unwrap();
            assert_eq!(mine.manual, manual, "{id} {}", mine.id);
            assert_eq!(mine.default_status, c["defaultStatus"].as_str(), "{id} {}", mine.id);
            assert_eq!(
                mine.name,
                c["name"].as_str().unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
}

fn statuses(list: &Checklist) -> Vec<(&str, Status, usize)> {
    list.controls.iter().map(|c| (c.id.as_str(), c.status, c.evidence.len())).collect()
}

fn docker_cis(reports: &[Report]) -> Vec<Checklist> {
    let agg = aggregate(reports, &Policy::default());
    checklists(
        reports,
        &agg,
        &Policy::default(),
        Framework::by_id("docker-cis-1.6.0").unwrap(),
        None,
    )
}

#[test]
fn docker_cis_from_a_plain_dockerfile_scan_is_honest_about_what_never_ran() {
    let reports = common::ingest_fixture("trivy/dockerfile-misconfig.json");
    let lists = docker_cis(&reports);
    assert_eq!(lists.len(), 1);
    use Status::*;
    assert_eq!(
        statuses(&lists[0]),
        [
            ("4.1", Fail, 1),
            ("4.2", Manual, 0),
            ("4.3", Manual, 0),
            ("4.4", NotAssessed, 0),
            ("4.5", Manual, 0),
            ("4.6", Pass, 0),
            ("4.7", Pass, 0),
            ("4.8", Manual, 0),
            ("4.9", Pass, 0),
            ("4.10", NotAssessed, 0),
            ("4.11", Manual, 0),
            ("4.12", Manual, 0),
        ]
    );
    assert_eq!(lists[0].controls[3].note.as_deref(), Some("needs a dependency scan"));
    assert!(lists[0].controls[1]
        .description
        .as_deref()
        .unwrap()
        .starts_with("Ensure that the container image is written either from scratch"));
    let s = lists[0].summary();
    assert_eq!((s.pass, s.fail, s.manual, s.not_assessed, s.total), (3, 1, 6, 2, 12));
    assert!(
        (s.score - 0.25).abs() < 1e-9,
        "manual and not-assessed controls never count as passed"
    );
}

#[test]
fn docker_cis_from_a_full_filesystem_scan_counts_real_failures() {
    let file = "trivy/fs-scan-large-vuln-misconfig-secret.json";
    let reports = common::ingest_fixture(file);
    let raw: serde_json::Value = serde_json::from_slice(&common::read(file)).unwrap();
    let results = raw["Results"].as_array().unwrap();
    let failing = |id: &str| {
        results
            .iter()
            .flat_map(|r| r["Misconfigurations"].as_array().into_iter().flatten())
            .filter(|m| m["ID"] == id && m["Status"] == "FAIL")
            .count()
    };
    let critical = results
        .iter()
        .flat_map(|r| r["Vulnerabilities"].as_array().into_iter().flatten())
        .filter(|v| v["Severity"] == "CRITICAL")
        .count();
    let lists = docker_cis(&reports);
    let get = |id: &str| {
        lists[0].controls.iter().find(|c| c.id == id).map(|c| (c.status, c.evidence.len())).unwrap()
    };
    assert_eq!(get("4.1"), (Status::Fail, failing("DS002")));
    assert_eq!(get("4.6"), (Status::Fail, failing("DS026")));
    assert_eq!(get("4.9"), (Status::Fail, failing("DS005")));
    assert_eq!(get("4.7"), (Status::Pass, 0));
    assert_eq!(get("4.4").0, Status::Fail);
    assert!(get("4.4").1 > 0 && get("4.4").1 <= critical);
    assert_eq!(
        get("4.10"),
        (Status::Pass, 0),
        "its one secret is HIGH, the control counts CRITICAL ones"
    );
}

#[test]
fn a_plain_scan_agrees_with_trivys_own_compliance_report_of_it() {
    let mut reports = common::ingest_fixture("trivy/dockerfile-misconfig.json");
    let path = format!(
        "{}/tests/fixtures/compliance/dockerfile-docker-cis-summary.json",
        env!("CARGO_MANIFEST_DIR")
    );
    reports.extend(scanlens_core::ingest(
        "dockerfile-docker-cis-summary.json",
        &std::fs::read(path).unwrap(),
    ));
    let lists = docker_cis(&reports);
    let derived = lists.iter().find(|l| l.origin == Origin::Derived).unwrap();
    let reported = lists.iter().find(|l| matches!(l.origin, Origin::Report(_))).unwrap();
    assert_eq!(derived.controls.len(), reported.controls.len());
    for (d, r) in derived.controls.iter().zip(&reported.controls) {
        assert_eq!(d.id, r.id);
        let agree = d.status == r.status
            // Trivy passes checks whose scanner never ran; scanlens says so instead.
            || (d.status == Status::NotAssessed && r.status == Status::Pass);
        assert!(agree, "control {}: derived {:?}, Trivy {:?}", d.id, d.status, r.status);
    }
}

#[test]
fn owasp_marks_what_no_scan_could_see_as_not_assessed() {
    // CodeQL alone: code categories assessed, the dependency category not.
    let reports = common::ingest_fixture("codeql/juice-shop-javascript-codeql-2.8.3.sarif");
    let agg = aggregate(&reports, &Policy::default());
    let lists = checklists(&reports, &agg, &Policy::default(), Framework::Owasp(2021), None);
    assert_eq!(lists.len(), 1);
    let get = |id: &str| lists[0].controls.iter().find(|c| c.id == id).unwrap();
    assert_eq!(get("A06:2021").status, Status::NotAssessed);
    assert_eq!(get("A06:2021").note.as_deref(), Some("needs a dependency scan"));
    assert_eq!(get("A03:2021").status, Status::Fail, "XSS (CWE-79) and other injections");
    assert!(
        !lists[0].outside.is_empty(),
        "CWE-400/730 ReDoS findings are outside the Top 10, and listed"
    );
    let mapped: usize = lists[0].controls.iter().map(|c| c.evidence.len()).sum::<usize>();
    assert!(mapped + lists[0].outside.len() >= agg.entries.len());
}

#[test]
fn dependency_vulnerabilities_map_to_the_components_category_whatever_their_cwe() {
    let reports = common::ingest_fixture("dependabot/psychomodels-alerts-129-mixed-states.json");
    let agg = aggregate(&reports, &Policy::default());
    for (year, category) in [(2021u16, "A06:2021"), (2025, "A03:2025")] {
        let lists = checklists(&reports, &agg, &Policy::default(), Framework::Owasp(year), None);
        let open =
            agg.entries.iter().filter(|e| e.state == scanlens_core::model::State::Open).count();
        let control = lists[0].controls.iter().find(|c| c.id == category).unwrap();
        assert_eq!(control.evidence.len(), open, "{category}: every open alert, none elsewhere");
        assert!(lists[0]
            .controls
            .iter()
            .filter(|c| c.id != category)
            .all(|c| c.evidence.is_empty()));
        assert_eq!(control.status, Status::Fail);
    }
}

#[test]
fn a_trivy_operator_report_is_read_as_it_is() {
    let reports = common::ingest_fixture("trivy-operator/k8s-cis-clustercompliancereport.json");
    let agg = aggregate(&reports, &Policy::default());
    let lists = checklists(
        &reports,
        &agg,
        &Policy::default(),
        Framework::by_id("k8s-cis-1.23").unwrap(),
        None,
    );
    assert_eq!(lists.len(), 1, "only the operator's own report: nothing to derive from");
    let s = lists[0].summary();
    assert_eq!((s.total, s.fail, s.manual, s.pass), (116, 14, 8, 94));
}
