//! Vulnerability identifiers found in free text (rule ids, tags, aliases).

/// Finds CVE, GHSA and Go vulnerability ids in `text`, in order, upper-cased, without duplicates.
pub(crate) fn extract(text: &str, out: &mut crate::model::ThinVec<String>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let at = |prefix: &[u8]| {
            bytes[i..].len() >= prefix.len()
                && bytes[i..i + prefix.len()].eq_ignore_ascii_case(prefix)
        };
        let found = if !boundary || !matches!(bytes[i], b'c' | b'C' | b'g' | b'G') {
            None
        } else if at(b"CVE-") {
            dated(bytes, i + 4).map(|end| (end, text[i..end].to_ascii_uppercase()))
        } else if at(b"GO-") {
            dated(bytes, i + 3).map(|end| (end, text[i..end].to_ascii_uppercase()))
        } else if at(b"GHSA-") {
            ghsa(bytes, i + 5)
                .map(|end| (end, format!("GHSA-{}", text[i + 5..end].to_ascii_lowercase())))
        } else {
            None
        };
        match found {
            Some((end, id)) => {
                if !out.contains(&id) {
                    out.push(id);
                }
                i = end;
            }
            None => i += 1,
        }
    }
}

// `YYYY-N+` (at least 4 digits after the year).
fn dated(b: &[u8], at: usize) -> Option<usize> {
    let year = b.get(at..at + 4)?;
    if !year.iter().all(u8::is_ascii_digit) || b.get(at + 4) != Some(&b'-') {
        return None;
    }
    let digits = b[at + 5..].iter().take_while(|c| c.is_ascii_digit()).count();
    (digits >= 4).then_some(at + 5 + digits)
}

// `xxxx-xxxx-xxxx`, alphanumeric groups of four.
fn ghsa(b: &[u8], at: usize) -> Option<usize> {
    for group in 0..3 {
        let start = at + group * 5;
        if !b.get(start..start + 4)?.iter().all(u8::is_ascii_alphanumeric) {
            return None;
        }
        if group < 2 && b.get(start + 4) != Some(&b'-') {
            return None;
        }
    }
    Some(at + 14)
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_ids_in_rule_ids_and_tags() {
        let mut ids = crate::model::ThinVec::new();
        super::extract("CVE-2019-1549-libcrypto1.1", &mut ids);
        super::extract("GO-2021-0113 aliases cve-2021-38561 and GHSA-ppp9-7jff-5vj2", &mut ids);
        super::extract("XCVE-2020-1234 CVE-20-1 CVE-2019-1549", &mut ids);
        assert_eq!(
            ids[..],
            ["CVE-2019-1549", "GO-2021-0113", "CVE-2021-38561", "GHSA-ppp9-7jff-5vj2"]
        );
    }
}
