//! The JSON export (`scanlens-model/1`) against its documentation, `docs/model-json.md`:
//! every field any fixture's export writes is documented there, and every documented field
//! is written by some fixture, so the document can neither lag nor invent. Plus: it parses
//! back to the numbers the CLI path gives, and it is deterministic.

use std::collections::BTreeSet;

use scanlens_core::session::Session;
use scanlens_core::time::Timestamp;

mod common;

/// Every field path in `value`: `reports[].findings[].kind`; `[key, value]` pair arrays are
/// leaves (their keys are data).
fn paths(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                out.insert(path.clone());
                // Non-findings have the fields of findings, documented once.
                let below = match path.strip_suffix("non_findings") {
                    Some(head) if !prefix.is_empty() => format!("{head}findings"),
                    _ => path,
                };
                paths(v, &below, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items.iter().filter(|i| i.is_object()) {
                paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// The field paths the document lists: the first column of its field tables, in backticks.
fn documented() -> BTreeSet<String> {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/model-json.md"))
            .expect("docs/model-json.md");
    doc.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(String::from)
        .collect()
}

fn export(files: &[(String, Vec<u8>)]) -> serde_json::Value {
    let mut session = Session::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        session.add(i as u32, 0, name, bytes);
    }
    let text = session.export_json(Timestamp::parse("2026-11-27T12:00:00Z").unwrap());
    serde_json::from_str(&text).expect("the export is JSON")
}

#[test]
fn every_field_written_is_documented_and_every_documented_field_is_written() {
    let documented = documented();
    assert!(documented.len() > 50, "the field tables were not found");
    let mut seen = BTreeSet::new();
    // Every fixture alone, and the demo's latest build (a sidecar, a VEX document, a policy).
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/demo");
    let mut demo_files = vec![(
        "scanlens.toml".to_string(),
        std::fs::read(format!("{demo}/scanlens.toml")).unwrap(),
    )];
    for entry in std::fs::read_dir(format!("{demo}/builds/106")).unwrap() {
        let path = entry.unwrap().path();
        let name = format!("builds/106/{}", path.file_name().unwrap().to_string_lossy());
        demo_files.push((name, std::fs::read(path).unwrap()));
    }
    demo_files[1..].sort();
    let inputs = common::index()
        .into_iter()
        .map(|(rel, _)| {
            let bytes = common::read(&rel);
            vec![(rel, bytes)]
        })
        .chain([demo_files]);
    for files in inputs {
        let rel = files.last().map(|f| f.0.clone()).unwrap_or_default();
        let value = export(&files);
        assert_eq!(value["schema"], "scanlens-model/1");
        let mut here = BTreeSet::new();
        paths(&value, "", &mut here);
        let undocumented: Vec<_> = here.difference(&documented).collect();
        assert!(undocumented.is_empty(), "{rel}: undocumented fields {undocumented:?}");
        seen.extend(here);
    }
    let never: Vec<_> = documented.difference(&seen).collect();
    assert!(never.is_empty(), "documented but never written by any fixture: {never:?}");
}

#[test]
fn the_export_counts_what_the_session_counts_and_is_deterministic() {
    let files: Vec<(String, Vec<u8>)> = common::index()
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("trivy/") || rel.starts_with("gosec/"))
        .map(|(rel, _)| {
            let bytes = common::read(&rel);
            (rel, bytes)
        })
        .collect();
    let value = export(&files);
    assert_eq!(value, export(&files));
    let mut session = Session::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        session.add(i as u32, 0, name, bytes);
    }
    let dashboard = session.dashboard(Timestamp::parse("2026-11-27T12:00:00Z").unwrap());
    let entries = value["entries"].as_array().unwrap();
    assert_eq!(entries.len(), dashboard.entries);
    let findings: usize = value["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(findings, dashboard.findings);
    let failing = entries.iter().filter(|e| e["failing"] == true).count();
    assert_eq!(failing, dashboard.gate.failing);
    assert_eq!(value["gate"]["failing"].as_array().unwrap().len(), failing);
    assert_eq!(value["inputs"].as_array().unwrap().len(), files.len());
    for (input, (name, bytes)) in value["inputs"].as_array().unwrap().iter().zip(&files) {
        assert_eq!(input["name"], name.as_str());
        assert_eq!(input["sha256"], scanlens_core::sha256_hex(bytes));
    }
    // Every entry's sources point at real findings of the same component's reports.
    for e in entries {
        for s in e["sources"].as_array().unwrap() {
            let report = &value["reports"][s["report"].as_u64().unwrap() as usize];
            assert!(report["findings"][s["finding"].as_u64().unwrap() as usize].is_object());
        }
    }
}
