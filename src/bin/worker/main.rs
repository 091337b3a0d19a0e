//! The parsing worker: reads dropped files with scanlens-core off the page's thread and keeps
//! the parsed model in a [`Session`]; the page gets the small values of `scanlens::protocol`.
//!
//! In: `{file, drop, name, blob}` objects (files) and JSON [`Request`]s. Out: JSON [`Reply`]s,
//! starting with `Ready`.

mod store;
mod warm;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use js_sys::{Promise, Reflect, Uint8Array};
use scanlens::markdown::{self, Node};
use scanlens::protocol::{Reply, Request};
use scanlens_core::intern::Interner;
use scanlens_core::session::{FileSummary, ReportSummary, Session};
use scanlens_core::time::Timestamp;
use scanlens_core::triage::Decision;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
    static HISTORY: RefCell<History> = RefCell::new(History::default());
    /// Files whose SHA-256 the browser is still computing.
    static HASHING: Cell<usize> = const { Cell::new(0) };
    /// Exports asked for meanwhile: they state each file's hash, so they wait for it.
    static DEFERRED: RefCell<Vec<Request>> = const { RefCell::new(Vec::new()) };
    /// Whether a file has come: warming up stops then (`warm`).
    static GIVEN: Cell<bool> = const { Cell::new(false) };
    /// Messages not yet handled, in the order they came: reading a file waits for the
    /// browser, and what the page sent after it must not overtake it.
    static INBOX: RefCell<VecDeque<JsValue>> = const { RefCell::new(VecDeque::new()) };
    /// Whether the inbox is being worked through.
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// "Keep builds in this browser": whether files are kept, and under which key each is.
#[derive(Default)]
struct History {
    keep: bool,
    /// Stored key (`visit-drop:sha256:name`) of each file kept or restored, by file id.
    keys: std::collections::HashMap<u32, String>,
}

/// File and drop ids of restored files: far above the page's own counters.
const RESTORED: u32 = 1 << 30;

fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

fn send(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    let text = serde_json::to_string(reply).expect("replies are plain data");
    // Everything the page shows passes here: make bidi overrides and zero-width characters
    // visible (serde_json writes them raw, never inside an escape, so this is safe on JSON).
    let text = scanlens_core::explore::reveal(&text);
    let _ = scope.post_message(&JsValue::from_str(&text));
}

fn send_dashboard(scope: &DedicatedWorkerGlobalScope, session: &mut Session) {
    send_dashboard_of(scope, session, false);
}

fn send_dashboard_of(
    scope: &DedicatedWorkerGlobalScope,
    session: &mut Session,
    same_entries: bool,
) {
    send(scope, &dashboard(session, same_entries));
}

/// The dashboard reply: computing it is most of the work after a parse.
fn dashboard(session: &mut Session, same_entries: bool) -> Reply {
    let builds = session.builds(now());
    let trends = session.trends(now());
    let charts = if trends.len() > 1 {
        vec![
            scanlens_core::chart::open_by_severity(&trends),
            scanlens_core::chart::new_and_fixed(&trends),
        ]
    } else {
        Vec::new()
    };
    Reply::Dashboard {
        dashboard: Box::new(session.dashboard(now())),
        builds,
        trends,
        charts,
        decisions: session.triage().len(),
        same_entries,
    }
}

fn field(data: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(data, &name.into()).ok().filter(|v| !v.is_undefined())
}

/// A file's bytes, read in slices straight into this worker's memory: no second whole copy
/// of a file of hundreds of megabytes in JavaScript's heap. Two slices are asked for at a
/// time, so the browser reads the next while this one is copied (100 MB: ~290 ms read one
/// at a time with `FileReaderSync`, ~250 ms so).
///
/// While it waits for the browser, it also touches the memory that parsing will fill (see
/// [`Ahead`]), checks that the bytes so far are UTF-8, so that parsing need not (100 MB:
/// ~14 ms), and interns the paths they name, so that the parse finds them together in
/// memory (see [`scanlens_core::intern`]).
async fn read_blob(blob: &Blob) -> Result<Read, JsValue> {
    const SLICE: f64 = 16.0 * 1024.0 * 1024.0;
    let size = blob.size();
    let mut bytes = Vec::with_capacity(size as usize);
    let slices = (size / SLICE).ceil() as usize;
    let mut ahead = Ahead::new(size as usize, slices);
    let mut asked = 0.0;
    let mut ask = |pending: &mut VecDeque<JsFuture>| -> Result<(), JsValue> {
        if asked < size {
            let end = (asked + SLICE).min(size);
            pending.push_back(blob.slice_with_f64_and_f64(asked, end)?.array_buffer().into());
            asked = end;
        }
        Ok(())
    };
    let mut pending = VecDeque::new();
    let mut utf8 = scanlens_core::Utf8Check::default();
    let mut paths = Interner::default();
    ask(&mut pending)?;
    ask(&mut pending)?;
    while let Some(slice) = pending.pop_front() {
        ahead.touch_next();
        let buffer = slice.await?;
        ask(&mut pending)?;
        let part = Uint8Array::new(&buffer);
        let length = part.length() as usize;
        bytes.reserve(length);
        // Straight into the spare room: zeroing it first would be a second pass over it.
        let written = part.copy_to_uninit(&mut bytes.spare_capacity_mut()[..length]).len();
        // SAFETY: `copy_to_uninit` initialised the `written` bytes after the current length.
        unsafe { bytes.set_len(bytes.len() + written) };
        utf8.advance(&bytes);
        // Text only (an archive is not): from a little before this slice, for a path cut
        // off at the end of the last one.
        if utf8.valid() {
            paths.scan(&bytes[(bytes.len() - written).saturating_sub(1024)..]);
        }
    }
    // Freed last, at the top of the heap: the allocator hands these pages out again first.
    drop(ahead);
    let paths = utf8.finish(&bytes).then_some(paths);
    Ok(Read { bytes, paths })
}

/// A file as read: its bytes and, when they are UTF-8 text, the paths they name.
struct Read {
    bytes: Vec<u8>,
    paths: Option<Interner>,
}

/// Memory touched ahead of parsing. Fresh wasm memory costs a page fault at its first
/// write: ~0.37 ms per MB on this machine, ~50 ms of the ~450 ms a 100 MB SARIF takes to
/// parse. Reading leaves the worker waiting on the browser, so the pages are touched then,
/// a share after each slice is asked for, in a block freed before parsing starts.
///
/// It is as big as the file. A model at least that big (SARIF 1.35x its input in the
/// benchmark, Trivy 1.9x) uses every page of it; a smaller one (pretty SARIF, 0.96x) leaves
/// the rest unused, but wasm memory then stays within twice the file while it is parsed,
/// under the 2.5x budget whatever the file holds. 1.5x the file was faster again for Trivy
/// (440 MB/s) but took pretty SARIF to 2.56x.
struct Ahead {
    block: Vec<u8>,
    touched: usize,
    step: usize,
}

impl Ahead {
    /// Not worth it under 8 MB.
    const MIN: usize = 8 << 20;
    const PAGE: usize = 4096;

    fn new(size: usize, slices: usize) -> Ahead {
        let mut block = Vec::new();
        if size >= Ahead::MIN {
            // Without room to spare, it stays empty and parsing goes without it.
            let _ = block.try_reserve_exact(size);
        }
        Ahead { step: block.capacity().div_ceil(slices.max(1)), block, touched: 0 }
    }

    /// Writes one byte in each page of the next share.
    fn touch_next(&mut self) {
        let end = (self.touched + self.step).min(self.block.capacity());
        let base = self.block.as_mut_ptr();
        for at in (self.touched..end).step_by(Ahead::PAGE) {
            // SAFETY: `at` is within the block's capacity. Volatile, so the writes are not
            // dropped as dead stores to memory freed unread.
            unsafe { base.add(at).write_volatile(0) };
        }
        self.touched = end;
    }
}

/// Reads a file message; a file the browser cannot read becomes a report with that error.
async fn load(scope: &DedicatedWorkerGlobalScope, data: &JsValue) {
    let number = |name| field(data, name).and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
    let (file, drop) = (number("file"), number("drop"));
    let name = field(data, "name").and_then(|v| v.as_string()).unwrap_or_default();
    // Too big for a tab: refused before a byte is read, so nothing loaded is put at risk.
    let admitted =
        |blob: Blob| SESSION.with_borrow(|s| s.admit(&name, blob.size() as u64)).map(|()| blob);
    let blob = field(data, "blob")
        .and_then(|b| b.dyn_into::<Blob>().ok())
        .ok_or_else(|| format!("{name}: no file was given"))
        .and_then(admitted);
    let read = match blob {
        Ok(blob) => read_blob(&blob)
            .await
            .map_err(|e| format!("{name}: the browser could not read it: {e:?}")),
        Err(e) => Err(e),
    };
    let (bytes, text) = match read {
        Ok(Read { bytes, paths }) => (Ok(bytes), paths),
        Err(e) => (Err(e), None),
    };
    let started = js_sys::Date::now();
    // The SHA-256 is left to the browser, asked once the dashboard is out (below).
    let mut summary = SESSION.with_borrow_mut(|session| match (&bytes, text) {
        (Ok(bytes), Some(paths)) => {
            // SAFETY: `read_blob` checked every byte (`Utf8Check`).
            let text = unsafe { std::str::from_utf8_unchecked(bytes) };
            session.add_text(file, drop, &name, text, paths, Some(""))
        }
        (Ok(bytes), None) => session.add_hashed(file, drop, &name, bytes, Some("")),
        (Err(error), _) => FileSummary {
            id: file,
            reports: vec![ReportSummary {
                name: name.clone(),
                diagnostics: vec![format!("error: {error}")],
                ..ReportSummary::default()
            }],
            ..FileSummary::default()
        },
    });
    summary.read_ms = (js_sys::Date::now() - started) as u64;
    summary.memory = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64)
        .unwrap_or(0);
    let Ok(bytes) = bytes else {
        SESSION.with_borrow_mut(|session| announce(scope, summary, session));
        return;
    };
    // What the file became and the dashboard first: the hash is not part of either. Exports,
    // which state it, wait for it (`answer`).
    summary.hashing = true;
    SESSION.with_borrow_mut(|session| announce(scope, summary.clone(), session));
    HASHING.set(HASHING.get() + 1);
    let scope = scope.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // The page draws the dashboard now; on two cores, the copy below would compete with
        // it (and push that task past 50 ms), so it waits a moment.
        let _ = JsFuture::from(pause(&scope, 100)).await;
        // SHA-256 by the browser: SubtleCrypto copies the bytes here (~150 ms for 100 MB),
        // then hashes off this thread.
        let digest = scope.crypto().ok().and_then(|crypto| {
            // SAFETY: the view lives only for this call, which copies the bytes before it
            // returns (WebCrypto's "get a copy of the bytes held by the buffer source");
            // nothing allocates, so wasm memory cannot grow under it.
            let view = unsafe { Uint8Array::view(&bytes) };
            crypto.subtle().digest_with_str_and_buffer_source("SHA-256", &view).ok()
        });
        let hashed = match digest {
            Some(digest) => JsFuture::from(digest).await.ok(),
            None => None,
        };
        let sha256 = match hashed {
            Some(hash) => {
                Uint8Array::new(&hash).to_vec().iter().map(|b| format!("{b:02x}")).collect()
            }
            // The browser could not hash it: hash it here.
            None => scanlens_core::sha256_hex(&bytes),
        };
        summary.hashing = false;
        SESSION.with_borrow_mut(|s| s.set_sha256(file, &sha256, &mut summary));
        finish_load(&scope, file, drop, summary, bytes);
        HASHING.set(HASHING.get() - 1);
        if HASHING.get() == 0 {
            for request in DEFERRED.take() {
                answer(&scope, request);
            }
        }
    });
}

/// One message from the page: a file, or a request.
async fn handle(scope: &DedicatedWorkerGlobalScope, data: JsValue) {
    match data.as_string() {
        Some(text) => match serde_json::from_str::<Request>(&text) {
            Ok(request) if HASHING.get() > 0 && states_hashes(&request) => {
                DEFERRED.with_borrow_mut(|d| d.push(request))
            }
            Ok(request) => answer(scope, request),
            Err(e) => {
                web_sys::console::error_1(&format!("scanlens worker: bad request: {e}").into())
            }
        },
        None => load(scope, &data).await,
    }
}

/// A promise settled after `ms` milliseconds (0: once the tasks already queued have run).
fn pause(scope: &DedicatedWorkerGlobalScope, ms: i32) -> Promise {
    Promise::new(&mut |resolve, _| {
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    })
}

/// Says what a file became, and the dashboard with it.
fn announce(scope: &DedicatedWorkerGlobalScope, summary: FileSummary, session: &mut Session) {
    let returned = summary.triage.clone();
    // The dashboard first, then both: the page draws the file's row and the dashboard while
    // this worker waits, not while it computes the dashboard (on two cores, drawing the row
    // beside that work sometimes took a main-thread task past 50 ms).
    let dashboard = dashboard(session, false);
    send(scope, &Reply::Loaded { file: summary });
    send(scope, &dashboard);
    if !returned.is_empty() {
        keep_returned(scope, session, returned);
    }
}

/// A file's hash is known: say so, and keep the file (when asked). A file removed meanwhile
/// is left alone.
fn finish_load(
    scope: &DedicatedWorkerGlobalScope,
    file: u32,
    drop: u32,
    summary: FileSummary,
    bytes: Vec<u8>,
) {
    SESSION.with_borrow_mut(|session| {
        // Kept in this browser, when asked: the file as given, in one transaction.
        let Some(input) = session.inputs().iter().find(|i| i.file == file).cloned() else {
            return;
        };
        keep_file(scope, file, drop, &input.name, &input.sha256, &bytes);
        send(scope, &Reply::Loaded { file: summary });
    });
}

/// An exported triage file dropped back: its decisions return to the store.
fn keep_returned(scope: &DedicatedWorkerGlobalScope, session: &Session, returned: Vec<Decision>) {
    let mut all = session.triage().to_vec();
    for d in returned {
        all.retain(|x| x.fingerprint != d.fingerprint);
        all.push(d);
    }
    keep_triage(scope.clone(), all);
}

/// Whether an answer states files' SHA-256 (the exports), so must wait for pending hashes.
fn states_hashes(request: &Request) -> bool {
    matches!(
        request,
        Request::ExportCsv
            | Request::ExportSarif
            | Request::ExportJson { .. }
            | Request::ExportHtml { .. }
            | Request::ExportTriage { .. }
    )
}

fn answer(scope: &DedicatedWorkerGlobalScope, request: Request) {
    SESSION.with_borrow_mut(|session| match request {
        Request::Remove { file } => {
            session.remove(file);
            send_dashboard(scope, session);
            if let Some(key) = HISTORY.with_borrow_mut(|h| h.keys.remove(&file)) {
                let scope = scope.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = store::delete(store::FILES, Some(&key)).await {
                        send(
                            &scope,
                            &Reply::Failed {
                                message: format!(
                                    "A removed file is still kept in this browser: {e}"
                                ),
                            },
                        );
                    }
                });
            }
        }
        Request::History { keep } => history(scope.clone(), keep),
        Request::ExportCsv => {
            let text = session.export_csv(now());
            send(
                scope,
                &Reply::Download {
                    name: "scanlens-findings.csv".into(),
                    mime: "text/csv".into(),
                    text,
                },
            );
        }
        Request::ExportSarif => match session.export_sarif(now()) {
            Ok(text) => send(
                scope,
                &Reply::Download {
                    name: "scanlens-merged.sarif".into(),
                    mime: "application/sarif+json".into(),
                    text,
                },
            ),
            Err(message) => send(
                scope,
                &Reply::Failed {
                    message: format!("The merged SARIF could not be written: {message}"),
                },
            ),
        },
        Request::ExportJson { generated } => {
            let text = session.export_json(Timestamp(generated));
            send(
                scope,
                &Reply::Download {
                    name: "scanlens-model.json".into(),
                    mime: "application/json".into(),
                    text,
                },
            );
        }
        Request::SaveTriage { mut decision } => match decision.check() {
            Ok(()) => {
                decision.at = Some(now().to_string());
                let mut all = session.triage().to_vec();
                all.retain(|x| x.fingerprint != decision.fingerprint);
                all.push(decision);
                keep_triage(scope.clone(), all);
            }
            Err(e) => send(
                scope,
                &Reply::Failed { message: format!("The triage decision was not saved: {e}") },
            ),
        },
        Request::RemoveTriage { fingerprint } => {
            let mut all = session.triage().to_vec();
            all.retain(|x| x.fingerprint != fingerprint);
            keep_triage(scope.clone(), all);
        }
        Request::ForgetStored => {
            let scope = scope.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match store::forget_everything().await {
                    Ok(()) => {
                        HISTORY.with_borrow_mut(|h| *h = History::default());
                        apply_triage(&scope, Vec::new())
                    }
                    Err(e) => send(
                        &scope,
                        &Reply::Failed {
                            message: format!("Stored data could not be deleted: {e}"),
                        },
                    ),
                }
            });
        }
        Request::ExportTriage { vex, generated } => {
            let (name, mime, text) = if vex {
                let text = scanlens_core::triage::openvex(session.triage(), Timestamp(generated));
                ("scanlens-triage.openvex.json", "application/json", text)
            } else {
                let text = scanlens_core::triage::policy_rules(session.triage());
                ("scanlens-triage.toml", "application/toml", text)
            };
            send(scope, &Reply::Download { name: name.into(), mime: mime.into(), text });
        }
        Request::ExportHtml { generated } => {
            let text = session.report_html(Timestamp(generated));
            send(
                scope,
                &Reply::Download {
                    name: "scanlens-report.html".into(),
                    mime: "text/html".into(),
                    text,
                },
            );
        }
        Request::EditBuilds { edits } => {
            session.set_edits(edits);
            send_dashboard(scope, session);
        }
        Request::Diff { old, new } => {
            let view = session.diff(old, new, now()).map(Box::new);
            send(scope, &Reply::Diff { view });
        }
        Request::Component { name } => {
            let view = session.component(&name, now());
            let chart = view.as_ref().filter(|v| v.trend.len() > 1).map(|v| {
                let mut chart = scanlens_core::chart::open_by_severity(&v.trend);
                chart.alt = format!("{}: {}", v.name, chart.alt);
                chart
            });
            send(scope, &Reply::Component { view: view.map(Box::new), chart });
        }
        Request::Detail { entry } => {
            let mut detail = session.detail(entry, now()).map(Box::new);
            // Markdown is parsed here, off the page (and out of its first-load bundle).
            let (mut message, mut help) = (Vec::new(), Vec::new());
            if let Some(d) = detail.as_deref_mut() {
                message = match (d.message_markdown.take(), d.message.take()) {
                    (Some(md), _) => markdown::parse(&md),
                    (None, Some(text)) => vec![Node::Text(text)],
                    (None, None) => Vec::new(),
                };
                help = match d.help.take() {
                    Some(text) if d.help_is_markdown => markdown::parse(&text),
                    Some(text) => vec![Node::Element {
                        tag: "p".into(),
                        href: None,
                        children: vec![Node::Text(text)],
                    }],
                    None => Vec::new(),
                };
            }
            send(scope, &Reply::Detail { detail, message, help });
        }
        Request::Rows { seq, query, offset, limit } => {
            let (total, rows) = session.rows(&query, offset, limit, now());
            send(scope, &Reply::Rows { seq, total, entries: session.selected(), offset, rows });
        }
        Request::Facets { query } => {
            send(scope, &Reply::Facets { facets: session.facets(&query, now()) });
        }
    });
}

/// Keeps a file in this browser when the user asked for it (and it is not kept already).
fn keep_file(
    scope: &DedicatedWorkerGlobalScope,
    file: u32,
    drop: u32,
    name: &str,
    sha256: &str,
    bytes: &[u8],
) {
    // By drop too: the same file in two builds is two inputs (a tool's unchanged output).
    let drop_key = format!("{}-{drop}", visit());
    let key = format!("{drop_key}:{sha256}:{name}");
    let fresh = HISTORY.with_borrow_mut(|h| {
        let fresh = h.keep && !h.keys.values().any(|k| *k == key);
        if h.keep {
            h.keys.insert(file, key.clone());
        }
        fresh
    });
    if !fresh {
        return;
    }
    let value = js_sys::Object::new();
    let _ = Reflect::set(&value, &"name".into(), &name.into());
    // The drop, unique across visits: files dropped together come back together.
    let _ = Reflect::set(&value, &"drop".into(), &drop_key.into());
    let _ = Reflect::set(&value, &"key".into(), &key.as_str().into());
    let _ = Reflect::set(&value, &"bytes".into(), &Uint8Array::from(bytes));
    let (scope, name) = (scope.clone(), name.to_string());
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = store::put(store::FILES, &key, &value).await {
            HISTORY.with_borrow_mut(|h| h.keys.remove(&file));
            send(
                &scope,
                &Reply::Failed {
                    message: format!("{name} is loaded but not kept in this browser: {e}"),
                },
            );
        }
    });
}

/// When this worker started: names this visit's drops in the kept files.
fn visit() -> i64 {
    thread_local!(static START: i64 = js_sys::Date::now() as i64);
    START.with(|s| *s)
}

/// Turns keeping on (restoring what was kept) or off (deleting what was kept).
fn history(scope: DedicatedWorkerGlobalScope, keep: bool) {
    let was = HISTORY.with_borrow_mut(|h| std::mem::replace(&mut h.keep, keep));
    wasm_bindgen_futures::spawn_local(async move {
        if !keep {
            HISTORY.with_borrow_mut(|h| h.keys.clear());
            if let Err(e) = store::delete(store::FILES, None).await {
                send(
                    &scope,
                    &Reply::Failed { message: format!("Kept files could not be deleted: {e}") },
                );
            }
            return;
        }
        if was {
            return;
        }
        let values = match store::values(store::FILES).await {
            Ok(values) => values,
            Err(e) => {
                send(
                    &scope,
                    &Reply::Failed { message: format!("Kept files could not be read: {e}") },
                );
                return;
            }
        };
        let text = |v: &JsValue, key: &str| {
            Reflect::get(v, &key.into()).ok().and_then(|x| x.as_string()).unwrap_or_default()
        };
        let mut drops: Vec<String> = Vec::new();
        let mut restored = Vec::new();
        SESSION.with_borrow_mut(|session| {
            for (n, value) in values.iter().enumerate() {
                let (name, drop_key) = (text(value, "name"), text(value, "drop"));
                let bytes = Reflect::get(value, &"bytes".into())
                    .ok()
                    .map(|b| Uint8Array::new(&b).to_vec())
                    .unwrap_or_default();
                let drop = match drops.iter().position(|d| *d == drop_key) {
                    Some(i) => i,
                    None => {
                        drops.push(drop_key);
                        drops.len() - 1
                    }
                };
                let file = RESTORED + n as u32;
                let summary = session.add(file, RESTORED + drop as u32, &name, &bytes);
                let key = text(value, "key");
                HISTORY.with_borrow_mut(|h| h.keys.insert(file, key));
                restored.push((file, name, bytes.len() as u64, summary));
            }
            if restored.is_empty() {
                return;
            }
            let files =
                restored.iter().map(|(id, name, size, _)| (*id, name.clone(), *size)).collect();
            send(&scope, &Reply::Restored { files });
            for (_, _, _, summary) in restored {
                send(&scope, &Reply::Loaded { file: summary });
            }
            send_dashboard(&scope, session);
        });
    });
}

/// The session takes `decisions` and the page hears of it (same entries, a new verdict).
fn apply_triage(scope: &DedicatedWorkerGlobalScope, decisions: Vec<Decision>) {
    SESSION.with_borrow_mut(|session| {
        session.set_triage(decisions);
        send_dashboard_of(scope, session, true);
    });
}

/// Writes `decisions` as the whole triage store; only once that has committed does the
/// session (and so the gate) take them, so a storage error changes nothing and says so.
fn keep_triage(scope: DedicatedWorkerGlobalScope, decisions: Vec<Decision>) {
    wasm_bindgen_futures::spawn_local(async move {
        let entries: Vec<(String, String)> = decisions
            .iter()
            .map(|d| (d.fingerprint.clone(), serde_json::to_string(d).unwrap_or_default()))
            .collect();
        match store::replace(store::TRIAGE, &entries).await {
            Ok(()) => apply_triage(&scope, decisions),
            Err(e) => send(
                &scope,
                &Reply::Failed { message: format!("The triage decision was not saved: {e}") },
            ),
        }
    });
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        GIVEN.set(GIVEN.get() || !data.is_string());
        INBOX.with_borrow_mut(|inbox| inbox.push_back(data));
        if !BUSY.replace(true) {
            let scope = replies.clone();
            wasm_bindgen_futures::spawn_local(async move {
                while let Some(data) = INBOX.with_borrow_mut(VecDeque::pop_front) {
                    handle(&scope, data).await;
                }
                BUSY.set(false);
            });
        }
    });
    // Stored triage decisions first, then Ready: the page sends nothing before it, so the
    // first dashboard already honours them.
    wasm_bindgen_futures::spawn_local(async move {
        match store::all(store::TRIAGE).await {
            Ok(texts) => {
                let decisions: Vec<Decision> =
                    texts.iter().filter_map(|t| serde_json::from_str(t).ok()).collect();
                SESSION.with_borrow_mut(|s| s.set_triage(decisions));
            }
            Err(e) => send(
                &scope,
                &Reply::Failed {
                    message: format!("Stored triage decisions could not be read: {e}"),
                },
            ),
        }
        scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        send(&scope, &Reply::Ready);
        // Idle until a file comes: warm the parsers up, a round per task so a file that
        // arrives meanwhile waits for one round at most.
        for round in 0..warm::ROUNDS {
            let _ = JsFuture::from(pause(&scope, 0)).await;
            if GIVEN.get() {
                break;
            }
            warm::round(round);
        }
    });
}
