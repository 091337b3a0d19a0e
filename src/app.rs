//! The root component and page layout.

use leptos::prelude::*;

use crate::files::{DropZone, FileList, SelectedFile};

/// The whole page: header, the drop zone, and what was loaded.
#[component]
pub fn App() -> impl IntoView {
    let (files, set_files) = signal(Vec::<SelectedFile>::new());
    let add_files = move |added: Vec<SelectedFile>| set_files.update(|all| all.extend(added));

    view! {
        <header class="topbar">
            <a class="brand" href="./">
                <span class="brand-mark" aria-hidden="true"></span>
                "scanlens"
            </a>
            <p class="tagline">"Security scan results, read in your browser. Nothing is uploaded."</p>
        </header>
        <main id="main" class="page">
            <DropZone on_files=add_files />
            <FileList files=files />
        </main>
    }
}
