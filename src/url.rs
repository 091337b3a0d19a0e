//! The view state in the URL fragment: which page (`view=`), which component (`show=`), and the
//! explorer's query live in `#…`, so a copied link reopens the same view (with the same
//! files dropped again, or with `?demo`). Never a file name, path or finding.

use leptos::prelude::*;
use scanlens_core::explore::{fragment_pair, fragment_value, Query};

fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// What the URL says to show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UrlState {
    /// `overview` (the default), `components` or `builds`.
    pub view: String,
    /// The component page shown.
    pub component: Option<String>,
    /// The explorer's query.
    pub query: Query,
}

impl UrlState {
    /// Reads a fragment.
    pub fn parse(fragment: &str) -> UrlState {
        UrlState {
            view: fragment_value(fragment, "view").unwrap_or_else(|| "overview".into()),
            component: fragment_value(fragment, "show"),
            query: Query::from_fragment(fragment),
        }
    }

    /// Writes a fragment (without `#`), defaults left out.
    pub fn to_fragment(&self) -> String {
        let mut parts = Vec::new();
        if self.view != "overview" && !self.view.is_empty() {
            parts.push(fragment_pair("view", &self.view));
        }
        if let Some(c) = &self.component {
            parts.push(fragment_pair("show", c));
        }
        let query = self.query.to_fragment();
        if !query.is_empty() {
            parts.push(query);
        }
        parts.join("&")
    }
}

/// The state the page was opened with.
pub fn initial() -> UrlState {
    UrlState::parse(&fragment())
}

/// Writes every change to the fragment (replacing the history entry, so Back leaves the
/// page rather than stepping through keystrokes), and follows fragment edits.
pub fn keep_in_sync(
    view: RwSignal<String>,
    component: RwSignal<Option<String>>,
    query: RwSignal<Query>,
) {
    Effect::new(move |_| {
        let state = UrlState { view: view.get(), component: component.get(), query: query.get() };
        let text = state.to_fragment();
        if fragment().trim_start_matches('#') == text {
            return;
        }
        let Some(window) = web_sys::window() else { return };
        let url = if text.is_empty() {
            let location = window.location();
            format!(
                "{}{}",
                location.pathname().unwrap_or_default(),
                location.search().unwrap_or_default()
            )
        } else {
            format!("#{text}")
        };
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    });
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let state = initial();
        if state.view != view.get_untracked() {
            view.set(state.view);
        }
        if state.component != component.get_untracked() {
            component.set(state.component);
        }
        if state.query != query.get_untracked() {
            query.set(state.query);
        }
    });
    on_cleanup(move || handle.remove());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_state_round_trips_and_leaves_defaults_out() {
        let state = UrlState {
            view: "components".into(),
            component: Some("ghcr.io/acme/shop-api:1.4".into()),
            query: Query { text: "log4j".into(), ..Query::default() },
        };
        assert_eq!(state.to_fragment(), "view=components&show=ghcr.io/acme/shop-api:1.4&q=log4j");
        assert_eq!(UrlState::parse(&format!("#{}", state.to_fragment())), state);
        assert_eq!(UrlState::parse("").to_fragment(), "");
        assert_eq!(UrlState::parse("").view, "overview");
    }
}
