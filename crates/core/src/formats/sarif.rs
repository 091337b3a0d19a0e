//! SARIF 2.1.0 (OASIS), from any tool. Multi-run; rules in `driver.rules` or in
//! `extensions[].rules` (by `ruleIndex`, `rule.index` + `rule.toolComponent`, or id); the
//! effective level is `result.level`, else the rule's default (after
//! `ruleConfigurationOverrides`), else `warning`; results whose `kind` is not `fail` are kept
//! as non-findings. SARIF 1.0 and the pre-standard 2.0 are refused with a diagnostic.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::{take, Format, FormatId, Shape};
use crate::fingerprint::{self, Hasher};
use crate::intern::Interner;
use crate::json::{self, Lenient};
use crate::model::{
    capability_of, shared, Capability, CodeFlow, Component, ComponentKind, Cwes, Diagnostic,
    Finding, FindingKind, FindingList, Help, Location, Outcome, Region, Report, State, Status, Str,
    Text, ThinVec, Tool,
};
use crate::severity::{self, LevelOrigin, Rating, SarifLevel, Severity};
use crate::time::Timestamp;
use crate::{cwe, ids};

pub(crate) const FORMAT: Format = Format { id: FormatId::Sarif, sniff, parse };

fn sniff(shape: &Shape) -> bool {
    let Some(o) = shape.object() else { return false };
    o.has("runs") && (o.scalar("$schema").is_some_and(|s| s.contains("sarif")) || o.has("version"))
}

mod raw {
    use super::*;
    use smallvec::SmallVec;

    #[derive(Deserialize, Default)]
    pub struct ToolSection {
        pub driver: Option<ToolComponent>,
        #[serde(default, deserialize_with = "json::vec")]
        pub extensions: Vec<ToolComponent>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct ToolComponent {
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub semantic_version: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub version: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub rules: Vec<Lenient<Rule>>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct Rule {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        pub short_description: Option<Message>,
        pub full_description: Option<Message>,
        pub help: Option<Message>,
        #[serde(default, deserialize_with = "json::string")]
        pub help_uri: Option<String>,
        pub default_configuration: Option<Configuration>,
        pub properties: Option<Properties>,
        #[serde(default, deserialize_with = "json::vec")]
        pub relationships: Vec<Relationship>,
        pub message_strings: Option<HashMap<String, Message>>,
    }

    #[derive(Deserialize, Default)]
    pub struct Configuration {
        #[serde(default, deserialize_with = "json::string")]
        pub level: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Properties {
        #[serde(rename = "security-severity", default, deserialize_with = "json::string")]
        pub security_severity: Option<String>,
        /// Written by `scanlens merge`: the normalised severity, which SARIF cannot always say.
        #[serde(rename = "scanlens-severity", default, deserialize_with = "json::string")]
        pub scanlens_severity: Option<String>,
        #[serde(default, deserialize_with = "json::strings")]
        pub tags: Vec<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub precision: Option<String>,
        #[serde(rename = "problem.severity", default, deserialize_with = "json::string")]
        pub problem_severity: Option<String>,
        #[serde(default, deserialize_with = "json::strings")]
        pub cwe: Vec<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Relationship {
        pub target: Option<Reference>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct Reference {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::uint")]
        pub index: Option<u32>,
        pub tool_component: Option<ComponentReference>,
    }

    #[derive(Deserialize, Default)]
    pub struct ComponentReference {
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
        #[serde(default, deserialize_with = "json::uint")]
        pub index: Option<u32>,
    }

    #[derive(Deserialize, Default, Clone)]
    pub struct Message {
        #[serde(default, deserialize_with = "json::string")]
        pub text: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub markdown: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::strings")]
        pub arguments: ThinVec<String>,
    }

    /// A region's snippet: only its text is read.
    #[derive(Deserialize, Default)]
    pub struct Snippet {
        #[serde(default, deserialize_with = "json::string")]
        pub text: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Result<'a> {
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub rule_id: Option<Cow<'a, str>>,
        #[serde(default, deserialize_with = "json::uint")]
        pub rule_index: Option<u32>,
        pub rule: Option<Box<Reference>>,
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub kind: Option<Cow<'a, str>>,
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub level: Option<Cow<'a, str>>,
        pub message: Option<Message>,
        #[serde(default, borrow, deserialize_with = "json::vec")]
        pub locations: SmallVec<[SarifLocation<'a>; 1]>,
        #[serde(default, borrow, deserialize_with = "json::vec")]
        pub related_locations: ThinVec<SarifLocation<'a>>,
        #[serde(default, borrow, deserialize_with = "json::vec")]
        pub code_flows: ThinVec<CodeFlow<'a>>,
        #[serde(default, borrow, deserialize_with = "json::pairs")]
        pub fingerprints: SmallVec<[(Cow<'a, str>, String); 1]>,
        #[serde(default, borrow, deserialize_with = "json::pairs")]
        pub partial_fingerprints: SmallVec<[(Cow<'a, str>, String); 1]>,
        #[serde(default, deserialize_with = "json::vec")]
        pub suppressions: ThinVec<Suppression>,
        #[serde(default, deserialize_with = "json::string")]
        pub baseline_state: Option<String>,
        pub properties: Option<Box<Properties>>,
        #[serde(default, deserialize_with = "json::vec")]
        pub taxa: ThinVec<Reference>,
        #[serde(default, deserialize_with = "json::string")]
        pub correlation_guid: Option<String>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct SarifLocation<'a> {
        #[serde(borrow)]
        pub physical_location: Option<PhysicalLocation<'a>>,
        #[serde(default, deserialize_with = "json::vec")]
        pub logical_locations: ThinVec<LogicalLocation>,
        pub message: Option<Message>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct PhysicalLocation<'a> {
        #[serde(borrow)]
        pub artifact_location: Option<ArtifactLocation<'a>>,
        pub region: Option<RawRegion>,
        pub context_region: Option<Box<RawRegion>>,
    }

    #[derive(Deserialize, Default, Clone)]
    #[serde(rename_all = "camelCase")]
    pub struct ArtifactLocation<'a> {
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub uri: Option<Cow<'a, str>>,
        #[serde(default, borrow, deserialize_with = "json::cow")]
        pub uri_base_id: Option<Cow<'a, str>>,
        #[serde(default, deserialize_with = "json::uint")]
        pub index: Option<u32>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct RawRegion {
        #[serde(default, deserialize_with = "json::uint")]
        pub start_line: Option<u32>,
        #[serde(default, deserialize_with = "json::uint")]
        pub start_column: Option<u32>,
        #[serde(default, deserialize_with = "json::uint")]
        pub end_line: Option<u32>,
        #[serde(default, deserialize_with = "json::uint")]
        pub end_column: Option<u32>,
        pub snippet: Option<Snippet>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct LogicalLocation {
        #[serde(default, deserialize_with = "json::string")]
        pub fully_qualified_name: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub name: Option<String>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct CodeFlow<'a> {
        pub message: Option<Message>,
        #[serde(default, borrow, deserialize_with = "json::vec")]
        pub thread_flows: Vec<ThreadFlow<'a>>,
    }

    #[derive(Deserialize, Default)]
    pub struct ThreadFlow<'a> {
        #[serde(default, borrow, deserialize_with = "json::vec")]
        pub locations: Vec<ThreadFlowLocation<'a>>,
    }

    #[derive(Deserialize, Default)]
    pub struct ThreadFlowLocation<'a> {
        #[serde(borrow)]
        pub location: Option<SarifLocation<'a>>,
    }

    #[derive(Deserialize, Default)]
    pub struct Suppression {
        #[serde(default, deserialize_with = "json::string")]
        pub kind: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub status: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub justification: Option<String>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct Invocation {
        #[serde(default, deserialize_with = "json::string")]
        pub start_time_utc: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub end_time_utc: Option<String>,
        #[serde(default, deserialize_with = "json::vec")]
        pub rule_configuration_overrides: Vec<Override>,
    }

    #[derive(Deserialize, Default)]
    pub struct Override {
        pub descriptor: Option<Reference>,
        pub configuration: Option<Configuration>,
    }

    #[derive(Deserialize, Default)]
    pub struct AutomationDetails {
        #[serde(default, deserialize_with = "json::string")]
        pub id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub guid: Option<String>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct VersionControl {
        #[serde(default, deserialize_with = "json::string")]
        pub repository_uri: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub revision_id: Option<String>,
        #[serde(default, deserialize_with = "json::string")]
        pub branch: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Artifact<'a> {
        #[serde(borrow)]
        pub location: Option<ArtifactLocation<'a>>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct RunProperties {
        #[serde(default, deserialize_with = "json::string")]
        pub image_name: Option<String>,
        #[serde(rename = "semmle.sourceLanguage", default, deserialize_with = "json::string")]
        pub source_language: Option<String>,
    }
}

/// A rule, resolved once per run; its text is shared by all its findings.
#[derive(Default)]
struct Rule {
    id: Option<Str>,
    title: Option<Str>,
    help: Help,
    help_uri: Option<String>,
    vuln_ids: ThinVec<String>,
    default_level: Option<SarifLevel>,
    security_severity: Option<String>,
    /// What `security_severity` rates a result that states no severity of its own.
    rating: Option<Rating>,
    /// A result's fingerprint hashed as far as this tool and rule id (see `read_result`).
    fingerprint_prefix: Option<Hasher>,
    precision: Option<String>,
    tags: Option<Rc<[String]>>,
    cwes: Cwes,
    message_strings: HashMap<String, raw::Message>,
}

fn parse(text: &str, shape: &Shape, interner: &mut Interner, report: &mut Report) {
    let version = shape.object().and_then(|o| o.scalar("version"));
    if let Some(other) = version.filter(|v| *v != "2.1.0") {
        return unsupported(report, other);
    }
    // Fastest first: strict, and each result converted as it is read. A run whose keys come
    // in an order streaming cannot serve is read again buffered; a strict failure is read
    // again with every element isolated. The output is the same either way.
    let interner = Rc::new(RefCell::new(std::mem::take(interner)));
    let clean = report.clone();
    let (mut strict, mut stream) = (true, true);
    let end = text.as_ptr() as usize + text.len();
    loop {
        let mut de = serde_json::Deserializer::from_str(text);
        let read = json::strictly(strict, || {
            LogSeed { report: &mut *report, interner: &interner, stream, end }.deserialize(&mut de)
        })
        .and_then(|read| de.end().map(|()| read));
        match read {
            Ok(Read::Done) => return,
            Ok(Read::NeedsBuffering) if stream => stream = false,
            Err(_) if strict => strict = false,
            Ok(Read::NeedsBuffering) => unreachable!("buffered reading never asks for buffering"),
            Err(e) => {
                *report = clean;
                return super::structure_error(report, "the SARIF log", &e);
            }
        }
        *report = clean.clone();
    }
}

fn unsupported(report: &mut Report, version: &str) {
    report.diagnostics.push(Diagnostic::error(format!(
        "unsupported SARIF version {version}: scanlens reads SARIF 2.1.0 (the SARIF SDK's `sarif transform` converts older logs)"
    )));
}

/// How reading a log ended.
enum Read {
    Done,
    /// A run's keys came in an order that streaming conversion cannot serve.
    NeedsBuffering,
}

struct LogSeed<'r> {
    report: &'r mut Report,
    interner: &'r Rc<RefCell<Interner>>,
    stream: bool,
    /// Where the input ends in memory (see [`super::Sizer`]).
    end: usize,
}

impl<'de> DeserializeSeed<'de> for LogSeed<'_> {
    type Value = Read;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Read, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_> {
    type Value = Read;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SARIF log object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read, A::Error> {
        let report = self.report;
        let (mut version, mut runs, mut needs_buffering) = (None, 0, false);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "version" => version = map.next_value::<json::Loose>()?.0,
                "runs" => {
                    let read = map.next_value_seed(RunsSeed {
                        report: &mut *report,
                        interner: self.interner,
                        stream: self.stream,
                        end: self.end,
                    })?;
                    runs = read.0;
                    needs_buffering |= read.1;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match version.as_deref() {
            Some("2.1.0") => {}
            Some(other) => {
                let clean = Report {
                    file_name: report.file_name.clone(),
                    byte_size: report.byte_size,
                    sha256: report.sha256.clone(),
                    format: report.format,
                    ..Report::default()
                };
                *report = clean;
                unsupported(report, other);
                return Ok(Read::Done);
            }
            None => report
                .diagnostics
                .push(Diagnostic::warning("no SARIF version given: read as 2.1.0")),
        }
        if needs_buffering {
            return Ok(Read::NeedsBuffering);
        }
        if runs == 0 {
            report.diagnostics.push(Diagnostic::info("the log has no runs: no findings"));
        }
        Ok(Read::Done)
    }
}

/// `runs`: each run read in turn. Yields (how many, whether one needs buffering).
struct RunsSeed<'r> {
    report: &'r mut Report,
    interner: &'r Rc<RefCell<Interner>>,
    stream: bool,
    end: usize,
}

impl<'de> DeserializeSeed<'de> for RunsSeed<'_> {
    type Value = (usize, bool);
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RunsSeed<'_> {
    type Value = (usize, bool);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of runs")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((0, false))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (mut count, mut needs_buffering) = (0, false);
        while let Some(late) = seq.next_element_seed(RunSeed {
            end: self.end,
            report: &mut *self.report,
            interner: self.interner,
            stream: self.stream,
            index: count,
        })? {
            needs_buffering |= late;
            count += 1;
        }
        Ok((count, needs_buffering))
    }
}

/// What is known about a run's tool once `tool` has been read.
struct ToolState {
    index: usize,
    name: String,
    kind: ToolKind,
    /// Rules: component 0 is the driver, 1.. the extensions.
    components: Vec<Vec<Rule>>,
    by_id: HashMap<Str, (usize, usize)>,
}

/// One run while it is read.
struct RunState<'de> {
    index: usize,
    tool: Option<ToolState>,
    context: RunContext<'de>,
    invocations: Vec<raw::Invocation>,
    overrides: HashMap<(usize, usize), SarifLevel>,
    automation: raw::AutomationDetails,
    vcs: Vec<raw::VersionControl>,
    properties: raw::RunProperties,
    /// `results` that came before `tool`: kept as the span of input they occupy and
    /// converted once the run is read (a second scan of those bytes, no tree in memory).
    buffered: Option<&'de serde_json::value::RawValue>,
    streamed: bool,
    /// Something that changes conversion arrived after results were already converted.
    late: bool,
    findings_from: usize,
    non_findings_from: usize,
}

struct RunSeed<'r> {
    report: &'r mut Report,
    interner: &'r Rc<RefCell<Interner>>,
    stream: bool,
    index: usize,
    end: usize,
}

impl<'de> DeserializeSeed<'de> for RunSeed<'_> {
    /// Whether the run needs reading again, buffered.
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RunSeed<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SARIF run object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let report = self.report;
        let r = self.index;
        let mut st = RunState {
            index: r,
            tool: None,
            context: RunContext {
                bases: HashMap::new(),
                artifacts: Vec::new(),
                interner: Rc::clone(self.interner),
                partial_keys: RefCell::default(),
            },
            invocations: Vec::new(),
            overrides: HashMap::new(),
            automation: raw::AutomationDetails::default(),
            vcs: Vec::new(),
            properties: raw::RunProperties::default(),
            buffered: None,
            streamed: false,
            late: false,
            findings_from: report.findings.len(),
            non_findings_from: report.non_findings.len(),
        };
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "tool" => {
                    let section: raw::ToolSection =
                        take(map.next_value()?, &format!("runs[{r}].tool"), report);
                    set_tool(&mut st, section, report);
                }
                "results" if self.stream && st.tool.is_some() && !st.streamed => {
                    let end = self.end;
                    map.next_value_seed(ResultsSeed { st: &mut st, report: &mut *report, end })?;
                    st.streamed = true;
                }
                "results" => st.buffered = map.next_value_seed(ResultsSpan)?,
                "originalUriBaseIds" => {
                    st.late |= st.streamed;
                    st.context.bases =
                        take(map.next_value()?, &format!("runs[{r}].originalUriBaseIds"), report);
                }
                "artifacts" => {
                    st.late |= st.streamed;
                    st.context.artifacts =
                        take(map.next_value()?, &format!("runs[{r}].artifacts"), report);
                }
                "invocations" => {
                    st.late |= st.streamed;
                    st.invocations =
                        take(map.next_value()?, &format!("runs[{r}].invocations"), report);
                    compute_overrides(&mut st);
                }
                "automationDetails" => {
                    st.automation =
                        take(map.next_value()?, &format!("runs[{r}].automationDetails"), report);
                }
                "versionControlProvenance" => {
                    st.vcs = take(
                        map.next_value()?,
                        &format!("runs[{r}].versionControlProvenance"),
                        report,
                    );
                }
                "properties" => {
                    st.properties =
                        take(map.next_value()?, &format!("runs[{r}].properties"), report);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if st.late {
            return Ok(true);
        }
        finish_run(st, report).map_err(de::Error::custom)?;
        Ok(false)
    }
}

/// `results`, converted one by one as they are read.
struct ResultsSeed<'s, 'de, 'r> {
    st: &'s mut RunState<'de>,
    report: &'r mut Report,
    /// Where the text the results are read from ends in memory.
    end: usize,
}

impl<'de> DeserializeSeed<'de> for ResultsSeed<'_, 'de, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ResultsSeed<'_, 'de, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of results")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let (mut i, mut sizer) = (0, super::Sizer::new(self.end));
        while let Some(result) = seq.next_element::<Lenient<raw::Result<'de>>>()? {
            sizer.saw(at(&result), &mut self.report.findings);
            convert(self.st, self.report, i, result);
            i += 1;
        }
        Ok(())
    }
}

/// Where a result's text is in memory: the address of a string it borrows from the input.
fn at(result: &Lenient<raw::Result<'_>>) -> Option<usize> {
    let r = result.0.as_ref().ok()?;
    r.rule_id
        .as_ref()
        .and_then(super::borrowed_at)
        .or_else(|| r.level.as_ref().and_then(super::borrowed_at))
        .or_else(|| r.partial_fingerprints.first().and_then(|(k, _)| super::borrowed_at(k)))
}

/// `results` before `tool`: the span of input they occupy, checked to be a list (or null).
struct ResultsSpan;

impl<'de> DeserializeSeed<'de> for ResultsSpan {
    type Value = Option<&'de serde_json::value::RawValue>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let span = <Option<&'de serde_json::value::RawValue>>::deserialize(deserializer)?;
        match span.map(|s| s.get().trim_start().as_bytes().first()) {
            None | Some(Some(b'[')) => Ok(span),
            Some(_) => Err(de::Error::invalid_type(
                de::Unexpected::Other("not a list"),
                &"a list of results",
            )),
        }
    }
}

fn set_tool(st: &mut RunState<'_>, section: raw::ToolSection, report: &mut Report) {
    let r = st.index;
    let driver = section.driver.unwrap_or_default();
    let name = driver.name.clone().unwrap_or_else(|| "unnamed SARIF tool".to_string());
    let tool = Tool {
        name: name.clone(),
        version: driver.semantic_version.clone().or_else(|| driver.version.clone()),
    };
    let index = match report.tools.iter().position(|t| *t == tool) {
        Some(i) => i,
        None => {
            report.tools.push(tool);
            report.tools.len() - 1
        }
    };
    let mut components: Vec<Vec<Rule>> = Vec::new();
    for (c, component) in std::iter::once(driver).chain(section.extensions).enumerate() {
        let mut rules = Vec::new();
        for (i, rule) in component.rules.into_iter().enumerate() {
            match rule.0 {
                Ok(rule) => rules.push(resolve_rule(rule, &name)),
                Err(e) => {
                    let at = if c == 0 {
                        format!("runs[{r}].tool.driver.rules[{i}]")
                    } else {
                        format!("runs[{r}].tool.extensions[{}].rules[{i}]", c - 1)
                    };
                    report
                        .diagnostics
                        .push(Diagnostic::warning(format!("rule ignored: {e}")).at(at));
                    rules.push(Rule::default());
                }
            }
        }
        components.push(rules);
    }
    let by_id: HashMap<Str, (usize, usize)> = components
        .iter()
        .enumerate()
        .rev()
        .flat_map(|(c, rules)| {
            rules
                .iter()
                .enumerate()
                .rev()
                .filter_map(move |(i, rule)| Some((rule.id.clone()?, (c, i))))
        })
        .collect();
    let kind = tool_kind(&name);
    st.tool = Some(ToolState { index, name, kind, components, by_id });
    compute_overrides(st);
}

/// Per-invocation level overrides, once both the rules and the invocations are known.
fn compute_overrides(st: &mut RunState<'_>) {
    let Some(tool) = &st.tool else { return };
    st.overrides.clear();
    for invocation in &st.invocations {
        for o in &invocation.rule_configuration_overrides {
            let (Some(descriptor), Some(level)) = (
                &o.descriptor,
                o.configuration
                    .as_ref()
                    .and_then(|c| c.level.as_deref())
                    .and_then(SarifLevel::parse),
            ) else {
                continue;
            };
            if let Some(key) = locate(
                descriptor.id.as_deref(),
                descriptor.index,
                descriptor.tool_component.as_ref().and_then(|t| t.index),
                &tool.components,
                &tool.by_id,
            ) {
                st.overrides.insert(key, level);
            }
        }
    }
}

fn convert(st: &RunState<'_>, report: &mut Report, i: usize, result: Lenient<raw::Result<'_>>) {
    let result = match result.0 {
        Ok(result) => result,
        Err(e) => {
            let at = format!("runs[{}].results[{i}]", st.index);
            report.diagnostics.push(Diagnostic::warning(format!("result skipped: {e}")).at(at));
            return;
        }
    };
    let Some(tool) = &st.tool else { return };
    let key = locate(
        result.rule_id.as_deref().or(result.rule.as_ref().and_then(|x| x.id.as_deref())),
        result.rule_index.or(result.rule.as_ref().and_then(|x| x.index)),
        result.rule.as_ref().and_then(|x| x.tool_component.as_ref()).and_then(|t| t.index),
        &tool.components,
        &tool.by_id,
    );
    let empty = Rule::default();
    let rule = key.map(|(c, i)| &tool.components[c][i]).unwrap_or(&empty);
    let overridden = key.and_then(|k| st.overrides.get(&k).copied());
    let mut finding = read_result(result, rule, overridden, &st.context, &tool.name, tool.kind);
    finding.tool = tool.index;
    if finding.outcome == Outcome::Fail {
        report.findings.add(finding);
    } else {
        report.non_findings.add(finding);
    }
}

/// Converts what was buffered, then gives the run's findings their component and the
/// report its scan time: both may be stated anywhere in the run.
fn finish_run(mut st: RunState<'_>, report: &mut Report) -> Result<(), serde_json::Error> {
    if st.tool.is_none() {
        set_tool(&mut st, raw::ToolSection::default(), report);
    }
    if let Some(results) = st.buffered.take() {
        let mut de = serde_json::Deserializer::from_str(results.get());
        let end = results.get().as_ptr() as usize + results.get().len();
        ResultsSeed { st: &mut st, report: &mut *report, end }.deserialize(&mut de)?;
    }
    if report.scan_time.is_none() {
        report.scan_time = st.invocations.iter().find_map(|i| {
            i.start_time_utc.as_deref().or(i.end_time_utc.as_deref()).and_then(Timestamp::parse)
        });
    }
    let component = run_component(&st.automation, &st.vcs, &st.properties, report);
    let component_index = match report.components.iter().position(|c| *c == component) {
        Some(i) => i,
        None => {
            report.components.push(component);
            report.components.len() - 1
        }
    };
    let mut covered = Vec::new();
    for f in report.findings[st.findings_from..]
        .iter_mut()
        .chain(&mut report.non_findings[st.non_findings_from..])
    {
        f.component = component_index;
        covered.push(capability_of(f.kind));
    }
    if covered.is_empty() {
        // A run without results still says what it looked for, through its tool.
        let tool = st.tool.as_ref().map(|t| (t.kind, t.name.to_ascii_lowercase()));
        covered.push(match tool {
            Some((ToolKind::Sca, _)) => Capability::Sca,
            Some((ToolKind::Secrets, _)) => Capability::Secrets,
            Some((_, name)) if name.contains("trivy") => Capability::Sca,
            _ => Capability::Sast,
        });
    }
    for capability in covered {
        report.covers(capability);
    }
    Ok(())
}

fn locate(
    id: Option<&str>,
    index: Option<u32>,
    component: Option<u32>,
    components: &[Vec<Rule>],
    by_id: &HashMap<Str, (usize, usize)>,
) -> Option<(usize, usize)> {
    if let Some(index) = index {
        let c = component.map(|c| c as usize + 1).unwrap_or(0);
        if components.get(c).is_some_and(|rules| (index as usize) < rules.len()) {
            return Some((c, index as usize));
        }
    }
    by_id.get(id?).copied()
}

fn help_of(message: raw::Message) -> Help {
    Help::new(message.text, message.markdown)
}

fn resolve_rule(rule: raw::Rule, tool_name: &str) -> Rule {
    let properties = rule.properties.unwrap_or_default();
    let mut cwes: Cwes = properties
        .tags
        .iter()
        .chain(&properties.cwe)
        .filter(|t| cwe::mentions_cwe(t))
        .filter_map(|t| cwe::parse(t))
        .collect();
    for relationship in &rule.relationships {
        let Some(target) = &relationship.target else { continue };
        let is_cwe = target
            .tool_component
            .as_ref()
            .and_then(|t| t.name.as_deref())
            .is_some_and(|n| n.eq_ignore_ascii_case("cwe"));
        if let Some(id) = target.id.as_deref().filter(|_| is_cwe) {
            cwes.extend(cwe::parse(id));
        }
    }
    cwe::normalise(&mut cwes);
    let title = shared(rule.short_description.and_then(|m| m.text).or(rule.name));
    let help = match (rule.help, rule.full_description) {
        (Some(help), _) => help_of(help),
        (None, Some(full)) => help_of(full),
        (None, None) => Help::default(),
    };
    let mut vuln_ids = ThinVec::new();
    for text in rule.id.iter().chain(&properties.tags) {
        ids::extract(text, &mut vuln_ids);
    }
    let fingerprint_prefix = Some(Hasher::new("sarif").part(tool_name).opt(rule.id.as_deref()));
    Rule {
        fingerprint_prefix,
        id: shared(rule.id),
        title,
        help,
        help_uri: rule.help_uri,
        vuln_ids,
        default_level: rule
            .default_configuration
            .and_then(|c| c.level)
            .as_deref()
            .and_then(SarifLevel::parse),
        rating: properties.security_severity.as_deref().and_then(severity::sarif_rule),
        security_severity: properties.security_severity,
        precision: properties
            .precision
            .or(properties.problem_severity.map(|p| format!("problem.severity {p}"))),
        tags: (!properties.tags.is_empty()).then(|| Rc::from(properties.tags)),
        cwes,
        message_strings: rule.message_strings.unwrap_or_default(),
    }
}

struct RunContext<'a> {
    bases: HashMap<String, raw::ArtifactLocation<'a>>,
    artifacts: Vec<raw::Artifact<'a>>,
    /// The document's (see [`crate::intern`]).
    interner: Rc<RefCell<Interner>>,
    /// Partial fingerprint keys as written, and as kept (`partial:…`): a log uses one or two,
    /// on every result, and this spares hashing and looking each up in the interner.
    partial_keys: RefCell<Vec<(Box<str>, Str)>>,
}

impl RunContext<'_> {
    /// Resolves an artifact location to a path: `artifacts[index]`, then `uriBaseId` chains.
    fn uri(&self, location: raw::ArtifactLocation<'_>) -> Option<Str> {
        let mut uri = location.uri;
        let mut base = location.uri_base_id;
        if uri.is_none() {
            let artifact = location
                .index
                .and_then(|i| self.artifacts.get(i as usize))
                .and_then(|a| a.location.as_ref());
            uri = artifact.and_then(|a| a.uri.clone());
            base = base.or_else(|| artifact.and_then(|a| a.uri_base_id.clone()));
        }
        let mut uri = uri?;
        for _ in 0..8 {
            let Some(b) = base.take() else { break };
            let Some(entry) = self.bases.get(b.as_ref()) else { break };
            if let Some(prefix) = entry.uri.as_deref() {
                if !uri.contains("://") && !uri.starts_with('/') {
                    let separator = if prefix.ends_with('/') { "" } else { "/" };
                    uri = Cow::Owned(format!("{prefix}{separator}{uri}"));
                }
            }
            base = entry.uri_base_id.clone();
        }
        Some(self.interner.borrow_mut().get(&uri))
    }

    fn location(&self, location: raw::SarifLocation<'_>, rule: &Rule) -> Location {
        let (uri, region, snippet) = match location.physical_location {
            Some(p) => {
                let (region, snippet) = match p.region {
                    Some(r) => (
                        Some(Region {
                            start_line: r.start_line,
                            start_column: r.start_column,
                            end_line: r.end_line,
                            end_column: r.end_column,
                        }),
                        r.snippet.and_then(|s| s.text),
                    ),
                    None => (None, None),
                };
                let snippet = snippet
                    .or_else(|| p.context_region.and_then(|r| r.snippet).and_then(|s| s.text));
                (p.artifact_location.and_then(|a| self.uri(a)), region, snippet)
            }
            None => (None, None, None),
        };
        Location {
            uri,
            region,
            snippet,
            logical: location
                .logical_locations
                .into_iter()
                .next()
                .and_then(|l| l.fully_qualified_name.or(l.name)),
            message: location.message.and_then(|m| message_text(m, rule)),
        }
    }
}

/// A message's text: `text`, or the rule's `messageStrings[id]`, with `{n}` arguments filled in.
fn message_text(message: raw::Message, rule: &Rule) -> Option<String> {
    let template = match message.text {
        Some(text) => text,
        None => message
            .id
            .as_ref()
            .and_then(|id| rule.message_strings.get(id))
            .and_then(|m| m.text.clone())?,
    };
    if message.arguments.is_empty() {
        return Some(template);
    }
    let mut out = template;
    for (i, argument) in message.arguments.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), argument);
    }
    Some(out)
}

#[derive(Clone, Copy)]
enum ToolKind {
    Sca,
    Secrets,
    Other,
}

fn tool_kind(name: &str) -> ToolKind {
    let n = name.to_ascii_lowercase();
    if [
        "grype",
        "anchore",
        "govulncheck",
        "dependency-check",
        "osv-scanner",
        "snyk open source",
        "nessus",
    ]
    .iter()
    .any(|t| n.contains(t))
    {
        ToolKind::Sca
    } else if ["gitleaks", "trufflehog", "detect-secrets"].iter().any(|t| n.contains(t)) {
        ToolKind::Secrets
    } else {
        ToolKind::Other
    }
}

fn finding_kind(rule: &Rule, tool_kind: ToolKind, has_vuln_id: bool) -> FindingKind {
    let tagged = |t: &str| {
        rule.tags.iter().flat_map(|tags| tags.iter()).any(|tag| tag.eq_ignore_ascii_case(t))
    };
    if tagged("vulnerability") {
        FindingKind::Vulnerability
    } else if tagged("misconfiguration") {
        FindingKind::Misconfiguration
    } else if tagged("secret") {
        FindingKind::Secret
    } else if tagged("license") {
        FindingKind::License
    } else {
        match tool_kind {
            ToolKind::Sca => FindingKind::Vulnerability,
            ToolKind::Secrets => FindingKind::Secret,
            ToolKind::Other if has_vuln_id && rule.cwes.is_empty() => FindingKind::Vulnerability,
            ToolKind::Other => FindingKind::Code,
        }
    }
}

fn read_result(
    result: raw::Result,
    rule: &Rule,
    level_override: Option<SarifLevel>,
    context: &RunContext,
    tool_name: &str,
    tool_kind: ToolKind,
) -> Finding {
    const KINDS: [(&str, Outcome); 6] = [
        ("fail", Outcome::Fail),
        ("pass", Outcome::Pass),
        ("open", Outcome::Open),
        ("review", Outcome::Review),
        ("informational", Outcome::Informational),
        ("notApplicable", Outcome::NotApplicable),
    ];
    let outcome = match result.kind.as_deref() {
        None => Outcome::Fail,
        Some(kind) => KINDS
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(kind))
            .map_or(Outcome::Informational, |(_, o)| *o),
    };
    let (level, origin) = match result.level.as_deref().and_then(SarifLevel::parse) {
        Some(level) => (level, LevelOrigin::Result),
        None => match level_override.or(rule.default_level) {
            Some(level) => (level, LevelOrigin::RuleDefault),
            None => (SarifLevel::Warning, LevelOrigin::Default),
        },
    };
    let result_properties = result.properties.map(|p| *p).unwrap_or_default();
    let rating = match result_properties
        .scanlens_severity
        .as_deref()
        .and_then(|s| Severity::parse(s).map(|v| (s, v)))
    {
        Some((raw, severity)) => severity::merged(severity, raw),
        None => match (&result_properties.security_severity, &rule.rating) {
            (None, Some(rating)) => rating.clone(),
            _ => severity::sarif(
                result_properties.security_severity.as_deref(),
                rule.security_severity.as_deref(),
                level,
                origin,
            ),
        },
    };

    // The rule's id (shared) unless the result names another one.
    let named = result.rule_id.or_else(|| result.rule.and_then(|r| r.id).map(Cow::Owned));
    let rule_id = match (named, &rule.id) {
        (Some(named), Some(id)) if *named == **id => Some(id.clone()),
        (Some(named), _) => Some(context.interner.borrow_mut().get(&named)),
        (None, id) => id.clone(),
    };
    let mut vuln_ids = rule.vuln_ids.clone();
    if rule_id.as_ref() != rule.id.as_ref() {
        if let Some(id) = &rule_id {
            ids::extract(id, &mut vuln_ids);
        }
    }
    for tag in &result_properties.tags {
        ids::extract(tag, &mut vuln_ids);
    }
    let mut finding = Finding::new(finding_kind(rule, tool_kind, !vuln_ids.is_empty()), rating);
    finding.outcome = outcome;
    finding.vuln_ids = vuln_ids;
    finding.title = rule.title.clone();
    finding.help = rule.help.clone();
    finding.tags = rule.tags.clone();
    if let Some(uri) = &rule.help_uri {
        finding.references.push(uri.clone());
    }
    if let Some(message) = result.message {
        let markdown = message.markdown.clone();
        finding.message = Text { text: message_text(message, rule), markdown };
    }
    finding.confidence = rule.precision.clone();
    finding.cwes = rule.cwes.clone();
    for tag in
        result_properties.tags.iter().chain(&result_properties.cwe).filter(|t| cwe::mentions_cwe(t))
    {
        finding.cwes.extend(cwe::parse(tag));
    }
    for taxon in &result.taxa {
        let is_cwe = taxon
            .tool_component
            .as_ref()
            .and_then(|t| t.name.as_deref())
            .is_some_and(|n| n.eq_ignore_ascii_case("cwe"));
        if let Some(id) = taxon.id.as_deref().filter(|_| is_cwe) {
            finding.cwes.extend(cwe::parse(id));
        }
    }
    cwe::normalise(&mut finding.cwes);
    finding.locations = result.locations.into_iter().map(|l| context.location(l, rule)).collect();
    finding.related =
        result.related_locations.into_iter().map(|l| context.location(l, rule)).collect();
    finding.code_flows = result
        .code_flows
        .into_iter()
        .flat_map(|flow| {
            let message = flow.message.and_then(|m| message_text(m, rule));
            flow.thread_flows.into_iter().map(move |thread| CodeFlow {
                message: message.clone(),
                steps: thread
                    .locations
                    .into_iter()
                    .filter_map(|step| step.location)
                    .map(|l| context.location(l, rule))
                    .collect(),
            })
        })
        .collect();
    if let Some(state) = result.baseline_state {
        finding.properties.push(("baselineState".into(), state));
    }
    // A suppression counts unless it is still under review or was rejected (§3.35.3).
    if let Some(s) = result
        .suppressions
        .into_iter()
        .find(|s| !matches!(s.status.as_deref(), Some("underReview" | "rejected")))
    {
        finding.status = Status {
            state: State::Suppressed,
            raw: s.kind.or(Some("suppressed".into())),
            justification: s.justification,
        };
    }
    let mut fingerprints = result.fingerprints;
    fingerprints.sort();
    if let Some(guid) = result.correlation_guid {
        fingerprints.insert(0, (Cow::Borrowed("correlationGuid"), guid));
    }
    let mut partial = result.partial_fingerprints;
    partial.sort();
    finding.fingerprint = if let Some((key, value)) = fingerprints.first() {
        Hasher::new("sarif:fingerprint").part(tool_name).part(key).part(value).finish()
    } else {
        // The same tool and rule start every one of the rule's results' hashes.
        let prefix = match rule.fingerprint_prefix {
            Some(prefix) if rule_id == rule.id => prefix,
            _ => Hasher::new("sarif").part(tool_name).opt(rule_id.as_deref()),
        };
        let mut h = prefix.opt(finding.path());
        if partial.is_empty() {
            let anchor = finding
                .locations
                .first()
                .and_then(|l| l.snippet.as_deref())
                .or(finding.message.text.as_deref())
                .unwrap_or("");
            h = h.part(&fingerprint::normalise_text(anchor));
        }
        for (k, v) in &partial {
            h = h.part(k).part(v);
        }
        h.finish()
    };
    let mut interner = context.interner.borrow_mut();
    let mut kept = ThinVec::with_capacity(fingerprints.len() + partial.len());
    kept.extend(fingerprints.into_iter().map(|(k, v)| (interner.get(&k), v)));
    let mut keys = context.partial_keys.borrow_mut();
    for (k, v) in partial {
        let key = match keys.iter().find(|(raw, _)| **raw == *k) {
            Some((_, key)) => key.clone(),
            None => {
                let key = interner.get(&format!("partial:{k}"));
                // A log with ever new keys still gets the interner's sharing.
                if keys.len() < 8 {
                    keys.push((k.as_ref().into(), key.clone()));
                }
                key
            }
        };
        kept.push((key, v));
    }
    finding.tool_fingerprints = kept;
    finding.rule_id = rule_id;
    finding
}

fn run_component(
    automation: &raw::AutomationDetails,
    vcs: &[raw::VersionControl],
    properties: &raw::RunProperties,
    report: &Report,
) -> Component {
    let mut identity = Vec::new();
    let category = automation.id.as_deref().map(|id| match id.rfind('/') {
        Some(i) => id[..i].to_string(),
        None => id.to_string(),
    });
    if let Some(category) = category.filter(|c| !c.is_empty()) {
        identity.push(("category".to_string(), category));
    }
    if let Some(guid) = &automation.guid {
        identity.push(("automation guid".to_string(), guid.clone()));
    }
    if let Some(language) = &properties.source_language {
        identity.push(("language".to_string(), language.clone()));
    }
    if let Some(v) = vcs.iter().find(|v| v.repository_uri.is_some()) {
        if let Some(revision) = &v.revision_id {
            identity.push(("revision".to_string(), revision.clone()));
        }
        if let Some(branch) = &v.branch {
            identity.push(("branch".to_string(), branch.clone()));
        }
        return Component {
            name: v.repository_uri.clone().unwrap_or_default(),
            kind: ComponentKind::Repository,
            identity,
        };
    }
    if let Some(image) = &properties.image_name {
        return Component { name: image.clone(), kind: ComponentKind::Image, identity };
    }
    // SARIF rarely says what was scanned: name it after the file until a policy maps it.
    identity.push(("source".to_string(), "file name".to_string()));
    Component { name: report.base_name(), kind: ComponentKind::Other, identity }
}
