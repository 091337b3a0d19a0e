//! The scanlens web app (Leptos CSR). Thin by design: signals hold core values and
//! components display them; every rule about findings lives in `scanlens-core`.
//!
//! Architecture Invariant: no `inner_html` of any string that came from an input file.

mod app;
mod builds;
mod components;
pub mod dashboard;
pub mod detail;
mod download;
pub mod explorer;
mod files;
mod intake;
mod kept;
pub mod markdown;
pub mod protocol;
mod remote;
mod theme;
pub mod triage;
mod url;
mod worker;

pub use app::App;
