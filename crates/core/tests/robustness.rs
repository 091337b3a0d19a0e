//! Damaged input never panics and never costs the other files: every fixture truncated at
//! three offsets and with a byte flipped, read in one batch with an intact file.

mod common;

use common::{index, read, render};
use scanlens_core::model::DiagnosticLevel;

/// A small deterministic generator, so a failure names a reproducible input.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn truncated_and_flipped_fixtures_give_diagnostics_not_panics() {
    let intact_name = "trivy/alpine-310-image.json";
    let intact = read(intact_name);
    let expected = render(&scanlens_core::ingest(intact_name, &intact)[0]);
    let mut rng = XorShift(0x5ca9_1e95);
    for (file, _) in index() {
        let bytes = read(&file);
        if bytes.len() < 8 {
            continue;
        }
        // The last cut drops the document's final closing character (trailing whitespace aside).
        let last = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).unwrap_or(0);
        let mut damaged: Vec<(String, Vec<u8>)> = [bytes.len() / 3, bytes.len() / 2, last]
            .into_iter()
            .map(|cut| (format!("{file} cut at {cut}"), bytes[..cut].to_vec()))
            .collect();
        let mut flipped = bytes.clone();
        let at = (rng.next() % bytes.len() as u64) as usize;
        flipped[at] ^= 1 << (rng.next() % 8);
        damaged.push((format!("{file} with byte {at} flipped"), flipped));

        for (name, input) in &damaged {
            let reports = std::panic::catch_unwind(|| scanlens_core::ingest(name, input))
                .unwrap_or_else(|_| panic!("panicked on {name}"));
            if name.contains(" cut at ") {
                let report = &reports[0];
                assert!(
                    report.diagnostics.iter().any(|d| d.level >= DiagnosticLevel::Warning),
                    "{name}: a truncated document must say so, got {:?}",
                    report.diagnostics
                );
            }
        }
        // The same batch, intact file included: its report is untouched by its neighbours.
        let mut batch: Vec<_> =
            damaged.iter().flat_map(|(name, input)| scanlens_core::ingest(name, input)).collect();
        batch.extend(scanlens_core::ingest(intact_name, &intact));
        assert_eq!(
            render(batch.last().unwrap()),
            expected,
            "{file}: neighbours changed the intact report"
        );
    }
}
