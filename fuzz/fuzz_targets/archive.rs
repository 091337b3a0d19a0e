//! The zip and gzip readers, with small limits so the fuzzer explores the limit paths too.
#![no_main]
use scanlens_core::archive::{gunzip, unzip, Limits};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_member_bytes: 1 << 20,
        max_total_bytes: 4 << 20,
        max_ratio: 100,
        max_depth: 2,
    };
    let _ = unzip(data, &limits);
    let _ = gunzip(data, &limits);
});
