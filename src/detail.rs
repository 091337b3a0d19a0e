//! One entry in full: why it has its severity, every source, where it is (with snippets and
//! code flows step by step), the package, advisories, scores, and the rule's help rendered
//! safely by `markdown.rs`.

use leptos::prelude::*;
use scanlens_core::explore::{Detail, Link, Place};

use crate::markdown::{safe_href, Markdown, Node};

/// An entry the worker sent in full, with its message and help parsed from markdown.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    /// The entry.
    pub detail: Detail,
    /// Its message.
    pub message: Vec<Node>,
    /// Its rule's help.
    pub help: Vec<Node>,
}

/// `path:12-14` / `path:12` / `path`.
pub fn place_label(place: &Place) -> String {
    let uri = place.uri.clone().or_else(|| place.logical.clone()).unwrap_or_default();
    match place.lines {
        Some((start, Some(end))) => format!("{uri}:{start}-{end}"),
        Some((start, None)) => format!("{uri}:{start}"),
        None => uri,
    }
}

#[component]
fn External(link: Link) -> impl IntoView {
    match safe_href(&link.url) {
        Some(href) => {
            view! { <a href=href target="_blank" rel="noopener noreferrer">{link.text}</a> }
                .into_any()
        }
        None => view! { <span>{link.text}</span> }.into_any(),
    }
}

#[component]
fn PlaceView(place: Place) -> impl IntoView {
    let label = place_label(&place);
    view! {
        <div class="place">
            <span class="mono">{label}</span>
            {place.message.clone().map(|m| view! { <span class="muted">{m}</span> })}
            {place.snippet.clone().map(|s| view! { <pre class="snippet">{s}</pre> })}
        </div>
    }
    .into_any()
}

fn section(title: &'static str, body: AnyView) -> AnyView {
    view! {
        <section class="detail-section">
            <h3>{title}</h3>
            {body}
        </section>
    }
    .into_any()
}

/// The detail panel; `on_close` hides it.
#[component]
pub fn DetailPanel(
    detail: Detail,
    message: Vec<Node>,
    help: Vec<Node>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let d = detail;
    let row = d.row.clone();
    let mut parts: Vec<AnyView> = Vec::new();
    parts.push(section(
        "Severity",
        view! {
            <p data-testid="severity-reason">{d.severity_reason.clone()}</p>
            {d.vex.clone().map(|v| view! { <p class="note" data-testid="vex">{format!("VEX: {v}")}</p> })}
            <table class="sources" data-testid="sources">
                <thead>
                    <tr>
                        <th scope="col">"Tool"</th>
                        <th scope="col">"File"</th>
                        <th scope="col">"Severity"</th>
                        <th scope="col">"As written"</th>
                        <th scope="col">"State"</th>
                    </tr>
                </thead>
                <tbody>
                    {d
                        .sources
                        .iter()
                        .map(|s| {
                            view! {
                                <tr class:primary=s.primary data-primary=s.primary.to_string()>
                                    <td>{s.tool.clone()}</td>
                                    <td class="mono">{s.file.clone()}</td>
                                    <td><span class=format!("sev sev-{}", s.severity)>{s.severity.clone()}</span></td>
                                    <td class="mono" title=s.explained.clone()>{s.raw_severity.clone()}</td>
                                    <td>
                                        {s.state.clone()}
                                        {s.justification.clone().map(|j| view! { <div class="muted">{j}</div> })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    ));
    let badges = {
        let scores: Vec<String> = d
            .cvss
            .iter()
            .filter_map(|c| {
                c.score.map(|s| {
                    format!("CVSS {} {s:.1} ({})", c.version.clone().unwrap_or_default(), c.source)
                        .replace("  ", " ")
                })
            })
            .collect();
        let epss = d
            .epss
            .map(|(p, pct)| format!("EPSS {:.2}% (percentile {:.0})", p * 100.0, pct * 100.0));
        (!scores.is_empty() || epss.is_some() || d.kev).then(|| {
            view! {
                <p class="badges" data-testid="badges">
                    {d.kev.then(|| view! { <span class="badge kev" title="In CISA's Known Exploited Vulnerabilities catalogue">"KEV: known exploited"</span> })}
                    {epss.map(|e| view! { <span class="badge">{e}</span> })}
                    {scores.into_iter().map(|s| view! { <span class="badge">{s}</span> }).collect_view()}
                </p>
            }
        })
    };
    if !d.ids.is_empty() || !d.cwes.is_empty() || badges.is_some() {
        parts.push(section(
            "Advisories",
            view! {
                {badges}
                <ul class="links" data-testid="advisories">
                    {d.ids.iter().chain(&d.cwes).cloned().map(|l| view! { <li><External link=l /></li> }).collect_view()}
                </ul>
            }
            .into_any(),
        ));
    }
    if let Some(p) = d.package.clone() {
        let fixed = if p.fixed.is_empty() {
            "no fixed version known".to_string()
        } else {
            p.fixed.join(", ")
        };
        parts.push(section(
            "Package",
            view! {
                <dl class="facts" data-testid="package">
                    <dt>"Package"</dt>
                    <dd class="mono">{p.name.clone()}</dd>
                    {p.ecosystem.clone().map(|e| view! { <dt>"Ecosystem"</dt><dd>{e}</dd> })}
                    <dt>"Installed"</dt>
                    <dd class="mono">{p.version.clone().unwrap_or_else(|| "unknown".into())}</dd>
                    <dt>"Fixed in"</dt>
                    <dd class="mono" data-testid="fixed-in">{fixed}</dd>
                    {p.path.clone().map(|x| view! { <dt>"Found in"</dt><dd class="mono">{x}</dd> })}
                    {p.purl.clone().map(|x| view! { <dt>"purl"</dt><dd class="mono">{x}</dd> })}
                </dl>
            }
            .into_any(),
        ));
    }
    if !message.is_empty() {
        parts.push(section("Message", view! { <Markdown nodes=message /> }.into_any()));
    }
    if !d.locations.is_empty() || !d.related.is_empty() {
        parts.push(section(
            "Locations",
            view! {
                <div data-testid="locations">
                    {d.locations.iter().cloned().map(|p| view! { <PlaceView place=p /> }).collect_view()}
                    {(!d.related.is_empty()).then(|| view! {
                        <h4>"Related"</h4>
                        {d.related.iter().cloned().map(|p| view! { <PlaceView place=p /> }).collect_view()}
                    })}
                </div>
            }
            .into_any(),
        ));
    }
    if !d.flows.is_empty() {
        parts.push(section(
            "Code flows",
            view! {
                <div data-testid="flows">
                    {d.flows
                        .iter()
                        .enumerate()
                        .map(|(i, flow)| {
                            view! {
                                <details class="flow" open=i == 0>
                                    <summary>{format!("Flow {} of {}: {} steps", i + 1, d.flows.len(), flow.steps.len())}
                                        {flow.message.clone().map(|m| format!(" — {m}"))}
                                    </summary>
                                    <ol class="steps">
                                        {flow.steps.iter().cloned().map(|p| view! { <li><PlaceView place=p /></li> }).collect_view()}
                                    </ol>
                                </details>
                            }
                        })
                        .collect_view()}
                </div>
            }
            .into_any(),
        ));
    }
    if !help.is_empty() {
        parts.push(section(
            "Rule help",
            view! { <div data-testid="help"><Markdown nodes=help /></div> }.into_any(),
        ));
    }
    if !d.references.is_empty() {
        parts.push(section(
            "References",
            view! {
                <ul class="links">
                    {d.references.iter().map(|r| view! { <li><External link=Link { text: r.clone(), url: r.clone() } /></li> }).collect_view()}
                </ul>
            }
            .into_any(),
        ));
    }
    if !d.tags.is_empty() || !d.properties.is_empty() {
        parts.push(section(
            "Properties",
            view! {
                <dl class="facts">
                    {(!d.tags.is_empty()).then(|| view! { <dt>"Tags"</dt><dd>{d.tags.join(", ")}</dd> })}
                    {d.properties.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
                </dl>
            }
            .into_any(),
        ));
    }
    parts.push(view! { <crate::triage::TriageForm detail=d.clone() /> }.into_any());
    view! {
        <aside class="detail card" role="dialog" aria-modal="false" aria-labelledby="detail-title" data-testid="detail" data-entry=row.entry>
            <header class="detail-head">
                <span class=format!("sev sev-{}", row.severity)>{row.severity.clone()}</span>
                <h2 id="detail-title">{row.title.clone()}</h2>
                <button class="button small" data-testid="close-detail" on:click=move |_| on_close.run(()) aria-label="Close (Esc)">
                    "Close"
                </button>
            </header>
            <p class="muted">
                {format!("{} · {} · {} · {} · {}", row.rule, row.kind, row.component, row.state, row.place)}
            </p>
            {parts}
        </aside>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_names_its_line_range_only_when_it_has_one() {
        let mut p = Place { uri: Some("src/a.go".into()), ..Place::default() };
        assert_eq!(place_label(&p), "src/a.go");
        p.lines = Some((12, None));
        assert_eq!(place_label(&p), "src/a.go:12");
        p.lines = Some((12, Some(14)));
        assert_eq!(place_label(&p), "src/a.go:12-14");
        let logical = Place { logical: Some("Deployment/web".into()), ..Place::default() };
        assert_eq!(place_label(&logical), "Deployment/web");
    }
}
