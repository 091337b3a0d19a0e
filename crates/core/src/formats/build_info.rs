//! `scanlens-build.json`, the build sidecar `scanlens build-info` writes next to the reports:
//! which CI run they came from, and when.
//!
//! ```json
//! {"scanlens_build": 1, "id": "4711", "commit": "9fceb02", "branch": "main",
//!  "time": "2026-03-02T10:00:00Z", "url": "https://ci.example/runs/4711"}
//! ```

use crate::intern::Interner;
use serde::Deserialize;

use super::{Format, FormatId, Shape};
use crate::json;
use crate::model::{BuildInfo, Diagnostic, Report, Tool};
use crate::time::Timestamp;

pub(crate) const FORMAT: Format = Format { id: FormatId::ScanlensBuild, sniff, parse };

fn sniff(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(o) if o.has("scanlens_build"))
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default, deserialize_with = "json::string")]
    scanlens_build: Option<String>,
    #[serde(default, deserialize_with = "json::string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "json::string")]
    commit: Option<String>,
    #[serde(default, deserialize_with = "json::string")]
    branch: Option<String>,
    #[serde(default, deserialize_with = "json::string")]
    time: Option<String>,
    #[serde(default, deserialize_with = "json::string")]
    url: Option<String>,
}

fn parse(text: &str, _: &Shape, _: &mut Interner, report: &mut Report) {
    let raw: Raw = match json::from_str(text) {
        Ok(raw) => raw,
        Err(e) => return super::structure_error(report, "the build sidecar", &e),
    };
    report
        .tools
        .push(Tool { name: "scanlens build-info".into(), version: raw.scanlens_build.clone() });
    if raw.scanlens_build.as_deref() != Some("1") {
        report.diagnostics.push(Diagnostic::warning(format!(
            "build sidecar version {:?}: read as version 1",
            raw.scanlens_build.as_deref().unwrap_or("?")
        )));
    }
    let time = match raw.time.as_deref() {
        Some(t) => match Timestamp::parse(t) {
            Some(time) => Some(time),
            None => {
                report.diagnostics.push(
                    Diagnostic::warning(format!(
                        "build time {t:?} is not an RFC 3339 time: ignored"
                    ))
                    .at("time"),
                );
                None
            }
        },
        None => None,
    };
    if raw.id.is_none() && raw.commit.is_none() {
        report
            .diagnostics
            .push(Diagnostic::warning("the build sidecar names neither an id nor a commit"));
    }
    report.scan_time = time;
    report.build =
        Some(BuildInfo { id: raw.id, commit: raw.commit, branch: raw.branch, time, url: raw.url });
}
