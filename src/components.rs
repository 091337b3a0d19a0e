//! A page per component: its open findings by severity, its trend, and its OWASP Top 10 and
//! CIS checklists, every control expandable to its evidence. Manual and not-assessed controls
//! say so plainly: a control no scan could check is never shown as passed.

use leptos::prelude::*;
use scanlens_core::chart::{data_url, Chart};
use scanlens_core::explore::{ChecklistView, ComponentView, ControlView, Dashboard};

use crate::dashboard::{EntryLine, SEVERITIES};
use crate::protocol::Request;

/// What a status is called on screen.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "fail" => "Fail",
        "warn" => "Warning",
        "pass" => "Pass",
        "no-findings" => "No findings",
        "manual" => "Manual check",
        "not-assessed" => "Not assessed",
        _ => "Unknown",
    }
}

/// `3 fail · 1 warning · 4 pass · 2 manual · 1 not assessed (40% of 11 passed)`.
pub fn checklist_line(list: &ChecklistView) -> String {
    let [pass, fail, warn, manual, not_assessed, total] = list.counts;
    let mut parts = Vec::new();
    for (n, what) in [
        (fail, "fail"),
        (warn, "warning"),
        (pass, "pass"),
        (manual, "manual"),
        (not_assessed, "not assessed"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    format!("{} ({:.0}% of {total} passed)", parts.join(" · "), list.score * 100.0)
}

#[component]
fn ControlLine(control: ControlView) -> impl IntoView {
    let c = control;
    let more = c.evidence_count.saturating_sub(c.evidence.len());
    let expandable = !c.evidence.is_empty() || c.description.is_some() || c.note.is_some();
    let head = view! {
        <span class=format!("status status-{}", c.status)>{status_label(&c.status)}</span>
        <span class="mono control-id">{c.id.clone()}</span>
        <span class="control-name">{c.name.clone()}</span>
        {(c.evidence_count > 0).then(|| view! { <span class="muted">{format!("{} finding(s)", c.evidence_count)}</span> })}
    };
    if !expandable {
        return view! { <li class="control" data-status=c.status.clone() data-id=c.id.clone()><div class="control-head">{head}</div></li> }.into_any();
    }
    view! {
        <li class="control" data-status=c.status.clone() data-id=c.id.clone()>
            <details>
                <summary class="control-head">{head}</summary>
                {c.description.clone().map(|d| view! { <p class="muted">{d}</p> })}
                {c.note.clone().map(|n| view! { <p class="note">{n}</p> })}
                <ul class="evidence">
                    {c.evidence.into_iter().map(|r| view! { <EntryLine row=r clickable=true /> }).collect_view()}
                </ul>
                {(more > 0).then(|| view! { <p class="muted">{format!("and {more} more")}</p> })}
            </details>
        </li>
    }
    .into_any()
}

#[component]
fn ChecklistBlock(list: ChecklistView) -> impl IntoView {
    let line = checklist_line(&list);
    view! {
        <details class="checklist card" data-testid="checklist" data-framework=list.framework.clone() open=list.framework.starts_with("owasp-2021")>
            <summary>
                <strong>{list.title.clone()}</strong>
                <span class="muted">{format!(" — {line}, {}", list.origin)}</span>
            </summary>
            <ol class="controls">{list.controls.into_iter().map(|c| view! { <ControlLine control=c /> }).collect_view()}</ol>
        </details>
    }
    .into_any()
}

/// The components page: a list of components, and the chosen one.
#[component]
pub fn ComponentsView(
    dashboard: RwSignal<Option<Dashboard>>,
    selected: RwSignal<Option<String>>,
    page: RwSignal<Option<(ComponentView, Option<Chart>)>>,
) -> impl IntoView {
    // Ask for the chosen component (the first one when none is chosen) when data changes.
    Effect::new(move |_| {
        let names: Vec<String> = dashboard
            .read()
            .as_ref()
            .map(|d| d.components.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default();
        let chosen =
            selected.get().filter(|s| names.contains(s)).or_else(|| names.first().cloned());
        if let Some(name) = chosen {
            crate::worker::request(Request::Component { name });
        }
    });
    view! {
        <section class="components" aria-label="Components" data-testid="components">
            <nav class="component-list card" aria-label="Components">
                <h2>"Components"</h2>
                <ul>
                    {move || {
                        dashboard
                            .get()
                            .map(|d| {
                                d.components
                                    .into_iter()
                                    .map(|c| {
                                        let name = c.name.clone();
                                        let current = {
                                            let name = name.clone();
                                            move || page.read().as_ref().is_some_and(|(p, _)| p.name == name)
                                        };
                                        view! {
                                            <li>
                                                <button
                                                    class="component-link"
                                                    aria-current=move || if current() { "page" } else { "false" }
                                                    on:click=move |_| selected.set(Some(name.clone()))
                                                >
                                                    <span>{c.name.clone()}</span>
                                                    <span class="muted">{c.total()}</span>
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            })
                    }}
                </ul>
            </nav>
            <div class="component-page">
                {move || {
                    page.get().map(|(p, chart)| {
                        view! {
                            <h2 data-testid="component-name">{p.name.clone()}</h2>
                            <p class="component-counts" data-testid="component-counts" data-open=p.open.map(|n| n.to_string()).join(",")>
                                {SEVERITIES
                                    .iter()
                                    .zip(p.open)
                                    .map(|(s, n)| view! { <span class=format!("pill sev-{s}")>{format!("{n} {s}")}</span> })
                                    .collect_view()}
                            </p>
                            {chart.map(|c| view! {
                                <figure class="chart card">
                                    <img src=data_url(&c.svg) alt=c.alt.clone() width="640" height="260" />
                                </figure>
                            })}
                            {p.checklists.into_iter().map(|l| view! { <ChecklistBlock list=l /> }).collect_view()}
                        }
                    })
                }}
            </div>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checklist_line_names_only_the_statuses_it_has() {
        let list =
            ChecklistView { counts: [4, 3, 0, 2, 1, 10], score: 0.4, ..ChecklistView::default() };
        assert_eq!(
            checklist_line(&list),
            "3 fail · 4 pass · 2 manual · 1 not assessed (40% of 10 passed)"
        );
    }
}
