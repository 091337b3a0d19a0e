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
