//! "Keep builds in this browser" (opt-in) and "Forget everything": the choice is remembered
//! in `localStorage`; the files themselves are kept by the worker in IndexedDB
//! (`src/bin/worker/store.rs`), so trends accumulate across visits without re-dropping
//! old builds. Off by default: nothing a user loads is stored unless they ask.

use leptos::prelude::*;

use crate::protocol::Request;

const KEY: &str = "scanlens.keep";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Whether the user asked to keep builds here.
pub fn asked() -> bool {
    storage().and_then(|s| s.get_item(KEY).ok().flatten()).is_some_and(|v| v == "on")
}

fn remember(keep: bool) {
    if let Some(s) = storage() {
        let _ = if keep { s.set_item(KEY, "on") } else { s.remove_item(KEY) };
    }
}

/// Restores what was kept, when the user asked to keep builds here (starts the worker).
pub fn restore() {
    if asked() {
        crate::worker::request(Request::History { keep: true });
    }
}

/// The checkbox and the "forget everything" button.
#[component]
pub fn KeepHere() -> impl IntoView {
    let keep = RwSignal::new(asked());
    view! {
        <section class="kept no-print" aria-label="Stored in this browser">
            <label title="Files you load from now on are kept in this browser (IndexedDB) and loaded again on your next visit, so trends build up. Turning it off deletes them.">
                <input
                    type="checkbox"
                    data-testid="keep-builds"
                    prop:checked=keep
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        keep.set(on);
                        remember(on);
                        crate::worker::request(Request::History { keep: on });
                    }
                />
                " Keep builds in this browser (files loaded from now on; nothing leaves this machine)"
            </label>
            <button
                class="button small"
                data-testid="forget-everything"
                title="Deletes kept files and triage decisions from this browser"
                on:click=move |_| {
                    keep.set(false);
                    remember(false);
                    crate::worker::request(Request::ForgetStored);
                }
            >
                "Forget everything stored in this browser"
            </button>
        </section>
    }
}
