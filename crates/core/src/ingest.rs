//! From bytes to reports: unpack containers, hash, detect the format, parse.

use sha2::{Digest, Sha256};

use crate::archive::{self, Container, Limits, Member};
use crate::formats;
use crate::intern::Interner;
use crate::model::{Diagnostic, Report};

/// Reads one input (a file as dropped, or as named on the command line) into reports: one
/// for a plain document, one per member for a `.zip` or `.gz`. Never fails: whatever cannot
/// be read becomes a report with an error diagnostic, so nothing given is silently dropped.
///
/// ```
/// let reports = scanlens_core::ingest("empty.sarif", br#"{"version":"2.1.0","runs":[]}"#);
/// assert_eq!(reports.len(), 1);
/// assert_eq!(reports[0].format.map(|f| f.as_str()), Some("sarif"));
/// assert!(reports[0].findings.is_empty());
/// ```
pub fn ingest(name: &str, bytes: &[u8]) -> Vec<Report> {
    ingest_with(name, bytes, &Options::default())
}

/// How to read an input.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Caps on what archives may expand to.
    pub limits: Limits,
    /// The input's lower-case hex SHA-256 when the caller already has it (the page computes
    /// it with the browser's native SubtleCrypto, the CLI on a second thread), so the bytes
    /// are not hashed twice. Used for a plain document; archive members are hashed here.
    pub sha256: Option<String>,
}

/// As [`ingest`], with [`Options`].
pub fn ingest_with(name: &str, bytes: &[u8], options: &Options) -> Vec<Report> {
    ingest_input(name, bytes, None, Interner::default(), options)
}

/// As [`ingest_with`], for an input the caller already knows to be UTF-8 (the page's worker
/// checks each slice of a file as the browser reads it): a plain document is then read
/// without checking it again, sharing strings through `interner` (which the worker fills
/// with the paths the file names, see [`Interner::scan`]).
pub fn ingest_text(name: &str, text: &str, interner: Interner, options: &Options) -> Vec<Report> {
    ingest_input(name, text.as_bytes(), Some(text), interner, options)
}

/// `text`, when given, is `bytes` as text.
fn ingest_input(
    name: &str,
    bytes: &[u8],
    text: Option<&str>,
    interner: Interner,
    options: &Options,
) -> Vec<Report> {
    let mut reports = Vec::new();
    if archive::detect(bytes).is_some() {
        ingest_into(name, bytes, &options.limits, 0, &mut reports);
    } else {
        let sha256 = options.sha256.clone().unwrap_or_else(|| sha256_hex(bytes));
        reports.push(parse_document(name, bytes, text, interner, sha256));
    }
    reports
}

fn ingest_into(name: &str, bytes: &[u8], limits: &Limits, depth: u8, out: &mut Vec<Report>) {
    let Some(container) = archive::detect(bytes) else {
        out.push(parse_bytes(name, bytes));
        return;
    };
    if depth >= limits.max_depth {
        out.push(failed(
            name,
            bytes,
            format!("archives nested more than {} deep are not opened", limits.max_depth),
        ));
        return;
    }
    match container {
        Container::Gzip => match archive::gunzip(bytes, limits) {
            Ok(inner) => {
                let base = name.rsplit('/').next().unwrap_or(name);
                let inner_name =
                    base.strip_suffix(".gz").or_else(|| base.strip_suffix(".gzip")).unwrap_or(base);
                ingest_into(&format!("{name}/{inner_name}"), &inner, limits, depth + 1, out);
            }
            Err(reason) => out.push(failed(name, bytes, format!("gzip: {reason}"))),
        },
        Container::Zip => match archive::unzip(bytes, limits) {
            Ok(members) if members.is_empty() => {
                out.push(failed(name, bytes, "the zip archive is empty".into()))
            }
            Ok(members) => {
                for member in members {
                    match member {
                        Member::File { path, bytes: inner, modified } => {
                            let first = out.len();
                            ingest_into(&format!("{name}/{path}"), &inner, limits, depth + 1, out);
                            // Members of nested archives keep their own, innermost time.
                            for report in &mut out[first..] {
                                report.entry_time = report.entry_time.or(modified);
                            }
                        }
                        Member::Skipped { path, reason } => {
                            let mut report =
                                Report { file_name: format!("{name}/{path}"), ..Report::default() };
                            report
                                .diagnostics
                                .push(Diagnostic::error(format!("not extracted: {reason}")));
                            out.push(report);
                        }
                    }
                }
            }
            Err(reason) => out.push(failed(name, bytes, format!("zip: {reason}"))),
        },
    }
}

fn failed(name: &str, bytes: &[u8], message: String) -> Report {
    let mut report = Report {
        file_name: name.to_string(),
        byte_size: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        ..Report::default()
    };
    report.diagnostics.push(Diagnostic::error(message));
    report
}

/// Parses one plain (not archived) document.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Report {
    parse_document(name, bytes, None, Interner::default(), sha256_hex(bytes))
}

/// `text`, when given, is `bytes` as text.
fn parse_document(
    name: &str,
    bytes: &[u8],
    text: Option<&str>,
    mut interner: Interner,
    sha256: String,
) -> Report {
    let mut report = Report {
        file_name: name.to_string(),
        byte_size: bytes.len() as u64,
        sha256,
        ..Report::default()
    };
    let text = text.map(|t| t.strip_prefix('\u{FEFF}').unwrap_or(t));
    formats::parse_document(formats::strip_bom(bytes), text, &mut interner, &mut report);
    crate::fingerprint::disambiguate(&mut report.findings);
    // Lists are sized from an estimate, a little over, or grown: give back what is left over.
    report.findings.shrink_to_fit();
    report.non_findings.shrink_to_fit();
    report
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standard_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
