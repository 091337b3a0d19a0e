//! The dashboard of the latest build: the gate verdict with the findings that fail it,
//! open entries by severity, and the tools, components, rules, CWEs and packages behind them.

use leptos::prelude::*;
use scanlens_core::explore::{Dashboard, Row, Tally};
use scanlens_core::session::BuildSummary;
use scanlens_core::Severity;

/// Severity names, most severe first, as the cards and tallies list them.
pub const SEVERITIES: [&str; 6] = ["critical", "high", "medium", "low", "info", "unknown"];

/// The headline of the gate banner.
pub fn gate_headline(dashboard: &Dashboard) -> String {
    let g = &dashboard.gate;
    if g.passed {
        format!("PASS: nothing open at or above {} fails the build", g.fail_on)
    } else {
        let (noun, verb) = if g.failing == 1 { ("finding", "fails") } else { ("findings", "fail") };
        format!("FAIL: {} {noun} at or above {} {verb} the build", g.failing, g.fail_on)
    }
}

/// The line under the headline: what went in, what was merged and excused.
pub fn gate_detail(dashboard: &Dashboard) -> String {
    let mut parts = vec![
        format!("{} findings from all tools", dashboard.findings),
        format!("{} after merging {} duplicates", dashboard.entries, dashboard.merged),
    ];
    if dashboard.gate.excused > 0 {
        parts.push(format!(
            "{} at or above the threshold excused (not open, ignored or not counted)",
            dashboard.gate.excused
        ));
    }
    if dashboard.gate.expired_ignores > 0 {
        parts.push(format!("{} ignore rule(s) expired", dashboard.gate.expired_ignores));
    }
    parts.join(" · ")
}

#[component]
fn FailingList(rows: Vec<Row>, more: usize) -> impl IntoView {
    view! {
        <ol class="failing" data-testid="failing">
            {rows
                .into_iter()
                .map(|r| {
                    view! {
                        <li>
                            <span class=format!("sev sev-{}", r.severity)>{r.severity.clone()}</span>
                            <span class="failing-title">{r.title}</span>
                            <span class="muted">{format!("{} · {} · {}", r.rule, r.component, r.place)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        {(more > 0).then(|| view! { <p class="muted">{format!("and {more} more in the findings table below (Failing only)")}</p> })}
    }
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
                                                <meter class=format!("bar sev-{worst}") min="0" max=max value=total></meter>
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
}

/// The gate banner, severity cards and tallies.
#[component]
pub fn DashboardView(dashboard: Dashboard, builds: RwSignal<Vec<BuildSummary>>) -> impl IntoView {
    let d = dashboard;
    let more = d.gate.failing.saturating_sub(d.failing.len());
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
            <p class="gate-build muted" data-testid="gate-build">{latest}</p>
            <h2 id="gate-headline" role="status">{gate_headline(&d)}</h2>
            <p class="gate-detail">{gate_detail(&d)}</p>
            {(!d.failing.is_empty()).then(|| view! { <FailingList rows=d.failing.clone() more=more /> })}
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use scanlens_core::explore::GateView;

    #[test]
    fn the_headline_says_pass_or_fail_with_the_threshold() {
        let mut d = Dashboard {
            gate: GateView { passed: true, fail_on: "high".into(), ..GateView::default() },
            ..Dashboard::default()
        };
        assert_eq!(gate_headline(&d), "PASS: nothing open at or above high fails the build");
        d.gate =
            GateView { passed: false, fail_on: "medium".into(), failing: 1, ..GateView::default() };
        assert_eq!(gate_headline(&d), "FAIL: 1 finding at or above medium fails the build");
        d.gate.failing = 7;
        assert_eq!(gate_headline(&d), "FAIL: 7 findings at or above medium fail the build");
    }

    #[test]
    fn the_detail_names_merges_and_only_the_excuses_there_are() {
        let mut d = Dashboard { findings: 12, entries: 9, merged: 3, ..Dashboard::default() };
        assert_eq!(gate_detail(&d), "12 findings from all tools · 9 after merging 3 duplicates");
        d.gate.excused = 2;
        d.gate.expired_ignores = 1;
        assert!(gate_detail(&d).ends_with("· 2 at or above the threshold excused (not open, ignored or not counted) · 1 ignore rule(s) expired"));
    }
}
