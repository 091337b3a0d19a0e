//! `scanlens build-info [--id ID] [--commit SHA] [--branch NAME] [--time RFC3339] [--url URL] [-o FILE]`
//!
//! Writes `scanlens-build.json` next to the reports, so the page and `scanlens` know which
//! CI run they came from. Values not given are taken from GitHub Actions or GitLab CI
//! variables; the time defaults to now.

use std::process::ExitCode;

use anyhow::Context as _;
use scanlens_core::time::Timestamp;
use serde_json::json;

fn env(names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
}

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let (mut id, mut commit, mut branch, mut time, mut url) = (None, None, None, None, None);
    let mut out = "scanlens-build.json".to_string();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--id" => id = Some(value()?),
            "--commit" => commit = Some(value()?),
            "--branch" => branch = Some(value()?),
            "--url" => url = Some(value()?),
            "--time" => {
                let text = value()?;
                time = Some(
                    Timestamp::parse(&text)
                        .with_context(|| format!("--time {text:?} is not an RFC 3339 time"))?,
                );
            }
            "-o" | "--output" => out = value()?,
            other => anyhow::bail!("unknown option {other:?} for build-info"),
        }
    }
    let github_run = env(&["GITHUB_RUN_ID"]).map(|run| match env(&["GITHUB_RUN_ATTEMPT"]) {
        Some(attempt) if attempt != "1" => format!("{run}.{attempt}"),
        _ => run,
    });
    let id = id.or(github_run).or_else(|| env(&["CI_PIPELINE_ID"]));
    let commit = commit.or_else(|| env(&["GITHUB_SHA", "CI_COMMIT_SHA"]));
    let branch =
        branch.or_else(|| env(&["GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME"]));
    let url = url.or_else(|| {
        match (env(&["GITHUB_SERVER_URL"]), env(&["GITHUB_REPOSITORY"]), env(&["GITHUB_RUN_ID"])) {
            (Some(server), Some(repo), Some(run)) => {
                Some(format!("{server}/{repo}/actions/runs/{run}"))
            }
            _ => env(&["CI_PIPELINE_URL"]),
        }
    });
    if id.is_none() && commit.is_none() {
        anyhow::bail!("no build id or commit: pass --id or --commit (or run inside GitHub Actions or GitLab CI)");
    }
    let time = time.unwrap_or_else(|| {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Timestamp(millis)
    });
    let sidecar = json!({"scanlens_build": 1, "id": id, "commit": commit, "branch": branch, "time": time.to_string(), "url": url});
    std::fs::write(&out, serde_json::to_string_pretty(&sidecar)? + "\n")
        .with_context(|| format!("cannot write {out}"))?;
    println!("wrote {out}");
    Ok(ExitCode::SUCCESS)
}
