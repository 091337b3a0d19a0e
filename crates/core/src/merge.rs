//! One SARIF 2.1.0 log from everything: the deduplicated entries, one run per tool and
//! category, in a shape GitHub code scanning accepts (at most 20 runs, a unique
//! `automationDetails.id` category per run, every result with a location, a message and its
//! normalised severity as `security-severity`). What SARIF cannot say goes into `properties`:
//! `scanlens-severity` (read back first, so a merged log re-ingests to the same severities)
//! and `scanlens` (kind, ids, package, every source with its raw severity).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{json, Map, Value};

use crate::aggregate::{Aggregate, Entry, Source};
use crate::fingerprint;
use crate::model::{Report, State};
use crate::severity::Severity;

/// GitHub rejects a file with more runs than this.
pub const MAX_RUNS: usize = 20;

/// Why no log could be written.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MergeError {
    /// More tools than a SARIF upload may hold runs, even with one run per tool.
    TooManyTools(usize),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::TooManyTools(n) => {
                write!(f, "{n} tools: a SARIF upload holds at most {MAX_RUNS} runs")
            }
        }
    }
}

/// One source of an entry as JSON: file, tool, and its own severity with where it came from.
pub fn source_json(reports: &[Report], source: Source) -> Value {
    let finding = source.get(reports);
    let report = &reports[source.report];
    json!({
        "file": report.file_name,
        "tool": report.tools.get(finding.tool).map(|t| t.name.as_str()),
        "severity": finding.rating.severity.as_str(),
        "raw": finding.rating.raw,
        "from": finding.rating.source,
    })
}

/// The score written as `security-severity` (GitHub's bands), `None` for info and unknown.
fn score(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("2.0"),
        Severity::Info | Severity::Unknown => None,
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Unknown => "note",
        Severity::Info => "none",
    }
}

fn tool_of<'r>(reports: &'r [Report], entry: &Entry) -> (&'r str, Option<&'r str>) {
    let report = &reports[entry.primary.report];
    let finding = entry.primary.get(reports);
    match report.tools.get(finding.tool) {
        Some(t) => (t.name.as_str(), t.version.as_deref()),
        None => ("unknown tool", None),
    }
}

fn category_of(reports: &[Report], entry: &Entry) -> String {
    let report = &reports[entry.primary.report];
    let finding = entry.primary.get(reports);
    report
        .components
        .get(finding.component)
        .and_then(|c| c.identity.iter().find(|(k, _)| k == "category").map(|(_, v)| v.clone()))
        .unwrap_or_else(|| entry.component.to_string())
}

/// Writes the merged log (pretty-printed JSON).
pub fn sarif(reports: &[Report], aggregate: &Aggregate) -> Result<String, MergeError> {
    // Runs by (tool, category); if that is more than GitHub takes, by tool alone.
    let mut runs: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (e, entry) in aggregate.entries.iter().enumerate() {
        runs.entry((tool_of(reports, entry).0.to_string(), category_of(reports, entry)))
            .or_default()
            .push(e);
    }
    if runs.len() > MAX_RUNS {
        let mut by_tool: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for ((tool, _), entries) in runs {
            by_tool.entry((tool.clone(), tool)).or_default().extend(entries);
        }
        runs = by_tool;
    }
    if runs.len() > MAX_RUNS {
        return Err(MergeError::TooManyTools(runs.len()));
    }
    let runs: Vec<Value> = runs
        .into_iter()
        .map(|((tool, category), entries)| run(reports, aggregate, &tool, &category, &entries))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": runs,
    });
    Ok(serde_json::to_string_pretty(&log).unwrap_or_default())
}

fn run(
    reports: &[Report],
    aggregate: &Aggregate,
    tool: &str,
    category: &str,
    entries: &[usize],
) -> Value {
    let version = entries.first().and_then(|&e| tool_of(reports, &aggregate.entries[e]).1);
    // One rule per rule id (or, without one, per vulnerability id or title).
    let mut rules: Vec<(String, Severity, usize)> = Vec::new();
    let mut results = Vec::new();
    for &e in entries {
        let entry = &aggregate.entries[e];
        let f = entry.primary.get(reports);
        let rule_id = f
            .rule_id
            .as_deref()
            .map(str::to_string)
            .or_else(|| f.vuln_ids.first().cloned())
            .or_else(|| f.title.as_deref().map(str::to_string))
            .unwrap_or_else(|| "finding".to_string());
        let rule_index = match rules.iter().position(|(id, ..)| *id == rule_id) {
            Some(i) => {
                rules[i].1 = rules[i].1.max(entry.severity);
                i
            }
            None => {
                rules.push((rule_id.clone(), entry.severity, e));
                rules.len() - 1
            }
        };
        let message = f
            .message
            .text
            .clone()
            .or_else(|| f.title.as_deref().map(str::to_string))
            .unwrap_or_else(|| rule_id.clone());
        let mut locations: Vec<Value> = f
            .locations
            .iter()
            .filter_map(|l| {
                let uri = l.uri.as_deref()?.replace('\\', "/");
                let mut physical = json!({"artifactLocation": {"uri": uri}});
                if let Some(r) = l.region.filter(|r| r.start_line.is_some_and(|n| n > 0)) {
                    let mut region = Map::new();
                    for (key, value) in [
                        ("startLine", r.start_line),
                        ("startColumn", r.start_column),
                        ("endLine", r.end_line),
                        ("endColumn", r.end_column),
                    ] {
                        if let Some(v) = value.filter(|v| *v > 0) {
                            region.insert(key.into(), json!(v));
                        }
                    }
                    if let Some(snippet) = &l.snippet {
                        region.insert("snippet".into(), json!({"text": snippet}));
                    }
                    physical["region"] = Value::Object(region);
                }
                Some(json!({"physicalLocation": physical}))
            })
            .collect();
        if locations.is_empty() {
            // Code scanning wants a location: the target or component the finding is in.
            let uri = f.target.as_deref().unwrap_or(&entry.component).replace('\\', "/");
            locations.push(json!({"physicalLocation": {"artifactLocation": {"uri": uri}}}));
        }
        let mut partial = Map::new();
        partial.insert("scanlens/v1".into(), json!(fingerprint::to_hex(f.fingerprint)));
        for (key, value) in &f.tool_fingerprints {
            if let Some(name) = key.strip_prefix("partial:") {
                partial.insert(name.into(), json!(value));
            }
        }
        let sources: Vec<Value> = entry.sources.iter().map(|s| source_json(reports, *s)).collect();
        let mut properties = Map::new();
        if let Some(s) = score(entry.severity) {
            properties.insert("security-severity".into(), json!(s));
        }
        properties.insert("scanlens-severity".into(), json!(entry.severity.as_str()));
        properties.insert(
            "scanlens".into(),
            json!({
                "kind": f.kind.as_str(),
                "component": &*entry.component,
                "ids": &f.vuln_ids[..],
                "cwes": f.cwes.iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>(),
                "package": f.package.as_ref().map(|p| json!({"ecosystem": p.ecosystem, "name": p.name, "version": p.version, "fixed": &p.fixed_versions[..]})),
                "state": entry.state.as_str(),
                "sources": sources,
            }),
        );
        let mut result = json!({
            "ruleId": rule_id,
            "ruleIndex": rule_index,
            "level": level(entry.severity),
            "message": {"text": message},
            "locations": locations,
            "partialFingerprints": partial,
            "properties": properties,
        });
        if entry.state != State::Open {
            let justification = f
                .status
                .justification
                .clone()
                .unwrap_or_else(|| format!("{} in its source", entry.state.as_str()));
            result["suppressions"] =
                json!([{"kind": "external", "status": "accepted", "justification": justification}]);
        }
        results.push(result);
    }
    let rules: Vec<Value> = rules
        .iter()
        .map(|(id, severity, e)| {
            let f = aggregate.entries[*e].primary.get(reports);
            let mut rule = json!({"id": id, "defaultConfiguration": {"level": level(*severity)}});
            if let Some(title) = &f.title {
                rule["shortDescription"] = json!({"text": title.as_ref()});
            }
            if let Some(text) = &f.help.text {
                rule["fullDescription"] = json!({"text": text.as_ref()});
            }
            if f.help.text.is_some() || f.help.markdown.is_some() {
                rule["help"] = json!({"text": f.help.text.as_deref().or(f.help.markdown.as_deref()).unwrap_or(""), "markdown": f.help.markdown.as_deref()});
            }
            let mut tags: Vec<String> = vec!["security".to_string(), f.kind.as_str().to_string()];
            tags.extend(f.cwes.iter().map(|c| format!("external/cwe/cwe-{c}")));
            let mut properties = json!({"tags": tags});
            if let Some(s) = score(*severity) {
                properties["security-severity"] = json!(s);
            }
            rule["properties"] = properties;
            rule
        })
        .collect();
    let mut driver = json!({"name": tool, "informationUri": "https://github.com/scanlens/scanlens", "rules": rules});
    if let Some(v) = version {
        driver["version"] = json!(v);
    }
    json!({
        "tool": {"driver": driver},
        // The category (all before the last `/`) must be unique per run: tool included.
        "automationDetails": {"id": format!("{category}/{tool}/")},
        "results": results,
    })
}
