//! What the page shows, computed where the data lives. The parsing worker holds the reports
//! and answers the page with these small values: the dashboard of one build, one page of
//! rows of a filtered and sorted selection, one entry's detail. Rows are built only for the
//! page asked for; nothing here copies findings.
//!
//! Architecture Invariant: the dashboard's gate is [`crate::gate::evaluate`] over the same
//! reports the CLI would be given, so the page and `scanlens gate` agree.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::aggregate::{Aggregate, Entry};
use crate::gate::Verdict;
use crate::model::{Finding, Report, State};
use crate::summary::severity_index;

/// How many rows each "top" list of the dashboard holds.
pub const TOP: usize = 10;

/// A name and how many open entries have it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Tool, rule, CWE, package, component.
    pub name: String,
    /// Open entries by severity, indexed like [`Severity::ALL`].
    pub open: [usize; 6],
}

impl Tally {
    /// All open entries it counts.
    pub fn total(&self) -> usize {
        self.open.iter().sum()
    }
}

/// The gate's verdict in numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateView {
    /// Whether the build passes.
    pub passed: bool,
    /// The threshold, as a severity name.
    pub fail_on: String,
    /// Entries failing it.
    pub failing: usize,
    /// Entries at or above it that are excused (not open, kind not counted, ignored).
    pub excused: usize,
    /// Ignore rules past their expiry.
    pub expired_ignores: usize,
}

/// One build at a glance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The verdict.
    pub gate: GateView,
    /// Findings in, before deduplication.
    pub findings: usize,
    /// Entries after deduplication (`findings - merged`).
    pub entries: usize,
    /// Findings folded into another tool's entry.
    pub merged: usize,
    /// Open entries by severity, indexed like [`Severity::ALL`].
    pub open: [usize; 6],
    /// Entries not open: suppressed, dismissed, fixed, not affected.
    pub not_open: usize,
    /// Open entries per tool (an entry merged from two tools counts for both).
    pub tools: Vec<Tally>,
    /// Open entries per component, every component.
    pub components: Vec<Tally>,
    /// The rules with the most open entries.
    pub rules: Vec<Tally>,
    /// The CWEs with the most open entries (`CWE-79`).
    pub cwes: Vec<Tally>,
    /// The packages with the most open entries.
    pub packages: Vec<Tally>,
    /// The first [`TOP`] failing entries, most severe first.
    pub failing: Vec<Row>,
}

/// One entry as a table row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// Index into the aggregate's entries: the key the page asks for details with.
    pub entry: usize,
    /// Normalised severity name.
    pub severity: String,
    /// `open`, `fixed`, `suppressed`, `dismissed`, `not-affected`.
    pub state: String,
    /// `vulnerability`, `code`, ...
    pub kind: String,
    /// The title, else the message's first line, else the rule id.
    pub title: String,
    /// Rule or vulnerability id.
    pub rule: String,
    /// Component name.
    pub component: String,
    /// Tools that reported it.
    pub tools: String,
    /// `path:line`, or `package@version`.
    pub place: String,
    /// How many findings were merged into it.
    pub sources: usize,
    /// Whether it fails the gate.
    pub failing: bool,
}

/// What to sort rows by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Most severe first (then component, rule, place).
    #[default]
    Severity,
    /// Title.
    Title,
    /// Rule id.
    Rule,
    /// Component.
    Component,
    /// Tools.
    Tool,
    /// Place.
    Place,
}

/// A filter and an order over the entries. Empty lists match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    /// Words every one of which must occur (case-insensitive) in the title, message, rule,
    /// ids, path, package or component.
    pub text: String,
    /// Severity names.
    pub severities: Vec<String>,
    /// Tool names.
    pub tools: Vec<String>,
    /// Component names.
    pub components: Vec<String>,
    /// Kind names.
    pub kinds: Vec<String>,
    /// State names.
    pub states: Vec<String>,
    /// Only entries failing the gate.
    pub failing_only: bool,
    /// The order.
    pub sort: Sort,
    /// Reverse it.
    pub descending: bool,
}

/// Entries with their reports and verdict: everything rows and the dashboard read.
pub struct View<'a> {
    /// All reports loaded.
    pub reports: &'a [Report],
    /// The aggregate of the build shown.
    pub aggregate: &'a Aggregate,
    /// Its verdict.
    pub verdict: &'a Verdict,
    failing: HashSet<usize>,
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim()
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

impl<'a> View<'a> {
    /// A view of one build's aggregate and verdict.
    pub fn new(reports: &'a [Report], aggregate: &'a Aggregate, verdict: &'a Verdict) -> View<'a> {
        View { reports, aggregate, verdict, failing: verdict.failing.iter().copied().collect() }
    }

    fn primary(&self, entry: &Entry) -> &'a Finding {
        entry.primary.get(self.reports)
    }

    fn tools(&self, entry: &Entry) -> Vec<&'a str> {
        let mut names: Vec<&str> = entry
            .sources
            .iter()
            .filter_map(|s| {
                let report = &self.reports[s.report];
                report.tools.get(s.get(self.reports).tool).map(|t| t.name.as_str())
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    fn title(finding: &Finding) -> String {
        let text = finding
            .title
            .as_deref()
            .or(finding.message.text.as_deref().map(first_line))
            .filter(|t| !t.is_empty())
            .or(finding.rule_id.as_deref())
            .unwrap_or("(untitled)");
        truncate(text, 200)
    }

    fn rule(finding: &Finding) -> &str {
        finding.rule_id.as_deref().or(finding.vuln_ids.first().map(String::as_str)).unwrap_or("")
    }

    fn place(finding: &Finding) -> String {
        if let Some(location) = finding.locations.first() {
            if let Some(uri) = location.uri.as_deref() {
                return match location.region.and_then(|r| r.start_line) {
                    Some(line) => format!("{uri}:{line}"),
                    None => uri.to_string(),
                };
            }
            if let Some(logical) = &location.logical {
                return logical.clone();
            }
        }
        if let Some(p) = &finding.package {
            return match &p.version {
                Some(v) => format!("{}@{v}", p.name),
                None => p.name.clone(),
            };
        }
        finding.target.as_deref().unwrap_or("").to_string()
    }

    /// Entry `e` as a row.
    pub fn row(&self, e: usize) -> Row {
        let entry = &self.aggregate.entries[e];
        let finding = self.primary(entry);
        Row {
            entry: e,
            severity: entry.severity.as_str().to_string(),
            state: entry.state.as_str().to_string(),
            kind: finding.kind.as_str().to_string(),
            title: Self::title(finding),
            rule: Self::rule(finding).to_string(),
            component: entry.component.clone(),
            tools: self.tools(entry).join(", "),
            place: Self::place(finding),
            sources: entry.sources.len(),
            failing: self.failing.contains(&e),
        }
    }

    /// The dashboard.
    pub fn dashboard(&self) -> Dashboard {
        let mut out = Dashboard {
            gate: GateView {
                passed: self.verdict.passed,
                fail_on: self.verdict.fail_on.as_str().to_string(),
                failing: self.verdict.failing.len(),
                excused: self.verdict.excused.len(),
                expired_ignores: self.verdict.expired_ignores.len(),
            },
            findings: self.aggregate.findings(),
            entries: self.aggregate.entries.len(),
            merged: self.aggregate.merged,
            ..Dashboard::default()
        };
        let mut tools: HashMap<&str, [usize; 6]> = HashMap::new();
        let mut components: HashMap<&str, [usize; 6]> = HashMap::new();
        let mut rules: HashMap<&str, [usize; 6]> = HashMap::new();
        let mut cwes: HashMap<u32, [usize; 6]> = HashMap::new();
        let mut packages: HashMap<&str, [usize; 6]> = HashMap::new();
        for entry in &self.aggregate.entries {
            components.entry(&entry.component).or_default();
            if entry.state != State::Open {
                out.not_open += 1;
                continue;
            }
            let s = severity_index(entry.severity);
            out.open[s] += 1;
            components.entry(&entry.component).or_default()[s] += 1;
            for tool in self.tools(entry) {
                tools.entry(tool).or_default()[s] += 1;
            }
            let finding = self.primary(entry);
            let rule = Self::rule(finding);
            if !rule.is_empty() {
                rules.entry(rule).or_default()[s] += 1;
            }
            for &cwe in &finding.cwes {
                cwes.entry(cwe).or_default()[s] += 1;
            }
            if let Some(p) = &finding.package {
                packages.entry(p.name.as_str()).or_default()[s] += 1;
            }
        }
        let tallies = |map: HashMap<&str, [usize; 6]>, limit: usize| {
            top(map.into_iter().map(|(name, open)| Tally { name: name.to_string(), open }), limit)
        };
        out.tools = tallies(tools, usize::MAX);
        out.components = tallies(components, usize::MAX);
        out.rules = tallies(rules, TOP);
        out.packages = tallies(packages, TOP);
        out.cwes = top(
            cwes.into_iter().map(|(cwe, open)| Tally { name: format!("CWE-{cwe}"), open }),
            TOP,
        );
        out.failing = self.verdict.failing.iter().take(TOP).map(|&e| self.row(e)).collect();
        out
    }

    fn matches_text(&self, entry: &Entry, words: &[String]) -> bool {
        words.iter().all(|word| {
            contains(&entry.component, word)
                || entry.sources.iter().any(|s| {
                    let f = s.get(self.reports);
                    f.title.as_deref().is_some_and(|t| contains(t, word))
                        || f.message.text.as_deref().is_some_and(|t| contains(t, word))
                        || f.rule_id.as_deref().is_some_and(|t| contains(t, word))
                        || f.vuln_ids.iter().any(|id| contains(id, word))
                        || f.locations
                            .iter()
                            .any(|l| l.uri.as_deref().is_some_and(|u| contains(u, word)))
                        || f.package.as_ref().is_some_and(|p| contains(&p.name, word))
                        || f.target.as_deref().is_some_and(|t| contains(t, word))
                })
        })
    }

    /// The entries `query` selects, in its order.
    pub fn select(&self, query: &Query) -> Vec<usize> {
        let words: Vec<String> = query.text.split_whitespace().map(|w| w.to_lowercase()).collect();
        let wanted =
            |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
        let mut selected: Vec<usize> = (0..self.aggregate.entries.len())
            .filter(|&e| {
                let entry = &self.aggregate.entries[e];
                let finding = self.primary(entry);
                (!query.failing_only || self.failing.contains(&e))
                    && wanted(&query.severities, entry.severity.as_str())
                    && wanted(&query.states, entry.state.as_str())
                    && wanted(&query.kinds, finding.kind.as_str())
                    && wanted(&query.components, &entry.component)
                    && (query.tools.is_empty()
                        || self.tools(entry).iter().any(|t| query.tools.iter().any(|q| q == t)))
                    && (words.is_empty() || self.matches_text(entry, &words))
            })
            .collect();
        let entries = &self.aggregate.entries;
        let key = |e: usize| -> String {
            let entry = &entries[e];
            let finding = self.primary(entry);
            match query.sort {
                Sort::Severity => String::new(),
                Sort::Title => Self::title(finding).to_lowercase(),
                Sort::Rule => Self::rule(finding).to_lowercase(),
                Sort::Component => entry.component.to_lowercase(),
                Sort::Tool => self.tools(entry).join(", ").to_lowercase(),
                Sort::Place => Self::place(finding),
            }
        };
        // Severity order (most severe first) then component, rule and place: a stable,
        // meaningful order under every sort key.
        let by_severity = |a: usize, b: usize| -> Ordering {
            let (x, y) = (&entries[a], &entries[b]);
            y.severity
                .cmp(&x.severity)
                .then_with(|| x.component.cmp(&y.component))
                .then_with(|| Self::rule(self.primary(x)).cmp(Self::rule(self.primary(y))))
                .then_with(|| a.cmp(&b))
        };
        if query.sort == Sort::Severity {
            selected.sort_by(|&a, &b| by_severity(a, b));
        } else {
            let mut keyed: Vec<(String, usize)> = selected.iter().map(|&e| (key(e), e)).collect();
            keyed.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| by_severity(*a, *b)));
            selected = keyed.into_iter().map(|(_, e)| e).collect();
        }
        if query.descending {
            selected.reverse();
        }
        selected
    }
}

/// Case-insensitive substring test; `word` is already lower-case.
fn contains(haystack: &str, word: &str) -> bool {
    if word.is_empty() {
        true
    } else if haystack.is_ascii() && word.is_ascii() {
        haystack.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    } else {
        haystack.to_lowercase().contains(word)
    }
}

/// The `limit` tallies with the most open entries, most severe first on a tie, then by name.
fn top(tallies: impl Iterator<Item = Tally>, limit: usize) -> Vec<Tally> {
    let mut all: Vec<Tally> = tallies.collect();
    all.sort_by(|a, b| {
        b.total()
            .cmp(&a.total())
            .then_with(|| b.open.cmp(&a.open))
            .then_with(|| a.name.cmp(&b.name))
    });
    all.truncate(limit);
    all
}
