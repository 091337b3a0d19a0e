//! Messages between the page and the parsing worker. The worker keeps the parsed model
//! ([`scanlens_core::session::Session`]); the page only ever receives the small values below
//! (summaries, a dashboard, one page of rows), never the findings themselves.
//!
//! Files travel as a plain object `{file, drop, name, blob}` (the `Blob` is transferred by
//! reference, never copied into a string); everything else is one of these enums as JSON,
//! externally tagged (`{"rows": {...}}`): an internally tagged enum (`"type": "rows"`) makes
//! serde buffer every message before reading it, which cost 18 KB of the page's first load.

use scanlens_core::chart::{Chart, TrendPoint};
use scanlens_core::explore::{ComponentView, Dashboard, Detail, FacetCounts, Query, Row};
use scanlens_core::session::{BuildEdits, BuildSummary, DiffView, FileSummary};
use serde::{Deserialize, Serialize};

use crate::markdown::Node;

/// What the page asks the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Forget a file.
    Remove {
        /// The page's id for it.
        file: u32,
    },
    /// Replace the user's changes to builds (names, times, merges).
    EditBuilds {
        /// All of them.
        edits: BuildEdits,
    },
    /// Compare two builds (indices into the builds list).
    Diff {
        /// The old build.
        old: usize,
        /// The new build.
        new: usize,
    },
    /// The latest build's findings as CSV.
    ExportCsv,
    /// The latest build's findings as one merged SARIF log.
    ExportSarif,
    /// The latest build's normalised model as JSON (schema `scanlens-model/1`).
    ExportJson {
        /// The generation time it names, milliseconds since the epoch (the page's clock).
        generated: i64,
    },
    /// Keep a triage decision (replacing one about the same fingerprint).
    SaveTriage {
        /// The decision.
        decision: scanlens_core::triage::Decision,
    },
    /// Drop the triage decision about a fingerprint.
    RemoveTriage {
        /// The finding's fingerprint.
        fingerprint: String,
    },
    /// Delete everything kept in this browser (triage decisions and kept files).
    ForgetStored,
    /// "Keep builds in this browser": on restores what was kept and keeps every file loaded
    /// from now on; off deletes what was kept.
    History {
        /// On or off.
        keep: bool,
    },
    /// The triage decisions as a file: OpenVEX (`vex`) or policy-file ignore rules.
    ExportTriage {
        /// OpenVEX when true, `[[ignore]]` rules when false.
        vex: bool,
        /// The generation time, milliseconds since the epoch (the page's clock).
        generated: i64,
    },
    /// The self-contained HTML report of the latest build, with its evidence manifest.
    ExportHtml {
        /// The generation time it names, milliseconds since the epoch (the page's clock).
        generated: i64,
    },
    /// A component's page.
    Component {
        /// Its name.
        name: String,
    },
    /// One entry in full.
    Detail {
        /// Index into the latest build's entries (`Row::entry`).
        entry: usize,
    },
    /// Every facet's value counts under a query (asked only while the filters are open:
    /// counting walks every entry once per facet).
    Facets {
        /// The filter.
        query: Query,
    },
    /// One page of the entries a query selects.
    Rows {
        /// Echoed in the reply, so the page can drop stale answers.
        seq: u32,
        /// The filter and order.
        query: Query,
        /// First row wanted.
        offset: usize,
        /// How many rows.
        limit: usize,
    },
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// The worker's wasm is running: files can be sent.
    Ready,
    /// The worker stopped (out of memory, a bug): made by the page, never sent.
    Stopped {
        /// What the browser said.
        message: String,
    },
    /// Files kept in this browser were loaded again (their `Loaded` replies follow).
    Restored {
        /// Each file's id, name and size.
        files: Vec<(u32, String, u64)>,
    },
    /// A file was read.
    Loaded {
        /// What it became.
        file: FileSummary,
    },
    /// The picture after a change (a file loaded or removed).
    Dashboard {
        /// The latest build's dashboard.
        dashboard: Box<Dashboard>,
        /// All builds, oldest first.
        builds: Vec<BuildSummary>,
        /// Each build's numbers, oldest first.
        trends: Vec<TrendPoint>,
        /// The trend charts (empty with fewer than two builds).
        charts: Vec<Chart>,
        /// How many triage decisions are kept.
        #[serde(default)]
        decisions: usize,
        /// The entries are the ones the page already knows (only the verdict changed, after
        /// a triage decision): an open detail stays open.
        #[serde(default)]
        same_entries: bool,
    },
    /// Something asked for could not be made (the message says what and why).
    Failed {
        /// For the user.
        message: String,
    },
    /// A file to download.
    Download {
        /// Its name.
        name: String,
        /// Its MIME type.
        mime: String,
        /// Its content.
        text: String,
    },
    /// The answer to a [`Request::Diff`].
    Diff {
        /// `None` when either build is gone.
        view: Option<Box<DiffView>>,
    },
    /// The answer to a [`Request::Component`]: the page and its trend chart.
    Component {
        /// `None` when no such component is loaded.
        view: Option<Box<ComponentView>>,
        /// Its trend chart, with two builds or more.
        chart: Option<Chart>,
    },
    /// The answer to a [`Request::Detail`]; `None` when the entry is gone (data changed).
    Detail {
        /// The entry, `None` when it is gone (data changed). Its `message_markdown`, `message`
        /// and `help` come parsed, in the two fields below, not as text.
        detail: Option<Box<Detail>>,
        /// The message, parsed from markdown (or plain text) by the worker.
        message: Vec<Node>,
        /// The rule help, parsed the same way.
        help: Vec<Node>,
    },
    /// Rows for a [`Request::Rows`].
    Rows {
        /// The request's `seq`.
        seq: u32,
        /// How many rows the table has (entries and group headers).
        total: usize,
        /// How many entries the query selects.
        entries: usize,
        /// Where `rows` start.
        offset: usize,
        /// The rows.
        rows: Vec<Row>,
    },
    /// The answer to a [`Request::Facets`].
    Facets {
        /// Every facet's counts.
        facets: Vec<FacetCounts>,
    },
}
