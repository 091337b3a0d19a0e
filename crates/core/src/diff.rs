//! What changed between two builds: new, fixed, unchanged and changed-severity entries.
//!
//! Entries are matched within a component, first by any fingerprint their sources share,
//! then by a fallback identity that survives moved lines (kind, rule, path, and the
//! whitespace-normalised snippet or else the message: never the line number), and for
//! vulnerabilities by id or alias, package and version.

use std::collections::HashMap;

use crate::aggregate::{Aggregate, Entry};
use crate::fingerprint::{self, Hasher};
use crate::model::{FindingKind, Report};

/// The difference between an old and a new build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Entries of the new build with no match in the old one.
    pub new: Vec<usize>,
    /// Entries of the old build with no match in the new one.
    pub fixed: Vec<usize>,
    /// Matched entries with the same severity: (old, new).
    pub unchanged: Vec<(usize, usize)>,
    /// Matched entries whose severity changed: (old, new).
    pub changed_severity: Vec<(usize, usize)>,
}

/// The identities an entry can be matched by, strongest first.
fn identities(reports: &[Report], entry: &Entry) -> Vec<u64> {
    let mut out = Vec::new();
    for source in &entry.sources {
        out.push(
            Hasher::new("diff:fingerprint")
                .part(&entry.component)
                .part(&fingerprint::to_hex(source.get(reports).fingerprint))
                .finish(),
        );
    }
    for source in &entry.sources {
        let f = source.get(reports);
        let anchor = f
            .locations
            .first()
            .and_then(|l| l.snippet.as_deref())
            .or(f.message.text.as_deref())
            .unwrap_or("");
        out.push(
            Hasher::new("diff:fallback")
                .part(&entry.component)
                .part(f.kind.as_str())
                .opt(f.rule_id.as_deref())
                .opt(f.path())
                .part(&fingerprint::normalise_text(&strip_line_numbers(anchor)))
                .finish(),
        );
        if matches!(f.kind, FindingKind::Vulnerability | FindingKind::DependencyAlert) {
            if let Some(p) = &f.package {
                for id in &f.vuln_ids {
                    out.push(
                        Hasher::new("diff:vulnerability")
                            .part(&entry.component)
                            .part(&id.to_ascii_uppercase())
                            .part(&p.name.to_ascii_lowercase())
                            .opt(p.version.as_deref())
                            .finish(),
                    );
                }
            }
        }
    }
    out
}

/// Snippets some tools number (`12: code`): the numbers move with the code.
fn strip_line_numbers(snippet: &str) -> String {
    snippet
        .lines()
        .map(|line| match line.split_once(": ") {
            Some((n, rest)) if !n.is_empty() && n.trim().bytes().all(|b| b.is_ascii_digit()) => {
                rest
            }
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compares an old build with a new one.
pub fn diff(
    old_reports: &[Report],
    old: &Aggregate,
    new_reports: &[Report],
    new: &Aggregate,
) -> Diff {
    let mut by_identity: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, entry) in old.entries.iter().enumerate() {
        for id in identities(old_reports, entry) {
            by_identity.entry(id).or_default().push(i);
        }
    }
    let mut taken = vec![false; old.entries.len()];
    let mut out = Diff::default();
    for (n, entry) in new.entries.iter().enumerate() {
        let matched = identities(new_reports, entry).into_iter().find_map(|id| {
            by_identity.get(&id).and_then(|olds| olds.iter().copied().find(|&o| !taken[o]))
        });
        match matched {
            Some(o) => {
                taken[o] = true;
                if old.entries[o].severity == entry.severity {
                    out.unchanged.push((o, n));
                } else {
                    out.changed_severity.push((o, n));
                }
            }
            None => out.new.push(n),
        }
    }
    out.fixed = (0..old.entries.len()).filter(|&o| !taken[o]).collect();
    out
}
