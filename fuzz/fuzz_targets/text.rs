//! What the page's worker does to a file's bytes as they arrive: the UTF-8 check, whole and
//! in parts cut anywhere, must agree with std; the path scan must not panic on any cut.
#![no_main]
use scanlens_core::intern::Interner;
use scanlens_core::{utf8, Utf8Check};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let whole = std::str::from_utf8(data);
    assert_eq!(utf8(data).map_err(|_| ()), whole.map_err(|_| ()));
    if let Err(e) = whole {
        assert_eq!(utf8(data), Err(e.valid_up_to()));
    }
    // Cuts taken from the data itself, so the fuzzer steers them.
    let mut check = Utf8Check::default();
    let mut interner = Interner::default();
    let mut cut = 0;
    for &b in data.iter().take(8) {
        cut = (cut + b as usize * 7 + 1).min(data.len());
        check.advance(&data[..cut]);
        interner.scan(&data[..cut]);
    }
    assert_eq!(check.finish(data), whole.is_ok());
    interner.scan(data);
});
