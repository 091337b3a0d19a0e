//! Exports for auditors and spreadsheets. CSV: RFC 4180, one row per finding (every source,
//! not deduplicated, so every tool's own word is there), the columns in [`CSV_COLUMNS`] and
//! in this order forever (new columns only ever go at the end).
//!
//! Spreadsheet formula injection: a cell that would start with `=`, `+`, `-`, `@`, a tab or
//! a carriage return is prefixed with `'` (OWASP's advice), so opening the file in a
//! spreadsheet never runs what a scanned repository wrote.

use crate::fingerprint;
use crate::model::Report;

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 22] = [
    "file",
    "format",
    "tool",
    "tool_version",
    "component",
    "kind",
    "rule_id",
    "vulnerability_ids",
    "title",
    "severity",
    "severity_raw",
    "severity_source",
    "state",
    "state_raw",
    "justification",
    "package",
    "installed_version",
    "fixed_versions",
    "path",
    "start_line",
    "cwes",
    "fingerprint",
];

/// One CSV cell: quoted when it must be, defused when a spreadsheet would read a formula.
pub fn csv_cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// Every finding of `reports` as CSV (CRLF line ends, a header row first).
pub fn csv(reports: &[Report]) -> String {
    let mut out = String::new();
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for report in reports {
        for f in &report.findings {
            let tool = report.tools.get(f.tool);
            let package = f.package.as_ref();
            let location = f.locations.first();
            let cells: [String; 22] = [
                report.file_name.clone(),
                report.format.map(|x| x.as_str().to_string()).unwrap_or_default(),
                tool.map(|t| t.name.clone()).unwrap_or_default(),
                tool.and_then(|t| t.version.clone()).unwrap_or_default(),
                report.components.get(f.component).map(|c| c.name.clone()).unwrap_or_default(),
                f.kind.as_str().to_string(),
                f.rule_id.as_deref().unwrap_or("").to_string(),
                f.vuln_ids.join(" "),
                f.title.as_deref().or(f.message.text.as_deref()).unwrap_or("").to_string(),
                f.rating.severity.as_str().to_string(),
                f.rating.raw.to_string(),
                f.rating.source.to_string(),
                f.status.state.as_str().to_string(),
                f.status.raw.clone().unwrap_or_default(),
                f.status.justification.clone().unwrap_or_default(),
                package.map(|p| p.name.clone()).unwrap_or_default(),
                package.and_then(|p| p.version.clone()).unwrap_or_default(),
                package.map(|p| p.fixed_versions.join(" ")).unwrap_or_default(),
                location.and_then(|l| l.uri.as_deref()).unwrap_or("").to_string(),
                location
                    .and_then(|l| l.region)
                    .and_then(|r| r.start_line)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                f.cwes.iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>().join(" "),
                fingerprint::to_hex(f.fingerprint),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn cells_are_quoted_per_rfc_4180_and_formulas_are_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-cmd"), "'-cmd");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell(""), "");
    }
}
