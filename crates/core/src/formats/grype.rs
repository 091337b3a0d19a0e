//! Grype JSON (0.7 to today): `matches[]` with the vulnerability, related records, the
//! package (`artifact`), fix state, CVSS, EPSS, KEV and risk; `ignoredMatches` are kept as
//! non-findings, never counted. A missing severity is unknown.

use crate::intern::Interner;
use serde::Deserialize;

use super::{take, Format, FormatId, Shape};
use crate::fingerprint::Hasher;
use crate::json::{self, Lenient};
use crate::model::{
    shared, Capability, Component, ComponentKind, Cvss, Diagnostic, Finding, FindingKind,
    FindingList, Help, Location, Outcome, Package, Report, Status, Str, Text, ThinVec, Tool,
};
use crate::severity;
use crate::time::Timestamp;
use crate::{cwe, ids};

pub(crate) const FORMAT: Format = Format { id: FormatId::GrypeJson, sniff, parse };

fn sniff(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(o) if o.has("matches") && (o.has("source") || o.has("descriptor")))
}

mod raw {
    use super::*;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Document {
        #[serde(default, deserialize_with = "json::vec")]
        pub matches: Vec<Lenient<Match>>,
        #[serde(default, deserialize_with = "json::vec")]
        pub ignored_matches: Vec<Lenient<IgnoredMatch>>,
        pub source: Option<Lenient<Source>>,
        pub distro: Option<Lenient<Distro>>,
        pub descriptor: Option<Lenient<Descriptor>>,
    }

    #[derive(Deserialize, Default)]
    pub struct Source {
        #[serde(default, deserialize_with = "json::string")]
        pub r#type: Option<String>,
        pub target: Option<serde_json::Value>,
    }

    #[derive(Deserialize, Default)]
    pub struct Distro {
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub version: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Descriptor {
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub version: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub timestamp: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Match {
        pub vulnerability: Vulnerability,
        #[serde(default, deserialize_with = "json::vec")]
        pub related_vulnerabilities: Vec<Vulnerability>,
        pub artifact: Artifact,
    }

    #[derive(Deserialize)]
    pub struct IgnoredMatch {
        pub vulnerability: Vulnerability,
        pub artifact: Artifact,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct Vulnerability {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub data_source: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub namespace: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(default, deserialize_with = "json::strings")]
        pub urls: Vec<String>,
        #[serde(default, deserialize_with = "json::strings")]
        pub links: Vec<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub description: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub cvss: Vec<CvssEntry>,
        #[serde(default, deserialize_with = "json::vec")]
        pub epss: Vec<Epss>,
        #[serde(default, deserialize_with = "json::vec")]
        pub known_exploited: Vec<serde::de::IgnoredAny>,
        #[serde(default, deserialize_with = "json::vec")]
        pub cwes: Vec<CweEntry>,
        pub fix: Option<Fix>,
        #[serde(default, deserialize_with = "json::number")]
        pub risk: Option<f64>,
    }

    #[derive(Deserialize, Default)]
    pub struct CvssEntry {
        #[serde(default, deserialize_with = "json::string")]
        pub source: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub version: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub vector: Option<String>,
        pub metrics: Option<Metrics>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct Metrics {
        #[serde(default, deserialize_with = "json::number")]
        pub base_score: Option<f64>,
    }

    #[derive(Deserialize, Default)]
    pub struct Epss {
        #[serde(default, deserialize_with = "json::number")]
        pub epss: Option<f64>,
        #[serde(default, deserialize_with = "json::number")]
        pub percentile: Option<f64>,
    }

    #[derive(Deserialize, Default)]
    pub struct CweEntry {
        #[serde(default, deserialize_with = "json::string")]
        pub cwe: Option<String>,
    }

    #[derive(Deserialize, Default, Clone)]
    pub struct Fix {
        #[serde(default, deserialize_with = "json::strings")]
        pub versions: Vec<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub state: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Artifact {
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub version: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub r#type: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub purl: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub locations: Vec<ArtifactLocation>,
    }

    #[derive(Deserialize, Default)]
    pub struct ArtifactLocation {
        #[serde(default, deserialize_with = "json::string")]
        pub path: Option<String>,
    }
}

fn parse(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let doc: raw::Document = match crate::json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => return super::structure_error(report, "the Grype report", &e),
    };
    let descriptor = take(doc.descriptor, "descriptor", report);
    report.tools.push(Tool {
        name: descriptor.name.unwrap_or_else(|| "grype".into()),
        version: descriptor.version.filter(|v| v != "[not provided]"),
    });
    report.covers(Capability::Sca);
    report.scan_time = descriptor.timestamp.as_deref().and_then(Timestamp::parse);
    let source = take(doc.source, "source", report);
    let distro = take(doc.distro, "distro", report);
    let component = component(&source, &distro, &report.base_name());
    let subject = component.name.clone();
    report.components.push(component);

    for (i, m) in doc.matches.into_iter().enumerate() {
        if let Some(m) = super::element(m, "match", || format!("matches[{i}]"), report) {
            report.findings.add(finding(
                m.vulnerability,
                &m.related_vulnerabilities,
                m.artifact,
                &subject,
            ));
        }
    }
    let ignored = doc.ignored_matches.len();
    for (i, m) in doc.ignored_matches.into_iter().enumerate() {
        match m.0 {
            Ok(m) => {
                let mut f = finding(m.vulnerability, &[], m.artifact, &subject);
                f.outcome = Outcome::Ignored;
                report.non_findings.add(f);
            }
            Err(e) => report.diagnostics.push(
                Diagnostic::warning(format!("ignored match skipped: {e}"))
                    .at(format!("ignoredMatches[{i}]")),
            ),
        }
    }
    if ignored > 0 {
        report.diagnostics.push(Diagnostic::info(format!("{ignored} matches were ignored by the scan's configuration: kept as non-findings, not counted")));
    }
}

fn component(source: &raw::Source, distro: &raw::Distro, file_name: &str) -> Component {
    let kind = match source.r#type.as_deref() {
        Some("image") => ComponentKind::Image,
        Some("directory" | "file") => ComponentKind::Filesystem,
        _ => ComponentKind::Other,
    };
    let mut identity = Vec::new();
    let name = match &source.target {
        Some(serde_json::Value::String(s)) => s.trim_matches('"').to_string(),
        Some(serde_json::Value::Object(target)) => {
            for key in ["imageID", "manifestDigest"] {
                if let Some(v) = target.get(key).and_then(|v| v.as_str()) {
                    identity.push((key.to_string(), v.to_string()));
                }
            }
            for digest in target
                .get("repoDigests")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str())
            {
                identity.push(("digest".to_string(), digest.to_string()));
            }
            target.get("userInput").and_then(|v| v.as_str()).unwrap_or(file_name).to_string()
        }
        _ => file_name.to_string(),
    };
    if let (Some(n), Some(v)) = (&distro.name, &distro.version) {
        identity.push(("distro".to_string(), format!("{n} {v}")));
    }
    Component { name, kind, identity }
}

fn finding(
    v: raw::Vulnerability,
    related: &[raw::Vulnerability],
    artifact: raw::Artifact,
    subject: &str,
) -> Finding {
    let mut f = Finding::new(FindingKind::Vulnerability, severity::grype(v.severity.as_deref()));
    if let Some(id) = &v.id {
        f.vuln_ids.push(id.clone());
    }
    for r in related {
        if let Some(id) = &r.id {
            if !f.vuln_ids.contains(id) {
                f.vuln_ids.push(id.clone());
            }
        }
    }
    let mut extracted = ThinVec::new();
    for id in &f.vuln_ids {
        ids::extract(id, &mut extracted);
    }
    for id in extracted {
        if !f.vuln_ids.contains(&id) {
            f.vuln_ids.push(id);
        }
    }
    f.rule_id = shared(v.id.clone());
    let package_name = artifact.name.clone().unwrap_or_default();
    f.title =
        shared(Some(format!("{} in {}", v.id.as_deref().unwrap_or("vulnerability"), package_name)));
    let description =
        v.description.clone().or_else(|| related.iter().find_map(|r| r.description.clone()));
    f.help = Help::new(description, None);
    f.message = Text {
        text: Some(format!(
            "{} {} {} is affected by {}",
            artifact.r#type.as_deref().unwrap_or("package"),
            package_name,
            artifact.version.as_deref().unwrap_or(""),
            v.id.as_deref().unwrap_or("a vulnerability")
        )),
        markdown: None,
    };
    let fix = v.fix.clone().unwrap_or_default();
    let paths: Vec<String> = artifact.locations.iter().filter_map(|l| l.path.clone()).collect();
    f.package = Some(Box::new(Package {
        ecosystem: artifact.r#type.clone(),
        name: package_name.clone(),
        version: artifact.version.clone(),
        fixed_versions: fix.versions.iter().cloned().collect(),
        purl: artifact.purl.clone(),
        path: paths.first().cloned(),
    }));
    f.locations = paths
        .iter()
        .map(|p| Location { uri: Some(Str::from(p.as_str())), ..Location::default() })
        .collect();
    if let Some(state) = fix.state.filter(|s| !s.is_empty()) {
        f.properties.push(("fix state".into(), state));
    }
    if let Some(ns) = &v.namespace {
        f.properties.push(("namespace".into(), ns.clone()));
    }
    if let Some(risk) = v.risk {
        f.properties.push(("risk".into(), format!("{risk:.2}")));
    }
    f.references = v.data_source.iter().chain(&v.urls).chain(&v.links).cloned().collect();
    f.references.dedup();
    for entry in v.cvss.iter().chain(related.iter().flat_map(|r| &r.cvss)) {
        f.cvss.push(Cvss {
            source: entry.source.clone().unwrap_or_else(|| "grype".into()),
            version: entry.version.clone().map(std::borrow::Cow::Owned),
            vector: entry.vector.clone(),
            score: entry.metrics.as_ref().and_then(|m| m.base_score),
        });
    }
    f.epss = v.epss.iter().find_map(|e| Some(Box::new((e.epss?, e.percentile.unwrap_or(0.0)))));
    f.kev = !v.known_exploited.is_empty();
    f.cwes = v.cwes.iter().filter_map(|c| c.cwe.as_deref().and_then(cwe::parse)).collect();
    cwe::normalise(&mut f.cwes);
    f.status = Status::open();
    f.fingerprint = Hasher::new("grype")
        .part(subject)
        .opt(v.id.as_deref())
        .part(&package_name)
        .opt(artifact.version.as_deref())
        .opt(artifact.r#type.as_deref())
        .part(&paths.join("\n"))
        .finish();
    f
}
