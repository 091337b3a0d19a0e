//! Builds: which reports came from one CI run, and when it ran.
//!
//! The rules, in order:
//! 1. Files dropped (or named on one command line) together form one build, unless their
//!    build identities differ.
//! 2. A `scanlens-build.json` sidecar gives its build's identity (id, else commit) and time.
//!    In a drop with several sidecars (an archive holding several runs, one folder each), a
//!    report belongs to the sidecar in its nearest enclosing folder; reports under no
//!    sidecar's folder form a build of their own.
//! 3. Builds from different drops with the same identity are one build.
//! 4. A build's time is, first found: the sidecar's time, the latest scan time inside its
//!    reports (Trivy `CreatedAt`, Grype `descriptor.timestamp`, SARIF invocations), the latest
//!    modification time of its archive entries, and finally what the user sets.
//! 5. Builds are ordered by time; builds without a time come last, in drop order.

use crate::model::Report;
use crate::time::Timestamp;

/// Where a build's time came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSource {
    /// A `scanlens-build.json` sidecar.
    Sidecar,
    /// The scan times inside the reports.
    ScanTime,
    /// Modification times of the zip entries.
    ArchiveEntry,
    /// Set by the user.
    User,
    /// Not known yet: the user should set it.
    Unknown,
}

impl TimeSource {
    /// For people: `sidecar`, `scan time`, `zip entries`, `set by you`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeSource::Sidecar => "sidecar",
            TimeSource::ScanTime => "scan time",
            TimeSource::ArchiveEntry => "zip entries",
            TimeSource::User => "set by you",
            TimeSource::Unknown => "unknown",
        }
    }
}

/// One CI run's reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Build {
    /// Identity: the sidecar's id or commit, else `drop-N`.
    pub id: String,
    /// Commit, when a sidecar names it.
    pub commit: Option<String>,
    /// Branch, when a sidecar names it.
    pub branch: Option<String>,
    /// When it ran.
    pub time: Option<Timestamp>,
    /// Where `time` came from.
    pub time_source: TimeSource,
    /// Indices of its reports (sidecars included).
    pub reports: Vec<usize>,
}

impl Build {
    /// Sets the time by hand.
    pub fn set_time(&mut self, time: Timestamp) {
        self.time = Some(time);
        self.time_source = TimeSource::User;
    }
}

fn folder(name: &str) -> &str {
    name.rfind('/').map_or("", |i| &name[..i])
}

/// Groups reports into builds. `drops` lists, per drop, the indices of its reports.
pub fn group(reports: &[Report], drops: &[Vec<usize>]) -> Vec<Build> {
    let mut builds: Vec<Build> = Vec::new();
    for (d, drop) in drops.iter().enumerate() {
        let sidecars: Vec<usize> =
            drop.iter().copied().filter(|&r| reports[r].build.is_some()).collect();
        // Each report goes to the sidecar in its nearest enclosing folder; with a single
        // sidecar, the whole drop goes to it.
        let mut groups: Vec<(Option<usize>, Vec<usize>)> =
            sidecars.iter().map(|&s| (Some(s), vec![s])).collect();
        let mut loose = Vec::new();
        for &r in drop.iter().filter(|r| !sidecars.contains(r)) {
            let name = &reports[r].file_name;
            let owner = sidecars
                .iter()
                .enumerate()
                .filter(|(_, &s)| {
                    let dir = folder(&reports[s].file_name);
                    sidecars.len() == 1 || dir.is_empty() || name.starts_with(&format!("{dir}/"))
                })
                .max_by_key(|(_, &s)| folder(&reports[s].file_name).len())
                .map(|(i, _)| i);
            match owner {
                Some(i) => groups[i].1.push(r),
                None => loose.push(r),
            }
        }
        if !loose.is_empty() {
            groups.push((None, loose));
        }
        for (sidecar, members) in groups {
            let info = sidecar.and_then(|s| reports[s].build.clone()).unwrap_or_default();
            let id = info
                .id
                .clone()
                .or(info.commit.clone())
                .unwrap_or_else(|| format!("drop-{}", d + 1));
            let (time, time_source) = if let Some(t) = info.time {
                (Some(t), TimeSource::Sidecar)
            } else if let Some(t) = members
                .iter()
                .filter(|&&r| reports[r].build.is_none())
                .filter_map(|&r| reports[r].scan_time)
                .max()
            {
                (Some(t), TimeSource::ScanTime)
            } else if let Some(t) = members.iter().filter_map(|&r| reports[r].entry_time).max() {
                (Some(t), TimeSource::ArchiveEntry)
            } else {
                (None, TimeSource::Unknown)
            };
            match builds.iter_mut().find(|b| b.id == id) {
                Some(existing) => {
                    existing.reports.extend(members);
                    if existing.time.is_none() {
                        (existing.time, existing.time_source) = (time, time_source);
                    }
                }
                None => builds.push(Build {
                    id,
                    commit: info.commit,
                    branch: info.branch,
                    time,
                    time_source,
                    reports: members,
                }),
            }
        }
    }
    // Stable: builds without a time keep their drop order, after the timed ones.
    builds.sort_by_key(|b| (b.time.is_none(), b.time));
    builds
}
