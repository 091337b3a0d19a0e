//! What the page shows, computed where the data lives. The parsing worker holds the reports
//! and answers the page with these small values: the dashboard of one build, one page of
//! rows of a filtered and sorted selection, one entry's detail. Rows are built only for the
//! page asked for; nothing here copies findings.
//!
//! Architecture Invariant: the dashboard's gate is [`crate::gate::evaluate`] over the same
//! reports the CLI would be given, so the page and `scanlens gate` agree.

use foldhash::{HashMap, HashMapExt as _, HashSet};
use std::cmp::Ordering;

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
    /// Of the excused, how many by a triage decision.
    #[serde(default)]
    pub triaged: usize,
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
    /// A group's header row, not an entry: `title` is the group, `sources` its entry count.
    pub group: bool,
    /// An entry of the compared build that is gone from the latest (fixed): no detail.
    pub gone: bool,
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

/// What to group rows by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// Rule or vulnerability id.
    Rule,
    /// The first location's file (or the package's manifest).
    File,
    /// Package name and version.
    Package,
    /// Component.
    Component,
}

impl Group {
    /// Every grouping, as the page offers them.
    pub const ALL: [Group; 4] = [Group::Rule, Group::File, Group::Package, Group::Component];

    /// Lower-case name, for the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Rule => "rule",
            Group::File => "file",
            Group::Package => "package",
            Group::Component => "component",
        }
    }
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
    /// CWEs (`CWE-79`).
    pub cwes: Vec<String>,
    /// OWASP Top 10 categories (`A03:2021`, `A05:2025`).
    pub owasp: Vec<String>,
    /// Change since the build `against`: `new`, `unchanged`, `changed`.
    pub changes: Vec<String>,
    /// The build (index, oldest first) that `changes` compares with; `None`: the one
    /// before the latest.
    pub against: Option<usize>,
    /// Only entries failing the gate.
    pub failing_only: bool,
    /// Group rows (groups in name order, the sort within each).
    pub group: Option<Group>,
    /// The order.
    pub sort: Sort,
    /// Reverse it.
    pub descending: bool,
}

/// A filter dimension of the explorer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    /// Severity name.
    Severity,
    /// State name.
    State,
    /// Kind name.
    Kind,
    /// Tool name.
    Tool,
    /// Component name.
    Component,
    /// `CWE-79`.
    Cwe,
    /// `A03:2021`.
    Owasp,
    /// `new`, `unchanged`, `changed` since a build.
    Change,
}

impl Facet {
    /// Every facet, in the order the page lists them.
    pub const ALL: [Facet; 8] = [
        Facet::Severity,
        Facet::State,
        Facet::Kind,
        Facet::Tool,
        Facet::Component,
        Facet::Cwe,
        Facet::Owasp,
        Facet::Change,
    ];

    fn chosen(self, query: &Query) -> &[String] {
        match self {
            Facet::Severity => &query.severities,
            Facet::State => &query.states,
            Facet::Kind => &query.kinds,
            Facet::Tool => &query.tools,
            Facet::Component => &query.components,
            Facet::Cwe => &query.cwes,
            Facet::Owasp => &query.owasp,
            Facet::Change => &query.changes,
        }
    }
}

/// One facet's values with how many entries have each, given the other filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    /// Which facet.
    pub facet: Option<Facet>,
    /// Values, most entries first (at most 40).
    pub values: Vec<(String, usize)>,
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
    /// Per entry, its change since the build a query compares with, when known.
    changes: Option<Vec<&'static str>>,
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim()
}

/// `text` cut to `max` characters, with `…` when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

impl<'a> View<'a> {
    /// A view of one build's aggregate and verdict.
    pub fn new(reports: &'a [Report], aggregate: &'a Aggregate, verdict: &'a Verdict) -> View<'a> {
        View {
            reports,
            aggregate,
            verdict,
            failing: verdict.failing.iter().copied().collect(),
            changes: None,
        }
    }

    /// With each entry's change (`new`, `unchanged`, `changed`) since another build.
    pub fn with_changes(mut self, changes: Vec<&'static str>) -> Self {
        self.changes = Some(changes);
        self
    }

    /// The values entry `e` has for a facet, as the page shows them (see [`reveal`]).
    pub fn values(&self, e: usize, facet: Facet) -> Vec<String> {
        let mut values = self.raw_values(e, facet);
        for v in &mut values {
            if let std::borrow::Cow::Owned(shown) = reveal(v) {
                *v = shown;
            }
        }
        values
    }

    fn raw_values(&self, e: usize, facet: Facet) -> Vec<String> {
        let entry = &self.aggregate.entries[e];
        let finding = self.primary(entry);
        match facet {
            Facet::Severity => vec![entry.severity.as_str().to_string()],
            Facet::State => vec![entry.state.as_str().to_string()],
            Facet::Kind => vec![finding.kind.as_str().to_string()],
            Facet::Tool => self.tools(entry).into_iter().map(str::to_string).collect(),
            Facet::Component => vec![entry.component.to_string()],
            Facet::Cwe => finding.cwes.iter().map(|c| format!("CWE-{c}")).collect(),
            Facet::Owasp => [2021, 2025]
                .into_iter()
                .flat_map(|year| crate::compliance::owasp_categories(self.reports, entry, year))
                .map(str::to_string)
                .collect(),
            Facet::Change => self
                .changes
                .as_ref()
                .and_then(|c| c.get(e))
                .map(|c| vec![c.to_string()])
                .unwrap_or_default(),
        }
    }

    fn matches(&self, e: usize, query: &Query, words: &[String], skip: Option<Facet>) -> bool {
        if query.failing_only && !self.failing.contains(&e) {
            return false;
        }
        for facet in Facet::ALL {
            let chosen = facet.chosen(query);
            if Some(facet) == skip || chosen.is_empty() {
                continue;
            }
            if !self.values(e, facet).iter().any(|v| chosen.contains(v)) {
                return false;
            }
        }
        words.is_empty() || self.matches_text(&self.aggregate.entries[e], words)
    }

    /// For every facet, its values' counts among the entries the other filters select.
    pub fn facets(&self, query: &Query) -> Vec<FacetCounts> {
        let words: Vec<String> = query.text.split_whitespace().map(|w| w.to_lowercase()).collect();
        Facet::ALL
            .into_iter()
            .map(|facet| {
                let mut counts: HashMap<String, usize> = HashMap::new();
                for e in 0..self.aggregate.entries.len() {
                    if self.matches(e, query, &words, Some(facet)) {
                        for value in self.values(e, facet) {
                            *counts.entry(value).or_default() += 1;
                        }
                    }
                }
                let mut values: Vec<(String, usize)> = counts.into_iter().collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                values.truncate(40);
                FacetCounts { facet: Some(facet), values }
            })
            .collect()
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
            component: entry.component.to_string(),
            tools: self.tools(entry).join(", "),
            place: Self::place(finding),
            sources: entry.sources.len(),
            failing: self.failing.contains(&e),
            group: false,
            gone: false,
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
                triaged: 0,
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
            match entry.sources.as_slice() {
                // Most entries have one source: no list to build.
                [one] => {
                    let report = &self.reports[one.report];
                    if let Some(t) = report.tools.get(one.get(self.reports).tool) {
                        tools.entry(t.name.as_str()).or_default()[s] += 1;
                    }
                }
                _ => {
                    for tool in self.tools(entry) {
                        tools.entry(tool).or_default()[s] += 1;
                    }
                }
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
            top(map.into_iter().collect(), limit, str::to_string)
        };
        out.tools = tallies(tools, usize::MAX);
        out.components = tallies(components, usize::MAX);
        out.rules = tallies(rules, TOP);
        out.packages = tallies(packages, TOP);
        out.cwes = top(
            cwes.into_iter().map(|(cwe, open)| (format!("CWE-{cwe}"), open)).collect(),
            TOP,
            |name| name,
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

    /// The group entry `e` falls in.
    pub fn group_key(&self, e: usize, group: Group) -> String {
        let entry = &self.aggregate.entries[e];
        let f = self.primary(entry);
        match group {
            Group::Rule => Self::rule(f).to_string(),
            Group::File => f
                .path()
                .map(str::to_string)
                .or_else(|| f.package.as_ref().and_then(|p| p.path.clone()))
                .unwrap_or_else(|| "(no file)".into()),
            Group::Package => f.package.as_ref().map_or_else(
                || "(no package)".into(),
                |p| match &p.version {
                    Some(v) => format!("{}@{v}", p.name),
                    None => p.name.clone(),
                },
            ),
            Group::Component => entry.component.to_string(),
        }
    }

    /// The entries `query` selects, in its order.
    pub fn select(&self, query: &Query) -> Vec<usize> {
        let words: Vec<String> = query.text.split_whitespace().map(|w| w.to_lowercase()).collect();
        let mut selected: Vec<usize> = (0..self.aggregate.entries.len())
            .filter(|&e| self.matches(e, query, &words, None))
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
            // The same order as `by_severity`, its keys looked up once per entry rather than
            // twice per comparison (a third of the time to first rows at 200,000 entries).
            selected.sort_by_cached_key(|&e| {
                let entry = &entries[e];
                let rule = Self::rule(self.primary(entry));
                (std::cmp::Reverse(entry.severity), &*entry.component, rule, e)
            });
        } else {
            let mut keyed: Vec<(String, usize)> = selected.iter().map(|&e| (key(e), e)).collect();
            keyed.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| by_severity(*a, *b)));
            selected = keyed.into_iter().map(|(_, e)| e).collect();
        }
        if query.descending {
            selected.reverse();
        }
        if let Some(group) = query.group {
            // Stable: the chosen order holds within each group.
            let mut keyed: Vec<(String, usize)> =
                selected.iter().map(|&e| (self.group_key(e, group), e)).collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            selected = keyed.into_iter().map(|(_, e)| e).collect();
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
/// Only those are ordered and named (Trivy has one rule per CVE: 100,000s of them).
fn top<K: Ord>(
    mut all: Vec<(K, [usize; 6])>,
    limit: usize,
    name: impl Fn(K) -> String,
) -> Vec<Tally> {
    let order = |a: &(K, [usize; 6]), b: &(K, [usize; 6])| {
        let total = |open: &[usize; 6]| open.iter().sum::<usize>();
        total(&b.1).cmp(&total(&a.1)).then_with(|| b.1.cmp(&a.1)).then_with(|| a.0.cmp(&b.0))
    };
    if limit < all.len() {
        all.select_nth_unstable_by(limit, order);
        all.truncate(limit);
    }
    all.sort_unstable_by(order);
    all.into_iter().map(|(key, open)| Tally { name: name(key), open }).collect()
}

/// A place, as the detail shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// Path or URI.
    pub uri: Option<String>,
    /// First and last line.
    pub lines: Option<(u32, Option<u32>)>,
    /// The source text of the region.
    pub snippet: Option<String>,
    /// Function, resource `Kind/Name`.
    pub logical: Option<String>,
    /// What this place says (flow steps, related locations).
    pub message: Option<String>,
}

/// One code flow, step by step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// What the flow shows.
    pub message: Option<String>,
    /// The steps in order.
    pub steps: Vec<Place>,
}

/// One finding merged into an entry: which tool and file said what.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceView {
    /// Tool name and version.
    pub tool: String,
    /// The file (or archive member) it came from.
    pub file: String,
    /// Its normalised severity.
    pub severity: String,
    /// The severity as the tool wrote it.
    pub raw_severity: String,
    /// `high from security-severity "7.8"`.
    pub explained: String,
    /// Its state, and the raw status the tool gave.
    pub state: String,
    /// Why it is not open, when the tool says.
    pub justification: Option<String>,
    /// Whether the entry took its severity from this source.
    pub primary: bool,
}

/// A link built from an id or given by the scan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// What to show.
    pub text: String,
    /// Where it goes (http or https only).
    pub url: String,
}

/// A CVSS score.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Who scored it.
    pub source: String,
    /// CVSS version.
    pub version: Option<String>,
    /// Base score.
    pub score: Option<f64>,
    /// Vector.
    pub vector: Option<String>,
}

/// The affected package, as the detail shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageView {
    /// Ecosystem or package type.
    pub ecosystem: Option<String>,
    /// Name.
    pub name: String,
    /// Installed version.
    pub version: Option<String>,
    /// Versions that fix it.
    pub fixed: Vec<String>,
    /// Package URL.
    pub purl: Option<String>,
    /// Where it was found.
    pub path: Option<String>,
}

/// Everything about one entry, for the detail panel.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    /// The row it belongs to.
    pub row: Row,
    /// The occurrence's message: plain text and markdown, raw (the page renders safely).
    pub message: Option<String>,
    /// Markdown of the message, when the scan gave one.
    pub message_markdown: Option<String>,
    /// The rule's help, markdown preferred.
    pub help: Option<String>,
    /// Whether `help` is markdown.
    pub help_is_markdown: bool,
    /// Vulnerability ids and aliases with advisory links.
    pub ids: Vec<Link>,
    /// CWEs with MITRE links.
    pub cwes: Vec<Link>,
    /// Rule tags.
    pub tags: Vec<String>,
    /// The affected package.
    pub package: Option<PackageView>,
    /// Primary locations.
    pub locations: Vec<Place>,
    /// Related locations.
    pub related: Vec<Place>,
    /// Code flows.
    pub flows: Vec<Flow>,
    /// Reference URLs (http and https only).
    pub references: Vec<String>,
    /// CVSS scores.
    pub cvss: Vec<Score>,
    /// EPSS probability and percentile.
    pub epss: Option<(f64, f64)>,
    /// In CISA's KEV catalogue.
    pub kev: bool,
    /// Every source, the primary marked.
    pub sources: Vec<SourceView>,
    /// Why the entry has its severity.
    pub severity_reason: String,
    /// The VEX statement that set its state: file, status and justification.
    pub vex: Option<String>,
    /// Extra properties worth showing.
    pub properties: Vec<(String, String)>,
    /// The primary finding's fingerprint (16 hex digits): what a triage decision is keyed by.
    pub fingerprint: String,
    /// The triage decision about it, when there is one.
    pub triage: Option<crate::triage::Decision>,
}

/// The advisory page for a vulnerability id, if its kind is known.
pub fn advisory_url(id: &str) -> Option<String> {
    let upper = id.to_ascii_uppercase();
    let safe = id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_');
    if !safe {
        return None;
    }
    Some(if upper.starts_with("CVE-") {
        format!("https://nvd.nist.gov/vuln/detail/{upper}")
    } else if upper.starts_with("GHSA-") {
        format!(
            "https://github.com/advisories/{}",
            id.to_ascii_lowercase().replacen("ghsa", "GHSA", 1)
        )
    } else if upper.starts_with("GO-") {
        format!("https://pkg.go.dev/vuln/{upper}")
    } else {
        format!("https://osv.dev/vulnerability/{id}")
    })
}

fn http_only(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

fn place(location: &crate::model::Location) -> Place {
    Place {
        uri: location.uri.as_deref().map(str::to_string),
        lines: location
            .region
            .and_then(|r| r.start_line.map(|s| (s, r.end_line.filter(|&e| e != s)))),
        snippet: location.snippet.clone(),
        logical: location.logical.clone(),
        message: location.message.clone(),
    }
}

impl View<'_> {
    /// Entry `e` in full.
    pub fn detail(&self, e: usize) -> Option<Detail> {
        let entry = self.aggregate.entries.get(e)?;
        let f = self.primary(entry);
        let mut ids: Vec<String> = Vec::new();
        for s in &entry.sources {
            for id in &s.get(self.reports).vuln_ids {
                if !ids.iter().any(|x| x.eq_ignore_ascii_case(id)) {
                    ids.push(id.clone());
                }
            }
        }
        let sources: Vec<SourceView> = entry
            .sources
            .iter()
            .map(|s| {
                let report = &self.reports[s.report];
                let finding = s.get(self.reports);
                let tool =
                    report.tools.get(finding.tool).map_or_else(String::new, |t| match &t.version {
                        Some(v) => format!("{} {v}", t.name),
                        None => t.name.clone(),
                    });
                let state = match &finding.status.raw {
                    Some(raw) if raw != finding.status.state.as_str() => {
                        format!("{} (the tool says {raw:?})", finding.status.state.as_str())
                    }
                    _ => finding.status.state.as_str().to_string(),
                };
                SourceView {
                    tool,
                    file: report.file_name.clone(),
                    severity: finding.rating.severity.as_str().to_string(),
                    raw_severity: finding.rating.raw.to_string(),
                    explained: finding.rating.explain(),
                    state,
                    justification: finding.status.justification.clone(),
                    primary: *s == entry.primary,
                }
            })
            .collect();
        let severity_reason = if sources.len() > 1 {
            let primary = sources.iter().find(|s| s.primary).map_or("", |s| s.tool.as_str());
            format!(
                "{}: the highest of its {} sources, given by {primary} ({})",
                entry.severity.as_str(),
                sources.len(),
                f.rating.explain()
            )
        } else {
            f.rating.explain()
        };
        let (help, help_is_markdown) = match (&f.help.markdown, &f.help.text) {
            (Some(md), _) => (Some(md.to_string()), true),
            (None, Some(text)) => (Some(text.to_string()), false),
            (None, None) => (None, false),
        };
        let mut references: Vec<String> = Vec::new();
        for s in &entry.sources {
            for r in &s.get(self.reports).references {
                if http_only(r) && !references.contains(r) {
                    references.push(r.clone());
                }
            }
        }
        Some(Detail {
            fingerprint: crate::fingerprint::to_hex(f.fingerprint),
            triage: None,
            row: self.row(e),
            message: f.message.text.clone(),
            message_markdown: f.message.markdown.clone(),
            help,
            help_is_markdown,
            ids: ids
                .into_iter()
                .map(|id| Link { url: advisory_url(&id).unwrap_or_default(), text: id })
                .collect(),
            cwes: f
                .cwes
                .iter()
                .map(|c| Link {
                    text: format!("CWE-{c}"),
                    url: format!("https://cwe.mitre.org/data/definitions/{c}.html"),
                })
                .collect(),
            tags: f.tags.as_deref().map(<[String]>::to_vec).unwrap_or_default(),
            package: f.package.as_ref().map(|p| PackageView {
                ecosystem: p.ecosystem.clone(),
                name: p.name.clone(),
                version: p.version.clone(),
                fixed: p.fixed_versions.to_vec(),
                purl: p.purl.clone(),
                path: p.path.clone(),
            }),
            locations: f.locations.iter().map(place).collect(),
            related: f.related.iter().map(place).collect(),
            flows: f
                .code_flows
                .iter()
                .map(|flow| Flow {
                    message: flow.message.clone(),
                    steps: flow.steps.iter().map(place).collect(),
                })
                .collect(),
            references,
            cvss: f
                .cvss
                .iter()
                .map(|c| Score {
                    source: c.source.clone(),
                    version: c.version.as_deref().map(String::from),
                    score: c.score,
                    vector: c.vector.clone(),
                })
                .collect(),
            epss: f.epss.as_deref().copied(),
            kev: entry.sources.iter().any(|s| s.get(self.reports).kev),
            sources,
            severity_reason,
            vex: entry.vex.map(|(r, s)| {
                let statement = &self.reports[r].vex[s];
                let status = match statement.status {
                    crate::model::VexStatus::NotAffected => "not affected",
                    crate::model::VexStatus::Fixed => "fixed",
                    crate::model::VexStatus::Affected => "affected",
                    crate::model::VexStatus::UnderInvestigation => "under investigation",
                };
                match &statement.justification {
                    Some(j) => format!(
                        "{} says {status} for {}: {j}",
                        self.reports[r].file_name, statement.vulnerability
                    ),
                    None => format!(
                        "{} says {status} for {}",
                        self.reports[r].file_name, statement.vulnerability
                    ),
                }
            }),
            properties: f.properties.to_vec(),
        })
    }
}

/// Percent-encodes every byte of `text` but ASCII letters, digits and the bytes in `keep`.
pub(crate) fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn encode(text: &str) -> String {
    percent_encode(text, b"-_.~/:@")
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|&b| (b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Sort {
    fn as_str(self) -> &'static str {
        match self {
            Sort::Severity => "severity",
            Sort::Title => "title",
            Sort::Rule => "rule",
            Sort::Component => "component",
            Sort::Tool => "tool",
            Sort::Place => "place",
        }
    }
}

/// The value of `key` in a URL fragment (`#a=1&b=x%20y`), decoded.
pub fn fragment_value(fragment: &str, key: &str) -> Option<String> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| decode(v))
}

/// `key=value` for a URL fragment, the value encoded.
pub fn fragment_pair(key: &str, value: &str) -> String {
    format!("{key}={}", encode(value))
}

impl Query {
    /// The query as a URL fragment (`q=xss&sev=critical,high&sort=title`), empty parts left
    /// out, so a copied link reopens the same view.
    pub fn to_fragment(&self) -> String {
        let list = |l: &[String]| l.iter().map(|v| encode(v)).collect::<Vec<_>>().join(",");
        let mut parts = Vec::new();
        for (key, value) in [
            ("q", encode(&self.text)),
            ("sev", list(&self.severities)),
            ("state", list(&self.states)),
            ("kind", list(&self.kinds)),
            ("tool", list(&self.tools)),
            ("component", list(&self.components)),
            ("cwe", list(&self.cwes)),
            ("owasp", list(&self.owasp)),
            ("change", list(&self.changes)),
        ] {
            if !value.is_empty() {
                parts.push(format!("{key}={value}"));
            }
        }
        if let Some(b) = self.against {
            parts.push(format!("against={b}"));
        }
        if self.failing_only {
            parts.push("failing=1".into());
        }
        if let Some(g) = self.group {
            parts.push(format!("group={}", g.as_str()));
        }
        if self.sort != Sort::Severity {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if self.descending {
            parts.push("desc=1".into());
        }
        parts.join("&")
    }

    /// Reads [`Query::to_fragment`]'s output (a leading `#` is fine); unknown keys and
    /// values are ignored.
    pub fn from_fragment(fragment: &str) -> Query {
        let mut query = Query::default();
        let list = |v: &str| -> Vec<String> {
            v.split(',').filter(|s| !s.is_empty()).map(decode).collect()
        };
        for pair in fragment.trim_start_matches('#').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "q" => query.text = decode(value),
                "sev" => query.severities = list(value),
                "state" => query.states = list(value),
                "kind" => query.kinds = list(value),
                "tool" => query.tools = list(value),
                "component" => query.components = list(value),
                "cwe" => query.cwes = list(value),
                "owasp" => query.owasp = list(value),
                "change" => query.changes = list(value),
                "against" => query.against = value.parse().ok(),
                "group" => query.group = Group::ALL.into_iter().find(|g| g.as_str() == value),
                "failing" => query.failing_only = value == "1",
                "desc" => query.descending = value == "1",
                "sort" => {
                    query.sort = [
                        Sort::Severity,
                        Sort::Title,
                        Sort::Rule,
                        Sort::Component,
                        Sort::Tool,
                        Sort::Place,
                    ]
                    .into_iter()
                    .find(|s| s.as_str() == value)
                    .unwrap_or_default()
                }
                _ => {}
            }
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_round_trips_through_the_url_fragment() {
        let query = Query {
            text: "sql injection & co/50% ümlaut".into(),
            severities: vec!["critical".into(), "high".into()],
            states: vec!["open".into()],
            kinds: vec!["code".into()],
            tools: vec!["Semgrep OSS".into()],
            components: vec!["ghcr.io/acme/shop-api:1.4,beta".into()],
            cwes: vec!["CWE-79".into()],
            owasp: vec!["A03:2021".into()],
            changes: vec!["new".into()],
            against: Some(3),
            group: Some(Group::Package),
            failing_only: true,
            sort: Sort::Place,
            descending: true,
        };
        let fragment = query.to_fragment();
        assert!(!fragment.contains(' ') && !fragment.contains('#'), "{fragment}");
        assert_eq!(Query::from_fragment(&format!("#{fragment}")), query);
        assert_eq!(Query::default().to_fragment(), "");
        assert_eq!(Query::from_fragment(""), Query::default());
        assert_eq!(
            Query::from_fragment("sort=nonsense&zzz=1&q=a+b"),
            Query { text: "a b".into(), ..Query::default() }
        );
    }

    #[test]
    fn advisory_links_follow_the_id_and_refuse_odd_ones() {
        assert_eq!(
            advisory_url("CVE-2021-44228").unwrap(),
            "https://nvd.nist.gov/vuln/detail/CVE-2021-44228"
        );
        assert_eq!(
            advisory_url("GHSA-jfh8-c2jp-5v3q").unwrap(),
            "https://github.com/advisories/GHSA-jfh8-c2jp-5v3q"
        );
        assert_eq!(advisory_url("GO-2022-0969").unwrap(), "https://pkg.go.dev/vuln/GO-2022-0969");
        assert_eq!(
            advisory_url("RUSTSEC-2023-0001").unwrap(),
            "https://osv.dev/vulnerability/RUSTSEC-2023-0001"
        );
        assert_eq!(advisory_url("CVE-1\"><script>"), None);
        assert_eq!(advisory_url("../../x"), None);
    }
}

impl Dashboard {
    /// The headline of the gate banner.
    pub fn headline(&self) -> String {
        let g = &self.gate;
        if g.passed {
            format!("PASS: nothing open at or above {} fails the build", g.fail_on)
        } else {
            let (noun, verb) =
                if g.failing == 1 { ("finding", "fails") } else { ("findings", "fail") };
            format!("FAIL: {} {noun} at or above {} {verb} the build", g.failing, g.fail_on)
        }
    }

    /// The line under the headline: what went in, what was merged and excused.
    pub fn detail_line(&self) -> String {
        let mut parts = vec![
            format!("{} findings from all tools", self.findings),
            format!("{} after merging {} duplicates", self.entries, self.merged),
        ];
        if self.gate.excused > 0 {
            parts.push(format!(
                "{} at or above the threshold excused (not open, ignored or not counted)",
                self.gate.excused
            ));
        }
        if self.gate.triaged > 0 {
            parts.push(format!("{} excused by triage", self.gate.triaged));
        }
        if self.gate.expired_ignores > 0 {
            parts.push(format!("{} ignore rule(s) expired", self.gate.expired_ignores));
        }
        parts.join(" · ")
    }
}

#[cfg(test)]
mod headline_tests {
    use super::*;

    #[test]
    fn the_headline_says_pass_or_fail_with_the_threshold() {
        let mut d = Dashboard {
            gate: GateView { passed: true, fail_on: "high".into(), ..GateView::default() },
            ..Dashboard::default()
        };
        assert_eq!(d.headline(), "PASS: nothing open at or above high fails the build");
        d.gate =
            GateView { passed: false, fail_on: "medium".into(), failing: 1, ..GateView::default() };
        assert_eq!(d.headline(), "FAIL: 1 finding at or above medium fails the build");
        d.gate.failing = 7;
        assert_eq!(d.headline(), "FAIL: 7 findings at or above medium fail the build");
    }

    #[test]
    fn the_detail_names_merges_and_only_the_excuses_there_are() {
        let mut d = Dashboard { findings: 12, entries: 9, merged: 3, ..Dashboard::default() };
        assert_eq!(d.detail_line(), "12 findings from all tools · 9 after merging 3 duplicates");
        d.gate.excused = 2;
        d.gate.expired_ignores = 1;
        assert!(d.detail_line().ends_with("· 2 at or above the threshold excused (not open, ignored or not counted) · 1 ignore rule(s) expired"));
    }
}

/// One control of a checklist, as the component page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlView {
    /// Control or category id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// `fail`, `warn`, `pass`, `no-findings`, `manual`, `not-assessed`.
    pub status: String,
    /// Evidence entries as rows (the first [`TOP`] of them).
    pub evidence: Vec<Row>,
    /// How many evidence entries there are.
    pub evidence_count: usize,
    /// Why not assessed, a default status.
    pub note: Option<String>,
}

/// One framework's checklist for a component.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChecklistView {
    /// Framework id.
    pub framework: String,
    /// Framework title.
    pub title: String,
    /// `derived from findings` or the compliance report's file.
    pub origin: String,
    /// Controls passed, failed, warned, manual, not assessed, and all.
    pub counts: [usize; 6],
    /// Passed / all (manual and not assessed never count as passed).
    pub score: f64,
    /// The controls.
    pub controls: Vec<ControlView>,
}

/// A component's page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ComponentView {
    /// Its name.
    pub name: String,
    /// Open entries by severity in the latest build.
    pub open: [usize; 6],
    /// Its trend, oldest build first.
    pub trend: Vec<crate::chart::TrendPoint>,
    /// Its checklists.
    pub checklists: Vec<ChecklistView>,
}

impl View<'_> {
    /// A checklist as the page shows it.
    pub fn checklist(&self, list: &crate::compliance::Checklist) -> ChecklistView {
        let s = list.summary();
        ChecklistView {
            framework: list.framework.clone(),
            title: list.title.clone(),
            origin: match list.origin {
                crate::compliance::Origin::Derived => "derived from the findings".to_string(),
                crate::compliance::Origin::Report(r) => {
                    format!("from {}", self.reports[r].file_name)
                }
            },
            counts: [s.pass, s.fail, s.warn, s.manual, s.not_assessed, s.total],
            score: s.score,
            controls: list
                .controls
                .iter()
                .map(|c| ControlView {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    description: c.description.clone(),
                    status: c.status.as_str().to_string(),
                    evidence: c.evidence.iter().take(TOP).map(|&e| self.row(e)).collect(),
                    evidence_count: c.evidence.len(),
                    note: c.note.clone(),
                })
                .collect(),
        }
    }
}

/// Whether a character is invisible or changes text direction (Trojan Source): bidi
/// embeddings, overrides, isolates and marks, zero-width characters, the BOM.
pub fn is_hidden(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// Makes invisible and direction-changing characters visible (`⟦U+202E⟧`): bidi overrides
/// and isolates (Trojan Source), zero-width characters and the BOM. Applied to everything
/// the page is sent, so a scan cannot make text read differently from what it is.
pub fn reveal(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = is_hidden;
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("⟦U+{:04X}⟧", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod reveal_tests {
    use super::reveal;

    #[test]
    fn trojan_source_and_zero_width_characters_become_visible() {
        assert_eq!(reveal("bidi:\u{202E}exe.txt\u{202C}"), "bidi:⟦U+202E⟧exe.txt⟦U+202C⟧");
        assert_eq!(
            reveal("zero\u{200B}width\u{2060}\u{FEFF}"),
            "zero⟦U+200B⟧width⟦U+2060⟧⟦U+FEFF⟧"
        );
        assert_eq!(reveal("plain ümlaut → text"), "plain ümlaut → text");
        assert!(matches!(reveal("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
