//! Every input format, one module each, listed in one registry ([`FORMATS`]).
//!
//! A format is a `sniff` over the document's [`Shape`] (keys and a few values, read from
//! content, never from the file name) and a `parse` that fills a [`Report`]. Parsing never
//! fails wholesale: problems become diagnostics on the report, and a bad element costs only
//! itself. Adding a format means its module, one line in [`FORMATS`], fixtures and snapshots.

mod build_info;
mod code_scanning;
mod dependabot;
mod github;
mod gosec;
mod govulncheck;
mod grype;
pub(crate) mod sarif;
mod shape;
mod trivy;
mod trivy_compliance;
mod vex;

use crate::intern::Interner;
use crate::model::{Diagnostic, Finding, Report};
pub(crate) use shape::{strip_bom, Shape};

/// The formats scanlens reads. The names match the `format` tags of the shared fixture index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FormatId {
    /// SARIF 2.1.0 from any tool (older versions are detected and refused with a diagnostic).
    Sarif,
    /// Trivy JSON, `SchemaVersion: 2` (and reports with `ArtifactName` + `Results`).
    TrivyJson,
    /// Trivy JSON before SchemaVersion: a top-level array of results.
    TrivyLegacyJson,
    /// `trivy k8s` JSON (`ClusterName` with `Resources`, or the older per-kind lists).
    TrivyK8sJson,
    /// `trivy --compliance` JSON (`--report all` or `--report summary`).
    TrivyComplianceJson,
    /// A trivy-operator compliance resource (`ClusterComplianceReport`).
    TrivyOperatorCr,
    /// Grype JSON (`matches`).
    GrypeJson,
    /// gosec JSON (`Issues`).
    GosecJson,
    /// govulncheck `-json`: a stream of concatenated objects (also accepted wrapped in an array).
    GovulncheckStream,
    /// govulncheck before 1.0 (`Vulns`, `Calls`, `Imports`, `Requires`).
    GovulncheckLegacyJson,
    /// Dependabot alerts from the REST API.
    DependabotRestAlerts,
    /// Dependabot alerts from GraphQL (`repository.vulnerabilityAlerts`).
    DependabotGraphql,
    /// GitHub code-scanning alerts from the REST API.
    GithubCodeScanningRestAlerts,
    /// `scanlens-build.json`: which CI run a set of reports came from.
    ScanlensBuild,
    /// An OpenVEX document.
    OpenVex,
    /// A CycloneDX VEX document (a BOM with `vulnerabilities` and their analysis).
    CycloneDxVex,
}

impl FormatId {
    /// The stable name (`sarif`, `trivy-json`, ...), as used in JSON output and the fixture index.
    pub fn as_str(self) -> &'static str {
        match self {
            FormatId::Sarif => "sarif",
            FormatId::TrivyJson => "trivy-json",
            FormatId::TrivyLegacyJson => "trivy-legacy-json",
            FormatId::TrivyK8sJson => "trivy-k8s-json",
            FormatId::TrivyComplianceJson => "trivy-compliance-json",
            FormatId::TrivyOperatorCr => "trivy-operator-cr",
            FormatId::GrypeJson => "grype-json",
            FormatId::GosecJson => "gosec-json",
            FormatId::GovulncheckStream => "govulncheck-stream",
            FormatId::GovulncheckLegacyJson => "govulncheck-legacy-json",
            FormatId::DependabotRestAlerts => "dependabot-rest-alerts",
            FormatId::DependabotGraphql => "dependabot-graphql",
            FormatId::GithubCodeScanningRestAlerts => "github-code-scanning-rest-alerts",
            FormatId::ScanlensBuild => "scanlens-build",
            FormatId::OpenVex => "openvex",
            FormatId::CycloneDxVex => "cyclonedx-vex",
        }
    }

    /// A name for people (`Trivy JSON`, `govulncheck stream`).
    pub fn label(self) -> &'static str {
        match self {
            FormatId::Sarif => "SARIF",
            FormatId::TrivyJson => "Trivy JSON",
            FormatId::TrivyLegacyJson => "Trivy JSON (legacy array)",
            FormatId::TrivyK8sJson => "Trivy Kubernetes JSON",
            FormatId::TrivyComplianceJson => "Trivy compliance JSON",
            FormatId::TrivyOperatorCr => "trivy-operator compliance report",
            FormatId::GrypeJson => "Grype JSON",
            FormatId::GosecJson => "gosec JSON",
            FormatId::GovulncheckStream => "govulncheck JSON stream",
            FormatId::GovulncheckLegacyJson => "govulncheck JSON (pre-1.0)",
            FormatId::DependabotRestAlerts => "Dependabot alerts (REST)",
            FormatId::DependabotGraphql => "Dependabot alerts (GraphQL)",
            FormatId::GithubCodeScanningRestAlerts => "GitHub code-scanning alerts (REST)",
            FormatId::ScanlensBuild => "scanlens build sidecar",
            FormatId::OpenVex => "OpenVEX",
            FormatId::CycloneDxVex => "CycloneDX VEX",
        }
    }
}

/// One format: how to recognise it and how to read it.
pub(crate) struct Format {
    pub id: FormatId,
    pub sniff: fn(&Shape) -> bool,
    /// Reads the document's text (see [`crate::json::text`]), sharing strings through the
    /// document's interner.
    pub parse: fn(&str, &Shape, &mut Interner, &mut Report),
}

/// The registry, in sniffing order (the first format whose `sniff` accepts wins).
pub(crate) const FORMATS: &[Format] = &[
    build_info::FORMAT,
    sarif::FORMAT,
    trivy::FORMAT,
    trivy::K8S,
    trivy::LEGACY,
    trivy_compliance::COMPLIANCE,
    trivy_compliance::OPERATOR,
    grype::FORMAT,
    gosec::FORMAT,
    govulncheck::STREAM,
    govulncheck::LEGACY,
    dependabot::REST,
    dependabot::GRAPHQL,
    code_scanning::FORMAT,
    vex::OPENVEX,
    vex::CYCLONEDX,
];

/// Every format scanlens reads, in sniffing order.
pub fn all() -> Vec<FormatId> {
    FORMATS.iter().map(|f| f.id).collect()
}

/// Reads a document as the given format, without sniffing (for forcing a format, and for
/// fuzzing each parser on its own). Never panics; problems are diagnostics.
pub fn parse_as(id: FormatId, name: &str, bytes: &[u8]) -> Report {
    let mut report =
        Report { file_name: name.to_string(), byte_size: bytes.len() as u64, ..Report::default() };
    let bytes = strip_bom(bytes);
    if let Some(format) = FORMATS.iter().find(|f| f.id == id) {
        report.format = Some(id);
        let text = crate::json::text(bytes, &mut report.diagnostics);
        (format.parse)(&text, &Shape::probe(bytes), &mut Interner::default(), &mut report);
    }
    crate::fingerprint::disambiguate(&mut report.findings);
    report
}

/// Detects the format of one JSON document and parses it into `report`. `text`, when given,
/// is `bytes` already known to be UTF-8; `interner` may hold strings it names.
pub(crate) fn parse_document(
    bytes: &[u8],
    text: Option<&str>,
    interner: &mut Interner,
    report: &mut Report,
) {
    let shape = Shape::sniff(bytes);
    match &shape {
        Shape::Empty => {
            report.diagnostics.push(Diagnostic::info("the file is empty: no findings"));
            return;
        }
        Shape::NotJson { offset, message } => {
            report.diagnostics.push(Diagnostic::error(format!(
                "not JSON: {message} at byte offset {offset}; scanlens reads JSON and SARIF, and .zip/.gz archives of them"
            )));
            return;
        }
        Shape::Null => {
            report.diagnostics.push(Diagnostic::info(
                "the document is `null`: no findings (old Trivy versions print this when nothing was found)",
            ));
            return;
        }
        Shape::Array { len: 0, .. } => {
            report.diagnostics.push(Diagnostic::info(
                "the document is an empty list: no findings (an empty Dependabot or code-scanning alert export looks like this)",
            ));
            return;
        }
        _ => {}
    }
    match FORMATS.iter().find(|f| (f.sniff)(&shape)) {
        Some(format) => {
            report.format = Some(format.id);
            let text = match text {
                Some(text) => std::borrow::Cow::Borrowed(text),
                None => crate::json::text(bytes, &mut report.diagnostics),
            };
            (format.parse)(&text, &shape, interner, report);
        }
        None => report.diagnostics.push(Diagnostic::error(format!(
            "unrecognised JSON: {}; scanlens reads SARIF, Trivy, Grype, gosec, govulncheck, Dependabot and code-scanning alert exports",
            shape.describe()
        ))),
    }
}

/// The value of an optional lenient field; if it was unreadable, the default, with a warning
/// naming the field's JSON path.
pub(crate) fn take<T: Default>(
    value: Option<crate::json::Lenient<T>>,
    path: &str,
    report: &mut Report,
) -> T {
    match value {
        Some(crate::json::Lenient(Ok(v))) => v,
        Some(crate::json::Lenient(Err(e))) => {
            report.diagnostics.push(Diagnostic::warning(format!("ignored: {e}")).at(path));
            T::default()
        }
        None => T::default(),
    }
}

/// An element read on its own: its value, or `None` with a warning "`what` skipped: …" at
/// the element's JSON path (made only when needed).
pub(crate) fn element<T>(
    item: crate::json::Lenient<T>,
    what: &str,
    path: impl FnOnce() -> String,
    report: &mut Report,
) -> Option<T> {
    match item.0 {
        Ok(value) => Some(value),
        Err(e) => {
            report.diagnostics.push(Diagnostic::warning(format!("{what} skipped: {e}")).at(path()));
            None
        }
    }
}

/// The address of text borrowed from the input (not of a copy made for an escape).
#[allow(clippy::ptr_arg)] // which variant it is, is the question
pub(crate) fn borrowed_at(text: &std::borrow::Cow<'_, str>) -> Option<usize> {
    match text {
        std::borrow::Cow::Borrowed(s) => Some(s.as_ptr() as usize),
        std::borrow::Cow::Owned(_) => None,
    }
}

/// Sizes a list of findings once, from its first elements.
///
/// Findings are converted as they are read, so how many a list of results makes is known
/// only at its end, and a list that doubles as it grows can be half empty, and needs both
/// copies while it moves: in a browser tab that high-water mark stays. After the first
/// [`Sizer::SAMPLE`] elements, how far into the text they reached (addresses of strings they
/// borrow from the input, against where that text ends) says roughly how many to expect; the
/// list is made that size once, a little over. Past it, it grows a quarter at a time
/// ([`FindingList`]).
///
/// [`FindingList`]: crate::model::FindingList
///
/// One sizer may serve several lists that fill the same findings list (Trivy's results):
/// it counts every element it is shown.
pub(crate) struct Sizer {
    /// Where the text the elements are read from ends in memory.
    end: usize,
    first: Option<usize>,
    seen: usize,
}

impl Sizer {
    const SAMPLE: usize = 4096;

    pub(crate) fn new(end: usize) -> Sizer {
        Sizer { end, first: None, seen: 0 }
    }

    /// The next element was read, and borrows text at address `at`.
    pub(crate) fn saw(&mut self, at: Option<usize>, list: &mut Vec<Finding>) {
        match self.seen {
            0 => self.first = at,
            Self::SAMPLE => self.size(list, at),
            _ => {}
        }
        self.seen += 1;
    }

    fn size(&self, list: &mut Vec<Finding>, now: Option<usize>) {
        let (Some(first), Some(now), end) = (self.first, now, self.end) else { return };
        if now <= first || end <= now {
            return;
        }
        let read = Self::SAMPLE;
        let expected = read as u128 * (end - first) as u128 / (now - first) as u128;
        // No element is shorter than a few dozen bytes: a bound on a wild guess.
        let expected = expected.min(((end - first) / 32) as u128) as usize;
        // A little over: growing past it, even gently, would copy the whole list once more.
        let expected = expected + expected / 50 + 1024;
        list.reserve_exact(expected.saturating_sub(read));
    }
}

/// Reports a document-level parse error (the top-level structure itself was unreadable).
pub(crate) fn structure_error(report: &mut Report, what: &str, err: &serde_json::Error) {
    report.diagnostics.push(Diagnostic::error(format!("{what} could not be read: {err}")));
}
