//! The root component and page layout. The app holds what the worker last said (file
//! summaries, the dashboard, a window of rows); every number comes from scanlens-core.

use leptos::prelude::*;
use scanlens_core::chart::{Chart, TrendPoint};
use scanlens_core::explore::Dashboard;
use scanlens_core::session::{BuildEdits, BuildSummary, DiffView, FileSummary};

use crate::builds::BuildsView;
use crate::components::ComponentsView;
use crate::dashboard::{DashboardView, Trends};
use crate::detail::{DetailPanel, Opened};
use crate::explorer::{Explorer, Rows};
use crate::files::{DropZone, FileList, SelectedFile};
use crate::protocol::{Reply, Request};

/// The whole page: header, drop zone, the gate and dashboard, the findings, the files.
#[component]
pub fn App() -> impl IntoView {
    let files = RwSignal::new(Vec::<SelectedFile>::new());
    let summaries = RwSignal::new(Vec::<FileSummary>::new());
    let dashboard = RwSignal::new(Option::<Dashboard>::None);
    let builds = RwSignal::new(Vec::<BuildSummary>::new());
    let trends = RwSignal::new((Vec::<TrendPoint>::new(), Vec::<Chart>::new()));
    let rows = RwSignal::new(Rows::default());
    let facets = RwSignal::new(Vec::new());
    let stopped = RwSignal::new(Option::<String>::None);
    let failed = RwSignal::new(Option::<String>::None);
    let detail = RwSignal::new(Option::<Opened>::None);
    let opened = crate::url::initial();
    let query = RwSignal::new(opened.query);
    let view = RwSignal::new(opened.view);
    let component = RwSignal::new(opened.component);
    let component_page = RwSignal::new(None);
    let build_edits = RwSignal::new(BuildEdits::default());
    let diff = RwSignal::new(Option::<DiffView>::None);
    crate::url::keep_in_sync(view, component, query);
    let kept = RwSignal::new(0);
    provide_context(crate::triage::Kept(kept));
    crate::worker::on_reply(move |reply| match reply {
        Reply::Ready => {}
        Reply::Stopped { message } => stopped.set(Some(message)),
        Reply::Failed { message } => failed.set(Some(message)),
        // A file's summary comes again once its hash is known: it replaces the first.
        Reply::Loaded { file } => {
            summaries.update(|all| match all.iter_mut().find(|s| s.id == file.id) {
                Some(known) => *known = file,
                None => all.push(file),
            })
        }
        Reply::Dashboard {
            dashboard: d,
            builds: b,
            trends: t,
            charts,
            decisions,
            same_entries,
        } => {
            trends.set((t, charts));
            kept.set(decisions);
            // Entry numbers change with the data: an open detail would describe another
            // entry. After a triage decision they do not: the detail is asked for again.
            match detail.get_untracked().map(|o| o.detail.row.entry) {
                Some(entry) if same_entries => crate::worker::request(Request::Detail { entry }),
                _ => detail.set(None),
            }
            dashboard.set(Some(*d));
            builds.set(b);
        }
        Reply::Diff { view: d } => diff.set(d.map(|d| *d)),
        Reply::Download { name, mime, text } => crate::download::save(&name, &mime, &text),
        Reply::Component { view: page, chart } => component_page.set(page.map(|p| (*p, chart))),
        Reply::Detail { detail: d, message, help } => {
            detail.set(d.map(|d| Opened { detail: *d, message, help }))
        }
        Reply::Rows { seq, total, entries, offset, rows: page } => {
            rows.update(|r| r.accept(seq, total, entries, offset, page))
        }
        Reply::Facets { facets: f } => facets.set(f),
        Reply::Restored { files: kept } => files.update(|all| {
            all.extend(kept.into_iter().map(|(id, name, size)| SelectedFile { id, name, size }))
        }),
    });
    crate::worker::warm_up_when_idle();
    let pending = Signal::derive(move || files.read().len().saturating_sub(summaries.read().len()));
    let add_files = move |added: Vec<SelectedFile>| files.update(|all| all.extend(added));
    let remove_file = move |id: u32| {
        files.update(|all| all.retain(|f| f.id != id));
        summaries.update(|all| all.retain(|s| s.id != id));
        crate::worker::request(Request::Remove { file: id });
        if files.read_untracked().is_empty() {
            dashboard.set(None);
        }
    };
    let on_error = Callback::new(move |message: String| failed.set(Some(message)));
    let load_demo = move || {
        let demo = crate::remote::Asked { demo: true, ..Default::default() };
        crate::remote::load(demo, Callback::new(add_files), on_error)
    };
    crate::kept::restore();
    let asked = crate::remote::asked();
    if asked != crate::remote::Asked::default() {
        crate::remote::load(asked, Callback::new(add_files), on_error);
    }

    view! {
        <header class="topbar">
            <a class="brand" href="./">
                <span class="brand-mark" aria-hidden="true"></span>
                "scanlens"
            </a>
            <p class="tagline">"Security scan results, read in your browser. Nothing is uploaded."</p>
            <div class="topbar-actions">
                <crate::theme::ThemeToggle />
                <button class="button" data-testid="load-demo" on:click=move |_| load_demo()>
                    "Load demo"
                </button>
            </div>
        </header>
        <main id="main" class="page">
            {move || stopped.get().map(|message| view! {
                <section class="gate fail" role="alert" data-testid="worker-stopped">
                    <h2>"The parsing worker stopped"</h2>
                    <p class="gate-detail">
                        {format!("The browser said: {message}. What was loaded is gone from this tab; reload the page to start again (nothing ever left this machine). A file this large reads with `scanlens summary` on the command line.")}
                    </p>
                </section>
            })}
            {move || failed.get().map(|message| view! {
                <p class="note" role="alert" data-testid="failed">{message}</p>
            })}
            <DropZone on_files=add_files compact=Signal::derive(move || !files.read().is_empty()) />
            <Show when=move || dashboard.read().is_some()>
                <nav class="tabs" aria-label="Views">
                    {[("overview", "Overview"), ("components", "Components"), ("builds", "Builds")]
                        .into_iter()
                        .map(|(id, label)| {
                            view! {
                                <button
                                    class="tab"
                                    data-testid=format!("tab-{id}")
                                    aria-current=move || if *view.read() == id { "page" } else { "false" }
                                    on:click=move |_| view.set(id.to_string())
                                >
                                    {label}
                                </button>
                            }
                        })
                        .collect_view()}
                </nav>
            </Show>
            <Show when=move || *view.read() == "builds" && dashboard.read().is_some()>
                <BuildsView builds=builds edits=build_edits diff=diff />
            </Show>
            <Show when=move || *view.read() != "components" && *view.read() != "builds">
                {move || dashboard.get().map(|d| view! { <DashboardView dashboard=d builds=builds query=query pending=pending /> })}
                <Trends trends=trends />
                <Show when=move || dashboard.read().as_ref().is_some_and(|d| d.entries > 0)>
                    <Explorer rows=rows dashboard=dashboard detail=detail query=query facets=facets builds=builds />
                </Show>
            </Show>
            <Show when=move || *view.read() == "components" && dashboard.read().is_some()>
                <ComponentsView dashboard=dashboard selected=component page=component_page />
            </Show>
            {move || detail.get().map(|o| view! { <DetailPanel detail=o.detail message=o.message help=o.help on_close=move |()| detail.set(None) /> })}
            <FileList files=files summaries=summaries on_remove=remove_file />
            <crate::kept::KeepHere />
        </main>
    }
    .into_any()
}
