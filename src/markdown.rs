//! Markdown from scanner output (rule help, messages), rendered safely. This is the one place
//! input text becomes markup, and it never becomes an HTML string: pulldown-cmark's events are
//! turned into a tree of a few allowed elements, which Leptos builds as DOM nodes.
//!
//! - Raw HTML (blocks and inline) is shown as text.
//! - Links keep only `http:`, `https:` and `mailto:` targets and open with
//!   `rel="noopener noreferrer"`; anything else is plain text.
//! - Images are never loaded (nothing may leave the page): they become links to the image.
//! - Headings start at `h4`, below the page's own.

use leptos::prelude::*;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A rendered piece of markdown. The worker parses (pulldown-cmark stays out of the page's
/// first load) and sends these; the page renders only the tags it knows and checks every
/// `href` again.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Node {
    /// An allowed element; `href` only on links, and only a safe one.
    Element {
        /// Tag name.
        tag: String,
        /// Link target, already checked.
        href: Option<String>,
        /// Content.
        children: Vec<Node>,
    },
    /// Text, shown as text.
    Text(String),
}

/// A link target scanlens will follow: http, https or mailto, nothing else.
pub fn safe_href(url: &str) -> Option<String> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    let allowed = lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:");
    // Invisible and direction-changing characters (Trojan Source) make a link lie about where
    // it goes: such a link is not followed.
    let deceptive =
        |c: char| c.is_control() || c.is_whitespace() || scanlens_core::explore::is_hidden(c);
    (allowed && !trimmed.chars().any(deceptive)).then(|| trimmed.to_string())
}

fn tag_name(tag: &Tag<'_>) -> &'static str {
    match tag {
        Tag::Paragraph => "p",
        Tag::Heading { level, .. } => match level {
            HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 | HeadingLevel::H4 => "h4",
            HeadingLevel::H5 => "h5",
            HeadingLevel::H6 => "h6",
        },
        Tag::BlockQuote(_) => "blockquote",
        Tag::CodeBlock(_) => "pre",
        Tag::List(Some(_)) => "ol",
        Tag::List(None) => "ul",
        Tag::Item => "li",
        Tag::Emphasis => "em",
        Tag::Strong => "strong",
        Tag::Strikethrough => "del",
        Tag::Table(_) => "table",
        Tag::TableHead | Tag::TableRow => "tr",
        Tag::TableCell => "td",
        Tag::Link { .. } | Tag::Image { .. } => "a",
        _ => "span",
    }
}

/// Parses markdown into the allowed tree.
pub fn parse(markdown: &str) -> Vec<Node> {
    let mut stack: Vec<(&'static str, Option<String>, Vec<Node>)> = vec![("", None, Vec::new())];
    let push = |stack: &mut Vec<(&'static str, Option<String>, Vec<Node>)>, node: Node| {
        if let Some(top) = stack.last_mut() {
            top.2.push(node);
        }
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => {
                let href = match &tag {
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => safe_href(dest_url),
                    _ => None,
                };
                let mut name = tag_name(&tag);
                if name == "a" && href.is_none() {
                    name = "span";
                }
                stack.push((name, href, Vec::new()));
                if matches!(tag, Tag::CodeBlock(_)) {
                    stack.push(("code", None, Vec::new()));
                }
            }
            Event::End(end) => {
                let closes_code_block = matches!(end, TagEnd::CodeBlock);
                for _ in 0..if closes_code_block { 2 } else { 1 } {
                    if stack.len() > 1 {
                        let (tag, href, children) = stack.pop().unwrap_or_default();
                        push(&mut stack, Node::Element { tag: tag.to_string(), href, children });
                    }
                }
            }
            Event::Text(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::FootnoteReference(text) => push(&mut stack, Node::Text(text.into_string())),
            Event::Code(code) => push(
                &mut stack,
                Node::Element {
                    tag: "code".into(),
                    href: None,
                    children: vec![Node::Text(code.into_string())],
                },
            ),
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                push(&mut stack, Node::Text(math.into_string()))
            }
            Event::SoftBreak => push(&mut stack, Node::Text(" ".into())),
            Event::HardBreak => push(
                &mut stack,
                Node::Element { tag: "br".into(), href: None, children: Vec::new() },
            ),
            Event::Rule => push(
                &mut stack,
                Node::Element { tag: "hr".into(), href: None, children: Vec::new() },
            ),
            Event::TaskListMarker(done) => {
                push(&mut stack, Node::Text(if done { "[x] " } else { "[ ] " }.into()))
            }
        }
    }
    while stack.len() > 1 {
        let (tag, href, children) = stack.pop().unwrap_or_default();
        push(&mut stack, Node::Element { tag: tag.to_string(), href, children });
    }
    stack.pop().map(|top| top.2).unwrap_or_default()
}

fn render(node: Node) -> AnyView {
    let (tag, href, children) = match node {
        Node::Text(text) => return text.into_any(),
        Node::Element { tag, href, children } => (tag, href, children),
    };
    let kids = children.into_iter().map(render).collect_view();
    match tag.as_str() {
        "p" => view! { <p>{kids}</p> }.into_any(),
        "h4" => view! { <h4>{kids}</h4> }.into_any(),
        "h5" => view! { <h5>{kids}</h5> }.into_any(),
        "h6" => view! { <h6>{kids}</h6> }.into_any(),
        "blockquote" => view! { <blockquote>{kids}</blockquote> }.into_any(),
        "pre" => view! { <pre>{kids}</pre> }.into_any(),
        "code" => view! { <code>{kids}</code> }.into_any(),
        "ol" => view! { <ol>{kids}</ol> }.into_any(),
        "ul" => view! { <ul>{kids}</ul> }.into_any(),
        "li" => view! { <li>{kids}</li> }.into_any(),
        "em" => view! { <em>{kids}</em> }.into_any(),
        "strong" => view! { <strong>{kids}</strong> }.into_any(),
        "del" => view! { <del>{kids}</del> }.into_any(),
        "table" => view! { <table>{kids}</table> }.into_any(),
        "tr" => view! { <tr>{kids}</tr> }.into_any(),
        "td" => view! { <td>{kids}</td> }.into_any(),
        "br" => view! { <br /> }.into_any(),
        "hr" => view! { <hr /> }.into_any(),
        "a" => match href.as_deref().and_then(safe_href) {
            Some(href) => {
                view! { <a href=href target="_blank" rel="noopener noreferrer">{kids}</a> }
                    .into_any()
            }
            None => view! { <span>{kids}</span> }.into_any(),
        },
        _ => view! { <span>{kids}</span> }.into_any(),
    }
}

/// Markdown from a scan, as parsed by [`parse`] (in the worker), rendered safely.
#[component]
pub fn Markdown(nodes: Vec<Node>) -> impl IntoView {
    view! { <div class="markdown" data-testid="markdown">{nodes.into_iter().map(render).collect_view()}</div> }
}

#[cfg(test)]
mod tests {
    use super::{parse, safe_href, Node};

    fn text(node: &Node) -> String {
        match node {
            Node::Text(t) => t.clone(),
            Node::Element { children, .. } => children.iter().map(text).collect(),
        }
    }

    fn tags(nodes: &[Node], out: &mut Vec<(String, Option<String>)>) {
        for node in nodes {
            if let Node::Element { tag, href, children } = node {
                out.push((tag.to_string(), href.clone()));
                tags(children, out);
            }
        }
    }

    fn all_tags(markdown: &str) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        tags(&parse(markdown), &mut out);
        out
    }

    #[test]
    fn only_http_https_and_mailto_links_survive() {
        assert_eq!(safe_href("https://owasp.org/x"), Some("https://owasp.org/x".into()));
        assert_eq!(
            safe_href(" MAILTO:security@example.com "),
            Some("MAILTO:security@example.com".into())
        );
        for bad in [
            "https://a.b/\u{200b}x",
            "https://a.b/\u{2066}x",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:x",
            "data:text/html,<script>",
            "vbscript:x",
            "/relative",
            "//evil.example/x",
            "https://a.b/\u{202e}x",
            "https://a b",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn raw_html_is_text_and_hostile_links_are_not_links() {
        let md = "<script>alert(1)</script>\n\nSee [docs](javascript:alert(1)) and [OWASP](https://owasp.org).\n\n<img src=x onerror=alert(1)> ![pic](https://evil.example/p.png)";
        let tree = parse(md);
        let flat: String = tree.iter().map(text).collect();
        assert!(flat.contains("<script>alert(1)</script>"), "{flat}");
        assert!(flat.contains("<img src=x onerror=alert(1)>"), "{flat}");
        let tags = all_tags(md);
        assert!(tags.iter().all(|(t, _)| ["p", "a", "span"].contains(&t.as_str())), "{tags:?}");
        let links: Vec<_> =
            tags.iter().filter(|(t, _)| t == "a").map(|(_, h)| h.clone().unwrap()).collect();
        assert_eq!(
            links,
            ["https://owasp.org", "https://evil.example/p.png"],
            "the image is a link, never loaded"
        );
    }

    #[test]
    fn structure_is_kept() {
        let tags = all_tags(
            "# Title\n\n* one\n* two\n\n```\ncode <b>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        let names: Vec<&str> = tags.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            names,
            ["h4", "ul", "li", "li", "pre", "code", "table", "tr", "td", "td", "tr", "td", "td"]
        );
        assert!(parse("```\ncode <b>\n```")
            .iter()
            .map(text)
            .collect::<String>()
            .contains("code <b>"));
    }
}
