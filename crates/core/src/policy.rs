//! The policy file, `scanlens.toml`: the gate threshold, what counts, how findings map to
//! components, and ignore rules (each with a justification and an optional expiry).
//!
//! ```toml
//! [gate]
//! fail_on = "high"                  # critical, high (default), medium, low, info, unknown
//! kinds = ["vulnerability", "code"] # which kinds count (default: all)
//! states = ["open"]                 # which states count (default: open)
//!
//! [[component]]                     # first matching rule names the component
//! name = "api"
//! image = "ghcr.io/acme/api*"       # glob on the component the scanner named
//! artifact = "**/api-*.sarif"       # glob on the input's file name
//! path_prefix = "services/api/"     # prefix of the finding's path
//! category = "/language:go"         # SARIF automationDetails category
//!
//! [[ignore]]                        # every matcher given must match
//! vulnerability = "CVE-2023-44487"  # any id or alias
//! rule = "G104"
//! path = "vendor/**"
//! package = "golang.org/x/net"
//! component = "api"
//! justification = "HTTP/2 is off in this service"   # required
//! expires = "2027-01-31"                              # optional: afterwards it stops applying
//! ```
//!
//! Anything unknown or malformed is an error with its line and column, never a rule
//! silently ignored.

use std::fmt;

use serde::Deserialize;

use crate::glob::Glob;
use crate::model::{Component, Finding, FindingKind, Report, State};
use crate::severity::Severity;
use crate::time::Timestamp;

/// A parsed, validated policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// Findings at or above this severity fail the gate.
    pub fail_on: Severity,
    /// The kinds that count; `None` is all.
    pub kinds: Option<Vec<FindingKind>>,
    /// The states that count.
    pub states: Vec<State>,
    /// Component mapping rules, first match wins.
    pub components: Vec<ComponentRule>,
    /// Ignore rules.
    pub ignores: Vec<IgnoreRule>,
    /// SHA-256 of the policy text, for the evidence manifest (empty for the default policy).
    pub sha256: String,
}

impl Default for Policy {
    /// High and critical open findings of every kind fail; nothing is ignored.
    fn default() -> Policy {
        Policy {
            fail_on: Severity::High,
            kinds: None,
            states: vec![State::Open],
            components: Vec::new(),
            ignores: Vec::new(),
            sha256: String::new(),
        }
    }
}

/// Maps matching findings to a named component.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentRule {
    /// The component name to give.
    pub name: String,
    /// Glob on the input's file name (archive members: `artifact.zip/path`).
    pub artifact: Option<Glob>,
    /// Glob on the component name the scanner gave (an image reference, a repository).
    pub image: Option<Glob>,
    /// Prefix of the finding's first path.
    pub path_prefix: Option<String>,
    /// SARIF category (`automationDetails.id` up to its last `/`).
    pub category: Option<String>,
    /// Line of the rule in the policy file.
    pub line: usize,
}

/// Excuses matching findings from the gate, with a reason, until it expires.
#[derive(Clone, Debug, PartialEq)]
pub struct IgnoreRule {
    /// A vulnerability id or alias (`CVE-…`, `GHSA-…`, `GO-…`), case-insensitive.
    pub vulnerability: Option<String>,
    /// A rule or check id, exact.
    pub rule: Option<String>,
    /// Glob on the finding's path.
    pub path: Option<Glob>,
    /// A package name, exact.
    pub package: Option<String>,
    /// A component name (after mapping), exact.
    pub component: Option<String>,
    /// Why it is acceptable: required.
    pub justification: String,
    /// When it stops applying (the end of that day, UTC).
    pub expires: Option<Timestamp>,
    /// Line of the rule in the policy file (0 for a decision made in the page).
    pub line: usize,
    /// One finding only: its fingerprint (`Finding::fingerprint`), as triage records it.
    pub fingerprint: Option<u64>,
    /// A triage decision's status and who made it, when the rule is one.
    pub triage: Option<(crate::triage::Status, String)>,
}

impl IgnoreRule {
    /// Whether the rule matches a finding in a component (expiry aside).
    pub fn matches(&self, finding: &Finding, component: &str) -> bool {
        self.vulnerability
            .as_ref()
            .is_none_or(|id| finding.vuln_ids.iter().any(|v| v.eq_ignore_ascii_case(id)))
            && self.rule.as_ref().is_none_or(|r| finding.rule_id.as_deref() == Some(r.as_str()))
            && self.path.as_ref().is_none_or(|g| finding.path().is_some_and(|p| g.matches(p)))
            && self
                .package
                .as_ref()
                .is_none_or(|p| finding.package.as_ref().is_some_and(|pkg| pkg.name == *p))
            && self.component.as_ref().is_none_or(|c| c == component)
            && self.fingerprint.is_none_or(|f| finding.fingerprint == f)
    }

    /// Whether the rule has expired by `now`.
    pub fn expired(&self, now: Timestamp) -> bool {
        self.expires.is_some_and(|end| now > end)
    }
}

impl Policy {
    /// The component a finding belongs to: the first matching mapping rule, else the name
    /// the scanner gave.
    pub fn component_name<'a>(
        &'a self,
        report: &Report,
        component: &'a Component,
        finding: &Finding,
    ) -> &'a str {
        let category =
            component.identity.iter().find(|(k, _)| k == "category").map(|(_, v)| v.as_str());
        self.components
            .iter()
            .find(|rule| {
                (rule.artifact.is_some()
                    || rule.image.is_some()
                    || rule.path_prefix.is_some()
                    || rule.category.is_some())
                    && rule.artifact.as_ref().is_none_or(|g| g.matches(&report.file_name))
                    && rule.image.as_ref().is_none_or(|g| g.matches(&component.name))
                    && rule.path_prefix.as_ref().is_none_or(|p| {
                        finding.path().is_some_and(|path| path.starts_with(p.as_str()))
                    })
                    && rule.category.as_ref().is_none_or(|c| category == Some(c.as_str()))
            })
            .map(|rule| rule.name.as_str())
            .unwrap_or(&component.name)
    }

    /// Whether findings of this kind count for the gate.
    pub fn counts_kind(&self, kind: FindingKind) -> bool {
        self.kinds.as_ref().is_none_or(|kinds| kinds.contains(&kind))
    }
}

/// What is wrong with a policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyError {
    /// Not valid TOML, or a key or value of the wrong shape.
    Syntax {
        /// What is wrong.
        message: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
    },
    /// Valid TOML whose content makes no sense (an unknown severity, a missing justification).
    Invalid {
        /// What is wrong.
        message: String,
        /// 1-based line of the table it is in.
        line: usize,
    },
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::Syntax { message, line: Some(line), column: Some(column) } => {
                write!(f, "line {line}, column {column}: {message}")
            }
            PolicyError::Syntax { message, .. } => f.write_str(message),
            PolicyError::Invalid { message, line } => write!(f, "line {line}: {message}"),
        }
    }
}

mod raw {
    use super::*;

    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        #[serde(default)]
        pub gate: Gate,
        #[serde(default)]
        pub component: Vec<Component>,
        #[serde(default)]
        pub ignore: Vec<Ignore>,
    }

    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    pub struct Gate {
        pub fail_on: Option<String>,
        pub kinds: Option<Vec<String>>,
        pub states: Option<Vec<String>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Component {
        pub name: String,
        pub artifact: Option<String>,
        pub image: Option<String>,
        pub path_prefix: Option<String>,
        pub category: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Ignore {
        pub vulnerability: Option<String>,
        pub rule: Option<String>,
        pub path: Option<String>,
        pub package: Option<String>,
        pub component: Option<String>,
        pub justification: Option<String>,
        pub expires: Option<String>,
        pub fingerprint: Option<String>,
        pub status: Option<String>,
        pub by: Option<String>,
    }
}

/// A TOML error with the best position we can give: basic-toml places an unknown key at
/// its table's header, so the key itself is looked up in the text.
fn syntax_error(text: &str, e: &basic_toml::Error) -> PolicyError {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    let message = match message.find(" for key `") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let (mut line, mut column) = match e.line_col() {
        Some((l, c)) => (Some(l + 1), Some(c + 1)),
        None => (None, None),
    };
    if let Some(key) =
        message.strip_prefix("unknown field `").and_then(|rest| rest.split('`').next())
    {
        let found = text.lines().enumerate().find_map(|(i, l)| {
            let trimmed = l.trim_start();
            let after = trimmed.strip_prefix(key)?;
            after.trim_start().starts_with('=').then(|| (i + 1, l.len() - trimmed.len() + 1))
        });
        if let Some((l, c)) = found {
            (line, column) = (Some(l), Some(c));
        }
    }
    PolicyError::Syntax { message, line, column }
}

/// 1-based lines of each `[[name]]` header, in order.
fn header_lines(text: &str, name: &str) -> Vec<usize> {
    let header = format!("[[{name}]]");
    text.lines().enumerate().filter(|(_, l)| l.trim() == header).map(|(i, _)| i + 1).collect()
}

const STATES: [State; 5] =
    [State::Open, State::Fixed, State::Dismissed, State::Suppressed, State::NotAffected];

/// Parses and validates a policy file.
pub fn parse(text: &str) -> Result<Policy, PolicyError> {
    let file: raw::File = basic_toml::from_str(text).map_err(|e| syntax_error(text, &e))?;
    let gate_line = text.lines().position(|l| l.trim() == "[gate]").map_or(1, |i| i + 1);
    let invalid = |message: String, line: usize| PolicyError::Invalid { message, line };
    let mut policy = Policy { sha256: crate::sha256_hex(text.as_bytes()), ..Policy::default() };
    if let Some(s) = &file.gate.fail_on {
        policy.fail_on = Severity::parse(s).ok_or_else(|| {
            invalid(
                format!(
                    "fail_on {s:?} is not a severity (critical, high, medium, low, info, unknown)"
                ),
                gate_line,
            )
        })?;
    }
    if let Some(kinds) = &file.gate.kinds {
        let parsed = kinds
            .iter()
            .map(|k| FindingKind::ALL.iter().copied().find(|kind| kind.as_str() == k).ok_or_else(|| invalid(format!("kinds: {k:?} is not a kind (vulnerability, code, misconfiguration, secret, license, dependency-alert)"), gate_line)))
            .collect::<Result<Vec<_>, _>>()?;
        policy.kinds = Some(parsed);
    }
    if let Some(states) = &file.gate.states {
        policy.states = states
            .iter()
            .map(|s| STATES.iter().copied().find(|state| state.as_str() == s).ok_or_else(|| invalid(format!("states: {s:?} is not a state (open, fixed, dismissed, suppressed, not-affected)"), gate_line)))
            .collect::<Result<Vec<_>, _>>()?;
    }
    let component_lines = header_lines(text, "component");
    for (i, c) in file.component.into_iter().enumerate() {
        let line = component_lines.get(i).copied().unwrap_or(1);
        if c.artifact.is_none()
            && c.image.is_none()
            && c.path_prefix.is_none()
            && c.category.is_none()
        {
            return Err(invalid(format!("component {:?} has nothing to match on (artifact, image, path_prefix or category)", c.name), line));
        }
        policy.components.push(ComponentRule {
            name: c.name,
            artifact: c.artifact.as_deref().map(Glob::new),
            image: c.image.as_deref().map(Glob::new),
            path_prefix: c.path_prefix,
            category: c.category,
            line,
        });
    }
    let ignore_lines = header_lines(text, "ignore");
    for (i, rule) in file.ignore.into_iter().enumerate() {
        let line = ignore_lines.get(i).copied().unwrap_or(1);
        let justification =
            rule.justification.filter(|j| !j.trim().is_empty()).ok_or_else(|| {
                invalid(
                    "ignore rule without a justification: say why it is acceptable".into(),
                    line,
                )
            })?;
        if rule.vulnerability.is_none()
            && rule.rule.is_none()
            && rule.path.is_none()
            && rule.package.is_none()
            && rule.component.is_none()
            && rule.fingerprint.is_none()
        {
            return Err(invalid("ignore rule matches everything: give vulnerability, rule, path, package, component or fingerprint".into(), line));
        }
        let fingerprint = match &rule.fingerprint {
            None => None,
            Some(f) => {
                Some(u64::from_str_radix(f, 16).ok().filter(|_| f.len() == 16).ok_or_else(
                    || invalid(format!("fingerprint {f:?} is not 16 hex digits"), line),
                )?)
            }
        };
        let triage = match &rule.status {
            None => None,
            Some(s) => {
                let status = crate::triage::Status::parse(s)
                    .filter(|s| s.excuses())
                    .ok_or_else(|| invalid(format!("status {s:?} is not one that excuses a finding (false-positive, accepted-risk, not-affected)"), line))?;
                Some((status, rule.by.clone().unwrap_or_default()))
            }
        };
        let expires = match &rule.expires {
            None => None,
            // A date alone lasts to the end of that day.
            Some(s) if s.len() == 10 => {
                Some(Timestamp::parse(s).map(|t| Timestamp(t.0 + 86_400_000 - 1)).ok_or_else(
                    || invalid(format!("expires {s:?} is not a date (YYYY-MM-DD)"), line),
                )?)
            }
            Some(s) => Some(Timestamp::parse(s).ok_or_else(|| {
                invalid(format!("expires {s:?} is not a date (YYYY-MM-DD) or RFC 3339 time"), line)
            })?),
        };
        policy.ignores.push(IgnoreRule {
            vulnerability: rule.vulnerability,
            rule: rule.rule,
            path: rule.path.as_deref().map(Glob::new),
            package: rule.package,
            component: rule.component,
            justification,
            expires,
            line,
            fingerprint,
            triage,
        });
    }
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_policy_parses() {
        let p = parse(
            r#"
[gate]
fail_on = "medium"
kinds = ["vulnerability", "secret"]

[[component]]
name = "api"
image = "ghcr.io/acme/api*"

[[ignore]]
vulnerability = "cve-2023-44487"
justification = "HTTP/2 is off"
expires = "2027-01-31"
"#,
        )
        .unwrap();
        assert_eq!(p.fail_on, Severity::Medium);
        assert_eq!(p.kinds, Some(vec![FindingKind::Vulnerability, FindingKind::Secret]));
        assert_eq!(p.states, [State::Open]);
        assert_eq!((p.components[0].name.as_str(), p.components[0].line), ("api", 6));
        let rule = &p.ignores[0];
        assert_eq!(rule.line, 10);
        assert_eq!(
            rule.expires.map(|t| t.to_string()).as_deref(),
            Some("2027-01-31T23:59:59.999Z")
        );
        assert!(!rule.expired(Timestamp::parse("2027-01-31T12:00:00Z").unwrap()));
        assert!(rule.expired(Timestamp::parse("2027-02-01T00:00:00Z").unwrap()));
        assert_eq!(p.sha256.len(), 64);
    }

    #[test]
    fn bad_policies_say_where() {
        let cases = [
            ("[gate]\nfail_on = \"severe\"\n", "line 1: fail_on \"severe\" is not a severity (critical, high, medium, low, info, unknown)"),
            ("[gate]\nfail-on = \"high\"\n", "line 2, column 1: unknown field `fail-on`, expected one of `fail_on`, `kinds`, `states`"),
            ("\n[[ignore]]\nvulnerability = \"CVE-1\"\n", "line 2: ignore rule without a justification: say why it is acceptable"),
            ("[[ignore]]\njustification = \"because\"\n", "line 1: ignore rule matches everything: give vulnerability, rule, path, package, component or fingerprint"),
            ("[[ignore]]\nrule = \"G104\"\njustification = \"x\"\nexpires = \"soon\"\n", "line 1: expires \"soon\" is not a date (YYYY-MM-DD) or RFC 3339 time"),
            ("[gate\n", "line 1, column 6: expected a right bracket, found a newline"),
            ("[[component]]\nname = \"x\"\n", "line 1: component \"x\" has nothing to match on (artifact, image, path_prefix or category)"),
        ];
        for (text, want) in cases {
            let err = parse(text).expect_err(text).to_string();
            assert!(err.starts_with(want), "{text:?}: got {err:?}, want {want:?}");
        }
    }
}
