//! Files from everywhere a user has them: dropped folders (walked through the
//! `webkitGetAsEntry` file-system entries, keeping each file's path inside the folder, which
//! is what build grouping reads), a picked folder (`webkitRelativePath`), and pasted text
//! or files. Everything ends as `(name, Blob)` pairs for the worker.

use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, DataTransfer, File, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry,
};

/// The name a picked file goes by: its path inside a picked folder, else its name.
pub fn name_of(file: &File) -> String {
    js_sys::Reflect::get(file, &"webkitRelativePath".into())
        .ok()
        .and_then(|v| v.as_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| file.name())
}

async fn entries_of(dir: &FileSystemDirectoryEntry) -> Vec<FileSystemEntry> {
    let reader = dir.create_reader();
    let mut out = Vec::new();
    // readEntries answers in batches (100 in Chromium) until an empty one.
    loop {
        let promise = Promise::new(&mut |resolve, reject| {
            let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
        });
        let Ok(batch) = JsFuture::from(promise).await else { break };
        let batch: Array = batch.unchecked_into();
        if batch.length() == 0 {
            break;
        }
        out.extend(batch.iter().map(|e| e.unchecked_into::<FileSystemEntry>()));
    }
    out
}

async fn file_of(entry: &FileSystemFileEntry) -> Option<File> {
    let promise = Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise).await.ok().map(JsValue::unchecked_into)
}

/// What was dropped, taken during the drop event (a `DataTransfer` is unreadable after it):
/// plain files as they are, or the entries to walk when a folder is among them.
pub enum Dropped {
    /// Files only.
    Files(Vec<(String, Blob)>),
    /// At least one folder: entries to walk with [`walk`].
    Entries(Vec<FileSystemEntry>),
}

/// Takes the drop's contents; call it inside the drop event handler.
pub fn take(transfer: &DataTransfer) -> Dropped {
    let items = transfer.items();
    let entries: Vec<FileSystemEntry> = (0..items.length())
        .filter_map(|i| items.get(i))
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .collect();
    if entries.iter().any(|e| e.is_directory()) {
        return Dropped::Entries(entries);
    }
    let files = transfer.files().map(|list| {
        (0..list.length()).filter_map(|i| list.get(i)).map(|f| (f.name(), f.into())).collect()
    });
    Dropped::Files(files.unwrap_or_default())
}

/// Every file under the entries, folders walked depth first in name order, each named by
/// its path from the dropped folder (`ci-artifacts/build-104/trivy.json`).
pub async fn walk(entries: Vec<FileSystemEntry>) -> Vec<(String, Blob)> {
    let mut stack = entries;
    stack.reverse();
    let mut out = Vec::new();
    while let Some(entry) = stack.pop() {
        let path = entry.full_path().trim_start_matches('/').to_string();
        if entry.is_directory() {
            let mut children = entries_of(entry.unchecked_ref::<FileSystemDirectoryEntry>()).await;
            children.sort_by_key(|e| std::cmp::Reverse(e.name()));
            stack.extend(children);
        } else if let Some(file) = file_of(entry.unchecked_ref::<FileSystemFileEntry>()).await {
            out.push((path, file.into()));
        }
    }
    out
}

/// What a paste holds: its files, or its text as one file (`pasted-N.json`).
pub fn pasted(transfer: &DataTransfer, n: usize) -> Vec<(String, Blob)> {
    if let Some(list) = transfer.files().filter(|l| l.length() > 0) {
        return (0..list.length())
            .filter_map(|i| list.get(i))
            .map(|f| (f.name(), f.into()))
            .collect();
    }
    let text = transfer.get_data("text/plain").unwrap_or_default();
    if text.trim().is_empty() {
        return Vec::new();
    }
    let parts = Array::of1(&JsValue::from_str(&text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    match Blob::new_with_str_sequence_and_options(&parts, &options) {
        Ok(blob) => vec![(format!("pasted-{n}.json"), blob)],
        Err(_) => Vec::new(),
    }
}
