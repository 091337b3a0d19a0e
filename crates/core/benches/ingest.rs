//! Ingest throughput against serde_json's typed parse of the same bytes into plain structs.
//!
//! `cargo bench -p scanlens-core --bench ingest [-- --mb 100]` generates seeded inputs
//! (a SARIF log pretty-printed and minified, a Trivy report), then prints MB/s for
//! `scanlens_core::ingest` (sniff + lenient parse + normalisation + fingerprints) and for a
//! plain `serde_json::from_slice` into structs covering the same fields, median of 3 runs.
//! Goal (issue 3): ingest time ≤ 1.5 × the plain parse.
//!
//! Each run starts from a settled heap (glibc's `malloc_trim` after the previous run's
//! free), as a fresh process would: both parses pay for the pages they touch. `--warm`
//! keeps the freed memory for the next run instead, which favours whichever parse
//! allocates more (the plain one) and bills one run's deferred freeing to the next.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// Counts heap allocations and live bytes, so the benchmark can print allocations per
/// finding and the peak heap a parse needs.
struct Counting;
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
/// Live bytes are tracked only inside [`heap`], so timings do not pay for it.
static TRACKING: AtomicBool = AtomicBool::new(false);
fn grew(by: usize) {
    if TRACKING.load(Relaxed) {
        let live = LIVE.fetch_add(by as isize, Relaxed) + by as isize;
        PEAK.fetch_max(live, Relaxed);
    }
}
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if TRACKING.load(Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Relaxed);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        if TRACKING.load(Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Relaxed);
        }
        grew(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations(run: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Relaxed);
    run();
    ALLOCATIONS.load(Relaxed) - before
}

/// (peak heap while `run` ran, heap its value keeps), both in bytes above what was live before.
fn heap<T>(run: impl FnOnce() -> T) -> (usize, usize) {
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    TRACKING.store(true, Relaxed);
    let value = run();
    let (kept, peak) = (LIVE.load(Relaxed), PEAK.load(Relaxed));
    drop(value);
    TRACKING.store(false, Relaxed);
    (peak.max(0) as usize, kept.max(0) as usize)
}

use serde::Deserialize;
use serde_json::{json, Value};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const LEVELS: [&str; 3] = ["error", "warning", "note"];
const SEVERITIES: [&str; 5] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"];

const WORDS: [&str; 24] = [
    "user",
    "input",
    "flows",
    "into",
    "query",
    "without",
    "sanitisation",
    "buffer",
    "length",
    "unchecked",
    "call",
    "returns",
    "error",
    "ignored",
    "path",
    "traversal",
    "from",
    "request",
    "parameter",
    "reaches",
    "sink",
    "value",
    "tainted",
    "here",
];

fn sentence(rng: &mut Rng, min: u64, max: u64) -> String {
    let n = min + rng.below(max - min + 1);
    (0..n).map(|_| WORDS[rng.below(WORDS.len() as u64) as usize]).collect::<Vec<_>>().join(" ")
}

/// Key order within the run: `tool` first is what CodeQL (the tool of 100 MB logs) writes;
/// gosec and Semgrep write `results` first, which scanlens must read in two steps.
#[derive(Clone, Copy, PartialEq)]
enum Order {
    ToolFirst,
    ResultsFirst,
}

fn sarif(target_bytes: usize, pretty: bool, order: Order) -> Vec<u8> {
    let mut rng = Rng(0x5ca9_1e95_0000_0001);
    let rules: Vec<Value> = (0..300)
        .map(|i| {
            json!({"id": format!("rule/{i:03}"), "name": format!("Rule{i}"), "shortDescription": {"text": sentence(&mut rng, 3, 8)},
                "fullDescription": {"text": sentence(&mut rng, 10, 30)}, "defaultConfiguration": {"level": (LEVELS[i % 3])},
                "properties": {"security-severity": format!("{:.1}", (i % 100) as f64 / 10.0), "tags": ["security", format!("external/cwe/cwe-{:03}", 20 + i % 500)]}})
        })
        .collect();
    let artifacts: Vec<String> =
        (0..500).map(|i| format!("src/module{}/file{i}.go", i % 40)).collect();
    let mut results = Vec::new();
    let mut size = 0usize;
    while size < target_bytes {
        let rule = rng.below(300);
        let line = 1 + rng.below(2000);
        let mut result = json!({
            "ruleId": format!("rule/{rule:03}"), "ruleIndex": rule, "level": (LEVELS[rng.below(3) as usize]),
            "message": {"text": sentence(&mut rng, 8, 30)},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifacts[rng.below(500) as usize], "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": line, "startColumn": 1 + rng.below(80), "endLine": line + rng.below(3), "endColumn": 1 + rng.below(120),
                    "snippet": {"text": sentence(&mut rng, 3, 10)}}}}],
            "partialFingerprints": {"primaryLocationLineHash": format!("{:016x}:1", rng.next()), "primaryLocationStartColumnFingerprint": format!("{}", rng.below(100))},
            "fingerprints": {"stableResultHash/v1": format!("{:032x}", u128::from(rng.next()) << 64 | u128::from(rng.next()))},
        });
        if rng.below(10) < 3 {
            let related: Vec<Value> = (0..1 + rng.below(3))
                .map(|k| json!({"id": k, "physicalLocation": {"artifactLocation": {"uri": artifacts[rng.below(500) as usize]}, "region": {"startLine": 1 + rng.below(2000)}}, "message": {"text": sentence(&mut rng, 2, 6)}}))
                .collect();
            result["relatedLocations"] = Value::Array(related);
        }
        if rng.below(10) < 2 {
            result["properties"] = json!({"tags": ["generated"], "confidence": rng.below(100)});
        }
        size += serde_json::to_string(&result).unwrap().len() + if pretty { 400 } else { 0 };
        results.push(result);
    }
    // Fields serialise in declaration order (a `json!` map would sort its keys).
    #[derive(serde::Serialize)]
    struct Log<R> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        version: &'static str,
        runs: [R; 1],
    }
    #[derive(serde::Serialize)]
    struct ToolFirst {
        tool: Value,
        results: Vec<Value>,
    }
    #[derive(serde::Serialize)]
    struct ResultsFirst {
        results: Vec<Value>,
        tool: Value,
    }
    let tool = json!({"driver": {"name": "benchtool", "semanticVersion": "1.0.0", "rules": rules}});
    let (schema, version) = ("https://json.schemastore.org/sarif-2.1.0.json", "2.1.0");
    let write = |log: &dyn erased::Log| log.bytes(pretty);
    match order {
        Order::ToolFirst => write(&Log { schema, version, runs: [ToolFirst { tool, results }] }),
        Order::ResultsFirst => {
            write(&Log { schema, version, runs: [ResultsFirst { results, tool }] })
        }
    }
}

/// Serialising either run layout through one closure.
mod erased {
    pub trait Log {
        fn bytes(&self, pretty: bool) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Log for T {
        fn bytes(&self, pretty: bool) -> Vec<u8> {
            if pretty {
                serde_json::to_vec_pretty(self).unwrap()
            } else {
                serde_json::to_vec(self).unwrap()
            }
        }
    }
}

fn trivy(target_bytes: usize) -> Vec<u8> {
    let mut rng = Rng(0x7517_0000_0000_0002);
    let mut results = Vec::new();
    let mut size = 0usize;
    let mut target = 0;
    while size < target_bytes {
        let mut vulns = Vec::new();
        for _ in 0..2000 {
            let id = format!("CVE-20{:02}-{:05}", 10 + rng.below(15), rng.below(99999));
            let v = json!({"VulnerabilityID": id, "PkgID": format!("pkg{}@1.{}", rng.below(5000), rng.below(20)), "PkgName": format!("pkg{}", rng.below(5000)),
                "InstalledVersion": format!("1.{}.{}", rng.below(20), rng.below(20)), "FixedVersion": format!("1.{}.0, 2.0.{}", rng.below(30), rng.below(9)),
                "Status": "fixed", "SeveritySource": "nvd", "PrimaryURL": format!("https://avd.aquasec.com/nvd/{}", id.to_lowercase()),
                "Title": sentence(&mut rng, 4, 10), "Description": sentence(&mut rng, 20, 60),
                "Severity": (SEVERITIES[rng.below(5) as usize]), "CweIDs": [format!("CWE-{}", rng.below(900))],
                "VendorSeverity": {"nvd": rng.below(5), "redhat": rng.below(5)},
                "CVSS": {"nvd": {"V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "V3Score": rng.below(100) as f64 / 10.0}},
                "References": [format!("https://nvd.nist.gov/vuln/detail/{id}"), "https://example.com/advisory"],
                "PublishedDate": "2021-03-04T05:06:07Z", "LastModifiedDate": "2023-08-09T10:11:12.123456Z"});
            size += serde_json::to_string(&v).unwrap().len();
            vulns.push(v);
        }
        results.push(json!({"Target": format!("target-{target}"), "Class": "lang-pkgs", "Type": "npm", "Vulnerabilities": vulns}));
        target += 1;
    }
    serde_json::to_vec_pretty(&json!({"SchemaVersion": 2, "CreatedAt": "2026-01-02T03:04:05.123456789Z", "ArtifactName": "bench/app:1.0",
        "ArtifactType": "container_image", "Results": results}))
    .unwrap()
}

// Plain structs: the same fields, strict serde, no leniency, no normalisation.
#[allow(dead_code)]
mod plain {
    use super::*;
    use std::collections::HashMap;

    #[derive(Deserialize)]
    pub struct Log {
        pub version: String,
        pub runs: Vec<Run>,
    }
    #[derive(Deserialize)]
    pub struct Run {
        pub tool: Tool,
        pub results: Vec<SarifResult>,
    }
    #[derive(Deserialize)]
    pub struct Tool {
        pub driver: Driver,
    }
    #[derive(Deserialize)]
    pub struct Driver {
        pub name: String,
        pub rules: Vec<Rule>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Rule {
        pub id: String,
        pub name: Option<String>,
        pub short_description: Option<Message>,
        pub full_description: Option<Message>,
        pub default_configuration: Option<HashMap<String, String>>,
        pub properties: Option<Value>,
    }
    #[derive(Deserialize)]
    pub struct Message {
        pub text: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SarifResult {
        pub rule_id: Option<String>,
        pub rule_index: Option<u32>,
        pub level: Option<String>,
        pub message: Message,
        #[serde(default)]
        pub locations: Vec<Location>,
        #[serde(default)]
        pub related_locations: Vec<Location>,
        pub partial_fingerprints: Option<HashMap<String, String>>,
        pub fingerprints: Option<HashMap<String, String>>,
        pub properties: Option<Value>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Location {
        pub physical_location: Option<Physical>,
        pub message: Option<Message>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Physical {
        pub artifact_location: Option<Artifact>,
        pub region: Option<Region>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Artifact {
        pub uri: Option<String>,
        pub uri_base_id: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Region {
        pub start_line: Option<u32>,
        pub start_column: Option<u32>,
        pub end_line: Option<u32>,
        pub end_column: Option<u32>,
        pub snippet: Option<Message>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Report {
        pub artifact_name: String,
        pub results: Vec<TrivyResult>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct TrivyResult {
        pub target: String,
        pub vulnerabilities: Vec<Vuln>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Vuln {
        #[serde(rename = "VulnerabilityID")]
        pub vulnerability_id: String,
        pub pkg_name: String,
        pub installed_version: String,
        pub fixed_version: Option<String>,
        pub status: Option<String>,
        pub severity_source: Option<String>,
        #[serde(rename = "PrimaryURL")]
        pub primary_url: Option<String>,
        pub title: Option<String>,
        pub description: Option<String>,
        pub severity: String,
        #[serde(rename = "CweIDs")]
        pub cwe_ids: Vec<String>,
        #[serde(rename = "CVSS")]
        pub cvss: Option<Value>,
        pub references: Vec<String>,
        pub published_date: Option<String>,
        pub last_modified_date: Option<String>,
    }
}

/// `--warm`: see the module docs.
static WARM: AtomicBool = AtomicBool::new(false);

/// Finishes freeing: glibc leaves small freed blocks on its fast lists and merges them at the
/// next large request, so without this one run's freeing is billed to the next run's parse
/// (a quarter of a Trivy ingest). Counted in the time to free.
fn settle_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if !WARM.load(Relaxed) {
        extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: glibc's malloc_trim takes no pointers and only reorganises the heap.
        unsafe { malloc_trim(0) };
    }
}

fn median_ms(mut run: impl FnMut()) -> f64 {
    median_split(|| {
        run();
        ((), 0.0)
    })
    .0
}

/// Runs `run` three times; returns the median of (time to its value, time to drop the value).
fn median_split<T>(mut run: impl FnMut() -> (T, f64)) -> (f64, f64) {
    let mut times: Vec<(f64, f64)> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let (value, _) = run();
            let made = start.elapsed().as_secs_f64() * 1000.0;
            let start = Instant::now();
            drop(value);
            settle_heap();
            (made, start.elapsed().as_secs_f64() * 1000.0)
        })
        .collect();
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    times[1]
}

fn bench<P>(name: &str, bytes: &[u8], plain: impl Fn(&[u8]) -> P) {
    let mb = bytes.len() as f64 / 1e6;
    // The page and the CLI hash on another core (SubtleCrypto, a thread): measured apart.
    let given =
        scanlens_core::Options { sha256: Some("computed elsewhere".into()), ..Default::default() };
    let (ingest, ingest_drop) = median_split(|| {
        let reports = scanlens_core::ingest_with(name, bytes, &given);
        assert!(reports[0].diagnostics.is_empty(), "{:?}", reports[0].diagnostics);
        (reports, 0.0)
    });
    let findings = scanlens_core::ingest_with(name, bytes, &given)[0].findings.len();
    let (typed, typed_drop) = median_split(|| (plain(bytes), 0.0));
    let sha = median_ms(|| drop(scanlens_core::sha256_hex(bytes)));
    let ingest_allocs = allocations(|| drop(scanlens_core::ingest_with(name, bytes, &given)));
    let typed_allocs = allocations(|| drop(plain(bytes)));
    let (ingest_peak, ingest_kept) = heap(|| scanlens_core::ingest_with(name, bytes, &given));
    let (typed_peak, typed_kept) = heap(|| plain(bytes));
    let of_input = |b: usize| b as f64 / bytes.len() as f64;
    println!(
        "{name:<15} allocations per finding: ingest {:.1}, plain typed parse {:.1} | heap (× input, peak / kept): ingest {:.2} / {:.2}, plain {:.2} / {:.2} | finding {} bytes",
        ingest_allocs as f64 / findings as f64,
        typed_allocs as f64 / findings as f64,
        of_input(ingest_peak),
        of_input(ingest_kept),
        of_input(typed_peak),
        of_input(typed_kept),
        std::mem::size_of::<scanlens_core::model::Finding>(),
    );
    println!(
        "{name:<15} {mb:>6.1} MB {findings:>7} findings | ingest {ingest:>4.0} ms {:>4.0} MB/s (+{ingest_drop:.0} ms to free) | plain typed parse {typed:>4.0} ms {:>4.0} MB/s (+{typed_drop:.0} ms) | ratio {:.2} ({:.2} with freeing) | sha256 {:>4.0} MB/s",
        mb / (ingest / 1000.0),
        mb / (typed / 1000.0),
        ingest / typed,
        (ingest + ingest_drop) / (typed + typed_drop),
        mb / (sha / 1000.0),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mb: usize = args
        .iter()
        .position(|a| a == "--mb")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let target = mb * 1_000_000;
    WARM.store(args.iter().any(|a| a == "--warm"), Relaxed);
    // `--ingest FILE`: only ingest one file, five times (for profilers).
    if let Some(file) = args.iter().position(|a| a == "--ingest").and_then(|i| args.get(i + 1)) {
        let bytes = std::fs::read(file).expect("read --ingest file");
        let given = scanlens_core::Options {
            sha256: Some("computed elsewhere".into()),
            ..Default::default()
        };
        let (ms, free) = median_split(|| (scanlens_core::ingest_with(file, &bytes, &given), 0.0));
        let (peak, kept) = heap(|| scanlens_core::ingest_with(file, &bytes, &given));
        let findings: usize = scanlens_core::ingest_with(file, &bytes, &given)
            .iter()
            .map(|r| r.findings.len() + r.non_findings.len())
            .sum();
        let allocs = allocations(|| drop(scanlens_core::ingest_with(file, &bytes, &given)));
        let of_input = |b: usize| b as f64 / bytes.len() as f64;
        println!(
            "{file}: ingest {ms:.0} ms (+{free:.0} ms to free), heap × input peak {:.2} kept {:.2}, {:.1} allocations per finding",
            of_input(peak),
            of_input(kept),
            allocs as f64 / findings.max(1) as f64,
        );
        return;
    }
    // `--session FILE`: what the page's worker does with a dropped file (ingest, then the
    // dashboard: builds, aggregation, gate, trends), timed and with its heap, as a multiple of
    // the file's size. The worker also holds the file's bytes while it parses.
    if let Some(file) = args.iter().position(|a| a == "--session").and_then(|i| args.get(i + 1)) {
        let bytes = std::fs::read(file).expect("read --session file");
        let now = scanlens_core::time::Timestamp(0);
        let of_input = |b: usize| b as f64 / bytes.len() as f64;
        let mut session = scanlens_core::session::Session::new();
        let start = Instant::now();
        let (peak_add, kept_add) = heap(|| {
            session.add_hashed(1, 1, file, &bytes, Some("computed elsewhere"));
        });
        let added = start.elapsed().as_secs_f64() * 1000.0;
        let start = Instant::now();
        let mut phases = Vec::new();
        let (peak_dash, kept_dash) = heap(|| {
            let mut lap = Instant::now();
            let mut phase = |name: &'static str| {
                phases.push(format!("{name} {:.0}", lap.elapsed().as_secs_f64() * 1000.0));
                lap = Instant::now();
            };
            session.builds(now);
            phase("builds");
            session.trends(now);
            phase("trends");
            drop(session.dashboard(now));
            phase("dashboard");
        });
        let dashboard = start.elapsed().as_secs_f64() * 1000.0;
        println!("{file}: {} ms", phases.join(", "));
        println!(
            "{file}: add {added:.0} ms (heap peak {:.2}, kept {:.2} x input), dashboard {dashboard:.0} ms (heap peak {:.2}, kept {:.2} x input more)",
            of_input(peak_add),
            of_input(kept_add),
            of_input(peak_dash),
            of_input(kept_dash),
        );
        return;
    }
    // `--write DIR`: write the generated inputs there too.
    let write_to = args.iter().position(|a| a == "--write").and_then(|i| args.get(i + 1)).cloned();
    println!("generating seeded inputs of about {mb} MB each…");
    let pretty = sarif(target, true, Order::ToolFirst);
    let minified = sarif(target, false, Order::ToolFirst);
    let results_first = sarif(target, false, Order::ResultsFirst);
    let trivy = trivy(target);
    if let Some(dir) = write_to {
        for (name, bytes) in [
            ("sarif-pretty.sarif", &pretty),
            ("sarif-min.sarif", &minified),
            ("sarif-results-first.sarif", &results_first),
            ("trivy.json", &trivy),
        ] {
            std::fs::write(format!("{dir}/{name}"), bytes).expect("write generated input");
        }
    }
    bench("SARIF pretty", &pretty, |b| serde_json::from_slice::<plain::Log>(b).unwrap());
    bench("SARIF minified", &minified, |b| serde_json::from_slice::<plain::Log>(b).unwrap());
    bench("SARIF min, results before tool", &results_first, |b| {
        serde_json::from_slice::<plain::Log>(b).unwrap()
    });
    bench("Trivy JSON", &trivy, |b| serde_json::from_slice::<plain::Report>(b).unwrap());
}
