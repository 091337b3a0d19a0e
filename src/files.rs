//! Getting files in: the drop zone, the file picker, and the list of what was given, with
//! what the parsing worker made of each file.

use leptos::prelude::*;
use scanlens_core::units::format_bytes;
use wasm_bindgen::JsCast;
use web_sys::FileList as DomFileList;

use scanlens_core::session::{FileSummary, ReportSummary};

/// A file the user gave us.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectedFile {
    /// The id the worker's reply will carry.
    pub id: u32,
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

/// `2 critical, 1 high, 0 medium, …` for a report's open findings.
pub fn open_counts(report: &ReportSummary) -> String {
    ["critical", "high", "medium", "low", "info", "unknown"]
        .iter()
        .zip(report.open)
        .filter(|(_, n)| *n > 0)
        .map(|(name, n)| format!("{n} {name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a file could not be read (wholly or in part) or is a broken policy.
pub fn has_error(summary: &FileSummary) -> bool {
    summary.policy.as_ref().is_some_and(|p| p.error.is_some())
        || summary.reports.iter().any(|r| r.diagnostics.iter().any(|d| d.starts_with("error:")))
}

/// Sends named blobs to the worker as one drop; returns them as the list shows them.
pub fn submit_all(blobs: Vec<(String, web_sys::Blob)>) -> Vec<SelectedFile> {
    let drop = crate::worker::new_drop();
    blobs
        .into_iter()
        .map(|(name, blob)| {
            let size = blob.size() as u64;
            SelectedFile { id: crate::worker::submit(drop, name.clone(), blob), name, size }
        })
        .collect()
}

/// Sends a picked file list (files, or a folder's files with their paths) as one drop.
fn submit(list: Option<DomFileList>) -> Vec<SelectedFile> {
    let Some(list) = list else { return Vec::new() };
    submit_all(
        (0..list.length())
            .filter_map(|i| list.get(i))
            .map(|f| (crate::intake::name_of(&f), f.into()))
            .collect(),
    )
}

/// Where files arrive: drag and drop onto the zone, or the "Choose files" picker.
#[component]
pub fn DropZone(
    #[prop(into)] on_files: Callback<Vec<SelectedFile>>,
    #[prop(into, optional)] compact: Signal<bool>,
) -> impl IntoView {
    let (dragging, set_dragging) = signal(false);
    // A folder picker: `webkitdirectory` has no typed attribute in Leptos, so it is set here.
    let folder = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = folder.get() {
            let _ = input.set_attribute("webkitdirectory", "");
        }
    });
    // Paste anywhere but in a text field: files, or JSON text as a file.
    let pastes = StoredValue::new(0usize);
    let paste = window_event_listener(leptos::ev::paste, move |ev: web_sys::ClipboardEvent| {
        let in_field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"));
        let Some(transfer) = ev.clipboard_data().filter(|_| !in_field) else { return };
        pastes.update_value(|n| *n += 1);
        let files = submit_all(crate::intake::pasted(&transfer, pastes.get_value()));
        if !files.is_empty() {
            ev.prevent_default();
            on_files.run(files);
        }
    });
    on_cleanup(move || paste.remove());
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        set_dragging.set(false);
        let Some(transfer) = ev.data_transfer() else { return };
        match crate::intake::take(&transfer) {
            crate::intake::Dropped::Files(blobs) => {
                let files = submit_all(blobs);
                if !files.is_empty() {
                    on_files.run(files);
                }
            }
            // Folders are walked asynchronously (their entries stay valid after the event).
            crate::intake::Dropped::Entries(entries) => leptos::task::spawn_local(async move {
                let files = submit_all(crate::intake::walk(entries).await);
                if !files.is_empty() {
                    on_files.run(files);
                }
            }),
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let files = submit(input.files());
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
            class:compact=move || compact.get()
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
            <label class="button">
                "Choose a folder"
                <input
                    type="file"
                    node_ref=folder
                    class="visually-hidden"
                    data-testid="folder-input"
                    on:change=on_change
                />
            </label>
            <span class="hint paste-hint">"or paste JSON (Ctrl+V)"</span>
        </section>
    }
    .into_any()
}

#[component]
fn ReportLine(report: ReportSummary) -> impl IntoView {
    let counts = open_counts(&report);
    let diagnostics = report.diagnostics.clone();
    view! {
        <div
            class="report"
            data-testid="report"
            data-name=report.name.clone()
            data-format=report.format.clone().unwrap_or_default()
            data-findings=report.findings
            data-open=report.open.map(|n| n.to_string()).join(",")
            data-suppressed=report.suppressed
            data-non-findings=report.non_findings
            data-sha256=report.sha256.clone()
        >
            <span class="report-format">{report.format.clone().unwrap_or_else(|| "unrecognised".into())}</span>
            <span class="report-tool">{report.tool.clone()}</span>
            <span class="report-findings">{format!("{} findings", report.findings)}</span>
            <span class="report-open">{counts}</span>
            <span class="report-hash" title=report.sha256.clone()>{report.sha256.chars().take(12).collect::<String>()}</span>
            {(!diagnostics.is_empty()).then(|| {
                let errors = diagnostics.iter().filter(|d| d.starts_with("error:")).count();
                let has_errors = errors != 0;
                let label = match (diagnostics.len(), errors) {
                    (1, 0) => "1 note".to_string(),
                    (n, 0) => format!("{n} notes"),
                    (n, e) => format!("{n} diagnostics, {e} error(s)"),
                };
                view! {
                    <details class="diagnostics" open=has_errors>
                        <summary>{label}</summary>
                        <ul>{diagnostics.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                    </details>
                }
            })}
        </div>
    }
    .into_any()
}

/// The files given so far, or the empty state when there are none.
#[component]
pub fn FileList(
    files: RwSignal<Vec<SelectedFile>>,
    summaries: RwSignal<Vec<FileSummary>>,
    #[prop(into)] on_remove: Callback<u32>,
) -> impl IntoView {
    let errors = move || summaries.read().iter().filter(|s| has_error(s)).count();
    // A long list (a demo, a big artifact) starts folded, unless something in it is broken.
    let expanded = move || files.read().len() <= 12 || errors() != 0;
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
                <details class="files-details" prop:open=expanded>
                <summary class="files-caption">
                    <span data-testid="files-caption">{move || files_caption(&files.read())}</span>
                    {move || {
                        let (total, done) = (files.read().len(), summaries.read().len());
                        (done < total).then(|| view! {
                            " · "
                            <progress max=total value=done aria-label="Files read" data-testid="overall-progress"></progress>
                            {format!(" read {done} of {total}")}
                        })
                    }}
                    {move || match errors() {
                        0 => String::new(),
                        1 => " · 1 with an error".to_string(),
                        n => format!(" · {n} with errors"),
                    }}
                </summary>
                <table class="file-table" data-testid="file-list">
                    <thead>
                        <tr>
                            <th scope="col">"File"</th>
                            <th scope="col" class="num">"Size"</th>
                            <th scope="col">"Contents"</th>
                            <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || files.get()
                            key=|file| file.id
                            children=move |file| {
                                let id = file.id;
                                let summary = move || summaries.read().iter().find(|s| s.id == id).cloned();
                                let label = format!("Remove {}", file.name);
                                view! {
                                    <tr
                                        data-testid="file-row"
                                        data-read-ms=move || summary().map(|s| s.read_ms)
                                        data-hashing=move || summary().is_some_and(|s| s.hashing).then_some("")
                                        data-memory=move || summary().map(|s| s.memory)
                                    >
                                        <td class="file-name">{file.name}</td>
                                        <td class="num" data-testid="file-size">
                                            {format_bytes(file.size)}
                                        </td>
                                        <td class="file-contents">
                                            {move || match summary() {
                                                None => view! {
                    <span class="reading" data-testid="reading">
                        <progress aria-label="Reading"></progress>
                        " reading…"
                    </span>
                }.into_any(),
                                                Some(s) => {
                                                    let policy = s.policy.clone().map(|p| match p.error {
                                                        Some(error) => view! { <span class="policy error" data-testid="policy">{error}</span> }.into_any(),
                                                        None => view! {
                                                            <span class="policy" data-testid="policy">
                                                                {format!("policy: fail on {}, {} ignore rule(s)", p.fail_on, p.ignores)}
                                                            </span>
                                                        }.into_any(),
                                                    });
                                                    view! {
                                                        {policy}
                                                        {s.reports.into_iter().map(|r| view! { <ReportLine report=r /> }).collect_view()}
                                                    }.into_any()
                                                }
                                            }}
                                        </td>
                                        <td>
                                            <button class="button small" aria-label=label data-testid="remove" on:click=move |_| on_remove.run(id)>
                                                "Remove"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
                </details>
            </Show>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::{files_caption, open_counts, SelectedFile};
    use scanlens_core::session::ReportSummary;

    fn file(name: &str, size: u64) -> SelectedFile {
        SelectedFile { id: 0, name: name.to_string(), size }
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

    #[test]
    fn open_counts_name_only_what_is_there() {
        let report = ReportSummary { open: [0, 2, 5, 0, 1, 0], ..ReportSummary::default() };
        assert_eq!(open_counts(&report), "2 high, 5 medium, 1 info");
        assert_eq!(open_counts(&ReportSummary::default()), "");
    }
}
