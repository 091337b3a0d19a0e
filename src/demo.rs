//! The built-in demo (public/demo, copied to dist/demo): Acme Shop's six builds, fetched from
//! our own origin and handed to the worker build by build, exactly as dropped files are.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Response};

use crate::files::SelectedFile;

/// Whether the page was opened with `?demo`.
pub fn asked_for() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| q.trim_start_matches('?').split('&').any(|p| p == "demo"))
}

async fn fetch_blob(path: &str) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|e| format!("{path}: {e:?}"))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("{path}: HTTP {}", response.status()));
    }
    let blob = JsFuture::from(response.blob().map_err(|e| format!("{path}: {e:?}"))?)
        .await
        .map_err(|e| format!("{path}: {e:?}"))?;
    Ok(blob.unchecked_into())
}

async fn load_all(on_files: Callback<Vec<SelectedFile>>) -> Result<(), String> {
    let manifest = fetch_blob("./demo/index.json").await?;
    let text = JsFuture::from(manifest.text()).await.map_err(|e| format!("{e:?}"))?;
    let manifest: serde_json::Value = serde_json::from_str(&text.as_string().unwrap_or_default())
        .map_err(|e| format!("demo/index.json: {e}"))?;
    let mut groups: Vec<Vec<String>> = Vec::new();
    if let Some(policy) = manifest["policy"].as_str() {
        groups.push(vec![policy.to_string()]);
    }
    for build in manifest["builds"].as_array().into_iter().flatten() {
        groups.push(
            build["artifacts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(String::from))
                .collect(),
        );
    }
    // Fetch everything first, then hand it all over at once: the file list (and the
    // dashboard's "still reading" note) then knows every file from the start.
    let mut fetched: Vec<Vec<(String, Blob)>> = Vec::new();
    for group in groups {
        let mut blobs = Vec::new();
        for name in group {
            let blob = fetch_blob(&format!("./demo/{name}")).await?;
            blobs.push((name, blob));
        }
        fetched.push(blobs);
    }
    let mut files = Vec::new();
    for blobs in fetched {
        files.extend(crate::files::submit_all(blobs));
    }
    on_files.run(files);
    Ok(())
}

/// Loads the demo; a failure is logged (the demo ships with the page, so it means a broken deploy).
pub fn load(on_files: Callback<Vec<SelectedFile>>) {
    leptos::task::spawn_local(async move {
        if let Err(error) = load_all(on_files).await {
            web_sys::console::error_1(
                &format!("scanlens: the demo could not be loaded: {error}").into(),
            );
        }
    });
}
