//! Stable finding identity. A fingerprint is a 64-bit FNV-1a hash over identity parts chosen
//! per format (FORMATS.md §4): never the severity, never the line number alone.

/// Builds a fingerprint from parts; each part is length-prefixed so ("ab","c") ≠ ("a","bc").
#[derive(Clone, Copy, Debug)]
pub struct Hasher(u64);

/// FNV-1a's 64-bit prime.
const PRIME: u64 = 0x0100_0000_01b3;

impl Default for Hasher {
    fn default() -> Self {
        Hasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher {
    /// A hasher for one kind of identity; `domain` keeps kinds apart.
    pub fn new(domain: &str) -> Hasher {
        Hasher::default().part(domain)
    }

    /// Adds one part.
    pub fn part(self, part: &str) -> Hasher {
        // FNV-1a over the length's 8 bytes, then the text's: two plain loops, not a chained
        // iterator that asks which half it is in at every byte.
        self.length(part.len() as u64).bytes(part.as_bytes())
    }

    /// FNV-1a over a length's 8 little-endian bytes. Its high bytes are zeros, and a zero byte
    /// leaves the xor as it is, so a run of them is one multiplication by a power of the prime:
    /// the same value in two steps instead of eight for any length under 256.
    fn length(mut self, length: u64) -> Hasher {
        // PRIME_POWERS[k] = PRIME^k (mod 2^64).
        const PRIME_POWERS: [u64; 9] = {
            let mut powers = [1u64; 9];
            let mut k = 1;
            while k < 9 {
                powers[k] = powers[k - 1].wrapping_mul(PRIME);
                k += 1;
            }
            powers
        };
        let bytes = length.to_le_bytes();
        let used = 8 - (length.leading_zeros() / 8) as usize;
        self = self.bytes(&bytes[..used]);
        self.0 = self.0.wrapping_mul(PRIME_POWERS[8 - used]);
        self
    }

    fn bytes(mut self, bytes: &[u8]) -> Hasher {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
        self
    }

    /// Adds an optional part (absent and empty hash alike).
    pub fn opt(self, part: Option<&str>) -> Hasher {
        self.part(part.unwrap_or(""))
    }

    /// The fingerprint.
    pub fn finish(self) -> u64 {
        self.0
    }
}

/// The fingerprint as 16 lower-case hex digits, as exports show it.
pub fn to_hex(fingerprint: u64) -> String {
    format!("{fingerprint:016x}")
}

/// Collapses whitespace so a snippet re-indented or moved still hashes the same.
pub fn normalise_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Gives findings that share a fingerprint but stand at different places their own
/// identity: the first keeps it, the n-th occurrence (in location order) gets it hashed with
/// `n`, like CodeQL's `primaryLocationLineHash` occurrence suffix. Findings that are the same
/// in every respect (true duplicates in one file) keep one fingerprint, for dedup to merge.
pub fn disambiguate(findings: &mut [crate::Finding]) {
    // The fingerprints on their own first: most logs repeat none, and plain numbers sort
    // faster than (fingerprint, index) pairs (100 MB SARIF in wasm: 13.7 ms for the pairs).
    let mut sorted: Vec<u64> = findings.iter().map(|f| f.fingerprint).collect();
    sorted.sort_unstable();
    let repeated: foldhash::HashSet<u64> =
        sorted.chunk_by(|a, b| a == b).filter(|g| g.len() > 1).map(|g| g[0]).collect();
    drop(sorted);
    if repeated.is_empty() {
        return;
    }
    let mut order: Vec<(u64, usize)> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| repeated.contains(&f.fingerprint))
        .map(|(i, f)| (f.fingerprint, i))
        .collect();
    order.sort_unstable();
    let place = |f: &crate::Finding| {
        let l = f.locations.first();
        let r = l.and_then(|l| l.region).unwrap_or_default();
        (
            l.and_then(|l| l.uri.clone()),
            (r.start_line, r.start_column, r.end_line, r.end_column),
            f.message.text.clone(),
            l.and_then(|l| l.snippet.clone()),
        )
    };
    for group in order.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        let fingerprint = group[0].0;
        let mut members: Vec<_> = group.iter().map(|&(_, i)| (place(&findings[i]), i)).collect();
        members.sort();
        let mut occurrence = 0u64;
        for k in 0..members.len() {
            if k > 0 && members[k].0 != members[k - 1].0 {
                occurrence += 1;
            }
            if occurrence > 0 {
                findings[members[k].1].fingerprint = Hasher::new("occurrence")
                    .part(&to_hex(fingerprint))
                    .part(&occurrence.to_string())
                    .finish();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_delimited_and_stable() {
        let ab_c = Hasher::new("t").part("ab").part("c").finish();
        let a_bc = Hasher::new("t").part("a").part("bc").finish();
        assert_ne!(ab_c, a_bc);
        assert_eq!(to_hex(Hasher::new("t").part("ab").part("c").finish()), to_hex(ab_c));
        assert_eq!(to_hex(Hasher::default().finish()), "cbf29ce484222325");
        assert_eq!(normalise_text("  a\n\tb  c "), "a b c");
    }

    /// Textbook FNV-1a over the length's 8 bytes and then the text's: what `part` must equal
    /// (stored triage decisions are keyed by these values).
    fn fnv_part(mut h: u64, text: &[u8]) -> u64 {
        for &b in (text.len() as u64).to_le_bytes().iter().chain(text) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        h
    }

    #[test]
    fn a_part_hashes_as_textbook_fnv_1a_at_every_length_width() {
        let start = Hasher::new("t");
        for len in [0, 1, 7, 255, 256, 257, 4096, 65_535, 65_536, 70_001, 16_777_216] {
            let text: String = (0..len).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            assert_eq!(start.part(&text).finish(), fnv_part(start.0, text.as_bytes()), "{len}");
        }
    }
}
