//! Undoes the damage of logs copied from web pages: GitHub turns `url="https://…"` into
//! `url="[https://…](https://…)"` (a url autolinked in an issue or comment: the link's text
//! and target are the same url) and links the line numbers of an Actions log
//! (`2023-10-2[6](https://github.com/…/actions/runs/…/job/…#step:16:6)`).
//!
//! Only those two shapes are undone; any other link-like text (`[click](https://…)` in an
//! error text) is the log's own and stays literal. Pure string rewriting, used only when a
//! line shows the `](http` mark of such a link; a line rewritten is damaged.

use std::sync::LazyLock;

use regex::{Captures, Regex};

static MD_LINK: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\[([^\[\]\s]*)\]\((https?://[^)\s]*)\)").ok());

/// True when the line may hold a markdown link that a paste injected (the cheap test; what
/// [`unlink_markdown`] undoes is narrower).
pub(super) fn needs_repair(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b']', b).any(|i| b[i + 1..].starts_with(b"(http"))
}

/// True when `[text](target)` is a link GitHub injected: an autolinked url (text and target
/// the same), or an Actions log's line-number link (digits to a job's `#step:` anchor).
fn injected(text: &str, target: &str) -> bool {
    text == target
        || (!text.is_empty()
            && text.bytes().all(|b| b.is_ascii_digit())
            && target.starts_with("https://github.com/")
            && target.contains("/actions/runs/")
            && target.contains("#step:"))
}

/// Replaces each injected `[text](url)` by `text` ([`injected`]); `None` when the line holds
/// none, so it is read as it is.
pub(super) fn unlink_markdown(line: &str) -> Option<String> {
    let re = MD_LINK.as_ref()?;
    let mut undone = false;
    let fixed = re.replace_all(line, |c: &Captures<'_>| {
        let (text, target) = (&c[1], &c[2]);
        if injected(text, target) {
            undone = true;
            text.to_owned()
        } else {
            c[0].to_owned()
        }
    });
    undone.then(|| fixed.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_injected_links_are_undone() {
        let u = "http://127.0.0.1:5011/v2/";
        assert_eq!(
            unlink_markdown(&format!(r#"url="[{u}]({u})""#)).as_deref(),
            Some(r#"url="http://127.0.0.1:5011/v2/""#)
        );
        let literal = "error=\"x [click](https://evil.example) ![i](https://evil.example/i.png)\"";
        assert_eq!(unlink_markdown(literal), None);
        // Another url as the text is no autolink either.
        assert_eq!(
            unlink_markdown("[https://a.example/](https://b.example/)"),
            None
        );
        assert_eq!(
            unlink_markdown(
                "2023-10-2[6](https://github.com/o/r/actions/runs/1/job/2#step:16:6)T1"
            )
            .as_deref(),
            Some("2023-10-26T1")
        );
        assert_eq!(unlink_markdown("[6](https://evil.example/#step:1:1)"), None);
    }
}
