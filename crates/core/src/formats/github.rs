//! Shared by the GitHub alert formats (code scanning, Dependabot): the repository an API URL
//! names, the repository component, and how a dismissal's reason and comment read.

use crate::model::{Component, ComponentKind, Report};

/// Records the alerts' repository as the report's one component (the file name when no alert
/// names one) and returns its name.
pub(crate) fn component(report: &mut Report, repository: Option<String>) -> String {
    let name = repository.unwrap_or_else(|| report.base_name());
    report.components.push(Component {
        name: name.clone(),
        kind: ComponentKind::Repository,
        identity: Vec::new(),
    });
    name
}

/// `dismissed_reason` and `dismissed_comment` as one justification: `"reason: comment"`.
pub(crate) fn justification(reason: Option<String>, comment: Option<String>) -> Option<String> {
    match (reason, comment) {
        (Some(r), Some(c)) => Some(format!("{r}: {c}")),
        (r, c) => r.or(c),
    }
}

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

    #[test]
    fn justification_joins_reason_and_comment() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            super::justification(s("false positive"), s("test code")).as_deref(),
            Some("false positive: test code")
        );
        assert_eq!(super::justification(None, s("test code")).as_deref(), Some("test code"));
        assert_eq!(super::justification(s("won't fix"), None).as_deref(), Some("won't fix"));
        assert_eq!(super::justification(None, None), None);
    }
}
