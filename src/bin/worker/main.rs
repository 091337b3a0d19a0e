//! The parsing worker: reads dropped files with scanlens-core off the page's thread and keeps
//! the parsed model in a [`Session`]; the page gets the small values of `scanlens::protocol`.
//!
//! In: `{file, drop, name, blob}` objects (files) and JSON [`Request`]s. Out: JSON [`Reply`]s,
//! starting with `Ready`.

mod store;

use std::cell::RefCell;

use js_sys::{Reflect, Uint8Array};
use scanlens::markdown::{self, Node};
use scanlens::protocol::{Reply, Request};
use scanlens_core::session::{FileSummary, ReportSummary, Session};
use scanlens_core::time::Timestamp;
use scanlens_core::triage::Decision;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
}

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
    send(
        scope,
        &Reply::Dashboard {
            dashboard: Box::new(session.dashboard(now())),
            builds,
            trends,
            charts,
            decisions: session.triage().len(),
            same_entries,
        },
    );
}

fn field(data: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(data, &name.into()).ok().filter(|v| !v.is_undefined())
}

/// Reads a file message; a file the browser cannot read becomes a report with that error.
fn load(scope: &DedicatedWorkerGlobalScope, data: &JsValue) {
    let number = |name| field(data, name).and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
    let (file, drop) = (number("file"), number("drop"));
    let name = field(data, "name").and_then(|v| v.as_string()).unwrap_or_default();
    // Too big for a tab: refused before a byte is read, so nothing loaded is put at risk.
    let admitted =
        |blob: Blob| SESSION.with_borrow(|s| s.admit(&name, blob.size() as u64)).map(|()| blob);
    let bytes = field(data, "blob")
        .and_then(|b| b.dyn_into::<Blob>().ok())
        .ok_or_else(|| format!("{name}: no file was given"))
        .and_then(admitted)
        .and_then(|blob| {
            FileReaderSync::new()
                .and_then(|r| r.read_as_array_buffer(&blob))
                .map_err(|e| format!("{name}: the browser could not read it: {e:?}"))
        })
        .map(|buffer| Uint8Array::new(&buffer).to_vec());
    SESSION.with_borrow_mut(|session| {
        let summary = match bytes {
            Ok(bytes) => session.add(file, drop, &name, &bytes),
            Err(error) => FileSummary {
                id: file,
                reports: vec![ReportSummary {
                    name: name.clone(),
                    diagnostics: vec![format!("error: {error}")],
                    ..ReportSummary::default()
                }],
                ..FileSummary::default()
            },
        };
        // An exported triage file dropped back: its decisions return to the store.
        let returned = summary.triage.clone();
        send(scope, &Reply::Loaded { file: summary });
        send_dashboard(scope, session);
        if !returned.is_empty() {
            let mut all = session.triage().to_vec();
            for d in returned {
                all.retain(|x| x.fingerprint != d.fingerprint);
                all.push(d);
            }
            keep_triage(scope.clone(), all);
        }
    });
}

fn answer(scope: &DedicatedWorkerGlobalScope, request: Request) {
    SESSION.with_borrow_mut(|session| match request {
        Request::Remove { file } => {
            session.remove(file);
            send_dashboard(scope, session);
        }
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
                    Ok(()) => apply_triage(&scope, Vec::new()),
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
        match data.as_string() {
            Some(text) => match serde_json::from_str::<Request>(&text) {
                Ok(request) => answer(&replies, request),
                Err(e) => {
                    web_sys::console::error_1(&format!("scanlens worker: bad request: {e}").into())
                }
            },
            None => load(&replies, &data),
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
    });
}
