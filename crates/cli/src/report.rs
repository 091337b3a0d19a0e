//! `scanlens report --html OUT [--policy FILE] [--generated RFC3339] FILE...`: the
//! self-contained HTML report, made by the same core session the page uses, so the page's
//! "Download report" and this command give the same bytes for the same files and time.
//!
//! The files are read as one drop, in the order given, as if dropped on the page together;
//! a `scanlens.toml` among them (or `--policy`) is the policy. The generation time is
//! `--generated`, else `SOURCE_DATE_EPOCH` (reproducible builds), else now.

use std::process::ExitCode;

use anyhow::Context as _;
use scanlens_core::session::Session;
use scanlens_core::time::Timestamp;

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut out = None;
    let mut policy = None;
    let mut generated = None;
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--html" => {
                out = Some(args.next().context("--html needs an output file (or -)")?.clone())
            }
            "--policy" => policy = Some(args.next().context("--policy needs a file")?.clone()),
            "--generated" => generated = Some(time_arg("--generated", args.next())?),
            flag if flag.starts_with("--") => anyhow::bail!("unknown option {flag:?} for report"),
            path => paths.push(path.to_string()),
        }
    }
    let out = out.context("report needs --html OUT")?;
    let mut session = session(policy.as_deref(), &paths)?;
    let html = session.report_html(generation_time(generated)?);
    crate::write_output(&out, html.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The RFC 3339 time an option was given.
pub(crate) fn time_arg(flag: &str, value: Option<&String>) -> anyhow::Result<Timestamp> {
    let text = value.with_context(|| format!("{flag} needs an RFC 3339 time"))?;
    Timestamp::parse(text).with_context(|| format!("{flag} {text:?} is not an RFC 3339 time"))
}

/// The time an export names as its making: `--generated`, else `SOURCE_DATE_EPOCH`, else now.
pub(crate) fn generation_time(given: Option<Timestamp>) -> anyhow::Result<Timestamp> {
    Ok(match given {
        Some(t) => t,
        None => match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(epoch) => Timestamp(
                epoch
                    .trim()
                    .parse::<i64>()
                    .with_context(|| format!("SOURCE_DATE_EPOCH {epoch:?} is not a number"))?
                    * 1000,
            ),
            Err(_) => crate::now(),
        },
    })
}

/// The files read as the page reads one drop of them, in the order given, the policy first.
pub(crate) fn session(policy: Option<&str>, paths: &[String]) -> anyhow::Result<Session> {
    if paths.is_empty() {
        anyhow::bail!("no input files given");
    }
    // The command line has no tab to protect: no size limits.
    let mut session = Session::with_limits(u64::MAX, u64::MAX);
    for (file, path) in policy.into_iter().chain(paths.iter().map(String::as_str)).enumerate() {
        let bytes = crate::input::Input::open(path)?;
        let summary = session.add(file as u32, 0, path, &bytes);
        if let Some(error) = summary.policy.and_then(|p| p.error) {
            anyhow::bail!("{error}");
        }
    }
    if let Some(path) = policy {
        if !session.inputs().first().is_some_and(|i| i.policy) {
            anyhow::bail!("--policy {path}: not read as a policy file (a policy is a .toml file)");
        }
    }
    Ok(session)
}
