//! `scanlens`: the command-line face of scanlens-core. Glue only: argument parsing, file
//! reading, printing and exit codes; every rule lives in the core crate.
//!
//! Exit codes: 0 success (gate passed), 1 gate failed, 2 error.

mod build_info;
mod compliance;
mod diff;
mod export;
mod gate;
mod input;
mod merge;
mod publish;
mod report;
mod summary;

use std::process::ExitCode;

/// Parsing a log allocates per finding (20 or so small blocks each); mimalloc serves that
/// faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
scanlens: read security-scan results (SARIF, Trivy, Grype, gosec, govulncheck, Dependabot,
code-scanning alerts, and .zip/.gz archives of them)

usage:
  scanlens summary [--json] FILE...   what each file holds: format, tool, findings by severity
  scanlens gate [--fail-on SEVERITY] [--policy scanlens.toml] [--format text|json] FILE...
                                      the build gate: exit 0 pass, 1 fail (default: high and critical fail)
  scanlens merge -o OUT.sarif [--policy FILE] FILE...
                                      one SARIF 2.1.0 log for GitHub code scanning, deduplicated
  scanlens compliance --framework ID [--component NAME] [--policy FILE] [--json] FILE...
                                      OWASP Top 10 (owasp-2021, owasp-2025) or CIS/NSA/PSS checklists per component
  scanlens export [--csv OUT] [--json OUT] [--policy FILE] [--generated RFC3339] FILE...
                                      every finding as CSV, one row per finding; the normalised
                                      model as JSON (schema scanlens-model/1); OUT - for standard output
  scanlens report --html OUT [--policy FILE] [--generated RFC3339] FILE...
                                      the self-contained HTML report with its evidence manifest,
                                      byte for byte what the page's Download report gives
  scanlens publish --site DIR [--policy FILE] [--title TEXT] FILE...
                                      copy one build's files (with its scanlens-build.json) into
                                      DIR/reports/<build>/ and list it in DIR/reports/index.json
  scanlens build-info [--id ID] [--commit SHA] [--branch NAME] [--time RFC3339] [--url URL] [-o FILE]
                                      write scanlens-build.json (defaults from GitHub Actions / GitLab CI)
  scanlens diff [--policy FILE] [--format text|json] OLD... -- NEW...
                                      new, fixed, unchanged and changed-severity findings
  scanlens --version
  scanlens --help

exit codes: 0 success, 1 gate failed, 2 error (a file could not be read at all)
";

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, which turns a closed pipe into a panic in print!; a command-line
    // tool should simply stop, as `cat` and `grep` do.
    #[cfg(unix)]
    // SAFETY: called first thing, before any other thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("scanlens: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    match command.as_str() {
        "summary" => summary::run(rest),
        "gate" => gate::run(rest),
        "diff" => diff::run(rest),
        "build-info" => build_info::run(rest),
        "merge" => merge::run(rest),
        "compliance" => compliance::run(rest),
        "export" => export::run(rest),
        "report" => report::run(rest),
        "publish" => publish::run(rest),
        "--version" | "-V" => {
            println!("scanlens {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        "--help" | "-h" | "help" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => anyhow::bail!("unknown command {other:?}; see `scanlens --help`"),
    }
}

/// Now, in milliseconds since the epoch.
pub(crate) fn now() -> scanlens_core::time::Timestamp {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    scanlens_core::time::Timestamp(millis)
}

/// Writes `bytes` to the file `out`, or to standard output when `out` is `-`.
pub(crate) fn write_output(out: &str, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    if out == "-" {
        std::io::stdout().write_all(bytes).context("cannot write to standard output")
    } else {
        std::fs::write(out, bytes).with_context(|| format!("cannot write {out}"))
    }
}

/// Reads every file named, ingesting each; a file that cannot be read at all is an error.
pub(crate) fn read_inputs(paths: &[String]) -> anyhow::Result<Vec<scanlens_core::Report>> {
    if paths.is_empty() {
        anyhow::bail!("no input files given");
    }
    let mut reports = Vec::new();
    for path in paths {
        let input = input::Input::open(path)?;
        let bytes: &[u8] = &input;
        // Hash on a second core while this one parses.
        let (sha256, parsed) = std::thread::scope(|s| {
            let hash = s.spawn(|| scanlens_core::sha256_hex(bytes));
            let options =
                scanlens_core::Options { sha256: Some(String::new()), ..Default::default() };
            let parsed = scanlens_core::ingest_with(path, bytes, &options);
            (hash.join().expect("hashing thread"), parsed)
        });
        for mut report in parsed {
            // Archive members were hashed one by one; a plain document takes the file's hash.
            if report.sha256.is_empty() {
                report.sha256.clone_from(&sha256);
            }
            reports.push(report);
        }
    }
    Ok(reports)
}
