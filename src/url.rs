//! The view state in the URL fragment: the explorer's query lives in `#…`, so a copied link
//! reopens the same view (with the same files dropped again, or with `?demo`). Nothing else
//! goes into the URL: never a file name, path or finding.

use leptos::prelude::*;
use scanlens_core::explore::Query;

fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The query the page was opened with.
pub fn query() -> Query {
    Query::from_fragment(&fragment())
}

/// Writes every change of `query` to the fragment (replacing the history entry, so Back
/// leaves the page rather than stepping through keystrokes), and follows fragment edits.
pub fn keep_in_sync(query: RwSignal<Query>) {
    Effect::new(move |_| {
        let text = query.read().to_fragment();
        if fragment().trim_start_matches('#') != text {
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let url = if text.is_empty() {
                    let location = web_sys::window().map(|w| w.location());
                    let path =
                        location.as_ref().and_then(|l| l.pathname().ok()).unwrap_or_default();
                    let search =
                        location.as_ref().and_then(|l| l.search().ok()).unwrap_or_default();
                    format!("{path}{search}")
                } else {
                    format!("#{text}")
                };
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        }
    });
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let from_url = Query::from_fragment(&fragment());
        if from_url != query.get_untracked() {
            query.set(from_url);
        }
    });
    on_cleanup(move || handle.remove());
}
