//! Loading from URLs, same origin: the built-in demo (public/demo, copied to dist/demo),
//! `?manifest=URL` (an `index.json` listing builds and their artifacts, as `scanlens publish`
//! writes it) and `?src=URL` (repeatable: one file each). Everything is fetched first, then
//! handed to the worker exactly as dropped files are: the policy as its own drop, then one
//! drop per build, so the builds and their trend appear as they would from CI artifacts.
//!
//! Only this site's origin can be fetched: the CSP's `connect-src 'self'` says so, and a
//! deployer who wants more lists the origins at build time (`SCANLENS_CONNECT_SRC`, see
//! scripts/csp-hash.mjs). A refused fetch is reported with the URL and that reason.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Response};

use crate::files::SelectedFile;

/// What the page's query string asks to load.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Asked {
    /// `?demo`.
    pub demo: bool,
    /// `?manifest=URL`, each.
    pub manifests: Vec<String>,
    /// `?src=URL`, each.
    pub sources: Vec<String>,
}

/// Reads the query string.
pub fn asked() -> Asked {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Asked::default();
    };
    let all = |key: &str| -> Vec<String> {
        params.get_all(key).iter().filter_map(|v| v.as_string()).filter(|v| !v.is_empty()).collect()
    };
    Asked { demo: params.has("demo"), manifests: all("manifest"), sources: all("src") }
}

fn why(url: &str, error: wasm_bindgen::JsValue) -> String {
    let detail = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{error:?}"));
    format!(
        "{url}: could not be fetched ({detail}). Only this site's own origin can be read (the page's Content-Security-Policy); a file elsewhere can be downloaded and dropped here instead."
    )
}

/// The absolute URL of `path` relative to `base`.
fn resolve(path: &str, base: &str) -> Result<String, String> {
    web_sys::Url::new_with_base(path, base)
        .map(|u| u.href())
        .map_err(|_| format!("{path}: not a URL"))
}

async fn fetch_blob(url: &str) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: Response =
        JsFuture::from(window.fetch_with_str(url)).await.map_err(|e| why(url, e))?.unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: the server answered HTTP {}", response.status()));
    }
    let blob =
        JsFuture::from(response.blob().map_err(|e| why(url, e))?).await.map_err(|e| why(url, e))?;
    Ok(blob.unchecked_into())
}

fn page_url() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// Fetches a manifest and every file it lists, as drops: the policy, then build by build.
async fn manifest_drops(url: &str) -> Result<Vec<Vec<(String, Blob)>>, String> {
    let url = resolve(url, &page_url())?;
    let text = JsFuture::from(fetch_blob(&url).await?.text())
        .await
        .map_err(|e| why(&url, e))?
        .as_string()
        .unwrap_or_default();
    let manifest = scanlens_core::site::parse(&text).map_err(|e| format!("{url}: {e}"))?;
    let mut groups: Vec<Vec<String>> = Vec::new();
    groups.extend(manifest.policy.map(|p| vec![p]));
    groups.extend(manifest.builds.into_iter().map(|b| b.artifacts));
    let mut drops = Vec::new();
    for group in groups {
        let mut blobs = Vec::new();
        for name in group {
            let blob = fetch_blob(&resolve(&name, &url)?).await?;
            blobs.push((name, blob));
        }
        drops.push(blobs);
    }
    Ok(drops)
}

/// The name a `?src=` file goes by: its URL's path, so folders still group builds.
fn source_name(url: &str) -> String {
    web_sys::Url::new(url)
        .ok()
        .map(|u| u.pathname())
        .and_then(|p| js_sys::decode_uri_component(&p).ok().map(String::from))
        .map(|p| p.trim_start_matches('/').to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| url.to_string())
}

async fn load_all(asked: Asked, on_files: Callback<Vec<SelectedFile>>) -> Result<(), String> {
    // Fetch everything first, then hand it all over at once: the file list (and the
    // dashboard's "still reading" note) then knows every file from the start.
    let mut drops = Vec::new();
    if asked.demo {
        drops.extend(manifest_drops("./demo/index.json").await?);
    }
    for url in &asked.manifests {
        drops.extend(manifest_drops(url).await?);
    }
    if !asked.sources.is_empty() {
        let mut blobs = Vec::new();
        for src in &asked.sources {
            let url = resolve(src, &page_url())?;
            blobs.push((source_name(&url), fetch_blob(&url).await?));
        }
        drops.push(blobs);
    }
    let mut files = Vec::new();
    for blobs in drops {
        files.extend(crate::files::submit_all(blobs));
    }
    on_files.run(files);
    Ok(())
}

/// Loads what `asked` names; a failure is reported through `on_error` (and nothing of that
/// load is half-given: all its files are fetched before any is handed over).
pub fn load(asked: Asked, on_files: Callback<Vec<SelectedFile>>, on_error: Callback<String>) {
    leptos::task::spawn_local(async move {
        if let Err(error) = load_all(asked, on_files).await {
            on_error.run(error);
        }
    });
}
