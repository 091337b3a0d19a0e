//! A session (what the page's worker holds) gives the numbers the CLI path gives for the same
//! files: drops group into builds, the latest build's gate is `evaluate` over its files, a
//! dropped policy applies, a broken file costs only itself, and rows page through a query.

use std::collections::BTreeMap;
use std::path::PathBuf;

use scanlens_core::aggregate::aggregate;
use scanlens_core::explore::{Query, Sort};
use scanlens_core::gate::evaluate;
use scanlens_core::session::Session;
use scanlens_core::time::Timestamp;
use scanlens_core::triage::{Decision, Status};
use scanlens_core::{policy, Report, Severity};

mod common;

fn demo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/demo"))
}

fn now() -> Timestamp {
    Timestamp::parse("2026-03-21T00:00:00Z").unwrap()
}

/// The demo's files by build, as the manifest lists them.
fn demo_builds() -> Vec<Vec<String>> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(demo().join("index.json")).unwrap()).unwrap();
    manifest["builds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            b["artifacts"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().into()).collect()
        })
        .collect()
}

fn load_demo(session: &mut Session) {
    let mut id = 0;
    for (drop, files) in demo_builds().iter().enumerate() {
        for name in files {
            id += 1;
            let summary =
                session.add(id, drop as u32, name, &std::fs::read(demo().join(name)).unwrap());
            assert!(
                summary.reports.iter().all(|r| r.diagnostics.is_empty()),
                "{name}: {summary:?}"
            );
        }
    }
}

#[test]
fn the_latest_builds_gate_is_what_the_cli_computes_for_its_files() {
    let mut session = Session::new();
    let toml = std::fs::read(demo().join("scanlens.toml")).unwrap();
    let summary = session.add(1000, 99, "scanlens.toml", &toml);
    let policy_summary = summary.policy.expect("read as the policy");
    assert_eq!(policy_summary.error, None);
    assert_eq!((policy_summary.fail_on.as_str(), policy_summary.ignores), ("high", 1));
    load_demo(&mut session);

    let builds = session.builds(now());
    assert_eq!(
        builds.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
        ["101", "102", "103", "104", "105", "106"]
    );
    assert_eq!(builds[5].time.as_deref(), Some("2026-03-20T09:30:00.000Z"));

    // The CLI path: `scanlens gate --policy scanlens.toml builds/106/*`.
    let policy = policy::parse(&String::from_utf8(toml).unwrap()).unwrap();
    let last = demo_builds().pop().unwrap();
    let reports: Vec<Report> = last
        .iter()
        .flat_map(|name| scanlens_core::ingest(name, &std::fs::read(demo().join(name)).unwrap()))
        .collect();
    let agg = aggregate(&reports, &policy);
    let verdict = evaluate(&reports, &agg, &policy, now());

    let dashboard = session.dashboard(now());
    assert_eq!(dashboard.gate.passed, verdict.passed);
    assert_eq!(dashboard.gate.failing, verdict.failing.len());
    assert_eq!(dashboard.gate.excused, verdict.excused.len());
    assert_eq!(dashboard.findings, agg.findings());
    assert_eq!(dashboard.merged, agg.merged);
    let mut open = [0; 6];
    for entry in agg.entries.iter().filter(|e| e.state == scanlens_core::model::State::Open) {
        open[Severity::ALL.iter().position(|s| *s == entry.severity).unwrap()] += 1;
    }
    assert_eq!(dashboard.open, open);
    assert_eq!(dashboard.not_open, agg.entries.len() - open.iter().sum::<usize>());
    // Every open entry is in exactly one component.
    let per_component: usize = dashboard.components.iter().map(|c| c.total()).sum();
    assert_eq!(per_component, open.iter().sum::<usize>());
    assert_eq!(
        dashboard.components.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().len(),
        3,
        "{:?}",
        dashboard.components
    );

    // The trend's last point is the dashboard; the first build has nothing to be new against.
    let trends = session.trends(now());
    assert_eq!(
        trends.iter().map(|p| p.build.as_str()).collect::<Vec<_>>(),
        ["101", "102", "103", "104", "105", "106"]
    );
    assert_eq!(trends[5].open, dashboard.open);
    assert_eq!((trends[0].new, trends[0].fixed), (0, 0));
    assert!(trends.iter().skip(1).any(|p| p.fixed > 0) && trends.iter().skip(1).any(|p| p.new > 0));
}

#[test]
fn the_demo_story_fails_at_build_105_and_passes_at_106_in_the_session() {
    let mut session = Session::new();
    session.add(1000, 99, "scanlens.toml", &std::fs::read(demo().join("scanlens.toml")).unwrap());
    let builds = demo_builds();
    let mut id = 0;
    for (drop, files) in builds.iter().enumerate().take(5) {
        for name in files {
            id += 1;
            session.add(id, drop as u32, name, &std::fs::read(demo().join(name)).unwrap());
        }
    }
    let failing = session.dashboard(now());
    assert!(!failing.gate.passed);
    assert!(failing.gate.failing > 0);
    assert_eq!(failing.failing.len(), failing.gate.failing.min(10));
    assert!(failing
        .failing
        .iter()
        .all(|r| r.failing && (r.severity == "critical" || r.severity == "high")));
    for name in &builds[5] {
        id += 1;
        session.add(id, 5, name, &std::fs::read(demo().join(name)).unwrap());
    }
    assert!(session.dashboard(now()).gate.passed);
}

#[test]
fn a_dropped_policy_applies_a_broken_one_is_reported_and_removing_it_restores_the_default() {
    let mut session = Session::new();
    load_demo(&mut session);
    assert_eq!(session.dashboard(now()).gate.fail_on, "high");
    let strict = session.add(500, 9, "scanlens.toml", b"[gate]\nfail_on = \"medium\"\n");
    assert_eq!(strict.policy.unwrap().error, None);
    let dashboard = session.dashboard(now());
    assert_eq!(dashboard.gate.fail_on, "medium");
    let broken = session.add(501, 9, "other.toml", b"[gate]\nfail_on = \"severe\"\n");
    let error = broken.policy.unwrap().error.expect("an unknown severity is an error");
    assert!(error.starts_with("other.toml: "), "{error}");
    assert!(error.contains("severe"), "{error}");
    assert_eq!(session.dashboard(now()).gate.fail_on, "medium", "the broken file changes nothing");
    session.remove(500);
    assert_eq!(session.dashboard(now()).gate.fail_on, "high");
}

#[test]
fn a_broken_file_costs_only_itself() {
    let trivy = common::read("trivy/alpine-310-image.json");
    let mut alone = Session::new();
    let expected = alone.add(1, 1, "alpine.json", &trivy);
    let mut session = Session::new();
    let broken = session.add(1, 1, "broken.json", &trivy[..trivy.len() / 2]);
    let good = session.add(2, 1, "alpine.json", &trivy);
    assert_eq!(good.reports, expected.reports);
    assert!(broken.reports[0].diagnostics.iter().any(|d| d.starts_with("error: ")), "{broken:?}");
    assert_eq!(session.dashboard(now()).findings, alone.dashboard(now()).findings);
    session.remove(2);
    assert_eq!(session.dashboard(now()).findings, 0);
}

#[test]
fn rows_page_through_a_filtered_sorted_selection() {
    let mut session = Session::new();
    load_demo(&mut session);
    let dashboard = session.dashboard(now());
    let all_open = Query { states: vec!["open".into()], ..Query::default() };
    let (total, first) = session.rows(&all_open, 0, 25, now());
    assert_eq!(total, dashboard.open.iter().sum::<usize>());
    assert_eq!(first.len(), 25.min(total));
    // Most severe first by default, and pages continue where the last one ended.
    let rank = |s: &str| Severity::ALL.iter().position(|x| x.as_str() == s).unwrap();
    let (_, all) = session.rows(&all_open, 0, usize::MAX, now());
    assert!(all.windows(2).all(|w| rank(&w[0].severity) <= rank(&w[1].severity)));
    let (_, second) = session.rows(&all_open, 25, 25, now());
    assert_eq!(second.first().map(|r| r.entry), all.get(25).map(|r| r.entry));

    // Per-severity filters partition the open entries as the dashboard counts them.
    for (i, severity) in Severity::ALL.iter().enumerate() {
        let query = Query { severities: vec![severity.as_str().into()], ..all_open.clone() };
        assert_eq!(session.rows(&query, 0, 0, now()).0, dashboard.open[i], "{severity:?}");
    }

    // Text search: every word must occur; case does not matter.
    let cve =
        all.iter().find(|r| r.rule.starts_with("CVE-")).expect("the demo has CVEs").rule.clone();
    let query = Query { text: cve.to_lowercase(), ..Query::default() };
    let (n, hits) = session.rows(&query, 0, usize::MAX, now());
    assert!(n >= 1);
    assert!(hits.iter().any(|r| r.rule == cve));
    let none = Query { text: format!("{cve} no-such-word-anywhere"), ..Query::default() };
    assert_eq!(session.rows(&none, 0, 10, now()).0, 0);

    // Sorting by title, both ways.
    let by_title = Query { sort: Sort::Title, ..Query::default() };
    let (_, rows) = session.rows(&by_title, 0, usize::MAX, now());
    assert!(rows.windows(2).all(|w| w[0].title.to_lowercase() <= w[1].title.to_lowercase()));
    let reversed = Query { descending: true, ..by_title };
    let (_, back) = session.rows(&reversed, 0, usize::MAX, now());
    assert_eq!(
        back.iter().rev().map(|r| r.entry).collect::<Vec<_>>(),
        rows.iter().map(|r| r.entry).collect::<Vec<_>>()
    );

    // Tool facet: the tallies on the dashboard are the rows each tool filter finds.
    for tool in &dashboard.tools {
        let query = Query { tools: vec![tool.name.clone()], ..all_open.clone() };
        assert_eq!(session.rows(&query, 0, 0, now()).0, tool.total(), "{}", tool.name);
    }
    let by_kind: BTreeMap<String, usize> = all.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r.kind.clone()).or_default() += 1;
        m
    });
    for (kind, n) in by_kind {
        let query = Query { kinds: vec![kind.clone()], ..all_open.clone() };
        assert_eq!(session.rows(&query, 0, 0, now()).0, n, "{kind}");
    }
}

#[test]
fn a_component_page_has_its_trend_and_honest_checklists_with_evidence_the_table_knows() {
    let mut session = Session::new();
    session.add(1000, 99, "scanlens.toml", &std::fs::read(demo().join("scanlens.toml")).unwrap());
    load_demo(&mut session);
    let dashboard = session.dashboard(now());
    for tally in &dashboard.components {
        let view = session.component(&tally.name, now()).expect("a component of the dashboard");
        assert_eq!(view.open, tally.open, "{}", tally.name);
        assert_eq!(view.trend.len(), 6);
        assert_eq!(view.trend[5].open, tally.open);
        let frameworks: Vec<&str> = view.checklists.iter().map(|c| c.framework.as_str()).collect();
        assert_eq!(frameworks[..2], ["owasp-2021", "owasp-2025"], "{}", tally.name);
        for list in &view.checklists {
            let [pass, fail, warn, manual, not_assessed, total] = list.counts;
            assert_eq!(
                pass + fail + warn + manual + not_assessed,
                total,
                "{} {}",
                tally.name,
                list.framework
            );
            assert_eq!(total, list.controls.len());
            for control in &list.controls {
                if control.status == "pass" || control.status == "no-findings" {
                    assert!(control.evidence.iter().all(|r| r.severity != "critical"));
                }
                // Evidence rows name entries the findings table and detail know.
                for row in &control.evidence {
                    let detail = session.detail(row.entry, now()).expect("evidence is an entry");
                    assert_eq!(detail.row.title, row.title);
                    assert_eq!(row.component, tally.name);
                }
            }
        }
    }
    // The Helm chart was only scanned for misconfigurations: OWASP's dependency category is
    // not assessed there, never passed.
    let chart = session.component("shop-chart", now()).unwrap();
    let owasp = chart.checklists.iter().find(|c| c.framework == "owasp-2021").unwrap();
    let a06 = owasp.controls.iter().find(|c| c.id.starts_with("A06")).unwrap();
    assert_eq!(a06.status, "not-assessed", "{a06:?}");
    assert!(session.component("no-such-component", now()).is_none());
}

#[test]
fn a_diff_accounts_for_every_entry_of_both_builds_and_agrees_with_the_trend() {
    let mut session = Session::new();
    session.add(1000, 99, "scanlens.toml", &std::fs::read(demo().join("scanlens.toml")).unwrap());
    load_demo(&mut session);
    let trends = session.trends(now());
    for b in 1..6 {
        let d = session.diff(b - 1, b, now()).unwrap();
        assert_eq!(
            (d.old.as_str(), d.new.as_str()),
            (trends[b - 1].build.as_str(), trends[b].build.as_str())
        );
        let open_new = d.new_rows.iter().filter(|r| r.state == "open").count();
        assert_eq!(open_new, trends[b].new, "build {}", d.new);
        assert_eq!(d.fixed_rows.len(), trends[b].fixed, "build {}", d.new);
        assert_eq!(d.new_is_latest, b == 5);
    }
    // 105 is where the gate fails again: a new high or critical arrives.
    let d = session.diff(3, 4, now()).unwrap();
    assert!(d.new_rows.iter().any(|r| r.severity == "high" || r.severity == "critical"), "{d:?}");
    assert!(session.diff(0, 9, now()).is_none());
}

#[test]
fn builds_can_be_renamed_retimed_and_merged_and_the_dashboard_follows() {
    use scanlens_core::session::BuildEdits;
    let mut session = Session::new();
    session.add(1000, 99, "scanlens.toml", &std::fs::read(demo().join("scanlens.toml")).unwrap());
    load_demo(&mut session);
    let before = session.dashboard(now());
    session.set_edits(BuildEdits {
        names: vec![("106".into(), "release-1.0".into())],
        ..BuildEdits::default()
    });
    let builds = session.builds(now());
    assert_eq!(builds.last().unwrap().id, "release-1.0");
    assert_eq!(session.dashboard(now()), before, "a name changes nothing else");

    // Build 101 set to after 106: it becomes the latest, and its gate (a failing one) shows.
    let later = Timestamp::parse("2026-03-25T00:00:00Z").unwrap().0;
    session.set_edits(BuildEdits { times: vec![("101".into(), later)], ..BuildEdits::default() });
    let builds = session.builds(now());
    assert_eq!(
        builds.last().map(|b| (b.id.as_str(), b.time_source.as_str())),
        Some(("101", "set by you"))
    );
    assert!(!session.dashboard(now()).gate.passed);

    // 105 merged into 104: five builds, 104 holds both, and says so.
    session.set_edits(BuildEdits {
        merges: vec![("105".into(), "104".into())],
        ..BuildEdits::default()
    });
    let builds = session.builds(now());
    assert_eq!(
        builds.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
        ["101", "102", "103", "104", "106"]
    );
    let merged = &builds[3];
    assert_eq!(merged.merged, ["105"]);
    assert_eq!(merged.reports, demo_builds()[3].len() + demo_builds()[4].len());
    // Split again: the edit removed, six builds.
    session.set_edits(BuildEdits::default());
    assert_eq!(session.builds(now()).len(), 6);
}

#[test]
fn a_vex_statement_is_named_in_the_detail_of_the_entry_it_changed() {
    let mut session = Session::new();
    session.add(1000, 99, "scanlens.toml", &std::fs::read(demo().join("scanlens.toml")).unwrap());
    load_demo(&mut session);
    let query = Query { states: vec!["not-affected".into()], ..Query::default() };
    let (n, rows) = session.rows(&query, 0, 10, now());
    assert!(n >= 1, "build 106 carries a VEX statement");
    let detail = session.detail(rows[0].entry, now()).unwrap();
    let vex = detail.vex.expect("the statement that set the state");
    assert!(vex.starts_with("builds/106/vex.json says not affected for "), "{vex}");
    assert!(
        detail.sources.iter().all(|s| s.state.starts_with("open")),
        "the scanners said open: {:?}",
        detail.sources
    );
}

#[test]
fn facet_counts_are_what_each_filter_selects_and_changes_agree_with_the_diff() {
    use scanlens_core::explore::Facet;
    let mut session = Session::new();
    session.add(1000, 99, "scanlens.toml", &std::fs::read(demo().join("scanlens.toml")).unwrap());
    load_demo(&mut session);
    for against in [None, Some(3), Some(0)] {
        let base = Query { against, ..Query::default() };
        let facets = session.facets(&base, now());
        assert_eq!(facets.len(), Facet::ALL.len());
        for counts in &facets {
            let facet = counts.facet.unwrap();
            assert!(!counts.values.is_empty(), "{facet:?} has values in the demo");
            for (value, n) in &counts.values {
                let mut query = base.clone();
                match facet {
                    Facet::Severity => query.severities = vec![value.clone()],
                    Facet::State => query.states = vec![value.clone()],
                    Facet::Kind => query.kinds = vec![value.clone()],
                    Facet::Tool => query.tools = vec![value.clone()],
                    Facet::Component => query.components = vec![value.clone()],
                    Facet::Cwe => query.cwes = vec![value.clone()],
                    Facet::Owasp => query.owasp = vec![value.clone()],
                    Facet::Change => query.changes = vec![value.clone()],
                }
                session.rows(&query, 0, 0, now());
                assert_eq!(session.selected(), *n, "{facet:?} = {value}");
            }
        }
        let change = facets.iter().find(|c| c.facet == Some(Facet::Change)).unwrap();
        let count = |v: &str| change.values.iter().find(|(k, _)| k == v).map_or(0, |(_, n)| *n);
        let diff = session.diff(against.unwrap_or(4), 5, now()).unwrap();
        assert_eq!(count("new"), diff.new_rows.len(), "against {against:?}");
        assert_eq!(count("changed"), diff.changed.len());
        assert_eq!(count("unchanged"), diff.unchanged);
        assert_eq!(count("fixed"), diff.fixed_rows.len());
        if against == Some(0) {
            assert!(count("fixed") > 0, "the demo fixes findings between 101 and 106");
        }
        if count("fixed") > 0 {
            // Fixed entries come from the older build, after a header, and open no detail.
            let fixed = Query { changes: vec!["fixed".into()], against, ..Query::default() };
            let (slots, rows) = session.rows(&fixed, 0, usize::MAX, now());
            assert_eq!(slots, count("fixed") + 1);
            assert!(
                rows[0].group && rows[0].title.starts_with("fixed since build "),
                "{:?}",
                rows[0]
            );
            assert!(rows[1..].iter().all(|r| r.gone));
            let titles: Vec<&str> = rows[1..].iter().map(|r| r.title.as_str()).collect();
            let mut expected: Vec<&str> =
                diff.fixed_rows.iter().map(|r| r.title.as_str()).collect();
            let mut sorted = titles.clone();
            sorted.sort();
            expected.sort();
            assert_eq!(sorted, expected);
        }
    }
    // Other filters narrow a facet's counts, its own does not.
    let high = Query { severities: vec!["high".into()], ..Query::default() };
    let facets = session.facets(&high, now());
    let severities = &facets.iter().find(|c| c.facet == Some(Facet::Severity)).unwrap().values;
    assert!(severities.len() > 1, "the severity facet ignores its own filter: {severities:?}");
    let kinds: usize = facets
        .iter()
        .find(|c| c.facet == Some(Facet::Kind))
        .unwrap()
        .values
        .iter()
        .map(|v| v.1)
        .sum();
    assert_eq!(kinds, session.rows(&high, 0, 0, now()).0);
    let owasp = &session.facets(&Query::default(), now())[6];
    assert!(owasp.values.iter().any(|(v, _)| v == "A06:2021"), "{owasp:?}");
}

#[test]
fn grouped_rows_put_a_header_before_each_group_with_its_count() {
    use scanlens_core::explore::Group;
    let mut session = Session::new();
    session.add(1000, 99, "scanlens.toml", &std::fs::read(demo().join("scanlens.toml")).unwrap());
    load_demo(&mut session);
    let entries = session.rows(&Query::default(), 0, 0, now()).0;
    for group in Group::ALL {
        let query = Query { group: Some(group), ..Query::default() };
        let (slots, rows) = session.rows(&query, 0, usize::MAX, now());
        assert_eq!(session.selected(), entries, "{group:?}");
        let headers: Vec<&scanlens_core::explore::Row> = rows.iter().filter(|r| r.group).collect();
        assert_eq!(slots, entries + headers.len());
        assert!(rows[0].group, "a header comes first");
        // Each header counts the entries up to the next header, and groups are in name order.
        let mut i = 0;
        while i < rows.len() {
            let n = rows[i + 1..].iter().take_while(|r| !r.group).count();
            assert_eq!(rows[i].sources, n, "{group:?} {}", rows[i].title);
            i += n + 1;
        }
        assert!(headers.windows(2).all(|w| w[0].title < w[1].title), "{group:?}");
    }
    let by_component = Query { group: Some(Group::Component), ..Query::default() };
    let (_, rows) = session.rows(&by_component, 0, usize::MAX, now());
    let names: Vec<&str> = rows.iter().filter(|r| r.group).map(|r| r.title.as_str()).collect();
    assert_eq!(names, ["shop-api", "shop-chart", "shop-web"]);
}

#[test]
fn a_build_can_be_split_by_moving_files_into_a_new_one_beside_it() {
    use scanlens_core::session::BuildEdits;
    let mut session = Session::new();
    // Two runs' files dropped together without their sidecars: one build.
    let builds = demo_builds();
    let mut id = 0;
    for name in builds[4].iter().chain(&builds[5]).filter(|n| !n.ends_with("scanlens-build.json")) {
        id += 1;
        session.add(id, 1, name, &std::fs::read(demo().join(name)).unwrap());
    }
    let before = session.builds(now());
    assert_eq!(before.len(), 1);
    let old: Vec<(u32, String)> =
        before[0].files.iter().filter(|(_, f)| f.starts_with("builds/105/")).cloned().collect();
    assert!(!old.is_empty());
    session.set_edits(BuildEdits {
        splits: old.iter().map(|(id, _)| (*id, "run-105".to_string())).collect(),
        ..BuildEdits::default()
    });
    let after = session.builds(now());
    assert_eq!(after.len(), 2, "{after:?}");
    let split = after.iter().find(|b| b.id == "run-105").expect("the new build");
    assert_eq!(split.files, old);
    let rest = after.iter().find(|b| b.id != "run-105").unwrap();
    assert!(rest.files.iter().all(|(_, f)| f.starts_with("builds/106/")));
    assert_eq!(split.time, rest.time, "the split keeps its build's time");
    assert_eq!(split.reports + rest.reports, before[0].reports);
}

#[test]
fn a_file_too_big_for_a_tab_is_refused_by_name_and_limit_before_reading() {
    use scanlens_core::session::{MAX_FILE_BYTES, MAX_TOTAL_BYTES};
    let page = Session::new();
    let error = page.admit("huge.sarif", 3 * MAX_FILE_BYTES / 2).unwrap_err();
    assert_eq!(error, "huge.sarif: 1.5 GB is more than the 1.0 GB one file may be in a browser tab; `scanlens summary` reads it on the command line");
    assert!(page.admit("big.sarif", MAX_FILE_BYTES).is_ok());
    const { assert!(MAX_TOTAL_BYTES > MAX_FILE_BYTES) };
    // The total limit, with limits small enough to reach: the demo is about 84 KB.
    let mut session = Session::with_limits(64 << 10, 100 << 10);
    load_demo(&mut session);
    let before = session.dashboard(now());
    let error = session.admit("last-straw.json", 30 << 10).unwrap_err();
    assert!(error.starts_with("last-straw.json: 30.0 KB more would pass the 100.0 KB all files together may be in a browser tab ("), "{error}");
    assert!(session.admit("small.json", 1 << 10).is_ok());
    assert_eq!(session.dashboard(now()), before, "refusing touches nothing loaded");
}

/// A decision about entry `e` of the latest build, as the page makes one from the detail.
fn decide(session: &mut Session, e: usize, status: Status, expires: Option<&str>) -> Decision {
    let detail = session.detail(e, now()).unwrap();
    Decision {
        fingerprint: detail.fingerprint.clone(),
        status,
        justification: "behind the VPN only".into(),
        by: "Grace".into(),
        at: None,
        expires: expires.map(String::from),
        component: detail.row.component.clone(),
        vulnerability: detail.ids.first().map(|l| l.text.clone()),
        rule: Some(detail.row.rule.clone()),
        package: None,
        title: detail.row.title.clone(),
    }
}

#[test]
fn triage_excuses_one_finding_in_the_gate_says_who_and_comes_back_from_its_exports() {
    let mut session = Session::new();
    // Build 102 fails the demo's gate (before its policy): a critical and high findings.
    for (i, name) in demo_builds()[1].iter().enumerate() {
        session.add(i as u32, 0, name, &std::fs::read(demo().join(name)).unwrap());
    }
    let before = session.dashboard(now());
    assert!(!before.gate.passed);
    // A vulnerability, so its decision can go out as OpenVEX too.
    let first = before.failing.iter().find(|r| r.kind == "vulnerability").unwrap().entry;
    let failing = before.gate.failing;

    // Will fix: recorded, still failing.
    let will_fix = decide(&mut session, first, Status::WillFix, None);
    session.set_triage(vec![will_fix.clone()]);
    assert_eq!(session.dashboard(now()).gate.failing, failing);
    assert_eq!(session.detail(first, now()).unwrap().triage, Some(will_fix));

    // Accepted risk: excused, and the report says by whom and why.
    let accepted = decide(&mut session, first, Status::AcceptedRisk, None);
    session.set_triage(vec![accepted.clone()]);
    let after = session.dashboard(now());
    assert_eq!(after.gate.failing, failing - 1);
    assert_eq!(after.gate.triaged, 1);
    assert!(after.detail_line().contains("1 excused by triage"));
    let html = session.report_html(now());
    assert!(html.contains("accepted risk (triaged by Grace): behind the VPN only"), "{html}");

    // Expired: no longer excuses.
    let expired = decide(&mut session, first, Status::AcceptedRisk, Some("2026-01-01"));
    session.set_triage(vec![expired]);
    assert_eq!(session.dashboard(now()).gate.failing, failing);

    // Exported as policy rules and dropped back (no triage in the page): the gate honours it,
    // and the file gives the decision back.
    session.set_triage(vec![accepted.clone()]);
    let rules = scanlens_core::triage::policy_rules(session.triage());
    session.set_triage(Vec::new());
    let summary = session.add(900, 1, "triage.toml", rules.as_bytes());
    assert_eq!(summary.policy.unwrap().error, None);
    assert_eq!(summary.triage.len(), 1);
    assert_eq!(summary.triage[0].fingerprint, accepted.fingerprint);
    assert_eq!(summary.triage[0].by, "Grace");
    assert_eq!(session.dashboard(now()).gate.failing, failing - 1);
    // Both the file and the page's store: counted once.
    session.set_triage(summary.triage.clone());
    assert_eq!(session.dashboard(now()).gate.failing, failing - 1);
    session.remove(900);

    // Exported as OpenVEX and dropped back: the decision comes back from it.
    let vex = scanlens_core::triage::openvex(std::slice::from_ref(&accepted), now());
    let summary = session.add(901, 1, "triage.openvex.json", vex.as_bytes());
    assert_eq!(summary.triage.len(), 1);
    {
        let back = &summary.triage[0];
        assert_eq!(
            (back.fingerprint.as_str(), back.status, back.justification.as_str()),
            (accepted.fingerprint.as_str(), Status::AcceptedRisk, "behind the VPN only")
        );
    }
}

#[test]
fn a_hash_given_later_fills_the_file_and_its_reports_and_one_not_given_is_computed() {
    let sarif = br#"{"version":"2.1.0","runs":[]}"#;
    let other_bytes = std::fs::read(
        common::fixtures_dir()
            .join("github-code-scanning")
            .read_dir()
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
    )
    .unwrap();
    let mut session = Session::new();
    let mut plain = session.add_hashed(1, 1, "a.sarif", sarif, Some(""));
    assert_eq!(plain.reports[0].sha256, "");
    session.set_sha256(1, "ab".repeat(32).as_str(), &mut plain);
    assert_eq!(plain.reports[0].sha256, "ab".repeat(32));
    assert_eq!(session.inputs()[0].sha256, "ab".repeat(32));
    assert_eq!(session.reports()[0].sha256, "ab".repeat(32));
    // Computed here when not given: the same as the CLI's.
    let other = session.add(2, 1, "b.json", &other_bytes);
    assert_eq!(other.reports[0].sha256, scanlens_core::sha256_hex(&other_bytes));
}
