//! The normalised model: one [`Report`] per input file, one [`Finding`] per issue found.
//! Plain data with public fields; no serde here (JSON output gets its own types).

use std::rc::Rc;

pub use thin_vec::ThinVec;

/// A finding's CWE numbers: nearly always one or two, held inline rather than in a heap block
/// of their own (one allocation fewer per finding of a rule with a CWE tag).
pub type Cwes = smallvec::SmallVec<[u32; 2]>;

use crate::severity::Rating;
use crate::time::Timestamp;

/// Text shared between many findings (a rule's title and help, a rule id): cloning it is a
/// reference-count increment, not a copy.
pub type Str = Rc<str>;

/// Shares an optional string (see [`Str`]).
pub fn shared(text: Option<String>) -> Option<Str> {
    text.map(Str::from)
}

/// What a single input (a file, or one member of an archive) turned into.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The name the user knows it by; archive members are `artifact.zip/path/in/zip`.
    pub file_name: String,
    /// Size of the input in bytes (after decompression for archive members).
    pub byte_size: u64,
    /// Lower-case hex SHA-256 of the input's bytes, for the evidence manifest.
    pub sha256: String,
    /// The detected format, `None` when nothing matched (see `diagnostics`).
    pub format: Option<crate::formats::FormatId>,
    /// The tools that produced it; a multi-run SARIF file can name several.
    pub tools: Vec<Tool>,
    /// When the scan ran, when the format says.
    pub scan_time: Option<Timestamp>,
    /// What was scanned; findings point into this list.
    pub components: Vec<Component>,
    /// Issues found (SARIF `kind: fail`, Trivy `FAIL`, every vulnerability, alert, ...).
    pub findings: Vec<Finding>,
    /// Results that are not findings but are kept: SARIF `pass`/`notApplicable`/...,
    /// Trivy misconfiguration `PASS`/`EXCEPTION` (compliance needs them), Grype ignored matches.
    pub non_findings: Vec<Finding>,
    /// Compliance reports read as such (Trivy `--compliance`, trivy-operator).
    pub compliance: Vec<ComplianceReport>,
    /// Everything noteworthy about reading the input, errors included.
    pub diagnostics: Vec<Diagnostic>,
    /// The build this input describes, when it is a `scanlens-build.json` sidecar.
    pub build: Option<BuildInfo>,
    /// The modification time of the archive entry it came from, when it came from a zip.
    pub entry_time: Option<Timestamp>,
    /// VEX statements, when it is a VEX document.
    pub vex: Vec<VexStatement>,
    /// What the scan looked for, whether or not it found anything (compliance coverage).
    pub capabilities: Vec<Capability>,
}

/// What a scan covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    /// Static analysis of code.
    Sast,
    /// Known-vulnerable dependencies.
    Sca,
    /// Infrastructure-as-code and configuration checks.
    Misconfiguration,
    /// Leaked secrets.
    Secrets,
    /// Licenses.
    License,
}

/// What a kind of finding shows a scan covered.
pub fn capability_of(kind: FindingKind) -> Capability {
    match kind {
        FindingKind::Vulnerability | FindingKind::DependencyAlert => Capability::Sca,
        FindingKind::Code => Capability::Sast,
        FindingKind::Misconfiguration => Capability::Misconfiguration,
        FindingKind::Secret => Capability::Secrets,
        FindingKind::License => Capability::License,
    }
}

impl Report {
    /// Records a capability once.
    pub fn covers(&mut self, capability: Capability) {
        if !self.capabilities.contains(&capability) {
            self.capabilities.push(capability);
        }
    }
}

/// What a VEX statement says of a vulnerability in a product.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VexStatus {
    /// The product is not affected (CycloneDX: not affected, false positive).
    NotAffected,
    /// It is fixed in the product (CycloneDX: resolved).
    Fixed,
    /// The product is affected (changes nothing: the finding stays open).
    Affected,
    /// Not known yet (changes nothing).
    UnderInvestigation,
}

/// One VEX statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VexStatement {
    /// The vulnerability id (`CVE-…`, `GHSA-…`).
    pub vulnerability: String,
    /// Products it is about (image or package URLs, names); empty means any.
    pub products: Vec<String>,
    /// Packages within the products it is about (package URLs, names); empty means any.
    pub subcomponents: Vec<String>,
    /// What it says.
    pub status: VexStatus,
    /// Why (justification and impact statement, or CycloneDX justification and detail).
    pub justification: Option<String>,
}

/// A CI run, as a `scanlens-build.json` sidecar describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildInfo {
    /// The CI's run or build id.
    pub id: Option<String>,
    /// The commit built.
    pub commit: Option<String>,
    /// The branch built.
    pub branch: Option<String>,
    /// When it ran.
    pub time: Option<Timestamp>,
    /// A link to the run.
    pub url: Option<String>,
}

impl Report {
    /// Its tools as one line: `Trivy 0.69.1, grype`.
    pub fn tools_line(&self) -> String {
        let names: Vec<String> = self
            .tools
            .iter()
            .map(|t| match &t.version {
                Some(v) => format!("{} {v}", t.name),
                None => t.name.clone(),
            })
            .collect();
        names.join(", ")
    }

    /// The input's own file name without any folder or archive path: the component name of
    /// last resort, stable across builds whose artifacts have the same layout.
    pub fn base_name(&self) -> String {
        self.file_name.rsplit(['/', '\\']).next().unwrap_or(&self.file_name).to_string()
    }
}

/// A scanner and its version, as the input names them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tool {
    /// `CodeQL`, `Trivy`, `grype`, `gosec`, ...
    pub name: String,
    /// The tool's version when given.
    pub version: Option<String>,
}

/// What kind of thing a component is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ComponentKind {
    /// A container image.
    Image,
    /// A source repository.
    Repository,
    /// A directory or file system.
    Filesystem,
    /// A Kubernetes cluster.
    Cluster,
    /// A cloud account.
    Cloud,
    /// Something else, or not known.
    Other,
}

/// The thing that was scanned, as far as the input identifies it (FORMATS.md §3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Component {
    /// The best name the input offers: image reference, repository URL, directory, module.
    pub name: String,
    /// What kind of thing it is.
    pub kind: ComponentKind,
    /// Further identity, e.g. `("digest", "sha256:...")`, `("branch", "main")`, `("category", "/language:go")`.
    pub identity: Vec<(String, String)>,
}

/// What kind of issue a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingKind {
    /// A known vulnerability in a package (SCA).
    Vulnerability,
    /// A weakness in code (SAST).
    Code,
    /// A misconfiguration (IaC, Dockerfile, Kubernetes).
    Misconfiguration,
    /// A leaked secret.
    Secret,
    /// A license finding.
    License,
    /// A dependency alert from a hosted service (Dependabot).
    DependencyAlert,
}

impl FindingKind {
    /// Every kind, in display order.
    pub const ALL: [FindingKind; 6] = [
        FindingKind::Vulnerability,
        FindingKind::Code,
        FindingKind::Misconfiguration,
        FindingKind::Secret,
        FindingKind::License,
        FindingKind::DependencyAlert,
    ];

    /// Lower-case name for JSON, CSV and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Vulnerability => "vulnerability",
            FindingKind::Code => "code",
            FindingKind::Misconfiguration => "misconfiguration",
            FindingKind::Secret => "secret",
            FindingKind::License => "license",
            FindingKind::DependencyAlert => "dependency-alert",
        }
    }
}

/// Whether a result is a finding, and if not, what it is (SARIF `kind`, Trivy misconfiguration status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// A finding (SARIF `fail`, Trivy `FAIL`).
    Fail,
    /// A check that ran and passed.
    Pass,
    /// SARIF `open`: could not tell, needs a person.
    Open,
    /// SARIF `review`.
    Review,
    /// SARIF `informational`.
    Informational,
    /// SARIF `notApplicable`.
    NotApplicable,
    /// Trivy `EXCEPTION`: excepted by policy at scan time.
    Exception,
    /// Grype `ignoredMatches`: ignored by the scan's configuration.
    Ignored,
}

/// Where a finding stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// Open: counts for the gate.
    Open,
    /// Fixed (alert APIs).
    Fixed,
    /// Dismissed by a person (alert APIs).
    Dismissed,
    /// Suppressed in the scan output (SARIF suppressions, gosec nosec).
    Suppressed,
    /// A VEX statement says the product is not affected.
    NotAffected,
}

impl State {
    /// Lower-case name for JSON, CSV and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Fixed => "fixed",
            State::Dismissed => "dismissed",
            State::Suppressed => "suppressed",
            State::NotAffected => "not-affected",
        }
    }
}

/// A finding's state with the detail behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// The normalised state.
    pub state: State,
    /// The raw status the tool gave (`auto_dismissed`, `will_not_fix`, `external`, ...).
    pub raw: Option<String>,
    /// Why, when the tool says (suppression justification, dismissal reason and comment).
    pub justification: Option<String>,
}

impl Status {
    /// An open finding with nothing more to say.
    pub fn open() -> Status {
        Status { state: State::Open, raw: None, justification: None }
    }
}

/// A package a vulnerability is in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Package {
    /// Ecosystem or package type: `npm`, `pip`, `apk`, `go`, `rust`, `java-archive`, ...
    pub ecosystem: Option<String>,
    /// Package name.
    pub name: String,
    /// Installed version.
    pub version: Option<String>,
    /// Versions that fix it: usually one, held inline.
    pub fixed_versions: smallvec::SmallVec<[String; 1]>,
    /// Package URL when given.
    pub purl: Option<String>,
    /// Where the package was found (lock file, jar path, layer path).
    pub path: Option<String>,
}

/// A source region, 1-based like SARIF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Region {
    /// First line.
    pub start_line: Option<u32>,
    /// First column.
    pub start_column: Option<u32>,
    /// Last line.
    pub end_line: Option<u32>,
    /// Column after the last character.
    pub end_column: Option<u32>,
}

/// A place in the scanned thing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// A path or URI, resolved against SARIF `originalUriBaseIds` when possible (interned:
    /// thousands of findings share a few hundred paths).
    pub uri: Option<Str>,
    /// The region in that file.
    pub region: Option<Region>,
    /// The source text of the region, when given.
    pub snippet: Option<String>,
    /// A logical location (function, resource `Kind/Name`), when given.
    pub logical: Option<String>,
    /// A message attached to this location (code-flow steps, related locations).
    pub message: Option<String>,
}

/// One step-by-step path through the code (SARIF `codeFlows[].threadFlows[]`, govulncheck traces).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeFlow {
    /// What the flow shows.
    pub message: Option<String>,
    /// The steps, in order.
    pub steps: Vec<Location>,
}

/// A CVSS assessment by one source.
#[derive(Clone, Debug, PartialEq)]
pub struct Cvss {
    /// Who scored it (`nvd`, `ghsa`, `redhat`, `nvd@nist.gov`).
    pub source: String,
    /// `2.0`, `3.1`, `4.0`, ... (the usual ones are static: one per vulnerability adds up).
    pub version: Option<std::borrow::Cow<'static, str>>,
    /// The vector string.
    pub vector: Option<String>,
    /// The base score.
    pub score: Option<f64>,
}

/// Text with an optional markdown form, both kept raw; the page renders markdown safely.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// Plain text.
    pub text: Option<String>,
    /// Markdown, never trusted as HTML.
    pub markdown: Option<String>,
}

/// A rule's help, shared by every finding of the rule (see [`Str`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Help {
    /// Plain text.
    pub text: Option<Str>,
    /// Markdown, never trusted as HTML.
    pub markdown: Option<Str>,
}

impl Help {
    /// Help from owned strings.
    pub fn new(text: Option<String>, markdown: Option<String>) -> Help {
        Help { text: shared(text), markdown: shared(markdown) }
    }
}

/// Dates a format gives for a finding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dates {
    /// When the alert was created or the vulnerability first seen.
    pub created: Option<Timestamp>,
    /// Last update.
    pub updated: Option<Timestamp>,
    /// When it was fixed.
    pub fixed: Option<Timestamp>,
    /// When it was dismissed.
    pub dismissed: Option<Timestamp>,
    /// When the advisory was published.
    pub published: Option<Timestamp>,
}

/// One issue found, normalised.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Vulnerability, code, misconfiguration, ...
    pub kind: FindingKind,
    /// A finding (`Fail`) or a kept non-finding result.
    pub outcome: Outcome,
    /// Index into [`Report::tools`].
    pub tool: usize,
    /// Index into [`Report::components`].
    pub component: usize,
    /// Sub-component: Trivy `Target`, a Kubernetes resource, a manifest path.
    pub target: Option<Str>,
    /// Rule or check id (`js/xss`, `G104`, `DS-0002`, `CVE-2021-44228-log4j`).
    pub rule_id: Option<Str>,
    /// Short name or title.
    pub title: Option<Str>,
    /// The rule's help (full description, remediation), raw.
    pub help: Help,
    /// The rule's tags (SARIF `properties.tags`: `security`, `OWASP-A05:2021-…`), shared.
    pub tags: Option<Rc<[String]>>,
    /// The message for this occurrence.
    pub message: Text,
    /// Normalised severity, raw value and its source.
    pub rating: Rating,
    /// Extra severity context: gosec confidence, SARIF precision.
    pub confidence: Option<String>,
    /// CWE numbers, normalised (`CWE-79` is 79), sorted, no duplicates.
    pub cwes: Cwes,
    /// Vulnerability ids, the primary first, then aliases (CVE, GHSA, GO-...).
    pub vuln_ids: ThinVec<String>,
    /// The affected package.
    pub package: Option<Box<Package>>,
    /// Where it is: primary locations.
    pub locations: ThinVec<Location>,
    /// Related locations (SARIF `relatedLocations`), each with its message.
    pub related: ThinVec<Location>,
    /// SARIF code flows, govulncheck call traces.
    pub code_flows: ThinVec<CodeFlow>,
    /// Reference URLs.
    pub references: ThinVec<String>,
    /// CVSS assessments.
    pub cvss: ThinVec<Cvss>,
    /// EPSS probability (0..1) and percentile, when given.
    pub epss: Option<Box<(f64, f64)>>,
    /// Listed in CISA's Known Exploited Vulnerabilities catalogue.
    pub kev: bool,
    /// Open, fixed, dismissed, suppressed, not affected.
    pub status: Status,
    /// Dates given for it.
    pub dates: Option<Box<Dates>>,
    /// The tool's own fingerprints (`primaryLocationLineHash`, Trivy `Fingerprint`, alert number).
    pub tool_fingerprints: ThinVec<(Str, String)>,
    /// Stable identity across builds (never line numbers alone). See [`crate::fingerprint`].
    pub fingerprint: u64,
    /// Tags and properties worth showing that the model has no field for.
    pub properties: ThinVec<(String, String)>,
}

impl Finding {
    /// A finding with every optional field empty.
    pub fn new(kind: FindingKind, rating: Rating) -> Finding {
        Finding {
            kind,
            outcome: Outcome::Fail,
            tool: 0,
            component: 0,
            target: None,
            rule_id: None,
            title: None,
            help: Help::default(),
            tags: None,
            message: Text::default(),
            rating,
            confidence: None,
            cwes: Cwes::new(),
            vuln_ids: ThinVec::new(),
            package: None,
            locations: ThinVec::new(),
            related: ThinVec::new(),
            code_flows: ThinVec::new(),
            references: ThinVec::new(),
            cvss: ThinVec::new(),
            epss: None,
            kev: false,
            status: Status::open(),
            dates: None,
            tool_fingerprints: ThinVec::new(),
            fingerprint: 0,
            properties: ThinVec::new(),
        }
    }

    /// Its dates; most findings have none, so they are stored only when one is known.
    pub fn dates(&self) -> &Dates {
        static NONE: Dates =
            Dates { created: None, updated: None, fixed: None, dismissed: None, published: None };
        self.dates.as_deref().unwrap_or(&NONE)
    }

    /// Sets its dates (none known: nothing stored).
    pub fn set_dates(&mut self, dates: Dates) {
        self.dates = (dates != Dates::default()).then(|| Box::new(dates));
    }

    /// The first location's path, if any.
    pub fn path(&self) -> Option<&str> {
        self.locations.first().and_then(|l| l.uri.as_deref())
    }
}

/// How parsers append findings: by a quarter at a time once the list is long, not doubling.
/// A doubled list of 300,000 findings can be half empty, and while it moves both copies are
/// in memory; in a browser tab that high-water mark is kept for good.
pub trait FindingList {
    /// Appends one finding.
    fn add(&mut self, finding: Finding);
}

impl FindingList for Vec<Finding> {
    fn add(&mut self, finding: Finding) {
        if self.len() == self.capacity() && self.len() >= 1 << 14 {
            self.reserve_exact(self.len() / 4);
        }
        self.push(finding);
    }
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DiagnosticLevel {
    /// Worth knowing (an empty file, a field we do not use).
    Info,
    /// Something was skipped or guessed; the rest is fine.
    Warning,
    /// The input, or part of it, could not be read.
    Error,
}

impl DiagnosticLevel {
    /// `info`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticLevel::Info => "info",
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Error => "error",
        }
    }
}

/// Something worth telling the user about reading an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub level: DiagnosticLevel,
    /// Lower-case message, no trailing period.
    pub message: String,
    /// JSON path of the offending value (`runs[0].results[17]`) when there is one.
    pub path: Option<String>,
}

impl Diagnostic {
    /// An error diagnostic.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic { level: DiagnosticLevel::Error, message: message.into(), path: None }
    }
    /// A warning diagnostic.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic { level: DiagnosticLevel::Warning, message: message.into(), path: None }
    }
    /// An informational diagnostic.
    pub fn info(message: impl Into<String>) -> Diagnostic {
        Diagnostic { level: DiagnosticLevel::Info, message: message.into(), path: None }
    }
    /// The same diagnostic, at a JSON path.
    pub fn at(mut self, path: impl Into<String>) -> Diagnostic {
        self.path = Some(path.into());
        self
    }
}

/// The status of one compliance control as a compliance report states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlStatus {
    /// Its checks ran and passed.
    Pass,
    /// At least one check failed.
    Fail,
    /// No automated check: a person must assess it.
    Manual,
}

/// One control of a compliance report, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlResult {
    /// Control id (`4.1`, `1.2.1`).
    pub id: String,
    /// Control name.
    pub name: String,
    /// Control severity as written.
    pub severity: Option<String>,
    /// The status the report gives.
    pub status: ControlStatus,
    /// How many results failed it, when the report says.
    pub total_fail: Option<u32>,
    /// Canonical check ids (`DS-0002`) the report names for it.
    pub checks: Vec<String>,
}

/// A compliance report read from Trivy `--compliance` JSON or a trivy-operator resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComplianceReport {
    /// Spec id (`docker-cis-1.6.0`, `k8s-cis-1.23`).
    pub spec_id: String,
    /// Spec title.
    pub title: Option<String>,
    /// Controls with their status.
    pub controls: Vec<ControlResult>,
}
