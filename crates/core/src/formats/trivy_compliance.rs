//! Compliance reports as Trivy writes them: `trivy --compliance` JSON (`--report all` with
//! per-control results, or `--report summary` with `TotalFail`) and trivy-operator's
//! `ClusterComplianceReport` resource. Controls whose name says "Manual" have no automated
//! check and are kept as manual, never as passed.

use crate::intern::Interner;
use serde::Deserialize;

use super::{Format, FormatId, Shape};
use crate::checks;
use crate::json::{self, Lenient};
use crate::model::{
    ComplianceReport, Component, ComponentKind, ControlResult, ControlStatus, Diagnostic, Report,
    Tool,
};
use crate::time::Timestamp;

pub(crate) const COMPLIANCE: Format = Format { id: FormatId::TrivyComplianceJson, sniff, parse };
pub(crate) const OPERATOR: Format =
    Format { id: FormatId::TrivyOperatorCr, sniff: sniff_operator, parse: parse_operator };

fn sniff(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(o) if o.has("ID") && o.has("Title") && (o.has("SummaryControls") || o.child("Results").is_some_and(|r| r.has("Name"))))
}

fn sniff_operator(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(o) if o.scalar("apiVersion").is_some_and(|v| v.starts_with("aquasecurity.github.io/"))
        && o.scalar("kind").is_some_and(|k| k.ends_with("ComplianceReport")))
}

mod raw {
    use super::*;

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Document {
        #[serde(rename = "ID", default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub title: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub results: Vec<Lenient<Control>>,
        #[serde(default, deserialize_with = "json::vec")]
        pub summary_controls: Vec<Lenient<SummaryControl>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Control {
        #[serde(rename = "ID", default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub default_status: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub results: Vec<ControlTarget>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "PascalCase")]
    pub struct ControlTarget {
        #[serde(default, deserialize_with = "json::vec")]
        pub misconfigurations: Vec<Entry>,
        #[serde(default, deserialize_with = "json::vec")]
        pub vulnerabilities: Vec<Entry>,
        #[serde(default, deserialize_with = "json::vec")]
        pub secrets: Vec<Entry>,
    }

    #[derive(Deserialize, Default)]
    pub struct Entry {
        #[serde(rename = "ID", default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(rename = "AVDID", default, deserialize_with = "json::string")]
        pub avd_id: Option<String>,
        #[serde(rename = "VulnerabilityID", default, deserialize_with = "json::string")]
        pub vulnerability_id: Option<String>,
        #[serde(rename = "RuleID", default, deserialize_with = "json::string")]
        pub rule_id: Option<String>,
        #[serde(rename = "Status", default, deserialize_with = "json::string")]
        pub status: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct SummaryControl {
        #[serde(rename = "ID", default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(default, deserialize_with = "json::uint")]
        pub total_fail: Option<u32>,
    }

    #[derive(Deserialize)]
    pub struct Resource {
        pub metadata: Option<Metadata>,
        pub spec: Option<Spec>,
        pub status: Option<ResourceStatus>,
    }

    #[derive(Deserialize, Default)]
    pub struct Metadata {
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Spec {
        pub compliance: Option<SpecCompliance>,
    }

    #[derive(Deserialize, Default)]
    pub struct SpecCompliance {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub title: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub controls: Vec<Lenient<SpecControl>>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct SpecControl {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub checks: Vec<CheckRef>,
        #[serde(default, deserialize_with = "json::string")]
        pub default_status: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct CheckRef {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct ResourceStatus {
        #[serde(default, deserialize_with = "json::string")]
        pub update_timestamp: Option<String>,
        pub detail_report: Option<DetailReport>,
    }

    #[derive(Deserialize, Default)]
    pub struct DetailReport {
        #[serde(default, deserialize_with = "json::vec")]
        pub results: Vec<Lenient<DetailResult>>,
    }

    #[derive(Deserialize, Default)]
    pub struct DetailResult {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub checks: Vec<DetailCheck>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct DetailCheck {
        #[serde(rename = "checkID", default, deserialize_with = "json::string")]
        pub check_id: Option<String>,
        pub success: Option<bool>,
    }
}

fn is_manual(name: &str) -> bool {
    name.contains("Manual")
}

fn parse(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let doc: raw::Document = match crate::json::from_str(text) {
        Ok(d) => d,
        Err(e) => return super::structure_error(report, "the compliance report", &e),
    };
    report.tools.push(Tool { name: "Trivy".into(), version: None });
    report.components.push(Component {
        name: report.base_name(),
        kind: ComponentKind::Other,
        identity: vec![("source".into(), "file name".into())],
    });
    report.diagnostics.push(Diagnostic::info(
        "Trivy compliance JSON carries no scan time and does not name what was scanned",
    ));
    let mut controls = Vec::new();
    for (i, control) in doc.results.into_iter().enumerate() {
        let Some(control) = super::element(control, "control", || format!("Results[{i}]"), report)
        else {
            continue;
        };
        let name = control.name.unwrap_or_default();
        let mut failed = Vec::new();
        for target in &control.results {
            for entry in target
                .misconfigurations
                .iter()
                .chain(&target.vulnerabilities)
                .chain(&target.secrets)
            {
                if entry.status.as_deref().is_none_or(|s| s.eq_ignore_ascii_case("FAIL")) {
                    let id = entry
                        .avd_id
                        .as_deref()
                        .or(entry.id.as_deref())
                        .or(entry.vulnerability_id.as_deref())
                        .or(entry.rule_id.as_deref())
                        .unwrap_or("");
                    failed.push(checks::canonical(id));
                }
            }
        }
        let status = if is_manual(&name) {
            ControlStatus::Manual
        } else if failed.is_empty() {
            match control.default_status.as_deref() {
                Some(s) if s.eq_ignore_ascii_case("FAIL") && control.results.is_empty() => {
                    ControlStatus::Fail
                }
                _ => ControlStatus::Pass,
            }
        } else {
            ControlStatus::Fail
        };
        let total_fail = (!is_manual(&name)).then_some(failed.len() as u32);
        failed.sort();
        failed.dedup();
        controls.push(ControlResult {
            id: control.id.unwrap_or_default(),
            name,
            severity: control.severity,
            status,
            total_fail,
            checks: failed,
        });
    }
    for (i, control) in doc.summary_controls.into_iter().enumerate() {
        let Some(control) =
            super::element(control, "control", || format!("SummaryControls[{i}]"), report)
        else {
            continue;
        };
        let name = control.name.unwrap_or_default();
        let status = match control.total_fail {
            _ if is_manual(&name) => ControlStatus::Manual,
            None => ControlStatus::Manual,
            Some(0) => ControlStatus::Pass,
            Some(_) => ControlStatus::Fail,
        };
        controls.push(ControlResult {
            id: control.id.unwrap_or_default(),
            name,
            severity: control.severity,
            status,
            total_fail: control.total_fail,
            checks: Vec::new(),
        });
    }
    report.compliance.push(ComplianceReport {
        spec_id: doc.id.unwrap_or_default(),
        title: doc.title,
        controls,
    });
}

fn parse_operator(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let doc: raw::Resource = match crate::json::from_str(text) {
        Ok(d) => d,
        Err(e) => return super::structure_error(report, "the trivy-operator resource", &e),
    };
    report.tools.push(Tool { name: "trivy-operator".into(), version: None });
    let status = doc.status.unwrap_or_default();
    report.scan_time = status.update_timestamp.as_deref().and_then(Timestamp::parse);
    let name = doc.metadata.and_then(|m| m.name).unwrap_or_else(|| report.base_name());
    report.components.push(Component {
        name,
        kind: ComponentKind::Cluster,
        identity: vec![("source".into(), "resource name".into())],
    });
    let spec = doc.spec.and_then(|s| s.compliance).unwrap_or_default();
    let details: Vec<raw::DetailResult> = status
        .detail_report
        .map(|d| d.results.into_iter().filter_map(|r| r.0.ok()).collect())
        .unwrap_or_default();
    let mut controls = Vec::new();
    for (i, control) in spec.controls.into_iter().enumerate() {
        let Some(control) =
            super::element(control, "control", || format!("spec.compliance.controls[{i}]"), report)
        else {
            continue;
        };
        let name = control.name.clone().unwrap_or_default();
        let checks: Vec<String> =
            control.checks.iter().filter_map(|c| c.id.as_deref()).map(checks::canonical).collect();
        // Controls can share an id (aws-cis-1.4 has two `1.4`): match by position first.
        let detail = details
            .get(i)
            .filter(|d| d.id == control.id)
            .or_else(|| details.iter().find(|d| d.id == control.id));
        let failed: Vec<String> = detail
            .into_iter()
            .flat_map(|d| &d.checks)
            .filter(|c| c.success == Some(false))
            .map(|c| c.check_id.as_deref().map(checks::canonical).unwrap_or_default())
            .collect();
        // k8s-nsa gives some check-less controls `defaultStatus: FAIL`, and Trivy reports them so.
        let status = if checks.is_empty()
            && control.default_status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("FAIL"))
        {
            ControlStatus::Fail
        } else if is_manual(&name) || checks.is_empty() {
            ControlStatus::Manual
        } else if failed.is_empty() {
            ControlStatus::Pass
        } else {
            ControlStatus::Fail
        };
        if detail.is_none() && status != ControlStatus::Manual {
            report.diagnostics.push(Diagnostic::warning(format!("control {} has no result in status.detailReport: shown as passed by the operator's own rule", control.id.as_deref().unwrap_or("?"))));
        }
        controls.push(ControlResult {
            id: control.id.unwrap_or_default(),
            name,
            severity: control.severity,
            status,
            total_fail: (status != ControlStatus::Manual).then_some(failed.len() as u32),
            checks,
        });
    }
    report.compliance.push(ComplianceReport {
        spec_id: spec.id.unwrap_or_default(),
        title: spec.title,
        controls,
    });
}
