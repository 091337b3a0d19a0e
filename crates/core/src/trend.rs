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
    series_of(reports, &aggregates.iter().collect::<Vec<_>>())
}

/// As [`series`], from each build's aggregate (the session has them already). One pass over
/// each build's entries: a point per component × severity, components in name order.
pub fn series_of(reports: &[Report], aggregates: &[&Aggregate]) -> Vec<Point> {
    let mut components: Vec<&str> =
        aggregates.iter().flat_map(|a| a.entries.iter().map(|e| &*e.component)).collect();
    components.sort_unstable();
    components.dedup();
    let index = |component: &str, severity: Severity| {
        let c = components.binary_search(&component).expect("every component is listed");
        c * Severity::ALL.len() + crate::summary::severity_index(severity)
    };
    let mut points = Vec::with_capacity(aggregates.len() * components.len() * 6);
    for (b, agg) in aggregates.iter().enumerate() {
        let mut build: Vec<Point> = components
            .iter()
            .flat_map(|c| {
                Severity::ALL.map(|severity| Point {
                    build: b,
                    component: c.to_string(),
                    severity,
                    ..Point::default()
                })
            })
            .collect();
        for entry in &agg.entries {
            let point = &mut build[index(&entry.component, entry.severity)];
            match entry.state {
                State::Open => point.open += 1,
                State::Fixed => {}
                _ => point.suppressed += 1,
            }
        }
        if b > 0 {
            let previous = aggregates[b - 1];
            let changes = diff(reports, previous, reports, agg);
            for &n in &changes.new {
                let e = &agg.entries[n];
                if e.state == State::Open {
                    build[index(&e.component, e.severity)].new += 1;
                }
            }
            for &o in &changes.fixed {
                let e = &previous.entries[o];
                build[index(&e.component, e.severity)].fixed += 1;
            }
        }
        points.extend(build);
    }
    points
}
