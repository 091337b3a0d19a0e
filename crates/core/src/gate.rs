//! The build gate: "High and Critical fail the build", computed by the same code in the page
//! and in CI. Findings at or above the threshold fail it unless something excuses them, and
//! everything excused is counted and shown with its reason.

use crate::aggregate::Aggregate;
use crate::model::{Report, State};
use crate::policy::Policy;
use crate::severity::Severity;
use crate::time::Timestamp;

/// Why an entry at or above the threshold does not fail the gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Excuse {
    /// Its state is not one the policy counts (suppressed in source, dismissed, fixed, not affected).
    State(State),
    /// Its kind is not one the policy counts.
    Kind,
    /// An active ignore rule matches it: the index into [`Policy::ignores`].
    Ignored(usize),
}

/// The gate's verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Whether the build passes.
    pub passed: bool,
    /// The threshold applied.
    pub fail_on: Severity,
    /// Entries that fail it, most severe first (indices into [`Aggregate::entries`]).
    pub failing: Vec<usize>,
    /// Entries at or above the threshold that do not fail it, and why.
    pub excused: Vec<(usize, Excuse)>,
    /// Ignore rules past their expiry (indices into [`Policy::ignores`]): they no longer apply.
    pub expired_ignores: Vec<usize>,
}

/// Evaluates the gate at time `now` (ignore rules expire).
pub fn evaluate(
    reports: &[Report],
    aggregate: &Aggregate,
    policy: &Policy,
    now: Timestamp,
) -> Verdict {
    let expired_ignores: Vec<usize> =
        policy.ignores.iter().enumerate().filter(|(_, r)| r.expired(now)).map(|(i, _)| i).collect();
    let mut failing = Vec::new();
    let mut excused = Vec::new();
    for (e, entry) in aggregate.entries.iter().enumerate() {
        if entry.severity < policy.fail_on {
            continue;
        }
        let primary = entry.primary.get(reports);
        let ignored = policy.ignores.iter().enumerate().find(|(i, rule)| {
            !expired_ignores.contains(i)
                && entry.sources.iter().any(|s| rule.matches(s.get(reports), &entry.component))
        });
        let excuse = if !policy.states.contains(&entry.state) {
            Some(Excuse::State(entry.state))
        } else if !policy.counts_kind(primary.kind) {
            Some(Excuse::Kind)
        } else {
            ignored.map(|(i, _)| Excuse::Ignored(i))
        };
        match excuse {
            Some(excuse) => excused.push((e, excuse)),
            None => failing.push(e),
        }
    }
    failing.sort_by_key(|&e| std::cmp::Reverse(aggregate.entries[e].severity));
    Verdict {
        passed: failing.is_empty(),
        fail_on: policy.fail_on,
        failing,
        excused,
        expired_ignores,
    }
}

/// Why an entry at or above the threshold does not fail the gate, in words for a reader.
pub fn explain(
    reports: &[Report],
    entry: &crate::aggregate::Entry,
    excuse: Excuse,
    policy: &Policy,
) -> String {
    match excuse {
        Excuse::State(state) => match entry.vex {
            Some((r, s)) => {
                let statement = &reports[r].vex[s];
                let why = statement
                    .justification
                    .as_deref()
                    .map(|j| format!(": {j}"))
                    .unwrap_or_default();
                format!("{} per VEX {}{why}", state.as_str(), reports[r].file_name)
            }
            None => format!("{} in its source", state.as_str()),
        },
        Excuse::Kind => "kind not counted by the policy".to_string(),
        Excuse::Ignored(i) => {
            let rule = &policy.ignores[i];
            match (&rule.triage, rule.line) {
                (Some((status, by)), 0) => {
                    format!("{} (triaged by {by}): {}", status.label(), rule.justification)
                }
                (Some((status, by)), line) => format!(
                    "{} (triaged by {by}, policy line {line}): {}",
                    status.label(),
                    rule.justification
                ),
                (None, line) => format!("ignored by policy (line {line}): {}", rule.justification),
            }
        }
    }
}
