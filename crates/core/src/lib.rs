//! scanlens-core: everything scanlens knows about security-scan results, with no IO.
//!
//! The page (Leptos, in the browser) and the `scanlens` CLI both call this crate, so the
//! numbers a user sees in the browser are exactly the numbers CI computes.
//!
//! Architecture Invariant: this crate does no IO and knows nothing of leptos, wasm-bindgen,
//! the file system or the command line. Callers hand it bytes and get plain data back.
//!
//! Architecture Invariant: reading never fails wholesale. [`ingest`] returns reports with
//! diagnostics; a bad element costs that element, a bad file costs that file.
//!
//! ```
//! let trivy = br#"{"SchemaVersion": 2, "ArtifactName": "alpine:3.10", "ArtifactType": "container_image",
//!   "Results": [{"Target": "alpine:3.10 (alpine 3.10.2)", "Class": "os-pkgs", "Type": "alpine",
//!     "Vulnerabilities": [{"VulnerabilityID": "CVE-2019-1549", "PkgName": "libcrypto1.1",
//!       "InstalledVersion": "1.1.1c-r0", "FixedVersion": "1.1.1d-r0", "Severity": "MEDIUM"}]}]}"#;
//! let reports = scanlens_core::ingest("alpine.json", trivy);
//! let finding = &reports[0].findings[0];
//! assert_eq!(finding.rating.severity, scanlens_core::Severity::Medium);
//! assert_eq!(finding.vuln_ids, ["CVE-2019-1549"]);
//! assert_eq!(reports[0].components[0].name, "alpine:3.10");
//! ```
#![deny(missing_docs)]

pub mod aggregate;
pub mod archive;
pub mod build;
pub mod chart;
pub mod checks;
pub mod compliance;
pub mod cwe;
pub mod diff;
pub mod explore;
pub mod export;
pub mod fingerprint;
pub mod formats;
pub mod gate;
pub mod glob;
mod ids;
mod ingest;
pub mod intern;
mod json;
pub mod merge;
pub mod model;
pub mod model_json;
pub mod policy;
pub mod report;
pub mod session;
pub mod severity;
pub mod site;
pub mod summary;
pub mod time;
pub mod trend;
pub mod triage;
pub mod units;

pub use formats::FormatId;
pub use ingest::{ingest, ingest_text, ingest_with, parse_bytes, sha256_hex, Options};
pub use json::{utf8, Utf8Check};
pub use model::{Finding, FindingKind, Report};
pub use severity::{Rating, Severity};
