//! One small, hand-written input per quirk in FORMATS.md §7 (tests/fixtures/), each with the
//! behaviour it pins down asserted value by value.

use scanlens_core::model::{DiagnosticLevel, FindingKind, Outcome, State};
use scanlens_core::{FormatId, Report, Severity};

fn load(rel: &str) -> Vec<Report> {
    let path = format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    scanlens_core::ingest(rel, &bytes)
}

fn one(rel: &str) -> Report {
    let mut reports = load(rel);
    assert_eq!(reports.len(), 1, "{rel}");
    reports.remove(0)
}

fn severities(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.rating.severity.as_str()).collect()
}

#[test]
fn sarif_rules_in_extensions_are_found_through_tool_component() {
    let r = one("sarif/rules-in-extensions.sarif");
    let f = &r.findings[0];
    assert_eq!(f.rule_id.as_deref(), Some("js/xss"));
    assert_eq!(f.title.as_deref(), Some("Reflected XSS"));
    assert_eq!(
        (f.rating.severity, f.rating.raw.as_ref(), f.rating.source.as_ref()),
        (Severity::Medium, "6.1", "security-severity")
    );
    assert_eq!(f.cwes[..], [79, 116]);
    assert_eq!(f.path(), Some("routes/search.ts"), "%SRCROOT% without an entry stays relative");
    assert_eq!(
        f.tool_fingerprints,
        [("partial:primaryLocationLineHash".into(), "4f1e0a3c2b9d8e7f:1".to_string())]
    );
    assert_eq!(r.tools[0].version.as_deref(), Some("2.8.3"));
}

#[test]
fn sarif_severity_comes_from_security_severity_then_level_then_rule_default() {
    let r = one("sarif/levels-and-security-severity.sarif");
    assert_eq!(
        severities(&r),
        ["medium", "critical", "low", "high", "high", "medium", "high", "info"]
    );
    let sources: Vec<&str> = r.findings.iter().map(|f| f.rating.source.as_ref()).collect();
    assert_eq!(sources[0], "security-severity");
    assert_eq!(sources[2], "SARIF rule default level", "0.0 is no security-severity");
    assert_eq!(sources[4], "SARIF rule default level", "after ruleConfigurationOverrides");
    assert_eq!(sources[5], "SARIF default level (none given)");
    assert_eq!(sources[6], "result security-severity");
    assert_eq!(r.scan_time.map(|t| t.to_string()).as_deref(), Some("2026-03-01T09:00:00.500Z"));
}

#[test]
fn sarif_kinds_suppressions_and_baseline_state() {
    let r = one("sarif/kinds-suppressions-baseline.sarif");
    let outcomes: Vec<Outcome> = r.non_findings.iter().map(|f| f.outcome).collect();
    assert_eq!(outcomes, [Outcome::Pass, Outcome::NotApplicable]);
    assert_eq!(r.findings.len(), 3);
    let states: Vec<State> = r.findings.iter().map(|f| f.status.state).collect();
    assert_eq!(
        states,
        [State::Open, State::Suppressed, State::Open],
        "an underReview suppression does not suppress"
    );
    assert_eq!(r.findings[1].status.justification.as_deref(), Some("test data only"));
    assert_eq!(r.findings[1].status.raw.as_deref(), Some("inSource"));
    assert!(r.findings[0].properties.contains(&("baselineState".to_string(), "new".to_string())));
}

#[test]
fn sarif_uris_messages_and_code_flows() {
    let r = one("sarif/uris-messages-flows.sarif");
    assert_eq!(r.tools[0].name, "unnamed SARIF tool", "an empty driver name is named as such");
    let f = &r.findings[0];
    assert_eq!(f.message.text.as_deref(), Some("Tainted input reaches exec."));
    assert_eq!(
        f.path(),
        Some("file:///build/repo/app/main.go"),
        "base ids resolve through their chain"
    );
    let region = f.locations[0].region.unwrap();
    assert_eq!((region.start_line, region.end_line), (Some(12), Some(14)), "startLine as a string");
    assert_eq!(f.locations[0].snippet.as_deref(), Some("exec(input)"));
    let steps: Vec<(Option<&str>, Option<&str>)> =
        f.code_flows[0].steps.iter().map(|s| (s.uri.as_deref(), s.message.as_deref())).collect();
    assert_eq!(
        steps,
        [
            (Some("file:///build/repo/lib/util.go"), Some("source")),
            (Some("file:///build/repo/app/main.go"), Some("sink"))
        ]
    );
    assert_eq!(r.findings[1].rule_id, None, "no ruleId");
    assert_eq!(r.findings[1].path(), Some("C:\\github\\repo\\x.go"));
    assert_eq!(r.findings[2].path(), Some("go.mod"));
}

#[test]
fn a_bad_sarif_result_costs_only_itself_with_its_json_path() {
    let r = one("sarif/bad-result.sarif");
    let rules: Vec<&str> = r.findings.iter().filter_map(|f| f.rule_id.as_deref()).collect();
    assert_eq!(rules, ["ok-1", "ok-2"]);
    assert_eq!(r.diagnostics.len(), 1);
    let d = &r.diagnostics[0];
    assert_eq!(
        (d.level, d.path.as_deref()),
        (DiagnosticLevel::Warning, Some("runs[0].results[1]"))
    );
    assert!(
        d.message.starts_with("result skipped: invalid type: string \"nope\", expected a sequence"),
        "{}",
        d.message
    );
}

#[test]
fn trivy_check_ids_canonicalise_and_pass_exception_are_kept() {
    let r = one("trivy/misconfig-id-forms.json");
    let ids: Vec<&str> = r.findings.iter().filter_map(|f| f.rule_id.as_deref()).collect();
    assert_eq!(ids, ["DS-0002", "DS-0026"], "AVDID wins over ID when both are given");
    let kept: Vec<(Outcome, Option<&str>)> =
        r.non_findings.iter().map(|f| (f.outcome, f.rule_id.as_deref())).collect();
    assert_eq!(kept, [(Outcome::Pass, Some("DS-0001")), (Outcome::Exception, Some("KSV-0024"))]);
    assert_eq!(r.scan_time.map(|t| t.to_string()).as_deref(), Some("2025-01-14T23:30:00.123Z"));
}

#[test]
fn trivy_vex_statuses_vendor_severity_and_fixed_versions() {
    let r = one("trivy/vex-statuses-and-vendor-severity.json");
    assert_eq!(r.components[0].name, "registry.example/app:1.2");
    let f = &r.findings[0];
    assert_eq!(f.rating.explain(), "high from Trivy Severity (source: debian) \"HIGH\"");
    let p = f.package.as_ref().unwrap();
    assert_eq!(
        (p.name.as_str(), p.version.as_deref(), p.fixed_versions.as_slice()),
        ("openssl", Some("3.0.11"), ["3.0.13".to_string(), "3.1.5".to_string()].as_slice())
    );
    assert_eq!(f.cvss[0].score, Some(9.8));
    assert_eq!(f.cwes[..], [787]);
    assert_eq!(
        (f.status.state, f.status.raw.as_deref()),
        (State::Open, Some("fixed")),
        "Trivy's `fixed` means a fix exists"
    );
    assert_eq!(
        (r.findings[1].status.state, r.findings[1].rating.severity),
        (State::NotAffected, Severity::Critical)
    );
    assert_eq!(
        (r.findings[2].status.state, r.findings[2].rating.severity),
        (State::Open, Severity::Unknown)
    );
}

#[test]
fn trivy_without_results_is_read_with_a_note() {
    let r = one("trivy/no-results.json");
    assert_eq!(r.format, Some(FormatId::TrivyJson));
    assert!(r.findings.is_empty());
    assert_eq!(r.diagnostics[0].level, DiagnosticLevel::Info);
}

#[test]
fn trivy_keys_in_any_order_give_the_same_findings() {
    // Results before ArtifactName, and the first result's Vulnerabilities before its Target
    // and Type: read from the kept span instead of as they stream by. One vulnerability is
    // bad, so the report is read a second time with each element isolated.
    let r = one("trivy/keys-out-of-order.json");
    // The same report in Trivy's own order (serde_json writes keys sorted, which puts
    // ArtifactName before Results and Class, Target, Type before Vulnerabilities).
    let value: serde_json::Value = serde_json::from_slice(
        &std::fs::read(format!(
            "{}/tests/fixtures/trivy/keys-out-of-order.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let ordered = scanlens_core::ingest("ordered.json", value.to_string().as_bytes()).remove(0);
    let seen = |r: &Report| -> Vec<String> {
        r.findings
            .iter()
            .chain(&r.non_findings)
            .map(|f| {
                let ecosystem = f.package.as_ref().and_then(|p| p.ecosystem.clone());
                format!("{:?} {:?} {:?} {:x}", f.rule_id, f.target, ecosystem, f.fingerprint)
            })
            .collect()
    };
    assert_eq!(seen(&r), seen(&ordered));
    let rules: Vec<&str> = r.findings.iter().filter_map(|f| f.rule_id.as_deref()).collect();
    assert_eq!(rules, ["CVE-2024-0101", "CVE-2024-0102", "CVE-2024-0104", "DS-0002"]);
    assert_eq!(r.findings[0].target.as_deref(), Some("package-lock.json"));
    assert_eq!(r.findings[0].package.as_ref().unwrap().ecosystem.as_deref(), Some("npm"));
    assert_eq!(r.components[0].name, "registry.example/web:2.0");
    let cwes: Vec<&[u32]> = r.findings.iter().map(|f| f.cwes.as_slice()).collect();
    assert_eq!(cwes, [&[1321][..], &[79], &[20], &[]], "a lone id, and a list with junk");
    let bad: Vec<(&str, Option<&str>)> =
        r.diagnostics.iter().map(|d| (d.message.as_str(), d.path.as_deref())).collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].0.starts_with("vulnerability skipped: invalid type: string"), "{bad:?}");
    assert_eq!(bad[0].1, Some("Results[1].Vulnerabilities[1]"));
}

#[test]
fn grype_missing_severity_negligible_epss_kev_and_ignored_matches() {
    let r = one("grype/quirks.json");
    assert_eq!(severities(&r), ["unknown", "info"]);
    assert_eq!(r.findings[0].rating.source, "Grype severity missing");
    let f = &r.findings[1];
    assert_eq!(f.vuln_ids, ["GHSA-aaaa-bbbb-cccc", "CVE-2023-1111"]);
    assert_eq!((f.epss.as_deref().copied(), f.kev), (Some((0.91, 0.99)), true));
    assert_eq!(f.cvss[0].score, Some(8.1), "related records' CVSS is kept");
    assert_eq!(r.non_findings.len(), 1);
    assert_eq!(r.non_findings[0].outcome, Outcome::Ignored);
    assert_eq!(r.components[0].name, ".");
    assert_eq!(r.scan_time.map(|t| t.to_string()).as_deref(), Some("2024-07-12T14:37:03.483Z"));
}

#[test]
fn gosec_line_ranges_string_columns_nosec_and_suppressions() {
    let r = one("gosec/line-range-nosec.json");
    let region = r.findings[0].locations[0].region.unwrap();
    assert_eq!(
        (region.start_line, region.end_line, region.start_column),
        (Some(12), Some(13), Some(7))
    );
    assert_eq!(r.findings[0].confidence.as_deref(), Some("HIGH"));
    let states: Vec<(State, Option<&str>)> =
        r.findings.iter().map(|f| (f.status.state, f.status.justification.as_deref())).collect();
    assert_eq!(
        states,
        [
            (State::Open, None),
            (State::Suppressed, None),
            (State::Suppressed, Some("closing a read-only file"))
        ]
    );
    assert_eq!(r.components[0].name, "/src/app");
    assert_eq!(r.findings[1].cwes[..], [338]);
}

#[test]
fn govulncheck_keeps_the_deepest_reachability_per_osv_and_module() {
    let r = one("govulncheck/levels-stream.json");
    assert_eq!(r.components[0].name, "example.com/app");
    assert_eq!(r.findings.len(), 2, "three sightings of GO-2024-2687 are one finding");
    let f = &r.findings[0];
    assert_eq!((f.rating.severity, f.rating.raw.as_ref()), (Severity::High, "symbol"));
    assert_eq!(f.vuln_ids, ["GO-2024-2687", "CVE-2023-45288", "GHSA-4v7x-pqxf-cx7m"]);
    assert_eq!(f.package.as_ref().unwrap().fixed_versions[..], ["v0.23.0"]);
    let steps: Vec<Option<&str>> =
        f.code_flows[0].steps.iter().map(|s| s.logical.as_deref()).collect();
    assert_eq!(
        steps,
        [Some("example.com/app.main"), Some("golang.org/x/net/http2.*Server.ServeConn")]
    );
    assert_eq!(
        (r.findings[1].rating.severity, r.findings[1].rating.raw.as_ref()),
        (Severity::Info, "module")
    );
}

#[test]
fn dependabot_zero_cvss_is_no_score_and_auto_dismissed_is_dismissed() {
    let r = one("dependabot/quirks-rest.json");
    let f = &r.findings[0];
    assert!(f.cvss.is_empty(), "score 0.0 with a null vector means no score");
    assert_eq!(
        (f.status.state, f.status.raw.as_deref()),
        (State::Dismissed, Some("auto_dismissed"))
    );
    assert_eq!(f.kind, FindingKind::DependencyAlert);
    assert_eq!(f.cwes[..], [1333]);
    assert_eq!(r.components[0].name, "github.com/acme/shop");
    assert!(f.dates().dismissed.is_some());
}

#[test]
fn code_scanning_python_none_strings_read_as_null() {
    let r = one("code-scanning/python-none-strings.json");
    let f = &r.findings[0];
    assert_eq!(
        (f.rating.severity, f.rating.source.as_ref()),
        (Severity::High, "code scanning rule severity")
    );
    assert_eq!(f.status.state, State::Dismissed);
    assert_eq!(f.status.justification.as_deref(), Some("false positive: input is a constant"));
    assert!(f.dates().fixed.is_none());
    assert!(!f.properties.iter().any(|(k, _)| k == "commit"), "\"None\" is no commit");
}

#[test]
fn misc_bom_trailing_garbage_unknown_json_and_fake_zip() {
    let r = one("misc/bom-runs-null.sarif");
    assert_eq!(r.format, Some(FormatId::Sarif));
    assert!(r.diagnostics.iter().any(|d| d.message == "the log has no runs: no findings"));
    let r = one("misc/trailing-garbage.json");
    assert_eq!(r.format, None);
    assert!(
        r.diagnostics[0].message.starts_with("unrecognised JSON: 2 concatenated values"),
        "{:?}",
        r.diagnostics
    );
    let r = one("misc/unknown.json");
    assert_eq!(r.diagnostics[0].message, "unrecognised JSON: an object with keys name, dependencies; scanlens reads SARIF, Trivy, Grype, gosec, govulncheck, Dependabot and code-scanning alert exports");
    let r = one("misc/fake.zip");
    assert_eq!(
        (r.diagnostics[0].level, r.diagnostics[0].message.as_str()),
        (DiagnosticLevel::Error, "zip: no zip central directory (truncated download?)")
    );
}

#[test]
fn a_ci_artifact_zip_becomes_one_report_per_member() {
    let reports = load("archive/artifact.zip");
    let names: Vec<&str> = reports.iter().map(|r| r.file_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "archive/artifact.zip/reports/sarif/codeql.sarif",
            "archive/artifact.zip/reports/trivy/image.json.gz/image.json",
            "archive/artifact.zip/reports/broken.json",
            "archive/artifact.zip/README.txt",
        ]
    );
    let formats: Vec<Option<FormatId>> = reports.iter().map(|r| r.format).collect();
    assert_eq!(formats, [Some(FormatId::Sarif), Some(FormatId::TrivyJson), None, None]);
    assert_eq!(reports[0].findings.len(), 1);
    assert_eq!(reports[1].findings.len(), 3);
    assert!(reports[2].diagnostics[0].message.starts_with("not JSON: the file ends too early, EOF while parsing a list (a truncated download?) at byte offset 10"), "{:?}", reports[2].diagnostics);
    assert!(reports[3].diagnostics[0]
        .message
        .starts_with("not JSON: expected value at byte offset 0"));
    // Members are hashed as extracted, so their hashes match the files they were made from.
    let original = std::fs::read(format!(
        "{}/tests/fixtures/sarif/rules-in-extensions.sarif",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_eq!(reports[0].sha256, scanlens_core::sha256_hex(&original));
}

#[test]
fn a_zip_bomb_member_is_refused_and_its_neighbours_are_read() {
    let reports = load("archive/bomb.zip");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].file_name, "archive/bomb.zip/huge.json");
    assert_eq!(reports[0].diagnostics[0].level, DiagnosticLevel::Error);
    assert!(
        reports[0].diagnostics[0].message.contains("over the 250× limit: a zip bomb?"),
        "{:?}",
        reports[0].diagnostics
    );
    assert_eq!(reports[1].format, Some(FormatId::GrypeJson));
    assert_eq!(reports[1].findings.len(), 2);
}

#[test]
fn gzip_is_unpacked_by_content() {
    let reports = load("archive/scan.json.gz");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].file_name, "archive/scan.json.gz/scan.json");
    assert_eq!(reports[0].format, Some(FormatId::GrypeJson));
    let limits = scanlens_core::archive::Limits { max_member_bytes: 100, ..Default::default() };
    let bytes = std::fs::read(format!(
        "{}/tests/fixtures/archive/scan.json.gz",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let options = scanlens_core::Options { limits, ..Default::default() };
    let refused = scanlens_core::ingest_with("scan.json.gz", &bytes, &options);
    assert_eq!(
        refused[0].diagnostics[0].message,
        "gzip: expands past the 100 B limit for one file"
    );
}

#[test]
fn dependabot_rest_snake_case_fields_are_read() {
    let r = one("dependabot/quirks-rest.json");
    let f = &r.findings[1];
    assert_eq!(
        f.vuln_ids,
        ["GHSA-w5hq-g745-h8pq", "CVE-2026-41907"],
        "from ghsa_id and cve_id alone"
    );
    assert_eq!(f.cvss.len(), 1, "cvss_v3 kept, the 0.0 cvss_v4 dropped");
    assert_eq!((f.cvss[0].score, f.cvss[0].version.as_deref()), (Some(7.5), Some("3")));
    assert_eq!(f.rating.severity, Severity::Medium, "the advisory severity, not the CVSS band");
    let p = f.package.as_ref().unwrap();
    assert_eq!(
        (p.ecosystem.as_deref(), p.name.as_str(), p.fixed_versions.as_slice()),
        (Some("npm"), "uuid", ["11.1.1".to_string()].as_slice())
    );
    assert!(f.message.text.as_deref().unwrap().ends_with("uuid < 11.1.1"));
    assert_eq!(f.dates().published.map(|t| t.date()).as_deref(), Some("2026-04-22"));
}

#[test]
fn a_supplied_hash_is_used_for_a_plain_document_and_members_are_hashed_here() {
    let options = scanlens_core::Options { sha256: Some("given".into()), ..Default::default() };
    let plain = scanlens_core::ingest_with("doc.json", br#"{"Issues": [], "Stats": {}}"#, &options);
    assert_eq!((plain[0].sha256.as_str(), plain[0].format), ("given", Some(FormatId::GosecJson)));
    let bytes = std::fs::read(format!(
        "{}/tests/fixtures/archive/scan.json.gz",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let members = scanlens_core::ingest_with("scan.json.gz", &bytes, &options);
    let inner =
        std::fs::read(format!("{}/tests/fixtures/grype/quirks.json", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
    assert_eq!(members[0].sha256, scanlens_core::sha256_hex(&inner));
}

#[test]
fn sarif_keys_in_any_order_give_the_same_findings() {
    // Run 0 has its results before its tool; run 1 states URI bases and level overrides
    // after its results; the version comes last. Streaming falls back to buffering here.
    let r = one("sarif/keys-out-of-order.sarif");
    let seen: Vec<(Option<&str>, Severity, &str)> = r
        .findings
        .iter()
        .map(|f| (f.path(), f.rating.severity, f.rating.source.as_ref()))
        .collect();
    assert_eq!(
        seen,
        [
            (Some("file:///repo/a.go"), Severity::Low, "SARIF rule default level"),
            (Some("file:///repo/b.go"), Severity::High, "SARIF rule default level"),
        ]
    );
    assert_eq!(r.tools.len(), 1);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn a_format_can_be_forced_and_a_wrong_one_is_a_diagnostic_not_a_panic() {
    use scanlens_core::formats::{all, parse_as};
    let path = format!("{}/tests/fixtures/gosec/line-range-nosec.json", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(path).unwrap();
    let forced = parse_as(FormatId::GosecJson, "gosec.json", &bytes);
    assert_eq!((forced.format, forced.findings.len()), (Some(FormatId::GosecJson), 3));
    assert_eq!(all().len(), 16, "every format in the registry");
    for id in all() {
        let report = parse_as(id, "gosec.json", &bytes);
        if id != FormatId::GosecJson {
            assert!(report.findings.is_empty(), "{id:?} read gosec findings");
        }
    }
    let wrong = parse_as(FormatId::Sarif, "x", b"[1, 2");
    assert_eq!(wrong.diagnostics[0].level, DiagnosticLevel::Error);
}

#[test]
fn a_document_not_utf8_is_read_with_replacement_characters_and_a_warning() {
    // A Latin-1 "é" (one byte, 0xE9), as a tool on a Windows code page might write it.
    let rel = "sarif/rules-in-extensions.sarif";
    let clean =
        std::fs::read(format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let at = clean.windows(9).position(|w| w == b"scripting").unwrap() + 9;
    let mut bytes = clean[..at].to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(&clean[at..]);
    let reports = scanlens_core::ingest(rel, &bytes);
    let (r, original) = (&reports[0], one(rel));
    assert_eq!(r.findings.len(), original.findings.len());
    assert_eq!(
        r.findings[0].message.text.as_deref(),
        Some("Cross-site scripting\u{FFFD} from [user input](1).")
    );
    let warnings: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Warning)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        warnings,
        [format!(
            "not UTF-8 from byte offset {at}: each invalid sequence is shown as U+FFFD (\u{FFFD})"
        )]
    );
}

#[test]
fn text_known_to_be_utf8_reads_as_its_bytes_do() {
    // As the page's worker gives it, with and without a byte-order mark.
    let rel = "sarif/levels-and-security-severity.sarif";
    let clean =
        std::fs::read(format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let text = String::from_utf8(clean).unwrap();
    let options = scanlens_core::Options { sha256: Some("0".repeat(64)), ..Default::default() };
    for text in [text.clone(), format!("\u{FEFF}{text}")] {
        // With the paths interned ahead, as the worker does while the file arrives.
        let mut interner = scanlens_core::intern::Interner::default();
        interner.scan(text.as_bytes());
        let from_text = scanlens_core::ingest_text(rel, &text, interner, &options);
        let from_bytes = scanlens_core::ingest_with(rel, text.as_bytes(), &options);
        assert_eq!(severities(&from_text[0]), severities(&from_bytes[0]));
        assert_eq!(severities(&from_text[0]).len(), 8);
        let fingerprints =
            |r: &[Report]| r[0].findings.iter().map(|f| f.fingerprint).collect::<Vec<_>>();
        assert_eq!(fingerprints(&from_text), fingerprints(&from_bytes));
        assert_eq!(from_text[0].diagnostics.len(), from_bytes[0].diagnostics.len());
    }
}

#[test]
fn paths_interned_ahead_are_the_ones_findings_share() {
    let rel = "sarif/rules-in-extensions.sarif";
    let text = String::from_utf8(
        std::fs::read(format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap(),
    )
    .unwrap();
    let mut interner = scanlens_core::intern::Interner::default();
    interner.scan(text.as_bytes());
    let ahead = interner.get("routes/search.ts");
    let reports = scanlens_core::ingest_text(rel, &text, interner, &Default::default());
    let uri = reports[0].findings[0].locations[0].uri.as_ref().unwrap();
    assert!(std::rc::Rc::ptr_eq(uri, &ahead), "the parse used the interner it was given");
}
