//! Trivy JSON: `SchemaVersion: 2` reports, the legacy top-level array, and `trivy k8s`
//! output (`ClusterName` with `Resources`, or the older per-kind lists). Vulnerabilities,
//! misconfigurations (`FAIL` is a finding; `PASS`/`EXCEPTION` are kept for compliance),
//! secrets and licenses.

use crate::intern::Interner;
use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::{element, take, Format, FormatId, Shape};
use crate::checks;
use crate::fingerprint::Hasher;
use crate::json::{self, Lenient};
use crate::model::{
    shared, Capability, Component, ComponentKind, Cvss, Cwes, Dates, Diagnostic, Finding,
    FindingKind, FindingList, Help, Location, Outcome, Package, Region, Report, State, Status, Str,
    Text, ThinVec, Tool,
};
use crate::severity;
use crate::time::Timestamp;
use crate::{cwe, ids};

pub(crate) const FORMAT: Format = Format { id: FormatId::TrivyJson, sniff, parse };
pub(crate) const K8S: Format =
    Format { id: FormatId::TrivyK8sJson, sniff: sniff_k8s, parse: parse_k8s };
pub(crate) const LEGACY: Format =
    Format { id: FormatId::TrivyLegacyJson, sniff: sniff_legacy, parse: parse_legacy };

fn sniff(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(o) if o.has("SchemaVersion") || (o.has("ArtifactName") && o.has("Results")) || (o.has("ArtifactName") && o.has("ArtifactType")))
}

fn sniff_k8s(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(o) if o.has("ClusterName"))
}

fn sniff_legacy(shape: &Shape) -> bool {
    shape.first_element().is_some_and(|o| {
        o.has("Target") && (o.has("Vulnerabilities") || o.has("Type") || o.has("Misconfigurations"))
    })
}

mod raw {
    use super::*;

    /// A report's fields but `Results` (read by [`ReportSeed`](super::ReportSeed)).
    #[derive(Default)]
    pub struct Head {
        pub created_at: Option<String>,
        pub artifact_id: Option<String>,
        pub artifact_name: Option<String>,
        pub artifact_type: Option<String>,
        pub metadata: Option<Lenient<Metadata>>,
        pub trivy: Option<Lenient<TrivyInfo>>,
    }

    /// `CweIDs` as numbers, parsed as they are read (no text kept): a list, or a lone id.
    fn cwe_ids<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Cwes, D::Error> {
        #[derive(Deserialize)]
        struct Text<'a>(#[serde(borrow, deserialize_with = "json::cow")] Option<Cow<'a, str>>);
        struct Ids;
        impl<'de> Visitor<'de> for Ids {
            type Value = Cwes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of CWE ids")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Cwes, A::Error> {
                let mut ids = Cwes::new();
                while let Some(Text(text)) = seq.next_element::<Text<'de>>()? {
                    ids.extend(text.as_deref().and_then(cwe::parse));
                }
                Ok(ids)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Cwes, E> {
                Ok(cwe::parse(v).into_iter().collect())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Cwes, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Cwes, E> {
                Ok(Cwes::new())
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Cwes, A::Error> {
                while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                Ok(Cwes::new())
            }
        }
        deserializer.deserialize_any(Ids)
    }

    /// A list field read with [`json::vec`], for seeds that read a map by hand.
    #[derive(Deserialize)]
    #[serde(bound = "T: Deserialize<'de>")]
    pub struct Listed<T>(#[serde(deserialize_with = "json::vec")] pub Vec<T>);

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "PascalCase")]
    pub struct TrivyInfo {
        #[serde(default, deserialize_with = "json::string")]
        pub version: Option<String>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "PascalCase")]
    pub struct Metadata {
        #[serde(rename = "ImageID", default, deserialize_with = "json::string")]
        pub image_id: Option<String>,
        #[serde(default, deserialize_with = "json::strings")]
        pub repo_tags: Vec<String>,
        #[serde(default, deserialize_with = "json::strings")]
        pub repo_digests: Vec<String>,
        #[serde(rename = "RepoURL", default, deserialize_with = "json::string")]
        pub repo_url: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub branch: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub commit: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Result<'a> {
        #[serde(default, deserialize_with = "json::string")]
        pub target: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub r#type: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub class: Option<String>,
        /// The span of input they occupy: converted one by one as they are read again, so a
        /// report of 100,000 vulnerabilities never exists twice, as a tree and as findings.
        #[serde(default, borrow)]
        pub vulnerabilities: Option<&'a serde_json::value::RawValue>,
        #[serde(default, deserialize_with = "json::vec")]
        pub misconfigurations: Vec<Lenient<Misconfiguration>>,
        #[serde(default, deserialize_with = "json::vec")]
        pub secrets: Vec<Lenient<Secret>>,
        #[serde(default, deserialize_with = "json::vec")]
        pub licenses: Vec<Lenient<License>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Vulnerability<'a> {
        #[serde(rename = "VulnerabilityID", default, borrow, deserialize_with = "json::cow")]
        pub vulnerability_id: Option<Cow<'a, str>>,
        #[serde(rename = "VendorIDs", default, deserialize_with = "json::strings")]
        pub vendor_ids: Vec<String>,
        #[serde(rename = "PkgID", default, deserialize_with = "json::string")]
        pub pkg_id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub pkg_name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub pkg_path: Option<String>,
        pub pkg_identifier: Option<PkgIdentifier>,
        #[serde(default, deserialize_with = "json::string")]
        pub installed_version: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub fixed_version: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub status: Option<String>,
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub severity_source: Option<Cow<'a, str>>,
        #[serde(rename = "PrimaryURL", default, deserialize_with = "json::string")]
        pub primary_url: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub fingerprint: Option<String>,
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub title: Option<Cow<'a, str>>,
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub description: Option<Cow<'a, str>>,
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub severity: Option<Cow<'a, str>>,
        #[serde(rename = "CweIDs", default, deserialize_with = "cwe_ids")]
        pub cwe_ids: Cwes,
        #[serde(rename = "CVSS", default)]
        pub cvss: Option<BTreeMap<String, CvssEntry>>,
        #[serde(default, deserialize_with = "json::strings")]
        pub references: ThinVec<String>,
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub published_date: Option<Cow<'a, str>>,
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub last_modified_date: Option<Cow<'a, str>>,
    }

    #[derive(Deserialize, Default)]
    pub struct PkgIdentifier {
        #[serde(rename = "PURL", default, deserialize_with = "json::string")]
        pub purl: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct CvssEntry {
        #[serde(rename = "V2Vector", default, deserialize_with = "json::string")]
        pub v2_vector: Option<String>,
        #[serde(rename = "V2Score", default, deserialize_with = "json::number")]
        pub v2_score: Option<f64>,
        #[serde(rename = "V3Vector", default, deserialize_with = "json::string")]
        pub v3_vector: Option<String>,
        #[serde(rename = "V3Score", default, deserialize_with = "json::number")]
        pub v3_score: Option<f64>,
        #[serde(rename = "V40Vector", default, deserialize_with = "json::string")]
        pub v40_vector: Option<String>,
        #[serde(rename = "V40Score", default, deserialize_with = "json::number")]
        pub v40_score: Option<f64>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Misconfiguration {
        #[serde(default, deserialize_with = "json::string")]
        pub r#type: Option<String>,
        #[serde(rename = "ID", default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(rename = "AVDID", default, deserialize_with = "json::string")]
        pub avd_id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub title: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub description: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub message: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub resolution: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(rename = "PrimaryURL", default, deserialize_with = "json::string")]
        pub primary_url: Option<String>,
        #[serde(default, deserialize_with = "json::strings")]
        pub references: Vec<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub status: Option<String>,
        pub cause_metadata: Option<CauseMetadata>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "PascalCase")]
    pub struct CauseMetadata {
        #[serde(default, deserialize_with = "json::string")]
        pub resource: Option<String>,
        #[serde(default, deserialize_with = "json::uint")]
        pub start_line: Option<u32>,
        #[serde(default, deserialize_with = "json::uint")]
        pub end_line: Option<u32>,
        pub code: Option<Code>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "PascalCase")]
    pub struct Code {
        #[serde(default, deserialize_with = "json::vec")]
        pub lines: Vec<Line>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "PascalCase")]
    pub struct Line {
        #[serde(default, deserialize_with = "json::string")]
        pub content: Option<String>,
        #[serde(default, deserialize_with = "json::flag")]
        pub is_cause: bool,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Secret {
        #[serde(rename = "RuleID", default, deserialize_with = "json::string")]
        pub rule_id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub category: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub title: Option<String>,
        #[serde(default, deserialize_with = "json::uint")]
        pub start_line: Option<u32>,
        #[serde(default, deserialize_with = "json::uint")]
        pub end_line: Option<u32>,
        #[serde(default, deserialize_with = "json::string")]
        pub r#match: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct License {
        #[serde(default, deserialize_with = "json::string")]
        pub severity: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub category: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub pkg_name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub file_path: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub link: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct K8sReport<'a> {
        #[serde(default, deserialize_with = "json::string")]
        pub cluster_name: Option<String>,
        #[serde(default, borrow, deserialize_with = "json::vec")]
        pub resources: Vec<Lenient<Resource<'a>>>,
        #[serde(default, borrow, deserialize_with = "json::vec")]
        pub vulnerabilities: Vec<Lenient<Resource<'a>>>,
        #[serde(default, borrow, deserialize_with = "json::vec")]
        pub misconfigurations: Vec<Lenient<Resource<'a>>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Resource<'a> {
        #[serde(default, deserialize_with = "json::string")]
        pub namespace: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub kind: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, borrow, deserialize_with = "json::vec")]
        pub results: Vec<Result<'a>>,
    }
}

fn trivy_tool(report: &mut Report, version: Option<String>) {
    report.tools.push(Tool { name: "Trivy".into(), version });
}

/// Read once: strictly, each result converted as it is read (and each vulnerability, when
/// the result names its target and type first, as Trivy writes them). A strict failure is
/// read again with every element isolated; the output is the same either way.
fn parse(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let clean = report.clone();
    let end = text.as_ptr() as usize + text.len();
    for strict in [true, false] {
        let mut de = serde_json::Deserializer::from_str(text);
        let read = json::strictly(strict, || {
            ReportSeed { report: &mut *report, end }.deserialize(&mut de)
        })
        .and_then(|()| de.end());
        match read {
            Ok(()) => return,
            Err(_) if strict => *report = clean.clone(),
            Err(e) => {
                *report = clean;
                return super::structure_error(report, "the Trivy report", &e);
            }
        }
    }
}

/// A `SchemaVersion: 2` report.
struct ReportSeed<'r> {
    report: &'r mut Report,
    /// Where the document ends in memory (for [`super::Sizer`]).
    end: usize,
}

impl<'de> DeserializeSeed<'de> for ReportSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ReportSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Trivy report object")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let report = self.report;
        let mut head = raw::Head::default();
        // Results after the artifact's name (Trivy's order) are converted as they are read;
        // before it, they are kept as the span of input they occupy and converted at the end.
        let (mut streamed, mut span) = (None, None);
        let mut sizer = super::Sizer::new(self.end);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "CreatedAt" => head.created_at = map.next_value::<json::Loose>()?.0,
                "ArtifactID" => head.artifact_id = map.next_value::<json::Loose>()?.0,
                "ArtifactName" => head.artifact_name = map.next_value::<json::Loose>()?.0,
                "ArtifactType" => head.artifact_type = map.next_value::<json::Loose>()?.0,
                "Metadata" => head.metadata = map.next_value()?,
                "Trivy" => head.trivy = map.next_value()?,
                "Results" if streamed.is_none() && head.artifact_name.is_some() => {
                    let artifact = head.artifact_name.clone().unwrap_or_default();
                    let seed = ResultsSeed {
                        report: &mut *report,
                        artifact: &artifact,
                        sizer: &mut sizer,
                    };
                    streamed = Some(map.next_value_seed(seed)?);
                }
                "Results" => span = map.next_value::<Option<&'de serde_json::value::RawValue>>()?,
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        let name = head.artifact_name.clone().unwrap_or_else(|| report.base_name());
        let mut results = streamed.unwrap_or(0);
        if let Some(span) = span {
            let seed = ResultsSeed { report: &mut *report, artifact: &name, sizer: &mut sizer };
            results += seed
                .deserialize(&mut serde_json::Deserializer::from_str(span.get()))
                .map_err(de::Error::custom)?;
        }
        finish(head, name, results, report);
        Ok(())
    }
}

/// A report's `Results`, each converted as it is read; yields how many there were.
struct ResultsSeed<'s> {
    report: &'s mut Report,
    artifact: &'s str,
    sizer: &'s mut super::Sizer,
}

impl<'de> DeserializeSeed<'de> for ResultsSeed<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ResultsSeed<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of results")
    }
    fn visit_unit<E: de::Error>(self) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut r = 0;
        loop {
            let seed = ResultSeed {
                report: &mut *self.report,
                artifact: self.artifact,
                path: format!("Results[{r}]"),
                sizer: &mut *self.sizer,
            };
            if seq.next_element_seed(seed)?.is_none() {
                return Ok(r);
            }
            r += 1;
        }
    }
}

/// One result. Its vulnerabilities are converted as they are read when `Target` and `Type`
/// came first; otherwise they are kept as their span, like the other lists, until its end.
struct ResultSeed<'s> {
    report: &'s mut Report,
    artifact: &'s str,
    path: String,
    sizer: &'s mut super::Sizer,
}

impl<'de> DeserializeSeed<'de> for ResultSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResultSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Trivy result object")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let report = self.report;
        let mut result = raw::Result {
            target: None,
            r#type: None,
            class: None,
            vulnerabilities: None,
            misconfigurations: Vec::new(),
            secrets: Vec::new(),
            licenses: Vec::new(),
        };
        let mut streamed = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "Target" => result.target = map.next_value::<json::Loose>()?.0,
                "Type" => result.r#type = map.next_value::<json::Loose>()?.0,
                "Class" => result.class = map.next_value::<json::Loose>()?.0,
                "Vulnerabilities"
                    if streamed.is_none() && result.target.is_some() && result.r#type.is_some() =>
                {
                    let target = target_of(None, &result.target);
                    let seed = Vulnerabilities {
                        report: &mut *report,
                        artifact: self.artifact,
                        target: &target,
                        ecosystem: result.r#type.as_deref(),
                        path: &self.path,
                        sizer: &mut *self.sizer,
                    };
                    let count = map.next_value_seed(seed)?;
                    streamed = Some((target, count));
                }
                "Vulnerabilities" => result.vulnerabilities = map.next_value()?,
                "Misconfigurations" => {
                    result.misconfigurations = map.next_value::<raw::Listed<_>>()?.0
                }
                "Secrets" => result.secrets = map.next_value::<raw::Listed<_>>()?.0,
                "Licenses" => result.licenses = map.next_value::<raw::Listed<_>>()?.0,
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        read_result(result, self.artifact, None, &self.path, report, streamed);
        Ok(())
    }
}

/// The report's tool, scan time and component, once the whole report was read.
fn finish(doc: raw::Head, name: String, results: usize, report: &mut Report) {
    let info = take(doc.trivy, "Trivy", report);
    trivy_tool(report, info.version);
    report.scan_time = doc.created_at.as_deref().and_then(Timestamp::parse);
    let metadata = take(doc.metadata, "Metadata", report);
    let kind = match doc.artifact_type.as_deref() {
        Some("container_image") => ComponentKind::Image,
        Some("repository") => ComponentKind::Repository,
        Some("filesystem") => ComponentKind::Filesystem,
        Some("vm") => ComponentKind::Other,
        _ => ComponentKind::Other,
    };
    let mut identity = Vec::new();
    let mut add = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            identity.push((k.to_string(), v.clone()));
        }
    };
    add("artifact type", &doc.artifact_type);
    add("artifact id", &doc.artifact_id);
    add("image id", &metadata.image_id);
    add("repository", &metadata.repo_url);
    add("branch", &metadata.branch);
    add("commit", &metadata.commit);
    for digest in &metadata.repo_digests {
        identity.push(("digest".into(), digest.clone()));
    }
    for tag in &metadata.repo_tags {
        identity.push(("tag".into(), tag.clone()));
    }
    report.components.push(Component { name, kind, identity });
    if results == 0 {
        report.diagnostics.push(Diagnostic::info(
            "the report has no results: nothing was found to scan, or nothing was found",
        ));
        // Vulnerability scanning is what Trivy does unless told otherwise.
        report.covers(Capability::Sca);
    }
}

fn parse_legacy(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let results: Vec<Lenient<raw::Result>> = match crate::json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => return super::structure_error(report, "the Trivy report", &e),
    };
    trivy_tool(report, None);
    report.diagnostics.push(Diagnostic::info(
        "legacy Trivy JSON (before SchemaVersion 2): no scan time or artifact metadata",
    ));
    let mut named = false;
    for (r, result) in results.into_iter().enumerate() {
        match result.0 {
            Ok(result) => {
                if !named {
                    // The first target names the image: `alpine:3.10 (alpine 3.10.2)`.
                    let target = result.target.clone().unwrap_or_else(|| report.base_name());
                    let name = target.split(" (").next().unwrap_or(&target).to_string();
                    report.components.push(Component {
                        name,
                        kind: ComponentKind::Other,
                        identity: vec![("source".into(), "first target".into())],
                    });
                    named = true;
                }
                let artifact = report.components[0].name.clone();
                read_result(result, &artifact, None, &format!("[{r}]"), report, None);
            }
            Err(e) => report
                .diagnostics
                .push(Diagnostic::warning(format!("result skipped: {e}")).at(format!("[{r}]"))),
        }
    }
}

fn parse_k8s(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let doc: raw::K8sReport = match crate::json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => return super::structure_error(report, "the Trivy Kubernetes report", &e),
    };
    trivy_tool(report, None);
    let cluster = doc.cluster_name.unwrap_or_else(|| report.base_name());
    report.components.push(Component {
        name: cluster.clone(),
        kind: ComponentKind::Cluster,
        identity: Vec::new(),
    });
    let lists = [
        ("Resources", doc.resources),
        ("Vulnerabilities", doc.vulnerabilities),
        ("Misconfigurations", doc.misconfigurations),
    ];
    for (list, resources) in lists {
        for (i, resource) in resources.into_iter().enumerate() {
            let path = format!("{list}[{i}]");
            match resource.0 {
                Ok(resource) => {
                    let id = [
                        resource.namespace.as_deref(),
                        resource.kind.as_deref(),
                        resource.name.as_deref(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("/");
                    for (r, result) in resource.results.into_iter().enumerate() {
                        read_result(
                            result,
                            &cluster,
                            Some(&id),
                            &format!("{path}.Results[{r}]"),
                            report,
                            None,
                        );
                    }
                }
                Err(e) => report
                    .diagnostics
                    .push(Diagnostic::warning(format!("resource skipped: {e}")).at(path)),
            }
        }
    }
}

/// What a result's findings stand on: its target, prefixed by the k8s resource it is in.
fn target_of(resource: Option<&str>, target: &Option<String>) -> Str {
    let target = match (resource, target) {
        (Some(resource), Some(target))
            if target.is_empty() || resource.ends_with(target.as_str()) =>
        {
            resource.to_string()
        }
        (Some(resource), Some(target)) if !target.starts_with(resource) => {
            format!("{resource}: {target}")
        }
        (Some(resource), None) => resource.to_string(),
        (_, target) => target.clone().unwrap_or_default(),
    };
    Str::from(target)
}

/// Converts a result; `streamed` is its target and how many vulnerabilities were already
/// converted as they were read (by [`ResultSeed`]), `None` when none were.
fn read_result(
    result: raw::Result,
    artifact: &str,
    resource: Option<&str>,
    path: &str,
    report: &mut Report,
    streamed: Option<(Str, usize)>,
) {
    let (target, streamed) = match streamed {
        Some((target, count)) => (target, count),
        None => (target_of(resource, &result.target), 0),
    };
    if streamed > 0 {
        report.covers(Capability::Sca);
    }
    match result.class.as_deref() {
        Some("config") => report.covers(Capability::Misconfiguration),
        Some("secret") => report.covers(Capability::Secrets),
        Some("license" | "license-file") => report.covers(Capability::License),
        Some("os-pkgs" | "lang-pkgs") => report.covers(Capability::Sca),
        _ => {}
    }
    if !result.misconfigurations.is_empty() {
        report.covers(Capability::Misconfiguration);
    }
    if !result.secrets.is_empty() {
        report.covers(Capability::Secrets);
    }
    if let Some(span) = result.vulnerabilities {
        let ecosystem = result.r#type.as_deref();
        let read = |report: &mut Report| {
            let end = span.get().as_ptr() as usize + span.get().len();
            let sizer = &mut super::Sizer::new(end);
            let seed =
                Vulnerabilities { report, artifact, target: &target, ecosystem, path, sizer };
            seed.deserialize(&mut serde_json::Deserializer::from_str(span.get()))
        };
        // Strictly first (fast); a bad element read again with every element isolated.
        let (findings, diagnostics) = (report.findings.len(), report.diagnostics.len());
        let read = match json::strictly(true, || read(report)) {
            Ok(count) => Ok(count),
            Err(_) => {
                report.findings.truncate(findings);
                report.diagnostics.truncate(diagnostics);
                json::strictly(false, || read(report))
            }
        };
        match read {
            Ok(0) => {}
            Ok(_) => report.covers(Capability::Sca),
            Err(e) => report.diagnostics.push(
                Diagnostic::warning(format!("vulnerabilities skipped: {e}"))
                    .at(format!("{path}.Vulnerabilities")),
            ),
        }
    }
    for (i, m) in result.misconfigurations.into_iter().enumerate() {
        if let Some(m) =
            element(m, "misconfiguration", || format!("{path}.Misconfigurations[{i}]"), report)
        {
            let finding = misconfiguration(m, artifact, &target);
            if finding.outcome == Outcome::Fail {
                report.findings.add(finding);
            } else {
                report.non_findings.add(finding);
            }
        }
    }
    for (i, s) in result.secrets.into_iter().enumerate() {
        if let Some(s) = element(s, "secret", || format!("{path}.Secrets[{i}]"), report) {
            report.findings.add(secret(s, artifact, &target));
        }
    }
    for (i, l) in result.licenses.into_iter().enumerate() {
        if let Some(l) = element(l, "license", || format!("{path}.Licenses[{i}]"), report) {
            report.findings.add(license(l, artifact, &target));
        }
    }
}

/// A result's `Vulnerabilities`, each converted as it is read; yields how many there were.
struct Vulnerabilities<'a> {
    report: &'a mut Report,
    artifact: &'a str,
    target: &'a Str,
    ecosystem: Option<&'a str>,
    path: &'a str,
    /// One for the whole report: it sizes the findings list for all its results at once.
    sizer: &'a mut super::Sizer,
}

impl<'de> DeserializeSeed<'de> for Vulnerabilities<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Vulnerabilities<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of vulnerabilities")
    }
    fn visit_unit<E: de::Error>(self) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut i = 0;
        while let Some(v) = seq.next_element::<Lenient<raw::Vulnerability<'de>>>()? {
            let at =
                v.0.as_ref().ok().and_then(|v| super::borrowed_at(v.vulnerability_id.as_ref()?));
            self.sizer.saw(at, &mut self.report.findings);
            if let Some(v) = element(
                v,
                "vulnerability",
                || format!("{}.Vulnerabilities[{i}]", self.path),
                self.report,
            ) {
                self.report.findings.add(vulnerability(
                    v,
                    self.artifact,
                    self.target,
                    self.ecosystem,
                ));
            }
            i += 1;
        }
        Ok(i)
    }
}

fn vulnerability(
    v: raw::Vulnerability,
    artifact: &str,
    target: &Str,
    ecosystem: Option<&str>,
) -> Finding {
    // Identity must not depend on Trivy's version: its own `Fingerprint` arrived in v0.68,
    // so the classic key is the fingerprint and Trivy's is kept beside it.
    let fingerprint = Hasher::new("trivy:vuln")
        .part(artifact)
        .part(target)
        .opt(v.vulnerability_id.as_deref())
        .opt(v.pkg_name.as_deref().or(v.pkg_id.as_deref()))
        .opt(v.installed_version.as_deref())
        .opt(v.pkg_path.as_deref())
        .finish();
    let rating =
        severity::trivy(v.severity.as_deref().unwrap_or("UNKNOWN"), v.severity_source.as_deref());
    let mut f = Finding::new(FindingKind::Vulnerability, rating);
    f.fingerprint = fingerprint;
    f.target = Some(target.clone());
    if let Some(id) = &v.vulnerability_id {
        f.vuln_ids.push(id.to_string());
        ids::extract(id, &mut f.vuln_ids);
    }
    for id in v.vendor_ids {
        if !f.vuln_ids.contains(&id) {
            f.vuln_ids.push(id);
        }
    }
    f.message = Text {
        text: v.title.as_deref().or(v.vulnerability_id.as_deref()).map(String::from),
        markdown: None,
    };
    f.rule_id = v.vulnerability_id.as_deref().map(Str::from);
    f.title = v.title.as_deref().map(Str::from);
    f.help = Help { text: v.description.as_deref().map(Str::from), markdown: None };
    f.cwes = v.cwe_ids;
    cwe::normalise(&mut f.cwes);
    let fixed = match v.fixed_version {
        Some(list) if list.contains(',') => {
            list.split(',').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
        }
        Some(one) => smallvec::smallvec![one],
        None => smallvec::SmallVec::new(),
    };
    if let Some(path) = &v.pkg_path {
        f.locations.push(Location { uri: Some(Str::from(path.as_str())), ..Location::default() });
    }
    f.package = Some(Box::new(Package {
        ecosystem: ecosystem.map(String::from),
        name: v.pkg_name.or(v.pkg_id).unwrap_or_default(),
        version: v.installed_version,
        fixed_versions: fixed,
        purl: v.pkg_identifier.and_then(|p| p.purl),
        path: v.pkg_path,
    }));
    // Read as the model keeps them, not collected again; the primary URL first.
    f.references = v.references;
    if let Some(url) = v.primary_url {
        f.references.reserve_exact(1);
        f.references.insert(0, url);
    }
    for (source, entry) in v.cvss.into_iter().flatten() {
        for (version, vector, score) in [
            ("4.0", entry.v40_vector, entry.v40_score),
            ("3", entry.v3_vector, entry.v3_score),
            ("2.0", entry.v2_vector, entry.v2_score),
        ] {
            if vector.is_some() || score.is_some() {
                f.cvss.push(Cvss {
                    source: source.clone(),
                    version: Some(Cow::Borrowed(version)),
                    vector,
                    score,
                });
            }
        }
    }
    let state =
        if v.status.as_deref() == Some("not_affected") { State::NotAffected } else { State::Open };
    f.status = Status { state, raw: v.status, justification: None };
    f.set_dates(Dates {
        published: v.published_date.as_deref().and_then(Timestamp::parse),
        updated: v.last_modified_date.as_deref().and_then(Timestamp::parse),
        ..Dates::default()
    });
    if let Some(fp) = v.fingerprint {
        f.tool_fingerprints.push((Str::from("Fingerprint"), fp));
    }
    f
}

fn misconfiguration(m: raw::Misconfiguration, artifact: &str, target: &Str) -> Finding {
    let rating = severity::trivy(m.severity.as_deref().unwrap_or("UNKNOWN"), None);
    let mut f = Finding::new(FindingKind::Misconfiguration, rating);
    f.outcome = match m.status.as_deref() {
        Some(s) if s.eq_ignore_ascii_case("PASS") => Outcome::Pass,
        Some(s) if s.eq_ignore_ascii_case("EXCEPTION") => Outcome::Exception,
        _ => Outcome::Fail,
    };
    let raw_id = m.avd_id.clone().or_else(|| m.id.clone());
    let id = raw_id.as_deref().map(checks::canonical);
    if let Some(raw) = raw_id.as_ref().filter(|raw| Some(raw.as_str()) != id.as_deref()) {
        f.properties.push(("check id as written".into(), raw.clone()));
    }
    f.rule_id = shared(id.clone());
    f.target = Some(target.clone());
    f.title = shared(m.title.clone());
    let help = [m.description.clone(), m.resolution.as_ref().map(|r| format!("Resolution: {r}"))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n");
    f.help = Help::new((!help.is_empty()).then_some(help), None);
    f.message = Text { text: m.message.clone().or_else(|| m.title.clone()), markdown: None };
    f.references = m.primary_url.iter().chain(&m.references).cloned().collect();
    f.references.dedup();
    let cause = m.cause_metadata.unwrap_or_default();
    let snippet: Vec<&str> = cause
        .code
        .iter()
        .flat_map(|c| &c.lines)
        .filter(|l| l.is_cause)
        .filter_map(|l| l.content.as_deref())
        .collect();
    f.locations.push(Location {
        uri: Some(target.clone()),
        region: cause.start_line.map(|start| Region {
            start_line: Some(start),
            end_line: cause.end_line,
            ..Region::default()
        }),
        snippet: (!snippet.is_empty()).then(|| snippet.join("\n")),
        logical: cause.resource.clone(),
        message: None,
    });
    if let Some(kind) = &m.r#type {
        f.properties.push(("check type".into(), kind.clone()));
    }
    f.fingerprint = Hasher::new("trivy:misconfig")
        .part(artifact)
        .part(target)
        .opt(id.as_deref())
        .opt(cause.resource.as_deref())
        .opt(m.message.as_deref())
        .finish();
    f
}

fn secret(s: raw::Secret, artifact: &str, target: &Str) -> Finding {
    let mut f = Finding::new(
        FindingKind::Secret,
        severity::trivy(s.severity.as_deref().unwrap_or("UNKNOWN"), None),
    );
    f.rule_id = shared(s.rule_id.clone());
    f.target = Some(target.clone());
    f.title = shared(s.title.clone());
    f.message = Text { text: s.title.clone().map(|t| format!("{t} in {target}")), markdown: None };
    f.locations.push(Location {
        uri: Some(target.clone()),
        region: s.start_line.map(|start| Region {
            start_line: Some(start),
            end_line: s.end_line,
            ..Region::default()
        }),
        snippet: s.r#match.clone(),
        ..Location::default()
    });
    if let Some(category) = &s.category {
        f.properties.push(("category".into(), category.clone()));
    }
    f.fingerprint = Hasher::new("trivy:secret")
        .part(artifact)
        .part(target)
        .opt(s.rule_id.as_deref())
        .opt(s.r#match.as_deref())
        .finish();
    f
}

fn license(l: raw::License, artifact: &str, target: &Str) -> Finding {
    let mut f = Finding::new(
        FindingKind::License,
        severity::trivy(l.severity.as_deref().unwrap_or("UNKNOWN"), None),
    );
    f.rule_id = shared(l.name.clone());
    f.target = Some(target.clone());
    f.title = shared(l.name.as_ref().map(|n| format!("License {n}")));
    let package = l.pkg_name.clone().or_else(|| l.file_path.clone()).unwrap_or_default();
    f.message = Text {
        text: Some(format!(
            "{} license ({}) in {package}",
            l.name.as_deref().unwrap_or("unknown"),
            l.category.as_deref().unwrap_or("uncategorised")
        )),
        markdown: None,
    };
    if l.pkg_name.is_some() {
        f.package = Some(Box::new(Package { name: package.clone(), ..Package::default() }));
    }
    if let Some(path) = &l.file_path {
        f.locations.push(Location { uri: Some(Str::from(path.as_str())), ..Location::default() });
    }
    f.references.extend(l.link.clone());
    if let Some(category) = &l.category {
        f.properties.push(("category".into(), category.clone()));
    }
    f.fingerprint = Hasher::new("trivy:license")
        .part(artifact)
        .part(target)
        .opt(l.name.as_deref())
        .part(&package)
        .finish();
    f
}
