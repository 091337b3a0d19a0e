//! GitHub code-scanning alerts (`GET /repos/{o}/{r}/code-scanning/alerts`): severity from
//! `rule.security_severity_level`, else the rule's SARIF-level `severity`; state
//! open/dismissed/fixed; identity is the repository and the alert number. Python dumps
//! that wrote `"None"` for null are read as null.

use crate::intern::Interner;
use serde::Deserialize;

use super::{github, Format, FormatId, Shape};
use crate::fingerprint::Hasher;
use crate::json::{self, Lenient};
use crate::model::{
    shared, Capability, Dates, Finding, FindingKind, FindingList, Help, Location, Region, Report,
    State, Status, Text, Tool,
};
use crate::time::Timestamp;
use crate::{cwe, severity};

pub(crate) const FORMAT: Format =
    Format { id: FormatId::GithubCodeScanningRestAlerts, sniff, parse };

fn sniff(shape: &Shape) -> bool {
    shape
        .first_element()
        .is_some_and(|o| o.has("rule") && (o.has("most_recent_instance") || o.has("tool")))
}

mod raw {
    use super::*;

    #[derive(Deserialize)]
    pub struct Alert {
        #[serde(default, deserialize_with = "json::string")]
        pub number: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub state: Option<String>,
        pub rule: Option<Rule>,
        pub tool: Option<ToolRef>,
        pub most_recent_instance: Option<Instance>,
        #[serde(default, deserialize_with = "json::string")]
        pub url: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub html_url: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub created_at: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub updated_at: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub fixed_at: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub dismissed_at: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub dismissed_reason: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub dismissed_comment: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Rule {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub security_severity_level: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub description: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub full_description: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub help: Option<String>,
        #[serde(default, deserialize_with = "json::strings")]
        pub tags: Vec<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct ToolRef {
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub version: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Instance {
        #[serde(default, deserialize_with = "json::string")]
        pub r#ref: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub category: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub commit_sha: Option<String>,
        pub message: Option<Message>,
        pub location: Option<InstanceLocation>,
    }

    #[derive(Deserialize, Default)]
    pub struct Message {
        #[serde(default, deserialize_with = "json::string")]
        pub text: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct InstanceLocation {
        #[serde(default, deserialize_with = "json::string")]
        pub path: Option<String>,
        #[serde(default, deserialize_with = "json::uint")]
        pub start_line: Option<u32>,
        #[serde(default, deserialize_with = "json::uint")]
        pub end_line: Option<u32>,
        #[serde(default, deserialize_with = "json::uint")]
        pub start_column: Option<u32>,
        #[serde(default, deserialize_with = "json::uint")]
        pub end_column: Option<u32>,
    }
}

fn parse(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let alerts: Vec<Lenient<raw::Alert>> = match crate::json::from_str(text) {
        Ok(a) => a,
        Err(e) => return super::structure_error(report, "the code-scanning alerts", &e),
    };
    let mut ok = Vec::new();
    for (i, alert) in alerts.into_iter().enumerate() {
        if let Some(a) = super::element(alert, "alert", || format!("[{i}]"), report) {
            ok.push(a);
        }
    }
    let repository = ok
        .iter()
        .find_map(|a| a.url.as_deref().or(a.html_url.as_deref()).and_then(github::repository));
    let repository = github::component(report, repository);
    for a in ok {
        let tool = a
            .tool
            .as_ref()
            .map(|t| Tool {
                name: t.name.clone().unwrap_or_else(|| "code scanning".into()),
                version: t.version.clone(),
            })
            .unwrap_or(Tool { name: "code scanning".into(), version: None });
        let tool_index = match report.tools.iter().position(|t| *t == tool) {
            Some(i) => i,
            None => {
                report.tools.push(tool);
                report.covers(Capability::Sast);
                report.tools.len() - 1
            }
        };
        let rule = a.rule.unwrap_or_default();
        let instance = a.most_recent_instance.unwrap_or_default();
        let mut f = Finding::new(
            FindingKind::Code,
            severity::code_scanning(
                rule.security_severity_level.as_deref(),
                rule.severity.as_deref(),
            ),
        );
        f.tool = tool_index;
        f.rule_id = shared(rule.id.clone());
        f.title = shared(rule.description.clone());
        f.help = Help::new(rule.full_description.clone(), rule.help.clone());
        f.message = Text { text: instance.message.and_then(|m| m.text), markdown: None };
        f.cwes = rule
            .tags
            .iter()
            .filter(|t| cwe::mentions_cwe(t))
            .filter_map(|t| cwe::parse(t))
            .collect();
        cwe::normalise(&mut f.cwes);
        for tag in &rule.tags {
            f.properties.push(("tag".into(), tag.clone()));
        }
        if let Some(loc) = instance.location {
            f.locations.push(Location {
                uri: shared(loc.path),
                region: loc.start_line.map(|s| Region {
                    start_line: Some(s),
                    end_line: loc.end_line,
                    start_column: loc.start_column,
                    end_column: loc.end_column,
                }),
                ..Location::default()
            });
        }
        for (k, v) in [
            ("category", instance.category),
            ("ref", instance.r#ref),
            ("commit", instance.commit_sha),
        ] {
            if let Some(v) = v {
                f.properties.push((k.into(), v));
            }
        }
        let state = a.state.as_deref().map(str::to_ascii_lowercase);
        f.status = Status {
            state: match state.as_deref() {
                Some("fixed") => State::Fixed,
                Some("dismissed") => State::Dismissed,
                _ => State::Open,
            },
            raw: state.clone(),
            justification: github::justification(a.dismissed_reason, a.dismissed_comment),
        };
        f.set_dates(Dates {
            created: a.created_at.as_deref().and_then(Timestamp::parse),
            updated: a.updated_at.as_deref().and_then(Timestamp::parse),
            fixed: a.fixed_at.as_deref().and_then(Timestamp::parse),
            dismissed: a.dismissed_at.as_deref().and_then(Timestamp::parse),
            published: None,
        });
        f.references.extend(a.html_url);
        if let Some(n) = &a.number {
            f.tool_fingerprints.push(("alert number".into(), n.clone()));
        }
        f.fingerprint = match &a.number {
            Some(n) => Hasher::new("code-scanning").part(&repository).part(n).finish(),
            None => Hasher::new("code-scanning:rule")
                .part(&repository)
                .opt(rule.id.as_deref())
                .opt(f.path())
                .opt(f.message.text.as_deref())
                .finish(),
        };
        report.findings.add(f);
    }
}
