//! The normalised model as JSON: the schema `scanlens-model/1`, documented field by field in
//! `docs/model-json.md` (a test checks that every field written is documented there and that
//! every documented field is written). For tools that want the data, not a picture of it.
//!
//! Stable by design: fields are only ever added within a version; a renamed or removed
//! field, or a changed meaning, is a new version. Maps whose keys are data (tool
//! fingerprints, properties, component identity) are arrays of `[key, value]` pairs, so the
//! schema's field names are never data. A rule's help and tags are written once per report
//! (`rules`) and findings point at them, so a 100,000-finding scan does not repeat its help
//! text 100,000 times.

use std::collections::HashMap;

use serde::Serialize;

use crate::aggregate::Aggregate;
use crate::gate::Verdict;
use crate::model::{
    Capability, ComponentKind, ControlStatus, Finding, Location, Outcome, Report, Str, VexStatus,
};
use crate::time::Timestamp;

/// The schema's name and version.
pub const SCHEMA: &str = "scanlens-model/1";

/// The latest build's identity.
#[derive(Serialize)]
pub struct BuildJson<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its commit.
    pub commit: Option<&'a str>,
    /// Its branch.
    pub branch: Option<&'a str>,
    /// Its time.
    pub time: Option<String>,
    /// How many builds were loaded.
    pub builds_loaded: usize,
}

/// The policy in force.
#[derive(Serialize)]
pub struct PolicyJson<'a> {
    /// Its file's name; `None` for the built-in default.
    pub file: Option<&'a str>,
    /// Its file's SHA-256.
    pub sha256: Option<&'a str>,
    /// The threshold.
    pub fail_on: &'static str,
    /// How many ignore rules.
    pub ignores: usize,
}

/// A file given.
#[derive(Serialize)]
pub struct InputJson<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its size.
    pub size: u64,
    /// Its SHA-256.
    pub sha256: &'a str,
    /// Whether it was the policy.
    pub policy: bool,
}

/// What goes around the reports: the build, the policy and the files given.
pub struct Context<'a> {
    /// The latest build, `None` when nothing is loaded.
    pub build: Option<BuildJson<'a>>,
    /// The policy in force.
    pub policy: PolicyJson<'a>,
    /// Every file given.
    pub inputs: Vec<InputJson<'a>>,
    /// The latest build's reports, in its order.
    pub reports: &'a [Report],
    /// Their entries.
    pub aggregate: &'a Aggregate,
    /// The gate's verdict on them.
    pub verdict: &'a Verdict,
    /// Why each excused entry is excused, in the verdict's order.
    pub excuses: Vec<String>,
    /// When the export was made.
    pub generated: Timestamp,
}

fn time(t: Option<Timestamp>) -> Option<String> {
    t.map(|t| t.to_string())
}

#[derive(Serialize)]
struct LocationJson<'a> {
    uri: Option<&'a str>,
    start_line: Option<u32>,
    start_column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    snippet: Option<&'a str>,
    logical: Option<&'a str>,
    message: Option<&'a str>,
}

fn locations(list: &[Location]) -> Vec<LocationJson<'_>> {
    list.iter()
        .map(|l| {
            let region = l.region.unwrap_or_default();
            LocationJson {
                uri: l.uri.as_deref(),
                start_line: region.start_line,
                start_column: region.start_column,
                end_line: region.end_line,
                end_column: region.end_column,
                snippet: l.snippet.as_deref(),
                logical: l.logical.as_deref(),
                message: l.message.as_deref(),
            }
        })
        .collect()
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Fail => "fail",
        Outcome::Pass => "pass",
        Outcome::Open => "open",
        Outcome::Review => "review",
        Outcome::Informational => "informational",
        Outcome::NotApplicable => "not-applicable",
        Outcome::Exception => "exception",
        Outcome::Ignored => "ignored",
    }
}

#[derive(Serialize)]
struct TextJson<'a> {
    text: Option<&'a str>,
    markdown: Option<&'a str>,
}

#[derive(Serialize)]
struct RuleJson<'a> {
    tool: usize,
    id: Option<&'a str>,
    help: TextJson<'a>,
    tags: &'a [String],
}

/// A report's rules (help and tags, shared by the findings of a rule), found by the
/// identity of what the findings share.
#[derive(Default)]
struct Rules<'a> {
    index: HashMap<(usize, usize, usize, usize), usize>,
    list: Vec<RuleJson<'a>>,
}

impl<'a> Rules<'a> {
    fn of(&mut self, f: &'a Finding) -> Option<usize> {
        let ptr = |s: &Option<Str>| s.as_ref().map_or(0, |a| a.as_ptr() as usize);
        let tags = f.tags.as_ref().map_or(0, |t| t.as_ptr() as usize);
        let (text, markdown) = (ptr(&f.help.text), ptr(&f.help.markdown));
        if text == 0 && markdown == 0 && tags == 0 {
            return None;
        }
        let next = self.list.len();
        let i = *self.index.entry((f.tool, text, markdown, tags)).or_insert(next);
        if i == next {
            self.list.push(RuleJson {
                tool: f.tool,
                id: f.rule_id.as_deref(),
                help: TextJson {
                    text: f.help.text.as_deref(),
                    markdown: f.help.markdown.as_deref(),
                },
                tags: f.tags.as_deref().unwrap_or_default(),
            });
        }
        Some(i)
    }
}

#[derive(Serialize)]
struct SeverityJson<'a> {
    normalised: &'static str,
    raw: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct PackageJson<'a> {
    ecosystem: Option<&'a str>,
    name: &'a str,
    version: Option<&'a str>,
    fixed_versions: &'a [String],
    purl: Option<&'a str>,
    path: Option<&'a str>,
}

#[derive(Serialize)]
struct FlowJson<'a> {
    message: Option<&'a str>,
    steps: Vec<LocationJson<'a>>,
}

#[derive(Serialize)]
struct CvssJson<'a> {
    source: &'a str,
    version: Option<&'a str>,
    vector: Option<&'a str>,
    score: Option<f64>,
}

#[derive(Serialize)]
struct EpssJson {
    probability: f64,
    percentile: f64,
}

#[derive(Serialize)]
struct StateJson<'a> {
    state: &'static str,
    raw: Option<&'a str>,
    justification: Option<&'a str>,
}

#[derive(Serialize)]
struct DatesJson {
    created: Option<String>,
    updated: Option<String>,
    fixed: Option<String>,
    dismissed: Option<String>,
    published: Option<String>,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    kind: &'static str,
    outcome: &'static str,
    tool: usize,
    component: usize,
    target: Option<&'a str>,
    rule_id: Option<&'a str>,
    rule: Option<usize>,
    title: Option<&'a str>,
    message: TextJson<'a>,
    severity: SeverityJson<'a>,
    confidence: Option<&'a str>,
    cwes: &'a [u32],
    vulnerability_ids: &'a [String],
    package: Option<PackageJson<'a>>,
    locations: Vec<LocationJson<'a>>,
    related: Vec<LocationJson<'a>>,
    code_flows: Vec<FlowJson<'a>>,
    references: &'a [String],
    cvss: Vec<CvssJson<'a>>,
    epss: Option<EpssJson>,
    kev: bool,
    state: StateJson<'a>,
    dates: DatesJson,
    tool_fingerprints: Vec<[&'a str; 2]>,
    fingerprint: String,
    properties: Vec<[&'a str; 2]>,
}

fn pairs(v: &[(String, String)]) -> Vec<[&str; 2]> {
    v.iter().map(|(k, v)| [k.as_str(), v.as_str()]).collect()
}

fn finding<'a>(f: &'a Finding, rules: &mut Rules<'a>) -> FindingJson<'a> {
    FindingJson {
        kind: f.kind.as_str(),
        outcome: outcome(f.outcome),
        tool: f.tool,
        component: f.component,
        target: f.target.as_deref(),
        rule_id: f.rule_id.as_deref(),
        rule: rules.of(f),
        title: f.title.as_deref(),
        message: TextJson {
            text: f.message.text.as_deref(),
            markdown: f.message.markdown.as_deref(),
        },
        severity: SeverityJson {
            normalised: f.rating.severity.as_str(),
            raw: &f.rating.raw,
            source: &f.rating.source,
        },
        confidence: f.confidence.as_deref(),
        cwes: &f.cwes,
        vulnerability_ids: &f.vuln_ids,
        package: f.package.as_ref().map(|p| PackageJson {
            ecosystem: p.ecosystem.as_deref(),
            name: &p.name,
            version: p.version.as_deref(),
            fixed_versions: &p.fixed_versions,
            purl: p.purl.as_deref(),
            path: p.path.as_deref(),
        }),
        locations: locations(&f.locations),
        related: locations(&f.related),
        code_flows: f
            .code_flows
            .iter()
            .map(|c| FlowJson { message: c.message.as_deref(), steps: locations(&c.steps) })
            .collect(),
        references: &f.references,
        cvss: f
            .cvss
            .iter()
            .map(|c| CvssJson {
                source: &c.source,
                version: c.version.as_deref(),
                vector: c.vector.as_deref(),
                score: c.score,
            })
            .collect(),
        epss: f
            .epss
            .as_deref()
            .map(|&(probability, percentile)| EpssJson { probability, percentile }),
        kev: f.kev,
        state: StateJson {
            state: f.status.state.as_str(),
            raw: f.status.raw.as_deref(),
            justification: f.status.justification.as_deref(),
        },
        dates: DatesJson {
            created: time(f.dates().created),
            updated: time(f.dates().updated),
            fixed: time(f.dates().fixed),
            dismissed: time(f.dates().dismissed),
            published: time(f.dates().published),
        },
        tool_fingerprints: f
            .tool_fingerprints
            .iter()
            .map(|(k, v)| [k.as_ref(), v.as_str()])
            .collect(),
        fingerprint: crate::fingerprint::to_hex(f.fingerprint),
        properties: pairs(&f.properties),
    }
}

#[derive(Serialize)]
struct ToolJson<'a> {
    name: &'a str,
    version: Option<&'a str>,
}

#[derive(Serialize)]
struct BuildInfoJson<'a> {
    id: Option<&'a str>,
    commit: Option<&'a str>,
    branch: Option<&'a str>,
    time: Option<String>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct ComponentJson<'a> {
    name: &'a str,
    kind: &'static str,
    identity: Vec<[&'a str; 2]>,
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    level: &'static str,
    message: &'a str,
    path: Option<&'a str>,
}

#[derive(Serialize)]
struct ControlJson<'a> {
    id: &'a str,
    name: &'a str,
    severity: Option<&'a str>,
    status: &'static str,
    total_fail: Option<u32>,
    checks: &'a [String],
}

#[derive(Serialize)]
struct ComplianceJson<'a> {
    spec_id: &'a str,
    title: Option<&'a str>,
    controls: Vec<ControlJson<'a>>,
}

#[derive(Serialize)]
struct VexJson<'a> {
    vulnerability: &'a str,
    products: &'a [String],
    subcomponents: &'a [String],
    status: &'static str,
    justification: Option<&'a str>,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    file: &'a str,
    size: u64,
    sha256: &'a str,
    format: Option<&'static str>,
    tools: Vec<ToolJson<'a>>,
    scan_time: Option<String>,
    entry_time: Option<String>,
    build_info: Option<BuildInfoJson<'a>>,
    components: Vec<ComponentJson<'a>>,
    capabilities: Vec<&'static str>,
    diagnostics: Vec<DiagnosticJson<'a>>,
    rules: Vec<RuleJson<'a>>,
    findings: Vec<FindingJson<'a>>,
    non_findings: Vec<FindingJson<'a>>,
    compliance: Vec<ComplianceJson<'a>>,
    vex: Vec<VexJson<'a>>,
}

fn report(r: &Report) -> ReportJson<'_> {
    let mut rules = Rules::default();
    let findings = r.findings.iter().map(|f| finding(f, &mut rules)).collect();
    let non_findings = r.non_findings.iter().map(|f| finding(f, &mut rules)).collect();
    ReportJson {
        file: &r.file_name,
        size: r.byte_size,
        sha256: &r.sha256,
        format: r.format.map(|f| f.as_str()),
        tools: r
            .tools
            .iter()
            .map(|t| ToolJson { name: &t.name, version: t.version.as_deref() })
            .collect(),
        scan_time: time(r.scan_time),
        entry_time: time(r.entry_time),
        build_info: r.build.as_ref().map(|b| BuildInfoJson {
            id: b.id.as_deref(),
            commit: b.commit.as_deref(),
            branch: b.branch.as_deref(),
            time: time(b.time),
            url: b.url.as_deref(),
        }),
        components: r
            .components
            .iter()
            .map(|c| ComponentJson {
                name: &c.name,
                kind: match c.kind {
                    ComponentKind::Image => "image",
                    ComponentKind::Repository => "repository",
                    ComponentKind::Filesystem => "filesystem",
                    ComponentKind::Cluster => "cluster",
                    ComponentKind::Cloud => "cloud",
                    ComponentKind::Other => "other",
                },
                identity: pairs(&c.identity),
            })
            .collect(),
        capabilities: r
            .capabilities
            .iter()
            .map(|c| match c {
                Capability::Sast => "sast",
                Capability::Sca => "sca",
                Capability::Misconfiguration => "misconfiguration",
                Capability::Secrets => "secrets",
                Capability::License => "license",
            })
            .collect(),
        diagnostics: r
            .diagnostics
            .iter()
            .map(|d| DiagnosticJson {
                level: d.level.as_str(),
                message: &d.message,
                path: d.path.as_deref(),
            })
            .collect(),
        rules: rules.list,
        findings,
        non_findings,
        compliance: r
            .compliance
            .iter()
            .map(|c| ComplianceJson {
                spec_id: &c.spec_id,
                title: c.title.as_deref(),
                controls: c
                    .controls
                    .iter()
                    .map(|k| ControlJson {
                        id: &k.id,
                        name: &k.name,
                        severity: k.severity.as_deref(),
                        status: match k.status {
                            ControlStatus::Pass => "pass",
                            ControlStatus::Fail => "fail",
                            ControlStatus::Manual => "manual",
                        },
                        total_fail: k.total_fail,
                        checks: &k.checks,
                    })
                    .collect(),
            })
            .collect(),
        vex: r
            .vex
            .iter()
            .map(|v| VexJson {
                vulnerability: &v.vulnerability,
                products: &v.products,
                subcomponents: &v.subcomponents,
                status: match v.status {
                    VexStatus::NotAffected => "not_affected",
                    VexStatus::Fixed => "fixed",
                    VexStatus::Affected => "affected",
                    VexStatus::UnderInvestigation => "under_investigation",
                },
                justification: v.justification.as_deref(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct At {
    report: usize,
    finding: usize,
}

#[derive(Serialize)]
struct VexAt {
    report: usize,
    statement: usize,
}

#[derive(Serialize)]
struct EntryJson<'a> {
    entry: usize,
    severity: &'static str,
    state: &'static str,
    component: &'a str,
    failing: bool,
    primary: At,
    sources: Vec<At>,
    vex: Option<VexAt>,
}

#[derive(Serialize)]
struct Excused<'a> {
    entry: usize,
    why: &'a str,
}

#[derive(Serialize)]
struct GateJson<'a> {
    passed: bool,
    fail_on: &'static str,
    failing: &'a [usize],
    excused: Vec<Excused<'a>>,
    expired_ignores: &'a [usize],
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    generator: String,
    generated: String,
    build: &'a Option<BuildJson<'a>>,
    policy: &'a PolicyJson<'a>,
    inputs: &'a [InputJson<'a>],
    gate: GateJson<'a>,
    reports: Vec<ReportJson<'a>>,
    entries: Vec<EntryJson<'a>>,
}

/// The model as one JSON document, compact, ending in a newline.
pub fn write(c: &Context) -> String {
    let failing: std::collections::HashSet<usize> = c.verdict.failing.iter().copied().collect();
    let document = Document {
        schema: SCHEMA,
        generator: format!("scanlens {}", crate::report::VERSION),
        generated: c.generated.to_string(),
        build: &c.build,
        policy: &c.policy,
        inputs: &c.inputs,
        gate: GateJson {
            passed: c.verdict.passed,
            fail_on: c.verdict.fail_on.as_str(),
            failing: &c.verdict.failing,
            excused: c
                .verdict
                .excused
                .iter()
                .zip(&c.excuses)
                .map(|(&(entry, _), why)| Excused { entry, why })
                .collect(),
            expired_ignores: &c.verdict.expired_ignores,
        },
        reports: c.reports.iter().map(report).collect(),
        entries: c
            .aggregate
            .entries
            .iter()
            .enumerate()
            .map(|(e, entry)| EntryJson {
                entry: e,
                severity: entry.severity.as_str(),
                state: entry.state.as_str(),
                component: &entry.component,
                failing: failing.contains(&e),
                primary: At { report: entry.primary.report, finding: entry.primary.finding },
                sources: entry
                    .sources
                    .iter()
                    .map(|s| At { report: s.report, finding: s.finding })
                    .collect(),
                vex: entry.vex.map(|(report, statement)| VexAt { report, statement }),
            })
            .collect(),
    };
    let mut out = serde_json::to_string(&document).expect("plain data always serialises");
    out.push('\n');
    out
}
