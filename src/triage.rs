//! Triage in the page: a form in the detail panel for a decision about the finding (false
//! positive, accepted risk, not affected, will fix) and the exports. The worker keeps the
//! decisions in this browser (IndexedDB, `src/bin/worker/store.rs`) and its gate honours
//! them (`scanlens_core::triage`); the page only asks, so its first load carries no storage
//! code and no decision list.

use leptos::prelude::*;
use scanlens_core::explore::Detail;
use scanlens_core::triage::{Decision, Status};

use crate::protocol::Request;

/// Where the name of the person triaging is remembered between decisions.
const NAME_KEY: &str = "scanlens.triage.by";

/// How many decisions the worker keeps (from its last dashboard).
#[derive(Clone, Copy)]
pub struct Kept(pub RwSignal<usize>);

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The triage section of the detail panel: the decision about this finding, and a form.
#[component]
pub fn TriageForm(detail: Detail) -> impl IntoView {
    let fingerprint = detail.fingerprint.clone();
    let current = detail.triage.clone();
    let start = current.clone();
    let status = RwSignal::new(start.as_ref().map_or(Status::AcceptedRisk, |d| d.status));
    let justification =
        RwSignal::new(start.as_ref().map(|d| d.justification.clone()).unwrap_or_default());
    let by = RwSignal::new(start.as_ref().map(|d| d.by.clone()).unwrap_or_else(|| {
        local_storage().and_then(|s| s.get_item(NAME_KEY).ok().flatten()).unwrap_or_default()
    }));
    let expires = RwSignal::new(start.and_then(|d| d.expires).unwrap_or_default());
    let row = detail.row.clone();
    let vulnerability = detail.ids.first().map(|l| l.text.clone());
    let package = detail.package.as_ref().map(|p| p.purl.clone().unwrap_or_else(|| p.name.clone()));
    let save = {
        let fingerprint = fingerprint.clone();
        move |_| {
            let decision = Decision {
                fingerprint: fingerprint.clone(),
                status: status.get_untracked(),
                justification: justification.get_untracked().trim().to_string(),
                by: by.get_untracked().trim().to_string(),
                // The worker stamps the time.
                at: None,
                expires: Some(expires.get_untracked()).filter(|e| !e.is_empty()),
                component: row.component.clone(),
                vulnerability: vulnerability.clone(),
                rule: Some(row.rule.clone()).filter(|r| !r.is_empty()),
                package: package.clone(),
                title: row.title.clone(),
            };
            // The worker checks it (a name, a reason, a real date) and says what is missing.
            if let Some(s) = local_storage() {
                let _ = s.set_item(NAME_KEY, &decision.by);
            }
            crate::worker::request(Request::SaveTriage { decision });
        }
    };
    let remove =
        move |_| crate::worker::request(Request::RemoveTriage { fingerprint: fingerprint.clone() });
    let triaged = current.is_some();
    view! {
        <section class="detail-section triage" data-testid="triage">
            <h3>"Triage"</h3>
            {match current {
                Some(d) => view! {
                    <p class="note" data-testid="triage-current">
                        {format!(
                            "{} by {}{}: {}{}",
                            d.status.label(),
                            d.by,
                            d.at.as_deref().map(|t| format!(" on {}", t.get(..10).unwrap_or(t))).unwrap_or_default(),
                            d.justification,
                            d.expires.as_deref().map(|e| format!(" (until {e})")).unwrap_or_default(),
                        )}
                        {if d.status.excuses() { " This finding does not fail the gate." } else { " It still fails the gate." }}
                    </p>
                }.into_any(),
                None => view! { <p class="muted">"Not triaged. A decision is kept in this browser only, until you export it."</p> }.into_any(),
            }}
            <div class="triage-form">
                <label>
                    "Decision "
                    <select data-testid="triage-status" on:change=move |ev| {
                        if let Some(s) = Status::parse(&event_target_value(&ev)) {
                            status.set(s);
                        }
                    }>
                        {Status::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || status.get() == s>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="wide">
                    "Why "
                    <textarea data-testid="triage-justification" rows="2" prop:value=justification on:input=move |ev| justification.set(event_target_value(&ev))></textarea>
                </label>
                <label>
                    "Your name "
                    <input data-testid="triage-by" type="text" prop:value=by on:input=move |ev| by.set(event_target_value(&ev)) />
                </label>
                <label>
                    "Until (optional) "
                    <input data-testid="triage-expires" type="date" prop:value=expires on:input=move |ev| expires.set(event_target_value(&ev)) />
                </label>
                <div class="triage-actions">
                    <button class="button small" data-testid="triage-save" on:click=save>"Save decision"</button>
                    {triaged.then(|| view! {
                        <button class="button small" data-testid="triage-remove" on:click=remove>"Remove decision"</button>
                    })}
                </div>
            </div>
        </section>
    }
    .into_any()
}

/// The triage exports and "forget", for the findings toolbar.
#[component]
pub fn TriageTools() -> impl IntoView {
    let Kept(count) = expect_context::<Kept>();
    let export = move |vex: bool| {
        let generated = js_sys::Date::now() as i64;
        crate::worker::request(Request::ExportTriage { vex, generated })
    };
    view! {
        <Show when=move || count.get() != 0>
            <button class="button small" data-testid="export-openvex" on:click=move |_| export(true)>
                {move || format!("Download triage as OpenVEX ({})", count.get())}
            </button>
            <button class="button small" data-testid="export-triage-policy" on:click=move |_| export(false)>
                "Download triage as policy rules"
            </button>
        </Show>
    }
}
