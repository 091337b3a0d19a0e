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
