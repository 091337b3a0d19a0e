//! `scanlens publish --site DIR [--policy FILE] [--title TEXT] FILE...`: copies one build's
//! artifacts into `DIR/reports/<build>/` and adds the build to `DIR/reports/index.json`, so a
//! CI job that deploys the viewer with its reports (GitHub Pages) gives auditors one link,
//! `<site>/?manifest=reports/index.json`, that opens every build with its trend.
//!
//! The build is the one the `scanlens-build.json` sidecar among the files names (write it
//! with `scanlens build-info`); publishing a build id again replaces that build.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use scanlens_core::site::{self, Manifest, SiteBuild};

pub(crate) fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let (mut site_dir, mut policy, mut title) = (None, None, None);
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--site" => site_dir = Some(PathBuf::from(value()?)),
            "--policy" => policy = Some(value()?),
            "--title" => title = Some(value()?),
            flag if flag.starts_with("--") => anyhow::bail!("unknown option {flag:?} for publish"),
            path => paths.push(path.to_string()),
        }
    }
    let site_dir =
        site_dir.context("publish needs --site DIR (the folder deployed with the viewer)")?;
    if paths.is_empty() {
        anyhow::bail!("no input files given");
    }
    let reports = crate::read_inputs(&paths)?;
    let info = reports
        .iter()
        .find_map(|r| r.build.clone())
        .context("no scanlens-build.json among the files: write one with `scanlens build-info` so the build has an id and a time")?;
    let id = info
        .id
        .clone()
        .or(info.commit.clone())
        .context("the scanlens-build.json has neither an id nor a commit")?;
    let folder = site::folder_name(&id);
    let reports_dir = site_dir.join("reports");
    let build_dir = reports_dir.join(&folder);
    // Publishing a build again replaces it: its old files go.
    if build_dir.exists() {
        let inside = std::fs::canonicalize(&build_dir)?;
        if let Some(p) =
            paths.iter().find(|p| std::fs::canonicalize(p).is_ok_and(|c| c.starts_with(&inside)))
        {
            anyhow::bail!(
                "{p} is inside {}, which publishing replaces: publish from a copy",
                build_dir.display()
            );
        }
        std::fs::remove_dir_all(&build_dir)
            .with_context(|| format!("cannot replace {}", build_dir.display()))?;
    }
    std::fs::create_dir_all(&build_dir)
        .with_context(|| format!("cannot create {}", build_dir.display()))?;
    let mut artifacts = Vec::new();
    for path in &paths {
        let name = file_name(path)?;
        let rel = format!("{folder}/{name}");
        if artifacts.contains(&rel) {
            anyhow::bail!("two files are named {name}: a build's files need distinct names");
        }
        copy(path, &build_dir.join(&name))?;
        artifacts.push(rel);
    }
    let index_path = reports_dir.join("index.json");
    let mut manifest = match std::fs::read_to_string(&index_path) {
        Ok(text) => {
            site::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", index_path.display()))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Manifest::default(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", index_path.display())),
    };
    if let Some(path) = &policy {
        let name = file_name(path)?;
        copy(path, &reports_dir.join(&name))?;
        manifest.policy = Some(name);
    }
    if title.is_some() {
        manifest.title = title;
    }
    manifest.publish(SiteBuild {
        id: id.clone(),
        time: info.time.map(|t| t.to_string()),
        commit: info.commit,
        branch: info.branch,
        artifacts,
    });
    // Written whole to a temporary file and renamed: a reader never sees half an index.
    let temp = reports_dir.join("index.json.tmp");
    std::fs::write(&temp, manifest.to_json())
        .with_context(|| format!("cannot write {}", temp.display()))?;
    std::fs::rename(&temp, &index_path)
        .with_context(|| format!("cannot write {}", index_path.display()))?;
    println!(
        "published build {id} ({} file(s)) to {}; {} build(s) in {}; open <site>/?manifest=reports/index.json",
        paths.len(),
        build_dir.display(),
        manifest.builds.len(),
        index_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn file_name(path: &str) -> anyhow::Result<String> {
    let name = Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("{path}: not a file name"))?
        .to_string();
    anyhow::ensure!(site::is_safe_path(&name), "{path}: the name {name:?} cannot be published");
    Ok(name)
}

fn copy(from: &str, to: &Path) -> anyhow::Result<()> {
    std::fs::copy(from, to).with_context(|| format!("cannot copy {from} to {}", to.display()))?;
    Ok(())
}
