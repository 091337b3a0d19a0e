//! The whole front door: container detection, sniffing, every parser, fingerprints.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = scanlens_core::ingest("fuzz", data);
});
