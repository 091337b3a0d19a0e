//! Per-component compliance checklists: OWASP Top 10 (2021, 2025) and every Trivy
//! compliance spec (CIS Docker, CIS Kubernetes, NSA, Pod Security Standards, EKS, RKE2, AWS),
//! honest about coverage.
//!
//! The tables are the project's own (`data/`, written by `scripts/gen-mappings.py` from the
//! facts in ../shared/mappings, checked against them by `tests/compliance.rs`).
//!
//! OWASP: an entry maps to categories by kind first (a dependency vulnerability is A06:2021
//! / A03:2025 whatever its CWE; a misconfiguration without CWE is A05:2021 / A02:2025; a
//! secret without CWE is read as CWE-798), then by OWASP tags (`OWASP-A05:2021-…`), then by
//! CWE. Entries that map nowhere are listed as "outside the Top 10". A category is Fail when
//! an open entry at or above the gate threshold maps to it, Warn when only entries below it
//! do, No findings when a scan able to find it ran, and Not assessed otherwise.
//!
//! CIS and other specs: a control with no automated check is Manual (shown with its text,
//! never passed); one whose checks need a scan that did not run for the component
//! (misconfiguration checks, `VULN-*` vulnerability counts, `SECRET-*` secret counts) is Not
//! assessed; otherwise Fail with evidence, or Pass. Compliance reports Trivy wrote itself
//! (`--compliance` JSON, trivy-operator) are read as they are.

use std::sync::OnceLock;

use crate::aggregate::{Aggregate, Entry};
use crate::checks;
use crate::model::{capability_of, Capability, ControlStatus, FindingKind, Report};
use crate::policy::Policy;
use crate::severity::Severity;

/// An OWASP Top 10 category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    /// `A01:2021`.
    pub id: &'static str,
    /// `Broken Access Control`.
    pub name: &'static str,
    /// Mapped CWE numbers.
    pub cwes: Vec<u32>,
}

/// A control of a compliance spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecControl {
    /// Control id (`4.1`); not unique in every spec (aws-cis-1.4 has two `1.4`).
    pub id: &'static str,
    /// Severity as the spec gives it.
    pub severity: &'static str,
    /// Canonical check ids (`DS-0002`, `VULN-CRITICAL`).
    pub checks: Vec<&'static str>,
    /// No automated check: a person must assess it.
    pub manual: bool,
    /// The status Trivy shows when there is no automated check (k8s-nsa only).
    pub default_status: Option<&'static str>,
    /// The control's name.
    pub name: &'static str,
    /// The control's description.
    pub description: Option<&'static str>,
}

/// A compliance spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// `docker-cis-1.6.0`.
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Its controls, in order.
    pub controls: Vec<SpecControl>,
}

const OWASP_2021: &str = include_str!("../data/owasp-top10-2021.tsv");
const OWASP_2025: &str = include_str!("../data/owasp-top10-2025.tsv");
const SPECS: [&str; 9] = [
    include_str!("../data/compliance/aws-cis-1.2.tsv"),
    include_str!("../data/compliance/aws-cis-1.4.tsv"),
    include_str!("../data/compliance/docker-cis-1.6.0.tsv"),
    include_str!("../data/compliance/eks-cis-1.4.tsv"),
    include_str!("../data/compliance/k8s-cis-1.23.tsv"),
    include_str!("../data/compliance/k8s-nsa-1.0.tsv"),
    include_str!("../data/compliance/k8s-pss-baseline-0.1.tsv"),
    include_str!("../data/compliance/k8s-pss-restricted-0.1.tsv"),
    include_str!("../data/compliance/rke2-cis-1.24.tsv"),
];

fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn parse_owasp(table: &'static str) -> Vec<Category> {
    rows(table)
        .map(|r| Category {
            id: r[0],
            name: r[1],
            cwes: r[2].split(' ').filter_map(|n| n.parse().ok()).collect(),
        })
        .collect()
}

/// The OWASP Top 10 of a year (2021 or 2025).
pub fn owasp(year: u16) -> &'static [Category] {
    static Y2021: OnceLock<Vec<Category>> = OnceLock::new();
    static Y2025: OnceLock<Vec<Category>> = OnceLock::new();
    match year {
        2021 => Y2021.get_or_init(|| parse_owasp(OWASP_2021)),
        _ => Y2025.get_or_init(|| parse_owasp(OWASP_2025)),
    }
}

/// Every compliance spec scanlens knows.
pub fn specs() -> &'static [Spec] {
    static ALL: OnceLock<Vec<Spec>> = OnceLock::new();
    ALL.get_or_init(|| {
        SPECS
            .iter()
            .map(|table| {
                let mut spec = Spec { id: "", title: "", controls: Vec::new() };
                for r in rows(table) {
                    if r[0] == "spec" {
                        (spec.id, spec.title) = (r[1], r[2]);
                        continue;
                    }
                    let flags: Vec<&str> = r[3].split(',').collect();
                    spec.controls.push(SpecControl {
                        id: r[0],
                        severity: r[1],
                        checks: if r[2] == "-" { Vec::new() } else { r[2].split(' ').collect() },
                        manual: flags.contains(&"manual"),
                        default_status: flags.iter().find_map(|f| f.strip_prefix("default=")),
                        name: r[4],
                        description: r.get(5).copied().filter(|d| *d != "-"),
                    });
                }
                spec
            })
            .collect()
    })
}

/// A framework to check against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framework {
    /// OWASP Top 10 of that year.
    Owasp(u16),
    /// A compliance spec.
    Spec(&'static Spec),
}

impl Framework {
    /// By id: `owasp-2021`, `owasp-2025`, or a spec id (`docker-cis-1.6.0`).
    pub fn by_id(id: &str) -> Option<Framework> {
        match id {
            "owasp-2021" => Some(Framework::Owasp(2021)),
            "owasp-2025" => Some(Framework::Owasp(2025)),
            _ => specs().iter().find(|s| s.id == id).map(Framework::Spec),
        }
    }

    /// Its id.
    pub fn id(self) -> String {
        match self {
            Framework::Owasp(year) => format!("owasp-{year}"),
            Framework::Spec(spec) => spec.id.to_string(),
        }
    }
}

/// A control's (or category's) status for one component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Evidence at or above the threshold.
    Fail,
    /// OWASP: only evidence below the threshold.
    Warn,
    /// Its checks ran and none failed.
    Pass,
    /// OWASP: a scan able to find it ran and found nothing.
    NoFindings,
    /// No automated check: a person must assess it.
    Manual,
    /// No scan that could assess it ran for this component.
    NotAssessed,
}

impl Status {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Pass => "pass",
            Status::NoFindings => "no-findings",
            Status::Manual => "manual",
            Status::NotAssessed => "not-assessed",
        }
    }
}

/// One control of a checklist.
#[derive(Clone, Debug, PartialEq)]
pub struct Control {
    /// Control or category id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its description, when the spec has one.
    pub description: Option<String>,
    /// Its status.
    pub status: Status,
    /// Entries (indices into the aggregate) that are its evidence.
    pub evidence: Vec<usize>,
    /// A remark (why not assessed, a default status).
    pub note: Option<String>,
}

/// Where a checklist came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Derived by scanlens from the findings.
    Derived,
    /// Read from a compliance report Trivy wrote (the report's index).
    Report(usize),
}

/// A framework's checklist for one component.
#[derive(Clone, Debug, PartialEq)]
pub struct Checklist {
    /// Framework id.
    pub framework: String,
    /// Framework title.
    pub title: String,
    /// Component name.
    pub component: String,
    /// Where it came from.
    pub origin: Origin,
    /// The controls, in the framework's order.
    pub controls: Vec<Control>,
    /// OWASP: entries that map to no category.
    pub outside: Vec<usize>,
}

/// Counts per status, and a score.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Passed (Pass, or OWASP No findings).
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// OWASP warnings.
    pub warn: usize,
    /// Manual.
    pub manual: usize,
    /// Not assessed.
    pub not_assessed: usize,
    /// All controls.
    pub total: usize,
    /// `pass / total`: manual and not-assessed controls are never counted as passed.
    pub score: f64,
}

impl Checklist {
    /// The counts and the score.
    pub fn summary(&self) -> Summary {
        let mut s = Summary { total: self.controls.len(), ..Summary::default() };
        for c in &self.controls {
            match c.status {
                Status::Pass | Status::NoFindings => s.pass += 1,
                Status::Fail => s.fail += 1,
                Status::Warn => s.warn += 1,
                Status::Manual => s.manual += 1,
                Status::NotAssessed => s.not_assessed += 1,
            }
        }
        s.score = if s.total == 0 { 0.0 } else { s.pass as f64 / s.total as f64 };
        s
    }
}

/// The components of a set of reports with what their scans covered.
fn components(
    reports: &[Report],
    aggregate: &Aggregate,
    policy: &Policy,
) -> Vec<(String, Vec<Capability>)> {
    let mut out: Vec<(String, Vec<Capability>)> = Vec::new();
    let mut add =
        |name: &str, capabilities: &[Capability]| match out.iter_mut().find(|(n, _)| n == name) {
            Some((_, caps)) => {
                caps.extend(capabilities.iter().filter(|c| !caps.contains(c)).collect::<Vec<_>>())
            }
            None => out.push((name.to_string(), capabilities.to_vec())),
        };
    for report in reports.iter().filter(|r| r.vex.is_empty() && r.build.is_none()) {
        for component in &report.components {
            let name = policy
                .components
                .iter()
                .find(|rule| {
                    rule.path_prefix.is_none()
                        && (rule.artifact.is_some() || rule.image.is_some())
                        && rule.artifact.as_ref().is_none_or(|g| g.matches(&report.file_name))
                        && rule.image.as_ref().is_none_or(|g| g.matches(&component.name))
                })
                .map_or(component.name.as_str(), |rule| rule.name.as_str());
            add(name, &report.capabilities);
        }
    }
    for entry in &aggregate.entries {
        add(&entry.component, &[]);
    }
    for entry in &aggregate.entries {
        let kinds: Vec<Capability> =
            entry.sources.iter().map(|s| capability_of(s.get(reports).kind)).collect();
        add(&entry.component, &kinds);
    }
    out
}

fn counted(entry: &Entry, policy: &Policy) -> bool {
    policy.states.contains(&entry.state)
}

/// OWASP category ids an entry maps to (empty: outside the Top 10).
pub fn owasp_categories(reports: &[Report], entry: &Entry, year: u16) -> Vec<&'static str> {
    let f = entry.primary.get(reports);
    let table = owasp(year);
    let by_id = |id: &str| table.iter().find(|c| c.id == id).map(|c| c.id);
    match f.kind {
        FindingKind::Vulnerability | FindingKind::DependencyAlert => {
            return by_id(if year == 2021 { "A06:2021" } else { "A03:2025" }).into_iter().collect()
        }
        FindingKind::Misconfiguration if f.cwes.is_empty() => {
            return by_id(if year == 2021 { "A05:2021" } else { "A02:2025" }).into_iter().collect()
        }
        _ => {}
    }
    let mut out: Vec<&'static str> = Vec::new();
    // Semgrep and others tag the category directly: `OWASP-A05:2021-Security Misconfiguration`.
    for tag in f.tags.iter().flat_map(|t| t.iter()) {
        let upper = tag.to_ascii_uppercase();
        if let Some(rest) = upper.strip_prefix("OWASP-A").or_else(|| upper.strip_prefix("A")) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let (Ok(n), Some(tail)) =
                (digits.parse::<u8>(), rest[digits.len()..].strip_prefix(':'))
            {
                if tail.starts_with(&year.to_string()) {
                    if let Some(id) = by_id(&format!("A{n:02}:{year}")) {
                        out.push(id);
                    }
                }
            }
        }
    }
    let cwes: Vec<u32> = if f.cwes.is_empty() && f.kind == FindingKind::Secret {
        vec![798]
    } else {
        f.cwes.to_vec()
    };
    for category in table {
        if cwes.iter().any(|c| category.cwes.contains(c)) && !out.contains(&category.id) {
            out.push(category.id);
        }
    }
    out
}

/// Which scans can find an OWASP category.
fn owasp_coverage(id: &str) -> &'static [Capability] {
    match id {
        "A06:2021" | "A03:2025" => &[Capability::Sca],
        "A05:2021" | "A02:2025" | "A02:2021" | "A04:2025" => {
            &[Capability::Sast, Capability::Misconfiguration]
        }
        "A07:2021" | "A07:2025" => &[Capability::Sast, Capability::Secrets],
        _ => &[Capability::Sast],
    }
}

fn capability_name(c: Capability) -> &'static str {
    match c {
        Capability::Sast => "static analysis",
        Capability::Sca => "dependency scan",
        Capability::Misconfiguration => "misconfiguration scan",
        Capability::Secrets => "secret scan",
        Capability::License => "license scan",
    }
}

fn owasp_checklist(
    reports: &[Report],
    aggregate: &Aggregate,
    policy: &Policy,
    year: u16,
    component: &str,
    capabilities: &[Capability],
) -> Checklist {
    let mut controls: Vec<Control> = owasp(year)
        .iter()
        .map(|c| Control {
            id: c.id.to_string(),
            name: c.name.to_string(),
            description: None,
            status: Status::NoFindings,
            evidence: Vec::new(),
            note: None,
        })
        .collect();
    let mut outside = Vec::new();
    for (e, entry) in aggregate
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| *e.component == *component && counted(e, policy))
    {
        let categories = owasp_categories(reports, entry, year);
        if categories.is_empty() {
            outside.push(e);
        }
        for id in categories {
            if let Some(control) = controls.iter_mut().find(|c| c.id == id) {
                control.evidence.push(e);
            }
        }
    }
    for control in &mut controls {
        let needed = owasp_coverage(&control.id);
        control.status =
            if control.evidence.iter().any(|&e| aggregate.entries[e].severity >= policy.fail_on) {
                Status::Fail
            } else if !control.evidence.is_empty() {
                Status::Warn
            } else if needed.iter().any(|c| capabilities.contains(c)) {
                Status::NoFindings
            } else {
                control.note = Some(format!(
                    "needs a {}",
                    needed.iter().map(|c| capability_name(*c)).collect::<Vec<_>>().join(" or ")
                ));
                Status::NotAssessed
            };
    }
    Checklist {
        framework: format!("owasp-{year}"),
        title: format!("OWASP Top 10 {year}"),
        component: component.to_string(),
        origin: Origin::Derived,
        controls,
        outside,
    }
}

/// Whether an entry is evidence against a check.
type Matcher<'a> = Box<dyn Fn(&Entry) -> bool + 'a>;

fn spec_checklist(
    reports: &[Report],
    aggregate: &Aggregate,
    policy: &Policy,
    spec: &Spec,
    component: &str,
    capabilities: &[Capability],
) -> Checklist {
    let entries: Vec<(usize, &Entry)> = aggregate
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| *e.component == *component && counted(e, policy))
        .collect();
    let controls = spec
        .controls
        .iter()
        .map(|c| {
            let mut control = Control {
                id: c.id.to_string(),
                name: c.name.to_string(),
                description: c.description.map(String::from),
                status: Status::Pass,
                evidence: Vec::new(),
                note: None,
            };
            if c.manual || c.checks.is_empty() {
                control.status = Status::Manual;
                control.note = c
                    .default_status
                    .map(|d| format!("Trivy reports this control as {d} by default"));
                return control;
            }
            let mut needed = Vec::new();
            for check in &c.checks {
                let (capability, matches): (Capability, Matcher<'_>) = match *check {
                    "VULN-CRITICAL" | "VULN-HIGH" => {
                        let severity = if *check == "VULN-CRITICAL" {
                            Severity::Critical
                        } else {
                            Severity::High
                        };
                        (
                            Capability::Sca,
                            Box::new(move |e: &Entry| {
                                matches!(e.primary.get(reports).kind, FindingKind::Vulnerability)
                                    && e.severity == severity
                            }),
                        )
                    }
                    "SECRET-CRITICAL" | "SECRET-HIGH" => {
                        let severity = if *check == "SECRET-CRITICAL" {
                            Severity::Critical
                        } else {
                            Severity::High
                        };
                        (
                            Capability::Secrets,
                            Box::new(move |e: &Entry| {
                                e.primary.get(reports).kind == FindingKind::Secret
                                    && e.severity == severity
                            }),
                        )
                    }
                    id => (
                        Capability::Misconfiguration,
                        Box::new(move |e: &Entry| {
                            e.sources.iter().any(|s| {
                                let f = s.get(reports);
                                f.kind == FindingKind::Misconfiguration
                                    && f.rule_id
                                        .as_deref()
                                        .is_some_and(|r| checks::canonical(r) == id)
                            })
                        }),
                    ),
                };
                control
                    .evidence
                    .extend(entries.iter().filter(|(_, e)| matches(e)).map(|(i, _)| *i));
                if !capabilities.contains(&capability) && !needed.contains(&capability) {
                    needed.push(capability);
                }
            }
            control.evidence.sort_unstable();
            control.evidence.dedup();
            control.status = if !control.evidence.is_empty() {
                Status::Fail
            } else if !needed.is_empty() {
                control.note = Some(format!(
                    "needs a {}",
                    needed.iter().map(|c| capability_name(*c)).collect::<Vec<_>>().join(" and ")
                ));
                Status::NotAssessed
            } else {
                Status::Pass
            };
            control
        })
        .collect();
    Checklist {
        framework: spec.id.to_string(),
        title: spec.title.to_string(),
        component: component.to_string(),
        origin: Origin::Derived,
        controls,
        outside: Vec::new(),
    }
}

/// Checklists of a framework for every component of the reports (or the one named), derived
/// from the findings, plus, for specs, every matching compliance report Trivy wrote itself.
pub fn checklists(
    reports: &[Report],
    aggregate: &Aggregate,
    policy: &Policy,
    framework: Framework,
    only: Option<&str>,
) -> Vec<Checklist> {
    let mut out = Vec::new();
    for (component, capabilities) in components(reports, aggregate, policy) {
        if only.is_some_and(|o| o != component) {
            continue;
        }
        // Compliance-only inputs have nothing to derive from.
        if capabilities.is_empty() && !aggregate.entries.iter().any(|e| *e.component == *component)
        {
            continue;
        }
        out.push(match framework {
            Framework::Owasp(year) => {
                owasp_checklist(reports, aggregate, policy, year, &component, &capabilities)
            }
            Framework::Spec(spec) => {
                spec_checklist(reports, aggregate, policy, spec, &component, &capabilities)
            }
        });
    }
    if let Framework::Spec(spec) = framework {
        for (r, report) in reports.iter().enumerate() {
            // trivy-operator names its spec `cis`; its title is the spec's.
            for compliance in report
                .compliance
                .iter()
                .filter(|c| c.spec_id == spec.id || c.title.as_deref() == Some(spec.title))
            {
                let component = report
                    .components
                    .first()
                    .map_or_else(|| report.base_name(), |c| c.name.clone());
                if only.is_some_and(|o| o != component) {
                    continue;
                }
                let controls = compliance
                    .controls
                    .iter()
                    .map(|c| Control {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        description: spec
                            .controls
                            .iter()
                            .find(|s| s.id == c.id)
                            .and_then(|s| s.description.map(String::from)),
                        status: match c.status {
                            ControlStatus::Pass => Status::Pass,
                            ControlStatus::Fail => Status::Fail,
                            ControlStatus::Manual => Status::Manual,
                        },
                        evidence: Vec::new(),
                        note: c
                            .total_fail
                            .filter(|n| *n > 0)
                            .map(|n| format!("{n} failing result(s) in the Trivy report")),
                    })
                    .collect();
                out.push(Checklist {
                    framework: spec.id.to_string(),
                    title: spec.title.to_string(),
                    component,
                    origin: Origin::Report(r),
                    controls,
                    outside: Vec::new(),
                });
            }
        }
    }
    out
}
