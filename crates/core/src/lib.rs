//! scanlens-core: everything scanlens knows about security-scan results, with no IO.
//!
//! The page (Leptos, in the browser) and the `scanlens` CLI both call this crate, so the
//! numbers a user sees in the browser are exactly the numbers CI computes.
//!
//! Architecture Invariant: this crate does no IO and knows nothing of leptos, wasm-bindgen,
//! the file system or the command line. Callers hand it bytes and get plain data back.
//!
//! ```
//! use scanlens_core::units::format_bytes;
//! assert_eq!(format_bytes(1_582_685), "1.5 MB");
//! ```
#![deny(missing_docs)]

pub mod units;
