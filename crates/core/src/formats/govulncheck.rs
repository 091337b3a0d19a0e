//! govulncheck: the `-json` stream of concatenated objects (`config`, `progress`, `SBOM`,
//! `osv`, `finding`), also accepted wrapped in an array, and the pre-1.0 JSON
//! (`Vulns`, `Calls`, `Imports`, `Requires`). One finding per OSV id per module, at the
//! deepest reachability seen (symbol > package > module); call traces become code flows.

use crate::intern::Interner;
use std::collections::HashMap;

use serde::Deserialize;

use super::{Format, FormatId, Shape};
use crate::fingerprint::Hasher;
use crate::json::{self, Lenient};
use crate::model::{
    shared, Capability, CodeFlow, Component, ComponentKind, Dates, Diagnostic, Finding,
    FindingKind, FindingList, Help, Location, Package, Region, Report, Str, Text, Tool,
};
use crate::severity::{self, Reachability};
use crate::time::Timestamp;

pub(crate) const STREAM: Format = Format { id: FormatId::GovulncheckStream, sniff, parse };
pub(crate) const LEGACY: Format =
    Format { id: FormatId::GovulncheckLegacyJson, sniff: sniff_legacy, parse: parse_legacy };

const MESSAGE_KEYS: [&str; 5] = ["config", "progress", "SBOM", "osv", "finding"];

fn is_message(o: &super::shape::Object) -> bool {
    !o.keys.is_empty() && o.keys.iter().all(|k| MESSAGE_KEYS.contains(&k.as_str()))
}

fn sniff(shape: &Shape) -> bool {
    shape.object().is_some_and(is_message) || shape.first_element().is_some_and(is_message)
}

fn sniff_legacy(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(o) if o.has("Vulns") && (o.has("Calls") || o.has("Imports") || o.has("Requires")))
}

mod raw {
    use super::*;

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct Message {
        pub config: Option<Config>,
        #[serde(rename = "SBOM")]
        pub sbom: Option<Sbom>,
        pub osv: Option<Osv>,
        pub finding: Option<FindingMessage>,
    }

    #[derive(Deserialize, Default)]
    pub struct Config {
        #[serde(default, deserialize_with = "json::string")]
        pub scanner_name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub scanner_version: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub scan_level: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub go_version: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Sbom {
        #[serde(default, deserialize_with = "json::vec")]
        pub modules: Vec<Module>,
    }

    #[derive(Deserialize, Default)]
    pub struct Module {
        #[serde(default, deserialize_with = "json::string")]
        pub path: Option<String>,
    }

    #[derive(Deserialize, Default, Clone)]
    pub struct Osv {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::strings")]
        pub aliases: Vec<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub summary: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub details: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub published: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub modified: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub references: Vec<Reference>,
        pub database_specific: Option<DatabaseSpecific>,
    }

    #[derive(Deserialize, Default, Clone)]
    pub struct Reference {
        #[serde(default, deserialize_with = "json::string")]
        pub url: Option<String>,
    }

    #[derive(Deserialize, Default, Clone)]
    pub struct DatabaseSpecific {
        #[serde(default, deserialize_with = "json::string")]
        pub url: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct FindingMessage {
        #[serde(default, deserialize_with = "json::string")]
        pub osv: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub fixed_version: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub trace: Vec<Frame>,
    }

    #[derive(Deserialize, Default, Clone)]
    pub struct Frame {
        #[serde(default, deserialize_with = "json::string")]
        pub module: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub version: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub package: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub function: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub receiver: Option<String>,
        pub position: Option<Position>,
    }

    #[derive(Deserialize, Default, Clone)]
    pub struct Position {
        #[serde(default, deserialize_with = "json::string")]
        pub filename: Option<String>,
        #[serde(default, deserialize_with = "json::uint")]
        pub line: Option<u32>,
        #[serde(default, deserialize_with = "json::uint")]
        pub column: Option<u32>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Legacy {
        #[serde(default, deserialize_with = "json::vec")]
        pub vulns: Vec<Lenient<LegacyVuln>>,
        #[serde(default, deserialize_with = "json::vec")]
        pub modules: Vec<LegacyModule>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "PascalCase")]
    pub struct LegacyModule {
        #[serde(default, deserialize_with = "json::string")]
        pub path: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub version: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct LegacyVuln {
        #[serde(rename = "OSV")]
        pub osv: Osv,
        #[serde(default, deserialize_with = "json::string")]
        pub symbol: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub pkg_path: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub mod_path: Option<String>,
        #[serde(default, deserialize_with = "json::uint")]
        pub call_sink: Option<u32>,
        #[serde(default, deserialize_with = "json::uint")]
        pub import_sink: Option<u32>,
    }
}

/// The deepest sighting of one OSV entry in one module.
struct Sighting {
    reachability: Reachability,
    module: String,
    version: Option<String>,
    fixed: Option<String>,
    package: Option<String>,
    traces: Vec<Vec<raw::Frame>>,
}

fn reachability(frame: &raw::Frame) -> Reachability {
    if frame.function.is_some() {
        Reachability::Symbol
    } else if frame.package.is_some() {
        Reachability::Package
    } else {
        Reachability::Module
    }
}

fn parse(text: &str, shape: &Shape, _: &mut Interner, report: &mut Report) {
    let messages: Vec<(String, Lenient<raw::Message>)> = if matches!(shape, Shape::Array { .. }) {
        report.diagnostics.push(Diagnostic::info("govulncheck messages wrapped in a JSON array (not how govulncheck writes them): read as a stream"));
        match crate::json::from_str::<Vec<Lenient<raw::Message>>>(text) {
            Ok(list) => list.into_iter().enumerate().map(|(i, m)| (format!("[{i}]"), m)).collect(),
            Err(e) => return super::structure_error(report, "the govulncheck messages", &e),
        }
    } else {
        let mut out = Vec::new();
        for (i, message) in serde_json::Deserializer::from_str(text)
            .into_iter::<Lenient<raw::Message>>()
            .enumerate()
        {
            match message {
                Ok(m) => out.push((format!("message {}", i + 1), m)),
                Err(e) => {
                    report.diagnostics.push(Diagnostic::error(format!(
                        "the stream breaks off after {i} messages: {e}"
                    )));
                    break;
                }
            }
        }
        out
    };

    let mut config = raw::Config::default();
    let mut main_module = None;
    let mut osvs: HashMap<String, raw::Osv> = HashMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    let mut sightings: HashMap<(String, String), Sighting> = HashMap::new();
    for (path, message) in messages {
        let Some(message) = super::element(message, "message", || path.clone(), report) else {
            continue;
        };
        if let Some(c) = message.config {
            config = c;
        }
        if let Some(sbom) = message.sbom {
            main_module = sbom.modules.first().and_then(|m| m.path.clone());
        }
        if let Some(osv) = message.osv {
            if let Some(id) = osv.id.clone() {
                osvs.insert(id, osv);
            }
        }
        if let Some(finding) = message.finding {
            let (Some(osv), Some(first)) = (finding.osv.clone(), finding.trace.first().cloned())
            else {
                report.diagnostics.push(
                    Diagnostic::warning("finding without an OSV id or trace skipped").at(path),
                );
                continue;
            };
            let module = first.module.clone().unwrap_or_default();
            let key = (osv, module.clone());
            let level = reachability(&first);
            let sighting = sightings.entry(key.clone()).or_insert_with(|| {
                order.push(key.clone());
                Sighting {
                    reachability: level,
                    module,
                    version: first.version.clone(),
                    fixed: finding.fixed_version.clone(),
                    package: None,
                    traces: Vec::new(),
                }
            });
            if level > sighting.reachability {
                sighting.reachability = level;
            }
            if first.package.is_some() && sighting.package.is_none() {
                sighting.package = first.package.clone();
            }
            if level == Reachability::Symbol {
                sighting.traces.push(finding.trace);
            }
        }
    }

    report.tools.push(Tool {
        name: config.scanner_name.clone().unwrap_or_else(|| "govulncheck".into()),
        version: config.scanner_version.clone(),
    });
    report.covers(Capability::Sca);
    let name = main_module.unwrap_or_else(|| report.base_name());
    let mut identity = vec![("ecosystem".to_string(), "go".to_string())];
    if let Some(go) = &config.go_version {
        identity.push(("go version".to_string(), go.clone()));
    }
    if let Some(level) = &config.scan_level {
        identity.push(("scan level".to_string(), level.clone()));
    }
    report.components.push(Component {
        name: name.clone(),
        kind: ComponentKind::Repository,
        identity,
    });
    for key in order {
        let Some(sighting) = sightings.remove(&key) else { continue };
        let osv = osvs.get(&key.0).cloned().unwrap_or_else(|| {
            report.diagnostics.push(Diagnostic::warning(format!(
                "finding for {} has no osv entry in the stream",
                key.0
            )));
            raw::Osv { id: Some(key.0.clone()), ..raw::Osv::default() }
        });
        report.findings.add(finding(&osv, sighting, &name));
    }
}

fn finding(osv: &raw::Osv, s: Sighting, main_module: &str) -> Finding {
    let mut f = Finding::new(FindingKind::Vulnerability, severity::govulncheck(s.reachability));
    let id = osv.id.clone().unwrap_or_default();
    f.rule_id = shared(Some(id.clone()));
    f.vuln_ids = std::iter::once(id.clone()).chain(osv.aliases.iter().cloned()).collect();
    f.title = shared(osv.summary.clone().or_else(|| Some(id.clone())));
    f.help = Help::new(osv.details.clone(), None);
    let reach = match s.reachability {
        Reachability::Symbol => "vulnerable code is called",
        Reachability::Package => "a vulnerable package is imported, no vulnerable symbol is called",
        Reachability::Module => {
            "a vulnerable module is required, no vulnerable package is imported"
        }
    };
    f.message = Text { text: Some(format!("{id} in {}: {reach}", s.module)), markdown: None };
    f.package = Some(Box::new(Package {
        ecosystem: Some("go".into()),
        name: s.module.clone(),
        version: s.version.clone(),
        fixed_versions: s.fixed.clone().into_iter().collect(),
        purl: None,
        path: s.package.clone(),
    }));
    f.references = osv
        .database_specific
        .iter()
        .filter_map(|d| d.url.clone())
        .chain(osv.references.iter().filter_map(|r| r.url.clone()))
        .collect();
    f.set_dates(Dates {
        published: osv.published.as_deref().and_then(Timestamp::parse),
        updated: osv.modified.as_deref().and_then(Timestamp::parse),
        ..Dates::default()
    });
    f.properties.push(("reachability".into(), s.reachability.as_str().into()));
    f.code_flows = s
        .traces
        .iter()
        .map(|trace| CodeFlow {
            message: Some(format!("call stack reaching {id}")),
            steps: trace
                .iter()
                .rev()
                .map(|frame| {
                    let function = match (&frame.receiver, &frame.function) {
                        (Some(r), Some(func)) => Some(format!("{r}.{func}")),
                        (None, Some(func)) => Some(func.clone()),
                        _ => None,
                    };
                    Location {
                        uri: frame
                            .position
                            .as_ref()
                            .and_then(|p| p.filename.as_deref())
                            .map(Str::from),
                        region: frame.position.as_ref().and_then(|p| p.line).map(|line| Region {
                            start_line: Some(line),
                            start_column: frame.position.as_ref().and_then(|p| p.column),
                            ..Region::default()
                        }),
                        snippet: None,
                        logical: [frame.package.clone(), function]
                            .into_iter()
                            .flatten()
                            .reduce(|a, b| format!("{a}.{b}")),
                        message: None,
                    }
                })
                .collect(),
        })
        .collect();
    if let Some(first) = f.code_flows.first().and_then(|flow| flow.steps.first()) {
        f.locations.push(first.clone());
    }
    f.fingerprint = Hasher::new("govulncheck")
        .part(main_module)
        .part(&id)
        .part(&s.module)
        .opt(s.version.as_deref())
        .finish();
    f
}

fn parse_legacy(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let doc: raw::Legacy = match crate::json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => return super::structure_error(report, "the govulncheck report", &e),
    };
    report.tools.push(Tool { name: "govulncheck".into(), version: Some("pre-1.0".into()) });
    report.covers(Capability::Sca);
    report.components.push(Component {
        name: report.base_name(),
        kind: ComponentKind::Repository,
        identity: vec![("ecosystem".into(), "go".into())],
    });
    let mut order: Vec<(String, String)> = Vec::new();
    let mut best: HashMap<(String, String), (raw::Osv, Sighting)> = HashMap::new();
    for (i, vuln) in doc.vulns.into_iter().enumerate() {
        let Some(vuln) = super::element(vuln, "vulnerability", || format!("Vulns[{i}]"), report)
        else {
            continue;
        };
        let level = if vuln.call_sink.unwrap_or(0) != 0 {
            Reachability::Symbol
        } else if vuln.import_sink.unwrap_or(0) != 0 {
            Reachability::Package
        } else {
            Reachability::Module
        };
        let key =
            (vuln.osv.id.clone().unwrap_or_default(), vuln.mod_path.clone().unwrap_or_default());
        let traces = match (&vuln.symbol, level) {
            (Some(symbol), Reachability::Symbol) => vec![vec![raw::Frame {
                module: vuln.mod_path.clone(),
                package: vuln.pkg_path.clone(),
                function: Some(symbol.clone()),
                ..raw::Frame::default()
            }]],
            _ => Vec::new(),
        };
        let version = doc
            .modules
            .iter()
            .find(|m| m.path.as_deref() == vuln.mod_path.as_deref())
            .and_then(|m| m.version.clone());
        let sighting = Sighting {
            reachability: level,
            module: key.1.clone(),
            version,
            fixed: None,
            package: vuln.pkg_path.clone(),
            traces,
        };
        match best.get_mut(&key) {
            Some((_, existing)) if existing.reachability >= level => {}
            Some(slot) => *slot = (vuln.osv, sighting),
            None => {
                order.push(key.clone());
                best.insert(key, (vuln.osv, sighting));
            }
        }
    }
    let name = report.base_name();
    for key in order {
        if let Some((osv, sighting)) = best.remove(&key) {
            report.findings.add(finding(&osv, sighting, &name));
        }
    }
}
