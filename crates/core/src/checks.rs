//! Trivy check ids in every generation's spelling (`DS002`, `AVD-DS-0002`, `DS-0002`,
//! `avd-ksv-0024`), canonicalised to `PREFIX-NNNN` (FORMATS.md §6.4).

/// Upper-cases, strips `AVD-`, and zero-pads the number to four digits. Ids that do not
/// look like `PREFIX[-]DIGITS` (e.g. `VULN-CRITICAL`, a secret rule id) come back upper-cased.
///
/// ```
/// use scanlens_core::checks::canonical;
/// assert_eq!(canonical("DS002"), "DS-0002");
/// assert_eq!(canonical("AVD-DS-0002"), "DS-0002");
/// assert_eq!(canonical("avd-ksv-0024"), "KSV-0024");
/// assert_eq!(canonical("KCV-0001"), "KCV-0001");
/// assert_eq!(canonical("VULN-CRITICAL"), "VULN-CRITICAL");
/// ```
pub fn canonical(id: &str) -> String {
    let upper = id.trim().to_ascii_uppercase();
    let rest = upper.strip_prefix("AVD-").unwrap_or(&upper);
    let prefix_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    if prefix_len == 0 {
        return upper;
    }
    let (prefix, tail) = rest.split_at(prefix_len);
    let digits = tail.strip_prefix('-').unwrap_or(tail);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return upper;
    }
    let number: u64 = digits.parse().unwrap_or(0);
    format!("{prefix}-{number:04}")
}
