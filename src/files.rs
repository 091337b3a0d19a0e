//! Getting files in: the drop zone, the file picker, and the list of what was given.

use leptos::prelude::*;
use scanlens_core::units::format_bytes;
use web_sys::FileList as DomFileList;

/// A file the user gave us, as far as the page shows it before parsing.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectedFile {
    /// The file's name as the browser reports it.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
}

/// The caption above the file list: how many files and how much data.
pub fn files_caption(files: &[SelectedFile]) -> String {
    let total: u64 = files.iter().map(|f| f.size).sum();
    match files.len() {
        1 => format!("1 file, {}", format_bytes(total)),
        n => format!("{n} files, {}", format_bytes(total)),
    }
}

fn selected_files(list: Option<DomFileList>) -> Vec<SelectedFile> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|file| SelectedFile { name: file.name(), size: file.size() as u64 })
        .collect()
}

/// Where files arrive: drag and drop onto the zone, or the "Choose files" picker.
#[component]
pub fn DropZone(#[prop(into)] on_files: Callback<Vec<SelectedFile>>) -> impl IntoView {
    let (dragging, set_dragging) = signal(false);
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        set_dragging.set(false);
        let files = selected_files(ev.data_transfer().and_then(|dt| dt.files()));
        if !files.is_empty() {
            on_files.run(files);
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let files = selected_files(input.files());
        // Clear the input so choosing the same file again fires `change` again.
        input.set_value("");
        if !files.is_empty() {
            on_files.run(files);
        }
    };

    view! {
        <section
            class="dropzone"
            class:dragging=dragging
            data-testid="drop-zone"
            aria-labelledby="dropzone-title"
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                set_dragging.set(true);
            }
            on:dragleave=move |_| set_dragging.set(false)
            on:drop=on_drop
        >
            <h1 id="dropzone-title">"Drop scan results here"</h1>
            <p class="hint">
                "SARIF, Trivy, Grype, gosec, govulncheck and Dependabot files, or the CI artifact .zip that holds them."
            </p>
            <label class="button primary">
                "Choose files"
                <input
                    type="file"
                    multiple
                    class="visually-hidden"
                    data-testid="file-input"
                    on:change=on_change
                />
            </label>
        </section>
    }
}

/// The files given so far, or the empty state when there are none.
#[component]
pub fn FileList(files: ReadSignal<Vec<SelectedFile>>) -> impl IntoView {
    view! {
        <section class="files" aria-label="Loaded files">
            <Show
                when=move || !files.read().is_empty()
                fallback=|| {
                    view! {
                        <p class="empty" data-testid="empty-state">
                            "No files loaded yet."
                        </p>
                    }
                }
            >
                <p class="files-caption" data-testid="files-caption">
                    {move || files_caption(&files.read())}
                </p>
                <table class="file-table" data-testid="file-list">
                    <thead>
                        <tr>
                            <th scope="col">"File"</th>
                            <th scope="col" class="num">"Size"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || files.get().into_iter().enumerate()
                            key=|(i, _)| *i
                            children=|(_, file)| {
                                view! {
                                    <tr data-testid="file-row">
                                        <td class="file-name">{file.name}</td>
                                        <td class="num" data-testid="file-size">
                                            {format_bytes(file.size)}
                                        </td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{files_caption, SelectedFile};

    fn file(name: &str, size: u64) -> SelectedFile {
        SelectedFile { name: name.to_string(), size }
    }

    #[test]
    fn caption_counts_files_and_bytes() {
        assert_eq!(files_caption(&[file("a.sarif", 1536)]), "1 file, 1.5 KB");
        assert_eq!(
            files_caption(&[file("a.sarif", 576_391), file("b.json", 20_632)]),
            "2 files, 583.0 KB"
        );
        assert_eq!(files_caption(&[]), "0 files, 0 B");
    }
}
