//! Hosted builds: the `index.json` manifest a site of published reports carries, read by the
//! page (`?manifest=URL`, and the built-in demo) and written by `scanlens publish`.
//!
//! ```json
//! {"scanlens_manifest": 1, "title": "Acme Shop", "policy": "scanlens.toml",
//!  "builds": [{"id": "106", "time": "2026-03-20T09:30:00Z", "commit": "f5a81d2",
//!              "artifacts": ["106/scanlens-build.json", "106/trivy.json"]}]}
//! ```
//!
//! Paths are relative to the manifest, `/`-separated, never absolute, never with `..` and
//! never a URL: a manifest can only point next to itself, so a published site cannot be made
//! to load from anywhere else (the page's CSP `connect-src` enforces the same).

use serde::{Deserialize, Serialize};

/// The manifest version this code reads and writes.
pub const VERSION: u32 = 1;

/// A site's list of builds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`VERSION`].
    pub scanlens_manifest: u32,
    /// What the builds are of, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The policy file, relative to the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The builds, oldest first.
    #[serde(default)]
    pub builds: Vec<SiteBuild>,
}

/// One build of a site.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteBuild {
    /// Its id (the folder its artifacts are in).
    pub id: String,
    /// When it ran, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The commit built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The branch built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// Its files, relative to the manifest.
    pub artifacts: Vec<String>,
}

/// Whether `path` may appear in a manifest: relative, `/`-separated, no `..`, not a URL.
pub fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && !path.contains('?')
        && !path.contains('#')
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Reads a manifest; the error says what is wrong with it.
pub fn parse(text: &str) -> Result<Manifest, String> {
    let manifest: Manifest =
        serde_json::from_str(text).map_err(|e| format!("not a scanlens manifest: {e}"))?;
    if manifest.scanlens_manifest != VERSION {
        return Err(format!(
            "manifest version {} is not one this scanlens reads (it reads {VERSION})",
            manifest.scanlens_manifest
        ));
    }
    let paths = manifest.policy.iter().chain(manifest.builds.iter().flat_map(|b| &b.artifacts));
    if let Some(bad) = paths.into_iter().find(|p| !is_safe_path(p)) {
        return Err(format!(
            "artifact path {bad:?} is not a plain relative path (no URL, no leading /, no ..)"
        ));
    }
    Ok(manifest)
}

/// A folder name for a build id: letters, digits, `.`, `-` and `_` kept, the rest `_`.
pub fn folder_name(id: &str) -> String {
    let name: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    match name.trim_matches('.') {
        "" => "build".to_string(),
        n => n.to_string(),
    }
}

impl Manifest {
    /// Adds a build, replacing one with the same id, and keeps builds ordered by time
    /// (builds without a time keep their place after the timed ones).
    pub fn publish(&mut self, build: SiteBuild) {
        self.scanlens_manifest = VERSION;
        match self.builds.iter_mut().find(|b| b.id == build.id) {
            Some(existing) => *existing = build,
            None => self.builds.push(build),
        }
        let key = |b: &SiteBuild| b.time.as_deref().and_then(crate::time::Timestamp::parse);
        self.builds.sort_by_key(|b| (key(b).is_none(), key(b)));
    }

    /// The manifest as pretty JSON, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).expect("plain data always serialises");
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_manifest_reads() {
        let text = include_str!("../../../public/demo/index.json");
        let m = parse(text).unwrap();
        assert_eq!(m.builds.len(), 6);
        assert_eq!(m.policy.as_deref(), Some("scanlens.toml"));
        assert!(m.builds[5].artifacts.contains(&"builds/106/vex.json".to_string()));
    }

    #[test]
    fn paths_can_only_point_beside_the_manifest() {
        for good in ["106/trivy.json", "reports/a-b_c.d/x.sarif", "scanlens.toml"] {
            assert!(is_safe_path(good), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../secret.json",
            "a/../../b",
            "a//b",
            "./a",
            "https://evil.example/x.json",
            "//evil.example/x.json",
            "a\\b",
            "a?x=1",
            "a#b",
        ] {
            assert!(!is_safe_path(bad), "{bad}");
        }
        let bad = r#"{"scanlens_manifest":1,"builds":[{"id":"1","artifacts":["https://evil.example/x.json"]}]}"#;
        assert_eq!(
            parse(bad).unwrap_err(),
            "artifact path \"https://evil.example/x.json\" is not a plain relative path (no URL, no leading /, no ..)"
        );
        assert!(parse(r#"{"scanlens_manifest":2,"builds":[]}"#).unwrap_err().contains("version 2"));
        assert!(parse("[]").unwrap_err().starts_with("not a scanlens manifest"));
    }

    #[test]
    fn publishing_replaces_a_build_and_keeps_time_order() {
        let build = |id: &str, time: Option<&str>| SiteBuild {
            id: id.into(),
            time: time.map(String::from),
            artifacts: vec![format!("{id}/x.json")],
            ..SiteBuild::default()
        };
        let mut m = Manifest::default();
        m.publish(build("b", Some("2026-02-01T00:00:00Z")));
        m.publish(build("untimed", None));
        m.publish(build("a", Some("2026-01-01T00:00:00Z")));
        m.publish(SiteBuild {
            commit: Some("c0ffee".into()),
            ..build("b", Some("2026-02-01T00:00:00Z"))
        });
        let ids: Vec<&str> = m.builds.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "untimed"]);
        assert_eq!(m.builds[1].commit.as_deref(), Some("c0ffee"));
        assert_eq!(parse(&m.to_json()).unwrap(), m);
        assert_eq!(folder_name("refs/pull/12 merge"), "refs_pull_12_merge");
        assert_eq!(folder_name(".."), "build");
    }
}
