//! Warming the parsers up before the first file arrives.
//!
//! V8 runs fresh wasm in its baseline compiler and optimises a function only once it has run
//! for a while; a loop already running (the one over a log's results) stays in baseline code
//! until its function is entered again. A fresh worker therefore read the first 100 MB of
//! SARIF ~20 % slower than the second. Reading a few small, made-up logs of the common shapes
//! while the page is idle moves that cost out of the user's first drop.

use scanlens_core::session::Session;
use scanlens_core::time::Timestamp;

/// Rounds of warming: three each of a minified SARIF log, a pretty-printed one and a Trivy
/// report (~0.5 MB each). One log per round, so a file that comes meanwhile waits for one
/// small log at most (40-80 ms for the first rounds, under 20 ms once warm).
pub const ROUNDS: usize = 9;

/// Reads round `i`'s made-up log through everything a drop goes through, and forgets it.
pub fn round(i: usize) {
    let (name, text) = match i % 3 {
        0 => ("warm.sarif", sarif(i)),
        1 => ("warm.sarif", pretty(&sarif(i))),
        _ => ("warm-trivy.json", trivy(i)),
    };
    let mut session = Session::new();
    session.add_hashed(1, 1, name, text.as_bytes(), Some(""));
    let _ = session.dashboard(Timestamp(0));
}

const WORDS: [&str; 12] = [
    "user", "input", "flows", "into", "query", "without", "checks", "path", "token", "buffer",
    "render", "file",
];

fn words(seed: usize, n: usize) -> String {
    (0..n).map(|i| WORDS[(seed * 7 + i * 5) % WORDS.len()]).collect::<Vec<_>>().join(" ")
}

/// A SARIF log in CodeQL's shape: rules with help and properties, results with locations,
/// related locations and partial fingerprints.
fn sarif(seed: usize) -> String {
    const RULES: usize = 40;
    let rules: Vec<String> = (0..RULES)
        .map(|i| {
            format!(
                r##"{{"id":"warm/rule-{i}","name":"Rule{i}","shortDescription":{{"text":"{}"}},"fullDescription":{{"text":"{}"}},"help":{{"text":"{}","markdown":"# Rule {i}\n\n{}"}},"defaultConfiguration":{{"level":"warning"}},"properties":{{"security-severity":"{}.{}","precision":"high","tags":["security","external/cwe/cwe-{}"]}}}}"##,
                words(i, 5),
                words(i + 1, 12),
                words(i + 2, 20),
                words(i + 3, 20),
                i % 10,
                i % 7,
                20 + i * 7,
            )
        })
        .collect();
    let results: Vec<String> = (0..800)
        .map(|i| {
            let rule = (i * 13 + seed) % RULES;
            let related = if i % 3 == 0 {
                format!(
                    r#","relatedLocations":[{{"id":1,"physicalLocation":{{"artifactLocation":{{"uri":"src/m{}/lib.go","uriBaseId":"%SRCROOT%"}},"region":{{"startLine":{},"startColumn":3,"endColumn":19}}}},"message":{{"text":"{}"}}}}]"#,
                    i % 17,
                    i % 300 + 1,
                    words(i, 3)
                )
            } else {
                String::new()
            };
            format!(
                r#"{{"ruleId":"warm/rule-{rule}","ruleIndex":{rule},"level":"{}","message":{{"text":"{}"}},"locations":[{{"physicalLocation":{{"artifactLocation":{{"uri":"src/m{}/file{}.go","uriBaseId":"%SRCROOT%","index":{}}},"region":{{"startLine":{},"startColumn":{},"endLine":{},"endColumn":{},"snippet":{{"text":"{}"}}}}}}}}],"partialFingerprints":{{"primaryLocationLineHash":"{:016x}:1","primaryLocationStartColumnFingerprint":"{}"}}{related},"properties":{{"tags":["warm"]}}}}"#,
                ["error", "warning", "note"][i % 3],
                words(i + seed, 10),
                i % 23,
                i % 11,
                i % 40,
                i % 900 + 1,
                i % 80 + 1,
                i % 900 + 2,
                i % 80 + 9,
                words(i, 6),
                i * 2_654_435_761 + seed,
                i % 50,
            )
        })
        .collect();
    let artifacts: Vec<String> =
        (0..40).map(|i| format!(r#"{{"location":{{"uri":"src/m{i}/file{i}.go"}}}}"#)).collect();
    format!(
        r#"{{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{{"tool":{{"driver":{{"name":"WarmQL","semanticVersion":"2.0.0","rules":[{}]}}}},"originalUriBaseIds":{{"%SRCROOT%":{{"uri":"file:///src/"}}}},"artifacts":[{}],"results":[{}],"automationDetails":{{"id":"warm/{seed}"}}}}]}}"#,
        rules.join(","),
        artifacts.join(","),
        results.join(","),
    )
}

/// A Trivy report in Trivy's own shape.
fn trivy(seed: usize) -> String {
    let vulnerabilities: Vec<String> = (0..600)
        .map(|i| {
            format!(
                r#"{{"VulnerabilityID":"CVE-20{}-{}","PkgID":"pkg{}@1.{}.0","PkgName":"pkg{}","InstalledVersion":"1.{}.0","FixedVersion":"1.{}.1","Status":"fixed","Layer":{{"DiffID":"sha256:{:064x}"}},"SeveritySource":"nvd","PrimaryURL":"https://avd.aquasec.com/nvd/cve-{i}","DataSource":{{"ID":"alpine","Name":"Alpine Secdb","URL":"https://secdb.alpinelinux.org/"}},"Title":"{}","Description":"{}","Severity":"{}","CweIDs":["CWE-{}"],"VendorSeverity":{{"nvd":{},"redhat":2}},"CVSS":{{"nvd":{{"V3Vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","V3Score":9.8}}}},"References":["https://example.com/{i}"],"PublishedDate":"2024-01-0{}T00:00:00Z","LastModifiedDate":"2024-02-01T00:00:00Z"}}"#,
                10 + i % 15,
                10_000 + i,
                i % 90,
                i % 9,
                i % 90,
                i % 9,
                i % 9,
                i + seed,
                words(i, 8),
                words(i + 1, 30),
                ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"][i % 5],
                20 + i % 700,
                1 + i % 4,
                1 + i % 9,
            )
        })
        .collect();
    format!(
        r#"{{"SchemaVersion":2,"CreatedAt":"2024-03-01T10:00:00Z","ArtifactName":"ghcr.io/warm/app:{seed}","ArtifactType":"container_image","Metadata":{{"OS":{{"Family":"alpine","Name":"3.19.1"}},"ImageID":"sha256:{seed:064x}"}},"Results":[{{"Target":"ghcr.io/warm/app (alpine 3.19.1)","Class":"os-pkgs","Type":"alpine","Vulnerabilities":[{}]}}]}}"#,
        vulnerabilities.join(",")
    )
}

/// Minified JSON re-indented the way `JSON.stringify(v, null, 2)` does (strings hold no
/// structural characters worth keeping apart: they are copied through untouched).
fn pretty(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', depth * 2));
    };
    for c in text.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                depth += 1;
                out.push(c);
                newline(&mut out, depth);
            }
            '}' | ']' => {
                depth -= 1;
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Warming up only helps if the made-up logs take the paths real ones do: read in full,
    /// as the formats they claim to be, with nothing skipped or complained about.
    #[test]
    fn the_warm_up_logs_read_cleanly_in_both_layouts() {
        for seed in [0, 1] {
            for (name, text, format, findings) in [
                ("warm.sarif", sarif(seed), "sarif", 800),
                ("warm.sarif", pretty(&sarif(seed)), "sarif", 800),
                ("warm-trivy.json", trivy(seed), "trivy-json", 600),
            ] {
                let mut session = Session::new();
                let summary = session.add_hashed(1, 1, name, text.as_bytes(), Some(""));
                let [report] = &summary.reports[..] else { panic!("{name}: one report") };
                assert_eq!(report.format.as_deref(), Some(format), "{name}");
                assert_eq!(report.findings, findings, "{name} (seed {seed})");
                assert_eq!(report.diagnostics, Vec::<String>::new(), "{name} (seed {seed})");
            }
        }
        assert!(pretty(&sarif(1)).contains("\n  \"runs\": [\n    {\n"), "pretty-printed");
        assert!(!sarif(1).contains('\n'));
    }
}
