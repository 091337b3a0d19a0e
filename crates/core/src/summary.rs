//! Per-report counts, as the file list and `scanlens summary` show them.

use crate::model::{DiagnosticLevel, Report, State};
use crate::severity::Severity;

/// Counts for one report. Invariant: `findings == open_by_severity.sum() + not_open`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Every finding (SARIF `fail`, Trivy `FAIL`, every vulnerability and alert).
    pub findings: usize,
    /// Open findings by severity, indexed like [`Severity::ALL`] (critical first).
    pub open_by_severity: [usize; 6],
    /// Findings that are not open: suppressed, dismissed, fixed or not affected.
    pub not_open: usize,
    /// Results kept that are not findings (passes, exceptions, ignored matches).
    pub non_findings: usize,
    /// Diagnostics that are errors.
    pub errors: usize,
    /// Diagnostics that are warnings.
    pub warnings: usize,
}

impl Counts {
    /// Counts one report.
    pub fn of(report: &Report) -> Counts {
        let mut counts = Counts {
            findings: report.findings.len(),
            non_findings: report.non_findings.len(),
            ..Counts::default()
        };
        for finding in &report.findings {
            if finding.status.state == State::Open {
                counts.open_by_severity[severity_index(finding.rating.severity)] += 1;
            } else {
                counts.not_open += 1;
            }
        }
        for d in &report.diagnostics {
            match d.level {
                DiagnosticLevel::Error => counts.errors += 1,
                DiagnosticLevel::Warning => counts.warnings += 1,
                DiagnosticLevel::Info => {}
            }
        }
        counts
    }

    /// Open findings of one severity.
    pub fn open(&self, severity: Severity) -> usize {
        self.open_by_severity[severity_index(severity)]
    }
}

/// The position of a severity in [`Severity::ALL`].
pub fn severity_index(severity: Severity) -> usize {
    Severity::ALL.iter().position(|s| *s == severity).unwrap_or(5)
}
