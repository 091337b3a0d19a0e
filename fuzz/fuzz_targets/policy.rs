//! The policy file parser (scanlens.toml).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = scanlens_core::policy::parse(text);
    }
});
