//! The dashboard of the latest build: the gate verdict with the findings that fail it,
//! open entries by severity, and the tools, components, rules, CWEs and packages behind them.

use leptos::prelude::*;
use scanlens_core::chart::{data_url, Chart, TrendPoint};
use scanlens_core::explore::{Dashboard, Query, Row, Tally};
use scanlens_core::session::BuildSummary;
use scanlens_core::Severity;

use crate::protocol::Request;

/// Severity names, most severe first, as the cards and tallies list them.
pub const SEVERITIES: [&str; 6] = ["critical", "high", "medium", "low", "info", "unknown"];

/// One entry as a line: its severity, its title (a link to its detail when `clickable`),
/// and where it is. Used by the gate's failing list, checklist evidence and build diffs.
#[component]
pub fn EntryLine(
    row: Row,
    #[prop(optional)] clickable: bool,
    #[prop(optional)] full: bool,
) -> impl IntoView {
    let entry = row.entry;
    let title = if clickable {
        view! { <button class="link" on:click=move |_| crate::worker::request(crate::protocol::Request::Detail { entry })>{row.title.clone()}</button> }.into_any()
    } else {
        view! { <span>{row.title.clone()}</span> }.into_any()
    };
    let place = if full {
        format!("{} · {} · {}", row.rule, row.component, row.place)
    } else {
        row.place.clone()
    };
    view! {
        <li>
            <span class=format!("sev sev-{}", row.severity)>{row.severity.clone()}</span>
            {title}
            <span class="muted mono">{place}</span>
        </li>
    }
    .into_any()
}

#[component]
fn FailingList(rows: Vec<Row>, total: usize, query: RwSignal<Query>) -> impl IntoView {
    let shown = rows.len();
    let show_all = move |_| {
        query.set(Query { failing_only: true, ..Query::default() });
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("explorer-title"))
        {
            el.scroll_into_view();
        }
    };
    view! {
        <ol class="failing" data-testid="failing">
            {rows.into_iter().map(|r| view! { <EntryLine row=r clickable=true full=true /> }).collect_view()}
        </ol>
        <button class="button small" data-testid="show-failing" on:click=show_all>
            {if total > shown { format!("Show all {total} in the findings table") } else { "Show them in the findings table".to_string() }}
        </button>
    }
    .into_any()
}

#[component]
fn TallyTable(title: &'static str, testid: &'static str, tallies: Vec<Tally>) -> impl IntoView {
    let max = tallies.iter().map(Tally::total).max().unwrap_or(0).max(1);
    view! {
        <section class="tally card" data-testid=testid aria-label=title>
            <h3>{title}</h3>
            {if tallies.is_empty() {
                view! { <p class="muted">"none open"</p> }.into_any()
            } else {
                view! {
                    <table>
                        <tbody>
                            {tallies
                                .into_iter()
                                .map(|t| {
                                    let total = t.total();
                                    let worst = t.open.iter().position(|&n| n > 0).map_or("unknown", |i| SEVERITIES[i]);
                                    view! {
                                        <tr data-name=t.name.clone() data-total=total>
                                            <th scope="row" title=t.name.clone()>{t.name.clone()}</th>
                                            <td class="bar-cell">
                                                <span class="bar" aria-hidden="true">
                                                    <span class=format!("bar-fill sev-{worst}") style:width=format!("{:.1}%", total as f64 * 100.0 / max as f64)></span>
                                                </span>
                                            </td>
                                            <td class="num">{total}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
    .into_any()
}

/// The gate banner, severity cards and tallies.
#[component]
pub fn DashboardView(
    dashboard: Dashboard,
    builds: RwSignal<Vec<BuildSummary>>,
    query: RwSignal<Query>,
    /// Files given but not read yet: the verdict is provisional until this is zero.
    pending: Signal<usize>,
) -> impl IntoView {
    let d = dashboard;
    let latest = move || {
        let all = builds.get();
        all.last().map(|b| {
            let when = b
                .time
                .clone()
                .map(|t| format!(", {}", t.get(..16).unwrap_or(&t).replace('T', " ")))
                .unwrap_or_default();
            format!("Build {}{when} (latest of {})", b.id, all.len())
        })
    };
    view! {
        <section
            class="gate"
            class:pass=d.gate.passed
            class:fail=!d.gate.passed
            data-testid="gate"
            data-passed=d.gate.passed.to_string()
            data-failing=d.gate.failing
            data-fail-on=d.gate.fail_on.clone()
            data-findings=d.findings
            data-entries=d.entries
            data-merged=d.merged
            data-excused=d.gate.excused
            aria-labelledby="gate-headline"
        >
            <p class="gate-build muted" data-testid="gate-build">
                {latest}
                {move || match pending.get() {
                    0 => String::new(),
                    n => format!(" · still reading {n} file(s): provisional"),
                }}
            </p>
            <h2 id="gate-headline" role="status">{d.headline()}</h2>
            <p class="gate-detail">{d.detail_line()}</p>
            <div class="share no-print">
                <button
                    class="button small"
                    data-testid="export-html"
                    title="One HTML file with the verdict, charts, checklists, every finding and the evidence manifest: opens offline, prints cleanly"
                    on:click=move |_| {
                        let generated = js_sys::Date::now() as i64;
                        crate::worker::request(Request::ExportHtml { generated })
                    }
                >
                    "Download report (HTML)"
                </button>
                <button class="button small" data-testid="print" on:click=move |_| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                }>
                    "Print"
                </button>
            </div>
            {(!d.failing.is_empty()).then(|| view! { <FailingList rows=d.failing.clone() total=d.gate.failing query=query /> })}
        </section>
        <section class="cards" aria-label="Open findings by severity" data-testid="severity-cards">
            {Severity::ALL
                .iter()
                .zip(d.open)
                .map(|(s, n)| {
                    view! {
                        <div class=format!("card count sev-{}", s.as_str()) data-severity=s.as_str() data-count=n>
                            <span class="count-n">{n}</span>
                            <span class="count-label">{s.as_str()}</span>
                        </div>
                    }
                })
                .collect_view()}
            <div class="card count" data-severity="not-open" data-count=d.not_open>
                <span class="count-n">{d.not_open}</span>
                <span class="count-label">"not open"</span>
            </div>
        </section>
        <div class="tallies">
            <TallyTable title="Components" testid="by-component" tallies=d.components.clone() />
            <TallyTable title="Tools" testid="by-tool" tallies=d.tools.clone() />
            <TallyTable title="Top rules" testid="top-rules" tallies=d.rules.clone() />
            <TallyTable title="Top CWEs" testid="top-cwes" tallies=d.cwes.clone() />
            <TallyTable title="Vulnerable packages" testid="top-packages" tallies=d.packages.clone() />
        </div>
    }
    .into_any()
}

/// The trend charts (as images: nothing in an SVG shown this way can run or load anything),
/// each with its text alternative and the numbers as a table.
#[component]
pub fn Trends(trends: RwSignal<(Vec<TrendPoint>, Vec<Chart>)>) -> impl IntoView {
    move || {
        let (points, charts) = trends.get();
        (!charts.is_empty()).then(|| {
            view! {
                <section class="trends" aria-label="Trends" data-testid="trends">
                    {charts
                        .into_iter()
                        .map(|c| {
                            view! {
                                <figure class="chart card">
                                    <img src=data_url(&c.svg) alt=c.alt.clone() width="640" height="260" />
                                    <figcaption class="visually-hidden">{c.alt.clone()}</figcaption>
                                </figure>
                            }
                        })
                        .collect_view()}
                    <details class="trend-table card">
                        <summary>"Trend numbers as a table"</summary>
                        <table data-testid="trend-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Build"</th>
                                    {SEVERITIES.iter().map(|s| view! { <th scope="col" class="num">{*s}</th> }).collect_view()}
                                    <th scope="col" class="num">"new"</th>
                                    <th scope="col" class="num">"fixed"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {points
                                    .into_iter()
                                    .map(|p| {
                                        view! {
                                            <tr>
                                                <th scope="row">{p.build}</th>
                                                {p.open.iter().map(|n| view! { <td class="num">{*n}</td> }).collect_view()}
                                                <td class="num">{p.new}</td>
                                                <td class="num">{p.fixed}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </details>
                </section>
            }
        })
    }
}
