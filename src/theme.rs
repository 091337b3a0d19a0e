//! Light and dark: the system's preference by default, or the user's choice, kept in
//! `localStorage` (on this device only) and applied as `data-theme` on `<html>`.

use leptos::prelude::*;

const KEY: &str = "scanlens-theme";

/// The next choice after `current`: system → light → dark → system.
pub fn next(current: &str) -> &'static str {
    match current {
        "light" => "dark",
        "dark" => "system",
        _ => "light",
    }
}

fn apply(choice: &str) {
    let Some(root) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match choice {
        "light" | "dark" => root.set_attribute("data-theme", choice),
        _ => root.remove_attribute("data-theme"),
    };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The button that cycles the theme.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let saved =
        storage().and_then(|s| s.get_item(KEY).ok().flatten()).unwrap_or_else(|| "system".into());
    let choice = RwSignal::new(saved);
    Effect::new(move |_| {
        let c = choice.get();
        apply(&c);
        if let Some(s) = storage() {
            let _ = if c == "system" { s.remove_item(KEY) } else { s.set_item(KEY, &c) };
        }
    });
    view! {
        <button
            class="button"
            data-testid="theme"
            title="Colour theme: follow the system, light or dark"
            on:click=move |_| choice.update(|c| *c = next(c).to_string())
        >
            {move || match choice.get().as_str() {
                "light" => "Theme: light",
                "dark" => "Theme: dark",
                _ => "Theme: auto",
            }}
        </button>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_theme_cycles_through_all_three() {
        assert_eq!(super::next("system"), "light");
        assert_eq!(super::next("light"), "dark");
        assert_eq!(super::next("dark"), "system");
    }
}
