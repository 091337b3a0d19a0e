//! The one severity policy. Every format module turns its own vocabulary into a [`Rating`]
//! through exactly one function here, and the gate, the page and the CLI read only
//! [`Rating::severity`]. The raw value and where it came from are always kept.
//!
//! | normalised | SARIF `security-severity` | SARIF effective level (no usable security-severity) | Trivy | Grype | gosec | govulncheck reachability | Dependabot | code-scanning alert |
//! |---|---|---|---|---|---|---|---|---|
//! | critical | ≥ 9.0, or the word CRITICAL | – | CRITICAL | Critical | – | – | critical | `security_severity_level` critical |
//! | high | 7.0–8.9, or HIGH | `error` | HIGH | High | HIGH | symbol (vulnerable code called) | high | high, else rule severity `error` |
//! | medium | 4.0–6.9, or MEDIUM | `warning` (also when no level resolves) | MEDIUM | Medium | MEDIUM | – | medium, MODERATE | medium, else `warning` |
//! | low | 0.1–3.9, or LOW | `note` | LOW | Low | LOW | package (imported only) | low | low, else `note` |
//! | info | – | `none` | – | Negligible | – | module (required only) | – | else `none` |
//! | unknown | – | – | UNKNOWN, or anything else | Unknown, missing, or anything else | anything else | – | anything else | anything else |
//!
//! A `security-severity` of 0, outside (0, 10], or neither a number nor a severity word is
//! "no usable security-severity" and falls back to the level column. On a SARIF result the
//! result's own `security-severity` property wins over its rule's, and a `scanlens-severity`
//! result property (written by `scanlens merge`, which has severities SARIF cannot say, such
//! as unknown) wins over both.

use std::borrow::Cow;
use std::fmt;

/// Looks a word up case-insensitively (after trimming) without allocating.
fn lookup<T: Copy>(raw: &str, table: &[(&str, T)]) -> Option<T> {
    let raw = raw.trim();
    table.iter().find(|(word, _)| word.eq_ignore_ascii_case(raw)).map(|(_, v)| *v)
}

use Severity::{Critical, High, Info, Low, Medium, Unknown};

/// A normalised severity. Ordered from least to most severe, so `max()` picks the worst.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The tool gave no severity we can place.
    #[default]
    Unknown,
    /// Informational: no security impact on its own.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// All severities, most severe first: the order the page and reports list them in.
    pub const ALL: [Severity; 6] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
        Severity::Unknown,
    ];

    /// The lower-case name used in JSON, CSV, URLs and policy files.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
            Severity::Unknown => "unknown",
        }
    }

    /// Parses a severity name as written in policy files and on the command line
    /// (case-insensitive; `moderate` is medium, `negligible` and `informational` are info).
    pub fn parse(name: &str) -> Option<Severity> {
        const NAMES: [(&str, Severity); 9] = [
            ("critical", Critical),
            ("high", High),
            ("medium", Medium),
            ("moderate", Medium),
            ("low", Low),
            ("info", Info),
            ("informational", Info),
            ("negligible", Info),
            ("unknown", Unknown),
        ];
        lookup(name, &NAMES)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A normalised severity with the raw value it came from and where that value was found,
/// e.g. `High` from raw `"HIGH"`, source `"Trivy Severity (source: redhat)"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rating {
    /// The normalised severity: the only thing the gate reads.
    pub severity: Severity,
    /// The value exactly as the tool wrote it (`"HIGH"`, `"7.8"`, `"error"`).
    pub raw: Cow<'static, str>,
    /// Which field (and vendor) it came from, for the "why this severity" explanation.
    pub source: Cow<'static, str>,
}

impl Rating {
    /// Every finding has one, so the words tools use are not allocated again each time.
    fn new(severity: Severity, raw: &str, source: impl Into<Cow<'static, str>>) -> Rating {
        const WORDS: [&str; 26] = [
            "",
            "CRITICAL",
            "HIGH",
            "MEDIUM",
            "LOW",
            "UNKNOWN",
            "NEGLIGIBLE",
            "MODERATE",
            "Critical",
            "High",
            "Medium",
            "Low",
            "Unknown",
            "Negligible",
            "critical",
            "high",
            "medium",
            "moderate",
            "low",
            "error",
            "warning",
            "note",
            "none",
            "symbol",
            "package",
            "module",
        ];
        let raw = match WORDS.iter().find(|w| **w == raw) {
            Some(word) => Cow::Borrowed(*word),
            None => match score(raw) {
                Some(score) => Cow::Borrowed(score),
                None => Cow::Owned(raw.to_string()),
            },
        };
        Rating { severity, raw, source: source.into() }
    }

    /// A one-line explanation for people: `high from security-severity "7.8"`.
    pub fn explain(&self) -> String {
        if self.raw.is_empty() {
            format!("{} ({})", self.severity, self.source)
        } else {
            format!("{} from {} {:?}", self.severity, self.source, self.raw)
        }
    }
}

/// `"0.0"` to `"9.9"` as written in CodeQL's `security-severity`, as a static string.
fn score(raw: &str) -> Option<&'static str> {
    /// "0.00.10.2…9.9": a score's three bytes at three times its tenths.
    static SCORES: [u8; 300] = {
        let mut table = [0u8; 300];
        let mut tenths = 0;
        while tenths < 100 {
            table[tenths * 3] = b'0' + (tenths / 10) as u8;
            table[tenths * 3 + 1] = b'.';
            table[tenths * 3 + 2] = b'0' + (tenths % 10) as u8;
            tenths += 1;
        }
        table
    };
    let &[units @ b'0'..=b'9', b'.', tenth @ b'0'..=b'9'] = raw.as_bytes() else { return None };
    let at = usize::from((units - b'0') * 10 + (tenth - b'0')) * 3;
    std::str::from_utf8(&SCORES[at..at + 3]).ok()
}

/// A SARIF level (SARIF 2.1.0 §3.27.10), after the rule-default fallback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SarifLevel {
    /// `error`
    Error,
    /// `warning`, also the level when none resolves.
    Warning,
    /// `note`
    Note,
    /// `none`
    None,
}

impl SarifLevel {
    /// Reads a level name; anything unrecognised is `None` here (not a level).
    pub fn parse(raw: &str) -> Option<SarifLevel> {
        const LEVELS: [(&str, SarifLevel); 4] = [
            ("error", SarifLevel::Error),
            ("warning", SarifLevel::Warning),
            ("note", SarifLevel::Note),
            ("none", SarifLevel::None),
        ];
        lookup(raw, &LEVELS)
    }

    /// The SARIF spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SarifLevel::Error => "error",
            SarifLevel::Warning => "warning",
            SarifLevel::Note => "note",
            SarifLevel::None => "none",
        }
    }

    fn severity(self) -> Severity {
        match self {
            SarifLevel::Error => Severity::High,
            SarifLevel::Warning => Severity::Medium,
            SarifLevel::Note => Severity::Low,
            SarifLevel::None => Severity::Info,
        }
    }
}

/// Maps a `security-severity` value (number, numeric string or word) by GitHub's bands.
/// `None` when the value is unusable (0, out of range, or not understood).
pub fn from_security_severity(raw: &str) -> Option<Severity> {
    let text = raw.trim();
    if let Ok(score) = text.parse::<f64>() {
        return match score {
            s if !(s > 0.0 && s <= 10.0) => None,
            s if s >= 9.0 => Some(Severity::Critical),
            s if s >= 7.0 => Some(Severity::High),
            s if s >= 4.0 => Some(Severity::Medium),
            _ => Some(Severity::Low),
        };
    }
    lookup(
        text,
        &[
            ("critical", Critical),
            ("high", High),
            ("medium", Medium),
            ("moderate", Medium),
            ("low", Low),
        ],
    )
}

/// Where a SARIF level came from, for the explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelOrigin {
    /// `result.level`.
    Result,
    /// The rule's `defaultConfiguration.level`, possibly overridden per invocation.
    RuleDefault,
    /// Nothing set a level: SARIF's default, `warning`.
    Default,
}

/// SARIF: `security-severity` from the result's properties, else from the rule's, else the
/// effective level.
pub fn sarif(
    result_security_severity: Option<&str>,
    rule_security_severity: Option<&str>,
    level: SarifLevel,
    level_origin: LevelOrigin,
) -> Rating {
    let result = result_security_severity.and_then(|raw| scored(raw, "result security-severity"));
    if let Some(rating) = result.or_else(|| rule_security_severity.and_then(sarif_rule)) {
        return rating;
    }
    let source = match level_origin {
        LevelOrigin::Result => "SARIF level",
        LevelOrigin::RuleDefault => "SARIF rule default level",
        LevelOrigin::Default => "SARIF default level (none given)",
    };
    Rating::new(level.severity(), level.as_str(), source)
}

/// The rating a SARIF rule's `security-severity` gives each of its results that has none of
/// its own; `None` when it is neither a score nor a word. Worked out once per rule.
pub fn sarif_rule(security_severity: &str) -> Option<Rating> {
    scored(security_severity, "security-severity")
}

fn scored(raw: &str, source: &'static str) -> Option<Rating> {
    from_security_severity(raw).map(|severity| Rating::new(severity, raw, source))
}

/// A log written by `scanlens merge` states each result's normalised severity in the result
/// property `scanlens-severity`; read back, it is that severity.
pub fn merged(severity: Severity, raw: &str) -> Rating {
    Rating::new(severity, raw, "scanlens merged severity")
}

/// Trivy `Severity` (vulnerabilities, misconfigurations, secrets, licenses).
/// `vendor` is `SeveritySource` when the report names it.
pub fn trivy(raw: &str, vendor: Option<&str>) -> Rating {
    let severity =
        lookup(raw, &[("critical", Critical), ("high", High), ("medium", Medium), ("low", Low)])
            .unwrap_or(Unknown);
    // Trivy's vendors (pkg/types/vulnerability.go SourceID), so the usual ones cost nothing.
    const VENDORS: [(&str, &str); 8] = [
        ("nvd", "Trivy Severity (source: nvd)"),
        ("redhat", "Trivy Severity (source: redhat)"),
        ("ghsa", "Trivy Severity (source: ghsa)"),
        ("debian", "Trivy Severity (source: debian)"),
        ("ubuntu", "Trivy Severity (source: ubuntu)"),
        ("alpine", "Trivy Severity (source: alpine)"),
        ("amazon", "Trivy Severity (source: amazon)"),
        ("go-vulndb", "Trivy Severity (source: go-vulndb)"),
    ];
    let source: Cow<'static, str> = match vendor.filter(|v| !v.is_empty()) {
        Some(vendor) => match VENDORS.iter().find(|(v, _)| *v == vendor) {
            Some((_, source)) => Cow::Borrowed(*source),
            None => Cow::Owned(format!("Trivy Severity (source: {vendor})")),
        },
        None => Cow::Borrowed("Trivy Severity"),
    };
    Rating::new(severity, raw, source)
}

/// Grype `vulnerability.severity`; missing is unknown.
pub fn grype(raw: Option<&str>) -> Rating {
    let Some(raw) = raw else {
        return Rating::new(Severity::Unknown, "", "Grype severity missing");
    };
    let severity = lookup(
        raw,
        &[
            ("critical", Critical),
            ("high", High),
            ("medium", Medium),
            ("low", Low),
            ("negligible", Info),
        ],
    )
    .unwrap_or(Unknown);
    Rating::new(severity, raw, "Grype severity")
}

/// gosec `severity` (confidence is kept separately on the finding).
pub fn gosec(raw: &str) -> Rating {
    let severity =
        lookup(raw, &[("high", High), ("medium", Medium), ("low", Low)]).unwrap_or(Unknown);
    Rating::new(severity, raw, "gosec severity")
}

/// How far govulncheck saw a vulnerability reach into the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reachability {
    /// The module is required, nothing more is known.
    Module,
    /// A vulnerable package is imported.
    Package,
    /// A vulnerable function is called.
    Symbol,
}

impl Reachability {
    /// `symbol`, `package` or `module`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reachability::Module => "module",
            Reachability::Package => "package",
            Reachability::Symbol => "symbol",
        }
    }
}

/// govulncheck has no severity: reachability stands in for it.
pub fn govulncheck(reachability: Reachability) -> Rating {
    let severity = match reachability {
        Reachability::Symbol => Severity::High,
        Reachability::Package => Severity::Low,
        Reachability::Module => Severity::Info,
    };
    Rating::new(severity, reachability.as_str(), "govulncheck reachability")
}

/// Dependabot advisory severity (REST `critical/high/medium/low`, GraphQL `MODERATE`).
pub fn dependabot(raw: &str) -> Rating {
    let severity = lookup(
        raw,
        &[
            ("critical", Critical),
            ("high", High),
            ("medium", Medium),
            ("moderate", Medium),
            ("low", Low),
        ],
    )
    .unwrap_or(Unknown);
    Rating::new(severity, raw, "Dependabot advisory severity")
}

/// GitHub code-scanning alert: `security_severity_level` when present, else the rule
/// severity read as a SARIF level.
pub fn code_scanning(security_severity_level: Option<&str>, rule_severity: Option<&str>) -> Rating {
    if let Some(raw) = security_severity_level {
        if let Some(severity) = from_security_severity(raw) {
            return Rating::new(severity, raw, "code scanning security_severity_level");
        }
    }
    match rule_severity {
        Some(raw) => match SarifLevel::parse(raw) {
            Some(level) => Rating::new(level.severity(), raw, "code scanning rule severity"),
            None => Rating::new(Severity::Unknown, raw, "code scanning rule severity"),
        },
        None => Rating::new(Severity::Unknown, "", "code scanning alert without severity"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sev(r: Rating) -> &'static str {
        r.severity.as_str()
    }

    #[test]
    fn security_severity_bands_follow_github() {
        let cases = [
            ("10", Some("critical")),
            ("9.0", Some("critical")),
            ("8.9", Some("high")),
            ("7.0", Some("high")),
            ("6.9", Some("medium")),
            ("4.0", Some("medium")),
            ("3.9", Some("low")),
            ("0.1", Some("low")),
            ("0.0", None),
            ("0", None),
            ("10.1", None),
            ("-1", None),
            ("NaN", None),
            ("MEDIUM", Some("medium")),
            ("High", Some("high")),
            ("critical", Some("critical")),
            ("urgent", None),
            ("", None),
        ];
        for (raw, want) in cases {
            assert_eq!(from_security_severity(raw).map(Severity::as_str), want, "{raw:?}");
        }
    }

    #[test]
    fn sarif_prefers_result_then_rule_security_severity_then_level() {
        let r = sarif(Some("9.1"), Some("2.0"), SarifLevel::Note, LevelOrigin::Result);
        assert_eq!(
            (sev(r.clone()), &*r.raw, &*r.source),
            ("critical", "9.1", "result security-severity")
        );
        let r = sarif(Some("0.0"), Some("7.8"), SarifLevel::Note, LevelOrigin::Result);
        assert_eq!((sev(r.clone()), &*r.source), ("high", "security-severity"));
        let r = sarif(None, Some("bogus"), SarifLevel::Note, LevelOrigin::RuleDefault);
        assert_eq!(
            (sev(r.clone()), &*r.raw, &*r.source),
            ("low", "note", "SARIF rule default level")
        );
        assert_eq!(sev(sarif(None, None, SarifLevel::Error, LevelOrigin::Result)), "high");
        assert_eq!(sev(sarif(None, None, SarifLevel::Warning, LevelOrigin::Default)), "medium");
        assert_eq!(sev(sarif(None, None, SarifLevel::None, LevelOrigin::Result)), "info");
    }

    #[test]
    fn scores_keep_their_text_without_allocating() {
        for tenths in 1..100 {
            let text = format!("{}.{}", tenths / 10, tenths % 10);
            let r = sarif(None, Some(&text), SarifLevel::Note, LevelOrigin::Result);
            assert!(matches!(r.raw, Cow::Borrowed(_)), "{text}");
            assert_eq!(r.raw, text);
        }
        for text in ["10.0", "7.85", "7", " 7.8", "7.80"] {
            let r = sarif(None, Some(text), SarifLevel::Note, LevelOrigin::Result);
            assert!(matches!(r.raw, Cow::Owned(_)), "{text}");
            assert_eq!(r.raw, text);
        }
    }

    #[test]
    fn each_tool_vocabulary() {
        let cases: [(Rating, &str); 22] = [
            (trivy("CRITICAL", None), "critical"),
            (trivy("HIGH", Some("redhat")), "high"),
            (trivy("MEDIUM", None), "medium"),
            (trivy("LOW", None), "low"),
            (trivy("UNKNOWN", None), "unknown"),
            (grype(Some("Critical")), "critical"),
            (grype(Some("Negligible")), "info"),
            (grype(Some("Unknown")), "unknown"),
            (grype(None), "unknown"),
            (gosec("HIGH"), "high"),
            (gosec("LOW"), "low"),
            (gosec("SEVERE"), "unknown"),
            (govulncheck(Reachability::Symbol), "high"),
            (govulncheck(Reachability::Package), "low"),
            (govulncheck(Reachability::Module), "info"),
            (dependabot("critical"), "critical"),
            (dependabot("MODERATE"), "medium"),
            (dependabot("low"), "low"),
            (code_scanning(Some("critical"), Some("error")), "critical"),
            (code_scanning(None, Some("warning")), "medium"),
            (code_scanning(Some("None"), Some("note")), "low"),
            (code_scanning(None, None), "unknown"),
        ];
        for (i, (rating, want)) in cases.into_iter().enumerate() {
            assert_eq!(rating.severity.as_str(), want, "case {i}: {rating:?}");
        }
        assert_eq!(
            trivy("HIGH", Some("redhat")).explain(),
            "high from Trivy Severity (source: redhat) \"HIGH\""
        );
    }

    #[test]
    fn severities_order_from_unknown_to_critical() {
        assert!(Severity::Critical > Severity::High && Severity::Info > Severity::Unknown);
        assert_eq!(Severity::parse("Moderate"), Some(Severity::Medium));
        assert_eq!(Severity::parse("nope"), None);
    }
}
