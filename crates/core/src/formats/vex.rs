//! VEX documents: OpenVEX JSON and CycloneDX VEX. They hold no findings, only statements
//! that a vulnerability does not affect a product (or is fixed in it); `aggregate` applies
//! them to matching findings.

use crate::intern::Interner;
use serde::Deserialize;

use super::{Format, FormatId, Shape};
use crate::json::{self, Lenient};
use crate::model::{Diagnostic, Report, Tool, VexStatement, VexStatus};
use crate::time::Timestamp;

pub(crate) const OPENVEX: Format =
    Format { id: FormatId::OpenVex, sniff: sniff_openvex, parse: parse_openvex };
pub(crate) const CYCLONEDX: Format =
    Format { id: FormatId::CycloneDxVex, sniff: sniff_cyclonedx, parse: parse_cyclonedx };

fn sniff_openvex(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(o) if o.has("statements") && o.scalar("@context").is_some_and(|c| c.contains("openvex")))
}

fn sniff_cyclonedx(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(o) if o.scalar("bomFormat") == Some("CycloneDX") && o.has("vulnerabilities"))
}

mod raw {
    use super::*;

    #[derive(Deserialize)]
    pub struct OpenVex {
        #[serde(default, deserialize_with = "json::string")]
        pub author: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub timestamp: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub statements: Vec<Lenient<Statement>>,
    }

    #[derive(Deserialize)]
    pub struct Statement {
        pub vulnerability: Option<NameOrObject>,
        #[serde(default, deserialize_with = "json::vec")]
        pub products: Vec<NameOrObject>,
        #[serde(default, deserialize_with = "json::vec")]
        pub subcomponents: Vec<NameOrObject>,
        #[serde(default, deserialize_with = "json::string")]
        pub status: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub justification: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub impact_statement: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub action_statement: Option<String>,
    }

    /// OpenVEX 0.0.x writes plain strings, 0.2 objects with `name` or `@id`.
    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum NameOrObject {
        Name(String),
        Object {
            #[serde(default)]
            name: Option<String>,
            #[serde(default, rename = "@id")]
            id: Option<String>,
            #[serde(default)]
            identifiers: Option<serde_json::Value>,
        },
    }

    #[derive(Deserialize)]
    pub struct CycloneDx {
        pub metadata: Option<Metadata>,
        #[serde(default, deserialize_with = "json::vec")]
        pub vulnerabilities: Vec<Lenient<Vulnerability>>,
    }

    #[derive(Deserialize, Default)]
    pub struct Metadata {
        #[serde(default, deserialize_with = "json::string")]
        pub timestamp: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Vulnerability {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        pub analysis: Option<Analysis>,
        #[serde(default, deserialize_with = "json::vec")]
        pub affects: Vec<Affects>,
    }

    #[derive(Deserialize, Default)]
    pub struct Analysis {
        #[serde(default, deserialize_with = "json::string")]
        pub state: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub justification: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub detail: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Affects {
        #[serde(default, rename = "ref", deserialize_with = "json::string")]
        pub reference: Option<String>,
    }
}

impl raw::NameOrObject {
    fn text(self) -> Option<String> {
        match self {
            raw::NameOrObject::Name(name) => Some(name),
            raw::NameOrObject::Object { name, id, identifiers } => name.or(id).or_else(|| {
                // `identifiers: {"purl": "pkg:…"}`
                identifiers.and_then(|i| i.get("purl").and_then(|p| p.as_str()).map(String::from))
            }),
        }
    }
}

fn openvex_status(status: &str) -> Option<VexStatus> {
    match status {
        "not_affected" => Some(VexStatus::NotAffected),
        "fixed" => Some(VexStatus::Fixed),
        "affected" => Some(VexStatus::Affected),
        "under_investigation" => Some(VexStatus::UnderInvestigation),
        _ => None,
    }
}

fn parse_openvex(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let doc: raw::OpenVex = match json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => return super::structure_error(report, "the OpenVEX document", &e),
    };
    report.tools.push(Tool { name: "OpenVEX".into(), version: doc.author.clone() });
    report.scan_time = doc.timestamp.as_deref().and_then(Timestamp::parse);
    for (i, statement) in doc.statements.into_iter().enumerate() {
        let at = format!("statements[{i}]");
        let Some(s) = super::element(statement, "statement", || at.clone(), report) else {
            continue;
        };
        let (Some(vulnerability), Some(status)) =
            (s.vulnerability.and_then(|v| v.text()), s.status.as_deref().and_then(openvex_status))
        else {
            report.diagnostics.push(
                Diagnostic::warning("statement without a vulnerability or a known status skipped")
                    .at(at),
            );
            continue;
        };
        report.vex.push(VexStatement {
            vulnerability,
            products: s.products.into_iter().filter_map(|p| p.text()).collect(),
            subcomponents: s.subcomponents.into_iter().filter_map(|p| p.text()).collect(),
            status,
            justification: [s.justification, s.impact_statement, s.action_statement]
                .into_iter()
                .flatten()
                .reduce(|a, b| format!("{a}: {b}")),
        });
    }
}

fn parse_cyclonedx(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let doc: raw::CycloneDx = match json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => return super::structure_error(report, "the CycloneDX VEX document", &e),
    };
    report.tools.push(Tool { name: "CycloneDX VEX".into(), version: None });
    report.scan_time = doc.metadata.and_then(|m| m.timestamp).as_deref().and_then(Timestamp::parse);
    for (i, vulnerability) in doc.vulnerabilities.into_iter().enumerate() {
        let at = format!("vulnerabilities[{i}]");
        let Some(v) = super::element(vulnerability, "vulnerability", || at.clone(), report) else {
            continue;
        };
        let analysis = v.analysis.unwrap_or_default();
        let status = match analysis.state.as_deref() {
            Some("not_affected" | "false_positive") => VexStatus::NotAffected,
            Some("resolved" | "resolved_with_pedigree") => VexStatus::Fixed,
            Some("exploitable") => VexStatus::Affected,
            Some("in_triage") | None => VexStatus::UnderInvestigation,
            Some(other) => {
                report.diagnostics.push(
                    Diagnostic::warning(format!(
                        "unknown analysis state {other:?}: statement skipped"
                    ))
                    .at(at),
                );
                continue;
            }
        };
        let Some(id) = v.id else {
            report
                .diagnostics
                .push(Diagnostic::warning("vulnerability without an id skipped").at(at));
            continue;
        };
        report.vex.push(VexStatement {
            vulnerability: id,
            products: Vec::new(),
            subcomponents: v.affects.into_iter().filter_map(|a| a.reference).collect(),
            status,
            justification: [analysis.justification, analysis.detail]
                .into_iter()
                .flatten()
                .reduce(|a, b| format!("{a}: {b}")),
        });
    }
}
