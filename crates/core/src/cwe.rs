//! CWE ids in every form scanners write them, normalised to a number.

/// Reads a CWE id: `CWE-79`, `cwe-079`, `external/cwe/cwe-079`, `CWE-79: Improper ...`,
/// `79`, `"079"`. Returns `None` when the text names no CWE.
pub fn parse(text: &str) -> Option<u32> {
    let t = text.trim();
    let rest = if let Some(i) = find_ignore_case(t, "cwe-") {
        &t[i + 4..]
    } else if let Some(i) = find_ignore_case(t, "cwe ") {
        &t[i + 4..]
    } else if t.bytes().all(|b| b.is_ascii_digit()) {
        t
    } else {
        return None;
    };
    let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    match digits.parse::<u32>() {
        Ok(0) | Err(_) => None,
        Ok(n) => Some(n),
    }
}

/// Whether `text` mentions a CWE at all (`cwe`, any case): a cheap filter for tag lists.
pub fn mentions_cwe(text: &str) -> bool {
    find_ignore_case(text, "cwe").is_some()
}

/// The byte index of the first case-insensitive occurrence of an ASCII `needle`.
fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Sorts and deduplicates a list of CWE numbers in place.
pub fn normalise(cwes: &mut crate::model::Cwes) {
    cwes.sort_unstable();
    cwes.dedup();
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_form_normalises() {
        let cases = [
            ("CWE-79", Some(79)),
            ("cwe-079", Some(79)),
            ("external/cwe/cwe-079", Some(79)),
            ("CWE-78: Improper Neutralization of Special Elements", Some(78)),
            ("79", Some(79)),
            ("0338", Some(338)),
            ("CWE 20", Some(20)),
            ("external/cwe/cwe-", None),
            ("security", None),
            ("CWE-0", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(super::parse(text), want, "{text:?}");
        }
    }
}
