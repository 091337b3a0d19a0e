//! Path globs for policy rules: `*` matches within one path segment, `**` across segments,
//! `?` one character. Matching is case-sensitive; `\` in paths is read as `/`.

/// A compiled glob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob(String);

impl Glob {
    /// A glob from its pattern.
    pub fn new(pattern: &str) -> Glob {
        Glob(pattern.replace('\\', "/"))
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `text` matches the whole pattern.
    pub fn matches(&self, text: &str) -> bool {
        let text = text.replace('\\', "/");
        matches(self.0.as_bytes(), text.as_bytes())
    }
}

fn matches(p: &[u8], t: &[u8]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => {
            let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
            if rest.is_empty() {
                return true;
            }
            (0..=t.len()).any(|i| (i == 0 || t[i - 1] == b'/') && matches(rest, &t[i..]))
                || matches(rest, t)
        }
        Some(b'*') => (0..=t.len())
            .take_while(|&i| i == 0 || t[i - 1] != b'/')
            .any(|i| matches(&p[1..], &t[i..])),
        Some(b'?') => t.first().is_some_and(|&c| c != b'/') && matches(&p[1..], &t[1..]),
        Some(&c) => t.first() == Some(&c) && matches(&p[1..], &t[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn globs_match_paths() {
        let cases = [
            ("vendor/**", "vendor/a/b.go", true),
            ("vendor/**", "src/vendor/a.go", false),
            ("**/test/**", "pkg/test/x_test.go", true),
            ("**/test/**", "test/x.go", true),
            ("*.min.js", "app.min.js", true),
            ("*.min.js", "static/app.min.js", false),
            ("**/*.min.js", "static/js/app.min.js", true),
            ("src/?.go", "src/a.go", true),
            ("src/?.go", "src/ab.go", false),
            ("C:/work/**", "C:\\work\\repo\\main.go", true),
            ("exact.txt", "exact.txt", true),
        ];
        for (pattern, path, want) in cases {
            assert_eq!(Glob::new(pattern).matches(path), want, "{pattern} vs {path}");
        }
    }
}
