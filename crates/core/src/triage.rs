//! Triage: a person's decision about one finding (false positive, accepted risk, not
//! affected, will fix), with a justification, a name and an optional expiry, keyed by the
//! finding's fingerprint so it follows the finding from build to build.
//!
//! The page keeps decisions in the browser (IndexedDB) and gives them to the session, where
//! every decision but "will fix" becomes an ignore rule of one finding ([`Decision::rule`]):
//! the gate honours it exactly as it honours a policy file's rule, and says who decided
//! what. Decisions leave the browser as policy-file ignore rules ([`policy_rules`]) and as an
//! OpenVEX document ([`openvex`]); either, dropped back, gives the decisions back
//! ([`from_policy`], [`from_vex`]) and the gate honours it on its own too.

use serde::{Deserialize, Serialize};

use crate::policy::{IgnoreRule, Policy};
use crate::time::Timestamp;

/// What was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The tool is wrong: there is no issue.
    FalsePositive,
    /// The issue is real and accepted, for now.
    AcceptedRisk,
    /// The vulnerable code is not present or not reachable.
    NotAffected,
    /// The issue is real and will be fixed: it still fails the gate.
    WillFix,
}

impl Status {
    /// Every status, in the order the page offers them.
    pub const ALL: [Status; 4] =
        [Status::FalsePositive, Status::AcceptedRisk, Status::NotAffected, Status::WillFix];

    /// `false-positive`, `accepted-risk`, `not-affected`, `will-fix`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::FalsePositive => "false-positive",
            Status::AcceptedRisk => "accepted-risk",
            Status::NotAffected => "not-affected",
            Status::WillFix => "will-fix",
        }
    }

    /// For people: `false positive`.
    pub fn label(self) -> &'static str {
        match self {
            Status::FalsePositive => "false positive",
            Status::AcceptedRisk => "accepted risk",
            Status::NotAffected => "not affected",
            Status::WillFix => "will fix",
        }
    }

    /// The status named `text`.
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether it excuses the finding from the gate ("will fix" does not).
    pub fn excuses(self) -> bool {
        self != Status::WillFix
    }
}

/// One decision about one finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The finding's fingerprint, 16 hex digits.
    pub fingerprint: String,
    /// What was decided.
    pub status: Status,
    /// Why: required.
    pub justification: String,
    /// Who decided: required.
    pub by: String,
    /// When it was decided (RFC 3339), when known.
    pub at: Option<String>,
    /// The last day it applies (`YYYY-MM-DD`), if it expires.
    pub expires: Option<String>,
    /// The finding's component, for readers and VEX products.
    pub component: String,
    /// The vulnerability id, when it is one (VEX needs it).
    pub vulnerability: Option<String>,
    /// The rule id, for readers.
    pub rule: Option<String>,
    /// The package URL or name, for VEX subcomponents.
    pub package: Option<String>,
    /// The finding's title, for readers.
    pub title: String,
}

impl Decision {
    /// Whether it can be kept: a fingerprint, a justification, a name, a valid expiry.
    pub fn check(&self) -> Result<(), String> {
        if self.fingerprint.len() != 16 || u64::from_str_radix(&self.fingerprint, 16).is_err() {
            return Err(format!("fingerprint {:?} is not 16 hex digits", self.fingerprint));
        }
        if self.justification.trim().is_empty() {
            return Err("say why: a decision needs a justification".into());
        }
        if self.by.trim().is_empty() {
            return Err("say who: a decision needs a name".into());
        }
        if let Some(e) = &self.expires {
            if e.len() != 10 || Timestamp::parse(e).is_none() {
                return Err(format!("expires {e:?} is not a date (YYYY-MM-DD)"));
            }
        }
        Ok(())
    }

    /// The ignore rule that carries it into the gate; `None` for "will fix" (still fails).
    pub fn rule(&self) -> Option<IgnoreRule> {
        if !self.status.excuses() {
            return None;
        }
        Some(IgnoreRule {
            vulnerability: None,
            rule: None,
            path: None,
            package: None,
            component: None,
            justification: self.justification.clone(),
            // A date lasts to the end of that day, as in a policy file.
            expires: self
                .expires
                .as_deref()
                .and_then(Timestamp::parse)
                .map(|t| Timestamp(t.0 + 86_400_000 - 1)),
            line: 0,
            fingerprint: u64::from_str_radix(&self.fingerprint, 16).ok(),
            triage: Some((self.status, self.by.clone())),
        })
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The decisions that excuse as `[[ignore]]` rules, to append to a `scanlens.toml`.
pub fn policy_rules(decisions: &[Decision]) -> String {
    let mut out = String::from(
        "# Triage decisions exported by scanlens: one finding each, by fingerprint.\n# Append to scanlens.toml, or drop this file on the page to bring the decisions back.\n",
    );
    for d in decisions.iter().filter(|d| d.status.excuses()) {
        out.push_str(&format!(
            "\n# {} in {}\n[[ignore]]\nfingerprint = {}\ncomponent = {}\nstatus = {}\nby = {}\njustification = {}\n",
            d.title.replace('\n', " "),
            d.component.replace('\n', " "),
            toml_string(&d.fingerprint),
            toml_string(&d.component),
            toml_string(d.status.as_str()),
            toml_string(&d.by),
            toml_string(&d.justification),
        ));
        if let Some(e) = &d.expires {
            out.push_str(&format!("expires = {}\n", toml_string(e)));
        }
    }
    out
}

/// The decisions found in a policy file's rules (those with a fingerprint and a status).
pub fn from_policy(policy: &Policy) -> Vec<Decision> {
    policy
        .ignores
        .iter()
        .filter_map(|rule| {
            let (status, by) = rule.triage.clone()?;
            Some(Decision {
                fingerprint: crate::fingerprint::to_hex(rule.fingerprint?),
                status,
                justification: rule.justification.clone(),
                by,
                at: None,
                expires: rule.expires.map(|t| t.date()),
                component: rule.component.clone().unwrap_or_default(),
                vulnerability: rule.vulnerability.clone(),
                rule: rule.rule.clone(),
                package: rule.package.clone(),
                title: String::new(),
            })
        })
        .collect()
}

/// The marker that ends a scanlens statement's impact or action statement.
const MARK: &str = "[scanlens triage ";

/// The decisions about vulnerabilities as an OpenVEX v0.2.0 document. Not affected and false
/// positive are `not_affected` (with the reason as impact statement); accepted risk and will
/// fix are `affected` with an action statement. Each statement ends with a marker that gives
/// the decision back when the document is dropped on the page again.
pub fn openvex(decisions: &[Decision], generated: Timestamp) -> String {
    let statements: Vec<serde_json::Value> = decisions
        .iter()
        .filter_map(|d| {
            let vulnerability = d.vulnerability.as_ref()?;
            let marker = format!(
                "{MARK}{} by {} fingerprint {}{}]",
                d.status.as_str(),
                d.by,
                d.fingerprint,
                d.expires.as_ref().map(|e| format!(" expires {e}")).unwrap_or_default()
            );
            let mut statement = serde_json::json!({
                "vulnerability": { "name": vulnerability },
                "products": [{
                    "@id": d.component,
                    "subcomponents": d.package.iter().map(|p| serde_json::json!({ "@id": p })).collect::<Vec<_>>(),
                }],
                "timestamp": d.at.clone().unwrap_or_else(|| generated.to_string()),
            });
            let text = format!("{}: {} {marker}", d.status.label(), d.justification);
            match d.status {
                Status::FalsePositive | Status::NotAffected => {
                    statement["status"] = "not_affected".into();
                    statement["impact_statement"] = text.into();
                }
                Status::AcceptedRisk | Status::WillFix => {
                    statement["status"] = "affected".into();
                    statement["action_statement"] = text.into();
                }
            }
            Some(statement)
        })
        .collect();
    let id = crate::sha256_hex(serde_json::to_string(&statements).unwrap_or_default().as_bytes());
    let document = serde_json::json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": format!("https://openvex.dev/docs/scanlens/{}", &id[..32]),
        "author": "scanlens triage",
        "timestamp": generated.to_string(),
        "version": 1,
        "tooling": format!("scanlens {}", crate::report::VERSION),
        "statements": statements,
    });
    let mut out = serde_json::to_string_pretty(&document).expect("plain data");
    out.push('\n');
    out
}

/// The decisions a VEX document written by [`openvex`] carries.
pub fn from_vex(report: &crate::Report) -> Vec<Decision> {
    report
        .vex
        .iter()
        .filter_map(|s| {
            let text = s.justification.as_deref()?;
            let start = text.rfind(MARK)?;
            let marker = text[start + MARK.len()..].strip_suffix(']')?;
            let (status, rest) = marker.split_once(" by ")?;
            let (by, rest) = rest.rsplit_once(" fingerprint ")?;
            let (fingerprint, expires) = match rest.split_once(" expires ") {
                Some((f, e)) => (f, Some(e.to_string())),
                None => (rest, None),
            };
            let status = Status::parse(status)?;
            let justification = text[..start]
                .trim_end()
                .strip_prefix(&format!("{}: ", status.label()))
                .unwrap_or(&text[..start])
                .trim()
                .to_string();
            let decision = Decision {
                fingerprint: fingerprint.to_string(),
                status,
                justification,
                by: by.to_string(),
                at: None,
                expires,
                component: s.products.first().cloned().unwrap_or_default(),
                vulnerability: Some(s.vulnerability.clone()),
                rule: None,
                package: s.subcomponents.first().cloned(),
                title: String::new(),
            };
            decision.check().ok().map(|()| decision)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(status: Status) -> Decision {
        Decision {
            fingerprint: "00ff00ff00ff00ff".into(),
            status,
            justification: "only \"parsed\" from our own lock file".into(),
            by: "Ada Lovelace".into(),
            at: Some("2026-11-27T12:00:00.000Z".into()),
            expires: Some("2027-06-30".into()),
            component: "shop-web".into(),
            vulnerability: Some("CVE-2022-25883".into()),
            rule: None,
            package: Some("pkg:npm/semver@7.5.1".into()),
            title: "semver: ReDoS".into(),
        }
    }

    /// What every export carries back: fingerprint, status, name, reason and expiry.
    fn assert_same(sent: &Decision, back: &Decision) {
        assert_eq!(back.fingerprint, sent.fingerprint);
        assert_eq!((back.status, back.by.as_str()), (sent.status, sent.by.as_str()));
        assert_eq!(back.justification, sent.justification);
        assert_eq!(back.expires, sent.expires);
    }

    #[test]
    fn exported_policy_rules_read_back_as_the_same_decisions() {
        let all: Vec<Decision> = Status::ALL.into_iter().map(decision).collect();
        let text = format!("[gate]\nfail_on = \"high\"\n\n{}", policy_rules(&all));
        let policy = crate::policy::parse(&text).unwrap();
        // "Will fix" does not excuse: it is not a rule.
        assert_eq!(policy.ignores.len(), 3);
        let back = from_policy(&policy);
        for (d, b) in all.iter().zip(&back) {
            assert_same(d, b);
            assert_eq!(b.component, d.component);
        }
        assert!(
            policy.ignores[0].triage.is_some()
                && policy.ignores[0].fingerprint == Some(0x00ff00ff00ff00ff)
        );
    }

    #[test]
    fn openvex_round_trips_through_the_vex_reader() {
        let all: Vec<Decision> = Status::ALL.into_iter().map(decision).collect();
        let text = openvex(&all, Timestamp::parse("2026-11-27T12:00:00Z").unwrap());
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["@context"], "https://openvex.dev/ns/v0.2.0");
        let statuses: Vec<&str> = value["statements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["not_affected", "affected", "not_affected", "affected"]);
        let reports = crate::ingest("triage.openvex.json", text.as_bytes());
        assert_eq!(reports[0].vex.len(), 4, "{:?}", reports[0].diagnostics);
        let back = from_vex(&reports[0]);
        assert_eq!(back.len(), 4);
        for (d, b) in all.iter().zip(&back) {
            assert_same(d, b);
            assert_eq!(b.vulnerability, d.vulnerability);
        }
    }

    #[test]
    fn a_decision_needs_a_reason_a_name_and_a_real_expiry() {
        let mut d = decision(Status::AcceptedRisk);
        assert_eq!(d.check(), Ok(()));
        d.by = " ".into();
        assert_eq!(d.check(), Err("say who: a decision needs a name".into()));
        d.by = "x".into();
        d.expires = Some("next year".into());
        assert!(d.check().unwrap_err().contains("not a date"));
        assert!(decision(Status::WillFix).rule().is_none());
        let rule = decision(Status::FalsePositive).rule().unwrap();
        assert_eq!(rule.expires.unwrap().to_string(), "2027-06-30T23:59:59.999Z");
    }
}
