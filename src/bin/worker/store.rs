//! What scanlens keeps in this browser, in IndexedDB (database `scanlens`), used by the
//! worker (IndexedDB works in a worker; the page's first load carries none of this): the
//! triage decisions (store `triage`, keyed by fingerprint, the value a `Decision` as JSON).
//! Every write is one transaction that either commits or leaves nothing: a quota or any
//! other error is reported, never half-written. Nothing here ever leaves the machine.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

const DATABASE: &str = "scanlens";
const VERSION: u32 = 2;
/// The object stores, created on first open: triage decisions (text values).
pub const TRIAGE: &str = "triage";
/// Files kept when the user asked to keep builds here (`{name, drop, bytes}` values).
pub const FILES: &str = "files";

fn message(error: JsValue) -> String {
    if let Some(e) = error.dyn_ref::<web_sys::DomException>() {
        if e.name() == "QuotaExceededError" {
            return "the browser's storage for this site is full (nothing was saved); free space or forget stored data".into();
        }
        return format!("{}: {}", e.name(), e.message());
    }
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

/// A promise settled by an IDB request's success (its result) or error.
fn settle(request: &IdbRequest) -> js_sys::Promise {
    let request = request.clone();
    js_sys::Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let err = Closure::once_into_js(move || {
            let error = failed.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(err.unchecked_ref()));
    })
}

/// A promise settled when a transaction commits, or fails (quota, abort).
fn committed(tx: &IdbTransaction) -> js_sys::Promise {
    let tx = tx.clone();
    js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = tx.clone();
        let reject_too = reject.clone();
        let err = Closure::once_into_js(move || {
            let error = failed.error().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        let aborted = tx.clone();
        let abort = Closure::once_into_js(move || {
            let error = aborted.error().map(JsValue::from).unwrap_or_else(|| "aborted".into());
            let _ = reject_too.call1(&JsValue::NULL, &error);
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onerror(Some(err.unchecked_ref()));
        tx.set_onabort(Some(abort.unchecked_ref()));
    })
}

/// The IndexedDB of the worker this runs in.
fn factory() -> Result<web_sys::IdbFactory, String> {
    js_sys::global()
        .unchecked_into::<web_sys::WorkerGlobalScope>()
        .indexed_db()
        .ok()
        .flatten()
        .ok_or_else(|| "this browser keeps no IndexedDB for this page (private mode?)".to_string())
}

async fn open() -> Result<IdbDatabase, String> {
    let request = factory()?.open_with_u32(DATABASE, VERSION).map_err(message)?;
    let upgrade = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(db) = upgrade.result().map(|r| r.unchecked_into::<IdbDatabase>()) {
            for name in [TRIAGE, FILES] {
                if !db.object_store_names().contains(name) {
                    let _ = db.create_object_store(name);
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db = JsFuture::from(settle(&request)).await.map_err(message)?;
    Ok(db.unchecked_into())
}

fn store(
    db: &IdbDatabase,
    name: &str,
    mode: IdbTransactionMode,
) -> Result<(IdbTransaction, IdbObjectStore), String> {
    let tx = db.transaction_with_str_and_mode(name, mode).map_err(message)?;
    let store = tx.object_store(name).map_err(message)?;
    Ok((tx, store))
}

/// Every value of a store.
pub async fn values(name: &str) -> Result<Vec<JsValue>, String> {
    let db = open().await?;
    let (_, store) = store(&db, name, IdbTransactionMode::Readonly)?;
    let request = store.get_all().map_err(message)?;
    // Closed once its transaction is done: an open connection would block "forget everything".
    db.close();
    let values = JsFuture::from(settle(&request)).await.map_err(message)?;
    Ok(js_sys::Array::from(&values).iter().collect())
}

/// Puts one value under `key` (one transaction: all of it is kept, or nothing).
pub async fn put(name: &str, key: &str, value: &JsValue) -> Result<(), String> {
    let db = open().await?;
    let (tx, store) = store(&db, name, IdbTransactionMode::Readwrite)?;
    let done = committed(&tx);
    store.put_with_key(value, &JsValue::from_str(key)).map_err(message)?;
    db.close();
    JsFuture::from(done).await.map_err(message)?;
    Ok(())
}

/// Deletes the value under `key`, or every value when `key` is `None`.
pub async fn delete(name: &str, key: Option<&str>) -> Result<(), String> {
    let db = open().await?;
    let (tx, store) = store(&db, name, IdbTransactionMode::Readwrite)?;
    let done = committed(&tx);
    match key {
        Some(key) => store.delete(&JsValue::from_str(key)).map_err(message)?,
        None => store.clear().map_err(message)?,
    };
    db.close();
    JsFuture::from(done).await.map_err(message)?;
    Ok(())
}

/// Every value of a store, as text.
pub async fn all(name: &str) -> Result<Vec<String>, String> {
    Ok(values(name).await?.iter().filter_map(JsValue::as_string).collect())
}

/// Replaces a store's whole content with `entries` (key, text), in one transaction.
pub async fn replace(name: &str, entries: &[(String, String)]) -> Result<(), String> {
    let db = open().await?;
    let (tx, store) = store(&db, name, IdbTransactionMode::Readwrite)?;
    let done = committed(&tx);
    store.clear().map_err(message)?;
    for (key, value) in entries {
        store.put_with_key(&JsValue::from_str(value), &JsValue::from_str(key)).map_err(message)?;
    }
    db.close();
    JsFuture::from(done).await.map_err(message)?;
    Ok(())
}

/// Deletes the whole database: everything this page kept in this browser.
pub async fn forget_everything() -> Result<(), String> {
    let request = factory()?.delete_database(DATABASE).map_err(message)?;
    let done = settle(&request);
    // Another tab of this page holding the database open blocks the deletion until it closes.
    let blocked = js_sys::Promise::new(&mut |_, reject| {
        let on_blocked = Closure::once_into_js(move || {
            let _ = reject.call1(
                &JsValue::NULL,
                &JsValue::from_str(
                    "another scanlens tab has the stored data open: close it, then try again",
                ),
            );
        });
        request.set_onblocked(Some(on_blocked.unchecked_ref()));
    });
    JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(&done, &blocked)))
        .await
        .map_err(message)?;
    Ok(())
}
