//! The findings explorer: search, severity and state filters, sortable columns, and a
//! virtualised table. The worker holds the selection; the page asks for the window of rows
//! on screen (a chunk at a time) and draws only those, so 100,000 rows scroll like 100.

use leptos::html::{Div, Input};
use leptos::prelude::*;
use scanlens_core::explore::{Dashboard, Facet, FacetCounts, Group, Query, Row, Sort};
use scanlens_core::session::BuildSummary;

use crate::dashboard::SEVERITIES;
use crate::detail::Opened;
use crate::protocol::Request;

/// Height of one table row in CSS pixels (style/main.css `.grid-row`).
pub const ROW_HEIGHT: usize = 32;
/// Rows asked of the worker at a time.
pub const CHUNK: usize = 200;
/// Rows drawn beyond each edge of the viewport.
const OVERSCAN: usize = 8;

/// The rows the worker last sent: a window of the current selection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    /// The request the page is waiting for (or last got).
    pub seq: u32,
    /// How many rows the table has (entries, plus a header per group when grouped).
    pub total: usize,
    /// How many entries the query selects.
    pub entries: usize,
    /// Index of `rows[0]` in the selection.
    pub offset: usize,
    /// The window.
    pub rows: Vec<Row>,
    /// Whether a reply for `seq` has arrived.
    pub settled: bool,
}

impl Rows {
    /// Takes a reply, unless a newer request is on its way.
    pub fn accept(
        &mut self,
        seq: u32,
        total: usize,
        entries: usize,
        offset: usize,
        rows: Vec<Row>,
    ) {
        if seq == self.seq {
            *self = Rows { seq, total, entries, offset, rows, settled: true };
        }
    }

    /// Whether the window holds rows `first..end` (clamped to the selection).
    pub fn covers(&self, first: usize, end: usize) -> bool {
        let end = end.min(self.total);
        self.settled && first >= self.offset && end <= self.offset + self.rows.len()
    }
}

/// Rows to draw for a viewport scrolled to `scroll_top` of height `height`: `first..end`.
pub fn visible_range(scroll_top: f64, height: f64, total: usize) -> (usize, usize) {
    let first = (scroll_top.max(0.0) as usize / ROW_HEIGHT).min(total);
    let count = (height.max(0.0) as usize).div_ceil(ROW_HEIGHT) + 1;
    (first.saturating_sub(OVERSCAN), (first + count + OVERSCAN).min(total))
}

fn toggle(list: &mut Vec<String>, value: &str) {
    match list.iter().position(|v| v == value) {
        Some(i) => {
            list.remove(i);
        }
        None => list.push(value.to_string()),
    }
}

/// The list a facet's checkboxes edit.
fn chosen(query: &mut Query, facet: Facet) -> &mut Vec<String> {
    match facet {
        Facet::Severity => &mut query.severities,
        Facet::State => &mut query.states,
        Facet::Kind => &mut query.kinds,
        Facet::Tool => &mut query.tools,
        Facet::Component => &mut query.components,
        Facet::Cwe => &mut query.cwes,
        Facet::Owasp => &mut query.owasp,
        Facet::Change => &mut query.changes,
    }
}

/// What a facet is called on screen.
pub fn facet_label(facet: Facet) -> &'static str {
    match facet {
        Facet::Severity => "Severity",
        Facet::State => "Status",
        Facet::Kind => "Kind",
        Facet::Tool => "Tool",
        Facet::Component => "Component",
        Facet::Cwe => "CWE",
        Facet::Owasp => "OWASP Top 10",
        Facet::Change => "Change since a build",
    }
}

/// Every facet but severity (the chips), as checkbox lists with counts.
#[component]
fn MoreFilters(
    query: RwSignal<Query>,
    facets: RwSignal<Vec<FacetCounts>>,
    builds: RwSignal<Vec<BuildSummary>>,
    dashboard: RwSignal<Option<Dashboard>>,
) -> impl IntoView {
    // Counts are asked for only while the panel is open, and again when the query or the
    // data changes: they cost a pass over every entry per facet.
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        dashboard.track();
        let query = query.get();
        if open.get() {
            crate::worker::request(Request::Facets { query });
        }
    });
    let active = move || {
        let mut q = query.get();
        Facet::ALL
            .iter()
            .filter(|f| **f != Facet::Severity)
            .map(|f| chosen(&mut q, *f).len())
            .sum::<usize>()
    };
    view! {
        <details
            class="more-filters"
            data-testid="more-filters"
            on:toggle=move |ev| {
                let details: web_sys::HtmlDetailsElement = event_target(&ev);
                open.set(details.open());
            }
        >
            <summary>
                "More filters"
                {move || match active() { 0 => String::new(), n => format!(" ({n} on)") }}
            </summary>
            <div class="facets">
                {move || {
                    facets
                        .get()
                        .into_iter()
                        .filter(|c| c.facet.is_some_and(|f| f != Facet::Severity))
                        .map(|c| {
                            let facet = c.facet.unwrap_or(Facet::Kind);
                            let since = (facet == Facet::Change).then(|| {
                                view! {
                                    <label class="since">
                                        "against "
                                        <select
                                            data-testid="against"
                                            on:change=move |ev| {
                                                let v = event_target_value(&ev);
                                                query.update(|q| q.against = v.parse().ok());
                                            }
                                        >
                                            <option value="">"the build before"</option>
                                            {move || {
                                                let current = query.read().against;
                                                builds.get().into_iter().enumerate().map(|(i, b)| view! {
                                                    <option value=i.to_string() selected=current == Some(i)>{format!("build {}", b.id)}</option>
                                                }).collect_view()
                                            }}
                                        </select>
                                    </label>
                                }
                            });
                            view! {
                                <fieldset class="facet" data-facet=format!("{facet:?}").to_lowercase()>
                                    <legend>{facet_label(facet)}</legend>
                                    {since}
                                    {if c.values.is_empty() {
                                        view! { <p class="muted">"none"</p> }.into_any()
                                    } else {
                                        c.values
                                            .into_iter()
                                            .map(|(value, n)| {
                                                let v = value.clone();
                                                let checked = {
                                                    let v = value.clone();
                                                    move || { let mut q = query.get(); chosen(&mut q, facet).contains(&v) }
                                                };
                                                view! {
                                                    <label class="facet-value">
                                                        <input
                                                            type="checkbox"
                                                            data-value=value.clone()
                                                            prop:checked=checked
                                                            on:change=move |_| query.update(|q| toggle(chosen(q, facet), &v))
                                                        />
                                                        <span>{value}</span>
                                                        <span class="muted">{n}</span>
                                                    </label>
                                                }
                                            })
                                            .collect_view()
                                            .into_any()
                                    }}
                                </fieldset>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </details>
    }
}

/// Search box, filters and the virtualised findings table.
#[component]
pub fn Explorer(
    rows: RwSignal<Rows>,
    dashboard: RwSignal<Option<Dashboard>>,
    detail: RwSignal<Option<Opened>>,
    query: RwSignal<Query>,
    facets: RwSignal<Vec<FacetCounts>>,
    builds: RwSignal<Vec<BuildSummary>>,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport = NodeRef::<Div>::new();
    let search = NodeRef::<Input>::new();
    let height = 600.0;
    let seq = StoredValue::new(0_u32);
    // The keyboard cursor: a position in the selection.
    let selected = RwSignal::new(Option::<usize>::None);
    let open = move |entry: usize| crate::worker::request(Request::Detail { entry });
    let scroll_to = move |pos: usize| {
        let Some(el) = viewport.get_untracked() else { return };
        let (top, bottom) = ((pos * ROW_HEIGHT) as i32, ((pos + 1) * ROW_HEIGHT) as i32);
        let visible = el.client_height();
        if top < el.scroll_top() {
            el.set_scroll_top(top);
        } else if bottom > el.scroll_top() + visible {
            el.set_scroll_top(bottom - visible);
        }
    };
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        let key = ev.key();
        if key == "Escape" {
            detail.set(None);
            return;
        }
        if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let total = rows.read_untracked().total;
        match key.as_str() {
            "/" => {
                ev.prevent_default();
                if let Some(input) = search.get_untracked() {
                    let _ = input.focus();
                }
            }
            "j" | "k" if total > 0 => {
                let next = match (selected.get_untracked(), key.as_str()) {
                    (None, _) => 0,
                    (Some(p), "j") => (p + 1).min(total - 1),
                    (Some(p), _) => p.saturating_sub(1),
                };
                selected.set(Some(next));
                scroll_to(next);
            }
            "Enter" => {
                let r = rows.read_untracked();
                let entry = selected
                    .get_untracked()
                    .and_then(|p| p.checked_sub(r.offset))
                    .and_then(|i| r.rows.get(i))
                    .filter(|row| !row.group && !row.gone)
                    .map(|row| row.entry);
                drop(r);
                if let Some(entry) = entry {
                    open(entry);
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    let ask = move |offset: usize| {
        let next = seq.get_value() + 1;
        seq.set_value(next);
        rows.update(|r| {
            r.seq = next;
            r.settled = false;
        });
        crate::worker::request(Request::Rows {
            seq: next,
            query: query.get_untracked(),
            offset,
            limit: CHUNK,
        });
    };
    // A new query or new data: back to the top, fresh rows.
    Effect::new(move |_| {
        query.track();
        dashboard.track();
        selected.set(None);
        // Only when scrolled (the signal follows the viewport's scroll events): writing
        // scrollTop lays the page out there and then, in the middle of drawing a new
        // dashboard (~20 ms for 100 MB of findings, enough to push that task past 50 ms).
        if scroll_top.get_untracked() != 0.0 {
            if let Some(el) = viewport.get_untracked() {
                el.set_scroll_top(0);
            }
        }
        scroll_top.set(0.0);
        ask(0);
    });
    // Scrolling past the window asks for the chunk around the viewport.
    Effect::new(move |_| {
        let top = scroll_top.get();
        let r = rows.read_untracked();
        if !r.settled {
            return;
        }
        let (first, end) = visible_range(top, height, r.total);
        if !r.covers(first, end) {
            drop(r);
            ask(first / (CHUNK / 2) * (CHUNK / 2));
        }
    });

    let drawn = move || {
        let r = rows.read();
        let (first, end) = visible_range(scroll_top.get(), height, r.total);
        let from = first.max(r.offset);
        let to = end.min(r.offset + r.rows.len());
        let rows: Vec<Row> =
            if from < to { r.rows[from - r.offset..to - r.offset].to_vec() } else { Vec::new() };
        (from, rows, r.total)
    };
    let set_sort = move |sort: Sort| {
        query.update(|q| {
            if q.sort == sort {
                q.descending = !q.descending;
            } else {
                q.sort = sort;
                q.descending = false;
            }
        })
    };
    let header = move |label: &'static str, sort: Sort| {
        let aria = move || {
            let q = query.read();
            match (q.sort == sort, q.descending) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            }
        };
        view! {
            <div role="columnheader" class="cell" aria-sort=aria>
                <button class="sort" on:click=move |_| set_sort(sort)>{label}</button>
            </div>
        }
    };

    view! {
        <section class="explorer card" aria-labelledby="explorer-title" data-testid="explorer">
            <div class="explorer-head">
                <h2 id="explorer-title">"Findings"</h2>
                <label class="search">
                    <span class="visually-hidden">"Search findings"</span>
                    <input
                        type="search"
                        placeholder="Search title, rule, CVE, path, package (press /)"
                        data-testid="search"
                        node_ref=search
                        prop:value=move || query.read().text.clone()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            query.update(|q| q.text = text);
                        }
                    />
                </label>
                <p class="muted" data-testid="row-count" aria-live="polite">
                    {move || {
                        let r = rows.read();
                        let all = dashboard.read().as_ref().map_or(0, |d| d.entries);
                        match (r.settled, r.total - r.entries) {
                            (false, _) => "…".to_string(),
                            (true, 0) => format!("{} shown of {all}", r.entries),
                            (true, groups) => format!("{} shown of {all}, in {groups} groups", r.entries),
                        }
                    }}
                </p>
            </div>
            <div class="filters" role="group" aria-label="Filters">
                {SEVERITIES
                    .iter()
                    .map(|&s| {
                        let on = move || query.read().severities.iter().any(|v| v == s);
                        view! {
                            <button
                                class=format!("chip sev-{s}")
                                class:on=on
                                aria-pressed=move || on().to_string()
                                data-testid=format!("filter-{s}")
                                on:click=move |_| query.update(|q| toggle(&mut q.severities, s))
                            >
                                {s}
                            </button>
                        }
                    })
                    .collect_view()}
                {[("open", "Open only"), ("failing", "Failing the gate")]
                    .into_iter()
                    .map(|(key, label)| {
                        let on = move || {
                            let q = query.read();
                            if key == "failing" { q.failing_only } else { q.states == ["open"] }
                        };
                        view! {
                            <button
                                class="chip"
                                class:on=on
                                aria-pressed=move || on().to_string()
                                data-testid=format!("filter-{key}")
                                on:click=move |_| {
                                    query.update(|q| {
                                        if key == "failing" {
                                            q.failing_only = !q.failing_only;
                                        } else if q.states.is_empty() {
                                            q.states = vec!["open".into()];
                                        } else {
                                            q.states.clear();
                                        }
                                    })
                                }
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="print-only muted">"Printed here: the rows on screen. The HTML report (Download report) lists every finding."</p>
            <div class="table-tools">
                <button class="button small" data-testid="export-csv" on:click=move |_| crate::worker::request(Request::ExportCsv)>
                    "Download CSV (latest build, every finding)"
                </button>
                <button class="button small" data-testid="export-sarif" on:click=move |_| crate::worker::request(Request::ExportSarif)>
                    "Download merged SARIF"
                </button>
                <button
                    class="button small"
                    data-testid="export-json"
                    title="The latest build's reports, findings and entries as JSON (schema scanlens-model/1)"
                    on:click=move |_| {
                        let generated = js_sys::Date::now() as i64;
                        crate::worker::request(Request::ExportJson { generated })
                    }
                >
                    "Download JSON"
                </button>
                <crate::triage::TriageTools />
                <label>
                    "Group by "
                    <select
                        data-testid="group-by"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            query.update(|q| q.group = Group::ALL.into_iter().find(|g| g.as_str() == v));
                        }
                    >
                        <option value="" selected=move || query.read().group.is_none()>"nothing"</option>
                        {Group::ALL
                            .into_iter()
                            .map(|g| view! { <option value=g.as_str() selected=move || query.read().group == Some(g)>{g.as_str()}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <MoreFilters query=query facets=facets builds=builds dashboard=dashboard />
            <div class="grid" role="grid" aria-label="Findings" aria-rowcount=move || rows.read().total + 1>
                <div class="grid-row grid-header" role="row">
                    {header("Severity", Sort::Severity)}
                    {header("Title", Sort::Title)}
                    {header("Rule", Sort::Rule)}
                    {header("Component", Sort::Component)}
                    {header("Where", Sort::Place)}
                    {header("Tool", Sort::Tool)}
                    <div role="columnheader" class="cell">"State"</div>
                </div>
                <div
                    class="grid-body"
                    node_ref=viewport
                    data-testid="grid-body"
                    on:scroll=move |ev| {
                        let el: web_sys::Element = event_target(&ev);
                        scroll_top.set(el.scroll_top() as f64);
                    }
                >
                    <div class="grid-space" role="presentation" style:height=move || format!("{}px", rows.read().total * ROW_HEIGHT)>
                        {move || {
                            let (from, drawn, _) = drawn();
                            view! {
                                <div class="grid-window" role="rowgroup" style:transform=format!("translateY({}px)", from * ROW_HEIGHT)>
                                    {drawn
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, r)| {
                                            let pos = from + i;
                                            let entry = r.entry;
                                            let gone = r.gone;
                                            let is_selected = move || selected.get() == Some(pos);
                                            if r.group {
                                                return view! {
                                                    <div class="grid-row group-row" role="row" aria-rowindex=from + i + 2 data-testid="group-row" data-count=r.sources>
                                                        <div role="rowheader" class="cell">
                                                            <span class="mono">{r.title.clone()}</span>
                                                            <span class="muted">{format!(" · {}", r.sources)}</span>
                                                        </div>
                                                    </div>
                                                }
                                                .into_any();
                                            }
                                            view! {
                                                <div
                                                    class="grid-row"
                                                    role="row"
                                                    aria-rowindex=from + i + 2
                                                    data-testid="row"
                                                    data-entry=r.entry
                                                    data-severity=r.severity.clone()
                                                    class:failing=r.failing
                                                    class:not-open=r.state != "open"
                                                    class:selected=is_selected
                                                    aria-selected=move || is_selected().to_string()
                                                    class:gone=gone
                                                    title=if gone { "Fixed: in the compared build, gone from the latest" } else { "" }
                                                    on:click=move |_| {
                                                        selected.set(Some(pos));
                                                        if !gone {
                                                            open(entry);
                                                        }
                                                    }
                                                >
                                                    <div role="gridcell" class="cell">
                                                        <span class=format!("sev sev-{}", r.severity)>{r.severity.clone()}</span>
                                                    </div>
                                                    <div role="gridcell" class="cell title" title=r.title.clone()>{r.title.clone()}</div>
                                                    <div role="gridcell" class="cell mono" title=r.rule.clone()>{r.rule.clone()}</div>
                                                    <div role="gridcell" class="cell">{r.component.clone()}</div>
                                                    <div role="gridcell" class="cell mono" title=r.place.clone()>{r.place.clone()}</div>
                                                    <div role="gridcell" class="cell">
                                                        {r.tools.clone()}
                                                        {(r.sources > 1).then(|| view! { <span class="merged" title="merged from several findings">{format!(" ×{}", r.sources)}</span> })}
                                                    </div>
                                                    <div role="gridcell" class="cell" data-testid="state">{r.state.clone()}</div>
                                                </div>
                                            }
                                            .into_any()
                                        })
                                        .collect_view()}
                                </div>
                            }
                        }}
                    </div>
                </div>
            </div>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drawn_range_is_the_viewport_plus_overscan_clamped_to_the_selection() {
        assert_eq!(visible_range(0.0, 600.0, 100_000), (0, 19 + 1 + OVERSCAN));
        let (first, end) = visible_range(32_000.0, 600.0, 100_000);
        assert_eq!((first, end), (1000 - OVERSCAN, 1000 + 20 + OVERSCAN));
        assert_eq!(visible_range(32_000.0, 600.0, 1005), (992, 1005));
        assert_eq!(visible_range(0.0, 600.0, 0), (0, 0));
    }

    #[test]
    fn a_window_covers_only_what_it_holds_once_settled() {
        let rows = Rows {
            seq: 1,
            total: 1000,
            entries: 1000,
            offset: 100,
            rows: vec![Row::default(); 200],
            settled: true,
        };
        assert!(rows.covers(100, 300));
        assert!(!rows.covers(99, 120));
        assert!(!rows.covers(250, 301));
        let end = Rows { total: 250, ..rows.clone() };
        assert!(end.covers(200, 400), "past the end of the selection is not missing");
        assert!(!Rows { settled: false, ..rows }.covers(150, 160));
    }

    #[test]
    fn a_stale_reply_is_dropped() {
        let mut rows = Rows { seq: 3, ..Rows::default() };
        rows.accept(2, 10, 10, 0, vec![Row::default()]);
        assert!(!rows.settled);
        rows.accept(3, 10, 10, 0, vec![Row::default()]);
        assert!(rows.settled && rows.total == 10);
    }
}
