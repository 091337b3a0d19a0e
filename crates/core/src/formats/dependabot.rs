//! Dependabot alerts: the REST export (`GET /repos/{o}/{r}/dependabot/alerts`) and the
//! GraphQL shape (`repository.vulnerabilityAlerts.nodes`, severities with `MODERATE`).
//! A CVSS score of 0.0 with no vector means "no score" and is dropped.

use crate::intern::Interner;
use serde::Deserialize;

use super::{github, Format, FormatId, Shape};
use crate::fingerprint::Hasher;
use crate::json::{self, Lenient};
use crate::model::{
    shared, Capability, Cvss, Dates, Finding, FindingKind, FindingList, Help, Location, Package,
    Report, State, Status, Str, Text, ThinVec, Tool,
};
use crate::severity;
use crate::time::Timestamp;
use crate::{cwe, ids};

pub(crate) const REST: Format =
    Format { id: FormatId::DependabotRestAlerts, sniff: sniff_rest, parse: parse_rest };
pub(crate) const GRAPHQL: Format =
    Format { id: FormatId::DependabotGraphql, sniff: sniff_graphql, parse: parse_graphql };

fn sniff_rest(shape: &Shape) -> bool {
    shape.first_element().is_some_and(|o| {
        o.has("security_advisory") || (o.has("security_vulnerability") && o.has("dependency"))
    })
}

fn sniff_graphql(shape: &Shape) -> bool {
    let Shape::Object(o) = shape else { return false };
    o.child("data")
        .and_then(|d| d.child("repository"))
        .is_some_and(|r| r.has("vulnerabilityAlerts"))
}

mod raw {
    use super::*;

    #[derive(Deserialize)]
    pub struct Alert {
        #[serde(default, deserialize_with = "json::string")]
        pub number: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub state: Option<String>,
        pub dependency: Option<Dependency>,
        pub security_advisory: Option<Advisory>,
        pub security_vulnerability: Option<Vulnerability>,
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
        pub auto_dismissed_at: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub dismissed_reason: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub dismissed_comment: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Dependency {
        pub package: Option<PackageRef>,
        #[serde(default, deserialize_with = "json::string")]
        pub manifest_path: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub scope: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub relationship: Option<String>,
    }

    #[derive(Deserialize, Default, Clone)]
    pub struct PackageRef {
        #[serde(default, deserialize_with = "json::string")]
        pub ecosystem: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
    }

    // REST writes snake_case, GraphQL camelCase: snake_case names with camelCase aliases.
    #[derive(Deserialize, Default)]
    pub struct Advisory {
        #[serde(default, alias = "ghsaId", deserialize_with = "json::string")]
        pub ghsa_id: Option<String>,
        #[serde(default, alias = "cveId", deserialize_with = "json::string")]
        pub cve_id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub summary: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub description: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub identifiers: Vec<Identifier>,
        #[serde(default, deserialize_with = "json::vec")]
        pub references: Vec<Reference>,
        #[serde(default, alias = "publishedAt", deserialize_with = "json::string")]
        pub published_at: Option<String>,
        pub cvss: Option<CvssScore>,
        pub cvss_severities: Option<CvssSeverities>,
        pub epss: Option<Epss>,
        #[serde(default, deserialize_with = "json::vec")]
        pub cwes: Vec<CweRef>,
    }

    #[derive(Deserialize, Default)]
    pub struct Identifier {
        #[serde(default, deserialize_with = "json::string")]
        pub value: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Reference {
        #[serde(default, deserialize_with = "json::string")]
        pub url: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct CvssScore {
        #[serde(default, alias = "vectorString", deserialize_with = "json::string")]
        pub vector_string: Option<String>,
        #[serde(default, deserialize_with = "json::number")]
        pub score: Option<f64>,
    }

    #[derive(Deserialize, Default)]
    pub struct CvssSeverities {
        pub cvss_v3: Option<CvssScore>,
        pub cvss_v4: Option<CvssScore>,
    }

    #[derive(Deserialize, Default)]
    pub struct Epss {
        #[serde(default, deserialize_with = "json::number")]
        pub percentage: Option<f64>,
        #[serde(default, deserialize_with = "json::number")]
        pub percentile: Option<f64>,
    }

    #[derive(Deserialize, Default)]
    pub struct CweRef {
        #[serde(default, alias = "cweId", deserialize_with = "json::string")]
        pub cwe_id: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Vulnerability {
        pub package: Option<PackageRef>,
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(default, alias = "vulnerableVersionRange", deserialize_with = "json::string")]
        pub vulnerable_version_range: Option<String>,
        #[serde(alias = "firstPatchedVersion")]
        pub first_patched_version: Option<Patched>,
        pub advisory: Option<Advisory>,
    }

    #[derive(Deserialize, Default)]
    pub struct Patched {
        #[serde(default, deserialize_with = "json::string")]
        pub identifier: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct GraphqlDocument {
        pub data: GraphqlData,
    }

    #[derive(Deserialize)]
    pub struct GraphqlData {
        pub repository: GraphqlRepository,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct GraphqlRepository {
        #[serde(default, deserialize_with = "json::string")]
        pub name_with_owner: Option<String>,
        pub vulnerability_alerts: GraphqlAlerts,
    }

    #[derive(Deserialize)]
    pub struct GraphqlAlerts {
        #[serde(default, deserialize_with = "json::vec")]
        pub nodes: Vec<Lenient<GraphqlAlert>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct GraphqlAlert {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub number: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub state: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub created_at: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub dismissed_at: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub fixed_at: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub dismiss_reason: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub vulnerable_manifest_path: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub vulnerable_requirements: Option<String>,
        pub security_vulnerability: Option<Vulnerability>,
    }
}

struct Common<'a> {
    repository: &'a str,
    number: Option<String>,
    state: Option<String>,
    reason: Option<String>,
    package: raw::PackageRef,
    version: Option<String>,
    manifest: Option<String>,
    advisory: raw::Advisory,
    severity: Option<String>,
    range: Option<String>,
    patched: Option<String>,
    dates: Dates,
}

fn finding(c: Common<'_>) -> Finding {
    let a = &c.advisory;
    let mut f = Finding::new(
        FindingKind::DependencyAlert,
        severity::dependabot(c.severity.as_deref().or(a.severity.as_deref()).unwrap_or("")),
    );
    for id in a
        .ghsa_id
        .iter()
        .chain(&a.cve_id)
        .chain(a.identifiers.iter().filter_map(|i| i.value.as_ref()))
    {
        let mut found = ThinVec::new();
        ids::extract(id, &mut found);
        if found.is_empty() {
            found.push(id.clone());
        }
        for id in found {
            if !f.vuln_ids.contains(&id) {
                f.vuln_ids.push(id);
            }
        }
    }
    f.rule_id = shared(f.vuln_ids.first().cloned());
    f.title = shared(a.summary.clone());
    f.help = Help::new(None, a.description.clone());
    let name = c.package.name.clone().unwrap_or_default();
    f.message = Text {
        text: Some(format!(
            "{} in {name} {}",
            a.summary.as_deref().unwrap_or("vulnerability"),
            c.range.as_deref().unwrap_or("")
        )),
        markdown: None,
    };
    f.package = Some(Box::new(Package {
        ecosystem: c.package.ecosystem.clone().map(|e| e.to_ascii_lowercase()),
        name: name.clone(),
        version: c.version.clone(),
        fixed_versions: c.patched.clone().into_iter().collect(),
        purl: None,
        path: c.manifest.clone(),
    }));
    if let Some(manifest) = &c.manifest {
        f.locations
            .push(Location { uri: Some(Str::from(manifest.as_str())), ..Location::default() });
    }
    f.references = a.references.iter().filter_map(|r| r.url.clone()).collect();
    let mut add_cvss = |version: &str, s: &Option<raw::CvssScore>| {
        if let Some(s) = s {
            // 0.0 with no vector is GitHub's "no score".
            if s.vector_string.is_some() || s.score.is_some_and(|x| x > 0.0) {
                f.cvss.push(Cvss {
                    source: "github".into(),
                    version: Some(version.to_string().into()),
                    vector: s.vector_string.clone(),
                    score: s.score.filter(|x| *x > 0.0),
                });
            }
        }
    };
    match &a.cvss_severities {
        Some(sev) => {
            add_cvss("3", &sev.cvss_v3);
            add_cvss("4.0", &sev.cvss_v4);
        }
        None => add_cvss("3", &a.cvss),
    }
    f.epss =
        a.epss.as_ref().and_then(|e| Some(Box::new((e.percentage?, e.percentile.unwrap_or(0.0)))));
    f.cwes = a.cwes.iter().filter_map(|c| c.cwe_id.as_deref().and_then(cwe::parse)).collect();
    cwe::normalise(&mut f.cwes);
    let state = c.state.as_deref().map(str::to_ascii_lowercase);
    f.status = Status {
        state: match state.as_deref() {
            Some("fixed") => State::Fixed,
            Some("dismissed" | "auto_dismissed") => State::Dismissed,
            _ => State::Open,
        },
        raw: state.clone(),
        justification: c.reason.clone(),
    };
    f.set_dates(Dates {
        published: a.published_at.as_deref().and_then(Timestamp::parse),
        ..c.dates
    });
    if let Some(number) = &c.number {
        f.tool_fingerprints.push(("alert number".into(), number.clone()));
    }
    // Within a repository the alert number is the identity; without one, the advisory in
    // the package and manifest (FORMATS.md §4).
    f.fingerprint = match &c.number {
        Some(number) => Hasher::new("dependabot:alert").part(c.repository).part(number).finish(),
        None => Hasher::new("dependabot")
            .part(c.repository)
            .opt(a.ghsa_id.as_deref().or(f.vuln_ids.first().map(String::as_str)))
            .opt(c.package.ecosystem.as_deref().map(str::to_ascii_lowercase).as_deref())
            .part(&name)
            .opt(c.manifest.as_deref())
            .finish(),
    };
    f
}

fn parse_rest(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let alerts: Vec<Lenient<raw::Alert>> = match crate::json::from_str(text) {
        Ok(a) => a,
        Err(e) => return super::structure_error(report, "the Dependabot alerts", &e),
    };
    report.tools.push(Tool { name: "Dependabot".into(), version: None });
    report.covers(Capability::Sca);
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
        let vulnerability = a.security_vulnerability.unwrap_or_default();
        let dependency = a.dependency.unwrap_or_default();
        let mut f = finding(Common {
            repository: &repository,
            number: a.number,
            state: a.state,
            reason: github::justification(a.dismissed_reason, a.dismissed_comment),
            package: dependency.package.or(vulnerability.package).unwrap_or_default(),
            version: None,
            manifest: dependency.manifest_path,
            advisory: a.security_advisory.unwrap_or_default(),
            severity: vulnerability.severity,
            range: vulnerability.vulnerable_version_range,
            patched: vulnerability.first_patched_version.and_then(|p| p.identifier),
            dates: Dates {
                created: a.created_at.as_deref().and_then(Timestamp::parse),
                updated: a.updated_at.as_deref().and_then(Timestamp::parse),
                fixed: a.fixed_at.as_deref().and_then(Timestamp::parse),
                dismissed: a
                    .dismissed_at
                    .as_deref()
                    .or(a.auto_dismissed_at.as_deref())
                    .and_then(Timestamp::parse),
                published: None,
            },
        });
        for (k, v) in [("scope", dependency.scope), ("relationship", dependency.relationship)] {
            if let Some(v) = v {
                f.properties.push((k.into(), v));
            }
        }
        f.references.extend(a.html_url);
        report.findings.add(f);
    }
}

fn parse_graphql(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let doc: raw::GraphqlDocument = match crate::json::from_str(text) {
        Ok(d) => d,
        Err(e) => return super::structure_error(report, "the Dependabot GraphQL answer", &e),
    };
    report.tools.push(Tool { name: "Dependabot".into(), version: None });
    report.covers(Capability::Sca);
    let mut alerts = Vec::new();
    for (i, node) in doc.data.repository.vulnerability_alerts.nodes.into_iter().enumerate() {
        if let Some(a) = super::element(
            node,
            "alert",
            || format!("data.repository.vulnerabilityAlerts.nodes[{i}]"),
            report,
        ) {
            alerts.push(a);
        }
    }
    let repository = github::component(
        report,
        doc.data.repository.name_with_owner.map(|n| format!("github.com/{n}")),
    );
    for a in alerts {
        let mut vulnerability = a.security_vulnerability.unwrap_or_default();
        let version = a
            .vulnerable_requirements
            .as_deref()
            .map(|r| r.trim_start_matches(['=', ' ']).to_string());
        report.findings.add(finding(Common {
            repository: &repository,
            number: a.number.or(a.id),
            state: a.state,
            reason: a.dismiss_reason,
            package: vulnerability.package.take().unwrap_or_default(),
            version,
            manifest: a.vulnerable_manifest_path,
            advisory: vulnerability.advisory.take().unwrap_or_default(),
            severity: vulnerability.severity,
            range: vulnerability.vulnerable_version_range,
            patched: vulnerability.first_patched_version.and_then(|p| p.identifier),
            dates: Dates {
                created: a.created_at.as_deref().and_then(Timestamp::parse),
                fixed: a.fixed_at.as_deref().and_then(Timestamp::parse),
                dismissed: a.dismissed_at.as_deref().and_then(Timestamp::parse),
                ..Dates::default()
            },
        }));
    }
}
