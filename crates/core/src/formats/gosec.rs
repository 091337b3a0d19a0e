//! gosec JSON: `Issues[]` with string line numbers (ranges like `"12-15"`), string columns,
//! `nosec` and `suppressions[]`, CWE as a bare number, and the confidence kept apart from
//! the severity. Files are absolute (Windows paths occur), so identity uses the path
//! relative to the common directory of all issues.

use crate::intern::Interner;
use serde::Deserialize;

use super::{Format, FormatId, Shape};
use crate::fingerprint::{self, Hasher};
use crate::json::{self, Lenient};
use crate::model::{
    shared, Capability, Component, ComponentKind, Diagnostic, Finding, FindingKind, FindingList,
    Location, Region, Report, State, Status, Str, Text, Tool,
};
use crate::{cwe, severity};

pub(crate) const FORMAT: Format = Format { id: FormatId::GosecJson, sniff, parse };

fn sniff(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(o) if o.has("Issues") && (o.has("Stats") || o.has("Golang errors") || o.has("GosecVersion")))
}

mod raw {
    use super::*;

    #[derive(Deserialize)]
    pub struct Document {
        #[serde(rename = "Issues", default, deserialize_with = "json::vec")]
        pub issues: Vec<Lenient<Issue>>,
        #[serde(rename = "GosecVersion", default, deserialize_with = "json::string")]
        pub version: Option<String>,
        #[serde(rename = "Golang errors", default)]
        pub golang_errors: Option<serde_json::Value>,
    }

    #[derive(Deserialize)]
    pub struct Issue {
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub confidence: Option<String>,
        pub cwe: Option<Cwe>,
        #[serde(default, deserialize_with = "json::string")]
        pub rule_id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub details: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub file: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub code: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub line: Option<String>,
        #[serde(default, deserialize_with = "json::uint")]
        pub column: Option<u32>,
        #[serde(default, deserialize_with = "json::flag")]
        pub nosec: bool,
        #[serde(default, deserialize_with = "json::vec")]
        pub suppressions: Vec<Suppression>,
    }

    #[derive(Deserialize, Default)]
    pub struct Cwe {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub url: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Suppression {
        #[serde(default, deserialize_with = "json::string")]
        pub kind: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub justification: Option<String>,
    }
}

fn parse(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let doc: raw::Document = match crate::json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => return super::structure_error(report, "the gosec report", &e),
    };
    report.tools.push(Tool { name: "gosec".into(), version: doc.version.clone() });
    report.covers(Capability::Sast);
    if let Some(errors) =
        doc.golang_errors.as_ref().and_then(|e| e.as_object()).filter(|e| !e.is_empty())
    {
        report.diagnostics.push(Diagnostic::warning(format!(
            "gosec could not compile {} file(s): results for them may be missing",
            errors.len()
        )));
    }
    let mut issues = Vec::new();
    for (i, issue) in doc.issues.into_iter().enumerate() {
        if let Some(issue) = super::element(issue, "issue", || format!("Issues[{i}]"), report) {
            issues.push(issue);
        }
    }
    let root = common_dir(issues.iter().filter_map(|i| i.file.as_deref()));
    let name = if root.is_empty() { report.base_name() } else { root.clone() };
    report.components.push(Component {
        name,
        kind: ComponentKind::Filesystem,
        identity: vec![("source".into(), "common directory of the reported files".into())],
    });
    for issue in issues {
        report.findings.add(finding(issue, &root));
    }
}

/// The longest directory prefix shared by every path (either separator).
fn common_dir<'a>(mut paths: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = paths.next() else { return String::new() };
    let mut prefix: &str = match first.rfind(['/', '\\']) {
        Some(i) => &first[..=i],
        None => "",
    };
    for path in paths {
        while !path.starts_with(prefix) {
            prefix = match prefix[..prefix.len().saturating_sub(1)].rfind(['/', '\\']) {
                Some(i) => &prefix[..=i],
                None => "",
            };
        }
    }
    prefix.trim_end_matches(['/', '\\']).to_string()
}

/// gosec snippets prefix each line with `NNN: `; identity must not see those numbers.
fn code_without_line_numbers(code: &str) -> String {
    code.lines()
        .map(|line| match line.split_once(": ") {
            Some((n, rest)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => rest,
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn finding(issue: raw::Issue, root: &str) -> Finding {
    let mut f =
        Finding::new(FindingKind::Code, severity::gosec(issue.severity.as_deref().unwrap_or("")));
    f.confidence = issue.confidence.clone();
    f.rule_id = shared(issue.rule_id.clone());
    f.title = shared(issue.details.clone());
    f.message = Text { text: issue.details.clone(), markdown: None };
    if let Some(c) = &issue.cwe {
        f.cwes.extend(c.id.as_deref().and_then(cwe::parse));
        f.references.extend(c.url.clone());
    }
    let (start, end) = match issue.line.as_deref().map(|l| l.split_once('-').unwrap_or((l, l))) {
        Some((a, b)) => (a.trim().parse().ok(), b.trim().parse().ok()),
        None => (None, None),
    };
    f.locations.push(Location {
        uri: issue.file.as_deref().map(Str::from),
        region: start.map(|s| Region {
            start_line: Some(s),
            end_line: end,
            start_column: issue.column,
            end_column: None,
        }),
        snippet: issue.code.clone(),
        ..Location::default()
    });
    if issue.nosec || !issue.suppressions.is_empty() {
        let s = issue.suppressions.first();
        f.status = Status {
            state: State::Suppressed,
            raw: Some(s.and_then(|s| s.kind.clone()).unwrap_or_else(|| "nosec".into())),
            justification: s.and_then(|s| s.justification.clone()),
        };
    }
    let relative = issue.file.as_deref().map(|p| {
        p.strip_prefix(root).unwrap_or(p).trim_start_matches(['/', '\\']).replace('\\', "/")
    });
    let code = issue.code.as_deref().map(code_without_line_numbers).unwrap_or_default();
    f.fingerprint = Hasher::new("gosec")
        .opt(issue.rule_id.as_deref())
        .opt(relative.as_deref())
        .part(&fingerprint::normalise_text(&code))
        .finish();
    f
}

#[cfg(test)]
mod tests {
    #[test]
    fn common_directory_and_snippets() {
        let paths = ["/src/app/a/x.go", "/src/app/b/y.go", "/src/app/a/z.go"];
        assert_eq!(super::common_dir(paths.into_iter()), "/src/app");
        assert_eq!(super::common_dir(["C:\\w\\p\\a.go", "C:\\w\\q.go"].into_iter()), "C:\\w");
        assert_eq!(
            super::code_without_line_numbers("161: \t}\n162: \tsink, err := f()\n"),
            "\t}\n\tsink, err := f()"
        );
    }
}
