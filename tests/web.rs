//! In-browser tests of the app's components (wasm-bindgen-test, headless Chromium).
//! Natively this file is empty; `cargo test --target wasm32-unknown-unknown` runs it.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

fn by_testid(id: &str) -> Option<Element> {
    let document = web_sys::window()?.document()?;
    document.query_selector(&format!("[data-testid={id}]")).ok()?
}

#[wasm_bindgen_test]
fn app_mounts_with_its_drop_zone_and_empty_state() {
    leptos::mount::mount_to_body(scanlens::App);
    let drop_zone = by_testid("drop-zone").expect("drop zone rendered");
    assert!(drop_zone.text_content().unwrap().contains("Drop scan results here"));
    let input = by_testid("file-input").expect("file input rendered");
    assert_eq!(input.get_attribute("type").as_deref(), Some("file"));
    assert!(input.has_attribute("multiple"));
    assert_eq!(by_testid("empty-state").unwrap().text_content().unwrap(), "No files loaded yet.");
    assert!(by_testid("file-list").is_none(), "no file table before any file is given");
}

#[wasm_bindgen_test]
fn hostile_markdown_renders_as_text_and_safe_links_only() {
    use leptos::prelude::*;
    let hostile = "<script>window.__pwned = 1</script>\n\n\
                   [click](javascript:window.__pwned=2) [docs](https://owasp.org/) \
                   <img src=x onerror=\"window.__pwned=3\"> ![pixel](https://evil.example/p.png)\n\n\
                   <a href=\"javascript:alert(1)\">raw link</a>";
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    host.set_id("markdown-host");
    document.body().unwrap().append_child(&host).unwrap();
    let _mount = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        view! { <scanlens::markdown::Markdown nodes=scanlens::markdown::parse(hostile) /> }
    });
    use wasm_bindgen::JsCast;
    let root = host.query_selector("[data-testid=markdown]").unwrap().expect("rendered");
    assert_eq!(root.query_selector_all("script, img, iframe, object, embed").unwrap().length(), 0);
    let text = root.text_content().unwrap();
    assert!(text.contains("<script>window.__pwned = 1</script>"), "{text}");
    assert!(text.contains("<img src=x onerror=\"window.__pwned=3\">"), "{text}");
    let links = root.query_selector_all("a").unwrap();
    let mut hrefs = Vec::new();
    for i in 0..links.length() {
        let a: web_sys::Element = links.item(i).unwrap().unchecked_into();
        assert_eq!(a.get_attribute("rel").as_deref(), Some("noopener noreferrer"));
        hrefs.push(a.get_attribute("href").unwrap());
    }
    assert_eq!(hrefs, ["https://owasp.org/", "https://evil.example/p.png"]);
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined(), "no script ran");
}

fn host(id: &str) -> web_sys::HtmlElement {
    use wasm_bindgen::JsCast;
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    host.set_id(id);
    document.body().unwrap().append_child(&host).unwrap();
    host.unchecked_into()
}

#[wasm_bindgen_test]
fn the_dashboard_shows_the_verdict_cards_and_failing_findings_it_is_given() {
    use leptos::prelude::*;
    use scanlens_core::explore::{Dashboard, GateView, Row, Tally};
    let dashboard = Dashboard {
        gate: GateView {
            passed: false,
            fail_on: "high".into(),
            failing: 12,
            excused: 1,
            expired_ignores: 0,
            triaged: 0,
        },
        findings: 40,
        entries: 37,
        merged: 3,
        open: [2, 10, 5, 0, 0, 1],
        not_open: 19,
        components: vec![Tally { name: "shop-api".into(), open: [2, 10, 5, 0, 0, 1] }],
        failing: vec![Row {
            entry: 4,
            severity: "critical".into(),
            title: "<b>log4shell</b>".into(),
            ..Row::default()
        }],
        ..Dashboard::default()
    };
    let root = host("dashboard-host");
    let _mount = leptos::mount::mount_to(root.clone(), move || {
        let builds = RwSignal::new(Vec::new());
        let query = RwSignal::new(scanlens_core::explore::Query::default());
        view! { <scanlens::dashboard::DashboardView dashboard=dashboard.clone() builds=builds query=query pending=Signal::derive(|| 2) /> }
    });
    let gate = root.query_selector("[data-testid=gate]").unwrap().expect("gate banner");
    assert_eq!(gate.get_attribute("data-passed").as_deref(), Some("false"));
    let text = gate.text_content().unwrap();
    assert!(text.contains("FAIL: 12 findings at or above high fail the build"), "{text}");
    assert!(text.contains("40 findings from all tools · 37 after merging 3 duplicates"), "{text}");
    assert!(text.contains("still reading 2 file(s): provisional"), "{text}");
    assert!(text.contains("Show all 12 in the findings table"), "{text}");
    // A title from a scan is text, never markup.
    assert!(text.contains("<b>log4shell</b>"), "{text}");
    assert_eq!(gate.query_selector_all("b").unwrap().length(), 0);
    let cards = root.query_selector_all("[data-testid=severity-cards] [data-severity]").unwrap();
    let mut counts = Vec::new();
    for i in 0..cards.length() {
        use wasm_bindgen::JsCast;
        let card: web_sys::Element = cards.item(i).unwrap().unchecked_into();
        counts.push((
            card.get_attribute("data-severity").unwrap(),
            card.get_attribute("data-count").unwrap(),
        ));
    }
    let expected: Vec<(String, String)> = [
        ("critical", 2),
        ("high", 10),
        ("medium", 5),
        ("low", 0),
        ("info", 0),
        ("unknown", 1),
        ("not-open", 19),
    ]
    .iter()
    .map(|(s, n)| (s.to_string(), n.to_string()))
    .collect();
    assert_eq!(counts, expected);
}

#[wasm_bindgen_test]
fn the_detail_panel_renders_sources_links_and_hostile_text_safely() {
    use leptos::prelude::*;
    use scanlens_core::explore::{Detail, Link, Row, SourceView};
    let detail = Detail {
        row: Row { entry: 1, severity: "high".into(), title: "x".into(), ..Row::default() },
        ids: vec![
            Link {
                text: "CVE-2021-44228".into(),
                url: "https://nvd.nist.gov/vuln/detail/CVE-2021-44228".into(),
            },
            Link { text: "evil".into(), url: "javascript:alert(1)".into() },
        ],
        sources: vec![
            SourceView {
                tool: "Trivy".into(),
                severity: "high".into(),
                raw_severity: "HIGH".into(),
                primary: true,
                ..SourceView::default()
            },
            SourceView {
                tool: "grype".into(),
                severity: "medium".into(),
                raw_severity: "Medium".into(),
                ..SourceView::default()
            },
        ],
        severity_reason: "high: the highest of its 2 sources".into(),
        ..Detail::default()
    };
    let message = scanlens::markdown::parse(
        "<img src=x onerror=alert(1)> **bold** [ok](https://example.org)",
    );
    let root = host("detail-host");
    let _mount = leptos::mount::mount_to(root.clone(), move || {
        view! { <scanlens::detail::DetailPanel detail=detail.clone() message=message.clone() help=Vec::new() on_close=|()| {} /> }
    });
    let panel = root.query_selector("[data-testid=detail]").unwrap().expect("panel");
    assert_eq!(panel.query_selector_all("[data-testid=sources] tbody tr").unwrap().length(), 2);
    assert_eq!(
        panel.query_selector("tr.primary td").unwrap().unwrap().text_content().unwrap(),
        "Trivy"
    );
    let links = panel.query_selector_all("a").unwrap();
    let mut hrefs = Vec::new();
    for i in 0..links.length() {
        use wasm_bindgen::JsCast;
        let a: web_sys::Element = links.item(i).unwrap().unchecked_into();
        assert_eq!(a.get_attribute("rel").as_deref(), Some("noopener noreferrer"));
        hrefs.push(a.get_attribute("href").unwrap());
    }
    assert_eq!(hrefs, ["https://nvd.nist.gov/vuln/detail/CVE-2021-44228", "https://example.org"]);
    assert_eq!(panel.query_selector_all("img, script").unwrap().length(), 0);
    assert!(panel.text_content().unwrap().contains("<img src=x onerror=alert(1)>"));
}
