//! Human-readable quantities, shared by the page, the CLI and the reports.

/// Formats a byte count with binary prefixes and one decimal place (`1.5 MB`, `512 B`).
///
/// Binary (1024-based) units are used because that is what file managers show for the same
/// file, so users can recognise what they dropped.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::format_bytes;

    #[test]
    fn bytes_below_a_kilobyte_are_exact() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(1023), "1023 B");
    }

    #[test]
    fn larger_sizes_use_binary_units_with_one_decimal() {
        assert_eq!(format_bytes(1024), "1.0 KB");
        assert_eq!(format_bytes(1536), "1.5 KB");
        assert_eq!(format_bytes(100 * 1024 * 1024), "100.0 MB");
        assert_eq!(format_bytes(600 * 1024 * 1024 * 1024), "600.0 GB");
        assert_eq!(format_bytes(u64::MAX), "16384.0 PB");
    }
}
