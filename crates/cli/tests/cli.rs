//! The built `scanlens` binary, driven as CI drives it: arguments in, output and exit code out.

use std::process::{Command, Output};

fn scanlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scanlens")).args(args).output().expect("run scanlens")
}

fn shared(rel: &str) -> String {
    let dir = std::env::var("SCANLENS_FIXTURES").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures").to_string()
    });
    format!("{dir}/{rel}")
}

fn own(rel: &str) -> String {
    format!("{}/../core/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn summary_json(paths: &[String]) -> serde_json::Value {
    let mut args = vec!["summary", "--json"];
    args.extend(paths.iter().map(String::as_str));
    let out = scanlens(&args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("summary --json prints JSON")
}

#[test]
fn version_names_the_package_version() {
    let out = scanlens(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("scanlens {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unknown_command_is_an_error_with_exit_code_2() {
    let out = scanlens(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown command \"frobnicate\""));
}

#[test]
fn summary_json_counts_a_dependabot_export_by_state() {
    // The corpus index records this export as 98 open, 21 fixed and 10 auto-dismissed alerts.
    let json = summary_json(&[shared("dependabot/psychomodels-alerts-129-mixed-states.json")]);
    let file = &json["files"][0];
    assert_eq!(file["format"], "dependabot-rest-alerts");
    assert_eq!(file["tool"], "Dependabot");
    assert_eq!(file["findings"], 129);
    assert_eq!(file["suppressed"], 31);
    let open: u64 = ["critical", "high", "medium", "low", "info", "unknown"]
        .iter()
        .map(|s| file["severity"][s].as_u64().unwrap())
        .sum();
    assert_eq!(open, 98);
    assert_eq!(file["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn summary_json_reads_several_formats_at_once() {
    let json = summary_json(&[
        shared("grype/old-grype-0.7-negligible.json"),
        shared("trivy/fs-scan-large-vuln-misconfig-secret.json"),
        shared("sarif-misc/flawfinder-2.0.19-kind-pass-fail.sarif"),
    ]);
    let files = json["files"].as_array().unwrap();
    // Grype 0.7: 327 matches, 106 Negligible (info) and 10 Unknown (index notes).
    assert_eq!(
        (files[0]["format"].as_str(), files[0]["findings"].as_u64()),
        (Some("grype-json"), Some(327))
    );
    assert_eq!(
        (files[0]["severity"]["info"].as_u64(), files[0]["severity"]["unknown"].as_u64()),
        (Some(106), Some(10))
    );
    assert_eq!(files[0]["tool_version"], "0.7.0");
    // Trivy fs scan: 281 vulnerabilities, 255 misconfigurations, 1 secret.
    assert_eq!(files[1]["findings"], 537);
    // flawfinder: `kind: pass` is kept but is not a finding.
    assert_eq!(files[2]["non_findings"], 1);
    assert_eq!(files[2]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn summary_of_a_zip_lists_every_member_and_broken_members_do_not_fail_the_run() {
    let json = summary_json(&[own("archive/artifact.zip")]);
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    assert!(files[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("artifact.zip/reports/sarif/codeql.sarif"));
    assert_eq!(files[1]["format"], "trivy-json");
    assert_eq!(files[1]["findings"], 3);
    assert_eq!(files[2]["format"], serde_json::Value::Null);
    assert_eq!(files[2]["diagnostics"][0]["level"], "error");
}

#[test]
fn summary_table_names_format_tool_and_counts() {
    let out = scanlens(&["summary", &shared("trivy/alpine-310-image.json")]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let row = text.lines().nth(1).expect("one row");
    assert!(row.starts_with("alpine-310-image.json"), "{row}");
    assert!(row.contains("trivy-json") && row.contains("Trivy"), "{row}");
}

#[test]
fn a_file_that_cannot_be_read_is_exit_code_2() {
    let out = scanlens(&["summary", "/nonexistent/scan.sarif"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("scanlens: cannot read /nonexistent/scan.sarif"));
    let out = scanlens(&["summary"]);
    assert_eq!(out.status.code(), Some(2));
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("scanlens-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn gate_fails_on_high_and_critical_by_default_with_exit_code_1() {
    let out = scanlens(&["gate", &own("dedup/trivy-app.json"), &own("dedup/grype-app.json")]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(
            "FAIL: 2 finding(s) at or above high (7 findings, 2 merged across tools)\n"
        ),
        "{text}"
    );
    assert!(text.contains("critical GHSA-aaaa-1000-zzzz openssl@3.0.11"), "{text}");
    assert!(text.contains("(not-affected in its source)"), "{text}");
}

#[test]
fn gate_passes_with_exit_code_0_when_nothing_reaches_the_threshold() {
    let out = scanlens(&["gate", &shared("grype/no-vulns.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with("PASS: no finding at or above high fails the gate (0 findings"));
    // The Trivy alpine 3.10 image has medium findings only at the top: it passes at
    // "high" and fails at "medium".
    let json = |args: &[&str]| -> (Option<i32>, serde_json::Value) {
        let out = scanlens(args);
        (out.status.code(), serde_json::from_slice(&out.stdout).unwrap())
    };
    let file = shared("trivy/alpine-310-image.json");
    let (code, v) = json(&["gate", "--format", "json", &file]);
    let highest = v["excused"].as_array().unwrap().len() + v["failing"].as_array().unwrap().len();
    assert_eq!((code, v["passed"].as_bool(), highest), (Some(0), Some(true), 0));
    let (code, v) = json(&["gate", "--fail-on", "medium", "--format", "json", &file]);
    assert_eq!(
        (code, v["passed"].as_bool(), v["fail_on"].as_str()),
        (Some(1), Some(false), Some("medium"))
    );
    assert!(!v["failing"].as_array().unwrap().is_empty());
    assert_eq!(v["failing"][0]["sources"][0]["tool"], "Trivy");
}

#[test]
fn gate_honours_the_policy_file_and_rejects_a_bad_one_with_line_and_column() {
    let policy = temp_file(
        "scanlens.toml",
        "[[ignore]]\nvulnerability = \"CVE-2024-4000\"\njustification = \"busybox applets unused\"\n\n[[ignore]]\nvulnerability = \"CVE-2024-1000\"\njustification = \"was accepted\"\nexpires = \"2020-01-01\"\n",
    );
    let out = scanlens(&[
        "gate",
        "--policy",
        &policy,
        "--format",
        "json",
        &own("dedup/trivy-app.json"),
        &own("dedup/grype-app.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["failing"].as_array().unwrap().len(), 1);
    assert_eq!(v["excused"][1]["excused"], "ignored by policy (line 1): busybox applets unused");
    assert_eq!(v["expired_ignores"][0]["line"], 5);
    assert_eq!(v["policy_sha256"].as_str().unwrap().len(), 64);

    let bad = temp_file("bad.toml", "[gate]\nfail_on = \"high\"\nfial_on = \"low\"\n");
    let out = scanlens(&["gate", "--policy", &bad, &own("dedup/trivy-app.json")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml: line 3, column 1: unknown field `fial_on`"), "{err}");

    let out = scanlens(&["gate", "--fail-on", "severe", &own("dedup/trivy-app.json")]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn diff_counts_new_fixed_and_unchanged_between_two_builds() {
    let old = shared("github-code-scanning/greentic-flow-alerts-13-2026-03-31.json");
    let new = shared("github-code-scanning/greentic-flow-alerts-20-2026-04-02.json");
    let out = scanlens(&["diff", "--format", "json", &old, "--", &new]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (new_n, fixed_n, same) = (
        v["new"].as_array().unwrap().len(),
        v["fixed"].as_array().unwrap().len(),
        v["unchanged"].as_u64().unwrap() as usize,
    );
    let changed = v["changed_severity"].as_array().unwrap().len();
    assert_eq!(same + changed + fixed_n, 13, "every old alert is accounted for");
    assert_eq!(same + changed + new_n, 20, "every new alert is accounted for");
    let text = scanlens(&["diff", &old, "--", &new]);
    let first = String::from_utf8_lossy(&text.stdout).lines().next().unwrap().to_string();
    assert_eq!(
        first,
        format!("new {new_n}, fixed {fixed_n}, unchanged {same}, changed severity {changed}")
    );
    assert_eq!(scanlens(&["diff", &old]).status.code(), Some(2), "no -- separator");
}

#[test]
fn build_info_writes_a_sidecar_that_reads_back_as_build_information() {
    let out_path = temp_file("scanlens-build.json", "");
    let out = Command::new(env!("CARGO_BIN_EXE_scanlens"))
        .args(["build-info", "--time", "2026-03-02T10:00:00Z", "-o", &out_path])
        .env("GITHUB_RUN_ID", "4711")
        .env("GITHUB_RUN_ATTEMPT", "2")
        .env("GITHUB_SHA", "9fceb02")
        .env("GITHUB_REF_NAME", "main")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/app")
        .env_remove("GITHUB_HEAD_REF")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert_eq!(written["id"], "4711.2");
    assert_eq!(written["commit"], "9fceb02");
    assert_eq!(written["branch"], "main");
    assert_eq!(written["time"], "2026-03-02T10:00:00.000Z");
    assert_eq!(written["url"], "https://github.com/acme/app/actions/runs/4711");
    let summary = summary_json(&[out_path]);
    assert_eq!(summary["files"][0]["format"], "scanlens-build");
    assert_eq!(summary["files"][0]["scan_time"], "2026-03-02T10:00:00.000Z");

    let bare = Command::new(env!("CARGO_BIN_EXE_scanlens"))
        .args(["build-info", "-o", &temp_file("unused.json", "")])
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(bare.status.code(), Some(2), "no id and no commit is an error");
}

#[test]
fn merge_writes_one_sarif_log_that_reads_back() {
    let out_path = temp_file("merged.sarif", "");
    let out = scanlens(&[
        "merge",
        "-o",
        &out_path,
        &own("dedup/trivy-app.json"),
        &own("dedup/grype-app.json"),
        &shared("gosec/gh-app-auth.sarif"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("(2 merged across tools)"));
    let json = summary_json(std::slice::from_ref(&out_path));
    assert_eq!(json["files"][0]["format"], "sarif");
    let gate = scanlens(&["gate", "--format", "json", &out_path]);
    let original = scanlens(&[
        "gate",
        "--format",
        "json",
        &own("dedup/trivy-app.json"),
        &own("dedup/grype-app.json"),
        &shared("gosec/gh-app-auth.sarif"),
    ]);
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_slice(&gate.stdout).unwrap(),
        serde_json::from_slice(&original.stdout).unwrap(),
    );
    assert_eq!(
        a["passed"], b["passed"],
        "the merged log passes or fails the gate as its inputs do"
    );
    assert_eq!(a["failing"].as_array().unwrap().len(), b["failing"].as_array().unwrap().len());
    assert_eq!(
        scanlens(&["merge", &own("dedup/trivy-app.json")]).status.code(),
        Some(2),
        "-o is required"
    );
}

#[test]
fn gate_honours_vex_documents_given_with_the_reports() {
    let out = scanlens(&[
        "gate",
        &own("dedup/trivy-app.json"),
        &own("dedup/grype-app.json"),
        &own("vex/openvex.json"),
        &own("vex/cyclonedx-vex.json"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("(fixed per VEX ")
            && text.contains("openssl patched in the base image rebuild"),
        "{text}"
    );
    assert!(
        text.contains("not-affected per VEX ")
            && text.contains("the affected applet is not installed"),
        "{text}"
    );
    assert!(
        text.contains("VEX statement about CVE-1999-0001 in ")
            && text.contains("matched no finding"),
        "{text}"
    );
}

#[test]
fn compliance_exits_1_when_a_control_fails_and_0_otherwise() {
    let out = scanlens(&[
        "compliance",
        "--framework",
        "docker-cis-1.6.0",
        &shared("trivy/dockerfile-misconfig.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("CIS Docker Community Edition Benchmark v1.6.0 for testdata/fixtures/repo/dockerfile (derived from findings): 3 pass, 1 fail, 0 warn, 6 manual, 2 not assessed of 12; score 25%"), "{text}");
    assert!(text.contains("not-assessed 4.4      Ensure images are scanned and rebuilt to include security patches (needs a dependency scan)"), "{text}");
    let out = scanlens(&[
        "compliance",
        "--framework",
        "owasp-2025",
        "--json",
        &shared("grype/no-vulns.json"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let controls = v["checklists"][0]["controls"].as_array().unwrap();
    let status = |id: &str| {
        controls.iter().find(|c| c["id"] == id).unwrap()["status"].as_str().unwrap().to_string()
    };
    assert_eq!(status("A03:2025"), "no-findings", "a dependency scan ran and found nothing");
    assert_eq!(status("A05:2025"), "not-assessed", "no static analysis ran");
    assert_eq!(
        scanlens(&["compliance", "--framework", "iso-27001", &shared("grype/no-vulns.json")])
            .status
            .code(),
        Some(2)
    );
}

/// A minimal RFC 4180 reader: records of fields, quotes doubled inside quoted fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

#[test]
fn export_csv_parses_back_to_the_summary_counts_with_formulas_defused() {
    let files = [
        shared("dependabot/psychomodels-alerts-129-mixed-states.json"),
        shared("trivy/fs-scan-large-vuln-misconfig-secret.json"),
        shared("semgrep/juice-shop-semgrep-oss-1.69.sarif"),
        format!("{}/../../tests/hostile/hostile-codeql.sarif", env!("CARGO_MANIFEST_DIR")),
    ];
    let mut args = vec!["export", "--csv", "-"];
    args.extend(files.iter().map(String::as_str));
    let out = scanlens(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let records = parse_csv(&String::from_utf8(out.stdout).unwrap());
    let header = &records[0];
    assert_eq!(header, &scanlens_core::export::CSV_COLUMNS.map(String::from).to_vec());
    assert!(records.iter().all(|r| r.len() == header.len()), "every record has every column");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let summary = summary_json(&files);
    for file in summary["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        let rows: Vec<&Vec<String>> =
            records[1..].iter().filter(|r| r[col("file")] == path).collect();
        assert_eq!(rows.len() as u64, file["findings"].as_u64().unwrap(), "{path}");
        for severity in ["critical", "high", "medium", "low", "info", "unknown"] {
            let open = rows
                .iter()
                .filter(|r| r[col("severity")] == severity && r[col("state")] == "open")
                .count();
            assert_eq!(
                open as u64,
                file["severity"][severity].as_u64().unwrap(),
                "{path} {severity}"
            );
        }
    }
    // A scan that writes formulas gets them defused.
    let dir = std::env::temp_dir().join(format!("scanlens-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let formula = dir.join("formula.sarif");
    std::fs::write(&formula, r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"@tool"}},"results":[{"ruleId":"+cmd","message":{"text":"=HYPERLINK(\"http://evil.example\",\"x\")"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"-rf"}}}]}]}]}"#).unwrap();
    let out = scanlens(&["export", "--csv", "-", formula.to_str().unwrap()]);
    let rows = parse_csv(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(rows[1][col("title")], "'=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(rows[1][col("rule_id")], "'+cmd");
    assert_eq!(rows[1][col("tool")], "'@tool");
    assert_eq!(rows[1][col("path")], "'-rf");
    std::fs::remove_dir_all(&dir).unwrap();
    // No cell a spreadsheet would run.
    for record in &records[1..] {
        for cell in record {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read as _;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_scanlens"))
        .args(["export", "--csv", "-", &shared("semgrep/owasp-benchmark-semgrep-0.17.sarif")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then hang up, as `| head -1` does.
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn report_html_is_reproducible_from_generated_or_source_date_epoch_and_fails_cleanly() {
    let inputs = [own("dedup/trivy-app.json"), own("dedup/grype-app.json")];
    let run = |extra: &[&str], epoch: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_scanlens"));
        cmd.args(["report", "--html", "-"]).args(extra).args(&inputs);
        match epoch {
            Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
            None => cmd.env_remove("SOURCE_DATE_EPOCH"),
        };
        cmd.output().expect("run scanlens")
    };
    let fixed = run(&["--generated", "2026-01-02T03:04:05Z"], None);
    assert_eq!(fixed.status.code(), Some(0), "{}", String::from_utf8_lossy(&fixed.stderr));
    let html = String::from_utf8(fixed.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Generated</th><td>2026-01-02T03:04:05.000Z"));
    // The gate agrees with `scanlens gate` on the same files: two failing entries.
    assert!(html.contains("data-verdict=\"failed\" data-failing=\"2\""), "{html}");
    let from_epoch = run(&[], Some("1767323045"));
    assert_eq!(String::from_utf8(from_epoch.stdout).unwrap(), html);
    for (args, message) in [
        (
            vec!["report", "--html", "-", "--generated", "yesterday"],
            "--generated \"yesterday\" is not an RFC 3339 time",
        ),
        (vec!["report", "--html", "-"], "no input files given"),
        (vec!["report", "x.json"], "report needs --html OUT"),
    ] {
        let out = scanlens(&args);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains(message), "{args:?}");
    }
}

#[test]
fn export_json_writes_the_versioned_model_and_export_needs_a_format() {
    let out = scanlens(&[
        "export",
        "--json",
        "-",
        "--generated",
        "2026-01-02T03:04:05Z",
        &own("dedup/trivy-app.json"),
        &own("dedup/grype-app.json"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let model: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(model["schema"], "scanlens-model/1");
    assert_eq!(model["generated"], "2026-01-02T03:04:05.000Z");
    assert_eq!(model["reports"].as_array().unwrap().len(), 2);
    // The gate agrees with `scanlens gate` on these files: two failing entries.
    assert_eq!(model["gate"]["failing"].as_array().unwrap().len(), 2);
    assert_eq!(model["gate"]["passed"], false);
    let out = scanlens(&["export", &own("dedup/trivy-app.json")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("export needs --csv OUT or --json OUT"));
}

#[test]
fn publish_needs_a_sidecar_and_replaces_a_build_published_again() {
    let site = std::env::temp_dir().join(format!("scanlens-publish-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site);
    let site_arg = site.to_string_lossy().into_owned();
    let out = scanlens(&["publish", "--site", &site_arg, &own("dedup/trivy-app.json")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no scanlens-build.json among the files"));
    let sidecar = temp_file(
        "scanlens-build.json",
        r#"{"scanlens_build":1,"id":"run/7","time":"2026-01-02T03:04:05Z"}"#,
    );
    for extra in [vec![own("dedup/grype-app.json")], vec![]] {
        let mut args = vec!["publish", "--site", &site_arg, &sidecar];
        let trivy = own("dedup/trivy-app.json");
        args.push(&trivy);
        args.extend(extra.iter().map(String::as_str));
        let out = scanlens(&args);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("reports/index.json")).unwrap()).unwrap();
    assert_eq!(index["builds"].as_array().unwrap().len(), 1);
    assert_eq!(index["builds"][0]["id"], "run/7");
    // Published again with fewer files: the build lists, and its folder holds, only those.
    assert_eq!(
        index["builds"][0]["artifacts"],
        serde_json::json!(["run_7/scanlens-build.json", "run_7/trivy-app.json"])
    );
    assert!(!site.join("reports/run_7/grype-app.json").exists());
    std::fs::remove_dir_all(&site).unwrap();
}
