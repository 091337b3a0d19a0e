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
use crate::build::{group, Build, TimeSource};
use crate::chart::TrendPoint;
use crate::compliance::{checklists, Framework};
use crate::explore::{ComponentView, Dashboard, Detail, Query, Row, View};
use crate::gate::{evaluate, Verdict};
use crate::intern::Interner;
use crate::model::Report;
use crate::policy::{self, Policy};
use crate::severity::Severity;
use crate::summary::Counts;
use crate::time::Timestamp;

/// The largest file the page reads (see [`Session::admit`]).
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// The most the page reads in all (see [`Session::admit`]).
pub const MAX_TOTAL_BYTES: u64 = 3 << 29;

/// What one input file became (a zip yields several reports).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    /// The page's id for the file.
    pub id: u32,
    /// One entry per report the file turned into.
    pub reports: Vec<ReportSummary>,
    /// Set when the file was read as the policy, or failed to be.
    pub policy: Option<PolicySummary>,
    /// Triage decisions it carries (an exported policy or OpenVEX file dropped back).
    #[serde(default)]
    pub triage: Vec<crate::triage::Decision>,
    /// How long reading it took, in milliseconds (set by the worker, which has a clock).
    #[serde(default)]
    pub read_ms: u64,
    /// The worker's wasm memory after reading it, in bytes (it only grows: the peak so far).
    #[serde(default)]
    pub memory: u64,
    /// Its SHA-256 is still being computed: the worker says what the file became (and sends
    /// the dashboard) first, then this summary again with the hash.
    #[serde(default)]
    pub hashing: bool,
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
    /// Its identity (as the user renamed it, if they did).
    pub id: String,
    /// RFC 3339 time, when known.
    pub time: Option<String>,
    /// Where the time came from: `sidecar`, `scan time`, `zip entries`, `set by you`, `unknown`.
    pub time_source: String,
    /// Commit and branch, when a sidecar names them.
    pub commit: Option<String>,
    /// Branch.
    pub branch: Option<String>,
    /// How many reports it holds.
    pub reports: usize,
    /// Other build ids merged into it by the user.
    pub merged: Vec<String>,
    /// Its reports: the page's file id and the report's name (archive members as
    /// `artifact.zip/path`).
    pub files: Vec<(u32, String)>,
}

/// What the user changed about builds: names, times, merges. Keyed by the id the grouping
/// rules give (never by position, so it survives more files arriving).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildEdits {
    /// Grouped id -> the name the user gave.
    pub names: Vec<(String, String)>,
    /// Grouped id -> the time the user set.
    pub times: Vec<(String, i64)>,
    /// Grouped id -> the grouped id it was merged into.
    pub merges: Vec<(String, String)>,
    /// The page's file id -> the id of the build its reports were split off into.
    pub splits: Vec<(u32, String)>,
}

/// Two builds compared.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffView {
    /// The old build's id.
    pub old: String,
    /// The new build's id.
    pub new: String,
    /// Entries only in the new build (rows of the new build).
    pub new_rows: Vec<Row>,
    /// Entries only in the old build (rows of the old build).
    pub fixed_rows: Vec<Row>,
    /// Matched entries whose severity changed: (old row, new row).
    pub changed: Vec<(Row, Row)>,
    /// Matched entries with the same severity.
    pub unchanged: usize,
    /// Whether the new build is the latest (its rows open the detail).
    pub new_is_latest: bool,
}

/// Applies the user's merges, times and names to grouped builds, then orders them again
/// (by time; builds without one last).
fn apply(origins: &[Origin], builds: Vec<Build>, edits: &BuildEdits) -> Vec<Build> {
    let mut out = builds;
    // Splits first: a report named in one leaves its build for a new one, which keeps the
    // original's identity details and time (so it sorts beside it, not last).
    for (file, new_id) in &edits.splits {
        let of_file = |r: &usize| origins[*r].file == *file;
        let Some(from) = out.iter().position(|b| b.reports.iter().any(of_file)) else {
            continue;
        };
        let moved: Vec<usize> = out[from].reports.iter().copied().filter(of_file).collect();
        out[from].reports.retain(|r| !moved.contains(r));
        match out.iter_mut().find(|b| b.id == *new_id) {
            Some(target) => target.reports.extend(moved),
            None => {
                let mut split = out[from].clone();
                split.id = new_id.clone();
                split.reports = moved;
                out.insert(from + 1, split);
            }
        }
    }
    out.retain(|b| !b.reports.is_empty());
    for (from, into) in &edits.merges {
        if let (Some(f), Some(_)) =
            (out.iter().position(|b| b.id == *from), out.iter().position(|b| b.id == *into))
        {
            let moved = out.remove(f);
            let target = out.iter_mut().find(|b| b.id == *into).expect("found above");
            target.reports.extend(moved.reports);
            target.reports.sort_unstable();
        }
    }
    for build in &mut out {
        if let Some((_, t)) = edits.times.iter().find(|(id, _)| *id == build.id) {
            build.set_time(Timestamp(*t));
        }
    }
    for build in &mut out {
        if let Some((_, name)) = edits.names.iter().find(|(id, _)| *id == build.id) {
            build.id = name.clone();
        }
    }
    out.sort_by_key(|b| (b.time.is_none(), b.time));
    out
}

/// Summarises one report.
pub fn summarise(report: &Report) -> ReportSummary {
    let counts = Counts::of(report);
    ReportSummary {
        name: report.file_name.clone(),
        format: report.format.map(|f| f.as_str().to_string()),
        tool: report.tools_line(),
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

/// One row of a selection: an entry, an entry of the compared build that is gone from the
/// latest (fixed), or a group's header with its entry count.
enum Slot {
    Entry(usize),
    Gone(usize),
    Group(String, usize),
}

/// The last query's rows, kept for paging.
struct Selection {
    query: Query,
    slots: Vec<Slot>,
    /// Entries among the slots (headers not counted).
    entries: usize,
    /// The build the query's change filter compares with, when it has one.
    comparison: Option<Comparison>,
}

/// The latest build against an older one.
struct Comparison {
    /// Per latest entry: `new`, `unchanged` or `changed`.
    labels: Vec<&'static str>,
    /// The older build's entries and verdict.
    old: Aggregate,
    old_verdict: Verdict,
    /// Per older entry: `fixed` when it is gone from the latest build.
    old_labels: Vec<&'static str>,
}

impl Comparison {
    fn view<'a>(&'a self, reports: &'a [Report]) -> View<'a> {
        View::new(reports, &self.old, &self.old_verdict).with_changes(self.old_labels.clone())
    }
}

/// A file as given, for the evidence manifest: what the user handed over, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The page's (or the command line's) id for it.
    pub file: u32,
    /// Its name as given (a path for files from a folder).
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Lower-case hex SHA-256 of its bytes (of the archive itself, for a zip).
    pub sha256: String,
    /// Whether it was read as the policy.
    pub policy: bool,
}

struct Computed {
    builds: Vec<Build>,
    aggregate: Aggregate,
    verdict: Verdict,
    /// Every build × component × severity, computed once per change (not per question).
    series: Vec<crate::trend::Point>,
}

/// The files of one page and the model built from them.
#[derive(Default)]
pub struct Session {
    /// Every report, in load order; `origins[i]` says where `reports[i]` came from.
    reports: Vec<Report>,
    origins: Vec<Origin>,
    /// Every file given, in load order.
    inputs: Vec<Input>,
    /// The policy in force: the policy file's (or the default), plus the triage rules.
    policy: Policy,
    /// The policy file's own policy, or the default.
    base: Policy,
    policy_file: Option<u32>,
    /// The page's triage decisions.
    triage: Vec<crate::triage::Decision>,
    /// The builds, the latest one's aggregate and verdict: recomputed after a change.
    computed: Option<Computed>,
    /// The last query and the entries it selected, kept for paging.
    selection: Option<Selection>,
    /// The user's changes to builds.
    edits: BuildEdits,
    /// The largest file and total it reads ([`MAX_FILE_BYTES`], [`MAX_TOTAL_BYTES`]).
    limits: (u64, u64),
}

impl Session {
    /// An empty session with the default policy and the page's limits.
    pub fn new() -> Session {
        Session::with_limits(MAX_FILE_BYTES, MAX_TOTAL_BYTES)
    }

    /// An empty session reading at most `max_file` bytes per file and `max_total` in all.
    pub fn with_limits(max_file: u64, max_total: u64) -> Session {
        Session { limits: (max_file, max_total), ..Session::default() }
    }

    /// Whether a file of `size` bytes may be read: a browser tab's wasm memory is 4 GiB, and
    /// a file being parsed needs its bytes plus up to about 2.5 times that for the model, so
    /// one file may be at most [`MAX_FILE_BYTES`] and all files together [`MAX_TOTAL_BYTES`].
    /// The error names the file and the limit; nothing already loaded is touched.
    pub fn admit(&self, name: &str, size: u64) -> Result<(), String> {
        let (max_file, max_total) = self.limits;
        let loaded: u64 = self.reports.iter().map(|r| r.byte_size).sum();
        if size > max_file {
            Err(format!(
                "{name}: {} is more than the {} one file may be in a browser tab; `scanlens summary` reads it on the command line",
                crate::units::format_bytes(size),
                crate::units::format_bytes(max_file)
            ))
        } else if loaded + size > max_total {
            Err(format!(
                "{name}: {} more would pass the {} all files together may be in a browser tab ({} loaded); remove some files first",
                crate::units::format_bytes(size),
                crate::units::format_bytes(max_total),
                crate::units::format_bytes(loaded)
            ))
        } else {
            Ok(())
        }
    }

    /// Reads one file of drop `drop`.
    pub fn add(&mut self, file: u32, drop: u32, name: &str, bytes: &[u8]) -> FileSummary {
        self.add_hashed(file, drop, name, bytes, None)
    }

    /// As [`Session::add`], with the file's SHA-256 when the caller has it or will have it:
    /// `Some("")` leaves it to [`Session::set_sha256`] (the worker hashes with the browser's
    /// native SubtleCrypto while the file is parsed; SHA-256 in wasm took a third of the time).
    pub fn add_hashed(
        &mut self,
        file: u32,
        drop: u32,
        name: &str,
        bytes: &[u8],
        sha256: Option<&str>,
    ) -> FileSummary {
        self.add_input(file, drop, name, bytes, None, sha256)
    }

    /// As [`Session::add_hashed`], for a file already known to be UTF-8 text, with the
    /// strings it names interned ahead (see [`crate::ingest_text`]).
    pub fn add_text(
        &mut self,
        file: u32,
        drop: u32,
        name: &str,
        text: &str,
        interner: Interner,
        sha256: Option<&str>,
    ) -> FileSummary {
        self.add_input(file, drop, name, text.as_bytes(), Some((text, interner)), sha256)
    }

    /// `text`, when given, is `bytes` as text.
    fn add_input(
        &mut self,
        file: u32,
        drop: u32,
        name: &str,
        bytes: &[u8],
        text: Option<(&str, Interner)>,
        sha256: Option<&str>,
    ) -> FileSummary {
        self.computed = None;
        self.selection = None;
        let mut summary = FileSummary { id: file, ..FileSummary::default() };
        let sha256 = sha256.map_or_else(|| crate::sha256_hex(bytes), String::from);
        let policy = is_policy(name, bytes);
        self.inputs.push(Input {
            file,
            name: name.to_string(),
            size: bytes.len() as u64,
            sha256: sha256.clone(),
            policy,
        });
        if policy {
            let text = String::from_utf8_lossy(bytes);
            let error = match policy::parse(&text) {
                Ok(p) => {
                    summary.triage = crate::triage::from_policy(&p);
                    self.base = p;
                    self.policy_file = Some(file);
                    self.refresh_policy();
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
            let options = crate::Options { sha256: Some(sha256), ..Default::default() };
            let reports = match text {
                Some((text, interner)) => crate::ingest_text(name, text, interner, &options),
                None => crate::ingest_with(name, bytes, &options),
            };
            for report in reports {
                summary.triage.extend(crate::triage::from_vex(&report));
                summary.reports.push(summarise(&report));
                self.reports.push(report);
                self.origins.push(Origin { file, drop });
            }
        }
        summary
    }

    /// Sets the SHA-256 of a file added with it left empty: the file's own, and that of each
    /// report read from it as a plain document (archive members keep their own). `summary`
    /// (the file's, from `add_hashed`) is brought up to date too.
    pub fn set_sha256(&mut self, file: u32, sha256: &str, summary: &mut FileSummary) {
        for input in self.inputs.iter_mut().filter(|i| i.file == file) {
            input.sha256 = sha256.to_string();
        }
        for (report, _) in
            self.reports.iter_mut().zip(&self.origins).filter(|(_, o)| o.file == file)
        {
            if report.sha256.is_empty() {
                report.sha256 = sha256.to_string();
            }
        }
        for r in summary.reports.iter_mut().filter(|r| r.sha256.is_empty()) {
            r.sha256 = sha256.to_string();
        }
    }

    /// Forgets a file; removing the policy file brings back the default policy.
    pub fn remove(&mut self, file: u32) {
        let loaded =
            std::mem::take(&mut self.reports).into_iter().zip(std::mem::take(&mut self.origins));
        (self.reports, self.origins) = loaded.filter(|(_, o)| o.file != file).unzip();
        self.inputs.retain(|i| i.file != file);
        if self.policy_file == Some(file) {
            self.base = Policy::default();
            self.policy_file = None;
            self.refresh_policy();
        }
        self.computed = None;
        self.selection = None;
    }

    /// Replaces the triage decisions (the page's store, all of them).
    pub fn set_triage(&mut self, decisions: Vec<crate::triage::Decision>) {
        self.triage = decisions;
        self.refresh_policy();
        self.computed = None;
        self.selection = None;
    }

    /// The triage decisions.
    pub fn triage(&self) -> &[crate::triage::Decision] {
        &self.triage
    }

    /// The policy file's policy plus one ignore rule per excusing decision (unless the file
    /// already has a rule for that fingerprint: an exported decision dropped back).
    fn refresh_policy(&mut self) {
        let mut policy = self.base.clone();
        let covered: Vec<u64> = policy.ignores.iter().filter_map(|r| r.fingerprint).collect();
        policy.ignores.extend(
            self.triage
                .iter()
                .filter_map(crate::triage::Decision::rule)
                .filter(|r| r.fingerprint.is_none_or(|f| !covered.contains(&f))),
        );
        self.policy = policy;
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Every file given, in load order.
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
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
            let builds = apply(&self.origins, group(&self.reports, &drops), &self.edits);
            let latest = builds.last().map(|b| b.reports.as_slice()).unwrap_or_default();
            let aggregate = aggregate_of(&self.reports, latest, &self.policy);
            let verdict = evaluate(&self.reports, &aggregate, &self.policy, now);
            // The latest build's aggregate is the one above: only older builds are aggregated.
            let older: Vec<Aggregate> = builds
                .iter()
                .take(builds.len().saturating_sub(1))
                .map(|b| aggregate_of(&self.reports, &b.reports, &self.policy))
                .collect();
            let all: Vec<&Aggregate> =
                older.iter().chain(builds.last().map(|_| &aggregate)).collect();
            let series = crate::trend::series_of(&self.reports, &all);
            self.computed = Some(Computed { builds, aggregate, verdict, series });
        }
        self.computed.as_ref().expect("computed above")
    }

    /// The user's changes to builds.
    pub fn edits(&self) -> &BuildEdits {
        &self.edits
    }

    /// Replaces the user's changes to builds (rename, set time, merge, split).
    pub fn set_edits(&mut self, edits: BuildEdits) {
        self.edits = edits;
        self.computed = None;
        self.selection = None;
    }

    /// Compares build `old` with build `new` (indices into [`Session::builds`]).
    pub fn diff(&mut self, old: usize, new: usize, now: Timestamp) -> Option<DiffView> {
        let c = self.computed(now);
        let (a, b) = (c.builds.get(old)?, c.builds.get(new)?);
        let (old_id, new_id, new_is_latest) =
            (a.id.clone(), b.id.clone(), new + 1 == c.builds.len());
        let (old_members, new_members) = (a.reports.clone(), b.reports.clone());
        let old_agg = aggregate_of(&self.reports, &old_members, &self.policy);
        let new_agg = aggregate_of(&self.reports, &new_members, &self.policy);
        let old_verdict = evaluate(&self.reports, &old_agg, &self.policy, now);
        let new_verdict = evaluate(&self.reports, &new_agg, &self.policy, now);
        let d = crate::diff::diff(&self.reports, &old_agg, &self.reports, &new_agg);
        let old_view = View::new(&self.reports, &old_agg, &old_verdict);
        let new_view = View::new(&self.reports, &new_agg, &new_verdict);
        let by_severity = |rows: &mut Vec<Row>| {
            rows.sort_by_key(|r| {
                crate::severity::Severity::ALL.iter().position(|s| s.as_str() == r.severity)
            })
        };
        let mut new_rows: Vec<Row> = d.new.iter().map(|&e| new_view.row(e)).collect();
        let mut fixed_rows: Vec<Row> = d.fixed.iter().map(|&e| old_view.row(e)).collect();
        by_severity(&mut new_rows);
        by_severity(&mut fixed_rows);
        Some(DiffView {
            old: old_id,
            new: new_id,
            new_rows,
            fixed_rows,
            changed: d
                .changed_severity
                .iter()
                .map(|&(o, n)| (old_view.row(o), new_view.row(n)))
                .collect(),
            unchanged: d.unchanged.len(),
            new_is_latest,
        })
    }

    /// The builds, oldest first; the page shows the last.
    pub fn builds(&mut self, now: Timestamp) -> Vec<BuildSummary> {
        self.computed(now);
        let edits = &self.edits;
        let (reports, origins) = (&self.reports, &self.origins);
        self.computed
            .as_ref()
            .expect("computed above")
            .builds
            .iter()
            .map(|b| BuildSummary {
                id: b.id.clone(),
                time: b.time.map(|t| t.to_string()),
                time_source: b.time_source.as_str().to_string(),
                commit: b.commit.clone(),
                branch: b.branch.clone(),
                reports: b.reports.len(),
                merged: edits
                    .merges
                    .iter()
                    .filter(|(_, into)| *into == b.id)
                    .map(|(from, _)| from.clone())
                    .collect(),
                files: b
                    .reports
                    .iter()
                    .map(|&r| (origins[r].file, reports[r].file_name.clone()))
                    .collect(),
            })
            .collect()
    }

    /// The latest build's dashboard, its gate evaluated at `now` (ignore rules expire).
    pub fn dashboard(&mut self, now: Timestamp) -> Dashboard {
        self.computed(now);
        let c = self.computed.as_ref().expect("computed above");
        let mut dashboard = View::new(&self.reports, &c.aggregate, &c.verdict).dashboard();
        dashboard.gate.triaged = triaged(&c.verdict, &self.policy);
        dashboard
    }

    /// Each build's open, new and fixed entries, summed over components, oldest first.
    pub fn trends(&mut self, now: Timestamp) -> Vec<TrendPoint> {
        self.trend_of(None, now)
    }

    /// The trend of one component, or of all of them summed.
    fn trend_of(&mut self, component: Option<&str>, now: Timestamp) -> Vec<TrendPoint> {
        self.computed(now);
        let c = self.computed.as_ref().expect("computed above");
        let mut points: Vec<TrendPoint> = c
            .builds
            .iter()
            .map(|b| TrendPoint { build: b.id.clone(), ..TrendPoint::default() })
            .collect();
        for p in c.series.iter().filter(|p| component.is_none_or(|name| p.component == name)) {
            let point = &mut points[p.build];
            point.open[crate::summary::severity_index(p.severity)] += p.open;
            point.new += p.new;
            point.fixed += p.fixed;
        }
        points
    }

    /// A component of the latest build: its counts, trend and checklists (OWASP Top 10 2021
    /// and 2025, CIS Docker and Kubernetes, and every spec a loaded compliance report has).
    /// Checklists read only the latest build's reports, so a scan that ran in an older build
    /// never makes a control look assessed.
    pub fn component(&mut self, name: &str, now: Timestamp) -> Option<ComponentView> {
        self.computed(now);
        let (reports, aggregate, verdict) = self.latest(now);
        let view = View::new(&reports, &aggregate, &verdict);
        // The page knows names as revealed (`explore::reveal`).
        let tally = view
            .dashboard()
            .components
            .into_iter()
            .find(|t| crate::explore::reveal(&t.name) == name)?;
        let name = tally.name.as_str();
        let lists = frameworks(&reports)
            .into_iter()
            .flat_map(|f| checklists(&reports, &aggregate, &self.policy, f, Some(name)))
            .filter(|l| l.component == name)
            .map(|l| view.checklist(&l))
            .collect();
        let (name, open) = (tally.name.clone(), tally.open);
        let trend = self.trend_of(Some(&name), now);
        Some(ComponentView { name, open, trend, checklists: lists })
    }

    /// The self-contained HTML report of the latest build ([`crate::report`]), its gate
    /// evaluated at `generated`, the time it names as its making: `scanlens report --html
    /// --generated` writes the same bytes for the same files.
    pub fn report_html(&mut self, generated: Timestamp) -> String {
        self.computed(generated);
        let c = self.computed.as_ref().expect("computed above");
        let latest = c.builds.last().cloned().unwrap_or_else(|| Build {
            id: "none".into(),
            commit: None,
            branch: None,
            time: None,
            time_source: TimeSource::Unknown,
            reports: Vec::new(),
        });
        let builds = c.builds.len();
        let mut build_of = vec![String::new(); self.reports.len()];
        for b in &c.builds {
            b.reports.iter().for_each(|&r| build_of[r].clone_from(&b.id));
        }
        let trends = self.trends(generated);
        let (reports, aggregate, verdict) = self.latest(generated);
        let view = View::new(&reports, &aggregate, &verdict);
        let mut dashboard = view.dashboard();
        dashboard.gate.triaged = triaged(&verdict, &self.policy);
        let components = dashboard
            .components
            .iter()
            .map(|t| {
                let lists = frameworks(&reports)
                    .into_iter()
                    .flat_map(|f| checklists(&reports, &aggregate, &self.policy, f, Some(&t.name)))
                    .filter(|l| l.component == t.name)
                    .map(|l| view.checklist(&l))
                    .collect();
                (t.name.clone(), t.open, lists)
            })
            .collect();
        let inputs = self
            .inputs
            .iter()
            .map(|input| crate::report::ManifestInput {
                name: input.name.clone(),
                size: input.size,
                sha256: input.sha256.clone(),
                documents: (0..self.reports.len())
                    .filter(|&r| self.origins[r].file == input.file)
                    .map(|r| {
                        let report = &self.reports[r];
                        crate::report::ManifestDocument {
                            name: report.file_name.clone(),
                            size: report.byte_size,
                            sha256: report.sha256.clone(),
                            format: report.format.map_or("not recognised", |f| f.as_str()).into(),
                            tools: report.tools_line(),
                            scan_time: report.scan_time.map(|t| t.to_string()),
                            build: build_of[r].clone(),
                            findings: report.findings.len(),
                            errors: report
                                .diagnostics
                                .iter()
                                .filter(|d| d.level == crate::model::DiagnosticLevel::Error)
                                .count(),
                        }
                    })
                    .collect(),
            })
            .collect();
        let policy = self.policy_input();
        let contents = crate::report::Contents {
            build: crate::report::BuildLine {
                id: latest.id.clone(),
                commit: latest.commit.clone(),
                branch: latest.branch.clone(),
                time: latest.time.map(|t| t.to_string()),
                time_source: latest.time_source.as_str().to_string(),
            },
            builds,
            dashboard: &dashboard,
            failing: verdict.failing.iter().map(|&e| view.row(e)).collect(),
            excused: verdict
                .excused
                .iter()
                .map(|&(e, _)| view.row(e))
                .zip(self.excuses(&reports, &aggregate, &verdict))
                .collect(),
            expired: verdict
                .expired_ignores
                .iter()
                .map(|&i| {
                    let rule = &self.policy.ignores[i];
                    format!("line {}: {}", rule.line, rule.justification)
                })
                .collect(),
            trends: &trends,
            components,
            rows: (0..aggregate.entries.len()).map(|e| view.row(e)).collect(),
            manifest: crate::report::Manifest {
                inputs,
                policy: policy.map(|p| (p.name.clone(), p.sha256.clone())),
                fail_on: self.policy.fail_on.as_str().to_string(),
                ignores: self.policy.ignores.len(),
                generated,
            },
        };
        crate::report::html(&contents)
    }

    /// The latest build's reports and entries as JSON ([`crate::model_json`], schema
    /// `scanlens-model/1`), its gate evaluated at `generated`: `scanlens export --json
    /// --generated` writes the same bytes for the same files.
    pub fn export_json(&mut self, generated: Timestamp) -> String {
        use crate::model_json::{BuildJson, InputJson, PolicyJson};
        let c = self.computed(generated);
        let (latest, builds_loaded) = (c.builds.last().cloned(), c.builds.len());
        let (reports, aggregate, verdict) = self.latest(generated);
        let policy = self.policy_input();
        let excuses = self.excuses(&reports, &aggregate, &verdict);
        crate::model_json::write(&crate::model_json::Context {
            build: latest.as_ref().map(|b| BuildJson {
                id: &b.id,
                commit: b.commit.as_deref(),
                branch: b.branch.as_deref(),
                time: b.time.map(|t| t.to_string()),
                builds_loaded,
            }),
            policy: PolicyJson {
                file: policy.map(|p| p.name.as_str()),
                sha256: policy.map(|p| p.sha256.as_str()),
                fail_on: self.policy.fail_on.as_str(),
                ignores: self.policy.ignores.len(),
            },
            inputs: self
                .inputs
                .iter()
                .map(|i| InputJson {
                    name: &i.name,
                    size: i.size,
                    sha256: &i.sha256,
                    policy: i.policy,
                })
                .collect(),
            reports: &reports,
            aggregate: &aggregate,
            verdict: &verdict,
            excuses,
            generated,
        })
    }

    /// The input read as the policy, if one was.
    fn policy_input(&self) -> Option<&Input> {
        self.policy_file.and_then(|f| self.inputs.iter().find(|i| i.file == f))
    }

    /// Why each excused entry of `verdict` is excused, in words, in the verdict's order.
    fn excuses(&self, reports: &[Report], aggregate: &Aggregate, verdict: &Verdict) -> Vec<String> {
        verdict
            .excused
            .iter()
            .map(|&(e, x)| crate::gate::explain(reports, &aggregate.entries[e], x, &self.policy))
            .collect()
    }

    /// The latest build's reports (in the build's order), their entries, and the gate's
    /// verdict at `now`.
    fn latest(&mut self, now: Timestamp) -> (Vec<Report>, Aggregate, Verdict) {
        let reports = self.latest_reports(now);
        let aggregate = crate::aggregate::aggregate(&reports, &self.policy);
        let verdict = evaluate(&reports, &aggregate, &self.policy, now);
        (reports, aggregate, verdict)
    }

    /// The latest build's findings as CSV ([`crate::export::csv`]), as `scanlens export
    /// --csv` writes them for the same files.
    pub fn export_csv(&mut self, now: Timestamp) -> String {
        crate::export::csv(&self.latest_reports(now))
    }

    /// The latest build's findings as one SARIF log ([`crate::merge::sarif`]), as `scanlens
    /// merge --policy` writes it for the same files and policy.
    pub fn export_sarif(&mut self, now: Timestamp) -> Result<String, String> {
        let reports = self.latest_reports(now);
        let aggregate = crate::aggregate::aggregate(&reports, &self.policy);
        crate::merge::sarif(&reports, &aggregate).map_err(|e| e.to_string())
    }

    /// The latest build's reports, in the build's order: the order its aggregate (and so
    /// every entry number the page holds) was made in.
    fn latest_reports(&mut self, now: Timestamp) -> Vec<Report> {
        let c = self.computed(now);
        let latest: Vec<usize> = c.builds.last().map(|b| b.reports.clone()).unwrap_or_default();
        latest.iter().map(|&r| self.reports[r].clone()).collect()
    }

    /// Entry `entry` of the latest build in full.
    pub fn detail(&mut self, entry: usize, now: Timestamp) -> Option<Detail> {
        self.computed(now);
        let c = self.computed.as_ref().expect("computed above");
        let mut detail = View::new(&self.reports, &c.aggregate, &c.verdict).detail(entry)?;
        let fingerprints: Vec<String> = c.aggregate.entries[entry]
            .sources
            .iter()
            .map(|s| crate::fingerprint::to_hex(s.get(&self.reports).fingerprint))
            .collect();
        detail.triage = self.triage.iter().find(|d| fingerprints.contains(&d.fingerprint)).cloned();
        Some(detail)
    }

    /// The latest build compared with build `against` (default: the one before the latest).
    fn compare(&mut self, against: Option<usize>, now: Timestamp) -> Option<Comparison> {
        let c = self.computed(now);
        let latest = c.builds.len().checked_sub(1)?;
        let old = against.unwrap_or(latest.checked_sub(1)?);
        let members = c.builds.get(old).filter(|_| old != latest)?.reports.clone();
        let old_agg = aggregate_of(&self.reports, &members, &self.policy);
        let old_verdict = evaluate(&self.reports, &old_agg, &self.policy, now);
        let c = self.computed.as_ref().expect("computed above");
        let d = crate::diff::diff(&self.reports, &old_agg, &self.reports, &c.aggregate);
        let mut labels = vec!["unchanged"; c.aggregate.entries.len()];
        d.new.iter().for_each(|&e| labels[e] = "new");
        d.changed_severity.iter().for_each(|&(_, e)| labels[e] = "changed");
        let mut old_labels = vec![""; old_agg.entries.len()];
        d.fixed.iter().for_each(|&e| old_labels[e] = "fixed");
        Some(Comparison { labels, old: old_agg, old_verdict, old_labels })
    }

    /// Every facet's value counts under `query` (each facet counted with the others applied).
    pub fn facets(&mut self, query: &Query, now: Timestamp) -> Vec<crate::explore::FacetCounts> {
        self.computed(now);
        let comparison = self.compare(query.against, now);
        let c = self.computed.as_ref().expect("computed above");
        let mut view = View::new(&self.reports, &c.aggregate, &c.verdict);
        if let Some(cmp) = &comparison {
            view = view.with_changes(cmp.labels.clone());
        }
        let mut facets = view.facets(query);
        // Fixed entries live in the older build: counted there, with the other filters.
        if let Some(cmp) = &comparison {
            let fixed = Query { changes: vec!["fixed".into()], group: None, ..query.clone() };
            let n = cmp.view(&self.reports).select(&fixed).len();
            if let Some(change) =
                facets.iter_mut().find(|f| f.facet == Some(crate::explore::Facet::Change))
            {
                if n > 0 {
                    change.values.push(("fixed".into(), n));
                    change.values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                }
            }
        }
        facets
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
        let stale = self.selection.as_ref().is_none_or(|s| s.query != *query);
        let comparison = if stale && !query.changes.is_empty() {
            self.compare(query.against, now)
        } else {
            None
        };
        let c = self.computed.as_ref().expect("computed above");
        let mut view = View::new(&self.reports, &c.aggregate, &c.verdict);
        if let Some(cmp) = &comparison {
            view = view.with_changes(cmp.labels.clone());
        }
        if stale {
            let entries = view.select(query);
            // Entries fixed since the compared build come from it, after a header.
            let gone: Vec<usize> = match &comparison {
                Some(cmp) if query.changes.iter().any(|c| c == "fixed") => {
                    let fixed =
                        Query { changes: vec!["fixed".into()], group: None, ..query.clone() };
                    cmp.view(&self.reports).select(&fixed)
                }
                _ => Vec::new(),
            };
            let count = entries.len() + gone.len();
            let slots = match query.group {
                None => entries.into_iter().map(Slot::Entry).collect(),
                Some(group) => {
                    let mut slots: Vec<Slot> = Vec::with_capacity(count + 16);
                    let mut current: Option<(String, usize)> = None;
                    for e in entries {
                        let key = view.group_key(e, group);
                        if current.as_ref().is_none_or(|(k, _)| *k != key) {
                            current = Some((key.clone(), slots.len()));
                            slots.push(Slot::Group(key, 0));
                        }
                        if let Some((_, at)) = &current {
                            if let Slot::Group(_, n) = &mut slots[*at] {
                                *n += 1;
                            }
                        }
                        slots.push(Slot::Entry(e));
                    }
                    slots
                }
            };
            let mut slots = slots;
            if !gone.is_empty() {
                let against = query.against.map_or_else(
                    || "the build before".to_string(),
                    |b| {
                        c.builds
                            .get(b)
                            .map_or_else(|| format!("build {b}"), |b| format!("build {}", b.id))
                    },
                );
                slots.push(Slot::Group(format!("fixed since {against}"), gone.len()));
                slots.extend(gone.into_iter().map(Slot::Gone));
            }
            self.selection =
                Some(Selection { query: query.clone(), slots, entries: count, comparison });
        }
        let selection = self.selection.as_ref().expect("selected above");
        let old_view = selection.comparison.as_ref().map(|cmp| cmp.view(&self.reports));
        let rows = selection
            .slots
            .iter()
            .skip(offset)
            .take(limit)
            .map(|slot| match slot {
                Slot::Entry(e) => view.row(*e),
                Slot::Gone(e) => match &old_view {
                    Some(old) => Row { gone: true, ..old.row(*e) },
                    None => Row::default(),
                },
                Slot::Group(label, n) => {
                    Row { title: label.clone(), sources: *n, group: true, ..Row::default() }
                }
            })
            .collect();
        (selection.slots.len(), rows)
    }

    /// How many entries the last query passed to [`Session::rows`] selected (its rows
    /// also hold one header per group when grouped).
    pub fn selected(&self) -> usize {
        self.selection.as_ref().map_or(0, |s| s.entries)
    }
}

/// The frameworks a component's checklists cover: OWASP Top 10 2021 and 2025, CIS Docker and
/// Kubernetes, and every spec a loaded compliance report has.
fn frameworks(reports: &[Report]) -> Vec<Framework> {
    let mut frameworks: Vec<Framework> =
        ["owasp-2021", "owasp-2025", "docker-cis-1.6.0", "k8s-cis-1.23"]
            .into_iter()
            .filter_map(Framework::by_id)
            .collect();
    for spec in reports.iter().flat_map(|r| &r.compliance) {
        if let Some(f) = Framework::by_id(&spec.spec_id) {
            if !frameworks.contains(&f) {
                frameworks.push(f);
            }
        }
    }
    frameworks
}

/// How many excused entries a triage decision excuses.
fn triaged(verdict: &Verdict, policy: &Policy) -> usize {
    verdict
        .excused
        .iter()
        .filter(|(_, x)| {
            matches!(x, crate::gate::Excuse::Ignored(i) if policy.ignores[*i].triage.is_some())
        })
        .count()
}
