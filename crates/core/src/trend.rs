//! Trend series, ready to chart: per build × component × severity, how many entries are
//! open, new since the previous build, fixed since it, and suppressed (not open and not
//! fixed: suppressed, dismissed, VEX not affected).

use crate::aggregate::{aggregate_of, Aggregate};
use crate::build::Build;
use crate::diff::diff;
use crate::model::{Report, State};
use crate::policy::Policy;
use crate::severity::Severity;

/// One point of the series.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Point {
    /// Index into the builds.
    pub build: usize,
    /// Component name.
    pub component: String,
    /// Severity.
    pub severity: Severity,
    /// Open entries.
    pub open: usize,
    /// Entries new since the previous build (open ones).
    pub new: usize,
    /// Entries of the previous build gone in this one.
    pub fixed: usize,
    /// Entries present but not open (suppressed, dismissed, not affected).
    pub suppressed: usize,
}

/// The series over `builds` (in their order), every component × severity in every build.
pub fn series(reports: &[Report], builds: &[Build], policy: &Policy) -> Vec<Point> {
    let aggregates: Vec<Aggregate> =
        builds.iter().map(|b| aggregate_of(reports, &b.reports, policy)).collect();
    let mut components: Vec<String> =
        aggregates.iter().flat_map(|a| a.entries.iter().map(|e| e.component.clone())).collect();
    components.sort();
    components.dedup();
    let mut points = Vec::new();
    for (b, agg) in aggregates.iter().enumerate() {
        let changes = (b > 0).then(|| diff(reports, &aggregates[b - 1], reports, agg));
        for component in &components {
            for severity in Severity::ALL {
                let mut point =
                    Point { build: b, component: component.clone(), severity, ..Point::default() };
                for entry in agg
                    .entries
                    .iter()
                    .filter(|e| e.component == *component && e.severity == severity)
                {
                    match entry.state {
                        State::Open => point.open += 1,
                        State::Fixed => {}
                        _ => point.suppressed += 1,
                    }
                }
                if let Some(d) = &changes {
                    point.new = d
                        .new
                        .iter()
                        .filter(|&&n| {
                            let e = &agg.entries[n];
                            e.component == *component
                                && e.severity == severity
                                && e.state == State::Open
                        })
                        .count();
                    point.fixed = d
                        .fixed
                        .iter()
                        .filter(|&&o| {
                            let e = &aggregates[b - 1].entries[o];
                            e.component == *component && e.severity == severity
                        })
                        .count();
                }
                points.push(point);
            }
        }
    }
    points
}
