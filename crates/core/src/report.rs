//! The self-contained HTML report for auditors: one file that opens anywhere, offline, with
//! JavaScript disabled, and prints as a paginated document. The page's "Download report"
//! and `scanlens report --html` both call [`html`] through
//! [`crate::session::Session::report_html`], so the same inputs and generation time give the
//! same bytes.
//!
//! Architecture Invariant: every string from an input passes [`text`] (hidden characters
//! made visible, then HTML-escaped) before it is written; the document carries a CSP that
//! allows no script, no request and no frame, so even a mistake here cannot run or load
//! anything. Nothing in it depends on the machine, the clock or the locale except the
//! generation time it is given.

use std::fmt::Write as _;

use crate::chart::{self, TrendPoint};
use crate::explore::{reveal, ChecklistView, Dashboard, Row};
use crate::severity::Severity;
use crate::time::Timestamp;

/// The version written into reports and manifests.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Everything a report shows, gathered by the session.
pub struct Contents<'a> {
    /// The latest build: its id, commit, branch and time.
    pub build: BuildLine,
    /// How many builds were loaded.
    pub builds: usize,
    /// The latest build's dashboard (gate, counts, tallies).
    pub dashboard: &'a Dashboard,
    /// Every failing entry, most severe first.
    pub failing: Vec<Row>,
    /// Every excused entry at or above the threshold, with why.
    pub excused: Vec<(Row, String)>,
    /// Expired ignore rules, in words.
    pub expired: Vec<String>,
    /// Each build's numbers, oldest first.
    pub trends: &'a [TrendPoint],
    /// Per component, its checklists.
    pub components: Vec<(String, [usize; 6], Vec<ChecklistView>)>,
    /// Every entry of the latest build, in entry order.
    pub rows: Vec<Row>,
    /// The evidence manifest.
    pub manifest: Manifest,
}

/// A build's identity.
#[derive(Clone, Debug, Default)]
pub struct BuildLine {
    /// Its id.
    pub id: String,
    /// Its commit, when known.
    pub commit: Option<String>,
    /// Its branch, when known.
    pub branch: Option<String>,
    /// Its time, when known, and where the time came from.
    pub time: Option<String>,
    /// Where the time came from.
    pub time_source: String,
}

/// What the report was made from, and by what.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// Every file given, in load order.
    pub inputs: Vec<ManifestInput>,
    /// The policy in force: its file name and SHA-256, or `None` for the built-in default.
    pub policy: Option<(String, String)>,
    /// The threshold and the number of ignore rules.
    pub fail_on: String,
    /// How many ignore rules the policy has.
    pub ignores: usize,
    /// When the report was made.
    pub generated: Timestamp,
}

/// One file given.
#[derive(Clone, Debug, Default)]
pub struct ManifestInput {
    /// Its name as given.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256.
    pub sha256: String,
    /// What was read from it: one document, or an archive's members; empty for the policy.
    pub documents: Vec<ManifestDocument>,
}

/// One document read from an input.
#[derive(Clone, Debug, Default)]
pub struct ManifestDocument {
    /// Its name (`artifact.zip/member.json` for an archive member).
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256.
    pub sha256: String,
    /// The format read, or why none.
    pub format: String,
    /// Tools and versions.
    pub tools: String,
    /// When the scan ran, when the format says.
    pub scan_time: Option<String>,
    /// The build it belongs to.
    pub build: String,
    /// How many findings it holds.
    pub findings: usize,
    /// How many error diagnostics reading it gave.
    pub errors: usize,
}

/// Input text made safe for HTML: hidden characters shown, markup escaped.
fn text(value: &str) -> String {
    chart::escape(&reveal(value))
}

const STYLE: &str = "\
:root{color-scheme:light;--fg:#17202c;--muted:#5b6676;--line:#d5dae1;--bg:#fff;--band:#f3f5f8}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}h4{font-size:14px;margin:14px 0 4px}
.muted{color:var(--muted)}code,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}.hash{word-break:break-all}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}th{background:var(--band)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.verdict{font-size:20px;font-weight:700;padding:10px 14px;border-radius:6px;border:2px solid}
.pass{color:#1d6b3e;border-color:#2f9e5b;background:#eaf7ef}.fail{color:#8f1738;border-color:#c0264f;background:#fcecf0}
.sev{font-weight:600;text-transform:capitalize}.sev-critical{color:#a01d42}.sev-high{color:#b34d0f}.sev-medium{color:#8a6a00}.sev-low{color:#23679c}
.st-fail{color:#8f1738;font-weight:600}.st-pass,.st-no-findings{color:#1d6b3e}.st-warn{color:#8a6a00}
nav ol{columns:2;margin:6px 0}svg{max-width:100%;height:auto}
.component{border-top:1px solid var(--line);margin-top:18px}
@page{size:A4;margin:16mm 12mm 16mm 12mm}
@media print{body{max-width:none;padding:0;font-size:10.5px}nav{display:none}section{break-before:page}section:first-of-type{break-before:auto}
.component{break-before:page;border:0}.component:first-of-type{break-before:auto}tr,.verdict,figure{break-inside:avoid}thead{display:table-header-group}a{color:inherit;text-decoration:none}}
";

/// The report as one HTML document.
pub fn html(c: &Contents) -> String {
    let d = c.dashboard;
    let mut out = String::with_capacity(64 * 1024 + c.rows.len() * 400);
    let title = format!("Security scan report: build {}", text(&c.build.id));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"scanlens {VERSION}\">\n<title>{title}</title>\n<style>\n{STYLE}{}</style>\n</head>\n<body>\n",
        page_rules(c)
    );
    // Header.
    let _ = write!(out, "<header>\n<h1>{title}</h1>\n<p class=\"muted\">");
    for (label, value) in [("commit", &c.build.commit), ("branch", &c.build.branch)] {
        if let Some(v) = value {
            let _ = write!(out, "{label} <code>{}</code> · ", text(v));
        }
    }
    let _ = write!(
        out,
        "build time {} · generated {} by scanlens {VERSION} · {} build(s) loaded</p>\n</header>\n",
        c.build.time.as_deref().map_or_else(
            || "unknown".to_string(),
            |t| format!("{} ({})", text(t), text(&c.build.time_source))
        ),
        c.manifest.generated,
        c.builds
    );
    out.push_str(
        "<nav><h2>Contents</h2><ol><li><a href=\"#gate\">Build gate</a></li><li><a href=\"#counts\">Counts</a></li>\
         <li><a href=\"#trends\">Trends</a></li><li><a href=\"#components\">Components and checklists</a></li>\
         <li><a href=\"#findings\">All findings</a></li><li><a href=\"#manifest\">Evidence manifest</a></li></ol></nav>\n",
    );
    gate(&mut out, c);
    counts(&mut out, d);
    trends(&mut out, c.trends);
    components(&mut out, c);
    findings(&mut out, &c.rows);
    manifest(&mut out, c);
    out.push_str("</body>\n</html>\n");
    out
}

/// Text as a CSS string: every character but letters, digits, space, `.`, `-` and `_` as a
/// hex escape, so nothing from an input can end the string, the rule or the `<style>`.
fn css_string(value: &str) -> String {
    let mut out = String::from("\"");
    for ch in reveal(value).chars() {
        if ch.is_ascii_alphanumeric() || matches!(ch, ' ' | '.' | '-' | '_') {
            out.push(ch);
        } else {
            let _ = write!(out, "\\{:x} ", ch as u32);
        }
    }
    out.push('"');
    out
}

/// Printed page headers and footers: the build on every page, the component on each
/// component's pages (a named page per component), page numbers at the foot.
fn page_rules(c: &Contents) -> String {
    let build = css_string(&format!("build {}", c.build.id));
    let foot = "@bottom-left{content:\"scanlens report\";font-size:8pt;color:#5b6676}@bottom-right{content:\"page \" counter(page) \" of \" counter(pages);font-size:8pt;color:#5b6676}";
    let mut out = format!(
        "@media print{{@page{{@top-left{{content:{build};font-size:8pt;color:#5b6676}}{foot}}}\n"
    );
    for (i, (name, _, _)) in c.components.iter().enumerate() {
        let head = css_string(&format!("build {} · component {name}", c.build.id));
        let _ = writeln!(
            out,
            ".component-{i}{{page:component-{i}}}@page component-{i}{{@top-left{{content:{head};font-size:8pt;color:#5b6676}}{foot}}}"
        );
    }
    out.push_str("}\n");
    out
}

fn severity_cell(severity: &str) -> String {
    format!("<td class=\"sev sev-{0}\">{0}</td>", text(severity))
}

fn row_cells(out: &mut String, r: &Row) {
    let _ = write!(
        out,
        "<td class=\"n\"><a href=\"#f-{0}\">{0}</a></td>{1}<td>{2}</td><td>{3}</td><td>{4}</td><td>{5}</td>",
        r.entry,
        severity_cell(&r.severity),
        text(&r.title),
        text(&r.component),
        text(&r.tools),
        text(&r.place),
    );
}

fn gate(out: &mut String, c: &Contents) {
    let g = &c.dashboard.gate;
    out.push_str("<section id=\"gate\">\n");
    let _ = writeln!(
        out,
        "<h2>Build gate</h2>\n<p class=\"verdict {}\" data-verdict=\"{}\" data-failing=\"{}\">{}</p>\n<p>{}. The policy fails the build on open findings of severity {} or above.</p>",
        if g.passed { "pass" } else { "fail" },
        if g.passed { "passed" } else { "failed" },
        g.failing,
        text(&c.dashboard.headline()),
        text(&c.dashboard.detail_line()),
        text(&g.fail_on),
    );
    if !c.failing.is_empty() {
        out.push_str("<h3>Failing findings</h3>\n<table><thead><tr><th class=\"n\">#</th><th>Severity</th><th>Finding</th><th>Component</th><th>Tools</th><th>Where</th></tr></thead><tbody>\n");
        for r in &c.failing {
            out.push_str("<tr>");
            row_cells(out, r);
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
    }
    if !c.excused.is_empty() {
        out.push_str("<h3>Excused findings</h3>\n<table><thead><tr><th class=\"n\">#</th><th>Severity</th><th>Finding</th><th>Component</th><th>Tools</th><th>Where</th><th>Why it does not fail</th></tr></thead><tbody>\n");
        for (r, why) in &c.excused {
            out.push_str("<tr>");
            row_cells(out, r);
            let _ = writeln!(out, "<td>{}</td></tr>", text(why));
        }
        out.push_str("</tbody></table>\n");
    }
    if !c.expired.is_empty() {
        out.push_str("<h3>Expired ignore rules (no longer applied)</h3>\n<ul>\n");
        for rule in &c.expired {
            let _ = writeln!(out, "<li>{}</li>", text(rule));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn severity_head(out: &mut String, first: &str) {
    let _ = write!(out, "<thead><tr><th>{first}</th>");
    for s in Severity::ALL {
        let _ = write!(out, "<th class=\"n\">{}</th>", s.as_str());
    }
    out.push_str("<th class=\"n\">open</th></tr></thead>\n");
}

fn severity_row(out: &mut String, name: &str, open: &[usize; 6]) {
    let _ = write!(out, "<tr><td>{}</td>", text(name));
    for n in open {
        let _ = write!(out, "<td class=\"n\">{n}</td>");
    }
    let _ = writeln!(out, "<td class=\"n\">{}</td></tr>", open.iter().sum::<usize>());
}

fn counts(out: &mut String, d: &Dashboard) {
    out.push_str("<section id=\"counts\">\n<h2>Counts</h2>\n");
    let _ = writeln!(
        out,
        "<p>{} finding(s) from the scans became {} entries ({} duplicate(s) merged across tools); {} are not open (fixed, suppressed, dismissed or not affected).</p>",
        d.findings, d.entries, d.merged, d.not_open
    );
    out.push_str("<table data-table=\"open\">");
    severity_head(out, "Open findings");
    severity_row(out, "all components", &d.open);
    out.push_str("</table>\n");
    for (title, tallies) in [("By component", &d.components), ("By tool", &d.tools)] {
        let _ = write!(out, "<h3>{title}</h3>\n<table>");
        severity_head(out, &title[3..]);
        for t in tallies {
            severity_row(out, &t.name, &t.open);
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");
}

fn trends(out: &mut String, points: &[TrendPoint]) {
    out.push_str("<section id=\"trends\">\n<h2>Trends</h2>\n");
    if points.len() < 2 {
        out.push_str("<p>One build loaded: there is no trend yet. Load several builds (a sidecar <code>scanlens-build.json</code> per build) to see one.</p>\n");
    } else {
        for c in [chart::open_by_severity(points), chart::new_and_fixed(points)] {
            // The chart's SVG escapes its own text; it is inlined, so it prints as vectors.
            let _ = writeln!(
                out,
                "<figure aria-label=\"{}\">{}<figcaption class=\"muted\">{}</figcaption></figure>",
                text(&c.alt),
                c.svg,
                text(&c.alt)
            );
        }
    }
    out.push_str("<table data-table=\"trend\"><thead><tr><th>Build</th>");
    for s in Severity::ALL {
        let _ = write!(out, "<th class=\"n\">{}</th>", s.as_str());
    }
    out.push_str("<th class=\"n\">new</th><th class=\"n\">fixed</th></tr></thead><tbody>\n");
    for p in points {
        let _ = write!(out, "<tr><td>{}</td>", text(&p.build));
        for n in p.open {
            let _ = write!(out, "<td class=\"n\">{n}</td>");
        }
        let _ =
            writeln!(out, "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>", p.new, p.fixed);
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn components(out: &mut String, c: &Contents) {
    out.push_str("<section id=\"components\">\n<h2>Components and checklists</h2>\n<p>Checklists are derived from what the scans looked for and found. A control no scan could assess is listed as not assessed, never as passed.</p>\n");
    for (i, (name, open, lists)) in c.components.iter().enumerate() {
        let _ = writeln!(
            out,
            "<div class=\"component component-{i}\" data-component=\"{}\">",
            text(name)
        );
        let _ = writeln!(
            out,
            "<h3>Component {}</h3>\n<p>{} open: {}.</p>",
            text(name),
            open.iter().sum::<usize>(),
            Severity::ALL
                .iter()
                .zip(open)
                .map(|(s, n)| format!("{n} {}", s.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for list in lists {
            let [pass, fail, warn, manual, not_assessed, total] = list.counts;
            let _ = writeln!(
                out,
                "<h4>{} <span class=\"muted\">({})</span></h4>\n<p>{total} controls: {pass} passed, {fail} failed, {warn} warned, {manual} manual, {not_assessed} not assessed.</p>",
                text(&list.title),
                text(&list.origin),
            );
            let assessed: Vec<_> =
                list.controls.iter().filter(|k| k.status != "not-assessed").collect();
            if !assessed.is_empty() {
                out.push_str("<table><thead><tr><th>Control</th><th>Name</th><th>Status</th><th>Evidence</th></tr></thead><tbody>\n");
                for k in assessed {
                    let evidence = k
                        .evidence
                        .iter()
                        .map(|r| {
                            format!("<a href=\"#f-{0}\">#{0}</a> {1}", r.entry, text(&r.title))
                        })
                        .collect::<Vec<_>>()
                        .join("<br>");
                    let more = k.evidence_count.saturating_sub(k.evidence.len());
                    let more =
                        if more > 0 { format!("<br>and {more} more") } else { String::new() };
                    let note = k
                        .note
                        .as_deref()
                        .map(|n| format!("<br><span class=\"muted\">{}</span>", text(n)))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "<tr><td><code>{}</code></td><td>{}</td><td class=\"st-{2}\">{2}</td><td>{3}{more}{note}</td></tr>",
                        text(&k.id),
                        text(&k.name),
                        text(&k.status),
                        evidence
                    );
                }
                out.push_str("</tbody></table>\n");
            }
            let unassessed: Vec<String> = list
                .controls
                .iter()
                .filter(|k| k.status == "not-assessed")
                .map(|k| format!("<code>{}</code>", text(&k.id)))
                .collect();
            if !unassessed.is_empty() {
                let _ = writeln!(
                    out,
                    "<p class=\"muted\">Not assessed: {}.</p>",
                    unassessed.join(", ")
                );
            }
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
}

fn findings(out: &mut String, rows: &[Row]) {
    let _ = writeln!(
        out,
        "<section id=\"findings\">\n<h2>All findings</h2>\n<p>{} entries of the latest build, one row each (duplicates across tools merged; sources counts the findings merged).</p>",
        rows.len()
    );
    out.push_str("<table data-table=\"findings\"><thead><tr><th class=\"n\">#</th><th>Severity</th><th>State</th><th>Gate</th><th>Kind</th><th>Finding</th><th>Rule</th><th>Component</th><th>Tools</th><th>Where</th><th class=\"n\">Sources</th></tr></thead><tbody>\n");
    for r in rows {
        let _ = writeln!(
            out,
            "<tr id=\"f-{0}\"><td class=\"n\">{0}</td>{1}<td>{2}</td><td>{3}</td><td>{4}</td><td>{5}</td><td><code>{6}</code></td><td>{7}</td><td>{8}</td><td>{9}</td><td class=\"n\">{10}</td></tr>",
            r.entry,
            severity_cell(&r.severity),
            text(&r.state),
            if r.failing { "<strong class=\"st-fail\">fails</strong>" } else { "" },
            text(&r.kind),
            text(&r.title),
            text(&r.rule),
            text(&r.component),
            text(&r.tools),
            text(&r.place),
            r.sources
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn manifest(out: &mut String, c: &Contents) {
    let m = &c.manifest;
    out.push_str("<section id=\"manifest\">\n");
    out.push_str("<h2>Evidence manifest</h2>\n<p>Every file this report was made from. Check a file with <code>sha256sum FILE</code>; the same files and generation time give the same report, byte for byte, from <code>scanlens report --html</code>.</p>\n<table data-table=\"manifest\"><tbody>\n");
    let b = &c.build;
    let _ = writeln!(out, "<tr><th>Build</th><td>{}</td></tr>", text(&b.id));
    for (label, value) in [("Commit", &b.commit), ("Branch", &b.branch), ("Build time", &b.time)] {
        let _ = writeln!(
            out,
            "<tr><th>{label}</th><td>{}</td></tr>",
            value.as_deref().map_or_else(|| "unknown".to_string(), text)
        );
    }
    let _ = writeln!(out, "<tr><th>Build time from</th><td>{}</td></tr>", text(&b.time_source));
    match &m.policy {
        Some((name, sha256)) => {
            let _ = writeln!(out, "<tr><th>Policy</th><td>{} · SHA-256 <span class=\"hash\" data-sha256=\"{1}\">{1}</span> · fails on {2} and above · {3} ignore rule(s)</td></tr>", text(name), text(sha256), text(&m.fail_on), m.ignores);
        }
        None => {
            let _ = writeln!(out, "<tr><th>Policy</th><td>built-in default of scanlens {VERSION}: fails on {} and above, no ignore rules</td></tr>", text(&m.fail_on));
        }
    }
    let _ = writeln!(out, "<tr><th>Generated</th><td>{}</td></tr>", m.generated);
    let _ = writeln!(out, "<tr><th>Generator</th><td>scanlens {VERSION}</td></tr>");
    out.push_str("</tbody></table>\n<h3>Inputs</h3>\n<table data-table=\"inputs\"><thead><tr><th>File</th><th class=\"n\">Bytes</th><th>SHA-256</th><th>Format</th><th>Tool and version</th><th>Scan time</th><th>Build</th><th class=\"n\">Findings</th></tr></thead><tbody>\n");
    for input in &m.inputs {
        let single = input.documents.len() == 1 && input.documents[0].name == input.name;
        let _ = write!(
            out,
            "<tr data-input=\"{0}\"><td>{0}</td><td class=\"n\">{1}</td><td class=\"hash\" data-sha256=\"{2}\">{2}</td>",
            text(&input.name),
            input.size,
            text(&input.sha256)
        );
        match (single, input.documents.first()) {
            (true, Some(doc)) => document_cells(out, doc),
            _ if input.documents.is_empty() => out
                .push_str("<td>policy</td><td></td><td></td><td></td><td class=\"n\"></td></tr>\n"),
            _ => {
                let _ = writeln!(
                    out,
                    "<td>archive of {} document(s)</td><td></td><td></td><td></td><td class=\"n\"></td></tr>",
                    input.documents.len()
                );
                for doc in &input.documents {
                    let _ = write!(
                        out,
                        "<tr><td>↳ {}</td><td class=\"n\">{}</td><td class=\"hash\">{}</td>",
                        text(&doc.name),
                        doc.size,
                        text(&doc.sha256)
                    );
                    document_cells(out, doc);
                }
            }
        }
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn document_cells(out: &mut String, doc: &ManifestDocument) {
    let errors = if doc.errors > 0 {
        format!(" ({} error(s) reading it)", doc.errors)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "<td>{}{errors}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
        text(&doc.format),
        text(&doc.tools),
        doc.scan_time.as_deref().map_or_else(String::new, text),
        text(&doc.build),
        doc.findings
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    #[test]
    fn css_strings_cannot_end_the_string_the_rule_or_the_style() {
        assert_eq!(css_string("build 7.1-rc_2"), "\"build 7.1-rc_2\"");
        let hostile = css_string("\"}</style><script>x</script>\\\u{202E}");
        assert_eq!(
            hostile,
            "\"\\22 \\7d \\3c \\2f style\\3e \\3c script\\3e x\\3c \\2f script\\3e \\5c \\27e6 U\\2b 202E\\27e7 \""
        );
    }

    #[test]
    fn every_input_string_is_escaped_and_the_report_is_deterministic() {
        let sarif = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"<b>Tool</b>","version":"1\"2"}},
            "results":[{"ruleId":"R<1>","level":"error","message":{"text":"<img src=x onerror=alert(1)> \u202Eexe"},
            "locations":[{"physicalLocation":{"artifactLocation":{"uri":"a/<svg onload=alert(1)>.go"}}}]}]}]}"#;
        let sidecar =
            r#"{"scanlens_build":1,"id":"</style><script>alert(1)</script>","commit":"'\"><x>"}"#;
        let make = || {
            let mut s = Session::new();
            s.add(1, 1, "dir/scanlens-build.json", sidecar.as_bytes());
            s.add(2, 1, "dir/<x>.sarif", sarif.as_bytes());
            s.report_html(Timestamp(1_700_000_000_000))
        };
        let html = make();
        assert_eq!(html, make());
        // The document's own markup only: one style, no script, no element from an input.
        assert_eq!(html.matches("<style>").count(), 1);
        assert_eq!(html.matches("</style>").count(), 1);
        for forbidden in ["<script", "<img", "<svg onload", "<x>", "<b>Tool", "\u{202E}"] {
            assert!(!html.contains(forbidden), "{forbidden} in the report");
        }
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; ⟦U+202E⟧exe"));
        assert!(html.contains("&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Generated</th><td>2023-11-14T22:13:20.000Z"));
        assert!(html.contains(&format!("data-sha256=\"{}\"", crate::sha256_hex(sarif.as_bytes()))));
    }
}
