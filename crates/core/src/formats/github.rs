//! Shared by the GitHub alert formats: the repository an API URL names.

/// `https://api.github.com/repos/{owner}/{repo}/...` or `https://github.com/{owner}/{repo}/...`
/// → `github.com/{owner}/{repo}`.
pub(crate) fn repository(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let mut parts = rest.split('/');
    let host = parts.next()?;
    let (owner, repo) = if host.starts_with("api.") {
        (parts.nth(1)?, parts.next()?)
    } else {
        (parts.next()?, parts.next()?)
    };
    let host = host.strip_prefix("api.").unwrap_or(host);
    (!owner.is_empty() && !repo.is_empty()).then(|| format!("{host}/{owner}/{repo}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn repository_from_api_and_html_urls() {
        assert_eq!(
            super::repository("https://api.github.com/repos/o/r/dependabot/alerts/3").as_deref(),
            Some("github.com/o/r")
        );
        assert_eq!(
            super::repository("https://github.com/o/r/security/code-scanning/73").as_deref(),
            Some("github.com/o/r")
        );
        assert_eq!(super::repository("nonsense"), None);
    }
}
