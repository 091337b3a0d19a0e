//! Timestamps: RFC 3339 as scanners write it (`Z` or `±hh:mm`, up to 9 fractional digits),
//! held as milliseconds since the Unix epoch in UTC.

use std::fmt;

/// An instant, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Parses RFC 3339 (`2021-08-25T12:20:30.000000005Z`, `2024-03-01T10:00:00+01:00`).
    /// A date alone (`2025-06-18`) is midnight UTC. Returns `None` for anything else,
    /// including an empty string or an impossible date.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let s = text.trim().as_bytes();
        let num = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(range)?;
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
                return None;
            }
            std::str::from_utf8(part).ok()?.parse().ok()
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
            return None;
        }
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let days = days_from_civil(year, month, day);
        if s.len() == 10 {
            return Some(Timestamp(days * 86_400_000));
        }
        if !matches!(s.get(10), Some(b'T' | b't' | b' ')) || s.get(13) != Some(&b':') {
            return None;
        }
        let (hour, minute) = (num(11..13)?, num(14..16)?);
        let second = if s.get(16) == Some(&b':') { num(17..19)? } else { return None };
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let mut i = 19;
        let mut millis = 0;
        if s.get(i) == Some(&b'.') {
            let start = i + 1;
            i = start;
            while s.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
            let mut frac = 0;
            for (n, d) in s[start..i].iter().take(3).enumerate() {
                frac += i64::from(d - b'0') * [100, 10, 1][n];
            }
            millis = frac;
        }
        let offset_minutes = match s.get(i) {
            Some(b'Z' | b'z') if s.len() == i + 1 => 0,
            Some(sign @ (b'+' | b'-')) if s.len() == i + 6 && s[i + 3] == b':' => {
                let minutes = num(i + 1..i + 3)? * 60 + num(i + 4..i + 6)?;
                if *sign == b'-' {
                    -minutes
                } else {
                    minutes
                }
            }
            _ => return None,
        };
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
        Some(Timestamp(seconds * 1000 + millis))
    }

    /// The civil date and time in UTC: (year, month, day, hour, minute, second, millis).
    pub fn to_utc(self) -> (i64, i64, i64, i64, i64, i64, i64) {
        let millis = self.0.rem_euclid(1000);
        let secs = self.0.div_euclid(1000);
        let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60, millis)
    }

    /// `YYYY-MM-DD`, in UTC.
    pub fn date(self) -> String {
        let (y, m, d, ..) = self.to_utc();
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// RFC 3339 in UTC with milliseconds: `2021-08-25T12:20:30.000Z`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s, ms) = self.to_utc();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    fn iso(text: &str) -> String {
        Timestamp::parse(text).map(|t| t.to_string()).unwrap_or_else(|| "none".into())
    }

    #[test]
    fn scanner_timestamps_parse_to_utc() {
        assert_eq!(iso("2021-08-25T12:20:30.000000005Z"), "2021-08-25T12:20:30.000Z");
        assert_eq!(iso("2024-07-12T10:37:03.483619-04:00"), "2024-07-12T14:37:03.483Z");
        assert_eq!(iso("2025-01-15T00:30:00+01:00"), "2025-01-14T23:30:00.000Z");
        assert_eq!(iso("1970-01-01T00:00:00Z"), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso("2000-02-29T23:59:59.999Z"), "2000-02-29T23:59:59.999Z");
        assert_eq!(iso("2025-06-18"), "2025-06-18T00:00:00.000Z");
        assert_eq!(Timestamp::parse("1970-01-01T00:00:01Z"), Some(Timestamp(1000)));
    }

    #[test]
    fn malformed_timestamps_are_none() {
        for bad in [
            "",
            "None",
            "2021-13-01T00:00:00Z",
            "2021-02-29T00:00:00Z",
            "2021-08-25T12:20Z",
            "2021-08-25T12:20:30",
            "2021-08-25T12:20:30.Z",
            "2021-08-25T25:00:00Z",
            "2021-08-25T12:20:30+0100",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad:?}");
        }
    }
}
