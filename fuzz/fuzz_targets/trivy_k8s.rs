//! One parser on its own, with no sniffing in front of it.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = scanlens_core::formats::parse_as(scanlens_core::FormatId::TrivyK8sJson, "fuzz", data);
});
