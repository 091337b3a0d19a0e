//! The builds page: every build (grouped by the rules in `scanlens_core::build`), which the
//! user can rename, re-date, merge and split again, and a diff between any two.

use leptos::prelude::*;
use scanlens_core::explore::Row;
use scanlens_core::session::{BuildEdits, BuildSummary, DiffView};
use scanlens_core::time::Timestamp;

use crate::dashboard::EntryLine;
use crate::protocol::Request;

fn send_edits(edits: RwSignal<BuildEdits>) {
    crate::worker::request(Request::EditBuilds { edits: edits.get_untracked() });
}

/// `2026-03-20T09:30` for a `datetime-local` input, from RFC 3339.
pub fn local_input(time: &str) -> String {
    time.get(..16).unwrap_or(time).to_string()
}

#[component]
fn DiffRows(
    title: &'static str,
    testid: &'static str,
    rows: Vec<Row>,
    clickable: bool,
) -> impl IntoView {
    let count = rows.len();
    view! {
        <section class="diff-part card" data-testid=testid data-count=count>
            <h3>{format!("{title} ({count})")}</h3>
            <ul class="evidence">
                {rows.into_iter().map(|r| view! { <EntryLine row=r clickable=clickable full=true /> }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// The builds list and the diff.
#[component]
pub fn BuildsView(
    builds: RwSignal<Vec<BuildSummary>>,
    edits: RwSignal<BuildEdits>,
    diff: RwSignal<Option<DiffView>>,
) -> impl IntoView {
    let pair = RwSignal::new((0usize, 0usize));
    // Until the user picks two builds, the comparison follows the last two as builds arrive.
    let picked = RwSignal::new(false);
    Effect::new(move |_| {
        let n = builds.read().len();
        let (old, new) = pair.get();
        let (old, new) = if picked.get() && new < n && old < n {
            (old, new)
        } else {
            (n.saturating_sub(2), n.saturating_sub(1))
        };
        if (old, new) != pair.get_untracked() {
            pair.set((old, new));
        }
        if n > 1 {
            crate::worker::request(Request::Diff { old, new });
        }
    });
    let rename = move |id: String, name: String| {
        edits.update(|e| {
            e.names.retain(|(k, _)| *k != id);
            if !name.trim().is_empty() && name != id {
                e.names.push((id, name.trim().to_string()));
            }
        });
        send_edits(edits);
    };
    let retime = move |id: String, value: String| {
        let Some(t) = Timestamp::parse(&format!("{value}:00Z")) else { return };
        edits.update(|e| {
            e.times.retain(|(k, _)| *k != id);
            e.times.push((id, t.0));
        });
        send_edits(edits);
    };
    let merge = move |from: String, into: String| {
        edits.update(|e| {
            e.merges.retain(|(k, _)| *k != from);
            if !into.is_empty() {
                e.merges.push((from, into));
            }
        });
        send_edits(edits);
    };
    let unmerge = move |into: String| {
        edits.update(|e| e.merges.retain(|(_, k)| *k != into));
        send_edits(edits);
    };
    // Moving a file off a build makes (or grows) the build `<id>-split`; rejoining undoes it.
    let move_off = move |file: u32, build: String| {
        edits.update(|e| {
            e.splits.retain(|(f, _)| *f != file);
            e.splits.push((file, format!("{build}-split")));
        });
        send_edits(edits);
    };
    let rejoin = move |id: String| {
        edits.update(|e| e.splits.retain(|(_, k)| *k != id));
        send_edits(edits);
    };
    // Edits are keyed by the id grouping gave; a renamed build shows its new name.
    let original = move |shown: &str| -> String {
        edits
            .read_untracked()
            .names
            .iter()
            .find(|(_, n)| n == shown)
            .map_or_else(|| shown.to_string(), |(k, _)| k.clone())
    };
    view! {
        <section class="builds card" aria-labelledby="builds-title" data-testid="builds">
            <h2 id="builds-title">"Builds"</h2>
            <p class="muted">
                "Files dropped together are one build, unless a scanlens-build.json sidecar says otherwise; time comes from the sidecar, the scans, or the zip. Rename, re-date or merge builds here; nothing leaves the page."
            </p>
            <table class="build-table">
                <thead>
                    <tr>
                        <th scope="col">"Build"</th>
                        <th scope="col">"Time (UTC)"</th>
                        <th scope="col">"Commit"</th>
                        <th scope="col" class="num">"Reports"</th>
                        <th scope="col">"Merge into"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let all = builds.get();
                        let ids: Vec<String> = all.iter().map(|b| b.id.clone()).collect();
                        all.into_iter()
                            .map(|b| {
                                let key = original(&b.id);
                                let (k1, k2, k3, k4) = (key.clone(), key.clone(), key.clone(), key.clone());
                                let others: Vec<String> = ids.iter().filter(|i| **i != b.id).cloned().collect();
                                view! {
                                    <tr data-testid="build-row" data-id=b.id.clone()>
                                        <td>
                                            <input
                                                class="inline-input"
                                                aria-label=format!("Name of build {}", b.id)
                                                data-testid="build-name"
                                                prop:value=b.id.clone()
                                                on:change=move |ev| rename(k1.clone(), event_target_value(&ev))
                                            />
                                            {(!b.merged.is_empty()).then(|| {
                                                view! {
                                                    <span class="muted">{format!(" + {}", b.merged.join(", "))}</span>
                                                    <button class="button small" on:click=move |_| unmerge(k2.clone())>"Split"</button>
                                                }
                                            })}
                                            {
                                                let rejoin_id = key.clone();
                                                edits.read_untracked().splits.iter().any(|(_, k)| *k == key).then(|| view! {
                                                    <button class="button small" data-testid="rejoin" on:click=move |_| rejoin(rejoin_id.clone())>"Rejoin"</button>
                                                })
                                            }
                                            <details class="build-files">
                                                <summary>{format!("{} files", b.files.len())}</summary>
                                                <ul>
                                                    {b.files.iter().cloned().map(|(file, f)| {
                                                        let build = key.clone();
                                                        view! {
                                                            <li>
                                                                <span class="mono">{f}</span>
                                                                " "
                                                                <button class="button small" data-testid="move-off" on:click=move |_| move_off(file, build.clone())>
                                                                    "Move to a new build"
                                                                </button>
                                                            </li>
                                                        }
                                                    }).collect_view()}
                                                </ul>
                                            </details>
                                        </td>
                                        <td>
                                            <input
                                                type="datetime-local"
                                                class="inline-input"
                                                aria-label=format!("Time of build {}", b.id)
                                                data-testid="build-time"
                                                prop:value=b.time.as_deref().map(local_input).unwrap_or_default()
                                                on:change=move |ev| retime(k3.clone(), event_target_value(&ev))
                                            />
                                            <span class="muted">{format!(" ({})", b.time_source)}</span>
                                        </td>
                                        <td class="mono">{b.commit.clone().unwrap_or_default()}{b.branch.clone().map(|br| format!(" ({br})"))}</td>
                                        <td class="num">{b.reports}</td>
                                        <td>
                                            <select aria-label=format!("Merge build {} into", b.id) on:change=move |ev| merge(k4.clone(), event_target_value(&ev))>
                                                <option value="">"—"</option>
                                                {others.into_iter().map(|o| { let v = original(&o); view! { <option value=v>{o}</option> } }).collect_view()}
                                            </select>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </section>
        <Show when=move || { builds.read().len() > 1 }>
            <section class="diff card" aria-labelledby="diff-title" data-testid="diff">
                <h2 id="diff-title">"Compare builds"</h2>
                <div class="diff-pick">
                    {[("From", 0usize), ("to", 1usize)]
                        .into_iter()
                        .map(|(label, side)| {
                            view! {
                                <label>
                                    {label}" "
                                    <select
                                        data-testid=format!("diff-{side}")
                                        on:change=move |ev| {
                                            let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                                            picked.set(true);
                                            pair.update(|p| if side == 0 { p.0 = i } else { p.1 = i });
                                        }
                                    >
                                        {move || {
                                            let chosen = if side == 0 { pair.get().0 } else { pair.get().1 };
                                            builds.get().into_iter().enumerate().map(|(i, b)| view! { <option value=i.to_string() selected=i == chosen>{b.id}</option> }).collect_view()
                                        }}
                                    </select>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                {move || {
                    diff.get().map(|d| {
                        view! {
                            <p class="diff-summary" data-testid="diff-summary">
                                {format!(
                                    "{} → {}: {} new, {} fixed, {} changed severity, {} unchanged",
                                    d.old, d.new, d.new_rows.len(), d.fixed_rows.len(), d.changed.len(), d.unchanged
                                )}
                            </p>
                            <div class="diff-parts">
                                <DiffRows title="New" testid="diff-new" rows=d.new_rows.clone() clickable=d.new_is_latest />
                                <DiffRows title="Fixed" testid="diff-fixed" rows=d.fixed_rows.clone() clickable=false />
                                <DiffRows title="Changed severity" testid="diff-changed" rows=d.changed.iter().map(|(_, n)| n.clone()).collect() clickable=d.new_is_latest />
                            </div>
                        }
                    })
                }}
            </section>
        </Show>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::local_input;

    #[test]
    fn a_build_time_fills_a_datetime_local_input() {
        assert_eq!(local_input("2026-03-20T09:30:00.000Z"), "2026-03-20T09:30");
        assert_eq!(local_input("2026"), "2026");
    }
}
