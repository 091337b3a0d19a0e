//! Everything a user has loaded into one page, and what the page asks of it. The parsing
//! worker owns one [`Session`]; the page sends it files and questions and gets back the
//! small values of this module and of [`crate::explore`].
//!
//! Files given together form a drop; drops group into builds ([`crate::build::group`]) and
//! the page shows the latest build, whose gate is what `scanlens gate` says for the same
//! files. A `.toml` file that is not JSON is read as the policy (`scanlens.toml`) and
//! applies from then on; a broken one is reported and the previous policy stays.

use serde::{Deserialize, Serialize};

use crate::aggregate::{aggregate_of, Aggregate};
use crate::build::{group, Build};
use crate::chart::TrendPoint;
use crate::explore::{Dashboard, Detail, Query, Row, View};
use crate::gate::{evaluate, Verdict};
use crate::model::Report;
use crate::policy::{self, Policy};
use crate::severity::Severity;
use crate::summary::Counts;
use crate::time::Timestamp;
use crate::trend::series;

/// What one input file became (a zip yields several reports).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    /// The page's id for the file.
    pub id: u32,
    /// One entry per report the file turned into.
    pub reports: Vec<ReportSummary>,
    /// Set when the file was read as the policy, or failed to be.
    pub policy: Option<PolicySummary>,
}

/// One report's numbers, as `scanlens summary --json` gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSummary {
    /// `artifact.zip/path` for archive members.
    pub name: String,
    /// Format id, `None` when unrecognised.
    pub format: Option<String>,
    /// Tool names and versions.
    pub tool: String,
    /// Lower-case hex SHA-256.
    pub sha256: String,
    /// All findings.
    pub findings: usize,
    /// Open findings by severity, indexed like [`Severity::ALL`].
    pub open: [usize; 6],
    /// Findings not open.
    pub suppressed: usize,
    /// Kept non-findings.
    pub non_findings: usize,
    /// Diagnostics as `level: message`.
    pub diagnostics: Vec<String>,
}

/// A policy file dropped with the reports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySummary {
    /// `None` when it applies; the error (with line and column) otherwise.
    pub error: Option<String>,
    /// The gate threshold in force after reading it.
    pub fail_on: String,
    /// The ignore rules in force after reading it.
    pub ignores: usize,
}

/// A build as the page lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildSummary {
    /// Its identity.
    pub id: String,
    /// RFC 3339 time, when known.
    pub time: Option<String>,
    /// How many reports it holds.
    pub reports: usize,
}

/// Summarises one report.
pub fn summarise(report: &Report) -> ReportSummary {
    let counts = Counts::of(report);
    ReportSummary {
        name: report.file_name.clone(),
        format: report.format.map(|f| f.as_str().to_string()),
        tool: report
            .tools
            .iter()
            .map(|t| match &t.version {
                Some(v) => format!("{} {v}", t.name),
                None => t.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        sha256: report.sha256.clone(),
        findings: counts.findings,
        open: Severity::ALL.map(|s| counts.open(s)),
        suppressed: counts.not_open,
        non_findings: counts.non_findings,
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.level.as_str(), d.message))
            .collect(),
    }
}

/// Whether a file is a policy: named `*.toml`, and text that is not a JSON object (TOML
/// itself may start with `[table]`).
pub fn is_policy(name: &str, bytes: &[u8]) -> bool {
    name.to_ascii_lowercase().ends_with(".toml")
        && std::str::from_utf8(bytes).is_ok_and(|t| !t.trim_start().starts_with('{'))
}

/// Where a report came from: the page's file id and drop id.
#[derive(Clone, Copy)]
struct Origin {
    file: u32,
    drop: u32,
}

struct Computed {
    builds: Vec<Build>,
    aggregate: Aggregate,
    verdict: Verdict,
}

/// The files of one page and the model built from them.
#[derive(Default)]
pub struct Session {
    /// Every report, in load order; `origins[i]` says where `reports[i]` came from.
    reports: Vec<Report>,
    origins: Vec<Origin>,
    policy: Policy,
    policy_file: Option<u32>,
    /// The builds, the latest one's aggregate and verdict: recomputed after a change.
    computed: Option<Computed>,
    /// The last query and the entries it selected, kept for paging.
    selection: Option<(Query, Vec<usize>)>,
}

impl Session {
    /// An empty session with the default policy.
    pub fn new() -> Session {
        Session::default()
    }

    /// Reads one file of drop `drop`.
    pub fn add(&mut self, file: u32, drop: u32, name: &str, bytes: &[u8]) -> FileSummary {
        self.computed = None;
        self.selection = None;
        let mut summary = FileSummary { id: file, ..FileSummary::default() };
        if is_policy(name, bytes) {
            let text = String::from_utf8_lossy(bytes);
            let error = match policy::parse(&text) {
                Ok(p) => {
                    self.policy = p;
                    self.policy_file = Some(file);
                    None
                }
                Err(e) => Some(format!("{name}: {e}")),
            };
            summary.policy = Some(PolicySummary {
                error,
                fail_on: self.policy.fail_on.as_str().to_string(),
                ignores: self.policy.ignores.len(),
            });
        } else {
            for report in crate::ingest(name, bytes) {
                summary.reports.push(summarise(&report));
                self.reports.push(report);
                self.origins.push(Origin { file, drop });
            }
        }
        summary
    }

    /// Forgets a file; removing the policy file brings back the default policy.
    pub fn remove(&mut self, file: u32) {
        let loaded =
            std::mem::take(&mut self.reports).into_iter().zip(std::mem::take(&mut self.origins));
        (self.reports, self.origins) = loaded.filter(|(_, o)| o.file != file).unzip();
        if self.policy_file == Some(file) {
            self.policy = Policy::default();
            self.policy_file = None;
        }
        self.computed = None;
        self.selection = None;
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Every report loaded, in load order.
    pub fn reports(&self) -> &[Report] {
        &self.reports
    }

    fn computed(&mut self, now: Timestamp) -> &Computed {
        if self.computed.is_none() {
            let mut drops: Vec<(u32, Vec<usize>)> = Vec::new();
            for (i, origin) in self.origins.iter().enumerate() {
                match drops.iter_mut().find(|(d, _)| *d == origin.drop) {
                    Some((_, members)) => members.push(i),
                    None => drops.push((origin.drop, vec![i])),
                }
            }
            let drops: Vec<Vec<usize>> = drops.into_iter().map(|(_, m)| m).collect();
            let builds = group(&self.reports, &drops);
            let latest = builds.last().map(|b| b.reports.as_slice()).unwrap_or_default();
            let aggregate = aggregate_of(&self.reports, latest, &self.policy);
            let verdict = evaluate(&self.reports, &aggregate, &self.policy, now);
            self.computed = Some(Computed { builds, aggregate, verdict });
        }
        self.computed.as_ref().expect("computed above")
    }

    /// The builds, oldest first; the page shows the last.
    pub fn builds(&mut self, now: Timestamp) -> Vec<BuildSummary> {
        self.computed(now)
            .builds
            .iter()
            .map(|b| BuildSummary {
                id: b.id.clone(),
                time: b.time.map(|t| t.to_string()),
                reports: b.reports.len(),
            })
            .collect()
    }

    /// The latest build's dashboard, its gate evaluated at `now` (ignore rules expire).
    pub fn dashboard(&mut self, now: Timestamp) -> Dashboard {
        self.computed(now);
        let c = self.computed.as_ref().expect("computed above");
        View::new(&self.reports, &c.aggregate, &c.verdict).dashboard()
    }

    /// Each build's open, new and fixed entries, summed over components, oldest first.
    pub fn trends(&mut self, now: Timestamp) -> Vec<TrendPoint> {
        self.computed(now);
        let c = self.computed.as_ref().expect("computed above");
        let mut points: Vec<TrendPoint> = c
            .builds
            .iter()
            .map(|b| TrendPoint { build: b.id.clone(), ..TrendPoint::default() })
            .collect();
        for p in series(&self.reports, &c.builds, &self.policy) {
            let point = &mut points[p.build];
            point.open[crate::summary::severity_index(p.severity)] += p.open;
            point.new += p.new;
            point.fixed += p.fixed;
        }
        points
    }

    /// Entry `entry` of the latest build in full.
    pub fn detail(&mut self, entry: usize, now: Timestamp) -> Option<Detail> {
        self.computed(now);
        let c = self.computed.as_ref().expect("computed above");
        View::new(&self.reports, &c.aggregate, &c.verdict).detail(entry)
    }

    /// How many entries `query` selects, and the rows `offset..offset + limit` of them.
    pub fn rows(
        &mut self,
        query: &Query,
        offset: usize,
        limit: usize,
        now: Timestamp,
    ) -> (usize, Vec<Row>) {
        self.computed(now);
        let c = self.computed.as_ref().expect("computed above");
        let view = View::new(&self.reports, &c.aggregate, &c.verdict);
        if self.selection.as_ref().is_none_or(|(q, _)| q != query) {
            self.selection = Some((query.clone(), view.select(query)));
        }
        let selected = &self.selection.as_ref().expect("selected above").1;
        let rows = selected.iter().skip(offset).take(limit).map(|&e| view.row(e)).collect();
        (selected.len(), rows)
    }
}
